-- Raw clicks that did not qualify (bots, prefetches, repeats, …) are kept
-- row by row for a while (--click-retention-days), then rolled up into
-- these daily counts per link and verdict, so the clicks table does not
-- grow without end. Qualified clicks stay rows: the repeat check, the
-- leaderboard and My impact read them.
CREATE TABLE click_days (
    code    TEXT   NOT NULL,
    day     BIGINT NOT NULL,
    verdict TEXT   NOT NULL,
    clicks  BIGINT NOT NULL,
    PRIMARY KEY (code, day, verdict)
);
