package main

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"go.temporal.io/sdk/client"

	"github.com/awardflow/awardflow/internal/app"
	"github.com/awardflow/awardflow/internal/opshttp"
	"github.com/awardflow/awardflow/internal/preflight"
	"github.com/awardflow/awardflow/workflows"
)

// preflightTimeout bounds the start-up check of the Temporal namespace.
const preflightTimeout = 30 * time.Second

// checkNamespace refuses to start when the Temporal namespace is missing or lacks a
// search attribute awardflow uses (or has it with another type): the error names each
// one with the temporal CLI command that fixes it. Without it, such a namespace looks
// ready, and every call fails later.
func checkNamespace(ctx context.Context, c client.Client, cfg app.Config, log *slog.Logger) error {
	ctx, cancel := context.WithTimeout(ctx, preflightTimeout)
	defer cancel()
	if err := preflight.Check(ctx, c, cfg.Namespace, workflows.SearchAttributes); err != nil {
		return err
	}
	log.Info("Temporal namespace checked", "namespace", cfg.Namespace, "search_attributes", len(workflows.SearchAttributes))
	return nil
}

// workerOpsHandlers are extra handlers on the worker's operations listener
// (AWARDFLOW_WORKER_ADDR), beside /healthz and /readyz: pattern -> handler.
var workerOpsHandlers = map[string]http.Handler{}

// opsListener is the worker's own HTTP listener: /healthz from the moment it is bound,
// /readyz 503 while starting and then the worker's checks (internal/opshttp).
type opsListener struct {
	starting *app.Starting
	stop     context.CancelFunc
	done     chan error
	addr     string
}

// listenOps binds addr (an address in use stops the start) and serves the starting handler.
func listenOps(ctx context.Context, addr string, log *slog.Logger) (*opsListener, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("listen on %s (the worker's health address): %w", addr, err)
	}
	o := &opsListener{starting: &app.Starting{}, done: make(chan error, 1), addr: ln.Addr().String()}
	srv := &http.Server{Handler: o.starting, ReadHeaderTimeout: 10 * time.Second}
	serveCtx, stop := context.WithCancel(ctx)
	o.stop = stop
	go func() { o.done <- app.Serve(serveCtx, srv, log, func() error { return srv.Serve(ln) }) }()
	log.Info("worker health endpoints listening", "addr", o.addr)
	return o, nil
}

// ready hands the listener to the worker's checks and the extra handlers.
func (o *opsListener) ready(checks []opshttp.Check) {
	o.starting.Ready(opshttp.Mux(checks, workerOpsHandlers))
}

// close stops the listener and waits for it.
func (o *opsListener) close() error {
	o.stop()
	return <-o.done
}
