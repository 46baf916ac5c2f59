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

// Registrations for movements (đăng ký thi đua): one row per movement, kind and subject
// (a person, or a unit for a collective). The HTTP layer checks who may register whom,
// the window and the form (award.CanRegister, CheckRegistrationOpen, CleanCommitments);
// the store keeps the rows and answers "is X registered for M".

// RegistrationWrite says what PutRegistration did.
type RegistrationWrite string

const (
	RegistrationCreated    RegistrationWrite = "created"
	RegistrationUpdated    RegistrationWrite = "updated"    // the commitments or the unit changed
	RegistrationUnchanged  RegistrationWrite = "unchanged"  // the same registration again: nothing written
	RegistrationReinstated RegistrationWrite = "reinstated" // registered again after a withdrawal
)

const registrationColumns = `movement_id, kind, subject_id, unit_id, commitments, registered_by, registered_at,
	updated_by, updated_at, withdrawn, withdrawn_by, withdrawn_at`

// PutRegistration registers r.SubjectID for r.MovementID (by r.RegisteredBy), or changes
// the registration's commitments, idempotently: the same registration again writes
// nothing; a withdrawn one is reinstated. It returns the registration as stored.
// Concurrent calls for one subject end with one row, and each caller is told what its
// own call did.
func (s *Store) PutRegistration(ctx context.Context, r award.Registration) (award.Registration, RegistrationWrite, error) {
	if err := checkRegistrationKey(r.MovementID, r.Kind, r.SubjectID); err != nil {
		return award.Registration{}, "", err
	}
	if strings.TrimSpace(r.UnitID) == "" || strings.TrimSpace(r.RegisteredBy) == "" {
		return award.Registration{}, "", errors.New("put registration: unit and registered_by are required")
	}
	if r.Commitments.Items == nil {
		r.Commitments.Items = []award.Commitment{}
	}
	data, err := json.Marshal(r.Commitments)
	if err != nil {
		return award.Registration{}, "", fmt.Errorf("put registration: %w", err)
	}
	sum := sha256.Sum256(data)
	digest := hex.EncodeToString(sum[:])
	var out award.Registration
	var what RegistrationWrite
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		now := micros(s.now())
		res, err := s.exec(ctx, tx, `INSERT INTO movement_registrations (movement_id, kind, subject_id, unit_id, commitments, digest,
			registered_by, registered_at, updated_by, updated_at, withdrawn, withdrawn_by, withdrawn_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, FALSE, '', 0) ON CONFLICT (movement_id, kind, subject_id) DO NOTHING`,
			r.MovementID, string(r.Kind), r.SubjectID, r.UnitID, string(data), digest, r.RegisteredBy, now, r.RegisteredBy, now)
		if err != nil {
			return fmt.Errorf("insert: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return fmt.Errorf("insert: %w", err)
		} else if n == 1 {
			what = RegistrationCreated
		} else {
			var old string
			var unit string
			var withdrawn bool
			if err := s.queryRow(ctx, tx, `SELECT digest, unit_id, withdrawn FROM movement_registrations
				WHERE movement_id = ? AND kind = ? AND subject_id = ?`, r.MovementID, string(r.Kind), r.SubjectID).Scan(&old, &unit, &withdrawn); err != nil {
				return fmt.Errorf("read: %w", err)
			}
			switch {
			case withdrawn:
				what = RegistrationReinstated
				_, err = s.exec(ctx, tx, `UPDATE movement_registrations SET unit_id = ?, commitments = ?, digest = ?, registered_by = ?,
					registered_at = ?, updated_by = ?, updated_at = ?, withdrawn = FALSE, withdrawn_by = '', withdrawn_at = 0
					WHERE movement_id = ? AND kind = ? AND subject_id = ?`, r.UnitID, string(data), digest, r.RegisteredBy, now,
					r.RegisteredBy, now, r.MovementID, string(r.Kind), r.SubjectID)
			case old == digest && unit == r.UnitID:
				what = RegistrationUnchanged
			default:
				what = RegistrationUpdated
				_, err = s.exec(ctx, tx, `UPDATE movement_registrations SET unit_id = ?, commitments = ?, digest = ?, updated_by = ?, updated_at = ?
					WHERE movement_id = ? AND kind = ? AND subject_id = ?`, r.UnitID, string(data), digest, r.RegisteredBy, now,
					r.MovementID, string(r.Kind), r.SubjectID)
			}
			if err != nil {
				return fmt.Errorf("update: %w", err)
			}
		}
		out, err = s.registration(ctx, tx, r.MovementID, string(r.Kind), r.SubjectID)
		return err
	})
	if err != nil {
		return award.Registration{}, "", fmt.Errorf("put registration %s %s %s: %w", r.MovementID, r.Kind, r.SubjectID, err)
	}
	return out, what, nil
}

// WithdrawRegistration withdraws a registration (by whom), keeping the row. Withdrawing
// a withdrawn one changes nothing; none at all is award.NotFound.
func (s *Store) WithdrawRegistration(ctx context.Context, movement string, kind award.NomineeKind, subject, by string) (award.Registration, error) {
	if err := checkRegistrationKey(movement, kind, subject); err != nil {
		return award.Registration{}, err
	}
	var out award.Registration
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := s.exec(ctx, tx, `UPDATE movement_registrations SET withdrawn = TRUE, withdrawn_by = ?, withdrawn_at = ?
			WHERE movement_id = ? AND kind = ? AND subject_id = ? AND withdrawn = FALSE`,
			by, micros(s.now()), movement, string(kind), subject); err != nil {
			return fmt.Errorf("update: %w", err)
		}
		var err error
		out, err = s.registration(ctx, tx, movement, string(kind), subject)
		return err
	})
	if err != nil {
		return award.Registration{}, fmt.Errorf("withdraw registration %s %s %s: %w", movement, kind, subject, err)
	}
	return out, nil
}

// Registration reads one registration, withdrawn or not; none is award.NotFound.
func (s *Store) Registration(ctx context.Context, movement string, kind award.NomineeKind, subject string) (award.Registration, error) {
	r, err := s.registration(ctx, s.db, movement, string(kind), subject)
	if err != nil {
		return award.Registration{}, fmt.Errorf("registration %s %s %s: %w", movement, kind, subject, err)
	}
	return r, nil
}

// IsRegistered reports whether subject has a registration in force (not withdrawn) for
// the movement.
func (s *Store) IsRegistered(ctx context.Context, movement string, kind award.NomineeKind, subject string) (bool, error) {
	var n int
	if err := s.queryRow(ctx, s.db, `SELECT COUNT(*) FROM movement_registrations
		WHERE movement_id = ? AND kind = ? AND subject_id = ? AND withdrawn = FALSE`, movement, string(kind), subject).Scan(&n); err != nil {
		return false, fmt.Errorf("is %s %s registered for %s: %w", kind, subject, movement, err)
	}
	return n > 0, nil
}

// RegistrationFilter narrows Registrations: Movement is required, zero fields match
// everything, withdrawn registrations only with Withdrawn.
type RegistrationFilter struct {
	Movement string
	Kind     award.NomineeKind
	UnitID   string // the unit's people and the unit itself
	Subject  string // one person or unit
	// Withdrawn includes withdrawn registrations.
	Withdrawn bool
}

// maxRegistrations bounds one list: an agency's people and units, with room to spare.
const maxRegistrations = 10000

// Registrations lists a movement's registrations matching f: units first, then people,
// each by unit and id.
func (s *Store) Registrations(ctx context.Context, f RegistrationFilter) ([]award.Registration, error) {
	if f.Movement == "" {
		return nil, errors.New("registrations: the movement is required")
	}
	rows, err := s.query(ctx, s.db, `SELECT `+registrationColumns+` FROM movement_registrations
		WHERE movement_id = ? AND (? = '' OR kind = ?) AND (? = '' OR unit_id = ?) AND (? = '' OR subject_id = ?) AND (withdrawn = FALSE OR ?)
		ORDER BY kind, unit_id, subject_id LIMIT ?`,
		f.Movement, string(f.Kind), string(f.Kind), f.UnitID, f.UnitID, f.Subject, f.Subject, f.Withdrawn, maxRegistrations)
	if err != nil {
		return nil, fmt.Errorf("registrations of %s: %w", f.Movement, err)
	}
	defer rows.Close()
	out := []award.Registration{}
	for rows.Next() {
		r, err := scanRegistration(rows)
		if err != nil {
			return nil, fmt.Errorf("registrations of %s: %w", f.Movement, err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("registrations of %s: %w", f.Movement, err)
	}
	return out, nil
}

func (s *Store) registration(ctx context.Context, q querier, movement, kind, subject string) (award.Registration, error) {
	r, err := scanRegistration(s.queryRow(ctx, q, `SELECT `+registrationColumns+` FROM movement_registrations
		WHERE movement_id = ? AND kind = ? AND subject_id = ?`, movement, kind, subject))
	if errors.Is(err, sql.ErrNoRows) {
		return award.Registration{}, award.NotFound("Không tìm thấy %[1]s của “%[3]s”", "no %[2]s of %[3]q", award.NounRegistration.VI, award.NounRegistration.EN, subject)
	}
	return r, err
}

func scanRegistration(row interface{ Scan(...any) error }) (award.Registration, error) {
	var r award.Registration
	var kind, data string
	var registered, updated, withdrawn int64
	if err := row.Scan(&r.MovementID, &kind, &r.SubjectID, &r.UnitID, &data, &r.RegisteredBy, &registered,
		&r.UpdatedBy, &updated, &r.Withdrawn, &r.WithdrawnBy, &withdrawn); err != nil {
		return r, err
	}
	r.Kind = award.NomineeKind(kind)
	r.RegisteredAt, r.UpdatedAt, r.WithdrawnAt = fromMicros(registered), fromMicros(updated), fromMicros(withdrawn)
	if err := json.Unmarshal([]byte(data), &r.Commitments); err != nil {
		return r, fmt.Errorf("a stored registration does not decode: %w", err)
	}
	return r, nil
}

func checkRegistrationKey(movement string, kind award.NomineeKind, subject string) error {
	if strings.TrimSpace(movement) == "" || strings.TrimSpace(subject) == "" || (kind != award.KindIndividual && kind != award.KindCollective) {
		return award.Invalid("Đăng ký thi đua cần phong trào, đối tượng (cá nhân hoặc tập thể) và mã người hoặc đơn vị",
			"a registration needs a movement, a kind (individual or collective) and a person or unit id")
	}
	return nil
}
