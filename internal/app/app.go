// Package app wires awardflow's parts together: a Temporal client, the object store, the
// worker (workflows + activities) and the HTTP API. `awardflow server`, `awardflow worker`
// and `awardflow dev` all start through it, so the dev stack runs the production code.
package app

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"sync/atomic"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/workflowservice/v1"
	sdklog "go.temporal.io/sdk/log"

	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/interceptor"
	"go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"

	"github.com/awardflow/awardflow/activities"
	"github.com/awardflow/awardflow/internal/auth"
	"github.com/awardflow/awardflow/internal/ballotbox"
	"github.com/awardflow/awardflow/internal/blobstore"
	"github.com/awardflow/awardflow/internal/directory"
	"github.com/awardflow/awardflow/internal/httpapi"
	"github.com/awardflow/awardflow/internal/keyring"
	"github.com/awardflow/awardflow/internal/obs"
	"github.com/awardflow/awardflow/internal/opshttp"
	"github.com/awardflow/awardflow/internal/orgconfig"
	"github.com/awardflow/awardflow/internal/pdfsign"
	"github.com/awardflow/awardflow/internal/preflight"
	"github.com/awardflow/awardflow/internal/store"
	"github.com/awardflow/awardflow/workflows"
)

// Config is everything the server and the worker need.
type Config struct {
	TemporalAddress string
	// TemporalConn is TLS, mutual TLS and the API key for TemporalAddress (zero: plaintext).
	TemporalConn   TemporalConn
	Namespace      string
	TaskQueue      string
	S3             blobstore.Config
	Org            *orgconfig.Org
	TokenSecret    []byte        // server only
	TokenTTL       time.Duration // server only; default 12h
	Signer         pdfsign.Signer
	SignatureImage []byte          // PNG of the signer's handwritten signature, drawn in the appearance; optional
	Seal           *pdfsign.Signer // the agency seal's signature, applied after Signer's; optional
	BallotKey      []byte          // seals ballots (server) and opens them at the count (worker)
	Secretary      *pdfsign.Signer // the council secretary's own key, for the minutes; optional
	SealImage      []byte          // PNG of the seal drawn in its appearance; optional
	// SignatureImages gives each person's own signature image; optional (see activities).
	SignatureImages func(personID, name string) []byte
	TrustedCAs      *x509.CertPool
	TrustedProxies  auth.Proxies // server only: whose X-Forwarded-For to believe
	MaxEvidence     int64
	Log             *slog.Logger

	// Store is the records store (directory, award register, document index, the lists'
	// projection; internal/store), opened and migrated by the caller, who also closes it.
	// Nil: the activities write nothing there and the API's lists and verify fall back
	// on Temporal's visibility.
	Store *store.Store

	// Directory is the organisation with the directory as the admin edits it; nil
	// means directory.New over Store (or the fixed Org without a Store). See Source.
	Directory orgconfig.Source

	// Keys gives each person who signs (the signer of decisions, deputies, the chair,
	// the secretary) their own certificate, and the agency its seal certificate (worker).
	// Signer, Seal and Secretary above are the deprecated single-signer identities the
	// activities fall back on without Keys; the wiring fills them from Keys too, for
	// the documents that still sign through them.
	Keys keyring.Keyring

	// Mail mails the notifications (worker); nil: the pages only. NotifyInterval is
	// how often the NotificationsWorkflow delivers (default one minute).
	Mail           *activities.Mailer
	NotifyInterval time.Duration

	// ReviewWithin, when set, is the length of a head's review deadline instead of the
	// agency's review_days days (drills and end-to-end tests). 0: review_days.
	ReviewWithin time.Duration

	// WorkflowCacheSize bounds the running workflows the worker keeps in memory between
	// their tasks (Temporal's sticky cache; the SDK's default of 10,000 holds ~1.5 GB of
	// proposals at ~150 KB each). 0: DefaultWorkflowCacheSize. A workflow pushed out is
	// replayed from its history on its next task: slower, never wrong.
	WorkflowCacheSize int

	// MetricsToken, when set, is the bearer token GET /metrics asks for.
	MetricsToken string
}

// DefaultWorkflowCacheSize keeps the worker near 300 MB of cached workflows.
const DefaultWorkflowCacheSize = 2000

// Source is where the server and the worker read the organisation: Directory, else the
// records store's directory over Org, else Org as the YAML has it.
func (cfg *Config) Source() orgconfig.Source {
	switch {
	case cfg.Directory != nil:
	case cfg.Store != nil:
		cfg.Directory = directory.New(cfg.Store, cfg.Org)
	default:
		return cfg.Org
	}
	return cfg.Directory
}

// Dial connects to Temporal.
func Dial(ctx context.Context, cfg Config) (client.Client, error) {
	opts, err := ClientOptions(cfg)
	if err != nil {
		return nil, err
	}
	// The SDK's metrics go to the process's Prometheus registry (/metrics), and its
	// OpenTelemetry interceptor carries a request's trace into the workflow and its
	// activities.
	if opts.MetricsHandler, err = obs.TemporalMetrics(); err != nil {
		return nil, err
	}
	interceptors, err := obs.TemporalInterceptors()
	if err != nil {
		return nil, err
	}
	opts.Interceptors = append(opts.Interceptors, interceptors...)
	c, err := client.DialContext(ctx, opts)
	if err != nil {
		return nil, fmt.Errorf("connect to Temporal at %s (namespace %s): %w", cfg.TemporalAddress, cfg.Namespace, err)
	}
	return c, nil
}

// ClientOptions are the Temporal SDK's options for cfg: the address, the namespace, TLS,
// mutual TLS and the API key.
func ClientOptions(cfg Config) (client.Options, error) {
	log := cfg.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	o := client.Options{
		HostPort:  cfg.TemporalAddress,
		Namespace: cfg.Namespace,
		Logger:    sdklog.NewStructuredLogger(log.With("component", "temporal-sdk")),
		// The API's "I write this change's list row" mark (workflows/ownrow.go): the
		// server's client sends it, the worker's hands it to the workflow. Every client
		// has it, so a worker can never replay a ProposalWorkflowV3 without it.
		ContextPropagators: []workflow.ContextPropagator{workflows.OwnRowPropagator{}},
	}
	if err := cfg.TemporalConn.apply(&o); err != nil {
		return o, fmt.Errorf("connect to Temporal at %s: %w", cfg.TemporalAddress, err)
	}
	return o, nil
}

// Worker runs the workflows and activities.
type Worker struct {
	w       worker.Worker
	running atomic.Bool
}

// StartWorker starts polling the task queue.
func StartWorker(ctx context.Context, c client.Client, store *blobstore.Store, cfg Config) (*Worker, error) {
	if cfg.Keys == nil && (cfg.Signer.Key == nil || cfg.Signer.Cert == nil) {
		return nil, errors.New("worker: a keyring (or a signing key and certificate) is required")
	}
	box, err := ballotbox.New(cfg.BallotKey)
	if err != nil {
		return nil, fmt.Errorf("worker: %w", err)
	}
	// The cache is the process's (the SDK creates it with the first worker): set before.
	size := cfg.WorkflowCacheSize
	if size <= 0 {
		size = DefaultWorkflowCacheSize
	}
	worker.SetStickyWorkflowCacheSize(size)
	w := worker.New(c, cfg.TaskQueue, worker.Options{Interceptors: []interceptor.WorkerInterceptor{obs.ActivityMetrics()}})
	acts := &activities.Activities{
		Temporal: c, TaskQueue: cfg.TaskQueue, Store: store, Org: cfg.Source(), Keys: cfg.Keys, Signer: cfg.Signer,
		SignatureImage: cfg.SignatureImage, SignatureImages: cfg.SignatureImages, Seal: cfg.Seal, SealImage: cfg.SealImage, Ballots: box,
		Secretary: cfg.Secretary, Records: cfg.Store, Mail: cfg.Mail,
		Log: cfg.Log.With("component", "activities"),
	}
	acts.Register(w)
	if err := w.Start(); err != nil {
		return nil, fmt.Errorf("start worker on task queue %s: %w", cfg.TaskQueue, err)
	}
	if cfg.Store != nil {
		startNotifications(ctx, c, cfg)
		obs.RegisterStages(cfg.Store.ProposalsByStage, cfg.Log)
	}
	wk := &Worker{w: w}
	wk.running.Store(true)
	return wk, nil
}

// startNotifications starts the one NotificationsWorkflow of the namespace, or leaves
// the running one (every worker asks; the id makes it one). A failure is logged: the
// next worker start asks again, and the notifications wait in the store meanwhile.
func startNotifications(ctx context.Context, c client.Client, cfg Config) {
	_, err := c.ExecuteWorkflow(ctx, client.StartWorkflowOptions{
		ID: workflows.NotificationsWorkflowID, TaskQueue: cfg.TaskQueue,
		WorkflowIDConflictPolicy: enumspb.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING,
		WorkflowIDReusePolicy:    enumspb.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE,
	}, workflows.NotificationsWorkflowName, workflows.NotificationsInput{Interval: cfg.NotifyInterval})
	if err != nil {
		cfg.Log.Warn("notifications workflow not started", "error", err)
	}
}

// Running reports whether the worker polls.
func (w *Worker) Running() bool { return w != nil && w.running.Load() }

// Stop stops polling and waits for running tasks.
func (w *Worker) Stop() {
	if w != nil && w.running.Swap(false) {
		w.w.Stop()
	}
}

// OwnRowSweepEvery is how often an API server settles the own-row intents that fell due
// (httpapi.SweepOwnRows).
const OwnRowSweepEvery = 5 * time.Second

// NewAPI builds the HTTP API. ready reports extra readiness (e.g. the in-process worker).
func NewAPI(c client.Client, store *blobstore.Store, cfg Config, ready func(context.Context) error) (*httpapi.Server, error) {
	ttl := cfg.TokenTTL
	if ttl == 0 {
		ttl = 12 * time.Hour
	}
	tokens, err := auth.NewTokens(cfg.TokenSecret, ttl)
	if err != nil {
		return nil, err
	}
	box, err := ballotbox.New(cfg.BallotKey)
	if err != nil {
		return nil, fmt.Errorf("server: %w", err)
	}
	// /readyz names each dependency; "worker" is whether a worker polls the task queue
	// (cached a few seconds), which also turns a filing no worker would take into a 503.
	pollers := &preflight.Pollers{Client: c, TaskQueue: cfg.TaskQueue}
	checks := append(Checks(c, store, cfg), opshttp.Check{Name: "worker", Run: pollers.Check})
	if ready != nil {
		checks = append(checks, opshttp.Check{Name: "in_process_worker", Run: ready})
	}
	if cfg.Store != nil {
		obs.RegisterStages(cfg.Store.ProposalsByStage, cfg.Log)
	}
	return &httpapi.Server{
		MetricsToken: cfg.MetricsToken,
		Temporal:     c, TaskQueue: cfg.TaskQueue, Store: store, Org: cfg.Source(), Tokens: tokens, Ballots: box, Records: cfg.Store,
		Log: cfg.Log.With("component", "http"), MaxEvidence: cfg.MaxEvidence, TrustedCAs: cfg.TrustedCAs,
		Proxies: cfg.TrustedProxies, ReviewWithin: cfg.ReviewWithin,
		Throttle:    auth.NewThrottle(auth.DefaultThrottleConfig, nil),
		Revocations: &auth.Revocations{Store: store, Log: cfg.Log.With("component", "revocations")},
		Checks:      checks,
		Workers:     pollers,
	}, nil
}

// Checks are the readiness checks of a process's dependencies: the Temporal namespace
// (described, so a frontend that answers but lacks the namespace is not ready), the S3
// bucket, and the records store when there is one.
func Checks(c client.Client, blobs *blobstore.Store, cfg Config) []opshttp.Check {
	checks := []opshttp.Check{
		{Name: "temporal", Run: func(ctx context.Context) error {
			_, err := c.WorkflowService().DescribeNamespace(ctx, &workflowservice.DescribeNamespaceRequest{Namespace: cfg.Namespace})
			if err != nil {
				return fmt.Errorf("namespace %s: %w", cfg.Namespace, err)
			}
			return nil
		}},
		{Name: "s3", Run: blobs.Ready},
	}
	if cfg.Store != nil {
		checks = append(checks, opshttp.Check{Name: "records_store", Run: cfg.Store.Ping})
	}
	return checks
}

// WorkerChecks are the worker's own readiness checks: it polls, and its dependencies.
func WorkerChecks(w *Worker, c client.Client, blobs *blobstore.Store, cfg Config) []opshttp.Check {
	return append([]opshttp.Check{{Name: "worker", Run: func(context.Context) error {
		if !w.Running() {
			return errors.New("the worker is not polling")
		}
		return nil
	}}}, Checks(c, blobs, cfg)...)
}

// Serve runs an HTTP server until ctx ends, then shuts it down gracefully.
func Serve(ctx context.Context, srv *http.Server, log *slog.Logger, serve func() error) error {
	errc := make(chan error, 1)
	go func() { errc <- serve() }()
	select {
	case err := <-errc:
		if errors.Is(err, http.ErrServerClosed) {
			return nil
		}
		return fmt.Errorf("http server: %w", err)
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		log.Warn("http shutdown", "err", err)
	}
	return nil
}
