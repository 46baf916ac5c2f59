package e2e

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/awardflow/awardflow/internal/award"
	"github.com/awardflow/awardflow/workflows"
)

// Public posting before the decision: after the count the secretary posts the list the
// council passed (10 working days in the demo); everyone signed in sees it and may object
// to a nominee; the signer cannot approve while it is posted, and reads the objections.
func TestPostingAndObjections(t *testing.T) {
	d := startDev(t, t.TempDir())
	base := d.URL
	staff, head, secretary, chair := login(t, base, "hongdao"), login(t, base, "tptt"), login(t, base, "thuky"), login(t, base, "truongban")
	other := login(t, base, "vanson")
	p := fileProposal(t, staff, "Nguyễn Thị Hồng Đào")
	must(t, head.post("/api/v1/proposals/"+p.ID+"/endorse", nil), http.StatusOK, nil)
	var s workflows.SessionView
	must(t, secretary.post("/api/v1/sessions", map[string]any{"title": "Phiên họp xét khen thưởng năm 2025", "proposal_ids": []string{p.ID}}), http.StatusCreated, &s)
	refused(t, "posting before the count", secretary.post("/api/v1/sessions/"+s.ID+"/posting", nil), http.StatusConflict, "wrong_stage")
	refused(t, "an objection before posting", other.post("/api/v1/sessions/"+s.ID+"/objections", map[string]string{"proposal_id": p.ID, "text": "x"}),
		http.StatusConflict, "wrong_stage")
	for _, m := range s.Members {
		if m.Votes {
			must(t, login(t, base, m.ID).post("/api/v1/sessions/"+s.ID+"/ballot", map[string]any{"all": "yes"}), http.StatusOK, nil)
		}
	}
	must(t, chair.post("/api/v1/sessions/"+s.ID+"/close", nil), http.StatusOK, nil)
	var docs sessionWithDocs
	eventually(t, "drafts waiting for their signers", 2*time.Minute, func() bool {
		docs = getDocs(t, secretary, s.ID)
		return docs.Status == award.SessionDeciding
	})
	refused(t, "staff posts", staff.post("/api/v1/sessions/"+s.ID+"/posting", nil), http.StatusForbidden, "forbidden")
	refused(t, "reading a posting before posting", secretary.get("/api/v1/sessions/"+s.ID+"/posting"), http.StatusNotFound, "not_found")
	refused(t, "staff read a session's posting", staff.get("/api/v1/sessions/"+s.ID+"/posting"), http.StatusForbidden, "forbidden")
	var posted struct {
		Open    bool   `json:"open"`
		LastDay string `json:"last_day"`
		Items   []struct {
			ProposalID string `json:"proposal_id"`
			CaseNumber string `json:"case_number"`
			Objections int    `json:"objections"`
		} `json:"items"`
	}
	must(t, secretary.post("/api/v1/sessions/"+s.ID+"/posting", nil), http.StatusOK, &posted)
	if !posted.Open || len(posted.Items) != 1 || posted.Items[0].ProposalID != p.ID || posted.LastDay == "" ||
		posted.Items[0].CaseNumber != caseNumberOf(t, secretary, p.ID) {
		t.Fatalf("posting %+v", posted)
	}
	var open struct {
		Items []struct {
			SessionID string `json:"session_id"`
		}
	}
	var again struct {
		SessionID string `json:"session_id"`
		Open      bool   `json:"open"`
		LastDay   string `json:"last_day"`
	}
	must(t, chair.get("/api/v1/sessions/"+s.ID+"/posting"), http.StatusOK, &again)
	if again.SessionID != s.ID || !again.Open || again.LastDay != posted.LastDay {
		t.Fatalf("the session's posting read back %+v, want the posting %+v", again, posted)
	}
	must(t, staff.get("/api/v1/postings"), http.StatusOK, &open)
	if len(open.Items) != 1 || open.Items[0].SessionID != s.ID {
		t.Fatalf("staff see the posted lists %+v", open.Items)
	}
	refused(t, "an empty objection", other.post("/api/v1/sessions/"+s.ID+"/objections", map[string]string{"proposal_id": p.ID, "text": " "}),
		http.StatusUnprocessableEntity, "invalid")
	refused(t, "an objection to someone not on the list", other.post("/api/v1/sessions/"+s.ID+"/objections",
		map[string]string{"proposal_id": "proposal-00000000000000000000000000000000", "text": "x"}), http.StatusNotFound, "not_found")
	must(t, other.post("/api/v1/sessions/"+s.ID+"/objections", map[string]string{"proposal_id": p.ID, "text": "Số liệu sáng kiến chưa được công nhận"}),
		http.StatusCreated, nil)
	// The signer: approval waits; the objection is there to read.
	doc := docs.Documents[0]
	r := login(t, base, doc.Signer.ID).post("/api/v1/sessions/"+s.ID+"/documents/"+doc.ID+"/approve", nil)
	if r.Status != http.StatusConflict || !strings.Contains(r.message(), "công khai") {
		t.Fatalf("approval during the posting: %d %s", r.Status, r.Body)
	}
	var objs struct {
		Items []struct {
			Text        string `json:"text"`
			AuthorLabel string `json:"author_label"`
		}
	}
	must(t, login(t, base, doc.Signer.ID).get("/api/v1/sessions/"+s.ID+"/objections"), http.StatusOK, &objs)
	if len(objs.Items) != 1 || !strings.Contains(objs.Items[0].AuthorLabel, "Đặng Văn Sơn") {
		t.Fatalf("objections %+v", objs.Items)
	}
	refused(t, "staff read the objections", staff.get("/api/v1/sessions/"+s.ID+"/objections"), http.StatusForbidden, "forbidden")
}
