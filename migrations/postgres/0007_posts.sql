-- Employee-written posts are content items with an author-facing review
-- stage. `version` grows with every change, so a move or edit made on a
-- stale copy is refused instead of silently overwriting someone else's.
ALTER TABLE content_items ADD COLUMN origin TEXT NOT NULL DEFAULT 'curated';
ALTER TABLE content_items ADD COLUMN body_md TEXT NOT NULL DEFAULT '';
ALTER TABLE content_items ADD COLUMN stage TEXT;
ALTER TABLE content_items ADD COLUMN stage_at BIGINT;
ALTER TABLE content_items ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
CREATE INDEX content_items_stage ON content_items(stage);
CREATE INDEX content_items_author ON content_items(created_by, origin);

CREATE TABLE post_comments (
    id        BIGSERIAL PRIMARY KEY,
    item_id   BIGINT NOT NULL REFERENCES content_items(id) ON DELETE CASCADE,
    person_id BIGINT NOT NULL REFERENCES people(id),
    body      TEXT    NOT NULL,
    at        BIGINT NOT NULL
);
CREATE INDEX post_comments_item ON post_comments(item_id, at);

CREATE TABLE notifications (
    id        BIGSERIAL PRIMARY KEY,
    person_id BIGINT NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    item_id   BIGINT REFERENCES content_items(id) ON DELETE CASCADE,
    kind      TEXT    NOT NULL,
    at        BIGINT NOT NULL,
    seen      BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX notifications_person ON notifications(person_id, at);
