-- Recognition (issue 19): the company's values in both languages, each
-- thank-you (kudos) with its values, and its removal by an administrator
-- (kept, with who, when and why: the audit trail).
CREATE TABLE kudos_values (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    name_en    TEXT    NOT NULL,
    name_sv    TEXT    NOT NULL,
    about_en   TEXT    NOT NULL DEFAULT '',
    about_sv   TEXT    NOT NULL DEFAULT '',
    active     INTEGER NOT NULL DEFAULT 1,
    -- 1 for the demo's values: removed with the demo unless thanks use them.
    seeded     INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL
);

CREATE TABLE kudos (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    -- "{giver}:{the client's key}": a double click gives once.
    request_key    TEXT    NOT NULL UNIQUE,
    giver_id       INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    recipient_id   INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    message        TEXT    NOT NULL,
    -- From the giver's monthly allowance; paid through the ledger.
    points         INTEGER NOT NULL DEFAULT 0,
    private        INTEGER NOT NULL DEFAULT 0,
    -- A manager's award: its title (NULL for a thank-you).
    award          TEXT,
    created_at     INTEGER NOT NULL,
    removed_at     INTEGER,
    removed_by     INTEGER REFERENCES people(id) ON DELETE SET NULL,
    removed_reason TEXT
);
CREATE INDEX kudos_recent ON kudos(created_at);
CREATE INDEX kudos_to ON kudos(recipient_id, created_at);
CREATE INDEX kudos_from ON kudos(giver_id, created_at);

CREATE TABLE kudos_value_of (
    kudos_id INTEGER NOT NULL REFERENCES kudos(id) ON DELETE CASCADE,
    value_id INTEGER NOT NULL REFERENCES kudos_values(id),
    PRIMARY KEY (kudos_id, value_id)
);

-- Notifications about a kudos (to its recipient).
ALTER TABLE notifications ADD COLUMN kudos_id INTEGER REFERENCES kudos(id) ON DELETE CASCADE;
