-- Append-only points ledger. `source_key` names what earned the points
-- (e.g. "click:42"), and is unique, so a replay never pays twice.
CREATE TABLE points_ledger (
    id         BIGSERIAL PRIMARY KEY,
    person_id  BIGINT NOT NULL REFERENCES people(id),
    source_key TEXT    NOT NULL UNIQUE,
    points     BIGINT NOT NULL,
    reason     TEXT    NOT NULL,
    -- For caps: the tracked link the points came through, if any.
    code       TEXT,
    created_at BIGINT NOT NULL
);
CREATE INDEX points_ledger_person ON points_ledger(person_id, created_at);
CREATE INDEX points_ledger_code ON points_ledger(code, created_at);
