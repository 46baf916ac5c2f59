// Package blobstore keeps evidence files and signed documents in an S3 bucket through
// minio-go, so any S3 server works: MinIO in production and CI, the embedded gateway in
// `awardflow dev`.
//
// Nothing here holds a whole upload in memory, and each byte is written to S3 once, in one
// PUT of known size to the key named by the content's SHA-256. When the client states
// that hash and the size (PutEvidenceStated), the body streams straight through and the
// S3 server checks it; otherwise it is spooled to an unlinked local file while it is
// hashed and sniffed (PutEvidence).
package blobstore

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"

	"github.com/awardflow/awardflow/internal/obs"
)

// Config locates the bucket.
type Config struct {
	Endpoint  string // host:port
	AccessKey string
	SecretKey string
	Bucket    string
	Region    string
	TLS       bool
	// SpoolDir holds evidence uploads while they are hashed (default os.TempDir()); the
	// files are unlinked as soon as they are created, so a crash leaves nothing there.
	SpoolDir string
	// Transport, if set, carries the S3 requests (tests count them; metrics may time
	// them); nil: minio-go's default.
	Transport http.RoundTripper
}

// Store is a bucket.
type Store struct {
	c      *minio.Client
	bucket string
	spool  string
}

// New connects and creates the bucket if it does not exist.
func New(ctx context.Context, cfg Config) (*Store, error) {
	if cfg.Endpoint == "" || cfg.Bucket == "" {
		return nil, errors.New("blobstore: endpoint and bucket are required")
	}
	c, err := minio.New(cfg.Endpoint, &minio.Options{
		Creds:     credentials.NewStaticV4(cfg.AccessKey, cfg.SecretKey, ""),
		Secure:    cfg.TLS,
		Region:    cfg.Region,
		Transport: cfg.Transport,
	})
	if err != nil {
		return nil, fmt.Errorf("blobstore: client for %s: %w", cfg.Endpoint, err)
	}
	s := &Store{c: c, bucket: cfg.Bucket, spool: cfg.SpoolDir}
	ok, err := c.BucketExists(ctx, cfg.Bucket)
	if err != nil {
		return nil, fmt.Errorf("blobstore: check bucket %q at %s: %w", cfg.Bucket, cfg.Endpoint, err)
	}
	if !ok {
		if err := c.MakeBucket(ctx, cfg.Bucket, minio.MakeBucketOptions{Region: cfg.Region}); err != nil {
			// Another process may have created it in between.
			if ok2, err2 := c.BucketExists(ctx, cfg.Bucket); err2 != nil || !ok2 {
				return nil, fmt.Errorf("blobstore: create bucket %q: %w", cfg.Bucket, err)
			}
		}
	}
	return s, nil
}

// Ready reports whether the bucket answers.
func (s *Store) Ready(ctx context.Context) error {
	ok, err := s.c.BucketExists(ctx, s.bucket)
	if err != nil {
		return fmt.Errorf("blobstore: bucket %q: %w", s.bucket, err)
	}
	if !ok {
		return fmt.Errorf("blobstore: bucket %q is missing", s.bucket)
	}
	return nil
}

// PutBytes stores a small object (a signed document) and returns its SHA-256.
func (s *Store) PutBytes(ctx context.Context, key string, b []byte, contentType string) (string, error) {
	sum := sha256.Sum256(b)
	start := time.Now()
	_, err := s.c.PutObject(ctx, s.bucket, key, bytes.NewReader(b), int64(len(b)), minio.PutObjectOptions{
		ContentType:  contentType,
		UserMetadata: map[string]string{"Sha256": hex.EncodeToString(sum[:])},
	})
	obs.ObserveS3("put", start, err)
	if err != nil {
		return "", fmt.Errorf("blobstore: put %s: %w", key, err)
	}
	obs.AddS3Bytes("put", int64(len(b)))
	return hex.EncodeToString(sum[:]), nil
}

// Object is an open object to stream to a client.
type Object struct {
	io.ReadCloser
	Size        int64
	ContentType string
}

// ErrNotFound is returned for a missing object.
var ErrNotFound = errors.New("object not found")

// Get opens an object for reading.
func (s *Store) Get(ctx context.Context, key string) (*Object, error) {
	start := time.Now()
	o, err := s.c.GetObject(ctx, s.bucket, key, minio.GetObjectOptions{})
	if err != nil {
		obs.ObserveS3("get", start, err)
		return nil, fmt.Errorf("blobstore: get %s: %w", key, err)
	}
	st, err := o.Stat()
	if minio.ToErrorResponse(err).Code == "NoSuchKey" {
		obs.ObserveS3("get", start, nil) // an answer, not a failure of S3
	} else {
		obs.ObserveS3("get", start, err)
	}
	if err != nil {
		o.Close()
		if minio.ToErrorResponse(err).Code == "NoSuchKey" {
			return nil, fmt.Errorf("blobstore: %s: %w", key, ErrNotFound)
		}
		return nil, fmt.Errorf("blobstore: stat %s: %w", key, err)
	}
	return &Object{ReadCloser: countingReader{o}, Size: st.Size, ContentType: st.ContentType}, nil
}

// ReadAll reads a small object (a document to verify or re-sign).
func (s *Store) ReadAll(ctx context.Context, key string) ([]byte, error) {
	o, err := s.Get(ctx, key)
	if err != nil {
		return nil, err
	}
	defer o.Close()
	b, err := io.ReadAll(o)
	if err != nil {
		return nil, fmt.Errorf("blobstore: read %s: %w", key, err)
	}
	return b, nil
}

// Remove deletes an object; a missing object is not an error.
func (s *Store) Remove(ctx context.Context, key string) error {
	start := time.Now()
	err := s.c.RemoveObject(ctx, s.bucket, key, minio.RemoveObjectOptions{})
	obs.ObserveS3("remove", start, err)
	if err != nil {
		return fmt.Errorf("blobstore: remove %s: %w", key, err)
	}
	return nil
}

// Exists reports whether an object is there.
func (s *Store) Exists(ctx context.Context, key string) (bool, error) {
	start := time.Now()
	_, err := s.c.StatObject(ctx, s.bucket, key, minio.StatObjectOptions{})
	if err == nil {
		obs.ObserveS3("stat", start, nil)
		return true, nil
	}
	if minio.ToErrorResponse(err).Code == "NoSuchKey" {
		obs.ObserveS3("stat", start, nil)
		return false, nil
	}
	obs.ObserveS3("stat", start, err)
	return false, fmt.Errorf("blobstore: stat %s: %w", key, err)
}

// Upload errors a person can fix.
var (
	ErrTooLarge = errors.New("file too large")
	ErrBadType  = errors.New("file type not allowed")
	ErrEmpty    = errors.New("empty file")
	// ErrDigestMismatch: the bytes that arrived are not the ones whose SHA-256 the client
	// stated (damaged on the way, or a false statement); the S3 server refused them.
	ErrDigestMismatch = errors.New("content does not match its stated SHA-256")
)

// AllowedTypes are the content types evidence may have, as sniffed from the bytes
// (never as claimed by the client). Office documents sniff as application/zip.
var AllowedTypes = map[string]string{
	"application/pdf":           ".pdf",
	"image/png":                 ".png",
	"image/jpeg":                ".jpg",
	"application/zip":           ".zip",
	"text/plain; charset=utf-8": ".txt",
}

// Stored describes an uploaded file.
type Stored struct {
	Key         string
	SHA256      string
	Size        int64
	ContentType string
}

// PutEvidence stores r under prefix/<sha256>. The type is sniffed from the first bytes
// and the size capped at maxSize. The bytes are spooled to a local file while they are
// hashed, then written once, with their size known, to the key that depends only on
// the content (a retried upload lands on the same object): a refused file never reaches
// S3, and no temporary object is left to copy or delete.
func (s *Store) PutEvidence(ctx context.Context, prefix string, r io.Reader, maxSize int64) (Stored, error) {
	return s.putSpooled(ctx, prefix, r, maxSize, "")
}

// putSpooled is PutEvidence; want, if set, is the SHA-256 the client stated for a body of
// unknown length: a file that hashes otherwise is refused before it reaches S3.
func (s *Store) putSpooled(ctx context.Context, prefix string, r io.Reader, maxSize int64, want string) (Stored, error) {
	head := make([]byte, 512)
	n, err := io.ReadFull(r, head)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return Stored{}, fmt.Errorf("blobstore: read upload: %w", err)
	}
	head = head[:n]
	if n == 0 {
		return Stored{}, ErrEmpty
	}
	ctype := http.DetectContentType(head)
	if _, ok := AllowedTypes[ctype]; !ok {
		return Stored{}, fmt.Errorf("%w: %s", ErrBadType, ctype)
	}
	f, err := s.spoolFile()
	if err != nil {
		return Stored{}, err
	}
	defer f.Close()
	h := sha256.New()
	size, err := io.Copy(io.MultiWriter(f, h), io.LimitReader(io.MultiReader(bytes.NewReader(head), r), maxSize+1))
	if err != nil {
		return Stored{}, fmt.Errorf("blobstore: read upload: %w", err)
	}
	if size > maxSize {
		return Stored{}, ErrTooLarge
	}
	sum := hex.EncodeToString(h.Sum(nil))
	if want != "" && sum != want {
		return Stored{}, fmt.Errorf("blobstore: upload hashes to %s: %w", sum, ErrDigestMismatch)
	}
	key := prefix + "/" + sum
	if err := s.putHashed(ctx, key, io.NewSectionReader(f, 0, size), size, sum, ctype); err != nil {
		return Stored{}, err
	}
	obs.AddS3Bytes("put", size)
	return Stored{Key: key, SHA256: sum, Size: size, ContentType: ctype}, nil
}

// PutEvidenceStated stores an upload whose size and SHA-256 the client stated (HTTP's
// Content-Length and Content-Digest), streaming it straight to prefix/<sha256> in one
// PUT signed with that hash: no spool file. The S3 server hashes the body as it arrives
// and refuses a mismatch before the object exists, so a false or damaged statement
// stores nothing and cannot replace an object already under that key
// (TestPutEvidenceStated checks this on MinIO and on the dev gateway); the body is also
// hashed here on its way through (verifyingReader), so that holds on an S3 server that
// does not check. The type is
// sniffed from the first 512 bytes and the size checked before a byte is sent. A body of
// unknown size (size < 0: chunked) is spooled and hashed as PutEvidence does, and checked
// against the statement before its PUT.
func (s *Store) PutEvidenceStated(ctx context.Context, prefix string, r io.Reader, size int64, sha256Hex string, maxSize int64) (Stored, error) {
	if len(sha256Hex) != 64 || strings.Trim(sha256Hex, "0123456789abcdef") != "" {
		return Stored{}, fmt.Errorf("blobstore: stated SHA-256 %q is not 64 lowercase hex digits", sha256Hex)
	}
	switch {
	case size < 0:
		return s.putSpooled(ctx, prefix, r, maxSize, sha256Hex)
	case size == 0:
		return Stored{}, ErrEmpty
	case size > maxSize:
		return Stored{}, ErrTooLarge
	}
	head := make([]byte, min(512, size))
	if _, err := io.ReadFull(r, head); err != nil {
		return Stored{}, fmt.Errorf("blobstore: read upload: %w", err)
	}
	ctype := http.DetectContentType(head)
	if _, ok := AllowedTypes[ctype]; !ok {
		return Stored{}, fmt.Errorf("%w: %s", ErrBadType, ctype)
	}
	key := prefix + "/" + sha256Hex
	body := &verifyingReader{r: io.MultiReader(bytes.NewReader(head), r), h: sha256.New(), left: size, want: sha256Hex}
	if err := s.putHashed(ctx, key, body, size, sha256Hex, ctype); err != nil {
		if digestRefused(err) || errors.Is(err, ErrDigestMismatch) {
			return Stored{}, fmt.Errorf("blobstore: %s: %w", key, ErrDigestMismatch)
		}
		return Stored{}, err
	}
	obs.AddS3Bytes("put", size)
	return Stored{Key: key, SHA256: sha256Hex, Size: size, ContentType: ctype}, nil
}

// verifyingReader hashes the body on its way to S3 and withholds its last bytes unless
// they complete the stated SHA-256: the S3 servers awardflow runs on check the hash
// themselves, but another S3-compatible server might not, and then a false statement
// would store other bytes under a file's name. Withheld, the PUT ends short of its
// Content-Length and no server stores it.
type verifyingReader struct {
	r    io.Reader
	h    hash.Hash
	left int64
	want string
}

func (v *verifyingReader) Read(p []byte) (int, error) {
	if int64(len(p)) > v.left {
		p = p[:v.left]
	}
	if len(p) == 0 {
		return 0, io.EOF
	}
	n, err := v.r.Read(p)
	v.h.Write(p[:n])
	v.left -= int64(n)
	if v.left == 0 {
		if hex.EncodeToString(v.h.Sum(nil)) != v.want {
			return 0, ErrDigestMismatch
		}
		return n, io.EOF
	}
	if errors.Is(err, io.EOF) {
		return n, io.ErrUnexpectedEOF // shorter than its stated size
	}
	return n, err
}

// digestRefused recognises an S3 server's refusal of a body that does not match the
// SHA-256 it was signed with.
func digestRefused(err error) bool {
	var resp minio.ErrorResponse
	return errors.As(err, &resp) && resp.Code == "XAmzContentSHA256Mismatch"
}

// putHashed writes size bytes of r to key in one PUT (evidence is capped far below S3's
// 5 GiB single-PUT limit: no parts to assemble, no copy), signed with the SHA-256 the
// bytes were hashed to as they arrived. The S3 server checks the body against it and
// refuses a mismatch, so what is stored is proven to be what was hashed; and the client
// does not hash the body a second time (minio-go's default over plain HTTP signs every
// chunk with its own SHA-256: a whole extra pass over the file).
func (s *Store) putHashed(ctx context.Context, key string, r io.Reader, size int64, sha256Hex, ctype string) error {
	start := time.Now()
	_, err := minio.Core{Client: s.c}.PutObject(ctx, s.bucket, key, r, size, "", sha256Hex,
		minio.PutObjectOptions{ContentType: ctype, UserMetadata: map[string]string{"Sha256": sha256Hex}, DisableContentSha256: true})
	obs.ObserveS3("put", start, err)
	if err != nil {
		return fmt.Errorf("blobstore: upload to %s: %w", key, err)
	}
	return nil
}

// spoolFile creates a file in the spool directory and unlinks it at once: it lives
// while it is open, and a process that dies mid-upload leaves nothing behind.
func (s *Store) spoolFile() (*os.File, error) {
	f, err := os.CreateTemp(s.spool, "awardflow-upload-*")
	if err != nil {
		return nil, fmt.Errorf("blobstore: spool file: %w", err)
	}
	if err := os.Remove(f.Name()); err != nil {
		f.Close()
		_ = os.Remove(f.Name())
		return nil, fmt.Errorf("blobstore: unlink the spool file: %w", err)
	}
	return f, nil
}

// SafeName keeps a client's file name printable and short for display and downloads.
func SafeName(name string) string {
	name = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || strings.ContainsRune(`/\"`, r) {
			return '_'
		}
		return r
	}, strings.TrimSpace(name))
	if runes := []rune(name); len(runes) > 120 {
		name = string(runes[:120])
	}
	if name == "" {
		name = "minh-chung"
	}
	return name
}

// List returns the keys under a prefix (recursively).
func (s *Store) List(ctx context.Context, prefix string) ([]string, error) {
	var keys []string
	start := time.Now()
	for o := range s.c.ListObjects(ctx, s.bucket, minio.ListObjectsOptions{Prefix: prefix, Recursive: true}) {
		if o.Err != nil {
			obs.ObserveS3("list", start, o.Err)
			return nil, fmt.Errorf("blobstore: list %s: %w", prefix, o.Err)
		}
		keys = append(keys, o.Key)
	}
	obs.ObserveS3("list", start, nil)
	return keys, nil
}

// Copy copies an object inside the bucket, server-side (a file shared by a department's
// list is stored once per proposal, each proposal owning its copy: removing one never
// touches another's). The copy keeps the content type and the SHA-256 metadata.
func (s *Store) Copy(ctx context.Context, from, to string) error {
	start := time.Now()
	_, err := s.c.CopyObject(ctx, minio.CopyDestOptions{Bucket: s.bucket, Object: to},
		minio.CopySrcOptions{Bucket: s.bucket, Object: from})
	obs.ObserveS3("copy", start, err)
	if err != nil {
		if minio.ToErrorResponse(err).Code == "NoSuchKey" {
			return fmt.Errorf("blobstore: copy %s: %w", from, ErrNotFound)
		}
		return fmt.Errorf("blobstore: copy %s to %s: %w", from, to, err)
	}
	return nil
}

// countingReader counts the bytes read from S3 (awardflow_s3_bytes_total{operation="get"}).
type countingReader struct{ io.ReadCloser }

func (c countingReader) Read(p []byte) (int, error) {
	n, err := c.ReadCloser.Read(p)
	obs.AddS3Bytes("get", int64(n))
	return n, err
}
