package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/awardflow/awardflow/internal/award"
)

// RevocationCase is a revocation from the request to its issued decision (the revocation
// workflow keeps it here for lists; the workflow's state is the truth while it runs).
type RevocationCase struct {
	ID          string
	DocumentID  string // the original decision
	Status      string // award.DocStatus
	Ground      string
	Reason      string
	RequestedBy string
	RequestedAt time.Time
	Proposals   []string // the awardees revoked
	IssuedID    string   // the revocation decision, once issued
	UpdatedAt   time.Time
}

// AwardeeRevocation is one awardee's revoked award, with the bonus to recover.
type AwardeeRevocation struct {
	DocumentID   string // the original decision
	ProposalID   string
	RevocationID string // the revocation decision (documents.id)
	Ground       string
	Reason       string
	RevokedAt    time.Time
	Recover      int64     // đồng
	RecoveredAt  time.Time // zero while not recovered
}

func finalStatus(s string) bool {
	return s == string(award.DocIssued) || s == string(award.DocAbandoned)
}

// OpenRevocationCase enters a new case. Entering the same case again (a retried
// activity) is a no-op. ErrConflict: another revocation of the same decision is on its
// way, or one of the awardees is revoked already.
func (s *Store) OpenRevocationCase(ctx context.Context, c RevocationCase) error {
	if c.ID == "" || c.DocumentID == "" || len(c.Proposals) == 0 || c.RequestedAt.IsZero() || finalStatus(c.Status) {
		return award.Invalid("Đề nghị huỷ bỏ thiếu thông tin", "a revocation case needs an id, a decision, awardees, a time and a live status")
	}
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		revoked := 0
		for _, p := range c.Proposals {
			var n int
			if err := s.queryRow(ctx, tx, `SELECT COUNT(*) FROM awardee_revocations WHERE document_id = ? AND proposal_id = ?`,
				c.DocumentID, p).Scan(&n); err != nil {
				return fmt.Errorf("check revoked awardees: %w", err)
			}
			revoked += n
		}
		var mine int
		if err := s.queryRow(ctx, tx, `SELECT COUNT(*) FROM revocation_cases WHERE id = ?`, c.ID).Scan(&mine); err != nil {
			return fmt.Errorf("check case: %w", err)
		}
		if mine > 0 {
			return nil
		}
		if revoked > 0 {
			return fmt.Errorf("%d of the awardees are revoked already: %w", revoked, ErrConflict)
		}
		// The partial unique index keeps one live case per decision: a second one is
		// not inserted (ON CONFLICT DO NOTHING covers it on both databases).
		res, err := s.exec(ctx, tx, `INSERT INTO revocation_cases (id, document_id, status, ground, reason, requested_by, requested_at,
			proposals, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
			c.ID, c.DocumentID, c.Status, c.Ground, c.Reason, c.RequestedBy, micros(c.RequestedAt), strings.Join(c.Proposals, " "), micros(c.RequestedAt))
		if err != nil {
			return fmt.Errorf("insert case: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return fmt.Errorf("insert case: %w", err)
		} else if n == 0 {
			return fmt.Errorf("another revocation of %s is on its way: %w", c.DocumentID, ErrConflict)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("open revocation %s: %w", c.ID, err)
	}
	return nil
}

// SetRevocationStatus records where a case stands (not its issue: see IssueRevocation).
// Setting a status a case already has is a no-op; an issued case does not move.
func (s *Store) SetRevocationStatus(ctx context.Context, id string, status award.DocStatus, ground, reason string, at time.Time) error {
	if status == award.DocIssued {
		return award.Invalid("Dùng IssueRevocation để ghi quyết định huỷ bỏ đã phát hành", "use IssueRevocation to record an issued revocation")
	}
	res, err := s.exec(ctx, s.db, `UPDATE revocation_cases SET status = ?, ground = ?, reason = ?, updated_at = ? WHERE id = ? AND status <> 'issued'`,
		string(status), ground, reason, micros(at), id)
	if err != nil {
		return fmt.Errorf("revocation %s status: %w", id, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("revocation %s status: %w", id, err)
	} else if n == 0 {
		return fmt.Errorf("revocation %s status: %w", id, ErrNotFound)
	}
	return nil
}

// IssueRevocation records the issued revocation decision in one transaction: the
// decision (its Revokes names the original), one awardee_revocations row per revoked
// award with the bonus to recover (as the original awarded it), and the case as issued.
// Recording it again (a retried activity) is a no-op; anything conflicting (an award
// revoked by another decision, a proposal the original does not name) is ErrConflict
// and changes nothing.
func (s *Store) IssueRevocation(ctx context.Context, caseID, ground, reason string, doc Document, proposals []string) error {
	if doc.Revokes == "" || len(proposals) == 0 {
		return award.Invalid("Quyết định huỷ bỏ cần quyết định gốc và danh sách trường hợp bị huỷ bỏ", "a revocation decision must name the decision and the awards it revokes")
	}
	if err := checkDocument(doc); err != nil {
		return err
	}
	original := doc.Revokes
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if err := s.recordDocument(ctx, tx, doc); err != nil {
			return err
		}
		orig, err := s.document(ctx, tx, false, original, true)
		if err != nil {
			return fmt.Errorf("original %s: %w", original, err)
		}
		for _, p := range proposals {
			i := slices.IndexFunc(orig.Awardees, func(o Awardee) bool { return o.ProposalID == p })
			if i < 0 {
				return fmt.Errorf("%s is not an awardee of %s: %w", p, original, ErrConflict)
			}
			res, err := s.exec(ctx, tx, `INSERT INTO awardee_revocations (document_id, proposal_id, revocation_id, ground, reason, revoked_at, recover)
				VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`, original, p, doc.ID, ground, reason, micros(doc.IssuedAt), orig.Awardees[i].Amount)
			if err != nil {
				return fmt.Errorf("revoke %s: %w", p, err)
			}
			if n, err := res.RowsAffected(); err != nil {
				return fmt.Errorf("revoke %s: %w", p, err)
			} else if n == 0 {
				var by string
				if err := s.queryRow(ctx, tx, `SELECT revocation_id FROM awardee_revocations WHERE document_id = ? AND proposal_id = ?`,
					original, p).Scan(&by); err != nil {
					return fmt.Errorf("revoke %s: %w", p, err)
				}
				if by != doc.ID {
					return fmt.Errorf("%s was revoked by %s already: %w", p, by, ErrConflict)
				}
			}
		}
		res, err := s.exec(ctx, tx, `UPDATE revocation_cases SET status = 'issued', issued_id = ?, updated_at = ? WHERE id = ? AND document_id = ?`,
			doc.ID, micros(doc.IssuedAt), caseID, original)
		if err != nil {
			return fmt.Errorf("case %s: %w", caseID, err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return fmt.Errorf("case %s: %w", caseID, err)
		} else if n == 0 {
			return fmt.Errorf("case %s of %s: %w", caseID, original, ErrNotFound)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("issue revocation %s: %w", caseID, err)
	}
	return nil
}

// MarkRecovered records that a revoked award's bonus was paid back. Marking it again
// is a no-op.
func (s *Store) MarkRecovered(ctx context.Context, documentID, proposalID string, at time.Time) error {
	res, err := s.exec(ctx, s.db, `UPDATE awardee_revocations SET recovered_at = ? WHERE document_id = ? AND proposal_id = ? AND recovered_at = 0`,
		micros(at), documentID, proposalID)
	if err != nil {
		return fmt.Errorf("mark recovered %s/%s: %w", documentID, proposalID, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("mark recovered %s/%s: %w", documentID, proposalID, err)
	} else if n == 0 {
		var c int
		if err := s.queryRow(ctx, s.db, `SELECT COUNT(*) FROM awardee_revocations WHERE document_id = ? AND proposal_id = ?`, documentID, proposalID).Scan(&c); err != nil {
			return fmt.Errorf("mark recovered %s/%s: %w", documentID, proposalID, err)
		}
		if c == 0 {
			return fmt.Errorf("mark recovered %s/%s: %w", documentID, proposalID, ErrNotFound)
		}
	}
	return nil
}

// AwardeeRevocations lists the revoked awards of a decision ("" for every decision), in
// the order they were revoked.
func (s *Store) AwardeeRevocations(ctx context.Context, documentID string) ([]AwardeeRevocation, error) {
	rows, err := s.query(ctx, s.db, `SELECT document_id, proposal_id, revocation_id, ground, reason, revoked_at, recover, recovered_at
		FROM awardee_revocations WHERE (? = '' OR document_id = ?) ORDER BY revoked_at, document_id, proposal_id`, documentID, documentID)
	if err != nil {
		return nil, fmt.Errorf("revoked awards: %w", err)
	}
	defer rows.Close()
	var out []AwardeeRevocation
	for rows.Next() {
		var r AwardeeRevocation
		var at, rec int64
		if err := rows.Scan(&r.DocumentID, &r.ProposalID, &r.RevocationID, &r.Ground, &r.Reason, &at, &r.Recover, &rec); err != nil {
			return nil, fmt.Errorf("revoked awards: %w", err)
		}
		r.RevokedAt = fromMicros(at)
		if rec != 0 {
			r.RecoveredAt = fromMicros(rec)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

const caseColumns = `id, document_id, status, ground, reason, requested_by, requested_at, proposals, issued_id, updated_at`

func scanCase(r scanner) (RevocationCase, error) {
	var c RevocationCase
	var req, upd int64
	var props string
	if err := r.Scan(&c.ID, &c.DocumentID, &c.Status, &c.Ground, &c.Reason, &c.RequestedBy, &req, &props, &c.IssuedID, &upd); err != nil {
		return RevocationCase{}, err
	}
	c.RequestedAt, c.UpdatedAt, c.Proposals = fromMicros(req), fromMicros(upd), strings.Fields(props)
	return c, nil
}

// RevocationCaseByID reads one case.
func (s *Store) RevocationCaseByID(ctx context.Context, id string) (RevocationCase, error) {
	c, err := scanCase(s.queryRow(ctx, s.db, `SELECT `+caseColumns+` FROM revocation_cases WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return RevocationCase{}, fmt.Errorf("revocation %s: %w", id, ErrNotFound)
	}
	if err != nil {
		return RevocationCase{}, fmt.Errorf("revocation %s: %w", id, err)
	}
	return c, nil
}

// RevocationCases lists the cases, the latest change first (at most limit; 0: 200).
func (s *Store) RevocationCases(ctx context.Context, documentID string, limit int) ([]RevocationCase, error) {
	if limit <= 0 || limit > 1000 {
		limit = 200
	}
	rows, err := s.query(ctx, s.db, `SELECT `+caseColumns+` FROM revocation_cases WHERE (? = '' OR document_id = ?)
		ORDER BY updated_at DESC, id LIMIT ?`, documentID, documentID, limit)
	if err != nil {
		return nil, fmt.Errorf("revocations: %w", err)
	}
	defer rows.Close()
	var out []RevocationCase
	for rows.Next() {
		c, err := scanCase(rows)
		if err != nil {
			return nil, fmt.Errorf("revocations: %w", err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}
