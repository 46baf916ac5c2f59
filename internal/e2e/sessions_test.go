package e2e

import (
	"context"
	"encoding/json"
	"net/http"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"

	"github.com/awardflow/awardflow/internal/award"
	"github.com/awardflow/awardflow/internal/devapp"
	"github.com/awardflow/awardflow/internal/devapp/devapptest"
	"github.com/awardflow/awardflow/internal/orgconfig"
	"github.com/awardflow/awardflow/internal/testenv"
	"github.com/awardflow/awardflow/workflows"
)

// poisonedDepartment is a department whose name carries a character the document font
// lacks. It reaches the decision (the awardee's unit) without passing any check made on
// what users type, so the test keeps reaching the document step whatever entry
// validation refuses.
const poisonedDepartment = "Phòng Lý luận chính trị \U0001F3AD"

func poisonedOrg(t testing.TB) *orgconfig.Org {
	t.Helper()
	org, err := orgconfig.Demo()
	if err != nil {
		t.Fatal(err)
	}
	for i := range org.Departments {
		if org.Departments[i].ID == "llct" {
			org.Departments[i].Name = poisonedDepartment
		}
	}
	return org
}

func startDevWith(t testing.TB, org *orgconfig.Org) *devapp.Dev {
	t.Helper()
	return devapptest.Start(t, devapp.Options{Org: org})
}

// sessionWorkflows lists every council session workflow Temporal has, open or closed.
func sessionWorkflows(t *testing.T, c client.Client) []string {
	t.Helper()
	resp, err := c.ListWorkflow(context.Background(), &workflowservice.ListWorkflowExecutionsRequest{
		Query: "WorkflowType = " + "'" + workflows.SessionWorkflowName + "'"})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, e := range resp.GetExecutions() {
		ids = append(ids, e.GetExecution().GetWorkflowId())
	}
	slices.Sort(ids)
	return ids
}

// sealedBallots returns the sealed ballots of a session as its history stores them.
func sealedBallots(t *testing.T, c client.Client, sessionID string) []string {
	t.Helper()
	it := c.GetWorkflowHistory(context.Background(), sessionID, "", false, enumspb.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
	var out []string
	for it.HasNext() {
		ev, err := it.Next()
		if err != nil {
			t.Fatal(err)
		}
		acc := ev.GetWorkflowExecutionUpdateAcceptedEventAttributes()
		if acc == nil || acc.GetAcceptedRequest().GetInput().GetName() != workflows.UpdateVote {
			continue
		}
		for _, p := range acc.GetAcceptedRequest().GetInput().GetArgs().GetPayloads() {
			var b workflows.BallotInput
			if err := json.Unmarshal(p.GetData(), &b); err != nil {
				t.Fatal(err)
			}
			out = append(out, b.Sealed)
		}
	}
	return out
}

// activitiesRun lists the activity types a workflow scheduled.
func activitiesRun(t *testing.T, c client.Client, id string) []string {
	t.Helper()
	it := c.GetWorkflowHistory(context.Background(), id, "", false, enumspb.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
	var out []string
	for it.HasNext() {
		ev, err := it.Next()
		if err != nil {
			t.Fatal(err)
		}
		if a := ev.GetActivityTaskScheduledEventAttributes(); a != nil {
			out = append(out, a.GetActivityType().GetName())
		}
	}
	return out
}

// TestSessionNeverStallsNorReveals drives council sessions through the real API:
// refused openings leave nothing behind (item 5); a decision that cannot be rendered
// ends as a visible failure naming the proposal, the secretary excludes it and issuing
// resumes without burning a number (item 1b); every sealed ballot of a session has the
// same length whatever the choices (item 4); below quorum no ballot is opened, nothing
// is counted and the proposals wait again (item 3).
func TestSessionNeverStallsNorReveals(t *testing.T) {
	pdftotext := testenv.RequireTool(t, "pdftotext", "poppler-utils")
	d := startDevWith(t, poisonedOrg(t))
	defer d.Stop()
	base := d.URL
	tc, err := client.Dial(client.Options{HostPort: d.Temporal, Namespace: "default"})
	if err != nil {
		t.Fatal(err)
	}
	defer tc.Close()

	addPeople(t, base, "tt", "Lê Thị Mai")
	staff := login(t, base, "hongdao")      // tt
	poisonStaff := login(t, base, "vanson") // llct, the poisoned department
	secretary := login(t, base, "thuky")
	chair := login(t, base, "truongban")

	// --- refused openings change nothing (nothing is endorsed yet: empty agenda)
	refused(t, "open with nothing waiting", secretary.post("/api/v1/sessions", map[string]any{"title": "Phiên rỗng"}, "Idempotency-Key", "refused-1"), http.StatusUnprocessableEntity, "invalid")
	draft := fileProposal(t, staff, "Nguyễn Thị Hồng Đào") // submitted, not endorsed
	good := fileProposal(t, staff, "Lê Thị Mai")
	poisoned := fileProposal(t, poisonStaff, "Đặng Văn Sơn")
	must(t, login(t, base, "tptt").post("/api/v1/proposals/"+good.ID+"/endorse", nil), http.StatusOK, nil)
	must(t, login(t, base, "tpllct").post("/api/v1/proposals/"+poisoned.ID+"/endorse", nil), http.StatusOK, nil)
	title := map[string]any{"title": "Phiên họp thử", "proposal_ids": []string{good.ID, poisoned.ID}}
	refused(t, "staff opens", staff.post("/api/v1/sessions", title, "Idempotency-Key", "refused-2"), http.StatusForbidden, "forbidden")
	refused(t, "chair opens", chair.post("/api/v1/sessions", title, "Idempotency-Key", "refused-3"), http.StatusForbidden, "forbidden")
	refused(t, "not endorsed", secretary.post("/api/v1/sessions", map[string]any{"title": "x", "proposal_ids": []string{good.ID, draft.ID}}, "Idempotency-Key", "refused-4"), http.StatusConflict, "wrong_stage")
	refused(t, "listed twice", secretary.post("/api/v1/sessions", map[string]any{"title": "x", "proposal_ids": []string{good.ID, good.ID}}, "Idempotency-Key", "refused-5"), http.StatusUnprocessableEntity, "invalid")
	refused(t, "unknown proposal", secretary.post("/api/v1/sessions", map[string]any{"title": "x", "proposal_ids": []string{"proposal-0123456789abcdef0123456789abcdef"}}, "Idempotency-Key", "refused-6"), http.StatusNotFound, "not_found")

	var s workflows.SessionView
	must(t, secretary.post("/api/v1/sessions", title, "Idempotency-Key", "phien-1"), http.StatusCreated, &s)
	if s.Status != award.SessionOpen || len(s.Agenda) != 2 {
		t.Fatalf("session %+v", s.Session)
	}
	refused(t, "proposal already in another open session", secretary.post("/api/v1/sessions", map[string]any{"title": "y", "proposal_ids": []string{good.ID}}, "Idempotency-Key", "refused-7"), http.StatusConflict, "duplicate")
	eventually(t, "the session listed", 30*time.Second, func() bool {
		var list struct{ Items []struct{ ID string } }
		must(t, secretary.get("/api/v1/sessions"), http.StatusOK, &list)
		return len(list.Items) == 1 && list.Items[0].ID == s.ID
	})
	if got := sessionWorkflows(t, tc); !slices.Equal(got, []string{s.ID}) {
		t.Fatalf("refused openings left workflows behind: %v (want only %s)", got, s.ID)
	}

	// --- mixed choices: every sealed ballot has the same length
	marks := map[string][2]string{"truongban": {"yes", "yes"}, "phoban": {"yes", "yes"}, "chanhvp": {"yes", "yes"},
		"tptt": {"yes", "yes"}, "tpllct": {"no", "abstain"}, "thuky": {"abstain", "no"}}
	for user, m := range marks {
		must(t, login(t, base, user).post("/api/v1/sessions/"+s.ID+"/ballot", map[string]any{"marks": map[string]string{good.ID: m[0], poisoned.ID: m[1]}}), http.StatusOK, nil)
	}
	sealed := sealedBallots(t, tc, s.ID)
	if len(sealed) != len(marks) {
		t.Fatalf("%d sealed ballots in the history, want %d", len(sealed), len(marks))
	}
	for _, b := range sealed {
		if len(b) != len(sealed[0]) {
			t.Fatalf("sealed ballots of different lengths in one session: %d and %d", len(b), len(sealed[0]))
		}
	}

	// --- the decision cannot be rendered: a visible failure, then recovery
	must(t, chair.post("/api/v1/sessions/"+s.ID+"/close", nil), http.StatusOK, &s)
	eventually(t, "the session shows its failure", 2*time.Minute, func() bool {
		must(t, secretary.get("/api/v1/sessions/"+s.ID), http.StatusOK, &s)
		return s.Status == award.SessionIssueFailed
	})
	f := s.Failure
	if f == nil || f.Step != "council_submission" || !slices.Equal(f.ProposalIDs, []string{poisoned.ID}) || f.Retryable ||
		!strings.Contains(f.VI, "U+1F3AD") || !strings.Contains(f.EN, "U+1F3AD") {
		t.Fatalf("failure %+v", f)
	}
	if !strings.Contains(f.VI, "không có trong phông chữ") || strings.Contains(f.EN, "phông") {
		t.Fatalf("failure messages: %q / %q", f.VI, f.EN)
	}
	eventually(t, "the failed session in the secretary's inbox", 30*time.Second, func() bool {
		var in struct{ Items []struct{ ID string } }
		secretary.get("/api/v1/inbox").json(t, &in)
		return slices.ContainsFunc(in.Items, func(it struct{ ID string }) bool { return it.ID == s.ID })
	})
	exclude := func(who *api, id, reason string) reply {
		return who.post("/api/v1/sessions/"+s.ID+"/exclude", map[string]string{"proposal_id": id, "reason": reason})
	}
	refused(t, "chair excludes", exclude(chair, poisoned.ID, "lý do"), http.StatusForbidden, "forbidden")
	refused(t, "exclude without a reason", exclude(secretary, poisoned.ID, " "), http.StatusUnprocessableEntity, "invalid")
	refused(t, "exclude a stranger", exclude(secretary, draft.ID, "lý do"), http.StatusNotFound, "not_found")
	refused(t, "retry by a member", login(t, base, "tptt").post("/api/v1/sessions/"+s.ID+"/retry-issue", nil), http.StatusForbidden, "forbidden")
	must(t, exclude(secretary, poisoned.ID, "Tên phòng có ký tự không in được; xét lại ở phiên sau"), http.StatusOK, &s)
	s = approveAndIssueAll(t, base, s.ID)
	if len(s.Decisions) != 1 || !slices.Equal(s.Decisions[0].Awardees, []string{good.ID}) || s.Decisions[0].NumberText != "Số 01-QĐ/BTGTU" {
		t.Fatalf("decision %+v (the failed render must not burn a number)", s.Decisions)
	}
	if len(s.Excluded) != 1 || s.Excluded[0].ProposalID != poisoned.ID || s.Excluded[0].ByID != "thuky" {
		t.Fatalf("excluded %+v", s.Excluded)
	}
	if s.Minutes == nil || s.Minutes.NumberText != "Số 01-BB/BTGTU" {
		t.Fatalf("minutes %+v", s.Minutes)
	}
	var p workflows.ProposalView
	must(t, poisonStaff.get("/api/v1/proposals/"+poisoned.ID), http.StatusOK, &p)
	if p.Stage != award.StageEndorsed || p.History[len(p.History)-1].Action != "council_excluded" || !strings.Contains(p.History[len(p.History)-1].Comment, "không in được") {
		t.Fatalf("excluded proposal %+v", p.Proposal)
	}
	must(t, staff.get("/api/v1/proposals/"+good.ID), http.StatusOK, &p)
	if p.Stage != award.StageAwarded {
		t.Fatalf("good proposal %s", p.Stage)
	}

	// --- below quorum: nothing opened, nothing counted, the proposal waits again
	var q workflows.SessionView
	must(t, secretary.post("/api/v1/sessions", map[string]any{"title": "Phiên họp không đủ số thành viên", "proposal_ids": []string{poisoned.ID}}), http.StatusCreated, &q)
	must(t, login(t, base, "tpllct").post("/api/v1/sessions/"+q.ID+"/ballot", map[string]any{"marks": map[string]string{poisoned.ID: "no"}}), http.StatusOK, nil)
	must(t, chair.post("/api/v1/sessions/"+q.ID+"/close", nil), http.StatusOK, &q)
	eventually(t, "the session ends not quorate", 2*time.Minute, func() bool {
		must(t, secretary.get("/api/v1/sessions/"+q.ID), http.StatusOK, &q)
		return q.Status == award.SessionNotQuorate
	})
	raw := secretary.get("/api/v1/sessions/" + q.ID)
	if len(q.Counts) != 0 || len(q.Decisions) != 0 || q.Minutes == nil || strings.Contains(string(raw.Body), `"no":1`) {
		t.Fatalf("not-quorate session %s", raw.Body)
	}
	if acts := activitiesRun(t, tc, q.ID); slices.Contains(acts, workflows.ActivityTallyBallots) {
		t.Fatalf("the ballots were opened below quorum: %v", acts)
	}
	var after workflows.ProposalView
	must(t, poisonStaff.get("/api/v1/proposals/"+poisoned.ID), http.StatusOK, &after)
	if after.Stage != award.StageEndorsed || after.Outcome != nil || after.History[len(after.History)-1].Action != "council_no_quorum" {
		t.Fatalf("proposal after a session below quorum %+v", after.Proposal)
	}
	minutes := secretary.get("/api/v1/sessions/" + q.ID + "/minutes.pdf")
	if minutes.Status != http.StatusOK {
		t.Fatalf("minutes: %d", minutes.Status)
	}
	file := filepath.Join(t.TempDir(), "bb.pdf")
	if err := writeFile(file, minutes.Body); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(pdftotext, "-layout", file, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Join(strings.Fields(string(out)), " ")
	if !strings.Contains(text, "không kiểm phiếu") || strings.Contains(text, "Tỷ lệ") || strings.Contains(text, "Đạt") {
		t.Fatalf("minutes below quorum:\n%s", text)
	}
	recordHistories(t, d, map[string]string{"council-session-recovered-projected": s.ID, "council-session-not-quorate-projected": q.ID})
}
