package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"

	"go.temporal.io/sdk/client"

	"github.com/awardflow/awardflow/internal/app"
	"github.com/awardflow/awardflow/internal/reindex"
	"github.com/awardflow/awardflow/internal/settings"
	"github.com/awardflow/awardflow/internal/store"
)

// runReindex rebuilds the records store's projection (the lists) from Temporal: see
// package reindex.
func runReindex(ctx context.Context, args []string, stdout, stderr io.Writer, log *slog.Logger) error {
	fs := flag.NewFlagSet("reindex", flag.ContinueOnError)
	fs.SetOutput(stderr)
	temporalAddr := fs.String("temporal", os.Getenv(settings.EnvTemporalAddress), "Temporal frontend host:port (env "+settings.EnvTemporalAddress+")")
	namespace := fs.String("namespace", envOr(settings.EnvTemporalNamespace, "default"), "Temporal namespace (env "+settings.EnvTemporalNamespace+")")
	dsn := fs.String("db", os.Getenv(settings.EnvDB), "the records store: sqlite:///path/awardflow.db or postgres://… (env "+settings.EnvDB+")")
	parallel := fs.Int("parallel", 4, "workflows asked at once")
	fs.Usage = func() {
		fmt.Fprintf(stderr, `awardflow reindex: rebuild the lists' projection in the records store from Temporal
(dựng lại dữ liệu danh sách hồ sơ và phiên họp từ Temporal).

Every proposal and council session Temporal still has (running, or closed within the
namespace's retention) is asked for the row of its last change, which is written with the
workflow's own sequence number: rows already up to date do not change, so it is safe to
run at any time beside the running service, and again after a failure. Workflows started
before the projection existed are told to write their rows themselves from then on. A
worker must be running: it answers the queries. Rows of workflows Temporal no longer has
are kept.

Temporal's TLS, mutual TLS and API key come from the server's variables
(`+settings.EnvTemporalTLS+`*, `+settings.EnvTemporalAPIKey+`; see awardflow server --help).

With "awardflow dev" running (Temporal on 127.0.0.1:7233):
  awardflow reindex --temporal 127.0.0.1:7233 --db sqlite://./.awardflow/awardflow.db

`)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return fmt.Errorf("reindex: unexpected arguments %q", strings.Join(fs.Args(), " "))
	}
	if *temporalAddr == "" {
		return fmt.Errorf("thiếu địa chỉ Temporal / missing the Temporal address: --temporal or %s", settings.EnvTemporalAddress)
	}
	if strings.TrimSpace(*dsn) == "" {
		return fmt.Errorf("thiếu kho dữ liệu hồ sơ / missing the records store: --db or %s (sqlite:///path/awardflow.db or postgres://…)", settings.EnvDB)
	}
	st, err := store.Open(ctx, strings.TrimSpace(*dsn))
	if err != nil {
		return err
	}
	defer st.Close()
	// The same TLS, mutual TLS and API key settings as the server and the worker.
	conn, err := app.TemporalConnFromEnv(os.Getenv)
	if err != nil {
		return err
	}
	opts, err := app.ClientOptions(app.Config{TemporalAddress: *temporalAddr, Namespace: *namespace, TemporalConn: conn, Log: log})
	if err != nil {
		return err
	}
	c, err := client.DialContext(ctx, opts)
	if err != nil {
		return fmt.Errorf("connect to Temporal at %s (namespace %s): %w", *temporalAddr, *namespace, err)
	}
	defer c.Close()
	rep, err := reindex.Run(ctx, reindex.Options{Temporal: c, Store: st, Log: log, Parallel: *parallel})
	fmt.Fprintf(stdout, "reindex: %s\n", rep)
	return err
}

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}
