package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// UpwardResult is the higher body's answer for one proposal of a submission.
type UpwardResult struct {
	DocumentID string // the submission
	ProposalID string
	Awarded    bool
	Body       string
	NumberText string
	DecidedOn  time.Time
	Note       string
	RecordedAt time.Time
	RecordedBy string
}

// RecordUpwardResults records the higher body's answers to one submission, all of them
// or none: every proposal must be one the submission named. Recording the same answer
// again is a no-op; a different answer for a proposal already answered is refused with
// ErrConflict (the register keeps what was recorded).
func (s *Store) RecordUpwardResults(ctx context.Context, rs []UpwardResult) error {
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		for _, r := range rs {
			var kind string
			err := s.queryRow(ctx, tx, `SELECT d.kind FROM awardees a JOIN documents d ON d.id = a.document_id
				WHERE a.document_id = ? AND a.proposal_id = ?`, r.DocumentID, r.ProposalID).Scan(&kind)
			switch {
			case errors.Is(err, sql.ErrNoRows):
				return fmt.Errorf("proposal %s is not in document %s: %w", r.ProposalID, r.DocumentID, ErrNotFound)
			case err != nil:
				return fmt.Errorf("read submission %s: %w", r.DocumentID, err)
			case kind != KindSubmission:
				return fmt.Errorf("document %s is a %s, not a submission: %w", r.DocumentID, kind, ErrConflict)
			}
			var cur UpwardResult
			var decided int64
			err = s.queryRow(ctx, tx, `SELECT awarded, body, number_text, decided_on, note FROM upward_results
				WHERE document_id = ? AND proposal_id = ?`, r.DocumentID, r.ProposalID).Scan(&cur.Awarded, &cur.Body, &cur.NumberText, &decided, &cur.Note)
			switch {
			case errors.Is(err, sql.ErrNoRows):
				if _, err := s.exec(ctx, tx, `INSERT INTO upward_results (document_id, proposal_id, awarded, body, number_text, decided_on, note, recorded_at, recorded_by)
					VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, r.DocumentID, r.ProposalID, r.Awarded, r.Body, r.NumberText, micros(r.DecidedOn), r.Note,
					micros(s.now()), r.RecordedBy); err != nil {
					return fmt.Errorf("record the result of %s: %w", r.ProposalID, err)
				}
			case err != nil:
				return fmt.Errorf("read the result of %s: %w", r.ProposalID, err)
			case cur.Awarded != r.Awarded || cur.Body != r.Body || cur.NumberText != r.NumberText || decided != micros(r.DecidedOn) || cur.Note != r.Note:
				return fmt.Errorf("the result of %s was already recorded otherwise: %w", r.ProposalID, ErrConflict)
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("record upward results: %w", err)
	}
	return nil
}

// UpwardResults lists the answers recorded for a proposal (one per submission that
// named it; usually one).
func (s *Store) UpwardResults(ctx context.Context, proposalID string) ([]UpwardResult, error) {
	rows, err := s.query(ctx, s.db, `SELECT document_id, proposal_id, awarded, body, number_text, decided_on, note, recorded_at, recorded_by
		FROM upward_results WHERE proposal_id = ? ORDER BY decided_on, document_id`, proposalID)
	if err != nil {
		return nil, fmt.Errorf("upward results of %s: %w", proposalID, err)
	}
	defer rows.Close()
	var out []UpwardResult
	for rows.Next() {
		var r UpwardResult
		var decided, recorded int64
		if err := rows.Scan(&r.DocumentID, &r.ProposalID, &r.Awarded, &r.Body, &r.NumberText, &decided, &r.Note, &recorded, &r.RecordedBy); err != nil {
			return nil, fmt.Errorf("upward results of %s: %w", proposalID, err)
		}
		r.DecidedOn, r.RecordedAt = fromMicros(decided), fromMicros(recorded)
		out = append(out, r)
	}
	return out, rows.Err()
}
