package e2e

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"
	"google.golang.org/protobuf/types/known/durationpb"

	"github.com/awardflow/awardflow/internal/app"
	"github.com/awardflow/awardflow/internal/award"
	"github.com/awardflow/awardflow/internal/blobstore"
	"github.com/awardflow/awardflow/internal/settings"
	"github.com/awardflow/awardflow/internal/store"
	"github.com/awardflow/awardflow/workflows"
)

// buildProdBinary builds cmd/awardflow as the Dockerfile ships it (-tags nodev).
func buildProdBinary(t *testing.T, root string) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "awardflow")
	cmd := exec.Command("go", "build", "-tags", "nodev", "-o", bin, "./cmd/awardflow")
	cmd.Dir = root
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build -tags nodev: %v\n%s", err, b)
	}
	return bin
}

// okGate says a worker polls when none does: the filing then starts its workflow, and
// the bounded wait is what answers.
type okGate struct{}

func (okGate) Check(context.Context) error { return nil }
func (okGate) Forget()                     {}

// TestNoWorkerFailsLoudly runs the production `awardflow server` (the nodev build) as
// an operator would, against a real Temporal and S3 (the dev stack's):
//   - a namespace that does not exist, and one without awardflow's search attributes:
//     the server refuses to start, printing the temporal CLI commands that fix it;
//   - a task queue no worker polls: /readyz is 503 naming the "worker" check (the other
//     checks ok), and filing a proposal answers 503 within seconds in Vietnamese first,
//     with no workflow started and no row in the lists;
//   - when a workflow did start and no worker takes it (the poller check fooled), the
//     bounded wait answers 503 and the workflow is terminated, nothing left running.
func TestNoWorkerFailsLoudly(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 6*time.Minute)
	defer cancel()
	// Before the dev stack: its S3 server changes the working directory.
	root := moduleRoot(t)
	bin := buildProdBinary(t, root)
	d := startDev(t, t.TempDir())
	tc, err := client.Dial(client.Options{HostPort: d.Temporal, Namespace: "default"})
	if err != nil {
		t.Fatal(err)
	}
	defer tc.Close()
	dir := t.TempDir()
	env := func(namespace, queue string) []string {
		return []string{"PATH=/usr/bin:/bin", "HOME=" + dir,
			settings.EnvTemporalAddress + "=" + d.Temporal, settings.EnvTemporalNamespace + "=" + namespace, settings.EnvTaskQueue + "=" + queue,
			settings.EnvS3Endpoint + "=" + d.S3.Endpoint, settings.EnvS3AccessKey + "=" + d.S3.AccessKey, settings.EnvS3SecretKey + "=" + d.S3.SecretKey,
			settings.EnvS3Bucket + "=" + d.S3.Bucket, settings.EnvS3Region + "=" + d.S3.Region,
			settings.EnvOrgConfig + "=" + filepath.Join(root, "internal", "orgconfig", "demo.yaml"),
			settings.EnvTokenSecret + "=" + randomHexString(t, 32), settings.EnvBallotKey + "=" + randomHexString(t, 32),
			settings.EnvDB + "=" + store.SQLiteDSN(filepath.Join(dir, "server-"+namespace+".db")), settings.EnvAddr + "=" + freeAddr(t),
		}
	}

	// --- the namespace is missing, then lacks the search attributes: refused, with the fixes.
	out, err := runProcess(ctx, bin, env("no-such-namespace", "awardflow"), "server")
	if err == nil || !strings.Contains(out, "temporal operator namespace create --namespace no-such-namespace") {
		t.Fatalf("server on a missing namespace: %v\n%s", err, out)
	}
	nc, err := client.NewNamespaceClient(client.Options{HostPort: d.Temporal})
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	week := 7 * 24 * time.Hour
	if err := nc.Register(ctx, &workflowservice.RegisterNamespaceRequest{Namespace: "bare", WorkflowExecutionRetentionPeriod: durationpb.New(week)}); err != nil {
		t.Fatal(err)
	}
	eventually(t, "namespace bare visible", time.Minute, func() bool {
		_, err := nc.Describe(ctx, "bare")
		return err == nil
	})
	out, err = runProcess(ctx, bin, env("bare", "awardflow"), "server")
	if err == nil {
		t.Fatalf("server started on a namespace without the search attributes:\n%s", out)
	}
	for name, typ := range workflows.SearchAttributes {
		cmd := "temporal operator search-attribute create --namespace bare --name " + name + " --type "
		if !strings.Contains(out, cmd) {
			t.Errorf("the refusal lacks %q (%s):\n%s", cmd, typ, out)
		}
	}

	// --- no worker polls the task queue.
	const queue = "no-worker-polls-this"
	e := env("default", queue)
	addr := strings.TrimPrefix(e[len(e)-1], settings.EnvAddr+"=")
	base := "http://" + addr
	server := startProc(t, "server", bin, e, "server")
	var rep struct {
		Status string            `json:"status"`
		Checks map[string]string `json:"checks"`
	}
	eventually(t, "server started (its checks answer)", time.Minute, func() bool {
		if server.exited() {
			t.Fatalf("server exited:\n%s", server.out)
		}
		resp, err := http.Get(base + "/readyz")
		if err != nil {
			return false
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		rep.Checks = nil
		_ = json.Unmarshal(b, &rep)
		return rep.Checks != nil && resp.StatusCode == http.StatusServiceUnavailable
	})
	for _, ok := range []string{"temporal", "s3", "records_store"} {
		if rep.Checks[ok] != "ok" {
			t.Errorf("/readyz check %s: %q, want ok (%+v)", ok, rep.Checks[ok], rep)
		}
	}
	if !strings.Contains(rep.Checks["worker"], "no worker polls") {
		t.Errorf("/readyz does not say no worker polls: %+v", rep)
	}

	staff := login(t, base, "hongdao")
	draft := award.Draft{AwardType: "LDTT", MovementID: "vanhoa-2025", Kind: award.KindIndividual,
		NomineeName: "Nguyễn Thị Hồng Đào", NomineePosition: "Chuyên viên", Achievements: "Hoàn thành xuất sắc nhiệm vụ năm 2025"}
	began := time.Now()
	r := staff.post("/api/v1/proposals", draft, "Idempotency-Key", "no-worker-1")
	took := time.Since(began)
	if r.Status != http.StatusServiceUnavailable || r.errCode() != string(award.CodeUnavailable) || took > 5*time.Second {
		t.Fatalf("filing with no worker: %d %s after %s, want 503 within 5 s", r.Status, r.Body, took)
	}
	if !strings.HasPrefix(r.message(), "Chưa có tiến trình xử lý (worker) nào đang chạy") || r.Header.Get("Retry-After") == "" {
		t.Errorf("the 503 does not say why in Vietnamese, or when to retry: %s (Retry-After %q)", r.Body, r.Header.Get("Retry-After"))
	}
	t.Logf("MEASURE no-worker 503 in %s", took.Round(time.Millisecond))
	if n := countWorkflows(ctx, t, tc, "TaskQueue = '"+queue+"'"); n != 0 {
		t.Errorf("%d workflows started on the unpolled task queue", n)
	}
	var list struct {
		Items []json.RawMessage `json:"items"`
	}
	must(t, staff.get("/api/v1/proposals"), http.StatusOK, &list)
	if len(list.Items) != 0 {
		t.Errorf("the lists show %d proposals after a refused filing", len(list.Items))
	}

	// --- the poller check fooled: the workflow starts, no worker takes it.
	const queue2 = "no-worker-takes-this"
	blobs, err := blobstore.New(ctx, d.S3)
	if err != nil {
		t.Fatal(err)
	}
	cfg := app.Config{TemporalAddress: d.Temporal, Namespace: "default", TaskQueue: queue2, Org: d.Org,
		TokenSecret: []byte(randomHexString(t, 32)), BallotKey: []byte(randomHexString(t, 16)), Store: d.Store, Log: slog.New(slog.DiscardHandler)}
	api, err := app.NewAPI(tc, blobs, cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	api.Workers, api.WorkerWait = okGate{}, 3*time.Second
	hs := httptest.NewServer(api.Handler())
	defer hs.Close()
	staff2 := login(t, hs.URL, "quoccuong")
	began = time.Now()
	draft.NomineeName = "Lê Quốc Cường"
	r = staff2.post("/api/v1/proposals", draft, "Idempotency-Key", "no-worker-2")
	took = time.Since(began)
	if r.Status != http.StatusServiceUnavailable || took > 15*time.Second {
		t.Fatalf("filing no worker takes: %d %s after %s, want 503 after the 3 s wait", r.Status, r.Body, took)
	}
	eventually(t, "the untaken workflow terminated", 30*time.Second, func() bool {
		return countWorkflows(ctx, t, tc, "TaskQueue = '"+queue2+"' AND ExecutionStatus = 'Terminated'") == 1
	})
	if n := countWorkflows(ctx, t, tc, "TaskQueue = '"+queue2+"' AND ExecutionStatus = 'Running'"); n != 0 {
		t.Errorf("%d workflows left running on the task queue no worker takes", n)
	}
	// The filing's own-row intent (recorded before the Update-with-Start) is settled by
	// the dev stack's sweeper once due, although the terminated workflow cannot answer a
	// query: it never ran, so it has no row.
	if ids, err := d.Store.DueOwnRows(ctx, time.Now().Add(time.Hour), 10); err != nil || len(ids) != 1 {
		t.Fatalf("own-row intents after the untaken filing: %v, %v; want the filing's", ids, err)
	}
	eventually(t, "the untaken filing's own-row intent settled", time.Minute, func() bool {
		ids, err := d.Store.DueOwnRows(ctx, time.Now().Add(time.Hour), 10)
		if err != nil {
			t.Fatal(err)
		}
		return len(ids) == 0
	})
	must(t, staff2.get("/api/v1/proposals"), http.StatusOK, &list)
	if len(list.Items) != 0 {
		t.Errorf("the lists show %d proposals after the untaken filing", len(list.Items))
	}
}

func countWorkflows(ctx context.Context, t *testing.T, c client.Client, query string) int {
	t.Helper()
	n := 0
	var token []byte
	for {
		resp, err := c.ListWorkflow(ctx, &workflowservice.ListWorkflowExecutionsRequest{Query: query, NextPageToken: token})
		if err != nil {
			t.Fatalf("list workflows %q: %v", query, err)
		}
		n += len(resp.GetExecutions())
		if token = resp.GetNextPageToken(); len(token) == 0 {
			return n
		}
	}
}
