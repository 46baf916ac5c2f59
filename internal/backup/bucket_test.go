package backup

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/minio/minio-go/v7"

	"github.com/awardflow/awardflow/internal/blobstore"
	"github.com/awardflow/awardflow/internal/testenv"
)

// The production S3 half of a backup, against a real S3 server (MinIO): an export of
// a bucket imports into an empty one with the same bytes, content types and metadata;
// a second import changes nothing; a damaged export imports nothing; an object already
// there with other bytes is not overwritten.
func TestBucketExportImport(t *testing.T) {
	ctx := context.Background()
	s3 := testenv.MinIO(t)
	cfg := func(bucket string) blobstore.Config {
		return blobstore.Config{Endpoint: s3.Endpoint, AccessKey: s3.AccessKey, SecretKey: s3.SecretKey, Bucket: bucket, Region: "us-east-1"}
	}
	c, err := client(cfg("x"))
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range []string{"live", "restored", "damaged", "conflict"} {
		if err := c.MakeBucket(ctx, b, minio.MakeBucketOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	objects := map[string][]byte{
		"evidence/ab/abcdef.pdf":                   append([]byte("%PDF-1.7\n"), bytes.Repeat([]byte("x"), 300_000)...),
		"documents/Quyết định số 01.pdf":           []byte("%PDF-1.7 quyết định"),
		"evidence/odd key with spaces & ? # %.png": []byte("\x89PNG\r\n"),
	}
	for key, body := range objects {
		sum := sha256.Sum256(body)
		if _, err := c.PutObject(ctx, "live", key, bytes.NewReader(body), int64(len(body)), minio.PutObjectOptions{
			ContentType: "application/pdf", UserMetadata: map[string]string{"Sha256": hex.EncodeToString(sum[:])}}); err != nil {
			t.Fatal(err)
		}
	}
	dir := filepath.Join(t.TempDir(), "export")
	m, err := ExportBucket(ctx, cfg("live"), dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Objects) != len(objects) {
		t.Fatalf("exported %d objects, want %d", len(m.Objects), len(objects))
	}
	for range 2 { // the second import finds everything there and changes nothing
		if _, err := ImportBucket(ctx, cfg("restored"), dir); err != nil {
			t.Fatal(err)
		}
	}
	for key, body := range objects {
		r, err := c.GetObject(ctx, "restored", key, minio.GetObjectOptions{})
		if err != nil {
			t.Fatal(err)
		}
		got, err := io.ReadAll(r)
		st, serr := r.Stat()
		r.Close()
		if err != nil || serr != nil || !bytes.Equal(got, body) || st.ContentType != "application/pdf" || st.UserMetadata["Sha256"] == "" {
			t.Fatalf("%s restored as %d bytes, %q, %v (%v %v)", key, len(got), st.ContentType, st.UserMetadata, err, serr)
		}
	}

	// A damaged export: nothing is written.
	if err := os.WriteFile(filepath.Join(dir, m.Objects[1].File), []byte("altered"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := ImportBucket(ctx, cfg("damaged"), dir); err == nil || !strings.Contains(err.Error(), "does not match") {
		t.Fatalf("import of a damaged export: %v", err)
	}
	for o := range c.ListObjects(ctx, "damaged", minio.ListObjectsOptions{Recursive: true}) {
		t.Fatalf("a refused import wrote %s", o.Key)
	}

	// An object with other bytes under the same key is not overwritten.
	dir2 := filepath.Join(t.TempDir(), "export")
	if _, err := ExportBucket(ctx, cfg("live"), dir2); err != nil {
		t.Fatal(err)
	}
	key := "documents/Quyết định số 01.pdf"
	if _, err := c.PutObject(ctx, "conflict", key, strings.NewReader("other"), 5, minio.PutObjectOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := ImportBucket(ctx, cfg("conflict"), dir2); err == nil || !strings.Contains(err.Error(), "other content") {
		t.Fatalf("import over other content: %v", err)
	}
	// An export goes into a new directory only.
	if _, err := ExportBucket(ctx, cfg("live"), dir2); err == nil {
		t.Fatal("export into a non-empty directory accepted")
	}
}
