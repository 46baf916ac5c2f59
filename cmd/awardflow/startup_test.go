package main

import (
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/awardflow/awardflow/internal/settings"
	"github.com/awardflow/awardflow/internal/store"
)

// TestWorkerHealthAddressTaken: the worker binds its own health address
// (AWARDFLOW_WORKER_ADDR) first; an address in use stops the start with an error
// naming it, before the records store or Temporal are touched.
func TestWorkerHealthAddressTaken(t *testing.T) {
	for _, v := range settings.Vars {
		t.Setenv(v.Name, "")
	}
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	dir := t.TempDir()
	org := filepath.Join(dir, "org.yaml")
	demo, _ := os.ReadFile("../../internal/orgconfig/demo.yaml")
	_ = os.WriteFile(org, demo, 0o600)
	t.Setenv(settings.EnvTemporalAddress, "127.0.0.1:1")
	t.Setenv(settings.EnvS3Endpoint, "127.0.0.1:1")
	t.Setenv(settings.EnvS3AccessKey, "a")
	t.Setenv(settings.EnvS3SecretKey, "b")
	t.Setenv(settings.EnvOrgConfig, org)
	db := filepath.Join(dir, "awardflow.db")
	t.Setenv(settings.EnvDB, store.SQLiteDSN(db))
	t.Setenv(settings.EnvBallotKey, strings.Repeat("ab", 32))
	t.Setenv(settings.EnvWorkerAddr, busy.Addr().String())
	_, _, err = runCmd(t, "", "worker")
	if err == nil || !strings.Contains(err.Error(), busy.Addr().String()) || !strings.Contains(err.Error(), "health address") {
		t.Fatalf("worker on a taken health address: %v", err)
	}
	if _, err := os.Stat(db); !os.IsNotExist(err) {
		t.Errorf("the records store was opened before the health address was bound: %v", err)
	}
	// A contradictory Temporal TLS setting is refused with the settings, naming it.
	t.Setenv(settings.EnvWorkerAddr, "127.0.0.1:0")
	t.Setenv(settings.EnvTemporalTLS, "false")
	t.Setenv(settings.EnvTemporalAPIKey, "k")
	if _, _, err = runCmd(t, "", "worker"); err == nil || !strings.Contains(err.Error(), settings.EnvTemporalTLS) {
		t.Fatalf("worker with an API key in clear: %v", err)
	}
}
