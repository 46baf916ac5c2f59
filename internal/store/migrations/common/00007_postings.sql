-- Public posting (công khai) of a council's list before the head decides, and the
-- objections (phản ánh) filed against its nominees while it is posted.

-- +goose Up
CREATE TABLE postings (
    session_id TEXT PRIMARY KEY,
    starts_at  BIGINT NOT NULL,
    ends_at    BIGINT NOT NULL,
    posted_by  TEXT NOT NULL,
    CHECK (ends_at > starts_at)
);

CREATE TABLE objections (
    id          TEXT PRIMARY KEY, -- derived from the session, proposal, author and text: a repeat is the same row
    session_id  TEXT NOT NULL REFERENCES postings (session_id),
    proposal_id TEXT NOT NULL,
    author_id   TEXT NOT NULL,
    text        TEXT NOT NULL,
    filed_at    BIGINT NOT NULL
);
CREATE INDEX objections_session ON objections (session_id, proposal_id, filed_at);

-- +goose Down
DROP TABLE objections;
DROP TABLE postings;
