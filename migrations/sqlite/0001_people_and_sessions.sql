-- Booleans are 0/1 integers and times are UTC milliseconds, so that the same
-- queries decode the same way on SQLite and PostgreSQL (sqlx::Any).
CREATE TABLE people (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    email         TEXT    NOT NULL UNIQUE,
    name          TEXT    NOT NULL,
    title         TEXT    NOT NULL DEFAULT '',
    language      TEXT    NOT NULL DEFAULT '',
    password_hash TEXT,
    active        INTEGER NOT NULL DEFAULT 1,
    is_demo       INTEGER NOT NULL DEFAULT 0,
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL
);

CREATE TABLE person_roles (
    person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    role      TEXT    NOT NULL,
    PRIMARY KEY (person_id, role)
);

CREATE TABLE org_groups (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    kind       TEXT    NOT NULL,
    name       TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    UNIQUE (kind, name)
);

CREATE TABLE group_members (
    group_id  INTEGER NOT NULL REFERENCES org_groups(id) ON DELETE CASCADE,
    person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    PRIMARY KEY (group_id, person_id)
);
CREATE INDEX group_members_person ON group_members(person_id);

CREATE TABLE social_accounts (
    person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    network   TEXT    NOT NULL,
    audience  INTEGER NOT NULL,
    PRIMARY KEY (person_id, network)
);

-- Only a hash of the session token is stored: a leaked table opens no session.
CREATE TABLE sessions (
    id_hash      TEXT    PRIMARY KEY,
    person_id    INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    created_at   INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL
);
CREATE INDEX sessions_person ON sessions(person_id);

CREATE TABLE invites (
    token_hash TEXT    PRIMARY KEY,
    person_id  INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at    INTEGER
);
CREATE INDEX invites_person ON invites(person_id);

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
