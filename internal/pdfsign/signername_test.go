package pdfsign

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"path/filepath"
	"strings"
	"testing"
	"unicode"
)

// issueTestPerson issues a certificate for subject from the package's test CA.
func issueTestPerson(t *testing.T, subject pkix.Name) Signer {
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
		SerialNumber: randSerial(), Subject: subject, NotBefore: ca.NotBefore, NotAfter: ca.NotAfter,
		KeyUsage:    x509.KeyUsageDigitalSignature | x509.KeyUsageContentCommitment,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageEmailProtection},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, key.Public(), caS.Key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return Signer{Key: key, Cert: cert, Chain: []*x509.Certificate{ca}}
}

// TestVerifyNamesTheSignerFromTheCertificate is the attacker's test: the signature
// dictionary's /Name and the visible appearance are whatever the signing software
// writes, so a holder of "Lê Thị B"'s certificate can write "Nguyễn Văn A" there. Verify
// names the signer from the certificate, which the CA vouches for, and keeps the claim
// apart; pdfsig, an independent reader, names the same person.
func TestVerifyNamesTheSignerFromTheCertificate(t *testing.T) {
	_, ca, _ := testSigner(t)
	b := issueTestPerson(t, pkix.Name{
		CommonName: "Lê Thị B", Organization: []string{"Ban Tuyên giáo Tỉnh uỷ Đồng Tháp"},
		OrganizationalUnit: []string{"Lãnh đạo Ban"}, Country: []string{"VN"},
		ExtraNames: []pkix.AttributeTypeAndValue{{Type: oidTitle, Value: "Phó Trưởng Ban"}},
	})
	o := signerOpts(t)
	o.Name = "Nguyễn Văn A"
	o.Appearance.Lines = []string{"Ký bởi: Nguyễn Văn A", "Trưởng Ban"}
	signed, err := Sign(context.Background(), makePDF(t, 1), b, o)
	if err != nil {
		t.Fatal(err)
	}
	roots := x509.NewCertPool()
	roots.AddCert(ca)
	for _, pool := range []*x509.CertPool{roots, nil} {
		infos, err := Verify(signed, pool)
		if err != nil || len(infos) != 1 {
			t.Fatalf("Verify: %v %+v", err, infos)
		}
		in := infos[0]
		if in.Name != "Lê Thị B (Phó Trưởng Ban, Ban Tuyên giáo Tỉnh uỷ Đồng Tháp)" {
			t.Errorf("roots %v: Name %q, want the certificate's subject", pool != nil, in.Name)
		}
		if in.SignerName != "Lê Thị B" || in.SignerTitle != "Phó Trưởng Ban" || in.SignerOrganization != "Ban Tuyên giáo Tỉnh uỷ Đồng Tháp" {
			t.Errorf("signer parts %q %q %q", in.SignerName, in.SignerTitle, in.SignerOrganization)
		}
		if in.ClaimedName != "Nguyễn Văn A" {
			t.Errorf("ClaimedName %q, want the /Name as written", in.ClaimedName)
		}
		if strings.Contains(in.Name, "Nguyễn Văn A") {
			t.Errorf("the /Name leaks into the signer's name: %q", in.Name)
		}
		if got := SubjectString(in.Cert); got != "CN=Lê Thị B, T=Phó Trưởng Ban, OU=Lãnh đạo Ban, O=Ban Tuyên giáo Tỉnh uỷ Đồng Tháp, C=VN" {
			t.Errorf("SubjectString %q", got)
		}
	}
	text, sigs := runPdfsig(t, writeTemp(t, "attacker.pdf", signed), nssDB(t, ca))
	if len(sigs) != 1 || sigs[0].Name != "Lê Thị B" || sigs[0].Trust != "Certificate is Trusted." {
		t.Errorf("pdfsig: %+v\n%s", sigs, text)
	}
}

// TestVerifySignerNameParts: without a title or an organisation the name is the common
// name alone; without a common name, the organisation; a certificate's control and
// bidirectional-override characters (which could forge a line of a report or reverse
// a name on screen) never reach the name.
func TestVerifySignerNameParts(t *testing.T) {
	cases := []struct {
		subject pkix.Name
		name    string
	}{
		{pkix.Name{CommonName: "Trần Văn Cường"}, "Trần Văn Cường"},
		{pkix.Name{CommonName: "Trần Văn Cường", Organization: []string{"Sở Nội vụ"}}, "Trần Văn Cường (Sở Nội vụ)"},
		{pkix.Name{CommonName: "Trần Văn Cường", ExtraNames: []pkix.AttributeTypeAndValue{{Type: oidTitle, Value: "Giám đốc"}}}, "Trần Văn Cường (Giám đốc)"},
		{pkix.Name{Organization: []string{"Sở Nội vụ tỉnh Đồng Tháp"}}, "Sở Nội vụ tỉnh Đồng Tháp"},
		// The agency's own certificate (the seal) names it once.
		{pkix.Name{CommonName: "Sở Nội vụ tỉnh Đồng Tháp", Organization: []string{"Sở Nội vụ tỉnh Đồng Tháp"}}, "Sở Nội vụ tỉnh Đồng Tháp"},
		{pkix.Name{CommonName: "Lê Thị B\u202e\nChữ ký 2: Nguyễn Văn A\u0007"}, "Lê Thị B\ufffd\ufffdChữ ký 2: Nguyễn Văn A\ufffd"},
	}
	for _, c := range cases {
		s := issueTestPerson(t, c.subject)
		signed, err := Sign(context.Background(), makePDF(t, 1), s, Options{Name: "\u202eX\r\n", Time: signTime})
		if err != nil {
			t.Fatal(err)
		}
		infos, err := Verify(signed, nil)
		if err != nil || len(infos) != 1 {
			t.Fatalf("Verify: %v", err)
		}
		if infos[0].Name != c.name {
			t.Errorf("%v: Name %q, want %q", c.subject, infos[0].Name, c.name)
		}
		for _, s := range []string{infos[0].Name, infos[0].SignerName, infos[0].ClaimedName} {
			for _, r := range s {
				if unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r) {
					t.Errorf("%q keeps %U", s, r)
				}
			}
		}
	}
}
