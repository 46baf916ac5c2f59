package main

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/awardflow/awardflow/internal/devapp"
	"github.com/awardflow/awardflow/internal/devapp/devapptest"
	"github.com/awardflow/awardflow/internal/settings"
	"github.com/awardflow/awardflow/internal/store"
	"github.com/awardflow/awardflow/internal/testenv"
)

// `awardflow migrate` applies the migrations to the store $AWARDFLOW_DB names, on SQLite
// and on a real PostgreSQL; a second run applies nothing; "status" reports the versions.
func TestMigrateCommand(t *testing.T) {
	for _, tc := range []struct {
		name string
		dsn  func(t *testing.T) string
	}{
		{"sqlite", func(t *testing.T) string { return store.SQLiteDSN(filepath.Join(t.TempDir(), "awardflow.db")) }},
		{"postgres", func(t *testing.T) string { return testenv.PostgreSQL(t).NewDatabase(t) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dsn := tc.dsn(t)
			t.Setenv(settings.EnvDB, dsn)
			latest := store.LatestVersion(store.Dialect(tc.name))
			out, _, err := runCmd(t, "", "migrate", "status")
			if err != nil || !strings.Contains(out, "schema version 0,") || !strings.Contains(out, "pending") {
				t.Fatalf("status before: %v\n%s", err, out)
			}
			out, _, err = runCmd(t, "", "migrate")
			if err != nil || !strings.Contains(out, "00001_directory.sql") || !strings.Contains(out, fmt.Sprintf("-> %d", latest)) {
				t.Fatalf("migrate: %v\n%s", err, out)
			}
			out, _, err = runCmd(t, "", "migrate")
			if err != nil || !strings.Contains(out, fmt.Sprintf("up to date at schema version %d", latest)) {
				t.Fatalf("second migrate: %v\n%s", err, out)
			}
			out, _, err = runCmd(t, "", "migrate", "status")
			if err != nil || !strings.Contains(out, fmt.Sprintf("schema version %d, this binary's latest %d", latest, latest)) || strings.Contains(out, "pending") {
				t.Fatalf("status after: %v\n%s", err, out)
			}
			// The migrated database opens as a store.
			s, err := store.Open(context.Background(), dsn)
			if err != nil {
				t.Fatal(err)
			}
			s.Close()
		})
	}
}

func TestMigrateCommandRefuses(t *testing.T) {
	t.Setenv(settings.EnvDB, "")
	if _, _, err := runCmd(t, "", "migrate"); err == nil || !strings.Contains(err.Error(), settings.EnvDB) {
		t.Errorf("without %s: %v", settings.EnvDB, err)
	}
	t.Setenv(settings.EnvDB, "mysql://root:hunter2@db/x")
	if _, _, err := runCmd(t, "", "migrate"); err == nil || strings.Contains(err.Error(), "hunter2") {
		t.Errorf("unknown scheme: %v", err)
	}
	t.Setenv(settings.EnvDB, "postgres://awardflow:hunter2@127.0.0.1:1/awardflow?sslmode=disable&connect_timeout=2")
	if _, _, err := runCmd(t, "", "migrate"); err == nil || strings.Contains(err.Error(), "hunter2") {
		t.Errorf("unreachable server: error %v (must fail and not show the password)", err)
	}
	t.Setenv(settings.EnvDB, store.SQLiteDSN(filepath.Join(t.TempDir(), "x.db")))
	if _, _, err := runCmd(t, "", "migrate", "down"); err == nil {
		t.Error("migrate down accepted")
	}
}

// `awardflow dev` keeps the records store in <data dir>/awardflow.db: migrated, the
// directory seeded on the first start only, closed on stop (a restart opens it again).
func TestDevOpensTheStore(t *testing.T) {
	dir := t.TempDir()
	d := devapptest.Start(t, devapp.Options{DataDir: dir})
	if d.Store == nil || d.StoreFile != filepath.Join(dir, "awardflow.db") {
		t.Fatalf("dev store %v at %q", d.Store, d.StoreFile)
	}
	ctx := context.Background()
	people, err := d.Store.People(ctx, store.PeopleFilter{IncludeInactive: true})
	if err != nil || len(people) != len(d.Org.People) {
		t.Fatalf("seeded %d people (%v), want %d", len(people), err, len(d.Org.People))
	}
	// An admin edit survives the restart; the seed does not run again over it.
	if err := d.Store.DeactivatePerson(ctx, people[0].ID, "admin", "test"); err != nil {
		t.Fatal(err)
	}
	d.Stop()
	if err := d.Store.Ping(ctx); err == nil {
		t.Error("the store is still open after Stop")
	}
	d2 := devapptest.Start(t, devapp.Options{DataDir: dir})
	p, err := d2.Store.Person(ctx, people[0].ID)
	if err != nil || p.Active {
		t.Errorf("after a restart: %+v, %v (want the deactivation kept)", p, err)
	}
	h, err := d2.Store.PersonHistory(ctx, people[0].ID)
	if err != nil || len(h) != 2 {
		t.Errorf("history after a restart: %+v, %v (want seeded + deactivated)", h, err)
	}
}
