package e2e

import (
	"bytes"
	"net/http"
	"os/exec"
	"strings"
	"testing"

	"github.com/awardflow/awardflow/internal/award"
	"github.com/awardflow/awardflow/internal/testenv"
	"github.com/awardflow/awardflow/workflows"
)

// TestRestartCarriesOn stops the dev stack in the middle of a proposal and in the middle
// of a council vote, starts it again on the same data directory, and finishes: nothing
// filed, uploaded or voted is lost.
func TestRestartCarriesOn(t *testing.T) {
	pdfsig := testenv.RequireTool(t, "pdfsig", "poppler-utils")
	dir := t.TempDir()

	// First life: file, attach evidence, submit.
	d := startDev(t, dir)
	staff := login(t, d.URL, "hongdao")
	tokenBefore := staff.token
	p := fileProposal(t, staff, "Nguyễn Thị Hồng Đào")
	evidence := fakePDF(64 << 10)
	d.Stop()

	// Second life: the token still works (the secret persists), the proposal waits for the
	// head, evidence can no longer be added (submitted), the head endorses, the council opens.
	d = startDev(t, dir)
	staff = &api{t: t, base: d.URL, token: tokenBefore}
	var got workflows.ProposalView
	must(t, staff.get("/api/v1/proposals/"+p.ID), http.StatusOK, &got)
	if got.Stage != award.StageSubmitted || len(got.History) != len(p.History) {
		t.Fatalf("after restart: stage %s, %d events (was %d)", got.Stage, len(got.History), len(p.History))
	}
	refused(t, "evidence after submit", staff.do(http.MethodPost, "/api/v1/proposals/"+p.ID+"/evidence", bytes.NewReader(evidence)), http.StatusConflict, "wrong_stage")
	head := login(t, d.URL, "tptt")
	must(t, head.post("/api/v1/proposals/"+p.ID+"/endorse", nil), http.StatusOK, nil)
	secretary := login(t, d.URL, "thuky")
	var s workflows.SessionView
	must(t, secretary.post("/api/v1/sessions", map[string]any{"title": "Phiên họp sau khi khởi động lại", "proposal_ids": []string{p.ID}}), http.StatusCreated, &s)
	for _, u := range []string{"truongban", "phoban", "chanhvp"} {
		must(t, login(t, d.URL, u).post("/api/v1/sessions/"+s.ID+"/ballot", map[string]any{"marks": map[string]string{p.ID: "yes"}}), http.StatusOK, nil)
	}
	d.Stop()

	// Third life: the ballots are still counted; the rest vote, the chair closes.
	d = startDev(t, dir)
	defer d.Stop()
	secretary.base = d.URL
	must(t, secretary.get("/api/v1/sessions/"+s.ID), http.StatusOK, &s)
	if len(s.Voted) != 3 {
		t.Fatalf("ballots lost in the restart: voted %v", s.Voted)
	}
	for _, u := range []string{"tptt", "tpllct", "thuky"} {
		must(t, login(t, d.URL, u).post("/api/v1/sessions/"+s.ID+"/ballot", map[string]any{"marks": map[string]string{p.ID: "yes"}}), http.StatusOK, nil)
	}
	must(t, login(t, d.URL, "truongban").post("/api/v1/sessions/"+s.ID+"/close", nil), http.StatusOK, nil)
	s = approveAndIssueAll(t, d.URL, s.ID)
	if len(s.Decisions) != 1 || s.Decisions[0].NumberText != "Số 01-QĐ/BTGTU" {
		t.Fatalf("decisions %+v", s.Decisions)
	}
	r := secretary.get("/api/v1/decisions/" + s.Decisions[0].ID + "/pdf")
	if r.Status != http.StatusOK {
		t.Fatalf("decision: %d", r.Status)
	}
	f := t.TempDir() + "/d.pdf"
	if err := writeFile(f, r.Body); err != nil {
		t.Fatal(err)
	}
	out, _ := exec.Command(pdfsig, f).CombinedOutput()
	if !strings.Contains(string(out), "Signature is Valid.") {
		t.Fatalf("pdfsig:\n%s", out)
	}
	must(t, secretary.get("/api/v1/proposals/"+p.ID), http.StatusOK, &got)
	if got.Stage != award.StageAwarded {
		t.Fatalf("stage %s", got.Stage)
	}
}
