package store_test

import (
	"database/sql"
	"io/fs"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/awardflow/awardflow/internal/store"
)

// The migrations run up from an empty database on both dialects, create every table,
// record the latest version, and a second run applies nothing.
func TestMigrationsUpFromEmpty(t *testing.T) {
	forEachDialect(t, func(t *testing.T, env *dbEnv) {
		db, d, err := store.OpenDB(ctx(t), env.newDSN(t))
		must(t, err)
		defer db.Close()
		if d != env.dialect {
			t.Fatalf("dialect %s, want %s", d, env.dialect)
		}
		v, err := store.SchemaVersion(ctx(t), db, d)
		must(t, err)
		if v != 0 {
			t.Fatalf("empty database at version %d", v)
		}
		res, err := store.Migrate(ctx(t), db, d)
		must(t, err)
		if len(res) == 0 || res[len(res)-1].Version != store.LatestVersion(d) {
			t.Fatalf("applied %+v, want up to version %d", res, store.LatestVersion(d))
		}
		for _, table := range []string{"store_meta", "units", "people", "person_roles", "person_history", "documents",
			"awardees", "revocations", "projection", "projection_assignees", "own_row_intents"} {
			var n int
			if err := db.QueryRowContext(ctx(t), "SELECT COUNT(*) FROM "+table).Scan(&n); err != nil || n != 0 {
				t.Errorf("table %s after migrating: %d rows, %v", table, n, err)
			}
		}
		again, err := store.Migrate(ctx(t), db, d)
		must(t, err)
		if len(again) != 0 {
			t.Errorf("second Migrate applied %+v", again)
		}
		v, err = store.SchemaVersion(ctx(t), db, d)
		must(t, err)
		if v != store.LatestVersion(d) {
			t.Errorf("version %d, want %d", v, store.LatestVersion(d))
		}
	})
}

// A schema migrated by a newer binary is refused rather than used blindly.
func TestMigrateRefusesNewerSchema(t *testing.T) {
	forEachDialect(t, func(t *testing.T, env *dbEnv) {
		dsn := env.newDSN(t)
		s := env.openDSN(t, dsn)
		if _, err := s.DB().ExecContext(ctx(t), store.Rebind(env.dialect,
			`INSERT INTO store_schema_version (version_id, is_applied) VALUES (?, ?)`), store.LatestVersion(env.dialect)+1, true); err != nil {
			t.Fatal(err)
		}
		if _, err := store.Open(ctx(t), dsn); err == nil || !strings.Contains(err.Error(), "newer than this binary") {
			t.Errorf("Open on a newer schema: %v", err)
		}
	})
}

// Several processes opening one empty database at once: all succeed, the schema is
// migrated once.
func TestMigrateConcurrentOpen(t *testing.T) {
	forEachDialect(t, func(t *testing.T, env *dbEnv) {
		dsn := env.newDSN(t)
		var wg sync.WaitGroup
		errs := make([]error, 4)
		for i := range errs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				s, err := store.Open(ctx(t), dsn)
				if err == nil {
					s.Close()
				}
				errs[i] = err
			}()
		}
		wg.Wait()
		for _, err := range errs {
			must(t, err)
		}
		s := env.openDSN(t, dsn)
		var n int
		must(t, s.DB().QueryRowContext(ctx(t), `SELECT COUNT(*) FROM store_schema_version WHERE version_id > 0`).Scan(&n))
		if want := len(versions(t, env.dialect)); n != want {
			t.Errorf("%d migration rows, want %d (each once)", n, want)
		}
	})
}

func versions(t *testing.T, d store.Dialect) []string {
	fsys, err := store.MigrationFS(d)
	must(t, err)
	entries, err := fs.ReadDir(fsys, ".")
	must(t, err)
	var out []string
	for _, e := range entries {
		out = append(out, e.Name())
	}
	return out
}

// Each dialect runs the common migrations plus its own, numbered once across them.
func TestMigrationSources(t *testing.T) {
	for _, d := range []store.Dialect{store.SQLite, store.Postgres} {
		names := versions(t, d)
		if len(names) < 3 || !slices.IsSorted(names) {
			t.Errorf("%s migrations: %v", d, names)
		}
		seen := map[string]bool{}
		for _, n := range names {
			v, _, _ := strings.Cut(n, "_")
			if seen[v] {
				t.Errorf("%s: version %s twice", d, v)
			}
			seen[v] = true
		}
	}
}

var _ = sql.ErrNoRows

// Migration versions are read in base 10 as goose reads them, and the embedded files of
// each dialect number 1, 2, … without a gap (the binary's idea of the latest version is
// the one goose applies last).
func TestMigrationVersionsBase10(t *testing.T) {
	for name, want := range map[string]int64{"00008_upward.sql": 8, "00009_x.sql": 9, "00010_x.sql": 10, "00123_x.sql": 123, "00001_directory.sql": 1} {
		if got, ok := store.VersionOf(name); !ok || got != want {
			t.Errorf("%s: version %d (%t), want %d", name, got, ok, want)
		}
	}
	for _, d := range []store.Dialect{store.SQLite, store.Postgres} {
		vs := store.MigrationVersions(d)
		for i, v := range vs {
			if v != int64(i+1) {
				t.Fatalf("%s: migration versions %v: want 1..%d without a gap", d, vs, len(vs))
			}
		}
		if store.LatestVersion(d) != int64(len(vs)) {
			t.Fatalf("%s: latest %d of %v", d, store.LatestVersion(d), vs)
		}
	}
}
