package testenv

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// EnvPostgresBinDir names the directory holding initdb, postgres and createdb; by default
// `pg_config --bindir`, else the newest /usr/lib/postgresql/*/bin, else PATH.
const EnvPostgresBinDir = "AWARDFLOW_PG_BINDIR"

// PostgresServer is a throwaway PostgreSQL cluster on 127.0.0.1 owned by one test. Its
// superuser (User) signs in without a password over loopback TCP and the cluster's own
// Unix socket directory; nothing else can reach it.
type PostgresServer struct {
	Host      string // 127.0.0.1
	Port      int
	User      string // the cluster's superuser ("postgres")
	SocketDir string // Unix socket directory (inside the temporary directory)
	BinDir    string // where initdb, postgres and createdb were found
}

// postgresReadyTimeout bounds the wait for the server to accept connections; it usually
// takes well under a second.
const postgresReadyTimeout = 60 * time.Second

// PostgreSQL starts a fresh PostgreSQL cluster for t: initdb into a temporary directory,
// then the server on 127.0.0.1, a free port, its Unix sockets in the same directory,
// fsync off (a throwaway cluster). When the test process runs as root the cluster runs
// as an unprivileged user (the system user "postgres" if there is one, else "nobody"),
// since PostgreSQL refuses to run as root; the directory is owned by that user. It is
// stopped (fast shutdown) and removed in t.Cleanup.
//
// Without the PostgreSQL server binaries the test fails when AWARDFLOW_REQUIRE_REAL=1 and
// is skipped (loudly) otherwise; scripts/test-all.sh installs the Debian package
// "postgresql".
func PostgreSQL(t testing.TB) PostgresServer {
	t.Helper()
	bin, err := PostgresBinDir()
	if err != nil {
		if RequireReal() {
			t.Fatalf("PostgreSQL server not available and %s=1: %v", EnvRequireReal, err)
		}
		t.Skipf("SKIPPED — PostgreSQL not installed: apt-get install postgresql, or run bash scripts/test-all.sh (%v)", err)
	}
	runAs, err := postgresUser()
	if err != nil {
		t.Fatalf("PostgreSQL: %v", err)
	}
	base, err := os.MkdirTemp("", "awardflow-pg-")
	if err != nil {
		t.Fatalf("PostgreSQL: temporary directory: %v", err)
	}
	t.Cleanup(func() { _ = os.RemoveAll(base) })
	if runAs != nil {
		if err := os.Chown(base, int(runAs.uid), int(runAs.gid)); err != nil {
			t.Fatalf("PostgreSQL: chown %s to %s: %v", base, runAs.name, err)
		}
	}
	dataDir := filepath.Join(base, "data")
	initdb := exec.Command(filepath.Join(bin, "initdb"), "-D", dataDir, "-U", "postgres", "--auth=trust",
		"-E", "UTF8", "--locale=C", "--no-sync", "--no-instructions")
	initdb.Env = postgresEnv()
	initdb.Dir = base
	if runAs != nil {
		initdb.SysProcAttr = childSysProcAttrAs(runAs.uid, runAs.gid)
	}
	if out, err := initdb.CombinedOutput(); err != nil {
		t.Fatalf("PostgreSQL: initdb: %v\n%s", err, out)
	}

	// Port races with other processes are possible between picking and binding; a
	// server that dies at once is retried on another port.
	var lastErr error
	for attempt := 0; attempt < 3; attempt++ {
		srv, err := startPostgres(t, bin, base, dataDir, runAs)
		if err == nil {
			return srv
		}
		lastErr = err
		if !errors.Is(err, errPostgresExited) {
			break
		}
	}
	t.Fatalf("start PostgreSQL (%s): %v", bin, lastErr)
	return PostgresServer{}
}

// DSN is the URL of database db on the server (pgx and lib/pq read it).
func (s PostgresServer) DSN(db string) string {
	u := url.URL{Scheme: "postgres", User: url.User(s.User), Host: net.JoinHostPort(s.Host, strconv.Itoa(s.Port)),
		Path: "/" + db, RawQuery: "sslmode=disable"}
	return u.String()
}

var databaseSeq atomic.Int64

// NewDatabase creates an empty database with a fresh name and returns its DSN; tests
// that share one server each get their own database.
func (s PostgresServer) NewDatabase(t testing.TB) string {
	t.Helper()
	name := fmt.Sprintf("t%d_%s", databaseSeq.Add(1), randomHex(4))
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, filepath.Join(s.BinDir, "createdb"), "-h", s.Host, "-p", strconv.Itoa(s.Port),
		"-U", s.User, "-E", "UTF8", "-T", "template0", name)
	cmd.Env = postgresEnv()
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("createdb %s: %v\n%s", name, err, out)
	}
	return s.DSN(name)
}

var errPostgresExited = errors.New("postgres exited before it was ready")

func startPostgres(t testing.TB, bin, base, dataDir string, runAs *osUser) (PostgresServer, error) {
	t.Helper()
	port, err := freePort()
	if err != nil {
		return PostgresServer{}, err
	}
	srv := PostgresServer{Host: "127.0.0.1", Port: port, User: "postgres", SocketDir: base, BinDir: bin}
	cmd := exec.Command(filepath.Join(bin, "postgres"), "-D", dataDir,
		"-h", srv.Host, "-p", strconv.Itoa(port), "-k", base,
		"-F", // no fsync: a throwaway cluster
		// Pools of several tests at once: the production topology test alone runs four
		// awardflow processes (16 each) and a Temporal server whose four services each
		// hold a default and a visibility pool (up to 30 each). At 60, one of its
		// requests met "too many clients" in CI and answered 503.
		"-c", "max_connections=400",
		"-c", "logging_collector=off",
		"-c", "log_min_messages=warning")
	cmd.Env = postgresEnv()
	cmd.Dir = base
	logs := &lockedBuffer{}
	cmd.Stdout = logs
	cmd.Stderr = logs
	if runAs != nil {
		cmd.SysProcAttr = childSysProcAttrAs(runAs.uid, runAs.gid)
	} else {
		cmd.SysProcAttr = childSysProcAttr()
	}
	proc, err := startLocked(cmd)
	if err != nil {
		return PostgresServer{}, fmt.Errorf("exec postgres: %w", err)
	}
	// SIGINT is PostgreSQL's fast shutdown: it ends open sessions (a test's pool may
	// still hold some) instead of waiting for them as SIGTERM's smart shutdown does.
	proc.sig = syscall.SIGINT
	t.Cleanup(proc.stop)

	if err := waitPostgres(srv, proc.done); err != nil {
		proc.stop()
		return PostgresServer{}, fmt.Errorf("%w (exit: %v)\n--- postgres output ---\n%s", err, proc.waitErr, logs.String())
	}
	return srv, nil
}

// waitPostgres polls pg_isready until the server accepts connections.
func waitPostgres(srv PostgresServer, done <-chan struct{}) error {
	deadline := time.Now().Add(postgresReadyTimeout)
	var last []byte
	for time.Now().Before(deadline) {
		select {
		case <-done:
			return errPostgresExited
		default:
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		cmd := exec.CommandContext(ctx, filepath.Join(srv.BinDir, "pg_isready"), "-q", "-h", srv.Host,
			"-p", strconv.Itoa(srv.Port), "-U", srv.User, "-d", "postgres")
		cmd.Env = postgresEnv()
		out, err := cmd.CombinedOutput()
		cancel()
		if err == nil {
			return nil
		}
		last = out
		time.Sleep(50 * time.Millisecond)
	}
	return fmt.Errorf("PostgreSQL not ready after %s: %s", postgresReadyTimeout, bytes.TrimSpace(last))
}

// PostgresBinDir finds the directory of the PostgreSQL server binaries.
func PostgresBinDir() (string, error) {
	has := func(dir string) bool {
		for _, b := range []string{"initdb", "postgres", "createdb", "pg_isready"} {
			if checkExecutable(filepath.Join(dir, b)) != nil {
				return false
			}
		}
		return true
	}
	if d := os.Getenv(EnvPostgresBinDir); d != "" {
		if !has(d) {
			return "", fmt.Errorf("%s=%q has no initdb, postgres, createdb and pg_isready", EnvPostgresBinDir, d)
		}
		return d, nil
	}
	if out, err := exec.Command("pg_config", "--bindir").Output(); err == nil {
		if d := strings.TrimSpace(string(out)); has(d) {
			return d, nil
		}
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	// Newest major version first (numeric, so 9 < 10 < 15).
	sort.Slice(dirs, func(i, j int) bool { return pgMajor(dirs[i]) > pgMajor(dirs[j]) })
	for _, d := range dirs {
		if has(d) {
			return d, nil
		}
	}
	if p, err := exec.LookPath("initdb"); err == nil && has(filepath.Dir(p)) {
		return filepath.Dir(p), nil
	}
	return "", errors.New("no PostgreSQL server binaries (initdb, postgres) via pg_config --bindir, /usr/lib/postgresql/*/bin or PATH")
}

func pgMajor(binDir string) int {
	n, _ := strconv.Atoi(filepath.Base(filepath.Dir(binDir)))
	return n
}

type osUser struct {
	name     string
	uid, gid uint32
}

// postgresUser is who runs the cluster: nil (this process's user) unless it is root,
// then the system user "postgres" (the Debian package makes it) or "nobody".
func postgresUser() (*osUser, error) {
	if os.Geteuid() != 0 {
		return nil, nil
	}
	for _, name := range []string{"postgres", "nobody"} {
		u, err := user.Lookup(name)
		if err != nil {
			continue
		}
		uid, err1 := strconv.ParseUint(u.Uid, 10, 32)
		gid, err2 := strconv.ParseUint(u.Gid, 10, 32)
		if err1 != nil || err2 != nil || uid == 0 {
			continue
		}
		return &osUser{name: name, uid: uint32(uid), gid: uint32(gid)}, nil
	}
	return nil, errors.New("running as root and neither user postgres nor nobody exists to run the cluster")
}

// postgresEnv is the environment without PG* variables, so a developer's PGHOST,
// PGDATA or PGPASSWORD cannot change the throwaway cluster, and in the C locale.
func postgresEnv() []string {
	var out []string
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "PG") || strings.HasPrefix(kv, "LC_") || strings.HasPrefix(kv, "LANG=") {
			continue
		}
		out = append(out, kv)
	}
	return append(out, "LC_ALL=C")
}
