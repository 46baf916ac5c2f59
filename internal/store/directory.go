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
	"github.com/awardflow/awardflow/internal/orgconfig"
)

// Unit is a department (đơn vị) of the agency.
type Unit struct {
	ID        string
	Name      string
	Active    bool
	UpdatedAt time.Time
}

// Person is a directory entry as it stands now.
type Person struct {
	ID           string
	Name         string
	Position     string
	UnitID       string
	Roles        []award.Role // sorted
	Active       bool
	PasswordHash string // bcrypt; never written to the history
	Version      int64  // Seq of the latest history row: changes with every edit
	UpdatedAt    time.Time
}

// PersonEdit is what the admin sets on a person. PasswordHash "" keeps the current one.
type PersonEdit struct {
	ID           string
	Name         string
	Position     string
	UnitID       string
	Roles        []award.Role
	PasswordHash string
	// CreateOnly refuses the edit when the person exists (the admin's "add a person"
	// form, HTTP If-None-Match: *): inside the edit's transaction, so of two admins
	// adding the same user name at once exactly one succeeds and nobody's account is
	// overwritten.
	CreateOnly bool
}

// Actions of the person history.
const (
	ActionSeeded      = "seeded"
	ActionCreated     = "created"
	ActionUpdated     = "updated"
	ActionMoved       = "moved"
	ActionDeactivated = "deactivated"
	ActionReactivated = "reactivated"
)

// PersonChange is one row of a person's history: who they were from EffectiveAt on.
type PersonChange struct {
	PersonID    string
	Seq         int64 // 1, 2, … per person
	Action      string
	EffectiveAt time.Time
	RecordedAt  time.Time
	RecordedBy  string
	Name        string
	Position    string
	UnitID      string
	Roles       []award.Role
	Active      bool
	Note        string
}

// PeopleFilter narrows People; zero fields match everyone.
type PeopleFilter struct {
	UnitID          string
	Role            award.Role
	Text            string // folded, matched anywhere in the name
	IncludeInactive bool
}

const metaDirectorySeeded = "directory_seeded"

// SeedDirectory fills an empty directory from the organisation config: its departments
// as units and its people with their roles, each with a "seeded" history row. It runs on
// the first start only: once seeded (by this or another process) it changes nothing,
// even when the YAML changed since — from then on the admin edits the directory. It
// reports whether it seeded.
func (s *Store) SeedDirectory(ctx context.Context, org *orgconfig.Org) (bool, error) {
	if org == nil {
		return false, errors.New("seed the directory: no organisation")
	}
	now := micros(s.now())
	seeded := false
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		// The marker is claimed first: of two processes starting at once, the second
		// waits on the key and then finds it taken.
		res, err := s.exec(ctx, tx, `INSERT INTO store_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING`,
			metaDirectorySeeded, fromMicros(now).Format(time.RFC3339Nano))
		if err != nil {
			return fmt.Errorf("claim the directory seed: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return err
		}
		if err := s.bumpDirectory(ctx, tx); err != nil {
			return err
		}
		for _, d := range org.Departments {
			if _, err := s.exec(ctx, tx, `INSERT INTO units (id, name, active, updated_at) VALUES (?, ?, TRUE, ?)`,
				d.ID, d.Name, now); err != nil {
				return fmt.Errorf("seed unit %s: %w", d.ID, err)
			}
		}
		for _, p := range org.People {
			roles := sortedRoles(p.Roles)
			if _, err := s.exec(ctx, tx, `INSERT INTO people (id, name, name_fold, position, unit_id, active, password_hash, version, updated_at)
				VALUES (?, ?, ?, ?, ?, TRUE, ?, 1, ?)`,
				p.ID, p.Name, Fold(p.Name), p.Position, p.Department, p.PasswordHash, now); err != nil {
				return fmt.Errorf("seed person %s: %w", p.ID, err)
			}
			if err := s.insertRoles(ctx, tx, p.ID, roles); err != nil {
				return err
			}
			c := PersonChange{PersonID: p.ID, Seq: 1, Action: ActionSeeded, RecordedBy: "seed", Name: p.Name,
				Position: p.Position, UnitID: p.Department, Roles: roles, Active: true, Note: "organisation config"}
			if err := s.insertHistory(ctx, tx, c, now, now); err != nil {
				return err
			}
		}
		seeded = true
		return nil
	})
	if err != nil {
		return false, fmt.Errorf("seed the directory: %w", err)
	}
	return seeded, nil
}

// UpsertUnit creates a unit, renames it, or closes (Active false) or reopens it. An edit
// that changes nothing writes nothing and reports false.
func (s *Store) UpsertUnit(ctx context.Context, u Unit) (bool, error) {
	u.ID, u.Name = strings.TrimSpace(u.ID), strings.TrimSpace(u.Name)
	if u.ID == "" || u.Name == "" {
		return false, award.Invalid("Cần mã và tên đơn vị", "a unit needs an id and a name")
	}
	changed, err := s.editDirectory(ctx, func(tx *sql.Tx) (bool, error) {
		var name string
		var active bool
		err := s.queryRow(ctx, tx, `SELECT name, active FROM units WHERE id = ?`, u.ID).Scan(&name, &active)
		switch {
		case errors.Is(err, sql.ErrNoRows):
		case err != nil:
			return false, fmt.Errorf("read unit: %w", err)
		case name == u.Name && active == u.Active:
			return false, nil
		}
		_, err = s.exec(ctx, tx, `INSERT INTO units (id, name, active, updated_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET name = excluded.name, active = excluded.active, updated_at = excluded.updated_at`,
			u.ID, u.Name, u.Active, micros(s.now()))
		return err == nil, err
	})
	if err != nil {
		return false, fmt.Errorf("upsert unit %s: %w", u.ID, err)
	}
	return changed, nil
}

// Units lists every unit by id.
func (s *Store) Units(ctx context.Context) ([]Unit, error) {
	return s.units(ctx, s.db)
}

func (s *Store) units(ctx context.Context, db querier) ([]Unit, error) {
	rows, err := s.query(ctx, db, `SELECT id, name, active, updated_at FROM units ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("list units: %w", err)
	}
	defer rows.Close()
	var out []Unit
	for rows.Next() {
		var u Unit
		var at int64
		if err := rows.Scan(&u.ID, &u.Name, &u.Active, &at); err != nil {
			return nil, fmt.Errorf("list units: %w", err)
		}
		u.UpdatedAt = fromMicros(at)
		out = append(out, u)
	}
	return out, rows.Err()
}

// UpsertPerson creates a person (history "created") or changes one (history "updated",
// or "moved" when the unit changes), effective now, recorded as done by `by`. An edit
// that changes nothing writes nothing and reports false, so a repeated request is
// harmless.
func (s *Store) UpsertPerson(ctx context.Context, e PersonEdit, by string) (bool, error) {
	if err := checkEdit(e); err != nil {
		return false, err
	}
	roles := sortedRoles(e.Roles)
	changed, err := s.editDirectory(ctx, func(tx *sql.Tx) (bool, error) {
		if err := s.checkUnit(ctx, tx, e.UnitID); err != nil {
			return false, err
		}
		now := micros(s.now())
		cur, err := s.person(ctx, tx, e.ID)
		if errors.Is(err, ErrNotFound) {
			hash := e.PasswordHash
			if _, err := s.exec(ctx, tx, `INSERT INTO people (id, name, name_fold, position, unit_id, active, password_hash, version, updated_at)
				VALUES (?, ?, ?, ?, ?, TRUE, ?, 1, ?)`, e.ID, e.Name, Fold(e.Name), e.Position, e.UnitID, hash, now); err != nil {
				return false, fmt.Errorf("insert person %s: %w", e.ID, err)
			}
			if err := s.insertRoles(ctx, tx, e.ID, roles); err != nil {
				return false, err
			}
			return true, s.insertHistory(ctx, tx, PersonChange{PersonID: e.ID, Seq: 1, Action: ActionCreated, RecordedBy: by,
				Name: e.Name, Position: e.Position, UnitID: e.UnitID, Roles: roles, Active: true}, now, now)
		}
		if err != nil {
			return false, err
		}
		if e.CreateOnly {
			return false, award.Duplicate("Tên đăng nhập “%[1]s” đã có người dùng (%[2]s)", "user name %[1]q is taken (%[2]s)", e.ID, cur.Name)
		}
		hash := cur.PasswordHash
		if e.PasswordHash != "" {
			hash = e.PasswordHash
		}
		if cur.Name == e.Name && cur.Position == e.Position && cur.UnitID == e.UnitID && slices.Equal(cur.Roles, roles) && cur.PasswordHash == hash {
			return false, nil
		}
		action := ActionUpdated
		if cur.UnitID != e.UnitID {
			action = ActionMoved
		}
		next := cur
		next.Name, next.Position, next.UnitID, next.Roles, next.PasswordHash = e.Name, e.Position, e.UnitID, roles, hash
		return true, s.writePerson(ctx, tx, cur, next, action, by, "", now, now)
	})
	if err != nil {
		return false, fmt.Errorf("upsert person %s: %w", e.ID, err)
	}
	return changed, nil
}

// MovePerson moves a person to another unit and position from effective on (a past date
// records a move made on paper earlier; a future date is refused, and so is a date
// before the person's latest change, so the history stays in order). Moving a person to
// where they already are writes nothing.
func (s *Store) MovePerson(ctx context.Context, id, unitID, position string, effective time.Time, by, note string) error {
	_, err := s.editDirectory(ctx, func(tx *sql.Tx) (bool, error) {
		if err := s.checkUnit(ctx, tx, unitID); err != nil {
			return false, err
		}
		now := s.now()
		if effective.IsZero() {
			effective = now
		}
		if effective.After(now) {
			return false, award.Invalid("Ngày hiệu lực của việc điều chuyển không được ở tương lai", "a move cannot take effect in the future")
		}
		cur, err := s.person(ctx, tx, id)
		if err != nil {
			return false, err
		}
		if cur.UnitID == unitID && cur.Position == position {
			return false, nil
		}
		var last int64
		if err := s.queryRow(ctx, tx, `SELECT MAX(effective_at) FROM person_history WHERE person_id = ?`, id).Scan(&last); err != nil {
			return false, fmt.Errorf("read history: %w", err)
		}
		if micros(effective) < last {
			// Both dates in the zone the effective date was given in (the agency's): a
			// move from 15/01 midnight in Vietnam is not "14/01" because UTC says so.
			loc := effective.Location()
			return false, award.Invalid("Ngày hiệu lực %[1]s trước lần thay đổi gần nhất (%[2]s)", "effective date %[1]s is before the latest change (%[2]s)",
				effective.Format("02/01/2006"), fromMicros(last).In(loc).Format("02/01/2006 15:04"))
		}
		next := cur
		next.UnitID, next.Position = unitID, position
		return true, s.writePerson(ctx, tx, cur, next, ActionMoved, by, note, micros(effective), micros(now))
	})
	if err != nil {
		return fmt.Errorf("move person %s: %w", id, err)
	}
	return nil
}

// DeactivatePerson marks a person inactive (left the agency, retired): they keep their
// history and their place in the register, and no longer sign in or get work. Doing it
// twice writes nothing the second time.
func (s *Store) DeactivatePerson(ctx context.Context, id, by, reason string) error {
	return s.setActive(ctx, id, false, by, reason)
}

// ReactivatePerson undoes DeactivatePerson.
func (s *Store) ReactivatePerson(ctx context.Context, id, by, note string) error {
	return s.setActive(ctx, id, true, by, note)
}

func (s *Store) setActive(ctx context.Context, id string, active bool, by, note string) error {
	_, err := s.editDirectory(ctx, func(tx *sql.Tx) (bool, error) {
		cur, err := s.person(ctx, tx, id)
		if err != nil {
			return false, err
		}
		if cur.Active == active {
			return false, nil
		}
		next := cur
		next.Active = active
		action := ActionDeactivated
		if active {
			action = ActionReactivated
		}
		now := micros(s.now())
		return true, s.writePerson(ctx, tx, cur, next, action, by, note, now, now)
	})
	if err != nil {
		return fmt.Errorf("set person %s active=%t: %w", id, active, err)
	}
	return nil
}

// writePerson stores next as the person's current state and appends its history row.
// The UPDATE comes first: on PostgreSQL it locks the row, so concurrent edits of one
// person take their history numbers one after the other.
func (s *Store) writePerson(ctx context.Context, tx *sql.Tx, cur, next Person, action, by, note string, effective, now int64) error {
	res, err := s.exec(ctx, tx, `UPDATE people SET name = ?, name_fold = ?, position = ?, unit_id = ?, active = ?, password_hash = ?,
		version = version + 1, updated_at = ? WHERE id = ? AND version = ?`,
		next.Name, Fold(next.Name), next.Position, next.UnitID, next.Active, next.PasswordHash, now, cur.ID, cur.Version)
	if err != nil {
		return fmt.Errorf("update person: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		// Another edit of the same person committed between our read and this write.
		return fmt.Errorf("person %s changed meanwhile, try again: %w", cur.ID, ErrConflict)
	}
	if !slices.Equal(cur.Roles, next.Roles) {
		if _, err := s.exec(ctx, tx, `DELETE FROM person_roles WHERE person_id = ?`, cur.ID); err != nil {
			return fmt.Errorf("replace roles: %w", err)
		}
		if err := s.insertRoles(ctx, tx, cur.ID, next.Roles); err != nil {
			return err
		}
	}
	return s.insertHistory(ctx, tx, PersonChange{PersonID: cur.ID, Seq: cur.Version + 1, Action: action, RecordedBy: by,
		Name: next.Name, Position: next.Position, UnitID: next.UnitID, Roles: next.Roles, Active: next.Active, Note: note}, effective, now)
}

func (s *Store) insertRoles(ctx context.Context, tx *sql.Tx, id string, roles []award.Role) error {
	for _, r := range roles {
		if _, err := s.exec(ctx, tx, `INSERT INTO person_roles (person_id, role) VALUES (?, ?)`, id, string(r)); err != nil {
			return fmt.Errorf("insert role %s of %s: %w", r, id, err)
		}
	}
	return nil
}

func (s *Store) insertHistory(ctx context.Context, tx *sql.Tx, c PersonChange, effective, now int64) error {
	_, err := s.exec(ctx, tx, `INSERT INTO person_history (person_id, seq, action, effective_at, recorded_at, recorded_by,
		name, position, unit_id, roles, active, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		c.PersonID, c.Seq, c.Action, effective, now, c.RecordedBy, c.Name, c.Position, c.UnitID, joinRoles(c.Roles), c.Active, c.Note)
	if err != nil {
		return fmt.Errorf("record history of %s: %w", c.PersonID, err)
	}
	return nil
}

func (s *Store) checkUnit(ctx context.Context, q querier, id string) error {
	var active bool
	err := s.queryRow(ctx, q, `SELECT active FROM units WHERE id = ?`, id).Scan(&active)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return award.Invalid("Không có đơn vị “%s”", "no unit %q", id)
	case err != nil:
		return fmt.Errorf("check unit: %w", err)
	case !active:
		return award.Invalid("Đơn vị “%s” đã giải thể, không thể xếp người vào", "unit %q is closed: nobody can be placed in it", id)
	}
	return nil
}

func checkEdit(e PersonEdit) error {
	if strings.TrimSpace(e.ID) == "" || strings.TrimSpace(e.Name) == "" || strings.TrimSpace(e.UnitID) == "" {
		return award.Invalid("Cần mã, họ tên và đơn vị của người", "a person needs an id, a name and a unit")
	}
	if len(e.Roles) == 0 {
		return award.Invalid("Cần ít nhất một vai trò", "a person needs at least one role")
	}
	for _, r := range e.Roles {
		if r == "" || strings.Contains(string(r), ",") {
			return award.Invalid("Vai trò không hợp lệ: %q", "invalid role: %q", string(r))
		}
	}
	return nil
}

// Person reads one person.
func (s *Store) Person(ctx context.Context, id string) (Person, error) {
	p, err := s.person(ctx, s.db, id)
	if err != nil {
		return Person{}, fmt.Errorf("person %s: %w", id, err)
	}
	return p, nil
}

func (s *Store) person(ctx context.Context, q querier, id string) (Person, error) {
	var p Person
	var at int64
	err := s.queryRow(ctx, q, `SELECT id, name, position, unit_id, active, password_hash, version, updated_at FROM people WHERE id = ?`, id).
		Scan(&p.ID, &p.Name, &p.Position, &p.UnitID, &p.Active, &p.PasswordHash, &p.Version, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return Person{}, ErrNotFound
	}
	if err != nil {
		return Person{}, fmt.Errorf("read person: %w", err)
	}
	p.UpdatedAt = fromMicros(at)
	rows, err := s.query(ctx, q, `SELECT role FROM person_roles WHERE person_id = ? ORDER BY role`, id)
	if err != nil {
		return Person{}, fmt.Errorf("read roles: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var r string
		if err := rows.Scan(&r); err != nil {
			return Person{}, fmt.Errorf("read roles: %w", err)
		}
		p.Roles = append(p.Roles, award.Role(r))
	}
	return p, rows.Err()
}

// People lists the people that match f, by id.
func (s *Store) People(ctx context.Context, f PeopleFilter) ([]Person, error) {
	return s.people(ctx, s.db, f)
}

func (s *Store) people(ctx context.Context, db querier, f PeopleFilter) ([]Person, error) {
	q, args := peopleQuery(f)
	rows, err := s.query(ctx, db, q, args...)
	if err != nil {
		return nil, fmt.Errorf("list people: %w", err)
	}
	defer rows.Close()
	var out []Person
	index := map[string]int{}
	for rows.Next() {
		var p Person
		var at int64
		if err := rows.Scan(&p.ID, &p.Name, &p.Position, &p.UnitID, &p.Active, &p.PasswordHash, &p.Version, &at); err != nil {
			return nil, fmt.Errorf("list people: %w", err)
		}
		p.UpdatedAt = fromMicros(at)
		index[p.ID] = len(out)
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list people: %w", err)
	}
	rows.Close()
	// A directory is hundreds of people: their roles come in one query, joined here
	// (string_agg and group_concat would differ between the dialects).
	rr, err := s.query(ctx, db, `SELECT person_id, role FROM person_roles ORDER BY person_id, role`)
	if err != nil {
		return nil, fmt.Errorf("list roles: %w", err)
	}
	defer rr.Close()
	for rr.Next() {
		var id, role string
		if err := rr.Scan(&id, &role); err != nil {
			return nil, fmt.Errorf("list roles: %w", err)
		}
		if i, ok := index[id]; ok {
			out[i].Roles = append(out[i].Roles, award.Role(role))
		}
	}
	return out, rr.Err()
}

func peopleQuery(f PeopleFilter) (string, []any) {
	var where []string
	var args []any
	if !f.IncludeInactive {
		where = append(where, "p.active = TRUE")
	}
	if f.UnitID != "" {
		where = append(where, "p.unit_id = ?")
		args = append(args, f.UnitID)
	}
	if f.Role != "" {
		where = append(where, "EXISTS (SELECT 1 FROM person_roles r WHERE r.person_id = p.id AND r.role = ?)")
		args = append(args, string(f.Role))
	}
	if t := Fold(f.Text); t != "" {
		where = append(where, `p.name_fold LIKE ? ESCAPE '\'`)
		args = append(args, likeContains(t))
	}
	q := `SELECT p.id, p.name, p.position, p.unit_id, p.active, p.password_hash, p.version, p.updated_at FROM people p`
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	return q + " ORDER BY p.id", args
}

// PersonHistory lists a person's changes, oldest first.
func (s *Store) PersonHistory(ctx context.Context, id string) ([]PersonChange, error) {
	rows, err := s.query(ctx, s.db, historySelect+` WHERE person_id = ? ORDER BY seq`, id)
	if err != nil {
		return nil, fmt.Errorf("history of %s: %w", id, err)
	}
	defer rows.Close()
	var out []PersonChange
	for rows.Next() {
		c, err := scanChange(rows)
		if err != nil {
			return nil, fmt.Errorf("history of %s: %w", id, err)
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("history of %s: %w", id, ErrNotFound)
	}
	return out, nil
}

// PersonAt is who the person was at a moment: the latest change effective on or before
// it (their unit and position on the day a decision was signed, say). ErrNotFound before
// the person's first entry.
func (s *Store) PersonAt(ctx context.Context, id string, at time.Time) (PersonChange, error) {
	c, err := scanChange(s.queryRow(ctx, s.db, historySelect+` WHERE person_id = ? AND effective_at <= ?
		ORDER BY effective_at DESC, seq DESC LIMIT 1`, id, micros(at)))
	if errors.Is(err, sql.ErrNoRows) {
		return PersonChange{}, fmt.Errorf("person %s at %s: %w", id, at.Format(time.RFC3339), ErrNotFound)
	}
	if err != nil {
		return PersonChange{}, fmt.Errorf("person %s at %s: %w", id, at.Format(time.RFC3339), err)
	}
	return c, nil
}

const historySelect = `SELECT person_id, seq, action, effective_at, recorded_at, recorded_by, name, position, unit_id, roles, active, note
	FROM person_history`

type scanner interface{ Scan(dest ...any) error }

func scanChange(r scanner) (PersonChange, error) {
	var c PersonChange
	var eff, rec int64
	var roles string
	if err := r.Scan(&c.PersonID, &c.Seq, &c.Action, &eff, &rec, &c.RecordedBy, &c.Name, &c.Position, &c.UnitID, &roles, &c.Active, &c.Note); err != nil {
		return PersonChange{}, err
	}
	c.EffectiveAt, c.RecordedAt, c.Roles = fromMicros(eff), fromMicros(rec), splitRoles(roles)
	return c, nil
}

func sortedRoles(rs []award.Role) []award.Role {
	out := slices.Clone(rs)
	slices.Sort(out)
	return slices.Compact(out)
}

func joinRoles(rs []award.Role) string {
	ss := make([]string, len(rs))
	for i, r := range rs {
		ss[i] = string(r)
	}
	return strings.Join(ss, ",")
}

func splitRoles(s string) []award.Role {
	if s == "" {
		return nil
	}
	var out []award.Role
	for _, r := range strings.Split(s, ",") {
		out = append(out, award.Role(r))
	}
	return sortedRoles(out)
}

// DirectoryCheck vets the directory as it would stand after an edit (every unit and
// every person, inactive ones too); an error rolls the edit back and is returned to the
// editor. The wiring sets it to the organisation's rules (orgconfig.Org.CheckDirectory):
// one council chair, a văn thư, the signer of decisions active, and so on.
type DirectoryCheck func(units []Unit, people []Person) error

// SetDirectoryCheck installs the check every later directory edit runs before it commits.
func (s *Store) SetDirectoryCheck(c DirectoryCheck) {
	if c == nil {
		s.dirCheck.Store(nil)
		return
	}
	s.dirCheck.Store(&c)
}

// errUnchanged rolls back an edit that would change nothing (and so does not bump the
// directory's version).
var errUnchanged = errors.New("store: directory edit changes nothing")

// editDirectory runs one directory edit: it bumps the directory's version first (on
// PostgreSQL that row lock makes concurrent edits take turns; SQLite has one writer),
// runs fn, and then the DirectoryCheck on the result, in one transaction. fn reports
// whether it changed anything; an edit that changed nothing is rolled back and reports
// false.
func (s *Store) editDirectory(ctx context.Context, fn func(tx *sql.Tx) (bool, error)) (bool, error) {
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if err := s.bumpDirectory(ctx, tx); err != nil {
			return err
		}
		changed, err := fn(tx)
		if err != nil {
			return err
		}
		if !changed {
			return errUnchanged
		}
		if c := s.dirCheck.Load(); c != nil {
			units, err := s.units(ctx, tx)
			if err != nil {
				return err
			}
			people, err := s.people(ctx, tx, PeopleFilter{IncludeInactive: true})
			if err != nil {
				return err
			}
			if err := (*c)(units, people); err != nil {
				return err
			}
		}
		return nil
	})
	if errors.Is(err, errUnchanged) {
		return false, nil
	}
	return err == nil, err
}

func (s *Store) bumpDirectory(ctx context.Context, tx *sql.Tx) error {
	if _, err := s.exec(ctx, tx, `UPDATE directory_version SET version = version + 1 WHERE id = 1`); err != nil {
		return fmt.Errorf("lock the directory: %w", err)
	}
	return nil
}

// DirectoryVersion is the directory's version: it changes with every edit that changed
// something. One indexed read: servers call it on every request to know whether their
// copy of the directory is current.
func (s *Store) DirectoryVersion(ctx context.Context) (int64, error) {
	var v int64
	if err := s.queryRow(ctx, s.db, `SELECT version FROM directory_version WHERE id = 1`).Scan(&v); err != nil {
		return 0, fmt.Errorf("directory version: %w", err)
	}
	return v, nil
}

// DirectorySnapshot is the whole directory at one version: every unit and every person,
// inactive ones included, with their roles.
type DirectorySnapshot struct {
	Version int64
	Units   []Unit
	People  []Person
}

// Directory reads the whole directory as one consistent snapshot.
func (s *Store) Directory(ctx context.Context) (DirectorySnapshot, error) {
	var d DirectorySnapshot
	err := s.inReadTx(ctx, func(tx *sql.Tx) error {
		if err := s.queryRow(ctx, tx, `SELECT version FROM directory_version WHERE id = 1`).Scan(&d.Version); err != nil {
			return fmt.Errorf("version: %w", err)
		}
		var err error
		if d.Units, err = s.units(ctx, tx); err != nil {
			return err
		}
		d.People, err = s.people(ctx, tx, PeopleFilter{IncludeInactive: true})
		return err
	})
	if err != nil {
		return DirectorySnapshot{}, fmt.Errorf("read the directory: %w", err)
	}
	return d, nil
}
