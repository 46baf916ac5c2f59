package e2e

import (
	"bytes"
	"net/http"
	"strings"
	"testing"
	"time"

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

// The head files the department's list in one step: one bad entry (someone outside the
// directory, a duplicate) and nothing is filed, every problem by row; the corrected list
// files, self-assesses and submits each nominee (one not qualifying stays a draft, named);
// the same request repeated with its key files nothing twice.
func TestBulkFiling(t *testing.T) {
	d := startDev(t, t.TempDir())
	base := d.URL
	addPeople(t, base, "tt", "Hà Văn Một", "Hà Văn Hai", "Hà Văn Ba")
	admin, head := login(t, base, "quantri"), login(t, base, "tptt")
	// Hà Văn Ba is rated "hoàn thành nhiệm vụ": not eligible for LĐTT.
	var people struct{ Items []struct{ ID, Name string } }
	must(t, admin.get("/api/v1/directory/people?unit=tt&q=ha+van+ba"), http.StatusOK, &people)
	if len(people.Items) != 1 {
		t.Fatalf("people %+v", people.Items)
	}
	must(t, admin.put("/api/v1/annual-records/2025/individual/"+people.Items[0].ID, map[string]any{"rating": "completed",
		"months_of_service": 12, "days_absent": 0, "discipline": "none"}), http.StatusOK, nil)
	entries := func(names ...string) []map[string]string {
		var out []map[string]string
		for _, n := range names {
			out = append(out, map[string]string{"nominee_name": n, "achievements": "Hoàn thành tốt nhiệm vụ năm 2025"})
		}
		return out
	}
	bad := map[string]any{"movement_id": "vanhoa-2025", "award_type": "LDTT", "submit": true, "self_assessment": "all_met",
		"entries": entries("Hà Văn Một", "Người Ngoài Danh Bạ", "ha van mot")}
	r := head.post("/api/v1/proposals/bulk", bad)
	var refusal struct {
		Rows []struct{ Row int }
	}
	r.json(t, &refusal)
	if r.Status != http.StatusUnprocessableEntity || len(refusal.Rows) != 2 || refusal.Rows[0].Row != 2 || refusal.Rows[1].Row != 3 {
		t.Fatalf("a bad list: %d %s", r.Status, r.Body)
	}
	var list struct{ Items []struct{ ID string } }
	must(t, head.get("/api/v1/proposals?department=tt"), http.StatusOK, &list)
	if len(list.Items) != 0 {
		t.Fatalf("a refused list filed %d proposals", len(list.Items))
	}
	good := map[string]any{"movement_id": "vanhoa-2025", "award_type": "LDTT", "submit": true, "self_assessment": "all_met",
		"entries": entries("Hà Văn Một", "Hà Văn Hai", "Hà Văn Ba")}
	var out struct {
		Done, Failed int
		Items        []struct {
			Row        int
			ProposalID string      `json:"proposal_id"`
			OK         bool        `json:"ok"`
			Stage      award.Stage `json:"stage"`
			Error      *struct{ Code, Message string }
		}
	}
	var first []string
	for i := range 2 {
		must(t, head.post("/api/v1/proposals/bulk", good, "Idempotency-Key", "ds-tt-2025"), http.StatusOK, &out)
		if out.Done != 2 || out.Failed != 1 || out.Items[0].Stage != award.StageSubmitted || out.Items[1].Stage != award.StageSubmitted ||
			out.Items[2].OK || out.Items[2].Stage != award.StageDraft || out.Items[2].Error == nil || out.Items[2].Error.Code != "invalid" {
			t.Fatalf("the list (try %d): %+v", i+1, out)
		}
		var ids []string
		for _, it := range out.Items {
			ids = append(ids, it.ProposalID)
		}
		if i == 0 {
			first = ids
		} else if strings.Join(ids, ",") != strings.Join(first, ",") {
			t.Fatalf("a repeat filed other proposals: %v then %v", first, ids)
		}
	}
	// The head filed them: the head's own filings go to the configured reviewers, who
	// endorse the list in one step.
	var rev struct{ Done int }
	must(t, login(t, base, "truongban").post("/api/v1/proposals/bulk-review", map[string]any{"proposal_ids": first[:2]}), http.StatusOK, &rev)
	if rev.Done != 2 {
		t.Fatalf("the chair endorses the list: %+v", rev)
	}
}

// The list as a spreadsheet: the template downloads and opens; a filled list with one
// unknown person is refused naming that row of the sheet; the corrected one is filed
// and submitted like a list sent as JSON.
func TestListImport(t *testing.T) {
	d := startDev(t, t.TempDir())
	base := d.URL
	addPeople(t, base, "tt", "Lý Thị Nhập", "Lý Văn Khẩu")
	head := login(t, base, "tptt")
	tpl := head.get("/api/v1/proposals/bulk/template?format=xlsx")
	if tpl.Status != http.StatusOK || !bytes.HasPrefix(tpl.Body, []byte("PK")) {
		t.Fatalf("template: %d", tpl.Status)
	}
	upload := func(csv string) reply {
		return head.do(http.MethodPost, "/api/v1/proposals/bulk/import?movement_id=vanhoa-2025&award_type=LDTT&self_assessment=all_met&submit=true",
			bytes.NewReader([]byte(csv)), "Content-Type", "text/csv")
	}
	header := "DANH SÁCH ĐỀ NGHỊ LAO ĐỘNG TIÊN TIẾN NĂM 2025\nSTT,Họ và tên,Thành tích\n"
	r := upload(header + "1,Lý Thị Nhập,Hoàn thành tốt\n2,Người Không Có,Hoàn thành tốt\n")
	var refusal struct{ Rows []struct{ Row int } }
	r.json(t, &refusal)
	if r.Status != http.StatusUnprocessableEntity || len(refusal.Rows) != 1 || refusal.Rows[0].Row != 4 {
		t.Fatalf("a list with an unknown person: %d %s", r.Status, r.Body)
	}
	var out struct {
		Done  int
		Items []struct {
			Row   int
			Stage award.Stage `json:"stage"`
		}
	}
	must(t, upload(header+"1,Lý Thị Nhập,Hoàn thành tốt\n2,Lý Văn Khẩu,Hoàn thành tốt\n"), http.StatusOK, &out)
	if out.Done != 2 || out.Items[1].Row != 4 || out.Items[1].Stage != award.StageSubmitted {
		t.Fatalf("the list: %+v", out)
	}
}

// The list's evidence is uploaded once and shared with the other proposals of the list:
// each gets its own copy (the same bytes), a proposal the sharer may not edit is refused
// in its row, and nothing is left behind for it.
func TestShareListEvidence(t *testing.T) {
	d := startDev(t, t.TempDir())
	base := d.URL
	addPeople(t, base, "tt", "Chu Văn Một", "Chu Văn Hai")
	addPeople(t, base, "llct", "Chu Văn Ba")
	head, other := login(t, base, "tptt"), login(t, base, "tpllct")
	var out struct {
		Items []struct {
			ProposalID string `json:"proposal_id"`
		}
	}
	must(t, head.post("/api/v1/proposals/bulk", map[string]any{"movement_id": "vanhoa-2025", "award_type": "LDTT",
		"entries": []map[string]string{{"nominee_name": "Chu Văn Một"}, {"nominee_name": "Chu Văn Hai"}}}), http.StatusOK, &out)
	var foreign workflows.ProposalView
	must(t, other.post("/api/v1/proposals", award.Draft{AwardType: "LDTT", MovementID: "vanhoa-2025", Kind: award.KindIndividual,
		NomineeName: "Chu Văn Ba"}), http.StatusCreated, &foreign)
	a, b := out.Items[0].ProposalID, out.Items[1].ProposalID
	pdf := fakePDF(4000)
	var up struct {
		Evidence award.Evidence `json:"evidence"`
	}
	must(t, head.do(http.MethodPost, "/api/v1/proposals/"+a+"/evidence?filename=bao-cao-phong.pdf", bytes.NewReader(pdf)), http.StatusCreated, &up)
	var sh struct {
		Done, Failed int
		Items        []struct {
			ProposalID string `json:"proposal_id"`
			OK         bool   `json:"ok"`
			Error      *struct{ Code string }
		}
	}
	must(t, head.post("/api/v1/proposals/"+a+"/evidence/"+up.Evidence.SHA256+"/share", map[string]any{"proposal_ids": []string{b, foreign.ID}}), http.StatusOK, &sh)
	if sh.Done != 1 || !sh.Items[0].OK || sh.Items[1].OK || sh.Items[1].Error == nil || sh.Items[1].Error.Code != "forbidden" {
		t.Fatalf("share: %+v", sh)
	}
	got := head.get("/api/v1/proposals/" + b + "/evidence/" + up.Evidence.SHA256)
	if got.Status != http.StatusOK || !bytes.Equal(got.Body, pdf) {
		t.Fatalf("the shared copy: %d, %d bytes", got.Status, len(got.Body))
	}
	eventually(t, "no copy left for the refused proposal", 10*time.Second, func() bool { return objectsUnder(t, d.DataDir, foreign.ID) == 0 })
}
