package main

import (
	"context"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/awardflow/awardflow/internal/keyring"
	"github.com/awardflow/awardflow/internal/settings"
	"github.com/awardflow/awardflow/internal/store"
)

// prodEnv sets everything `awardflow server` and `awardflow worker` need except the
// records store; Temporal and S3 point at a closed port.
func prodEnv(t *testing.T) {
	t.Helper()
	for _, v := range settings.Vars {
		t.Setenv(v.Name, "")
	}
	t.Setenv(settings.EnvWorkerAddr, "127.0.0.1:0") // a worker that gets that far binds any free port
	keysDir, _, _ := prodKeys(t, keyring.RequiredSigners(demoOrgT(t))...)
	t.Setenv(settings.EnvAddr, "127.0.0.1:0") // the server binds before it connects
	t.Setenv(settings.EnvTemporalAddress, "127.0.0.1:1")
	t.Setenv(settings.EnvS3Endpoint, "127.0.0.1:1")
	t.Setenv(settings.EnvS3AccessKey, "a")
	t.Setenv(settings.EnvS3SecretKey, "b")
	t.Setenv(settings.EnvOrgConfig, "../../internal/orgconfig/demo.yaml")
	t.Setenv(settings.EnvTokenSecret, strings.Repeat("s", 32))
	t.Setenv(settings.EnvBallotKey, strings.Repeat("ab", 32))
	t.Setenv(settings.EnvKeysDir, keysDir)
	t.Setenv(settings.EnvKeysPassword, testP12Password)
}

// Both production processes refuse to start, with an error that names AWARDFLOW_DB and
// never shows the password, when the records store is unreachable or was migrated by a
// newer awardflow; they migrate and seed a new store before anything else.
func TestServerAndWorkerOpenTheStore(t *testing.T) {
	prodEnv(t)
	for _, cmd := range []string{"server", "worker"} {
		t.Run(cmd, func(t *testing.T) {
			t.Setenv(settings.EnvDB, "postgres://awardflow:hunter2@127.0.0.1:1/awardflow?sslmode=disable&connect_timeout=2")
			start := time.Now()
			_, _, err := runCmd(t, "", cmd)
			if err == nil || !strings.Contains(err.Error(), settings.EnvDB) || !strings.Contains(err.Error(), "refusing to start") || strings.Contains(err.Error(), "hunter2") {
				t.Fatalf("unreachable store: %v (want a refusal naming %s, without the password)", err, settings.EnvDB)
			}
			if d := time.Since(start); d > storeOpenTimeout {
				t.Errorf("refusing took %s", d)
			}

			// A store a newer binary migrated: refused, and left as it is.
			dsn := store.SQLiteDSN(filepath.Join(t.TempDir(), "awardflow.db"))
			st, err := store.Open(context.Background(), dsn)
			if err != nil {
				t.Fatal(err)
			}
			latest := store.LatestVersion(store.SQLite)
			if _, err := st.DB().Exec(`INSERT INTO store_schema_version (version_id, is_applied) VALUES (?, TRUE)`, latest+1); err != nil {
				t.Fatal(err)
			}
			st.Close()
			t.Setenv(settings.EnvDB, dsn)
			_, _, err = runCmd(t, "", cmd)
			if err == nil || !strings.Contains(err.Error(), "newer than this binary") || !strings.Contains(err.Error(), settings.EnvDB) {
				t.Fatalf("newer store: %v", err)
			}

			// A new store is migrated and its directory seeded before Temporal is dialled
			// (here unreachable, so the command ends there).
			file := filepath.Join(t.TempDir(), "awardflow.db")
			t.Setenv(settings.EnvDB, store.SQLiteDSN(file))
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			if err := run(ctx, []string{cmd}, strings.NewReader(""), &strings.Builder{}, &strings.Builder{}, slog.New(slog.DiscardHandler)); err == nil || strings.Contains(err.Error(), settings.EnvDB) {
				t.Fatalf("with an unreachable Temporal: %v (want a Temporal error)", err)
			}
			st, err = store.Open(context.Background(), store.SQLiteDSN(file))
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			if v, err := store.SchemaVersion(context.Background(), st.DB(), store.SQLite); err != nil || v != latest {
				t.Errorf("schema version %d (%v), want %d", v, err, latest)
			}
			people, err := st.People(context.Background(), store.PeopleFilter{IncludeInactive: true})
			if err != nil || len(people) == 0 {
				t.Errorf("directory not seeded: %d people, %v", len(people), err)
			}
		})
	}
}

// TestWorkflowCacheSetting: the worker's cache bound is a whole number in range, and a
// wrong one stops the start naming the variable.
func TestWorkflowCacheSetting(t *testing.T) {
	prodEnv(t)
	t.Setenv(settings.EnvDB, store.SQLiteDSN(filepath.Join(t.TempDir(), "awardflow.db")))
	for _, bad := range []string{"0", "-5", "abc", "1000001", "2e3"} {
		t.Setenv(settings.EnvWorkflowCache, bad)
		if _, _, err := runCmd(t, "", "worker"); err == nil || !strings.Contains(err.Error(), settings.EnvWorkflowCache) {
			t.Errorf("%s=%q: %v (want a refusal naming it)", settings.EnvWorkflowCache, bad, err)
		}
	}
	vals := map[string]string{}
	for _, v := range settings.Vars {
		vals[v.Name] = v.Default
	}
	vals[settings.EnvOrgConfig] = "../../internal/orgconfig/demo.yaml"
	vals[settings.EnvBallotKey] = strings.Repeat("ab", 32)
	vals[settings.EnvWorkflowCache] = "500"
	cfg, err := configFromEnv(vals, slog.New(slog.DiscardHandler), false)
	if err != nil || cfg.WorkflowCacheSize != 500 {
		t.Fatalf("500: %d %v", cfg.WorkflowCacheSize, err)
	}
}
