package store_test

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/awardflow/awardflow/internal/award"
	"github.com/awardflow/awardflow/internal/store"
	"github.com/awardflow/awardflow/internal/testenv"
)

// repoTest is one repository test; TestRepository runs each against SQLite and against a
// real PostgreSQL, each time on a freshly migrated, empty database.
type repoTest struct {
	name string
	fn   func(t *testing.T, env *dbEnv)
}

// dbEnv is one dialect's way of making fresh stores.
type dbEnv struct {
	dialect store.Dialect
	// newDSN makes a new empty database and returns its DSN.
	newDSN func(t *testing.T) string
}

// open opens (and migrates) a new empty database.
func (e *dbEnv) open(t *testing.T) *store.Store {
	t.Helper()
	return e.openDSN(t, e.newDSN(t))
}

// openDSN opens a store on an existing database; closed in t.Cleanup.
func (e *dbEnv) openDSN(t *testing.T, dsn string) *store.Store {
	t.Helper()
	s, err := store.Open(ctx(t), dsn)
	if err != nil {
		t.Fatalf("open %s store: %v", e.dialect, err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

func sqliteEnv() *dbEnv {
	return &dbEnv{dialect: store.SQLite, newDSN: func(t *testing.T) string {
		return store.SQLiteDSN(filepath.Join(t.TempDir(), "awardflow.db"))
	}}
}

func postgresEnv(srv testenv.PostgresServer) *dbEnv {
	return &dbEnv{dialect: store.Postgres, newDSN: func(t *testing.T) string { return srv.NewDatabase(t) }}
}

// forEachDialect runs fn as a subtest per dialect: "sqlite" always, "postgres" on a
// server started for the subtest (skipped loudly without PostgreSQL, failed when
// AWARDFLOW_REQUIRE_REAL=1).
func forEachDialect(t *testing.T, fn func(t *testing.T, env *dbEnv)) {
	t.Run("sqlite", func(t *testing.T) { fn(t, sqliteEnv()) })
	t.Run("postgres", func(t *testing.T) { fn(t, postgresEnv(testenv.PostgreSQL(t))) })
}

func ctx(t testing.TB) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	t.Cleanup(cancel)
	return c
}

func wantCode(t *testing.T, err error, code award.Code) {
	t.Helper()
	var ae *award.Error
	if !errors.As(err, &ae) || ae.Code != code {
		t.Fatalf("error %v: want an award error with code %s", err, code)
	}
}

func wantIs(t *testing.T, err, target error) {
	t.Helper()
	if !errors.Is(err, target) {
		t.Fatalf("error %v: want %v", err, target)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
