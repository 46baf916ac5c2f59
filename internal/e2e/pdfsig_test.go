package e2e

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/awardflow/awardflow/internal/testenv"
)

// sigReport is one signature as pdfsig reports it.
type sigReport struct {
	Field, Validation, Certificate string
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
			case strings.HasPrefix(line, "Signature Validation:"):
				s.Validation = strings.TrimSpace(strings.TrimPrefix(line, "Signature Validation:"))
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
