package auth

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// memStore is an object store in memory, shared by the "replicas" of a test.
type memStore struct {
	mu    sync.Mutex
	objs  map[string]bool
	heads int
	down  bool
}

func newMemStore() *memStore { return &memStore{objs: map[string]bool{}} }

func (m *memStore) PutBytes(_ context.Context, key string, _ []byte, _ string) (string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.down {
		return "", errors.New("store down")
	}
	m.objs[key] = true
	return "", nil
}

func (m *memStore) Exists(_ context.Context, key string) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.heads++
	if m.down {
		return false, errors.New("store down")
	}
	return m.objs[key], nil
}

func (m *memStore) List(_ context.Context, prefix string) ([]string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []string
	for k := range m.objs {
		if strings.HasPrefix(k, prefix) {
			out = append(out, k)
		}
	}
	slices.Sort(out)
	return out, nil
}

func (m *memStore) Remove(_ context.Context, key string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.objs, key)
	return nil
}

func TestRevocationsAcrossReplicas(t *testing.T) {
	ctx := context.Background()
	clk := newFakeClock()
	store := newMemStore()
	a := &Revocations{Store: store, Now: clk.now, SweepEvery: 1000 * time.Hour}
	b := &Revocations{Store: store, Now: clk.now, SweepEvery: 1000 * time.Hour}
	c := Claims{Subject: "hongdao", Expiry: clk.now().Add(time.Hour), ID: strings.Repeat("A", jtiLen)}

	// b has just checked the token: its "not revoked" answer is cached.
	if r, err := b.IsRevoked(ctx, c); err != nil || r {
		t.Fatalf("fresh token: %v %v", r, err)
	}
	if err := a.Revoke(ctx, c); err != nil {
		t.Fatal(err)
	}
	if r, _ := a.IsRevoked(ctx, c); !r {
		t.Fatal("the replica that revoked still accepts the token")
	}
	// b learns within NegativeTTL, never later.
	clk.advance(DefaultNegativeTTL)
	if r, _ := b.IsRevoked(ctx, c); !r {
		t.Fatalf("replica b still accepts the token after %v", DefaultNegativeTTL)
	}
	// A third replica started later (a restart) sees it at once.
	fresh := &Revocations{Store: store, Now: clk.now}
	if r, _ := fresh.IsRevoked(ctx, c); !r {
		t.Fatal("a restarted replica accepts the revoked token")
	}
	// The cache spares the store: many checks within the TTL cost one lookup.
	other := Claims{Subject: "tptt", Expiry: clk.now().Add(time.Hour), ID: strings.Repeat("B", jtiLen)}
	before := store.heads
	for i := 0; i < 100; i++ {
		_, _ = b.IsRevoked(ctx, other)
	}
	if n := store.heads - before; n != 1 {
		t.Fatalf("%d lookups for 100 checks within the TTL", n)
	}
	// The store unreachable: an unknown answer is an error, never "not revoked".
	store.mu.Lock()
	store.down = true
	store.mu.Unlock()
	clk.advance(DefaultNegativeTTL)
	if _, err := b.IsRevoked(ctx, other); err == nil {
		t.Fatal("store down, yet an answer")
	}
	store.mu.Lock()
	store.down = false
	store.mu.Unlock()

	// Sweep drops only the entries of expired tokens.
	later := Claims{Subject: "tptt", Expiry: clk.now().Add(3 * time.Hour), ID: strings.Repeat("C", jtiLen)}
	if err := a.Revoke(ctx, later); err != nil {
		t.Fatal(err)
	}
	clk.advance(2 * time.Hour)
	if n, err := a.Sweep(ctx); err != nil || n != 1 {
		t.Fatalf("sweep removed %d: %v", n, err)
	}
	if r, _ := (&Revocations{Store: store, Now: clk.now}).IsRevoked(ctx, later); !r {
		t.Fatal("sweep removed an entry whose token is still valid")
	}
}

func TestRevocationsCacheBound(t *testing.T) {
	ctx := context.Background()
	clk := newFakeClock()
	store := newMemStore()
	r := &Revocations{Store: store, Now: clk.now, MaxCached: 100}
	for i := 0; i < 10_000; i++ {
		id := strings.Repeat("x", jtiLen-6) + strings.Repeat("0", 6)
		id = id[:jtiLen-6] + string(rune('a'+i%26)) + string(rune('a'+i/26%26)) + string(rune('a'+i/676%26)) + "zzz"
		c := Claims{Subject: "p", Expiry: clk.now().Add(time.Hour), ID: id}
		if i%3 == 0 {
			if err := r.Revoke(ctx, c); err != nil {
				t.Fatal(err)
			}
		}
		_, _ = r.IsRevoked(ctx, c)
		r.mu.Lock()
		n := len(r.revoked) + len(r.notYet)
		r.mu.Unlock()
		if n > 101 {
			t.Fatalf("cache holds %d entries, bound 100", n)
		}
	}
}
