-- Notifications: what the bell shows and what is mailed (internal/notify). One row per
-- event, keyed by the event's id (derived from the workflow, its change and the person),
-- written in the transaction that writes the projection row causing it, or by the
-- deadline check: a retried or repeated write adds nothing.

-- +goose Up
CREATE TABLE notifications (
    id          TEXT PRIMARY KEY,          -- the event id
    person_id   TEXT NOT NULL,
    kind        TEXT NOT NULL,             -- notify.Kinds
    workflow_id TEXT NOT NULL,
    subject     TEXT NOT NULL,             -- proposal | session
    title       TEXT NOT NULL,             -- the nominee's name or the session's title
    text_vi     TEXT NOT NULL,
    text_en     TEXT NOT NULL,
    due_at      BIGINT NOT NULL DEFAULT 0,
    created_at  BIGINT NOT NULL,
    read_at     BIGINT NOT NULL DEFAULT 0, -- 0 while unread
    mail        TEXT NOT NULL,             -- immediate | digest: the person's choice when it was written
    digest_id   TEXT NOT NULL DEFAULT ''   -- the digest mail that carried it ('' until then)
);
CREATE INDEX notifications_person ON notifications (person_id, created_at);
CREATE INDEX notifications_digest ON notifications (mail, digest_id, person_id);

-- The mail outbox: one row per mail (an immediate notification's id, or
-- digest:<person>:<date>). state: pending -> sending (claimed; claimed_at is the fencing
-- token) -> committing (the whole message is written, the final dot is next) -> sent.
-- A sending row whose claim expired is claimed again (the server never got the dot, so
-- it kept nothing); a committing row whose claim expired turns uncertain and is never
-- sent again (at most once across that one round trip). failed: refused for good, or
-- no address.
CREATE TABLE mail_outbox (
    id         TEXT PRIMARY KEY,
    person_id  TEXT NOT NULL,
    subject    TEXT NOT NULL,
    body       TEXT NOT NULL,
    link       TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    state      TEXT NOT NULL DEFAULT 'pending',
    attempts   INTEGER NOT NULL DEFAULT 0,
    claimed_at BIGINT NOT NULL DEFAULT 0,
    sent_at    BIGINT NOT NULL DEFAULT 0,
    error      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX mail_outbox_state ON mail_outbox (state, created_at);

CREATE TABLE notification_prefs (
    person_id  TEXT PRIMARY KEY,
    email      TEXT NOT NULL DEFAULT '',   -- '' : <id>@the configured default domain, if any
    digest     BOOLEAN NOT NULL DEFAULT FALSE,
    updated_at BIGINT NOT NULL
);

-- +goose Down
DROP TABLE notification_prefs;
DROP TABLE mail_outbox;
DROP TABLE notifications;
