package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
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
	"github.com/awardflow/awardflow/internal/store"
	"github.com/awardflow/awardflow/internal/testenv"
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
	t.Setenv(settings.EnvWorkerAddr, "127.0.0.1:0") // a worker that gets that far binds any free port
	_, _, err := runCmd(t, "", "server")
	if err == nil {
		t.Fatal("server started without configuration")
	}
	for _, name := range []string{settings.EnvTemporalAddress, settings.EnvS3Endpoint, settings.EnvOrgConfig, settings.EnvTokenSecret, settings.EnvDB} {
		if !strings.Contains(err.Error(), name) {
			t.Errorf("server error does not name %s: %v", name, err)
		}
	}
	_, _, err = runCmd(t, "", "worker")
	if err == nil || !strings.Contains(err.Error(), settings.EnvS3AccessKey) || !strings.Contains(err.Error(), settings.EnvDB) || strings.Contains(err.Error(), settings.EnvTokenSecret) {
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
	t.Setenv(settings.EnvDB, store.SQLiteDSN(filepath.Join(dir, "awardflow.db")))
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

// TestHelpListsEveryVariable: asked-for help goes to stdout for every command, with
// nothing on stderr and exit 0 (flag.ErrHelp); server and worker list each of their
// variables once, each line saying required, default or optional once.
func TestHelpListsEveryVariable(t *testing.T) {
	for _, cmd := range []string{"dev", "server", "worker", "migrate", "reindex", "verify", "backup", "restore", "s3-export", "s3-import"} {
		for _, flagName := range []string{"--help", "-h"} {
			stdout, stderr, err := runCmd(t, "", cmd, flagName)
			if (err != nil && !errors.Is(err, flag.ErrHelp)) || strings.TrimSpace(stdout) == "" || stderr != "" {
				t.Errorf("%s %s: err %v, %d bytes on stdout, stderr %q", cmd, flagName, err, len(stdout), stderr)
			}
		}
	}
	stdout, _, _ := runCmd(t, "", "server", "--help")
	if !strings.Contains(stdout, settings.EnvTokenSecret) || strings.Contains(stdout, settings.EnvSigningKey) {
		t.Fatalf("server --help:\n%s", stdout)
	}
	stdout, _, _ = runCmd(t, "", "worker", "--help")
	listed := map[string]int{}
	for _, line := range strings.Split(stdout, "\n") {
		if f := strings.Fields(line); len(f) > 0 {
			listed[f[0]]++
		}
	}
	for _, v := range settings.Vars {
		if v.Worker && listed[v.Name] != 1 {
			t.Errorf("worker --help lists %s %d times", v.Name, listed[v.Name])
		}
	}
	for _, line := range strings.Split(stdout, "\n") {
		n := strings.Count(line, "(optional)") + strings.Count(line, "(required)") + strings.Count(line, "(default ")
		if strings.HasPrefix(strings.TrimSpace(line), "AWARDFLOW_") && n != 1 {
			t.Errorf("a help line says required/default/optional %d times: %q", n, line)
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
	stdout, _, _ := runCmd(t, "", "server", "--help")
	if !strings.Contains(stdout, settings.EnvTrustedProxies) {
		t.Fatalf("server --help lacks %s:\n%s", settings.EnvTrustedProxies, stdout)
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

// signedShapes renders a decision and signs it as the service does: the signer then the
// seal (a decision), or the chair, the secretary and the seal (the minutes' three).
func signedShapes(t *testing.T, pki string) map[string][]byte {
	t.Helper()
	signer, _, err := pdfsign.EnsureDevCA(pki, "Cơ quan thử")
	if err != nil {
		t.Fatal(err)
	}
	secretary, err := pdfsign.EnsureDevSigner(pki, "secretary", "Thư ký Hội đồng", "Cơ quan thử")
	if err != nil {
		t.Fatal(err)
	}
	seal, err := pdfsign.EnsureDevSigner(pki, "seal", "Cơ quan thử (dấu)", "Cơ quan thử")
	if err != nil {
		t.Fatal(err)
	}
	at := time.Now().Truncate(time.Second)
	r, err := templates.RenderDecision(templates.Decision{
		Agency:     templates.Agency{Profile: templates.ProfileND30, ParentName: "UBND TỈNH ĐỒNG THÁP", Name: "SỞ NỘI VỤ", Code: "SNV", Place: "Đồng Tháp"},
		NumberText: "Số: 06/QĐ-SNV", Date: at, Subject: "Về việc tặng Giấy khen",
		AwardName: "Giấy khen", Awardees: []templates.Awardee{{Name: "Trần Thị Ánh", Position: "Chuyên viên", Unit: "Văn phòng"}},
		Signer: templates.Signer{Title: "GIÁM ĐỐC", Name: "Nguyễn Văn A"},
	}, templates.RenderOptions{CreationDate: at})
	if err != nil {
		t.Fatal(err)
	}
	sign := func(pdf []byte, s pdfsign.Signer, field string) []byte {
		out, err := pdfsign.Sign(context.Background(), pdf, s, pdfsign.Options{Time: at, FieldName: field})
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	signed := sign(r.PDF, signer, "Signature1")
	return map[string][]byte{
		"decision": sign(signed, seal, "AgencySeal"),
		"minutes":  sign(sign(signed, secretary, "Secretary"), seal, "AgencySeal"),
	}
}

// TestVerifyRefusesAnEditAfterTheLastSignature: an unsigned incremental update appended
// after the seal (a new /Title) leaves every signature intact, and the command still
// fails, saying per signature that the file was changed after signing.
func TestVerifyRefusesAnEditAfterTheLastSignature(t *testing.T) {
	dir := t.TempDir()
	pki := filepath.Join(dir, "pki")
	caFile := filepath.Join(pki, "ca.pem")
	for name, pdf := range signedShapes(t, pki) {
		file := filepath.Join(dir, name+".pdf")
		_ = os.WriteFile(file, pdf, 0o600)
		out, _, err := runCmd(t, "", "verify", "--ca", caFile, file)
		if err != nil || strings.Count(out, "phủ toàn tệp / whole file:   true") != 1 ||
			strings.Count(out, "later_signature") != strings.Count(out, "Chữ ký ")-1 {
			t.Fatalf("%s as signed: %v\n%s", name, err, out)
		}
		edited, err := testenv.AppendInfoUpdate(pdf, "Quyết định đã sửa")
		if err != nil {
			t.Fatal(err)
		}
		_ = os.WriteFile(file, edited, 0o600)
		out, _, err = runCmd(t, "", "verify", "--ca", caFile, file)
		if err == nil {
			t.Fatalf("%s with an edit after the last signature accepted:\n%s", name, out)
		}
		n := strings.Count(out, "Chữ ký ")
		if n != map[string]int{"decision": 2, "minutes": 3}[name] || strings.Count(out, "intact:         true") != n ||
			strings.Count(out, "unsigned_changes") != n || strings.Count(out, "sửa đổi sau khi ký") < n ||
			strings.Contains(out, "whole file:   true") || strings.Contains(out, "later_signature") {
			t.Fatalf("%s edited: %v\n%s", name, err, out)
		}
	}
}
