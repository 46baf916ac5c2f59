-- Registrations for movements (đăng ký thi đua): at a movement's start a person or a unit
-- registers with the commitments of the movement's form. One row per movement, kind and
-- subject; a withdrawal keeps the row, marked (a campaign award may need a registration
-- in force: award.RegistrationNeeded). Written by PutRegistration and
-- WithdrawRegistration.

-- +goose Up
CREATE TABLE movement_registrations (
    movement_id   TEXT NOT NULL,
    kind          TEXT NOT NULL CHECK (kind IN ('individual', 'collective')),
    subject_id    TEXT NOT NULL, -- a person id, or a unit id for a collective
    unit_id       TEXT NOT NULL, -- the person's unit at registration, or the unit itself
    commitments   TEXT NOT NULL, -- JSON of award.Commitments
    digest        TEXT NOT NULL, -- SHA-256 of commitments: an unchanged registration is not rewritten
    registered_by TEXT NOT NULL,
    registered_at BIGINT NOT NULL,
    updated_by    TEXT NOT NULL,
    updated_at    BIGINT NOT NULL,
    withdrawn     BOOLEAN NOT NULL DEFAULT FALSE,
    withdrawn_by  TEXT NOT NULL DEFAULT '',
    withdrawn_at  BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (movement_id, kind, subject_id)
);
CREATE INDEX movement_registrations_unit ON movement_registrations (movement_id, unit_id, kind, subject_id);

-- +goose Down
DROP TABLE movement_registrations;
