package keyring

import (
	"bytes"
	"crypto/x509"
	"encoding/asn1"
	"encoding/pem"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/jung-kurt/gofpdf"

	"github.com/awardflow/awardflow/internal/orgconfig"
	"github.com/awardflow/awardflow/internal/testenv"
)

func demoOrg(t testing.TB) *orgconfig.Org {
	t.Helper()
	org, err := orgconfig.Demo()
	if err != nil {
		t.Fatal(err)
	}
	return org
}

func quietDev(t testing.TB, pki string, org *orgconfig.Org) *Dev {
	t.Helper()
	d, err := NewDev(pki, org, DevOptions{Log: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// onePagePDF is a small document with Vietnamese text.
func onePagePDF(t testing.TB) []byte {
	t.Helper()
	font, err := os.ReadFile("../../templates/fonts/LiberationSerif-Regular.ttf")
	if err != nil {
		t.Fatal(err)
	}
	pdf := gofpdf.New("P", "mm", "A4", "")
	pdf.AddUTF8FontFromBytes("Serif", "", font)
	pdf.SetFont("Serif", "", 14)
	pdf.AddPage()
	pdf.MultiCell(0, 8, "BIÊN BẢN họp Hội đồng Thi đua - Khen thưởng", "", "L", false)
	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// attribute is one AttributeTypeAndValue of a name with its raw value (tag kept).
type attribute struct {
	Type  asn1.ObjectIdentifier
	Value asn1.RawValue
}

// rawAttributes lists a DER Name's attributes with their ASN.1 string tags.
func rawAttributes(t *testing.T, der []byte) []attribute {
	t.Helper()
	var rdns []asn1.RawValue
	if rest, err := asn1.Unmarshal(der, &rdns); err != nil || len(rest) != 0 {
		t.Fatalf("name: %v", err)
	}
	var out []attribute
	for _, rdn := range rdns {
		var set []attribute
		if _, err := asn1.UnmarshalWithParams(rdn.FullBytes, &set, "set"); err != nil {
			t.Fatalf("RDN: %v", err)
		}
		out = append(out, set...)
	}
	return out
}

// nssDB is a temporary NSS database that trusts ca.
func nssDB(t *testing.T, ca *x509.Certificate) string {
	t.Helper()
	bin := testenv.RequireTool(t, "certutil", "libnss3-tools")
	dir := t.TempDir()
	if out, err := exec.Command(bin, "-d", "sql:"+dir, "-N", "--empty-password").CombinedOutput(); err != nil {
		t.Fatalf("certutil -N: %v\n%s", err, out)
	}
	caFile := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(caFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: ca.Raw}), 0o600); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(bin, "-d", "sql:"+dir, "-A", "-n", "ca", "-t", "CT,C,C", "-i", caFile).CombinedOutput(); err != nil {
		t.Fatalf("certutil -A: %v\n%s", err, out)
	}
	return dir
}

type pdfsigSig struct{ Name, Valid, Trust string }

var sigHeader = regexp.MustCompile(`(?m)^Signature #\d+:`)

// pdfsig runs poppler's pdfsig against an NSS database and parses each signature.
func pdfsig(t *testing.T, pdf []byte, nssdir string) (string, []pdfsigSig) {
	t.Helper()
	bin := testenv.RequireTool(t, "pdfsig", "poppler-utils")
	file := filepath.Join(t.TempDir(), "signed.pdf")
	if err := os.WriteFile(file, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "-nssdir", "sql:"+nssdir, file)
	cmd.Env = append(os.Environ(), "LANG=C.UTF-8")
	out, err := cmd.CombinedOutput()
	text := string(out)
	if err != nil && !strings.Contains(text, "Signature #") {
		t.Fatalf("pdfsig: %v\n%s", err, text)
	}
	var sigs []pdfsigSig
	locs := sigHeader.FindAllStringIndex(text, -1)
	for i, l := range locs {
		end := len(text)
		if i+1 < len(locs) {
			end = locs[i+1][0]
		}
		get := func(prefix string) string {
			for _, line := range strings.Split(text[l[0]:end], "\n") {
				if v, ok := strings.CutPrefix(strings.TrimSpace(line), prefix); ok {
					return strings.TrimSpace(v)
				}
			}
			return ""
		}
		sigs = append(sigs, pdfsigSig{get("- Signer Certificate Common Name:"), get("- Signature Validation:"), get("- Certificate Validation:")})
	}
	return text, sigs
}
