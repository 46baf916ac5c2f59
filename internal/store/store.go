// Package store is awardflow's records store: the relational database that holds what
// must outlive a workflow's retention — the directory (units, people, their roles and the
// history of their moves), the award register (issued documents, awardees, revocations),
// the document index that `verify` asks, and a projection of proposals and sessions for
// lists, search, paging and statistics.
//
// It runs on two dialects through database/sql with the same SQL: SQLite embedded
// (modernc.org/sqlite, one file in the data directory, WAL) for `awardflow dev`, and
// PostgreSQL (github.com/jackc/pgx/v5) in production. Open picks the dialect from the
// DSN and applies the embedded migrations (github.com/pressly/goose/v3).
//
// Writes made by activities are idempotent: a retried or replayed activity writes the
// same row once, and an older event never overwrites a newer one (see UpsertProjection,
// RecordDocument, Revoke). Times are stored as microseconds since the Unix epoch (UTC) in
// BIGINT columns on both dialects, so that they compare, sort and page identically; they
// come back in UTC, truncated to the microsecond.
//
// # Using it from the workflows and the HTTP layer
//
//   - Open once per process (store.Open with $AWARDFLOW_DB, or <data dir>/awardflow.db in
//     dev) and share the *Store: it is safe for concurrent use.
//   - Projection: at each change a workflow publishes, it computes its row (every field
//     from its state, times from workflow.Now, Seq its own change counter) and its Project
//     activity calls UpsertProjection a second later (workflows/projection.go); the API
//     writes the same row from an update's answer at once (read-your-own-writes). For the
//     changes the API asks a ProposalWorkflowV3 for, the API's write is the only one:
//     BeginOwnRow before the update, WriteOwnRow after it, DueOwnRows / SettleOwnRows for
//     the sweeper that covers a crash in between (workflows/ownrow.go). The
//     same Seq always carries the same content: a different one is ErrConflict (treated
//     as non-retryable: it is a bug). A rebuild (awardflow reindex, package reindex)
//     writes the row each workflow answers for its last change: the same rows with the
//     same Seq change nothing; missing or stale ones are repaired.
//   - Register: the issue activity calls RecordDocument after the file is stored (the
//     SHA-256 of the issued bytes), for decisions, submissions, minutes and the council's
//     tờ trình; retries are no-ops. `verify` asks DocumentBySHA; ErrNotFound means "not
//     issued here".
//   - Lists: ListProposals/ListSessions/CountProposals with Filter.Scope =
//     award.ProposalScope(actor) (its zero value lists nothing); ListAssigned and
//     CountAssigned for the inbox; Page.After is the previous result's Next. Bad cursors
//     and page sizes are *award.Error (invalid).
//   - Directory: SeedDirectory at start (first start only); admin edits through
//     UpsertPerson, MovePerson, DeactivatePerson, ReactivatePerson; PersonAt for who a
//     person was on a date.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	// Drivers: "pgx" (PostgreSQL) and "sqlite" (modernc.org/sqlite, pure Go).
	_ "github.com/jackc/pgx/v5/stdlib"
	_ "modernc.org/sqlite"
)

// Dialect is the SQL database behind a Store.
type Dialect string

const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

// Errors the repository returns; test with errors.Is. Client-input errors (a bad cursor,
// a page size out of range) are *award.Error values with code invalid instead, so that
// the HTTP layer can return them as they are.
var (
	// ErrNotFound: no row with that key.
	ErrNotFound = errors.New("store: not found")
	// ErrConflict: a write reused a key (document id, SHA-256, register number, workflow
	// id and sequence) with different content. The first write stays; the second is a bug
	// or an attack and is refused rather than silently ignored.
	ErrConflict = errors.New("store: conflicting write for an existing key")
)

// Store is the repository over one database.
type Store struct {
	db      *sql.DB
	dialect Dialect
	// now is the clock for recorded_at stamps of admin edits; tests replace it.
	now func() time.Time
	// dirCheck vets every directory edit before it commits (SetDirectoryCheck).
	dirCheck atomic.Pointer[DirectoryCheck]
	// stmts holds SQLite's prepared statements (see prepared); unprepared turns the
	// cache off (BenchmarkRowWrite compares).
	stmts      stmtCache
	unprepared bool
}

// ParseDSN splits a store DSN into its dialect and the driver's own DSN:
//
//	sqlite:///var/lib/awardflow/awardflow.db   (an absolute path: three slashes)
//	sqlite://./data/awardflow.db               (a relative path)
//	postgres://user:pass@host:5432/awardflow?sslmode=disable   (also postgresql://)
//
// The SQLite connection always gets WAL, a busy timeout of 10 s, foreign keys on and
// immediate write transactions; the path may not contain '?' or '#'.
func ParseDSN(dsn string) (Dialect, string, error) {
	switch {
	case strings.HasPrefix(dsn, "sqlite://"):
		path := strings.TrimPrefix(dsn, "sqlite://")
		if path == "" || strings.ContainsAny(path, "?#\x00") {
			return "", "", fmt.Errorf("store DSN %q: want sqlite:///path/to/awardflow.db (a file path without '?' or '#')", dsn)
		}
		return SQLite, sqliteDSN(filepath.Clean(path)), nil
	case strings.HasPrefix(dsn, "postgres://"), strings.HasPrefix(dsn, "postgresql://"):
		if _, err := url.Parse(dsn); err != nil {
			// url.Error quotes the whole URL, password included: say less.
			return "", "", errors.New("store DSN: not a valid postgres:// URL (check the host, the port and the escaping of the password)")
		}
		return Postgres, dsn, nil
	}
	return "", "", fmt.Errorf("store DSN must start with sqlite:// or postgres:// (got %q)", redactDSN(dsn))
}

// SQLiteDSN is the store DSN of a SQLite file, e.g. <data dir>/awardflow.db.
func SQLiteDSN(path string) string { return "sqlite://" + path }

func sqliteDSN(path string) string {
	q := url.Values{}
	// busy_timeout first: a second process opening the file waits instead of failing.
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "synchronous(NORMAL)") // durable in WAL mode across a process crash
	q.Set("_txlock", "immediate")           // a write transaction takes the lock at BEGIN: no deadlock on upgrade
	return path + "?" + q.Encode()
}

// redactDSN hides a password in an error message.
func redactDSN(dsn string) string {
	if u, err := url.Parse(dsn); err == nil && u.User != nil {
		if _, ok := u.User.Password(); ok {
			u.User = url.UserPassword(u.User.Username(), "xxxxx")
			return u.String()
		}
	}
	return dsn
}

// Open connects to the store named by dsn (see ParseDSN), checks the connection and
// applies the pending migrations.
func Open(ctx context.Context, dsn string) (*Store, error) {
	db, d, err := OpenDB(ctx, dsn)
	if err != nil {
		return nil, err
	}
	if _, err := Migrate(ctx, db, d); err != nil {
		db.Close()
		return nil, err
	}
	s := New(db, d)
	if _, err := s.BackfillCaseNumbers(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

// OpenDB connects to the database named by dsn without migrating it (for `awardflow
// migrate`, which reports what it applies).
func OpenDB(ctx context.Context, dsn string) (*sql.DB, Dialect, error) {
	d, driverDSN, err := ParseDSN(dsn)
	if err != nil {
		return nil, "", err
	}
	driver := "pgx"
	if d == SQLite {
		driver = "sqlite"
	}
	db, err := sql.Open(driver, driverDSN)
	if err != nil {
		return nil, "", fmt.Errorf("open store (%s): %w", d, err)
	}
	switch d {
	case SQLite:
		// One writer at a time anyway; a few connections let reads run beside it (WAL).
		db.SetMaxOpenConns(8)
		db.SetMaxIdleConns(8)
	case Postgres:
		db.SetMaxOpenConns(16)
		db.SetMaxIdleConns(8)
		db.SetConnMaxIdleTime(5 * time.Minute)
	}
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, "", fmt.Errorf("connect to the store (%s, %s): %w", d, redactDSN(dsn), err)
	}
	return db, d, nil
}

// New wraps an open, migrated database.
func New(db *sql.DB, d Dialect) *Store {
	return &Store{db: db, dialect: d, now: time.Now}
}

// Close closes the database.
func (s *Store) Close() error {
	if s == nil || s.db == nil {
		return nil
	}
	s.closeStatements()
	return s.db.Close()
}

// DB is the underlying database (for tests and operator commands).
func (s *Store) DB() *sql.DB { return s.db }

// Dialect is the store's SQL dialect.
func (s *Store) Dialect() Dialect { return s.dialect }

// Ping checks the database (readiness).
func (s *Store) Ping(ctx context.Context) error {
	if err := s.db.PingContext(ctx); err != nil {
		return fmt.Errorf("store: %w", err)
	}
	return nil
}

// rebind turns the '?' placeholders of a query into PostgreSQL's $1, $2, … (outside
// quoted strings); SQLite takes '?' as written.
func rebind(d Dialect, q string) string {
	if d != Postgres || !strings.Contains(q, "?") {
		return q
	}
	var b strings.Builder
	b.Grow(len(q) + 16)
	n, quoted := 0, false
	for i := 0; i < len(q); i++ {
		c := q[i]
		switch {
		case c == '\'':
			quoted = !quoted
			b.WriteByte(c)
		case c == '?' && !quoted:
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// querier is what both *sql.DB and *sql.Tx offer.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

func (s *Store) exec(ctx context.Context, q querier, query string, args ...any) (sql.Result, error) {
	if st := s.prepared(ctx, q, query); st != nil {
		return st.ExecContext(ctx, args...)
	}
	return q.ExecContext(ctx, rebind(s.dialect, query), args...)
}

func (s *Store) query(ctx context.Context, q querier, query string, args ...any) (*sql.Rows, error) {
	if st := s.prepared(ctx, q, query); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return q.QueryContext(ctx, rebind(s.dialect, query), args...)
}

func (s *Store) queryRow(ctx context.Context, q querier, query string, args ...any) *sql.Row {
	if st := s.prepared(ctx, q, query); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return q.QueryRowContext(ctx, rebind(s.dialect, query), args...)
}

// maxCachedStatements bounds the cache: the store's statements are a few dozen fixed
// texts; a query built with a varying text beyond the bound simply runs unprepared.
const maxCachedStatements = 256

// stmtCache maps a query's text to its statement prepared on the pool.
type stmtCache struct {
	mu      sync.Mutex
	m       map[string]*sql.Stmt
	pending map[string]bool
	closed  bool
}

// prepared returns q's statement for query, prepared once and kept, or nil to run it
// unprepared. SQLite only: the modernc driver parses every statement it is given, and
// parsing was ~40 % of the records store's CPU when a list row is written (issue 12's
// profile of P2); PostgreSQL's driver (pgx) already caches its statements.
//
// A statement missing from the cache is prepared on the pool, never by a caller inside
// a transaction: that caller holds a connection, and waiting for a second one could
// deadlock a full pool. It runs unprepared this once while a goroutine holding nothing
// prepares it for the next time. Inside a transaction, tx.StmtContext reuses the
// statement already prepared on the transaction's connection (or prepares it there).
func (s *Store) prepared(ctx context.Context, q querier, query string) *sql.Stmt {
	if s.dialect != SQLite || s.unprepared {
		return nil
	}
	c := &s.stmts
	c.mu.Lock()
	st, ok := c.m[query]
	miss := !ok && !c.closed && !c.pending[query] && len(c.m)+len(c.pending) < maxCachedStatements
	if miss {
		if c.pending == nil {
			c.pending = map[string]bool{}
		}
		c.pending[query] = true
	}
	c.mu.Unlock()
	if miss {
		go s.prepare(query)
	}
	if !ok {
		return nil
	}
	switch q := q.(type) {
	case *sql.Tx:
		return q.StmtContext(ctx, st)
	case *sql.DB:
		return st
	}
	return nil
}

// prepare prepares query on the pool and adds it to the cache; a query that does not
// prepare stays out of it (running it unprepared reports the error to its caller).
func (s *Store) prepare(query string) {
	st, err := s.db.PrepareContext(context.Background(), query)
	c := &s.stmts
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.pending, query)
	if err != nil {
		return
	}
	if c.closed {
		_ = st.Close()
		return
	}
	if c.m == nil {
		c.m = map[string]*sql.Stmt{}
	}
	c.m[query] = st
}

// closeStatements closes the cached statements; none is prepared after it.
func (s *Store) closeStatements() {
	c := &s.stmts
	c.mu.Lock()
	defer c.mu.Unlock()
	c.closed = true
	for _, st := range c.m {
		_ = st.Close()
	}
	c.m = nil
}

// inReadTx runs fn in a read-only transaction that sees one snapshot of the database
// (repeatable read on PostgreSQL; a SQLite read transaction in WAL mode already does).
func (s *Store) inReadTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	opts := &sql.TxOptions{ReadOnly: true}
	if s.dialect == Postgres {
		opts.Isolation = sql.LevelRepeatableRead
	}
	tx, err := s.db.BeginTx(ctx, opts)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer func() { _ = tx.Rollback() }()
	return fn(tx)
}

// inTx runs fn in a transaction, committed when fn returns nil.
func (s *Store) inTx(ctx context.Context, fn func(tx *sql.Tx) error) (err error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer func() {
		if err != nil {
			_ = tx.Rollback()
		}
	}()
	if err = fn(tx); err != nil {
		return err
	}
	if err = tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// noDue is the stored due_at of a row without a due date: it sorts after every date.
const noDue = math.MaxInt64

// micros is t as stored: microseconds since the epoch; the zero time is 0.
func micros(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMicro()
}

// fromMicros reverses micros, in UTC.
func fromMicros(v int64) time.Time {
	if v == 0 {
		return time.Time{}
	}
	return time.UnixMicro(v).UTC()
}

func dueMicros(t time.Time) int64 {
	if t.IsZero() {
		return noDue
	}
	return t.UnixMicro()
}

func fromDueMicros(v int64) time.Time {
	if v == noDue {
		return time.Time{}
	}
	return fromMicros(v)
}
