package devstack

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
)

func newMinio(t *testing.T, s *S3) *minio.Client {
	t.Helper()
	mc, err := minio.New(s.Endpoint, &minio.Options{
		Creds:  credentials.NewStaticV4(s.AccessKey, s.SecretKey, ""),
		Secure: false,
		Region: s.Region,
	})
	if err != nil {
		t.Fatalf("minio client: %v", err)
	}
	return mc
}

func TestS3RoundTripAndRestart(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	dir := t.TempDir()
	wdBefore, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}

	start := time.Now()
	s, err := StartS3(ctx, Options{DataDir: dir, Logger: testLogger(t)})
	if err != nil {
		t.Fatalf("StartS3: %v", err)
	}
	t.Logf("MEASURE StartS3 fresh dir: %v", time.Since(start))
	stopped := false
	defer func() {
		if !stopped {
			_ = s.Stop()
		}
	}()

	// Only one versitygw per process.
	if second, err := StartS3(ctx, Options{DataDir: t.TempDir()}); err == nil {
		_ = second.Stop()
		t.Fatal("a second StartS3 in the same process succeeded")
	} else if !strings.Contains(err.Error(), "already running") {
		t.Fatalf("second StartS3: unclear error %v", err)
	}

	credFile := filepath.Join(dir, "s3", "credentials.json")
	fi, err := os.Stat(credFile)
	if err != nil {
		t.Fatalf("credentials file: %v", err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Fatalf("credentials file mode = %v, want 0600", fi.Mode().Perm())
	}

	mc := newMinio(t, s)
	const bucket, key = "evidence", "proposals/HS-01/bằng-khen.bin"
	if err := mc.MakeBucket(ctx, bucket, minio.MakeBucketOptions{Region: s.Region}); err != nil {
		t.Fatalf("make bucket: %v", err)
	}

	// A 40 MiB stream of unknown length with a 16 MiB part size: a 3-part multipart
	// upload, the way evidence uploads stream.
	const size = 40 << 20
	want := sha256.New()
	src := io.TeeReader(io.LimitReader(rand.Reader, size), want)
	putStart := time.Now()
	info, err := mc.PutObject(ctx, bucket, key, src, -1, minio.PutObjectOptions{
		PartSize:    16 << 20,
		ContentType: "application/octet-stream",
	})
	if err != nil {
		t.Fatalf("put object: %v", err)
	}
	t.Logf("MEASURE PutObject 40 MiB multipart: %v", time.Since(putStart))
	if info.Size != size {
		t.Fatalf("uploaded size = %d, want %d", info.Size, size)
	}
	wantSum := want.Sum(nil)

	checkObject(ctx, t, mc, bucket, key, size, wantSum)

	st, err := mc.StatObject(ctx, bucket, key, minio.StatObjectOptions{})
	if err != nil {
		t.Fatalf("stat: %v", err)
	}
	if st.Size != size || st.ContentType != "application/octet-stream" {
		t.Fatalf("stat = size %d type %q, want %d application/octet-stream", st.Size, st.ContentType, size)
	}
	// Multipart ETags end in -<parts>.
	if !strings.HasSuffix(st.ETag, "-3") {
		t.Fatalf("ETag %q: want a 3-part multipart ETag", st.ETag)
	}

	// Wrong credentials must be refused: the server checks signatures.
	bad := newMinio(t, &S3{Endpoint: s.Endpoint, AccessKey: s.AccessKey, SecretKey: "wrong" + s.SecretKey, Region: s.Region})
	if _, err := bad.StatObject(ctx, bucket, key, minio.StatObjectOptions{}); err == nil {
		t.Fatal("stat with a wrong secret succeeded")
	}

	if err := s.Stop(); err != nil {
		t.Fatalf("stop: %v", err)
	}
	stopped = true
	if wd, _ := os.Getwd(); wd != wdBefore {
		t.Fatalf("working directory after Stop = %q, want %q", wd, wdBefore)
	}
	if err := s.Stop(); err != nil {
		t.Fatalf("second Stop must be a no-op, got %v", err)
	}

	// Restart on the same dir (after Stop a new instance may start in this process):
	// same credentials, same bytes.
	start = time.Now()
	s2, err := StartS3(ctx, Options{DataDir: dir, Logger: testLogger(t)})
	if err != nil {
		t.Fatalf("restart StartS3: %v", err)
	}
	t.Logf("MEASURE StartS3 existing dir: %v", time.Since(start))
	defer s2.Stop()
	if s2.AccessKey != s.AccessKey || s2.SecretKey != s.SecretKey {
		t.Fatal("credentials changed across restart")
	}
	checkObject(ctx, t, newMinio(t, s2), bucket, key, size, wantSum)
}

func checkObject(ctx context.Context, t *testing.T, mc *minio.Client, bucket, key string, size int64, wantSum []byte) {
	t.Helper()
	obj, err := mc.GetObject(ctx, bucket, key, minio.GetObjectOptions{})
	if err != nil {
		t.Fatalf("get object: %v", err)
	}
	defer obj.Close()
	got := sha256.New()
	n, err := io.Copy(got, obj)
	if err != nil {
		t.Fatalf("read object: %v", err)
	}
	if n != size {
		t.Fatalf("read %d bytes, want %d", n, size)
	}
	if !bytes.Equal(got.Sum(nil), wantSum) {
		t.Fatal("downloaded bytes differ from uploaded bytes")
	}
}

func TestS3PortTaken(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	s, err := StartS3(context.Background(), Options{DataDir: t.TempDir(), S3HostPort: ln.Addr().String()})
	if err == nil {
		_ = s.Stop()
		t.Fatal("StartS3 on a taken port succeeded")
	}
	if !strings.Contains(err.Error(), "not available") {
		t.Fatalf("unclear error: %v", err)
	}
	// The failed start must not hold the one-per-process slot.
	s, err = StartS3(context.Background(), Options{DataDir: t.TempDir()})
	if err != nil {
		t.Fatalf("StartS3 after a failed start: %v", err)
	}
	if err := s.Stop(); err != nil {
		t.Fatal(err)
	}
}

func TestFreeHostPort(t *testing.T) {
	hp, err := FreeHostPort()
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", hp)
	if err != nil {
		t.Fatalf("FreeHostPort gave %s, which cannot be bound: %v", hp, err)
	}
	_ = ln.Close()
	if !strings.HasPrefix(hp, "127.0.0.1:") {
		t.Fatalf("FreeHostPort = %q, want a 127.0.0.1 address", hp)
	}
}
