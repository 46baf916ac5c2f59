package app

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"

	"github.com/awardflow/awardflow/internal/award"
)

// Starting is the HTTP handler of a process that has bound its port but is still
// starting (migrating the records store, dialling Temporal and S3, starting the dev
// servers). An orchestrator's liveness probe must not kill a process that is merely
// slow to get ready, so /healthz answers 200 from the moment the port is bound;
// /readyz and every other request answer 503 with Retry-After until Ready hands over
// to the real handler. Nothing is half-done by a request that arrives early: it is
// refused before it reaches anything.
type Starting struct {
	next atomic.Pointer[http.Handler]
}

// startingRetryAfter is what a request refused while starting is told to wait, in
// seconds.
const startingRetryAfter = 2

// Ready hands every later request to h.
func (s *Starting) Ready(h http.Handler) { s.next.Store(&h) }

// IsReady reports whether Ready was called.
func (s *Starting) IsReady() bool { return s.next.Load() != nil }

func (s *Starting) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if h := s.next.Load(); h != nil {
		(*h).ServeHTTP(w, r)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	switch {
	case r.URL.Path == "/healthz":
		writeStartingJSON(w, http.StatusOK, map[string]string{"status": "ok"})
		return
	case r.URL.Path == "/readyz":
		writeStartingJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "not ready", "reason": "starting"})
		return
	}
	w.Header().Set("Retry-After", strconv.Itoa(startingRetryAfter))
	if strings.HasPrefix(r.URL.Path, "/api/") {
		// The API's own error shape, so that clients read it as any other 503.
		e := award.Unavailable(startingRetryAfter, "Hệ thống đang khởi động, xin thử lại sau ít giây", "awardflow is starting; try again in a few seconds")
		writeStartingJSON(w, http.StatusServiceUnavailable, map[string]*award.Error{"error": e})
		return
	}
	// A person who opened the pages while the service starts: plain words, no script.
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(http.StatusServiceUnavailable)
	_, _ = w.Write([]byte("Hệ thống thi đua – khen thưởng đang khởi động. Xin tải lại trang sau ít giây.\n" +
		"awardflow is starting. Reload the page in a few seconds.\n"))
}

func writeStartingJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
