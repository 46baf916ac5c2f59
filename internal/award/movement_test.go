package award

import (
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"
)

// The movements' statuses are shown to people: each value needs a label (see
// TestEveryCodeHasALabel).
func init() {
	labelledTypes["MilestoneKind"] = func(c string) (string, bool) {
		return MilestoneKind(c).LabelVI(), slices.Contains(MilestoneKinds, MilestoneKind(c))
	}
	labelledTypes["MilestoneStatus"] = func(c string) (string, bool) {
		return MilestoneStatus(c).LabelVI(), slices.Contains(MilestoneStatuses, MilestoneStatus(c))
	}
	labelledTypes["MovementStatus"] = func(c string) (string, bool) {
		return MovementStatus(c).LabelVI(), slices.Contains(MovementStatuses, MovementStatus(c))
	}
	labelledTypes["RegistrationStatus"] = func(c string) (string, bool) {
		return RegistrationStatus(c).LabelVI(), slices.Contains(RegistrationStatuses, RegistrationStatus(c))
	}
}

func d(y int, m time.Month, day int) Date { return NewDate(y, m, day) }

func wantAwardCode(t *testing.T, err error, code Code, viPart string) {
	t.Helper()
	e, ok := err.(*Error)
	if !ok || e.Code != code {
		t.Fatalf("error %v: want an award error %s", err, code)
	}
	if viPart != "" && !strings.Contains(e.VI, viPart) {
		t.Fatalf("error %q: want %q in the Vietnamese text", e.VI, viPart)
	}
	if e.EN == "" || strings.Contains(e.VI+e.EN, "%!") {
		t.Fatalf("error %q / %q: both languages, no fmt debris", e.VI, e.EN)
	}
}

func TestDate(t *testing.T) {
	hcm := time.FixedZone("ICT", 7*3600)
	if got := DateOf(time.Date(2023, 12, 31, 17, 30, 0, 0, time.UTC), hcm); got != d(2024, 1, 1) {
		t.Errorf("17:30 UTC on 31/12/2023 is %s in Vietnam, want 2024-01-01", got)
	}
	if got := DateOf(time.Date(2023, 12, 31, 16, 59, 0, 0, time.UTC), hcm); got != d(2023, 12, 31) {
		t.Errorf("16:59 UTC on 31/12/2023 is %s in Vietnam, want 2023-12-31", got)
	}
	for _, tc := range []struct {
		y    int
		m    time.Month
		want Date
	}{{2023, 12, d(2023, 12, 31)}, {2024, 2, d(2024, 2, 29)}, {2025, 2, d(2025, 2, 28)}, {2025, 4, d(2025, 4, 30)}} {
		if got := EndOfMonth(tc.y, tc.m); got != tc.want {
			t.Errorf("EndOfMonth(%d, %d) = %s, want %s", tc.y, tc.m, got, tc.want)
		}
	}
	if n := d(2023, 12, 31).DaysUntil(d(2025, 12, 31)); n != 731 {
		t.Errorf("DaysUntil = %d, want 731 (2024 is a leap year)", n)
	}
	if n := d(2025, 1, 2).DaysUntil(d(2025, 1, 1)); n != -1 {
		t.Errorf("DaysUntil backwards = %d, want -1", n)
	}
	if got := d(2022, 6, 7).VI(); got != "07/06/2022" {
		t.Errorf("VI = %q", got)
	}
	if got := d(2023, 12, 31).MonthVI(); got != "tháng 12/2023" {
		t.Errorf("MonthVI = %q", got)
	}
	for _, bad := range []string{"2022-6-7", "07/06/2022", "2023-02-29", "x"} {
		if _, err := ParseDate(bad); err == nil {
			t.Errorf("ParseDate(%q) accepted", bad)
		}
	}
	var v struct {
		A Date `json:"a"`
		B Date `json:"b,omitzero"`
	}
	if err := json.Unmarshal([]byte(`{"a":"2025-12-31"}`), &v); err != nil || v.A != d(2025, 12, 31) || !v.B.IsZero() {
		t.Fatalf("unmarshal %+v %v", v, err)
	}
	b, _ := json.Marshal(v)
	if string(b) != `{"a":"2025-12-31"}` {
		t.Errorf("marshal %s", b)
	}
}

func TestTarget(t *testing.T) {
	for _, tc := range []struct {
		t    Target
		v    float64
		want bool
	}{
		{Target{Value: 7, Unit: "%/năm", Comparison: AtLeast}, 7, true},
		{Target{Value: 7, Unit: "%/năm", Comparison: AtLeast}, 6.99, false},
		{Target{Value: 100, Unit: "%", Comparison: AtLeast}, 100, true},
		{Target{Value: 100, Unit: "%", Comparison: AtLeast}, 99.9, false},
		{Target{Value: 5, Comparison: AtMost}, 5, true},
		{Target{Value: 5, Comparison: AtMost}, 5.01, false},
		{Target{Value: 2, Comparison: Exactly}, 2, true},
		{Target{Value: 2, Comparison: Exactly}, 3, false},
		{Target{Value: 2, Comparison: "more"}, 3, false},
	} {
		if got := tc.t.Met(tc.v); got != tc.want {
			t.Errorf("%+v met by %v = %v, want %v", tc.t, tc.v, got, tc.want)
		}
	}
	if got := (Target{Value: 7, Unit: "%/năm", Comparison: AtLeast}).LabelVI(); got != "≥ 7 %/năm" {
		t.Errorf("label %q", got)
	}
	if got := (Target{Value: 2.5, Unit: "cuộc", Comparison: AtMost}).LabelVI(); got != "≤ 2,5 cuộc" {
		t.Errorf("label %q", got)
	}
	for name, bad := range map[string]Target{
		"NaN":             {Value: math.NaN(), Comparison: AtLeast},
		"Inf":             {Value: math.Inf(1), Comparison: AtLeast},
		"huge":            {Value: 1e12, Comparison: AtLeast},
		"no comparison":   {Value: 1},
		"share over 100":  {Value: 101, Unit: "%", Comparison: AtLeast},
		"negative share":  {Value: -1, Unit: "%", Comparison: AtLeast},
		"bad comparison":  {Value: 1, Comparison: ">="},
		"negative growth": {Value: -5, Unit: "%/năm", Comparison: AtLeast},
	} {
		if err := bad.Check(); err == nil {
			t.Errorf("%s: target %+v accepted", name, bad)
		}
	}
	if err := (Target{Value: 150, Unit: "%/năm", Comparison: AtLeast}).Check(); err != nil {
		t.Errorf("a growth over 100 %%/năm is a valid target: %v", err)
	}
}

func TestMilestoneStatusAt(t *testing.T) {
	due := d(2023, 12, 31)
	ms := Milestone{ID: "so-ket", Kind: MilestoneInterim, Due: due}
	held := ms
	held.Held = d(2023, 12, 20)
	for _, tc := range []struct {
		name  string
		m     Milestone
		today Date
		days  int
		want  MilestoneStatus
	}{
		{"far ahead", ms, d(2023, 11, 1), 14, MilestoneUpcoming},
		{"one day before the window", ms, due.AddDays(-15), 14, MilestoneUpcoming},
		{"first day of the window", ms, due.AddDays(-14), 14, MilestoneDueSoon},
		{"due today", ms, due, 14, MilestoneDueSoon},
		{"due today, no window", ms, due, 0, MilestoneDueSoon},
		{"tomorrow, no window", ms, due.AddDays(-1), 0, MilestoneUpcoming},
		{"negative window is none", ms, due.AddDays(-1), -3, MilestoneUpcoming},
		{"the day after", ms, due.AddDays(1), 14, MilestoneOverdue},
		{"years after", ms, d(2026, 12, 1), 14, MilestoneOverdue},
		{"held, overdue date", held, d(2026, 12, 1), 14, MilestoneHeld},
		{"held, in the window", held, due.AddDays(-3), 14, MilestoneHeld},
	} {
		if got := tc.m.StatusAt(tc.today, tc.days); got != tc.want {
			t.Errorf("%s: %s", tc.name, got)
		}
	}
	if got := (Milestone{Due: due, DueMonth: true}).DueLabelVI(); got != "tháng 12/2023" {
		t.Errorf("month label %q", got)
	}
	if got := (Milestone{Due: due}).DueLabelVI(); got != "31/12/2023" {
		t.Errorf("day label %q", got)
	}
}

func TestMovementStatusAt(t *testing.T) {
	m := Movement{MovementPlan: MovementPlan{Start: d(2022, 6, 7), End: d(2025, 12, 31)}}
	for _, tc := range []struct {
		today Date
		want  MovementStatus
	}{
		{d(2022, 6, 6), MovementPlanned}, {d(2022, 6, 7), MovementRunning}, {d(2025, 12, 31), MovementRunning},
		{d(2026, 1, 1), MovementEnded},
	} {
		if got := m.StatusAt(tc.today); got != tc.want {
			t.Errorf("%s: %s, want %s", tc.today, got, tc.want)
		}
	}
	if got := (Movement{}).StatusAt(d(2030, 1, 1)); got != MovementRunning {
		t.Errorf("an undated movement: %s", got)
	}
	m.EndMonth = true
	if got := m.PeriodLabelVI(); got != "07/06/2022 – tháng 12/2025" {
		t.Errorf("period %q", got)
	}
}

func registering(opens, closes Date) Movement {
	return Movement{ID: "m", Name: "Chuyển đổi số", MovementPlan: MovementPlan{Start: d(2022, 6, 7), End: d(2025, 12, 31),
		Registration: &RegistrationRules{Opens: opens, Closes: closes, RequiredFor: []string{"GK"}}}}
}

// The registration window: both ends included; the refusal says the window.
func TestRegistrationWindow(t *testing.T) {
	m := registering(d(2022, 6, 7), d(2022, 7, 31))
	for _, tc := range []struct {
		today Date
		want  RegistrationStatus
		vi    string
	}{
		{d(2022, 6, 6), RegistrationNotOpen, "chưa mở đăng ký thi đua: thời gian đăng ký từ 07/06/2022 đến 31/07/2022"},
		{d(2022, 6, 7), RegistrationOpen, ""},
		{d(2022, 7, 31), RegistrationOpen, ""},
		{d(2022, 8, 1), RegistrationClosed, "đã hết hạn đăng ký thi đua (thời gian đăng ký từ 07/06/2022 đến 31/07/2022)"},
	} {
		if got := m.RegistrationStatusAt(tc.today); got != tc.want {
			t.Errorf("%s: %s, want %s", tc.today, got, tc.want)
		}
		err := m.CheckRegistrationOpen(tc.today)
		if tc.vi == "" {
			if err != nil {
				t.Errorf("%s: %v", tc.today, err)
			}
			continue
		}
		wantAwardCode(t, err, CodeInvalid, tc.vi)
	}
	none := Movement{Name: "X"}
	if got := none.RegistrationStatusAt(d(2022, 6, 7)); got != RegistrationNone {
		t.Errorf("no registration: %s", got)
	}
	wantAwardCode(t, none.CheckRegistrationOpen(d(2022, 6, 7)), CodeInvalid, "không tổ chức đăng ký")
}

// Whether a proposal needs a registration: award type × movement × agency rule, every
// combination.
func TestRegistrationNeeded(t *testing.T) {
	gk := AwardType{Code: "GK", Name: "Giấy khen"}
	ldtt := AwardType{Code: "LDTT", Name: "Lao động tiên tiến", Annual: true}
	listed := registering(d(2022, 6, 7), d(2022, 7, 31))
	listed.Registration.RequiredFor = []string{"GK", "LDTT"} // LDTT listed by mistake: annual still wins
	unlisted := registering(d(2022, 6, 7), d(2022, 7, 31))
	unlisted.Registration.RequiredFor = nil
	noReg := Movement{ID: "x", Name: "X"}
	on := MovementRules{RegistrationRequired: true, Citation: "Quy chế thi đua, khen thưởng của Cơ quan, Điều 5"}
	off := MovementRules{}
	for _, tc := range []struct {
		name  string
		t     AwardType
		m     Movement
		rules MovementRules
		want  bool
	}{
		{"campaign award, listed, agency requires", gk, listed, on, true},
		{"campaign award, listed, agency does not require", gk, listed, off, false},
		{"campaign award, not listed", gk, unlisted, on, false},
		{"campaign award, movement without registration", gk, noReg, on, false},
		{"annual title, listed, agency requires", ldtt, listed, on, false},
		{"annual title, not listed", ldtt, unlisted, on, false},
		{"annual title, no registration", ldtt, noReg, on, false},
		{"annual title, agency does not require", ldtt, listed, off, false},
	} {
		if got := RegistrationNeeded(tc.t, tc.m, tc.rules); got != tc.want {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
		for _, kind := range Kinds {
			dr := Draft{AwardType: tc.t.Code, Kind: kind, NomineeName: "Nguyễn Thị Hồng Đào", NomineeID: "hongdao", Department: "tt"}
			if err := CheckRegistered(tc.t, tc.m, tc.rules, dr, true); err != nil {
				t.Errorf("%s %s: registered, refused: %v", tc.name, kind, err)
			}
			err := CheckRegistered(tc.t, tc.m, tc.rules, dr, false)
			if !tc.want {
				if err != nil {
					t.Errorf("%s %s: not needed, refused: %v", tc.name, kind, err)
				}
				continue
			}
			wantAwardCode(t, err, CodeInvalid, "“Nguyễn Thị Hồng Đào” chưa đăng ký thi đua trong phong trào “Chuyển đổi số”")
			if !strings.Contains(err.(*Error).VI, "Điều 5") {
				t.Errorf("the refusal does not cite the agency's rule: %v", err)
			}
		}
	}
	if k, id := RegistrationSubject(Draft{Kind: KindIndividual, NomineeID: "hongdao", Department: "tt"}); k != KindIndividual || id != "hongdao" {
		t.Errorf("individual subject %s %s", k, id)
	}
	if k, id := RegistrationSubject(Draft{Kind: KindCollective, Department: "tt"}); k != KindCollective || id != "tt" {
		t.Errorf("collective subject %s %s", k, id)
	}
}

func f64(v float64) *float64 { return &v }

func TestCleanCommitments(t *testing.T) {
	form := []CommitmentItem{
		{ID: "vbdt", Text: "Văn bản điện tử", Target: &Target{Value: 100, Unit: "%", Comparison: AtLeast}},
		{ID: "nangsuat", Text: "Năng suất lao động tăng", Target: &Target{Value: 7, Unit: "%/năm", Comparison: AtLeast}},
		{ID: "ungxu", Text: "Thực hiện Quy tắc ứng xử"},
		{ID: "them", Text: "Tham gia thêm", Optional: true},
	}
	full := []Commitment{{ItemID: "vbdt"}, {ItemID: "nangsuat", Value: f64(10)}, {ItemID: "ungxu", Note: "Cam kết"}}
	for _, tc := range []struct {
		name string
		in   Commitments
		vi   string
	}{
		{"unknown item", Commitments{Items: append(slices.Clone(full), Commitment{ItemID: "xx"})}, "không có mục “xx”"},
		{"an item twice", Commitments{Items: append(slices.Clone(full), Commitment{ItemID: "ungxu"})}, "được điền hai lần"},
		{"a number where none is asked", Commitments{Items: []Commitment{full[0], full[1], {ItemID: "ungxu", Value: f64(1)}}}, "không có chỉ tiêu bằng số"},
		{"below the target", Commitments{Items: []Commitment{full[0], {ItemID: "nangsuat", Value: f64(6.5)}, full[2]}}, "phải tối thiểu 7 %/năm"},
		{"NaN", Commitments{Items: []Commitment{full[0], {ItemID: "nangsuat", Value: f64(math.NaN())}, full[2]}}, "không phải là số hợp lệ"},
		{"Inf", Commitments{Items: []Commitment{full[0], {ItemID: "nangsuat", Value: f64(math.Inf(1))}, full[2]}}, "không phải là số hợp lệ"},
		{"control character in a note", Commitments{Items: []Commitment{full[0], full[1], {ItemID: "ungxu", Note: "a\x00b"}}}, "ký tự điều khiển"},
		{"bidi control in other", Commitments{Items: full, Other: "x\u202ey"}, "hướng văn bản"},
		{"a note too long", Commitments{Items: []Commitment{full[0], full[1], {ItemID: "ungxu", Note: strings.Repeat("a", 2001)}}}, "quá dài"},
		{"other too long", Commitments{Items: full, Other: strings.Repeat("ă", 10001)}, "quá dài"},
	} {
		_, err := CleanCommitments(form, tc.in)
		if err == nil {
			t.Errorf("%s: accepted", tc.name)
			continue
		}
		wantAwardCode(t, err, CodeInvalid, tc.vi)
	}
	// Accepted: form order whatever the input order; the target's value when none is
	// given; notes in NFC; the optional item may be left out.
	for i := 0; i < 20; i++ {
		in := slices.Clone(full)
		in[2].Note = "Cam ke\u0302\u0301t  " // NFD
		rand.Shuffle(len(in), func(a, b int) { in[a], in[b] = in[b], in[a] })
		got, err := CleanCommitments(form, Commitments{Items: in, Other: "  Thêm\r\nhai dòng "})
		if err != nil {
			t.Fatal(err)
		}
		ids := []string{}
		for _, c := range got.Items {
			ids = append(ids, c.ItemID)
		}
		if !slices.Equal(ids, []string{"vbdt", "nangsuat", "ungxu"}) {
			t.Fatalf("order %v", ids)
		}
		if *got.Items[0].Value != 100 || *got.Items[1].Value != 10 || got.Items[2].Value != nil {
			t.Fatalf("values %+v", got.Items)
		}
		if got.Items[2].Note != "Cam kết" || got.Other != "Thêm\nhai dòng" {
			t.Fatalf("text %q %q", got.Items[2].Note, got.Other)
		}
	}
	// Registering commits to every item not optional: those left out are added (with
	// the target's value), the optional one only when given.
	got, err := CleanCommitments(form, Commitments{})
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Items) != 3 || got.Items[0].ItemID != "vbdt" || *got.Items[0].Value != 100 || *got.Items[1].Value != 7 || got.Items[2].ItemID != "ungxu" {
		t.Fatalf("nothing given: %+v", got.Items)
	}
	got, err = CleanCommitments(form, Commitments{Items: []Commitment{{ItemID: "them", Note: "x"}}})
	if err != nil || len(got.Items) != 4 || got.Items[3].ItemID != "them" || got.Items[3].Note != "x" {
		t.Fatalf("the optional item given: %+v %v", got.Items, err)
	}
	// -0 is stored as 0; an at-most target takes values below it.
	got, err = CleanCommitments([]CommitmentItem{{ID: "a", Text: "A", Target: &Target{Value: 0, Comparison: AtMost}}},
		Commitments{Items: []Commitment{{ItemID: "a", Value: f64(math.Copysign(0, -1))}}})
	if err != nil || math.Signbit(*got.Items[0].Value) {
		t.Fatalf("-0: %+v %v", got, err)
	}
}

func TestFormFor(t *testing.T) {
	target := &Target{Value: 7, Unit: "%/năm", Comparison: AtLeast}
	m := Movement{Individual: []Criterion{{ID: "a", Text: "A"}, {ID: "b", Text: "B", Target: target}}, Collective: []Criterion{{ID: "c", Text: "C"}}}
	got := m.FormFor(KindIndividual)
	if len(got) != 2 || got[1].ID != "b" || got[1].Criterion != "b" || got[1].Target != target || got[0].Optional {
		t.Fatalf("form from the criteria %+v", got)
	}
	m.Registration = &RegistrationRules{CollectiveForm: []CommitmentItem{{ID: "x", Text: "X"}}}
	if got := m.FormFor(KindCollective); len(got) != 1 || got[0].ID != "x" {
		t.Fatalf("configured form %+v", got)
	}
	if got := m.FormFor(KindIndividual); len(got) != 2 {
		t.Fatalf("the individual form without a configured one %+v", got)
	}
	if !m.Registration.Admits(KindIndividual) || !m.Registration.Admits(KindCollective) || m.Registration.Admits("x") {
		t.Error("default kinds: both")
	}
	m.Registration.Kinds = []NomineeKind{KindCollective}
	if m.Registration.Admits(KindIndividual) {
		t.Error("kinds [collective] admits individuals")
	}
	var none *RegistrationRules
	if none.Admits(KindIndividual) {
		t.Error("no registration admits someone")
	}
	// General criteria come first, for both kinds, and into the default forms.
	g := Movement{MovementPlan: MovementPlan{General: []Criterion{{ID: "g", Text: "G"}}}, Individual: []Criterion{{ID: "a", Text: "A"}}, Collective: []Criterion{{ID: "c", Text: "C"}}}
	for k, want := range map[NomineeKind][]string{KindIndividual: {"g", "a"}, KindCollective: {"g", "c"}} {
		var got, form []string
		for _, c := range g.Criteria(k) {
			got = append(got, c.ID)
		}
		for _, it := range g.FormFor(k) {
			form = append(form, it.ID)
		}
		if !slices.Equal(got, want) || !slices.Equal(form, want) {
			t.Errorf("%s: criteria %v, form %v, want %v", k, got, form, want)
		}
	}
}

// Who registers whom: every role × kind × subject.
func TestCanRegister(t *testing.T) {
	actor := func(id, dept string, roles ...Role) Actor { return Actor{ID: id, Department: dept, Roles: roles} }
	staff := actor("hongdao", "tt", RoleStaff)
	head := actor("tptt", "tt", RoleHead, RoleMember)
	admin := actor("quantri", "vp", RoleAdmin)
	secretary := actor("thuky", "vp", RoleStaff, RoleSecretary, RoleMember)
	chair := actor("truongban", "ld", RoleChair)
	for _, tc := range []struct {
		a       Actor
		kind    NomineeKind
		subject string
		ok      bool
	}{
		{staff, KindIndividual, "hongdao", true},
		{staff, KindIndividual, "quoccuong", false},
		{staff, KindCollective, "tt", false},
		{head, KindIndividual, "tptt", true},
		{head, KindIndividual, "hongdao", false},
		{head, KindCollective, "tt", true},
		{head, KindCollective, "vp", false},
		{secretary, KindIndividual, "thuky", true},
		{secretary, KindCollective, "vp", false},
		{chair, KindIndividual, "hongdao", false},
		{chair, KindCollective, "ld", false},
		{admin, KindIndividual, "hongdao", true},
		{admin, KindCollective, "tt", true},
	} {
		err := CanRegister(tc.a, tc.kind, tc.subject)
		if tc.ok != (err == nil) {
			t.Errorf("%s registers %s %s: %v", tc.a.ID, tc.kind, tc.subject, err)
		}
		if err != nil {
			wantAwardCode(t, err, CodeForbidden, "đăng ký thi đua")
		}
	}
	for _, tc := range []struct {
		a    Actor
		want ListScope
	}{
		{staff, ListScope{Proposer: "hongdao"}}, {head, ListScope{All: true}}, // a head on the council sees all
		{actor("tpkgvx", "kgvx", RoleHead), ListScope{Department: "kgvx"}},
		{admin, ListScope{All: true}}, {secretary, ListScope{All: true}}, {chair, ListScope{All: true}},
		{actor("vanthu", "vp", RoleClerk), ListScope{All: true}},
	} {
		if got := RegistrationScope(tc.a); got != tc.want {
			t.Errorf("%s: scope %+v, want %+v", tc.a.ID, got, tc.want)
		}
	}
	for _, tc := range []struct {
		a  Actor
		ok bool
	}{{staff, false}, {head, false}, {chair, false}, {secretary, true}, {admin, true}, {actor("vanthu", "vp", RoleClerk), false}} {
		if err := CanSeeReminders(tc.a); tc.ok != (err == nil) {
			t.Errorf("%s reminders: %v", tc.a.ID, err)
		}
	}
}

func TestReminders(t *testing.T) {
	a := Movement{ID: "a", Name: "A", MovementPlan: MovementPlan{Milestones: []Milestone{
		{ID: "a1", Kind: MilestoneInterim, Due: d(2023, 12, 31)},
		{ID: "a2", Kind: MilestoneFinal, Due: d(2025, 12, 31)},
	}}}
	b := Movement{ID: "b", Name: "B", MovementPlan: MovementPlan{Milestones: []Milestone{
		{ID: "b1", Kind: MilestoneInterim, Due: d(2023, 12, 20), Held: d(2023, 12, 18)},
		{ID: "b2", Kind: MilestoneInterim, Due: d(2024, 1, 10)},
		{ID: "b3", Kind: MilestoneFinal, Due: d(2023, 12, 31)},
	}}}
	got := Reminders([]Movement{a, b}, d(2023, 12, 30), 14)
	var ids []string
	for _, r := range got {
		ids = append(ids, r.Milestone.ID)
		if r.Status != MilestoneDueSoon || r.DaysLeft != d(2023, 12, 30).DaysUntil(r.Milestone.Due) {
			t.Errorf("%s: %+v", r.Milestone.ID, r)
		}
	}
	// b1 is held, a2 is far; a1 and b3 are due the same day: config order.
	if !slices.Equal(ids, []string{"a1", "b3", "b2"}) {
		t.Fatalf("reminders %v", ids)
	}
	got = Reminders([]Movement{a, b}, d(2024, 1, 11), 14)
	ids = nil
	for _, r := range got {
		ids = append(ids, r.Milestone.ID+":"+string(r.Status))
	}
	if !slices.Equal(ids, []string{"a1:overdue", "b3:overdue", "b2:overdue"}) {
		t.Fatalf("overdue %v", ids)
	}
	if got[0].DaysLeft != -11 {
		t.Errorf("days left %d", got[0].DaysLeft)
	}
	if len(Reminders([]Movement{a}, d(2023, 1, 1), 14)) != 0 {
		t.Error("nothing is due a year ahead")
	}
}

func validMovement() Movement {
	return NormalizeMovement(Movement{ID: "cds", Name: "Chuyển đổi số", Year: 2025,
		MovementPlan: MovementPlan{Start: d(2022, 6, 7), End: d(2025, 12, 31), EndMonth: true,
			Milestones: []Milestone{
				{Kind: MilestoneInterim, Due: d(2023, 12, 31), DueMonth: true},
				{Kind: MilestoneFinal, Due: d(2025, 12, 31), DueMonth: true},
			},
			Registration: &RegistrationRules{Closes: d(2022, 7, 31), RequiredFor: []string{"GK"},
				IndividualForm: []CommitmentItem{{ID: "ns", Text: "Năng suất", Criterion: "nangsuat", Target: &Target{Value: 7, Unit: "%/năm", Comparison: AtLeast}}}},
		},
		Individual: []Criterion{{ID: "nangsuat", Text: "Năng suất", Target: &Target{Value: 7, Unit: "%/năm", Comparison: AtLeast}}},
		Collective: []Criterion{{ID: "vbdt", Text: "Văn bản điện tử", Target: &Target{Value: 100, Unit: "%", Comparison: AtLeast}}},
	})
}

func TestNormalizeMovement(t *testing.T) {
	m := validMovement()
	if m.Milestones[0].ID != "interim-2023-12-31" || m.Milestones[0].Title != "Sơ kết phong trào thi đua “Chuyển đổi số”" {
		t.Errorf("milestone defaults %+v", m.Milestones[0])
	}
	if m.Registration.Opens != m.Start {
		t.Errorf("registration opens %s, want the start", m.Registration.Opens)
	}
	// The input is not changed (configs are shared).
	in := Movement{Name: "X", MovementPlan: MovementPlan{Milestones: []Milestone{{Kind: MilestoneFinal}}, Registration: &RegistrationRules{}}}
	_ = NormalizeMovement(in)
	if in.Milestones[0].ID != "" || !in.Registration.Opens.IsZero() {
		t.Error("NormalizeMovement changed its input")
	}
}

// Every rule of a movement's configuration, each broken alone.
func TestCheckMovement(t *testing.T) {
	types := []AwardType{{Code: "GK"}, {Code: "LDTT", Annual: true}}
	if err := CheckMovement(validMovement(), types); err != nil {
		t.Fatalf("valid: %v", err)
	}
	if err := CheckMovement(Movement{ID: "old", Name: "Không có thời gian"}, types); err != nil {
		t.Fatalf("an undated movement (older configs): %v", err)
	}
	for _, tc := range []struct {
		name string
		edit func(m *Movement)
		want string
	}{
		{"id with a slash", func(m *Movement) { m.ID = "a/b" }, "must be 1-64"},
		{"reserved id", func(m *Movement) { m.ID = "reminders" }, "must be 1-64"},
		{"no name", func(m *Movement) { m.Name = " " }, "name is required"},
		{"start without end", func(m *Movement) { m.End = Date{}; m.Milestones = nil; m.Registration = nil }, "start and end go together"},
		{"end before start", func(m *Movement) { m.End = d(2022, 1, 1) }, "ends (2022-01-01) before it starts"},
		{"year outside", func(m *Movement) { m.Year = 2026 }, "year 2026 is outside"},
		{"milestones without dates", func(m *Movement) { m.Start, m.End, m.EndMonth, m.Registration = Date{}, Date{}, false, nil }, "need the movement's start and end"},
		{"milestone before start", func(m *Movement) { m.Milestones[0].Due, m.Milestones[0].DueMonth = d(2022, 1, 1), false }, "outside the movement's period"},
		{"milestone after end", func(m *Movement) { m.Milestones[1].Due = d(2026, 1, 31) }, "outside the movement's period"},
		{"milestone without due", func(m *Movement) { m.Milestones[0].Due, m.Milestones[0].DueMonth = Date{}, false }, "due date is required"},
		{"milestone kind", func(m *Movement) { m.Milestones[0].Kind = "review" }, "must be interim or final"},
		{"milestone id twice", func(m *Movement) { m.Milestones[1].ID = m.Milestones[0].ID }, "id missing or repeated"},
		{"two finals", func(m *Movement) { m.Milestones[0].Kind = MilestoneFinal }, "one final review"},
		{"interim after final", func(m *Movement) {
			m.Milestones[0].Due, m.Milestones[1].Due = m.Milestones[1].Due, m.Milestones[0].Due
		}, "interim review is due after the final"},
		{"due_month not the last day", func(m *Movement) { m.Milestones[0].Due = d(2023, 12, 15) }, "due_month wants the last day"},
		{"end_month not the last day", func(m *Movement) {
			m.End = d(2025, 12, 30)
			m.Milestones[1].Due, m.Milestones[1].DueMonth = d(2025, 12, 30), false
		}, "end_month wants the last day"},
		{"held before start", func(m *Movement) { m.Milestones[0].Held = d(2021, 1, 1) }, "before the movement starts"},
		{"criterion id twice", func(m *Movement) { m.Collective[0].ID = "nangsuat" }, "criterion \"nangsuat\": id missing or repeated"},
		{"criterion without text", func(m *Movement) { m.Individual[0].Text = "" }, "text is required"},
		{"general criterion id reused", func(m *Movement) { m.General = []Criterion{{ID: "vbdt", Text: "G"}} }, "criterion \"vbdt\": id missing or repeated"},
		{"general criterion target", func(m *Movement) {
			m.General = []Criterion{{ID: "g", Text: "G", Target: &Target{Value: 1, Comparison: "x"}}}
		}, "criterion \"g\": target comparison"},
		{"criterion target", func(m *Movement) { m.Collective[0].Target.Value = 120 }, "between 0 and 100"},
		{"registration without closes", func(m *Movement) { m.Registration.Closes = Date{} }, "closes is required"},
		{"registration closes before it opens", func(m *Movement) { m.Registration.Opens = d(2022, 8, 1) }, "before it opens"},
		{"registration opens before the start", func(m *Movement) { m.Registration.Opens = d(2022, 6, 1) }, "outside the movement's period"},
		{"registration closes after the end", func(m *Movement) { m.Registration.Closes = d(2026, 1, 1) }, "outside the movement's period"},
		{"registration for an unknown type", func(m *Movement) { m.Registration.RequiredFor = []string{"XX"} }, "unknown award type \"XX\""},
		{"registration for an annual title", func(m *Movement) { m.Registration.RequiredFor = []string{"LDTT"} }, "annual title"},
		{"registration kinds", func(m *Movement) { m.Registration.Kinds = []NomineeKind{"team"} }, "kinds may list"},
		{"form of a kind that does not register", func(m *Movement) { m.Registration.Kinds = []NomineeKind{KindCollective} }, "do not register"},
		{"form item id twice", func(m *Movement) {
			m.Registration.IndividualForm = append(m.Registration.IndividualForm, m.Registration.IndividualForm[0])
		}, "id missing or repeated"},
		{"form item without text", func(m *Movement) { m.Registration.IndividualForm[0].Text = "" }, "text is required"},
		{"form item of an unknown criterion", func(m *Movement) { m.Registration.IndividualForm[0].Criterion = "vbdt" }, "no individual criterion \"vbdt\""},
		{"form item target", func(m *Movement) {
			m.Registration.IndividualForm[0].Target = &Target{Value: 1, Comparison: "≥"}
		}, "comparison"},
	} {
		m := validMovement()
		// deep enough copies for the edits
		m.Milestones = slices.Clone(m.Milestones)
		r := *m.Registration
		r.IndividualForm = slices.Clone(r.IndividualForm)
		m.Registration = &r
		m.Individual, m.Collective = slices.Clone(m.Individual), slices.Clone(m.Collective)
		tg := *m.Collective[0].Target
		m.Collective[0].Target = &tg
		tc.edit(&m)
		err := CheckMovement(m, types)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want %q", tc.name, err, tc.want)
		}
	}
}

// Properties over random days, windows and reviews: the window check agrees with the
// status; statuses only move forward as days pass; reminders are exactly the reviews due
// soon or overdue, soonest first, with their days left.
func TestMovementDateProperties(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 2025))
	day := func() Date { return NewDate(2020, 1, 1).AddDays(r.IntN(3650)) }
	order := map[MilestoneStatus]int{MilestoneUpcoming: 0, MilestoneDueSoon: 1, MilestoneOverdue: 2}
	morder := map[MovementStatus]int{MovementPlanned: 0, MovementRunning: 1, MovementEnded: 2}
	for i := 0; i < 300; i++ {
		a, b := day(), day()
		if b.Before(a) {
			a, b = b, a
		}
		o := a.AddDays(r.IntN(a.DaysUntil(b) + 1))
		c := o.AddDays(r.IntN(o.DaysUntil(b) + 1))
		m := Movement{ID: "m", Name: "M", MovementPlan: MovementPlan{Start: a, End: b, Registration: &RegistrationRules{Opens: o, Closes: c}}}
		for j := 0; j < 1+r.IntN(4); j++ {
			m.Milestones = append(m.Milestones, Milestone{ID: fmt.Sprint(j), Kind: MilestoneInterim, Due: a.AddDays(r.IntN(a.DaysUntil(b) + 1))})
		}
		days := r.IntN(40)
		prev := map[string]int{}
		prevM := 0
		for today := a.AddDays(-3); !today.After(b.AddDays(3)); today = today.AddDays(1 + r.IntN(20)) {
			if (m.CheckRegistrationOpen(today) == nil) != (m.RegistrationStatusAt(today) == RegistrationOpen) {
				t.Fatalf("window %s–%s on %s: the check and the status disagree", o, c, today)
			}
			if ms := morder[m.StatusAt(today)]; ms < prevM {
				t.Fatalf("the movement went back to %s on %s", m.StatusAt(today), today)
			} else {
				prevM = ms
			}
			var want []string
			for _, ms := range m.Milestones {
				st := ms.StatusAt(today, days)
				if order[st] < prev[ms.ID] {
					t.Fatalf("review due %s went back to %s on %s", ms.Due, st, today)
				}
				prev[ms.ID] = order[st]
				if st == MilestoneDueSoon || st == MilestoneOverdue {
					want = append(want, ms.ID)
				}
			}
			rem := Reminders([]Movement{m}, today, days)
			var got []string
			for k, rm := range rem {
				got = append(got, rm.Milestone.ID)
				if rm.DaysLeft != today.DaysUntil(rm.Milestone.Due) || (k > 0 && rm.Milestone.Due.Before(rem[k-1].Milestone.Due)) {
					t.Fatalf("reminder %+v on %s (after %+v)", rm, today, rem[max(k-1, 0)])
				}
			}
			slices.Sort(got)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Fatalf("on %s reminders %v, want %v", today, got, want)
			}
		}
	}
}

// Arbitrary Unicode in the notes never panics: a form is refused with an invalid error
// or comes back cleaned, and cleaning what came back changes nothing.
func TestCleanCommitmentsArbitraryText(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 7))
	form := []CommitmentItem{{ID: "a", Text: "A"}, {ID: "b", Text: "B", Target: &Target{Value: 7, Unit: "%/năm", Comparison: AtLeast}}}
	runes := []rune{'a', 'ă', 'Đ', ' ', '\n', '\t', '\r', 'e', 0x0301, 0x200B, 'o', 0x00A0, 0x2028, 'ư', 'n', 'g', '🌸', 'ệ', 0x0323, 'h', 0x202E, 0x0000, 0xE000}
	rnd := func() string {
		var b strings.Builder
		for n := r.IntN(12); n > 0; n-- {
			if r.IntN(12) == 0 {
				b.WriteRune(rune(r.IntN(0x3000)))
			} else {
				b.WriteRune(runes[r.IntN(len(runes))])
			}
		}
		return b.String()
	}
	accepted, refused := 0, 0
	for i := 0; i < 2000; i++ {
		in := Commitments{Items: []Commitment{{ItemID: "a", Note: rnd()}, {ItemID: "b", Value: f64(7 + float64(r.IntN(5))), Note: rnd()}}, Other: rnd()}
		got, err := CleanCommitments(form, in)
		if err != nil {
			if e, ok := err.(*Error); !ok || e.Code != CodeInvalid {
				t.Fatalf("%+v: %v", in, err)
			}
			refused++
			continue
		}
		accepted++
		again, err := CleanCommitments(form, got)
		if err != nil || !reflectEqual(again, got) {
			t.Fatalf("cleaning twice: %+v → %+v (%v)", got, again, err)
		}
	}
	if accepted < 20 || refused < 20 {
		t.Fatalf("accepted %d, refused %d: the generator does not reach both outcomes", accepted, refused)
	}
}

func reflectEqual(a, b Commitments) bool {
	if a.Other != b.Other || len(a.Items) != len(b.Items) {
		return false
	}
	for i := range a.Items {
		x, y := a.Items[i], b.Items[i]
		if x.ItemID != y.ItemID || x.Note != y.Note || (x.Value == nil) != (y.Value == nil) || x.Value != nil && *x.Value != *y.Value {
			return false
		}
	}
	return true
}
