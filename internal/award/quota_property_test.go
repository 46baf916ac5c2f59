package award

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

// quotaCase is a random closed session with quotas over the year: its ballots (one per
// member who voted, in Voted order) and the register the count read.
type quotaCase struct {
	s       *Session
	ballots []map[string]Choice
}

var quotaNames = []string{"Nguyễn Thị Hồng Đào", "nguyen thi hong dao", "Lê Quốc Cường", "Đặng Văn Sơn", "Ðặng Văn Sơn",
	"Trương Thị Kim Ngân", "Ａ Wide", "Ê-đê H'Hen Niê", "Bùi Văn An", "Zoë 😀", "Phạm Thị Ánh", "An"}

func randomQuotaCase(rng *rand.Rand) quotaCase {
	s := &Session{ID: fmt.Sprintf("s-%d", rng.Uint32()), Status: SessionClosed, Rules: map[string]VoteRule{}}
	s.Members = append(s.Members, Member{ID: "chair", Role: RoleChair, Votes: rng.IntN(10) > 0})
	for i := range 2 + rng.IntN(5) {
		s.Members = append(s.Members, Member{ID: fmt.Sprintf("m%d", i), Role: RoleMember, Votes: true})
	}
	s.Members = append(s.Members, Member{ID: "sec", Role: RoleSecretary})
	rule := func() VoteRule {
		den := []int{2, 3, 4, 100}[rng.IntN(4)]
		return VoteRule{Quorum: Ratio{1, 2}, Pass: Ratio{1 + rng.IntN(den), den}, Base: PassBases[rng.IntN(len(PassBases))], Strict: rng.IntN(2) == 0}
	}
	quota := func(of string) *Quota {
		return &Quota{OfAwardType: of, Percent: []int{10, 15, 15, 30, 50, 100}[rng.IntN(6)],
			Rounding: Roundings[rng.IntN(len(Roundings))], Ties: TieRules[rng.IntN(len(TieRules))]}
	}
	types := []string{"LDTT", "CSTDCS", "GK"}
	s.Rules["LDTT"], s.Rules["CSTDCS"], s.Rules["GK"] = rule(), rule(), rule()
	cs := s.Rules["CSTDCS"]
	cs.Quota = quota("LDTT")
	s.Rules["CSTDCS"] = cs
	if rng.IntN(2) == 0 { // a chain: TOP counts CSTĐCS, which counts LĐTT
		top := rule()
		top.Quota = quota("CSTDCS")
		s.Rules["TOP"] = top
		types = append(types, "TOP")
	}
	reg := &QuotaRegister{Available: rng.IntN(5) > 0, Year: 2025, Years: map[string]int{}}
	for i := range 1 + rng.IntN(14) {
		id := fmt.Sprintf("p%02d", i)
		s.Agenda = append(s.Agenda, AgendaItem{ProposalID: id, NomineeName: quotaNames[rng.IntN(len(quotaNames))],
			AwardType: append(types, "CSTDCS", "CSTDCS")[rng.IntN(len(types)+2)], Kind: KindIndividual})
		if rng.IntN(4) == 0 {
			reg.Years[id] = 2024
		}
	}
	if reg.Available {
		for _, code := range types {
			for _, y := range []int{2024, 2025} {
				if n := rng.IntN(16); n > 0 {
					reg.Counts = append(reg.Counts, YearCount{AwardType: code, Year: y, Count: n})
				}
			}
		}
	}
	s.QuotaRegister = reg
	var voted []string
	for _, m := range s.Voters() {
		if rng.IntN(8) > 0 {
			voted = append(voted, m.ID)
		}
	}
	rng.Shuffle(len(voted), func(i, j int) { voted[i], voted[j] = voted[j], voted[i] })
	c := quotaCase{s: s}
	// Few choices make ties likely: mostly yes.
	choices := []Choice{Yes, Yes, Yes, No, Abstain}
	for _, id := range voted {
		s.Voted = append(s.Voted, id)
		s.Sealed = append(s.Sealed, "sealed-"+id)
		b := map[string]Choice{}
		for _, it := range s.Agenda {
			b[it.ProposalID] = choices[rng.IntN(len(choices))]
		}
		if rng.IntN(15) == 0 { // an invalid ballot: one mark missing
			delete(b, s.Agenda[rng.IntN(len(s.Agenda))].ProposalID)
		}
		c.ballots = append(c.ballots, b)
	}
	return c
}

// count runs the count as the workflow does: tally, judge, and — when a tie at a cut
// waits for the chair's casting vote — read the chair's marks on the tied only from the
// chair's ballot (none when it is invalid) and judge again.
func (c quotaCase) count() *Session {
	s := c.s.clone()
	s.Voted, s.Sealed = slices.Clone(c.s.Voted), slices.Clone(c.s.Sealed)
	s.Casting = nil
	counts, invalid := s.Tally(c.ballots)
	s.Judge(counts, invalid)
	if need := s.CastingNeeded(); len(need) > 0 {
		marks := map[string]Choice{}
		if i := s.ChairBallot(); i >= 0 && s.CheckMarks(c.ballots[i]) == nil {
			for _, id := range need {
				marks[id] = c.ballots[i][id]
			}
		}
		s.SetCasting(marks)
		if s.CastingNeeded() != nil {
			panic("casting asked twice")
		}
	}
	return s
}

// outcome is what a session decided, in a form that compares: per proposal its
// verdict and reason, and the quota traces.
func outcome(t *testing.T, s *Session) string {
	t.Helper()
	res := map[string]Result{}
	for _, it := range s.Agenda {
		res[it.ProposalID] = s.Results[it.ProposalID]
	}
	b, err := json.Marshal(map[string]any{"results": res, "quota": s.Quota})
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// checkQuotaInvariants: nothing passes below its pass mark or without quorum; per
// capped award type and year, the passed never exceed the seats the year leaves
// (register + this session's passing reference, rounded, less the register's own);
// a dropped or re-voted candidate passed the vote; no seat is left empty while a
// candidate is dropped, except for a tie at the cut.
func checkQuotaInvariants(t *testing.T, s *Session, where string) {
	t.Helper()
	reg := s.QuotaRegister
	for _, it := range s.Agenda {
		r := s.Results[it.ProposalID]
		if r.Passed && (!r.QuorumMet || r.Vote == nil || !r.Vote.Passed) {
			t.Fatalf("%s: %s passed below the pass mark: %+v", where, it.ProposalID, r)
		}
		if r.Revote && (r.Passed || r.Vote == nil || !r.Vote.Passed) {
			t.Fatalf("%s: %s marked for a re-vote: %+v", where, it.ProposalID, r)
		}
	}
	passed := func(code string, year int) int {
		n := 0
		for _, it := range s.Agenda {
			if it.AwardType == code && reg.yearOf(it.ProposalID) == year && s.Results[it.ProposalID].Passed {
				n++
			}
		}
		return n
	}
	for code, rule := range s.Rules {
		if rule.Quota == nil {
			continue
		}
		q := rule.Quota.Normalized()
		for _, year := range []int{2024, 2025} {
			seats := max(0, q.Limit(reg.count(q.OfAwardType, year)+passed(q.OfAwardType, year))-reg.count(code, year))
			if got := passed(code, year); got > seats {
				t.Fatalf("%s: %d %s passed in %d, the quota leaves %d\n%s", where, got, code, year, seats, outcome(t, s))
			}
		}
		for _, g := range s.Quota[code].Groups {
			k, d, r := len(g.Kept), len(g.Dropped), len(g.Revote)
			if r > 0 && !(k < g.Seats && g.Seats < k+r) {
				t.Fatalf("%s: %s %d: a re-vote of %d with %d kept for %d seats", where, code, g.Year, r, k, g.Seats)
			}
			if d > 0 && r == 0 && k != g.Seats {
				t.Fatalf("%s: %s %d: %d dropped while %d of %d seats are filled", where, code, g.Year, d, k, g.Seats)
			}
			for _, id := range append(slices.Clone(g.Dropped), g.Revote...) {
				if v := s.Results[id].Vote; v == nil || !v.Passed {
					t.Fatalf("%s: %s was cut by the quota without passing the vote", where, id)
				}
			}
			if g.Text == "" || g.TextEN == "" {
				t.Fatalf("%s: %s %d has no facts", where, code, g.Year)
			}
		}
	}
}

// TestQuotaProperties: whatever the ballots, the rules, the register and the agenda's
// order, no outcome breaks a quota or a pass mark; the outcome does not depend on the
// agenda's order; and adding a yes vote to a passing candidate never makes it fail.
func TestQuotaProperties(t *testing.T) {
	monotone, ties, chair := 0, 0, 0
	for seed := range uint64(4000) {
		rng := rand.New(rand.NewPCG(seed, 0x9a07a))
		c := randomQuotaCase(rng)
		where := fmt.Sprintf("seed %d", seed)
		s := c.count()
		checkQuotaInvariants(t, s, where)
		want := outcome(t, s)
		for _, tr := range s.Quota {
			for _, g := range tr.Groups {
				if len(g.Tied) > 0 {
					ties++
				}
				if len(g.Casting) > 0 {
					chair++
				}
			}
		}

		// Any order of the agenda: the same outcome.
		for range 3 {
			p := c
			p.s = c.s.clone()
			rng.Shuffle(len(p.s.Agenda), func(i, j int) { p.s.Agenda[i], p.s.Agenda[j] = p.s.Agenda[j], p.s.Agenda[i] })
			if got := outcome(t, p.count()); got != want {
				t.Fatalf("%s: the agenda's order changes the outcome:\n%s\n%s", where, want, got)
			}
		}

		// One more yes for a passing candidate, from a valid ballot that did not say yes.
		var passing []string
		for _, it := range s.Agenda {
			if s.Results[it.ProposalID].Passed {
				passing = append(passing, it.ProposalID)
			}
		}
		if len(passing) == 0 {
			continue
		}
		id := passing[rng.IntN(len(passing))]
		for i, b := range c.ballots {
			if s.CheckMarks(b) != nil || b[id] == Yes {
				continue
			}
			more := c
			more.ballots = slices.Clone(c.ballots)
			nb := map[string]Choice{}
			for k, v := range b {
				nb[k] = v
			}
			nb[id] = Yes
			more.ballots[i] = nb
			after := more.count()
			checkQuotaInvariants(t, after, where+" +1 yes")
			if !after.Results[id].Passed {
				t.Fatalf("%s: one more yes made %s fail: %+v\nbefore %s\nafter %s", where, id, after.Results[id], want, outcome(t, after))
			}
			monotone++
			break
		}
	}
	// The properties were exercised where they bite.
	if monotone < 1000 || ties < 80 || chair < 10 {
		t.Fatalf("too few cases: %d monotonicity checks, %d ties at a cut, %d settled by the chair", monotone, ties, chair)
	}
	t.Logf("%d monotonicity checks, %d ties at a cut, %d settled by the chair", monotone, ties, chair)
}
