-- Content items, the tracked links people share them with, and every click
-- on those links (raw and qualified both kept).
CREATE TABLE content_items (
    id              BIGSERIAL PRIMARY KEY,
    slug            TEXT    NOT NULL,
    title           TEXT    NOT NULL,
    summary         TEXT    NOT NULL DEFAULT '',
    destination_url TEXT    NOT NULL,
    image_url       TEXT    NOT NULL DEFAULT '',
    status          TEXT    NOT NULL DEFAULT 'draft',
    publish_at      BIGINT,
    expires_at      BIGINT,
    created_by      BIGINT REFERENCES people(id),
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL
);

CREATE TABLE tracked_links (
    code       TEXT    PRIMARY KEY,
    item_id    BIGINT NOT NULL REFERENCES content_items(id),
    person_id  BIGINT NOT NULL REFERENCES people(id),
    channel    TEXT    NOT NULL,
    created_at BIGINT NOT NULL,
    UNIQUE (item_id, person_id, channel)
);

CREATE TABLE clicks (
    id        BIGSERIAL PRIMARY KEY,
    code      TEXT    NOT NULL REFERENCES tracked_links(code),
    at        BIGINT NOT NULL,
    visitor   TEXT    NOT NULL,
    verdict   TEXT    NOT NULL,
    qualified BIGINT NOT NULL
);
CREATE INDEX clicks_code_visitor ON clicks(code, visitor, at);
