package main

import (
	"bytes"
	"context"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"

	"go.temporal.io/sdk/client"

	"github.com/awardflow/awardflow/activities"
	"github.com/awardflow/awardflow/internal/app"
	"github.com/awardflow/awardflow/internal/auth"
	"github.com/awardflow/awardflow/internal/award"
	"github.com/awardflow/awardflow/internal/blobstore"
	"github.com/awardflow/awardflow/internal/directory"
	"github.com/awardflow/awardflow/internal/keyring"
	"github.com/awardflow/awardflow/internal/notify"
	"github.com/awardflow/awardflow/internal/obs"
	"github.com/awardflow/awardflow/internal/orgconfig"
	"github.com/awardflow/awardflow/internal/pdfsign"
	"github.com/awardflow/awardflow/internal/settings"
	"github.com/awardflow/awardflow/internal/store"
)

// envHelp prints the environment variables a command reads.
func envHelp(w io.Writer, name string, server bool) {
	fmt.Fprintf(w, "awardflow %s: configured by these environment variables:\n\n", name)
	for _, v := range settings.Vars {
		if (server && !v.Server) || (!server && !v.Worker) {
			continue
		}
		req := "optional"
		switch {
		case v.Required:
			req = "required"
		case v.Default != "":
			req = "default " + v.Default
		}
		fmt.Fprintf(w, "  %-32s %s (%s)\n", v.Name, v.Help, req)
	}
}

// loadEnv reads the variables of one command; every missing required variable is listed
// in one error, so an operator fixes them all at once.
func loadEnv(server bool) (map[string]string, error) {
	vals := map[string]string{}
	var missing []string
	for _, v := range settings.Vars {
		if (server && !v.Server) || (!server && !v.Worker) {
			continue
		}
		val := strings.TrimSpace(os.Getenv(v.Name))
		if val == "" {
			val = v.Default
		}
		if val == "" && v.Required {
			missing = append(missing, v.Name)
		}
		vals[v.Name] = val
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("thiếu biến môi trường / missing environment variables: %s (see --help)", strings.Join(missing, ", "))
	}
	return vals, nil
}

func configFromEnv(vals map[string]string, log *slog.Logger, needSigner bool) (app.Config, error) {
	org, err := orgconfig.Load(vals[settings.EnvOrgConfig])
	if err != nil {
		return app.Config{}, err
	}
	tls, err := strconv.ParseBool(vals[settings.EnvS3TLS])
	if err != nil {
		return app.Config{}, fmt.Errorf("%s must be true or false: %w", settings.EnvS3TLS, err)
	}
	cfg := app.Config{
		TemporalAddress: vals[settings.EnvTemporalAddress], Namespace: vals[settings.EnvTemporalNamespace],
		TaskQueue: vals[settings.EnvTaskQueue],
		S3: blobstore.Config{Endpoint: vals[settings.EnvS3Endpoint], AccessKey: vals[settings.EnvS3AccessKey],
			SecretKey: vals[settings.EnvS3SecretKey], Bucket: vals[settings.EnvS3Bucket], Region: vals[settings.EnvS3Region], TLS: tls},
		Org: org, TokenSecret: []byte(vals[settings.EnvTokenSecret]), Log: log,
	}
	if cfg.TemporalConn, err = app.TemporalConnFromEnv(func(k string) string { return vals[k] }); err != nil {
		return app.Config{}, err
	}
	key, err := hex.DecodeString(vals[settings.EnvBallotKey])
	if err != nil || len(key) != 32 {
		return app.Config{}, fmt.Errorf("%s must be 64 hex digits (e.g. from `openssl rand -hex 32`)", settings.EnvBallotKey)
	}
	cfg.BallotKey = key
	if v := vals[settings.EnvWorkflowCache]; v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 1_000_000 {
			return app.Config{}, fmt.Errorf("%s must be a whole number from 1 to 1000000, not %q", settings.EnvWorkflowCache, v)
		}
		cfg.WorkflowCacheSize = n
	}
	if cfg.TrustedProxies, err = auth.ParseProxies(vals[settings.EnvTrustedProxies]); err != nil {
		return cfg, fmt.Errorf("%s: %w", settings.EnvTrustedProxies, err)
	}
	if ca := vals[settings.EnvTrustedCA]; ca != "" {
		b, err := os.ReadFile(ca)
		if err != nil {
			return cfg, fmt.Errorf("%s: %w", settings.EnvTrustedCA, err)
		}
		cfg.TrustedCAs = x509.NewCertPool()
		if !cfg.TrustedCAs.AppendCertsFromPEM(b) {
			return cfg, fmt.Errorf("%s: no PEM certificate in %s", settings.EnvTrustedCA, ca)
		}
	}
	if needSigner {
		if f := vals[settings.EnvSignatureImage]; f != "" {
			if cfg.SignatureImage, err = os.ReadFile(f); err != nil {
				return cfg, fmt.Errorf("%s: %w", settings.EnvSignatureImage, err)
			}
		}
		if f := vals[settings.EnvSealImage]; f != "" {
			if cfg.SealImage, err = os.ReadFile(f); err != nil {
				return cfg, fmt.Errorf("%s: %w", settings.EnvSealImage, err)
			}
		}
	}
	return cfg, nil
}

// workerKeys builds the worker's keyring: each person's PKCS#12 file from
// AWARDFLOW_KEYS_DIR, with the deprecated single-signer settings as fallbacks (the
// signer of decisions, the secretary, the seal; each logged as deprecated). It refuses
// to start when a person who must sign (keyring.RequiredSigners) has no certificate, a
// key does not match its certificate, or a certificate does not chain to
// AWARDFLOW_TRUSTED_CA when that is set. The deprecated cfg.Signer, cfg.Secretary and
// cfg.Seal are filled from the keyring, for the documents that still sign through them.
func workerKeys(ctx context.Context, vals map[string]string, cfg *app.Config, log *slog.Logger) error {
	// Who must sign is read from the directory as it stands (the admin may have named a
	// new secretary since the YAML was written).
	org, err := cfg.Source().Current(ctx)
	if err != nil {
		return fmt.Errorf("refusing to start: %w", err)
	}
	keys := keyring.NewStatic()
	var keysDir, keysPass string
	dir := vals[settings.EnvKeysDir]
	if dir != "" {
		password, err := keysPassword(vals)
		if err != nil {
			return err
		}
		keysDir, keysPass = dir, password
		k, notes, err := keyring.LoadDir(dir, password, org)
		if err != nil {
			return fmt.Errorf("%s: %w", settings.EnvKeysDir, err)
		}
		for _, n := range notes {
			log.Warn("keys directory: "+n, "dir", dir)
		}
		keys = k
	}
	ids := keyring.RequiredSigners(org)
	legacy := 0
	fallback := func(who, id string, agency bool, vars []string, load func() (pdfsign.Signer, error)) error {
		s, err := load()
		if err != nil {
			return fmt.Errorf("%s (%s): %w", who, strings.Join(vars, ", "), err)
		}
		legacy++
		if (agency && keys.HasAgency()) || (!agency && keys.Has(id)) {
			log.Warn("deprecated signing settings ignored: "+who+" has a certificate in "+settings.EnvKeysDir, "variables", vars)
			return nil
		}
		log.Warn("deprecated signing settings: put the certificate in "+settings.EnvKeysDir+" instead", "variables", vars, "person", id)
		if agency {
			return keys.SetAgency(s)
		}
		return keys.Add(id, s)
	}
	switch {
	case vals[settings.EnvSigningP12] != "":
		err = fallback("the signer of decisions", ids[0], false, []string{settings.EnvSigningP12}, func() (pdfsign.Signer, error) {
			return pdfsign.LoadPKCS12(vals[settings.EnvSigningP12], os.Getenv(settings.EnvSigningP12Pass))
		})
	case vals[settings.EnvSigningCert] != "" || vals[settings.EnvSigningKey] != "":
		err = fallback("the signer of decisions", ids[0], false, []string{settings.EnvSigningCert, settings.EnvSigningKey}, func() (pdfsign.Signer, error) {
			return pdfsign.LoadPEM(vals[settings.EnvSigningCert], vals[settings.EnvSigningKey])
		})
	}
	if err != nil {
		return err
	}
	if secs := org.WithRole(award.RoleSecretary); len(secs) > 0 && (vals[settings.EnvSecretaryCert] != "" || vals[settings.EnvSecretaryKey] != "") {
		if err := fallback("the council secretary", secs[0].ID, false, []string{settings.EnvSecretaryCert, settings.EnvSecretaryKey}, func() (pdfsign.Signer, error) {
			return pdfsign.LoadPEM(vals[settings.EnvSecretaryCert], vals[settings.EnvSecretaryKey])
		}); err != nil {
			return err
		}
	}
	if vals[settings.EnvSealCert] != "" || vals[settings.EnvSealKey] != "" {
		if err := fallback("the agency seal", "", true, []string{settings.EnvSealCert, settings.EnvSealKey}, func() (pdfsign.Signer, error) {
			return pdfsign.LoadPEM(vals[settings.EnvSealCert], vals[settings.EnvSealKey])
		}); err != nil {
			return err
		}
	}
	if dir == "" && legacy == 0 {
		return fmt.Errorf("the worker signs as people: set %s (a directory of <person-id>.p12 files and agency.p12) and %s or %s; or, deprecated, %s and %s, or %s",
			settings.EnvKeysDir, settings.EnvKeysPassword, settings.EnvKeysPasswordFile, settings.EnvSigningCert, settings.EnvSigningKey, settings.EnvSigningP12)
	}
	if err := keyring.Check(ctx, keys, cfg.TrustedCAs, time.Now(), ids, keys.HasAgency()); err != nil {
		return fmt.Errorf("refusing to start: every person who signs (%s) needs their own usable certificate in %s: %w",
			strings.Join(ids, ", "), settings.EnvKeysDir, err)
	}
	if !keys.HasAgency() {
		log.Warn("no agency certificate (the seal): documents carry no organisation signature; put " + keyring.AgencyFile + keyring.P12Ext + " in " + settings.EnvKeysDir)
	}
	log.Info("signing certificates loaded", "people", keys.People(), "agency", keys.HasAgency())
	cfg.Keys = keys
	if keysDir != "" {
		cfg.Keys = keyring.NewOnDemand(keys, keysDir, keysPass)
	}
	cfg.Signer, _ = keys.Person(ctx, ids[0])
	if secs := org.WithRole(award.RoleSecretary); len(secs) > 0 && keys.Has(secs[0].ID) {
		s, _ := keys.Person(ctx, secs[0].ID)
		cfg.Secretary = &s
	}
	if keys.HasAgency() {
		s, _ := keys.Agency(ctx)
		cfg.Seal = &s
	}
	return nil
}

// keysPassword is the password of the PKCS#12 files: AWARDFLOW_KEYS_PASSWORD, or the
// content of AWARDFLOW_KEYS_PASSWORD_FILE (one trailing line break dropped); not both.
func keysPassword(vals map[string]string) (string, error) {
	pw, file := os.Getenv(settings.EnvKeysPassword), vals[settings.EnvKeysPasswordFile]
	switch {
	case pw != "" && file != "":
		return "", fmt.Errorf("set %s or %s, not both", settings.EnvKeysPassword, settings.EnvKeysPasswordFile)
	case file != "":
		b, err := os.ReadFile(file)
		if err != nil {
			return "", fmt.Errorf("%s: %w", settings.EnvKeysPasswordFile, err)
		}
		return strings.TrimSuffix(strings.TrimSuffix(string(b), "\n"), "\r"), nil
	}
	return pw, nil
}

// storeOpenTimeout bounds connecting to the records store and migrating it at start: an
// unreachable database stops the start with an error instead of hanging.
const storeOpenTimeout = time.Minute

// prodRuntime is what a production command runs on: its settings, the records store,
// the Temporal client and the object store.
type prodRuntime struct {
	vals  map[string]string
	cfg   app.Config
	c     client.Client
	blobs *blobstore.Store
}

// close releases the Temporal client and then the records store (last: the worker and
// the HTTP server that use it have stopped).
func (p *prodRuntime) close() {
	p.c.Close()
	if err := p.cfg.Store.Close(); err != nil {
		p.cfg.Log.Warn("close the records store", "err", err)
	}
}

// parseSettings reads a production command's flags and environment: every mistake in
// them stops the start before anything is bound or opened.
func parseSettings(name string, server bool, args []string, stderr io.Writer, log *slog.Logger) (map[string]string, app.Config, error) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { envHelp(stderr, name, server) }
	if err := fs.Parse(args); err != nil {
		return nil, app.Config{}, err
	}
	vals, err := loadEnv(server)
	if err != nil {
		return nil, app.Config{}, err
	}
	cfg, err := configFromEnv(vals, log, !server)
	if err != nil {
		return nil, app.Config{}, err
	}
	return vals, cfg, nil
}

// connect opens (and migrates) the records store and connects to Temporal and S3.
func connect(ctx context.Context, vals map[string]string, cfg app.Config, server bool, log *slog.Logger) (*prodRuntime, error) {
	var err error
	if cfg.Store, err = openStore(ctx, vals[settings.EnvDB], cfg.Org, log); err != nil {
		return nil, err
	}
	cfg.Directory = directory.New(cfg.Store, cfg.Org)
	if !server {
		if err := workerKeys(ctx, vals, &cfg, log); err != nil {
			_ = cfg.Store.Close()
			return nil, err
		}
	}
	c, err := app.Dial(ctx, cfg)
	if err != nil {
		_ = cfg.Store.Close()
		return nil, err
	}
	if err := checkNamespace(ctx, c, cfg, log); err != nil {
		c.Close()
		_ = cfg.Store.Close()
		return nil, err
	}
	blobs, err := blobstore.New(ctx, cfg.S3)
	if err != nil {
		c.Close()
		_ = cfg.Store.Close()
		return nil, err
	}
	return &prodRuntime{vals: vals, cfg: cfg, c: c, blobs: blobs}, nil
}

// openStore opens the records store named by AWARDFLOW_DB, applies its pending
// migrations (several processes starting at once take turns) and seeds the directory
// from the organisation on the very first start. It refuses to start when the database
// cannot be reached within storeOpenTimeout or was migrated by a newer awardflow.
func openStore(ctx context.Context, dsn string, org *orgconfig.Org, log *slog.Logger) (*store.Store, error) {
	ctx, cancel := context.WithTimeout(ctx, storeOpenTimeout)
	defer cancel()
	st, err := store.Open(ctx, dsn)
	if err != nil {
		return nil, fmt.Errorf("không mở được cơ sở dữ liệu hồ sơ / refusing to start: the records store (%s): %w", settings.EnvDB, err)
	}
	seeded, err := st.SeedDirectory(ctx, org)
	if err != nil {
		_ = st.Close()
		return nil, fmt.Errorf("refusing to start: the records store (%s): %w", settings.EnvDB, err)
	}
	if seeded {
		log.Info("directory seeded from the organisation config", "people", len(org.People))
	} else {
		warnDrift(ctx, st, org, log)
	}
	log.Info("records store ready", "dialect", st.Dialect())
	return st, nil
}

// warnDrift logs how the YAML's people and units differ from the directory: after the
// first start the admin edits the directory, and edits to the YAML's people are ignored
// (an operator who changed a password there should learn why it does not work).
func warnDrift(ctx context.Context, st *store.Store, org *orgconfig.Org, log *slog.Logger) {
	drift, err := directory.Drift(ctx, st, org)
	if err != nil {
		log.Warn("compare the organisation YAML with the directory", "err", err)
		return
	}
	if len(drift) > 0 {
		log.Warn("the organisation YAML's people and units differ from the directory; the directory (edited through /api/v1/directory) is what counts",
			"differences", len(drift), "first", drift[:min(len(drift), 10)])
	}
}

// runServer binds its port as soon as its settings are read: /healthz answers from then
// on (a liveness probe must not kill a server that is migrating its store or waiting
// for Temporal), while /readyz and the API answer 503 until everything is connected.
func runServer(ctx context.Context, args []string, stderr io.Writer, log *slog.Logger) error {
	vals, cfg, err := parseSettings("server", true, args, stderr, log)
	if err != nil {
		return err
	}
	signIn, err := settings.LoadSignIn(vals, nil) // single sign-on, passwords
	if err != nil {
		return err
	}
	defer startTracing(ctx, "awardflow-server", log)()
	cfg.MetricsToken = vals[settings.EnvMetricsToken]
	ln, err := net.Listen("tcp", vals[settings.EnvAddr])
	if err != nil {
		return fmt.Errorf("listen on %s: %w", vals[settings.EnvAddr], err)
	}
	starting := &app.Starting{}
	srv := &http.Server{Handler: starting, ReadHeaderTimeout: 10 * time.Second}
	serveCtx, stop := context.WithCancel(ctx)
	defer stop()
	done := make(chan error, 1)
	go func() { done <- app.Serve(serveCtx, srv, log, func() error { return srv.Serve(ln) }) }()
	log.Info("awardflow server listening; starting", "addr", ln.Addr().String())
	fail := func(err error) error {
		stop()
		<-done
		return err
	}
	rt, err := connect(ctx, vals, cfg, true, log)
	if err != nil {
		return fail(err)
	}
	defer rt.close() // after the server has stopped (the return below waits for it)
	api, err := app.NewAPI(rt.c, rt.blobs, rt.cfg, nil)
	if err != nil {
		return fail(err)
	}
	// Writes the list rows of changes whose request died before it could (ownrows.go);
	// stopped before the Temporal client closes (defers run last first).
	defer api.StartOwnRowSweeper(app.OwnRowSweepEvery)()
	if err := api.EnableSignIn(signIn.OIDC, signIn.LocalLogin); err != nil {
		return fail(err)
	}
	starting.Ready(api.Handler())
	log.Info("awardflow server ready", "addr", ln.Addr().String())
	return <-done
}

func runWorker(ctx context.Context, args []string, stderr io.Writer, log *slog.Logger) error {
	vals, cfg, err := parseSettings("worker", false, args, stderr, log)
	if err != nil {
		return err
	}
	ops, err := listenOps(ctx, vals[settings.EnvWorkerAddr], log)
	if err != nil {
		return err
	}
	defer ops.close()
	rt, err := connect(ctx, vals, cfg, false, log)
	if err != nil {
		return err
	}
	defer rt.close()
	defer startTracing(ctx, "awardflow-worker", log)()
	smtpCfg, err := notify.FromEnv(func(k string) string { return rt.vals[k] })
	if err != nil {
		return err
	}
	if smtpCfg != nil {
		rt.cfg.Mail = &activities.Mailer{SMTP: smtpCfg, BaseURL: rt.vals[settings.EnvPublicURL]}
		log.Info("notifications are mailed", "smtp", net.JoinHostPort(smtpCfg.Host, strconv.Itoa(smtpCfg.Port)), "tls", smtpCfg.TLS)
	} else {
		log.Info("notifications are not mailed (no " + settings.EnvSMTPHost + "): the pages show them")
	}
	w, err := app.StartWorker(ctx, rt.c, rt.blobs, rt.cfg)
	if err != nil {
		return err
	}
	// /metrics beside /healthz and /readyz on the worker's own listener.
	workerOpsHandlers["GET /metrics"] = obs.OpsMux(rt.vals[settings.EnvMetricsToken])
	ops.ready(app.WorkerChecks(w, rt.c, rt.blobs, rt.cfg))
	log.Info("awardflow worker polling", "task_queue", rt.cfg.TaskQueue)
	<-ctx.Done()
	w.Stop()
	return nil
}

func runVerify(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("verify", flag.ContinueOnError)
	fs.SetOutput(stderr)
	caFile := fs.String("ca", os.Getenv(settings.EnvTrustedCA), "PEM CA certificate(s) the signatures must chain to")
	server := fs.String("server", "", "awardflow base URL (e.g. http://127.0.0.1:8080): also ask whether it issued this exact file")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return errors.New("usage: awardflow verify [--ca ca.pem] [--server URL] FILE.pdf")
	}
	pdf, err := os.ReadFile(fs.Arg(0))
	if err != nil {
		return err
	}
	var roots *x509.CertPool
	if *caFile != "" {
		b, err := os.ReadFile(*caFile)
		if err != nil {
			return err
		}
		roots = x509.NewCertPool()
		if !roots.AppendCertsFromPEM(b) {
			return fmt.Errorf("no PEM certificate in %s", *caFile)
		}
	}
	sigs, err := pdfsign.Verify(pdf, roots)
	if err != nil {
		return fmt.Errorf("read signatures: %w", err)
	}
	if len(sigs) == 0 {
		return errors.New("tệp không có chữ ký số / the file has no signature")
	}
	bad := false
	for i, s := range sigs {
		// The signer as the certificate names them; the /Name is only what the signing
		// software wrote, shown when it says something else.
		fmt.Fprintf(stdout, "Chữ ký %d / signature %d: %s\n", i+1, i+1, s.Name)
		if s.ClaimedName != "" && s.ClaimedName != s.SignerName {
			fmt.Fprintf(stdout, "  tên tự ghi, không do chứng thư xác nhận / claimed /Name, not vouched for: %s\n", s.ClaimedName)
		}
		fmt.Fprintf(stdout, "  thời gian ký / signing time: %s\n", s.SigningTime.In(vietnam).Format(time.RFC3339))
		fmt.Fprintf(stdout, "  nguyên vẹn / intact:         %v\n", s.Intact)
		fmt.Fprintf(stdout, "  chuỗi tin cậy / chained:     %v\n", s.Chained)
		fmt.Fprintf(stdout, "  phủ toàn tệp / whole file:   %v\n", s.CoversWholeFile)
		vi, en := s.Coverage.Labels()
		fmt.Fprintf(stdout, "  phạm vi ký / coverage:       %s / %s (%s)\n", vi, en, s.Coverage)
		for _, p := range s.Problems {
			fmt.Fprintf(stdout, "  lỗi / error:                 %s\n                               %s\n", p.VI, p.EN)
		}
		if !s.Intact || (roots != nil && !s.Chained) || s.Coverage == pdfsign.CoverageUnsignedChanges {
			bad = true
		}
	}
	if *server != "" {
		issued, err := askServer(*server, pdf)
		if err != nil {
			return err
		}
		if issued == "" {
			fmt.Fprintln(stdout, "Không phải văn bản do hệ thống phát hành (hoặc đã bị thay đổi) / not a document this service issued")
			bad = true
		} else {
			fmt.Fprintln(stdout, "Văn bản do hệ thống phát hành / issued by this service: "+issued)
		}
	}
	if bad {
		return errors.New("có chữ ký không hợp lệ / a signature did not verify")
	}
	return nil
}

// vietnam is the time zone signing times are shown in (Vietnam has no daylight saving).
var vietnam = time.FixedZone("ICT", 7*3600)

// askServer posts the file to POST /api/v1/verify and returns the issuing record, if any.
func askServer(base string, pdf []byte) (string, error) {
	c := &http.Client{Timeout: time.Minute}
	resp, err := c.Post(strings.TrimRight(base, "/")+"/api/v1/verify", "application/pdf", bytes.NewReader(pdf))
	if err != nil {
		return "", fmt.Errorf("ask %s: %w", base, err)
	}
	defer resp.Body.Close()
	var rep struct {
		Issued *struct {
			SessionID  string `json:"session_id"`
			DocumentID string `json:"document_id"`
			NumberText string `json:"number_text"`
		} `json:"issued"`
	}
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
		return "", fmt.Errorf("%s answered %s: %s", base, resp.Status, b)
	}
	if err := json.NewDecoder(resp.Body).Decode(&rep); err != nil {
		return "", fmt.Errorf("read the answer of %s: %w", base, err)
	}
	if rep.Issued == nil {
		return "", nil
	}
	return fmt.Sprintf("%s (%s, session %s)", rep.Issued.NumberText, rep.Issued.DocumentID, rep.Issued.SessionID), nil
}

func runHashPassword(stdin io.Reader, stdout io.Writer) error {
	b, err := io.ReadAll(io.LimitReader(stdin, 1024))
	if err != nil {
		return err
	}
	h, err := hashPassword(strings.TrimRight(string(b), "\r\n"))
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, h)
	return nil
}
