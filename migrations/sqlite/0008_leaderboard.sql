-- Points earned per person and period (UTC week from Monday, month,
-- quarter, all time), kept up to date by a trigger on the ledger whichever
-- code path pays, so a leaderboard reads one row per person instead of
-- summing every event. Spending (negative entries) does not lower a rank.
-- Click points are the exception: the click writers add a whole batch at
-- once (a few upserts instead of four per click; see share/writer.rs).
CREATE TABLE points_totals (
    period    TEXT    NOT NULL,
    start     INTEGER NOT NULL,
    person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    points    INTEGER NOT NULL,
    PRIMARY KEY (period, start, person_id)
);
CREATE INDEX points_totals_rank ON points_totals(period, start, points);

CREATE TRIGGER points_totals_on_ledger AFTER INSERT ON points_ledger
WHEN NEW.points > 0 AND NEW.reason <> 'click'
BEGIN
    INSERT INTO points_totals (period, start, person_id, points) VALUES
        ('all', 0, NEW.person_id, NEW.points),
        ('week', ((NEW.created_at / 86400000 + 3) / 7 * 7 - 3) * 86400000, NEW.person_id, NEW.points),
        ('month', CAST(strftime('%s', NEW.created_at / 1000, 'unixepoch', 'start of month') AS INTEGER) * 1000,
            NEW.person_id, NEW.points),
        ('quarter', CAST(strftime('%s', NEW.created_at / 1000, 'unixepoch', 'start of month',
            printf('-%d months', (CAST(strftime('%m', NEW.created_at / 1000, 'unixepoch') AS INTEGER) - 1) % 3))
            AS INTEGER) * 1000, NEW.person_id, NEW.points)
    ON CONFLICT (period, start, person_id) DO UPDATE SET points = points + excluded.points;
END;

-- What was earned before this migration.
INSERT INTO points_totals (period, start, person_id, points)
SELECT period, start, person_id, SUM(points) FROM (
    SELECT 'all' AS period, 0 AS start, person_id, points FROM points_ledger WHERE points > 0
    UNION ALL
    SELECT 'week', ((created_at / 86400000 + 3) / 7 * 7 - 3) * 86400000, person_id, points
        FROM points_ledger WHERE points > 0
    UNION ALL
    SELECT 'month', CAST(strftime('%s', created_at / 1000, 'unixepoch', 'start of month') AS INTEGER) * 1000,
        person_id, points FROM points_ledger WHERE points > 0
    UNION ALL
    SELECT 'quarter', CAST(strftime('%s', created_at / 1000, 'unixepoch', 'start of month',
        printf('-%d months', (CAST(strftime('%m', created_at / 1000, 'unixepoch') AS INTEGER) - 1) % 3))
        AS INTEGER) * 1000, person_id, points FROM points_ledger WHERE points > 0
) GROUP BY period, start, person_id;
