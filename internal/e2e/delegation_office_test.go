package e2e

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/awardflow/awardflow/internal/award"
	"github.com/awardflow/awardflow/internal/devapp"
	"github.com/awardflow/awardflow/internal/devapp/devapptest"
	"github.com/awardflow/awardflow/workflows"
)

// Issue 10 item 8's remainder, through the running service (real Temporal, records
// store), with the heads' review deadline shortened to seconds:
//
//   - an overdue, escalated review is still the head's delegate's to do (the history says
//     on whose behalf), and the person it was escalated to (the agency head, council
//     chair) may decide it too — but not before it was escalated;
//   - the council secretary hands their tasks to an office colleague, who opens the
//     session over the endorsed proposals; after the withdrawal the colleague is refused
//     at once, saying so;
//   - the văn thư hands theirs to the Chánh Văn phòng, who finds the signed decision in
//     their inbox "Thay mặt …" and numbers, seals and issues it; the document's history
//     and the issued record say for whom.
func TestDelegatedOfficeAndEscalatedReview(t *testing.T) {
	d := devapptest.Start(t, devapp.Options{DataDir: t.TempDir(), ReviewWithin: 40 * time.Second})
	base := d.URL
	addPeople(t, base, "tt", "Võ Thị Ba", "Võ Thị Bốn")
	staff, head, deputy, chair := login(t, base, "hongdao"), login(t, base, "tptt"), login(t, base, "quoccuong"), login(t, base, "truongban")
	secretary, office, clerk, chief := login(t, base, "thuky"), login(t, base, "kimngan"), login(t, base, "vanthu"), login(t, base, "chanhvp")
	loc, _ := time.LoadLocation("Asia/Ho_Chi_Minh")
	today := award.DateOf(time.Now(), loc)
	week := func(scope, to string) map[string]any {
		return map[string]any{"scope": scope, "to_id": to, "start": today.String(), "end": today.AddDays(6).String(), "reason": "Nghỉ phép năm — đi Đà Lạt"}
	}

	first := fileProposal(t, staff, "Võ Thị Ba")
	second := fileProposal(t, staff, "Võ Thị Bốn")
	refused(t, "the agency head reviews before the escalation", chair.post("/api/v1/proposals/"+second.ID+"/return", map[string]string{"comment": "Bổ sung"}),
		http.StatusForbidden, "forbidden")
	must(t, head.post("/api/v1/delegations", week("review", "quoccuong")), http.StatusCreated, nil)

	var p struct {
		workflows.ProposalView
		History []struct {
			ActorID      string `json:"actor_id"`
			ActorLabel   string `json:"actor_label"`
			OnBehalfOfID string `json:"on_behalf_of_id"`
		} `json:"history"`
	}
	eventually(t, "both reviews overdue and escalated", 2*time.Minute, func() bool {
		var a, b workflows.ProposalView
		must(t, staff.get("/api/v1/proposals/"+first.ID), http.StatusOK, &a)
		must(t, staff.get("/api/v1/proposals/"+second.ID), http.StatusOK, &b)
		return a.Overdue && b.Overdue
	})
	must(t, deputy.post("/api/v1/proposals/"+first.ID+"/endorse", map[string]string{"comment": "Đồng ý (thay Trưởng phòng, quá hạn)"}), http.StatusOK, &p)
	last := p.History[len(p.History)-1]
	if p.Stage != award.StageEndorsed || last.ActorID != "quoccuong" || last.OnBehalfOfID != "tptt" || !strings.Contains(last.ActorLabel, "(thay mặt Phạm Minh Tâm") {
		t.Fatalf("the delegate on an escalated review: stage %s, %+v", p.Stage, last)
	}
	must(t, chair.post("/api/v1/proposals/"+second.ID+"/return", map[string]string{"comment": "Bổ sung minh chứng"}), http.StatusOK, &p)
	if p.Stage != award.StageReturned || p.Overdue || p.History[len(p.History)-1].ActorID != "truongban" {
		t.Fatalf("the escalated-to person's review: stage %s overdue %v", p.Stage, p.Overdue)
	}

	// The secretary's tasks: the office colleague opens the session.
	refused(t, "the office opens a session without a delegation", office.post("/api/v1/sessions", map[string]any{"title": "Phiên họp", "proposal_ids": []string{first.ID}}),
		http.StatusForbidden, "forbidden")
	var deleg struct{ ID string }
	must(t, secretary.post("/api/v1/delegations", week("secretary", "kimngan")), http.StatusCreated, &deleg)
	var s workflows.SessionView
	must(t, office.post("/api/v1/sessions", map[string]any{"title": "Phiên họp xét khen thưởng (thư ký vắng)", "proposal_ids": []string{first.ID}}),
		http.StatusCreated, &s)
	for _, u := range councilVoters {
		must(t, login(t, base, u).post("/api/v1/sessions/"+s.ID+"/ballot", map[string]any{"marks": map[string]string{first.ID: "yes"}}), http.StatusOK, nil)
	}
	must(t, chair.post("/api/v1/sessions/"+s.ID+"/close", nil), http.StatusOK, nil)
	must(t, secretary.post("/api/v1/delegations/"+deleg.ID+"/withdraw", nil), http.StatusOK, nil)
	r := office.post("/api/v1/sessions", map[string]any{"title": "Phiên họp khác", "proposal_ids": []string{first.ID}})
	refused(t, "the office opens a session after the withdrawal", r, http.StatusForbidden, "forbidden")
	if !strings.Contains(r.message(), "thu hồi") {
		t.Fatalf("the refusal does not say the delegation was withdrawn: %s", r.Body)
	}

	// The văn thư's tasks: the Chánh Văn phòng issues the signed decision.
	var sd sessionWithDocs
	eventually(t, "drafts waiting for their signers", 2*time.Minute, func() bool {
		sd = getDocs(t, secretary, s.ID)
		return sd.Status == award.SessionDeciding
	})
	must(t, clerk.post("/api/v1/delegations", week("clerk", "chanhvp")), http.StatusCreated, nil)
	path := "/api/v1/sessions/" + s.ID + "/documents/"
	for _, doc := range sd.Documents {
		refused(t, "the Chánh Văn phòng issues an unsigned draft", chief.post(path+doc.ID+"/issue", nil), http.StatusConflict, "wrong_stage")
		must(t, login(t, base, doc.Signer.ID).post(path+doc.ID+"/approve", nil), http.StatusOK, nil)
	}
	var inbox struct {
		Items []struct {
			ID              string `json:"id"`
			OnBehalfOfLabel string `json:"on_behalf_of_label"`
		}
	}
	eventually(t, "the signed decision in the delegate's inbox", 2*time.Minute, func() bool {
		must(t, chief.get("/api/v1/inbox"), http.StatusOK, &inbox)
		for _, it := range inbox.Items {
			if it.ID == s.ID && strings.HasPrefix(it.OnBehalfOfLabel, "Thay mặt Phan Thị Thanh Thuý") {
				return true
			}
		}
		return false
	})
	for _, doc := range sd.Documents {
		must(t, chief.post(path+doc.ID+"/issue", nil), http.StatusOK, nil)
	}
	var docs struct {
		Documents []struct {
			ID      string `json:"id"`
			History []struct {
				ActorID      string `json:"actor_id"`
				ActorLabel   string `json:"actor_label"`
				Action       string `json:"action"`
				OnBehalfOfID string `json:"on_behalf_of_id"`
			} `json:"history"`
			Issued *award.DecisionRef `json:"issued"`
		} `json:"documents"`
	}
	must(t, secretary.get("/api/v1/sessions/"+s.ID), http.StatusOK, &docs)
	for _, doc := range docs.Documents {
		e := doc.History[len(doc.History)-1]
		if e.Action != "issued" || e.ActorID != "chanhvp" || e.OnBehalfOfID != "vanthu" || !strings.Contains(e.ActorLabel, "(thay mặt Phan Thị Thanh Thuý") {
			t.Fatalf("document %s history %+v", doc.ID, e)
		}
		if doc.Issued == nil || doc.Issued.IssuedByID != "chanhvp" || doc.Issued.OnBehalfOfID != "vanthu" {
			t.Fatalf("issued record %+v", doc.Issued)
		}
	}
}
