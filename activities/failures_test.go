package activities

import (
	"bytes"
	"context"
	"errors"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"go.temporal.io/sdk/temporal"

	"github.com/awardflow/awardflow/internal/award"
	"github.com/awardflow/awardflow/internal/ballotbox"
	"github.com/awardflow/awardflow/internal/orgconfig"
	"github.com/awardflow/awardflow/internal/testenv"
	"github.com/awardflow/awardflow/workflows"
)

// contentFailure unwraps the non-retryable document error.
func contentFailure(t *testing.T, err error) workflows.DocumentFailure {
	t.Helper()
	var ae *temporal.ApplicationError
	if !errors.As(err, &ae) || ae.Type() != workflows.ErrDocument || !ae.NonRetryable() {
		t.Fatalf("want a non-retryable %s error, got %T %v", workflows.ErrDocument, err, err)
	}
	var f workflows.DocumentFailure
	if err := ae.Details(&f); err != nil {
		t.Fatal(err)
	}
	return f
}

// TestPoisonTextFailsOnceAndNamesTheProposal: a character the document font lacks, in
// any field that reaches a document, fails the document step at once (no retry can help),
// names the proposal at fault and the character, in both languages.
func TestPoisonTextFailsOnceAndNamesTheProposal(t *testing.T) {
	a, _ := testActivities(t)
	poisons := []string{"\U0001F600", "\u0645", "\x00", "\x07", "\uFEFF", "\U00010348"}
	for _, poison := range poisons {
		for _, field := range []string{"name", "position"} {
			req := decisionRequest(3)
			it := &req.Awardees[1]
			if field == "name" {
				it.NomineeName += " " + poison
			} else {
				it.Position += poison
			}
			err := a.CheckDocument(context.Background(), workflows.CheckDocumentRequest{Decision: &req})
			f := contentFailure(t, err)
			if !slices.Equal(f.ProposalIDs, []string{it.ProposalID}) || f.DocumentID != req.ID {
				t.Fatalf("%q in %s: blamed %v for %s", poison, field, f.ProposalIDs, f.DocumentID)
			}
			if !strings.Contains(f.VI, "U+") || !strings.Contains(f.EN, "U+") || !strings.Contains(f.VI, "không có trong phông") ||
				strings.Contains(f.EN, "phông") || strings.Contains(f.VI, "%!") || strings.Contains(f.EN, "%!") ||
				strings.Contains(f.VI+f.EN, it.ProposalID) || strings.Contains(f.VI+f.EN, req.ID) || !strings.Contains(f.VI, it.NomineeName) {
				t.Fatalf("%q: messages\n%s\n%s", poison, f.VI, f.EN)
			}
			if poison == poisons[0] && field == "name" {
				// The issuing activity fails the same way, before signing or storing anything.
				_, err = a.IssueDecision(context.Background(), req)
				if g := contentFailure(t, err); !slices.Equal(g.ProposalIDs, f.ProposalIDs) {
					t.Fatalf("issue blamed %v", g.ProposalIDs)
				}
			}
		}
	}
	ok := decisionRequest(2)
	if err := a.CheckDocument(context.Background(), workflows.CheckDocumentRequest{Decision: &ok}); err != nil {
		t.Fatalf("a clean decision fails the check: %v", err)
	}

	// Submissions upward and minutes too; a title at fault blames no proposal.
	sub := workflows.SubmissionRequest{ID: "session-test.TTLDXS.ttr", SessionID: "session-test", AwardType: "TTLDXS", Number: 1, Year: 2026,
		Date: time.Date(2026, 2, 5, 2, 30, 0, 0, time.UTC), Members: 6,
		Items:  []award.AgendaItem{{ProposalID: "proposal-c1", NomineeName: "Phòng Tuyên truyền \U0001F600", Kind: award.KindCollective, AwardType: "TTLDXS", MovementID: "vanhoa-2025"}},
		Counts: []award.Count{{Yes: 6}}}
	if f := contentFailure(t, a.CheckDocument(context.Background(), workflows.CheckDocumentRequest{Submission: &sub})); !slices.Equal(f.ProposalIDs, []string{"proposal-c1"}) {
		t.Fatalf("submission blamed %v", f.ProposalIDs)
	}
	min := minutesRequest(6)
	min.Session.Agenda[0].NomineeName += "\u0645"
	if f := contentFailure(t, a.CheckDocument(context.Background(), workflows.CheckDocumentRequest{Minutes: &min})); !slices.Equal(f.ProposalIDs, []string{min.Session.Agenda[0].ProposalID}) {
		t.Fatalf("minutes blamed %v", f.ProposalIDs)
	}
	min = minutesRequest(6)
	min.Session.Title += " \U0001F389"
	f := contentFailure(t, a.CheckDocument(context.Background(), workflows.CheckDocumentRequest{Minutes: &min}))
	if len(f.ProposalIDs) != 0 || !strings.Contains(f.VI, "tên phiên họp") || !strings.Contains(f.EN, "session title") {
		t.Fatalf("title at fault: %+v", f)
	}
}

// minutesRequest is a closed session of the demo council where 'voters' members voted
// (quorum 2/3 of 6 in the demo rules).
func minutesRequest(voters int) workflows.MinutesRequest {
	org := pkiActs.Org.(*orgconfig.Org)
	s := award.Session{ID: "session-test", Title: "Phiên họp xét khen thưởng năm 2025", Status: award.SessionClosed,
		OpenedAt: time.Date(2026, 2, 5, 1, 0, 0, 0, time.UTC), ClosedAt: time.Date(2026, 2, 5, 2, 0, 0, 0, time.UTC),
		Members: org.Council(), Rules: map[string]award.VoteRule{}}
	for _, t := range org.AwardTypes {
		s.Rules[t.Code] = t.Vote
	}
	s.Agenda = []award.AgendaItem{
		{ProposalID: "proposal-a1", NomineeName: "Nguyễn Thị Hồng Đào", AwardType: "LDTT", Kind: award.KindIndividual, Department: "tt"},
		{ProposalID: "proposal-a2", NomineeName: "Lê Quốc Cường", AwardType: "LDTT", Kind: award.KindIndividual, Department: "tt"},
	}
	for _, m := range s.Voters()[:voters] {
		s.Voted = append(s.Voted, m.ID)
	}
	if s.Quorate() {
		s.Judge(map[string]award.Count{"proposal-a1": {Yes: voters}, "proposal-a2": {No: voters}}, 0)
	} else {
		s.Judge(nil, 0)
	}
	return workflows.MinutesRequest{Session: s, Number: 2, Date: s.ClosedAt}
}

// TestMinutesBelowQuorumShowNoCounts: the minutes of a meeting below quorum say so and
// carry no count, no rate and no "passed"; above quorum they carry the counts.
func TestMinutesBelowQuorumShowNoCounts(t *testing.T) {
	pdftotext := testenv.RequireTool(t, "pdftotext", "poppler-utils")
	a, _ := testActivities(t)
	text := func(req workflows.MinutesRequest) string {
		r, _, err := a.renderMinutes(req)
		if err != nil {
			t.Fatal(err)
		}
		f := filepath.Join(t.TempDir(), "bb.pdf")
		if err := writeFile(f, r.PDF); err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command(pdftotext, "-layout", f, "-").Output()
		if err != nil {
			t.Fatal(err)
		}
		return strings.Join(strings.Fields(string(out)), " ")
	}
	below := text(minutesRequest(1))
	for _, want := range []string{"không đủ số thành viên", "không kiểm phiếu", "Nguyễn Thị Hồng Đào", "Lê Quốc Cường", "phiên họp sau"} {
		if !strings.Contains(below, want) {
			t.Errorf("minutes below quorum lack %q:\n%s", want, below)
		}
	}
	for _, leak := range []string{"Đồng ý", "Không đồng ý", "Tỷ lệ", "%", "Đạt", "bỏ phiếu kín và kiểm phiếu"} {
		if strings.Contains(below, leak) {
			t.Errorf("minutes below quorum show %q:\n%s", leak, below)
		}
	}
	above := text(minutesRequest(5))
	// LĐTT is voted by show of hands in the demo rules (vote.secret: false).
	for _, want := range []string{"Kết quả kiểm phiếu", "83,33%", "Đạt", "biểu quyết giơ tay đối với hình thức “Lao động tiên tiến”"} {
		if !strings.Contains(above, want) {
			t.Errorf("minutes above quorum lack %q:\n%s", want, above)
		}
	}
	if strings.Contains(above, "bỏ phiếu kín") {
		t.Errorf("minutes say “bỏ phiếu kín” for a show-of-hands award type:\n%s", above)
	}
}

// TestTallyReturnsOnlyWhatIsAsked: the tally activity returns totals only for the
// proposals the workflow may count.
func TestTallyReturnsOnlyWhatIsAsked(t *testing.T) {
	a, _ := testActivities(t)
	box, err := ballotbox.New(bytes.Repeat([]byte{3}, ballotbox.KeySize))
	if err != nil {
		t.Fatal(err)
	}
	b := *a
	b.Ballots = box
	agenda := []award.AgendaItem{{ProposalID: "proposal-a1", AwardType: "LDTT"}, {ProposalID: "proposal-a2", AwardType: "CSTDCS"}}
	sealed, _ := box.Seal("session-t", map[string]award.Choice{"proposal-a1": award.Yes, "proposal-a2": award.No})
	res, err := b.TallyBallots(context.Background(), workflows.TallyRequest{SessionID: "session-t", Agenda: agenda, Sealed: []string{sealed}, Count: []string{"proposal-a1"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Counts) != 1 || res.Counts["proposal-a1"].Yes != 1 {
		t.Fatalf("counts %+v", res.Counts)
	}
	res, _ = b.TallyBallots(context.Background(), workflows.TallyRequest{SessionID: "session-t", Agenda: agenda, Sealed: []string{sealed}, Count: []string{}})
	if len(res.Counts) != 0 {
		t.Fatalf("counts asked for none: %+v", res.Counts)
	}
}
