-- Sign-in attempts are now counted before the password is checked; a right
-- password takes its own rows back by this id (auth::rate_limit).
ALTER TABLE sign_in_failures ADD COLUMN attempt TEXT NOT NULL DEFAULT '';
