package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/awardflow/awardflow/internal/backup"
	"github.com/awardflow/awardflow/internal/blobstore"
	"github.com/awardflow/awardflow/internal/settings"
)

const backupHelp = `awardflow backup: back up a dev data directory into one file
(sao lưu toàn bộ dữ liệu của "awardflow dev": Temporal, cơ sở dữ liệu hồ sơ, tệp S3, khoá).

The embedded Temporal's and the records store's SQLite databases are copied as consistent
snapshots (also while dev runs), then the S3 files, keys and archived histories. The
file is a tar.gz with a manifest of every file's SHA-256; "awardflow restore" checks it.

  awardflow backup --data ./.awardflow awardflow-2026-12-02.tar.gz

Production (PostgreSQL, an external S3) is backed up with the databases' and the S3
server's own tools: see "Sao lưu và khôi phục / Backups" in the README.

`

const restoreHelp = `awardflow restore: restore a backup made by "awardflow backup"
(khôi phục dữ liệu của "awardflow dev" từ tệp sao lưu).

Restores into a new or empty directory only (move the old one aside first); every file is
checked against the backup's manifest before anything lands, so a damaged file leaves
nothing behind. Then start dev on it: awardflow dev --data DIR.

  awardflow restore --data ./.awardflow-restored awardflow-2026-12-02.tar.gz

`

func runBackup(ctx context.Context, args []string, stdout, stderr io.Writer, log *slog.Logger) error {
	fs := flag.NewFlagSet("backup", flag.ContinueOnError)
	fs.SetOutput(stderr)
	data := fs.String("data", "./.awardflow", "the dev data directory to back up")
	fs.Usage = func() { fmt.Fprint(stderr, backupHelp); fs.PrintDefaults() }
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return errors.New("backup: name the file to write (one argument)")
	}
	out := fs.Arg(0)
	// Written beside its final name and renamed when complete: a failed backup never
	// leaves a file that looks like one.
	tmp, err := os.CreateTemp(filepath.Dir(out), "."+filepath.Base(out)+".partial-")
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	defer os.Remove(tmp.Name())
	m, err := backup.Create(ctx, *data, tmp)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), out); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	var size int64
	for _, f := range m.Files {
		size += f.Size
	}
	log.Info("backup written", "file", out, "files", len(m.Files), "bytes", size)
	fmt.Fprintf(stdout, "Đã sao lưu / backed up: %s (%d tệp / files)\n", out, len(m.Files))
	return nil
}

func runRestore(ctx context.Context, args []string, stdout, stderr io.Writer, log *slog.Logger) error {
	fs := flag.NewFlagSet("restore", flag.ContinueOnError)
	fs.SetOutput(stderr)
	data := fs.String("data", "./.awardflow", "the directory to restore into (new or empty)")
	fs.Usage = func() { fmt.Fprint(stderr, restoreHelp); fs.PrintDefaults() }
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return errors.New("restore: name the backup file (one argument)")
	}
	f, err := os.Open(fs.Arg(0))
	if err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	defer f.Close()
	m, err := backup.Restore(ctx, f, *data)
	if err != nil {
		return err
	}
	log.Info("backup restored", "dir", *data, "files", len(m.Files), "taken", m.CreatedAt)
	fmt.Fprintf(stdout, "Đã khôi phục / restored: %s (bản sao lưu lúc / taken at %s)\n", *data, m.CreatedAt.Format("2006-01-02 15:04:05 MST"))
	return nil
}

const s3Help = `awardflow %[1]s DIR: the S3 half of a production backup
(sao lưu / khôi phục tệp minh chứng và văn bản trên S3 khi chạy thật).

s3-export copies every object of the bucket into DIR (new or empty) with a manifest of
each object's key, SHA-256, content type and metadata; s3-import checks every file of
DIR against that manifest, then puts the objects back into the bucket (objects already
there with the same bytes are skipped, so it can run again; other bytes under the same
key are an error). scripts/backup-production.sh and scripts/restore-production.sh run
them after and before pg_dump / pg_restore: see "Sao lưu và khôi phục" in the README.

The bucket is the one the server and worker use:
  %[2]s, %[3]s, %[4]s (required), %[5]s, %[6]s, %[7]s

`

func s3FromEnv() (blobstore.Config, error) {
	cfg := blobstore.Config{Endpoint: os.Getenv(settings.EnvS3Endpoint), AccessKey: os.Getenv(settings.EnvS3AccessKey),
		SecretKey: os.Getenv(settings.EnvS3SecretKey), Bucket: envOr(settings.EnvS3Bucket, "awardflow"), Region: envOr(settings.EnvS3Region, "us-east-1")}
	var missing []string
	for name, v := range map[string]string{settings.EnvS3Endpoint: cfg.Endpoint, settings.EnvS3AccessKey: cfg.AccessKey, settings.EnvS3SecretKey: cfg.SecretKey} {
		if v == "" {
			missing = append(missing, name)
		}
	}
	if len(missing) > 0 {
		slices.Sort(missing)
		return cfg, fmt.Errorf("thiếu biến môi trường / missing environment variables: %s", strings.Join(missing, ", "))
	}
	if v := os.Getenv(settings.EnvS3TLS); v != "" {
		tls, err := strconv.ParseBool(v)
		if err != nil {
			return cfg, fmt.Errorf("%s must be true or false: %w", settings.EnvS3TLS, err)
		}
		cfg.TLS = tls
	}
	return cfg, nil
}

func runS3Copy(ctx context.Context, name string, args []string, stdout, stderr io.Writer, log *slog.Logger) error {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, s3Help, name, settings.EnvS3Endpoint, settings.EnvS3AccessKey, settings.EnvS3SecretKey,
			settings.EnvS3Bucket, settings.EnvS3Region, settings.EnvS3TLS)
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return fmt.Errorf("%s: name the directory (one argument)", name)
	}
	cfg, err := s3FromEnv()
	if err != nil {
		return err
	}
	var m backup.BucketManifest
	if name == "s3-export" {
		m, err = backup.ExportBucket(ctx, cfg, fs.Arg(0))
	} else {
		m, err = backup.ImportBucket(ctx, cfg, fs.Arg(0))
	}
	if err != nil {
		return err
	}
	log.Info(name+" done", "bucket", cfg.Bucket, "dir", fs.Arg(0), "objects", len(m.Objects))
	fmt.Fprintf(stdout, "%s: %d đối tượng / objects (bucket %s, %s)\n", name, len(m.Objects), cfg.Bucket, fs.Arg(0))
	return nil
}
