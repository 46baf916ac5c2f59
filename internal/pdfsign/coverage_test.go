package pdfsign

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	mrand "math/rand/v2"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/awardflow/awardflow/internal/testenv"
)

// signedThrice is the minutes' shape: the chair, the council secretary, then the seal.
func signedThrice(t testing.TB) []byte {
	t.Helper()
	s, _, _ := testSigner(t)
	one, err := Sign(context.Background(), makePDF(t, 2), s, Options{Name: "Chủ tịch", Time: signTime, FieldName: "Chair"})
	if err != nil {
		t.Fatal(err)
	}
	two, err := Sign(context.Background(), one, secretarySigner(t), Options{Name: "Thư ký", Time: signTime, FieldName: "Secretary"})
	if err != nil {
		t.Fatal(err)
	}
	three, err := Sign(context.Background(), two, testSealSigner(t), Options{Name: "Dấu", Time: signTime, FieldName: "AgencySeal"})
	if err != nil {
		t.Fatal(err)
	}
	return three
}

// secretarySigner is a third identity issued by the dev CA (pdfsig 22.12 mis-reports
// a certificate that signs twice, see TestSameCertificateTwice).
func secretarySigner(t testing.TB) Signer {
	t.Helper()
	_, ca, dir := testSigner(t)
	caS, err := LoadPEM(filepath.Join(dir, "ca.pem"), filepath.Join(dir, "ca-key.pem"))
	if err != nil {
		t.Fatal(err)
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(time.Now().UnixNano()),
		Subject:      pkix.Name{CommonName: "Thư ký Hội đồng"},
		NotBefore:    ca.NotBefore, NotAfter: ca.NotAfter,
		KeyUsage:    x509.KeyUsageDigitalSignature | x509.KeyUsageContentCommitment,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageEmailProtection},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, key.Public(), caS.Key)
	if err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	return Signer{Key: key, Cert: cert, Chain: []*x509.Certificate{ca}}
}

func testRoots(t testing.TB) *x509.CertPool {
	_, ca, _ := testSigner(t)
	roots := x509.NewCertPool()
	roots.AddCert(ca)
	return roots
}

// signedDocs are the two shapes the service issues: a decision (signer + seal) and
// minutes (chair + secretary + seal).
func signedDocs(t *testing.T) map[string][]byte {
	_, _, two := signedTwice(t)
	return map[string][]byte{"decision": two, "minutes": signedThrice(t)}
}

// appendAnnotation appends an unsigned incremental update that adds a new object (a
// FreeText annotation with visible text) to page 1: the classic "edit after signing".
func appendAnnotation(t testing.TB, pdf []byte) []byte {
	t.Helper()
	doc, err := parseDocument(pdf)
	if err != nil {
		t.Fatal(err)
	}
	pages, err := doc.pages()
	if err != nil {
		t.Fatal(err)
	}
	w := newWriter(doc)
	n := w.alloc()
	w.put(Ref{n, 0}, Dict{"Type": Name("Annot"), "Subtype": Name("FreeText"), "Rect": Array{50.0, 700.0, 400.0, 760.0},
		"Contents": textString("Số tiền thưởng: 100.000.000 đồng"), "DA": String("/Helv 12 Tf 0 g")})
	page := w.dict(pages[0])
	annots, _ := w.resolve(page["Annots"]).(Array)
	page["Annots"] = append(append(Array(nil), annots...), Ref{n, 0})
	w.put(pages[0], page)
	out, _ := w.finish(pdf)
	return out
}

// appendedEdits are the suffixes an attacker can append after the last signature.
func appendedEdits(t *testing.T, pdf []byte) map[string][]byte {
	t.Helper()
	title, err := testenv.AppendInfoUpdate(pdf, "Quyết định đã sửa")
	if err != nil {
		t.Fatal(err)
	}
	return map[string][]byte{
		"new /Title (incremental update)":     title,
		"new annotation (incremental update)": appendAnnotation(t, pdf),
		"bytes after %%EOF":                   append(bytes.Clone(pdf), "junk"...),
		"a comment line":                      append(bytes.Clone(pdf), "% edited\n"...),
		"whitespace then a byte":              append(bytes.Clone(pdf), "\n\n x"...),
		"a second %%EOF":                      append(bytes.Clone(pdf), "%%EOF\n"...),
		"an update, then a trailing newline":  append(bytes.Clone(title), '\n'),
		"an empty update (xref and trailer)":  emptyUpdate(t, pdf),
	}
}

// emptyUpdate appends an update section that changes no object.
func emptyUpdate(t testing.TB, pdf []byte) []byte {
	doc, err := parseDocument(pdf)
	if err != nil {
		t.Fatal(err)
	}
	out, _ := newWriter(doc).finish(pdf)
	return out
}

func TestSignedDocumentCoverage(t *testing.T) {
	roots := testRoots(t)
	for name, pdf := range signedDocs(t) {
		infos, err := Verify(pdf, roots)
		if err != nil {
			t.Fatal(err)
		}
		for i, in := range infos {
			last := i == len(infos)-1
			want := CoverageLaterSignature
			if last {
				want = CoverageWholeFile
			}
			if in.Coverage != want || in.CoversWholeFile != last || in.UnsignedBytes != 0 || len(in.Problems) != 0 || in.Err != "" {
				t.Errorf("%s signature %d (%s): coverage %q whole %v unsigned %d problems %+v", name, i+1, in.Field,
					in.Coverage, in.CoversWholeFile, in.UnsignedBytes, in.Problems)
			}
		}
	}
}

func TestAppendedEditIsAnUnsignedChange(t *testing.T) {
	roots := testRoots(t)
	for name, pdf := range signedDocs(t) {
		for edit, bad := range appendedEdits(t, pdf) {
			t.Run(name+"/"+edit, func(t *testing.T) {
				infos, err := Verify(bad, roots)
				if err != nil {
					t.Fatalf("Verify: %v", err)
				}
				if want := strings.Count(name, "minutes")*3 + strings.Count(name, "decision")*2; len(infos) != want {
					t.Fatalf("%d signatures, want %d", len(infos), want)
				}
				for i, in := range infos {
					// The signed bytes themselves are untouched: each signature is intact
					// and trusted, but none covers what was appended.
					if !in.Intact || !in.Chained {
						t.Errorf("signature %d: intact %v chained %v", i+1, in.Intact, in.Chained)
					}
					if in.Coverage != CoverageUnsignedChanges || in.CoversWholeFile || in.UnsignedBytes <= 0 {
						t.Errorf("signature %d: coverage %q whole %v unsigned bytes %d", i+1, in.Coverage, in.CoversWholeFile, in.UnsignedBytes)
					}
					checkUnsignedChangeProblem(t, in)
				}
			})
		}
	}
}

// checkUnsignedChangeProblem: the reason names the edit after signing, in Vietnamese
// first, and never blames "a later signature".
func checkUnsignedChangeProblem(t *testing.T, in SignatureInfo) {
	t.Helper()
	var p *Problem
	for i := range in.Problems {
		if in.Problems[i].Code == ProblemUnsignedChanges {
			p = &in.Problems[i]
		}
	}
	if p == nil {
		t.Fatalf("%s: no %s problem in %+v", in.Field, ProblemUnsignedChanges, in.Problems)
	}
	if !strings.Contains(p.VI, "sửa đổi sau khi ký") || !strings.Contains(p.EN, "changed after signing") {
		t.Errorf("%s: reason %+v", in.Field, p)
	}
	for _, s := range []string{p.VI, p.EN} {
		if strings.Contains(strings.ToLower(s), "chữ ký thêm sau") || strings.Contains(strings.ToLower(s), "later signature") {
			t.Errorf("%s: an appended edit explained as a later signature: %q", in.Field, s)
		}
	}
	if !strings.Contains(in.ErrVI, p.VI) || !strings.Contains(in.Err, p.EN) {
		t.Errorf("%s: ErrVI %q / Err %q lack the reason", in.Field, in.ErrVI, in.Err)
	}
}

// The appended /Title really changes what a reader shows: the attack is not a no-op
// that our parser happens to ignore.
func TestAppendInfoUpdateChangesTheTitle(t *testing.T) {
	_, _, two := signedTwice(t)
	edited, err := testenv.AppendInfoUpdate(two, "Quyết định đã sửa")
	if err != nil {
		t.Fatal(err)
	}
	doc, err := parseDocument(edited)
	if err != nil {
		t.Fatal(err)
	}
	if got := decodeTextString(doc.dict(doc.trailer["Info"])["Title"].(String)); got != "Quyết định đã sửa" {
		t.Fatalf("title after the update: %q", got)
	}
}

// Whitespace after the last %%EOF cannot define or change any object (PDF white-space
// per ISO 32000-1 7.2.2: NUL, HT, LF, FF, CR, SP), and file transfers add it (a final
// newline). It is tolerated: the report is the same as without it. pdfsig is stricter
// here ("Not total document signed"), see TestCoverageAgreesWithPdfsig.
func TestTrailingWhitespaceIsTolerated(t *testing.T) {
	roots := testRoots(t)
	for name, pdf := range signedDocs(t) {
		for _, ws := range []string{"\n", "\r\n", " ", "\x00", "\t\f\r\n \x00\n\n"} {
			infos, err := Verify(append(bytes.Clone(pdf), ws...), roots)
			if err != nil {
				t.Fatal(err)
			}
			last := infos[len(infos)-1]
			if last.Coverage != CoverageWholeFile || !last.CoversWholeFile || last.Err != "" {
				t.Errorf("%s + %q: last signature %+v", name, ws, last)
			}
			if first := infos[0]; first.Coverage != CoverageLaterSignature || first.Err != "" {
				t.Errorf("%s + %q: first signature %+v", name, ws, first)
			}
		}
	}
}

// A later signature covers the bytes before it only if it is valid: an editor who
// signs the edit with a key of their own does not make it a signed change.
func TestEditSignedByAnUntrustedKey(t *testing.T) {
	roots := testRoots(t)
	_, _, two := signedTwice(t)
	edited, err := testenv.AppendInfoUpdate(two, "sửa")
	if err != nil {
		t.Fatal(err)
	}
	resigned, err := Sign(context.Background(), edited, fuzzSigner(t), Options{Time: signTime, FieldName: "Editor"})
	if err != nil {
		t.Fatal(err)
	}
	infos, err := Verify(resigned, roots)
	if err != nil || len(infos) != 3 {
		t.Fatalf("Verify: %v, %d signatures", err, len(infos))
	}
	for _, in := range infos[:2] {
		if in.Coverage != CoverageUnsignedChanges {
			t.Errorf("%s: coverage %q", in.Field, in.Coverage)
		}
		checkUnsignedChangeProblem(t, in)
	}
	if ed := infos[2]; ed.Coverage != CoverageWholeFile || ed.Chained || !ed.Intact {
		t.Errorf("editor's signature: %+v", ed)
	}
	// Without trust roots (the CLI without --ca) only intactness can be checked, and
	// the editor's signature then covers the edit: trust is what tells them apart.
	infos, _ = Verify(resigned, nil)
	if infos[0].Coverage != CoverageLaterSignature {
		t.Errorf("no roots: %+v", infos[0])
	}
}

// A change that a later valid signature covers is that signer's signed change (the
// seal's own update is one): the earlier signature is reported as covered by it.
func TestChangeCoveredByALaterValidSignature(t *testing.T) {
	roots := testRoots(t)
	s, _, _ := testSigner(t)
	one, err := Sign(context.Background(), makePDF(t, 1), s, Options{Time: signTime})
	if err != nil {
		t.Fatal(err)
	}
	edited, err := testenv.AppendInfoUpdate(one, "đổi tên trước khi đóng dấu")
	if err != nil {
		t.Fatal(err)
	}
	sealed, err := Sign(context.Background(), edited, testSealSigner(t), Options{Time: signTime})
	if err != nil {
		t.Fatal(err)
	}
	infos, err := Verify(sealed, roots)
	if err != nil || len(infos) != 2 {
		t.Fatalf("Verify: %v %d", err, len(infos))
	}
	if infos[0].Coverage != CoverageLaterSignature || infos[1].Coverage != CoverageWholeFile || infos[0].Err != "" {
		t.Errorf("coverage %+v", infos)
	}
}

// Property: whatever bytes are appended after the last signature, the document is
// never reported valid unless they are all white-space. Random suffixes of random
// lengths from several alphabets (binary, PDF syntax, white-space with one stray byte).
func TestAnySuffixAfterTheLastSignature(t *testing.T) {
	roots := testRoots(t)
	docs := signedDocs(t)
	rng := mrand.New(mrand.NewPCG(6, 14))
	alphabets := []string{
		"", // any byte
		"0123456789 obj endobj<<>>/R\n%EOF xref trailer startxref",
		" \t\r\n\f\x00",  // white-space only: tolerated
		" \t\r\n\f\x00x", // white-space with a stray byte
	}
	checked := 0
	for i := 0; i < 400; i++ {
		name := "decision"
		if i%2 == 1 {
			name = "minutes"
		}
		pdf := docs[name]
		alpha := alphabets[i%len(alphabets)]
		suffix := make([]byte, 1+rng.IntN(200))
		for j := range suffix {
			if alpha == "" {
				suffix[j] = byte(rng.IntN(256))
			} else {
				suffix[j] = alpha[rng.IntN(len(alpha))]
			}
		}
		if checkSuffix(t, pdf, suffix, roots) {
			checked++
		}
	}
	if checked < 390 {
		t.Fatalf("only %d of 400 files could be read: the property was barely tested", checked)
	}
}

// checkSuffix checks the property for one suffix and reports whether the file could be
// read at all.
func checkSuffix(t *testing.T, pdf, suffix []byte, roots *x509.CertPool) bool {
	t.Helper()
	onlyWhite := len(bytes.TrimLeft(suffix, " \t\r\n\f\x00")) == 0
	infos, err := Verify(append(bytes.Clone(pdf), suffix...), roots)
	if err != nil {
		return false // unreadable is a refusal too
	}
	if len(infos) == 0 {
		t.Fatalf("suffix %q: no signature found", suffix)
	}
	for _, in := range infos {
		if onlyWhite && in.Err != "" {
			t.Fatalf("white-space suffix %q: %s: %s", suffix, in.Field, in.Err)
		}
		if !onlyWhite && in.Coverage != CoverageUnsignedChanges {
			t.Fatalf("suffix %q: %s reported %q", suffix, in.Field, in.Coverage)
		}
	}
	return true
}

// FuzzSuffixAfterLastSignature runs the same property on fuzzed suffixes:
//
//	go test ./internal/pdfsign -run '^$' -fuzz FuzzSuffixAfterLastSignature -fuzztime 60s
func FuzzSuffixAfterLastSignature(f *testing.F) {
	for _, s := range []string{"\n", "x", "%%EOF\n", "\x00\x00", "1 0 obj<<>>endobj\n", " \r\n\t\f"} {
		f.Add([]byte(s))
	}
	_, _, two := signedTwice(f)
	roots := testRoots(f)
	f.Fuzz(func(t *testing.T, suffix []byte) {
		if len(suffix) == 0 {
			return
		}
		_ = checkSuffix(t, two, suffix, roots)
	})
}

// TestCoverageAgreesWithPdfsig compares CoversWholeFile with pdfsig's "Total document
// signed" line, signature by signature, on the issued shapes and on appended edits. The
// one documented difference: a white-space-only tail, which pdfsig counts as unsigned.
func TestCoverageAgreesWithPdfsig(t *testing.T) {
	_, ca, _ := testSigner(t)
	db := nssDB(t, ca)
	roots := testRoots(t)
	for name, pdf := range signedDocs(t) {
		cases := map[string][]byte{"as issued": pdf}
		for edit, bad := range appendedEdits(t, pdf) {
			cases[edit] = bad
		}
		cases["trailing newline"] = append(bytes.Clone(pdf), '\n')
		for c, file := range cases {
			text, sigs := runPdfsig(t, writeTemp(t, "doc.pdf", file), db)
			infos, err := Verify(file, roots)
			if err != nil {
				t.Fatal(err)
			}
			if len(sigs) != len(infos) {
				t.Fatalf("%s/%s: pdfsig %d signatures, Verify %d\n%s", name, c, len(sigs), len(infos), text)
			}
			for i := range sigs {
				pdfsigWhole := strings.Contains(sigBlock(text, i), "- Total document signed")
				want := pdfsigWhole
				if c == "trailing newline" && i == len(sigs)-1 {
					want = true // our documented tolerance
					if pdfsigWhole {
						t.Errorf("pdfsig now accepts a trailing newline: update the comment above")
					}
				}
				if infos[i].CoversWholeFile != want {
					t.Errorf("%s/%s signature %d: CoversWholeFile %v, pdfsig says whole=%v\n%s", name, c, i+1, infos[i].CoversWholeFile, pdfsigWhole, text)
				}
				if sigs[i].Valid != "Signature is Valid." || sigs[i].Trust != "Certificate is Trusted." {
					t.Errorf("%s/%s signature %d: pdfsig %q / %q", name, c, i+1, sigs[i].Valid, sigs[i].Trust)
				}
			}
		}
	}
}

// sigBlock is the text of the i-th "Signature #n:" block of pdfsig's output.
func sigBlock(text string, i int) string {
	locs := sigHeader.FindAllStringIndex(text, -1)
	end := len(text)
	if i+1 < len(locs) {
		end = locs[i+1][0]
	}
	return text[locs[i][0]:end]
}
