-- What motivates each person, in their order (issue 19): codes joined by
-- commas ("time_off,training"), read and written by people::motivation.
ALTER TABLE people ADD COLUMN motivations TEXT NOT NULL DEFAULT '';
-- 0 when the person asked to be left off the public boards and the TV; they
-- still count in their teams' totals.
ALTER TABLE people ADD COLUMN on_boards INTEGER NOT NULL DEFAULT 1;
-- A rank is counted from the totals index and the few people who are not on
-- the boards (deactivated, or opted out) are then taken off (see 0010).
DROP INDEX people_inactive;
CREATE INDEX people_off_boards ON people(id) WHERE active = 0 OR on_boards = 0;
