package workflows

import (
	"context"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"go.temporal.io/sdk/activity"

	"github.com/awardflow/awardflow/internal/award"
)

// fakeQuota stands in for the quota activities: the register's figures, and the chair's
// marks (from the ballot sealed as chairSealed).
type fakeQuota struct {
	mu          sync.Mutex
	reg         award.QuotaRegister
	chairSealed string
	chairYes    []string // nil: the chair's ballot is invalid
	regReqs     []QuotaRegisterRequest
	casting     []CastingRequest
}

func (f *fakeQuota) register(env interface {
	RegisterActivityWithOptions(any, activity.RegisterOptions)
}) {
	env.RegisterActivityWithOptions(func(_ context.Context, r QuotaRegisterRequest) (award.QuotaRegister, error) {
		f.mu.Lock()
		defer f.mu.Unlock()
		f.regReqs = append(f.regReqs, r)
		return f.reg, nil
	}, activity.RegisterOptions{Name: ActivityReadQuotaRegister})
	env.RegisterActivityWithOptions(func(_ context.Context, r CastingRequest) (CastingResult, error) {
		f.mu.Lock()
		defer f.mu.Unlock()
		f.casting = append(f.casting, r)
		if r.Sealed != f.chairSealed || f.chairYes == nil {
			return CastingResult{}, nil
		}
		return CastingResult{Valid: true, Yes: f.chairYes}, nil
	}, activity.RegisterOptions{Name: ActivityCastingVote})
}

func quotaSessionInput(ties award.TieRule) SessionInput {
	in := sessionInput()
	rule := in.AwardTypes["LDTT"].Rule
	cs := rule
	cs.Secret = true
	cs.Quota = &award.Quota{OfAwardType: "LDTT", Percent: 15, Rounding: award.RoundFloor, Ties: ties}
	in.AwardTypes["CSTDCS"] = AwardTypeInfo{Name: "Chiến sĩ thi đua cơ sở", Authority: award.AuthorityAgency, Rule: cs}
	in.ProposalIDs = []string{"l-1", "c-1", "c-2"}
	return in
}

// runQuotaSession runs a session over one LĐTT and two CSTĐCS proposals tied on votes,
// with one CSTĐCS seat left in the year: 13 LĐTT in the register + 1 passing now = 14
// → 2 (floor), one CSTĐCS of the year already in the register.
func runQuotaSession(t *testing.T, ties award.TieRule, chairYes []string) (SessionView, *fakeDocs, *fakeQuota) {
	t.Helper()
	env := newEnv()
	agenda := []award.AgendaItem{
		{ProposalID: "l-1", NomineeName: "Nguyễn Thị Hồng Đào", AwardType: "LDTT"},
		{ProposalID: "c-1", NomineeName: "Trần Thị Cúc", AwardType: "CSTDCS"},
		{ProposalID: "c-2", NomineeName: "Lê Văn Bình", AwardType: "CSTDCS"},
	}
	f := &fakeDocs{}
	f.register(env, agenda, map[string]award.Count{"l-1": {Yes: 3}, "c-1": {Yes: 3}, "c-2": {Yes: 3}})
	q := &fakeQuota{chairSealed: "sealed-by-chair", chairYes: chairYes,
		reg: award.QuotaRegister{Available: true, Year: 2026, ReadAt: time.Date(2026, 2, 5, 2, 5, 0, 0, time.UTC),
			Counts: []award.YearCount{{AwardType: "LDTT", Year: 2026, Count: 13}, {AwardType: "CSTDCS", Year: 2026, Count: 1}}}}
	q.register(env)
	env.RegisterDelayedCallback(func() { env.UpdateWorkflowNoRejection(UpdateOpen, "open", t, ActorInput{sec}) }, time.Second)
	runSteps(t, env, []step{
		{"member votes", UpdateVote, BallotInput{mem1, "sealed-by-member"}, ""},
		{"chair votes", UpdateVote, BallotInput{chair, "sealed-by-chair"}, ""},
		{"secretary votes", UpdateVote, BallotInput{sec, "sealed-by-secretary"}, ""},
		{"chair closes", UpdateClose, ActorInput{chair}, ""},
	})
	env.SetStartTime(time.Date(2026, 2, 5, 2, 0, 0, 0, time.UTC))
	env.ExecuteWorkflow(CouncilSessionWorkflow, quotaSessionInput(ties))
	if err := env.GetWorkflowError(); err != nil {
		t.Fatal(err)
	}
	var out SessionView
	if err := env.GetWorkflowResult(&out); err != nil {
		t.Fatal(err)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	q.mu.Lock()
	defer q.mu.Unlock()
	if len(q.regReqs) != 1 || !slices.Equal(q.regReqs[0].AwardTypes, []string{"CSTDCS", "LDTT"}) || !q.regReqs[0].At.Equal(out.ClosedAt) || len(q.regReqs[0].Agenda) != 3 {
		t.Fatalf("register read %+v (closed %v)", q.regReqs, out.ClosedAt)
	}
	if out.QuotaRegister == nil || out.QuotaRegister.Names["CSTDCS"] != "Chiến sĩ thi đua cơ sở" || out.QuotaRegister.Names["LDTT"] != "Lao động tiên tiến" {
		t.Fatalf("the register's figures are not kept: %+v", out.QuotaRegister)
	}
	g := out.Quota["CSTDCS"].Groups
	if len(g) != 1 || g[0].RegisterBase != 13 || g[0].SessionBase != 1 || g[0].Limit != 2 || g[0].Already != 1 || g[0].Seats != 1 ||
		!strings.Contains(g[0].Text, "gồm 13 trường hợp theo sổ khen thưởng") || !strings.Contains(g[0].TextEN, "13 in the award register") {
		t.Fatalf("quota %+v", out.Quota)
	}
	return out, f, q
}

func delivered(f *fakeDocs, id string) DeliverRequest {
	for _, d := range f.delivered {
		if d.ProposalID == id {
			return d
		}
	}
	return DeliverRequest{}
}

// TestSessionQuotaCountsTheYear: the session reads the register's figures for the
// year once at the count and keeps them; the chair's casting vote is read from the
// chair's ballot for the tied proposals only and settles the seat; the decision names
// the one the chair chose.
func TestSessionQuotaCountsTheYear(t *testing.T) {
	out, f, q := runQuotaSession(t, award.TieChair, []string{"c-2", "l-1"})
	if len(q.casting) != 1 || q.casting[0].Sealed != "sealed-by-chair" || !slices.Equal(q.casting[0].ProposalIDs, []string{"c-1", "c-2"}) {
		t.Fatalf("casting vote read %+v", q.casting)
	}
	if !out.Results["c-2"].Passed || out.Results["c-1"].Passed || out.Results["c-1"].Revote || !out.Results["l-1"].Passed {
		t.Fatalf("results %+v", out.Results)
	}
	if g := out.Quota["CSTDCS"].Groups[0]; !strings.Contains(g.Text, "theo phiếu của Chủ tịch Hội đồng: chọn Lê Văn Bình; không chọn Trần Thị Cúc") {
		t.Fatalf("facts %s", g.Text)
	}
	var cst []string
	for _, d := range f.issued {
		if d.AwardType == "CSTDCS" {
			cst = ids(d.Awardees)
		}
	}
	if !slices.Equal(cst, []string{"c-2"}) {
		t.Fatalf("CSTĐCS decision names %v", cst)
	}
	if d := delivered(f, "c-1"); d.Outcome.Passed || d.Outcome.Revote || !d.QuorumMet {
		t.Fatalf("c-1 outcome %+v", d)
	}
	// A mark on anything but the tied never reaches the session, nor the marks at all.
	if _, ok := out.Results["l-1"]; !ok || out.Casting != nil {
		t.Fatalf("the chair's marks are in the view: %+v", out.Casting)
	}
}

// TestSessionQuotaRevote: under the re-vote rule a tie at the cut is neither passed nor
// failed: both go back to the council (Outcome.Revote), no CSTĐCS decision is issued,
// and the chair's ballot is never opened alone.
func TestSessionQuotaRevote(t *testing.T) {
	out, f, q := runQuotaSession(t, award.TieRevote, nil)
	if len(q.casting) != 0 {
		t.Fatalf("the chair's ballot was opened under the re-vote rule: %+v", q.casting)
	}
	for _, id := range []string{"c-1", "c-2"} {
		if r := out.Results[id]; r.Passed || !r.Revote {
			t.Fatalf("%s %+v", id, r)
		}
		if d := delivered(f, id); d.Outcome.Passed || !d.Outcome.Revote || !d.QuorumMet || !strings.Contains(d.Outcome.Reason, "bỏ phiếu lại") {
			t.Fatalf("%s outcome %+v", id, d)
		}
	}
	for _, d := range f.issued {
		if d.AwardType == "CSTDCS" {
			t.Fatalf("a CSTĐCS decision for a tie: %+v", d)
		}
	}
	if !slices.Equal(out.Quota["CSTDCS"].Revote, []string{"c-2", "c-1"}) {
		t.Fatalf("trace %+v", out.Quota["CSTDCS"])
	}
}

// TestSessionQuotaChairWithoutBallot: the chair's ballot cannot be read (an invalid
// ballot gives no marks): the tie is re-voted.
func TestSessionQuotaChairWithoutBallot(t *testing.T) {
	out, f, q := runQuotaSession(t, award.TieChair, nil)
	if len(q.casting) != 1 {
		t.Fatalf("casting %+v", q.casting)
	}
	for _, id := range []string{"c-1", "c-2"} {
		if d := delivered(f, id); !d.Outcome.Revote || out.Results[id].Passed {
			t.Fatalf("%s outcome %+v", id, d)
		}
	}
}
