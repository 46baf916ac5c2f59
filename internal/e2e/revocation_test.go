package e2e

import (
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/awardflow/awardflow/internal/testenv"
)

// revocationOut is the API's answer about a revocation.
type revocationOut struct {
	ID             string   `json:"id"`
	DocumentID     string   `json:"document_id"`
	OriginalNumber string   `json:"original_number"`
	Status         string   `json:"status"`
	Recovery       int64    `json:"recovery"`
	Actions        []string `json:"actions"`
	Waiting        []string `json:"waiting"`
	Awardees       []struct {
		ProposalID string `json:"proposal_id"`
		Amount     int64  `json:"amount"`
	} `json:"awardees"`
	CaseNumbers map[string]string `json:"case_numbers"`
	Document    struct {
		Revision int `json:"revision"`
		Issued   *struct {
			ID         string `json:"id"`
			NumberText string `json:"number_text"`
			SHA256     string `json:"sha256"`
		} `json:"issued"`
	} `json:"document"`
}

// revokeByDecision takes a revocation of awards of an issued decision the whole way
// (Điều 93): the head asks, its signer (the head, or the deputy the type is delegated
// to) signs, the văn thư issues. It answers the issued revocation.
func revokeByDecision(t *testing.T, base, docID string, awardees []string, reason string) revocationOut {
	t.Helper()
	head, clerk := login(t, base, "truongban"), login(t, base, "vanthu")
	var rv revocationOut
	ask := map[string]any{"document_id": docID, "ground": "gian_doi", "reason": reason}
	if len(awardees) > 0 {
		ask["awardees"] = awardees
	}
	must(t, head.post("/api/v1/revocations", ask), http.StatusCreated, &rv)
	if len(rv.Waiting) != 1 {
		t.Fatalf("the revocation waits for %v, want its signer", rv.Waiting)
	}
	must(t, login(t, base, rv.Waiting[0]).post("/api/v1/revocations/"+rv.ID+"/approve", nil), http.StatusOK, &rv)
	must(t, clerk.post("/api/v1/revocations/"+rv.ID+"/issue", nil), http.StatusOK, &rv)
	if rv.Status != "issued" || rv.Document.Issued == nil {
		t.Fatalf("revocation not issued: %+v", rv)
	}
	return rv
}

// checkRevocationPDF checks an issued revocation decision with poppler: two valid
// signatures (the signer's, then the agency's seal) and the text of Điều 93.
func checkRevocationPDF(t *testing.T, pdf []byte, caFile string, want ...string) {
	t.Helper()
	pdfsig := testenv.RequireTool(t, "pdfsig", "poppler-utils")
	pdftotext := testenv.RequireTool(t, "pdftotext", "poppler-utils")
	f := filepath.Join(t.TempDir(), "revocation.pdf")
	if err := os.WriteFile(f, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	if keep := os.Getenv("AWARDFLOW_KEEP_PDF"); keep != "" {
		_ = os.WriteFile(filepath.Join(keep, "revocation.pdf"), pdf, 0o644)
	}
	out, _ := exec.Command(pdfsig, f).CombinedOutput()
	if strings.Count(string(out), "Signature is Valid.") != 2 || strings.Contains(string(out), "Digest Mismatch") {
		t.Fatalf("pdfsig of the revocation decision:\n%s", out)
	}
	checkSignedDocument(t, pdf, caFile, 2)
	txt, err := exec.Command(pdftotext, "-layout", f, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	flat := strings.Join(strings.Fields(string(txt)), " ")
	for _, w := range append([]string{"QUYẾT ĐỊNH", "huỷ bỏ quyết định khen thưởng", "Huỷ bỏ việc tặng", "Điều 93"}, want...) {
		if !strings.Contains(flat, w) {
			t.Errorf("the revocation decision lacks %q:\n%s", w, txt)
		}
	}
}

// caseNumberOf is the case number (HS-2026-0042) the API shows for a proposal.
func caseNumberOf(t *testing.T, a *api, proposalID string) string {
	t.Helper()
	var p struct {
		CaseNumber string `json:"case_number"`
	}
	must(t, a.get("/api/v1/proposals/"+proposalID), http.StatusOK, &p)
	if !strings.HasPrefix(p.CaseNumber, "HS-") {
		t.Fatalf("proposal %s has no case number: %q", proposalID, p.CaseNumber)
	}
	return p.CaseNumber
}
