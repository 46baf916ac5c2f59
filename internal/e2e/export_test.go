package e2e

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"io"
	"os"
	"strings"
	"testing"
	"time"
)

// checkExport opens the ZIP and checks that every file the manifest lists is there with
// the SHA-256 it claims, that it matches what the session recorded, and that the
// decision in it is byte-identical to the one served on its own; that every entry is
// dated when the session closed (the documents' issue time), not 1980 nor the time of
// the download; and that the CA certificate the signatures chain to is included.
func checkExport(t *testing.T, archive, decisionPDF []byte, caFile string, closedAt time.Time, issued map[string]time.Time) {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(archive), int64(len(archive)))
	if err != nil {
		t.Fatalf("export is not a ZIP: %v", err)
	}
	if closedAt.Year() < 2025 || closedAt.After(time.Now()) {
		t.Fatalf("session closed at %v", closedAt)
	}
	files := map[string][]byte{}
	for _, f := range zr.File {
		// The extended timestamp has one-second resolution.
		// Each document is dated when it was issued: the minutes (and certificates) at
		// the close, decisions and submissions when the văn thư issued them, the
		// manifest at the latest of these.
		want := closedAt
		for prefix, at := range issued {
			if strings.HasPrefix(f.Name, prefix) {
				want = at
			}
		}
		if d := f.Modified.Sub(want); d < -time.Second || d > time.Second {
			t.Errorf("%s dated %v, want its issue time %v", f.Name, f.Modified, want)
		}
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(rc)
		rc.Close()
		files[f.Name] = b
	}
	var m struct {
		Files []struct {
			Name, Kind, SHA256 string
			RecordedSHA256     string `json:"recorded_sha256"`
			Intact             bool
		}
		Certificates   []string
		CACertificates []string `json:"ca_certificates"`
	}
	if err := json.Unmarshal(files["manifest.json"], &m); err != nil {
		t.Fatalf("manifest: %v\n%s", err, files["manifest.json"])
	}
	kinds := map[string]int{}
	for _, f := range m.Files {
		b, ok := files[f.Name]
		if !ok {
			t.Fatalf("manifest lists %s, missing from the archive", f.Name)
		}
		sum := sha256.Sum256(b)
		if hex.EncodeToString(sum[:]) != f.SHA256 || f.SHA256 != f.RecordedSHA256 || !f.Intact {
			t.Fatalf("%s: hash mismatch %+v", f.Name, f)
		}
		if f.Kind == "decision" && !bytes.Equal(b, decisionPDF) {
			t.Fatalf("%s differs from the decision served alone", f.Name)
		}
		kinds[f.Kind]++
	}
	if kinds["decision"] != 1 || kinds["minutes"] != 1 || kinds["submission"] != 1 {
		t.Fatalf("kinds %v", kinds)
	}
	if len(m.Certificates) != 3 {
		t.Fatalf("certificates %v (want the signer's, the secretary's and the seal's)", m.Certificates)
	}
	for _, c := range m.Certificates {
		blk, _ := pem.Decode(files[c])
		if blk == nil || blk.Type != "CERTIFICATE" || !strings.HasSuffix(c, ".pem") {
			t.Fatalf("certificate %s is not PEM", c)
		}
	}
	// The CA certificate: exactly the dev CA, and every signer's certificate chains to it.
	if len(m.CACertificates) != 1 || m.CACertificates[0] != "chung-thu-so-ca-goc.pem" {
		t.Fatalf("CA certificates %v", m.CACertificates)
	}
	want, err := os.ReadFile(caFile)
	if err != nil {
		t.Fatal(err)
	}
	wb, _ := pem.Decode(want)
	blk, _ := pem.Decode(files[m.CACertificates[0]])
	if blk == nil || wb == nil || !bytes.Equal(blk.Bytes, wb.Bytes) {
		t.Fatalf("%s is not the CA certificate of %s", m.CACertificates[0], caFile)
	}
	ca, err := x509.ParseCertificate(blk.Bytes)
	if err != nil || !ca.IsCA {
		t.Fatalf("CA certificate: %v, IsCA %v", err, ca != nil && ca.IsCA)
	}
	roots := x509.NewCertPool()
	roots.AddCert(ca)
	for _, c := range m.Certificates {
		b, _ := pem.Decode(files[c])
		cert, err := x509.ParseCertificate(b.Bytes)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := cert.Verify(x509.VerifyOptions{Roots: roots, KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageAny}}); err != nil {
			t.Errorf("%s does not chain to the exported CA: %v", c, err)
		}
	}
}
