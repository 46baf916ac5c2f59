package main

import (
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The commands as an operator runs them: a backup file appears only when complete, a
// restore lands in a new directory and refuses one in use.
func TestBackupAndRestoreCommands(t *testing.T) {
	data := t.TempDir()
	db, err := sql.Open("sqlite", "file:"+filepath.Join(data, "awardflow.db"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`CREATE TABLE t (v TEXT); INSERT INTO t VALUES ('Quyết định số 01-QĐ/BTGTU')`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if err := os.WriteFile(filepath.Join(data, "token-secret"), []byte("k"), 0o600); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "b.tar.gz")

	// Not a data directory: refused, no file.
	if _, _, err := runCmd(t, "", "backup", "--data", t.TempDir(), out); err == nil {
		t.Fatal("backup of an empty directory accepted")
	}
	if left, _ := filepath.Glob(filepath.Join(filepath.Dir(out), "*")); len(left) != 0 {
		t.Fatalf("a failed backup left %v", left)
	}
	stdout, _, err := runCmd(t, "", "backup", "--data", data, out)
	if err != nil || !strings.Contains(stdout, "Đã sao lưu") {
		t.Fatalf("backup: %v %q", err, stdout)
	}
	target := filepath.Join(t.TempDir(), "restored")
	if stdout, _, err = runCmd(t, "", "restore", "--data", target, out); err != nil || !strings.Contains(stdout, "Đã khôi phục") {
		t.Fatalf("restore: %v %q", err, stdout)
	}
	db, err = sql.Open("sqlite", "file:"+filepath.Join(target, "awardflow.db")+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var v string
	if err := db.QueryRow(`SELECT v FROM t`).Scan(&v); err != nil || v != "Quyết định số 01-QĐ/BTGTU" {
		t.Fatalf("restored store: %q %v", v, err)
	}
	if _, _, err := runCmd(t, "", "restore", "--data", data, out); err == nil || !strings.Contains(err.Error(), "not empty") {
		t.Fatalf("restore over the live directory: %v", err)
	}
}
