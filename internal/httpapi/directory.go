package httpapi

import (
	"errors"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/awardflow/awardflow/internal/auth"
	"github.com/awardflow/awardflow/internal/award"
	"github.com/awardflow/awardflow/internal/store"
)

// The directory API: everyone signed in reads the units and the active people (to pick
// a nominee, to see who is who); the admin adds and edits people and units, moves
// people between units, and deactivates and reactivates them. Every change is in the
// person's history, and holds on every server from the next request on (the servers
// read the directory's version from the records store on each request).

type unitOut struct {
	ID        string `json:"id"`
	Name      string `json:"name"`
	Active    bool   `json:"active"`
	UpdatedAt string `json:"updated_at"`
}

type personOut struct {
	ID          string       `json:"id"`
	Name        string       `json:"name"`
	Position    string       `json:"position"`
	Unit        string       `json:"unit"`
	UnitLabel   string       `json:"unit_label"`
	Roles       []award.Role `json:"roles"`
	RoleLabels  []string     `json:"role_labels"`
	Active      bool         `json:"active"`
	DisplayName string       `json:"display_name"`
	CanSignIn   bool         `json:"can_sign_in"` // has a password
	UpdatedAt   string       `json:"updated_at"`
	History     []changeOut  `json:"history,omitempty"` // admins, on GET of one person
}

type changeOut struct {
	Seq         int64  `json:"seq"`
	Action      string `json:"action"`
	ActionLabel string `json:"action_label"`
	EffectiveAt string `json:"effective_at"`
	RecordedAt  string `json:"recorded_at"`
	RecordedBy  string `json:"recorded_by"`
	// RecordedByLabel names who recorded it: a person as "Họ tên (Chức vụ, Phòng)", or
	// the system for the first seeding from the organisation YAML.
	RecordedByLabel string       `json:"recorded_by_label"`
	Name            string       `json:"name"`
	Position        string       `json:"position"`
	Unit            string       `json:"unit"`
	UnitLabel       string       `json:"unit_label"`
	Roles           []award.Role `json:"roles"`
	Active          bool         `json:"active"`
	Note            string       `json:"note,omitempty"`
}

var changeLabels = map[string]string{
	store.ActionSeeded: "Khởi tạo từ cấu hình", store.ActionCreated: "Thêm mới", store.ActionUpdated: "Cập nhật",
	store.ActionMoved: "Điều chuyển", store.ActionDeactivated: "Ngừng hoạt động", store.ActionReactivated: "Hoạt động lại",
}

func (s *Server) directoryStore() (*store.Store, error) {
	if s.Records == nil {
		return nil, award.Unavailable(0, "Danh bạ cơ quan chưa có cơ sở dữ liệu hồ sơ (AWARDFLOW_DB)", "the directory needs the records store (AWARDFLOW_DB)")
	}
	return s.Records, nil
}

func (s *Server) personOut(l labeler, p store.Person) personOut {
	return personOut{ID: p.ID, Name: p.Name, Position: p.Position, Unit: p.UnitID, UnitLabel: l.department(p.UnitID),
		Roles: p.Roles, RoleLabels: award.RoleLabels(p.Roles), Active: p.Active, CanSignIn: p.PasswordHash != "",
		DisplayName: award.PersonLabel(p.Name, p.Position, l.department(p.UnitID)), UpdatedAt: p.UpdatedAt.Format(time.RFC3339)}
}

// ifNoneMatch reads If-None-Match on a PUT of the directory: "*" asks to create only
// (the "add" forms), absent edits or creates; anything else is refused.
func ifNoneMatch(r *http.Request) (bool, error) {
	switch v := r.Header.Get("If-None-Match"); v {
	case "":
		return false, nil
	case "*":
		return true, nil
	default:
		return false, award.Malformed("If-None-Match chỉ nhận “*” (chỉ thêm mới)", "If-None-Match takes only \"*\" (create only)")
	}
}

// recordedBy names who recorded a change: the person as they now stand (deactivated
// people too), else their id.
func recordedBy(l labeler, id string) string {
	if p, ok := l.org.Anyone(id); ok {
		return award.PersonLabel(p.Name, p.Position, l.department(p.Department))
	}
	return id
}

// listUnits answers GET /api/v1/directory/units.
func (s *Server) listUnits(w http.ResponseWriter, r *http.Request, _ award.Actor) error {
	st, err := s.directoryStore()
	if err != nil {
		return err
	}
	units, err := st.Units(r.Context())
	if err != nil {
		return err
	}
	out := make([]unitOut, 0, len(units))
	for _, u := range units {
		out = append(out, unitOut{ID: u.ID, Name: u.Name, Active: u.Active, UpdatedAt: u.UpdatedAt.Format(time.RFC3339)})
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": out})
	return nil
}

type unitRequest struct {
	Name   string `json:"name"`
	Active *bool  `json:"active"`
}

// putUnit answers PUT /api/v1/directory/units/{unit}: the admin creates a unit, renames
// it, or closes it (active false; only once nobody active works in it) or reopens it.
func (s *Server) putUnit(w http.ResponseWriter, r *http.Request, a award.Actor) error {
	st, err := s.directoryStore()
	if err != nil {
		return err
	}
	if err := award.CanEditDirectory(a); err != nil {
		return err
	}
	var req unitRequest
	if err := decode(w, r, &req); err != nil {
		return err
	}
	id := r.PathValue("unit")
	name, err := award.CleanUnit(id, req.Name)
	if err != nil {
		return err
	}
	active := req.Active == nil || *req.Active
	before, err := st.Units(r.Context())
	if err != nil {
		return err
	}
	existed := slices.ContainsFunc(before, func(u store.Unit) bool { return u.ID == id })
	createOnly, err := ifNoneMatch(r)
	if err != nil {
		return err
	}
	if createOnly && existed {
		// Units are added rarely and by hand: checked before the write, not in its
		// transaction (unlike people, whose user names are credentials).
		return award.Duplicate("Mã đơn vị “%s” đã có", "unit id %q is taken", id)
	}
	changed, err := st.UpsertUnit(r.Context(), store.Unit{ID: id, Name: name, Active: active})
	if err != nil {
		return directoryErr(err)
	}
	s.Log.InfoContext(r.Context(), "directory: unit", "unit", id, "by", a.ID, "active", active, "changed", changed)
	status := http.StatusOK
	if !existed {
		status = http.StatusCreated
	}
	units, err := st.Units(r.Context())
	if err != nil {
		return err
	}
	for _, u := range units {
		if u.ID == id {
			writeJSON(w, status, unitOut{ID: u.ID, Name: u.Name, Active: u.Active, UpdatedAt: u.UpdatedAt.Format(time.RFC3339)})
			return nil
		}
	}
	return errors.New("put unit: the unit vanished after its write")
}

// listPeople answers GET /api/v1/directory/people?unit=&role=&q=&include_inactive=true.
// Deactivated people are listed for admins only.
func (s *Server) listPeople(w http.ResponseWriter, r *http.Request, a award.Actor) error {
	st, err := s.directoryStore()
	if err != nil {
		return err
	}
	q := r.URL.Query()
	f := store.PeopleFilter{UnitID: q.Get("unit"), Role: award.Role(q.Get("role"))}
	if f.Role != "" && !f.Role.Valid() {
		return award.Invalid("Vai trò “%s” không tồn tại", "unknown role %q", string(f.Role))
	}
	if v := q.Get("include_inactive"); v != "" {
		if v != "true" && v != "false" {
			return award.Invalid("include_inactive phải là true hoặc false", "include_inactive must be true or false")
		}
		if v == "true" {
			if err := award.CanEditDirectory(a); err != nil {
				return award.Forbidden("Chỉ quản trị mới xem được người đã ngừng hoạt động", "only an admin may list deactivated people")
			}
			f.IncludeInactive = true
		}
	}
	if f.Text, err = award.CleanLine(award.FieldPersonName, q.Get("q")); err != nil {
		return err
	}
	people, err := st.People(r.Context(), f)
	if err != nil {
		return err
	}
	l := s.labels(r.Context())
	out := make([]personOut, 0, len(people))
	for _, p := range people {
		out = append(out, s.personOut(l, p))
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": out})
	return nil
}

// getPerson answers GET /api/v1/directory/people/{person}; admins also get the history.
func (s *Server) getPerson(w http.ResponseWriter, r *http.Request, a award.Actor) error {
	st, err := s.directoryStore()
	if err != nil {
		return err
	}
	id := r.PathValue("person")
	p, err := st.Person(r.Context(), id)
	admin := award.CanEditDirectory(a) == nil
	if errors.Is(err, store.ErrNotFound) || (err == nil && !p.Active && !admin) {
		return award.NotFound("Không có người dùng “%s” trong danh bạ", "no person %q in the directory", id)
	}
	if err != nil {
		return err
	}
	l := s.labels(r.Context())
	out := s.personOut(l, p)
	if admin {
		h, err := st.PersonHistory(r.Context(), id)
		if err != nil {
			return err
		}
		out.History = make([]changeOut, 0, len(h))
		for _, c := range h {
			by, note := recordedBy(l, c.RecordedBy), c.Note
			if c.Action == store.ActionSeeded {
				// The store notes the seeding in English; the action label says it in words.
				by, note = "Hệ thống (khởi tạo từ tệp cấu hình)", ""
			}
			out.History = append(out.History, changeOut{Seq: c.Seq, Action: c.Action, ActionLabel: changeLabels[c.Action],
				EffectiveAt: c.EffectiveAt.Format(time.RFC3339), RecordedAt: c.RecordedAt.Format(time.RFC3339),
				RecordedBy: c.RecordedBy, RecordedByLabel: by, Name: c.Name, Position: c.Position, Unit: c.UnitID,
				UnitLabel: l.department(c.UnitID), Roles: c.Roles, Active: c.Active, Note: note})
		}
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// putPerson answers PUT /api/v1/directory/people/{person}: the admin adds a person (201)
// or changes one (200): name, position, unit, roles, and optionally a new password
// (which ends the person's sessions). Repeating the same request changes nothing.
func (s *Server) putPerson(w http.ResponseWriter, r *http.Request, a award.Actor) error {
	st, err := s.directoryStore()
	if err != nil {
		return err
	}
	if err := award.CanEditDirectory(a); err != nil {
		return err
	}
	var req award.PersonEdit
	if err := decode(w, r, &req); err != nil {
		return err
	}
	req.ID = r.PathValue("person")
	if req, err = req.Clean(); err != nil {
		return err
	}
	if err := award.CheckSelfEdit(a, req.ID, false, req.Roles); err != nil {
		return err
	}
	_, err = st.Person(r.Context(), req.ID)
	created := errors.Is(err, store.ErrNotFound)
	if err != nil && !created {
		return err
	}
	createOnly, err := ifNoneMatch(r)
	if err != nil {
		return err
	}
	edit := store.PersonEdit{ID: req.ID, Name: req.Name, Position: req.Position, UnitID: req.Unit, Roles: req.Roles,
		CreateOnly: createOnly}
	if req.Password != "" {
		// A repeated request with the same password keeps the hash (and the sessions).
		cur, err := st.Person(r.Context(), req.ID)
		if err != nil || auth.CheckPassword(cur.PasswordHash, req.Password) != nil {
			if edit.PasswordHash, err = auth.HashPassword(req.Password); err != nil {
				return award.Invalid("Mật khẩu không hợp lệ", "invalid password")
			}
		} else {
			edit.PasswordHash = cur.PasswordHash
		}
	}
	changed, err := st.UpsertPerson(r.Context(), edit, a.ID)
	if err != nil {
		return directoryErr(err)
	}
	s.Log.InfoContext(r.Context(), "directory: person", "person", req.ID, "by", a.ID, "created", created, "changed", changed,
		"password_set", req.Password != "")
	return s.writePerson(w, r, st, req.ID, map[bool]int{true: http.StatusCreated, false: http.StatusOK}[created])
}

type moveRequest struct {
	Unit      string `json:"unit"`
	Position  string `json:"position"`
	Effective string `json:"effective"` // YYYY-MM-DD, the agency's date; "" = now
	Note      string `json:"note"`
}

// movePerson answers POST /api/v1/directory/people/{person}/move: the admin records a
// move to another unit (điều chuyển) from a date on (a past date records a move made on
// paper earlier).
func (s *Server) movePerson(w http.ResponseWriter, r *http.Request, a award.Actor) error {
	st, err := s.directoryStore()
	if err != nil {
		return err
	}
	if err := award.CanEditDirectory(a); err != nil {
		return err
	}
	var req moveRequest
	if err := decode(w, r, &req); err != nil {
		return err
	}
	id := r.PathValue("person")
	if !award.UnitIDPattern.MatchString(req.Unit) {
		return award.Invalid("Cần chọn đơn vị chuyển đến", "the unit to move to is required")
	}
	position, err := award.CleanLine(award.FieldPersonPosition, req.Position)
	if err != nil {
		return err
	}
	note, err := award.CleanBlock(award.FieldReason, req.Note)
	if err != nil {
		return err
	}
	var effective time.Time
	if req.Effective != "" {
		org, err := s.orgOf(r.Context())
		if err != nil {
			return err
		}
		if effective, err = time.ParseInLocation(time.DateOnly, req.Effective, org.Location()); err != nil {
			return award.Invalid("Ngày hiệu lực “%s” không hợp lệ (định dạng YYYY-MM-DD)", "invalid effective date %q (want YYYY-MM-DD)", req.Effective)
		}
	}
	if err := st.MovePerson(r.Context(), id, req.Unit, position, effective, a.ID, note); err != nil {
		return directoryErr(err)
	}
	s.Log.InfoContext(r.Context(), "directory: move", "person", id, "unit", req.Unit, "by", a.ID)
	return s.writePerson(w, r, st, id, http.StatusOK)
}

type activeRequest struct {
	Reason string `json:"reason"`
}

// setPersonActive answers POST …/deactivate (a reason required) and …/reactivate.
// A deactivated person cannot sign in (their sessions end at once, on every server),
// gets no new work and no council seat, and keeps their history and awards.
func (s *Server) setPersonActive(active bool) func(http.ResponseWriter, *http.Request, award.Actor) error {
	return func(w http.ResponseWriter, r *http.Request, a award.Actor) error {
		st, err := s.directoryStore()
		if err != nil {
			return err
		}
		if err := award.CanEditDirectory(a); err != nil {
			return err
		}
		var req activeRequest
		if err := decode(w, r, &req); err != nil {
			return err
		}
		id := r.PathValue("person")
		if err := award.CheckSelfEdit(a, id, !active, nil); err != nil {
			return err
		}
		reason, err := award.CleanBlock(award.FieldReason, req.Reason)
		if err != nil {
			return err
		}
		if !active && strings.TrimSpace(reason) == "" {
			return award.Invalid("Cần ghi lý do ngừng hoạt động (nghỉ hưu, chuyển công tác, …)", "a reason is required to deactivate a person (retired, transferred, …)")
		}
		if active {
			err = st.ReactivatePerson(r.Context(), id, a.ID, reason)
		} else {
			err = st.DeactivatePerson(r.Context(), id, a.ID, reason)
		}
		if err != nil {
			return directoryErr(err)
		}
		s.Log.InfoContext(r.Context(), "directory: active", "person", id, "active", active, "by", a.ID)
		return s.writePerson(w, r, st, id, http.StatusOK)
	}
}

// writePerson answers an edit with the person as they now stand, labelled with the
// directory after the edit (the request's copy predates it).
func (s *Server) writePerson(w http.ResponseWriter, r *http.Request, st *store.Store, id string, status int) error {
	p, err := st.Person(r.Context(), id)
	if err != nil {
		return err
	}
	org, err := s.Org.Current(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, status, s.personOut(labeler{org: org}, p))
	return nil
}

// directoryErr turns the store's errors into what the admin is told.
func directoryErr(err error) error {
	switch {
	case errors.Is(err, store.ErrNotFound):
		return award.NotFound("Không có người dùng này trong danh bạ", "no such person in the directory")
	case errors.Is(err, store.ErrConflict):
		return award.WrongStage("Người này vừa được người khác sửa: tải lại rồi thử lại", "the person was changed meanwhile: reload and try again")
	}
	return err
}
