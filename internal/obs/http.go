package obs

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"strconv"
	"strings"
	"time"

	"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"
	"go.opentelemetry.io/otel/propagation"
)

// RequestIDHeader carries the request id in and out.
const RequestIDHeader = "X-Request-Id"

// maxRequestID bounds an incoming request id; longer or odd ones are replaced.
const maxRequestID = 64

type requestIDKey struct{}

// RequestID is the request id of ctx ("" outside a request).
func RequestID(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey{}).(string)
	return id
}

// WithRequestID returns ctx carrying id.
func WithRequestID(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, requestIDKey{}, id)
}

// SaneRequestID reports whether an incoming X-Request-Id may be kept: 1 to 64
// characters of A-Z a-z 0-9 . _ : - (what a proxy or a client generates), nothing that
// could forge a log line or carry a sentence.
func SaneRequestID(id string) bool {
	if id == "" || len(id) > maxRequestID {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == ':' || c == '-') {
			return false
		}
	}
	return true
}

// NewRequestID makes a random request id (32 hex digits).
func NewRequestID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// HTTP wraps the routes of a server: every request gets a request id (the incoming
// X-Request-Id when sane, else a new one; echoed in the response header and in the
// context, where the log handler and the error bodies find it), a trace span
// (OpenTelemetry; exported only when tracing is configured), and is counted and timed
// by its route PATTERN — the ServeMux pattern that served it, so ids in paths never
// become label values.
func HTTP(next http.Handler) http.Handler {
	measured := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w}
		next.ServeHTTP(rec, r)
		// ServeMux set r.Pattern on this very request when it matched a route.
		route := RouteLabel(r.Pattern)
		status := rec.status
		if status == 0 {
			status = http.StatusOK
		}
		httpRequests.WithLabelValues(route, methodLabel(r.Method), strconv.Itoa(status)).Inc()
		httpDuration.WithLabelValues(route, methodLabel(r.Method)).Observe(time.Since(start).Seconds())
	})
	traced := otelhttp.NewHandler(measured, "http",
		// W3C traceparent in, whatever the process-wide propagator is.
		otelhttp.WithPropagators(propagation.NewCompositeTextMapPropagator(propagation.TraceContext{}, propagation.Baggage{})),
		otelhttp.WithSpanNameFormatter(func(_ string, r *http.Request) string { return "HTTP " + r.Method }))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.Header.Get(RequestIDHeader)
		if !SaneRequestID(id) {
			id = NewRequestID()
		}
		w.Header().Set(RequestIDHeader, id)
		traced.ServeHTTP(w, r.WithContext(WithRequestID(r.Context(), id)))
	})
}

// RouteLabel turns a ServeMux pattern ("GET /api/v1/proposals/{id}") into the route
// label ("/api/v1/proposals/{id}"); a request no pattern matched is "unmatched".
func RouteLabel(pattern string) string {
	if pattern == "" {
		return "unmatched"
	}
	if i := strings.IndexByte(pattern, ' '); i >= 0 {
		pattern = pattern[i+1:]
	}
	return pattern
}

// methodLabel keeps the method label to the known methods (a client may send any word).
func methodLabel(m string) string {
	switch m {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch,
		http.MethodDelete, http.MethodOptions:
		return m
	}
	return "other"
}

// statusRecorder remembers the status code; Unwrap lets http.ResponseController reach
// the connection's Flush and deadlines.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (s *statusRecorder) WriteHeader(code int) {
	if s.status == 0 {
		s.status = code
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusRecorder) Write(b []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	return s.ResponseWriter.Write(b)
}

func (s *statusRecorder) Flush() {
	if f, ok := s.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

func (s *statusRecorder) Unwrap() http.ResponseWriter { return s.ResponseWriter }
