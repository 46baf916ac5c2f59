package httpapi

import (
	"context"
	"fmt"
	"net/http"
	"strconv"

	"github.com/awardflow/awardflow/internal/award"
	"github.com/awardflow/awardflow/internal/orgconfig"
	"github.com/awardflow/awardflow/internal/store"
)

// The movements API: the movements with their period, reviews (sơ kết, tổng kết) and
// registration, each with its status on the agency's calendar; registration (đăng ký thi
// đua: staff themselves, a head their unit, an admin anyone) with the movement's
// commitment form, inside the registration window; the registrations list (the office
// all, a head their unit's, anyone else their own); withdrawal before the window
// closes; the reviews due soon or overdue, for the office (secretary, admins). The rules
// are award's (movement.go); the rows are the records store's.

// milestoneOut is a review with its status today.
type milestoneOut struct {
	award.Milestone
	KindLabel   string                `json:"kind_label"`
	DueLabel    string                `json:"due_label"`
	Status      award.MilestoneStatus `json:"status"`
	StatusLabel string                `json:"status_label"`
	DaysLeft    int                   `json:"days_left"` // negative when overdue
}

// formItemOut is an item of a commitment form with its target as people read it.
type formItemOut struct {
	award.CommitmentItem
	TargetLabel string `json:"target_label,omitempty"`
}

// movementOut is a movement as the API shows it.
type movementOut struct {
	award.Movement
	Status      award.MovementStatus `json:"status"`
	StatusLabel string               `json:"status_label"`
	PeriodLabel string               `json:"period_label,omitempty"`
	Milestones  []milestoneOut       `json:"milestones"`
	// RegistrationStatus: the window's status today ("none" without registration).
	RegistrationStatus      award.RegistrationStatus `json:"registration_status"`
	RegistrationStatusLabel string                   `json:"registration_status_label"`
	// RegistrationRequiredFor: the award types whose proposals under the movement need
	// a registration now (empty when the agency's rules require none).
	RegistrationRequiredFor []award.Label `json:"registration_required_for"`
	// Forms are the commitment forms, per kind that registers.
	Forms map[award.NomineeKind][]formItemOut `json:"forms"`
	// Mine says whether the caller (and, for a head, their unit) has registered.
	Mine mineOut `json:"my_registration"`
	// CriterionTargets gives each criterion with a numeric target its target as people
	// read it ("≥ 100 %"), by criterion id.
	CriterionTargets map[string]string `json:"criterion_targets"`
}

type mineOut struct {
	Individual bool `json:"individual"`
	Unit       bool `json:"unit"`
}

// today is the agency's calendar date now.
func (s *Server) today(org *orgconfig.Org) award.Date {
	return award.DateOf(s.Now(), org.Location())
}

func (s *Server) movementOut(ctx context.Context, org *orgconfig.Org, m award.Movement, a award.Actor, today award.Date) (movementOut, error) {
	rules := org.Agency.MovementRules
	out := movementOut{Movement: m, Status: m.StatusAt(today), PeriodLabel: m.PeriodLabelVI(),
		Milestones: make([]milestoneOut, 0, len(m.Milestones)), RegistrationStatus: m.RegistrationStatusAt(today),
		RegistrationRequiredFor: []award.Label{}, Forms: map[award.NomineeKind][]formItemOut{}, CriterionTargets: map[string]string{}}
	out.StatusLabel = out.Status.LabelVI()
	for _, cs := range [][]award.Criterion{m.General, m.Individual, m.Collective} {
		for _, c := range cs {
			if c.Target != nil {
				out.CriterionTargets[c.ID] = c.Target.LabelVI()
			}
		}
	}
	out.RegistrationStatusLabel = out.RegistrationStatus.LabelVI()
	for _, ms := range m.Milestones {
		st := ms.StatusAt(today, rules.RemindDays)
		out.Milestones = append(out.Milestones, milestoneOut{Milestone: ms, KindLabel: ms.Kind.LabelVI(), DueLabel: ms.DueLabelVI(),
			Status: st, StatusLabel: st.LabelVI(), DaysLeft: today.DaysUntil(ms.Due)})
	}
	if r := m.Registration; r != nil {
		for _, code := range r.RequiredFor {
			if t, ok := org.AwardType(code); ok && award.RegistrationNeeded(t, m, rules) {
				out.RegistrationRequiredFor = append(out.RegistrationRequiredFor, award.Label{Code: code, Label: t.Name})
			}
		}
		for _, k := range award.Kinds {
			if !r.Admits(k) {
				continue
			}
			items := []formItemOut{}
			for _, it := range m.FormFor(k) {
				o := formItemOut{CommitmentItem: it}
				if it.Target != nil {
					o.TargetLabel = it.Target.LabelVI()
				}
				items = append(items, o)
			}
			out.Forms[k] = items
		}
		if s.Records != nil {
			var err error
			if out.Mine.Individual, err = s.Records.IsRegistered(ctx, m.ID, award.KindIndividual, a.ID); err != nil {
				return out, err
			}
			if a.Has(award.RoleHead) {
				if out.Mine.Unit, err = s.Records.IsRegistered(ctx, m.ID, award.KindCollective, a.Department); err != nil {
					return out, err
				}
			}
		}
	}
	return out, nil
}

// listMovements answers GET /api/v1/movements: every movement, for everyone signed in.
func (s *Server) listMovements(w http.ResponseWriter, r *http.Request, a award.Actor) error {
	org, err := s.orgOf(r.Context())
	if err != nil {
		return err
	}
	today := s.today(org)
	items := make([]movementOut, 0, len(org.Movements))
	for _, m := range org.Movements {
		o, err := s.movementOut(r.Context(), org, m, a, today)
		if err != nil {
			return err
		}
		items = append(items, o)
	}
	writeJSON(w, http.StatusOK, map[string]any{"today": today, "items": items})
	return nil
}

// movementOf reads the {id} of the path as a configured movement.
func movementOf(r *http.Request, org *orgconfig.Org) (award.Movement, error) {
	id := r.PathValue("id")
	m, ok := org.Movement(id)
	if !ok {
		return m, award.NotFound("Không có phong trào thi đua “%s”", "no movement %q", id)
	}
	return m, nil
}

// getMovement answers GET /api/v1/movements/{id}.
func (s *Server) getMovement(w http.ResponseWriter, r *http.Request, a award.Actor) error {
	org, err := s.orgOf(r.Context())
	if err != nil {
		return err
	}
	m, err := movementOf(r, org)
	if err != nil {
		return err
	}
	o, err := s.movementOut(r.Context(), org, m, a, s.today(org))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, o)
	return nil
}

// movementRequest reads what the registration routes start from: the request's
// organisation, the movement the path names and the records store.
func (s *Server) movementRequest(r *http.Request) (*orgconfig.Org, award.Movement, *store.Store, error) {
	org, err := s.orgOf(r.Context())
	if err != nil {
		return nil, award.Movement{}, nil, err
	}
	m, err := movementOf(r, org)
	if err != nil {
		return nil, award.Movement{}, nil, err
	}
	st, err := s.registrationStore()
	if err != nil {
		return nil, award.Movement{}, nil, err
	}
	return org, m, st, nil
}

func (s *Server) registrationStore() (*store.Store, error) {
	if s.Records == nil {
		return nil, award.Unavailable(0, "Đăng ký thi đua cần cơ sở dữ liệu hồ sơ (AWARDFLOW_DB)", "registrations need the records store (AWARDFLOW_DB)")
	}
	return s.Records, nil
}

// registrationRequest is the registration form as filled in.
type registrationRequest struct {
	Kind award.NomineeKind `json:"kind"`
	// SubjectID is the person or unit registered: by default the caller, or the
	// caller's unit for a collective.
	SubjectID   string             `json:"subject_id"`
	Commitments []award.Commitment `json:"commitments"`
	Other       string             `json:"other"`
}

// commitmentOut is a commitment with its item's words.
type commitmentOut struct {
	award.Commitment
	Text       string `json:"text"`
	ValueLabel string `json:"value_label,omitempty"`
}

// registrationOut is a registration with names and labels.
type registrationOut struct {
	award.Registration
	Result            store.RegistrationWrite `json:"result,omitempty"`
	SubjectLabel      string                  `json:"subject_label"`
	UnitLabel         string                  `json:"unit_label"`
	KindLabel         string                  `json:"kind_label"`
	StatusLabel       string                  `json:"status_label"`
	RegisteredByLabel string                  `json:"registered_by_label"`
	Items             []commitmentOut         `json:"items"`
}

func registrationOutOf(org *orgconfig.Org, m award.Movement, r award.Registration) registrationOut {
	l := labeler{org: org}
	out := registrationOut{Registration: r, UnitLabel: l.department(r.UnitID), KindLabel: r.Kind.LabelVI(),
		RegisteredByLabel: l.person(r.RegisteredBy, ""), StatusLabel: "Đã đăng ký", Items: []commitmentOut{}}
	if r.Withdrawn {
		out.StatusLabel = "Đã rút đăng ký"
	}
	if r.Kind == award.KindCollective {
		out.SubjectLabel = l.department(r.SubjectID)
	} else {
		out.SubjectLabel = l.person(r.SubjectID, "")
	}
	form := m.FormFor(r.Kind)
	for _, c := range r.Commitments.Items {
		o := commitmentOut{Commitment: c, Text: c.ItemID}
		for _, it := range form {
			if it.ID != c.ItemID {
				continue
			}
			o.Text = it.Text
			if c.Value != nil && it.Target != nil {
				o.ValueLabel = award.NumberVI(*c.Value)
				if it.Target.Unit != "" {
					o.ValueLabel += " " + it.Target.Unit
				}
			}
		}
		out.Items = append(out.Items, o)
	}
	return out
}

// registerForMovement answers POST /api/v1/movements/{id}/registrations: 201 for a new (or
// reinstated) registration, 200 when it changes or repeats one.
func (s *Server) registerForMovement(w http.ResponseWriter, r *http.Request, a award.Actor) error {
	org, m, st, err := s.movementRequest(r)
	if err != nil {
		return err
	}
	var req registrationRequest
	if err := decode(w, r, &req); err != nil {
		return err
	}
	if req.Kind != award.KindIndividual && req.Kind != award.KindCollective {
		return award.Invalid("Đối tượng đăng ký phải là cá nhân hoặc tập thể", "kind must be individual or collective")
	}
	if m.Registration != nil && !m.Registration.Admits(req.Kind) {
		who := "cá nhân"
		if req.Kind == award.KindCollective {
			who = "tập thể"
		}
		return award.Invalid("Phong trào “%[1]s” không nhận đăng ký của %[2]s", "the movement %[1]q takes no %[3]s registrations", m.Name, who, req.Kind)
	}
	if req.SubjectID == "" {
		req.SubjectID = a.ID
		if req.Kind == award.KindCollective {
			req.SubjectID = a.Department
		}
	}
	if err := award.CanRegister(a, req.Kind, req.SubjectID); err != nil {
		return err
	}
	unit, err := registrationUnit(org, req.Kind, req.SubjectID)
	if err != nil {
		return err
	}
	if err := m.CheckRegistrationOpen(s.today(org)); err != nil {
		return err
	}
	c, err := award.CleanCommitments(m.FormFor(req.Kind), award.Commitments{Items: req.Commitments, Other: req.Other})
	if err != nil {
		return err
	}
	reg, what, err := st.PutRegistration(r.Context(), award.Registration{MovementID: m.ID, Kind: req.Kind, SubjectID: req.SubjectID,
		UnitID: unit, Commitments: c, RegisteredBy: a.ID})
	if err != nil {
		return err
	}
	out := registrationOutOf(org, m, reg)
	out.Result = what
	status := http.StatusOK
	if what == store.RegistrationCreated || what == store.RegistrationReinstated {
		status = http.StatusCreated
	}
	writeJSON(w, status, out)
	return nil
}

// registrationUnit is the unit of a subject who may register: an active person's unit,
// or an open unit itself.
func registrationUnit(org *orgconfig.Org, kind award.NomineeKind, subject string) (string, error) {
	if kind == award.KindCollective {
		d, ok := org.Department(subject)
		if !ok || d.Closed {
			return "", award.Invalid("Không có đơn vị “%s” đang hoạt động trong danh bạ", "no open unit %q in the directory", subject)
		}
		return d.ID, nil
	}
	p, ok := org.Person(subject)
	if !ok {
		return "", award.Invalid("Không có người “%s” đang công tác trong danh bạ", "no active person %q in the directory", subject)
	}
	return p.Department, nil
}

// withdrawRegistration answers DELETE /api/v1/movements/{id}/registrations/{kind}/{subject}:
// the registration is kept, marked withdrawn; only while the window is open.
func (s *Server) withdrawRegistration(w http.ResponseWriter, r *http.Request, a award.Actor) error {
	org, m, st, err := s.movementRequest(r)
	if err != nil {
		return err
	}
	kind, subject := award.NomineeKind(r.PathValue("kind")), r.PathValue("subject")
	if kind != award.KindIndividual && kind != award.KindCollective {
		return award.NotFound("Không có đối tượng đăng ký “%s” (individual hoặc collective)", "no registration kind %q (individual or collective)", string(kind))
	}
	if err := award.CanRegister(a, kind, subject); err != nil {
		return err
	}
	if _, err := st.Registration(r.Context(), m.ID, kind, subject); err != nil {
		return err
	}
	if err := m.CheckRegistrationOpen(s.today(org)); err != nil {
		return err
	}
	reg, err := st.WithdrawRegistration(r.Context(), m.ID, kind, subject, a.ID)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, registrationOutOf(org, m, reg))
	return nil
}

// listRegistrations answers GET /api/v1/movements/{id}/registrations?kind=&unit=&withdrawn=true:
// the office (admins, the council, the văn thư) sees all, a department head their unit's,
// anyone else their own.
func (s *Server) listRegistrations(w http.ResponseWriter, r *http.Request, a award.Actor) error {
	org, m, st, err := s.movementRequest(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	for name := range q {
		switch name {
		case "kind", "unit", "withdrawn":
		default:
			return award.Invalid("Danh sách đăng ký không nhận tham số %q (kind, unit, withdrawn)", "the registrations list does not take the parameter %q (kind, unit, withdrawn)", name)
		}
	}
	f := store.RegistrationFilter{Movement: m.ID, Kind: award.NomineeKind(q.Get("kind")), UnitID: q.Get("unit")}
	if f.Kind != "" && f.Kind != award.KindIndividual && f.Kind != award.KindCollective {
		return award.Invalid("Đối tượng phải là individual hoặc collective", "kind must be individual or collective")
	}
	if v := q.Get("withdrawn"); v != "" {
		if f.Withdrawn, err = strconv.ParseBool(v); err != nil {
			return award.Invalid("Tham số withdrawn phải là true hoặc false", "withdrawn must be true or false")
		}
	}
	if f.UnitID != "" && !validCode(f.UnitID) {
		return award.Invalid("Giá trị của tham số %q không hợp lệ", "the value of the parameter %q is not valid", "unit")
	}
	scope := award.RegistrationScope(a)
	switch {
	case scope.All:
	case scope.Department != "":
		if f.UnitID != "" && f.UnitID != scope.Department {
			return award.Forbidden("Chỉ xem được đăng ký thi đua của đơn vị mình", "you may only see your own unit's registrations")
		}
		f.UnitID = scope.Department
	default:
		if f.Kind == award.KindCollective {
			return award.Forbidden("Chỉ xem được đăng ký thi đua của chính mình", "you may only see your own registration")
		}
		f.Kind, f.Subject, f.UnitID = award.KindIndividual, a.ID, ""
	}
	regs, err := st.Registrations(r.Context(), f)
	if err != nil {
		return err
	}
	items := make([]registrationOut, 0, len(regs))
	counts := map[award.NomineeKind]int{award.KindIndividual: 0, award.KindCollective: 0}
	for _, reg := range regs {
		items = append(items, registrationOutOf(org, m, reg))
		if !reg.Withdrawn {
			counts[reg.Kind]++
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"movement_id": m.ID, "items": items, "registered": counts})
	return nil
}

// reminderOut is a review the office is reminded of.
type reminderOut struct {
	MovementID   string       `json:"movement_id"`
	MovementName string       `json:"movement_name"`
	Milestone    milestoneOut `json:"milestone"`
	Text         string       `json:"text"`
}

// movementReminders answers GET /api/v1/movements/reminders: the reviews due within the
// configured days or overdue, for the office (the secretary, admins).
func (s *Server) movementReminders(w http.ResponseWriter, r *http.Request, a award.Actor) error {
	if err := award.CanSeeReminders(a); err != nil {
		return err
	}
	org, err := s.orgOf(r.Context())
	if err != nil {
		return err
	}
	today, days := s.today(org), org.Agency.MovementRules.RemindDays
	items := []reminderOut{}
	for _, rm := range award.Reminders(org.Movements, today, days) {
		ms := rm.Milestone
		o := reminderOut{MovementID: rm.MovementID, MovementName: rm.MovementName,
			Milestone: milestoneOut{Milestone: ms, KindLabel: ms.Kind.LabelVI(), DueLabel: ms.DueLabelVI(), Status: rm.Status,
				StatusLabel: rm.Status.LabelVI(), DaysLeft: rm.DaysLeft}}
		o.Text = reminderText(rm)
		items = append(items, o)
	}
	writeJSON(w, http.StatusOK, map[string]any{"today": today, "remind_days": days, "items": items})
	return nil
}

// reminderText is the reminder as a line: "Sơ kết phong trào thi đua “…”: hạn tháng
// 12/2023, quá hạn 3 ngày".
func reminderText(rm award.Reminder) string {
	when := ""
	switch {
	case rm.DaysLeft < 0:
		when = fmt.Sprintf("quá hạn %d ngày", -rm.DaysLeft)
	case rm.DaysLeft == 0:
		when = "đến hạn hôm nay"
	default:
		when = fmt.Sprintf("còn %d ngày", rm.DaysLeft)
	}
	return rm.Milestone.Title + ": hạn " + rm.Milestone.DueLabelVI() + ", " + when
}

// checkRegistration refuses a draft whose award, under its movement, needs the nominee's
// registration (award.RegistrationNeeded: the agency's rule, a campaign award the
// movement lists, never an annual title) when the nominee — the person, or the unit for
// a collective — has none in force. Proposal filing calls it; the coordinator may call it
// at revision and submission too.
func (s *Server) checkRegistration(ctx context.Context, org *orgconfig.Org, d award.Draft) error {
	t, okT := org.AwardType(d.AwardType)
	m, okM := org.Movement(d.MovementID)
	rules := org.Agency.MovementRules
	if !okT || !okM || !award.RegistrationNeeded(t, m, rules) {
		return nil
	}
	kind, subject := award.RegistrationSubject(d)
	registered := false
	if subject != "" {
		st, err := s.registrationStore()
		if err != nil {
			return err
		}
		if registered, err = st.IsRegistered(ctx, m.ID, kind, subject); err != nil {
			return fmt.Errorf("check the registration: %w", err)
		}
	}
	return award.CheckRegistered(t, m, rules, d, registered)
}
