-- How far each instance's click journal is applied (see app/src/share/journal.rs):
-- updated in the same transaction as the clicks, so no journal line is applied twice.
CREATE TABLE click_journals (
    instance TEXT PRIMARY KEY,
    applied_seq INTEGER NOT NULL
);
