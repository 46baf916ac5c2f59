package pdfsign

import (
	"crypto/x509"
	"encoding/hex"
	"strings"
	"testing"
	"time"

	"github.com/smallstep/pkcs7"
)

func TestVerifyTwoSignatures(t *testing.T) {
	_, ca, _ := testSigner(t)
	seal := testSealSigner(t)
	in, one, two := signedTwice(t)
	roots := x509.NewCertPool()
	roots.AddCert(ca)

	infos, err := Verify(two, roots)
	if err != nil {
		t.Fatal(err)
	}
	if len(infos) != 2 {
		t.Fatalf("Verify found %d signatures, want 2", len(infos))
	}
	// The name comes from the certificate; the /Name each signature wrote is only a claim.
	want := []struct {
		field, name, claimed, cn string
		at                       time.Time
		whole                    bool
	}{
		{"Signature1", "Sở Nội vụ tỉnh Thử nghiệm (dev signer) (Sở Nội vụ tỉnh Thử nghiệm)", "Nguyễn Thị Hồng Đào", "Sở Nội vụ tỉnh Thử nghiệm (dev signer)", signTime, false},
		{"Signature2", "Sở Nội vụ tỉnh Thử nghiệm (dấu) (Sở Nội vụ tỉnh Thử nghiệm)", "Sở Nội vụ tỉnh Thử nghiệm", seal.Cert.Subject.CommonName, signTime.Add(2 * time.Hour), true},
	}
	for i, w := range want {
		g := infos[i]
		if !g.Intact || !g.Chained || g.Err != "" {
			t.Errorf("signature %d: intact=%v chained=%v err=%q", i+1, g.Intact, g.Chained, g.Err)
		}
		if g.Field != w.field || g.Name != w.name || g.ClaimedName != w.claimed || g.Cert.Subject.CommonName != w.cn || g.SubFilter != SubFilterCAdES {
			t.Errorf("signature %d: got field %q name %q claimed %q cn %q subfilter %q", i+1, g.Field, g.Name, g.ClaimedName, g.Cert.Subject.CommonName, g.SubFilter)
		}
		if !g.SigningTime.Equal(w.at) || g.CoversWholeFile != w.whole {
			t.Errorf("signature %d: time %v (want %v) whole %v (want %v)", i+1, g.SigningTime, w.at, g.CoversWholeFile, w.whole)
		}
	}

	// Without roots the signatures are intact but not chained.
	infos, _ = Verify(two, nil)
	if !infos[0].Intact || infos[0].Chained {
		t.Errorf("nil roots: %+v", infos[0])
	}
	// A foreign root does not chain.
	other := x509.NewCertPool()
	other.AddCert(seal.Cert)
	infos, _ = Verify(two, other)
	if infos[0].Chained || !strings.Contains(infos[0].Err, "certificate") {
		t.Errorf("foreign root: %+v", infos[0])
	}
	// Unsigned input: no signatures, no error.
	if infos, err := Verify(in, roots); err != nil || len(infos) != 0 {
		t.Errorf("unsigned: %v %v", infos, err)
	}
	// The intermediate revision verifies on its own and covers itself.
	infos, _ = Verify(one, roots)
	if len(infos) != 1 || !infos[0].CoversWholeFile || !infos[0].Intact {
		t.Errorf("first revision: %+v", infos)
	}
}

// TestCMSIndependentVerifier checks our CMS with smallstep/pkcs7 as an
// independent parser and verifier (detached content = the byte ranges).
func TestCMSIndependentVerifier(t *testing.T) {
	_, ca, _ := testSigner(t)
	_, _, two := signedTwice(t)
	doc, err := parseDocument(two)
	if err != nil {
		t.Fatal(err)
	}
	acro := doc.dict(doc.dict(doc.trailer["Root"])["AcroForm"])
	fields, _ := doc.resolve(acro["Fields"]).(Array)
	if len(fields) != 2 {
		t.Fatalf("AcroForm has %d fields, want 2", len(fields))
	}
	if acro["SigFlags"] != int64(3) {
		t.Errorf("SigFlags = %v, want 3", acro["SigFlags"])
	}
	roots := x509.NewCertPool()
	roots.AddCert(ca)
	for _, f := range fields {
		v := doc.dict(doc.dict(f)["V"])
		br := v["ByteRange"].(Array)
		a, b, c, d := br[0].(int64), br[1].(int64), br[2].(int64), br[3].(int64)
		der, err := hex.DecodeString(string(two[b+1 : c-1]))
		if err != nil {
			t.Fatal(err)
		}
		p7, err := pkcs7.Parse(trimDER(t, der))
		if err != nil {
			t.Fatalf("pkcs7.Parse: %v", err)
		}
		p7.Content = append(append([]byte(nil), two[a:b]...), two[c:c+d]...)
		if err := p7.VerifyWithChain(roots); err != nil {
			t.Errorf("pkcs7 VerifyWithChain: %v", err)
		}
		if len(p7.Certificates) != 2 {
			t.Errorf("embedded %d certificates, want signer + CA", len(p7.Certificates))
		}
	}
}

// trimDER cuts the zero padding after the outer DER element.
func trimDER(t *testing.T, b []byte) []byte {
	t.Helper()
	if len(b) < 4 || b[0] != 0x30 || b[1] != 0x82 {
		t.Fatalf("unexpected DER header % x", b[:4])
	}
	return b[:4+int(b[2])<<8+int(b[3])]
}
