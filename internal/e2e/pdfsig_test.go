package e2e

import (
	"bytes"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/awardflow/awardflow/internal/testenv"
)

// sigReport is one signature as pdfsig reports it.
type sigReport struct {
	Field, Validation, Certificate string
	Signer                         string // the certificate's common name
	Whole                          bool   // "Total document signed" (not "Not total document signed")
}

var sigHeader = regexp.MustCompile(`(?m)^Signature #\d+:`)

// pdfsigReport runs pdfsig with an NSS database that trusts the dev CA and parses its
// text (pdfsig exits 0 even on a digest mismatch, so its exit code says nothing).
func pdfsigReport(t *testing.T, pdf, caFile string) []sigReport {
	t.Helper()
	pdfsig := testenv.RequireTool(t, "pdfsig", "poppler-utils")
	certutil := testenv.RequireTool(t, "certutil", "libnss3-tools")
	db := t.TempDir()
	if out, err := exec.Command(certutil, "-d", "sql:"+db, "-N", "--empty-password").CombinedOutput(); err != nil {
		t.Fatalf("certutil -N: %v\n%s", err, out)
	}
	if out, err := exec.Command(certutil, "-d", "sql:"+db, "-A", "-n", "awardflow-dev-ca", "-t", "CT,C,C", "-i", caFile).CombinedOutput(); err != nil {
		t.Fatalf("certutil -A: %v\n%s", err, out)
	}
	out, _ := exec.Command(pdfsig, "-nssdir", "sql:"+db, pdf).CombinedOutput()
	text := string(out)
	var sigs []sigReport
	idx := sigHeader.FindAllStringIndex(text, -1)
	for i, loc := range idx {
		end := len(text)
		if i+1 < len(idx) {
			end = idx[i+1][0]
		}
		block := text[loc[0]:end]
		s := sigReport{}
		for _, line := range strings.Split(block, "\n") {
			line = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(line), "- "))
			switch {
			case strings.HasPrefix(line, "Signature Field Name:"):
				s.Field = strings.TrimSpace(strings.TrimPrefix(line, "Signature Field Name:"))
			case strings.HasPrefix(line, "Signer Certificate Common Name:"):
				s.Signer = strings.TrimSpace(strings.TrimPrefix(line, "Signer Certificate Common Name:"))
			case strings.HasPrefix(line, "Signature Validation:"):
				s.Validation = strings.TrimSpace(strings.TrimPrefix(line, "Signature Validation:"))
			case line == "Total document signed":
				s.Whole = true
			case strings.HasPrefix(line, "Certificate Validation:"):
				s.Certificate = strings.TrimSpace(strings.TrimPrefix(line, "Certificate Validation:"))
			}
		}
		sigs = append(sigs, s)
	}
	if len(sigs) == 0 {
		t.Fatalf("pdfsig found no signature:\n%s", text)
	}
	return sigs
}

// checkSigners asserts who signed, in order, by the certificates' common names: each
// person with their own certificate, the agency's seal last.
func checkSigners(t *testing.T, pdf []byte, caFile string, names ...string) {
	t.Helper()
	f := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(f, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, s := range pdfsigReport(t, f, caFile) {
		got = append(got, s.Signer)
	}
	if !slices.Equal(got, names) {
		t.Errorf("signed by %q, want %q", got, names)
	}
}

// checkSignedDocument asserts that every signature is valid and trusted, that there are
// want of them, and that changing one byte of the signed range makes pdfsig say so.
func checkSignedDocument(t *testing.T, pdf []byte, caFile string, want int) {
	t.Helper()
	dir := t.TempDir()
	f := filepath.Join(dir, "doc.pdf")
	if err := os.WriteFile(f, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	sigs := pdfsigReport(t, f, caFile)
	if len(sigs) != want {
		t.Fatalf("%d signatures, want %d: %+v", len(sigs), want, sigs)
	}
	for _, s := range sigs {
		if s.Validation != "Signature is Valid." || s.Certificate != "Certificate is Trusted." {
			t.Fatalf("signature %s: %q / %q", s.Field, s.Validation, s.Certificate)
		}
	}
	// Change one byte of page content, well inside the first signed range.
	i := bytes.Index(pdf, []byte("stream\n"))
	if i < 0 {
		t.Fatal("no content stream found")
	}
	tampered := bytes.Clone(pdf)
	tampered[i+20] ^= 0x01
	tf := filepath.Join(dir, "tampered.pdf")
	_ = os.WriteFile(tf, tampered, 0o600)
	for _, s := range pdfsigReport(t, tf, caFile) {
		if s.Validation == "Signature is Valid." {
			t.Fatalf("tampered file still valid for %s", s.Field)
		}
	}
}

// verifyReport is the answer of POST /api/v1/verify, as far as these tests read it.
type verifyReport struct {
	AllValid  bool   `json:"all_valid"`
	Summary   string `json:"summary"`
	SummaryEN string `json:"summary_en"`
	Issued    *struct {
		DocumentID string `json:"document_id"`
		Revokes    string `json:"revokes"`
	} `json:"issued"`
	Signatures []struct {
		Field           string `json:"field"`
		Intact          bool   `json:"intact"`
		Trusted         bool   `json:"trusted"`
		CoversWholeFile bool   `json:"covers_whole_file"`
		Coverage        string `json:"coverage"`
		CoverageLabel   string `json:"coverage_label"`
		Error           string `json:"error"`
		ErrorEN         string `json:"error_en"`
	} `json:"signatures"`
}

// checkAppendedEdit appends an unsigned incremental update (a new /Title) after the last
// signature of an issued document and checks that the server, the CLI's library and
// pdfsig all say so: the file as issued is valid with only the last signature reaching
// the end; the edited one is not valid, every signature is intact and trusted but
// covers_whole_file=false and coverage=unsigned_changes, with a Vietnamese reason that
// names the edit (never "a later signature"), and pdfsig reports "Not total document
// signed" for each.
func checkAppendedEdit(t *testing.T, c *api, pdf []byte, caFile string, want int) {
	t.Helper()
	var rep verifyReport
	must(t, c.do(http.MethodPost, "/api/v1/verify", bytes.NewReader(pdf)), http.StatusOK, &rep)
	if !rep.AllValid || len(rep.Signatures) != want {
		t.Fatalf("as issued: %+v", rep)
	}
	for i, s := range rep.Signatures {
		last := i == want-1
		if s.CoversWholeFile != last || (last && s.Coverage != "whole_file") || (!last && s.Coverage != "later_signature") || s.Error != "" {
			t.Errorf("as issued, signature %d: %+v", i+1, s)
		}
	}
	edited, err := testenv.AppendInfoUpdate(pdf, "Quyết định đã sửa")
	if err != nil {
		t.Fatal(err)
	}
	rep = verifyReport{}
	must(t, c.do(http.MethodPost, "/api/v1/verify", bytes.NewReader(edited)), http.StatusOK, &rep)
	if rep.AllValid || rep.Issued != nil || len(rep.Signatures) != want ||
		!strings.Contains(rep.Summary, "sửa đổi sau khi ký") || !strings.Contains(rep.SummaryEN, "changed after signing") {
		t.Fatalf("edited after the last signature: %+v", rep)
	}
	for i, s := range rep.Signatures {
		if !s.Intact || !s.Trusted || s.CoversWholeFile || s.Coverage != "unsigned_changes" ||
			!strings.HasPrefix(s.Error, "Tệp đã bị sửa đổi sau khi ký") || !strings.Contains(s.ErrorEN, "changed after signing") ||
			!strings.Contains(s.CoverageLabel, "sửa đổi sau khi ký") {
			t.Errorf("edited, signature %d: %+v", i+1, s)
		}
		for _, txt := range []string{s.Error, s.ErrorEN, s.CoverageLabel} {
			if strings.Contains(txt, "chữ ký thêm sau") || strings.Contains(txt, "later signature") {
				t.Errorf("edited, signature %d: the edit explained as a later signature: %q", i+1, txt)
			}
		}
	}
	f := filepath.Join(t.TempDir(), "edited.pdf")
	if err := os.WriteFile(f, edited, 0o600); err != nil {
		t.Fatal(err)
	}
	sigs := pdfsigReport(t, f, caFile)
	if len(sigs) != want {
		t.Fatalf("pdfsig: %d signatures, want %d", len(sigs), want)
	}
	for _, s := range sigs {
		if s.Whole || s.Validation != "Signature is Valid." {
			t.Errorf("pdfsig on the edited file, %s: whole=%v %q", s.Field, s.Whole, s.Validation)
		}
	}
}
