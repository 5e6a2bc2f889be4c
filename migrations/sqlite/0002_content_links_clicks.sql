-- Content items, the tracked links people share them with, and every click
-- on those links (raw and qualified both kept).
CREATE TABLE content_items (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    slug            TEXT    NOT NULL,
    title           TEXT    NOT NULL,
    summary         TEXT    NOT NULL DEFAULT '',
    destination_url TEXT    NOT NULL,
    image_url       TEXT    NOT NULL DEFAULT '',
    status          TEXT    NOT NULL DEFAULT 'draft',
    publish_at      INTEGER,
    expires_at      INTEGER,
    created_by      INTEGER REFERENCES people(id),
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL
);

CREATE TABLE tracked_links (
    code       TEXT    PRIMARY KEY,
    item_id    INTEGER NOT NULL REFERENCES content_items(id),
    person_id  INTEGER NOT NULL REFERENCES people(id),
    channel    TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    UNIQUE (item_id, person_id, channel)
);

CREATE TABLE clicks (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    code      TEXT    NOT NULL REFERENCES tracked_links(code),
    at        INTEGER NOT NULL,
    visitor   TEXT    NOT NULL,
    verdict   TEXT    NOT NULL,
    qualified INTEGER NOT NULL
);
CREATE INDEX clicks_code_visitor ON clicks(code, visitor, at);
