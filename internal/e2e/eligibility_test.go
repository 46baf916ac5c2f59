package e2e

import (
	"bytes"
	"net/http"
	"strings"
	"testing"

	"github.com/awardflow/awardflow/internal/award"
	"github.com/awardflow/awardflow/internal/eligibility"
	"github.com/awardflow/awardflow/workflows"
)

const annualHeader = "Đối tượng (loai),Mã cá nhân/tập thể (ma),Họ và tên/Tên tập thể (ten),Mã phòng/đơn vị (don_vi),Năm (nam),Xếp loại (xep_loai),Số tháng công tác (so_thang),Số ngày nghỉ (ngay_nghi),Kỷ luật (ky_luat)\n"

// Eligibility through the real API: the admin imports the year's ratings (a file with one
// bad row imports nothing and names the row); a nominee rated below "hoàn thành tốt" is
// shown not eligible with the article, and cannot be submitted; the admin corrects the
// record and the same proposal goes through; a second live proposal for the same person,
// award and year is refused; a discipline recorded before the council keeps the
// proposal off the agenda. Staff read only their own record, and cannot import.
func TestEligibilityGates(t *testing.T) {
	d := startDev(t, t.TempDir())
	base := d.URL
	admin, staff, head, secretary := login(t, base, "quantri"), login(t, base, "hongdao"), login(t, base, "tptt"), login(t, base, "thuky")
	importCSV := func(who *api, body string) reply {
		return who.do(http.MethodPost, "/api/v1/annual-records/import?year=2025", bytes.NewReader([]byte(body)), "Content-Type", "text/csv")
	}
	bad := annualHeader +
		"Cá nhân,hongdao,Nguyễn Thị Hồng Đào,tt,2025,Hoàn thành nhiệm vụ,12,2,\n" +
		"Cá nhân,vanson,Đặng Văn Sơn,tt,2025,Xuất sắc lắm,12,0,\n"
	r := importCSV(admin, bad)
	if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.message(), "Dòng 3") || !strings.Contains(r.message(), "Xếp loại") {
		t.Fatalf("a bad row: %d %s", r.Status, r.Body)
	}
	var list struct{ Items []map[string]any }
	must(t, admin.get("/api/v1/annual-records?year=2025"), http.StatusOK, &list)
	if len(list.Items) != 0 {
		t.Fatalf("a refused import wrote %d records", len(list.Items))
	}
	refused(t, "staff imports", importCSV(staff, bad), http.StatusForbidden, "forbidden")
	good := annualHeader +
		"Cá nhân,hongdao,Nguyễn Thị Hồng Đào,tt,2025,Hoàn thành nhiệm vụ,12,2,\n" +
		"Cá nhân,vanson,Đặng Văn Sơn,tt,2025,HTXSNV,12,0,Không\n" +
		"Cá nhân,kimngan,,vp,2025,Hoàn thành tốt nhiệm vụ,12,0,\n"
	var imp struct{ Inserted, Records int }
	must(t, importCSV(admin, good), http.StatusOK, &imp)
	if imp.Inserted != 3 || imp.Records != 3 {
		t.Fatalf("import %+v", imp)
	}
	must(t, staff.get("/api/v1/annual-records?year=2025"), http.StatusOK, &list)
	if len(list.Items) != 1 || list.Items[0]["id"] != "hongdao" || list.Items[0]["rating_label"] != "Hoàn thành nhiệm vụ" {
		t.Fatalf("staff sees %+v", list.Items)
	}
	must(t, head.get("/api/v1/annual-records?year=2025"), http.StatusOK, &list) // a council member: everyone's
	if len(list.Items) != 3 {
		t.Fatalf("the head of tt, on the council, sees %d records, want 3", len(list.Items))
	}

	// Rated "hoàn thành nhiệm vụ": not eligible for LĐTT (Điều 24), submit refused.
	var p workflows.ProposalView
	must(t, staff.post("/api/v1/proposals", award.Draft{AwardType: "LDTT", MovementID: "vanhoa-2025", Kind: award.KindIndividual,
		NomineeName: "Nguyễn Thị Hồng Đào", NomineePosition: "Chuyên viên", Achievements: "Hoàn thành nhiệm vụ năm 2025"}), http.StatusCreated, &p)
	must(t, staff.put("/api/v1/proposals/"+p.ID+"/self-assessment", allCriteria(p, "")), http.StatusOK, nil)
	var got struct {
		Eligibility eligibility.Judgement `json:"eligibility"`
	}
	must(t, staff.get("/api/v1/proposals/"+p.ID), http.StatusOK, &got)
	if got.Eligibility.Verdict != award.StatusNotMet || !strings.Contains(eligibilityText(got.Eligibility), "Điều 24") {
		t.Fatalf("eligibility %+v", got.Eligibility)
	}
	r = staff.post("/api/v1/proposals/"+p.ID+"/submit", nil)
	if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.message(), "chưa đủ tiêu chuẩn") {
		t.Fatalf("submit of a nominee who does not qualify: %d %s", r.Status, r.Body)
	}
	// A second proposal for her, same award and year: refused while the first is live.
	refused(t, "a second live proposal", staff.post("/api/v1/proposals", award.Draft{AwardType: "LDTT", MovementID: "vanhoa-2025",
		Kind: award.KindIndividual, NomineeName: "Nguyen Thi Hong Dao", Achievements: "Lần hai"}), http.StatusConflict, "duplicate")
	// Someone who is not in the directory cannot be nominated.
	refused(t, "a nominee outside the directory", staff.post("/api/v1/proposals", award.Draft{AwardType: "LDTT", MovementID: "vanhoa-2025",
		Kind: award.KindIndividual, NomineeName: "Người Ngoài Danh Bạ", Achievements: "x"}), http.StatusUnprocessableEntity, "invalid")

	// The admin corrects her rating: eligible, submitted, endorsed.
	must(t, admin.put("/api/v1/annual-records/2025/individual/hongdao", map[string]any{"rating": "good", "months_of_service": 12,
		"days_absent": 2, "discipline": "none"}), http.StatusOK, nil)
	must(t, staff.get("/api/v1/proposals/"+p.ID), http.StatusOK, &got)
	if got.Eligibility.Verdict != award.StatusMet {
		t.Fatalf("after the correction: %+v", got.Eligibility)
	}
	must(t, staff.post("/api/v1/proposals/"+p.ID+"/submit", nil), http.StatusOK, nil)
	must(t, head.post("/api/v1/proposals/"+p.ID+"/endorse", nil), http.StatusOK, nil)

	// A reprimand recorded before the council: the session will not take her.
	must(t, admin.put("/api/v1/annual-records/2025/individual/hongdao", map[string]any{"rating": "good", "months_of_service": 12,
		"days_absent": 2, "discipline": "reprimand"}), http.StatusOK, nil)
	r = secretary.post("/api/v1/sessions", map[string]any{"title": "Phiên họp xét khen thưởng năm 2025", "proposal_ids": []string{p.ID}})
	if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.message(), "Nguyễn Thị Hồng Đào") {
		t.Fatalf("a session with a nominee who no longer qualifies: %d %s", r.Status, r.Body)
	}
}

func eligibilityText(j eligibility.Judgement) string {
	var b strings.Builder
	for _, r := range j.Results {
		b.WriteString(r.Status.LabelVI() + " " + r.Requirement + ": " + r.Reason + " (" + r.Citation + ")\n")
	}
	return b.String()
}
