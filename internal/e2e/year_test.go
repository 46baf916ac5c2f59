package e2e

import (
	"bytes"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/awardflow/awardflow/internal/award"
	"github.com/awardflow/awardflow/internal/report"
	"github.com/awardflow/awardflow/workflows"
)

// The agency's year end to end through the API: 40 people in 4 departments, their
// ratings imported (4 rated below "hoàn thành tốt"), each head files the department's
// LĐTT list in one step and a Giấy khen for one person, the agency head endorses the
// heads' lists in one step, the council votes "đồng ý tất cả", the decisions are signed
// and issued, the Giấy khen decision is revoked, and the statistics (JSON, XLSX) equal
// the register.
func TestAgencyYear(t *testing.T) {
	d := startDev(t, t.TempDir())
	base := d.URL
	depts := map[string]string{"vp": "chanhvp", "tt": "tptt", "llct": "tpllct", "kgvx": "tpkgvx"}
	order := []string{"vp", "tt", "llct", "kgvx"}
	names := map[string][]string{}
	csv := annualHeader
	for di, dept := range order {
		for i := range 10 {
			n := fmt.Sprintf("Nhân Viên %s %02d", strings.ToUpper(dept), i+1)
			names[dept] = append(names[dept], n)
		}
		addPeople(t, base, dept, names[dept]...)
		for i, n := range names[dept] {
			rating := "Hoàn thành tốt nhiệm vụ"
			if i == di { // one per department does not qualify for LĐTT
				rating = "Hoàn thành nhiệm vụ"
			}
			csv += fmt.Sprintf("Cá nhân,%s,%s,%s,2025,%s,12,0,\n", personID(n), n, dept, rating)
		}
	}
	admin := login(t, base, "quantri")
	var imp struct{ Inserted int }
	must(t, admin.do(http.MethodPost, "/api/v1/annual-records/import?year=2025", bytes.NewReader([]byte(csv)), "Content-Type", "text/csv"), http.StatusOK, &imp)
	if imp.Inserted != 40 {
		t.Fatalf("imported %d", imp.Inserted)
	}

	var submitted []string
	for _, dept := range order {
		head := login(t, base, depts[dept])
		var entries []map[string]string
		for _, n := range names[dept] {
			entries = append(entries, map[string]string{"nominee_name": n, "achievements": "Hoàn thành tốt nhiệm vụ năm 2025"})
		}
		var out struct {
			Done  int
			Items []struct {
				ProposalID string      `json:"proposal_id"`
				Stage      award.Stage `json:"stage"`
			}
		}
		must(t, head.post("/api/v1/proposals/bulk", map[string]any{"movement_id": "vanhoa-2025", "award_type": "LDTT",
			"self_assessment": "all_met", "submit": true, "entries": entries}, "Idempotency-Key", "ldtt-"+dept), http.StatusOK, &out)
		if out.Done != 9 {
			t.Fatalf("%s: %d of 10 submitted, want 9 (one does not qualify)", dept, out.Done)
		}
		gk := map[string]any{"movement_id": "vanhoa-2025", "award_type": "GK", "self_assessment": "all_met", "submit": true,
			"entries": []map[string]string{{"nominee_name": names[dept][9], "achievements": "Thành tích đột xuất"}}}
		var gout struct{ Done int }
		must(t, head.post("/api/v1/proposals/bulk", gk, "Idempotency-Key", "gk-"+dept), http.StatusOK, &gout)
		if gout.Done != 1 {
			t.Fatalf("%s: the Giấy khen was not submitted", dept)
		}
		for _, it := range out.Items {
			if it.Stage == award.StageSubmitted {
				submitted = append(submitted, it.ProposalID)
			}
		}
	}
	// The heads filed: their lists go to the agency head (head_proposal_reviewers).
	var list struct{ Items []struct{ ID string } }
	must(t, login(t, base, "truongban").get("/api/v1/inbox?limit=200"), http.StatusOK, &list)
	var all []string
	for _, it := range list.Items {
		if strings.HasPrefix(it.ID, "proposal-") {
			all = append(all, it.ID)
		}
	}
	if len(all) != 40 {
		t.Fatalf("the agency head's inbox has %d proposals, want 36 LĐTT + 4 Giấy khen", len(all))
	}
	var rev struct{ Done int }
	must(t, login(t, base, "truongban").post("/api/v1/proposals/bulk-review", map[string]any{"proposal_ids": all, "comment": "Đồng ý"}), http.StatusOK, &rev)
	if rev.Done != 40 {
		t.Fatalf("bulk endorsement: %d of 40", rev.Done)
	}
	secretary := login(t, base, "thuky")
	var s workflows.SessionView
	must(t, secretary.post("/api/v1/sessions", map[string]any{"title": "Phiên họp xét khen thưởng năm 2025", "proposal_ids": all}), http.StatusCreated, &s)
	for _, m := range s.Members {
		if m.Votes {
			must(t, login(t, base, m.ID).post("/api/v1/sessions/"+s.ID+"/ballot", map[string]any{"all": "yes"}), http.StatusOK, nil)
		}
	}
	must(t, login(t, base, "truongban").post("/api/v1/sessions/"+s.ID+"/close", nil), http.StatusOK, nil)
	s = approveAndIssueAll(t, base, s.ID)
	var gkDoc string
	for _, dec := range s.Decisions {
		if dec.AwardType == "GK" {
			gkDoc = dec.ID
		}
	}
	if len(s.Decisions) < 2 || gkDoc == "" {
		t.Fatalf("decisions %+v", s.Decisions)
	}
	checkStatisticsMatchRegister(t, secretary, 2025)
	revokeByDecision(t, base, gkDoc, nil, "Thành tích không đúng sự thật")
	checkStatisticsMatchRegister(t, secretary, 2025)
	var st report.Statistics
	must(t, secretary.get("/api/v1/statistics?year=2025"), http.StatusOK, &st)
	if len(st.Rows) != 1 || st.Rows[0].AwardType != "LDTT" || st.Rows[0].Total.Count != 36 || len(st.Units) != 4 {
		t.Fatalf("statistics after the revocation: %+v", st)
	}
	// The movement's participation: every proposal names the culture movement (9 LĐTT
	// and a Giấy khen per department, all filed), nobody registered (the window closed
	// in 2022), and its awardees in force are the register's: the 36 LĐTT, the revoked
	// Giấy khen no longer counted.
	var culture *report.MovementRow
	for i := range st.Movements {
		if st.Movements[i].ID == "vanhoa-2025" {
			culture = &st.Movements[i]
		}
	}
	if culture == nil || culture.Total != (report.Participation{Registered: 0, Proposed: 40, Awarded: st.Rows[0].Total.Count}) || len(culture.Units) != 4 {
		t.Fatalf("the movement's participation: %+v", culture)
	}
	for _, u := range culture.Units {
		if u.Proposed != 10 || u.Awarded != st.Rows[0].ByUnit[u.ID].Count {
			t.Errorf("the movement's participation in %s: %+v, the register %+v", u.ID, u.Participation, st.Rows[0].ByUnit[u.ID])
		}
	}
}
