-- Points per group and period, kept by triggers from the people's totals,
-- so a team board reads one row per team instead of summing every member's
-- total (p95 16 ms at 10,000 people and 100 teams in bench.sh; the board
-- is remade after every point paid). Only active people count, as on the boards. `entries`
-- is how many active members have a total in the period: a group with none
-- is not on the board, as before. (The SQLite tree has the same, in its
-- own trigger dialect.)
CREATE TABLE group_totals (
    period   TEXT   NOT NULL,
    start    BIGINT NOT NULL,
    group_id BIGINT NOT NULL REFERENCES org_groups(id) ON DELETE CASCADE,
    points   BIGINT NOT NULL,
    entries  BIGINT NOT NULL,
    PRIMARY KEY (period, start, group_id)
);

-- Adds `points` and `entries` to each of the person's groups in the period.
CREATE FUNCTION group_totals_add(person BIGINT, per TEXT, st BIGINT, pts BIGINT, n BIGINT)
RETURNS void AS $$
    INSERT INTO group_totals (period, start, group_id, points, entries)
    SELECT per, st, m.group_id, pts, n FROM group_members m JOIN people p ON p.id = m.person_id
    WHERE m.person_id = person AND p.active = 1
    ON CONFLICT (period, start, group_id) DO UPDATE
    SET points = group_totals.points + excluded.points, entries = group_totals.entries + excluded.entries;
$$ LANGUAGE SQL;

CREATE FUNCTION group_totals_on_total() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM group_totals_add(NEW.person_id, NEW.period, NEW.start, NEW.points, 1);
    ELSIF NEW.points <> OLD.points THEN
        PERFORM group_totals_add(NEW.person_id, NEW.period, NEW.start, NEW.points - OLD.points, 0);
    END IF;
    RETURN NEW;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER group_totals_on_total AFTER INSERT OR UPDATE OF points ON points_totals
FOR EACH ROW EXECUTE FUNCTION group_totals_on_total();

-- Someone joins or leaves a group: their totals go with them.
CREATE FUNCTION group_totals_on_member() RETURNS trigger AS $$
DECLARE
    m group_members%ROWTYPE;
    sign BIGINT;
BEGIN
    IF TG_OP = 'INSERT' THEN m := NEW; sign := 1; ELSE m := OLD; sign := -1; END IF;
    INSERT INTO group_totals (period, start, group_id, points, entries)
    SELECT t.period, t.start, m.group_id, sign * t.points, sign
    FROM points_totals t JOIN people p ON p.id = t.person_id
    WHERE t.person_id = m.person_id AND p.active = 1
      -- A group being deleted takes its totals with it (cascade).
      AND EXISTS (SELECT 1 FROM org_groups g WHERE g.id = m.group_id)
    ON CONFLICT (period, start, group_id) DO UPDATE
    SET points = group_totals.points + excluded.points, entries = group_totals.entries + excluded.entries;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER group_totals_on_member AFTER INSERT OR DELETE ON group_members
FOR EACH ROW EXECUTE FUNCTION group_totals_on_member();

-- Deactivated people leave their groups' totals; reactivated, they return.
CREATE FUNCTION group_totals_on_active() RETURNS trigger AS $$
DECLARE
    sign BIGINT := CASE WHEN NEW.active = 1 THEN 1 ELSE -1 END;
BEGIN
    IF NEW.active <> OLD.active THEN
        INSERT INTO group_totals (period, start, group_id, points, entries)
        SELECT t.period, t.start, m.group_id, sign * t.points, sign
        FROM points_totals t JOIN group_members m ON m.person_id = t.person_id
        WHERE t.person_id = NEW.id
        ON CONFLICT (period, start, group_id) DO UPDATE
        SET points = group_totals.points + excluded.points, entries = group_totals.entries + excluded.entries;
    END IF;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER group_totals_on_active AFTER UPDATE OF active ON people
FOR EACH ROW EXECUTE FUNCTION group_totals_on_active();

INSERT INTO group_totals (period, start, group_id, points, entries)
SELECT t.period, t.start, m.group_id, SUM(t.points), COUNT(*)
FROM points_totals t
JOIN group_members m ON m.person_id = t.person_id
JOIN people p ON p.id = t.person_id
WHERE p.active = 1
GROUP BY t.period, t.start, m.group_id;
