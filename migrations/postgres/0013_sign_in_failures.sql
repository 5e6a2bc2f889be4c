-- Failed sign-ins, kept in the database so that every instance behind one
-- address counts the same attempts. `key` is `a:<e-mail>` or `i:<address>`;
-- rows older than the window are deleted as new ones arrive.
CREATE TABLE sign_in_failures (
    key TEXT NOT NULL,
    at BIGINT NOT NULL
);
CREATE INDEX sign_in_failures_key_at ON sign_in_failures (key, at);
