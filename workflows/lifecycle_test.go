package workflows

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"

	"github.com/awardflow/awardflow/internal/award"
)

var clerk = award.Actor{ID: "vanthu", Name: "Phan Thị Thanh Thuý", Department: "vp", Roles: []award.Role{award.RoleClerk}}

// lifecycleDocs adds the lifecycle's activities to fakeDocs.
type lifecycleDocs struct {
	*fakeDocs
	drafts []DocumentRequest
	signs  []DocumentRequest
	issues []DocumentRequest
	noCert string // this signer has no certificate
}

func (f *lifecycleDocs) register(env *testsuite.TestWorkflowEnvironment, agenda []award.AgendaItem, counts map[string]award.Count) {
	f.fakeDocs.register(env, agenda, counts)
	reg := func(name string, fn any) { env.RegisterActivityWithOptions(fn, activity.RegisterOptions{Name: name}) }
	reg(ActivityDraftDocument, func(_ context.Context, r DocumentRequest) (award.DocumentRef, error) {
		f.mu.Lock()
		defer f.mu.Unlock()
		f.drafts = append(f.drafts, r)
		return award.DocumentRef{ID: r.Document.ID, Key: "drafts/" + r.Document.ID + ".r" + strconv.Itoa(r.Document.Revision)}, nil
	})
	reg(ActivitySignDocument, func(_ context.Context, r DocumentRequest) (SignedDocument, error) {
		f.mu.Lock()
		defer f.mu.Unlock()
		f.signs = append(f.signs, r)
		if r.Document.Signer.ID == f.noCert {
			return SignedDocument{}, temporal.NewApplicationErrorWithOptions("no certificate", ErrDocument, temporal.ApplicationErrorOptions{NonRetryable: true,
				Details: []any{DocumentFailure{DocumentID: r.Document.ID, VI: "Không ký được quyết định: Lê Thị Thu Hà chưa có chứng thư số để ký.", EN: "cannot sign the decision: Lê Thị Thu Hà has no signing certificate"}}})
		}
		return SignedDocument{Ref: award.DocumentRef{ID: r.Document.ID, Key: "signed/" + r.Document.ID, SHA256: "s"}}, nil
	})
	reg(ActivityIssueCouncilSubmission, func(_ context.Context, r CouncilSubmissionRequest) (award.DocumentRef, error) {
		return award.DocumentRef{ID: r.Session.ID + ".council-ttr", Key: "submissions/council", SHA256: "c", NumberText: "Số " + strconv.Itoa(r.Number) + "-TTr/BTGTU"}, nil
	})
	reg(ActivityIssueDocument, func(_ context.Context, r DocumentRequest) (award.DocumentRef, error) {
		f.mu.Lock()
		defer f.mu.Unlock()
		f.issues = append(f.issues, r)
		return award.DocumentRef{ID: r.Document.ID, Key: "decisions/" + r.Document.ID, SHA256: "i" + strconv.Itoa(r.Number),
			NumberText: "Số " + strconv.Itoa(r.Number) + "-QĐ/BTGTU", IssuedAt: r.Date}, nil
	})
}

// numbersOf lists the register requests of a document type, in order.
func (f *lifecycleDocs) numbered() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.allocated)
}

func lifecycleInput() SessionInput {
	in := sessionInput()
	rule := in.AwardTypes["LDTT"].Rule
	in.AwardTypes["GK"] = AwardTypeInfo{Name: "Giấy khen", Authority: award.AuthorityAgency, Rule: rule}
	in.AwardTypes["TTLDXS"] = AwardTypeInfo{Name: "Tập thể lao động xuất sắc", Authority: award.AuthorityUpward, Rule: rule}
	in.Decide = &DecideSetup{
		Head:        award.SignerRef{ID: chair.ID, Name: chair.Name, Title: "TRƯỞNG BAN"},
		Delegations: map[string]award.SignerRef{"GK": {ID: mem1.ID, Name: mem1.Name, Title: "PHÓ TRƯỞNG BAN", Prefix: "K/T", Body: "TRƯỞNG BAN"}},
		Secretaries: []string{sec.ID}, Clerks: []string{clerk.ID}, Escalate: []string{chair.ID}, SignDays: 3,
		Profile:    award.ProfileHD36,
		TermStarts: []time.Time{time.Date(2025, 10, 20, 0, 0, 0, 0, time.UTC)},
	}
	return in
}

var lifecycleAgenda = []award.AgendaItem{
	{ProposalID: "p-1", NomineeName: "Nguyễn Thị Hồng Đào", AwardType: "LDTT"},
	{ProposalID: "p-2", NomineeName: "Lê Quốc Cường", AwardType: "LDTT"},
	{ProposalID: "p-3", NomineeName: "Đặng Văn Sơn", AwardType: "GK"},
	{ProposalID: "p-4", NomineeName: "Phòng Tuyên truyền - Báo chí", Kind: award.KindCollective, AwardType: "TTLDXS"},
	{ProposalID: "p-5", NomineeName: "Trương Thị Kim Ngân", AwardType: "LDTT"},
}

var lifecycleCounts = map[string]award.Count{"p-1": {Yes: 3}, "p-2": {Yes: 3}, "p-3": {Yes: 3}, "p-4": {Yes: 3}, "p-5": {No: 3}}

// voteAndClose opens, votes and closes in the first minutes of the test.
func voteAndClose(t *testing.T, env *testsuite.TestWorkflowEnvironment) {
	env.RegisterDelayedCallback(func() { env.UpdateWorkflowNoRejection(UpdateOpen, "open", t, ActorInput{sec}) }, time.Second)
	runSteps(t, env, []step{
		{"chair votes", UpdateVote, BallotInput{chair, "s1"}, ""},
		{"member votes", UpdateVote, BallotInput{mem1, "s2"}, ""},
		{"secretary votes", UpdateVote, BallotInput{sec, "s3"}, ""},
		{"chair closes", UpdateClose, ActorInput{chair}, ""},
	})
}

// at schedules updates at fixed times after the start (runSteps spaces its own steps a
// minute apart from the start; these come later).
func at(t *testing.T, env *testsuite.TestWorkflowEnvironment, after time.Duration, steps ...step) {
	for i, s := range steps {
		env.RegisterDelayedCallback(func() {
			env.UpdateWorkflow(s.update, "", updateCheck(t, s), s.arg)
		}, after+time.Duration(i)*time.Minute)
	}
}

func act(a award.Actor, doc string) DocumentActionInput {
	return DocumentActionInput{Actor: a, DocumentID: doc}
}

func actWhy(a award.Actor, doc, reason string, drop ...string) DocumentActionInput {
	return DocumentActionInput{Actor: a, DocumentID: doc, Reason: reason, Drop: drop}
}

func outcomeOf(f *lifecycleDocs, id string) *DeliverRequest {
	f.mu.Lock()
	defer f.mu.Unlock()
	for i := range f.delivered {
		if f.delivered[i].ProposalID == id {
			return &f.delivered[i]
		}
	}
	return nil
}

// Close → drafts (not decisions); the head signs LĐTT, the deputy signs Giấy khen
// (delegated, "K/T"), the head signs the tờ trình upward; only the văn thư issues; a
// number is taken at issue and not before; the proposals learn their outcome at issue.
func TestLifecycleApproveAndIssue(t *testing.T) {
	env := newEnv()
	f := &lifecycleDocs{fakeDocs: &fakeDocs{}}
	f.register(env, lifecycleAgenda, lifecycleCounts)
	voteAndClose(t, env)
	var drafted, signed SessionView
	var numbersBeforeIssue []string
	env.RegisterDelayedCallback(func() { drafted = querySession(t, env) }, 10*time.Minute)
	ld, gk, up := DecisionID("s-1", "LDTT"), DecisionID("s-1", "GK"), SubmissionID("s-1", "TTLDXS")
	at(t, env, 20*time.Minute,
		step{"deputy approves LĐTT", UpdateApproveDocument, act(mem1, ld), award.CodeForbidden},
		step{"clerk issues a draft", UpdateIssueDocument, act(clerk, ld), award.CodeWrongStage},
		step{"secretary approves", UpdateApproveDocument, act(sec, ld), award.CodeForbidden},
		step{"head approves LĐTT", UpdateApproveDocument, act(chair, ld), ""},
		step{"head approves LĐTT again", UpdateApproveDocument, act(chair, ld), award.CodeWrongStage},
		step{"head approves Giấy khen", UpdateApproveDocument, act(chair, gk), award.CodeForbidden},
		step{"deputy approves Giấy khen", UpdateApproveDocument, act(mem1, gk), ""},
		step{"head approves the tờ trình", UpdateApproveDocument, act(chair, up), ""},
		step{"unknown document", UpdateApproveDocument, act(chair, "s-1.XX"), award.CodeNotFound},
	)
	env.RegisterDelayedCallback(func() {
		signed = querySession(t, env)
		numbersBeforeIssue = f.numbered()
	}, 40*time.Minute)
	at(t, env, 50*time.Minute,
		step{"head issues", UpdateIssueDocument, act(chair, ld), award.CodeForbidden},
		step{"clerk issues LĐTT", UpdateIssueDocument, act(clerk, ld), ""},
		step{"clerk issues LĐTT again", UpdateIssueDocument, act(clerk, ld), award.CodeWrongStage},
		step{"clerk issues Giấy khen", UpdateIssueDocument, act(clerk, gk), ""},
		step{"clerk issues the tờ trình", UpdateIssueDocument, act(clerk, up), ""},
	)
	env.SetStartTime(time.Date(2026, 2, 5, 2, 0, 0, 0, time.UTC))
	env.ExecuteWorkflow(CouncilSessionWorkflow, lifecycleInput())
	if err := env.GetWorkflowError(); err != nil {
		t.Fatal(err)
	}
	var out SessionView
	if err := env.GetWorkflowResult(&out); err != nil {
		t.Fatal(err)
	}

	if drafted.Status != award.SessionDeciding || len(drafted.Documents) != 3 || len(drafted.Decisions) != 0 || drafted.Minutes == nil || drafted.CouncilSubmission == nil {
		t.Fatalf("after close: status %s, %d documents, %d decisions", drafted.Status, len(drafted.Documents), len(drafted.Decisions))
	}
	for _, d := range drafted.Documents {
		if d.Status != award.DocAwaitingSignature || d.Draft == nil || d.Signed != nil || d.Revision != 1 {
			t.Errorf("draft %s: %+v", d.ID, d)
		}
	}
	if d, _ := drafted.Session.Document(gk); d.Signer.ID != mem1.ID || d.Signer.Prefix != "K/T" {
		t.Errorf("Giấy khen signer %+v, want the deputy signing K/T", d.Signer)
	}
	if d, _ := drafted.Session.Document(ld); !slices.Equal(d.Awardees, []string{"p-1", "p-2"}) {
		t.Errorf("LĐTT awardees %v (p-5 did not pass)", d.Awardees)
	}
	// Only the council's own documents (minutes, its tờ trình to the head) were numbered
	// before the văn thư acted.
	if !slices.Equal(numbersBeforeIssue, []string{"s-1/minutes", "s-1/council-ttr"}) {
		t.Errorf("numbers taken before issue: %v", numbersBeforeIssue)
	}
	for _, d := range signed.Documents {
		if d.Status != award.DocAwaitingIssue || d.Signed == nil {
			t.Errorf("signed %s: %+v", d.ID, d)
		}
	}
	if out.Status != award.SessionDone || len(out.Decisions) != 2 || len(out.Submissions) != 1 {
		t.Fatalf("end: %s, %d decisions, %d submissions", out.Status, len(out.Decisions), len(out.Submissions))
	}
	if got := f.numbered(); !slices.Equal(got, []string{"s-1/minutes", "s-1/council-ttr", ld + "/issue", gk + "/issue", up + "/issue"}) {
		t.Errorf("register requests %v", got)
	}
	f.mu.Lock()
	for _, r := range f.issues {
		if r.Signed == nil || r.Signed.Ref.Key != "signed/"+r.Document.ID || r.Date.IsZero() || r.Number < 1 {
			t.Errorf("issue request %+v", r)
		}
	}
	f.mu.Unlock()
	// HD36: the register is the term's, not the year's.
	if !slices.Equal(f.periods, []string{"nk-2025-10-20", "nk-2025-10-20", "nk-2025-10-20", "nk-2025-10-20", "nk-2025-10-20"}) {
		t.Errorf("register periods %v", f.periods)
	}
	if p1 := outcomeOf(f, "p-1"); p1 == nil || !p1.Outcome.Passed || p1.Outcome.DecisionID != ld || p1.Outcome.NumberText == "" {
		t.Errorf("p-1 outcome %+v", p1)
	}
	if p4 := outcomeOf(f, "p-4"); p4 == nil || !p4.Outcome.Passed || !p4.Outcome.Upward {
		t.Errorf("p-4 outcome %+v", p4)
	}
	if p5 := outcomeOf(f, "p-5"); p5 == nil || p5.Outcome.Passed || !p5.QuorumMet {
		t.Errorf("p-5 outcome %+v", p5)
	}
}

// The signer sends a draft back; the secretary drops one awardee and regenerates it;
// the signer signs the new revision; a second draft is sent back and abandoned. No
// number is taken for what was sent back or abandoned; the dropped and abandoned
// proposals are told they were not approved.
func TestLifecycleSendBackReviseAbandon(t *testing.T) {
	env := newEnv()
	f := &lifecycleDocs{fakeDocs: &fakeDocs{}}
	f.register(env, lifecycleAgenda, lifecycleCounts)
	voteAndClose(t, env)
	ld, gk, up := DecisionID("s-1", "LDTT"), DecisionID("s-1", "GK"), SubmissionID("s-1", "TTLDXS")
	var afterRevise SessionView
	at(t, env, 20*time.Minute,
		step{"send back without reason", UpdateSendBackDocument, actWhy(chair, ld, " "), award.CodeInvalid},
		step{"head sends LĐTT back", UpdateSendBackDocument, actWhy(chair, ld, "Bỏ trường hợp Lê Quốc Cường"), ""},
		step{"member revises", UpdateReviseDocument, actWhy(mem1, ld, "x", "p-2"), award.CodeForbidden},
		step{"secretary drops everyone", UpdateReviseDocument, actWhy(sec, ld, "x", "p-1", "p-2"), award.CodeInvalid},
		step{"secretary drops a stranger", UpdateReviseDocument, actWhy(sec, ld, "x", "p-3"), award.CodeInvalid},
		step{"secretary drops p-2", UpdateReviseDocument, actWhy(sec, ld, "Theo ý kiến của Trưởng Ban", "p-2"), ""},
		step{"deputy sends Giấy khen back", UpdateSendBackDocument, actWhy(mem1, gk, "Chưa đủ thành tích"), ""},
		step{"abandon a draft that waits", UpdateAbandonDocument, actWhy(sec, up, "x"), award.CodeWrongStage},
		step{"secretary abandons Giấy khen", UpdateAbandonDocument, actWhy(sec, gk, "Theo ý kiến của Phó Trưởng Ban"), ""},
	)
	env.RegisterDelayedCallback(func() { afterRevise = querySession(t, env) }, 40*time.Minute)
	at(t, env, 50*time.Minute,
		step{"head signs revision 2", UpdateApproveDocument, act(chair, ld), ""},
		step{"head signs the tờ trình", UpdateApproveDocument, act(chair, up), ""},
		step{"clerk issues LĐTT", UpdateIssueDocument, act(clerk, ld), ""},
		step{"clerk issues the abandoned one", UpdateIssueDocument, act(clerk, gk), award.CodeWrongStage},
		step{"clerk issues the tờ trình", UpdateIssueDocument, act(clerk, up), ""},
	)
	env.SetStartTime(time.Date(2026, 2, 5, 2, 0, 0, 0, time.UTC))
	env.ExecuteWorkflow(CouncilSessionWorkflow, lifecycleInput())
	if err := env.GetWorkflowError(); err != nil {
		t.Fatal(err)
	}
	var out SessionView
	if err := env.GetWorkflowResult(&out); err != nil {
		t.Fatal(err)
	}
	d, _ := afterRevise.Session.Document(ld)
	if d.Revision != 2 || d.Status != award.DocAwaitingSignature || !slices.Equal(d.Awardees, []string{"p-1"}) || d.Draft.Key != "drafts/"+ld+".r2" {
		t.Fatalf("after revise: %+v", d)
	}
	var actions []award.DocAction
	for _, e := range d.History {
		actions = append(actions, e.Action)
	}
	if !slices.Equal(actions, []award.DocAction{award.DocActionDrafted, award.DocActionSentBack, award.DocActionRevised}) {
		t.Errorf("history %v", actions)
	}
	if g, _ := afterRevise.Session.Document(gk); g.Status != award.DocAbandoned {
		t.Errorf("Giấy khen %s", g.Status)
	}
	if out.Status != award.SessionDone || len(out.Decisions) != 1 || !slices.Equal(out.Decisions[0].Awardees, []string{"p-1"}) {
		t.Fatalf("end: %s %+v", out.Status, out.Decisions)
	}
	if got := f.numbered(); !slices.Equal(got, []string{"s-1/minutes", "s-1/council-ttr", ld + "/issue", up + "/issue"}) {
		t.Errorf("register requests %v: a sent-back or abandoned draft took a number", got)
	}
	for _, id := range []string{"p-2", "p-3"} {
		o := outcomeOf(f, id)
		if o == nil || o.Outcome.Passed || !o.QuorumMet || o.Outcome.Reason == "" {
			t.Errorf("%s outcome %+v", id, o)
		}
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.drafts) != 4 { // three first drafts and one revision
		t.Errorf("%d drafts rendered", len(f.drafts))
	}
}

// A draft nobody decides on is escalated at its deadline: it shows overdue and the
// people escalated to see it in their inbox; the signer can still sign it.
func TestLifecycleDeadlineEscalates(t *testing.T) {
	env := newEnv()
	f := &lifecycleDocs{fakeDocs: &fakeDocs{}}
	agenda := lifecycleAgenda[:1]
	f.register(env, agenda, lifecycleCounts)
	voteAndClose(t, env)
	in := lifecycleInput()
	in.Decide.Head = award.SignerRef{ID: mem1.ID, Name: mem1.Name, Title: "PHÓ TRƯỞNG BAN"} // escalates to the chair
	ld := DecisionID("s-1", "LDTT")
	var before, after SessionView
	env.RegisterDelayedCallback(func() { before = querySession(t, env) }, 3*24*time.Hour-time.Hour)
	env.RegisterDelayedCallback(func() { after = querySession(t, env) }, 3*24*time.Hour+time.Hour)
	at(t, env, 4*24*time.Hour,
		step{"signer signs late", UpdateApproveDocument, act(mem1, ld), ""},
		step{"clerk issues", UpdateIssueDocument, act(clerk, ld), ""},
	)
	env.SetStartTime(time.Date(2026, 2, 5, 2, 0, 0, 0, time.UTC))
	env.ExecuteWorkflow(CouncilSessionWorkflow, in)
	if err := env.GetWorkflowError(); err != nil {
		t.Fatal(err)
	}
	b, _ := before.Session.Document(ld)
	a, _ := after.Session.Document(ld)
	if b.Overdue || !a.Overdue {
		t.Fatalf("overdue before %v after %v", b.Overdue, a.Overdue)
	}
	if got := after.Session.DocumentWaiters(in.Decide.Secretaries, in.Decide.Clerks, in.Decide.Escalate); !slices.Equal(got, []string{mem1.ID, chair.ID}) {
		t.Errorf("waiters after the deadline %v", got)
	}
	var out SessionView
	if err := env.GetWorkflowResult(&out); err != nil {
		t.Fatal(err)
	}
	if out.Status != award.SessionDone || len(out.Decisions) != 1 {
		t.Fatalf("end %s", out.Status)
	}
}

// An award type that admits both kinds (Giấy khen) gets one draft per kind: a decision
// never mixes individuals and collectives.
func TestLifecycleSplitsMixedKinds(t *testing.T) {
	env := newEnv()
	f := &lifecycleDocs{fakeDocs: &fakeDocs{}}
	agenda := []award.AgendaItem{
		{ProposalID: "p-1", NomineeName: "Nguyễn Thị Hồng Đào", Kind: award.KindIndividual, AwardType: "GK"},
		{ProposalID: "p-2", NomineeName: "Phòng Tuyên truyền - Báo chí", Kind: award.KindCollective, AwardType: "GK"},
		{ProposalID: "p-3", NomineeName: "Lê Quốc Cường", Kind: award.KindIndividual, AwardType: "GK"},
		{ProposalID: "p-4", NomineeName: "Văn phòng", Kind: award.KindCollective, AwardType: "TTLDXS"},
	}
	f.register(env, agenda, map[string]award.Count{"p-1": {Yes: 3}, "p-2": {Yes: 3}, "p-3": {Yes: 3}, "p-4": {Yes: 3}})
	voteAndClose(t, env)
	var drafted SessionView
	env.RegisterDelayedCallback(func() { drafted = querySession(t, env) }, 10*time.Minute)
	env.SetStartTime(time.Date(2026, 2, 5, 2, 0, 0, 0, time.UTC))
	env.ExecuteWorkflow(CouncilSessionWorkflow, lifecycleInput())
	// Nobody signs here: the drafts are all this test looks at, not how the run ends.
	want := map[string][]string{DecisionID("s-1", "GK"): {"p-1", "p-3"}, DecisionID("s-1", "GK") + ".tt": {"p-2"}, SubmissionID("s-1", "TTLDXS"): {"p-4"}}
	if len(drafted.Documents) != len(want) {
		t.Fatalf("%d documents: %+v", len(drafted.Documents), drafted.Documents)
	}
	kinds := map[string]award.NomineeKind{}
	for _, it := range agenda {
		kinds[it.ProposalID] = it.Kind
	}
	for _, d := range drafted.Documents {
		if !slices.Equal(d.Awardees, want[d.ID]) {
			t.Errorf("%s awardees %v, want %v", d.ID, d.Awardees, want[d.ID])
		}
		for _, id := range d.Awardees {
			if kinds[id] != kinds[d.Awardees[0]] {
				t.Errorf("%s mixes individuals and collectives: %v", d.ID, d.Awardees)
			}
		}
	}
}

// A signer without a certificate gets the reason in words, nothing is recorded, and once
// the certificate is installed the same signer signs.
func TestLifecycleSignerWithoutCertificate(t *testing.T) {
	env := newEnv()
	f := &lifecycleDocs{fakeDocs: &fakeDocs{}, noCert: mem1.ID}
	f.register(env, lifecycleAgenda[2:3], lifecycleCounts) // Giấy khen: the deputy signs
	voteAndClose(t, env)
	gk := DecisionID("s-1", "GK")
	var got error
	var after SessionView
	env.RegisterDelayedCallback(func() {
		env.UpdateWorkflow(UpdateApproveDocument, "", &testsuite.TestUpdateCallback{
			OnReject: func(err error) { got = err }, OnAccept: func() {}, OnComplete: func(_ any, err error) { got = err },
		}, act(mem1, gk))
	}, 20*time.Minute)
	env.RegisterDelayedCallback(func() { after = querySession(t, env); f.mu.Lock(); f.noCert = ""; f.mu.Unlock() }, 30*time.Minute)
	at(t, env, 40*time.Minute,
		step{"the deputy signs once the certificate is there", UpdateApproveDocument, act(mem1, gk), ""},
		step{"clerk issues", UpdateIssueDocument, act(clerk, gk), ""},
	)
	env.SetStartTime(time.Date(2026, 2, 5, 2, 0, 0, 0, time.UTC))
	env.ExecuteWorkflow(CouncilSessionWorkflow, lifecycleInput())
	if err := env.GetWorkflowError(); err != nil {
		t.Fatal(err)
	}
	de, ok := DomainError(got)
	if !ok || de.Code != award.CodeUnavailable || !strings.Contains(de.VI, "chưa có chứng thư số") || !strings.Contains(de.EN, "no signing certificate") {
		t.Fatalf("approve without a certificate: %v", got)
	}
	if d, _ := after.Session.Document(gk); d.Status != award.DocAwaitingSignature || d.Signed != nil {
		t.Fatalf("after the failed signature: %+v", d)
	}
}

// HD36 registers run across the term: a session closed on 31 December whose decision
// the văn thư issues on 2 January numbers both in the same register; NĐ30 restarts.
func TestLifecycleNumbersAcrossNewYear(t *testing.T) {
	for _, c := range []struct {
		profile      award.Profile
		close, issue string
	}{
		{award.ProfileHD36, "nk-2025-10-20", "nk-2025-10-20"},
		{award.ProfileND30, "2025", "2026"},
	} {
		t.Run(string(c.profile), func(t *testing.T) {
			env := newEnv()
			f := &lifecycleDocs{fakeDocs: &fakeDocs{}}
			f.register(env, lifecycleAgenda[:1], lifecycleCounts)
			voteAndClose(t, env)
			ld := DecisionID("s-1", "LDTT")
			at(t, env, 36*time.Hour, // 2 January, Vietnam time
				step{"head signs", UpdateApproveDocument, act(chair, ld), ""},
				step{"clerk issues", UpdateIssueDocument, act(clerk, ld), ""},
			)
			in := lifecycleInput()
			in.Decide.Profile = c.profile
			env.SetStartTime(time.Date(2025, 12, 31, 2, 0, 0, 0, time.UTC)) // 09:00 on 31 December in Vietnam
			env.ExecuteWorkflow(CouncilSessionWorkflow, in)
			if err := env.GetWorkflowError(); err != nil {
				t.Fatal(err)
			}
			f.mu.Lock()
			defer f.mu.Unlock()
			// minutes and the council's tờ trình at close, the decision at issue
			if want := []string{c.close, c.close, c.issue}; !slices.Equal(f.periods, want) {
				t.Errorf("register periods %v, want %v", f.periods, want)
			}
		})
	}
}
