-- The directory's version: one counter every edit of units or people bumps in its own
-- transaction. Servers keep the directory in memory and reload it when the counter
-- moved (one indexed read per request instead of the whole directory), and the bump,
-- taken first, serialises concurrent edits so the directory's invariants (one council
-- chair, a văn thư, the signer of decisions active) are checked against a directory
-- nobody else is changing.

-- +goose Up
CREATE TABLE directory_version (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    version BIGINT NOT NULL
);
INSERT INTO directory_version (id, version) VALUES (1, 0);

-- +goose Down
DROP TABLE directory_version;
