-- The directory: units (departments) and people, their roles, and the history of every
-- change (seeded from the organisation YAML on first start, then edited by the admin).
-- Dialect-neutral SQL (SQLite and PostgreSQL). Times are BIGINT microseconds since the
-- Unix epoch, UTC.

-- +goose Up
CREATE TABLE store_meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE units (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    active     BOOLEAN NOT NULL DEFAULT TRUE,
    updated_at BIGINT NOT NULL
);

CREATE TABLE people (
    id            TEXT PRIMARY KEY,
    name          TEXT NOT NULL,
    name_fold     TEXT NOT NULL, -- lower case, no diacritics, đ as d: for search
    position      TEXT NOT NULL DEFAULT '',
    unit_id       TEXT NOT NULL REFERENCES units (id),
    active        BOOLEAN NOT NULL DEFAULT TRUE,
    password_hash TEXT NOT NULL DEFAULT '',
    version       BIGINT NOT NULL, -- seq of the latest person_history row
    updated_at    BIGINT NOT NULL
);
CREATE INDEX people_unit ON people (unit_id, id);
CREATE INDEX people_name ON people (name_fold, id);

CREATE TABLE person_roles (
    person_id TEXT NOT NULL REFERENCES people (id),
    role      TEXT NOT NULL,
    PRIMARY KEY (person_id, role)
);
CREATE INDEX person_roles_role ON person_roles (role, person_id);

-- One row per change, a snapshot of the person as of effective_at: what a person's
-- unit and position were on a given day is the latest row effective on or before it.
CREATE TABLE person_history (
    person_id    TEXT NOT NULL REFERENCES people (id),
    seq          BIGINT NOT NULL,
    action       TEXT NOT NULL CHECK (action IN ('seeded', 'created', 'updated', 'moved', 'deactivated', 'reactivated')),
    effective_at BIGINT NOT NULL,
    recorded_at  BIGINT NOT NULL,
    recorded_by  TEXT NOT NULL,
    name         TEXT NOT NULL,
    position     TEXT NOT NULL,
    unit_id      TEXT NOT NULL,
    roles        TEXT NOT NULL, -- comma-separated, sorted
    active       BOOLEAN NOT NULL,
    note         TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (person_id, seq)
);
CREATE INDEX person_history_effective ON person_history (person_id, effective_at, seq);

-- +goose Down
DROP TABLE person_history;
DROP TABLE person_roles;
DROP TABLE people;
DROP TABLE units;
DROP TABLE store_meta;
