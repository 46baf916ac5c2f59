package testenv_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"

	"github.com/awardflow/awardflow/internal/testenv"
)

func newClient(t *testing.T, srv testenv.MinIOServer) *minio.Client {
	t.Helper()
	c, err := minio.New(srv.Endpoint, &minio.Options{
		Creds:  credentials.NewStaticV4(srv.AccessKey, srv.SecretKey, ""),
		Secure: false,
		Region: "us-east-1",
	})
	if err != nil {
		t.Fatalf("minio.New: %v", err)
	}
	return c
}

// TestMinIOPutGet proves the harness end to end: a real server, a small object and a
// multipart upload of an unknown-size stream with an explicit PartSize, both read back
// byte-exact.
func TestMinIOPutGet(t *testing.T) {
	srv := testenv.MinIO(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	c := newClient(t, srv)

	const bucket = "awardflow-harness"
	if err := c.MakeBucket(ctx, bucket, minio.MakeBucketOptions{}); err != nil {
		t.Fatalf("MakeBucket: %v", err)
	}

	// Small single-part object: Vietnamese text, so a byte-level mangling would show.
	small := []byte("Bằng khen — certificate of merit\n")
	if _, err := c.PutObject(ctx, bucket, "small.txt", bytes.NewReader(small), int64(len(small)),
		minio.PutObjectOptions{ContentType: "text/plain; charset=utf-8"}); err != nil {
		t.Fatalf("PutObject small: %v", err)
	}
	if got := getAll(ctx, t, c, bucket, "small.txt"); !bytes.Equal(got, small) {
		t.Fatalf("small object: got %q, want %q", got, small)
	}

	// Multipart: 13 MiB + 7 bytes of pseudo-random data as a stream of unknown size
	// (-1), 5 MiB parts (the S3 minimum) -> 3 parts.
	const partSize = 5 << 20
	size := 13<<20 + 7
	big := make([]byte, size)
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range big {
		big[i] = byte(rng.UintN(256))
	}
	info, err := c.PutObject(ctx, bucket, "big.bin", io.NopCloser(bytes.NewReader(big)), -1,
		minio.PutObjectOptions{PartSize: partSize, ContentType: "application/octet-stream"})
	if err != nil {
		t.Fatalf("PutObject multipart: %v", err)
	}
	if info.Size != int64(size) {
		t.Fatalf("multipart upload size: got %d, want %d", info.Size, size)
	}
	// S3 multipart ETags end in "-<number of parts>"; a plain PUT has none.
	if !strings.HasSuffix(info.ETag, "-3") {
		t.Fatalf("ETag %q does not show a 3-part multipart upload", info.ETag)
	}
	st, err := c.StatObject(ctx, bucket, "big.bin", minio.StatObjectOptions{})
	if err != nil {
		t.Fatalf("StatObject: %v", err)
	}
	if st.Size != int64(size) {
		t.Fatalf("stat size: got %d, want %d", st.Size, size)
	}
	got := getAll(ctx, t, c, bucket, "big.bin")
	if sha256.Sum256(got) != sha256.Sum256(big) || len(got) != size {
		t.Fatalf("multipart object corrupted: got %d bytes, want %d (sha256 differs)", len(got), size)
	}

	// Wrong credentials must be refused: proves the server enforces signatures.
	bad := newClient(t, testenv.MinIOServer{Endpoint: srv.Endpoint, AccessKey: srv.AccessKey, SecretKey: "wrong" + srv.SecretKey})
	if _, err := bad.StatObject(ctx, bucket, "small.txt", minio.StatObjectOptions{}); err == nil {
		t.Fatal("StatObject with a wrong secret key succeeded")
	}
}

func getAll(ctx context.Context, t *testing.T, c *minio.Client, bucket, key string) []byte {
	t.Helper()
	obj, err := c.GetObject(ctx, bucket, key, minio.GetObjectOptions{})
	if err != nil {
		t.Fatalf("GetObject %s: %v", key, err)
	}
	defer obj.Close()
	b, err := io.ReadAll(obj)
	if err != nil {
		t.Fatalf("read %s: %v", key, err)
	}
	return b
}

// TestMinIOStopsOnCleanup checks that the server is gone once the test that owns it
// has finished, so test binaries do not leak servers.
func TestMinIOStopsOnCleanup(t *testing.T) {
	var endpoint string
	t.Run("owner", func(t *testing.T) {
		endpoint = testenv.MinIO(t).Endpoint
		if err := ready(endpoint); err != nil {
			t.Fatalf("server not ready inside its test: %v", err)
		}
	})
	if endpoint == "" {
		t.Skip("owner subtest skipped (MinIO not built)")
	}
	if err := ready(endpoint); err == nil {
		t.Fatalf("MinIO at %s still answers after its test's cleanup", endpoint)
	}
}

func ready(endpoint string) error {
	client := &http.Client{Timeout: 2 * time.Second}
	resp, err := client.Get("http://" + endpoint + "/minio/health/ready")
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("status %s", resp.Status)
	}
	return nil
}

func TestMinIOBinaryFromEnv(t *testing.T) {
	t.Setenv(testenv.EnvMinIOBin, filepath.Join(t.TempDir(), "no-such-minio"))
	if _, err := testenv.MinIOBinary(); err == nil {
		t.Fatal("MinIOBinary accepted a missing file named by AWARDFLOW_MINIO_BIN")
	}

	dir := t.TempDir()
	notExec := filepath.Join(dir, "minio")
	if err := os.WriteFile(notExec, []byte("#!/bin/sh\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv(testenv.EnvMinIOBin, notExec)
	if _, err := testenv.MinIOBinary(); err == nil {
		t.Fatal("MinIOBinary accepted a non-executable file")
	}

	if err := os.Chmod(notExec, 0o755); err != nil {
		t.Fatal(err)
	}
	got, err := testenv.MinIOBinary()
	if err != nil || got != notExec {
		t.Fatalf("MinIOBinary() = %q, %v; want %q", got, err, notExec)
	}
}

// fatalRecorder stands in for *testing.T to observe RequireTool's failure without
// failing this test. Fatalf must stop the caller, as the real one does.
type fatalRecorder struct {
	testing.TB
	msg string
}

type fatalSentinel struct{}

func (r *fatalRecorder) Helper() {}
func (r *fatalRecorder) Fatalf(format string, args ...any) {
	r.msg = fmt.Sprintf(format, args...)
	panic(fatalSentinel{})
}

func callRequireTool(tb testing.TB, name, pkg string) (path string, failed bool) {
	defer func() {
		if r := recover(); r != nil {
			if _, ok := r.(fatalSentinel); !ok {
				panic(r)
			}
			failed = true
		}
	}()
	return testenv.RequireTool(tb, name, pkg), false
}

func TestRequireTool(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("uses sh")
	}
	path, failed := callRequireTool(t, "sh", "dash")
	if failed || path == "" {
		t.Fatalf("RequireTool(sh) = %q, failed=%v", path, failed)
	}

	rec := &fatalRecorder{TB: t}
	_, failed = callRequireTool(rec, "awardflow-no-such-tool", "awardflow-pkg")
	if !failed {
		t.Fatal("RequireTool did not fail for a missing tool")
	}
	if !strings.Contains(rec.msg, "awardflow-pkg") {
		t.Fatalf("failure message does not name the Debian package: %q", rec.msg)
	}
}
