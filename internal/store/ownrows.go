package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"fmt"
	"time"
)

// Own-row intents: the durable half of "the API writes the list row of the change it asked
// for" (workflows/ownrow.go). The API records an intent before the update, and deletes it
// with the row's write (WriteOwnRow); what a crash or a failed write leaves behind, the
// sweeper finds with DueOwnRows and settles with SettleOwnRows once it has written the
// workflow's row.

// BeginOwnRow records that the caller is about to ask workflowID for a change whose row
// it will write; the intent is due for the sweeper at due. It returns the intent's id.
func (s *Store) BeginOwnRow(ctx context.Context, workflowID string, due time.Time) (string, error) {
	if workflowID == "" {
		return "", fmt.Errorf("own-row intent: no workflow id")
	}
	id := rand.Text()
	if _, err := s.exec(ctx, s.db, `INSERT INTO own_row_intents (id, workflow_id, due_at) VALUES (?, ?, ?)`,
		id, workflowID, micros(due)); err != nil {
		return "", fmt.Errorf("record the own-row intent for %s: %w", workflowID, err)
	}
	return id, nil
}

// WriteOwnRow writes the row the caller's change answered with (as UpsertProjection,
// notifications included) and deletes the caller's intent, in one transaction: either
// both happen or the intent stays for the sweeper.
func (s *Store) WriteOwnRow(ctx context.Context, p Projection, intent string) (bool, error) {
	return s.upsertProjection(ctx, p, true, intent)
}

// DropOwnRow deletes an intent whose change did not happen (the workflow refused it).
func (s *Store) DropOwnRow(ctx context.Context, intent string) error {
	if _, err := s.exec(ctx, s.db, `DELETE FROM own_row_intents WHERE id = ?`, intent); err != nil {
		return fmt.Errorf("drop the own-row intent: %w", err)
	}
	return nil
}

// DueOwnRows lists the workflows with an intent due at now, at most limit, those due
// longest first.
func (s *Store) DueOwnRows(ctx context.Context, now time.Time, limit int) ([]string, error) {
	rows, err := s.query(ctx, s.db, `SELECT workflow_id, MIN(due_at) AS due FROM own_row_intents WHERE due_at <= ?
		GROUP BY workflow_id ORDER BY due, workflow_id LIMIT ?`, micros(now), limit)
	if err != nil {
		return nil, fmt.Errorf("due own-row intents: %w", err)
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		var due int64
		if err := rows.Scan(&id, &due); err != nil {
			return nil, fmt.Errorf("due own-row intents: %w", err)
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("due own-row intents: %w", err)
	}
	return ids, nil
}

// SettleOwnRows deletes workflowID's intents due at now: the sweeper has written the row
// the workflow answered after they were due (or the workflow is gone). Intents due later
// belong to requests that may still be in flight and stay.
func (s *Store) SettleOwnRows(ctx context.Context, workflowID string, now time.Time) error {
	if _, err := s.exec(ctx, s.db, `DELETE FROM own_row_intents WHERE workflow_id = ? AND due_at <= ?`,
		workflowID, micros(now)); err != nil {
		return fmt.Errorf("settle the own-row intents of %s: %w", workflowID, err)
	}
	return nil
}

// OldestOwnRow is when workflowID's oldest intent fell due.
func (s *Store) OldestOwnRow(ctx context.Context, workflowID string) (time.Time, error) {
	var due sql.NullInt64
	if err := s.queryRow(ctx, s.db, `SELECT MIN(due_at) FROM own_row_intents WHERE workflow_id = ?`, workflowID).Scan(&due); err != nil {
		return time.Time{}, fmt.Errorf("oldest own-row intent of %s: %w", workflowID, err)
	}
	if !due.Valid {
		return time.Time{}, fmt.Errorf("workflow %s has no own-row intent", workflowID)
	}
	return fromMicros(due.Int64), nil
}
