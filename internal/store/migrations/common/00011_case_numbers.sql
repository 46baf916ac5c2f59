-- Case numbers (số hồ sơ): the number people read and quote for a proposal
-- (HS-2026-0042) or a council session (PH-2026-03) instead of its workflow id. The
-- records store allocates one when the projection first sees the workflow: per prefix
-- and year the next free sequence number (unique and stable, never reused, gaps are
-- allowed). The rows outlive the projection and are never rewritten.

-- +goose Up
CREATE TABLE case_numbers (
    workflow_id TEXT PRIMARY KEY,
    prefix      TEXT NOT NULL CHECK (prefix IN ('HS', 'PH')),
    year        INTEGER NOT NULL,
    seq         BIGINT NOT NULL CHECK (seq >= 1),
    number      TEXT NOT NULL UNIQUE, -- prefix-year-seq, zero-padded: what people read
    UNIQUE (prefix, year, seq)
);

-- +goose Down
DROP TABLE case_numbers;
