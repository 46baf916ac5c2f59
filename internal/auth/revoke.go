package auth

import (
	"context"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Revocation of tokens (logout).
//
// A revoked token is an object <prefix><expiry unix seconds>-<jti> (its body is the
// expiry, for people reading the bucket) in the object store that every replica shares
// (S3), so a revocation survives restarts and is seen by every replica. The expiry in the
// name lets a sweep drop entries whose token expired anyway without reading them; an
// expired token is refused by its signature check before the list is consulted, so a
// stale entry is harmless.
//
// Each replica caches answers: "revoked" until the token expires (a revocation is never
// undone) and "not revoked" for NegativeTTL (default 5 s). So a logout is effective on the
// replica that served it at once, and on every other replica within NegativeTTL: that is
// the bound. A token in use costs each replica one S3 HEAD per NegativeTTL at most.
//
// If the store cannot be asked, IsRevoked returns an error and the caller refuses the
// request (503): a revoked token must not work because S3 is briefly unreachable.

// RevocationStore is the part of the object store the list needs
// (internal/blobstore.Store has these methods).
type RevocationStore interface {
	PutBytes(ctx context.Context, key string, b []byte, contentType string) (string, error)
	Exists(ctx context.Context, key string) (bool, error)
	List(ctx context.Context, prefix string) ([]string, error)
	Remove(ctx context.Context, key string) error
}

// RevokedPrefix is where revoked token ids live in the bucket.
const RevokedPrefix = "auth/revoked/"

// Revocations is the revocation list with its per-replica cache.
type Revocations struct {
	Store       RevocationStore
	Prefix      string           // default RevokedPrefix
	NegativeTTL time.Duration    // how long "not revoked" is believed; default 5 s
	SweepEvery  time.Duration    // how often a logout also sweeps expired entries; default 1 h
	MaxCached   int              // cache entries kept; default 100 000
	Now         func() time.Time // default time.Now
	Log         *slog.Logger

	mu        sync.Mutex
	revoked   map[string]time.Time // jti -> token expiry
	notYet    map[string]time.Time // jti -> when the store said "not revoked"
	lastSweep time.Time
}

// DefaultNegativeTTL is how long a replica believes a token is not revoked.
const DefaultNegativeTTL = 5 * time.Second

func (r *Revocations) init() {
	if r.revoked == nil {
		r.revoked = map[string]time.Time{}
		r.notYet = map[string]time.Time{}
	}
}

func (r *Revocations) now() time.Time {
	if r.Now != nil {
		return r.Now()
	}
	return time.Now()
}

func (r *Revocations) ttl() time.Duration {
	if r.NegativeTTL > 0 {
		return r.NegativeTTL
	}
	return DefaultNegativeTTL
}

func (r *Revocations) key(c Claims) string {
	p := r.Prefix
	if p == "" {
		p = RevokedPrefix
	}
	return fmt.Sprintf("%s%d-%s", p, c.Expiry.Unix(), c.ID)
}

// Revoke puts the token on the list until its expiry.
func (r *Revocations) Revoke(ctx context.Context, c Claims) error {
	body := []byte(c.Expiry.UTC().Format(time.RFC3339) + "\n") // for people reading the bucket
	if _, err := r.Store.PutBytes(ctx, r.key(c), body, "text/plain; charset=utf-8"); err != nil {
		return fmt.Errorf("revoke token: %w", err)
	}
	now := r.now()
	r.mu.Lock()
	r.init()
	r.revoked[c.ID] = c.Expiry
	delete(r.notYet, c.ID)
	sweep := now.Sub(r.lastSweep) >= r.sweepEvery()
	if sweep {
		r.lastSweep = now
	}
	r.mu.Unlock()
	if sweep {
		go func() {
			sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Minute)
			defer cancel()
			if n, err := r.sweep(sctx, now); err != nil && r.Log != nil {
				r.Log.Warn("sweep revoked tokens", "err", err, "removed", n)
			}
		}()
	}
	return nil
}

func (r *Revocations) sweepEvery() time.Duration {
	if r.SweepEvery > 0 {
		return r.SweepEvery
	}
	return time.Hour
}

// IsRevoked reports whether the token was revoked (by any replica, within NegativeTTL).
func (r *Revocations) IsRevoked(ctx context.Context, c Claims) (bool, error) {
	now := r.now()
	r.mu.Lock()
	r.init()
	if _, ok := r.revoked[c.ID]; ok {
		r.mu.Unlock()
		return true, nil
	}
	if at, ok := r.notYet[c.ID]; ok && now.Sub(at) < r.ttl() && !now.Before(at) {
		r.mu.Unlock()
		return false, nil
	}
	r.mu.Unlock()

	found, err := r.Store.Exists(ctx, r.key(c))
	if err != nil {
		return false, fmt.Errorf("check token revocation: %w", err)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.trim(now)
	if found {
		r.revoked[c.ID] = c.Expiry
		delete(r.notYet, c.ID)
	} else if _, ok := r.revoked[c.ID]; !ok { // not revoked here meanwhile
		r.notYet[c.ID] = now
	}
	return found, nil
}

// trim keeps the cache within MaxCached: first expired entries go, then, if still full,
// all "not revoked" answers (they are re-asked; "revoked" ones are kept while possible).
func (r *Revocations) trim(now time.Time) {
	maxN := r.MaxCached
	if maxN <= 0 {
		maxN = 100_000
	}
	if len(r.revoked)+len(r.notYet) < maxN {
		return
	}
	for id, exp := range r.revoked {
		if !now.Before(exp) {
			delete(r.revoked, id)
		}
	}
	for id, at := range r.notYet {
		if now.Sub(at) >= r.ttl() || now.Before(at) {
			delete(r.notYet, id)
		}
	}
	if len(r.revoked)+len(r.notYet) >= maxN {
		clear(r.notYet)
	}
	if len(r.revoked) >= maxN {
		clear(r.revoked) // the store still has them: answers cost a HEAD again
	}
}

// Sweep removes the entries of tokens that have expired and returns how many it removed.
func (r *Revocations) Sweep(ctx context.Context) (int, error) { return r.sweep(ctx, r.now()) }

func (r *Revocations) sweep(ctx context.Context, now time.Time) (int, error) {
	p := r.Prefix
	if p == "" {
		p = RevokedPrefix
	}
	keys, err := r.Store.List(ctx, p)
	if err != nil {
		return 0, fmt.Errorf("list revoked tokens: %w", err)
	}
	n := 0
	for _, k := range keys {
		exp, _, ok := strings.Cut(strings.TrimPrefix(k, p), "-")
		sec, err := strconv.ParseInt(exp, 10, 64)
		if !ok || err != nil || now.Unix() < sec {
			continue
		}
		if err := r.Store.Remove(ctx, k); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}
