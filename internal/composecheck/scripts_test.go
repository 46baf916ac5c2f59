package composecheck

import (
	"context"
	"net/url"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/awardflow/awardflow/internal/store"
	"github.com/awardflow/awardflow/internal/testenv"
)

// runDBScript runs scripts/compose/awardflow-db.sh (the awardflow-db one-shot) against
// srv as its superuser, with PostgreSQL's own psql and pg_isready.
func runDBScript(t *testing.T, srv testenv.PostgresServer, name, user, password string) string {
	t.Helper()
	script, err := filepath.Abs(filepath.Join("..", "..", "scripts", "compose", "awardflow-db.sh"))
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("/bin/sh", script)
	cmd.Env = []string{
		"PATH=" + srv.BinDir + ":/usr/bin:/bin",
		"PGHOST=" + srv.Host, "PGPORT=" + strconv.Itoa(srv.Port), "PGUSER=" + srv.User, "PGPASSWORD=unused-with-trust",
		"APP_DB_NAME=" + name, "APP_DB_USER=" + user, "APP_DB_PASSWORD=" + password,
	}
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("awardflow-db.sh: %v\n%s", err, out)
	}
	return string(out)
}

// The awardflow-db one-shot creates awardflow's database and an unprivileged role that
// owns it, twice without harm (compose runs it at every `up`); the password, whatever
// characters it holds, never appears in its output; awardflow then migrates its store
// there as that role.
func TestAwardflowDBScript(t *testing.T) {
	srv := testenv.PostgreSQL(t)
	const password = `p'a"ss; DROP ROLE postgres; --`
	for range 2 {
		if out := runDBScript(t, srv, "awardflow", "awardflow", password); strings.Contains(out, "DROP ROLE") || !strings.Contains(out, "ready") {
			t.Fatalf("output: %s", out)
		}
	}
	u, _ := url.Parse(srv.DSN("awardflow"))
	u.User = url.UserPassword("awardflow", password)
	ctx := context.Background()
	st, err := store.Open(ctx, u.String())
	if err != nil {
		t.Fatalf("open the store as the awardflow role: %v", err)
	}
	defer st.Close()
	var owner string
	var super, hasPassword bool
	admin, _, err := store.OpenDB(ctx, srv.DSN("postgres"))
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	if err := admin.QueryRowContext(ctx, `SELECT pg_get_userbyid(d.datdba), r.rolsuper, r.rolpassword IS NOT NULL
		FROM pg_database d, pg_authid r WHERE d.datname = 'awardflow' AND r.rolname = 'awardflow'`).Scan(&owner, &super, &hasPassword); err != nil {
		t.Fatal(err)
	}
	if owner != "awardflow" || super || !hasPassword {
		t.Fatalf("database owner %q, superuser %v, password set %v", owner, super, hasPassword)
	}
	// The postgres superuser still exists: the password was data, not SQL.
	var n int
	if err := admin.QueryRowContext(ctx, `SELECT count(*) FROM pg_roles WHERE rolname = 'postgres'`).Scan(&n); err != nil || n != 1 {
		t.Fatalf("postgres role: %d, %v", n, err)
	}
}
