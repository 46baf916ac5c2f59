package pdfsign

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"software.sslmate.com/src/go-pkcs12"
)

func TestEnsureDevCAPersistsAndReloads(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "ca")
	s1, ca1, err := EnsureDevCA(dir, "Ban Thi đua – Khen thưởng")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"ca-key.pem", "signer-key.pem"} {
		st, err := os.Stat(filepath.Join(dir, f))
		if err != nil {
			t.Fatal(err)
		}
		if st.Mode().Perm() != 0o600 {
			t.Errorf("%s mode %v, want 0600", f, st.Mode().Perm())
		}
	}
	s2, ca2, err := EnsureDevCA(dir, "ignored on reload")
	if err != nil {
		t.Fatal(err)
	}
	if !ca1.Equal(ca2) || !s1.Cert.Equal(s2.Cert) || !s2.Key.Public().(*rsa.PublicKey).Equal(s1.Key.Public()) {
		t.Error("reload produced a different CA or signer")
	}
	if len(s2.Chain) != 1 || !s2.Chain[0].Equal(ca1) {
		t.Error("reloaded signer lacks the CA in its chain")
	}
	if err := s1.Cert.CheckSignatureFrom(ca1); err != nil {
		t.Errorf("signer not issued by CA: %v", err)
	}
	// A partial set is refused rather than silently regenerated.
	os.Remove(filepath.Join(dir, "signer.pem"))
	if _, _, err := EnsureDevCA(dir, "x"); err == nil || !strings.Contains(err.Error(), "only some") {
		t.Errorf("partial dir: err = %v", err)
	}
}

func TestLoadPEMFormats(t *testing.T) {
	s, _, dir := testSigner(t)
	got, err := LoadPEM(filepath.Join(dir, "signer.pem"), filepath.Join(dir, "signer-key.pem"))
	if err != nil {
		t.Fatal(err)
	}
	if !got.Cert.Equal(s.Cert) {
		t.Error("wrong certificate")
	}
	// PKCS#1 form of the same key, and a cert file carrying the chain.
	tmp := t.TempDir()
	rk := s.Key.(*rsa.PrivateKey)
	p1 := filepath.Join(tmp, "k1.pem")
	os.WriteFile(p1, pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(rk)}), 0o600)
	chain := filepath.Join(tmp, "chain.pem")
	os.WriteFile(chain, append(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: s.Cert.Raw}),
		pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: s.Chain[0].Raw})...), 0o644)
	got, err = LoadPEM(chain, p1)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Chain) != 1 {
		t.Errorf("chain length %d, want 1", len(got.Chain))
	}
	// EC (SEC 1) key with a mismatching certificate must be rejected.
	seal := testSealSigner(t)
	ecDER, _ := x509.MarshalECPrivateKey(seal.Key.(*ecdsa.PrivateKey))
	ek := filepath.Join(tmp, "ec.pem")
	os.WriteFile(ek, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: ecDER}), 0o600)
	if _, err := LoadPEM(chain, ek); err == nil || !strings.Contains(err.Error(), "does not match") {
		t.Errorf("mismatched key: err = %v", err)
	}
}

func TestLoadPKCS12(t *testing.T) {
	// Fixture written by OpenSSL 3 defaults (PBES2, AES-256-CBC, SHA-256 MAC),
	// which golang.org/x/crypto/pkcs12 cannot read.
	s, err := LoadPKCS12("testdata/openssl3-aes.p12", "awardflow")
	if err != nil {
		t.Fatalf("OpenSSL 3 file: %v", err)
	}
	if s.Cert.Subject.CommonName != "Nguyễn Văn Thử" {
		t.Errorf("CN = %q", s.Cert.Subject.CommonName)
	}
	if _, err := LoadPKCS12("testdata/openssl3-aes.p12", "wrong"); err == nil {
		t.Error("wrong password accepted")
	}
	// Round trip through both encoders, then sign with the loaded key.
	dev, _, _ := testSigner(t)
	for name, enc := range map[string]*pkcs12.Encoder{"modern": pkcs12.Modern2023, "legacy": pkcs12.LegacyDES} {
		b, err := enc.Encode(dev.Key, dev.Cert, dev.Chain, "mật khẩu")
		if err != nil {
			t.Fatal(err)
		}
		f := writeTemp(t, name+".p12", b)
		got, err := LoadPKCS12(f, "mật khẩu")
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !got.Cert.Equal(dev.Cert) || len(got.Chain) != 1 {
			t.Errorf("%s: wrong cert/chain", name)
		}
		out, err := Sign(context.Background(), makePDF(t, 1), got, Options{Time: signTime})
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Contains(out, []byte("/ETSI.CAdES.detached")) {
			t.Error("no signature written")
		}
	}
}
