package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/awardflow/awardflow/internal/award"
)

const delegationColumns = `id, from_id, from_name, to_id, to_name, scope, start_day, end_day, reason, created_by, created_at, withdrawn_at, withdrawn_by`

// CreateDelegation records a delegation (award.Delegation). In one transaction it queues
// behind any other delegation of the same scope from or to either person
// (delegation_heads), reads the
// delegations not withdrawn that end on or after since and involve either person, and asks
// check — award.CheckDelegation with those as Existing — for the row to insert: of two
// racing delegations of the same tasks for overlapping periods, the second sees the first
// and check refuses it.
//
// The id makes it idempotent: a delegation with d.ID already recorded is returned as it
// is, with created false, when it is the same request (same people, scope, days and
// reason); another request under that id is ErrConflict.
func (s *Store) CreateDelegation(ctx context.Context, d award.Delegation, since award.Date,
	check func(existing []award.Delegation) (award.Delegation, error)) (got award.Delegation, created bool, err error) {
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		old, err := s.delegationIn(ctx, tx, d.ID)
		switch {
		case err == nil:
			if old.FromID != d.FromID || old.ToID != d.ToID || old.Scope != d.Scope || old.Start != d.Start || old.End != d.End {
				return fmt.Errorf("delegation %s: %w", d.ID, ErrConflict)
			}
			got = old
			return nil
		case !errors.Is(err, ErrNotFound):
			return err
		}
		// Queue behind the delegations of the same scope of BOTH people, in one order (no
		// deadlock): A→B racing B→C (a chain) or B→A (each away) then meet on B's row,
		// and the second sees the first.
		people := []string{d.FromID, d.ToID}
		slices.Sort(people)
		for _, id := range slices.Compact(people) {
			if _, err := s.exec(ctx, tx, `INSERT INTO delegation_heads (from_id, scope, version) VALUES (?, ?, 1)
			ON CONFLICT (from_id, scope) DO UPDATE SET version = delegation_heads.version + 1`, id, string(d.Scope)); err != nil {
				return fmt.Errorf("queue delegation of %s: %w", id, err)
			}
		}
		existing, err := s.scanDelegations(s.query(ctx, tx, `SELECT `+delegationColumns+` FROM delegations
			WHERE withdrawn_at = 0 AND end_day >= ? AND (from_id IN (?, ?) OR to_id IN (?, ?))
			ORDER BY start_day, id`, since.String(), d.FromID, d.ToID, d.FromID, d.ToID))
		if err != nil {
			return fmt.Errorf("delegations of %s: %w", d.FromID, err)
		}
		if got, err = check(existing); err != nil {
			return err
		}
		_, err = s.exec(ctx, tx, `INSERT INTO delegations (`+delegationColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			got.ID, got.FromID, got.FromName, got.ToID, got.ToName, string(got.Scope), got.Start.String(), got.End.String(),
			got.Reason, got.CreatedBy, micros(got.CreatedAt), micros(got.WithdrawnAt), got.WithdrawnBy)
		if err != nil {
			return fmt.Errorf("record delegation %s: %w", got.ID, err)
		}
		got.CreatedAt = fromMicros(micros(got.CreatedAt))
		created = true
		return nil
	})
	return got, created, err
}

// Delegation is the delegation with that id (ErrNotFound).
func (s *Store) Delegation(ctx context.Context, id string) (award.Delegation, error) {
	return s.delegationIn(ctx, s.db, id)
}

func (s *Store) delegationIn(ctx context.Context, q querier, id string) (award.Delegation, error) {
	ds, err := s.scanDelegations(s.query(ctx, q, `SELECT `+delegationColumns+` FROM delegations WHERE id = ?`, id))
	if err != nil {
		return award.Delegation{}, fmt.Errorf("delegation %s: %w", id, err)
	}
	if len(ds) == 0 {
		return award.Delegation{}, fmt.Errorf("delegation %s: %w", id, ErrNotFound)
	}
	return ds[0], nil
}

// maxDelegationsListed caps a list of delegations (the newest first).
const maxDelegationsListed = 500

// Delegations lists the delegations a person gave, received or recorded, newest period
// first; personID "" lists everyone's (admins).
func (s *Store) Delegations(ctx context.Context, personID string) ([]award.Delegation, error) {
	if personID == "" {
		return s.scanDelegations(s.query(ctx, s.db, `SELECT `+delegationColumns+` FROM delegations
			ORDER BY start_day DESC, created_at DESC, id LIMIT 500`))
	}
	return s.scanDelegations(s.query(ctx, s.db, `SELECT `+delegationColumns+` FROM delegations
		WHERE from_id = ? OR to_id = ? OR created_by = ?
		ORDER BY start_day DESC, created_at DESC, id LIMIT 500`, personID, personID, personID))
}

// LiveDelegationsTo lists the delegations made to the person that are in force on day:
// not withdrawn, day within their first and last day.
func (s *Store) LiveDelegationsTo(ctx context.Context, toID string, day award.Date) ([]award.Delegation, error) {
	ds, err := s.scanDelegations(s.query(ctx, s.db, `SELECT `+delegationColumns+` FROM delegations
		WHERE to_id = ? AND withdrawn_at = 0 AND start_day <= ? AND end_day >= ?
		ORDER BY start_day, id`, toID, day.String(), day.String()))
	if err != nil {
		return nil, fmt.Errorf("delegations to %s: %w", toID, err)
	}
	return ds, nil
}

// WithdrawDelegation ends a delegation early: check (award.CheckWithdrawDelegation) judges
// the row as it is in the transaction, so two racing withdrawals withdraw it once (the
// second is refused by check).
func (s *Store) WithdrawDelegation(ctx context.Context, id, by string, at time.Time, check func(award.Delegation) error) (award.Delegation, error) {
	var d award.Delegation
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		if d, err = s.delegationIn(ctx, tx, id); err != nil {
			return err
		}
		if err := check(d); err != nil {
			return err
		}
		res, err := s.exec(ctx, tx, `UPDATE delegations SET withdrawn_at = ?, withdrawn_by = ? WHERE id = ? AND withdrawn_at = 0`, micros(at), by, id)
		if err != nil {
			return fmt.Errorf("withdraw delegation %s: %w", id, err)
		}
		if n, err := res.RowsAffected(); err != nil || n != 1 {
			return fmt.Errorf("withdraw delegation %s: %d rows, %v: %w", id, n, err, ErrConflict)
		}
		d.WithdrawnAt, d.WithdrawnBy = fromMicros(micros(at)), by
		return nil
	})
	return d, err
}

func (s *Store) scanDelegations(rows *sql.Rows, err error) ([]award.Delegation, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []award.Delegation{}
	for rows.Next() {
		var d award.Delegation
		var scope, start, end string
		var created, withdrawn int64
		if err := rows.Scan(&d.ID, &d.FromID, &d.FromName, &d.ToID, &d.ToName, &scope, &start, &end, &d.Reason,
			&d.CreatedBy, &created, &withdrawn, &d.WithdrawnBy); err != nil {
			return nil, err
		}
		d.Scope = award.DelegationScope(scope)
		if d.Start, err = award.ParseDate(start); err != nil {
			return nil, fmt.Errorf("delegation %s: %w", d.ID, err)
		}
		if d.End, err = award.ParseDate(end); err != nil {
			return nil, fmt.Errorf("delegation %s: %w", d.ID, err)
		}
		d.CreatedAt, d.WithdrawnAt = fromMicros(created), fromMicros(withdrawn)
		out = append(out, d)
	}
	return out, rows.Err()
}
