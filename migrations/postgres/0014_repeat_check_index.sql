-- The repeat check (clicks/postgres.rs, stored_seen) asks for a visitor's
-- latest *qualified* click on a link. With an index over all of the
-- visitor's clicks it read every repeat too: one refreshing bot made each
-- batch slower as its clicks piled up (issue 22 measured 6,900 -> 2,200
-- redirects/s over three 10 s rounds).
-- Only qualified clicks are in this index: at most one per visitor and link
-- a day.
DROP INDEX clicks_code_visitor;
CREATE INDEX clicks_qualified_visitor ON clicks (code, visitor, at) WHERE qualified = 1;
