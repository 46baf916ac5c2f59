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
	"testing"
	"time"
)

// fuzzSigner is a fast ECDSA identity so Sign can run on every fuzz input.
func fuzzSigner(t testing.TB) Signer {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "fuzz"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	if err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	return Signer{Key: key, Cert: cert}
}

// FuzzParse feeds arbitrary bytes to the PDF parser, Verify and Sign: they
// may return errors but must never panic or hang.
//
//	go test ./internal/pdfsign -run '^$' -fuzz FuzzParse -fuzztime 60s
func FuzzParse(f *testing.F) {
	s := fuzzSigner(f)
	// Seeds stay small: with multi-kilobyte seeds (a gofpdf page, a signed
	// file) the Go fuzz coordinator stalls reporting progress. The full-size
	// files are covered by TestParseRealFiles instead.
	tiny := []byte(tinyPDF)
	signed, err := Sign(context.Background(), tiny, s, Options{Time: signTime})
	if err != nil {
		f.Fatal(err)
	}
	f.Add(tiny)
	f.Add(shrinkContents(signed))
	f.Add(toXrefStream(f, tiny))
	f.Add([]byte("xref\n0 1\n0000000000 65535 f \ntrailer<</Root 1 0 R/Prev 0>>startxref\n0\n%%EOF"))
	f.Add([]byte("1 0 obj<</Type/XRef/W[1 2 1]/Size 3/Length 1 0 R>>stream\n\x01\x00\x00\x00\nendstream endobj startxref 0"))
	f.Add([]byte("<</A [[[[[[(\\(nested\\)) <414>]]]]]] /B#20x 1.5 /C -3 0 R>>"))
	f.Fuzz(func(t *testing.T, data []byte) {
		doc, err := parseDocument(data)
		if err != nil {
			return
		}
		_, _ = doc.pages()
		_, _ = Verify(data, nil)
		out, err := Sign(context.Background(), data, s, Options{Time: signTime})
		if err != nil {
			return
		}
		// Whatever we accepted and signed must verify as intact.
		infos, err := Verify(out, nil)
		if err != nil {
			t.Fatalf("Verify of our own output: %v", err)
		}
		ok := false
		for _, in := range infos {
			if in.Intact && in.CoversWholeFile {
				ok = true
			}
		}
		if !ok {
			t.Fatalf("our signature not found intact in output: %+v", infos)
		}
	})
}

// FuzzLexer targets the object lexer alone, which sees the most syntax.
func FuzzLexer(f *testing.F) {
	f.Add([]byte("<</Type/Sig/Contents<00ff>/ByteRange[0 1 2 3]/M(D:2026\\051)>>"))
	f.Add([]byte("[1 0 R 2 0 obj -0.5 .5 true false null /N#41me (a\\\nb\\101)]"))
	f.Fuzz(func(t *testing.T, data []byte) {
		l := &lexer{b: data}
		for i := 0; i < 1000 && l.pos < len(data); i++ {
			before := l.pos
			if _, err := l.parseObject(0); err != nil {
				l.pos = before + 1
			}
		}
	})
}

// tinyPDF is a minimal one-page document with an indirect /Annots array.
const tinyPDF = "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n" +
	"3 0 obj<</Type/Page/Parent 2 0 R/Annots 4 0 R/MediaBox[0 0 200 200]>>endobj\n4 0 obj[]endobj\n" +
	"xref\n0 5\n0000000000 65535 f \n0000000009 00000 n \n0000000052 00000 n \n0000000101 00000 n \n0000000177 00000 n \n" +
	"trailer<</Size 5/Root 1 0 R>>\nstartxref\n193\n%%EOF\n"

// shrinkContents drops the zero padding of /Contents (keeping the file
// structurally a signed PDF, offsets aside) so the seed stays small.
func shrinkContents(b []byte) []byte {
	i := bytes.Index(b, []byte("0000000000000000>"))
	j := bytes.LastIndex(b[:i+1], []byte("<"))
	if i < 0 || j < 0 {
		return b
	}
	end := i
	for end < len(b) && b[end] == '0' {
		end++
	}
	return append(append(bytes.Clone(b[:i]), '0', '0'), b[end:]...)
}
