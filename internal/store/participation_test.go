package store_test

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/awardflow/awardflow/internal/award"
	"github.com/awardflow/awardflow/internal/store"
)

// TestMovementParticipation runs on both dialects, like TestRepository.
func TestMovementParticipation(t *testing.T) {
	forEachDialect(t, func(t *testing.T, env *dbEnv) {
		t.Run("MatchesTheStore", func(t *testing.T) { testParticipationMatchesTheStore(t, env) })
	})
}

// A movement's participation is the store counted: for random registrations (some
// withdrawn), proposals (every stage, several movements, years and departments) and
// decisions naming them (some revoked whole, some awardees revoked by a revocation
// decision, some submissions upward, titles of several years), every cell equals what the store's own lists give — the registrations in
// force, the filed proposals of the year, the awardees in force of the year whose
// proposal names the movement — and no cell is missing or extra.
func testParticipationMatchesTheStore(t *testing.T, env *dbEnv) {
	s := env.open(t)
	c := ctx(t)
	r := rand.New(rand.NewPCG(9, 7))
	moves, units := []string{"cds", "vanhoa", ""}, []string{"vp", "tt", "llct"}
	stages := []string{"draft", "submitted", "endorsed", "awarded", "rejected", "not_awarded"}
	for i := range 30 {
		kind, subject := award.KindIndividual, fmt.Sprintf("p%02d", i)
		unit := units[r.IntN(len(units))]
		if i%7 == 0 {
			kind, subject = award.KindCollective, unit
		}
		m := moves[r.IntN(2)]
		if _, _, err := s.PutRegistration(c, reg(m, kind, subject, unit, "admin")); err != nil {
			t.Fatal(err)
		}
		if r.IntN(4) == 0 {
			if _, err := s.WithdrawRegistration(c, m, kind, subject, "admin"); err != nil {
				t.Fatal(err)
			}
		}
	}
	projections := map[string]store.Projection{}
	for i := range 60 {
		p := store.Projection{WorkflowID: fmt.Sprintf("proposal-%02d", i), Kind: store.KindProposal, Seq: 1,
			Stage: stages[r.IntN(len(stages))], Department: units[r.IntN(len(units))], NomineeName: "Người",
			NomineeKind: "individual", AwardType: "LDTT", Movement: moves[r.IntN(len(moves))], Year: 2024 + r.IntN(3),
			UpdatedAt: testBaseDay}
		if _, err := s.UpsertProjection(c, p); err != nil {
			t.Fatal(err)
		}
		projections[p.WorkflowID] = p
	}
	for i := range 12 {
		d := decision(fmt.Sprintf("d%02d", i), i+1)
		if r.IntN(5) == 0 {
			d.Kind, d.RegisterSeries = store.KindSubmission, "BTGTU/TTr"
		}
		for j := range 1 + r.IntN(5) {
			id := fmt.Sprintf("proposal-%02d", (i*5+j)%60)
			if j == 4 {
				id = fmt.Sprintf("unprojected-%d", i) // a proposal the projection never saw
			}
			a := awardee(id, "Người", projections[id].Year, 710_000)
			if a.Year == 0 {
				a.Year = 2025
			}
			a.UnitID = units[r.IntN(len(units))]
			d.Awardees = append(d.Awardees, a)
		}
		must(t, s.RecordDocument(c, d))
		switch r.IntN(6) {
		case 0: // the whole decision revoked
			must(t, s.Revoke(c, store.Revocation{DocumentID: d.ID, Reason: "sai", At: issued, By: "truongban"}))
		case 1: // one awardee revoked by a revocation decision of its own (Điều 93)
			if d.Kind != store.KindDecision {
				break
			}
			cs := store.RevocationCase{ID: "rv-" + d.ID, DocumentID: d.ID, Status: string(award.DocAwaitingSignature), Ground: "gian_doi",
				Reason: "Kê khai sai", RequestedBy: "thuky", RequestedAt: issued, Proposals: []string{d.Awardees[0].ProposalID}}
			must(t, s.OpenRevocationCase(c, cs))
			rev := decision("rvdoc-"+d.ID, 100+i)
			rev.Revokes = d.ID
			must(t, s.IssueRevocation(c, cs.ID, "gian_doi", "Kê khai sai", rev, cs.Proposals))
		}
	}
	for _, year := range []int{2024, 2025, 2026, 2030} {
		got, err := s.MovementParticipation(c, year)
		must(t, err)
		want := map[[2]string]store.ParticipationStat{}
		cell := func(m, u string) store.ParticipationStat {
			w := want[[2]string{m, u}]
			w.Movement, w.UnitID = m, u
			return w
		}
		for _, m := range moves[:2] {
			regs, err := s.Registrations(c, store.RegistrationFilter{Movement: m})
			must(t, err)
			for _, rg := range regs {
				w := cell(m, rg.UnitID)
				w.Registered++
				want[[2]string{m, rg.UnitID}] = w
			}
		}
		for _, p := range projections {
			if p.Movement == "" || p.Year != year || p.Stage == "draft" {
				continue
			}
			w := cell(p.Movement, p.Department)
			w.Proposed++
			want[[2]string{p.Movement, p.Department}] = w
		}
		recs, err := s.Awardees(c, store.AwardeeFilter{Year: year, DocumentKind: store.KindDecision})
		must(t, err)
		for _, a := range recs {
			p, ok := projections[a.ProposalID]
			if !ok || p.Movement == "" {
				continue
			}
			w := cell(p.Movement, a.UnitID)
			w.Awarded++
			want[[2]string{p.Movement, a.UnitID}] = w
		}
		if len(got) != len(want) {
			t.Fatalf("%d: %d cells %+v, the store counts %d %+v", year, len(got), got, len(want), want)
		}
		total := 0
		for i, g := range got {
			if w := want[[2]string{g.Movement, g.UnitID}]; g != w {
				t.Fatalf("%d: cell %+v, the store counts %+v", year, g, w)
			}
			if i > 0 && (got[i-1].Movement > g.Movement || got[i-1].Movement == g.Movement && got[i-1].UnitID >= g.UnitID) {
				t.Errorf("%d: cells out of order: %+v before %+v", year, got[i-1], g)
			}
			total += g.Awarded
		}
		if year == 2025 && total == 0 {
			t.Errorf("2025: no awardee counted at all: the test proves nothing")
		}
	}
}
