package devstack

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/operatorservice/v1"
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"
	sdktemporal "go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"
)

var stageKey = sdktemporal.NewSearchAttributeKeyKeyword("AwardStage")

// parkWorkflow marks itself with a search attribute and waits for a "finish" signal,
// so it is still running across a server restart.
func parkWorkflow(ctx workflow.Context, name string) (string, error) {
	if err := workflow.UpsertTypedSearchAttributes(ctx, stageKey.ValueSet("filed")); err != nil {
		return "", err
	}
	var by string
	workflow.GetSignalChannel(ctx, "finish").Receive(ctx, &by)
	return "hồ sơ " + name + " xong bởi " + by, nil
}

// testLogger writes to stderr rather than t.Log: server goroutines may log after a
// test returns, and t.Log then panics.
func testLogger(_ *testing.T) *slog.Logger {
	return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
}

func startWorker(t *testing.T, c client.Client, queue string) worker.Worker {
	t.Helper()
	w := worker.New(c, queue, worker.Options{})
	w.RegisterWorkflow(parkWorkflow)
	if err := w.Start(); err != nil {
		t.Fatalf("start worker: %v", err)
	}
	return w
}

func TestTemporalPersistsAcrossRestart(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	dir := t.TempDir()
	opts := Options{
		DataDir:   dir,
		Namespace: "awardflow",
		Logger:    testLogger(t),
		SearchAttributes: map[string]enumspb.IndexedValueType{
			"AwardStage":     enumspb.INDEXED_VALUE_TYPE_KEYWORD,
			"AwardAssignees": enumspb.INDEXED_VALUE_TYPE_KEYWORD_LIST,
			"AwardDueAt":     enumspb.INDEXED_VALUE_TYPE_DATETIME,
		},
	}

	start := time.Now()
	srv, err := StartTemporal(ctx, opts)
	if err != nil {
		t.Fatalf("first StartTemporal: %v", err)
	}
	t.Logf("MEASURE StartTemporal fresh dir: %v", time.Since(start))
	if _, err := os.Stat(filepath.Join(dir, "temporal", "temporal.db")); err != nil {
		t.Fatalf("database not under DataDir: %v", err)
	}
	checkSearchAttributes(ctx, t, srv, opts.SearchAttributes)

	// A second server on the same data dir must be refused, not corrupt the database.
	if second, err := StartTemporal(ctx, Options{DataDir: dir, Namespace: "awardflow"}); err == nil {
		_ = second.Stop()
		t.Fatal("second StartTemporal on the same data dir succeeded; want a lock error")
	} else if !strings.Contains(err.Error(), "in use") {
		t.Fatalf("second StartTemporal: want an 'in use' error, got %v", err)
	}

	c, err := srv.Dial(ctx)
	if err != nil {
		t.Fatal(err)
	}
	const queue, wfID = "devstack-test", "proposal-1"
	w := startWorker(t, c, queue)
	run, err := c.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: wfID, TaskQueue: queue}, parkWorkflow, "HS-01")
	if err != nil {
		t.Fatalf("start workflow: %v", err)
	}
	// Wait until the workflow has run its first task (the search attribute is upserted
	// and indexed), so the restart happens with real history in the database.
	waitVisible(ctx, t, c, "awardflow", `AwardStage = 'filed' AND ExecutionStatus = 'Running'`, wfID)
	w.Stop()
	c.Close()
	stopStart := time.Now()
	if err := srv.Stop(); err != nil {
		t.Fatalf("stop: %v", err)
	}
	t.Logf("MEASURE Temporal.Stop: %v", time.Since(stopStart))
	if err := srv.Stop(); err != nil {
		t.Fatalf("second Stop must be a no-op, got %v", err)
	}

	// Restart on the same dir, with one more search attribute: the old ones must stay
	// and the new one must be added.
	opts.SearchAttributes["AwardDepartment"] = enumspb.INDEXED_VALUE_TYPE_KEYWORD
	start = time.Now()
	srv, err = StartTemporal(ctx, opts)
	if err != nil {
		t.Fatalf("restart StartTemporal: %v", err)
	}
	t.Logf("MEASURE StartTemporal existing dir (+1 search attribute): %v", time.Since(start))
	defer srv.Stop()
	checkSearchAttributes(ctx, t, srv, opts.SearchAttributes)

	c, err = srv.Dial(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	desc, err := c.DescribeWorkflowExecution(ctx, wfID, "")
	if err != nil {
		t.Fatalf("describe after restart: %v", err)
	}
	if got := desc.GetWorkflowExecutionInfo().GetStatus(); got != enumspb.WORKFLOW_EXECUTION_STATUS_RUNNING {
		t.Fatalf("status after restart = %v, want RUNNING", got)
	}
	if desc.GetWorkflowExecutionInfo().GetExecution().GetRunId() != run.GetRunID() {
		t.Fatalf("run id changed across restart")
	}
	w = startWorker(t, c, queue)
	defer w.Stop()
	if err := c.SignalWorkflow(ctx, wfID, "", "finish", "Hội đồng"); err != nil {
		t.Fatalf("signal after restart: %v", err)
	}
	var result string
	if err := c.GetWorkflow(ctx, wfID, "").Get(ctx, &result); err != nil {
		t.Fatalf("result: %v", err)
	}
	if want := "hồ sơ HS-01 xong bởi Hội đồng"; result != want {
		t.Fatalf("result = %q, want %q", result, want)
	}

	ns, err := c.WorkflowService().DescribeNamespace(ctx, &workflowservice.DescribeNamespaceRequest{Namespace: "awardflow"})
	if err != nil {
		t.Fatal(err)
	}
	if got := ns.GetConfig().GetWorkflowExecutionRetentionTtl().AsDuration(); got != NamespaceRetention {
		t.Fatalf("retention = %v, want %v", got, NamespaceRetention)
	}
}

func TestTemporalRejectsSearchAttributeTypeChange(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	dir := t.TempDir()
	opts := Options{DataDir: dir, Logger: testLogger(t), SearchAttributes: map[string]enumspb.IndexedValueType{
		"AwardStage": enumspb.INDEXED_VALUE_TYPE_KEYWORD,
	}}
	srv, err := StartTemporal(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	if srv.Namespace != DefaultNamespace {
		t.Fatalf("namespace = %q, want %q", srv.Namespace, DefaultNamespace)
	}
	if err := srv.Stop(); err != nil {
		t.Fatal(err)
	}
	opts.SearchAttributes["AwardStage"] = enumspb.INDEXED_VALUE_TYPE_INT
	srv, err = StartTemporal(ctx, opts)
	if err == nil {
		_ = srv.Stop()
		t.Fatal("restart with a changed search attribute type succeeded; want an error")
	}
	if !strings.Contains(err.Error(), "AwardStage") {
		t.Fatalf("error does not name the attribute: %v", err)
	}
	// The failed start must release the data dir.
	opts.SearchAttributes["AwardStage"] = enumspb.INDEXED_VALUE_TYPE_KEYWORD
	start := time.Now()
	srv, err = StartTemporal(ctx, opts)
	if err != nil {
		t.Fatalf("start after failed start: %v", err)
	}
	t.Logf("MEASURE StartTemporal existing dir (no change): %v", time.Since(start))
	if err := srv.Stop(); err != nil {
		t.Fatal(err)
	}
}

func TestTemporalPortTaken(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	srv, err := StartTemporal(ctx, Options{DataDir: t.TempDir(), TemporalHostPort: ln.Addr().String(), Logger: testLogger(t)})
	if err == nil {
		_ = srv.Stop()
		t.Fatal("StartTemporal on a taken port succeeded")
	}
	if !strings.Contains(err.Error(), ln.Addr().String()) || !strings.Contains(err.Error(), "not available") {
		t.Fatalf("error should name the taken address: %v", err)
	}
}

// TestTemporalFatalBecomesError skips the up-front port check to reach the server's
// own bind failure, which it reports through Logger.Fatal: it must come back as an
// error, not a crash.
func TestTemporalFatalBecomesError(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	dbPath := filepath.Join(t.TempDir(), "temporal.db")
	sqlCfg := sqliteConfig(dbPath)
	if err := ensureSchema(dbPath, sqlCfg); err != nil {
		t.Fatal(err)
	}
	arch, err := newArchival(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := serverConfig(loopback, ln.Addr().(*net.TCPAddr).Port, sqlCfg, arch)
	if err != nil {
		t.Fatal(err)
	}
	opts, err := serverOptions(cfg, newServerLogger(testLogger(t)))
	if err != nil {
		t.Fatal(err)
	}
	srv, err := newAndStartServer(opts...)
	if err == nil {
		_ = srv.Stop()
		t.Fatal("server started on a taken port")
	}
	var fe *FatalError
	if !errors.As(err, &fe) || !strings.Contains(err.Error(), "listener") {
		t.Fatalf("want a FatalError about the listener, got %v", err)
	}
}

func TestServerLoggerFatalIsRecoverable(t *testing.T) {
	l := newServerLogger(testLogger(t))
	defer func() {
		var fe *FatalError
		r := recover()
		err, _ := r.(error)
		if !errors.As(err, &fe) || !strings.Contains(fe.Error(), "Failed to start gRPC listener") {
			t.Fatalf("recovered %v, want *FatalError naming the message", r)
		}
	}()
	l.Fatal("Failed to start gRPC listener")
}

func checkSearchAttributes(ctx context.Context, t *testing.T, srv *Temporal, want map[string]enumspb.IndexedValueType) {
	t.Helper()
	c, err := srv.Dial(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	resp, err := c.OperatorService().ListSearchAttributes(ctx, &operatorservice.ListSearchAttributesRequest{Namespace: srv.Namespace})
	if err != nil {
		t.Fatalf("list search attributes: %v", err)
	}
	for name, typ := range want {
		if got, ok := resp.GetCustomAttributes()[name]; !ok || got != typ {
			t.Errorf("search attribute %s = %v (present %v), want %v", name, got, ok, typ)
		}
	}
}

func waitVisible(ctx context.Context, t *testing.T, c client.Client, ns, query, wfID string) {
	t.Helper()
	for {
		resp, err := c.ListWorkflow(ctx, &workflowservice.ListWorkflowExecutionsRequest{Namespace: ns, Query: query})
		if err != nil {
			t.Fatalf("list %q: %v", query, err)
		}
		for _, e := range resp.GetExecutions() {
			if e.GetExecution().GetWorkflowId() == wfID {
				return
			}
		}
		select {
		case <-ctx.Done():
			t.Fatalf("workflow %s never matched %q", wfID, query)
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// TestTemporalStartsAgainWhenAPortIsTaken: the port found free is taken by another
// process before the server binds it (the race of a free-port probe; it failed a CI run
// when another package's test took the frontend port of a restart). The start goes on
// with fresh ports instead of failing.
func TestTemporalStartsAgainWhenAPortIsTaken(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	taken := ln.Addr().(*net.TCPAddr).Port
	picks := 0
	pickFrontend = func(what, asked string) (string, int, error) {
		picks++
		if picks == 1 {
			return loopback, taken, nil // free a moment ago, as the probe saw it
		}
		return resolveHostPort(what, asked)
	}
	defer func() { pickFrontend = resolveHostPort }()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	srv, err := StartTemporal(ctx, Options{DataDir: t.TempDir(), Namespace: "awardflow", Logger: testLogger(t)})
	if err != nil {
		t.Fatalf("start after a taken port: %v", err)
	}
	defer srv.Stop()
	if picks != 2 {
		t.Errorf("frontend picked %d times, want 2 (one taken, one fresh)", picks)
	}
	if strings.HasSuffix(srv.HostPort, fmt.Sprintf(":%d", taken)) {
		t.Errorf("the server answers on the taken port %s", srv.HostPort)
	}
	c, err := srv.Dial(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := c.CheckHealth(ctx, &client.CheckHealthRequest{}); err != nil {
		t.Fatalf("the server started on fresh ports does not answer: %v", err)
	}
}

// TestPortTaken tells the bind failure from other start failures.
func TestPortTaken(t *testing.T) {
	for _, c := range []struct {
		err  error
		want bool
	}{
		{fmt.Errorf("start: %w", syscall.EADDRINUSE), true},
		{errors.New("temporal server: Failed to start gRPC listener error=listen tcp 127.0.0.1:42665: bind: address already in use"), true},
		{errors.New("devstack: create temporal server: no such plugin"), false},
		{syscall.EACCES, false},
	} {
		if got := portTaken(c.err); got != c.want {
			t.Errorf("portTaken(%v) = %v, want %v", c.err, got, c.want)
		}
	}
}
