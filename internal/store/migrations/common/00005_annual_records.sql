-- Annual data (dữ liệu bình xét hằng năm): per year, each person's and unit's task
-- rating, months of service, days absent, discipline, recognised initiatives and
-- research — what the eligibility rules read (award.AnnualRecord, kept as JSON: the
-- rules read it whole). Imported from the XLSX/CSV template or entered by the admin.

-- +goose Up
CREATE TABLE annual_records (
    year       INTEGER NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('individual', 'collective')),
    nominee_id TEXT NOT NULL, -- a person id, or a unit id for a collective
    unit_id    TEXT NOT NULL DEFAULT '', -- an individual's unit in that year (a unit's members)
    data       TEXT NOT NULL, -- JSON of award.AnnualRecord
    digest     TEXT NOT NULL, -- SHA-256 of data: an unchanged row is not rewritten
    source     TEXT NOT NULL DEFAULT '', -- "import <file SHA-256>" or "admin"
    updated_at BIGINT NOT NULL,
    updated_by TEXT NOT NULL,
    PRIMARY KEY (year, kind, nominee_id)
);
CREATE INDEX annual_records_unit ON annual_records (year, unit_id, kind, nominee_id);

-- +goose Down
DROP TABLE annual_records;
