package blobstore

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"testing"

	"github.com/minio/minio-go/v7"

	"github.com/awardflow/awardflow/internal/devstack"
	"github.com/awardflow/awardflow/internal/testenv"
)

// The single PUT is signed with the SHA-256 the bytes were hashed to on arrival, and both
// S3 servers awardflow runs on (MinIO in production, versitygw in dev) check the body
// against it: bytes that differ from what was hashed (a damaged spool file) are refused
// and nothing is stored; the right ones are stored byte for byte.
func TestPutHashedIsCheckedByTheServer(t *testing.T) {
	ctx := context.Background()
	servers := map[string]func() Config{
		"minio": func() Config {
			m := testenv.MinIO(t)
			return Config{Endpoint: m.Endpoint, AccessKey: m.AccessKey, SecretKey: m.SecretKey, Bucket: "hashed", Region: "us-east-1"}
		},
		"versitygw": func() Config {
			s3, err := devstack.StartS3(ctx, devstack.Options{DataDir: t.TempDir()})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = s3.Stop() })
			return Config{Endpoint: s3.Endpoint, AccessKey: s3.AccessKey, SecretKey: s3.SecretKey, Bucket: "hashed", Region: s3.Region}
		},
	}
	for name, cfg := range servers {
		t.Run(name, func(t *testing.T) {
			s, err := New(ctx, cfg())
			if err != nil {
				t.Fatal(err)
			}
			body := make([]byte, 3<<20)
			_, _ = rand.Read(body)
			sum := sha256.Sum256(body)
			good := hex.EncodeToString(sum[:])
			damaged := bytes.Clone(body)
			damaged[len(damaged)/2] ^= 1
			if err := s.putHashed(ctx, "evidence/x/"+good, bytes.NewReader(damaged), int64(len(damaged)), good, "application/pdf"); err == nil {
				t.Fatal("bytes that differ from their hash were stored")
			}
			if ok, err := s.Exists(ctx, "evidence/x/"+good); err != nil || ok {
				t.Fatalf("after the refusal the object exists: %v %v", ok, err)
			}
			if err := s.putHashed(ctx, "evidence/x/"+good, bytes.NewReader(body), int64(len(body)), good, "application/pdf"); err != nil {
				t.Fatal(err)
			}
			r, err := s.c.GetObject(ctx, s.bucket, "evidence/x/"+good, minio.GetObjectOptions{})
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			got, err := io.ReadAll(r)
			if err != nil || !bytes.Equal(got, body) {
				t.Fatalf("stored %d bytes (%v), want the %d sent", len(got), err, len(body))
			}
		})
	}
}
