-- The monthly reward budget (issue 19): what one of each reward costs the
-- company, in the budget's currency (whole units); NULL when not counted.
ALTER TABLE rewards ADD COLUMN cost BIGINT;
