package e2e

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"go.opentelemetry.io/otel"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"
	tracenoop "go.opentelemetry.io/otel/trace/noop"

	"github.com/awardflow/awardflow/internal/award"
	"github.com/awardflow/awardflow/internal/devapp"
	"github.com/awardflow/awardflow/internal/devapp/devapptest"
	"github.com/awardflow/awardflow/internal/obs"
	"github.com/awardflow/awardflow/internal/orgconfig"
	"github.com/awardflow/awardflow/internal/testenv"
	"github.com/awardflow/awardflow/workflows"
)

// TestObservability runs the path (file with evidence → submit → endorse → council
// session → ballots → close → sign → issue) on the dev stack with JSON logs captured and
// an in-memory span exporter, then checks issue 11's items 1 and 2:
//   - /metrics of the server and of the worker's listener parse (expfmt) and every named
//     series has a non-zero value;
//   - opening a council session is one trace from the HTTP span through the Temporal
//     client and the workflow to an activity span (the agenda's assignment; a filing runs
//     no activity since the API writes its list row itself: workflows/ownrow.go);
//   - no password, bearer token, nominee name or reason of the run is in the logs, and
//     every log line of a request carries its request id.
func TestObservability(t *testing.T) {
	// Read before the dev stack starts: its embedded S3 server changes the directory.
	dashboard, err := os.ReadFile(filepath.Join("..", "..", "deploy", "grafana", "awardflow.json"))
	if err != nil {
		t.Fatal(err)
	}
	spans := tracetest.NewInMemoryExporter()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSyncer(spans))
	otel.SetTracerProvider(tp)
	t.Cleanup(func() { otel.SetTracerProvider(tracenoop.NewTracerProvider()); _ = tp.Shutdown(context.Background()) })

	logs := &testenv.SyncBuffer{}
	log, err := obs.NewLogger(logs, "json", slog.LevelInfo)
	if err != nil {
		t.Fatal(err)
	}
	d := devapptest.Start(t, devapp.Options{Log: log})
	defer d.Stop()
	base := d.URL

	// The secrets and personal data of the run, none of which may reach the log.
	secrets := []string{orgconfig.DemoPassword, "mat-khau-sai-Bi-Mat-9"}
	anon := &api{t: t, base: base}
	refused(t, "wrong password", anon.post("/api/v1/login", map[string]string{"username": "hongdao", "password": "mat-khau-sai-Bi-Mat-9"}), http.StatusUnauthorized, "bad_credentials")
	refused(t, "password typed as the user name", anon.post("/api/v1/login", map[string]string{"username": "mat-khau-sai-Bi-Mat-9", "password": "x"}), http.StatusUnauthorized, "bad_credentials")
	staff, head, secretary, chair := login(t, base, "hongdao"), login(t, base, "tptt"), login(t, base, "thuky"), login(t, base, "truongban")
	secrets = append(secrets, staff.token, head.token, secretary.token, chair.token)

	// --- one filing
	nominee, achievements := "Nguyễn Thị Hồng Đào", "Sáng kiến số hoá tư liệu lưu trữ Quang Trung"
	var p workflows.ProposalView
	must(t, staff.post("/api/v1/proposals", award.Draft{AwardType: "LDTT", MovementID: "vanhoa-2025", Kind: award.KindIndividual,
		NomineeName: nominee, NomineePosition: "Chuyên viên", Achievements: achievements}), http.StatusCreated, &p)

	// --- evidence (S3 put and get), the rest of the path
	evidence := fakePDF(64 << 10)
	var up struct {
		Evidence award.Evidence `json:"evidence"`
	}
	must(t, staff.do(http.MethodPost, "/api/v1/proposals/"+p.ID+"/evidence?filename=minh-chung.pdf", strings.NewReader(string(evidence))), http.StatusCreated, &up)
	if dl := head.get("/api/v1/proposals/" + p.ID + "/evidence/" + up.Evidence.SHA256); dl.Status != http.StatusOK {
		t.Fatalf("download: %d", dl.Status)
	}
	must(t, staff.put("/api/v1/proposals/"+p.ID+"/self-assessment", allCriteria(p, up.Evidence.SHA256)), http.StatusOK, nil)
	must(t, staff.post("/api/v1/proposals/"+p.ID+"/submit", nil), http.StatusOK, nil)
	returnReason := "Bổ sung số liệu sáng kiến Hồ Gươm"
	must(t, head.post("/api/v1/proposals/"+p.ID+"/return", map[string]string{"comment": returnReason}), http.StatusOK, nil)
	must(t, staff.post("/api/v1/proposals/"+p.ID+"/submit", nil), http.StatusOK, nil)
	endorseReason := "Đồng ý đề nghị, thành tích Bạch Đằng"
	must(t, head.post("/api/v1/proposals/"+p.ID+"/endorse", map[string]string{"comment": endorseReason}), http.StatusOK, nil)
	collective := "Phòng Tuyên truyền - Báo chí"
	var p3 workflows.ProposalView
	must(t, staff.post("/api/v1/proposals", award.Draft{AwardType: "TTLDXS", MovementID: "vanhoa-2025", Kind: award.KindCollective,
		NomineeName: collective, Achievements: "100% văn bản điện tử Điện Biên"}), http.StatusCreated, &p3)
	must(t, staff.put("/api/v1/proposals/"+p3.ID+"/self-assessment", allCriteria(p3, "")), http.StatusOK, nil)
	must(t, staff.post("/api/v1/proposals/"+p3.ID+"/submit", nil), http.StatusOK, nil)
	must(t, head.post("/api/v1/proposals/"+p3.ID+"/endorse", nil), http.StatusOK, nil)
	eventually(t, "proposals in the secretary's inbox", 30*time.Second, func() bool {
		var in struct{ Items []struct{ ID string } }
		secretary.get("/api/v1/inbox").json(t, &in)
		return len(in.Items) >= 2
	})
	// --- the session's opening, traced from a known trace id
	traceID := trace.TraceID{}
	_, _ = hex.Decode(traceID[:], []byte("4bf92f3577b34da6a3ce929d0e0e4736"))
	var s workflows.SessionView
	must(t, secretary.post("/api/v1/sessions", map[string]any{"title": "Phiên họp năm 2025", "proposal_ids": []string{p.ID, p3.ID}},
		"traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"), http.StatusCreated, &s)
	checkTrace(t, spans, traceID)
	for _, user := range []string{"truongban", "phoban", "chanhvp", "tptt", "tpllct", "thuky"} {
		v := login(t, base, user)
		secrets = append(secrets, v.token)
		must(t, v.post("/api/v1/sessions/"+s.ID+"/ballot", map[string]any{"marks": map[string]string{p.ID: "yes", p3.ID: "yes"}}), http.StatusOK, nil)
	}
	must(t, chair.post("/api/v1/sessions/"+s.ID+"/close", nil), http.StatusOK, &s)
	issueByLifecycle(t, base, d.CAFile, &s, p.ID, p3.ID)
	eventually(t, "documents issued", 2*time.Minute, func() bool {
		must(t, secretary.get("/api/v1/sessions/"+s.ID), http.StatusOK, &s)
		return s.Status == award.SessionDone
	})

	// --- metrics: the server's /metrics, and the worker's listener (the same process in dev)
	worker := httptest.NewServer(obs.OpsMux(""))
	defer worker.Close()
	want := []struct {
		name   string
		labels map[string]string
	}{
		{"awardflow_http_requests_total", map[string]string{"route": "/api/v1/proposals/{id}/endorse", "method": "POST", "status": "200"}},
		{"awardflow_http_request_duration_seconds", map[string]string{"route": "/api/v1/proposals"}},
		{"awardflow_s3_operation_duration_seconds", map[string]string{"operation": "put", "outcome": "ok"}},
		{"awardflow_s3_operation_duration_seconds", map[string]string{"operation": "get", "outcome": "ok"}},
		{"awardflow_s3_bytes_total", map[string]string{"operation": "put"}},
		{"awardflow_s3_bytes_total", map[string]string{"operation": "get"}},
		{"awardflow_activity_duration_seconds", map[string]string{"activity_type": workflows.ActivityIssueDocument, "outcome": "ok"}},
		{"awardflow_documents_issued_total", map[string]string{"kind": "decision"}},
		{"awardflow_documents_issued_total", map[string]string{"kind": "minutes"}},
		{"awardflow_proposals", map[string]string{"stage": string(award.StageAwarded)}},
		{"awardflow_login_failures_total", map[string]string{"reason": "bad_credentials"}},
		{"awardflow_temporal_request_total", nil},
		{"awardflow_temporal_workflow_completed_total", nil},
		{"awardflow_temporal_activity_execution_latency_seconds", nil},
	}
	for _, target := range []string{base, worker.URL} {
		var sc obs.Scrape
		eventually(t, "every named series in "+target+"/metrics", 30*time.Second, func() bool {
			sc = scrapeMetrics(t, target)
			for _, w := range want {
				if sc.Sum(w.name, w.labels) <= 0 {
					return false
				}
			}
			return true
		})
		for _, w := range want {
			if sc.Sum(w.name, w.labels) <= 0 {
				t.Errorf("%s/metrics: %s%v is zero or absent", target, w.name, w.labels)
			}
		}
		if t.Failed() {
			var names []string
			for n := range sc {
				names = append(names, n)
			}
			sort.Strings(names)
			t.Fatalf("families: %s", strings.Join(names, " "))
		}
		for _, fam := range []string{"awardflow_http_requests_total", "awardflow_http_request_duration_seconds"} {
			for _, v := range sc.LabelValues(fam, "route") {
				if strings.Contains(v, p.ID) || strings.Contains(v, s.ID) {
					t.Fatalf("%s: an id as a route label: %q", fam, v)
				}
			}
		}
	}

	// --- the Grafana dashboard queries series that this run's scrape has
	checkDashboard(t, dashboard, scrapeMetrics(t, base))

	// --- logs: JSON, no secrets or personal data, request ids on request lines
	secrets = append(secrets, nominee, achievements, returnReason, endorseReason, "Điện Biên", "Hồ Gươm", "Bạch Đằng", "Quang Trung")
	checkLogs(t, logs.String(), secrets)
}

func scrapeMetrics(t *testing.T, base string) obs.Scrape {
	t.Helper()
	resp, err := http.Get(base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("%s/metrics: %s", base, resp.Status)
	}
	sc, err := obs.ParseScrape(resp.Body)
	if err != nil {
		t.Fatalf("%s/metrics: %v", base, err)
	}
	return sc
}

// checkTrace waits until the trace traceID — begun by the client's traceparent, so
// every span in it descends from the HTTP request — holds the HTTP server span (child of
// the client's span), the Temporal client's span under it, and an activity span run by
// the worker. (The workflow's own RunWorkflow span ends only when the workflow does, so
// the chain between client and activity is checked by the trace id, not span by span.)
func checkTrace(t *testing.T, exp *tracetest.InMemoryExporter, traceID trace.TraceID) {
	t.Helper()
	var describe []string
	ok := false
	deadline := time.Now().Add(time.Minute)
	for !ok && time.Now().Before(deadline) {
		var httpSpan, clientSpan, activitySpan *tracetest.SpanStub
		all := exp.GetSpans()
		describe = describe[:0]
		for i := range all {
			s := &all[i]
			if s.SpanContext.TraceID() != traceID {
				continue
			}
			describe = append(describe, fmt.Sprintf("%s (%s, parent %s)", s.Name, s.SpanContext.SpanID(), s.Parent.SpanID()))
			switch {
			case s.SpanKind == trace.SpanKindServer && s.Name == "HTTP POST" && s.Parent.SpanID().String() == "00f067aa0ba902b7":
				httpSpan = s
			case strings.HasPrefix(s.Name, "UpdateWithStartWorkflow:") || strings.HasPrefix(s.Name, "StartWorkflow:"):
				clientSpan = s
			case strings.HasPrefix(s.Name, "RunActivity:"):
				activitySpan = s
			}
		}
		ok = httpSpan != nil && clientSpan != nil && activitySpan != nil && clientSpan.Parent.SpanID() == httpSpan.SpanContext.SpanID()
		if !ok {
			time.Sleep(200 * time.Millisecond)
		}
	}
	if !ok {
		var others []string
		for _, s := range exp.GetSpans() {
			others = append(others, fmt.Sprintf("%s [%s]", s.Name, s.SpanContext.TraceID()))
		}
		t.Fatalf("no HTTP → Temporal client → activity trace %s; its spans: %s; all spans: %s", traceID, strings.Join(describe, ", "), strings.Join(others, ", "))
	}
	t.Logf("trace %s: %s", traceID, strings.Join(describe, ", "))
}

// checkLogs: every line is JSON; none holds a secret; lines of an HTTP request (those
// the http component writes) carry request_id.
func checkLogs(t *testing.T, logs string, secrets []string) {
	t.Helper()
	lines := strings.Split(strings.TrimSpace(logs), "\n")
	if len(lines) < 5 {
		t.Fatalf("too few log lines to judge (%d)", len(lines))
	}
	withID := 0
	for _, l := range lines {
		if !strings.HasPrefix(l, "{") {
			t.Errorf("not a JSON line: %.200s", l)
			continue
		}
		for _, s := range secrets {
			if s != "" && strings.Contains(l, s) {
				t.Errorf("the log holds %q: %.300s", s, l)
			}
		}
		if strings.Contains(l, `"component":"http"`) {
			if !strings.Contains(l, `"request_id":"`) {
				t.Errorf("an HTTP log line without request_id: %.300s", l)
			}
			withID++
		}
	}
	if withID == 0 {
		t.Error(fmt.Sprintf("no HTTP log line among %d", len(lines)))
	}
}

var seriesName = regexp.MustCompile(`awardflow_[a-z0-9_]+`)

// checkDashboard: every awardflow_* series a panel of deploy/grafana/awardflow.json
// queries is a family of sc (histogram queries name _bucket, _count or _sum).
func checkDashboard(t *testing.T, b []byte, sc obs.Scrape) {
	t.Helper()
	var dash struct {
		Panels []struct {
			Title   string
			Targets []struct{ Expr string }
		}
	}
	if err := json.Unmarshal(b, &dash); err != nil {
		t.Fatalf("dashboard: %v", err)
	}
	n := 0
	for _, p := range dash.Panels {
		for _, tg := range p.Targets {
			for _, name := range seriesName.FindAllString(tg.Expr, -1) {
				n++
				fam := name
				for _, suf := range []string{"_bucket", "_count", "_sum"} {
					if f, ok := strings.CutSuffix(name, suf); ok && sc[f] != nil && sc[f].GetType() == dto.MetricType_HISTOGRAM {
						fam = f
					}
				}
				if sc[fam] == nil {
					t.Errorf("dashboard panel %q queries %s, which the scrape does not have", p.Title, name)
				}
			}
		}
	}
	if n == 0 {
		t.Fatal("the dashboard queries no awardflow series")
	}
}
