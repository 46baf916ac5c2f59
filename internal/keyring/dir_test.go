package keyring

import (
	"context"
	"crypto/x509"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"software.sslmate.com/src/go-pkcs12"

	"github.com/awardflow/awardflow/internal/orgconfig"
	"github.com/awardflow/awardflow/internal/pdfsign"
)

const p12Password = "mật-khẩu-2026"

func writeP12(t *testing.T, dir, name string, s pdfsign.Signer, key any, password string) {
	t.Helper()
	if key == nil {
		key = s.Key
	}
	b, err := pkcs12.Modern.Encode(key, s.Cert, s.Chain, password)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name), b, 0o600); err != nil {
		t.Fatal(err)
	}
}

// keysDir writes <id>.p12 for the demo's head, deputy, secretary and clerk and agency.p12,
// issued by a dev CA, and returns the directory and the CA.
func keysDir(t *testing.T) (string, *Dev) {
	t.Helper()
	org := demoOrg(t)
	d := quietDev(t, filepath.Join(t.TempDir(), "pki"), org)
	dir := t.TempDir()
	for _, id := range []string{"truongban", "phoban", "thuky", "vanthu"} {
		s, err := d.Person(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		writeP12(t, dir, id+".p12", s, nil, p12Password)
	}
	ag, _ := d.Agency(context.Background())
	writeP12(t, dir, "agency.p12", ag, nil, p12Password)
	return dir, d
}

// TestLoadDir: the PKCS#12 files of a keys directory serve their people and the agency,
// the start-up check passes when the people who must sign have one, and a person without
// a file gets the missing-certificate error naming them.
func TestLoadDir(t *testing.T) {
	org := demoOrg(t)
	dir, d := keysDir(t)
	if err := os.WriteFile(filepath.Join(dir, "truongbam.p12"), []byte("typo"), 0o600); err != nil {
		t.Fatal(err)
	}
	k, notes, err := LoadDir(dir, p12Password, org)
	if err != nil {
		t.Fatal(err)
	}
	if len(notes) != 1 || !strings.Contains(notes[0], "truongbam.p12") {
		t.Errorf("notes: %q", notes)
	}
	ctx := context.Background()
	for _, id := range []string{"truongban", "phoban", "thuky", "vanthu"} {
		s, err := k.Person(ctx, id)
		want, _ := d.Person(ctx, id)
		if err != nil || !s.Cert.Equal(want.Cert) {
			t.Errorf("%s: %v", id, err)
		}
	}
	if ag, err := k.Agency(ctx); err != nil || ag.Cert.Subject.CommonName != org.Agency.FullName {
		t.Errorf("agency: %v", err)
	}
	roots := x509.NewCertPool()
	roots.AddCert(d.CA())
	if err := Check(ctx, k, roots, time.Now(), RequiredSigners(org), true); err != nil {
		t.Errorf("check: %v", err)
	}
	_, err = k.Person(ctx, "chanhvp")
	var nc *NoCertificateError
	if !errors.As(err, &nc) || nc.PersonID != "chanhvp" {
		t.Errorf("chanhvp: %v", err)
	}
	// Lao động tiên tiến delegated to the Chánh Văn phòng, who has no file: the check
	// names them.
	org.Agency.Decision.Delegations = append(org.Agency.Decision.Delegations, orgconfig.Delegation{AwardTypes: []string{"LDTT"}, Signer: "chanhvp"})
	err = Check(ctx, k, roots, time.Now(), RequiredSigners(org), true)
	if !errors.Is(err, ErrNoCertificate) || !strings.Contains(err.Error(), `"chanhvp"`) {
		t.Errorf("check without the deputy's certificate: %v", err)
	}
	// Certificates of another CA would verify as untrusted: refused.
	other := quietDev(t, filepath.Join(t.TempDir(), "pki"), demoOrg(t))
	foreign := x509.NewCertPool()
	foreign.AddCert(other.CA())
	err = Check(ctx, k, foreign, time.Now(), []string{"truongban"}, false)
	if err == nil || !strings.Contains(err.Error(), "does not chain") || !strings.Contains(err.Error(), `"truongban"`) {
		t.Errorf("foreign roots: %v", err)
	}
	// Outside the validity period: refused.
	if err := Check(ctx, k, nil, time.Now().AddDate(3, 0, 0), []string{"thuky"}, false); err == nil || !strings.Contains(err.Error(), "valid only") {
		t.Errorf("expired: %v", err)
	}
}

// TestLoadDirRefusesBadFiles: a wrong password, a damaged file and a key that is not the
// certificate's each stop the start with an error naming the person and the file.
func TestLoadDirRefusesBadFiles(t *testing.T) {
	org := demoOrg(t)
	dir, d := keysDir(t)
	if _, _, err := LoadDir(dir, "sai mật khẩu", org); err == nil || !strings.Contains(err.Error(), "truongban.p12") ||
		!strings.Contains(err.Error(), "agency.p12") || !strings.Contains(err.Error(), "password") {
		t.Errorf("wrong password: %v", err)
	}

	dir, d = keysDir(t)
	head, _ := d.Person(context.Background(), "truongban")
	sec, _ := d.Person(context.Background(), "thuky")
	writeP12(t, dir, "thuky.p12", sec, head.Key, p12Password) // thuky's certificate, the head's key
	_, _, err := LoadDir(dir, p12Password, org)
	if err == nil || !strings.Contains(err.Error(), `"thuky"`) || !strings.Contains(err.Error(), "does not match") {
		t.Errorf("mismatched key: %v", err)
	}

	dir, _ = keysDir(t)
	if err := os.WriteFile(filepath.Join(dir, "vanthu.p12"), []byte("not a PKCS#12 file"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, _, err := LoadDir(dir, p12Password, org); err == nil || !strings.Contains(err.Error(), "vanthu.p12") {
		t.Errorf("damaged file: %v", err)
	}

	if _, _, err := LoadDir(filepath.Join(dir, "khong-co"), p12Password, org); err == nil {
		t.Error("a missing directory loaded")
	}
	org.People[0].ID = "agency"
	org.Agency.Decision.Signer = "agency"
	if _, _, err := LoadDir(dir, p12Password, org); err == nil || !strings.Contains(err.Error(), "reserved") {
		t.Errorf("person id agency: %v", err)
	}
}

// TestFileName: ids that are file names map to themselves; anything that could leave the
// directory or hide a file does not map at all.
func TestFileName(t *testing.T) {
	for id, ok := range map[string]bool{"truongban": true, "nguyen.van-a_2": true, "A1": true,
		"": false, ".": false, "..": false, ".hidden": false, "../etc/passwd": false, "a/b": false, `a\b`: false,
		"agency": false, "tên": false, "a b": false, "a\x00": false, strings.Repeat("a", 129): false} {
		if _, got := FileName(id); got != ok {
			t.Errorf("FileName(%q) ok = %v, want %v", id, got, ok)
		}
	}
}
