package award

import (
	"errors"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Movements (phong trào thi đua theo chuyên đề) run over a period, with an interim and a
// final review (sơ kết, tổng kết: Luật Thi đua, khen thưởng 2022 Điều 17 k5), and people
// and units register for them at the start with their commitments (đăng ký thi đua).
// Ongoing emulation (thi đua thường xuyên, Điều 16: the annual titles) needs no movement:
// an annual award type never needs a registration. Everything here is pure: the HTTP
// layer reads the registrations and asks these functions.

// MovementPlan is a movement's period, plan, reviews and registration.
type MovementPlan struct {
	// Theme is the chủ đề the agency chose for the movement.
	Theme string `json:"theme,omitempty" yaml:"theme"`
	// Plan cites the plan or decision that organises the movement ("Kế hoạch số
	// 206/KH-UBND ngày 07/6/2022 của Uỷ ban nhân dân Tỉnh").
	Plan string `json:"plan,omitempty" yaml:"plan"`
	// Start and End bound the movement (both or neither; older configs have neither).
	Start Date `json:"start,omitzero" yaml:"start"`
	End   Date `json:"end,omitzero" yaml:"end"`
	// StartNote says where the start date comes from when the source does not give it
	// ("từ khi phát động": the launch date is not in the article) [verify].
	StartNote string `json:"start_note,omitempty" yaml:"start_note"`
	// EndMonth: the source gives only the month of the end ("đến tháng 12/2025"); End is
	// its last day.
	EndMonth   bool        `json:"end_month,omitempty" yaml:"end_month"`
	Milestones []Milestone `json:"milestones,omitempty" yaml:"milestones"`
	// Registration is how people and units register; nil: the movement takes no
	// registrations.
	Registration *RegistrationRules `json:"registration,omitempty" yaml:"registration"`
	// General are the criteria for everyone, individual or collective (tiêu chí chung),
	// assessed before those of the nominee's kind (Movement.Criteria).
	General []Criterion `json:"general_criteria,omitempty" yaml:"general_criteria"`
}

// Comparison is how a value is held against a target.
type Comparison string

const (
	AtLeast Comparison = "at_least" // ≥: "tối thiểu 7%", "100% văn bản"
	AtMost  Comparison = "at_most"  // ≤
	Exactly Comparison = "exactly"  // =
)

// Comparisons lists the comparisons, in display order.
var Comparisons = []Comparison{AtLeast, AtMost, Exactly}

// LabelVI is the comparison as people say it.
func (c Comparison) LabelVI() string {
	switch c {
	case AtLeast:
		return "tối thiểu"
	case AtMost:
		return "tối đa"
	case Exactly:
		return "bằng"
	}
	return string(c)
}

func (c Comparison) symbol() string {
	switch c {
	case AtLeast:
		return "≥"
	case AtMost:
		return "≤"
	}
	return "="
}

// Target is a number a criterion or a commitment asks for: 100 "%" at least.
type Target struct {
	Value      float64    `json:"value" yaml:"value"`
	Unit       string     `json:"unit" yaml:"unit"` // "%", "%/năm", "cuộc", "" for a count
	Comparison Comparison `json:"comparison" yaml:"comparison"`
	// Measure is what is counted, when the text alone does not say ("văn bản phát hành
	// dưới dạng văn bản điện tử").
	Measure string `json:"measure,omitempty" yaml:"measure"`
}

// maxTargetValue bounds targets and committed values (a sanity bound, not a rule).
const maxTargetValue = 1e9

// Check validates a configured target.
func (t Target) Check() error {
	if math.IsNaN(t.Value) || math.IsInf(t.Value, 0) || math.Abs(t.Value) > maxTargetValue {
		return fmt.Errorf("target value %v is not a finite number", t.Value)
	}
	if !slices.Contains(Comparisons, t.Comparison) {
		return fmt.Errorf("target comparison %q must be one of at_least, at_most, exactly", t.Comparison)
	}
	if strings.HasPrefix(strings.TrimSpace(t.Unit), "%") && (t.Value < 0 || t.Value > 100 && t.Unit == "%") {
		return fmt.Errorf("target %v%s: a share is between 0 and 100", t.Value, t.Unit)
	}
	return nil
}

// Met reports whether v reaches the target.
func (t Target) Met(v float64) bool {
	switch t.Comparison {
	case AtLeast:
		return v >= t.Value
	case AtMost:
		return v <= t.Value
	case Exactly:
		return v == t.Value
	}
	return false
}

// LabelVI is the target as the forms show it: "≥ 7 %/năm", "≥ 100 %", "= 2,5 cuộc".
func (t Target) LabelVI() string {
	s := t.Comparison.symbol() + " " + NumberVI(t.Value)
	if t.Unit != "" {
		s += " " + t.Unit
	}
	return s
}

// NumberVI writes a number with a decimal comma, without trailing zeros: 7, 2,5.
func NumberVI(v float64) string {
	return strings.Replace(strconv.FormatFloat(v, 'f', -1, 64), ".", ",", 1)
}

// MilestoneKind is a movement's review: sơ kết (interim) or tổng kết (final).
type MilestoneKind string

const (
	MilestoneInterim MilestoneKind = "interim"
	MilestoneFinal   MilestoneKind = "final"
)

// MilestoneKinds lists the kinds, in display order.
var MilestoneKinds = []MilestoneKind{MilestoneInterim, MilestoneFinal}

// LabelVI is the review's name.
func (k MilestoneKind) LabelVI() string {
	switch k {
	case MilestoneInterim:
		return "Sơ kết"
	case MilestoneFinal:
		return "Tổng kết"
	}
	return string(k)
}

// Milestone is a review of a movement with its due date.
type Milestone struct {
	ID    string        `json:"id" yaml:"id"`
	Kind  MilestoneKind `json:"kind" yaml:"kind"`
	Title string        `json:"title" yaml:"title"`
	Due   Date          `json:"due" yaml:"due"`
	// DueMonth: the source gives only the month ("sơ kết tháng 12/2023"); Due is its
	// last day and labels say the month.
	DueMonth bool `json:"due_month,omitempty" yaml:"due_month"`
	// Held is when the review took place, once the office records it: a held review is
	// no longer reminded.
	Held Date `json:"held,omitzero" yaml:"held"`
}

// DueLabelVI is the due date as the source gives it: "tháng 12/2023" or "31/12/2023".
func (ms Milestone) DueLabelVI() string {
	if ms.DueMonth {
		return ms.Due.MonthVI()
	}
	return ms.Due.VI()
}

// MilestoneStatus is where a review stands on a day.
type MilestoneStatus string

const (
	MilestoneUpcoming MilestoneStatus = "upcoming" // due later than the reminder window
	MilestoneDueSoon  MilestoneStatus = "due_soon" // due within the reminder window (today included)
	MilestoneOverdue  MilestoneStatus = "overdue"  // past due and not recorded as held
	MilestoneHeld     MilestoneStatus = "held"     // recorded as held
)

// MilestoneStatuses lists the statuses, in display order.
var MilestoneStatuses = []MilestoneStatus{MilestoneUpcoming, MilestoneDueSoon, MilestoneOverdue, MilestoneHeld}

// LabelVI is the status as people read it.
func (s MilestoneStatus) LabelVI() string {
	switch s {
	case MilestoneUpcoming:
		return "Chưa đến hạn"
	case MilestoneDueSoon:
		return "Sắp đến hạn"
	case MilestoneOverdue:
		return "Quá hạn"
	case MilestoneHeld:
		return "Đã thực hiện"
	}
	return string(s)
}

// StatusAt is the review's status on day today, reminding remindDays ahead: due within
// [today, today+remindDays] is due soon; before today (and not held) overdue.
func (ms Milestone) StatusAt(today Date, remindDays int) MilestoneStatus {
	switch {
	case !ms.Held.IsZero():
		return MilestoneHeld
	case ms.Due.Before(today):
		return MilestoneOverdue
	case !ms.Due.After(today.AddDays(max(remindDays, 0))):
		return MilestoneDueSoon
	}
	return MilestoneUpcoming
}

// MovementStatus is where a movement stands on a day.
type MovementStatus string

const (
	MovementPlanned MovementStatus = "planned" // before its start
	MovementRunning MovementStatus = "running"
	MovementEnded   MovementStatus = "ended" // after its end
)

// MovementStatuses lists the statuses, in display order.
var MovementStatuses = []MovementStatus{MovementPlanned, MovementRunning, MovementEnded}

// LabelVI is the status as people read it.
func (s MovementStatus) LabelVI() string {
	switch s {
	case MovementPlanned:
		return "Chưa bắt đầu"
	case MovementRunning:
		return "Đang diễn ra"
	case MovementEnded:
		return "Đã kết thúc"
	}
	return string(s)
}

// StatusAt is the movement's status on day today; a movement without dates runs.
func (m Movement) StatusAt(today Date) MovementStatus {
	switch {
	case !m.Start.IsZero() && today.Before(m.Start):
		return MovementPlanned
	case !m.End.IsZero() && today.After(m.End):
		return MovementEnded
	}
	return MovementRunning
}

// PeriodLabelVI is the movement's period: "07/06/2022 – tháng 12/2025".
func (m Movement) PeriodLabelVI() string {
	if m.Start.IsZero() {
		return ""
	}
	end := m.End.VI()
	if m.EndMonth {
		end = m.End.MonthVI()
	}
	return m.Start.VI() + " – " + end
}

// RegistrationRules say who registers for a movement, when, with which form, and which
// awards under the movement need a registration.
type RegistrationRules struct {
	// RequiredFor lists the award types (codes) whose proposals under the movement need
	// the nominee's registration, when the agency's rules require registrations
	// (MovementRules.RegistrationRequired). Annual titles may not be listed.
	RequiredFor []string `json:"required_for" yaml:"required_for"`
	// Opens and Closes bound the registration window (both days included); Opens
	// defaults to the movement's start.
	Opens  Date `json:"opens" yaml:"opens"`
	Closes Date `json:"closes" yaml:"closes"`
	// Kinds is who registers: individuals, collectives or both (default both).
	Kinds []NomineeKind `json:"kinds" yaml:"kinds"`
	// IndividualForm and CollectiveForm are the commitment forms (the template of the
	// registration); empty: one item per criterion of that kind (FormFor).
	IndividualForm []CommitmentItem `json:"individual_form,omitempty" yaml:"individual_form"`
	CollectiveForm []CommitmentItem `json:"collective_form,omitempty" yaml:"collective_form"`
}

// CommitmentItem is one line of a registration form: a commitment, with the number
// committed to when the item has a target.
type CommitmentItem struct {
	ID   string `json:"id" yaml:"id"`
	Text string `json:"text" yaml:"text"`
	// Criterion is the criterion the commitment answers (optional).
	Criterion string `json:"criterion,omitempty" yaml:"criterion"`
	// Target: the registrant commits to a number that reaches it (a value below the
	// movement's target is refused); no value given commits to the target itself.
	Target *Target `json:"target,omitempty" yaml:"target"`
	// Optional: an extra pledge, committed to only when the registrant gives it; every
	// other item is committed to by registering.
	Optional bool `json:"optional,omitempty" yaml:"optional"`
}

// Admits reports whether nominees of kind k register for the movement.
func (r *RegistrationRules) Admits(k NomineeKind) bool {
	if r == nil {
		return false
	}
	return len(r.Kinds) == 0 && (k == KindIndividual || k == KindCollective) || slices.Contains(r.Kinds, k)
}

// FormFor is the commitment form for nominees of kind k: the configured one, else one
// item per criterion of that kind, with the criterion's target.
func (m Movement) FormFor(k NomineeKind) []CommitmentItem {
	if r := m.Registration; r != nil {
		form := r.IndividualForm
		if k == KindCollective {
			form = r.CollectiveForm
		}
		if len(form) > 0 {
			return form
		}
	}
	crit := m.Criteria(k)
	out := make([]CommitmentItem, 0, len(crit))
	for _, c := range crit {
		out = append(out, CommitmentItem{ID: c.ID, Text: c.Text, Criterion: c.ID, Target: c.Target})
	}
	return out
}

// RegistrationStatus is where a movement's registration stands on a day.
type RegistrationStatus string

const (
	RegistrationNone    RegistrationStatus = "none"     // the movement takes no registrations
	RegistrationNotOpen RegistrationStatus = "not_open" // before the window
	RegistrationOpen    RegistrationStatus = "open"
	RegistrationClosed  RegistrationStatus = "closed" // after the window
)

// RegistrationStatuses lists the statuses, in display order.
var RegistrationStatuses = []RegistrationStatus{RegistrationNone, RegistrationNotOpen, RegistrationOpen, RegistrationClosed}

// LabelVI is the status as people read it.
func (s RegistrationStatus) LabelVI() string {
	switch s {
	case RegistrationNone:
		return "Không tổ chức đăng ký"
	case RegistrationNotOpen:
		return "Chưa mở đăng ký"
	case RegistrationOpen:
		return "Đang nhận đăng ký"
	case RegistrationClosed:
		return "Đã hết hạn đăng ký"
	}
	return string(s)
}

// RegistrationStatusAt is the registration's status on day today (both ends of the
// window included).
func (m Movement) RegistrationStatusAt(today Date) RegistrationStatus {
	r := m.Registration
	switch {
	case r == nil:
		return RegistrationNone
	case today.Before(r.Opens):
		return RegistrationNotOpen
	case today.After(r.Closes):
		return RegistrationClosed
	}
	return RegistrationOpen
}

// CheckRegistrationOpen refuses registering for (or withdrawing from) the movement on
// day today outside its window, saying the window in Vietnamese.
func (m Movement) CheckRegistrationOpen(today Date) error {
	switch m.RegistrationStatusAt(today) {
	case RegistrationOpen:
		return nil
	case RegistrationNone:
		return Invalid("Phong trào “%s” không tổ chức đăng ký thi đua", "the movement %q takes no registrations", m.Name)
	case RegistrationNotOpen:
		return Invalid("Phong trào “%[1]s” chưa mở đăng ký thi đua: thời gian đăng ký từ %[2]s đến %[3]s",
			"registration for the movement %[1]q is not open yet: it runs from %[4]s to %[5]s",
			m.Name, m.Registration.Opens.VI(), m.Registration.Closes.VI(), m.Registration.Opens.String(), m.Registration.Closes.String())
	}
	return Invalid("Phong trào “%[1]s” đã hết hạn đăng ký thi đua (thời gian đăng ký từ %[2]s đến %[3]s)",
		"registration for the movement %[1]q is closed: it ran from %[4]s to %[5]s",
		m.Name, m.Registration.Opens.VI(), m.Registration.Closes.VI(), m.Registration.Opens.String(), m.Registration.Closes.String())
}

// MovementRules are the agency's rules about movements (its quy chế).
type MovementRules struct {
	// RegistrationRequired: a proposal for an award type a movement lists in
	// registration.required_for needs its nominee's registration ("không đăng ký thi
	// đua thì không xét khen thưởng" [practice]); false: registrations are kept but
	// nothing requires them.
	RegistrationRequired bool `json:"registration_required" yaml:"registration_required"`
	// Citation is the rule's basis, printed in the refusal ("Quy chế thi đua, khen
	// thưởng của Cơ quan, Điều …").
	Citation string `json:"citation,omitempty" yaml:"citation"`
	// RemindDays: a review due within this many days is reminded to the office
	// (default DefaultRemindDays).
	RemindDays int `json:"remind_days" yaml:"remind_days"`
}

// DefaultRemindDays is how far ahead reviews are reminded when the config says nothing.
const DefaultRemindDays = 14

// RegistrationNeeded reports whether a proposal for award type t under movement m needs
// its nominee's registration: only when the agency requires registrations, never for an
// annual title (thi đua thường xuyên, Điều 16), and only for the types the movement
// lists.
func RegistrationNeeded(t AwardType, m Movement, rules MovementRules) bool {
	if !rules.RegistrationRequired || t.Annual || m.Registration == nil {
		return false
	}
	return slices.Contains(m.Registration.RequiredFor, t.Code)
}

// RegistrationSubject is whose registration a draft needs: the person for an individual
// (ResolveNominee has linked them to the directory), the unit for a collective.
func RegistrationSubject(d Draft) (NomineeKind, string) {
	if d.Kind == KindCollective {
		return KindCollective, d.Department
	}
	return KindIndividual, d.NomineeID
}

// CheckRegistered refuses a draft that needs a registration (RegistrationNeeded) when
// its nominee has none in force (registered false), citing the agency's rule.
func CheckRegistered(t AwardType, m Movement, rules MovementRules, d Draft, registered bool) error {
	if registered || !RegistrationNeeded(t, m, rules) {
		return nil
	}
	basis := rules.Citation
	if basis == "" {
		basis = "quy chế thi đua, khen thưởng của cơ quan"
	}
	return Invalid("“%[1]s” chưa đăng ký thi đua trong phong trào “%[2]s”: hình thức “%[3]s” theo phong trào này chỉ xét cho cá nhân, tập thể đã đăng ký (%[4]s)",
		"%[1]s has not registered for the movement %[2]q: %[3]s under this movement is for registered nominees only (%[4]s)",
		d.NomineeName, m.Name, t.Name, basis)
}

// Commitment is one item of a registration form as the registrant filled it in.
type Commitment struct {
	ItemID string   `json:"item_id"`
	Value  *float64 `json:"value,omitempty"`
	Note   string   `json:"note,omitempty"`
}

// Commitments is a registration's content: the form's items and any other commitment.
type Commitments struct {
	Items []Commitment `json:"items"`
	Other string       `json:"other,omitempty"`
}

// Limits on a registration's text.
const (
	maxCommitmentNote  = 2000
	maxCommitmentOther = 10000
)

// Fields of a registration, for messages.
var (
	FieldCommitmentNote  = TextField{"Nội dung cam kết", "commitments.items[].note"}
	FieldCommitmentOther = TextField{"Cam kết khác", "commitments.other"}
)

// CleanCommitments checks a filled-in form against its template and normalises it:
// every item given is of the form and given once; registering commits to every item
// not optional (those left out are added), to the optional ones given; an item with a
// target gets a value that reaches it (the target's own value when none is given), an
// item without one takes no value; notes are cleaned text (CleanBlock). The items come
// back in the form's order.
func CleanCommitments(form []CommitmentItem, c Commitments) (Commitments, error) {
	byID := map[string]Commitment{}
	for _, it := range c.Items {
		i := slices.IndexFunc(form, func(f CommitmentItem) bool { return f.ID == it.ItemID })
		if i < 0 {
			return Commitments{}, Invalid("Phiếu đăng ký không có mục “%s”", "the registration form has no item %q", it.ItemID)
		}
		if _, dup := byID[it.ItemID]; dup {
			return Commitments{}, Invalid("Mục “%s” của phiếu đăng ký được điền hai lần", "the item %q is given twice", it.ItemID)
		}
		byID[it.ItemID] = it
	}
	out := Commitments{Items: []Commitment{}}
	for _, f := range form {
		it, ok := byID[f.ID]
		if !ok {
			if f.Optional {
				continue
			}
			it = Commitment{ItemID: f.ID}
		}
		switch {
		case f.Target == nil && it.Value != nil:
			return Commitments{}, Invalid("Mục “%[1]s” không có chỉ tiêu bằng số", "the item %[2]q takes no number", f.Text, f.ID)
		case f.Target != nil && it.Value == nil:
			v := f.Target.Value
			it.Value = &v
		case f.Target != nil:
			v := *it.Value
			if math.IsNaN(v) || math.IsInf(v, 0) || math.Abs(v) > maxTargetValue {
				return Commitments{}, Invalid("Chỉ tiêu của mục “%[1]s” không phải là số hợp lệ", "the value of the item %[2]q is not a valid number", f.Text, f.ID)
			}
			if !f.Target.Met(v) {
				return Commitments{}, Invalid("Chỉ tiêu cam kết của mục “%[1]s” phải %[2]s theo yêu cầu của phong trào",
					"the value committed to for %[3]q must be %[4]s, the movement's target",
					f.Text, f.Target.Comparison.LabelVI()+" "+NumberVI(f.Target.Value)+unitSuffix(f.Target.Unit),
					f.ID, f.Target.LabelVI())
			}
			if v == 0 {
				v = 0 // not -0
			}
			it.Value = &v
		}
		note, err := CleanBlock(FieldCommitmentNote, it.Note)
		if err != nil {
			return Commitments{}, err
		}
		if utf8.RuneCountInString(note) > maxCommitmentNote {
			return Commitments{}, Invalid("Nội dung cam kết quá dài (tối đa %d ký tự)", "a commitment note is longer than %d characters", maxCommitmentNote)
		}
		out.Items = append(out.Items, Commitment{ItemID: f.ID, Value: it.Value, Note: note})
	}
	other, err := CleanBlock(FieldCommitmentOther, c.Other)
	if err != nil {
		return Commitments{}, err
	}
	if utf8.RuneCountInString(other) > maxCommitmentOther {
		return Commitments{}, Invalid("Phần cam kết khác quá dài (tối đa %d ký tự)", "the other commitments are longer than %d characters", maxCommitmentOther)
	}
	out.Other = other
	return out, nil
}

func unitSuffix(u string) string {
	if u == "" {
		return ""
	}
	return " " + u
}

// NounRegistration names a registration in messages.
var NounRegistration = Noun{"đăng ký thi đua", "registration"}

// Registration is a person's or a unit's registration for a movement (đăng ký thi
// đua): one per movement, kind and subject; withdrawing keeps the record.
type Registration struct {
	MovementID string      `json:"movement_id"`
	Kind       NomineeKind `json:"kind"`
	// SubjectID is the person (individual) or the unit (collective) registered.
	SubjectID string `json:"subject_id"`
	// UnitID is the unit: the person's at registration, or the unit itself.
	UnitID       string      `json:"unit_id"`
	Commitments  Commitments `json:"commitments"`
	RegisteredBy string      `json:"registered_by"`
	RegisteredAt time.Time   `json:"registered_at"`
	UpdatedBy    string      `json:"updated_by"`
	UpdatedAt    time.Time   `json:"updated_at"`
	Withdrawn    bool        `json:"withdrawn"`
	WithdrawnBy  string      `json:"withdrawn_by,omitempty"`
	WithdrawnAt  time.Time   `json:"withdrawn_at,omitzero"`
}

// CanRegister reports whether the actor may register (or withdraw) subject for a
// movement: staff register themselves, a department head registers their unit (and
// themselves), an admin anyone.
func CanRegister(a Actor, kind NomineeKind, subject string) error {
	switch {
	case a.Has(RoleAdmin):
		return nil
	case kind == KindIndividual && subject == a.ID:
		return nil
	case kind == KindCollective && a.Has(RoleHead) && subject == a.Department:
		return nil
	case kind == KindCollective:
		return Forbidden("Chỉ lãnh đạo của đơn vị (hoặc quản trị) mới được đăng ký thi đua cho đơn vị", "only the unit's head (or an admin) may register the unit")
	}
	return Forbidden("Mỗi người tự đăng ký thi đua cho mình (quản trị đăng ký thay được)", "people register themselves (an admin may register anyone)")
}

// RegistrationScope is whose registrations the actor may list: the office (admins, the
// council, the văn thư) everyone's; a department head their unit's; anyone else their
// own.
func RegistrationScope(a Actor) ListScope { return officeScope(a) }

// CanSeeReminders reports whether the actor gets the movements' review reminders: the
// office that organises the reviews (the council's secretary, admins).
func CanSeeReminders(a Actor) error {
	if a.actsAs(RoleSecretary) || a.Has(RoleAdmin) {
		return nil
	}
	return Forbidden("Chỉ thư ký Hội đồng và quản trị nhận nhắc việc sơ kết, tổng kết phong trào", "only the council secretary and admins get the movements' review reminders")
}

// Reminder is a review to remind the office of.
type Reminder struct {
	MovementID   string
	MovementName string
	Milestone    Milestone
	Status       MilestoneStatus // due soon or overdue
	DaysLeft     int             // days until due; negative when overdue
}

// Reminders lists the reviews due within remindDays of today or overdue (not held),
// soonest due first (then by movement and review, in config order).
func Reminders(movements []Movement, today Date, remindDays int) []Reminder {
	var out []Reminder
	for _, m := range movements {
		for _, ms := range m.Milestones {
			st := ms.StatusAt(today, remindDays)
			if st != MilestoneDueSoon && st != MilestoneOverdue {
				continue
			}
			out = append(out, Reminder{MovementID: m.ID, MovementName: m.Name, Milestone: ms, Status: st, DaysLeft: today.DaysUntil(ms.Due)})
		}
	}
	slices.SortStableFunc(out, func(a, b Reminder) int { return a.Milestone.Due.Compare(b.Milestone.Due) })
	return out
}

// movementIDPattern: a movement's id is part of URLs (/api/v1/movements/{id}).
var movementIDPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`)

// reservedMovementIDs are path segments of /api/v1/movements/… that are not movements.
var reservedMovementIDs = []string{"reminders"}

// NormalizeMovement fills a configured movement's defaults: milestone ids and titles,
// the registration's opening (the movement's start).
func NormalizeMovement(m Movement) Movement {
	ms := slices.Clone(m.Milestones)
	for i := range ms {
		if ms[i].ID == "" {
			ms[i].ID = string(ms[i].Kind) + "-" + ms[i].Due.String()
		}
		if ms[i].Title == "" {
			ms[i].Title = ms[i].Kind.LabelVI() + " phong trào thi đua “" + m.Name + "”"
		}
	}
	m.Milestones = ms
	if m.Registration != nil {
		r := *m.Registration
		if r.Opens.IsZero() {
			r.Opens = m.Start
		}
		m.Registration = &r
	}
	return m
}

// CheckMovement validates a configured movement (after NormalizeMovement) against the
// award types: an id fit for URLs, the period in order, the reviews inside it (at most
// one final review, none after it), the registration window inside it, registration
// required only for known campaign award types, criteria and form items with unique ids
// and valid targets.
func CheckMovement(m Movement, types []AwardType) error {
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	if !movementIDPattern.MatchString(m.ID) || slices.Contains(reservedMovementIDs, m.ID) {
		bad("id %q must be 1-64 letters, digits, '.', '_' or '-' (and not %s)", m.ID, strings.Join(reservedMovementIDs, ", "))
	}
	if strings.TrimSpace(m.Name) == "" {
		bad("name is required")
	}
	dated := !m.Start.IsZero() && !m.End.IsZero()
	switch {
	case m.Start.IsZero() != m.End.IsZero():
		bad("start and end go together (%q, %q)", m.Start, m.End)
	case dated && m.End.Before(m.Start):
		bad("ends (%s) before it starts (%s)", m.End, m.Start)
	case dated && m.Year != 0 && (m.Year < m.Start.Year() || m.Year > m.End.Year()):
		bad("year %d is outside its period %s – %s", m.Year, m.Start, m.End)
	}
	if (len(m.Milestones) > 0 || m.Registration != nil) && !dated {
		bad("reviews and registration need the movement's start and end")
	}
	ids := map[string]bool{}
	var final *Milestone
	for i, ms := range m.Milestones {
		if ms.ID == "" || ids[ms.ID] {
			bad("milestone %q: id missing or repeated", ms.ID)
		}
		ids[ms.ID] = true
		if !slices.Contains(MilestoneKinds, ms.Kind) {
			bad("milestone %q: kind %q must be interim or final", ms.ID, ms.Kind)
		}
		if ms.Due.IsZero() {
			bad("milestone %q: due date is required", ms.ID)
		} else if dated && (ms.Due.Before(m.Start) || ms.Due.After(m.End)) {
			bad("milestone %q: due %s is outside the movement's period %s – %s", ms.ID, ms.Due, m.Start, m.End)
		}
		if ms.DueMonth && ms.Due != EndOfMonth(ms.Due.Year(), ms.Due.Month()) {
			bad("milestone %q: due_month wants the last day of the month (%s)", ms.ID, EndOfMonth(ms.Due.Year(), ms.Due.Month()))
		}
		if !ms.Held.IsZero() && dated && ms.Held.Before(m.Start) {
			bad("milestone %q: held %s before the movement starts", ms.ID, ms.Held)
		}
		if ms.Kind == MilestoneFinal {
			if final != nil {
				bad("milestone %q: a movement has one final review (%q is one)", ms.ID, final.ID)
			}
			final = &m.Milestones[i]
		}
	}
	if final != nil {
		for _, ms := range m.Milestones {
			if ms.Kind == MilestoneInterim && ms.Due.After(final.Due) {
				bad("milestone %q: the interim review is due after the final one", ms.ID)
			}
		}
	}
	if m.EndMonth && m.End != EndOfMonth(m.End.Year(), m.End.Month()) {
		bad("end_month wants the last day of the month (%s)", EndOfMonth(m.End.Year(), m.End.Month()))
	}
	crit := map[NomineeKind]map[string]bool{KindIndividual: {}, KindCollective: {}}
	seenCrit := map[string]bool{}
	for _, list := range [][]Criterion{m.General, m.Individual, m.Collective} {
		for _, c := range list {
			if c.ID == "" || seenCrit[c.ID] {
				bad("criterion %q: id missing or repeated", c.ID)
			}
			seenCrit[c.ID] = true
			if strings.TrimSpace(c.Text) == "" {
				bad("criterion %q: text is required", c.ID)
			}
			if c.Target != nil {
				if err := c.Target.Check(); err != nil {
					bad("criterion %q: %v", c.ID, err)
				}
			}
		}
	}
	for _, k := range Kinds {
		for _, c := range m.Criteria(k) {
			crit[k][c.ID] = true
		}
	}
	if r := m.Registration; r != nil && dated {
		switch {
		case r.Closes.IsZero():
			bad("registration: closes is required")
		case r.Closes.Before(r.Opens):
			bad("registration closes (%s) before it opens (%s)", r.Closes, r.Opens)
		}
		if r.Opens.Before(m.Start) || r.Closes.After(m.End) {
			bad("registration window %s – %s is outside the movement's period %s – %s", r.Opens, r.Closes, m.Start, m.End)
		}
		for _, k := range r.Kinds {
			if k != KindIndividual && k != KindCollective {
				bad("registration: kinds may list individual and collective only (%q)", k)
			}
		}
		for _, code := range r.RequiredFor {
			i := slices.IndexFunc(types, func(t AwardType) bool { return t.Code == code })
			switch {
			case i < 0:
				bad("registration: required_for names unknown award type %q", code)
			case types[i].Annual:
				bad("registration: %q is an annual title (thi đua thường xuyên, Luật 2022 Điều 16): it never needs a movement's registration", code)
			}
		}
		for _, k := range Kinds {
			form := r.IndividualForm
			if k == KindCollective {
				form = r.CollectiveForm
			}
			if len(form) > 0 && !r.Admits(k) {
				bad("registration: a %s form but %s nominees do not register", k, k)
			}
			seen := map[string]bool{}
			for _, it := range form {
				if it.ID == "" || seen[it.ID] {
					bad("registration %s form: item %q: id missing or repeated", k, it.ID)
				}
				seen[it.ID] = true
				if strings.TrimSpace(it.Text) == "" {
					bad("registration %s form: item %q: text is required", k, it.ID)
				}
				if it.Criterion != "" && !crit[k][it.Criterion] {
					bad("registration %s form: item %q: no %s criterion %q", k, it.ID, k, it.Criterion)
				}
				if it.Target != nil {
					if err := it.Target.Check(); err != nil {
						bad("registration %s form: item %q: %v", k, it.ID, err)
					}
				}
			}
		}
	}
	return errors.Join(errs...)
}

// MovementTexts lists a movement's configured texts that pages and forms show, with
// where they are, for the printable check at start.
func MovementTexts(m Movement) map[string]string {
	out := map[string]string{"name": m.Name, "theme": m.Theme, "plan": m.Plan, "start_note": m.StartNote}
	for _, k := range Kinds {
		for _, c := range m.Criteria(k) {
			out["criterion "+c.ID] = c.Text
			if c.Target != nil {
				out["criterion "+c.ID+" unit"] = c.Target.Unit + " " + c.Target.Measure
			}
		}
	}
	for _, ms := range m.Milestones {
		out["milestone "+ms.ID] = ms.Title
	}
	if r := m.Registration; r != nil {
		for _, it := range slices.Concat(r.IndividualForm, r.CollectiveForm) {
			out["form item "+it.ID] = it.Text
			if it.Target != nil {
				out["form item "+it.ID+" unit"] = it.Target.Unit + " " + it.Target.Measure
			}
		}
	}
	return out
}
