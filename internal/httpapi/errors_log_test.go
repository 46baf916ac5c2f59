package httpapi

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/awardflow/awardflow/internal/award"
)

// A 503 tells the person to retry; the cause (a pool exhausted, a database down) must
// reach the operator's log, or the next one is a mystery, as one in CI was.
func TestUnavailableLogsItsCause(t *testing.T) {
	for _, tc := range []struct {
		name    string
		err     error
		wantLog bool
	}{
		{"wrapped cause", fmt.Errorf("directory: %w: %w",
			award.Unavailable(5, "Tạm thời không đọc được danh bạ", "the directory cannot be read"),
			errors.New("pq: sorry, too many clients already")), true},
		{"bare domain error", award.Unavailable(5, "Bận", "busy"), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			s := &Server{Log: slog.New(slog.NewTextHandler(&buf, nil))}
			w := httptest.NewRecorder()
			s.writeErr(w, httptest.NewRequest(http.MethodGet, "/api/v1/proposals", nil), tc.err)
			if w.Code != http.StatusServiceUnavailable || w.Header().Get("Retry-After") != "5" {
				t.Fatalf("status %d, Retry-After %q; want 503 and 5", w.Code, w.Header().Get("Retry-After"))
			}
			if strings.Contains(w.Body.String(), "too many clients") {
				t.Fatalf("the answer leaks the cause: %s", w.Body)
			}
			logged := strings.Contains(buf.String(), "too many clients")
			if tc.wantLog && !logged {
				t.Fatalf("the cause is not in the log: %q", buf.String())
			}
			if !tc.wantLog && buf.Len() != 0 {
				t.Fatalf("a bare domain error logged: %q", buf.String())
			}
		})
	}
}
