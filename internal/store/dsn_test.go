package store_test

import (
	"strings"
	"testing"

	"github.com/awardflow/awardflow/internal/store"
)

func TestParseDSN(t *testing.T) {
	for _, tc := range []struct {
		dsn     string
		dialect store.Dialect
		driver  string // prefix of the driver DSN
	}{
		{"sqlite:///var/lib/awardflow/awardflow.db", store.SQLite, "/var/lib/awardflow/awardflow.db?"},
		{"sqlite://./data/awardflow.db", store.SQLite, "data/awardflow.db?"},
		{"postgres://awardflow:secret@db:5432/awardflow?sslmode=disable", store.Postgres, "postgres://awardflow:secret@db:5432/awardflow"},
		{"postgresql://db/awardflow", store.Postgres, "postgresql://db/awardflow"},
	} {
		d, drv, err := store.ParseDSN(tc.dsn)
		if err != nil || d != tc.dialect || !strings.HasPrefix(drv, tc.driver) {
			t.Errorf("ParseDSN(%q) = %s, %q, %v", tc.dsn, d, drv, err)
		}
		if d == store.SQLite {
			for _, want := range []string{"journal_mode%28WAL%29", "foreign_keys%281%29", "busy_timeout%2810000%29", "_txlock=immediate"} {
				if !strings.Contains(drv, want) {
					t.Errorf("SQLite DSN %q lacks %s", drv, want)
				}
			}
		}
	}
	for _, bad := range []string{"", "mysql://x", "sqlite://", "sqlite:///a?b.db", "sqlite:///a#b", "/plain/path.db",
		"postgres://u:topsecret@h:bad port/x"} {
		_, _, err := store.ParseDSN(bad)
		if err == nil {
			t.Errorf("ParseDSN(%q) accepted", bad)
		} else if strings.Contains(err.Error(), "topsecret") {
			t.Errorf("ParseDSN(%q) error shows the password: %v", bad, err)
		}
	}
}

// The SQLite store really runs in WAL mode with foreign keys on.
func TestSQLitePragmas(t *testing.T) {
	s := sqliteEnv().open(t)
	var mode string
	var fk, busy int
	must(t, s.DB().QueryRowContext(ctx(t), `PRAGMA journal_mode`).Scan(&mode))
	must(t, s.DB().QueryRowContext(ctx(t), `PRAGMA foreign_keys`).Scan(&fk))
	must(t, s.DB().QueryRowContext(ctx(t), `PRAGMA busy_timeout`).Scan(&busy))
	if mode != "wal" || fk != 1 || busy < 1000 {
		t.Errorf("journal_mode=%s foreign_keys=%d busy_timeout=%d", mode, fk, busy)
	}
}

func TestRebind(t *testing.T) {
	q := `SELECT a FROM t WHERE b = ? AND c LIKE ? ESCAPE '\' AND d = '?' AND e IN (?, ?)`
	if got, want := store.Rebind(store.Postgres, q), `SELECT a FROM t WHERE b = $1 AND c LIKE $2 ESCAPE '\' AND d = '?' AND e IN ($3, $4)`; got != want {
		t.Errorf("Rebind:\n got %s\nwant %s", got, want)
	}
	if got := store.Rebind(store.SQLite, q); got != q {
		t.Errorf("Rebind changed a SQLite query: %s", got)
	}
}
