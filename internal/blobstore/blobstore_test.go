package blobstore_test

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

	"github.com/awardflow/awardflow/internal/blobstore"
	"github.com/awardflow/awardflow/internal/testenv"
)

// The S3 code against a real MinIO server (built by scripts/test-all.sh).
func newStore(t *testing.T) *blobstore.Store {
	t.Helper()
	m := testenv.MinIO(t)
	s, err := blobstore.New(context.Background(), blobstore.Config{
		Endpoint: m.Endpoint, AccessKey: m.AccessKey, SecretKey: m.SecretKey, Bucket: "awardflow-test", Region: "us-east-1",
	})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func pdfLike(n int) []byte {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	copy(b, "%PDF-1.7\n")
	return b
}

func TestEvidenceOnMinIO(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	if err := s.Ready(ctx); err != nil {
		t.Fatal(err)
	}

	// 20 MiB: several multipart parts of PartSize, streamed from a reader of unknown size.
	data := pdfLike(20 << 20)
	want := sha256.Sum256(data)
	st, err := s.PutEvidence(ctx, "evidence/p-1", io.NopCloser(bytes.NewReader(data)), 25<<20)
	if err != nil {
		t.Fatal(err)
	}
	if st.SHA256 != hex.EncodeToString(want[:]) || st.Size != int64(len(data)) || st.ContentType != "application/pdf" {
		t.Fatalf("stored %+v", st)
	}
	if st.Key != "evidence/p-1/"+st.SHA256 {
		t.Fatalf("key %s", st.Key)
	}
	got, err := s.ReadAll(ctx, st.Key)
	if err != nil || !bytes.Equal(got, data) {
		t.Fatalf("read back %d bytes, err %v", len(got), err)
	}
	// the same content again lands on the same key, and the temporary upload is gone
	st2, err := s.PutEvidence(ctx, "evidence/p-1", bytes.NewReader(data), 25<<20)
	if err != nil || st2.Key != st.Key {
		t.Fatalf("second upload %+v %v", st2, err)
	}
	keys, _ := s.List(ctx, "evidence/p-1/")
	if len(keys) != 1 {
		t.Fatalf("objects after two uploads: %v", keys)
	}

	// too large: refused, nothing kept
	_, err = s.PutEvidence(ctx, "evidence/p-2", bytes.NewReader(pdfLike(3<<20)), 1<<20)
	if !errors.Is(err, blobstore.ErrTooLarge) {
		t.Fatalf("oversized upload: %v", err)
	}
	// too large across several parts
	_, err = s.PutEvidence(ctx, "evidence/p-2", bytes.NewReader(pdfLike(20<<20)), 12<<20)
	if !errors.Is(err, blobstore.ErrTooLarge) {
		t.Fatalf("oversized multipart upload: %v", err)
	}
	// a type that is not allowed, whatever the client claims
	_, err = s.PutEvidence(ctx, "evidence/p-2", strings.NewReader("<html><script>alert(1)</script></html>"), 1<<20)
	if !errors.Is(err, blobstore.ErrBadType) {
		t.Fatalf("html upload: %v", err)
	}
	_, err = s.PutEvidence(ctx, "evidence/p-2", strings.NewReader(""), 1<<20)
	if !errors.Is(err, blobstore.ErrEmpty) {
		t.Fatalf("empty upload: %v", err)
	}
	if keys, _ := s.List(ctx, "evidence/p-2/"); len(keys) != 0 {
		t.Fatalf("refused uploads left objects: %v", keys)
	}

	if _, err := s.Get(ctx, "evidence/none"); !errors.Is(err, blobstore.ErrNotFound) {
		t.Fatalf("missing object: %v", err)
	}
	sum, err := s.PutBytes(ctx, "decisions/x.pdf", []byte("%PDF-1.4 small"), "application/pdf")
	if err != nil || len(sum) != 64 {
		t.Fatalf("put bytes: %s %v", sum, err)
	}
	if ok, _ := s.Exists(ctx, "decisions/x.pdf"); !ok {
		t.Fatal("object missing after PutBytes")
	}
}

func TestSafeName(t *testing.T) {
	cases := map[string]string{
		"Bằng khen.pdf":          "Bằng khen.pdf",
		"../../etc/passwd":       ".._.._etc_passwd",
		"a\"b\r\nc":              "a_b__c",
		"   ":                    "minh-chung",
		strings.Repeat("x", 300): strings.Repeat("x", 120),
	}
	for in, want := range cases {
		if got := blobstore.SafeName(in); got != want {
			t.Errorf("SafeName(%q) = %q, want %q", in, got, want)
		}
	}
}
