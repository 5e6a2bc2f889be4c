-- One owner for points (base::ledger): the leaderboard totals are kept in
-- Rust for every reason, a batch at a time, so the trigger that kept them
-- for all but clicks goes. The group totals still follow points_totals by
-- their triggers (0015): memberships change them too.
DROP TRIGGER points_totals_on_ledger;

-- The item an entry is for when no tracked link says it (an own post
-- approved); read by My impact instead of parsing the key.
ALTER TABLE points_ledger ADD COLUMN item_id INTEGER;
UPDATE points_ledger SET item_id = CAST(SUBSTR(source_key, 9) AS INTEGER)
WHERE reason = 'creator';
