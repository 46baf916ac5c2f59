package award_test

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"

	"github.com/awardflow/awardflow/internal/award"
)

// Property tests of the eligibility rules, over the demo's rule sets and every award
// type and kind, with seeded random data (math/rand/v2; a failure names its seed).

const propertyRounds = 600

func randRecord(r *rand.Rand, year int, id string) award.AnnualRecord {
	rec := award.AnnualRecord{Year: year, Kind: award.KindIndividual, ID: id}
	if r.IntN(8) > 0 {
		rec.Rating = award.TaskRatings[r.IntN(len(award.TaskRatings))]
	}
	if r.IntN(8) > 0 {
		rec.MonthsOfService = ptr(r.IntN(13))
	}
	if r.IntN(8) > 0 {
		rec.DaysAbsent = ptr(r.IntN(80))
		if r.IntN(3) == 0 {
			rec.MaternityDays = r.IntN(*rec.DaysAbsent + 1)
		}
	}
	if r.IntN(8) > 0 {
		// Mostly none: a collective with members at random levels is rarely clean.
		if r.IntN(3) > 0 {
			rec.Discipline = award.DisciplineNone
		} else {
			rec.Discipline = award.DisciplineLevels[r.IntN(len(award.DisciplineLevels))]
		}
	}
	for range r.IntN(3) {
		rec.Initiatives = append(rec.Initiatives, award.Recognition{Title: "Sáng kiến", Evidence: "QĐ"})
	}
	if r.IntN(4) == 0 {
		rec.Research = append(rec.Research, award.Recognition{Title: "Đề tài", Evidence: "BB nghiệm thu"})
	}
	return rec
}

// improve returns a record at least as good in every respect (same known/unknown
// fields): a better rating, more months, fewer days absent or more of them maternity
// leave, a lighter discipline, more initiatives or research.
func improve(r *rand.Rand, rec award.AnnualRecord) award.AnnualRecord {
	out := rec
	out.Initiatives = slices.Clone(rec.Initiatives)
	out.Research = slices.Clone(rec.Research)
	if rec.Rating != "" && r.IntN(2) == 0 {
		i := slices.Index(award.TaskRatings, rec.Rating)
		out.Rating = award.TaskRatings[r.IntN(i+1)] // index 0 is the best
	}
	if rec.MonthsOfService != nil && r.IntN(2) == 0 {
		out.MonthsOfService = ptr(*rec.MonthsOfService + r.IntN(13-*rec.MonthsOfService))
	}
	if rec.DaysAbsent != nil && r.IntN(2) == 0 {
		switch r.IntN(2) {
		case 0: // fewer days absent; the days not on maternity leave never grow
			d := r.IntN(*rec.DaysAbsent + 1)
			lo := max(d-(*rec.DaysAbsent-rec.MaternityDays), 0)
			out.DaysAbsent = ptr(d)
			out.MaternityDays = lo + r.IntN(d-lo+1)
		case 1: // more of them maternity leave
			out.MaternityDays = rec.MaternityDays + r.IntN(*rec.DaysAbsent-rec.MaternityDays+1)
		}
	}
	if rec.Discipline != "" && r.IntN(2) == 0 {
		i := slices.Index(award.DisciplineLevels, rec.Discipline)
		out.Discipline = award.DisciplineLevels[r.IntN(i+1)] // index 0 is none
	}
	if r.IntN(3) == 0 {
		out.Initiatives = append(out.Initiatives, award.Recognition{Title: "Thêm", Evidence: "QĐ"})
	}
	if r.IntN(4) == 0 {
		out.Research = append(out.Research, award.Recognition{Title: "Thêm", Evidence: "BB"})
	}
	return out
}

func randHistory(r *rand.Rand, year int, ids []string, kind award.NomineeKind, types []string) []award.AwardRecord {
	var h []award.AwardRecord
	for range r.IntN(8) {
		h = append(h, award.AwardRecord{Kind: kind, NomineeID: ids[r.IntN(len(ids))], Year: year - r.IntN(4), AwardType: types[r.IntN(len(types))]})
	}
	return h
}

// rank orders statuses by how good they are for the nominee.
func rank(s award.CriterionStatus) int {
	switch s {
	case award.StatusNotMet:
		return 0
	case award.StatusUnknown:
		return 1
	}
	return 2
}

type nomineeCase struct {
	n award.Nominee
	h []award.AwardRecord
}

// randNominee draws a nominee of kind k with a history, and an improved copy of both.
func randNominee(r *rand.Rand, k award.NomineeKind, year int, types []string) (before, after nomineeCase) {
	if k == award.KindIndividual {
		rec := randRecord(r, year, "p")
		better := improve(r, rec)
		h := randHistory(r, year, []string{"p", "q"}, award.KindIndividual, types)
		more := append(slices.Clone(h), randHistory(r, year, []string{"p"}, award.KindIndividual, types)...)
		return nomineeCase{award.Nominee{Kind: k, ID: "p", Year: year, Record: &rec}, h},
			nomineeCase{award.Nominee{Kind: k, ID: "p", Year: year, Record: &better}, more}
	}
	size := 1 + r.IntN(8)
	var ids []string
	u := award.Nominee{Kind: k, ID: "u", Year: year}
	v := award.Nominee{Kind: k, ID: "u", Year: year}
	for i := range size {
		id := fmt.Sprintf("m%d", i)
		ids = append(ids, id)
		m := randRecord(r, year, id)
		u.Members = append(u.Members, m)
		v.Members = append(v.Members, improve(r, m))
	}
	h := randHistory(r, year, ids, award.KindIndividual, types)
	more := append(slices.Clone(h), randHistory(r, year, ids, award.KindIndividual, types)...)
	return nomineeCase{u, h}, nomineeCase{v, more}
}

// TestEligibilityMonotone: improving a nominee's data (or a collective's members'), or
// adding awards to the register, never makes a criterion worse: met stays met, unknown
// never becomes not met, judgement stays judgement.
func TestEligibilityMonotone(t *testing.T) {
	o := demoOrg(t)
	var codes []string
	for _, at := range o.AwardTypes {
		codes = append(codes, at.Code)
	}
	for seed := range uint64(propertyRounds) {
		r := rand.New(rand.NewPCG(seed, 0x9e11))
		rs := o.RuleSets[r.IntN(len(o.RuleSets))]
		rules := award.Rules{Set: rs, Types: o.AwardTypes}
		at := o.AwardTypes[r.IntN(len(o.AwardTypes))]
		k := award.KindIndividual
		if !at.Admits(k) || at.Admits(award.KindCollective) && r.IntN(2) == 0 {
			k = award.KindCollective
		}
		before, after := randNominee(r, k, rs.FirstYear()+r.IntN(3), codes)
		rb := award.Evaluate(rules, at.Code, before.n, before.h)
		ra := award.Evaluate(rules, at.Code, after.n, after.h)
		if len(rb) != len(ra) {
			t.Fatalf("seed %d: %d results before, %d after", seed, len(rb), len(ra))
		}
		for i := range rb {
			if (rb[i].Status == award.StatusJudgement) != (ra[i].Status == award.StatusJudgement) || rank(ra[i].Status) < rank(rb[i].Status) {
				t.Fatalf("seed %d, %s %s/%s: %s (%s) became %s (%s) after an improvement\nbefore %+v\nafter %+v",
					seed, rs.ID, at.Code, rb[i].ID, rb[i].Status, rb[i].Reason, ra[i].Status, ra[i].Reason, before, after)
			}
		}
		if rank(award.Verdict(ra)) < rank(award.Verdict(rb)) {
			t.Fatalf("seed %d: verdict %s became %s", seed, award.Verdict(rb), award.Verdict(ra))
		}
	}
}

// TestEligibilityOrderFree: a collective's results do not depend on the order of its
// members or of the register's lines (duplicates and other years' records included).
func TestEligibilityOrderFree(t *testing.T) {
	o := demoOrg(t)
	var codes []string
	var collective []award.AwardType
	for _, at := range o.AwardTypes {
		codes = append(codes, at.Code)
		if at.Admits(award.KindCollective) {
			collective = append(collective, at)
		}
	}
	for seed := range uint64(propertyRounds) {
		r := rand.New(rand.NewPCG(seed, 0x0bde))
		rs := o.RuleSets[r.IntN(len(o.RuleSets))]
		rules := award.Rules{Set: rs, Types: o.AwardTypes}
		at := collective[r.IntN(len(collective))]
		c, _ := randNominee(r, award.KindCollective, rs.FirstYear()+1, codes)
		if r.IntN(5) == 0 && len(c.n.Members) > 1 { // a member listed twice
			c.n.Members = append(c.n.Members, c.n.Members[r.IntN(len(c.n.Members))])
		}
		if r.IntN(5) == 0 { // a member's record of another year
			c.n.Members[r.IntN(len(c.n.Members))].Year--
		}
		want := award.Evaluate(rules, at.Code, c.n, c.h)
		for range 3 {
			m := slices.Clone(c.n.Members)
			h := slices.Clone(c.h)
			r.Shuffle(len(m), func(i, j int) { m[i], m[j] = m[j], m[i] })
			r.Shuffle(len(h), func(i, j int) { h[i], h[j] = h[j], h[i] })
			n := c.n
			n.Members = m
			if got := award.Evaluate(rules, at.Code, n, h); !reflect.DeepEqual(got, want) {
				t.Fatalf("seed %d, %s: results depend on the order\n%+v\n%+v", seed, at.Code, want, got)
			}
		}
	}
}

// TestOneLiveProposalOrderFree: the answer, and the proposal it names, do not depend
// on the order of the other proposals.
func TestOneLiveProposalOrderFree(t *testing.T) {
	for seed := range uint64(propertyRounds) {
		r := rand.New(rand.NewPCG(seed, 0x11fe))
		p := award.ProposalRef{ID: "p0", Kind: award.KindIndividual, NomineeID: "hongdao", NomineeName: "Hồng Đào", AwardType: "LDTT", Year: 2025}
		var others []award.ProposalRef
		live := false
		for i := range r.IntN(6) {
			o := award.ProposalRef{ID: fmt.Sprintf("p%d", i+1), Kind: award.Kinds[r.IntN(2)], NomineeID: []string{"hongdao", "vanson"}[r.IntN(2)],
				AwardType: []string{"LDTT", "CSTDCS"}[r.IntN(2)], Year: 2024 + r.IntN(2), Stage: award.Stages[r.IntN(len(award.Stages))]}
			others = append(others, o)
			if o.Kind == p.Kind && o.NomineeID == p.NomineeID && o.AwardType == p.AwardType && o.Year == p.Year && o.Stage.Live() {
				live = true
			}
		}
		want := award.CheckOneLiveProposal(p, others)
		if (want != nil) != live {
			t.Fatalf("seed %d: %v, a live duplicate: %v (%+v)", seed, want, live, others)
		}
		r.Shuffle(len(others), func(i, j int) { others[i], others[j] = others[j], others[i] })
		if got := award.CheckOneLiveProposal(p, others); fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("seed %d: %v, then %v", seed, want, got)
		}
	}
}
