package blobstore

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/minio/minio-go/v7"

	"github.com/awardflow/awardflow/internal/devstack"
	"github.com/awardflow/awardflow/internal/testenv"
)

// bothServers are the two S3 servers awardflow runs on, MinIO (production, CI) and
// versitygw (the dev stack), each with a bucket of that name, started on first use.
func bothServers(t *testing.T, bucket string) map[string]func() Config {
	return map[string]func() Config{
		"minio": func() Config {
			m := testenv.MinIO(t)
			return Config{Endpoint: m.Endpoint, AccessKey: m.AccessKey, SecretKey: m.SecretKey, Bucket: bucket, Region: "us-east-1"}
		},
		"versitygw": func() Config {
			s3, err := devstack.StartS3(context.Background(), devstack.Options{DataDir: t.TempDir()})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = s3.Stop() })
			return Config{Endpoint: s3.Endpoint, AccessKey: s3.AccessKey, SecretKey: s3.SecretKey, Bucket: bucket, Region: s3.Region}
		},
	}
}

// The single PUT is signed with the SHA-256 the bytes were hashed to on arrival, and both
// S3 servers awardflow runs on (MinIO in production, versitygw in dev) check the body
// against it: bytes that differ from what was hashed (a damaged spool file) are refused
// and nothing is stored; the right ones are stored byte for byte.
func TestPutHashedIsCheckedByTheServer(t *testing.T) {
	ctx := context.Background()
	servers := bothServers(t, "hashed")
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

// A client that states the file's SHA-256 (the page does, from crypto.subtle) has its
// upload streamed straight to S3 in one PUT signed with that hash: no spool, no second
// pass. The S3 server is the check, so this runs against both servers awardflow uses:
//   - the right bytes are stored byte for byte under prefix/<sha>, typed by sniffing;
//   - bytes that differ from the statement are refused (ErrDigestMismatch) and nothing
//     is stored, not even over an object that already has that key;
//   - a disallowed type, an empty or oversized statement, or a malformed hash never
//     reach S3;
//   - a body shorter than its stated size (a client that dies) stores nothing.
func TestPutEvidenceStated(t *testing.T) {
	ctx := context.Background()
	servers := bothServers(t, "stated")
	hexSum := func(b []byte) string { s := sha256.Sum256(b); return hex.EncodeToString(s[:]) }
	for name, cfg := range servers {
		t.Run(name, func(t *testing.T) {
			s, err := New(ctx, cfg())
			if err != nil {
				t.Fatal(err)
			}
			const maxSize = 25 << 20
			for _, size := range []int{9, 512, 513, 5<<20 + 7} {
				body := make([]byte, size)
				_, _ = rand.Read(body)
				copy(body, "%PDF-1.7\n")
				st, err := s.PutEvidenceStated(ctx, "evidence/s", bytes.NewReader(body), int64(size), hexSum(body), maxSize)
				if err != nil {
					t.Fatalf("%d bytes: %v", size, err)
				}
				if st.Key != "evidence/s/"+hexSum(body) || st.SHA256 != hexSum(body) || st.Size != int64(size) || st.ContentType != "application/pdf" {
					t.Fatalf("%d bytes: stored %+v", size, st)
				}
				if got, err := s.ReadAll(ctx, st.Key); err != nil || !bytes.Equal(got, body) {
					t.Fatalf("%d bytes: read back %d bytes (%v)", size, len(got), err)
				}
			}

			body := make([]byte, 3<<20)
			_, _ = rand.Read(body)
			copy(body, "%PDF-1.7\n")
			good := hexSum(body)
			damaged := bytes.Clone(body)
			damaged[len(damaged)-1] ^= 1
			if _, err := s.PutEvidenceStated(ctx, "evidence/m", bytes.NewReader(damaged), int64(len(damaged)), good, maxSize); !errors.Is(err, ErrDigestMismatch) {
				t.Fatalf("bytes that differ from the stated hash: %v, want ErrDigestMismatch", err)
			}
			if ok, err := s.Exists(ctx, "evidence/m/"+good); err != nil || ok {
				t.Fatalf("after the refusal the object exists: %v %v", ok, err)
			}
			// An attacker who knows a stored file's hash cannot overwrite it with other bytes.
			if _, err := s.PutEvidenceStated(ctx, "evidence/m", bytes.NewReader(body), int64(len(body)), good, maxSize); err != nil {
				t.Fatal(err)
			}
			if _, err := s.PutEvidenceStated(ctx, "evidence/m", bytes.NewReader(damaged), int64(len(damaged)), good, maxSize); !errors.Is(err, ErrDigestMismatch) {
				t.Fatalf("overwrite with other bytes: %v, want ErrDigestMismatch", err)
			}
			if got, err := s.ReadAll(ctx, "evidence/m/"+good); err != nil || !bytes.Equal(got, body) {
				t.Fatalf("the stored file changed under a refused overwrite: %d bytes (%v)", len(got), err)
			}

			// A body of unknown length (chunked) with a statement: spooled, hashed, checked.
			if _, err := s.PutEvidenceStated(ctx, "evidence/c", bytes.NewReader(damaged), -1, good, maxSize); !errors.Is(err, ErrDigestMismatch) {
				t.Fatalf("chunked, other bytes: %v, want ErrDigestMismatch", err)
			}
			if keys, err := s.List(ctx, "evidence/c/"); err != nil || len(keys) != 0 {
				t.Fatalf("a refused chunked upload left %v (%v)", keys, err)
			}
			if st, err := s.PutEvidenceStated(ctx, "evidence/c", bytes.NewReader(body), -1, good, maxSize); err != nil || st.Key != "evidence/c/"+good || st.Size != int64(len(body)) {
				t.Fatalf("chunked: %+v %v", st, err)
			}

			// Refused before S3.
			html := []byte("<!DOCTYPE html><script>alert(1)</script>")
			if _, err := s.PutEvidenceStated(ctx, "evidence/r", bytes.NewReader(html), int64(len(html)), hexSum(html), maxSize); !errors.Is(err, ErrBadType) {
				t.Fatalf("html: %v", err)
			}
			if _, err := s.PutEvidenceStated(ctx, "evidence/r", bytes.NewReader(nil), 0, hexSum(nil), maxSize); !errors.Is(err, ErrEmpty) {
				t.Fatalf("empty: %v", err)
			}
			if _, err := s.PutEvidenceStated(ctx, "evidence/r", bytes.NewReader(body), int64(len(body)), good, 1<<20); !errors.Is(err, ErrTooLarge) {
				t.Fatalf("oversized: %v", err)
			}
			for _, bad := range []string{"", "xyz", strings.ToUpper(good), good[:63], good + "0"} {
				if _, err := s.PutEvidenceStated(ctx, "evidence/r", bytes.NewReader(body), int64(len(body)), bad, maxSize); err == nil || errors.Is(err, ErrDigestMismatch) {
					t.Fatalf("hash %q: %v, want a refusal before S3", bad, err)
				}
			}
			// A client that dies after half its bytes.
			pr, pw := io.Pipe()
			go func() {
				_, _ = pw.Write(body[:len(body)/2])
				pw.CloseWithError(io.ErrUnexpectedEOF)
			}()
			if _, err := s.PutEvidenceStated(ctx, "evidence/r", pr, int64(len(body)), good, maxSize); err == nil {
				t.Fatal("a half upload was stored")
			}
			if keys, err := s.List(ctx, "evidence/r/"); err != nil || len(keys) != 0 {
				t.Fatalf("refused uploads left %v (%v)", keys, err)
			}
		})
	}
}

// The body is checked on its way through as well: against a statement it does not meet,
// the reader withholds the last bytes and fails, so even an S3 server that checked
// nothing would receive less than the Content-Length and store nothing. The right body
// is delivered whole; one shorter than its stated size fails.
func TestVerifyingReader(t *testing.T) {
	body := make([]byte, 100_000)
	_, _ = rand.Read(body)
	sum := sha256.Sum256(body)
	good := hex.EncodeToString(sum[:])
	read := func(r io.Reader, size int64, want string) (int, error) {
		v := &verifyingReader{r: r, h: sha256.New(), left: size, want: want}
		var got bytes.Buffer
		_, err := io.CopyBuffer(&got, v, make([]byte, 4096))
		return got.Len(), err
	}
	if n, err := read(bytes.NewReader(body), int64(len(body)), good); err != nil || n != len(body) {
		t.Fatalf("the right body: %d bytes, %v", n, err)
	}
	// Longer than stated: only the stated bytes are read.
	if n, err := read(bytes.NewReader(append(bytes.Clone(body), 'x')), int64(len(body)), good); err != nil || n != len(body) {
		t.Fatalf("a longer body: %d bytes, %v", n, err)
	}
	damaged := bytes.Clone(body)
	damaged[10] ^= 1
	if n, err := read(bytes.NewReader(damaged), int64(len(damaged)), good); !errors.Is(err, ErrDigestMismatch) || n >= len(body) {
		t.Fatalf("a damaged body: %d of %d bytes delivered, %v", n, len(body), err)
	}
	if n, err := read(bytes.NewReader(body[:500]), int64(len(body)), good); !errors.Is(err, io.ErrUnexpectedEOF) || n != 500 {
		t.Fatalf("a short body: %d bytes, %v", n, err)
	}
}
