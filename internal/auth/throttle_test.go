package auth

import (
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
	"time"
)

type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func newFakeClock() *fakeClock { return &fakeClock{t: time.Unix(1_800_000_000, 0)} }

// fail makes one failed attempt and returns the wait Begin answered (0 = it went through).
func fail(th *Throttle, account, addr string) time.Duration {
	a, wait := th.Begin(account, addr)
	if a == nil && wait <= 0 {
		panic("Begin returned neither an attempt nor a wait")
	}
	return wait
}

func TestThrottleBackOffGrowsAndIsCapped(t *testing.T) {
	clk := newFakeClock()
	th := NewThrottle(ThrottleConfig{}, clk.now)
	p := DefaultThrottleConfig.Pair
	for i := 0; i < p.Free; i++ {
		if w := fail(th, "hongdao", "203.0.113.9"); w != 0 {
			t.Fatalf("failure %d refused (%v) before the free ones were used", i+1, w)
		}
	}
	// Each further failure goes through only after the previous wait, which doubles.
	want := p.Base
	var prev time.Duration
	for i := 0; i < 20; i++ {
		if w := fail(th, "hongdao", "203.0.113.9"); w != 0 {
			t.Fatalf("step %d: refused after waiting %v: %v", i, prev, w)
		}
		w := fail(th, "hongdao", "203.0.113.9")
		if w != want {
			t.Fatalf("step %d: wait %v, want %v", i, w, want)
		}
		if w < prev {
			t.Fatalf("wait shrank: %v after %v", w, prev)
		}
		prev = w
		clk.advance(w)
		want = min(want*2, p.Max)
	}
	if prev != p.Max {
		t.Fatalf("wait never reached the cap: %v", prev)
	}
	// Refused attempts do not count: hammering while blocked does not extend the wait.
	_ = fail(th, "hongdao", "203.0.113.9") // goes through, blocks for Max
	for i := 0; i < 1000; i++ {
		clk.advance(time.Second / 2)
		if w := fail(th, "hongdao", "203.0.113.9"); w <= 0 || w > p.Max {
			t.Fatalf("hammering: wait %v", w)
		}
	}
}

func TestThrottleDecays(t *testing.T) {
	clk := newFakeClock()
	th := NewThrottle(ThrottleConfig{}, clk.now)
	p := DefaultThrottleConfig.Pair
	for counted := 0; counted < p.Free+6; {
		if a, w := th.Begin("hongdao", "198.51.100.1"); a == nil {
			clk.advance(w)
			continue
		}
		counted++
	}
	if _, w := th.Begin("hongdao", "198.51.100.1"); w == 0 {
		t.Fatal("not blocked after the failures")
	}
	// After a long quiet period everything is forgiven: Free failures go through again.
	clk.advance(time.Duration(p.Free+6) * p.Decay)
	for i := 0; i < p.Free; i++ {
		if w := fail(th, "hongdao", "198.51.100.1"); w != 0 {
			t.Fatalf("after the quiet period, failure %d refused: %v", i+1, w)
		}
	}
}

func TestThrottleSuccessResetsAccount(t *testing.T) {
	clk := newFakeClock()
	th := NewThrottle(ThrottleConfig{}, clk.now)
	for i := 0; i < DefaultThrottleConfig.Pair.Free+1; i++ {
		fail(th, "hongdao", "192.0.2.1")
	}
	if w := fail(th, "hongdao", "192.0.2.1"); w == 0 {
		t.Fatal("not blocked after the free failures")
	}
	clk.advance(time.Second)
	a, w := th.Begin("hongdao", "192.0.2.1")
	if a == nil {
		t.Fatalf("refused after the wait: %v", w)
	}
	a.Succeeded()
	// A fresh start: the free failures are available again at once.
	for i := 0; i < DefaultThrottleConfig.Pair.Free; i++ {
		if w := fail(th, "hongdao", "192.0.2.1"); w != 0 {
			t.Fatalf("failure %d after a success refused: %v", i+1, w)
		}
	}
}

// The attacker hammers one account from one address for hours; the owner, from another
// address (never used before), gets in at once, and also from their usual address.
func TestThrottleOwnerGetsInFromAnotherAddress(t *testing.T) {
	clk := newFakeClock()
	th := NewThrottle(ThrottleConfig{}, clk.now)
	a, _ := th.Begin("hongdao", "10.1.1.1") // the owner's usual address
	a.Succeeded()
	for i := 0; i < 5000; i++ {
		fail(th, "hongdao", "203.0.113.66")
		clk.advance(time.Second) // the attacker tries every second, as fast as it likes
	}
	if w := fail(th, "hongdao", "203.0.113.66"); w == 0 {
		t.Fatal("the attacker is not blocked")
	}
	for _, addr := range []string{"10.1.1.1", "10.9.9.9"} {
		a, w := th.Begin("hongdao", addr)
		if a == nil {
			t.Fatalf("the owner from %s must get in, waits %v", addr, w)
		}
		a.Succeeded()
	}
}

// An attack spread over many addresses reaches the account limit; the owner from a new
// address then waits at most the account cap, and from a known address not at all.
func TestThrottleDistributedAttackSoftCap(t *testing.T) {
	clk := newFakeClock()
	th := NewThrottle(ThrottleConfig{}, clk.now)
	a, _ := th.Begin("hongdao", "10.1.1.1")
	a.Succeeded()
	acct := DefaultThrottleConfig.Account
	for i := 0; i < 200; i++ {
		fail(th, "hongdao", fmt.Sprintf("198.18.%d.%d", i/250, i%250))
	}
	a, w := th.Begin("hongdao", "10.7.7.7")
	if a != nil {
		t.Fatal("a distributed attack must trip the account limit")
	}
	if w > acct.Max {
		t.Fatalf("owner from a new address waits %v, more than the cap %v", w, acct.Max)
	}
	clk.advance(w)
	a, w = th.Begin("hongdao", "10.7.7.7")
	if a == nil {
		t.Fatalf("owner refused after the advertised wait: %v", w)
	}
	a.Succeeded()
	// The attack goes on; the owner's usual address is not held up at all.
	for i := 0; i < 200; i++ {
		fail(th, "hongdao", fmt.Sprintf("198.19.%d.%d", i/250, i%250))
	}
	if _, w := th.Begin("hongdao", "10.8.8.8"); w == 0 {
		t.Fatal("account limit not applied again")
	}
	if a, w := th.Begin("hongdao", "10.1.1.1"); a == nil {
		t.Fatalf("owner from the known address refused: %v", w)
	}
}

// Spraying one guess at many accounts from one address trips the address limit; the
// addresses of one IPv6 /64 count as one.
func TestThrottleAddressLimit(t *testing.T) {
	clk := newFakeClock()
	th := NewThrottle(ThrottleConfig{}, clk.now)
	free := DefaultThrottleConfig.Address.Free
	for i := 0; i <= free; i++ {
		if w := fail(th, fmt.Sprintf("user%d", i), ThrottleKey("2001:db8:1:2::7")); w != 0 {
			t.Fatalf("spray %d refused early: %v", i, w)
		}
	}
	if _, w := th.Begin("fresh", ThrottleKey("2001:db8:1:2:ffff::1")); w == 0 {
		t.Fatal("address limit not applied to the same /64")
	}
	if a, w := th.Begin("fresh", ThrottleKey("2001:db8:1:3::7")); a == nil {
		t.Fatalf("another /64 refused: %v", w)
	}
}

// A flood of distinct names and addresses cannot grow the table past its bound, and the
// entries that block something survive the flood longer than the idle ones.
func TestThrottleTableBound(t *testing.T) {
	clk := newFakeClock()
	const bound = 1000
	th := NewThrottle(ThrottleConfig{MaxEntries: bound}, clk.now)
	for i := 0; i < DefaultThrottleConfig.Pair.Free+1; i++ {
		fail(th, "hongdao", "203.0.113.5")
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 50_000; i++ {
		fail(th, fmt.Sprintf("u%x", rng.Uint64()), fmt.Sprintf("%d.%d.%d.%d", rng.IntN(256), rng.IntN(256), rng.IntN(256), rng.IntN(256)))
		if n := th.Len(); n > bound {
			t.Fatalf("table has %d entries, bound %d", n, bound)
		}
	}
	// Long names are hashed: a megabyte of name costs a short key.
	long := make([]byte, 1<<20)
	for i := range long {
		long[i] = 'x'
	}
	fail(th, string(long), "203.0.113.7")
	for _, el := range th.entries {
		if k := el.Value.(*entry).key; len(k) > 200 {
			t.Fatalf("key of %d bytes kept", len(k))
		}
	}
}

func TestThrottleConcurrentBurst(t *testing.T) {
	clk := newFakeClock()
	th := NewThrottle(ThrottleConfig{}, clk.now)
	got := make(chan bool, 200)
	for i := 0; i < 200; i++ {
		go func() {
			a, _ := th.Begin("hongdao", "203.0.113.1")
			got <- a != nil
		}()
	}
	through := 0
	for i := 0; i < 200; i++ {
		if <-got {
			through++
		}
	}
	// Free failures, plus the one that starts the first wait.
	if want := DefaultThrottleConfig.Pair.Free + 1; through != want {
		t.Fatalf("%d parallel attempts got through, want %d", through, want)
	}
}
