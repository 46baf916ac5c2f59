// Package devapptest starts the whole dev stack (embedded Temporal, embedded S3, worker,
// HTTP API) for a test and waits until it is ready. The end-to-end and browser tests
// share it, so there is one place that decides how long a loaded machine may take.
package devapptest

import (
	"context"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/awardflow/awardflow/internal/devapp"
)

// ReadyTimeout bounds the start and the wait for /readyz. Both return as soon as the
// stack is up (about 2 s on an idle machine); the bound only decides how long a broken
// start takes to fail, and is generous because the suite must pass under CPU pressure.
const ReadyTimeout = 5 * time.Minute

// Start starts the stack with opts (Addr defaults to a free loopback port, DataDir to a
// temporary directory, Log to warnings in the test log), stops it when the test ends,
// and returns once /readyz answers 200.
func Start(t testing.TB, opts devapp.Options) *devapp.Dev {
	t.Helper()
	if opts.Addr == "" {
		opts.Addr = "127.0.0.1:0"
	}
	if opts.DataDir == "" {
		opts.DataDir = t.TempDir()
	}
	if opts.Log == nil {
		opts.Log = slog.New(slog.NewTextHandler(logWriter{t}, &slog.HandlerOptions{Level: slog.LevelWarn}))
	}
	ctx, cancel := context.WithTimeout(context.Background(), ReadyTimeout)
	defer cancel()
	d, err := devapp.Start(ctx, opts)
	if err != nil {
		t.Fatalf("start dev stack: %v", err)
	}
	t.Cleanup(d.Stop)
	var last error
	for ctx.Err() == nil {
		resp, err := http.Get(d.URL + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return d
			}
			err = &statusError{resp.StatusCode}
		}
		last = err
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("dev stack not ready within %s (last answer: %v)", ReadyTimeout, last)
	return nil
}

type statusError struct{ code int }

func (e *statusError) Error() string { return "readyz answered " + http.StatusText(e.code) }

type logWriter struct{ t testing.TB }

func (w logWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}
