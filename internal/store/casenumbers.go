package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Case numbers (số hồ sơ) are what people read, quote and search for in place of
// workflow ids: HS-2026-0042 for a proposal, PH-2026-03 for a council session. The store
// allocates one the first time the projection writes a workflow's row, in the same
// transaction: the next sequence number of its prefix and year (unique, stable, never
// reused; a number may be skipped but never given twice). The year is the one the
// workflow started in, in Vietnam time (a session's row already carries it).

// Case number prefixes.
const (
	CasePrefixProposal = "HS" // hồ sơ đề nghị
	CasePrefixSession  = "PH" // phiên họp
)

// vietnam is the agency's zone for a proposal's year (UTC+7, no daylight saving).
var vietnam = time.FixedZone("ICT", 7*60*60)

// casePrefix is the prefix of a kind of workflow.
func casePrefix(kind string) string {
	if kind == KindSession {
		return CasePrefixSession
	}
	return CasePrefixProposal
}

// FormatCaseNumber writes a case number: four digits of sequence for proposals, two for
// sessions (more when the year needs them).
func FormatCaseNumber(prefix string, year int, seq int64) string {
	width := 4
	if prefix == CasePrefixSession {
		width = 2
	}
	return fmt.Sprintf("%s-%04d-%0*d", prefix, year, width, seq)
}

var caseNumberRE = regexp.MustCompile(`^(HS|PH)[-\s./]?(\d{4})[-\s./]?(\d{1,9})$`)

// ParseCaseNumber reads a case number as people type it: any case, with or without
// leading zeros, "-", " ", "." or "/" between the parts ("hs-2026-42", "PH 2026 3").
func ParseCaseNumber(s string) (prefix string, year int, seq int64, ok bool) {
	m := caseNumberRE.FindStringSubmatch(strings.ToUpper(strings.TrimSpace(s)))
	if m == nil {
		return "", 0, 0, false
	}
	year, _ = strconv.Atoi(m[2])
	seq, err := strconv.ParseInt(m[3], 10, 64)
	if err != nil || seq < 1 {
		return "", 0, 0, false
	}
	return m[1], year, seq, true
}

// caseYear is the year a projected workflow's number is counted in.
func caseYear(p Projection) int {
	if p.Kind == KindSession && p.Year != 0 {
		return p.Year
	}
	return p.CreatedAt.In(vietnam).Year()
}

// maxCaseTries bounds the allocation loop: each lost race means another writer took a
// number, so it ends quickly.
const maxCaseTries = 100

// ensureCaseNumber gives the workflow a case number if it has none, in tx.
func (s *Store) ensureCaseNumber(ctx context.Context, tx *sql.Tx, p Projection) error {
	var have string
	err := s.queryRow(ctx, tx, `SELECT number FROM case_numbers WHERE workflow_id = ?`, p.WorkflowID).Scan(&have)
	if err == nil {
		return nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("read the case number: %w", err)
	}
	prefix, year := casePrefix(p.Kind), caseYear(p)
	for range maxCaseTries {
		var last int64
		if err := s.queryRow(ctx, tx, `SELECT COALESCE(MAX(seq), 0) FROM case_numbers WHERE prefix = ? AND year = ?`,
			prefix, year).Scan(&last); err != nil {
			return fmt.Errorf("next case number: %w", err)
		}
		seq := last + 1
		// DO NOTHING without a target: a number another writer took meanwhile (PostgreSQL
		// waits for its commit) or this workflow numbered by a concurrent write.
		res, err := s.exec(ctx, tx, `INSERT INTO case_numbers (workflow_id, prefix, year, seq, number) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT DO NOTHING`, p.WorkflowID, prefix, year, seq, FormatCaseNumber(prefix, year, seq))
		if err != nil {
			return fmt.Errorf("allocate a case number: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return fmt.Errorf("allocate a case number: %w", err)
		} else if n == 1 {
			return nil
		}
		err = s.queryRow(ctx, tx, `SELECT number FROM case_numbers WHERE workflow_id = ?`, p.WorkflowID).Scan(&have)
		if err == nil {
			return nil
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("read the case number: %w", err)
		}
	}
	return fmt.Errorf("no case number for %s after %d tries: %w", p.WorkflowID, maxCaseTries, ErrConflict)
}

// CaseNumbers returns the case numbers of the given workflows (those without one are
// left out of the map).
func (s *Store) CaseNumbers(ctx context.Context, workflowIDs []string) (map[string]string, error) {
	out := make(map[string]string, len(workflowIDs))
	for start := 0; start < len(workflowIDs); start += caseBatch {
		batch := workflowIDs[start:min(start+caseBatch, len(workflowIDs))]
		args := make([]any, len(batch))
		for i, id := range batch {
			args[i] = id
		}
		rows, err := s.query(ctx, s.db, caseNumbersQuery(len(batch)), args...)
		if err != nil {
			return nil, fmt.Errorf("read case numbers: %w", err)
		}
		for rows.Next() {
			var id, n string
			if err := rows.Scan(&id, &n); err != nil {
				rows.Close()
				return nil, fmt.Errorf("read case numbers: %w", err)
			}
			out[id] = n
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return nil, fmt.Errorf("read case numbers: %w", err)
		}
	}
	return out, nil
}

// caseBatch bounds the placeholders of one query.
const caseBatch = 500

func caseNumbersQuery(n int) string {
	return `SELECT workflow_id, number FROM case_numbers WHERE workflow_id IN (` + placeholders(n) + `)`
}

// CaseNumber returns the case number of one workflow; ErrNotFound when it has none yet.
func (s *Store) CaseNumber(ctx context.Context, workflowID string) (string, error) {
	var n string
	err := s.queryRow(ctx, s.db, `SELECT number FROM case_numbers WHERE workflow_id = ?`, workflowID).Scan(&n)
	if errors.Is(err, sql.ErrNoRows) {
		return "", fmt.Errorf("case number of %s: %w", workflowID, ErrNotFound)
	}
	if err != nil {
		return "", fmt.Errorf("case number of %s: %w", workflowID, err)
	}
	return n, nil
}

// WorkflowByCaseNumber finds the workflow of a case number as people type it
// (ParseCaseNumber); ErrNotFound when no workflow has it.
func (s *Store) WorkflowByCaseNumber(ctx context.Context, number string) (string, error) {
	prefix, year, seq, ok := ParseCaseNumber(number)
	if !ok {
		return "", fmt.Errorf("case number %q: %w", number, ErrNotFound)
	}
	var id string
	err := s.queryRow(ctx, s.db, `SELECT workflow_id FROM case_numbers WHERE prefix = ? AND year = ? AND seq = ?`, prefix, year, seq).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return "", fmt.Errorf("case number %q: %w", number, ErrNotFound)
	}
	if err != nil {
		return "", fmt.Errorf("case number %q: %w", number, err)
	}
	return id, nil
}

// BackfillCaseNumbers numbers the projected workflows that have no case number yet (rows
// written before the case numbers existed), oldest first; Open runs it. Safe to run from
// several processes at once. It returns how many it numbered.
func (s *Store) BackfillCaseNumbers(ctx context.Context) (int, error) {
	rows, err := s.query(ctx, s.db, `SELECT p.workflow_id, p.kind, p.year, p.created_at FROM projection p
		WHERE NOT EXISTS (SELECT 1 FROM case_numbers c WHERE c.workflow_id = p.workflow_id)
		ORDER BY p.created_at, p.workflow_id`)
	if err != nil {
		return 0, fmt.Errorf("find workflows without a case number: %w", err)
	}
	var todo []Projection
	for rows.Next() {
		var p Projection
		var created int64
		if err := rows.Scan(&p.WorkflowID, &p.Kind, &p.Year, &created); err != nil {
			rows.Close()
			return 0, fmt.Errorf("find workflows without a case number: %w", err)
		}
		p.CreatedAt = fromMicros(created)
		todo = append(todo, p)
	}
	err = rows.Err()
	rows.Close()
	if err != nil {
		return 0, fmt.Errorf("find workflows without a case number: %w", err)
	}
	for _, p := range todo {
		if err := s.inTx(ctx, func(tx *sql.Tx) error { return s.ensureCaseNumber(ctx, tx, p) }); err != nil {
			return 0, fmt.Errorf("number %s: %w", p.WorkflowID, err)
		}
	}
	return len(todo), nil
}
