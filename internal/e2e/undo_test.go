package e2e

import (
	"bytes"
	"net/http"
	"strings"
	"testing"

	"github.com/awardflow/awardflow/internal/award"
)

type undoView struct {
	ID       string `json:"id"`
	Stage    string `json:"stage"`
	Criteria []struct {
		ID string `json:"id"`
	} `json:"criteria"`
	Evidence []struct {
		SHA256 string `json:"sha256"`
	} `json:"evidence"`
	SelfAssessment []struct {
		Evidence []string `json:"evidence"`
	} `json:"self_assessment"`
	History []struct {
		Action  string `json:"action"`
		Comment string `json:"comment"`
	} `json:"history"`
}

// Issue 10, defects 3 and 4 through the API (every exchange checked against
// openapi.yaml): remove a file, withdraw, delete — only the proposer, only at their
// stages, a repeated key acts once — and an award type's "evidence required" refuses a
// submission without evidence with a Vietnamese 422.
func TestProposalUndoAndRequiredEvidence(t *testing.T) {
	d := startDev(t, t.TempDir())
	defer d.Stop()
	base := d.URL
	a := login(t, base, "hongdao")
	other := login(t, base, "quoccuong")
	head := login(t, base, "tptt")
	pdf := []byte("%PDF-1.4\n% minh chứng\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
	draft := award.Draft{AwardType: "LDTT", MovementID: "vanhoa-2025", Kind: award.KindIndividual,
		NomineeName: "Nguyễn Thị Hồng Đào", NomineePosition: "Chuyên viên", Achievements: "Hoàn thành tốt nhiệm vụ"}
	var p undoView
	must(t, a.post("/api/v1/proposals", draft), http.StatusCreated, &p)
	path := "/api/v1/proposals/" + p.ID
	var up struct {
		Evidence struct {
			SHA256 string `json:"sha256"`
		} `json:"evidence"`
	}
	must(t, a.do(http.MethodPost, path+"/evidence?filename=a.pdf", bytes.NewReader(pdf)), http.StatusCreated, &up)
	sha := up.Evidence.SHA256
	var answers []map[string]any
	for _, c := range p.Criteria {
		answers = append(answers, map[string]any{"criterion_id": c.ID, "met": true, "evidence": []string{sha}})
	}
	must(t, a.put(path+"/self-assessment", map[string]any{"answers": answers}), http.StatusOK, nil)

	// Remove: not someone else's, not an unknown file, and the criteria drop it.
	refused(t, "another staff member removes the file", other.do(http.MethodDelete, path+"/evidence/"+sha, nil), http.StatusForbidden, "forbidden")
	refused(t, "the head removes the file", head.do(http.MethodDelete, path+"/evidence/"+sha, nil), http.StatusForbidden, "forbidden")
	refused(t, "remove a malformed sha", a.do(http.MethodDelete, path+"/evidence/zz", nil), http.StatusNotFound, "not_found")
	refused(t, "remove an unknown file", a.do(http.MethodDelete, path+"/evidence/"+strings.Repeat("0", 64), nil), http.StatusNotFound, "not_found")
	must(t, a.do(http.MethodDelete, path+"/evidence/"+sha, nil, "Idempotency-Key", "rm-1"), http.StatusOK, &p)
	if len(p.Evidence) != 0 || p.History[len(p.History)-1].Action != "remove_evidence" || p.History[len(p.History)-1].Comment != "a.pdf" {
		t.Fatalf("after removal: evidence %v, history %+v", p.Evidence, p.History)
	}
	for _, s := range p.SelfAssessment {
		if len(s.Evidence) != 0 {
			t.Fatalf("a criterion still cites the removed file: %+v", p.SelfAssessment)
		}
	}
	lines := len(p.History)
	must(t, a.do(http.MethodDelete, path+"/evidence/"+sha, nil, "Idempotency-Key", "rm-1"), http.StatusOK, &p) // the same request: its first answer
	if len(p.History) != lines {
		t.Fatalf("a repeated removal acted again: %d history lines, was %d", len(p.History), lines)
	}
	refused(t, "remove it again", a.do(http.MethodDelete, path+"/evidence/"+sha, nil), http.StatusNotFound, "not_found")

	// Withdraw: only a submitted proposal, only its proposer, once per key.
	refused(t, "withdraw a draft", a.post(path+"/withdraw", nil), http.StatusConflict, "wrong_stage")
	must(t, a.post(path+"/submit", nil), http.StatusOK, &p)
	refused(t, "delete a submitted proposal", a.do(http.MethodDelete, path, nil), http.StatusConflict, "wrong_stage")
	refused(t, "the head withdraws it", head.post(path+"/withdraw", nil), http.StatusForbidden, "forbidden")
	must(t, a.post(path+"/withdraw", nil, "Idempotency-Key", "wd-1"), http.StatusOK, &p)
	if p.Stage != "draft" || p.History[len(p.History)-1].Action != "withdraw" {
		t.Fatalf("after withdrawing: stage %s, history %+v", p.Stage, p.History)
	}
	lines = len(p.History)
	must(t, a.post(path+"/withdraw", nil, "Idempotency-Key", "wd-1"), http.StatusOK, &p)
	if len(p.History) != lines {
		t.Fatalf("a repeated withdrawal acted again")
	}
	refused(t, "withdraw again", a.post(path+"/withdraw", nil), http.StatusConflict, "wrong_stage")

	// Delete: only the proposer; the deleted proposal stays readable and frees its place.
	refused(t, "another staff member deletes it", other.do(http.MethodDelete, path, nil), http.StatusForbidden, "forbidden")
	must(t, a.do(http.MethodDelete, path, nil), http.StatusOK, &p)
	if p.Stage != "deleted" {
		t.Fatalf("after deleting: stage %s", p.Stage)
	}
	eventually(t, "the deleted workflow to read as deleted", 0, func() bool {
		r := a.get(path)
		return r.Status == http.StatusOK && strings.Contains(string(r.Body), `"stage":"deleted"`)
	})
	refused(t, "delete it again", a.do(http.MethodDelete, path, nil), http.StatusConflict, "wrong_stage")
	refused(t, "upload to a deleted proposal", a.do(http.MethodPost, path+"/evidence?filename=b.pdf", bytes.NewReader(pdf)), http.StatusConflict, "wrong_stage")
	var again undoView
	must(t, a.post("/api/v1/proposals", draft), http.StatusCreated, &again)
	if again.ID == p.ID {
		t.Fatal("a new filing reused the deleted proposal")
	}

	// Evidence required (CSTĐ cấp tỉnh in the demo): refused without a file, in Vietnamese.
	var cst undoView
	must(t, other.post("/api/v1/proposals", award.Draft{AwardType: "CSTDT", MovementID: "vanhoa-2025", Kind: award.KindIndividual,
		NomineeName: "Lê Quốc Cường", NomineePosition: "Chuyên viên chính"}), http.StatusCreated, &cst)
	answers = nil
	for _, c := range cst.Criteria {
		answers = append(answers, map[string]any{"criterion_id": c.ID, "met": true})
	}
	must(t, other.put("/api/v1/proposals/"+cst.ID+"/self-assessment", map[string]any{"answers": answers}), http.StatusOK, nil)
	r := other.post("/api/v1/proposals/"+cst.ID+"/submit", nil)
	refused(t, "submit without the required evidence", r, http.StatusUnprocessableEntity, "invalid")
	if !strings.Contains(r.message(), "cần ít nhất một tệp minh chứng") {
		t.Fatalf("the refusal does not say evidence is needed: %s", r.Body)
	}
	must(t, other.do(http.MethodPost, "/api/v1/proposals/"+cst.ID+"/evidence?filename=sang-kien.pdf", bytes.NewReader(pdf)), http.StatusCreated, nil)
	if r := other.post("/api/v1/proposals/"+cst.ID+"/submit", nil); strings.Contains(r.message(), "tệp minh chứng") {
		t.Fatalf("with a file the submission is still refused for evidence: %s", r.Body)
	}
	// LĐTT has no such rule: a proposal without files is submitted as before.
	answers = nil
	for _, c := range again.Criteria {
		answers = append(answers, map[string]any{"criterion_id": c.ID, "met": true})
	}
	must(t, a.put("/api/v1/proposals/"+again.ID+"/self-assessment", map[string]any{"answers": answers}), http.StatusOK, nil)
	must(t, a.post("/api/v1/proposals/"+again.ID+"/submit", nil), http.StatusOK, nil)
}
