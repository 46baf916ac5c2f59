package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
	"testing/fstest"

	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
)

// The migrations: migrations/common holds the dialect-neutral files (all of them so
// far); migrations/sqlite and migrations/postgres may hold files for one dialect only.
// A dialect runs common plus its own files, ordered by version, so a version number is
// used once across the three directories (TestMigrationSources checks it).
//
//go:embed migrations
var migrationFiles embed.FS

// versionTable is goose's bookkeeping table.
const versionTable = "store_schema_version"

// migrationLockID is the PostgreSQL advisory lock held while migrating (per database).
const migrationLockID int64 = 0x617764666c6f77 // "awdflow"

// MigrationResult is one migration applied by Migrate.
type MigrationResult struct {
	Version int64
	Source  string // file name
}

// migrationFS merges the common and the dialect's own migrations into one flat FS.
func migrationFS(d Dialect) (fs.FS, error) {
	out := fstest.MapFS{}
	versions := map[string]string{}
	for _, dir := range []string{"migrations/common", "migrations/" + string(d)} {
		entries, err := fs.ReadDir(migrationFiles, dir)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", dir, err)
		}
		for _, e := range entries {
			if e.IsDir() || !strings.HasSuffix(e.Name(), ".sql") {
				continue
			}
			v, _, ok := strings.Cut(e.Name(), "_")
			if !ok {
				return nil, fmt.Errorf("migration %s/%s: name must be <version>_<name>.sql", dir, e.Name())
			}
			if prev, dup := versions[v]; dup {
				return nil, fmt.Errorf("migration version %s used twice: %s and %s/%s", v, prev, dir, e.Name())
			}
			versions[v] = dir + "/" + e.Name()
			b, err := fs.ReadFile(migrationFiles, path.Join(dir, e.Name()))
			if err != nil {
				return nil, err
			}
			out[e.Name()] = &fstest.MapFile{Data: b, Mode: 0o444}
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no migrations for dialect %s", d)
	}
	return out, nil
}

func provider(db *sql.DB, d Dialect) (*goose.Provider, error) {
	fsys, err := migrationFS(d)
	if err != nil {
		return nil, err
	}
	opts := []goose.ProviderOption{goose.WithTableName(versionTable), goose.WithDisableGlobalRegistry(true)}
	var gd goose.Dialect
	switch d {
	case SQLite:
		gd = goose.DialectSQLite3
	case Postgres:
		gd = goose.DialectPostgres
		// Two servers starting at once: one migrates, the other waits for it.
		// Retried every second for up to 5 minutes (goose's default period is 5 s).
		locker, err := lock.NewPostgresSessionLocker(lock.WithLockID(migrationLockID), lock.WithLockTimeout(1, 300))
		if err != nil {
			return nil, fmt.Errorf("migration lock: %w", err)
		}
		opts = append(opts, goose.WithSessionLocker(locker))
	default:
		return nil, fmt.Errorf("unknown dialect %q", d)
	}
	p, err := goose.NewProvider(gd, db, fsys, opts...)
	if err != nil {
		return nil, fmt.Errorf("migrations: %w", err)
	}
	return p, nil
}

// Migrate applies the pending migrations to db and returns what it applied (nothing when
// the schema is current). A database migrated by a newer binary (a version this one does
// not know) is refused, so an old binary never runs against a schema it does not know.
func Migrate(ctx context.Context, db *sql.DB, d Dialect) ([]MigrationResult, error) {
	if d == SQLite {
		unlock, err := lockSQLiteMigrations(ctx, db)
		if err != nil {
			return nil, err
		}
		defer unlock()
	}
	p, err := provider(db, d)
	if err != nil {
		return nil, err
	}
	current, err := p.GetDBVersion(ctx)
	if err != nil && !errors.Is(err, goose.ErrVersionNotFound) {
		return nil, fmt.Errorf("read the schema version: %w", err)
	}
	if latest := LatestVersion(d); current > latest {
		return nil, fmt.Errorf("the store's schema is at version %d, newer than this binary knows (%d): run a newer awardflow", current, latest)
	}
	res, err := p.Up(ctx)
	if err != nil {
		return nil, fmt.Errorf("migrate the store (%s): %w", d, err)
	}
	out := make([]MigrationResult, 0, len(res))
	for _, r := range res {
		out = append(out, MigrationResult{Version: r.Source.Version, Source: path.Base(r.Source.Path)})
	}
	return out, nil
}

// SchemaVersion is the database's current migration version (0 for an empty database).
func SchemaVersion(ctx context.Context, db *sql.DB, d Dialect) (int64, error) {
	p, err := provider(db, d)
	if err != nil {
		return 0, err
	}
	v, err := p.GetDBVersion(ctx)
	if errors.Is(err, goose.ErrVersionNotFound) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("read the schema version: %w", err)
	}
	return v, nil
}

// LatestVersion is the newest migration version embedded for d.
func LatestVersion(d Dialect) int64 {
	vs := migrationVersions(d)
	if len(vs) == 0 {
		return 0
	}
	return vs[len(vs)-1]
}

// MigrationVersions lists the migration versions embedded for d, ascending.
func MigrationVersions(d Dialect) []int64 { return migrationVersions(d) }

func migrationVersions(d Dialect) []int64 {
	fsys, err := migrationFS(d)
	if err != nil {
		return nil
	}
	var out []int64
	entries, _ := fs.ReadDir(fsys, ".")
	for _, e := range entries {
		v, _, _ := strings.Cut(e.Name(), "_")
		// Base 10: fmt.Sscan reads "00008" as a bad octal number and skipped it.
		if n, err := strconv.ParseInt(v, 10, 64); err == nil {
			out = append(out, n)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

// sqliteFile is the path of the main database file ("" for an in-memory database).
func sqliteFile(ctx context.Context, db *sql.DB) (string, error) {
	rows, err := db.QueryContext(ctx, `PRAGMA database_list`)
	if err != nil {
		return "", fmt.Errorf("locate the SQLite file: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var seq int
		var name, file string
		if err := rows.Scan(&seq, &name, &file); err != nil {
			return "", fmt.Errorf("locate the SQLite file: %w", err)
		}
		if name == "main" {
			return file, nil
		}
	}
	return "", rows.Err()
}
