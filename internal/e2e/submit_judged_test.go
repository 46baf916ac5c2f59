package e2e

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/awardflow/awardflow/internal/award"
	"github.com/awardflow/awardflow/workflows"
)

// Submitting judges the nominee from the records store's list row (no round trip to the
// workflow), and the workflow refuses a judgement made for something the proposal is
// not (award.Judged). A row that lies — here overwritten on purpose, in life one that
// lags a revision — is never what decides: an ineligible nominee whose row names an
// eligible one is still refused, with her own name; an eligible one whose row names an
// ineligible one still goes through; someone else's submit is refused the same way
// whatever the judgement.
func TestSubmitNeverTrustsALyingRow(t *testing.T) {
	d := startDev(t, t.TempDir())
	admin := login(t, d.URL, "quantri")
	ratings := annualHeader +
		"Cá nhân,hongdao,Nguyễn Thị Hồng Đào,tt,2025,Hoàn thành nhiệm vụ,12,2,\n" +
		"Cá nhân,vanson,Đặng Văn Sơn,tt,2025,HTXSNV,12,0,Không\n"
	must(t, admin.do(http.MethodPost, "/api/v1/annual-records/import?year=2025", bytes.NewReader([]byte(ratings)),
		"Content-Type", "text/csv"), http.StatusOK, nil)

	file := func(who *api, name string) workflows.ProposalView {
		t.Helper()
		var p workflows.ProposalView
		must(t, who.post("/api/v1/proposals", award.Draft{AwardType: "LDTT", MovementID: "vanhoa-2025", Kind: award.KindIndividual,
			NomineeName: name, NomineePosition: "Chuyên viên", Achievements: "Hoàn thành nhiệm vụ năm 2025"}), http.StatusCreated, &p)
		must(t, who.put("/api/v1/proposals/"+p.ID+"/self-assessment", allCriteria(p, "")), http.StatusOK, nil)
		return p
	}
	// lie rewrites a proposal's list row to name someone else, newer than anything the
	// workflow has written so that its own writes do not put it right in the meantime.
	lie := func(id, nomineeID, nomineeName string) {
		t.Helper()
		ctx := context.Background()
		row, err := d.Store.Projection(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		row.NomineeID, row.NomineeName, row.Seq = nomineeID, nomineeName, row.Seq+100
		if _, err := d.Store.UpsertProjection(ctx, row); err != nil {
			t.Fatal(err)
		}
	}
	stage := func(who *api, id string) award.Stage {
		t.Helper()
		var v workflows.ProposalView
		must(t, who.get("/api/v1/proposals/"+id), http.StatusOK, &v)
		return v.Stage
	}

	hongdao, vanson, kimngan := login(t, d.URL, "hongdao"), login(t, d.URL, "vanson"), login(t, d.URL, "kimngan")

	// Not eligible, her row claims an eligible colleague: refused, in her name.
	her := file(hongdao, "Nguyễn Thị Hồng Đào")
	lie(her.ID, "vanson", "Đặng Văn Sơn")
	r := hongdao.post("/api/v1/proposals/"+her.ID+"/submit", nil)
	if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.message(), "Nguyễn Thị Hồng Đào chưa đủ tiêu chuẩn") {
		t.Fatalf("an ineligible nominee behind a row naming an eligible one: %d %s", r.Status, r.Body)
	}
	if s := stage(hongdao, her.ID); s != award.StageDraft {
		t.Fatalf("after the refusal the proposal is %s, want draft", s)
	}

	// Someone else submits it: the same refusal whatever the row says.
	outsider := kimngan.post("/api/v1/proposals/"+her.ID+"/submit", nil)
	lie(her.ID, "hongdao", "Nguyễn Thị Hồng Đào")
	outsider2 := kimngan.post("/api/v1/proposals/"+her.ID+"/submit", nil)
	if outsider.Status != http.StatusForbidden || outsider2.Status != http.StatusForbidden || outsider.message() != outsider2.message() {
		t.Fatalf("someone else's submit: %d %s / %d %s", outsider.Status, outsider.Body, outsider2.Status, outsider2.Body)
	}

	// Eligible, his row claims an ineligible colleague: judged again, submitted.
	his := file(vanson, "Đặng Văn Sơn")
	lie(his.ID, "hongdao", "Nguyễn Thị Hồng Đào")
	must(t, vanson.post("/api/v1/proposals/"+his.ID+"/submit", nil), http.StatusOK, nil)
	if s := stage(vanson, his.ID); s != award.StageSubmitted {
		t.Fatalf("after the submit the proposal is %s, want submitted", s)
	}
}
