-- Delegations (ủy quyền xử lý công việc): a person on leave hands the tasks they hold by
-- role (award.DelegationScope) to a colleague for a period of days, both included
-- (YYYY-MM-DD text, which sorts as dates). A withdrawn delegation keeps its row
-- (withdrawn_at > 0): who acted for whom stays readable.

-- +goose Up
CREATE TABLE delegations (
    id           TEXT PRIMARY KEY,
    from_id      TEXT NOT NULL,
    from_name    TEXT NOT NULL,
    to_id        TEXT NOT NULL,
    to_name      TEXT NOT NULL,
    scope        TEXT NOT NULL,
    start_day    TEXT NOT NULL,
    end_day      TEXT NOT NULL,
    reason       TEXT NOT NULL,
    created_by   TEXT NOT NULL,
    created_at   BIGINT NOT NULL,
    withdrawn_at BIGINT NOT NULL DEFAULT 0,
    withdrawn_by TEXT NOT NULL DEFAULT '',
    CHECK (from_id <> to_id),
    CHECK (start_day <= end_day)
);
CREATE INDEX delegations_to ON delegations (to_id, end_day);
CREATE INDEX delegations_from ON delegations (from_id, end_day);

-- One row per delegator and scope, bumped by every new delegation in the same
-- transaction before it checks for overlaps: two racing delegations of the same tasks
-- queue on this row (PostgreSQL row lock; SQLite write transactions are serial), so the
-- second sees the first and is refused.
CREATE TABLE delegation_heads (
    from_id TEXT NOT NULL,
    scope   TEXT NOT NULL,
    version BIGINT NOT NULL,
    PRIMARY KEY (from_id, scope)
);

-- +goose Down
DROP TABLE delegation_heads;
DROP TABLE delegations;
