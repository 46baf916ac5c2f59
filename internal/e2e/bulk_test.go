package e2e

import (
	"net/http"
	"testing"

	"github.com/awardflow/awardflow/internal/award"
	"github.com/awardflow/awardflow/workflows"
)

// A head reviews the department's list in one step: endorse all, one returned with its
// reason, and a row that cannot be reviewed (still a draft) refused on its own while the
// others go on; the same request repeated with its key repeats nothing.
func TestBulkReview(t *testing.T) {
	d := startDev(t, t.TempDir())
	base := d.URL
	names := []string{"Võ Thị Một", "Võ Thị Hai", "Võ Thị Ba"}
	addPeople(t, base, "tt", append(names, "Võ Thị Bốn")...)
	staff, head := login(t, base, "hongdao"), login(t, base, "tptt")
	var ids []string
	for _, n := range names {
		ids = append(ids, fileProposal(t, staff, n).ID)
	}
	var draft workflows.ProposalView
	must(t, staff.post("/api/v1/proposals", award.Draft{AwardType: "LDTT", MovementID: "vanhoa-2025", Kind: award.KindIndividual,
		NomineeName: "Võ Thị Bốn", Achievements: "Chưa gửi"}), http.StatusCreated, &draft)
	req := map[string]any{"proposal_ids": append(ids, draft.ID), "comment": "Đồng ý đề nghị",
		"except": map[string]any{ids[1]: map[string]string{"decision": "return", "comment": "Bổ sung số liệu"}}}
	var out struct {
		Done, Failed int
		Items        []struct {
			ProposalID string      `json:"proposal_id"`
			OK         bool        `json:"ok"`
			Stage      award.Stage `json:"stage"`
			Error      *struct{ Code string }
		}
	}
	// Staff may not review: every row is refused on its own, nothing changes.
	must(t, staff.post("/api/v1/proposals/bulk-review", req), http.StatusOK, &out)
	if out.Done != 0 || out.Failed != 4 || out.Items[0].Error == nil || out.Items[0].Error.Code != "forbidden" {
		t.Fatalf("staff bulk review: %+v", out)
	}
	for range 2 { // the second time with the same key: the same answers, nothing done twice
		must(t, head.post("/api/v1/proposals/bulk-review", req, "Idempotency-Key", "list-tt-2025"), http.StatusOK, &out)
		if out.Done != 3 || out.Failed != 1 || out.Items[0].Stage != award.StageEndorsed || out.Items[1].Stage != award.StageReturned ||
			out.Items[2].Stage != award.StageEndorsed || out.Items[3].OK || out.Items[3].Error == nil || out.Items[3].Error.Code != "wrong_stage" {
			t.Fatalf("bulk review: %+v", out)
		}
	}
	var p workflows.ProposalView
	must(t, staff.get("/api/v1/proposals/"+ids[1]), http.StatusOK, &p)
	if last := p.History[len(p.History)-1]; last.Comment != "Bổ sung số liệu" {
		t.Fatalf("the returned proposal's history ends with %+v", last)
	}
	refused(t, "an exception without a reason", head.post("/api/v1/proposals/bulk-review", map[string]any{"proposal_ids": ids,
		"except": map[string]any{ids[0]: map[string]string{"decision": "reject"}}}), http.StatusUnprocessableEntity, "invalid")
}
