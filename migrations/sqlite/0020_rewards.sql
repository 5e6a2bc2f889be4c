-- Rewards (issue 19): the catalogue, each request with its idempotency key,
-- the voucher pools, and every move of a request (who, when).
CREATE TABLE rewards (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    name            TEXT    NOT NULL,
    description     TEXT    NOT NULL DEFAULT '',
    image_id        INTEGER REFERENCES images(id),
    category        TEXT    NOT NULL,
    price           INTEGER NOT NULL,
    -- NULL: no limit. Taken down by one per request, given back on a decline.
    stock           INTEGER,
    per_person      INTEGER,
    limit_period    TEXT    NOT NULL DEFAULT 'month',
    available_from  INTEGER,
    available_until INTEGER,
    needs_approval  INTEGER NOT NULL DEFAULT 1,
    fulfilment      TEXT    NOT NULL DEFAULT 'manual',
    -- The delivery form's design, as JSON (rewards::fields).
    fields          TEXT    NOT NULL DEFAULT '[]',
    active          INTEGER NOT NULL DEFAULT 1,
    created_by      INTEGER REFERENCES people(id),
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL
);

CREATE TABLE reward_groups (
    reward_id INTEGER NOT NULL REFERENCES rewards(id) ON DELETE CASCADE,
    group_id  INTEGER NOT NULL REFERENCES org_groups(id) ON DELETE CASCADE,
    PRIMARY KEY (reward_id, group_id)
);

CREATE TABLE reward_requests (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    reward_id   INTEGER NOT NULL REFERENCES rewards(id),
    person_id   INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    -- "{person}:{the client's key}": the same request twice is one request.
    request_key TEXT    NOT NULL UNIQUE,
    points      INTEGER NOT NULL,
    status      TEXT    NOT NULL,
    -- The delivery form's answers, as JSON: [[label, answer], …].
    answers     TEXT    NOT NULL DEFAULT '[]',
    note        TEXT    NOT NULL DEFAULT '',
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);
CREATE INDEX reward_requests_person ON reward_requests(person_id, created_at);
CREATE INDEX reward_requests_reward ON reward_requests(reward_id, person_id, created_at);
CREATE INDEX reward_requests_status ON reward_requests(status, updated_at);

CREATE TABLE reward_vouchers (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    reward_id  INTEGER NOT NULL REFERENCES rewards(id) ON DELETE CASCADE,
    code       TEXT    NOT NULL,
    -- Set when a request takes the code (at the request, so two people
    -- cannot both get the last one); cleared if it is declined (or the
    -- request is deleted with its person).
    request_id INTEGER REFERENCES reward_requests(id) ON DELETE SET NULL,
    added_at   INTEGER NOT NULL,
    UNIQUE (reward_id, code)
);
CREATE INDEX reward_vouchers_free ON reward_vouchers(reward_id, request_id);

CREATE TABLE reward_request_log (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    request_id INTEGER NOT NULL REFERENCES reward_requests(id) ON DELETE CASCADE,
    status     TEXT    NOT NULL,
    by_id      INTEGER REFERENCES people(id) ON DELETE SET NULL,
    note       TEXT    NOT NULL DEFAULT '',
    at         INTEGER NOT NULL
);
CREATE INDEX reward_request_log_request ON reward_request_log(request_id, at);

-- Notifications about a reward request (the person's, or an admin's about a
-- new one), beside those about posts.
ALTER TABLE notifications ADD COLUMN request_id INTEGER REFERENCES reward_requests(id) ON DELETE CASCADE;
