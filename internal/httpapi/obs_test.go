package httpapi

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"regexp"
	"strings"
	"testing"

	"github.com/awardflow/awardflow/internal/obs"
)

func scrape(t *testing.T, s *Server) obs.Scrape {
	t.Helper()
	rec := call(s.Handler(), "GET", "/metrics", "", "")
	if rec.Code != 200 {
		t.Fatalf("/metrics: %d %s", rec.Code, rec.Body)
	}
	sc, err := obs.ParseScrape(rec.Body)
	if err != nil {
		t.Fatal(err)
	}
	return sc
}

// Routes are labelled by their pattern: an id in the path never becomes a label value
// (unbounded series, and ids are not for the metrics).
func TestMetricsRouteLabelsArePatterns(t *testing.T) {
	s, h := newTestServer(t)
	id := "proposal-" + strings.Repeat("ab", 16)
	before := scrape(t, s).Sum("awardflow_http_requests_total", map[string]string{"route": "/api/v1/proposals/{id}", "method": "GET", "status": "401"})
	for range 3 {
		call(h, "GET", "/api/v1/proposals/"+id, "", "")
	}
	call(h, "GET", "/api/v1/nowhere/"+id, "", "")
	sc := scrape(t, s)
	if got := sc.Sum("awardflow_http_requests_total", map[string]string{"route": "/api/v1/proposals/{id}", "method": "GET", "status": "401"}) - before; got != 3 {
		t.Fatalf("requests counted under the pattern: %v, want 3", got)
	}
	if sc.Sum("awardflow_http_request_duration_seconds", map[string]string{"route": "/api/v1/proposals/{id}"}) < 3 {
		t.Fatal("no latency observed under the pattern")
	}
	for _, fam := range []string{"awardflow_http_requests_total", "awardflow_http_request_duration_seconds"} {
		for _, v := range sc.LabelValues(fam, "route") {
			if strings.Contains(v, id) || strings.Contains(v, "nowhere") {
				t.Fatalf("%s has a raw path as its route label: %q", fam, v)
			}
		}
	}
}

// A refused sign-in is counted by reason.
func TestMetricsLoginFailures(t *testing.T) {
	s, h := newTestServer(t)
	before := scrape(t, s).Sum("awardflow_login_failures_total", map[string]string{"reason": "bad_credentials"})
	call(h, "POST", "/api/v1/login", "", `{"username":"hongdao","password":"wrong"}`)
	if got := scrape(t, s).Sum("awardflow_login_failures_total", map[string]string{"reason": "bad_credentials"}) - before; got != 1 {
		t.Fatalf("bad credentials counted %v times, want 1", got)
	}
}

// With a metrics token, /metrics asks for it.
func TestMetricsToken(t *testing.T) {
	s, _ := newTestServer(t)
	s.MetricsToken = "scrape-secret"
	h := s.Handler()
	if rec := call(h, "GET", "/metrics", "", ""); rec.Code != 401 {
		t.Fatalf("without the token: %d", rec.Code)
	}
	if rec := call(h, "GET", "/metrics", "wrong", ""); rec.Code != 401 {
		t.Fatalf("wrong token: %d", rec.Code)
	}
	if rec := call(h, "GET", "/metrics", "scrape-secret", ""); rec.Code != 200 || !strings.Contains(rec.Body.String(), "awardflow_http_requests_total") {
		t.Fatalf("with the token: %d", rec.Code)
	}
}

var hexID = regexp.MustCompile(`^[0-9a-f]{32}$`)

// Every answer carries a request id (the client's when sane, else a new one), every
// error body names it, and the log lines of the request carry it.
func TestRequestID(t *testing.T) {
	var buf bytes.Buffer
	log, err := obs.NewLogger(&buf, "json", slog.LevelInfo)
	if err != nil {
		t.Fatal(err)
	}
	s, _ := newTestServer(t)
	s.Log = log
	h := s.Handler()
	for _, tc := range []struct{ in, want string }{
		{"abc-123.X_y:z", "abc-123.X_y:z"},
		{"", ""},
		{"two words", ""},
		{"line\nbreak", ""},
		{strings.Repeat("a", 65), ""},
		{"ễ", ""},
	} {
		buf.Reset()
		rec := call(h, "POST", "/api/v1/login", "", `{"username":"hongdao","password":"wrong"}`, "X-Request-Id", tc.in)
		got := rec.Header().Get("X-Request-Id")
		if tc.want != "" && got != tc.want || tc.want == "" && !hexID.MatchString(got) {
			t.Fatalf("X-Request-Id %q answered as %q", tc.in, got)
		}
		var body struct {
			RequestID string `json:"request_id"`
		}
		if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil || body.RequestID != got {
			t.Fatalf("error body's request_id %q, header %q: %s", body.RequestID, got, rec.Body)
		}
		lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
		if len(lines) == 0 || lines[0] == "" {
			t.Fatal("nothing logged")
		}
		for _, l := range lines {
			var rec map[string]any
			if err := json.Unmarshal([]byte(l), &rec); err != nil {
				t.Fatalf("not a JSON log line: %q", l)
			}
			if rec["request_id"] != got {
				t.Fatalf("log line without the request id %q: %s", got, l)
			}
		}
	}
	// Success answers carry it too.
	if rec := call(h, "GET", "/healthz", "", ""); !hexID.MatchString(rec.Header().Get("X-Request-Id")) {
		t.Fatalf("healthz: X-Request-Id %q", rec.Header().Get("X-Request-Id"))
	}
}

// A person who types their password into the user name field must not find it in the
// log: a user name that names no account is not logged.
func TestLoginLogsNoUnknownUserName(t *testing.T) {
	var buf bytes.Buffer
	s, _ := newTestServer(t)
	s.Log = slog.New(slog.NewJSONHandler(&buf, nil))
	h := s.Handler()
	secret := "Mat-khau-Bi-Mat-2025!"
	call(h, "POST", "/api/v1/login", "", `{"username":"`+secret+`","password":"x"}`)
	call(h, "POST", "/api/v1/login", "", `{"username":"hongdao","password":"`+secret+`"}`)
	if strings.Contains(buf.String(), secret) {
		t.Fatalf("the log holds what was typed as a user name: %s", buf.String())
	}
	if !strings.Contains(buf.String(), `"user":"hongdao"`) {
		t.Fatalf("a known account's failure is not logged with its user name: %s", buf.String())
	}
}
