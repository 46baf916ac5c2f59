package main

import (
	"bytes"
	"context"
	"crypto/x509"
	"encoding/pem"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"software.sslmate.com/src/go-pkcs12"

	"github.com/awardflow/awardflow/internal/app"
	"github.com/awardflow/awardflow/internal/keyring"
	"github.com/awardflow/awardflow/internal/orgconfig"
	"github.com/awardflow/awardflow/internal/pdfsign"
	"github.com/awardflow/awardflow/internal/settings"
	"github.com/awardflow/awardflow/templates"
)

const testP12Password = " mật khẩu có dấu cách "

// prodKeys issues dev certificates for ids (and the agency) and writes them as a keys
// directory of PKCS#12 files; it returns the directory, the CA file and the issuer.
func prodKeys(t *testing.T, ids ...string) (string, string, *keyring.Dev) {
	t.Helper()
	org := demoOrgT(t)
	pki := filepath.Join(t.TempDir(), "pki")
	d, err := keyring.NewDev(pki, org, keyring.DevOptions{Log: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	write := func(name string, s pdfsign.Signer) {
		b, err := pkcs12.Modern.Encode(s.Key, s.Cert, s.Chain, testP12Password)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	for _, id := range ids {
		s, err := d.Person(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		write(id+".p12", s)
	}
	ag, _ := d.Agency(context.Background())
	write("agency.p12", ag)
	return dir, filepath.Join(pki, "ca.pem"), d
}

func demoOrgT(t *testing.T) *orgconfig.Org {
	t.Helper()
	org, err := orgconfig.Load("../../internal/orgconfig/demo.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return org
}

// workerVals are the worker's settings with the demo organisation.
func workerVals(t *testing.T, keysDir string) map[string]string {
	t.Helper()
	return map[string]string{
		settings.EnvOrgConfig: "../../internal/orgconfig/demo.yaml", settings.EnvS3TLS: "false",
		settings.EnvBallotKey: strings.Repeat("ab", 32), settings.EnvKeysDir: keysDir,
	}
}

func logTo(b *bytes.Buffer) *slog.Logger { return slog.New(slog.NewTextHandler(b, nil)) }

// TestWorkerKeysFromDirectory: the worker loads each person's PKCS#12 file (password from
// a file, kept exactly: spaces are part of it) and fills the old single-signer fields
// from it: the head for decisions, the secretary, the seal.
func TestWorkerKeysFromDirectory(t *testing.T) {
	dir, caFile, d := prodKeys(t, "truongban", "phoban", "thuky", "vanthu")
	pwFile := filepath.Join(t.TempDir(), "pw")
	if err := os.WriteFile(pwFile, []byte(testP12Password+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	vals := workerVals(t, dir)
	vals[settings.EnvKeysPasswordFile] = pwFile
	vals[settings.EnvTrustedCA] = caFile
	var logs bytes.Buffer
	cfg, err := workerConfig(vals, logTo(&logs))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for _, id := range []string{"truongban", "phoban", "thuky", "vanthu"} {
		s, err := cfg.Keys.Person(ctx, id)
		want, _ := d.Person(ctx, id)
		if err != nil || !s.Cert.Equal(want.Cert) {
			t.Errorf("%s: %v", id, err)
		}
	}
	head, _ := d.Person(ctx, "truongban")
	sec, _ := d.Person(ctx, "thuky")
	ag, _ := d.Agency(ctx)
	if !cfg.Signer.Cert.Equal(head.Cert) || cfg.Secretary == nil || !cfg.Secretary.Cert.Equal(sec.Cert) || cfg.Seal == nil || !cfg.Seal.Cert.Equal(ag.Cert) {
		t.Errorf("single-signer fields not filled from the keyring")
	}
	if strings.Contains(logs.String(), "deprecated") {
		t.Errorf("deprecation logged without deprecated settings:\n%s", logs.String())
	}

	// The password in the environment instead: the same; both: refused.
	t.Setenv(settings.EnvKeysPassword, testP12Password)
	if _, err := workerConfig(vals, logTo(&logs)); err == nil || !strings.Contains(err.Error(), "not both") {
		t.Errorf("both passwords: %v", err)
	}
	delete(vals, settings.EnvKeysPasswordFile)
	if _, err := workerConfig(vals, logTo(&logs)); err != nil {
		t.Errorf("password from the environment: %v", err)
	}
	t.Setenv(settings.EnvKeysPassword, "sai")
	if _, err := workerConfig(vals, logTo(&logs)); err == nil || !strings.Contains(err.Error(), "truongban.p12") {
		t.Errorf("wrong password: %v", err)
	}
}

// TestWorkerRefusesWithoutSignersCertificates: the worker does not start when the
// secretary or the deputy Giấy khen is delegated to (people who must sign) has no
// certificate, nor when the certificates do not chain to the trusted CA; the error names
// each person missing and the setting.
func TestWorkerRefusesWithoutSignersCertificates(t *testing.T) {
	t.Setenv(settings.EnvKeysPassword, testP12Password)
	dir, _, _ := prodKeys(t, "truongban", "vanthu")
	_, err := workerConfig(workerVals(t, dir), logTo(new(bytes.Buffer)))
	if err == nil || !strings.Contains(err.Error(), "refusing to start") || !strings.Contains(err.Error(), `"thuky"`) ||
		!strings.Contains(err.Error(), `"phoban"`) || !strings.Contains(err.Error(), settings.EnvKeysDir) ||
		strings.Contains(err.Error(), `"truongban" has no`) {
		t.Errorf("secretary and deputy without certificate: %v", err)
	}
	dir, _, _ = prodKeys(t, "truongban", "phoban", "thuky")
	_, otherCA, _ := prodKeys(t)
	vals := workerVals(t, dir)
	vals[settings.EnvTrustedCA] = otherCA
	if _, err := workerConfig(vals, logTo(new(bytes.Buffer))); err == nil || !strings.Contains(err.Error(), "does not chain") {
		t.Errorf("certificates of another CA: %v", err)
	}
}

// TestWorkerDeprecatedSingleSigner: the old settings keep working as fallbacks, each with
// a deprecation line in the log: the single signer for the head only (never for the
// secretary), the secretary's and the seal's PEM files for them.
func TestWorkerDeprecatedSingleSigner(t *testing.T) {
	_, _, d := prodKeys(t)
	ctx := context.Background()
	pemFiles := func(id string) (string, string) {
		var s pdfsign.Signer
		if id == "agency" {
			s, _ = d.Agency(ctx)
		} else {
			s, _ = d.Person(ctx, id)
		}
		dir := t.TempDir()
		key, _ := x509.MarshalPKCS8PrivateKey(s.Key)
		cf, kf := filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
		_ = os.WriteFile(cf, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: s.Cert.Raw}), 0o600)
		_ = os.WriteFile(kf, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: key}), 0o600)
		return cf, kf
	}
	vals := workerVals(t, "")
	vals[settings.EnvSigningCert], vals[settings.EnvSigningKey] = pemFiles("truongban")
	var logs bytes.Buffer
	if _, err := workerConfig(vals, logTo(&logs)); err == nil || !strings.Contains(err.Error(), `"thuky"`) || !strings.Contains(err.Error(), `"phoban"`) {
		t.Fatalf("the single signer stood in for the secretary or the deputy: %v", err)
	}
	vals[settings.EnvSecretaryCert], vals[settings.EnvSecretaryKey] = pemFiles("thuky")
	vals[settings.EnvSealCert], vals[settings.EnvSealKey] = pemFiles("agency")
	// Half-way through a migration: the deputy's certificate is in the keys directory
	// (from the same CA), the others still in the old settings.
	deputyDir := t.TempDir()
	dep, _ := d.Person(ctx, "phoban")
	p12, err := pkcs12.Modern.Encode(dep.Key, dep.Cert, dep.Chain, testP12Password)
	if err != nil {
		t.Fatal(err)
	}
	_ = os.WriteFile(filepath.Join(deputyDir, "phoban.p12"), p12, 0o600)
	vals[settings.EnvKeysDir] = deputyDir
	t.Setenv(settings.EnvKeysPassword, testP12Password)
	logs.Reset()
	cfg, err := workerConfig(vals, logTo(&logs))
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(logs.String(), "deprecated signing settings"); n != 3 {
		t.Errorf("%d deprecation lines, want 3:\n%s", n, logs.String())
	}
	for _, id := range []string{"truongban", "phoban", "thuky"} {
		s, err := cfg.Keys.Person(ctx, id)
		want, _ := d.Person(ctx, id)
		if err != nil || !s.Cert.Equal(want.Cert) {
			t.Errorf("%s: %v", id, err)
		}
	}
	if _, err := cfg.Keys.Person(ctx, "chanhvp"); err == nil {
		t.Error("the single signer serves anyone else")
	}
	// A keys directory that has the head's certificate wins over the old setting.
	dir, _, d2 := prodKeys(t, "truongban", "phoban", "thuky")
	vals[settings.EnvKeysDir] = dir
	logs.Reset()
	cfg, err = workerConfig(vals, logTo(&logs))
	if err != nil {
		t.Fatal(err)
	}
	want, _ := d2.Person(ctx, "truongban")
	if s, _ := cfg.Keys.Person(ctx, "truongban"); !s.Cert.Equal(want.Cert) || !strings.Contains(logs.String(), "ignored") {
		t.Errorf("the keys directory does not win:\n%s", logs.String())
	}
}

// TestVerifyCommandNamesTheCertificateHolder: `awardflow verify` names who signed from
// the certificate; a different /Name is shown apart, as an unverified claim.
func TestVerifyCommandNamesTheCertificateHolder(t *testing.T) {
	_, caFile, d := prodKeys(t)
	at := time.Now().Truncate(time.Second)
	r, err := templates.RenderDecision(templates.Decision{
		Agency:     templates.Agency{Profile: templates.ProfileND30, ParentName: "UBND TỈNH ĐỒNG THÁP", Name: "SỞ NỘI VỤ", Code: "SNV", Place: "Đồng Tháp"},
		NumberText: "Số: 05/QĐ-SNV", Date: at, Subject: "Về việc tặng Giấy khen",
		AwardName: "Giấy khen", Awardees: []templates.Awardee{{Name: "Trần Thị Ánh", Position: "Chuyên viên", Unit: "Văn phòng"}},
		Signer: templates.Signer{Title: "TRƯỞNG BAN", Name: "Nguyễn Văn Hùng"},
	}, templates.RenderOptions{CreationDate: at})
	if err != nil {
		t.Fatal(err)
	}
	thuky, _ := d.Person(context.Background(), "thuky")
	signed, err := pdfsign.Sign(context.Background(), r.PDF, thuky, pdfsign.Options{Name: "Nguyễn Văn Hùng", Time: at})
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "qd.pdf")
	_ = os.WriteFile(file, signed, 0o600)
	out, _, err := runCmd(t, "", "verify", "--ca", caFile, file)
	if err != nil || !strings.Contains(out, "signature 1: Huỳnh Thị Mỹ Linh (Chuyên viên, Ban Tuyên giáo Tỉnh uỷ Đồng Tháp)\n") ||
		!strings.Contains(out, "claimed /Name, not vouched for: Nguyễn Văn Hùng\n") {
		t.Fatalf("verify: %v\n%s", err, out)
	}
}

// workerConfig is what a worker reads before Temporal: its settings, then its keys for
// the people of the organisation (the YAML's: no records store here).
func workerConfig(vals map[string]string, log *slog.Logger) (app.Config, error) {
	cfg, err := configFromEnv(vals, log, true)
	if err != nil {
		return cfg, err
	}
	return cfg, workerKeys(context.Background(), vals, &cfg, log)
}
