package keyring

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/awardflow/awardflow/internal/pdfsign"
)

// threeLevels issues root CA -> intermediate CA -> a person's signing certificate.
func threeLevels(t *testing.T, name string) (root, inter *x509.Certificate, leaf pdfsign.Signer) {
	t.Helper()
	now := time.Now()
	issue := func(tmpl, parent *x509.Certificate, parentKey *ecdsa.PrivateKey) (*x509.Certificate, *ecdsa.PrivateKey) {
		k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		if parent == nil {
			parent, parentKey = tmpl, k
		}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, &k.PublicKey, parentKey)
		if err != nil {
			t.Fatal(err)
		}
		c, err := x509.ParseCertificate(der)
		if err != nil {
			t.Fatal(err)
		}
		return c, k
	}
	ca := func(serial int64, cn string) *x509.Certificate {
		return &x509.Certificate{SerialNumber: big.NewInt(serial), Subject: pkix.Name{CommonName: cn, Country: []string{"VN"}},
			NotBefore: now.Add(-time.Hour), NotAfter: now.Add(48 * time.Hour), IsCA: true, BasicConstraintsValid: true,
			KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageCRLSign}
	}
	root, rootKey := issue(ca(1, "Root CA thử nghiệm"), nil, nil)
	inter, interKey := issue(ca(2, "CA trung gian thử nghiệm"), root, rootKey)
	cert, key := issue(&x509.Certificate{SerialNumber: big.NewInt(3), Subject: pkix.Name{CommonName: name, Country: []string{"VN"}},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(24 * time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageContentCommitment}, inter, interKey)
	return root, inter, pdfsign.Signer{Key: key, Cert: cert, Chain: []*x509.Certificate{inter, root}}
}

// TestThreeLevelChainFromFiles: a person's certificate issued by an intermediate CA
// under a root, given as a PKCS#12 file with its CA certificates (the keys directory,
// AWARDFLOW_KEYS_DIR) or as a PEM file holding the whole chain
// (AWARDFLOW_SIGNING_CERT): the signature's CMS carries the intermediate, so pdfsig with
// only the root in its NSS database says "Certificate is Trusted.", and awardflow's
// verifier chains it to the root alone. Without the chain in the CMS, pdfsig cannot
// build the path (the check can fail).
func TestThreeLevelChainFromFiles(t *testing.T) {
	ctx := context.Background()
	org := demoOrg(t)
	const id = "truongban"
	p, _ := org.Person(id)
	root, inter, leaf := threeLevels(t, p.Name)
	nss := nssDB(t, root)
	roots := x509.NewCertPool()
	roots.AddCert(root)

	dir := t.TempDir()
	writeP12(t, dir, id+P12Ext, leaf, nil, p12Password)
	keys, _, err := LoadDir(dir, p12Password, org)
	if err != nil {
		t.Fatal(err)
	}
	// The worker's start-up check (AWARDFLOW_TRUSTED_CA holding the root only) accepts it.
	if err := Check(ctx, keys, roots, time.Now(), []string{id}, false); err != nil {
		t.Errorf("start-up check with the root only: %v", err)
	}
	fromP12, err := keys.Person(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	pemDir := t.TempDir()
	chainFile, keyFile := filepath.Join(pemDir, "chain.pem"), filepath.Join(pemDir, "key.pem")
	var chainPEM []byte
	for _, c := range []*x509.Certificate{leaf.Cert, inter, root} {
		chainPEM = append(chainPEM, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Raw})...)
	}
	kder, err := x509.MarshalPKCS8PrivateKey(leaf.Key)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(chainFile, chainPEM, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: kder}), 0o600); err != nil {
		t.Fatal(err)
	}
	fromPEM, err := pdfsign.LoadPEM(chainFile, keyFile)
	if err != nil {
		t.Fatal(err)
	}

	sign := func(s pdfsign.Signer) []byte {
		pdf, err := pdfsign.Sign(ctx, onePagePDF(t), s, pdfsign.Options{Name: "Người ký", Time: time.Now()})
		if err != nil {
			t.Fatal(err)
		}
		return pdf
	}
	for what, s := range map[string]pdfsign.Signer{"PKCS#12 with its CA certificates": fromP12, "PEM chain file": fromPEM} {
		if len(s.Chain) != 2 {
			t.Errorf("%s: chain of %d certificates loaded, want the intermediate and the root", what, len(s.Chain))
		}
		pdf := sign(s)
		text, sigs := pdfsig(t, pdf, nss)
		if len(sigs) != 1 || sigs[0].Valid != "Signature is Valid." || sigs[0].Trust != "Certificate is Trusted." || sigs[0].Name != p.Name {
			t.Errorf("%s: pdfsig %+v, want %s valid and trusted through the intermediate\n%s", what, sigs, p.Name, text)
		}
		infos, err := pdfsign.Verify(pdf, roots)
		if err != nil || len(infos) != 1 || !infos[0].Intact || !infos[0].Chained {
			t.Errorf("%s: Verify with the root only: %v %+v", what, err, infos)
		}
	}
	// The control: the leaf alone, no intermediate in the CMS.
	bare := leaf
	bare.Chain = nil
	if _, sigs := pdfsig(t, sign(bare), nss); len(sigs) != 1 || sigs[0].Trust == "Certificate is Trusted." {
		t.Errorf("without the intermediate in the CMS pdfsig still trusts it: %+v (the check cannot fail)", sigs)
	}
}
