package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/awardflow/awardflow/internal/award"
)

// Post records a session's posting. A session is posted once: posting it again returns
// the first posting unchanged (a repeated request, or two secretaries at once).
func (s *Store) Post(ctx context.Context, p award.Posting) (award.Posting, error) {
	_, err := s.exec(ctx, s.db, `INSERT INTO postings (session_id, starts_at, ends_at, posted_by) VALUES (?, ?, ?, ?)
		ON CONFLICT (session_id) DO NOTHING`, p.SessionID, micros(p.StartsAt), micros(p.EndsAt), p.PostedBy)
	if err != nil {
		return award.Posting{}, fmt.Errorf("post %s: %w", p.SessionID, err)
	}
	got, err := s.PostingOf(ctx, p.SessionID)
	if err != nil {
		return award.Posting{}, err
	}
	return *got, nil
}

// PostingOf is a session's posting, nil when it was not posted.
func (s *Store) PostingOf(ctx context.Context, sessionID string) (*award.Posting, error) {
	var p award.Posting
	var starts, ends int64
	err := s.queryRow(ctx, s.db, `SELECT session_id, starts_at, ends_at, posted_by FROM postings WHERE session_id = ?`, sessionID).
		Scan(&p.SessionID, &starts, &ends, &p.PostedBy)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("posting of %s: %w", sessionID, err)
	}
	p.StartsAt, p.EndsAt = fromMicros(starts), fromMicros(ends)
	return &p, nil
}

// OpenPostings lists the postings open at now, soonest ending first.
func (s *Store) OpenPostings(ctx context.Context, now time.Time) ([]award.Posting, error) {
	rows, err := s.query(ctx, s.db, `SELECT session_id, starts_at, ends_at, posted_by FROM postings
		WHERE starts_at <= ? AND ends_at > ? ORDER BY ends_at, session_id`, micros(now), micros(now))
	if err != nil {
		return nil, fmt.Errorf("open postings: %w", err)
	}
	defer rows.Close()
	var out []award.Posting
	for rows.Next() {
		var p award.Posting
		var starts, ends int64
		if err := rows.Scan(&p.SessionID, &starts, &ends, &p.PostedBy); err != nil {
			return nil, fmt.Errorf("open postings: %w", err)
		}
		p.StartsAt, p.EndsAt = fromMicros(starts), fromMicros(ends)
		out = append(out, p)
	}
	return out, rows.Err()
}

// Objection is a comment against a nominee of a posted list.
type Objection struct {
	ID         string    `json:"id"`
	SessionID  string    `json:"session_id"`
	ProposalID string    `json:"proposal_id"`
	AuthorID   string    `json:"author_id"`
	Text       string    `json:"text"`
	FiledAt    time.Time `json:"filed_at"`
}

// AddObjection records an objection; the same author filing the same text about the same
// proposal again is the same objection (no duplicate row).
func (s *Store) AddObjection(ctx context.Context, o Objection) (Objection, error) {
	sum := sha256.Sum256([]byte(o.SessionID + "\x00" + o.ProposalID + "\x00" + o.AuthorID + "\x00" + o.Text))
	o.ID = "objection-" + hex.EncodeToString(sum[:12])
	_, err := s.exec(ctx, s.db, `INSERT INTO objections (id, session_id, proposal_id, author_id, text, filed_at) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO NOTHING`, o.ID, o.SessionID, o.ProposalID, o.AuthorID, o.Text, micros(o.FiledAt))
	if err != nil {
		return Objection{}, fmt.Errorf("add objection: %w", err)
	}
	var at int64
	if err := s.queryRow(ctx, s.db, `SELECT filed_at FROM objections WHERE id = ?`, o.ID).Scan(&at); err != nil {
		return Objection{}, fmt.Errorf("add objection: %w", err)
	}
	o.FiledAt = fromMicros(at)
	return o, nil
}

// Objections lists a session's objections, by proposal and time.
func (s *Store) Objections(ctx context.Context, sessionID string) ([]Objection, error) {
	rows, err := s.query(ctx, s.db, `SELECT id, session_id, proposal_id, author_id, text, filed_at FROM objections
		WHERE session_id = ? ORDER BY proposal_id, filed_at, id`, sessionID)
	if err != nil {
		return nil, fmt.Errorf("objections of %s: %w", sessionID, err)
	}
	defer rows.Close()
	var out []Objection
	for rows.Next() {
		var o Objection
		var at int64
		if err := rows.Scan(&o.ID, &o.SessionID, &o.ProposalID, &o.AuthorID, &o.Text, &at); err != nil {
			return nil, fmt.Errorf("objections of %s: %w", sessionID, err)
		}
		o.FiledAt = fromMicros(at)
		out = append(out, o)
	}
	return out, rows.Err()
}
