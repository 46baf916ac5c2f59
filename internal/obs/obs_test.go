package obs

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func get(t *testing.T, h http.Handler, path, token string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, path, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// The worker's listener serves the registry, behind the token when one is set.
func TestOpsMux(t *testing.T) {
	ObserveActivity("IssueDocument", time.Second, nil)
	rec := get(t, OpsMux(""), "/metrics", "")
	sc, err := ParseScrape(rec.Body)
	if err != nil || rec.Code != 200 {
		t.Fatalf("open /metrics: %d %v", rec.Code, err)
	}
	if sc.Sum("awardflow_activity_duration_seconds", map[string]string{"activity_type": "IssueDocument", "outcome": "ok"}) < 1 {
		t.Fatal("the activity series is missing")
	}
	h := OpsMux("s3cret")
	if rec := get(t, h, "/metrics", ""); rec.Code != http.StatusUnauthorized {
		t.Fatalf("no token: %d", rec.Code)
	}
	if rec := get(t, h, "/metrics", "other"); rec.Code != http.StatusUnauthorized {
		t.Fatalf("wrong token: %d", rec.Code)
	}
	if rec := get(t, h, "/metrics", "s3cret"); rec.Code != http.StatusOK {
		t.Fatalf("token: %d", rec.Code)
	}
}

// The proposals-by-stage gauge asks the store at scrape time, at most once per cache
// period, and keeps the last counts when the store fails.
func TestStageCollectorCaches(t *testing.T) {
	calls := 0
	fail := false
	RegisterStages(func(context.Context) (map[string]int, error) {
		calls++
		if fail {
			return nil, errors.New("database down")
		}
		return map[string]int{"submitted": 3, "awarded": calls}, nil
	}, slog.New(slog.NewTextHandler(&bytes.Buffer{}, nil)))
	scrape := func() Scrape {
		sc, err := ParseScrape(get(t, Handler(), "/metrics", "").Body)
		if err != nil {
			t.Fatal(err)
		}
		return sc
	}
	for range 3 {
		if sc := scrape(); sc.Sum("awardflow_proposals", map[string]string{"stage": "submitted"}) != 3 {
			t.Fatalf("submitted: %v", sc.Sum("awardflow_proposals", map[string]string{"stage": "submitted"}))
		}
	}
	if calls != 1 {
		t.Fatalf("three scrapes asked the store %d times, want 1", calls)
	}
	stageMu.Lock()
	stageCur.at = time.Now().Add(-time.Hour)
	stageCur.cacheFor = time.Millisecond
	stageMu.Unlock()
	fail = true
	if sc := scrape(); sc.Sum("awardflow_proposals", map[string]string{"stage": "awarded"}) != 1 {
		t.Fatal("a failed count dropped the last counts")
	}
	if calls != 2 {
		t.Fatalf("calls %d, want 2", calls)
	}
}

// NewLogger writes JSON or text, adds the request id, and refuses other formats.
func TestNewLogger(t *testing.T) {
	var buf bytes.Buffer
	log, err := NewLogger(&buf, "json", slog.LevelInfo)
	if err != nil {
		t.Fatal(err)
	}
	log.With("component", "http").InfoContext(WithRequestID(context.Background(), "req-1"), "hello")
	var line map[string]any
	if err := json.Unmarshal(buf.Bytes(), &line); err != nil || line["request_id"] != "req-1" || line["component"] != "http" {
		t.Fatalf("line %q: %v", buf.String(), err)
	}
	buf.Reset()
	log, _ = NewLogger(&buf, "text", slog.LevelInfo)
	log.InfoContext(WithRequestID(context.Background(), "req-2"), "hello")
	if !strings.Contains(buf.String(), "request_id=req-2") {
		t.Fatalf("text line %q", buf.String())
	}
	if _, err := NewLogger(&buf, "xml", slog.LevelInfo); err == nil {
		t.Fatal("xml accepted")
	}
}
