// Package orgconfig loads the organisation: the agency profile, departments, people and
// their roles, award types with their vote rules, and movements with their criteria.
//
// Everything that changes with mergers and new decrees (names, codes, titles, vote rules,
// bonus coefficients) lives here as data, never as constants in code.
package orgconfig

import (
	_ "embed"
	"errors"
	"fmt"
	"maps"
	"os"
	"slices"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/awardflow/awardflow/internal/award"
)

//go:embed demo.yaml
var demoYAML []byte

// DemoPassword is the password of every account in the embedded demo organisation.
const DemoPassword = "thidua2026"

// Org is the whole organisation config.
type Org struct {
	Agency      Agency            `yaml:"agency" json:"agency"`
	Departments []Department      `yaml:"departments" json:"departments"`
	People      []Person          `yaml:"people" json:"-"`
	RuleSets    []award.RuleSet   `yaml:"rule_sets" json:"rule_sets"`
	AwardTypes  []award.AwardType `yaml:"award_types" json:"award_types"`
	Movements   []award.Movement  `yaml:"movements" json:"movements"`

	loc *time.Location
	// defaultReviewers: HeadProposalReviewers was not configured and defaults to the
	// council chair, so it follows the chair when the directory changes.
	defaultReviewers bool
}

// Agency is the issuing body and its document profile.
type Agency struct {
	Code        string        `yaml:"code" json:"code"`
	Name        string        `yaml:"name" json:"name"`
	FullName    string        `yaml:"full_name" json:"full_name"` // in running text: "Ban Tuyên giáo Tỉnh uỷ Đồng Tháp"
	Parent      string        `yaml:"parent" json:"parent"`
	Place       string        `yaml:"place" json:"place"`
	Profile     award.Profile `yaml:"profile" json:"profile"`
	CouncilName string        `yaml:"council_name" json:"council_name"`
	Timezone    string        `yaml:"timezone" json:"timezone"`
	// BaseSalary is a single base salary with no start date (older configs); prefer
	// BaseSalaries, the effective-dated table the decision date picks from.
	BaseSalary   int64              `yaml:"base_salary" json:"base_salary,omitempty"`
	BaseSalaries []award.BaseSalary `yaml:"base_salaries" json:"base_salaries"`
	// BonusRoundUpTo rounds every bonus up to a multiple of it (default
	// award.DefaultBonusRoundUpTo = 10.000 đồng; 1 = to the đồng).
	BonusRoundUpTo int64 `yaml:"bonus_round_up_to" json:"bonus_round_up_to"`
	// BonusFundSource is the decision's funding sentence (nguồn kinh phí), e.g. "Kinh phí
	// khen thưởng trích từ Quỹ thi đua, khen thưởng của Cơ quan."
	BonusFundSource string         `yaml:"bonus_fund_source" json:"bonus_fund_source,omitempty"`
	Decision        DecisionConfig `yaml:"decision" json:"decision"`
	// Posting is the public posting (công khai) of the council's list before the head
	// decides: its length in working days, whether it is required, the holidays.
	Posting award.PostingRule `yaml:"posting" json:"posting"`
	// Revocation: the legal grounds for revoking an award and the lines of a revocation
	// decision (Luật Thi đua, khen thưởng 2022 Điều 93).
	Revocation award.RevocationRules `yaml:"revocation" json:"revocation"`
	// Submission is the fixed text of submissions upward (tờ trình); it is signed by
	// the decision's signer.
	Submission SubmissionConfig `yaml:"submission" json:"submission"`
	// MeetingPlace is where the council meets (địa điểm, printed in the minutes) unless
	// the secretary names another place when opening a session.
	MeetingPlace string `yaml:"meeting_place" json:"meeting_place,omitempty"`
	// CouncilCode is the ký hiệu of the council's own documents (its tờ trình to the
	// head: "Số 01-TTr/HĐTĐKT"), numbered in the council's register, apart from the
	// agency's; default "HĐTĐKT".
	CouncilCode string `yaml:"council_code" json:"council_code"`
	// CouncilSubmission is the fixed text of the council's own tờ trình to the head
	// of the agency, signed by the chair for the council.
	CouncilSubmission CouncilSubmissionConfig `yaml:"council_submission" json:"council_submission"`
	// ReviewDays is how long a department head has to review a submitted proposal
	// (default 7); past it the review is escalated to the people with EscalateTo roles
	// (default: the council chair, who is the agency head).
	ReviewDays int `yaml:"review_days" json:"review_days"`
	// DelegationMaxDays bounds a delegation of one's review to a colleague (ủy quyền,
	// award.Delegation): default award.DefaultMaxDelegationDays (90).
	DelegationMaxDays int          `yaml:"delegation_max_days" json:"delegation_max_days"`
	EscalateTo        []award.Role `yaml:"escalate_to" json:"escalate_to"`
	// HeadProposalReviewers (person ids) review the proposals a department head filed or
	// that nominate a head, and those of departments without a head: nobody reviews their
	// own proposal, and a deputy does not judge their head. Default: the council chair
	// (the agency head). Add a deputy so that the chair's own proposal has a reviewer too.
	HeadProposalReviewers []string `yaml:"head_proposal_reviewers" json:"head_proposal_reviewers"`
	// TermStarts are the first days of the Party committee's terms (nhiệm kỳ), oldest
	// first. HD36 bodies number documents from 01 across a term, not per calendar year
	// (HD 36-HD/VPTW mục II 1.3.1.a); NĐ30 bodies ignore this and restart each 1 January.
	TermStarts []time.Time `yaml:"term_starts" json:"term_starts,omitempty"`
	// MovementRules are the agency's rules about movements: whether a campaign award
	// needs the nominee's registration, and how far ahead reviews are reminded.
	MovementRules award.MovementRules `yaml:"movement_rules" json:"movement_rules"`
}

// SubmissionConfig is the fixed text of a tờ trình.
type SubmissionConfig struct {
	Recipient  string   `yaml:"recipient" json:"recipient"` // "Hội đồng Thi đua - Khen thưởng Tỉnh"
	Bases      []string `yaml:"bases" json:"bases"`
	Recipients []string `yaml:"recipients" json:"recipients"`
}

// CouncilSubmissionConfig is the fixed text of the council's tờ trình to the head.
type CouncilSubmissionConfig struct {
	// Recipient is the "Kính gửi:" line, e.g. "Đồng chí Trưởng Ban Tuyên giáo Tỉnh uỷ"
	// (default "Thủ trưởng cơ quan").
	Recipient  string   `yaml:"recipient" json:"recipient"`
	Bases      []string `yaml:"bases" json:"bases"`
	Recipients []string `yaml:"recipients" json:"recipients"` // "Nơi nhận:"; default "Như trên"
}

// DecisionConfig is the fixed text of award decisions.
type DecisionConfig struct {
	Signer     string   `yaml:"signer" json:"signer"` // person id
	Prefix     string   `yaml:"prefix" json:"prefix"`
	Body       string   `yaml:"body" json:"body"` // printed after Prefix: "K/T TRƯỞNG BAN"
	Title      string   `yaml:"title" json:"title"`
	Authority  string   `yaml:"authority" json:"authority"` // line above the căn cứ, e.g. "TRƯỞNG BAN TUYÊN GIÁO TỈNH UỶ"
	Bases      []string `yaml:"bases" json:"bases"`
	Executors  string   `yaml:"executors" json:"executors"`
	Recipients []string `yaml:"recipients" json:"recipients"`
	// Delegations let a deputy sign some types of decision for the head ("K/T" in HD36,
	// "KT." in NĐ30), with the deputy's own title and certificate.
	Delegations []Delegation `yaml:"delegations" json:"delegations,omitempty"`
	// SignDays is how long the signer has to approve or send back a draft (default:
	// review_days); past it the draft is escalated like a late review.
	SignDays int `yaml:"sign_days" json:"sign_days"`
}

// Delegation names a deputy who signs the listed award types for the head.
type Delegation struct {
	AwardTypes []string `yaml:"award_types" json:"award_types"`
	Signer     string   `yaml:"signer" json:"signer"` // person id
	Prefix     string   `yaml:"prefix" json:"prefix"` // "K/T" (HD36) or "KT." (NĐ30)
	Body       string   `yaml:"body" json:"body"`     // "TRƯỞNG BAN"
	Title      string   `yaml:"title" json:"title"`   // the deputy's title: "PHÓ TRƯỞNG BAN"
}

// Department is a unit of the agency.
type Department struct {
	ID   string `yaml:"id" json:"id"`
	Name string `yaml:"name" json:"name"`
	// Closed: the unit was closed in the directory (merged, dissolved). It keeps its
	// name for the records; nobody files proposals in it any more.
	Closed bool `yaml:"-" json:"closed,omitempty"`
}

// Person is an account.
type Person struct {
	ID           string       `yaml:"id" json:"id"`
	Name         string       `yaml:"name" json:"name"`
	Position     string       `yaml:"position" json:"position"`
	Department   string       `yaml:"department" json:"department"`
	Roles        []award.Role `yaml:"roles" json:"roles"`
	PasswordHash string       `yaml:"password_hash" json:"-"`
	// Inactive: deactivated in the directory (retired, left the agency). Person does not
	// find them (they cannot sign in and get no work); Anyone does, for their name.
	Inactive bool `yaml:"-" json:"-"`
}

// Actor is the person as the domain core sees them.
func (p Person) Actor() award.Actor {
	return award.Actor{ID: p.ID, Name: p.Name, Department: p.Department, Roles: slices.Clone(p.Roles)}
}

// Demo returns the embedded demo organisation.
func Demo() (*Org, error) { return Parse(demoYAML) }

// DemoYAML returns a copy of the embedded demo organisation's YAML (for tests that
// derive a configuration from it).
func DemoYAML() []byte { return slices.Clone(demoYAML) }

// Load reads and validates a YAML file.
func Load(path string) (*Org, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read organisation config: %w", err)
	}
	o, err := Parse(b)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return o, nil
}

// Parse decodes and validates a YAML document. Unknown fields are errors, so a typo in a
// config key is caught at start instead of silently ignored.
func Parse(b []byte) (*Org, error) {
	dec := yaml.NewDecoder(strings.NewReader(string(b)))
	dec.KnownFields(true)
	var o Org
	if err := dec.Decode(&o); err != nil {
		return nil, fmt.Errorf("parse organisation config: %w", err)
	}
	if err := o.validate(); err != nil {
		return nil, fmt.Errorf("invalid organisation config: %w", err)
	}
	return &o, nil
}

func (o *Org) validate() error {
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	a := o.Agency
	if a.Code == "" || a.Name == "" || a.Place == "" {
		bad("agency: code, name and place are required")
	}
	if !a.Profile.Valid() {
		bad("agency.profile %q must be ND30 or HD36", a.Profile)
	}
	tz := a.Timezone
	if tz == "" {
		tz = "Asia/Ho_Chi_Minh"
	}
	loc, err := time.LoadLocation(tz)
	if err != nil {
		// Vietnam has no daylight saving: a fixed +07:00 is exact when tzdata is missing.
		loc = time.FixedZone("ICT", 7*3600)
	}
	o.loc = loc
	if o.Agency.ReviewDays == 0 {
		o.Agency.ReviewDays = 7
	}
	if o.Agency.CouncilCode == "" {
		o.Agency.CouncilCode = "HĐTĐKT"
	}
	switch {
	case len(o.Agency.BaseSalaries) > 0 && o.Agency.BaseSalary != 0:
		bad("agency: base_salary and base_salaries are both set; keep the dated table")
	case o.Agency.BaseSalary != 0:
		// An undated figure (older configs) applies to every decision date.
		o.Agency.BaseSalaries = []award.BaseSalary{{Amount: o.Agency.BaseSalary}}
		o.Agency.BaseSalary = 0
	}
	if err := award.CheckBaseSalaries(o.Agency.BaseSalaries); err != nil {
		bad("agency.base_salaries: %v", err)
	}
	award.SortBaseSalaries(o.Agency.BaseSalaries)
	switch {
	case o.Agency.BonusRoundUpTo == 0:
		o.Agency.BonusRoundUpTo = award.DefaultBonusRoundUpTo
	case o.Agency.BonusRoundUpTo < 0:
		bad("agency.bonus_round_up_to %d must be positive", o.Agency.BonusRoundUpTo)
	}
	if o.Agency.DelegationMaxDays == 0 {
		o.Agency.DelegationMaxDays = award.DefaultMaxDelegationDays
	}
	if o.Agency.DelegationMaxDays < 0 || o.Agency.DelegationMaxDays > 366 {
		bad("agency.delegation_max_days %d must be between 1 and 366", o.Agency.DelegationMaxDays)
	}
	if o.Agency.ReviewDays < 0 || o.Agency.ReviewDays > 365 {
		bad("agency.review_days %d must be between 1 and 365", o.Agency.ReviewDays)
	}
	if len(o.Agency.EscalateTo) == 0 {
		o.Agency.EscalateTo = []award.Role{award.RoleChair}
	}
	for _, r := range o.Agency.EscalateTo {
		if !r.Valid() {
			bad("agency.escalate_to: unknown role %q", r)
		}
	}
	depts := map[string]bool{}
	for _, d := range o.Departments {
		if d.ID == "" || depts[d.ID] {
			bad("department %q: id missing or repeated", d.ID)
		}
		depts[d.ID] = true
	}
	ids := map[string]bool{}
	for _, p := range o.People {
		if p.ID == "" || ids[p.ID] {
			bad("person %q: id missing or repeated", p.ID)
		}
		ids[p.ID] = true
		if !depts[p.Department] {
			bad("person %q: unknown department %q", p.ID, p.Department)
		}
		if len(p.Roles) == 0 {
			bad("person %q: no roles", p.ID)
		}
		for _, r := range p.Roles {
			if !r.Valid() {
				bad("person %q: unknown role %q", p.ID, r)
			}
		}
		if !strings.HasPrefix(p.PasswordHash, "$2") {
			bad("person %q: password_hash must be a bcrypt hash (awardflow hash-password)", p.ID)
		}
	}
	for _, id := range o.Agency.HeadProposalReviewers {
		if !ids[id] {
			bad("agency.head_proposal_reviewers: %q is not a person", id)
		}
	}
	if len(o.Agency.HeadProposalReviewers) == 0 {
		o.defaultReviewers = true
		for _, p := range o.People {
			if slices.Contains(p.Roles, award.RoleChair) {
				o.Agency.HeadProposalReviewers = append(o.Agency.HeadProposalReviewers, p.ID)
			}
		}
	}
	if !ids[a.Decision.Signer] {
		bad("agency.decision.signer %q is not a person: someone must sign the award decisions", a.Decision.Signer)
	}
	if len(o.IDsWithRole(award.RoleClerk)) == 0 {
		bad("nobody has the clerk role (văn thư): signed decisions could never be numbered and issued")
	}
	if o.Agency.Decision.SignDays == 0 {
		o.Agency.Decision.SignDays = o.Agency.ReviewDays
	}
	if d := o.Agency.Decision.SignDays; d < 0 || d > 365 {
		bad("agency.decision.sign_days %d must be between 1 and 365", d)
	}
	delegated := map[string]bool{}
	for i, d := range a.Decision.Delegations {
		if !ids[d.Signer] {
			bad("agency.decision.delegations[%d].signer %q is not a person", i, d.Signer)
		}
		if d.Prefix == "" || d.Title == "" {
			bad("agency.decision.delegations[%d]: prefix (K/T, KT.) and title are required", i)
		}
		for _, code := range d.AwardTypes {
			if delegated[code] {
				bad("agency.decision.delegations: award type %q is delegated twice", code)
			}
			delegated[code] = true
			if _, ok := o.AwardType(code); !ok {
				bad("agency.decision.delegations[%d]: unknown award type %q", i, code)
			}
		}
	}
	if d := a.Posting.Days; d < 0 || d > 60 {
		bad("agency.posting.days %d must be between 0 (no posting) and 60", d)
	}
	if a.Posting.Required && a.Posting.Days == 0 {
		bad("agency.posting.required needs agency.posting.days")
	}
	for _, h := range a.Posting.Holidays {
		if _, err := time.Parse(time.DateOnly, h); err != nil {
			bad("agency.posting.holidays: %q is not a date (YYYY-MM-DD)", h)
		}
	}
	if err := award.CheckTermStarts(a.TermStarts); err != nil {
		bad("agency.term_starts: %v", err)
	}
	chairs := 0
	for _, p := range o.People {
		if slices.Contains(p.Roles, award.RoleChair) {
			chairs++
		}
	}
	if chairs != 1 {
		bad("the council needs exactly one council_chair (found %d)", chairs)
	}
	codes := map[string]bool{}
	for _, t := range o.AwardTypes {
		if t.Code == "" || codes[t.Code] || strings.ContainsAny(t.Code, " /.'\"") {
			bad("award type %q: code missing, repeated or with spaces/quotes", t.Code)
		}
		codes[t.Code] = true
		if t.Kind != award.KindIndividual && t.Kind != award.KindCollective {
			bad("award type %q: kind must be individual or collective", t.Code)
		}
		for _, k := range t.Kinds {
			if k != award.KindIndividual && k != award.KindCollective {
				bad("award type %q: kinds may list individual and collective only", t.Code)
			}
		}
		if len(t.Kinds) > 0 && !slices.Contains(t.Kinds, t.Kind) {
			bad("award type %q: kinds must include its kind %q", t.Code, t.Kind)
		}
		if t.Authority != award.AuthorityAgency && t.Authority != award.AuthorityUpward {
			bad("award type %q: authority must be agency or upward", t.Code)
		}
		if err := t.Vote.Validate(); err != nil {
			bad("award type %q: %v", t.Code, err)
		}
	}
	rules := map[string]award.VoteRule{}
	for i, t := range o.AwardTypes {
		if q := t.Vote.Quota; q != nil {
			// Defaults written into the config, so that every session snapshots them:
			// floor, and a re-vote of ties (award.Quota.Normalized).
			n := q.Normalized()
			o.AwardTypes[i].Vote.Quota = &n
		}
		rules[t.Code] = o.AwardTypes[i].Vote
	}
	if err := award.CheckQuotas(rules); err != nil {
		bad("%v", err)
	}
	if len(o.RuleSets) == 0 {
		bad("at least one rule set is required")
	}
	// Each set applies the catalogue with its own rules (coefficients, vote rule, quota,
	// removed types); every reader takes a type through the set of its achievement year.
	for i, rs := range o.RuleSets {
		if err := award.CheckAwardTypeRules(rs, o.AwardTypes); err != nil {
			bad("rule_sets: %w", err)
		}
		o.RuleSets[i] = rs.Resolve(o.AwardTypes)
	}
	if err := award.CheckRuleSets(o.RuleSets, o.AwardTypes); err != nil {
		bad("rule_sets: %w", err)
	}
	mids := map[string]bool{}
	for i, m := range o.Movements {
		if m.ID == "" || mids[m.ID] {
			bad("movement %q: id missing or repeated", m.ID)
		}
		mids[m.ID] = true
		o.Movements[i] = award.NormalizeMovement(m)
		if err := award.CheckMovement(o.Movements[i], o.AwardTypes); err != nil {
			bad("movement %q: %w", m.ID, err)
		}
		if err := award.CheckMovementRuleSets(o.Movements[i], o.RuleSets); err != nil {
			bad("movement %q: %w", m.ID, err)
		}
	}
	if o.Agency.Revocation.Bases == nil { // answered as [] by /org, never null
		o.Agency.Revocation.Bases = []string{}
	}
	if o.Agency.Revocation.Grounds == nil {
		o.Agency.Revocation.Grounds = []award.RevocationGround{}
	}
	if err := award.CheckRevocationRules(o.Agency.Revocation); err != nil {
		bad("agency.revocation: %w", err)
	}
	if o.Agency.MovementRules.RemindDays == 0 {
		o.Agency.MovementRules.RemindDays = award.DefaultRemindDays
	}
	if d := o.Agency.MovementRules.RemindDays; d < 0 || d > 365 {
		bad("agency.movement_rules.remind_days %d must be between 1 and 365", d)
	}
	o.checkPrintable(bad)
	return errors.Join(errs...)
}

// checkPrintable refuses configured text that documents print but the document font
// cannot (award.CleanLine): found at start, not when a session issues its documents.
func (o *Org) checkPrintable(bad func(string, ...any)) {
	check := func(where, s string) {
		if _, err := award.CleanLine(award.TextField{VI: where, EN: where}, s); err != nil {
			bad("%s: %v", where, err)
		}
	}
	a := o.Agency
	for k, v := range map[string]string{"agency.name": a.Name, "agency.full_name": a.FullName, "agency.parent": a.Parent,
		"agency.place": a.Place, "agency.council_name": a.CouncilName, "agency.decision.title": a.Decision.Title,
		"agency.decision.body": a.Decision.Body, "agency.decision.authority": a.Decision.Authority,
		"agency.decision.executors": a.Decision.Executors, "agency.submission.recipient": a.Submission.Recipient,
		"agency.meeting_place": a.MeetingPlace, "agency.council_code": a.CouncilCode, "agency.council_submission.recipient": a.CouncilSubmission.Recipient} {
		check(k, v)
	}
	for i, l := range slices.Concat(a.Decision.Bases, a.Decision.Recipients, a.Submission.Bases, a.Submission.Recipients,
		a.CouncilSubmission.Bases, a.CouncilSubmission.Recipients) {
		check(fmt.Sprintf("agency decision/submission line %d", i+1), l)
	}
	for i, l := range a.Revocation.Bases {
		check(fmt.Sprintf("agency.revocation.bases line %d", i+1), l)
	}
	check("agency.revocation.recovery_citation", a.Revocation.RecoveryCitation)
	for _, g := range a.Revocation.Grounds { // printed in the revocation decision
		check("agency.revocation ground "+g.Code, g.LabelVI+" "+g.Citation)
	}
	for _, d := range o.Departments {
		check("department "+d.ID, d.Name)
	}
	for _, p := range o.People {
		check("person "+p.ID, p.Name+" "+p.Position)
	}
	for _, t := range o.AwardTypes {
		check("award type "+t.Code, t.Name)
	}
	check("agency.movement_rules.citation", a.MovementRules.Citation)
	for _, m := range o.Movements {
		texts := award.MovementTexts(m)
		for _, where := range slices.Sorted(maps.Keys(texts)) {
			check("movement "+m.ID+" "+where, texts[where])
		}
	}
	for _, rs := range o.RuleSets {
		for i, l := range rs.DecisionBases {
			check(fmt.Sprintf("rule set %s decision_bases line %d", rs.ID, i+1), l)
		}
	}
}

// Location is the agency's time zone (dates on documents are local dates).
func (o *Org) Location() *time.Location { return o.loc }

// Person finds an active person by id: someone who may sign in and act.
func (o *Org) Person(id string) (Person, bool) {
	p, ok := o.Anyone(id)
	if !ok || p.Inactive {
		return Person{}, false
	}
	return p, true
}

// Anyone finds a person by id, deactivated ones included: for their name on records.
func (o *Org) Anyone(id string) (Person, bool) {
	for _, p := range o.People {
		if p.ID == id {
			return p, true
		}
	}
	return Person{}, false
}

// active lists the people who are not deactivated, in directory order.
func (o *Org) active() []Person {
	out := make([]Person, 0, len(o.People))
	for _, p := range o.People {
		if !p.Inactive {
			out = append(out, p)
		}
	}
	return out
}

// Department finds a department by id.
func (o *Org) Department(id string) (Department, bool) {
	for _, d := range o.Departments {
		if d.ID == id {
			return d, true
		}
	}
	return Department{}, false
}

// AwardType finds an award type of the catalogue by code: what the type is (name,
// kind, authority). Its coefficients, vote rule and quota are those of the rule set of
// the achievement year: AwardTypeForYear.
func (o *Org) AwardType(code string) (award.AwardType, bool) {
	for _, t := range o.AwardTypes {
		if t.Code == code {
			return t, true
		}
	}
	return award.AwardType{}, false
}

// RulesForYear is the rule set that judges achievements of a year, with the award
// types as that set applies them (coefficients, vote rule, quota; its removed types
// left out), which award.Evaluate judges and names.
func (o *Org) RulesForYear(year int) (award.Rules, bool) {
	rs, ok := award.RuleSetForYear(o.RuleSets, year)
	if !ok {
		return award.Rules{Types: o.AwardTypes}, false
	}
	return award.Rules{Set: rs, Types: rs.Types}, true
}

// AwardTypeForYear finds an award type as the rule set of the achievement year applies
// it: its bonus coefficients, vote rule and quota. Not found: the type does not exist,
// or the year's set removed it. A year no set covers gets the catalogue's type.
func (o *Org) AwardTypeForYear(code string, year int) (award.AwardType, bool) {
	rs, ok := award.RuleSetForYear(o.RuleSets, year)
	if !ok {
		return o.AwardType(code)
	}
	return rs.AwardType(code)
}

// CheckAwardedInYear refuses a proposal for an award type the rule set of its
// achievement year does not award (removed by that set).
func (o *Org) CheckAwardedInYear(code string, year int) error {
	t, known := o.AwardType(code)
	rs, ok := award.RuleSetForYear(o.RuleSets, year)
	if !known || !ok {
		return nil // an unknown type is CheckDraft's to refuse; no set, RulesForYear's callers'
	}
	if _, ok := rs.AwardType(code); ok {
		return nil
	}
	name := t.Name
	return award.Invalid("Hình thức “%[1]s” không áp dụng cho năm thành tích %[2]d theo bộ quy định “%[3]s” (%[4]s)",
		"%[1]s is not awarded for the achievement year %[2]d under rule set %[3]s (%[4]s)", name, year, rs.ID, rs.Citation)
}

// Movement finds a movement by id.
func (o *Org) Movement(id string) (award.Movement, bool) {
	for _, m := range o.Movements {
		if m.ID == id {
			return m, true
		}
	}
	return award.Movement{}, false
}

// WithRole lists the people holding a role.
func (o *Org) WithRole(r award.Role) []Person {
	var out []Person
	for _, p := range o.active() {
		if slices.Contains(p.Roles, r) {
			out = append(out, p)
		}
	}
	return out
}

// HeadSigner is who signs decisions and submissions when no delegation applies.
func (o *Org) HeadSigner() award.SignerRef {
	dc := o.Agency.Decision
	ref := award.SignerRef{ID: dc.Signer, Title: dc.Title, Prefix: dc.Prefix, Body: dc.Body}
	if p, ok := o.Anyone(dc.Signer); ok {
		ref.Name = p.Name
	}
	return ref
}

// Delegations maps each delegated award type to the deputy who signs it.
func (o *Org) Delegations() map[string]award.SignerRef {
	out := map[string]award.SignerRef{}
	for _, d := range o.Agency.Decision.Delegations {
		ref := award.SignerRef{ID: d.Signer, Title: d.Title, Prefix: d.Prefix, Body: d.Body}
		if p, ok := o.Anyone(d.Signer); ok {
			ref.Name = p.Name
		}
		for _, code := range d.AwardTypes {
			out[code] = ref
		}
	}
	return out
}

// IDsWithRole lists the ids of the people holding any of the roles, in config order.
func (o *Org) IDsWithRole(roles ...award.Role) []string {
	var out []string
	for _, p := range o.active() {
		if slices.ContainsFunc(roles, func(r award.Role) bool { return slices.Contains(p.Roles, r) }) {
			out = append(out, p.ID)
		}
	}
	return out
}

// HeadsOf lists the department heads of a department.
func (o *Org) HeadsOf(dept string) []Person {
	var out []Person
	for _, p := range o.WithRole(award.RoleHead) {
		if p.Department == dept {
			out = append(out, p)
		}
	}
	return out
}

// Directory lists everyone as award.ResolveNominee matches nominees.
func (o *Org) Directory() []award.Person {
	out := make([]award.Person, 0, len(o.People))
	for _, p := range o.active() {
		out = append(out, award.Person{ID: p.ID, Name: p.Name, Department: p.Department})
	}
	return out
}

// Council snapshots the council for a new session: the chair, members and secretary.
// The secretary votes only when also a member.
func (o *Org) Council() []award.Member {
	var out []award.Member
	for _, p := range o.active() {
		var role award.Role
		switch {
		case slices.Contains(p.Roles, award.RoleChair):
			role = award.RoleChair
		case slices.Contains(p.Roles, award.RoleMember):
			role = award.RoleMember
		case slices.Contains(p.Roles, award.RoleSecretary):
			role = award.RoleSecretary
		default:
			continue
		}
		votes := role != award.RoleSecretary
		out = append(out, award.Member{ID: p.ID, Name: p.Name, Title: p.Position, Role: role, Votes: votes})
	}
	return out
}

// CheckDraft checks a draft against the catalogue: the award type and movement exist
// and the nominee kind matches the award type.
func (o *Org) CheckDraft(d award.Draft) error {
	t, ok := o.AwardType(d.AwardType)
	if !ok {
		return award.Invalid("Hình thức khen thưởng “%s” không tồn tại", "unknown award type %q", d.AwardType)
	}
	if _, ok := o.Movement(d.MovementID); !ok {
		return award.Invalid("Phong trào thi đua “%s” không tồn tại", "unknown movement %q", d.MovementID)
	}
	if !t.Admits(d.Kind) {
		return award.Invalid("Hình thức “%[1]s” dành cho %[2]s", "award type %[1]s is for %[3]s nominees", t.Name, kindVI(t.Kind), t.Kind)
	}
	if d.Department != "" {
		dep, ok := o.Department(d.Department)
		if !ok {
			return award.Invalid("Phòng “%s” không tồn tại", "unknown department %q", d.Department)
		}
		if dep.Closed {
			return award.Invalid("Đơn vị “%s” đã giải thể, không nhận đề nghị mới", "unit %q is closed and takes no new proposals", dep.Name)
		}
	}
	return nil
}

func kindVI(k award.NomineeKind) string {
	if k == award.KindCollective {
		return "tập thể"
	}
	return "cá nhân"
}
