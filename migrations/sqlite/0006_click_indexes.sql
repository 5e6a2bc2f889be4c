-- The click writer checks repeats against the last 24 hours in memory, so
-- (SQLite has one writer) the visitor index goes: with random visitor hashes it put every stored
-- click on a different index page (about 6 KB written per click). These two
-- grow at their ends: clicks by link in time order (the impact page), and
-- by time (the writer's start-up load of the last 24 hours).
DROP INDEX clicks_code_visitor;
CREATE INDEX clicks_code_at ON clicks(code, at);
CREATE INDEX clicks_at ON clicks(at);
