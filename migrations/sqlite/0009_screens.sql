-- Office TV screens. A screen is paired by opening a one-time link whose
-- token (only its hash is stored) is traded for a long-lived display
-- cookie (again only its hash is stored). Revoking keeps the sessions, so
-- the screen can say it was disconnected instead of asking to be paired.
CREATE TABLE display_screens (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    name            TEXT    NOT NULL,
    panels          TEXT    NOT NULL,
    rotate_seconds  INTEGER NOT NULL,
    pair_token_hash TEXT UNIQUE,
    pair_expires_at INTEGER,
    revoked_at      INTEGER,
    created_at      INTEGER NOT NULL
);

CREATE TABLE display_sessions (
    token_hash   TEXT    PRIMARY KEY,
    screen_id    INTEGER NOT NULL REFERENCES display_screens(id) ON DELETE CASCADE,
    created_at   INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL
);
CREATE INDEX display_sessions_screen ON display_sessions(screen_id);
CREATE INDEX shares_at ON shares(at);
