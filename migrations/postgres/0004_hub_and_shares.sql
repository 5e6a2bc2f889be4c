-- The content hub: per-network suggested texts, tags, target groups,
-- uploaded images, the shares people make, and each person's last visit.
ALTER TABLE content_items ADD COLUMN image_id BIGINT;

CREATE TABLE content_texts (
    item_id BIGINT NOT NULL REFERENCES content_items(id) ON DELETE CASCADE,
    channel TEXT    NOT NULL,
    body    TEXT    NOT NULL,
    PRIMARY KEY (item_id, channel)
);

CREATE TABLE content_tags (
    item_id BIGINT NOT NULL REFERENCES content_items(id) ON DELETE CASCADE,
    tag     TEXT    NOT NULL,
    PRIMARY KEY (item_id, tag)
);

-- No rows = the item is for everyone.
CREATE TABLE content_targets (
    item_id  BIGINT NOT NULL REFERENCES content_items(id) ON DELETE CASCADE,
    group_id BIGINT NOT NULL REFERENCES org_groups(id) ON DELETE CASCADE,
    PRIMARY KEY (item_id, group_id)
);

CREATE TABLE images (
    id         BIGSERIAL PRIMARY KEY,
    mime       TEXT    NOT NULL,
    width      BIGINT NOT NULL,
    height     BIGINT NOT NULL,
    bytes      BYTEA   NOT NULL,
    created_by BIGINT REFERENCES people(id),
    created_at BIGINT NOT NULL
);

-- Every share as it happened; points are paid once per tracked link (see
-- points_ledger source keys), however often the person shares again.
CREATE TABLE shares (
    id           BIGSERIAL PRIMARY KEY,
    item_id      BIGINT NOT NULL REFERENCES content_items(id),
    person_id    BIGINT NOT NULL REFERENCES people(id),
    channel      TEXT    NOT NULL,
    code         TEXT    NOT NULL REFERENCES tracked_links(code),
    personalised BIGINT NOT NULL,
    at           BIGINT NOT NULL
);
CREATE INDEX shares_person ON shares(person_id, at);
CREATE INDEX shares_item ON shares(item_id);
CREATE INDEX tracked_links_item ON tracked_links(item_id);
CREATE INDEX tracked_links_person ON tracked_links(person_id);

-- "New since your last visit": `previous_seen` is the visit before the
-- current one, so the marks survive reloads during a visit.
CREATE TABLE hub_visits (
    person_id     BIGINT PRIMARY KEY REFERENCES people(id) ON DELETE CASCADE,
    last_seen     BIGINT NOT NULL,
    previous_seen BIGINT NOT NULL
);

-- Click counts kept up to date by the click writer, so pages read them
-- without scanning the click log.
ALTER TABLE tracked_links ADD COLUMN raw_clicks BIGINT NOT NULL DEFAULT 0;
ALTER TABLE tracked_links ADD COLUMN qualified_clicks BIGINT NOT NULL DEFAULT 0;
