package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/awardflow/awardflow/internal/award"
)

// AnnualWrite says what PutAnnualRecords did.
type AnnualWrite struct {
	Inserted  int `json:"inserted"`
	Updated   int `json:"updated"`
	Unchanged int `json:"unchanged"`
}

// PutAnnualRecords writes annual records — an import, or one the admin entered — in one
// transaction: all of them or none. A record replaces the one of the same year, kind and
// id; an identical one is left as it is (a re-imported file changes nothing). Records
// are validated first (award.AnnualRecord.Clean).
func (s *Store) PutAnnualRecords(ctx context.Context, recs []award.AnnualRecord, by, source string) (AnnualWrite, error) {
	type row struct {
		rec          award.AnnualRecord
		data, digest string
	}
	rows := make([]row, 0, len(recs))
	seen := map[string]bool{}
	for i, r := range recs {
		c, err := r.Clean()
		if err != nil {
			return AnnualWrite{}, fmt.Errorf("annual record %d (%s %s %d): %w", i+1, r.Kind, r.ID, r.Year, err)
		}
		key := fmt.Sprintf("%d\x00%s\x00%s", c.Year, c.Kind, c.ID)
		if seen[key] {
			return AnnualWrite{}, award.Invalid("Dữ liệu năm %[1]d của “%[2]s” bị lặp", "the %[1]d data of %[2]q is given twice", c.Year, c.ID)
		}
		seen[key] = true
		b, err := json.Marshal(c)
		if err != nil {
			return AnnualWrite{}, fmt.Errorf("annual record %s: %w", c.ID, err)
		}
		sum := sha256.Sum256(b)
		rows = append(rows, row{c, string(b), hex.EncodeToString(sum[:])})
	}
	var w AnnualWrite
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		now := micros(s.now())
		for _, r := range rows {
			var digest string
			err := s.queryRow(ctx, tx, `SELECT digest FROM annual_records WHERE year = ? AND kind = ? AND nominee_id = ?`,
				r.rec.Year, string(r.rec.Kind), r.rec.ID).Scan(&digest)
			switch {
			case errors.Is(err, sql.ErrNoRows):
				if _, err := s.exec(ctx, tx, `INSERT INTO annual_records (year, kind, nominee_id, unit_id, data, digest, source, updated_at, updated_by)
					VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, r.rec.Year, string(r.rec.Kind), r.rec.ID, r.rec.Unit, r.data, r.digest, source, now, by); err != nil {
					return fmt.Errorf("insert annual record %s %d: %w", r.rec.ID, r.rec.Year, err)
				}
				w.Inserted++
			case err != nil:
				return fmt.Errorf("read annual record %s %d: %w", r.rec.ID, r.rec.Year, err)
			case digest == r.digest:
				w.Unchanged++
			default:
				if _, err := s.exec(ctx, tx, `UPDATE annual_records SET unit_id = ?, data = ?, digest = ?, source = ?, updated_at = ?, updated_by = ?
					WHERE year = ? AND kind = ? AND nominee_id = ?`, r.rec.Unit, r.data, r.digest, source, now, by,
					r.rec.Year, string(r.rec.Kind), r.rec.ID); err != nil {
					return fmt.Errorf("update annual record %s %d: %w", r.rec.ID, r.rec.Year, err)
				}
				w.Updated++
			}
		}
		return nil
	})
	if err != nil {
		return AnnualWrite{}, fmt.Errorf("put annual records: %w", err)
	}
	return w, nil
}

// AnnualFilter narrows AnnualRecords; zero fields match everything but Year, which is
// required.
type AnnualFilter struct {
	Year   int
	Kind   award.NomineeKind
	ID     string
	UnitID string // individuals of this unit (and the unit's own record)
}

// AnnualRecordRow is an annual record with who wrote it last.
type AnnualRecordRow struct {
	award.AnnualRecord
	Source    string `json:"source"`
	UpdatedBy string `json:"updated_by"`
	UpdatedAt int64  `json:"-"`
}

// AnnualRecords lists a year's records that match f, by kind and id.
func (s *Store) AnnualRecords(ctx context.Context, f AnnualFilter) ([]AnnualRecordRow, error) {
	q, args := annualQuery(f)
	rows, err := s.query(ctx, s.db, q, args...)
	if err != nil {
		return nil, fmt.Errorf("annual records %d: %w", f.Year, err)
	}
	defer rows.Close()
	var out []AnnualRecordRow
	for rows.Next() {
		var data string
		var r AnnualRecordRow
		if err := rows.Scan(&data, &r.Source, &r.UpdatedBy, &r.UpdatedAt); err != nil {
			return nil, fmt.Errorf("annual records %d: %w", f.Year, err)
		}
		if err := json.Unmarshal([]byte(data), &r.AnnualRecord); err != nil {
			return nil, fmt.Errorf("annual records %d: a stored record does not decode: %w", f.Year, err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

func annualQuery(f AnnualFilter) (string, []any) {
	where, args := []string{"year = ?"}, []any{f.Year}
	if f.Kind != "" {
		where, args = append(where, "kind = ?"), append(args, string(f.Kind))
	}
	if f.ID != "" {
		where, args = append(where, "nominee_id = ?"), append(args, f.ID)
	}
	if f.UnitID != "" {
		where, args = append(where, "(unit_id = ? OR (kind = 'collective' AND nominee_id = ?))"), append(args, f.UnitID, f.UnitID)
	}
	return `SELECT data, source, updated_by, updated_at FROM annual_records WHERE ` +
		strings.Join(where, " AND ") + ` ORDER BY kind DESC, nominee_id`, args
}

// AwardHistory is what the register says a person (individual) or unit (collective)
// held, year by year: the agency's decisions in force and the awards a higher body gave
// on its submissions — the titles eligibility looks back on.
func (s *Store) AwardHistory(ctx context.Context, kind award.NomineeKind, id string) ([]award.AwardRecord, error) {
	rows, err := s.query(ctx, s.db, historyQuery(kind), id, string(kind))
	if err != nil {
		return nil, fmt.Errorf("award history of %s: %w", id, err)
	}
	defer rows.Close()
	var out []award.AwardRecord
	for rows.Next() {
		r := award.AwardRecord{Kind: kind, NomineeID: id}
		if err := rows.Scan(&r.Year, &r.AwardType); err != nil {
			return nil, fmt.Errorf("award history of %s: %w", id, err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

func historyQuery(kind award.NomineeKind) string {
	col := "person_id"
	if kind == award.KindCollective {
		col = "unit_id" // a collective's own unit
	}
	// The agency's own decisions in force, and the awards a higher body gave on a
	// submission (upward_results).
	return `SELECT DISTINCT a.year, a.award_type
		FROM awardees a JOIN documents d ON d.id = a.document_id` + revokedJoin + `
		LEFT JOIN upward_results u ON u.document_id = a.document_id AND u.proposal_id = a.proposal_id
		WHERE a.` + col + ` = ? AND a.kind = ? AND ` + inForce + `
			AND (d.kind = 'decision' OR (d.kind = 'submission' AND u.awarded = TRUE))
		ORDER BY a.year, a.award_type`
}
