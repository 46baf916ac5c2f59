// Package devapp runs the whole of awardflow in one process for `awardflow dev` and the
// end-to-end tests: an embedded Temporal server on SQLite and an embedded S3 server, both
// persisting under one data directory, a development signing CA that issues every person
// of the organisation a certificate in their own name (internal/keyring), the worker and
// the HTTP API. Starting again on the same directory carries on where it stopped.
package devapp

import (
	"context"
	"crypto/rand"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"go.temporal.io/sdk/client"

	"github.com/awardflow/awardflow/activities"
	"github.com/awardflow/awardflow/internal/app"
	"github.com/awardflow/awardflow/internal/auth"
	"github.com/awardflow/awardflow/internal/award"
	"github.com/awardflow/awardflow/internal/blobstore"
	"github.com/awardflow/awardflow/internal/devstack"
	"github.com/awardflow/awardflow/internal/directory"
	"github.com/awardflow/awardflow/internal/httpapi"
	"github.com/awardflow/awardflow/internal/keyring"
	"github.com/awardflow/awardflow/internal/mailcatcher"
	"github.com/awardflow/awardflow/internal/notify"
	"github.com/awardflow/awardflow/internal/orgconfig"
	"github.com/awardflow/awardflow/internal/pdfsign"
	"github.com/awardflow/awardflow/internal/stamp"
	"github.com/awardflow/awardflow/internal/store"
	"github.com/awardflow/awardflow/templates"
	"github.com/awardflow/awardflow/workflows"
)

// Options configure the dev stack.
type Options struct {
	Addr string // HTTP listen address; "127.0.0.1:0" picks a free port
	// TemporalAddr and S3Addr are where the embedded servers listen; "" picks free ports.
	TemporalAddr string
	S3Addr       string
	DataDir      string         // everything persists here
	Org          *orgconfig.Org // nil = the embedded demo organisation
	Log          *slog.Logger
	// TrustedProxies are reverse proxies whose X-Forwarded-For names the client (login
	// throttling); empty = the TCP peer is the client.
	TrustedProxies auth.Proxies
	// MailAddr is where the embedded SMTP catcher listens (a loopback address; "" picks
	// a free port on 127.0.0.1). Notification mails go there and show at /dev/mail.
	MailAddr string
	// NotifyInterval is how often notifications are delivered (default 10 s).
	NotifyInterval time.Duration
	// WorkflowCacheSize bounds the worker's sticky cache (0: app.DefaultWorkflowCacheSize).
	WorkflowCacheSize int
	// UIAddr is where the Temporal web UI listens ("" = no UI; `awardflow dev` serves it
	// on 127.0.0.1:8233 as the Temporal CLI does). A port in use is logged, not fatal.
	UIAddr string
	// ReviewWithin shortens the heads' review deadline (tests of escalation); 0: the
	// agency's review_days.
	ReviewWithin time.Duration
	// OIDC turns single sign-on on (an empty RedirectURL: URL + /auth/oidc/callback).
	OIDC *auth.OIDCConfig
}

// Dev is a running dev stack.
type Dev struct {
	URL      string // base URL of the HTTP API
	DataDir  string
	CAFile   string // development CA certificate (PEM), to trust in PDF readers
	Org      *orgconfig.Org
	Temporal string // Temporal frontend host:port
	// Archive is where closed workflows' histories are archived (a file:// URI under
	// DataDir/archival): readable after the retention deleted them.
	Archive string
	// Keys issues each person's development certificate (under DataDir/pki/keyring).
	Keys *keyring.Dev
	// Store is the records store: the SQLite file DataDir/awardflow.db (StoreFile),
	// migrated at start, its directory seeded from the organisation on the first start.
	Store     *store.Store
	StoreFile string
	// Mail is the embedded SMTP catcher every notification mail goes to (shown at
	// URL/dev/mail); nothing is ever sent anywhere else.
	Mail *mailcatcher.Catcher
	// S3 is where the embedded S3 server keeps evidence and documents (its bucket and
	// the credentials printed nowhere else).
	S3 blobstore.Config
	// UI is the Temporal web UI's URL ("" when not served; UIError says why when asked
	// for and not started).
	UI      string
	UIError error
	ui      *devstack.UI

	temporal *devstack.Temporal
	s3       *devstack.S3
	client   client.Client
	worker   *app.Worker
	http     *http.Server
	done     chan error
	stopOnce sync.Once
	cancel   context.CancelFunc
	// stopSweeper stops the API's own-row sweeper (before the client closes).
	stopSweeper func()
}

// Start brings everything up and returns once the API is ready.
func Start(ctx context.Context, o Options) (_ *Dev, err error) {
	if o.Log == nil {
		o.Log = slog.Default()
	}
	dir, err := filepath.Abs(o.DataDir)
	if err != nil {
		return nil, fmt.Errorf("data directory %q: %w", o.DataDir, err)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("create data directory: %w", err)
	}
	org := o.Org
	if org == nil {
		if org, err = orgconfig.Demo(); err != nil {
			return nil, err
		}
	}
	d := &Dev{DataDir: dir, Org: org, done: make(chan error, 1)}
	defer func() {
		if err != nil {
			d.Stop()
		}
	}()

	// The records store: one SQLite file in the data directory (WAL), migrated at open.
	d.StoreFile = filepath.Join(dir, "awardflow.db")
	if d.Store, err = store.Open(ctx, store.SQLiteDSN(d.StoreFile)); err != nil {
		return nil, fmt.Errorf("records store: %w", err)
	}
	if seeded, err := d.Store.SeedDirectory(ctx, org); err != nil {
		return nil, fmt.Errorf("records store: %w", err)
	} else if seeded {
		o.Log.Info("directory seeded from the organisation config", "people", len(org.People), "store", d.StoreFile)
	} else if drift, err := directory.Drift(ctx, d.Store, org); err == nil && len(drift) > 0 {
		o.Log.Warn("the organisation YAML's people and units differ from the directory; the directory (edited through /api/v1/directory) is what counts",
			"differences", len(drift), "first", drift[:min(len(drift), 10)])
	}

	// Bind the HTTP port first: a port already taken fails fast, before the servers start.
	// From then on /healthz answers (the process is up) and everything else 503 until the
	// stack is ready (app.Starting); Stop ends the server on every failure below.
	ln, err := net.Listen("tcp", o.Addr)
	if err != nil {
		return nil, fmt.Errorf("listen on %s: %w", o.Addr, err)
	}
	d.URL = "http://" + ln.Addr().String()
	starting := &app.Starting{}
	d.http = &http.Server{Handler: starting, ReadHeaderTimeout: 10 * time.Second}
	runCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	d.cancel = cancel
	go func() { d.done <- app.Serve(runCtx, d.http, o.Log, func() error { return d.http.Serve(ln) }) }()

	devOpts := devstack.Options{DataDir: dir, TemporalHostPort: o.TemporalAddr, S3HostPort: o.S3Addr, SearchAttributes: workflows.SearchAttributes, Logger: o.Log.With("component", "devstack")}
	if d.temporal, err = devstack.StartTemporal(ctx, devOpts); err != nil {
		return nil, fmt.Errorf("embedded Temporal: %w", err)
	}
	d.Temporal, d.Archive = d.temporal.HostPort, d.temporal.HistoryArchive
	if o.UIAddr != "" {
		if d.ui, d.UIError = devstack.StartUI(ctx, o.UIAddr, d.temporal.HostPort, d.temporal.Namespace); d.UIError != nil {
			o.Log.Warn("the Temporal UI is not served", "err", d.UIError)
		} else {
			d.UI = d.ui.URL
		}
	}
	if d.s3, err = devstack.StartS3(ctx, devOpts); err != nil {
		return nil, fmt.Errorf("embedded S3: %w", err)
	}
	// Every person signs with a certificate in their own name, issued by the
	// development CA; the agency seals with the agency's.
	// Who signs, and in which name, is read from the directory as it stands; a person
	// the admin adds later gets a certificate on first use.
	live := directory.New(d.Store, org)
	cur, err := live.Current(ctx)
	if err != nil {
		return nil, fmt.Errorf("records store: %w", err)
	}
	keys, err := keyring.NewDev(filepath.Join(dir, "pki"), cur, keyring.DevOptions{Log: o.Log.With("component", "keyring"), Directory: live})
	if err != nil {
		return nil, fmt.Errorf("development CA: %w", err)
	}
	d.Keys, d.CAFile = keys, filepath.Join(dir, "pki", "ca.pem")
	roots := x509.NewCertPool()
	roots.AddCert(keys.CA())
	ids := keyring.RequiredSigners(cur)
	if err := keyring.Check(ctx, keys, roots, time.Now(), ids, true); err != nil {
		return nil, fmt.Errorf("development certificates: %w", err)
	}
	// The documents that still sign through the single-signer fields get the same
	// personal certificates: the head's (ids[0]), the secretary's and the agency's.
	signer, _ := keys.Person(ctx, ids[0])
	seal, _ := keys.Agency(ctx)
	var secretary *pdfsign.Signer
	if sec := cur.WithRole(award.RoleSecretary); len(sec) > 0 {
		s, _ := keys.Person(ctx, sec[0].ID)
		secretary = &s
	}
	secret, err := secretFile(filepath.Join(dir, "token-secret"))
	if err != nil {
		return nil, err
	}
	ballotKey, err := secretFile(filepath.Join(dir, "ballot-key"))
	if err != nil {
		return nil, err
	}
	// The development stand-ins for the agency's registered seal (its name round the
	// ring) and for each person's handwritten signature.
	sealImage, err := stamp.AgencySealPNG(org.Agency.FullName, 480, templates.BoldFont())
	if err != nil {
		return nil, fmt.Errorf("development seal image: %w", err)
	}
	cfg := app.Config{
		TemporalAddress: d.temporal.HostPort, Namespace: d.temporal.Namespace, TaskQueue: workflows.TaskQueue,
		S3: blobstore.Config{Endpoint: d.s3.Endpoint, AccessKey: d.s3.AccessKey, SecretKey: d.s3.SecretKey,
			Bucket: "awardflow", Region: d.s3.Region},
		Org: org, TokenSecret: secret, BallotKey: ballotKey, Keys: keys, Secretary: secretary, Signer: signer, Seal: &seal, SealImage: sealImage,
		SignatureImages: devSignatureImage,
		TrustedCAs:      roots, TrustedProxies: o.TrustedProxies, Log: o.Log,
		Store: d.Store, Directory: live,
	}
	d.S3 = cfg.S3
	mailAddr := o.MailAddr
	if mailAddr == "" {
		mailAddr = "127.0.0.1:0"
	}
	if d.Mail, err = mailcatcher.Start(mailAddr); err != nil {
		return nil, fmt.Errorf("embedded SMTP catcher: %w", err)
	}
	mhost, mport, _ := net.SplitHostPort(d.Mail.Addr())
	mportN, _ := strconv.Atoi(mport)
	cfg.Mail = &activities.Mailer{
		SMTP: &notify.SMTPConfig{Host: mhost, Port: mportN, TLS: "none", From: "Thi đua – Khen thưởng <thidua@dev.awardflow.test>",
			DefaultDomain: "dev.awardflow.test"},
		BaseURL: d.URL + "/",
	}
	cfg.WorkflowCacheSize = o.WorkflowCacheSize
	cfg.ReviewWithin = o.ReviewWithin
	cfg.NotifyInterval = o.NotifyInterval
	if cfg.NotifyInterval == 0 {
		cfg.NotifyInterval = 10 * time.Second
	}
	if d.client, err = app.Dial(ctx, cfg); err != nil {
		return nil, err
	}
	store, err := blobstore.New(ctx, cfg.S3)
	if err != nil {
		return nil, err
	}
	if d.worker, err = app.StartWorker(ctx, d.client, store, cfg); err != nil {
		return nil, err
	}
	api, err := app.NewAPI(d.client, store, cfg, func(context.Context) error {
		if !d.worker.Running() {
			return errors.New("worker is not running")
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	d.stopSweeper = api.StartOwnRowSweeper(app.OwnRowSweepEvery)
	if o.OIDC != nil {
		oc := *o.OIDC
		if oc.RedirectURL == "" {
			oc.RedirectURL = d.URL + "/auth/oidc/callback"
		}
		if err := api.EnableSignIn(&oc, true); err != nil {
			return nil, err
		}
	}
	// The in-process worker's first poll reaches Temporal within moments: wait for it,
	// so that no first request is told that no worker runs.
	waitForWorker(ctx, api.Workers, o.Log)
	mux := http.NewServeMux()
	mux.Handle("GET /dev/mail", d.Mail) // dev only: the mails the catcher received
	mux.Handle("/", api.Handler())
	starting.Ready(mux)
	return d, nil
}

// waitForWorker waits up to 30 s until gate sees a worker poll the task queue.
func waitForWorker(ctx context.Context, gate httpapi.WorkerGate, log *slog.Logger) {
	if gate == nil {
		return
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		gate.Forget()
		err := gate.Check(ctx)
		if err == nil {
			return
		}
		if time.Now().After(deadline) || ctx.Err() != nil {
			log.Warn("the worker is not seen polling yet", "err", err)
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// Done reports the HTTP server's end.
func (d *Dev) Done() <-chan error { return d.done }

// Stop shuts everything down in reverse order. Safe to call twice.
func (d *Dev) Stop() {
	d.stopOnce.Do(func() {
		if d.cancel != nil {
			d.cancel()
			<-d.done
		}
		if d.stopSweeper != nil {
			d.stopSweeper()
		}
		d.worker.Stop()
		d.ui.Stop()
		if d.Mail != nil {
			_ = d.Mail.Close()
		}
		if d.client != nil {
			d.client.Close()
		}
		if d.s3 != nil {
			_ = d.s3.Stop()
		}
		if d.temporal != nil {
			_ = d.temporal.Stop()
		}
		// Last: the worker and the API that write and read it have stopped.
		if d.Store != nil {
			_ = d.Store.Close()
		}
	})
}

// secretFile loads or creates a 32-byte secret (the token secret, the ballot key), so
// that sign-ins and sealed ballots survive a restart of the dev stack.
func secretFile(path string) ([]byte, error) {
	if b, err := os.ReadFile(path); err == nil {
		s, err := hex.DecodeString(strings.TrimSpace(string(b)))
		if err == nil && len(s) == 32 {
			return s, nil
		}
		return nil, fmt.Errorf("secret %s is damaged: delete it to make a new one", path)
	}
	s := make([]byte, 32)
	if _, err := rand.Read(s); err != nil {
		return nil, fmt.Errorf("make secret %s: %w", path, err)
	}
	if err := os.WriteFile(path, []byte(hex.EncodeToString(s)+"\n"), 0o600); err != nil {
		return nil, fmt.Errorf("write secret %s: %w", path, err)
	}
	return s, nil
}

// devSignatureImage draws a plausible handwritten signature for a person of the demo.
func devSignatureImage(_, name string) []byte { return stamp.SignaturePNG(name, 480, 200) }
