-- PostgreSQL only (its repeat check reads the clicks table; SQLite's click
-- applier keeps the last day's visitors in memory). Kept so that the two
-- trees number their migrations alike.
SELECT 1;
