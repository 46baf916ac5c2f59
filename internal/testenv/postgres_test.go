package testenv_test

import (
	"context"
	"database/sql"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/awardflow/awardflow/internal/testenv"
)

// TestPostgreSQLServer proves the harness: a real server answers SQL in a database of
// its own, listens on 127.0.0.1 only, runs as an unprivileged user when the test runs as
// root, and is gone — process, port and directory — after its test's cleanup.
func TestPostgreSQLServer(t *testing.T) {
	var srv testenv.PostgresServer
	var dataDir string
	t.Run("running", func(t *testing.T) {
		srv = testenv.PostgreSQL(t)
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		dsn := srv.NewDatabase(t)
		db, err := sql.Open("pgx", dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		var name, listen, dir string
		if err := db.QueryRowContext(ctx, `SELECT current_database(), current_setting('listen_addresses'), current_setting('data_directory')`).
			Scan(&name, &listen, &dir); err != nil {
			t.Fatalf("query the new database: %v", err)
		}
		if !strings.HasSuffix(dsn, "/"+name+"?sslmode=disable") || name == "postgres" {
			t.Errorf("connected to %q, want the new database of %s", name, dsn)
		}
		if listen != "127.0.0.1" {
			t.Errorf("listen_addresses = %q, want 127.0.0.1 only", listen)
		}
		// Vietnamese text round-trips (UTF-8 database).
		var got string
		if err := db.QueryRowContext(ctx, `SELECT $1::text`, "Nguyễn Thị Hồng Đào").Scan(&got); err != nil || got != "Nguyễn Thị Hồng Đào" {
			t.Errorf("UTF-8 round trip: %q, %v", got, err)
		}
		dataDir = dir
		fi, err := os.Stat(filepath.Join(dir, "postmaster.pid"))
		if err != nil {
			t.Fatalf("postmaster.pid: %v", err)
		}
		uid := fi.Sys().(*syscall.Stat_t).Uid
		if os.Geteuid() == 0 && uid == 0 {
			t.Errorf("the server runs as root (postmaster.pid owned by uid 0); want an unprivileged user")
		}
		if os.Geteuid() != 0 && int(uid) != os.Geteuid() {
			t.Errorf("postmaster.pid owned by uid %d, want this user %d", uid, os.Geteuid())
		}
		// Two databases of one server are apart.
		other := srv.NewDatabase(t)
		if other == dsn {
			t.Errorf("NewDatabase returned the same DSN twice: %s", dsn)
		}
	})
	if t.Failed() || srv.Port == 0 {
		return
	}
	// The subtest's cleanup stopped the server and removed its directory.
	if c, err := net.DialTimeout("tcp", net.JoinHostPort(srv.Host, strconv.Itoa(srv.Port)), time.Second); err == nil {
		c.Close()
		t.Errorf("port %d still accepts connections after cleanup", srv.Port)
	}
	if _, err := os.Stat(dataDir); !os.IsNotExist(err) {
		t.Errorf("data directory %s still there after cleanup (%v)", dataDir, err)
	}
}

// TestPostgresBinDir finds the server binaries the way PostgreSQL does, and an override
// that names a directory without them is an error, not a silent fallback.
func TestPostgresBinDir(t *testing.T) {
	t.Setenv(testenv.EnvPostgresBinDir, t.TempDir())
	if _, err := testenv.PostgresBinDir(); err == nil {
		t.Errorf("%s naming an empty directory: want an error", testenv.EnvPostgresBinDir)
	}
}
