package devstack

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	namespacepb "go.temporal.io/api/namespace/v1"
	"go.temporal.io/api/operatorservice/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"
	sdklog "go.temporal.io/sdk/log"
	"go.temporal.io/server/common/authorization"
	"go.temporal.io/server/common/cluster"
	"go.temporal.io/server/common/config"
	"go.temporal.io/server/common/dynamicconfig"
	"go.temporal.io/server/common/log"
	"go.temporal.io/server/common/metrics"
	"go.temporal.io/server/common/persistence/sql"
	"go.temporal.io/server/common/persistence/sql/sqlplugin"
	sqliteplugin "go.temporal.io/server/common/persistence/sql/sqlplugin/sqlite"
	"go.temporal.io/server/common/primitives/timestamp"
	"go.temporal.io/server/common/resolver"
	sqliteschema "go.temporal.io/server/schema/sqlite"
	"go.temporal.io/server/temporal"
)

// NamespaceRetention is how long Temporal keeps the history of closed workflows.
// Proposals live for months and their history is the audit trail, so it is long.
const NamespaceRetention = 365 * 24 * time.Hour

// ArchiveDelay bounds how long after a workflow closes the dev server archives its
// history and visibility record (Temporal picks a random delay up to it; production's
// default is 5 minutes, to spread the load).
const ArchiveDelay = 5 * time.Second

// Archive directories under the data directory: the filestore archivers write one file
// per archived history (and visibility record) there; they outlive the retention.
const (
	archivalDir           = "archival"
	historyArchivalDir    = "history"
	visibilityArchivalDir = "visibility"
)

// startTimeout bounds StartTemporal when the caller's context has no deadline.
const startTimeout = 2 * time.Minute

const (
	clusterName = "active"
	loopback    = "127.0.0.1"
)

// dialHost is the address a client uses to reach a listener bound on host.
func dialHost(host string) string {
	if ip := net.ParseIP(host); ip != nil && ip.IsUnspecified() {
		return loopback
	}
	return host
}

// Temporal is a running in-process Temporal server backed by a SQLite file.
type Temporal struct {
	// HostPort is the frontend gRPC address (host:port) for SDK clients.
	HostPort string
	// Namespace is the namespace created with the requested search attributes.
	Namespace string
	// DBPath is the absolute path of the SQLite database file.
	DBPath string
	// HistoryArchive and VisibilityArchive are the filestore archival URIs
	// (file:///<data dir>/archival/history and …/visibility) of the namespace: closed
	// workflows are copied there and read back from there after the retention.
	HistoryArchive, VisibilityArchive string

	server   temporal.Server
	srvLog   serverLogger
	lock     *os.File
	logger   *slog.Logger
	stopOnce sync.Once
	stopErr  error
}

// StartTemporal starts Temporal (frontend, history, matching and worker services) on
// <DataDir>/temporal/temporal.db and returns once the frontend answers, the namespace
// exists and every requested search attribute is visible.
//
// Starting again on the same DataDir keeps every workflow. Only one server may use a
// data dir at a time (an advisory lock file enforces it).
func StartTemporal(ctx context.Context, o Options) (_ *Temporal, err error) {
	dataDir, err := o.absDataDir()
	if err != nil {
		return nil, err
	}
	logger := o.logger()
	ns := o.namespace()

	dir := filepath.Join(dataDir, "temporal")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("devstack: create temporal dir: %w", err)
	}
	lock, err := lockDir(dir)
	if err != nil {
		return nil, err
	}
	defer func() {
		if err != nil {
			_ = lock.Close()
		}
	}()

	dbPath := filepath.Join(dir, "temporal.db")
	sqlCfg := sqliteConfig(dbPath)
	if err := ensureSchema(dbPath, sqlCfg); err != nil {
		return nil, err
	}
	if err := forgetMembers(sqlCfg); err != nil {
		return nil, err
	}
	nsCfg, err := sqliteschema.NewNamespaceConfig(clusterName, ns, false, o.SearchAttributes)
	if err != nil {
		return nil, fmt.Errorf("devstack: namespace %q config: %w", ns, err)
	}
	nsCfg.Detail.Config.Retention = timestamp.DurationFromHours(int64(NamespaceRetention / time.Hour))
	arch, err := newArchival(dataDir)
	if err != nil {
		return nil, err
	}
	nsCfg.Detail.Config.HistoryArchivalState = enumspb.ARCHIVAL_STATE_ENABLED
	nsCfg.Detail.Config.HistoryArchivalUri = arch.historyURI
	nsCfg.Detail.Config.VisibilityArchivalState = enumspb.ARCHIVAL_STATE_ENABLED
	nsCfg.Detail.Config.VisibilityArchivalUri = arch.visibilityURI
	// A no-op when the namespace already exists; missing search attributes are then
	// added through the OperatorService below.
	if err := sqliteschema.CreateNamespaces(sqlCfg, nsCfg); err != nil {
		return nil, fmt.Errorf("devstack: create namespace %q: %w", ns, err)
	}

	srv, srvLogger, hostPort, err := startOnFreePorts(o.TemporalHostPort, sqlCfg, arch, logger)
	if err != nil {
		return nil, err
	}
	t := &Temporal{HostPort: hostPort, Namespace: ns, DBPath: dbPath, HistoryArchive: arch.historyURI, VisibilityArchive: arch.visibilityURI,
		server: srv, srvLog: srvLogger, lock: lock, logger: logger}
	defer func() {
		if err != nil {
			_ = t.Stop()
		}
	}()

	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, startTimeout)
		defer cancel()
	}
	if err := t.waitReady(ctx, o.SearchAttributes); err != nil {
		return nil, err
	}
	return t, nil
}

// Dial returns an SDK client for t's namespace. Its logs go to the devstack logger at
// WARN and above. The caller closes it.
func (t *Temporal) Dial(ctx context.Context) (client.Client, error) {
	c, err := client.DialContext(ctx, client.Options{
		HostPort:  t.HostPort,
		Namespace: t.Namespace,
		Logger:    sdklog.NewStructuredLogger(slog.New(minLevelHandler{t.logger.Handler(), slog.LevelWarn})),
	})
	if err != nil {
		return nil, fmt.Errorf("devstack: dial temporal %s: %w", t.HostPort, err)
	}
	return c, nil
}

// Stop stops all Temporal services and releases the data dir. Safe to call twice.
func (t *Temporal) Stop() error {
	t.stopOnce.Do(func() {
		t.srvLog.silence()
		if err := t.server.Stop(); err != nil {
			t.stopErr = fmt.Errorf("devstack: stop temporal: %w", err)
		}
		if err := t.lock.Close(); err != nil && t.stopErr == nil {
			t.stopErr = fmt.Errorf("devstack: release temporal lock: %w", err)
		}
	})
	return t.stopErr
}

func (t *Temporal) waitReady(ctx context.Context, want map[string]enumspb.IndexedValueType) error {
	c, err := t.dialRetry(ctx)
	if err != nil {
		return err
	}
	defer c.Close()

	err = retry(ctx, func() error {
		_, err := c.WorkflowService().DescribeNamespace(ctx, &workflowservice.DescribeNamespaceRequest{Namespace: t.Namespace})
		return err
	})
	if err != nil {
		return fmt.Errorf("devstack: temporal namespace %q not ready: %w", t.Namespace, err)
	}

	if err := t.ensureArchival(ctx, c); err != nil {
		return err
	}

	have, err := t.listSearchAttributes(ctx, c)
	if err != nil {
		return err
	}
	missing := map[string]enumspb.IndexedValueType{}
	for name, typ := range want {
		got, ok := have[name]
		switch {
		case !ok:
			missing[name] = typ
		case got != typ:
			return fmt.Errorf("devstack: search attribute %s already exists as %s, want %s (the data dir was created with another type; Temporal cannot change it)",
				name, got, typ)
		}
	}
	if len(missing) > 0 {
		t.logger.Info("adding Temporal search attributes", "namespace", t.Namespace, "names", slices.Sorted(maps.Keys(missing)))
		_, err := c.OperatorService().AddSearchAttributes(ctx, &operatorservice.AddSearchAttributesRequest{
			Namespace:        t.Namespace,
			SearchAttributes: missing,
		})
		if err != nil {
			return fmt.Errorf("devstack: add search attributes to %q: %w", t.Namespace, err)
		}
		// Visible at once with ForceSearchAttributesCacheRefreshOnRead; poll anyway so a
		// caller never sees them missing.
		err = retry(ctx, func() error {
			have, err := t.listSearchAttributes(ctx, c)
			if err != nil {
				return err
			}
			for name, typ := range missing {
				if have[name] != typ {
					return fmt.Errorf("search attribute %s not visible yet", name)
				}
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("devstack: search attributes of %q: %w", t.Namespace, err)
		}
	}
	return nil
}

// ensureArchival turns history and visibility archival on for a namespace created
// before the dev stack archived (a data directory from an older awardflow). Temporal
// never changes an archival URI once set: a data directory that moved keeps archiving
// to its first location, which is logged.
func (t *Temporal) ensureArchival(ctx context.Context, c client.Client) error {
	d, err := c.WorkflowService().DescribeNamespace(ctx, &workflowservice.DescribeNamespaceRequest{Namespace: t.Namespace})
	if err != nil {
		return fmt.Errorf("devstack: describe namespace %q: %w", t.Namespace, err)
	}
	cfg := d.GetConfig()
	update := &namespacepb.NamespaceConfig{}
	changed := false
	if uri := cfg.GetHistoryArchivalUri(); uri == "" {
		update.HistoryArchivalUri, changed = t.HistoryArchive, true
	} else if uri != t.HistoryArchive {
		t.logger.Warn("Temporal archives closed histories to the namespace's first archive, not under this data directory (Temporal cannot move it)",
			"namespace", t.Namespace, "archive", uri)
		t.HistoryArchive = uri
	}
	if cfg.GetHistoryArchivalState() != enumspb.ARCHIVAL_STATE_ENABLED {
		update.HistoryArchivalState, changed = enumspb.ARCHIVAL_STATE_ENABLED, true
	}
	if uri := cfg.GetVisibilityArchivalUri(); uri == "" {
		update.VisibilityArchivalUri, changed = t.VisibilityArchive, true
	} else if uri != t.VisibilityArchive {
		t.VisibilityArchive = uri
	}
	if cfg.GetVisibilityArchivalState() != enumspb.ARCHIVAL_STATE_ENABLED {
		update.VisibilityArchivalState, changed = enumspb.ARCHIVAL_STATE_ENABLED, true
	}
	if !changed {
		return nil
	}
	t.logger.Info("enabling Temporal archival", "namespace", t.Namespace, "history", t.HistoryArchive, "visibility", t.VisibilityArchive)
	if _, err := c.WorkflowService().UpdateNamespace(ctx, &workflowservice.UpdateNamespaceRequest{Namespace: t.Namespace, Config: update}); err != nil {
		return fmt.Errorf("devstack: enable archival on namespace %q: %w", t.Namespace, err)
	}
	// The history service decides whether to archive a workflow when it closes, from its
	// cached copy of the namespace (refreshed every 2 s, system.namespaceCacheRefreshInterval):
	// wait for the refresh, so that no workflow closing right after the start is missed.
	// This happens once per data directory.
	select {
	case <-ctx.Done():
		return fmt.Errorf("devstack: enable archival on namespace %q: %w", t.Namespace, ctx.Err())
	case <-time.After(namespaceRefreshWait):
	}
	return nil
}

// namespaceRefreshWait outlasts two refreshes of the services' namespace caches.
const namespaceRefreshWait = 5 * time.Second

func (t *Temporal) dialRetry(ctx context.Context) (client.Client, error) {
	var c client.Client
	err := retry(ctx, func() error {
		var err error
		c, err = t.Dial(ctx)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("devstack: temporal frontend %s not answering: %w", t.HostPort, err)
	}
	return c, nil
}

func (t *Temporal) listSearchAttributes(ctx context.Context, c client.Client) (map[string]enumspb.IndexedValueType, error) {
	resp, err := c.OperatorService().ListSearchAttributes(ctx, &operatorservice.ListSearchAttributesRequest{Namespace: t.Namespace})
	if err != nil {
		return nil, fmt.Errorf("devstack: list search attributes of %q: %w", t.Namespace, err)
	}
	return resp.GetCustomAttributes(), nil
}

// retry calls f until it succeeds or ctx ends; errors that cannot heal by waiting
// (invalid argument, permission denied) end it at once.
func retry(ctx context.Context, f func() error) error {
	for {
		err := f()
		if err == nil {
			return nil
		}
		var invalid *serviceerror.InvalidArgument
		var denied *serviceerror.PermissionDenied
		if errors.As(err, &invalid) || errors.As(err, &denied) {
			return err
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("%w (last error: %w)", ctx.Err(), err)
		case <-time.After(50 * time.Millisecond):
		}
	}
}

func serverOptions(cfg *config.Config, logger serverLogger) ([]temporal.ServerOption, error) {
	authorizer, err := authorization.GetAuthorizerFromConfig(&cfg.Global.Authorization)
	if err != nil {
		return nil, fmt.Errorf("devstack: temporal authorizer: %w", err)
	}
	claimMapper, err := authorization.GetClaimMapperFromConfig(&cfg.Global.Authorization, logger)
	if err != nil {
		return nil, fmt.Errorf("devstack: temporal claim mapper: %w", err)
	}
	return []temporal.ServerOption{
		temporal.WithConfig(cfg),
		temporal.ForServices(temporal.DefaultServices),
		temporal.WithLogger(logger),
		temporal.WithAuthorizer(authorizer),
		temporal.WithClaimMapper(func(*config.Config) authorization.ClaimMapper { return claimMapper }),
		temporal.WithDynamicConfigClient(dynamicconfig.StaticClient{
			// Makes search attributes added at start visible to the very next call
			// instead of after the cache refresh interval; cheap at dev scale.
			dynamicconfig.ForceSearchAttributesCacheRefreshOnRead.Key(): true,
			// Archive a closed workflow within seconds rather than production's 5 minutes.
			dynamicconfig.ArchivalProcessorArchiveDelay.Key(): ArchiveDelay,
		}),
	}, nil
}

// newAndStartServer turns the server's Logger.Fatal panics (see serverLogger) raised
// on the calling goroutine into errors.
// pickFrontend resolves the frontend's address (a free port when none is asked for).
// A variable so that a test can hand out a port that is taken.
var pickFrontend = resolveHostPort

// startAttempts bounds the starts on fresh ports after "address already in use".
const startAttempts = 4

// startOnFreePorts starts the server on ports that were free a moment ago. Between the
// probe that found them free and the server's bind, another process may take one (tests
// of other packages start servers at the same time): the server then fails with
// "address already in use", and is started again on fresh ports. A frontend address the
// caller asked for is kept; only the internal ports change then.
func startOnFreePorts(asked string, sqlCfg *config.SQL, arch archival, logger *slog.Logger) (temporal.Server, serverLogger, string, error) {
	var err error
	for attempt := 1; attempt <= startAttempts; attempt++ {
		var host string
		var port int
		if host, port, err = pickFrontend("Temporal frontend", asked); err != nil {
			return nil, serverLogger{}, "", err
		}
		// A failed start may have joined the membership ring on its ports.
		if err = forgetMembers(sqlCfg); err != nil {
			return nil, serverLogger{}, "", err
		}
		var cfg *config.Config
		if cfg, err = serverConfig(host, port, sqlCfg, arch); err != nil {
			return nil, serverLogger{}, "", err
		}
		srvLogger := newServerLogger(logger)
		var srvOpts []temporal.ServerOption
		if srvOpts, err = serverOptions(cfg, srvLogger); err != nil {
			return nil, serverLogger{}, "", err
		}
		var srv temporal.Server
		if srv, err = newAndStartServer(srvOpts...); err == nil {
			return srv, srvLogger, net.JoinHostPort(dialHost(host), strconv.Itoa(port)), nil
		}
		if !portTaken(err) {
			return nil, serverLogger{}, "", err
		}
		logger.Warn("a port was taken before Temporal bound it; starting on fresh ports", "attempt", attempt, "err", err)
	}
	return nil, serverLogger{}, "", err
}

// portTaken reports an "address already in use" failure. Temporal reports it through
// its logger's Fatal, as text, so the text is what can be checked.
func portTaken(err error) bool {
	return errors.Is(err, syscall.EADDRINUSE) || strings.Contains(err.Error(), "address already in use")
}

func newAndStartServer(opts ...temporal.ServerOption) (srv temporal.Server, err error) {
	defer func() {
		r := recover()
		if r == nil {
			return
		}
		fe, ok := r.(*FatalError)
		if !ok {
			panic(r)
		}
		if srv != nil {
			stopQuietly(srv)
		}
		srv, err = nil, fmt.Errorf("devstack: start temporal: %w", fe)
	}()
	srv, err = temporal.NewServer(opts...)
	if err != nil {
		return nil, fmt.Errorf("devstack: create temporal server: %w", err)
	}
	if err := srv.Start(); err != nil {
		stopQuietly(srv)
		return nil, fmt.Errorf("devstack: start temporal: %w", err)
	}
	return srv, nil
}

func stopQuietly(srv temporal.Server) {
	defer func() { _ = recover() }()
	_ = srv.Stop()
}

func sqliteConfig(dbPath string) *config.SQL {
	return &config.SQL{
		PluginName: sqliteplugin.PluginName,
		// The plugin builds "file:<DatabaseName>?..." and SQLite decodes %XX in URI
		// file names, so escape the characters that would end or corrupt the path.
		DatabaseName: strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23").Replace(dbPath),
		ConnectAttributes: map[string]string{
			"mode": "rwc",
			// Keys other than SQLite URI parameters become PRAGMAs. WAL survives a
			// kill -9 of the process and lets readers run beside the writer.
			"journal_mode": "wal",
			"busy_timeout": "10000",
		},
	}
}

// ensureSchema creates the schema when the database file does not exist yet. A
// half-created file from a failed first start is removed so the next start retries.
func ensureSchema(dbPath string, cfg *config.SQL) error {
	if _, err := os.Stat(dbPath); err == nil {
		return nil
	} else if !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("devstack: stat %s: %w", dbPath, err)
	}
	if err := sqliteschema.SetupSchema(cfg); err != nil {
		for _, suffix := range []string{"", "-wal", "-shm"} {
			_ = os.Remove(dbPath + suffix)
		}
		return fmt.Errorf("devstack: create temporal schema in %s: %w", dbPath, err)
	}
	return nil
}

// forgetMembers deletes the membership rows left by the previous run. Each service
// bootstraps its membership ring from the hosts that heartbeated in the last 20 s;
// after a quick restart those are the dead services of the previous run, and the ring
// then fails to join for 30-40 s while every call answers "Not enough hosts to serve
// the request". The data dir lock guarantees no live server owns any of these rows.
func forgetMembers(cfg *config.SQL) error {
	db, err := sql.NewSQLAdminDB(sqlplugin.DbKindUnknown, cfg, resolver.NewNoopResolver(), log.NewNoopLogger(), metrics.NoopMetricsHandler)
	if err != nil {
		return fmt.Errorf("devstack: open temporal database: %w", err)
	}
	defer db.Close()
	if err := db.Exec("DELETE FROM cluster_membership"); err != nil {
		return fmt.Errorf("devstack: clear stale cluster membership: %w", err)
	}
	return nil
}

// archival is where the filestore archivers keep closed workflows.
type archival struct {
	historyURI, visibilityURI string
}

// newArchival makes the archive directories under dataDir (absolute) and returns their
// file:// URIs.
func newArchival(dataDir string) (archival, error) {
	var a archival
	for _, d := range []struct {
		name string
		uri  *string
	}{{historyArchivalDir, &a.historyURI}, {visibilityArchivalDir, &a.visibilityURI}} {
		dir := filepath.Join(dataDir, archivalDir, d.name)
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return a, fmt.Errorf("devstack: create archive dir: %w", err)
		}
		*d.uri = (&url.URL{Scheme: "file", Path: filepath.ToSlash(dir)}).String()
	}
	return a, nil
}

func serverConfig(host string, frontendPort int, sqlCfg *config.SQL, arch archival) (*config.Config, error) {
	frontendAddr := net.JoinHostPort(dialHost(host), strconv.Itoa(frontendPort))
	// 3 gRPC ports (history, matching, worker) and 4 membership ports.
	ports, err := freePorts(7)
	if err != nil {
		return nil, err
	}
	// Only the frontend listens on the requested host; the internal services and the
	// membership ring stay on the loopback interface.
	service := func(bindIP string, grpcPort, membershipPort int) config.Service {
		return config.Service{RPC: config.RPC{GRPCPort: grpcPort, MembershipPort: membershipPort, BindOnIP: bindIP}}
	}
	var cfg config.Config
	cfg.Global.Membership = config.Membership{MaxJoinDuration: 30 * time.Second, BroadcastAddress: loopback}
	cfg.Persistence = config.Persistence{
		DefaultStore:     sqliteplugin.PluginName,
		VisibilityStore:  sqliteplugin.PluginName,
		NumHistoryShards: 1,
		DataStores:       map[string]config.DataStore{sqliteplugin.PluginName: {SQL: sqlCfg}},
	}
	cfg.ClusterMetadata = &cluster.Config{
		EnableGlobalNamespace:    false,
		FailoverVersionIncrement: 10,
		MasterClusterName:        clusterName,
		CurrentClusterName:       clusterName,
		ClusterInformation: map[string]cluster.ClusterInformation{
			clusterName: {Enabled: true, InitialFailoverVersion: 1, RPCAddress: frontendAddr},
		},
	}
	cfg.DCRedirectionPolicy = config.DCRedirectionPolicy{Policy: "noop"}
	cfg.Services = map[string]config.Service{
		"frontend": service(host, frontendPort, ports[3]),
		"history":  service(loopback, ports[0], ports[4]),
		"matching": service(loopback, ports[1], ports[5]),
		"worker":   service(loopback, ports[2], ports[6]),
	}
	// Closed workflows are archived to files under the data directory and read back
	// from there once the retention has deleted them (GetWorkflowExecutionHistory with a
	// run id, ListArchivedWorkflowExecutions; `temporal workflow show --run-id`).
	filestore := &config.FilestoreArchiver{FileMode: "0600", DirMode: "0700"}
	cfg.Archival.History = config.HistoryArchival{State: config.ArchivalEnabled, EnableRead: true,
		Provider: &config.HistoryArchiverProvider{Filestore: filestore}}
	cfg.Archival.Visibility = config.VisibilityArchival{State: config.ArchivalEnabled, EnableRead: true,
		Provider: &config.VisibilityArchiverProvider{Filestore: filestore}}
	cfg.NamespaceDefaults.Archival.History = config.HistoryArchivalNamespaceDefaults{State: config.ArchivalEnabled, URI: arch.historyURI}
	cfg.NamespaceDefaults.Archival.Visibility = config.VisibilityArchivalNamespaceDefaults{State: config.ArchivalEnabled, URI: arch.visibilityURI}
	// The worker service's internal SDK client dials this address.
	cfg.PublicClient.HostPort = frontendAddr
	return &cfg, nil
}

// freePorts returns n distinct loopback ports that were free a moment ago; the
// listeners stay open until all are chosen so the kernel cannot hand one out twice.
func freePorts(n int) ([]int, error) {
	ports := make([]int, 0, n)
	for range n {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, fmt.Errorf("devstack: find a free port: %w", err)
		}
		defer ln.Close()
		ports = append(ports, ln.Addr().(*net.TCPAddr).Port)
	}
	return ports, nil
}

// lockDir takes an exclusive advisory lock on dir/LOCK, so that two servers never
// write the same SQLite database. The lock goes away with the file descriptor, also
// when the process dies.
func lockDir(dir string) (*os.File, error) {
	path := filepath.Join(dir, "LOCK")
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("devstack: open lock file: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		_ = f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, fmt.Errorf("devstack: %s is in use by another Temporal server (lock %s held)", dir, path)
		}
		return nil, fmt.Errorf("devstack: lock %s: %w", path, err)
	}
	return f, nil
}
