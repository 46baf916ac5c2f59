package main

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/awardflow/awardflow/internal/app"
	"github.com/awardflow/awardflow/internal/obs"
	"github.com/awardflow/awardflow/internal/settings"
)

// logFormat is the log format of a command: AWARDFLOW_LOG_FORMAT when set, else JSON
// for the production processes (server, worker) and text for dev and the tools.
func logFormat(args []string) string {
	if f := strings.TrimSpace(os.Getenv(settings.EnvLogFormat)); f != "" {
		return f
	}
	if len(args) > 0 && (args[0] == "server" || args[0] == "worker") {
		return "json"
	}
	return "text"
}

// newLogger is the process's logger on standard error.
func newLogger(args []string) (*slog.Logger, error) {
	return obs.NewLogger(os.Stderr, logFormat(args), slog.LevelInfo)
}

// startTracing exports spans over OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set; the
// returned function flushes them at exit.
func startTracing(ctx context.Context, service string, log *slog.Logger) func() {
	shutdown, err := obs.SetupTracing(ctx, service)
	if err != nil {
		log.Warn("tracing disabled", "err", err)
		return func() {}
	}
	if obs.TracingConfigured() {
		log.Info("traces exported over OTLP/HTTP", "service", service)
	}
	return func() {
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		if err := shutdown(ctx); err != nil {
			log.Warn("flush traces", "err", err)
		}
	}
}

// serveWorkerOps serves the worker's /metrics on AWARDFLOW_WORKER_ADDR until ctx ends;
// unset, nothing is served. It returns once the port is bound (or failed to bind).
func serveWorkerOps(ctx context.Context, addr, token string, log *slog.Logger) (<-chan error, error) {
	done := make(chan error, 1)
	if addr == "" {
		close(done)
		return done, nil
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("%s: listen on %s: %w", settings.EnvWorkerAddr, addr, err)
	}
	srv := &http.Server{Handler: obs.OpsMux(token), ReadHeaderTimeout: 10 * time.Second}
	go func() { done <- app.Serve(ctx, srv, log, func() error { return srv.Serve(ln) }) }()
	log.Info("worker metrics listening", "addr", ln.Addr().String())
	return done, nil
}
