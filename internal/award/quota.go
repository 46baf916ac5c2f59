package award

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Quotas between award types over the achievement year.
//
// A quota caps the awardees of one award type to a share of another type's awardees:
// "số lượng Chiến sĩ thi đua cơ sở không quá 15% tổng số cá nhân đạt danh hiệu Lao động
// tiên tiến" (NĐ 91/2017 Điều 9 k3, kept by many quy chế [configurable]). It is counted
// over the achievement year, not one session (DOMAIN.md): the base is the reference
// type's awardees of the year in the award register (decisions in force, revoked ones
// left out) plus those passing in this session, and the type's own awardees already in
// the register for that year take their seats first:
//
//	base  = register[of_award_type, year] + passing in this session[of_award_type, year]
//	limit = round(percent × base / 100)            (rounding: floor | half_up | ceil)
//	seats = max(0, limit − register[award_type, year])
//
// The register is read once, when the session is counted (an activity; the figures are
// kept in the session, QuotaRegister), so judging again gives the same answer.
//
// The candidates of one award type and year who passed the vote compete for the seats
// in a deterministic ranking:
//
//  1. more yes votes first;
//  2. then the tie rule of the quota: "chair" — among candidates with equal yes votes,
//     those the chair's own ballot marked yes come first (the chair's casting vote);
//     "revote" — no further key;
//  3. then a stable final key, independent of the agenda order: the nominee's name
//     folded (FoldName: no diacritics, lower case), then the proposal id.
//
// The final key orders the list; it never hands out a seat. When the candidates on both
// sides of the cut are equal on the keys of steps 1–2, every candidate equal to them is
// neither passed nor failed by rank: they are marked for a re-vote (Result.Revote) and
// go back to the council's queue. So under "chair" the chair's ballot settles what it
// can, and a tie it does not separate (the chair marked them alike, or has no valid
// ballot) is re-voted; under "revote" every tie at the cut is re-voted.
//
// Secrecy: under "chair" the session learns, for the candidates tied at the cut and only
// for those, whether the chair's ballot said yes (not no from abstain). A casting vote
// is public by nature: the outcome tells it anyway. With a secret ballot this is the one
// thing about one member's ballot that the record holds; an agency that will not have
// it configures "revote".
//
// Sessions counted before the year counted (QuotaRegister nil) keep the old rule: the
// base is this session's passing proposals, the limit is floored, and a tie at the cut
// drops every tied candidate (ApplyQuota).

// Rounding is how a quota's limit is rounded from percent × base / 100.
type Rounding string

const (
	// RoundFloor is the default: "không quá 15%" (not more than) is met only by rounding
	// down — 15 % of 8 LĐTT = 1.2 → 1. [practice: the wording of NĐ 91/2017 Điều 9 k3;
	// some quy chế round half up — verify against the agency's own]
	RoundFloor  Rounding = "floor"
	RoundHalfUp Rounding = "half_up" // 1.5 → 2, 1.49 → 1
	RoundCeil   Rounding = "ceil"    // any fraction → up
)

// Roundings lists the rounding rules a quota may name.
var Roundings = []Rounding{RoundFloor, RoundHalfUp, RoundCeil}

// LabelVI is the rounding's name: "Làm tròn xuống".
func (r Rounding) LabelVI() string {
	switch r {
	case RoundFloor:
		return "Làm tròn xuống"
	case RoundHalfUp:
		return "Làm tròn (từ 0,5 trở lên thì làm tròn lên)"
	case RoundCeil:
		return "Làm tròn lên"
	}
	return string(r)
}

// phraseVI is the rounding inside a sentence: "làm tròn xuống".
func (r Rounding) phraseVI() string {
	l := r.LabelVI()
	if strings.HasPrefix(l, "Làm") {
		return "làm" + strings.TrimPrefix(l, "Làm")
	}
	return l
}

// LabelEN is the rounding in English.
func (r Rounding) LabelEN() string {
	switch r {
	case RoundFloor:
		return "rounded down"
	case RoundHalfUp:
		return "rounded half up"
	case RoundCeil:
		return "rounded up"
	}
	return string(r)
}

// TieRule settles candidates tied at a quota's cut.
type TieRule string

const (
	// TieChair: the chair's casting vote — the chair's own ballot decides among the tied.
	TieChair TieRule = "chair"
	// TieRevote: the tied are marked for a re-vote.
	TieRevote TieRule = "revote"
)

// TieRules lists the tie rules a quota may name.
var TieRules = []TieRule{TieChair, TieRevote}

// LabelVI is the tie rule's name.
func (t TieRule) LabelVI() string {
	switch t {
	case TieChair:
		return "Theo phiếu của Chủ tịch Hội đồng"
	case TieRevote:
		return "Bỏ phiếu lại"
	}
	return string(t)
}

// LabelEN is the tie rule in English.
func (t TieRule) LabelEN() string {
	switch t {
	case TieChair:
		return "the chair's casting vote"
	case TieRevote:
		return "a re-vote"
	}
	return string(t)
}

// Normalized fills the defaults: floor, and a re-vote of ties (the software never picks
// among tied candidates on its own).
func (q Quota) Normalized() Quota {
	if q.Rounding == "" {
		q.Rounding = RoundFloor
	}
	if q.Ties == "" {
		q.Ties = TieRevote
	}
	return q
}

// Limit is percent × base / 100, rounded by the quota's rule (floor when unset). A
// negative base counts as none.
func (q Quota) Limit(base int) int {
	if base <= 0 || q.Percent <= 0 {
		return 0
	}
	n := q.Percent * base
	switch q.Rounding {
	case RoundCeil:
		return (n + 99) / 100
	case RoundHalfUp:
		return (n + 50) / 100
	}
	return n / 100
}

// validate checks the quota's own fields (the award types it names are checked with the
// organisation config).
func (q Quota) validate() error {
	if q.Percent <= 0 || q.Percent > 100 || q.OfAwardType == "" {
		return fmt.Errorf("quota must name an award type and a percent in 1..100")
	}
	if q.Rounding != "" && !slices.Contains(Roundings, q.Rounding) {
		return fmt.Errorf("quota rounding %q must be floor, half_up or ceil", q.Rounding)
	}
	if q.Ties != "" && !slices.Contains(TieRules, q.Ties) {
		return fmt.Errorf("quota ties %q must be chair or revote", q.Ties)
	}
	return nil
}

// CheckQuotas checks the quotas between award types: each names another award type that
// exists, and no chain of quotas comes back to where it started (a quota is settled
// after the quota of the type it counts). rules maps award type codes to their rules.
func CheckQuotas(rules map[string]VoteRule) error {
	codes := make([]string, 0, len(rules))
	for code := range rules {
		codes = append(codes, code)
	}
	slices.Sort(codes)
	var errs []string
	for _, code := range codes {
		q := rules[code].Quota
		if q == nil {
			continue
		}
		if q.OfAwardType == code {
			errs = append(errs, fmt.Sprintf("award type %q: a quota cannot count the award type itself", code))
			continue
		}
		if _, ok := rules[q.OfAwardType]; !ok {
			errs = append(errs, fmt.Sprintf("award type %q: quota refers to unknown award type %q", code, q.OfAwardType))
			continue
		}
		seen := map[string]bool{code: true}
		for at := q.OfAwardType; ; {
			if seen[at] {
				errs = append(errs, fmt.Sprintf("award type %q: quotas count each other in a circle", code))
				break
			}
			seen[at] = true
			next := rules[at].Quota
			if next == nil {
				break
			}
			at = next.OfAwardType
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("%s", strings.Join(errs, "; "))
	}
	return nil
}

// YearCount is the number of awardees of one award type whose title is of one year, in
// decisions in force (the award register; revoked ones left out).
type YearCount struct {
	AwardType string `json:"award_type"`
	Year      int    `json:"year"`
	Count     int    `json:"count"`
}

// QuotaRegister is what the award register held for the quotas when the session was
// counted. It is read once, by an activity, and kept: judging the session again (an
// exclusion) counts the same figures.
type QuotaRegister struct {
	// Available is false when no award register could be read (no records store): the
	// quotas then count this session only, and say so.
	Available bool      `json:"available"`
	ReadAt    time.Time `json:"read_at"`
	// Year is the achievement year of a proposal Years does not list: the year the
	// session was counted, in the agency's time.
	Year int `json:"year"`
	// Years is each proposal's achievement year: the year its title is entered in the
	// register under (its movement's year, else Year).
	Years map[string]int `json:"years,omitempty"`
	// Counts are the awardees in force per award type and year, for the types the
	// quotas name.
	Counts []YearCount `json:"counts"`
	// Names are the award types' names, for the facts the minutes print.
	Names map[string]string `json:"names,omitempty"`
}

// yearOf is a proposal's achievement year.
func (r *QuotaRegister) yearOf(id string) int {
	if y, ok := r.Years[id]; ok && y > 0 {
		return y
	}
	return r.Year
}

// count is the register's figure for one award type and year.
func (r *QuotaRegister) count(code string, year int) int {
	n := 0
	for _, c := range r.Counts {
		if c.AwardType == code && c.Year == year {
			n += c.Count
		}
	}
	return n
}

func (r *QuotaRegister) name(code string) string {
	if n := r.Names[code]; n != "" {
		return n
	}
	return code
}

// QuotaCandidate is a proposal that passed the vote and competes for a quota's seats.
type QuotaCandidate struct {
	ProposalID string
	Name       string // the nominee's name: the final key, folded
	Yes        int
	// Chair is the chair's mark on the proposal when the casting vote was read; "" when
	// not known.
	Chair Choice
}

// QuotaCut is how the seats went: the ranking, and who is kept, dropped (over the
// quota) or to be re-voted (tied at the cut). Casting lists the candidates whose place
// the chair's casting vote settled.
type QuotaCut struct {
	Ranking []string `json:"ranking"`
	Kept    []string `json:"kept"`
	Dropped []string `json:"dropped"`
	Revote  []string `json:"revote"`
	// Tied are the candidates with as many yes votes as the last seat's when the next
	// candidate has as many too: the tie at the cut, before the tie rule.
	Tied    []string `json:"tied,omitempty"`
	Casting []string `json:"casting,omitempty"`
	// NeedCasting lists the tied candidates whose chair's marks are needed (tie rule
	// chair, casting vote not read yet); they are in Revote until then.
	NeedCasting []string `json:"-"`
}

// CutQuota ranks the candidates and gives seats to the best (see the rules at the top of
// this file). casting reports whether the chair's marks were read (tie rule chair); a
// tie at the cut under "chair" before they are read is reported in NeedCasting.
func CutQuota(ties TieRule, seats int, cands []QuotaCandidate, casting bool) QuotaCut {
	r := slices.Clone(cands)
	chairKey := func(c QuotaCandidate) int {
		if ties == TieChair && casting && c.Chair == Yes {
			return 1
		}
		return 0
	}
	slices.SortStableFunc(r, func(a, b QuotaCandidate) int {
		if c := cmp.Compare(b.Yes, a.Yes); c != 0 {
			return c
		}
		if c := cmp.Compare(chairKey(b), chairKey(a)); c != 0 {
			return c
		}
		if c := cmp.Compare(FoldName(a.Name), FoldName(b.Name)); c != 0 {
			return c
		}
		return cmp.Compare(a.ProposalID, b.ProposalID)
	})
	out := QuotaCut{Ranking: make([]string, 0, len(r)), Kept: []string{}, Dropped: []string{}, Revote: []string{}}
	for _, c := range r {
		out.Ranking = append(out.Ranking, c.ProposalID)
	}
	if seats < 0 {
		seats = 0
	}
	if len(r) <= seats {
		out.Kept = append(out.Kept, out.Ranking...)
		return out
	}
	if seats == 0 { // no seat to contend for: no tie at a cut
		out.Dropped = append(out.Dropped, out.Ranking...)
		return out
	}
	last, first := r[seats-1], r[seats]
	if last.Yes != first.Yes {
		out.Kept, out.Dropped = slices.Clone(out.Ranking[:seats]), slices.Clone(out.Ranking[seats:])
		return out
	}
	// Tied on votes at the cut: the yes-tie group.
	var group []QuotaCandidate
	for _, c := range r {
		if c.Yes == last.Yes {
			group = append(group, c)
			out.Tied = append(out.Tied, c.ProposalID)
		}
	}
	known := ties == TieChair && casting && !slices.ContainsFunc(group, func(c QuotaCandidate) bool { return c.Chair == "" })
	same := func(a, b QuotaCandidate) bool {
		return a.Yes == b.Yes && (!known || (a.Chair == Yes) == (b.Chair == Yes))
	}
	if known && !same(last, first) {
		out.Kept, out.Dropped = slices.Clone(out.Ranking[:seats]), slices.Clone(out.Ranking[seats:])
		for _, c := range group {
			out.Casting = append(out.Casting, c.ProposalID)
		}
		return out
	}
	for _, c := range r {
		switch {
		case same(c, last):
			out.Revote = append(out.Revote, c.ProposalID)
		case c.Yes > last.Yes || (c.Yes == last.Yes && known && c.Chair == Yes):
			out.Kept = append(out.Kept, c.ProposalID)
		default:
			out.Dropped = append(out.Dropped, c.ProposalID)
		}
	}
	if known {
		// The chair's ballot placed the part of the vote tie it separated.
		for _, c := range group {
			if !same(c, last) {
				out.Casting = append(out.Casting, c.ProposalID)
			}
		}
	}
	if ties == TieChair && !casting {
		out.NeedCasting = slices.Clone(out.Revote)
	}
	return out
}

// QuotaGroup is how one quota was worked out for one award type and achievement year:
// the figures, the rule, the ranking and what became of each candidate, with the facts
// in Vietnamese and English for the minutes and the session page.
type QuotaGroup struct {
	Year        int      `json:"year"`
	OfAwardType string   `json:"of_award_type"`
	Percent     int      `json:"percent"`
	Rounding    Rounding `json:"rounding"`
	Ties        TieRule  `json:"ties"`
	// Register: the register could be read (false: only this session counted).
	Register bool `json:"register"`
	// RegisterBase: the reference type's awardees of the year in the register.
	RegisterBase int `json:"register_base"`
	// SessionBase: the reference type's proposals of the year passing in this session.
	SessionBase int `json:"session_base"`
	Base        int `json:"base"`  // RegisterBase + SessionBase
	Limit       int `json:"limit"` // percent × Base / 100, rounded
	// Already: this type's awardees of the year in the register.
	Already int `json:"already"`
	Seats   int `json:"seats"` // max(0, Limit − Already)
	QuotaCut
	Text   string `json:"text"`    // the facts, Vietnamese
	TextEN string `json:"text_en"` // the same in English
}

// QuotaTrace records how a quota cut the list, for the minutes.
type QuotaTrace struct {
	// Limit is the number of seats the session could fill (summed over years).
	Limit   int      `json:"limit"`
	Dropped []string `json:"dropped"`
	// Revote lists the proposals tied at the cut, marked for a re-vote.
	Revote []string `json:"revote,omitempty"`
	// Groups are the quota's workings per achievement year (absent in sessions counted
	// before quotas counted the year).
	Groups []QuotaGroup `json:"groups,omitempty"`
}

// quotaOrder is the order in which quotas are settled: a quota after the quota of the
// type it counts (fewer hops first), then by code — never the agenda's order.
func quotaOrder(rules map[string]VoteRule, codes []string) []string {
	depth := func(code string) int {
		d := 0
		for at, hops := code, 0; hops <= len(rules); hops++ {
			q := rules[at].Quota
			if q == nil {
				break
			}
			d++
			at = q.OfAwardType
		}
		return d
	}
	var out []string
	for _, c := range codes {
		if rules[c].Quota != nil {
			out = append(out, c)
		}
	}
	slices.SortFunc(out, func(a, b string) int {
		if c := cmp.Compare(depth(a), depth(b)); c != 0 {
			return c
		}
		return cmp.Compare(a, b)
	})
	return out
}

// applyYearQuotas settles the quotas over the achievement year (see the top of this file).
func (s *Session) applyYearQuotas() {
	reg := s.QuotaRegister
	for _, code := range quotaOrder(s.Rules, s.AwardTypes()) {
		if !s.QuorumMet(code) {
			continue // nothing was counted, nothing passed
		}
		q := s.Rules[code].Quota.Normalized()
		var years []int
		for _, it := range s.Agenda {
			if y := reg.yearOf(it.ProposalID); it.AwardType == code && !slices.Contains(years, y) {
				years = append(years, y)
			}
		}
		slices.Sort(years)
		trace := QuotaTrace{Dropped: []string{}}
		for _, year := range years {
			g := QuotaGroup{Year: year, OfAwardType: q.OfAwardType, Percent: q.Percent, Rounding: q.Rounding, Ties: q.Ties,
				Register: reg.Available, RegisterBase: reg.count(q.OfAwardType, year), Already: reg.count(code, year)}
			var cands []QuotaCandidate
			for _, it := range s.Agenda {
				if reg.yearOf(it.ProposalID) != year {
					continue
				}
				if it.AwardType == q.OfAwardType && s.Results[it.ProposalID].Passed {
					g.SessionBase++
				}
				if it.AwardType == code && s.Results[it.ProposalID].Passed {
					c := QuotaCandidate{ProposalID: it.ProposalID, Name: it.NomineeName, Yes: s.Counts[it.ProposalID].Yes}
					if s.Casting != nil {
						c.Chair = s.Casting[it.ProposalID]
					}
					cands = append(cands, c)
				}
			}
			g.Base = g.RegisterBase + g.SessionBase
			g.Limit = q.Limit(g.Base)
			g.Seats = max(0, g.Limit-g.Already)
			g.QuotaCut = CutQuota(q.Ties, g.Seats, cands, s.Casting != nil)
			reason := fmt.Sprintf("vượt chỉ tiêu %d%% năm %d (còn %s trường hợp)", q.Percent, year, itoa(g.Seats))
			for _, id := range g.Dropped {
				r := s.Results[id]
				r.Passed = false
				r.Reason += "; " + reason
				s.Results[id] = r
			}
			for _, id := range g.Revote {
				r := s.Results[id]
				r.Passed, r.Revote = false, true
				r.Reason += "; số phiếu đồng ý bằng nhau tại ngưỡng chỉ tiêu, Hội đồng bỏ phiếu lại"
				s.Results[id] = r
			}
			g.Text, g.TextEN = g.facts(code, reg, s.nomineeName)
			trace.Limit += g.Seats
			trace.Dropped = append(trace.Dropped, g.Dropped...)
			trace.Revote = append(trace.Revote, g.Revote...)
			trace.Groups = append(trace.Groups, g)
		}
		if s.Quota == nil {
			s.Quota = map[string]QuotaTrace{}
		}
		s.Quota[code] = trace
	}
}

// CastingNeeded lists, in agenda order, the proposals tied at a quota's cut under the
// chair's casting vote while the chair's marks have not been read: the workflow reads
// them from the chair's ballot (and only them) and judges again (SetCasting).
func (s *Session) CastingNeeded() []string {
	if s.Casting != nil {
		return nil
	}
	var need []string
	// The ids are gathered as a set and put in agenda order below: the map's order
	// does not reach the result.
	//workflowcheck:ignore
	for _, tr := range s.Quota {
		for _, g := range tr.Groups {
			need = append(need, g.NeedCasting...)
		}
	}
	var out []string
	for _, it := range s.Agenda {
		if slices.Contains(need, it.ProposalID) {
			out = append(out, it.ProposalID)
		}
	}
	return out
}

// SetCasting records the chair's marks on the tied proposals (empty when the chair has
// no valid ballot: the tie is then re-voted) and judges the session again.
func (s *Session) SetCasting(marks map[string]Choice) {
	s.Casting = map[string]Choice{}
	// Copying one map into another gives the same map whatever the iteration order.
	//workflowcheck:ignore
	for id, ch := range marks {
		if ch.Valid() {
			s.Casting[id] = ch
		}
	}
	s.Judge(s.Counts, s.Invalid)
}

// ChairBallot is the index in Sealed of the chair's ballot, or -1 when the chair did
// not vote.
func (s *Session) ChairBallot() int {
	for _, m := range s.Members {
		if m.Role == RoleChair && m.Votes {
			if i := slices.Index(s.Voted, m.ID); i >= 0 && i < len(s.Sealed) {
				return i
			}
		}
	}
	return -1
}

func (s *Session) nomineeName(id string) string {
	for _, it := range s.Agenda {
		if it.ProposalID == id {
			return it.NomineeName
		}
	}
	return id
}

// decimal writes n/100 with two decimals at most, trailing zeros dropped, with the
// given decimal mark: 120 → "1,2", 300 → "3", 45 → "0,45".
func decimal(n int, mark string) string {
	s := strconv.Itoa(n / 100)
	if f := n % 100; f != 0 {
		frac := fmt.Sprintf("%02d", f)
		s += mark + strings.TrimRight(frac, "0")
	}
	return s
}

// facts writes how the quota was worked out, in Vietnamese and in English.
func (g QuotaGroup) facts(code string, reg *QuotaRegister, nominee func(string) string) (vi, en string) {
	name, of := reg.name(code), reg.name(g.OfAwardType)
	two := func(n int) string {
		if n == 0 {
			return "0"
		}
		return fmt.Sprintf("%02d", n)
	}
	exact := g.Percent * g.Base
	var b, e strings.Builder
	b.WriteString(fmt.Sprintf("Chỉ tiêu “%s” năm %d: không quá %d%% số trường hợp đạt “%s” của năm", name, g.Year, g.Percent, of))
	e.WriteString(fmt.Sprintf("Quota of “%s” for %d: at most %d%% of the year's “%s”", name, g.Year, g.Percent, of))
	if g.Register {
		b.WriteString(fmt.Sprintf(", gồm %s trường hợp theo sổ khen thưởng (quyết định còn hiệu lực, không tính quyết định đã thu hồi) và %s trường hợp đạt tại phiên họp này, tổng cộng %s",
			two(g.RegisterBase), two(g.SessionBase), two(g.Base)))
		e.WriteString(fmt.Sprintf(": %d in the award register (decisions in force, revoked ones left out) and %d passing in this session, %d in all",
			g.RegisterBase, g.SessionBase, g.Base))
	} else {
		b.WriteString(fmt.Sprintf("; không đọc được sổ khen thưởng, chỉ tính %s trường hợp đạt tại phiên họp này", two(g.SessionBase)))
		e.WriteString(fmt.Sprintf("; the award register could not be read, so only the %d passing in this session count", g.SessionBase))
	}
	b.WriteString(fmt.Sprintf("; %d%% × %s = %s, %s: tối đa %s trường hợp", g.Percent, two(g.Base), decimal(exact, ","), g.Rounding.phraseVI(), two(g.Limit)))
	e.WriteString(fmt.Sprintf("; %d%% × %d = %s, %s: at most %d", g.Percent, g.Base, decimal(exact, "."), g.Rounding.LabelEN(), g.Limit))
	if g.Register {
		b.WriteString(fmt.Sprintf("; đã khen thưởng trong năm %s trường hợp, còn lại %s.", two(g.Already), two(g.Seats)))
		e.WriteString(fmt.Sprintf("; %d already awarded this year, %d left.", g.Already, g.Seats))
	} else {
		b.WriteString(".")
		e.WriteString(".")
	}
	names := func(ids []string) string {
		out := make([]string, len(ids))
		for i, id := range ids {
			out[i] = nominee(id)
		}
		return strings.Join(out, ", ")
	}
	if len(g.Casting) > 0 {
		var chosen, not []string
		for _, id := range g.Casting {
			if slices.Contains(g.Kept, id) {
				chosen = append(chosen, id)
			} else {
				not = append(not, id)
			}
		}
		b.WriteString(fmt.Sprintf(" Các trường hợp %s có số phiếu đồng ý bằng nhau tại ngưỡng chỉ tiêu; theo phiếu của Chủ tịch Hội đồng: chọn %s; không chọn %s.",
			names(g.Tied), orNone(names(chosen), "không trường hợp nào"), orNone(names(not), "không trường hợp nào")))
		e.WriteString(fmt.Sprintf(" %s were tied at the cut; by the chair's casting vote: chosen %s; not chosen %s.",
			names(g.Tied), orNone(names(chosen), "none"), orNone(names(not), "none")))
	}
	if len(g.Dropped) > 0 {
		b.WriteString(fmt.Sprintf(" Đạt số phiếu nhưng vượt chỉ tiêu, không được đề nghị: %s.", names(g.Dropped)))
		e.WriteString(fmt.Sprintf(" Passed the vote but over the quota, not proposed: %s.", names(g.Dropped)))
	}
	if len(g.Revote) > 0 {
		chairVI, chairEN := "", ""
		if g.Ties == TieChair {
			chairVI, chairEN = ", phiếu của Chủ tịch Hội đồng không phân định được", ", and the chair's ballot does not separate them"
		}
		b.WriteString(fmt.Sprintf(" Có số phiếu đồng ý bằng nhau tại ngưỡng chỉ tiêu%s; Hội đồng bỏ phiếu lại đối với: %s.", chairVI, names(g.Revote)))
		e.WriteString(fmt.Sprintf(" Tied at the cut%s; the council votes again on: %s.", chairEN, names(g.Revote)))
	}
	return b.String(), e.String()
}

func orNone(s, none string) string {
	if s == "" {
		return none
	}
	return s
}
