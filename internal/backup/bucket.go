package backup

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"

	"github.com/awardflow/awardflow/internal/blobstore"
)

// BucketManifestName is the file listing an exported bucket's objects.
const BucketManifestName = "objects.json"

// BucketFormat identifies the layout of an exported bucket.
const BucketFormat = "awardflow-s3-export/1"

// BucketManifest lists the objects of an exported bucket with what S3 keeps beside
// their bytes (the content type; awardflow's "Sha256" metadata).
type BucketManifest struct {
	Format  string   `json:"format"`
	Bucket  string   `json:"bucket"`
	Objects []Object `json:"objects"`
}

// Object is one exported object; its bytes are in objects/<index>.
type Object struct {
	Key         string            `json:"key"`
	Size        int64             `json:"size"`
	SHA256      string            `json:"sha256"`
	ContentType string            `json:"content_type"`
	Metadata    map[string]string `json:"metadata,omitempty"`
	File        string            `json:"file"`
}

func client(cfg blobstore.Config) (*minio.Client, error) {
	c, err := minio.New(cfg.Endpoint, &minio.Options{
		Creds: credentials.NewStaticV4(cfg.AccessKey, cfg.SecretKey, ""), Secure: cfg.TLS, Region: cfg.Region})
	if err != nil {
		return nil, fmt.Errorf("s3 client for %s: %w", cfg.Endpoint, err)
	}
	return c, nil
}

// ExportBucket copies every object of the configured bucket into dir (new or empty),
// with a manifest. Object keys never become file names (they are S3's, not the
// file system's): files are numbered and the manifest maps them.
func ExportBucket(ctx context.Context, cfg blobstore.Config, dir string) (BucketManifest, error) {
	m := BucketManifest{Format: BucketFormat, Bucket: cfg.Bucket}
	if entries, err := os.ReadDir(dir); err == nil && len(entries) > 0 {
		return m, fmt.Errorf("s3 export: %s is not empty", dir)
	}
	c, err := client(cfg)
	if err != nil {
		return m, err
	}
	if err := os.MkdirAll(filepath.Join(dir, "objects"), 0o700); err != nil {
		return m, fmt.Errorf("s3 export: %w", err)
	}
	for info := range c.ListObjects(ctx, cfg.Bucket, minio.ListObjectsOptions{Recursive: true}) {
		if info.Err != nil {
			return m, fmt.Errorf("s3 export: list %s: %w", cfg.Bucket, info.Err)
		}
		o, err := exportObject(ctx, c, cfg.Bucket, info.Key, filepath.Join(dir, "objects"), len(m.Objects))
		if err != nil {
			return m, fmt.Errorf("s3 export: %s: %w", info.Key, err)
		}
		m.Objects = append(m.Objects, o)
	}
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return m, err
	}
	// The manifest last: an export without one is visibly unfinished.
	if err := os.WriteFile(filepath.Join(dir, BucketManifestName), b, 0o600); err != nil {
		return m, fmt.Errorf("s3 export: %w", err)
	}
	return m, nil
}

func exportObject(ctx context.Context, c *minio.Client, bucket, key, dir string, n int) (Object, error) {
	r, err := c.GetObject(ctx, bucket, key, minio.GetObjectOptions{})
	if err != nil {
		return Object{}, err
	}
	defer r.Close()
	st, err := r.Stat()
	if err != nil {
		return Object{}, err
	}
	o := Object{Key: key, ContentType: st.ContentType, Metadata: st.UserMetadata, File: fmt.Sprintf("objects/%08d", n)}
	f, err := os.OpenFile(filepath.Join(dir, fmt.Sprintf("%08d", n)), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return Object{}, err
	}
	h := sha256.New()
	o.Size, err = io.Copy(io.MultiWriter(f, h), r)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return Object{}, err
	}
	o.SHA256 = hex.EncodeToString(h.Sum(nil))
	if want := st.UserMetadata["Sha256"]; want != "" && want != o.SHA256 {
		return Object{}, fmt.Errorf("its bytes do not match its recorded SHA-256 (%s): the stored object is damaged", want)
	}
	return o, nil
}

// ImportBucket puts an exported bucket's objects back into the configured bucket, each
// checked against the manifest first. Objects already there with the same bytes are
// left alone, so an interrupted import can be run again; one with other bytes under the
// same key is an error (a restore does not silently overwrite).
func ImportBucket(ctx context.Context, cfg blobstore.Config, dir string) (BucketManifest, error) {
	var m BucketManifest
	b, err := os.ReadFile(filepath.Join(dir, BucketManifestName))
	if err != nil {
		return m, fmt.Errorf("s3 import: %w (an export without its manifest is unfinished)", err)
	}
	if err := json.Unmarshal(b, &m); err != nil {
		return m, fmt.Errorf("s3 import: manifest: %w", err)
	}
	if m.Format != BucketFormat {
		return m, fmt.Errorf("s3 import: an export of format %q, this awardflow reads %q", m.Format, BucketFormat)
	}
	c, err := client(cfg)
	if err != nil {
		return m, err
	}
	// Every file is checked before the first object is written.
	for _, o := range m.Objects {
		if err := safePath(o.File); err != nil || path.Dir(o.File) != "objects" {
			return m, fmt.Errorf("s3 import: %s: the manifest names a file outside the export: %q", o.Key, o.File)
		}
		got, err := hashFile(filepath.Join(dir, filepath.FromSlash(o.File)))
		if err != nil {
			return m, fmt.Errorf("s3 import: %s: %w", o.Key, err)
		}
		if got.Size != o.Size || got.SHA256 != o.SHA256 {
			return m, fmt.Errorf("s3 import: %s: the file does not match the manifest (damaged or altered export)", o.Key)
		}
	}
	for _, o := range m.Objects {
		if st, err := c.StatObject(ctx, cfg.Bucket, o.Key, minio.StatObjectOptions{}); err == nil {
			if st.Size == o.Size && st.UserMetadata["Sha256"] == o.SHA256 {
				continue
			}
			return m, fmt.Errorf("s3 import: %s is already in %s with other content; import into an empty bucket", o.Key, cfg.Bucket)
		} else if resp := minio.ToErrorResponse(err); resp.Code != "NoSuchKey" {
			return m, fmt.Errorf("s3 import: %s: %w", o.Key, err)
		}
		f, err := os.Open(filepath.Join(dir, filepath.FromSlash(o.File)))
		if err != nil {
			return m, fmt.Errorf("s3 import: %s: %w", o.Key, err)
		}
		_, err = c.PutObject(ctx, cfg.Bucket, o.Key, f, o.Size, minio.PutObjectOptions{ContentType: o.ContentType, UserMetadata: o.Metadata})
		f.Close()
		if err != nil {
			return m, fmt.Errorf("s3 import: %s: %w", o.Key, err)
		}
	}
	return m, nil
}
