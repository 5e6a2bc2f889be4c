-- Points per group and period, kept by triggers from the people's totals,
-- so a team board reads one row per team instead of summing every member's
-- total (p95 16 ms at 10,000 people and 100 teams in bench.sh; the board
-- is remade after every point paid). Only active people count, as on the boards. `entries`
-- is how many active members have a total in the period: a group with none
-- is not on the board, as before.
CREATE TABLE group_totals (
    period   TEXT    NOT NULL,
    start    INTEGER NOT NULL,
    group_id INTEGER NOT NULL REFERENCES org_groups(id) ON DELETE CASCADE,
    points   INTEGER NOT NULL,
    entries  INTEGER NOT NULL,
    PRIMARY KEY (period, start, group_id)
);

-- A person's new total counts for each of their groups.
CREATE TRIGGER group_totals_total_added AFTER INSERT ON points_totals
BEGIN
    INSERT INTO group_totals (period, start, group_id, points, entries)
    SELECT NEW.period, NEW.start, m.group_id, NEW.points, 1
    FROM group_members m JOIN people p ON p.id = m.person_id
    WHERE m.person_id = NEW.person_id AND p.active = 1
    ON CONFLICT (period, start, group_id)
    DO UPDATE SET points = points + excluded.points, entries = entries + 1;
END;

CREATE TRIGGER group_totals_total_changed AFTER UPDATE OF points ON points_totals
BEGIN
    UPDATE group_totals SET points = points + NEW.points - OLD.points
    WHERE period = NEW.period AND start = NEW.start AND group_id IN (
        SELECT m.group_id FROM group_members m JOIN people p ON p.id = m.person_id
        WHERE m.person_id = NEW.person_id AND p.active = 1);
END;

-- Someone joins a group: their totals come with them.
CREATE TRIGGER group_totals_member_added AFTER INSERT ON group_members
BEGIN
    INSERT INTO group_totals (period, start, group_id, points, entries)
    SELECT t.period, t.start, NEW.group_id, t.points, 1
    FROM points_totals t JOIN people p ON p.id = t.person_id
    WHERE t.person_id = NEW.person_id AND p.active = 1
    ON CONFLICT (period, start, group_id)
    DO UPDATE SET points = points + excluded.points, entries = entries + 1;
END;

CREATE TRIGGER group_totals_member_removed AFTER DELETE ON group_members
BEGIN
    UPDATE group_totals
    SET points = points - (SELECT t.points FROM points_totals t WHERE t.period = group_totals.period
            AND t.start = group_totals.start AND t.person_id = OLD.person_id),
        entries = entries - 1
    WHERE group_id = OLD.group_id
      AND EXISTS (SELECT 1 FROM points_totals t WHERE t.period = group_totals.period
            AND t.start = group_totals.start AND t.person_id = OLD.person_id)
      AND EXISTS (SELECT 1 FROM people p WHERE p.id = OLD.person_id AND p.active = 1);
END;

-- Deactivated people leave their groups' totals; reactivated, they return.
CREATE TRIGGER group_totals_person_active AFTER UPDATE OF active ON people
WHEN NEW.active <> OLD.active
BEGIN
    INSERT INTO group_totals (period, start, group_id, points, entries)
    SELECT t.period, t.start, m.group_id,
        CASE WHEN NEW.active = 1 THEN t.points ELSE -t.points END,
        CASE WHEN NEW.active = 1 THEN 1 ELSE -1 END
    FROM points_totals t JOIN group_members m ON m.person_id = t.person_id
    WHERE t.person_id = NEW.id
    ON CONFLICT (period, start, group_id)
    DO UPDATE SET points = points + excluded.points, entries = entries + excluded.entries;
END;

INSERT INTO group_totals (period, start, group_id, points, entries)
SELECT t.period, t.start, m.group_id, SUM(t.points), COUNT(*)
FROM points_totals t
JOIN group_members m ON m.person_id = t.person_id
JOIN people p ON p.id = t.person_id
WHERE p.active = 1
GROUP BY t.period, t.start, m.group_id;
