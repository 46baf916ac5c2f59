package e2e

import (
	"context"
	"log/slog"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/awardflow/awardflow/internal/auth"
	"github.com/awardflow/awardflow/internal/devapp"
	"github.com/awardflow/awardflow/internal/orgconfig"
)

// TestLogoutAndPasswordChangeAcrossRestart, on the real embedded stack (Temporal + S3):
// a logged-out token is refused at once and still after a restart (the revocation list is
// in S3); a token issued before a password change (the admin sets a new one through the
// directory API) is refused at once and after a restart; a hash edited in the YAML after
// the first start changes nothing; other tokens carry on. Wrong passwords end in 429 with
// Retry-After.
func TestLogoutAndPasswordChangeAcrossRestart(t *testing.T) {
	dir := t.TempDir()
	d := startDev(t, dir)
	staff := login(t, d.URL, "hongdao")
	head := login(t, d.URL, "tptt")
	secretary := login(t, d.URL, "thuky")
	must(t, staff.get("/api/v1/inbox"), http.StatusOK, nil)

	r := staff.post("/api/v1/logout", nil)
	if r.Status != http.StatusNoContent {
		t.Fatalf("logout: %d %s", r.Status, r.Body)
	}
	for _, path := range []string{"/api/v1/me", "/api/v1/inbox", "/api/v1/proposals"} {
		refused(t, "revoked token on "+path, staff.get(path), http.StatusUnauthorized, "unauthenticated")
	}
	must(t, head.get("/api/v1/inbox"), http.StatusOK, nil)

	// Throttling on the real server: wrong passwords, then 429 with Retry-After.
	// (The wait runs from the start of an attempt, and a bcrypt check on a loaded test
	// machine can outlast the first 1 s wait; the doubling soon outgrows it.)
	anon := &api{t: t, base: d.URL}
	free := auth.DefaultThrottleConfig.Pair.Free
	failures := 0
	for {
		r = anon.post("/api/v1/login", map[string]string{"username": "vanson", "password": "sai"})
		if r.Status != http.StatusUnauthorized {
			break
		}
		refused(t, "wrong password", r, http.StatusUnauthorized, "bad_credentials")
		if failures++; failures > free+8 {
			t.Fatalf("%d wrong passwords in a row, never throttled", failures)
		}
	}
	if failures <= free {
		t.Fatalf("throttled after %d failures, %d are free", failures, free)
	}
	refused(t, "throttled", r, http.StatusTooManyRequests, "too_many_requests")
	if s, err := strconv.Atoi(r.Header.Get("Retry-After")); err != nil || s <= 0 {
		t.Fatalf("Retry-After %q", r.Header.Get("Retry-After"))
	}
	// The admin sets a new password for tptt (the directory, not the YAML, holds
	// passwords once seeded): the old token ends at once, and stays ended after a restart.
	admin := login(t, d.URL, "quantri")
	var tptt struct {
		Name, Position, Unit string
		Roles                []string
	}
	must(t, admin.get("/api/v1/directory/people/tptt"), http.StatusOK, &tptt)
	must(t, admin.put("/api/v1/directory/people/tptt", map[string]any{"name": tptt.Name, "position": tptt.Position, "unit": tptt.Unit,
		"roles": tptt.Roles, "password": "mat-khau-moi-2026"}), http.StatusOK, nil)
	refused(t, "token from before the password change", head.get("/api/v1/inbox"), http.StatusUnauthorized, "unauthenticated")
	d.Stop()

	// A hash edited in the YAML after the first start changes nothing (the server logs
	// that the YAML and the directory differ).
	org, err := orgconfig.Demo()
	if err != nil {
		t.Fatal(err)
	}
	hash, err := auth.HashPassword("mat-khau-trong-yaml")
	if err != nil {
		t.Fatal(err)
	}
	for i := range org.People {
		if org.People[i].ID == "tptt" {
			org.People[i].PasswordHash = hash
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	log := slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelWarn}))
	d, err = devapp.Start(ctx, devapp.Options{Addr: "127.0.0.1:0", DataDir: dir, Log: log, Org: org})
	if err != nil {
		t.Fatalf("restart: %v", err)
	}
	defer d.Stop()
	eventually(t, "readyz", time.Minute, func() bool {
		resp, err := http.Get(d.URL + "/readyz")
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == http.StatusOK
	})
	for _, a := range []*api{staff, head, secretary} {
		a.base = d.URL
	}
	refused(t, "revoked token after restart", staff.get("/api/v1/inbox"), http.StatusUnauthorized, "unauthenticated")
	refused(t, "token from before the password change", head.get("/api/v1/inbox"), http.StatusUnauthorized, "unauthenticated")
	must(t, secretary.get("/api/v1/inbox"), http.StatusOK, nil) // untouched
	anon.base = d.URL
	refused(t, "old password", anon.post("/api/v1/login", map[string]string{"username": "tptt", "password": orgconfig.DemoPassword}), http.StatusUnauthorized, "bad_credentials")
	refused(t, "the YAML's password", anon.post("/api/v1/login", map[string]string{"username": "tptt", "password": "mat-khau-trong-yaml"}), http.StatusUnauthorized, "bad_credentials")
	var out struct {
		Token string `json:"token"`
	}
	must(t, anon.post("/api/v1/login", map[string]string{"username": "tptt", "password": "mat-khau-moi-2026"}), http.StatusOK, &out)
	head.token = out.Token
	must(t, head.get("/api/v1/inbox"), http.StatusOK, nil)
	staff = login(t, d.URL, "hongdao") // signing in again after logout works
	must(t, staff.get("/api/v1/inbox"), http.StatusOK, nil)
}
