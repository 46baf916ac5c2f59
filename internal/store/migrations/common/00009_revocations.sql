-- Revocations (huỷ bỏ quyết định khen thưởng, Luật Thi đua, khen thưởng 2022 Điều 93) go
-- through their own decision: a case from the request to the issued revocation decision,
-- and, once it is issued, one row per revoked awardee. The original decision and its
-- awardees stay as they were; a revoked awardee no longer counts (quota, statistics,
-- eligibility) and its bonus is marked for recovery.

-- +goose Up
-- A revocation decision is a quyết định of the decision register like any other (its
-- number comes from the same sổ); this names the decision it revokes. It lists no
-- awardees of its own (awardee_revocations lists what it revoked). A table beside
-- documents rather than a new column: altering documents would rebuild it on SQLite.
CREATE TABLE revocation_documents (
    document_id TEXT PRIMARY KEY REFERENCES documents (id), -- the revocation decision
    revokes     TEXT NOT NULL REFERENCES documents (id)     -- the decision it revokes
);
CREATE INDEX revocation_documents_revokes ON revocation_documents (revokes);

CREATE TABLE revocation_cases (
    id           TEXT PRIMARY KEY,                      -- the revocation workflow's id
    document_id  TEXT NOT NULL REFERENCES documents (id), -- the original decision
    status       TEXT NOT NULL,                         -- award.DocStatus
    ground       TEXT NOT NULL,
    reason       TEXT NOT NULL,
    requested_by TEXT NOT NULL,
    requested_at BIGINT NOT NULL,
    proposals    TEXT NOT NULL,                         -- the awardees asked for, space separated
    issued_id    TEXT NOT NULL DEFAULT '',              -- the issued revocation decision
    updated_at   BIGINT NOT NULL
);
-- One revocation on its way per decision at a time: a second request waits for the first
-- to be issued or dropped, so two cannot revoke the same award twice.
CREATE UNIQUE INDEX revocation_cases_live ON revocation_cases (document_id) WHERE status NOT IN ('issued', 'abandoned');
CREATE INDEX revocation_cases_updated ON revocation_cases (updated_at);

CREATE TABLE awardee_revocations (
    document_id   TEXT NOT NULL REFERENCES documents (id), -- the original decision
    proposal_id   TEXT NOT NULL,
    revocation_id TEXT NOT NULL REFERENCES documents (id), -- the revocation decision
    ground        TEXT NOT NULL,
    reason        TEXT NOT NULL,
    revoked_at    BIGINT NOT NULL,
    recover       BIGINT NOT NULL,                         -- bonus to recover, đồng
    recovered_at  BIGINT NOT NULL DEFAULT 0,               -- 0 while not recovered
    PRIMARY KEY (document_id, proposal_id)
);
CREATE INDEX awardee_revocations_proposal ON awardee_revocations (proposal_id);

-- +goose Down
DROP TABLE awardee_revocations;
DROP TABLE revocation_cases;
DROP TABLE revocation_documents;
