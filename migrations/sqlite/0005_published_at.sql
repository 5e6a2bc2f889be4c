-- When an item first went out, so the hub orders by it (an item can sit in
-- draft for weeks before it is published).
ALTER TABLE content_items ADD COLUMN published_at INTEGER;
