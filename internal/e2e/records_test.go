package e2e

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"go.temporal.io/api/serviceerror"
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"

	"github.com/xuri/excelize/v2"

	"github.com/awardflow/awardflow/internal/award"
	"github.com/awardflow/awardflow/internal/report"
	"github.com/awardflow/awardflow/internal/store"
	"github.com/awardflow/awardflow/workflows"
)

// Records outlive the workflows: a decision is issued, then every workflow that knew
// of it is deleted from Temporal (as retention would); `verify` still recognises the
// issued file by its SHA-256, and the award register still lists its awardee with the
// decision, the year and the bonus.
func TestRecordsOutliveTheWorkflows(t *testing.T) {
	d := startDev(t, t.TempDir())
	base := d.URL
	staff, head, secretary := login(t, base, "hongdao"), login(t, base, "tptt"), login(t, base, "thuky")
	p := fileProposal(t, staff, "Nguyễn Thị Hồng Đào")
	must(t, head.post("/api/v1/proposals/"+p.ID+"/endorse", nil), http.StatusOK, nil)
	var s workflows.SessionView
	must(t, secretary.post("/api/v1/sessions", map[string]any{"title": "Phiên họp xét khen thưởng năm 2025", "proposal_ids": []string{p.ID}}), http.StatusCreated, &s)
	for _, u := range []string{"truongban", "phoban", "chanhvp", "tptt", "tpllct", "thuky"} {
		must(t, login(t, base, u).post("/api/v1/sessions/"+s.ID+"/ballot", map[string]any{"marks": map[string]string{p.ID: "yes"}}), http.StatusOK, nil)
	}
	must(t, login(t, base, "truongban").post("/api/v1/sessions/"+s.ID+"/close", nil), http.StatusOK, nil)
	s = approveAndIssueAll(t, base, s.ID)
	if len(s.Decisions) != 1 || s.Minutes == nil || s.CouncilSubmission == nil {
		t.Fatalf("documents %+v", s.Session)
	}
	dec := s.Decisions[0]
	decPDF := staff.get("/api/v1/decisions/" + dec.ID + "/pdf").Body
	// Every list people read quotes the proposal's case number: the decision's award list
	// here, the register, the revocation below.
	number := caseNumberOf(t, staff, p.ID)
	var docs struct {
		Documents []struct {
			Kind         string `json:"kind"`
			AwardeeItems []struct {
				ProposalID string `json:"proposal_id"`
				CaseNumber string `json:"case_number"`
			} `json:"awardee_items"`
		} `json:"documents"`
	}
	must(t, secretary.get("/api/v1/sessions/"+s.ID), http.StatusOK, &docs)
	for _, doc := range docs.Documents {
		if doc.Kind == "decision" && (len(doc.AwardeeItems) != 1 || doc.AwardeeItems[0].CaseNumber != number) {
			t.Fatalf("the decision's award list does not quote %s: %+v", number, doc.AwardeeItems)
		}
	}
	minPDF := secretary.get("/api/v1/sessions/" + s.ID + "/minutes.pdf").Body

	// The register has every document the session issued, keyed by its SHA-256.
	ctx := context.Background()
	for _, want := range []struct {
		sha, kind string
	}{{dec.SHA256, store.KindDecision}, {s.Minutes.SHA256, store.KindMinutes}, {s.CouncilSubmission.SHA256, store.KindCouncilSubmission}} {
		got, err := d.Store.DocumentBySHA(ctx, want.sha)
		if err != nil || got.Kind != want.kind || got.SessionID != s.ID {
			t.Fatalf("register for %s: %+v, %v", want.kind, got, err)
		}
	}

	// Delete the workflows, as Temporal's retention would.
	c, err := client.Dial(client.Options{HostPort: d.Temporal, Namespace: "default"})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	for _, id := range []string{s.ID, p.ID} {
		deleteWorkflow(t, c, id)
	}
	refused(t, "the deleted session", secretary.get("/api/v1/sessions/"+s.ID), http.StatusNotFound, "not_found")

	// verify still knows the decision and the minutes.
	for name, pdf := range map[string][]byte{"decision": decPDF, "minutes": minPDF} {
		var rep verifyReport
		must(t, staff.do(http.MethodPost, "/api/v1/verify", bytes.NewReader(pdf)), http.StatusOK, &rep)
		if !rep.AllValid || rep.Issued == nil {
			t.Fatalf("%s after the workflows were deleted: %+v", name, rep)
		}
	}
	// The register lists the awardee, with the decision, the year of the title and the bonus.
	var list struct{ Items []registered }
	must(t, staff.get("/api/v1/awardees?year=2025&award_type=LDTT"), http.StatusOK, &list)
	if !slices.ContainsFunc(list.Items, func(it registered) bool {
		return it.ProposalID == p.ID && it.CaseNumber == number && it.DocumentID == dec.ID && it.NumberText == dec.NumberText && it.Year == 2025 &&
			it.Amount == award.Bonus(0.3, 2340000, 10000) && it.PersonID == "hongdao"
	}) {
		t.Fatalf("awardees after the workflows were deleted: %+v", list.Items)
	}
	// Searching without diacritics finds her; another year lists nobody.
	must(t, staff.get("/api/v1/awardees?q=nguyen+thi+hong+dao"), http.StatusOK, &list)
	if len(list.Items) != 1 {
		t.Fatalf("search without diacritics: %+v", list.Items)
	}
	must(t, staff.get("/api/v1/awardees?year=2019"), http.StatusOK, &list)
	if len(list.Items) != 0 {
		t.Fatalf("2019: %+v", list.Items)
	}
	refused(t, "a year that is not one", staff.get("/api/v1/awardees?year=abc"), http.StatusUnprocessableEntity, "invalid")

	// The statistics are the register summed, in JSON and in the workbook (opened with
	// excelize); staff may not read them.
	refused(t, "staff reads the statistics", staff.get("/api/v1/statistics?year=2025"), http.StatusForbidden, "forbidden")
	checkStatisticsMatchRegister(t, secretary, 2025)

	// Revoking the award (Điều 93) is a decision of its own: the head or the secretary
	// asks, the signer signs (or sends back), the văn thư numbers and issues it; only
	// then does the register mark the award revoked, with the bonus to recover. verify
	// says the original is genuine but revoked; the awardee lists leave it out.
	chair, clerk := login(t, base, "truongban"), login(t, base, "vanthu")
	ask := func(reason string) map[string]any {
		return map[string]any{"document_id": dec.ID, "ground": "gian_doi", "reason": reason}
	}
	refused(t, "staff asks", staff.post("/api/v1/revocations", ask("x")), http.StatusForbidden, "forbidden")
	refused(t, "the clerk asks", clerk.post("/api/v1/revocations", ask("x")), http.StatusForbidden, "forbidden")
	refused(t, "no reason", chair.post("/api/v1/revocations", ask(" ")), http.StatusUnprocessableEntity, "invalid")
	bad := ask("x")
	bad["ground"] = "khong_co"
	refused(t, "a ground not in the rules", chair.post("/api/v1/revocations", bad), http.StatusUnprocessableEntity, "invalid")
	minutes := ask("x")
	minutes["document_id"] = s.Minutes.ID
	refused(t, "revoke the minutes", chair.post("/api/v1/revocations", minutes), http.StatusConflict, "wrong_stage")
	stranger := ask("x")
	stranger["document_id"] = "nope"
	refused(t, "revoke a stranger", chair.post("/api/v1/revocations", stranger), http.StatusNotFound, "not_found")
	var rv revocationOut
	must(t, secretary.post("/api/v1/revocations", ask("Phát hiện kê khai thành tích không trung thực"), "Idempotency-Key", "rv-1"), http.StatusCreated, &rv)
	var again revocationOut
	must(t, secretary.post("/api/v1/revocations", ask("Phát hiện kê khai thành tích không trung thực"), "Idempotency-Key", "rv-1"), http.StatusCreated, &again)
	if again.ID != rv.ID {
		t.Fatalf("a repeated request started a second revocation: %s, %s", rv.ID, again.ID)
	}
	refused(t, "a second revocation on its way", chair.post("/api/v1/revocations", ask("x")), http.StatusConflict, "duplicate")
	if rv.Status != "awaiting_signature" || len(rv.Awardees) != 1 || rv.Recovery != award.Bonus(0.3, 2340000, 10000) || rv.CaseNumbers[p.ID] != number {
		t.Fatalf("requested revocation %+v", rv)
	}
	if r := secretary.get("/api/v1/revocations/" + rv.ID + "/files/draft"); r.Status != http.StatusOK || !bytes.HasPrefix(r.Body, []byte("%PDF")) {
		t.Fatalf("draft: %d", r.Status)
	}
	refused(t, "the secretary signs", secretary.post("/api/v1/revocations/"+rv.ID+"/approve", nil), http.StatusForbidden, "forbidden")
	refused(t, "issue before signing", clerk.post("/api/v1/revocations/"+rv.ID+"/issue", nil), http.StatusConflict, "wrong_stage")
	must(t, chair.post("/api/v1/revocations/"+rv.ID+"/send-back", map[string]string{"reason": "Bổ sung biên bản xác minh"}), http.StatusOK, &rv)
	// Nothing is revoked while it is only a draft.
	must(t, staff.get("/api/v1/awardees?year=2025"), http.StatusOK, &list)
	if len(list.Items) != 1 {
		t.Fatalf("a draft revocation changed the register: %+v", list.Items)
	}
	must(t, secretary.post("/api/v1/revocations/"+rv.ID+"/revise", map[string]string{"reason": "Phát hiện kê khai thành tích không trung thực (biên bản xác minh ngày 02/3)"}), http.StatusOK, &rv)
	if rv.Document.Revision != 2 || rv.Status != "awaiting_signature" {
		t.Fatalf("revised %+v", rv)
	}
	must(t, chair.post("/api/v1/revocations/"+rv.ID+"/approve", nil), http.StatusOK, &rv)
	must(t, clerk.post("/api/v1/revocations/"+rv.ID+"/issue", nil), http.StatusOK, &rv)
	if rv.Status != "issued" || rv.Document.Issued == nil || !strings.HasPrefix(rv.Document.Issued.NumberText, "Số 02-QĐ") {
		t.Fatalf("issued revocation %+v (the decision register's next number is 02)", rv)
	}
	revPDF := clerk.get("/api/v1/revocations/" + rv.ID + "/files/issued").Body
	checkRevocationPDF(t, revPDF, d.CAFile, "Quyết định số "+strings.TrimPrefix(dec.NumberText, "Số "), "Nguyễn Thị Hồng Đào", "không trung thực")
	refused(t, "revoke twice", chair.post("/api/v1/revocations", ask("x")), http.StatusConflict, "duplicate")
	// The bonus is marked for recovery; the văn thư records it paid back.
	refused(t, "staff records the recovery", staff.post("/api/v1/register/documents/"+dec.ID+"/awardees/"+p.ID+"/recovered", nil), http.StatusForbidden, "forbidden")
	must(t, clerk.post("/api/v1/register/documents/"+dec.ID+"/awardees/"+p.ID+"/recovered", nil), http.StatusOK, nil)
	var cases struct {
		Revocations []struct {
			ID       string `json:"id"`
			Status   string `json:"status"`
			IssuedID string `json:"issued_id"`
		}
	}
	must(t, chair.get("/api/v1/revocations?document="+dec.ID), http.StatusOK, &cases)
	if len(cases.Revocations) != 1 || cases.Revocations[0].Status != "issued" || cases.Revocations[0].IssuedID != rv.ID {
		t.Fatalf("cases %+v", cases)
	}
	var revRep verifyReport
	must(t, staff.do(http.MethodPost, "/api/v1/verify", bytes.NewReader(revPDF)), http.StatusOK, &revRep)
	if !revRep.AllValid || revRep.Issued == nil || revRep.Issued.Revokes != dec.ID {
		t.Fatalf("verify of the revocation decision: %+v", revRep)
	}
	var rep verifyReport
	must(t, staff.do(http.MethodPost, "/api/v1/verify", bytes.NewReader(decPDF)), http.StatusOK, &rep)
	if rep.Issued == nil || !strings.Contains(rep.Summary, "thu hồi") || !strings.Contains(rep.Summary, "không trung thực") {
		t.Fatalf("verify of a revoked decision: %+v", rep)
	}
	must(t, staff.get("/api/v1/awardees?year=2025"), http.StatusOK, &list)
	if len(list.Items) != 0 {
		t.Fatalf("a revoked decision's awardee is listed: %+v", list.Items)
	}
	must(t, staff.get("/api/v1/awardees?year=2025&include_revoked=true"), http.StatusOK, &list)
	if len(list.Items) != 1 {
		t.Fatalf("include_revoked: %+v", list.Items)
	}
	refused(t, "an award type that does not exist", staff.get("/api/v1/awardees?award_type=NOPE"), http.StatusUnprocessableEntity, "invalid")
	checkStatisticsMatchRegister(t, secretary, 2025) // the revoked decision no longer counts
}

// checkStatisticsMatchRegister compares the year's statistics — the JSON, the XLSX
// workbook and the CSV — with the awardees the register lists for that year.
func checkStatisticsMatchRegister(t *testing.T, who *api, year int) {
	t.Helper()
	var list struct{ Items []registered }
	must(t, who.get(fmt.Sprintf("/api/v1/awardees?year=%d", year)), http.StatusOK, &list)
	want := map[[3]string][2]int64{}
	var total [2]int64
	for _, it := range list.Items {
		k := [3]string{it.AwardType, it.Kind, it.UnitID}
		c := want[k]
		c[0]++
		c[1] += it.Amount
		want[k] = c
		total[0]++
		total[1] += it.Amount
	}
	var st report.Statistics
	must(t, who.get(fmt.Sprintf("/api/v1/statistics?year=%d", year)), http.StatusOK, &st)
	if st.Total.Count != int(total[0]) || st.Total.Amount != total[1] {
		t.Fatalf("statistics total %+v, register %v", st.Total, total)
	}
	for _, r := range st.Rows {
		for unit, c := range r.ByUnit {
			if w := want[[3]string{r.AwardType, string(r.Kind), unit}]; int64(c.Count) != w[0] || c.Amount != w[1] {
				t.Fatalf("cell %s/%s/%s: %+v, register %v", r.AwardType, r.Kind, unit, c, w)
			}
		}
	}
	x := who.get(fmt.Sprintf("/api/v1/statistics/export?year=%d&format=xlsx", year))
	if x.Status != http.StatusOK || !strings.Contains(x.Header.Get("Content-Disposition"), fmt.Sprintf("thong-ke-khen-thuong-%d.xlsx", year)) {
		t.Fatalf("xlsx: %d %v", x.Status, x.Header)
	}
	f, err := excelize.OpenReader(bytes.NewReader(x.Body))
	if err != nil {
		t.Fatalf("open the workbook: %v", err)
	}
	defer f.Close()
	rows, err := f.GetRows(report.SheetByUnit)
	if err != nil {
		t.Fatal(err)
	}
	var got [2]int64
	for _, row := range rows[1:] {
		n, _ := strconv.ParseInt(row[6], 10, 64)
		a, _ := strconv.ParseInt(row[7], 10, 64)
		got[0] += n
		got[1] += a
	}
	if got != total {
		t.Fatalf("the workbook sums to %v, the register to %v", got, total)
	}
	c := who.get(fmt.Sprintf("/api/v1/statistics/export?year=%d&format=csv", year))
	if c.Status != http.StatusOK || !bytes.HasPrefix(c.Body, []byte("\ufeffNăm,")) {
		t.Fatalf("csv: %d %q", c.Status, c.Body)
	}
	refused(t, "an unknown format", who.get("/api/v1/statistics/export?format=pdf"), http.StatusUnprocessableEntity, "invalid")
}

// deleteWorkflow deletes a workflow execution and waits until Temporal no longer knows it.
func deleteWorkflow(t *testing.T, c client.Client, id string) {
	t.Helper()
	ctx := context.Background()
	d, err := c.DescribeWorkflowExecution(ctx, id, "")
	if err != nil {
		t.Fatalf("describe %s: %v", id, err)
	}
	if _, err := c.WorkflowService().DeleteWorkflowExecution(ctx, &workflowservice.DeleteWorkflowExecutionRequest{
		Namespace: "default", WorkflowExecution: d.GetWorkflowExecutionInfo().GetExecution(),
	}); err != nil {
		t.Fatalf("delete %s: %v", id, err)
	}
	eventually(t, "the workflow "+id+" deleted", time.Minute, func() bool {
		_, err := c.DescribeWorkflowExecution(ctx, id, "")
		var nf *serviceerror.NotFound
		return errors.As(err, &nf)
	})
}

// registered is an awardee as GET /api/v1/awardees lists it.
type registered struct {
	ProposalID string `json:"proposal_id"`
	CaseNumber string `json:"case_number"`
	PersonID   string `json:"person_id"`
	DocumentID string `json:"document_id"`
	NumberText string `json:"number_text"`
	Year       int    `json:"year"`
	Amount     int64  `json:"amount"`
	AwardType  string `json:"award_type"`
	Kind       string `json:"kind"`
	UnitID     string `json:"unit_id"`
}
