package auth

import (
	"container/list"
	"crypto/sha256"
	"encoding/hex"
	"sync"
	"time"
)

// Login throttling.
//
// Every sign-in attempt is counted against three keys, each with its own exponential
// back-off (a number of free failures, then a wait that doubles with every further
// failure, up to a cap):
//
//   - the pair (account, address): the main brake on one attacker guessing one
//     account's password. 5 free failures, then 1 s, 2 s, 4 s … capped at 15 min.
//   - the account, over all addresses: a softer brake on a guessing attack spread over
//     many addresses. 20 free failures, capped at 1 min, so the owner is never kept out
//     for more than a minute at a time by failures made elsewhere.
//   - the address, over all accounts: a brake on password spraying (one guess at many
//     accounts). 30 free failures, capped at 15 min. IPv6 addresses count per /64, the
//     block one subscriber usually holds.
//
// The account and address limits do not apply to a pair that has signed in successfully
// before (as long as the table remembers it): the owner signing in from their usual
// address is never held up by an attack on their account from elsewhere, nor by a
// colleague's mistakes behind the same office NAT. Only the pair's own limit applies
// there, and only the owner's own failures drive it.
//
// A single attacker address hammering an account trips the pair limit: after 5 failures
// it waits 1 s, 2 s, 4 s … up to 15 min between guesses (about 15 guesses in the first
// 20 minutes, then 4 an hour). The account's count decays faster (one failure forgiven
// per 2 quiet minutes) than one address can feed it, so it stays below the 20 the account
// limit needs and the owner signing in from any other address gets straight in. Only an
// attack spread over many addresses reaches the account limit, and then the owner waits
// at most the account cap (1 min) per try.
//
// Counts decay: every quiet period of the key's decay step forgives one failure, so a
// forgotten password stops costing anything after a while. A successful sign-in clears
// the pair and the account (not the address: an attacker with one valid account must not
// be able to wash the address's count by signing in to it).
//
// An attempt is counted as a failure when it starts (Begin), not when the bcrypt check
// ends, so a burst of parallel requests cannot slip past the limit before the first
// failures are recorded; a success takes its count back. Refused attempts (429) are not
// counted and cost no bcrypt work.
//
// The table is bounded (MaxEntries): when full, the least recently used entry that is not
// blocking anything is dropped (or, if the oldest few all block, the oldest one). A flood
// of made-up names or addresses therefore costs memory up to the bound, never more.
//
// The table lives in one process: with N server replicas behind a load balancer that does
// not pin clients, an attacker gets up to N times the attempts. The caps still hold per
// replica.

// Limit is the back-off of one key kind.
type Limit struct {
	Free  int           // failures allowed before any wait
	Base  time.Duration // the first wait, doubled with each further failure
	Max   time.Duration // the cap on the wait
	Decay time.Duration // one failure is forgiven per Decay without failures
}

// wait is the block after n counted failures.
func (l Limit) wait(n int) time.Duration {
	if n <= l.Free {
		return 0
	}
	d := l.Base
	for i := l.Free + 1; i < n && d < l.Max; i++ {
		d *= 2
	}
	return min(d, l.Max)
}

// ThrottleConfig sets the limits; zero fields take DefaultThrottleConfig's values.
type ThrottleConfig struct {
	Pair, Account, Address Limit
	MaxEntries             int
}

// DefaultThrottleConfig is the configuration described in the package comment.
var DefaultThrottleConfig = ThrottleConfig{
	Pair:       Limit{Free: 5, Base: time.Second, Max: 15 * time.Minute, Decay: 10 * time.Minute},
	Account:    Limit{Free: 20, Base: time.Second, Max: time.Minute, Decay: 2 * time.Minute},
	Address:    Limit{Free: 30, Base: time.Second, Max: 15 * time.Minute, Decay: 2 * time.Minute},
	MaxEntries: 50_000,
}

// Throttle counts sign-in failures. It is safe for concurrent use.
type Throttle struct {
	cfg ThrottleConfig
	now func() time.Time

	mu      sync.Mutex
	lru     *list.List // of *entry, most recently used at the front
	entries map[string]*list.Element
}

type entry struct {
	key          string
	limit        *Limit
	failures     int
	last         time.Time // of the last counted failure (decay runs from here)
	blockedUntil time.Time
	good         bool // a pair that signed in successfully
}

// NewThrottle makes a throttle; now is the clock (time.Now when nil).
func NewThrottle(cfg ThrottleConfig, now func() time.Time) *Throttle {
	def := DefaultThrottleConfig
	fill := func(l *Limit, d Limit) {
		if l.Free <= 0 {
			l.Free = d.Free
		}
		if l.Base <= 0 {
			l.Base = d.Base
		}
		if l.Max <= 0 {
			l.Max = d.Max
		}
		if l.Decay <= 0 {
			l.Decay = d.Decay
		}
	}
	fill(&cfg.Pair, def.Pair)
	fill(&cfg.Account, def.Account)
	fill(&cfg.Address, def.Address)
	if cfg.MaxEntries <= 0 {
		cfg.MaxEntries = def.MaxEntries
	}
	if now == nil {
		now = time.Now
	}
	return &Throttle{cfg: cfg, now: now, lru: list.New(), entries: map[string]*list.Element{}}
}

// Attempt is a sign-in attempt that Begin let through; report its outcome with Succeeded
// (a failure needs no call: it was counted when the attempt began).
type Attempt struct {
	t             *Throttle
	account, addr string
}

// keyPart keeps a key short whatever the client sent.
func keyPart(s string) string {
	if len(s) <= 64 {
		return s
	}
	sum := sha256.Sum256([]byte(s))
	return "#" + hex.EncodeToString(sum[:16])
}

func (t *Throttle) keys(account, addr string) (pair, acct, ad string) {
	account, addr = keyPart(account), keyPart(addr)
	return "p\x00" + account + "\x00" + addr, "u\x00" + account, "a\x00" + addr
}

// Begin asks whether account may try to sign in from addr now. If not, it returns the
// wait (> 0) and nil. Otherwise it counts the attempt as a failure and returns it.
func (t *Throttle) Begin(account, addr string) (*Attempt, time.Duration) {
	now := t.now()
	t.mu.Lock()
	defer t.mu.Unlock()
	pk, ak, dk := t.keys(account, addr)
	pair := t.get(pk, &t.cfg.Pair, now, false)
	wait := time.Duration(0)
	consider := func(e *entry) {
		if e != nil && e.blockedUntil.After(now) {
			wait = max(wait, e.blockedUntil.Sub(now))
		}
	}
	consider(pair)
	if pair == nil || !pair.good {
		consider(t.get(ak, &t.cfg.Account, now, false))
		consider(t.get(dk, &t.cfg.Address, now, false))
	}
	if wait > 0 {
		return nil, wait
	}
	for _, k := range []struct {
		key   string
		limit *Limit
	}{{pk, &t.cfg.Pair}, {ak, &t.cfg.Account}, {dk, &t.cfg.Address}} {
		e := t.get(k.key, k.limit, now, true)
		e.failures = decayed(e, now) + 1
		e.last = now
		if w := e.limit.wait(e.failures); w > 0 {
			e.blockedUntil = now.Add(w)
		}
	}
	return &Attempt{t: t, account: account, addr: addr}, 0
}

// Succeeded records a successful sign-in: the pair and the account start afresh, the
// pair is remembered as good, and the address gets its count back.
func (a *Attempt) Succeeded() {
	t := a.t
	now := t.now()
	t.mu.Lock()
	defer t.mu.Unlock()
	pk, ak, dk := t.keys(a.account, a.addr)
	p := t.get(pk, &t.cfg.Pair, now, true)
	p.failures, p.blockedUntil, p.good = 0, time.Time{}, true
	t.remove(ak)
	if d := t.get(dk, &t.cfg.Address, now, false); d != nil {
		d.failures = max(decayed(d, now)-1, 0)
		if d.limit.wait(d.failures) == 0 {
			d.blockedUntil = time.Time{}
		}
	}
}

// Len is the number of keys in the table.
func (t *Throttle) Len() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.entries)
}

func decayed(e *entry, now time.Time) int {
	if e.failures == 0 || !now.After(e.last) {
		return e.failures
	}
	forgiven := int(now.Sub(e.last) / e.limit.Decay)
	return max(e.failures-forgiven, 0)
}

// get finds an entry (marking it used); create adds a missing one.
func (t *Throttle) get(key string, limit *Limit, now time.Time, create bool) *entry {
	if el, ok := t.entries[key]; ok {
		t.lru.MoveToFront(el)
		return el.Value.(*entry)
	}
	if !create {
		return nil
	}
	for len(t.entries) >= t.cfg.MaxEntries {
		t.evict(now)
	}
	e := &entry{key: key, limit: limit}
	t.entries[key] = t.lru.PushFront(e)
	return e
}

// evictScan is how many of the least recently used entries eviction looks at for one that
// blocks nothing.
const evictScan = 16

func (t *Throttle) evict(now time.Time) {
	victim := t.lru.Back()
	el := victim
	for i := 0; i < evictScan && el != nil; i, el = i+1, el.Prev() {
		if e := el.Value.(*entry); !e.blockedUntil.After(now) && !e.good {
			victim = el
			break
		}
	}
	if victim != nil {
		t.lru.Remove(victim)
		delete(t.entries, victim.Value.(*entry).key)
	}
}

func (t *Throttle) remove(key string) {
	if el, ok := t.entries[key]; ok {
		t.lru.Remove(el)
		delete(t.entries, key)
	}
}
