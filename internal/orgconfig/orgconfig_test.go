package orgconfig

import (
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/awardflow/awardflow/internal/award"
)

func TestDemo(t *testing.T) {
	o, err := Demo()
	if err != nil {
		t.Fatal(err)
	}
	if o.Agency.Profile != award.ProfileHD36 || o.Agency.Code != "BTGTU" {
		t.Fatalf("agency %+v", o.Agency)
	}
	council := o.Council()
	voters := 0
	for _, m := range council {
		if m.Votes {
			voters++
		}
	}
	if voters < 5 || voters > 7 {
		t.Fatalf("council of %d voters, want 5 to 7", voters)
	}
	if len(o.People) < 10 {
		t.Fatalf("%d people", len(o.People))
	}
	p, _ := o.Person("hongdao")
	if err := bcrypt.CompareHashAndPassword([]byte(p.PasswordHash), []byte(DemoPassword)); err != nil {
		t.Fatalf("demo password does not match the hash: %v", err)
	}
	if heads := o.HeadsOf("tt"); len(heads) != 1 || heads[0].ID != "tptt" {
		t.Fatalf("heads of tt: %+v", heads)
	}
	m, ok := o.Movement("vanhoa-2025")
	if !ok || len(m.Criteria(award.KindIndividual)) == 0 || !strings.Contains(m.Criteria(award.KindIndividual)[0].Text, ", ") {
		t.Fatalf("movement criteria lost: %+v", m)
	}
}

func TestParseRejects(t *testing.T) {
	good := string(demoYAML)
	cases := map[string]string{
		"unknown field":         strings.Replace(good, "  place: Đồng Tháp", "  place: Đồng Tháp\n  plaec: x", 1),
		"bad profile":           strings.Replace(good, "profile: HD36", "profile: XYZ", 1),
		"bad role":              strings.Replace(good, "roles: [admin]", "roles: [king]", 1),
		"unknown dept":          strings.Replace(good, "department: kgvx, roles: [department_head]", "department: nowhere, roles: [department_head]", 1),
		"plain password":        strings.Replace(good, `roles: [admin], password_hash: "$2a`, `roles: [admin], password_hash: "x$2a`, 1),
		"bad quorum":            strings.Replace(good, "quorum: {num: 2, den: 3}", "quorum: {num: 4, den: 3}", 1),
		"bad quota":             strings.Replace(good, "of_award_type: LDTT", "of_award_type: NOPE", 1),
		"two chairs":            strings.Replace(good, "roles: [council_member], password_hash", "roles: [council_chair], password_hash", 1),
		"zero base salary":      strings.Replace(good, "amount: 2340000", "amount: 0", 1),
		"two rates on one date": strings.Replace(good, "from: 2023-07-01", "from: 2024-07-01", 1),
		"undated and dated":     strings.Replace(good, "  base_salaries:", "  base_salary: 2340000\n  base_salaries:", 1),
		"negative rounding":     strings.Replace(good, "bonus_round_up_to: 10000", "bonus_round_up_to: -5", 1),
		"no văn thư":            strings.Replace(good, "roles: [clerk]", "roles: [staff]", 1),
		"no signer":             strings.Replace(good, "signer: truongban               # person id", "signer: \"\"               # person id", 1),
		"delegate to nobody":    strings.Replace(good, "signer: phoban", "signer: ghost", 1),
		"delegate unknown type": strings.Replace(good, "award_types: [GK]", "award_types: [XX]", 1),
		"delegate twice":        strings.Replace(good, "award_types: [GK]", "award_types: [GK, GK]", 1),
		"kinds without kind":    strings.Replace(good, "kinds: [individual, collective]", "kinds: [collective]", 1),
		"unknown kind in kinds": strings.Replace(good, "kinds: [individual, collective]", "kinds: [individual, team]", 1),
		"term twice":            strings.Replace(good, "term_starts: [2020-10-15, 2025-10-20]", "term_starts: [2025-10-20, 2025-10-20]", 1),
		"quota rounding":        strings.Replace(good, "rounding: floor, ties: chair", "rounding: nearest, ties: chair", 1),
		"quota ties":            strings.Replace(good, "rounding: floor, ties: chair", "rounding: floor, ties: lottery", 1),
		"quota of itself":       strings.Replace(good, "{of_award_type: LDTT, percent: 15", "{of_award_type: CSTDCS, percent: 15", 1),
		"quota percent":         strings.Replace(good, "{of_award_type: LDTT, percent: 15", "{of_award_type: LDTT, percent: 150", 1),
		"quota unknown field":   strings.Replace(good, "rounding: floor, ties: chair", "rounding: floor, ties: chair, scope: session", 1),
		"quotas in a circle": strings.Replace(good, "vote: {quorum: {num: 2, den: 3}, pass: {num: 1, den: 2}, base: members, strict: true, secret: false}\n  - code: CSTDCS",
			"vote: {quorum: {num: 2, den: 3}, pass: {num: 1, den: 2}, base: members, strict: true, secret: false, quota: {of_award_type: CSTDCS, percent: 50}}\n  - code: CSTDCS", 1),
	}
	for name, y := range cases {
		if y == good {
			t.Fatalf("%s: replacement did not apply", name)
		}
		if _, err := Parse([]byte(y)); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func TestCheckDraft(t *testing.T) {
	o, _ := Demo()
	d := award.Draft{AwardType: "LDTT", MovementID: "vanhoa-2025", Kind: award.KindIndividual, NomineeName: "X"}
	if err := o.CheckDraft(d); err != nil {
		t.Fatal(err)
	}
	d.Kind = award.KindCollective
	if o.CheckDraft(d) == nil {
		t.Fatal("collective accepted for an individual award")
	}
	d.Kind, d.AwardType = award.KindIndividual, "NOPE"
	if o.CheckDraft(d) == nil {
		t.Fatal("unknown award type accepted")
	}
	// Giấy khen admits both kinds, and a collective's coefficient is its own.
	for _, k := range []award.NomineeKind{award.KindIndividual, award.KindCollective} {
		d.Kind, d.AwardType = k, "GK"
		if err := o.CheckDraft(d); err != nil {
			t.Errorf("Giấy khen for %s refused: %v", k, err)
		}
	}
	gk, _ := o.AwardType("GK")
	if gk.Coefficient(award.KindCollective) <= gk.Coefficient(award.KindIndividual) {
		t.Errorf("a collective's Giấy khen bonus %v is not above an individual's %v", gk.Coefficient(award.KindCollective), gk.Coefficient(award.KindIndividual))
	}
}

// An older config with one undated base salary still works: it applies on every date,
// and bonuses round up to 10.000 đồng by default.
func TestUndatedBaseSalary(t *testing.T) {
	y := string(demoYAML)
	start := strings.Index(y, "  base_salaries:")
	end := strings.Index(y, "  bonus_round_up_to:")
	y = y[:start] + "  base_salary: 2340000\n" + y[end:]
	y = strings.Replace(y, "  bonus_round_up_to: 10000", "", 1)
	o, err := Parse([]byte(y))
	if err != nil {
		t.Fatal(err)
	}
	r, ok := award.BaseSalaryAt(o.Agency.BaseSalaries, time.Date(1999, 1, 1, 0, 0, 0, 0, time.UTC))
	if !ok || r.Amount != 2340000 || o.Agency.BonusRoundUpTo != award.DefaultBonusRoundUpTo {
		t.Fatalf("undated base salary: %+v %v, rounding %d", r, ok, o.Agency.BonusRoundUpTo)
	}
}

// TestQuotaConfig: the demo's CSTĐCS quota is 15 % of LĐTT over the year, rounded down,
// ties settled by the chair's casting vote; a quota that leaves rounding and ties out
// gets the defaults (floor, re-vote) at start, so every session snapshots them.
func TestQuotaConfig(t *testing.T) {
	o, err := Demo()
	if err != nil {
		t.Fatal(err)
	}
	cs, _ := o.AwardType("CSTDCS")
	if q := cs.Vote.Quota; q == nil || *q != (award.Quota{OfAwardType: "LDTT", Percent: 15, Rounding: award.RoundFloor, Ties: award.TieChair}) {
		t.Fatalf("demo quota %+v", q)
	}
	bare := strings.Replace(string(demoYAML), "{of_award_type: LDTT, percent: 15, rounding: floor, ties: chair}", "{of_award_type: LDTT, percent: 15}", 1)
	if bare == string(demoYAML) {
		t.Fatal("replacement did not apply")
	}
	o, err = Parse([]byte(bare))
	if err != nil {
		t.Fatal(err)
	}
	cs, _ = o.AwardType("CSTDCS")
	if q := cs.Vote.Quota; q == nil || q.Rounding != award.RoundFloor || q.Ties != award.TieRevote {
		t.Fatalf("defaults %+v", q)
	}
}
