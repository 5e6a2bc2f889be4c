-- Challenges (issue 19): a period, people or teams, a metric, an optional
-- content tag, a minimum, and prizes; paid once when it ends (`paid_at` is
-- set in the payout's own transaction, so two instances cannot both pay).
CREATE TABLE challenges (
    id              BIGSERIAL PRIMARY KEY,
    title           TEXT    NOT NULL,
    description     TEXT    NOT NULL DEFAULT '',
    team            BIGINT NOT NULL DEFAULT 0,
    metric          TEXT    NOT NULL,
    tag             TEXT    NOT NULL DEFAULT '',
    starts_at       BIGINT NOT NULL,
    ends_at         BIGINT NOT NULL,
    minimum         BIGINT NOT NULL DEFAULT 1,
    winners         BIGINT NOT NULL DEFAULT 1,
    prize_points    BIGINT NOT NULL DEFAULT 0,
    prize_reward_id BIGINT REFERENCES rewards(id) ON DELETE SET NULL,
    created_by      BIGINT REFERENCES people(id) ON DELETE SET NULL,
    created_at      BIGINT NOT NULL,
    paid_at         BIGINT
);
CREATE INDEX challenges_due ON challenges(ends_at) WHERE paid_at IS NULL;

-- Who won, as the payout found them (ties share a place).
CREATE TABLE challenge_winners (
    challenge_id BIGINT NOT NULL REFERENCES challenges(id) ON DELETE CASCADE,
    person_id    BIGINT NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    place        BIGINT NOT NULL,
    score        BIGINT NOT NULL,
    -- The team that won, for a team challenge.
    team         TEXT    NOT NULL DEFAULT '',
    PRIMARY KEY (challenge_id, person_id)
);

ALTER TABLE notifications ADD COLUMN challenge_id BIGINT REFERENCES challenges(id) ON DELETE CASCADE;
