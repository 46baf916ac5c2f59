-- The higher body's answer to a submission (tờ trình) upward: for each proposal the
-- submission named, awarded or not, by which decision of which body and when. The
-- submission stays as it was; an award given above counts in a person's award history
-- (eligibility looks back on it).

-- +goose Up
CREATE TABLE upward_results (
    document_id TEXT NOT NULL REFERENCES documents (id), -- our submission
    proposal_id TEXT NOT NULL,
    awarded     BOOLEAN NOT NULL,
    body        TEXT NOT NULL,   -- the body that decided, e.g. "Ủy ban nhân dân tỉnh Đồng Tháp"
    number_text TEXT NOT NULL,   -- its document's number and code, e.g. "Số 1234/QĐ-UBND"
    decided_on  BIGINT NOT NULL, -- its date
    note        TEXT NOT NULL DEFAULT '',
    recorded_at BIGINT NOT NULL,
    recorded_by TEXT NOT NULL,
    PRIMARY KEY (document_id, proposal_id)
);
CREATE INDEX upward_results_proposal ON upward_results (proposal_id);

-- +goose Down
DROP TABLE upward_results;
