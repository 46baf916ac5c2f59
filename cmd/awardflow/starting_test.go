package main

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/awardflow/awardflow/internal/settings"
	"github.com/awardflow/awardflow/internal/store"
)

// TestServerIsLiveWhileStarting: `awardflow server` binds its port as soon as its
// settings are read. While it waits for a Temporal that never answers, /healthz says the
// process is up (a liveness probe must not kill a slow start), /readyz says it is not
// ready, and the API and the pages answer 503 with Retry-After and words a person reads
// — nothing reaches a handler. Stopping it then ends it cleanly and frees the port.
func TestServerIsLiveWhileStarting(t *testing.T) {
	prodEnv(t)
	// A Temporal frontend that accepts connections and never says a word.
	hole, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer hole.Close()
	go func() {
		for {
			c, err := hole.Accept()
			if err != nil {
				return
			}
			defer c.Close()
		}
	}()
	probe, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := probe.Addr().String()
	probe.Close()
	t.Setenv(settings.EnvAddr, addr)
	t.Setenv(settings.EnvTemporalAddress, hole.Addr().String())
	t.Setenv(settings.EnvDB, store.SQLiteDSN(filepath.Join(t.TempDir(), "awardflow.db")))

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ended := make(chan error, 1)
	go func() {
		ended <- run(ctx, []string{"server"}, strings.NewReader(""), io.Discard, io.Discard, slog.New(slog.DiscardHandler))
	}()

	base := "http://" + addr
	get := func(path string) (*http.Response, string) {
		t.Helper()
		resp, err := http.Get(base + path)
		if err != nil {
			t.Fatalf("GET %s: %v", path, err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp, string(b)
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		if resp, err := http.Get(base + "/healthz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("/healthz while starting: %d", resp.StatusCode)
			}
			break
		}
		select {
		case err := <-ended:
			t.Fatalf("the server ended before answering /healthz: %v", err)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatal("/healthz never answered while the server waited for Temporal")
		}
		time.Sleep(20 * time.Millisecond)
	}
	if resp, body := get("/readyz"); resp.StatusCode != http.StatusServiceUnavailable || !strings.Contains(body, "not ready") {
		t.Errorf("/readyz while starting: %d %s", resp.StatusCode, body)
	}
	resp, body := get("/api/v1/me")
	var e struct {
		Error struct {
			Code       string `json:"code"`
			Message    string `json:"message"`
			MessageEN  string `json:"message_en"`
			RetryAfter int    `json:"retry_after"`
		} `json:"error"`
	}
	if err := json.Unmarshal([]byte(body), &e); err != nil || resp.StatusCode != http.StatusServiceUnavailable ||
		resp.Header.Get("Retry-After") == "" || e.Error.Code != "unavailable" || !strings.Contains(e.Error.Message, "đang khởi động") || e.Error.RetryAfter < 1 {
		t.Errorf("the API while starting: %d %q %s (%v)", resp.StatusCode, resp.Header.Get("Retry-After"), body, err)
	}
	if resp, body := get("/"); resp.StatusCode != http.StatusServiceUnavailable || !strings.Contains(body, "đang khởi động") ||
		!strings.HasPrefix(resp.Header.Get("Content-Type"), "text/plain") {
		t.Errorf("the pages while starting: %d %q %s", resp.StatusCode, resp.Header.Get("Content-Type"), body)
	}

	cancel()
	select {
	case <-ended:
	case <-time.After(30 * time.Second):
		t.Fatal("the server did not stop while starting")
	}
	if c, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
		c.Close()
		t.Fatal("the port is still bound after the server stopped")
	}
}
