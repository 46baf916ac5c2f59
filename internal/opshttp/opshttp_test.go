package opshttp

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// TestReadyzNamesEveryCheck: 200 with every check "ok"; one failing check makes it 503
// naming that check and its error, the others still reported; a hanging check is cut at
// Timeout; extra handlers are mounted (what /metrics will use).
func TestReadyzNamesEveryCheck(t *testing.T) {
	ok := func(context.Context) error { return nil }
	down := func(context.Context) error { return errors.New("connection refused") }
	hang := func(ctx context.Context) error { <-ctx.Done(); return ctx.Err() }
	get := func(h http.Handler, path string) (int, Report) {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
		var rep Report
		_ = json.Unmarshal(rec.Body.Bytes(), &rep)
		return rec.Code, rep
	}
	mux := Mux([]Check{{"temporal", ok}, {"s3", ok}, {"records_store", ok}, {"worker", ok}},
		map[string]http.Handler{"GET /metrics": http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(299) })})
	if code, rep := get(mux, "/readyz"); code != 200 || rep.Status != "ready" || len(rep.Checks) != 4 || rep.Checks["s3"] != "ok" {
		t.Fatalf("all ok: %d %+v", code, rep)
	}
	if code, _ := get(mux, "/healthz"); code != 200 {
		t.Fatalf("/healthz: %d", code)
	}
	if code, _ := get(mux, "/metrics"); code != 299 {
		t.Fatalf("extra handler not mounted: %d", code)
	}
	code, rep := get(Readyz([]Check{{"temporal", ok}, {"s3", down}, {"worker", ok}}), "/readyz")
	if code != 503 || rep.Status != "not ready" || rep.Checks["s3"] != "connection refused" || rep.Checks["temporal"] != "ok" || rep.Reason != "s3: connection refused" {
		t.Fatalf("s3 down: %d %+v", code, rep)
	}
	began := time.Now()
	code, rep = get(Readyz([]Check{{"records_store", hang}, {"s3", ok}}), "/readyz")
	if code != 503 || rep.Checks["records_store"] == "ok" || time.Since(began) > Timeout+time.Second {
		t.Fatalf("hanging check: %d %+v after %s", code, rep, time.Since(began))
	}
}
