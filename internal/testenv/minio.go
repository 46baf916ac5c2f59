package testenv

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// MinIOServer is a running MinIO server on 127.0.0.1 owned by one test.
type MinIOServer struct {
	Endpoint  string // host:port, plain HTTP (minio-go: Secure=false)
	AccessKey string // root user
	SecretKey string // root password
}

// minioReadyTimeout bounds the wait for /minio/health/ready. MinIO is usually ready in
// well under a second; the margin is for a 2-core CI machine that is compiling too.
const minioReadyTimeout = 60 * time.Second

// MinIO starts a fresh MinIO server for t: 127.0.0.1, a free port, a temporary data
// directory and generated root credentials. It returns once the server answers
// GET /minio/health/ready and stops it in t.Cleanup.
//
// The binary comes from $AWARDFLOW_MINIO_BIN, else from .tools/minio-*/minio in the
// module root (built by scripts/test-all.sh). Without it the test fails when
// AWARDFLOW_REQUIRE_REAL=1 and is skipped (loudly) otherwise.
func MinIO(t testing.TB) MinIOServer {
	t.Helper()
	bin, err := MinIOBinary()
	if err != nil {
		if RequireReal() {
			t.Fatalf("MinIO server binary not available and %s=1: %v", EnvRequireReal, err)
		}
		t.Skipf("SKIPPED — MinIO not built: run bash scripts/test-all.sh (%v)", err)
	}

	// Port races with other processes are possible between picking and binding; a
	// server that dies at once is retried on another port.
	var lastErr error
	for attempt := 0; attempt < 3; attempt++ {
		srv, err := startMinIO(t, bin)
		if err == nil {
			return srv
		}
		lastErr = err
		if !errors.Is(err, errExitedEarly) {
			break
		}
	}
	t.Fatalf("start MinIO (%s): %v", bin, lastErr)
	return MinIOServer{}
}

// MinIOBinary finds the MinIO server binary: $AWARDFLOW_MINIO_BIN if set (it must
// exist), else the newest .tools/minio-*/minio under the module root.
func MinIOBinary() (string, error) {
	if p := os.Getenv(EnvMinIOBin); p != "" {
		if err := checkExecutable(p); err != nil {
			return "", fmt.Errorf("%s=%q: %w", EnvMinIOBin, p, err)
		}
		return p, nil
	}
	root, err := moduleRoot()
	if err != nil {
		return "", fmt.Errorf("%s unset and module root not found: %w", EnvMinIOBin, err)
	}
	matches, err := filepath.Glob(filepath.Join(root, ".tools", "minio-*", "minio"))
	if err != nil {
		return "", fmt.Errorf("glob .tools: %w", err)
	}
	// Directory names carry the version (pseudo-versions sort by date): newest wins.
	sort.Sort(sort.Reverse(sort.StringSlice(matches)))
	for _, m := range matches {
		if checkExecutable(m) == nil {
			return m, nil
		}
	}
	return "", fmt.Errorf("%s unset and no executable %s", EnvMinIOBin,
		filepath.Join(root, ".tools", "minio-<version>", "minio"))
}

func checkExecutable(p string) error {
	fi, err := os.Stat(p)
	if err != nil {
		return fmt.Errorf("stat: %w", err)
	}
	if fi.IsDir() || fi.Mode()&0o111 == 0 {
		return fmt.Errorf("%s is not an executable file", p)
	}
	return nil
}

// moduleRoot walks up from the working directory (a test runs in its package
// directory) to the directory holding go.mod.
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("getwd: %w", err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.mod above the working directory")
		}
		dir = parent
	}
}

var errExitedEarly = errors.New("minio exited before it was ready")

// lockedBuffer collects the server's output for error messages; bounded so a chatty
// server cannot eat the test's memory.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

const maxServerLog = 64 << 10

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if room := maxServerLog - b.buf.Len(); room > 0 {
		if len(p) > room {
			b.buf.Write(p[:room])
		} else {
			b.buf.Write(p)
		}
	}
	return len(p), nil
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func startMinIO(t testing.TB, bin string) (MinIOServer, error) {
	t.Helper()
	port, err := freePort()
	if err != nil {
		return MinIOServer{}, err
	}
	base := t.TempDir()
	dataDir := filepath.Join(base, "data")
	certsDir := filepath.Join(base, "certs")
	for _, d := range []string{dataDir, certsDir} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			return MinIOServer{}, fmt.Errorf("mkdir %s: %w", d, err)
		}
	}
	srv := MinIOServer{
		Endpoint:  net.JoinHostPort("127.0.0.1", fmt.Sprint(port)),
		AccessKey: "test" + randomHex(8),
		SecretKey: randomHex(20),
	}

	cmd := exec.Command(bin, "server", dataDir,
		"--address", srv.Endpoint,
		"--certs-dir", certsDir, // keep MinIO away from ~/.minio
		"--quiet")
	cmd.Env = append(withoutMinIOEnv(os.Environ()),
		"MINIO_ROOT_USER="+srv.AccessKey,
		"MINIO_ROOT_PASSWORD="+srv.SecretKey,
		"MINIO_BROWSER=off", // no console listener on a random port
		"MINIO_UPDATE=off",
		"MINIO_CI_CD=1", // no drive-size checks and no interactive hints on a tmpfs
	)
	logs := &lockedBuffer{}
	cmd.Stdout = logs
	cmd.Stderr = logs
	cmd.SysProcAttr = childSysProcAttr()

	proc, err := startLocked(cmd)
	if err != nil {
		return MinIOServer{}, fmt.Errorf("exec %s: %w", bin, err)
	}
	t.Cleanup(proc.stop)

	if err := waitReady(srv.Endpoint, proc.done); err != nil {
		proc.stop()
		return MinIOServer{}, fmt.Errorf("%w (exit: %v)\n--- minio output ---\n%s", err, proc.waitErr, logs.String())
	}
	return srv, nil
}

// child is a started server process.
type child struct {
	cmd      *exec.Cmd
	sig      syscall.Signal // asks the server to shut down; 0 = SIGTERM
	done     chan struct{}  // closed once the process has been waited for
	waitErr  error          // valid after done is closed
	stopOnce sync.Once
}

// stop asks the server to shut down (c.sig, default SIGTERM) and kills it if it has not
// exited within 10 s. Safe to call more than once and after the process exited by itself.
func (c *child) stop() {
	c.stopOnce.Do(func() {
		select {
		case <-c.done:
			return
		default:
		}
		sig := c.sig
		if sig == 0 {
			sig = syscall.SIGTERM
		}
		_ = c.cmd.Process.Signal(sig)
		select {
		case <-c.done:
		case <-time.After(10 * time.Second):
			_ = c.cmd.Process.Kill()
			<-c.done
		}
	})
}

// startLocked starts cmd from a goroutine that keeps its OS thread locked until the
// child exits: Pdeathsig fires when the starting thread dies, and an unlocked
// goroutine's thread may be reused or retired by the runtime at any time.
func startLocked(cmd *exec.Cmd) (*child, error) {
	c := &child{cmd: cmd, done: make(chan struct{})}
	started := make(chan error, 1)
	go func() {
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
		if err := cmd.Start(); err != nil {
			started <- err
			return
		}
		started <- nil
		c.waitErr = cmd.Wait()
		close(c.done)
	}()
	if err := <-started; err != nil {
		return nil, err
	}
	return c, nil
}

func waitReady(endpoint string, done <-chan struct{}) error {
	client := &http.Client{Timeout: 2 * time.Second}
	url := "http://" + endpoint + "/minio/health/ready"
	deadline := time.Now().Add(minioReadyTimeout)
	var last error
	for time.Now().Before(deadline) {
		select {
		case <-done:
			return errExitedEarly
		default:
		}
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		if err != nil {
			cancel()
			return fmt.Errorf("build readiness request: %w", err)
		}
		resp, err := client.Do(req)
		if err == nil {
			_, _ = io.Copy(io.Discard, resp.Body)
			_ = resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				cancel()
				return nil
			}
			err = fmt.Errorf("GET %s: %s", url, resp.Status)
		}
		cancel()
		last = err
		time.Sleep(100 * time.Millisecond)
	}
	return fmt.Errorf("MinIO not ready after %s: %v", minioReadyTimeout, last)
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("pick a free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// withoutMinIOEnv drops inherited MINIO_* variables so a developer's shell (for
// example MINIO_VOLUMES or old credentials) cannot change the test server.
func withoutMinIOEnv(env []string) []string {
	out := env[:0:0]
	for _, kv := range env {
		if !strings.HasPrefix(kv, "MINIO_") {
			out = append(out, kv)
		}
	}
	return out
}

func randomHex(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(fmt.Sprintf("crypto/rand: %v", err)) // never fails on Linux
	}
	return hex.EncodeToString(b)
}
