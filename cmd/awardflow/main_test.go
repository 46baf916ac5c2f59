package main

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/awardflow/awardflow/internal/pdfsign"
	"github.com/awardflow/awardflow/internal/settings"
	"github.com/awardflow/awardflow/templates"
)

func runCmd(t *testing.T, stdin string, args ...string) (string, string, error) {
	t.Helper()
	var out, errb bytes.Buffer
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	err := run(context.Background(), args, strings.NewReader(stdin), &out, &errb, log)
	return out.String(), errb.String(), err
}

func TestServerAndWorkerRefuseWithoutConfig(t *testing.T) {
	for _, v := range settings.Vars {
		t.Setenv(v.Name, "")
	}
	_, _, err := runCmd(t, "", "server")
	if err == nil {
		t.Fatal("server started without configuration")
	}
	for _, name := range []string{settings.EnvTemporalAddress, settings.EnvS3Endpoint, settings.EnvOrgConfig, settings.EnvTokenSecret} {
		if !strings.Contains(err.Error(), name) {
			t.Errorf("server error does not name %s: %v", name, err)
		}
	}
	_, _, err = runCmd(t, "", "worker")
	if err == nil || !strings.Contains(err.Error(), settings.EnvS3AccessKey) || strings.Contains(err.Error(), settings.EnvTokenSecret) {
		t.Fatalf("worker: %v", err)
	}
	// everything present but no signer: the worker says what to set
	dir := t.TempDir()
	org := filepath.Join(dir, "org.yaml")
	demo, _ := os.ReadFile("../../internal/orgconfig/demo.yaml")
	_ = os.WriteFile(org, demo, 0o600)
	t.Setenv(settings.EnvTemporalAddress, "127.0.0.1:1")
	t.Setenv(settings.EnvS3Endpoint, "127.0.0.1:1")
	t.Setenv(settings.EnvS3AccessKey, "a")
	t.Setenv(settings.EnvS3SecretKey, "b")
	t.Setenv(settings.EnvOrgConfig, org)
	t.Setenv(settings.EnvBallotKey, "not-hex")
	if _, _, err = runCmd(t, "", "worker"); err == nil || !strings.Contains(err.Error(), settings.EnvBallotKey) {
		t.Fatalf("worker with a bad ballot key: %v", err)
	}
	t.Setenv(settings.EnvBallotKey, strings.Repeat("ab", 32))
	_, _, err = runCmd(t, "", "worker")
	if err == nil || !strings.Contains(err.Error(), settings.EnvSigningCert) {
		t.Fatalf("worker without signer: %v", err)
	}
}

func TestHelpListsEveryVariable(t *testing.T) {
	_, stderr, err := runCmd(t, "", "server", "--help")
	if err == nil || !strings.Contains(stderr, settings.EnvTokenSecret) || strings.Contains(stderr, settings.EnvSigningKey) {
		t.Fatalf("server --help: %v\n%s", err, stderr)
	}
	_, stderr, _ = runCmd(t, "", "worker", "--help")
	for _, v := range settings.Vars {
		if v.Worker && !strings.Contains(stderr, v.Name) {
			t.Errorf("worker --help lacks %s", v.Name)
		}
	}
	if _, _, err := runCmd(t, "", "nonsense"); err == nil {
		t.Fatal("unknown command accepted")
	}
}

func TestHashPassword(t *testing.T) {
	out, _, err := runCmd(t, "mat-khau-moi-2026\n", "hash-password")
	if err != nil || !strings.HasPrefix(out, "$2a$") {
		t.Fatalf("%q %v", out, err)
	}
	if _, _, err := runCmd(t, "short\n", "hash-password"); err == nil {
		t.Fatal("short password hashed")
	}
}

func TestVerify(t *testing.T) {
	dir := t.TempDir()
	signer, ca, err := pdfsign.EnsureDevCA(filepath.Join(dir, "pki"), "Cơ quan thử")
	if err != nil {
		t.Fatal(err)
	}
	r, err := templates.RenderDecision(templates.Decision{
		Agency:     templates.Agency{Profile: templates.ProfileND30, ParentName: "UBND TỈNH ĐỒNG THÁP", Name: "SỞ NỘI VỤ", Code: "SNV", Place: "Đồng Tháp"},
		NumberText: "Số: 05/QĐ-SNV", Date: time.Date(2026, 2, 5, 9, 0, 0, 0, time.UTC), Subject: "Về việc tặng Giấy khen",
		AwardName: "Giấy khen", Awardees: []templates.Awardee{{Name: "Trần Thị Ánh", Position: "Chuyên viên", Unit: "Văn phòng"}},
		Signer: templates.Signer{Title: "GIÁM ĐỐC", Name: "Nguyễn Văn A"},
	}, templates.RenderOptions{CreationDate: time.Date(2026, 2, 5, 9, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	signed, err := pdfsign.Sign(context.Background(), r.PDF, signer, pdfsign.Options{Time: time.Date(2026, 2, 5, 9, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, "qd.pdf")
	_ = os.WriteFile(file, signed, 0o600)
	caFile := filepath.Join(dir, "pki", "ca.pem")
	_ = ca

	out, _, err := runCmd(t, "", "verify", "--ca", caFile, file)
	if err != nil || !strings.Contains(out, "intact:         true") || !strings.Contains(out, "chained:     true") {
		t.Fatalf("verify: %v\n%s", err, out)
	}
	// the server knows the file
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		if r.URL.Path != "/api/v1/verify" || !bytes.Equal(b, signed) {
			http.Error(w, "unexpected", http.StatusBadRequest)
			return
		}
		_, _ = io.WriteString(w, `{"issued":{"session_id":"session-1","document_id":"session-1.GK","number_text":"Số: 05/QĐ-SNV"}}`)
	}))
	defer srv.Close()
	out, _, err = runCmd(t, "", "verify", "--ca", caFile, "--server", srv.URL, file)
	if err != nil || !strings.Contains(out, "session-1.GK") {
		t.Fatalf("verify --server: %v\n%s", err, out)
	}
	// one changed byte: not intact, non-zero exit
	i := bytes.Index(signed, []byte("stream\n"))
	signed[i+20] ^= 1
	_ = os.WriteFile(file, signed, 0o600)
	out, _, err = runCmd(t, "", "verify", "--ca", caFile, file)
	if err == nil || !strings.Contains(out, "intact:         false") {
		t.Fatalf("tampered file: %v\n%s", err, out)
	}
	if _, _, err := runCmd(t, "", "verify"); err == nil {
		t.Fatal("verify without a file accepted")
	}
}

func TestTrustedProxiesSetting(t *testing.T) {
	_, stderr, _ := runCmd(t, "", "server", "--help")
	if !strings.Contains(stderr, settings.EnvTrustedProxies) {
		t.Fatalf("server --help lacks %s:\n%s", settings.EnvTrustedProxies, stderr)
	}
	log := slog.New(slog.DiscardHandler)
	vals := map[string]string{
		settings.EnvOrgConfig: "../../internal/orgconfig/demo.yaml", settings.EnvS3TLS: "false",
		settings.EnvBallotKey: strings.Repeat("ab", 32), settings.EnvTrustedProxies: "10.0.0.1, 172.16.0.0/12",
	}
	cfg, err := configFromEnv(vals, log, false)
	if err != nil || len(cfg.TrustedProxies) != 2 {
		t.Fatalf("trusted proxies: %v %v", cfg.TrustedProxies, err)
	}
	vals[settings.EnvTrustedProxies] = "10.0.0.0/99"
	if _, err := configFromEnv(vals, log, false); err == nil || !strings.Contains(err.Error(), settings.EnvTrustedProxies) {
		t.Fatalf("a bad proxy list: %v", err)
	}
}
