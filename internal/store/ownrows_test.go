package store_test

import (
	"errors"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/awardflow/awardflow/internal/store"
)

// Own-row intents: the row's write and the intent's deletion are one transaction (a
// refused write keeps the intent); due intents are listed per workflow, the longest due
// first, and settling deletes only those due, so a request still in flight keeps its own.
func TestOwnRowIntents(t *testing.T) {
	forEachDialect(t, func(t *testing.T, env *dbEnv) {
		s := env.open(t)
		c := ctx(t)
		r := rand.New(rand.NewPCG(3, 4))
		now := time.Now()
		due := func(at time.Time) []string {
			t.Helper()
			ids, err := s.DueOwnRows(c, at, 100)
			must(t, err)
			return ids
		}

		// Written with its row: no intent left, the row is there.
		i1, err := s.BeginOwnRow(c, "prop-a", now.Add(20*time.Second))
		must(t, err)
		row := randomProjection(r, "prop-a", 2)
		w, err := s.WriteOwnRow(c, row, i1)
		must(t, err)
		if !w || readProjection(t, s, "prop-a").Seq != 2 {
			t.Fatalf("row not written with the intent (written %v)", w)
		}
		if ids := due(now.Add(time.Hour)); len(ids) != 0 {
			t.Fatalf("intents left after the row's write: %v", ids)
		}

		// A write the store refuses (the same Seq with other content) keeps the intent:
		// the transaction is all or nothing.
		i2, err := s.BeginOwnRow(c, "prop-a", now.Add(20*time.Second))
		must(t, err)
		other := randomProjection(r, "prop-a", 2)
		other.NomineeName = row.NomineeName + " khác"
		if _, err := s.WriteOwnRow(c, other, i2); !errors.Is(err, store.ErrConflict) {
			t.Fatalf("conflicting write: %v, want ErrConflict", err)
		}
		if ids := due(now.Add(time.Hour)); !slices.Equal(ids, []string{"prop-a"}) {
			t.Fatalf("after a refused write, due intents %v, want [prop-a]", ids)
		}
		// An older row than the stored one clears the intent too (nothing to write).
		_, err = s.WriteOwnRow(c, randomProjection(r, "prop-a", 1), i2)
		must(t, err)
		if ids := due(now.Add(time.Hour)); len(ids) != 0 {
			t.Fatalf("intents left: %v", ids)
		}

		// Due order, per workflow; not yet due is not listed; drop deletes one.
		_, err = s.BeginOwnRow(c, "prop-b", now.Add(-time.Minute))
		must(t, err)
		_, err = s.BeginOwnRow(c, "prop-c", now.Add(-2*time.Minute))
		must(t, err)
		_, err = s.BeginOwnRow(c, "prop-b", now.Add(-3*time.Minute))
		must(t, err)
		inFlight, err := s.BeginOwnRow(c, "prop-b", now.Add(time.Minute))
		must(t, err)
		dropped, err := s.BeginOwnRow(c, "prop-d", now.Add(-time.Minute))
		must(t, err)
		must(t, s.DropOwnRow(c, dropped))
		if ids := due(now); !slices.Equal(ids, []string{"prop-b", "prop-c"}) {
			t.Fatalf("due %v, want [prop-b prop-c] (longest due first, once each)", ids)
		}
		if old, err := s.OldestOwnRow(c, "prop-b"); err != nil || !old.Equal(now.Add(-3*time.Minute).Truncate(time.Microsecond)) {
			t.Fatalf("oldest intent of prop-b %v, %v", old, err)
		}
		if _, err := s.OldestOwnRow(c, "prop-z"); err == nil {
			t.Fatal("the oldest intent of a workflow without any: no error")
		}
		// Settling prop-b deletes its due intents, not the one still in flight.
		must(t, s.SettleOwnRows(c, "prop-b", now))
		if ids := due(now); !slices.Equal(ids, []string{"prop-c"}) {
			t.Fatalf("after settling prop-b, due %v", ids)
		}
		if ids := due(now.Add(2 * time.Minute)); !slices.Equal(ids, []string{"prop-c", "prop-b"}) {
			t.Fatalf("later, due %v: the in-flight intent of prop-b should remain", ids)
		}
		must(t, s.DropOwnRow(c, inFlight))
		if ids := due(now.Add(2 * time.Minute)); !slices.Equal(ids, []string{"prop-c"}) {
			t.Fatalf("after dropping the in-flight intent, due %v", ids)
		}
		if _, err := s.BeginOwnRow(c, "", now); err == nil {
			t.Fatal("an intent without a workflow id was recorded")
		}
	})
}
