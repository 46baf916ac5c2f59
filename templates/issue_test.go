package templates

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math"
	"math/big"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/awardflow/awardflow/internal/pdfsign"
	"github.com/awardflow/awardflow/internal/stamp"
)

// testPKI is a throwaway CA with two identities: the signer (a person) and the
// agency's seal (the organisation).
type testPKI struct {
	ca           *x509.Certificate
	signer, seal pdfsign.Signer
	nssdir       string
}

func newTestPKI(t *testing.T, signerName, agency string) testPKI {
	t.Helper()
	notBefore, notAfter := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), time.Now().AddDate(1, 0, 0)
	caKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	caTmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "awardflow test CA"},
		NotBefore: notBefore, NotAfter: notAfter, IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
	}
	der, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, caKey.Public(), caKey)
	if err != nil {
		t.Fatal(err)
	}
	ca, _ := x509.ParseCertificate(der)
	issue := func(serial int64, cn, org string) pdfsign.Signer {
		key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		tmpl := &x509.Certificate{
			SerialNumber: big.NewInt(serial), Subject: pkix.Name{CommonName: cn, Organization: []string{org}},
			NotBefore: notBefore, NotAfter: notAfter,
			KeyUsage:    x509.KeyUsageDigitalSignature | x509.KeyUsageContentCommitment,
			ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageEmailProtection},
		}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, key.Public(), caKey)
		if err != nil {
			t.Fatal(err)
		}
		cert, _ := x509.ParseCertificate(der)
		return pdfsign.Signer{Key: key, Cert: cert, Chain: []*x509.Certificate{ca}}
	}
	p := testPKI{ca: ca, signer: issue(2, signerName, agency), seal: issue(3, agency, agency)}
	certutil, err := exec.LookPath("certutil")
	if err != nil {
		t.Fatalf("certutil not found: install libnss3-tools: %v", err)
	}
	p.nssdir = t.TempDir()
	if out, err := exec.Command(certutil, "-d", "sql:"+p.nssdir, "-N", "--empty-password").CombinedOutput(); err != nil {
		t.Fatalf("certutil -N: %v\n%s", err, out)
	}
	caFile := filepath.Join(t.TempDir(), "ca.pem")
	os.WriteFile(caFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: ca.Raw}), 0o644)
	if out, err := exec.Command(certutil, "-d", "sql:"+p.nssdir, "-A", "-n", "ca", "-t", "CT,C,C", "-i", caFile).CombinedOutput(); err != nil {
		t.Fatalf("certutil -A: %v\n%s", err, out)
	}
	return p
}

// sealDiameterPt is the development seal's size on the page: 36 mm.
const sealDiameterPt = 36 * 72 / 25.4

// issueDocument is the lifecycle's PDF mechanics end to end: the signer signs
// the version rendered with LeaveNumberAndDate (visible: the signature image,
// name, title, time), the văn thư adds the number and the date in their slots
// (pdfsign.AddText, an incremental update), then the agency's seal signs the
// whole file (its image over the left third of the signer's).
func issueDocument(t *testing.T, pki testPKI, r Rendered, a Agency, s Signer, numberText string, signed, issued time.Time) []byte {
	t.Helper()
	ctx := context.Background()
	ap := &pdfsign.Appearance{
		Page: r.SignaturePage, Rect: r.SignatureRect, Color: [3]float64{0, 0, 0.75},
		Image: stamp.SignaturePNG(s.Name, 480, 200),
		Lines: []string{s.Name, s.Title, "Thời gian ký:", signed.Format("2006-01-02T15:04:05-07:00")},
	}
	one, err := pdfsign.Sign(ctx, r.PDF, pki.signer, pdfsign.Options{
		Name: s.Name, Reason: "Ký ban hành", Time: signed, Font: SignatureFont(), FieldName: "Signer", Appearance: ap,
	})
	if err != nil {
		t.Fatal(err)
	}
	ov, err := r.IssueOverlays(a.Place, numberText, issued)
	if err != nil {
		t.Fatal(err)
	}
	two, err := pdfsign.AddText(ctx, one, ov)
	if err != nil {
		t.Fatal(err)
	}
	sealRect, err := pdfsign.SealRect(*ap, sealDiameterPt)
	if err != nil {
		t.Fatal(err)
	}
	sealImg, err := stamp.AgencySealPNG(agencyFullName(a), 480, BoldFont())
	if err != nil {
		t.Fatal(err)
	}
	three, err := pdfsign.Sign(ctx, two, pki.seal, pdfsign.Options{
		Name: agencyFullName(a), Reason: "Văn thư cấp số, đóng dấu", Time: issued, FieldName: "AgencySeal",
		Appearance: &pdfsign.Appearance{Page: r.SignaturePage, Rect: sealRect, Image: sealImg},
	})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(two, one) || !bytes.HasPrefix(three, two) || !bytes.HasPrefix(one, r.PDF) {
		t.Fatal("an update rewrote earlier bytes")
	}
	return three
}

var pdfsigValid = regexp.MustCompile(`(?s)Signature #(\d):.*?Signer Certificate Common Name: ([^\n]*).*?Signature Validation: ([^\n]*).*?Certificate Validation: ([^\n]*)`)

// Signed by the head, then numbered, dated and sealed by the văn thư, for
// both profiles, a decision and a submission: both signatures are valid and
// trusted (pdfsig), the signer's is covered by the seal's (Verify), the
// number and the date appear once each, exactly where the header prints
// them in a document rendered with them, and the annex's reference is filled
// too. PDF 1.7 throughout.
func TestIssueSignedDocument(t *testing.T) {
	signedAt := time.Date(2026, 2, 4, 16, 20, 0, 0, vietnamTime)
	issuedAt := time.Date(2026, 2, 5, 9, 15, 0, 0, vietnamTime)
	for _, p := range []Profile{ProfileHD36, ProfileND30} {
		d := sampleDecision(p, 3)
		d.Date = issuedAt
		reference := render(t, d)
		number := d.NumberText
		d.NumberText = placeholders[p]
		r, err := RenderDecision(d, RenderOptions{CreationDate: fixedCreation, LeaveNumberAndDate: true})
		if err != nil {
			t.Fatal(err)
		}
		s := sampleSubmission(p, 2)
		s.Date = issuedAt
		subRef := renderSub(t, s)
		subNumber := s.NumberText
		s.NumberText = subPlaceholders[p]
		sr, err := RenderSubmission(s, RenderOptions{CreationDate: fixedCreation, LeaveNumberAndDate: true})
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			kind      string
			r, ref    Rendered
			number    string
			signer    Signer
			annexWant string
		}{
			{"decision", r, reference, number, d.Signer, profiles[p].annexReferenceFlat(bareNumber(number), "05/02/2026", "05-02-2026", agencyFullName(d.Agency))},
			{"submission", sr, subRef, subNumber, s.Signer, ""},
		} {
			pki := newTestPKI(t, c.signer.Name, agencyFullName(d.Agency))
			out := issueDocument(t, pki, c.r, d.Agency, c.signer, c.number, signedAt, issuedAt)
			name := string(p) + "_" + c.kind
			if dir := os.Getenv("AWARDFLOW_LOOK_DIR"); dir != "" {
				os.WriteFile(filepath.Join(dir, name+".pdf"), out, 0o644)
			}
			file := writeTemp(t, out)
			sig, err := exec.Command(popplerTool(t, "pdfsig"), "-nssdir", "sql:"+pki.nssdir, file).CombinedOutput()
			if err != nil && !bytes.Contains(sig, []byte("Signature #")) {
				t.Fatalf("pdfsig: %v\n%s", err, sig)
			}
			ms := pdfsigValid.FindAllStringSubmatch(string(sig), -1)
			if len(ms) != 2 || ms[0][2] != c.signer.Name || ms[1][2] != agencyFullName(d.Agency) {
				t.Fatalf("%s: pdfsig:\n%s", name, sig)
			}
			for _, m := range ms {
				if m[3] != "Signature is Valid." || m[4] != "Certificate is Trusted." {
					t.Errorf("%s: signature %s: %q, %q", name, m[1], m[3], m[4])
				}
			}
			roots := x509.NewCertPool()
			roots.AddCert(pki.ca)
			infos, err := pdfsign.Verify(out, roots)
			if err != nil || len(infos) != 2 || infos[0].Coverage != pdfsign.CoverageLaterSignature || infos[1].Coverage != pdfsign.CoverageWholeFile {
				t.Errorf("%s: Verify: %v %+v", name, err, infos)
			}
			all := runTool(t, "pdftotext", file, "-")
			dateLine := "Đồng Tháp, ngày 05 tháng 02 năm 2026"
			if n := strings.Count(all, c.number); n != 1 {
				t.Errorf("%s: number %q appears %d times", name, c.number, n)
			}
			if n := strings.Count(all, dateLine); n != 1 {
				t.Errorf("%s: date line appears %d times", name, n)
			}
			if c.annexWant != "" && !strings.Contains(flat(pageText(t, file, 2)), c.annexWant) {
				t.Errorf("%s: annex reference missing %q:\n%s", name, c.annexWant, flat(pageText(t, file, 2)))
			}
			// In the header position: the same words at the same places as in
			// the document rendered with its number and date.
			got, want := bboxWords(t, file, 1), bboxWords(t, writeTemp(t, c.ref.PDF), 1)
			for _, first := range []string{strings.Fields(c.number)[0], "Đồng"} {
				gw, _, _ := lineOf(t, got, first)
				ww, _, _ := lineOf(t, want, first)
				if len(gw) != len(ww) {
					t.Errorf("%s: %q line has %d words, want %d", name, first, len(gw), len(ww))
					continue
				}
				for i := range gw {
					if gw[i].text != ww[i].text || math.Abs(gw[i].x0-ww[i].x0) > 0.3 || math.Abs(gw[i].y1-ww[i].y1) > 0.3 {
						t.Errorf("%s: %q at (%.2f, %.2f), the header prints %q at (%.2f, %.2f)", name, gw[i].text, gw[i].x0, gw[i].y1, ww[i].text, ww[i].x0, ww[i].y1)
					}
				}
			}
			if info := runTool(t, "pdfinfo", file); !strings.Contains(info, "PDF version:     1.7") {
				t.Errorf("%s: not PDF 1.7 after the updates:\n%s", name, info)
			}
		}
	}
}

// The lifecycle renders the signer's version with no NumberText at all; the
// blanks must still take the longest number the register gives (four digits,
// either profile's order of "QĐ" and the agency's code), or the văn thư's step
// would fail after the signer has signed.
func TestSlotsFitLongNumbersWithoutPlaceholder(t *testing.T) {
	date := time.Date(2026, 12, 28, 9, 0, 0, 0, vietnamTime)
	for _, p := range []Profile{ProfileHD36, ProfileND30} {
		d := sampleDecision(p, 2)
		d.NumberText = ""
		r, err := RenderDecision(d, RenderOptions{CreationDate: fixedCreation, LeaveNumberAndDate: true})
		if err != nil {
			t.Fatal(err)
		}
		if len(r.TextSlots) != 3 {
			t.Fatalf("%s: slots %+v", p, r.TextSlots)
		}
		for _, n := range []string{"Số 1234-QĐ/" + d.Agency.Code, "Số: 1234/QĐ-" + d.Agency.Code} {
			ov, err := r.IssueOverlays(d.Agency.Place, n, date)
			if err != nil {
				t.Fatal(err)
			}
			out, err := pdfsign.AddText(context.Background(), r.PDF, ov)
			if err != nil {
				t.Fatalf("%s %q: %v", p, n, err)
			}
			want := "số " + bareNumber(n) + " ngày 28/12/2026"
			if p == ProfileHD36 { // conventions.go: "số 05-QĐ/BTGTU, ngày 28-12-2026"
				want = "số " + bareNumber(n) + ", ngày 28-12-2026"
			}
			if f := flat(pageText(t, writeTemp(t, out), 2)); !strings.Contains(f, want) {
				t.Errorf("%s: annex reference:\n%s", p, f)
			}
		}
	}
}
