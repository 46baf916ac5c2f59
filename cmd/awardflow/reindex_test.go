package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/awardflow/awardflow/internal/settings"
	"github.com/awardflow/awardflow/internal/store"
)

// `awardflow reindex` says what it lacks, in both languages, before touching anything;
// a store password never shows in an error. (It rebuilds rows for real in internal/e2e:
// TestProjectionConvergesAfterKillNine runs the binary.)
func TestReindexCommandRefuses(t *testing.T) {
	t.Setenv(settings.EnvTemporalAddress, "")
	t.Setenv(settings.EnvDB, "")
	sqlite := store.SQLiteDSN(filepath.Join(t.TempDir(), "awardflow.db"))
	for _, c := range []struct {
		name string
		args []string
		want string
	}{
		{"no Temporal", []string{"reindex", "--db", sqlite}, settings.EnvTemporalAddress},
		{"no store", []string{"reindex", "--temporal", "127.0.0.1:1"}, settings.EnvDB},
		{"extra argument", []string{"reindex", "--temporal", "127.0.0.1:1", "--db", sqlite, "all"}, "unexpected arguments"},
		{"bad store", []string{"reindex", "--temporal", "127.0.0.1:1", "--db", "mysql://x"}, "sqlite://"},
	} {
		_, _, err := runCmd(t, "", c.args...)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want an error naming %q", c.name, err, c.want)
		}
	}
	_, _, err := runCmd(t, "", "reindex", "--temporal", "127.0.0.1:1", "--db", "postgres://awardflow:hunter2@127.0.0.1:1/awardflow?sslmode=disable&connect_timeout=2")
	if err == nil || strings.Contains(err.Error(), "hunter2") {
		t.Errorf("unreachable store: %v (must fail without the password)", err)
	}
}
