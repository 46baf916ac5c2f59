// Package devstack runs Temporal and an S3 server inside the current process, for
// `awardflow dev` and for end-to-end tests.
//
// It is the only package (besides end-to-end tests) that imports go.temporal.io/server
// and versitygw: both are slow to compile and make every test binary that links them
// large and slow to link, so keeping them here keeps the rest of the module fast.
//
// Layout under Options.DataDir (everything persists there, nothing outside it):
//
//	temporal/temporal.db   SQLite (WAL) with all workflow state, history and visibility
//	temporal/LOCK          advisory lock: one Temporal server per data dir
//	s3/data/               object bytes (versitygw posix backend root; one folder per bucket)
//	s3/meta/               object metadata (versitygw sidecar: ETag, content type, tags...)
//	s3/credentials.json    the S3 root credentials, generated once (mode 0600)
package devstack

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"path/filepath"
	"strconv"

	enumspb "go.temporal.io/api/enums/v1"
)

// Options configure StartTemporal and StartS3. The same value may be passed to both.
type Options struct {
	// DataDir holds all persistent state. Required. It is resolved to an absolute path
	// before anything else happens, because versitygw changes the process working
	// directory.
	DataDir string
	// Namespace is the Temporal namespace to create. Default "default".
	Namespace string
	// TemporalHostPort is where the Temporal frontend gRPC listens. "" picks
	// 127.0.0.1:<free port>.
	TemporalHostPort string
	// S3HostPort is where the S3 API listens. "" picks 127.0.0.1:<free port>.
	S3HostPort string
	// SearchAttributes are the custom search attributes the namespace must have
	// (name -> type). Registered on first start and added on later starts when missing.
	SearchAttributes map[string]enumspb.IndexedValueType
	// Logger receives WARN+ logs of the embedded servers. nil discards them.
	Logger *slog.Logger
}

// DefaultNamespace is used when Options.Namespace is empty.
const DefaultNamespace = "default"

func (o Options) namespace() string {
	if o.Namespace == "" {
		return DefaultNamespace
	}
	return o.Namespace
}

func (o Options) logger() *slog.Logger {
	if o.Logger == nil {
		return slog.New(slog.DiscardHandler)
	}
	return o.Logger
}

func (o Options) absDataDir() (string, error) {
	if o.DataDir == "" {
		return "", errors.New("devstack: Options.DataDir is required")
	}
	abs, err := filepath.Abs(o.DataDir)
	if err != nil {
		return "", fmt.Errorf("devstack: resolve data dir %q: %w", o.DataDir, err)
	}
	return abs, nil
}

// FreeHostPort returns "127.0.0.1:<port>" for a TCP port that was free a moment ago.
// Another process may take it before the caller binds it; callers that bind it
// themselves report that as an ordinary "address already in use" error.
func FreeHostPort() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", fmt.Errorf("devstack: find a free port: %w", err)
	}
	addr := ln.Addr().String()
	if err := ln.Close(); err != nil {
		return "", fmt.Errorf("devstack: release probe port: %w", err)
	}
	return addr, nil
}

// resolveHostPort fills in a free port when hostPort is empty and otherwise checks
// that hostPort can be bound right now, so a port already taken becomes a clear
// error before any server starts (Temporal reports it through Logger.Fatal).
func resolveHostPort(what, hostPort string) (host string, port int, err error) {
	if hostPort == "" {
		hostPort, err = FreeHostPort()
		if err != nil {
			return "", 0, err
		}
	}
	h, p, err := net.SplitHostPort(hostPort)
	if err != nil {
		return "", 0, fmt.Errorf("devstack: %s address %q: %w", what, hostPort, err)
	}
	if h == "" || h == "localhost" {
		// An IP is needed for binding; localhost means the IPv4 loopback here.
		h = "127.0.0.1"
	}
	if net.ParseIP(h) == nil {
		return "", 0, fmt.Errorf("devstack: %s address %q: host must be an IP address or localhost", what, hostPort)
	}
	port, err = strconv.Atoi(p)
	if err != nil || port <= 0 || port > 65535 {
		return "", 0, fmt.Errorf("devstack: %s address %q: invalid port", what, hostPort)
	}
	addr := net.JoinHostPort(h, strconv.Itoa(port))
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return "", 0, fmt.Errorf("devstack: %s address %s is not available (is another server using the port?): %w", what, addr, err)
	}
	if err := ln.Close(); err != nil {
		return "", 0, fmt.Errorf("devstack: release %s probe listener: %w", what, err)
	}
	return h, port, nil
}
