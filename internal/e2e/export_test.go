package e2e

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"io"
	"strings"
	"testing"
)

// checkExport opens the ZIP and checks that every file the manifest lists is there with
// the SHA-256 it claims, that it matches what the session recorded, and that the
// decision in it is byte-identical to the one served on its own.
func checkExport(t *testing.T, archive, decisionPDF []byte) {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(archive), int64(len(archive)))
	if err != nil {
		t.Fatalf("export is not a ZIP: %v", err)
	}
	files := map[string][]byte{}
	for _, f := range zr.File {
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
		Certificates []string
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
}
