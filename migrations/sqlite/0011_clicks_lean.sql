-- Every stored click is a commit on the redirect's path, so the clicks table
-- keeps only what pays for itself:
-- * no AUTOINCREMENT: it reads and rewrites sqlite_sequence for every row
--   (one more page in every commit). Clicks are never deleted, so plain row
--   ids never repeat either, and the click points' source keys stay unique.
-- * no index on `at` alone: its only reader was the click writer's start-up
--   load of the last day, which now finds where that day starts by a binary
--   search over the row ids (clicks are appended in time order).
CREATE TABLE clicks_lean (
    id        INTEGER PRIMARY KEY,
    code      TEXT    NOT NULL REFERENCES tracked_links(code),
    at        INTEGER NOT NULL,
    visitor   TEXT    NOT NULL,
    verdict   TEXT    NOT NULL,
    qualified INTEGER NOT NULL
);
INSERT INTO clicks_lean (id, code, at, visitor, verdict, qualified)
    SELECT id, code, at, visitor, verdict, qualified FROM clicks ORDER BY id;
DROP TABLE clicks;
ALTER TABLE clicks_lean RENAME TO clicks;
CREATE INDEX clicks_code_at ON clicks(code, at);
DELETE FROM sqlite_sequence WHERE name = 'clicks';
