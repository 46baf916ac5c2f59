package store

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// The SQLite statement cache (prepared): statements are prepared once and reused, also
// inside transactions; many writers on a cold cache with a full pool do not deadlock
// (a caller inside a transaction never waits for a second connection); the cache is
// bounded; every answer is the same as unprepared; Close leaves nothing to prepare.
func TestStatementCache(t *testing.T) {
	c, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	s, err := Open(c, SQLiteDSN(filepath.Join(t.TempDir(), "cache.db")))
	if err != nil {
		t.Fatal(err)
	}
	row := func(i, seq int) Projection {
		at := time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC).Add(time.Duration(i) * time.Minute)
		return Projection{WorkflowID: fmt.Sprintf("proposal-%04d", i), Kind: KindProposal, Seq: int64(seq), Stage: "draft",
			NomineeName: fmt.Sprintf("Nguyễn Văn %d", i), Assignees: []string{"tptt"}, CreatedAt: at, UpdatedAt: at.Add(time.Duration(seq) * time.Second)}
	}

	// 32 writers, each with its own rows, on a cold cache and a pool of 8.
	var wg sync.WaitGroup
	errs := make(chan error, 32*10)
	for w := range 32 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for seq := 1; seq <= 10; seq++ {
				if _, err := s.UpsertProjection(c, row(w, seq)); err != nil {
					errs <- err
				}
				if _, err := s.Projection(c, row(w, seq).WorkflowID); err != nil {
					errs <- err
				}
			}
		}()
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-c.Done():
		t.Fatal("writers on a cold statement cache did not finish: a deadlock")
	}
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	for w := range 32 {
		got, err := s.Projection(c, row(w, 10).WorkflowID)
		if err != nil || got.Seq != 10 || got.NomineeName != row(w, 10).NomineeName || len(got.Assignees) != 1 {
			t.Fatalf("row %d: %+v %v", w, got, err)
		}
	}

	// The statements the writes use are cached, and used inside transactions.
	s.stmts.mu.Lock()
	cached := len(s.stmts.m)
	_, upsert := s.stmts.m[upsertProjection]
	s.stmts.mu.Unlock()
	if cached == 0 || !upsert {
		t.Fatalf("after the writes the cache holds %d statements (the upsert: %v)", cached, upsert)
	}
	if err := s.inTx(c, func(tx *sql.Tx) error {
		if st := s.prepared(c, tx, upsertProjection); st == nil {
			return fmt.Errorf("no prepared statement inside a transaction")
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}

	// Bounded: varying texts beyond the bound run unprepared, and still answer.
	for i := range maxCachedStatements + 50 {
		var n int
		if err := s.queryRow(c, s.db, fmt.Sprintf("SELECT %d", i)).Scan(&n); err != nil || n != i {
			t.Fatalf("query %d: %d %v", i, n, err)
		}
	}
	waitIdle := func() {
		for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
			s.stmts.mu.Lock()
			pending := len(s.stmts.pending)
			s.stmts.mu.Unlock()
			if pending == 0 {
				return
			}
		}
		t.Fatal("statements still pending after 30 s")
	}
	waitIdle()
	s.stmts.mu.Lock()
	cached = len(s.stmts.m)
	s.stmts.mu.Unlock()
	if cached > maxCachedStatements {
		t.Fatalf("the cache holds %d statements, bound %d", cached, maxCachedStatements)
	}

	// A statement that does not prepare is never cached; its error reaches the caller.
	if _, err := s.exec(c, s.db, "INSERT INTO no_such_table VALUES (1)"); err == nil {
		t.Fatal("an insert into a missing table succeeded")
	}
	waitIdle()
	if _, err := s.exec(c, s.db, "INSERT INTO no_such_table VALUES (1)"); err == nil {
		t.Fatal("an insert into a missing table succeeded the second time")
	}

	// Close closes the statements; a late prepare is not kept.
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s.prepare("SELECT 1")
	s.stmts.mu.Lock()
	defer s.stmts.mu.Unlock()
	if len(s.stmts.m) != 0 || !s.stmts.closed {
		t.Fatalf("after Close the cache holds %d statements", len(s.stmts.m))
	}
}

// BenchmarkRowWrite is what the API does for each change a person asks for (own rows):
// record the intent, then write the list row and clear the intent in one transaction,
// on SQLite with the statement cache and without it.
//
//	go test -run '^$' -bench RowWrite ./internal/store
func BenchmarkRowWrite(b *testing.B) {
	for _, mode := range []string{"prepared", "unprepared"} {
		b.Run(mode, func(b *testing.B) {
			c := context.Background()
			s, err := Open(c, SQLiteDSN(filepath.Join(b.TempDir(), "bench.db")))
			if err != nil {
				b.Fatal(err)
			}
			defer s.Close()
			s.unprepared = mode == "unprepared"
			at := time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)
			seq := int64(0)
			for b.Loop() {
				seq++
				id := fmt.Sprintf("proposal-%04d", seq%200)
				intent, err := s.BeginOwnRow(c, id, at.Add(time.Minute))
				if err != nil {
					b.Fatal(err)
				}
				p := Projection{WorkflowID: id, Kind: KindProposal, Seq: seq, Stage: "submitted", Department: "tt",
					NomineeName: "Nguyễn Thị Hồng Đào", Proposer: "hongdao", Assignees: []string{"tptt"}, CreatedAt: at, UpdatedAt: at.Add(time.Duration(seq) * time.Second)}
				if _, err := s.WriteOwnRow(c, p, intent); err != nil {
					b.Fatal(err)
				}
				if _, err := s.Projection(c, id); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
