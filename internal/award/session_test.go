package award

import (
	"slices"
	"strings"
	"testing"
)

// TestCheckOpenSession: every reason to refuse opening a session, checked before the
// session's workflow starts (a refused opening leaves nothing behind).
func TestCheckOpenSession(t *testing.T) {
	sec := Actor{ID: "sec", Roles: []Role{RoleSecretary}}
	chair := Actor{ID: "u-chair", Roles: []Role{RoleChair}}
	admin := Actor{ID: "admin", Roles: []Role{RoleAdmin, RoleStaff}}
	at := func(id string, st Stage, session string) *Proposal {
		return &Proposal{ID: id, Stage: st, SessionID: session, Draft: Draft{NomineeName: "Nguyễn Văn An"}}
	}
	ok := at("p1", StageEndorsed, "")
	long := make([]rune, 301)
	for i := range long {
		long[i] = 'a'
	}
	cases := []struct {
		name  string
		actor Actor
		title string
		props []*Proposal
		want  Code
	}{
		{"secretary, endorsed", sec, "Phiên họp", []*Proposal{ok, at("p2", StageEndorsed, "")}, ""},
		{"chair", chair, "Phiên họp", []*Proposal{ok}, CodeForbidden},
		{"admin", admin, "Phiên họp", []*Proposal{ok}, CodeForbidden},
		{"blank title", sec, " ", []*Proposal{ok}, CodeInvalid},
		{"long title", sec, string(long), []*Proposal{ok}, CodeInvalid},
		{"empty agenda", sec, "Phiên họp", nil, CodeInvalid},
		{"listed twice", sec, "Phiên họp", []*Proposal{ok, ok}, CodeInvalid},
		{"in another session", sec, "Phiên họp", []*Proposal{ok, at("p3", StageInSession, "session-other")}, CodeDuplicate},
	}
	for _, st := range []Stage{StageDraft, StageSubmitted, StageReturned, StageRejected, StageAwarded, StageNotAwarded, StageProposedUpward} {
		cases = append(cases, struct {
			name  string
			actor Actor
			title string
			props []*Proposal
			want  Code
		}{"stage " + string(st), sec, "Phiên họp", []*Proposal{ok, at("p4", st, "")}, CodeWrongStage})
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := CheckOpenSession(c.actor, c.title, c.props)
			if got := codeOf(err); got != c.want {
				t.Fatalf("code %q, want %q", got, c.want)
			}
			// People read these messages: they name nominees, never workflow ids.
			if err != nil {
				for _, p := range c.props {
					if strings.Contains(err.Error(), p.ID) || p.SessionID != "" && strings.Contains(err.Error(), p.SessionID) {
						t.Fatalf("the message shows an id: %v", err)
					}
				}
			}
		})
	}
}

// closedSession is session() after 'voters' of its 3 voting members voted.
func closedSession(voters int) *Session {
	s := session()
	ids := []string{"u-chair", "m1", "m2"}
	for _, id := range ids[:voters] {
		if err := s.Cast(Actor{ID: id}, "sealed-"+id); err != nil {
			panic(err)
		}
	}
	if err := s.Close(Actor{ID: "u-chair"}, t0); err != nil {
		panic(err)
	}
	return s
}

// TestCountableBelowQuorum: below quorum no proposal may be counted, whatever the size
// of the council; at or above it every proposal of that award type is.
func TestCountableBelowQuorum(t *testing.T) {
	for voters := 0; voters <= 3; voters++ {
		s := closedSession(voters)
		got := s.Countable()
		want := []string{}
		if voters >= 2 { // quorum 2/3 of 3
			want = []string{"p1", "p2", "p3", "p4"}
		}
		if !slices.Equal(got, want) {
			t.Fatalf("%d voters: countable %v, want %v", voters, got, want)
		}
		if s.Quorate() != (voters >= 2) {
			t.Fatalf("%d voters: quorate %v", voters, s.Quorate())
		}
		s.Judge(map[string]Count{}, 0)
		s.Finish()
		wantStatus := SessionDone
		if voters < 2 {
			wantStatus = SessionNotQuorate
		}
		if s.Status != wantStatus {
			t.Fatalf("%d voters: status %s", voters, s.Status)
		}
		for id, r := range s.Results {
			if voters < 2 && (r.QuorumMet || r.Passed || r.Reason == "") {
				t.Fatalf("%d voters: %s judged %+v", voters, id, r)
			}
		}
	}
	// Mixed rules: one award type reaches its quorum, the other does not.
	s := closedSession(1)
	low := s.Rules["CSTDCS"]
	low.Quorum = Ratio{1, 3}
	s.Rules["CSTDCS"] = low
	if got := s.Countable(); !slices.Equal(got, []string{"p3", "p4"}) {
		t.Fatalf("mixed quorum: countable %v", got)
	}
}

// TestExcludeAndRetry: who may act on a failed session, when, and what an exclusion does.
func TestExcludeAndRetry(t *testing.T) {
	sec := Actor{ID: "sec", Name: "Thư ký", Roles: []Role{RoleSecretary}}
	chair := Actor{ID: "u-chair", Roles: []Role{RoleChair}}
	s := closedSession(3)
	s.Judge(map[string]Count{"p1": {Yes: 3}, "p2": {Yes: 3}, "p3": {Yes: 3}, "p4": {Yes: 1, No: 2}}, 0)
	if err := s.CheckExclude(sec, "p1", "tên có ký tự lạ"); codeOf(err) != CodeWrongStage {
		t.Fatalf("exclude while issuing runs: %v", err)
	}
	if err := s.CheckRetryIssue(sec); codeOf(err) != CodeWrongStage {
		t.Fatalf("retry while issuing runs: %v", err)
	}
	s.Fail(Failure{Step: "decision", ProposalIDs: []string{"p2"}, VI: "lỗi", EN: "failure"})
	if s.Status != SessionIssueFailed || s.Failure == nil {
		t.Fatalf("failed session %+v", s)
	}
	// CSTĐCS quota is 50 % of the LĐTT awardees: 2 → 1 place; p3 passes.
	if !s.Results["p3"].Passed {
		t.Fatalf("p3 %+v", s.Results["p3"])
	}
	for _, c := range []struct {
		name       string
		actor      Actor
		id, reason string
		want       Code
	}{
		{"chair", chair, "p2", "x", CodeForbidden},
		{"no reason", sec, "p2", "  ", CodeInvalid},
		{"not on the agenda", sec, "p9", "x", CodeNotFound},
	} {
		if err := s.CheckExclude(c.actor, c.id, c.reason); codeOf(err) != c.want {
			t.Fatalf("%s: %v, want %s", c.name, err, c.want)
		}
	}
	if err := s.CheckRetryIssue(chair); codeOf(err) != CodeForbidden {
		t.Fatalf("chair retries: %v", err)
	}
	// A proposal already in a signed decision stays; so does one whose removal would
	// change an issued decision (excluding p1 leaves one LĐTT awardee: the CSTĐCS quota
	// falls to 0 places and p3 would drop out of its signed decision).
	s.Decisions = []DecisionRef{{AwardType: "CSTDCS", Awardees: []string{"p3"}, DocumentRef: DocumentRef{NumberText: "Số 01-QĐ/X"}}}
	if err := s.CheckExclude(sec, "p3", "x"); codeOf(err) != CodeWrongStage {
		t.Fatalf("exclude an issued awardee: %v", err)
	}
	if err := s.CheckExclude(sec, "p1", "x"); codeOf(err) != CodeWrongStage {
		t.Fatalf("exclude that changes an issued decision: %v", err)
	}
	s.Decisions = []DecisionRef{{AwardType: "LDTT", Awardees: []string{"p1", "p2"}, DocumentRef: DocumentRef{NumberText: "Số 01-QĐ/X"}}}
	ex, err := s.Exclude(sec, "p3", " tên có ký tự lạ ", t0)
	if err != nil {
		t.Fatal(err)
	}
	if ex.Reason != "tên có ký tự lạ" || ex.ByID != "sec" || ex.AwardType != "CSTDCS" || s.Status != SessionClosed || s.Failure != nil || len(s.Excluded) != 1 {
		t.Fatalf("after exclusion %+v / %+v", ex, s)
	}
	if slices.ContainsFunc(s.Agenda, func(it AgendaItem) bool { return it.ProposalID == "p3" }) {
		t.Fatal("excluded proposal still on the agenda")
	}
	if _, ok := s.Counts["p3"]; ok {
		t.Fatal("excluded proposal's counts kept")
	}
	if _, ok := s.Results["p3"]; ok {
		t.Fatal("excluded proposal's result kept")
	}
	if got := s.Awardees("LDTT"); len(got) != 2 {
		t.Fatalf("LĐTT awardees changed: %+v", got)
	}
	s.Fail(Failure{Step: "minutes", Retryable: true})
	if err := s.RetryIssue(sec); err != nil || s.Status != SessionClosed || s.Failure != nil {
		t.Fatalf("retry: %v %+v", err, s)
	}
	for _, st := range SessionStatuses {
		if l := st.LabelVI(); l == "" || l == string(st) {
			t.Errorf("status %q has no Vietnamese label", st)
		}
	}
}

// TestExcludedProposalWaitsAgain: an excluded proposal goes back to the council's queue
// with the reason in its history, and can join another session.
func TestExcludedProposalWaitsAgain(t *testing.T) {
	p := &Proposal{ID: "p1", Stage: StageEndorsed, Draft: newDraft()}
	sys := Actor{ID: "system", Name: "Hệ thống"}
	if err := p.JoinSession(sys, "s1", t0); err != nil {
		t.Fatal(err)
	}
	if err := p.ApplyOutcome(sys, Outcome{SessionID: "s1", Excluded: true, Reason: "Loại khỏi phiên họp: tên có ký tự lạ"}, true, t0); err != nil {
		t.Fatal(err)
	}
	last := p.History[len(p.History)-1]
	if p.Stage != StageEndorsed || p.SessionID != "" || p.Outcome != nil || last.Action != "council_excluded" || last.Comment == "" {
		t.Fatalf("excluded proposal %+v, last event %+v", p, last)
	}
	if err := p.JoinSession(sys, "s2", t0); err != nil {
		t.Fatalf("an excluded proposal cannot join another session: %v", err)
	}
}

func TestFillBallot(t *testing.T) {
	s := &Session{Agenda: []AgendaItem{{ProposalID: "a"}, {ProposalID: "b"}, {ProposalID: "c"}}}
	got, err := s.FillBallot(Yes, map[string]Choice{"b": No})
	if err != nil || got["a"] != Yes || got["b"] != No || got["c"] != Yes || len(got) != 3 {
		t.Fatalf("%v %v", got, err)
	}
	if err := s.CheckMarks(got); err != nil {
		t.Fatalf("a filled ballot is incomplete: %v", err)
	}
	if _, err := s.FillBallot(Yes, map[string]Choice{"x": No}); codeOf(err) != CodeInvalid {
		t.Errorf("an exception off the agenda: %v", err)
	}
	if _, err := s.FillBallot("maybe", nil); codeOf(err) != CodeInvalid {
		t.Errorf("an invalid choice for all: %v", err)
	}
	if got, _ := s.FillBallot("", map[string]Choice{"a": Yes}); len(got) != 1 || s.CheckMarks(got) == nil {
		t.Errorf("without all, a partial ballot stays partial: %v", got)
	}
	// Whatever the order of the agenda, all and the exceptions give the same ballot.
	r := &Session{Agenda: []AgendaItem{{ProposalID: "c"}, {ProposalID: "a"}, {ProposalID: "b"}}}
	again, _ := r.FillBallot(Yes, map[string]Choice{"b": No})
	want, _ := s.FillBallot(Yes, map[string]Choice{"b": No})
	for k := range want {
		if want[k] != again[k] {
			t.Fatalf("order-dependent: %v vs %v", want, again)
		}
	}
}
