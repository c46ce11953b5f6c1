-- Keys the server makes once and every instance shares (the form-notice
-- signing key), so that a notice one instance leaves another can read.
CREATE TABLE server_keys (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
