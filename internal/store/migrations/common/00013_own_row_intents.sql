-- Own-row intents (workflows/ownrow.go): before the API asks a proposal's workflow for a
-- change whose list row it will write itself, it records that intent here; the row's
-- write deletes it in the same transaction. An intent still here after due_at (the API
-- died between the change and the row, or the write failed) is settled by the sweeper:
-- it asks the workflow for its row and writes it. due_at is in microseconds since the
-- epoch, like every time of this store.

-- +goose Up
CREATE TABLE own_row_intents (
    id          TEXT PRIMARY KEY,
    workflow_id TEXT NOT NULL,
    due_at      BIGINT NOT NULL
);
CREATE INDEX own_row_intents_due ON own_row_intents (due_at);
CREATE INDEX own_row_intents_workflow ON own_row_intents (workflow_id);

-- +goose Down
DROP TABLE own_row_intents;
