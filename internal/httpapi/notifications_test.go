package httpapi

import (
	"context"
	"encoding/json"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/awardflow/awardflow/internal/auth"
	"github.com/awardflow/awardflow/internal/directory"
	"github.com/awardflow/awardflow/internal/store"
)

// TestNotificationRoutes: each person reads and marks only their own notifications, the
// unread count follows, preferences round-trip and bad input is refused.
func TestNotificationRoutes(t *testing.T) {
	org := demoOrg(t)
	st, err := store.Open(context.Background(), store.SQLiteDSN(filepath.Join(t.TempDir(), "awardflow.db")))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	if _, err := st.SeedDirectory(context.Background(), org); err != nil {
		t.Fatal(err)
	}
	tokens, _ := auth.NewTokens([]byte(strings.Repeat("k", 32)), time.Hour)
	s := &Server{Org: directory.New(st, org), Tokens: tokens, Records: st, Revocations: &auth.Revocations{Store: newMemRevocations()},
		Log: slog.New(slog.DiscardHandler)}
	h := s.Handler()
	now := time.Date(2026, 11, 20, 3, 0, 0, 0, time.UTC)
	for i, row := range []store.Projection{
		{Seq: 1, Stage: "draft", Assignees: []string{"hongdao"}},
		{Seq: 2, Stage: "submitted", Assignees: []string{"tptt"}},
		{Seq: 3, Stage: "returned", Assignees: []string{"hongdao"}},
	} {
		row.WorkflowID, row.Kind, row.NomineeName, row.Proposer, row.UpdatedAt = "p-1", store.KindProposal, "Nguyễn Thị Hồng Đào", "hongdao", now.Add(time.Duration(i)*time.Minute)
		if _, err := st.UpsertProjection(context.Background(), row); err != nil {
			t.Fatal(err)
		}
	}
	tok := func(id string) string { v, _ := tokens.Issue(id, time.Now()); return v }
	type list struct {
		Items  []store.Notification
		Unread int
	}
	get := func(who string) list {
		t.Helper()
		rec := call(h, "GET", "/api/v1/notifications", tok(who), "")
		if rec.Code != 200 {
			t.Fatalf("%s: %d %s", who, rec.Code, rec.Body)
		}
		var l list
		if err := json.Unmarshal(rec.Body.Bytes(), &l); err != nil {
			t.Fatal(err)
		}
		return l
	}
	dao := get("hongdao")
	if dao.Unread != 1 || len(dao.Items) != 1 || dao.Items[0].Kind != "returned" || dao.Items[0].Link != "#/proposals/p-1" ||
		!strings.Contains(dao.Items[0].Text, "trả lại") {
		t.Fatalf("hongdao: %+v", dao)
	}
	if tp := get("tptt"); tp.Unread != 1 || tp.Items[0].Kind != "task" {
		t.Fatalf("tptt: %+v", tp)
	}
	// hongdao cannot mark tptt's.
	if rec := call(h, "POST", "/api/v1/notifications/read", tok("hongdao"), `{"ids":["p-1/2/task/tptt"]}`); rec.Code != 200 ||
		!strings.Contains(rec.Body.String(), `"marked":0`) {
		t.Fatalf("mark another's: %d %s", rec.Code, rec.Body)
	}
	if get("tptt").Unread != 1 {
		t.Fatal("another person marked tptt's notification read")
	}
	if rec := call(h, "POST", "/api/v1/notifications/read", tok("tptt"), `{}`); rec.Code != 200 || !strings.Contains(rec.Body.String(), `"unread":0`) {
		t.Fatalf("mark all: %d %s", rec.Code, rec.Body)
	}
	if tp := get("tptt"); tp.Unread != 0 || !tp.Items[0].Read {
		t.Fatalf("after marking: %+v", tp)
	}
	// Preferences.
	if rec := call(h, "PUT", "/api/v1/notifications/preferences", tok("tptt"), `{"email":"Trưởng phòng <tp@btg.example.vn>","digest":true}`); rec.Code != 200 ||
		!strings.Contains(rec.Body.String(), `"email":"tp@btg.example.vn"`) {
		t.Fatalf("put prefs: %d %s", rec.Code, rec.Body)
	}
	if rec := call(h, "GET", "/api/v1/notifications/preferences", tok("tptt"), ""); rec.Code != 200 || rec.Body.String() != `{"email":"tp@btg.example.vn","digest":true}`+"\n" {
		t.Fatalf("get prefs: %d %q", rec.Code, rec.Body)
	}
	for _, c := range []struct {
		method, path, body string
		code               int
	}{
		{"PUT", "/api/v1/notifications/preferences", `{"email":"not an address"}`, 422},
		{"PUT", "/api/v1/notifications/preferences", `{"email":"a@b.vn\r\nBcc: x@y"}`, 422},
		{"PUT", "/api/v1/notifications/preferences", `{"person_id":"tptt"}`, 400},
		{"POST", "/api/v1/notifications/read", `{"ids":"x"}`, 400},
		{"GET", "/api/v1/notifications?limit=0", "", 422},
		{"GET", "/api/v1/notifications?unread=1", "", 422},
	} {
		if rec := call(h, c.method, c.path, tok("tptt"), c.body); rec.Code != c.code {
			t.Errorf("%s %s %s: %d %s, want %d", c.method, c.path, c.body, rec.Code, rec.Body, c.code)
		}
	}
	if rec := call(h, "GET", "/api/v1/notifications", "", ""); rec.Code != 401 {
		t.Fatalf("without sign-in: %d", rec.Code)
	}
}
