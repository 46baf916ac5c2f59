package e2e

import (
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/awardflow/awardflow/internal/award"
	"github.com/awardflow/awardflow/internal/testenv"
	"github.com/awardflow/awardflow/workflows"
)

// sessionDoc is a pending document as the API returns it.
type sessionDoc struct {
	award.PendingDocument
	Actions []string          `json:"actions"`
	Links   map[string]string `json:"links"`
}

type sessionWithDocs struct {
	workflows.SessionView
	Documents []sessionDoc `json:"documents"`
}

func getDocs(t *testing.T, c *api, id string) sessionWithDocs {
	t.Helper()
	var s sessionWithDocs
	must(t, c.get("/api/v1/sessions/"+id), http.StatusOK, &s)
	return s
}

// issueByLifecycle takes a closed session through the decision lifecycle: the drafts
// wait for the head, who signs them; nobody else may; no number is taken before the văn
// thư issues; the proposals stay on the session until then.
func issueByLifecycle(t *testing.T, base, caFile string, closed *workflows.SessionView, decided, upward string) {
	t.Helper()
	secretary, chair, clerk, staff, member := login(t, base, "thuky"), login(t, base, "truongban"), login(t, base, "vanthu"), login(t, base, "hongdao"), login(t, base, "tptt")
	var s sessionWithDocs
	eventually(t, "drafts waiting for the signer", 2*time.Minute, func() bool {
		s = getDocs(t, secretary, closed.ID)
		return s.Status == award.SessionDeciding
	})
	if len(s.Decisions) != 0 || len(s.Submissions) != 0 || s.Minutes == nil || len(s.Documents) != 2 {
		t.Fatalf("after close: %d decisions, %d submissions, minutes %v, %d documents", len(s.Decisions), len(s.Submissions), s.Minutes, len(s.Documents))
	}
	base36 := "/api/v1/sessions/" + s.ID + "/documents/"
	for _, doc := range s.Documents {
		if doc.Status != award.DocAwaitingSignature || doc.Signer.ID != "truongban" || doc.Links["draft"] == "" || len(doc.Actions) != 0 {
			t.Fatalf("document for the secretary: %+v", doc)
		}
		want := []string{decided}
		if doc.Kind == award.DocKindSubmission {
			want = []string{upward}
		}
		if !slices.Equal(doc.Awardees, want) {
			t.Fatalf("%s awardees %v, want %v", doc.ID, doc.Awardees, want)
		}
		draft := chair.get(doc.Links["draft"])
		if draft.Status != http.StatusOK || !strings.HasPrefix(string(draft.Body), "%PDF-") {
			t.Fatalf("draft: %d", draft.Status)
		}
		f := filepath.Join(t.TempDir(), "draft.pdf")
		_ = os.WriteFile(f, draft.Body, 0o600)
		if out, _ := exec.Command(testenv.RequireTool(t, "pdfsig", "poppler-utils"), f).CombinedOutput(); strings.Contains(string(out), "Signature #1") {
			t.Errorf("the draft is signed:\n%s", out)
		}
		txt, _ := exec.Command(testenv.RequireTool(t, "pdftotext", "poppler-utils"), "-layout", f, "-").Output()
		if strings.Contains(string(txt), "Số 01") {
			t.Errorf("the draft carries a number:\n%s", txt)
		}
		refused(t, "staff opens a draft", staff.get(doc.Links["draft"]), http.StatusForbidden, "forbidden")
		refused(t, "clerk signs", clerk.post(base36+doc.ID+"/approve", nil), http.StatusForbidden, "forbidden")
		refused(t, "member signs", member.post(base36+doc.ID+"/approve", nil), http.StatusForbidden, "forbidden")
		refused(t, "clerk issues a draft", clerk.post(base36+doc.ID+"/issue", nil), http.StatusConflict, "wrong_stage")
		refused(t, "send back without reason", chair.post(base36+doc.ID+"/send-back", map[string]any{"reason": " "}), http.StatusUnprocessableEntity, "invalid")
	}
	var p struct{ Stage award.Stage }
	must(t, staff.get("/api/v1/proposals/"+decided), http.StatusOK, &p)
	if p.Stage != award.StageInSession {
		t.Fatalf("before the decision is issued the proposal is %s", p.Stage)
	}
	// The signer sees the actions in their inbox and on the session.
	eventually(t, "the session in the signer's inbox", 30*time.Second, func() bool {
		var inbox struct{ Items []struct{ ID string } }
		chair.get("/api/v1/inbox").json(t, &inbox)
		return slices.ContainsFunc(inbox.Items, func(it struct{ ID string }) bool { return it.ID == s.ID })
	})
	for _, doc := range getDocs(t, chair, s.ID).Documents {
		if !slices.Equal(doc.Actions, []string{"approve", "send_back"}) {
			t.Fatalf("the signer's actions on %s: %v", doc.ID, doc.Actions)
		}
		must(t, chair.post(base36+doc.ID+"/approve", nil), http.StatusOK, nil)
		refused(t, "approve twice", chair.post(base36+doc.ID+"/approve", nil), http.StatusConflict, "wrong_stage")
	}
	s = getDocs(t, clerk, s.ID)
	for _, doc := range s.Documents {
		if doc.Status != award.DocAwaitingIssue || !slices.Equal(doc.Actions, []string{"issue"}) || doc.Links["signed"] == "" {
			t.Fatalf("signed document for the clerk: %+v", doc)
		}
		signed := clerk.get(doc.Links["signed"])
		checkSignedDocument(t, signed.Body, caFile, 1)
		refused(t, "signer issues", chair.post(base36+doc.ID+"/issue", nil), http.StatusForbidden, "forbidden")
	}
	if len(s.Decisions) != 0 {
		t.Fatalf("a decision was numbered before the văn thư issued it: %+v", s.Decisions)
	}
	eventually(t, "the session in the clerk's inbox", 30*time.Second, func() bool {
		var inbox struct{ Items []struct{ ID string } }
		clerk.get("/api/v1/inbox").json(t, &inbox)
		return slices.ContainsFunc(inbox.Items, func(it struct{ ID string }) bool { return it.ID == s.ID })
	})
	for _, doc := range s.Documents {
		must(t, clerk.post(base36+doc.ID+"/issue", nil), http.StatusOK, nil)
	}
	*closed = getDocs(t, secretary, s.ID).SessionView
}

// approveAndIssueAll has each draft of a closed session signed by its own signer and
// issued by the văn thư, then waits for the session to be done.
func approveAndIssueAll(t *testing.T, base, sessionID string) workflows.SessionView {
	t.Helper()
	secretary, clerk := login(t, base, "thuky"), login(t, base, "vanthu")
	var s sessionWithDocs
	eventually(t, "drafts waiting for their signers", 2*time.Minute, func() bool {
		s = getDocs(t, secretary, sessionID)
		return s.Status == award.SessionDeciding || s.Status == award.SessionDone || s.Status == award.SessionIssueFailed
	})
	if s.Status != award.SessionDeciding {
		t.Fatalf("after close: %s", s.Status)
	}
	path := "/api/v1/sessions/" + sessionID + "/documents/"
	for _, doc := range s.Documents {
		must(t, login(t, base, doc.Signer.ID).post(path+doc.ID+"/approve", nil), http.StatusOK, nil)
		must(t, clerk.post(path+doc.ID+"/issue", nil), http.StatusOK, nil)
	}
	var out workflows.SessionView
	eventually(t, "documents issued", 2*time.Minute, func() bool {
		must(t, secretary.get("/api/v1/sessions/"+sessionID), http.StatusOK, &out)
		return out.Status == award.SessionDone
	})
	return out
}
