package main

import (
	"context"
	"log/slog"
	"os"
	"strings"
	"time"

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
