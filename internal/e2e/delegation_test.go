package e2e

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/awardflow/awardflow/internal/award"
	"github.com/awardflow/awardflow/workflows"
)

// Ủy quyền through the running service (real Temporal, records store): a delegation of
// last week no longer lets the colleague review (403 saying it ended); the head of tt
// delegates their review to the colleague for a week; the colleague finds the proposal in
// their inbox "Thay mặt …", opens it and endorses it; the history says on whose behalf;
// the colleague cannot endorse the proposal that nominates them (alone or in a bulk
// review, which otherwise works for them); after the head withdraws
// the delegation the colleague gets 403 saying it was withdrawn.
func TestDelegatedReview(t *testing.T) {
	d := startDev(t, t.TempDir())
	base := d.URL
	addPeople(t, base, "tt", "Võ Thị Một", "Võ Thị Hai")
	staff, head, deputy := login(t, base, "hongdao"), login(t, base, "tptt"), login(t, base, "quoccuong")
	first := fileProposal(t, staff, "Nguyễn Thị Hồng Đào")
	theirs := fileProposal(t, staff, "Lê Quốc Cường") // nominates the delegate
	later := fileProposal(t, staff, "Võ Thị Một")
	bulk := fileProposal(t, staff, "Võ Thị Hai")

	refused(t, "endorse before any delegation", deputy.post("/api/v1/proposals/"+first.ID+"/endorse", nil), http.StatusForbidden, "forbidden")

	// A delegation of last week (recorded then; the clock cannot go back here): over, so
	// the colleague is refused with a message that says it ended.
	loc, _ := time.LoadLocation("Asia/Ho_Chi_Minh")
	today := award.DateOf(time.Now(), loc)
	old := award.Delegation{ID: "deleg-lastweek", FromID: "tptt", FromName: "Phạm Minh Tâm", ToID: "quoccuong", ToName: "Lê Quốc Cường",
		Scope: award.DelegationReview, Start: today.AddDays(-10), End: today.AddDays(-3), Reason: "Nghỉ phép", CreatedBy: "tptt",
		CreatedAt: time.Now().Add(-10 * 24 * time.Hour)}
	if _, _, err := d.Store.CreateDelegation(context.Background(), old, old.Start, func([]award.Delegation) (award.Delegation, error) { return old, nil }); err != nil {
		t.Fatal(err)
	}
	r := deputy.post("/api/v1/proposals/"+first.ID+"/endorse", nil)
	refused(t, "endorse after the period ended", r, http.StatusForbidden, "forbidden")
	if !strings.Contains(r.message(), "đã hết hạn ngày "+old.End.VI()) {
		t.Fatalf("the refusal does not say the delegation ended: %s", r.Body)
	}
	var deleg struct {
		ID     string `json:"id"`
		Status string `json:"status"`
	}
	must(t, head.post("/api/v1/delegations", map[string]any{"to_id": "quoccuong", "start": today.String(), "end": today.AddDays(6).String(),
		"reason": "Nghỉ phép năm"}, "Idempotency-Key", "nghi-phep-12"), http.StatusCreated, &deleg)
	if deleg.Status != "live" {
		t.Fatalf("delegation %+v", deleg)
	}

	type inboxItem struct {
		ID              string `json:"id"`
		OnBehalfOf      string `json:"on_behalf_of"`
		OnBehalfOfLabel string `json:"on_behalf_of_label"`
	}
	var inbox struct{ Items []inboxItem }
	eventually(t, "the head's reviews in the delegate's inbox", time.Minute, func() bool {
		must(t, deputy.get("/api/v1/inbox"), http.StatusOK, &inbox)
		return len(inbox.Items) == 3
	})
	for _, it := range inbox.Items {
		if it.ID == theirs.ID {
			t.Fatalf("the delegate's inbox lists the proposal that nominates them: %+v", inbox.Items)
		}
		if it.OnBehalfOf != "tptt" || !strings.HasPrefix(it.OnBehalfOfLabel, "Thay mặt Phạm Minh Tâm") {
			t.Fatalf("inbox row %+v: want it for the head", it)
		}
	}

	var p struct {
		workflows.ProposalView
		History []struct {
			ActorID      string `json:"actor_id"`
			ActorLabel   string `json:"actor_label"`
			OnBehalfOfID string `json:"on_behalf_of_id"`
		} `json:"history"`
	}
	must(t, deputy.get("/api/v1/proposals/"+first.ID), http.StatusOK, &p)
	must(t, deputy.post("/api/v1/proposals/"+first.ID+"/endorse", map[string]string{"comment": "Đồng ý (thay Trưởng phòng)"}), http.StatusOK, &p)
	last := p.History[len(p.History)-1]
	if p.Stage != award.StageEndorsed || last.ActorID != "quoccuong" || last.OnBehalfOfID != "tptt" ||
		!strings.Contains(last.ActorLabel, "Lê Quốc Cường") || !strings.Contains(last.ActorLabel, "(thay mặt Phạm Minh Tâm") {
		t.Fatalf("endorsed by the delegate: stage %s, history %+v", p.Stage, last)
	}
	// Everyone reading the proposal sees who acted for whom.
	must(t, staff.get("/api/v1/proposals/"+first.ID), http.StatusOK, &p)
	if last := p.History[len(p.History)-1]; last.OnBehalfOfID != "tptt" || !strings.Contains(last.ActorLabel, "thay mặt") {
		t.Fatalf("the proposer's view of the history: %+v", last)
	}

	refused(t, "the delegate endorses the proposal that nominates them",
		deputy.post("/api/v1/proposals/"+theirs.ID+"/endorse", nil), http.StatusForbidden, "forbidden")

	// Bulk review from the inbox works for the delegate too; the nominee's row is refused on its own.
	var out struct {
		Done, Failed int
	}
	must(t, deputy.post("/api/v1/proposals/bulk-review", map[string]any{"proposal_ids": []string{bulk.ID, theirs.ID}, "comment": "Đồng ý"}),
		http.StatusOK, &out)
	if out.Done != 1 || out.Failed != 1 {
		t.Fatalf("the delegate's bulk review: %+v", out)
	}

	must(t, head.post("/api/v1/delegations/"+deleg.ID+"/withdraw", nil), http.StatusOK, nil)
	r = deputy.post("/api/v1/proposals/"+later.ID+"/endorse", nil)
	refused(t, "endorse after the withdrawal", r, http.StatusForbidden, "forbidden")
	if !strings.Contains(r.message(), "thu hồi") {
		t.Fatalf("the refusal does not say the delegation was withdrawn: %s", r.Body)
	}
	refused(t, "open a proposal after the withdrawal", deputy.get("/api/v1/proposals/"+later.ID), http.StatusForbidden, "forbidden")
	// The head still reviews their own tasks.
	must(t, head.post("/api/v1/proposals/"+later.ID+"/endorse", nil), http.StatusOK, nil)
}
