-- Points earned per person and period (UTC week from Monday, month,
-- quarter, all time), kept up to date by a trigger on the ledger whichever
-- code path pays, so a leaderboard reads one row per person instead of
-- summing every event. Spending (negative entries) does not lower a rank.
-- Click points are the exception: the click writers add a whole batch at
-- once (a few upserts instead of four per click; see share/writer.rs).
CREATE TABLE points_totals (
    period    TEXT   NOT NULL,
    start     BIGINT NOT NULL,
    person_id BIGINT NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    points    BIGINT NOT NULL,
    PRIMARY KEY (period, start, person_id)
);
CREATE INDEX points_totals_rank ON points_totals(period, start, points);

CREATE FUNCTION sprida_period_start(period TEXT, ms BIGINT) RETURNS BIGINT AS $$
    SELECT CASE WHEN period = 'all' THEN 0
        ELSE (EXTRACT(EPOCH FROM date_trunc(period, to_timestamp(ms / 1000.0) AT TIME ZONE 'UTC')) * 1000)::BIGINT
    END
$$ LANGUAGE SQL IMMUTABLE;

CREATE FUNCTION points_totals_on_ledger() RETURNS trigger AS $$
BEGIN
    IF NEW.points > 0 AND NEW.reason <> 'click' THEN
        INSERT INTO points_totals (period, start, person_id, points)
        SELECT p, sprida_period_start(p, NEW.created_at), NEW.person_id, NEW.points
        FROM unnest(ARRAY['all', 'week', 'month', 'quarter']) AS p
        ON CONFLICT (period, start, person_id)
        DO UPDATE SET points = points_totals.points + excluded.points;
    END IF;
    RETURN NEW;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER points_totals_on_ledger AFTER INSERT ON points_ledger
FOR EACH ROW EXECUTE FUNCTION points_totals_on_ledger();

-- What was earned before this migration.
INSERT INTO points_totals (period, start, person_id, points)
SELECT p, sprida_period_start(p, l.created_at), l.person_id, SUM(l.points)
FROM points_ledger l CROSS JOIN unnest(ARRAY['all', 'week', 'month', 'quarter']) AS p
WHERE l.points > 0
GROUP BY 1, 2, 3;
