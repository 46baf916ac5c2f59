package e2e

import (
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/awardflow/awardflow/internal/award"
	"github.com/awardflow/awardflow/internal/testenv"
	"github.com/awardflow/awardflow/workflows"
)

// fileFor files, self-assesses, submits and has the head endorse a proposal of one award
// type for a nominee of the tt department.
func fileFor(t *testing.T, staff, head *api, code, nominee string) workflows.ProposalView {
	t.Helper()
	var p workflows.ProposalView
	must(t, staff.post("/api/v1/proposals", award.Draft{AwardType: code, MovementID: "vanhoa-2025", Kind: award.KindIndividual,
		NomineeName: nominee, NomineePosition: "Chuyên viên", Achievements: "Hoàn thành xuất sắc nhiệm vụ năm 2025"}), http.StatusCreated, &p)
	must(t, staff.put("/api/v1/proposals/"+p.ID+"/self-assessment", allCriteria(p, "")), http.StatusOK, nil)
	must(t, staff.post("/api/v1/proposals/"+p.ID+"/submit", nil), http.StatusOK, nil)
	must(t, head.post("/api/v1/proposals/"+p.ID+"/endorse", nil), http.StatusOK, &p)
	return p
}

// councilVoters are the demo council's voting members; truongban chairs.
var councilVoters = []string{"truongban", "phoban", "chanhvp", "tptt", "tpllct", "thuky"}

// voteSession opens a session over the proposals, has every voter cast the marks
// marks(voter) gives, and the chair close it.
func voteSession(t *testing.T, base, title string, ids []string, marks func(voter string) map[string]string) workflows.SessionView {
	t.Helper()
	var s workflows.SessionView
	must(t, login(t, base, "thuky").post("/api/v1/sessions", map[string]any{"title": title, "proposal_ids": ids}), http.StatusCreated, &s)
	for _, u := range councilVoters {
		must(t, login(t, base, u).post("/api/v1/sessions/"+s.ID+"/ballot", map[string]any{"marks": marks(u)}), http.StatusOK, nil)
	}
	must(t, login(t, base, "truongban").post("/api/v1/sessions/"+s.ID+"/close", nil), http.StatusOK, nil)
	return s
}

func allYes(ids []string) func(string) map[string]string {
	return func(string) map[string]string {
		m := map[string]string{}
		for _, id := range ids {
			m[id] = "yes"
		}
		return m
	}
}

func quotaGroup(t *testing.T, s workflows.SessionView, code string) award.QuotaGroup {
	t.Helper()
	tr, ok := s.Quota[code]
	if !ok || len(tr.Groups) != 1 {
		t.Fatalf("session %s: quota of %s %+v", s.ID, code, s.Quota)
	}
	return tr.Groups[0]
}

// TestQuotaOverTheYear: the CSTĐCS quota (15 % of LĐTT, floor, the chair's casting
// vote) counts the LĐTT of the whole achievement year from the award register plus
// those passing in the session, and the year's CSTĐCS in force take their seats first.
// Seven people of tt (the directory) are nominated:
//
//  1. a session issues LĐTT to six (the register now has 6: 15 % → 0 seats);
//  2. a session passes LĐTT for the seventh and CSTĐCS for the first: 6 in the
//     register + 1 now = 7 → 1,05 → 1 seat (by the session alone, or the register
//     alone, there would be none); both decisions are issued, then the CSTĐCS
//     decision is revoked;
//  3. a session over CSTĐCS for the second and third, with equal votes: 7 LĐTT in
//     force, no CSTĐCS in force (the revoked one does not count) → 1 seat; the chair's
//     ballot decides it.
//
// The session view and the minutes state the figures, the rounding and the tie.
func TestQuotaOverTheYear(t *testing.T) {
	pdftotext := testenv.RequireTool(t, "pdftotext", "poppler-utils")
	d := startDev(t, t.TempDir())
	base := d.URL
	people := []string{"Trần Thị Cúc", "Lê Văn Bình", "Đoàn Thị Ngọc", "Võ Văn Tùng", "Lý Thị Hoa", "Phan Văn Khôi", "Tạ Văn Bảy"}
	addPeople(t, base, "tt", people...)
	staff, head := login(t, base, "hongdao"), login(t, base, "tptt")

	// 1. Six LĐTT of 2025 issued.
	var first []string
	for _, n := range people[:6] {
		first = append(first, fileFor(t, staff, head, "LDTT", n).ID)
	}
	s1 := voteSession(t, base, "Phiên họp xét Lao động tiên tiến năm 2025 (đợt 1)", first, allYes(first))
	s1v := approveAndIssueAll(t, base, s1.ID)
	if len(s1v.Decisions) != 1 || len(s1v.Decisions[0].Awardees) != 6 {
		t.Fatalf("session 1 decisions %+v", s1v.Decisions)
	}

	// 2. One more LĐTT and one CSTĐCS: the register's 6 and this session's 1 make 7.
	l7 := fileFor(t, staff, head, "LDTT", people[6])
	c0 := fileFor(t, staff, head, "CSTDCS", people[2])
	ids2 := []string{l7.ID, c0.ID}
	s2 := approveAndIssueAll(t, base, voteSession(t, base, "Phiên họp xét khen thưởng năm 2025 (đợt 2)", ids2, allYes(ids2)).ID)
	g2 := quotaGroup(t, s2, "CSTDCS")
	if g2.Year != 2025 || !g2.Register || g2.RegisterBase != 6 || g2.SessionBase != 1 || g2.Base != 7 || g2.Limit != 1 || g2.Already != 0 || g2.Seats != 1 ||
		!slices.Equal(g2.Kept, []string{c0.ID}) || !s2.Results[c0.ID].Passed {
		t.Fatalf("session 2 quota %+v, results %+v", g2, s2.Results)
	}
	for _, want := range []string{"gồm 06 trường hợp theo sổ khen thưởng", "01 trường hợp đạt tại phiên họp này, tổng cộng 07", "15% × 07 = 1,05, làm tròn xuống: tối đa 01 trường hợp"} {
		if !strings.Contains(g2.Text, want) {
			t.Fatalf("session 2 facts lack %q: %s", want, g2.Text)
		}
	}
	if !strings.Contains(g2.TextEN, "6 in the award register") || !strings.Contains(g2.TextEN, "15% × 7 = 1.05, rounded down: at most 1") {
		t.Fatalf("session 2 English facts: %s", g2.TextEN)
	}
	var cstDecision string
	for _, dec := range s2.Decisions {
		if dec.AwardType == "CSTDCS" {
			cstDecision = dec.ID
		}
	}
	if cstDecision == "" {
		t.Fatalf("session 2 issued no CSTĐCS decision: %+v", s2.Decisions)
	}
	revokeByDecision(t, base, cstDecision, nil, "Phát hiện kê khai thành tích không trung thực")

	// 3. Two CSTĐCS with 5 of 6 yes each: the chair said yes to the first only.
	a := fileFor(t, staff, head, "CSTDCS", people[0])
	b := fileFor(t, staff, head, "CSTDCS", people[1])
	s3 := voteSession(t, base, "Phiên họp xét Chiến sĩ thi đua cơ sở năm 2025", []string{a.ID, b.ID}, func(u string) map[string]string {
		switch u {
		case "truongban":
			return map[string]string{a.ID: "yes", b.ID: "no"}
		case "thuky":
			return map[string]string{a.ID: "no", b.ID: "yes"}
		}
		return map[string]string{a.ID: "yes", b.ID: "yes"}
	})
	s3v := approveAndIssueAll(t, base, s3.ID)
	g3 := quotaGroup(t, s3v, "CSTDCS")
	if g3.RegisterBase != 7 || g3.SessionBase != 0 || g3.Limit != 1 || g3.Already != 0 || g3.Seats != 1 || g3.Ties != award.TieChair ||
		!slices.Equal(g3.Kept, []string{a.ID}) || !slices.Equal(g3.Dropped, []string{b.ID}) || len(g3.Casting) != 2 {
		t.Fatalf("session 3 quota %+v", g3)
	}
	if !s3v.Results[a.ID].Passed || s3v.Results[b.ID].Passed || s3v.Results[b.ID].Revote || !s3v.Results[b.ID].Vote.Passed {
		t.Fatalf("session 3 results %+v", s3v.Results)
	}
	if len(s3v.Decisions) != 1 || !slices.Equal(s3v.Decisions[0].Awardees, []string{a.ID}) {
		t.Fatalf("session 3 decisions %+v", s3v.Decisions)
	}
	chose := "theo phiếu của Chủ tịch Hội đồng: chọn Trần Thị Cúc; không chọn Lê Văn Bình"
	if !strings.Contains(g3.Text, chose) || !strings.Contains(g3.TextEN, "by the chair's casting vote: chosen Trần Thị Cúc; not chosen Lê Văn Bình") {
		t.Fatalf("session 3 facts: %s / %s", g3.Text, g3.TextEN)
	}
	var pb workflows.ProposalView
	must(t, staff.get("/api/v1/proposals/"+b.ID), http.StatusOK, &pb)
	if pb.Stage != award.StageNotAwarded || pb.Outcome == nil || !strings.Contains(pb.Outcome.Reason, "vượt chỉ tiêu 15% năm 2025") {
		t.Fatalf("the one over the quota: %s %+v", pb.Stage, pb.Outcome)
	}

	// The minutes state it.
	minutes := login(t, base, "thuky").get("/api/v1/sessions/" + s3.ID + "/minutes.pdf")
	if minutes.Status != http.StatusOK {
		t.Fatalf("minutes: %d", minutes.Status)
	}
	f := filepath.Join(t.TempDir(), "minutes.pdf")
	if err := os.WriteFile(f, minutes.Body, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(pdftotext, f, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	txt := strings.Join(strings.Fields(string(out)), " ")
	for _, want := range []string{"gồm 07 trường hợp theo sổ khen thưởng (quyết định còn hiệu lực, không tính quyết định đã thu hồi)",
		"15% × 07 = 1,05, làm tròn xuống: tối đa 01 trường hợp; đã khen thưởng trong năm 0 trường hợp, còn lại 01.", chose, "Vượt chỉ tiêu"} {
		if !strings.Contains(txt, want) {
			t.Fatalf("the minutes lack %q:\n%s", want, txt)
		}
	}
	// The register: 7 LĐTT and one CSTĐCS of 2025 in force.
	var list struct{ Items []registered }
	must(t, staff.get("/api/v1/awardees?year=2025&award_type=CSTDCS"), http.StatusOK, &list)
	if len(list.Items) != 1 || list.Items[0].ProposalID != a.ID {
		t.Fatalf("CSTĐCS of 2025 in force: %+v", list.Items)
	}
	checkStatisticsMatchRegister(t, login(t, base, "thuky"), 2025)
	// A session that read the register, and one the chair's casting vote settled, for
	// the replay test (workflows/testdata/histories).
	recordHistories(t, d, map[string]string{"council-session-quota-year": s2.ID, "council-session-quota-casting": s3.ID,
		"proposal-over-quota": b.ID})
}
