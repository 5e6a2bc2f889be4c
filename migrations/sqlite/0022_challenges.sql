-- Challenges (issue 19): a period, people or teams, a metric, an optional
-- content tag, a minimum, and prizes; paid once when it ends (`paid_at` is
-- set in the payout's own transaction, so two instances cannot both pay).
CREATE TABLE challenges (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    title           TEXT    NOT NULL,
    description     TEXT    NOT NULL DEFAULT '',
    team            INTEGER NOT NULL DEFAULT 0,
    metric          TEXT    NOT NULL,
    tag             TEXT    NOT NULL DEFAULT '',
    starts_at       INTEGER NOT NULL,
    ends_at         INTEGER NOT NULL,
    minimum         INTEGER NOT NULL DEFAULT 1,
    winners         INTEGER NOT NULL DEFAULT 1,
    prize_points    INTEGER NOT NULL DEFAULT 0,
    prize_reward_id INTEGER REFERENCES rewards(id) ON DELETE SET NULL,
    created_by      INTEGER REFERENCES people(id) ON DELETE SET NULL,
    created_at      INTEGER NOT NULL,
    paid_at         INTEGER
);
CREATE INDEX challenges_due ON challenges(ends_at) WHERE paid_at IS NULL;

-- Who won, as the payout found them (ties share a place).
CREATE TABLE challenge_winners (
    challenge_id INTEGER NOT NULL REFERENCES challenges(id) ON DELETE CASCADE,
    person_id    INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    place        INTEGER NOT NULL,
    score        INTEGER NOT NULL,
    -- The team that won, for a team challenge.
    team         TEXT    NOT NULL DEFAULT '',
    PRIMARY KEY (challenge_id, person_id)
);

ALTER TABLE notifications ADD COLUMN challenge_id INTEGER REFERENCES challenges(id) ON DELETE CASCADE;
