package e2e

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/awardflow/awardflow/internal/devapp"
	"github.com/awardflow/awardflow/internal/devapp/devapptest"
)

// TestDevIsLiveWhileStarting: `dev` binds its port first and answers /healthz while the
// embedded Temporal and S3 start; meanwhile the API refuses with 503 and Retry-After
// (nothing reaches a handler); once Start returns, the same port serves the API.
func TestDevIsLiveWhileStarting(t *testing.T) {
	probe, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := probe.Addr().String()
	probe.Close()
	base := "http://" + addr

	var started atomic.Bool
	var liveEarly, refusedEarly atomic.Int32
	stopPolling := make(chan struct{})
	polled := make(chan struct{})
	go func() {
		defer close(polled)
		for {
			select {
			case <-stopPolling:
				return
			default:
			}
			if resp, err := http.Get(base + "/healthz"); err == nil {
				resp.Body.Close()
				if resp.StatusCode == http.StatusOK && !started.Load() {
					liveEarly.Add(1)
				}
			}
			if resp, err := http.Get(base + "/api/v1/me"); err == nil {
				body, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if !started.Load() && resp.StatusCode == http.StatusServiceUnavailable && resp.Header.Get("Retry-After") != "" &&
					strings.Contains(string(body), "đang khởi động") {
					refusedEarly.Add(1)
				}
			}
			time.Sleep(5 * time.Millisecond)
		}
	}()
	ctx, cancel := context.WithTimeout(context.Background(), devapptest.ReadyTimeout)
	defer cancel()
	d, err := devapp.Start(ctx, devapp.Options{Addr: addr, DataDir: t.TempDir(), Log: slog.New(slog.DiscardHandler)})
	started.Store(true)
	close(stopPolling)
	<-polled
	if err != nil {
		t.Fatal(err)
	}
	defer d.Stop()
	if liveEarly.Load() == 0 || refusedEarly.Load() == 0 {
		t.Fatalf("while dev started: /healthz answered 200 %d times, the API refused with 503 %d times (want both > 0)", liveEarly.Load(), refusedEarly.Load())
	}
	// The same port now serves the API (401: the real handler asks for a sign-in).
	resp, err := http.Get(base + "/api/v1/me")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("/api/v1/me after the start: %d, want 401", resp.StatusCode)
	}
}
