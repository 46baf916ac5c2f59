package devstack

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/versity/versitygw/backend/meta"
	"github.com/versity/versitygw/backend/posix"
	"github.com/versity/versitygw/embedgw"
	"github.com/versity/versitygw/s3api"
)

// S3Region is the region the embedded S3 server reports; minio-go clients should use it.
const S3Region = "us-east-1"

// s3Running guards the single versitygw instance a process may run: embedgw keeps
// package-level state, and posix.New changes the process working directory.
var s3Running atomic.Bool

// S3 is a running in-process S3 server (versitygw, posix backend).
//
// While it runs, the process working directory is <DataDir>/s3/data (versitygw
// resolves bucket paths relative to it); Stop restores the previous one. Code in the
// same process must not rely on relative paths meanwhile.
type S3 struct {
	// Endpoint is host:port of the S3 API (plain HTTP, path-style buckets).
	Endpoint string
	// AccessKey and SecretKey are the root credentials, stable across restarts.
	AccessKey string
	SecretKey string
	// Region is S3Region.
	Region string

	cancel   context.CancelFunc
	stopped  chan struct{} // closed when RunVersityGW has returned
	runErr   error         // RunVersityGW's result, readable after stopped
	prevWD   string
	stopOnce sync.Once
	stopErr  error
}

type s3Credentials struct {
	AccessKey string `json:"accessKey"`
	SecretKey string `json:"secretKey"`
}

// StartS3 starts versitygw with its posix backend on <DataDir>/s3 and returns when it
// accepts connections. Only one may run per process at a time; after Stop another may
// start.
func StartS3(ctx context.Context, o Options) (_ *S3, err error) {
	dataDir, err := o.absDataDir()
	if err != nil {
		return nil, err
	}
	if !s3Running.CompareAndSwap(false, true) {
		return nil, errors.New("devstack: an S3 server is already running in this process (versitygw allows one per process); Stop it first or share it")
	}
	defer func() {
		if err != nil {
			s3Running.Store(false)
		}
	}()
	logger := o.logger()

	root := filepath.Join(dataDir, "s3", "data")
	// The sidecar must not sit under the root (versitygw checks it by string prefix,
	// so "s3meta" beside a root "s3" would be refused too).
	metaDir := filepath.Join(dataDir, "s3", "meta")
	for _, d := range []string{root, metaDir} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return nil, fmt.Errorf("devstack: create %s: %w", d, err)
		}
	}
	creds, err := loadOrCreateCredentials(filepath.Join(dataDir, "s3", "credentials.json"))
	if err != nil {
		return nil, err
	}
	host, port, err := resolveHostPort("S3", o.S3HostPort)
	if err != nil {
		return nil, err
	}
	listenAddr := net.JoinHostPort(host, strconv.Itoa(port))

	prevWD, err := os.Getwd()
	if err != nil {
		return nil, fmt.Errorf("devstack: get working directory: %w", err)
	}
	sidecar, err := meta.NewSideCar(metaDir)
	if err != nil {
		return nil, fmt.Errorf("devstack: s3 sidecar metadata: %w", err)
	}
	// S3 allows server-side copies up to 5 GiB; versitygw refuses all of them when unset.
	be, err := posix.New(root, sidecar, posix.PosixOpts{SideCarDir: metaDir, CopyObjectThreshold: 5 << 30})
	if err != nil {
		_ = os.Chdir(prevWD)
		return nil, fmt.Errorf("devstack: s3 posix backend: %w", err)
	}

	runCtx, cancel := context.WithCancel(context.Background())
	ready := make(chan struct{})
	var readyOnce sync.Once
	cfg := &embedgw.Config{
		RootUserAccess:    creds.AccessKey,
		RootUserSecret:    creds.SecretKey,
		Region:            S3Region,
		Ports:             []string{listenAddr},
		MaxConnections:    1000,
		MaxRequests:       500,
		MultipartMaxParts: 10000,
		Quiet:             true,
		KeepAlive:         true,
		S3Options:         []s3api.Option{s3api.WithOnListen(func() { readyOnce.Do(func() { close(ready) }) })},
	}
	s := &S3{
		Endpoint:  net.JoinHostPort(dialHost(host), strconv.Itoa(port)),
		AccessKey: creds.AccessKey,
		SecretKey: creds.SecretKey,
		Region:    S3Region,
		cancel:    cancel,
		stopped:   make(chan struct{}),
		prevWD:    prevWD,
	}
	go func() {
		defer close(s.stopped)
		s.runErr = embedgw.RunVersityGW(runCtx, be, cfg)
		if runCtx.Err() == nil {
			// Not asked to stop: the gateway died on its own; say so.
			logger.Error("embedded S3 server stopped", "endpoint", s.Endpoint, "err", s.runErr)
		}
	}()

	select {
	case <-ready:
		return s, nil
	case <-s.stopped:
		err = s.runErr
		if err == nil {
			err = errors.New("stopped before listening")
		}
	case <-ctx.Done():
		cancel()
		<-s.stopped
		err = ctx.Err()
	}
	cancel()
	_ = os.Chdir(prevWD)
	return nil, fmt.Errorf("devstack: start s3 on %s: %w", listenAddr, err)
}

// Stop shuts the S3 server down, waits for it and restores the working directory.
// Safe to call twice.
func (s *S3) Stop() error {
	s.stopOnce.Do(func() {
		s.cancel()
		select {
		case <-s.stopped:
			if s.runErr != nil && !errors.Is(s.runErr, context.Canceled) {
				s.stopErr = fmt.Errorf("devstack: s3 server: %w", s.runErr)
			}
		case <-time.After(30 * time.Second):
			// Still running: keep the guard so no second instance starts beside it.
			s.stopErr = errors.New("devstack: s3 server did not stop within 30s")
			return
		}
		if err := os.Chdir(s.prevWD); err != nil && s.stopErr == nil {
			s.stopErr = fmt.Errorf("devstack: restore working directory: %w", err)
		}
		s3Running.Store(false)
	})
	return s.stopErr
}

func loadOrCreateCredentials(path string) (s3Credentials, error) {
	var c s3Credentials
	b, err := os.ReadFile(path)
	switch {
	case err == nil:
		if err := json.Unmarshal(b, &c); err != nil {
			return c, fmt.Errorf("devstack: parse %s: %w", path, err)
		}
		if c.AccessKey == "" || c.SecretKey == "" {
			return c, fmt.Errorf("devstack: %s lacks accessKey or secretKey", path)
		}
		return c, nil
	case !errors.Is(err, os.ErrNotExist):
		return c, fmt.Errorf("devstack: read %s: %w", path, err)
	}
	// rand.Text gives 26 base32 characters (128 bits) each.
	c = s3Credentials{AccessKey: "AWF" + rand.Text()[:17], SecretKey: rand.Text() + rand.Text()}
	b, err = json.MarshalIndent(c, "", "  ")
	if err != nil {
		return c, fmt.Errorf("devstack: encode credentials: %w", err)
	}
	// Write-then-rename so a crash never leaves a half-written file that would lock
	// the user out of their own objects.
	tmp, err := os.CreateTemp(filepath.Dir(path), ".credentials-*")
	if err != nil {
		return c, fmt.Errorf("devstack: write credentials: %w", err)
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err != nil {
		_ = tmp.Close()
		return c, fmt.Errorf("devstack: chmod credentials: %w", err)
	}
	if _, err := tmp.Write(append(b, '\n')); err != nil {
		_ = tmp.Close()
		return c, fmt.Errorf("devstack: write credentials: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		_ = tmp.Close()
		return c, fmt.Errorf("devstack: sync credentials: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return c, fmt.Errorf("devstack: close credentials: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return c, fmt.Errorf("devstack: save credentials: %w", err)
	}
	return c, nil
}
