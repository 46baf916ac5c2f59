package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/awardflow/awardflow/internal/settings"
	"github.com/awardflow/awardflow/internal/store"
)

// runMigrate applies the store's pending schema migrations (or, with "status", only
// reports the versions). Servers and workers migrate at start too; the command lets an
// operator do it first, in a maintenance window, and see what ran.
func runMigrate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("migrate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, `awardflow migrate [status]: apply the records store's schema migrations
(cập nhật lược đồ cơ sở dữ liệu hồ sơ), or with "status" only show the versions.

The store is named by the environment variable %s:
  sqlite:///var/lib/awardflow/awardflow.db            (the file "awardflow dev" uses is <data dir>/awardflow.db)
  postgres://awardflow:PASSWORD@db:5432/awardflow?sslmode=disable
`, settings.EnvDB)
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	statusOnly := false
	switch rest := fs.Args(); {
	case len(rest) == 1 && rest[0] == "status":
		statusOnly = true
	case len(rest) > 0:
		fs.Usage()
		return fmt.Errorf("migrate: unexpected arguments %q", strings.Join(rest, " "))
	}
	dsn := strings.TrimSpace(os.Getenv(settings.EnvDB))
	if dsn == "" {
		return fmt.Errorf("thiếu biến môi trường / missing environment variable %s (sqlite:///path/awardflow.db or postgres://…)", settings.EnvDB)
	}
	db, dialect, err := store.OpenDB(ctx, dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	before, err := store.SchemaVersion(ctx, db, dialect)
	if err != nil {
		return err
	}
	latest := store.LatestVersion(dialect)
	if statusOnly {
		fmt.Fprintf(stdout, "store (%s): schema version %d, this binary's latest %d\n", dialect, before, latest)
		if before > latest {
			return errors.New("the store's schema is newer than this binary: run a newer awardflow")
		}
		if before < latest {
			fmt.Fprintf(stdout, "%d migration(s) pending: run awardflow migrate\n", countPending(before, dialect))
		}
		return nil
	}
	applied, err := store.Migrate(ctx, db, dialect)
	if err != nil {
		return err
	}
	if len(applied) == 0 {
		fmt.Fprintf(stdout, "store (%s): up to date at schema version %d\n", dialect, before)
		return nil
	}
	for _, m := range applied {
		fmt.Fprintf(stdout, "applied %s (version %d)\n", m.Source, m.Version)
	}
	fmt.Fprintf(stdout, "store (%s): schema version %d -> %d\n", dialect, before, applied[len(applied)-1].Version)
	return nil
}

func countPending(current int64, d store.Dialect) int {
	n := 0
	for _, v := range store.MigrationVersions(d) {
		if v > current {
			n++
		}
	}
	return n
}
