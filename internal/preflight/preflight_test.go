package preflight_test

import (
	"context"
	"crypto/tls"
	"errors"
	"io"
	"log/slog"
	"maps"
	"net"
	"os"
	"strings"
	"testing"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/operatorservice/v1"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"

	"github.com/awardflow/awardflow/internal/app"
	"github.com/awardflow/awardflow/internal/devstack"
	"github.com/awardflow/awardflow/internal/preflight"
	"github.com/awardflow/awardflow/internal/settings"
	"github.com/awardflow/awardflow/internal/testenv"
	"github.com/awardflow/awardflow/workflows"
)

func idle(ctx workflow.Context) error { return nil }

// TestCheckAgainstRealTemporal starts an embedded Temporal whose namespace has one of
// awardflow's search attributes, one with the wrong type and none of the others:
// Check names each missing and mistyped attribute with the temporal CLI command that
// fixes it, and a missing namespace with the command that creates it; once the missing
// ones are created (as the commands would), only the mistyped one is left.
func TestCheckAgainstRealTemporal(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	const ns = "awardflow-prod"
	tmp, err := devstack.StartTemporal(ctx, devstack.Options{
		DataDir: t.TempDir(), Namespace: ns,
		Logger: slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelError})),
		SearchAttributes: map[string]enumspb.IndexedValueType{
			workflows.SAKind.GetName():  enumspb.INDEXED_VALUE_TYPE_KEYWORD,
			workflows.SAStage.GetName(): enumspb.INDEXED_VALUE_TYPE_TEXT, // wrong: awardflow needs Keyword
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = tmp.Stop() }()
	c, err := tmp.Dial(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()

	err = preflight.Check(ctx, c, ns, workflows.SearchAttributes)
	var pe *preflight.Error
	if !errors.As(err, &pe) {
		t.Fatalf("Check on an incomplete namespace: %v, want a *preflight.Error", err)
	}
	msg := err.Error()
	for name, typ := range workflows.SearchAttributes {
		cmd := "temporal operator search-attribute create --namespace " + ns + " --name " + name + " --type " + preflight.CLIType(typ)
		if name == workflows.SAKind.GetName() {
			if strings.Contains(msg, name) {
				t.Errorf("the present, well-typed %s is reported: %s", name, msg)
			}
			continue
		}
		if !strings.Contains(msg, cmd) {
			t.Errorf("the error lacks the fix for %s: %q\n%s", name, cmd, msg)
		}
	}
	if !strings.Contains(msg, "AwardStage has type Text, awardflow needs Keyword") {
		t.Errorf("the mistyped AwardStage is not named with both types:\n%s", msg)
	}
	if got, want := len(pe.Problems), len(workflows.SearchAttributes)-1; got != want {
		t.Errorf("%d problems, want %d:\n%s", got, want, msg)
	}

	// The operator runs the create commands: only the mistyped attribute is left.
	add := map[string]enumspb.IndexedValueType{}
	for name, typ := range workflows.SearchAttributes {
		if name != workflows.SAKind.GetName() && name != workflows.SAStage.GetName() {
			add[name] = typ
		}
	}
	if _, err := c.OperatorService().AddSearchAttributes(ctx, &operatorservice.AddSearchAttributesRequest{Namespace: ns, SearchAttributes: add}); err != nil {
		t.Fatal(err)
	}
	err = preflight.Check(ctx, c, ns, workflows.SearchAttributes)
	if !errors.As(err, &pe) || len(pe.Problems) != 1 || !strings.Contains(pe.Problems[0].What, "AwardStage") {
		t.Fatalf("after creating the missing ones: %v", err)
	}
	rest := maps.Clone(workflows.SearchAttributes)
	delete(rest, workflows.SAStage.GetName())
	if err := preflight.Check(ctx, c, ns, rest); err != nil {
		t.Fatalf("a complete namespace fails the check: %v", err)
	}

	// A namespace that does not exist: the command that creates it comes first.
	err = preflight.Check(ctx, c, "no-such-namespace", workflows.SearchAttributes)
	if !errors.As(err, &pe) || !strings.Contains(pe.Problems[0].Fix, "temporal operator namespace create --namespace no-such-namespace") {
		t.Fatalf("missing namespace: %v", err)
	}

	t.Run("pollers", func(t *testing.T) { testPollers(ctx, t, c) })
	t.Run("mutual TLS", func(t *testing.T) { testMutualTLS(ctx, t, tmp.HostPort, ns) })
}

// testMutualTLS (TestDialTemporalOverMutualTLS): the real Temporal frontend behind a TLS
// terminator that requires a client certificate from a throw-away CA. The client options
// built from the AWARDFLOW_TEMPORAL_TLS* variables connect and pass the start-up check;
// without the client certificate, or in plaintext, or trusting another CA, they do not.
func testMutualTLS(ctx context.Context, t *testing.T, frontend, ns string) {
	certs := testenv.NewTLSCerts(t, "temporal.internal")
	addr := tlsTerminator(t, certs.Server, frontend)
	dial := func(env map[string]string) error {
		conn, err := app.TemporalConnFromEnv(func(k string) string { return env[k] })
		if err != nil {
			t.Fatal(err)
		}
		opts, err := app.ClientOptions(app.Config{TemporalAddress: addr, Namespace: ns, TemporalConn: conn})
		if err != nil {
			t.Fatal(err)
		}
		dctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		defer cancel()
		c, err := client.DialContext(dctx, opts)
		if err != nil {
			return err
		}
		defer c.Close()
		return preflight.Check(dctx, c, ns, map[string]enumspb.IndexedValueType{workflows.SAKind.GetName(): enumspb.INDEXED_VALUE_TYPE_KEYWORD})
	}
	good := map[string]string{
		settings.EnvTemporalTLSCA: certs.CA, settings.EnvTemporalTLSServerName: "temporal.internal",
		settings.EnvTemporalTLSCert: certs.ClientCert, settings.EnvTemporalTLSKey: certs.ClientKey,
	}
	if err := dial(good); err != nil {
		t.Fatalf("mutual TLS with the right CA and client certificate: %v", err)
	}
	noClientCert := map[string]string{settings.EnvTemporalTLSCA: certs.CA, settings.EnvTemporalTLSServerName: "temporal.internal"}
	if err := dial(noClientCert); err == nil {
		t.Error("connected without a client certificate")
	}
	if err := dial(map[string]string{}); err == nil {
		t.Error("connected in plaintext to a TLS frontend")
	}
	other := testenv.NewTLSCerts(t, "temporal.internal")
	wrongCA := maps.Clone(good)
	wrongCA[settings.EnvTemporalTLSCA] = other.CA
	if err := dial(wrongCA); err == nil {
		t.Error("connected trusting another CA")
	}
}

// tlsTerminator listens on 127.0.0.1 with cfg and relays each connection in clear to
// backend (the embedded frontend serves no TLS itself).
func tlsTerminator(t *testing.T, cfg *tls.Config, backend string) string {
	ln, err := tls.Listen("tcp", "127.0.0.1:0", cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ln.Close() })
	go func() {
		for {
			in, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer in.Close()
				if err := in.(*tls.Conn).Handshake(); err != nil {
					return
				}
				out, err := net.Dial("tcp", backend)
				if err != nil {
					return
				}
				defer out.Close()
				go func() { _, _ = io.Copy(out, in) }()
				_, _ = io.Copy(in, out)
			}()
		}
	}()
	return ln.Addr().String()
}

// testPollers: no worker on the task queue is ErrNoWorker (cached for the TTL); a
// worker polling is ready; a poll older than MaxAge does not count.
func testPollers(ctx context.Context, t *testing.T, c client.Client) {
	const queue = "preflight-pollers"
	p := &preflight.Pollers{Client: c, TaskQueue: queue, TTL: time.Hour}
	if err := p.Check(ctx); !errors.Is(err, preflight.ErrNoWorker) {
		t.Fatalf("no worker: %v, want ErrNoWorker", err)
	}
	w := worker.New(c, queue, worker.Options{})
	w.RegisterWorkflow(idle)
	if err := w.Start(); err != nil {
		t.Fatal(err)
	}
	defer w.Stop()
	if err := p.Check(ctx); !errors.Is(err, preflight.ErrNoWorker) {
		t.Fatalf("the cached answer was not reused within the TTL: %v", err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		p.Forget()
		err := p.Check(ctx)
		if err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("a polling worker is not seen: %v", err)
		}
		time.Sleep(200 * time.Millisecond)
	}
	old := &preflight.Pollers{Client: c, TaskQueue: queue, Now: func() time.Time { return time.Now().Add(10 * time.Minute) }}
	if err := old.Check(ctx); !errors.Is(err, preflight.ErrNoWorker) {
		t.Fatalf("a poll 10 minutes old counts: %v", err)
	}
}
