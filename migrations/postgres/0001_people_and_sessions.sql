-- Kept in step with migrations/sqlite: integers for booleans, UTC milliseconds
-- for times, BIGINT everywhere so that sqlx::Any decodes i64 on both.
CREATE TABLE people (
    id            BIGSERIAL PRIMARY KEY,
    email         TEXT    NOT NULL UNIQUE,
    name          TEXT    NOT NULL,
    title         TEXT    NOT NULL DEFAULT '',
    language      TEXT    NOT NULL DEFAULT '',
    password_hash TEXT,
    active        BIGINT NOT NULL DEFAULT 1,
    is_demo       BIGINT NOT NULL DEFAULT 0,
    created_at    BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL
);

CREATE TABLE person_roles (
    person_id BIGINT NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    role      TEXT    NOT NULL,
    PRIMARY KEY (person_id, role)
);

CREATE TABLE org_groups (
    id         BIGSERIAL PRIMARY KEY,
    kind       TEXT    NOT NULL,
    name       TEXT    NOT NULL,
    created_at BIGINT NOT NULL,
    UNIQUE (kind, name)
);

CREATE TABLE group_members (
    group_id  BIGINT NOT NULL REFERENCES org_groups(id) ON DELETE CASCADE,
    person_id BIGINT NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    PRIMARY KEY (group_id, person_id)
);
CREATE INDEX group_members_person ON group_members(person_id);

CREATE TABLE social_accounts (
    person_id BIGINT NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    network   TEXT    NOT NULL,
    audience  BIGINT NOT NULL,
    PRIMARY KEY (person_id, network)
);

-- Only a hash of the session token is stored: a leaked table opens no session.
CREATE TABLE sessions (
    id_hash      TEXT    PRIMARY KEY,
    person_id    BIGINT NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    created_at   BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL,
    expires_at   BIGINT NOT NULL
);
CREATE INDEX sessions_person ON sessions(person_id);

CREATE TABLE invites (
    token_hash TEXT    PRIMARY KEY,
    person_id  BIGINT NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at    BIGINT
);
CREATE INDEX invites_person ON invites(person_id);

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
