-- The projection of proposals and sessions: one row per workflow, written by the
-- workflows' activities at each stage change (seq = the event sequence it was written
-- from: an older event never overwrites a newer one), read by lists, search and paging.

-- +goose Up
CREATE TABLE projection (
    workflow_id  TEXT PRIMARY KEY,
    kind         TEXT NOT NULL CHECK (kind IN ('proposal', 'session')),
    seq          BIGINT NOT NULL,
    digest       TEXT NOT NULL, -- SHA-256 of the written content: the same seq with other content is a conflict
    stage        TEXT NOT NULL,
    department   TEXT NOT NULL DEFAULT '',
    title        TEXT NOT NULL DEFAULT '', -- a session's title
    nominee_name TEXT NOT NULL DEFAULT '',
    nominee_id   TEXT NOT NULL DEFAULT '',
    nominee_kind TEXT NOT NULL DEFAULT '',
    search_fold  TEXT NOT NULL DEFAULT '', -- folded nominee name (or session title)
    award_type   TEXT NOT NULL DEFAULT '',
    movement     TEXT NOT NULL DEFAULT '',
    year         INTEGER NOT NULL DEFAULT 0,
    proposer     TEXT NOT NULL DEFAULT '',
    session_id   TEXT NOT NULL DEFAULT '',
    due_at       BIGINT NOT NULL, -- 9223372036854775807: no due date (sorts last)
    overdue      BOOLEAN NOT NULL DEFAULT FALSE,
    created_at   BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL
);
-- Keyset paging: each sort is (kind, key, workflow_id), filters that narrow much get
-- their own leading column.
CREATE INDEX projection_updated ON projection (kind, updated_at, workflow_id);
CREATE INDEX projection_due ON projection (kind, due_at, workflow_id);
CREATE INDEX projection_nominee ON projection (kind, search_fold, workflow_id);
CREATE INDEX projection_year ON projection (kind, year, updated_at, workflow_id);
CREATE INDEX projection_stage ON projection (kind, stage, updated_at, workflow_id);
CREATE INDEX projection_department ON projection (kind, department, updated_at, workflow_id);
CREATE INDEX projection_proposer ON projection (kind, proposer, updated_at, workflow_id);
CREATE INDEX projection_overdue ON projection (kind, overdue, due_at, workflow_id);

CREATE TABLE projection_assignees (
    workflow_id TEXT NOT NULL REFERENCES projection (workflow_id) ON DELETE CASCADE,
    person_id   TEXT NOT NULL,
    PRIMARY KEY (workflow_id, person_id)
);
CREATE INDEX projection_assignees_person ON projection_assignees (person_id, workflow_id);

-- +goose Down
DROP TABLE projection_assignees;
DROP TABLE projection;
