-- The award register: every issued document (decisions, submissions upward, minutes,
-- the council's tờ trình) with its number, signer, object key and SHA-256 — which is
-- also the document index `verify` asks — every awardee of a decision, and revocations
-- (the original rows stay; a revocation marks them).

-- +goose Up
CREATE TABLE documents (
    id              TEXT PRIMARY KEY,
    session_id      TEXT NOT NULL,
    kind            TEXT NOT NULL CHECK (kind IN ('decision', 'submission', 'minutes', 'council_submission')),
    award_type      TEXT NOT NULL DEFAULT '',
    register_series TEXT NOT NULL DEFAULT '', -- e.g. BTGTU/QĐ: the sổ đăng ký that numbered it
    register_period TEXT NOT NULL DEFAULT '', -- a year ("2026") or an HD36 term ("nk-2025-10-20")
    number          INTEGER NOT NULL DEFAULT 0 CHECK (number >= 0), -- 0: not numbered (minutes)
    number_text     TEXT NOT NULL DEFAULT '',
    issued_at       BIGINT NOT NULL,
    signer_id       TEXT NOT NULL DEFAULT '',
    signer_name     TEXT NOT NULL DEFAULT '',
    object_key      TEXT NOT NULL,
    sha256          TEXT NOT NULL CHECK (length(sha256) = 64),
    size            BIGINT NOT NULL CHECK (size >= 0)
);
CREATE UNIQUE INDEX documents_sha256 ON documents (sha256);
-- A register number is taken once per series and period.
CREATE UNIQUE INDEX documents_number ON documents (register_series, register_period, number) WHERE number > 0;
CREATE INDEX documents_session ON documents (session_id, id);
CREATE INDEX documents_issued ON documents (issued_at, id);

CREATE TABLE awardees (
    document_id  TEXT NOT NULL REFERENCES documents (id),
    proposal_id  TEXT NOT NULL,
    position     INTEGER NOT NULL, -- 1, 2, … in the document's (annex) order
    person_id    TEXT NOT NULL DEFAULT '', -- an individual's directory id
    unit_id      TEXT NOT NULL DEFAULT '', -- a collective's unit id (or the individual's unit)
    nominee_name TEXT NOT NULL,
    nominee_fold TEXT NOT NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('individual', 'collective')),
    award_type   TEXT NOT NULL,
    year         INTEGER NOT NULL,
    amount       BIGINT NOT NULL DEFAULT 0 CHECK (amount >= 0), -- đồng
    PRIMARY KEY (document_id, proposal_id)
);
CREATE INDEX awardees_year ON awardees (year, award_type);
CREATE INDEX awardees_person ON awardees (person_id, year);
CREATE INDEX awardees_unit ON awardees (unit_id, year);
CREATE INDEX awardees_proposal ON awardees (proposal_id);

CREATE TABLE revocations (
    document_id TEXT PRIMARY KEY REFERENCES documents (id),
    reason      TEXT NOT NULL,
    revoked_at  BIGINT NOT NULL,
    revoked_by  TEXT NOT NULL
);

-- +goose Down
DROP TABLE revocations;
DROP TABLE awardees;
DROP TABLE documents;
