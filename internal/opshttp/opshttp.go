// Package opshttp serves the operations endpoints of a process: GET /healthz (the
// process is alive) and GET /readyz (every named check passes; the JSON names each
// one), plus any extra handler a caller mounts (e.g. /metrics). The server mounts the
// readiness handler among its API routes; the worker serves Mux on its own address
// (AWARDFLOW_WORKER_ADDR).
package opshttp

import (
	"context"
	"encoding/json"
	"net/http"
	"sync"
	"time"
)

// Check is one named readiness check.
type Check struct {
	Name string // e.g. "temporal", "s3", "records_store", "worker"
	Run  func(ctx context.Context) error
}

// Timeout bounds one /readyz answer: every check runs at once within it.
const Timeout = 3 * time.Second

// Report is the /readyz answer.
type Report struct {
	Status string            `json:"status"`           // "ready" or "not ready"
	Reason string            `json:"reason,omitempty"` // the first failing check, "name: error"
	Checks map[string]string `json:"checks"`           // name -> "ok" or its error
}

// Run runs every check concurrently within Timeout and reports them.
func Run(ctx context.Context, checks []Check) (Report, bool) {
	ctx, cancel := context.WithTimeout(ctx, Timeout)
	defer cancel()
	errs := make([]error, len(checks))
	var wg sync.WaitGroup
	for i, c := range checks {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = c.Run(ctx)
		}()
	}
	wg.Wait()
	rep := Report{Status: "ready", Checks: make(map[string]string, len(checks))}
	for i, c := range checks {
		if errs[i] == nil {
			rep.Checks[c.Name] = "ok"
			continue
		}
		rep.Checks[c.Name] = errs[i].Error()
		if rep.Reason == "" {
			rep.Status, rep.Reason = "not ready", c.Name+": "+errs[i].Error()
		}
	}
	return rep, rep.Reason == ""
}

// Readyz answers 200 when every check passes, else 503; the body names each check.
func Readyz(checks []Check) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rep, ok := Run(r.Context(), checks)
		status := http.StatusOK
		if !ok {
			status = http.StatusServiceUnavailable
		}
		writeJSON(w, status, rep)
	})
}

// Healthz answers 200 while the process serves.
func Healthz() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	})
}

// Mux serves GET /healthz, GET /readyz over checks, and each extra pattern (a
// http.ServeMux pattern such as "GET /metrics") with its handler.
func Mux(checks []Check, extra map[string]http.Handler) *http.ServeMux {
	mux := http.NewServeMux()
	mux.Handle("GET /healthz", Healthz())
	mux.Handle("GET /readyz", Readyz(checks))
	for pattern, h := range extra {
		mux.Handle(pattern, h)
	}
	return mux
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
