// Package blobstore keeps evidence files and signed documents in an S3 bucket through
// minio-go, so any S3 server works: MinIO in production and CI, the embedded gateway in
// `awardflow dev`.
//
// Files are streamed: nothing here holds a whole upload in memory (minio-go buffers one
// part of PartSize at a time).
package blobstore

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
)

// Config locates the bucket.
type Config struct {
	Endpoint  string // host:port
	AccessKey string
	SecretKey string
	Bucket    string
	Region    string
	TLS       bool
}

// PartSize is the multipart chunk for streams of unknown size. minio-go's default for an
// unknown size buffers hundreds of MB; 8 MiB keeps memory small while above S3's 5 MiB minimum.
const PartSize = 8 << 20

// Store is a bucket.
type Store struct {
	c      *minio.Client
	bucket string
}

// New connects and creates the bucket if it does not exist.
func New(ctx context.Context, cfg Config) (*Store, error) {
	if cfg.Endpoint == "" || cfg.Bucket == "" {
		return nil, errors.New("blobstore: endpoint and bucket are required")
	}
	c, err := minio.New(cfg.Endpoint, &minio.Options{
		Creds:  credentials.NewStaticV4(cfg.AccessKey, cfg.SecretKey, ""),
		Secure: cfg.TLS,
		Region: cfg.Region,
	})
	if err != nil {
		return nil, fmt.Errorf("blobstore: client for %s: %w", cfg.Endpoint, err)
	}
	s := &Store{c: c, bucket: cfg.Bucket}
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
	_, err := s.c.PutObject(ctx, s.bucket, key, bytes.NewReader(b), int64(len(b)), minio.PutObjectOptions{
		ContentType:  contentType,
		UserMetadata: map[string]string{"Sha256": hex.EncodeToString(sum[:])},
	})
	if err != nil {
		return "", fmt.Errorf("blobstore: put %s: %w", key, err)
	}
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
	o, err := s.c.GetObject(ctx, s.bucket, key, minio.GetObjectOptions{})
	if err != nil {
		return nil, fmt.Errorf("blobstore: get %s: %w", key, err)
	}
	st, err := o.Stat()
	if err != nil {
		o.Close()
		if minio.ToErrorResponse(err).Code == "NoSuchKey" {
			return nil, fmt.Errorf("blobstore: %s: %w", key, ErrNotFound)
		}
		return nil, fmt.Errorf("blobstore: stat %s: %w", key, err)
	}
	return &Object{ReadCloser: o, Size: st.Size, ContentType: st.ContentType}, nil
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
	if err := s.c.RemoveObject(ctx, s.bucket, key, minio.RemoveObjectOptions{}); err != nil {
		return fmt.Errorf("blobstore: remove %s: %w", key, err)
	}
	return nil
}

// Exists reports whether an object is there.
func (s *Store) Exists(ctx context.Context, key string) (bool, error) {
	_, err := s.c.StatObject(ctx, s.bucket, key, minio.StatObjectOptions{})
	if err == nil {
		return true, nil
	}
	if minio.ToErrorResponse(err).Code == "NoSuchKey" {
		return false, nil
	}
	return false, fmt.Errorf("blobstore: stat %s: %w", key, err)
}

// Upload errors a person can fix.
var (
	ErrTooLarge = errors.New("file too large")
	ErrBadType  = errors.New("file type not allowed")
	ErrEmpty    = errors.New("empty file")
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

// PutEvidence streams r into the bucket under prefix/<sha256>, computing the SHA-256 on
// the way. The type is sniffed from the first bytes and the size is capped at maxSize:
// a refused file leaves nothing behind. The key depends only on the content, so a
// retried upload lands on the same object.
func (s *Store) PutEvidence(ctx context.Context, prefix string, r io.Reader, maxSize int64) (Stored, error) {
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
	h := sha256.New()
	counted := &limitCounter{r: io.MultiReader(bytes.NewReader(head), r), max: maxSize}
	body := io.TeeReader(counted, h)

	tmp := prefix + "/.upload-" + randomID()
	_, err = s.c.PutObject(ctx, s.bucket, tmp, body, -1, minio.PutObjectOptions{ContentType: ctype, PartSize: PartSize})
	if err != nil {
		_ = s.c.RemoveObject(context.WithoutCancel(ctx), s.bucket, tmp, minio.RemoveObjectOptions{})
		if counted.over {
			return Stored{}, ErrTooLarge
		}
		return Stored{}, fmt.Errorf("blobstore: upload: %w", err)
	}
	defer func() { _ = s.c.RemoveObject(context.WithoutCancel(ctx), s.bucket, tmp, minio.RemoveObjectOptions{}) }()
	if counted.over {
		return Stored{}, ErrTooLarge
	}
	sum := hex.EncodeToString(h.Sum(nil))
	key := prefix + "/" + sum
	_, err = s.c.CopyObject(ctx,
		minio.CopyDestOptions{Bucket: s.bucket, Object: key, ReplaceMetadata: true, ContentType: ctype,
			UserMetadata: map[string]string{"Sha256": sum}},
		minio.CopySrcOptions{Bucket: s.bucket, Object: tmp})
	if err != nil {
		return Stored{}, fmt.Errorf("blobstore: move upload to %s: %w", key, err)
	}
	return Stored{Key: key, SHA256: sum, Size: counted.n, ContentType: ctype}, nil
}

// limitCounter counts bytes and fails the stream once it passes max, which makes
// minio-go abort the upload.
type limitCounter struct {
	r    io.Reader
	n    int64
	max  int64
	over bool
}

func (l *limitCounter) Read(p []byte) (int, error) {
	n, err := l.r.Read(p)
	l.n += int64(n)
	if l.n > l.max {
		l.over = true
		return 0, ErrTooLarge
	}
	return n, err
}

func randomID() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
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
	for o := range s.c.ListObjects(ctx, s.bucket, minio.ListObjectsOptions{Prefix: prefix, Recursive: true}) {
		if o.Err != nil {
			return nil, fmt.Errorf("blobstore: list %s: %w", prefix, o.Err)
		}
		keys = append(keys, o.Key)
	}
	return keys, nil
}

// Copy copies an object inside the bucket, server-side (a file shared by a department's
// list is stored once per proposal, each proposal owning its copy: removing one never
// touches another's). The copy keeps the content type and the SHA-256 metadata.
func (s *Store) Copy(ctx context.Context, from, to string) error {
	_, err := s.c.CopyObject(ctx, minio.CopyDestOptions{Bucket: s.bucket, Object: to},
		minio.CopySrcOptions{Bucket: s.bucket, Object: from})
	if err != nil {
		if minio.ToErrorResponse(err).Code == "NoSuchKey" {
			return fmt.Errorf("blobstore: copy %s: %w", from, ErrNotFound)
		}
		return fmt.Errorf("blobstore: copy %s to %s: %w", from, to, err)
	}
	return nil
}
