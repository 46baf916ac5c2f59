// Package backup makes and restores backups of a `dev` data directory: the embedded
// Temporal server's SQLite database, the records store's SQLite database, the embedded
// S3 server's files, the keys (development CA, signing keys, token and ballot secrets)
// and the archived histories — everything `awardflow dev` keeps, in one tar.gz.
//
// A backup may be taken while `dev` runs. The SQLite databases are copied with
// VACUUM INTO, which reads one consistent snapshot beside the writer, in a fixed order:
// Temporal first, then the records store, then the files. Evidence and documents are
// written to S3 before any workflow refers to them, so every object the Temporal
// snapshot names is in the later file copy; objects newer than the snapshot are extra
// and harmless. The records store may be a moment newer than Temporal; `awardflow
// reindex` rebuilds its lists from Temporal if that matters.
//
// A restore writes into a new or empty directory only, checks every file against the
// backup's manifest (SHA-256) before anything lands, and moves the result into place
// in one rename: a damaged or hostile archive leaves nothing behind.
package backup

import (
	"archive/tar"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"time"

	_ "modernc.org/sqlite" // the same driver the records store and the dev Temporal use
)

// Format identifies the archive layout; Restore refuses another.
const Format = "awardflow-dev-backup/1"

// ManifestName is the archive's first entry.
const ManifestName = "MANIFEST.json"

// Databases are the SQLite files of a data directory, in the order they are copied.
var Databases = []string{"temporal/temporal.db", "awardflow.db"}

// Manifest lists what a backup holds.
type Manifest struct {
	Format    string    `json:"format"`
	CreatedAt time.Time `json:"created_at"`
	Files     []File    `json:"files"`
}

// File is one file of the backup, by its slash-separated path in the data directory.
type File struct {
	Path   string      `json:"path"`
	Size   int64       `json:"size"`
	Mode   fs.FileMode `json:"mode"`
	SHA256 string      `json:"sha256"`
}

// skipped reports whether a file of the data directory stays out of a backup: the
// databases' journals (their content is in the snapshot), locks, and the S3 server's
// temporary uploads.
func skipped(rel string) bool {
	base := path.Base(rel)
	switch {
	case strings.HasSuffix(base, "-wal"), strings.HasSuffix(base, "-shm"), strings.HasSuffix(base, "-journal"):
		return true
	case base == "LOCK", strings.HasSuffix(base, ".migrate-lock"):
		return true
	case strings.Contains(rel, "/.sgwtmp/") || strings.HasPrefix(base, ".sgwtmp"):
		return true
	}
	return slices.Contains(Databases, rel)
}

// Create writes a backup of dataDir to w and returns its manifest.
func Create(ctx context.Context, dataDir string, w io.Writer) (Manifest, error) {
	m := Manifest{Format: Format, CreatedAt: time.Now().UTC()}
	if _, err := os.Stat(filepath.Join(dataDir, "awardflow.db")); err != nil {
		return m, fmt.Errorf("backup: %s is not an awardflow data directory: %w", dataDir, err)
	}
	stage, err := os.MkdirTemp("", "awardflow-backup-")
	if err != nil {
		return m, fmt.Errorf("backup: %w", err)
	}
	defer os.RemoveAll(stage)

	// The snapshots first, Temporal before the records store (see the package comment).
	sources := map[string]string{} // path in the archive -> file to read
	for _, rel := range Databases {
		src := filepath.Join(dataDir, filepath.FromSlash(rel))
		if _, err := os.Stat(src); errors.Is(err, fs.ErrNotExist) {
			continue // a data directory whose Temporal never started
		}
		dst := filepath.Join(stage, strings.ReplaceAll(rel, "/", "_"))
		if err := snapshot(ctx, src, dst); err != nil {
			return m, fmt.Errorf("backup: %s: %w", rel, err)
		}
		sources[rel] = dst
	}
	err = filepath.WalkDir(dataDir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		rel, err := filepath.Rel(dataDir, p)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		if d.IsDir() || skipped(rel) {
			return nil
		}
		if !d.Type().IsRegular() {
			return nil // sockets, symlinks: nothing dev writes
		}
		sources[rel] = p
		return nil
	})
	if err != nil {
		return m, fmt.Errorf("backup: read %s: %w", dataDir, err)
	}
	// Hash first: the manifest leads the archive, so a restore can check each file as
	// it arrives. A file that changes between hashing and copying (an upload landing)
	// fails the backup rather than writing an archive that does not restore.
	paths := make([]string, 0, len(sources))
	for rel := range sources {
		paths = append(paths, rel)
	}
	slices.Sort(paths)
	for _, rel := range paths {
		f, err := hashFile(sources[rel])
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				continue // removed since the walk (a temporary file)
			}
			return m, fmt.Errorf("backup: %s: %w", rel, err)
		}
		f.Path = rel
		m.Files = append(m.Files, f)
	}

	gz := gzip.NewWriter(w)
	tw := tar.NewWriter(gz)
	mj, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return m, err
	}
	if err := tw.WriteHeader(&tar.Header{Name: ManifestName, Mode: 0o600, Size: int64(len(mj)), ModTime: m.CreatedAt,
		Typeflag: tar.TypeReg}); err != nil {
		return m, fmt.Errorf("backup: write: %w", err)
	}
	if _, err := tw.Write(mj); err != nil {
		return m, fmt.Errorf("backup: write: %w", err)
	}
	for _, f := range m.Files {
		if err := copyInto(tw, sources[f.Path], f, m.CreatedAt); err != nil {
			return m, fmt.Errorf("backup: %s: %w", f.Path, err)
		}
	}
	if err := tw.Close(); err != nil {
		return m, fmt.Errorf("backup: write: %w", err)
	}
	if err := gz.Close(); err != nil {
		return m, fmt.Errorf("backup: write: %w", err)
	}
	return m, nil
}

// snapshot copies the SQLite database src to dst as one consistent snapshot (VACUUM
// INTO reads in one transaction, beside a running writer) and checks the copy.
func snapshot(ctx context.Context, src, dst string) error {
	db, err := sql.Open("sqlite", sqliteURI(src, "rw")+"&_pragma=busy_timeout(10000)")
	if err != nil {
		return err
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, `VACUUM INTO ?`, dst); err != nil {
		return fmt.Errorf("snapshot: %w", err)
	}
	cp, err := sql.Open("sqlite", sqliteURI(dst, "ro"))
	if err != nil {
		return err
	}
	defer cp.Close()
	var ok string
	if err := cp.QueryRowContext(ctx, `PRAGMA integrity_check`).Scan(&ok); err != nil {
		return fmt.Errorf("check the snapshot: %w", err)
	}
	if ok != "ok" {
		return fmt.Errorf("the snapshot fails SQLite's integrity check: %s", ok)
	}
	return nil
}

func sqliteURI(p, mode string) string {
	return (&url.URL{Scheme: "file", OmitHost: true, Path: p, RawQuery: "mode=" + mode}).String()
}

func hashFile(p string) (File, error) {
	f, err := os.Open(p)
	if err != nil {
		return File{}, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return File{}, err
	}
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return File{}, err
	}
	return File{Size: n, Mode: st.Mode().Perm(), SHA256: hex.EncodeToString(h.Sum(nil))}, nil
}

func copyInto(tw *tar.Writer, src string, f File, at time.Time) error {
	r, err := os.Open(src)
	if err != nil {
		return err
	}
	defer r.Close()
	if err := tw.WriteHeader(&tar.Header{Name: f.Path, Mode: int64(f.Mode), Size: f.Size, ModTime: at, Typeflag: tar.TypeReg}); err != nil {
		return err
	}
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(tw, h), io.LimitReader(r, f.Size))
	if err != nil {
		return err
	}
	if n != f.Size || hex.EncodeToString(h.Sum(nil)) != f.SHA256 {
		return errors.New("changed while the backup was being written; take the backup again")
	}
	return nil
}

// Restore unpacks a backup into dataDir, which must not exist or be empty.
func Restore(ctx context.Context, r io.Reader, dataDir string) (Manifest, error) {
	var m Manifest
	abs, err := filepath.Abs(dataDir)
	if err != nil {
		return m, fmt.Errorf("restore: %w", err)
	}
	if entries, err := os.ReadDir(abs); err == nil && len(entries) > 0 {
		return m, fmt.Errorf("restore: %s is not empty; restore into a new directory (move the old one aside first)", abs)
	} else if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return m, fmt.Errorf("restore: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(abs), 0o700); err != nil {
		return m, fmt.Errorf("restore: %w", err)
	}
	// Unpacked beside the target, moved into place when everything checked out.
	tmp, err := os.MkdirTemp(filepath.Dir(abs), ".restore-"+filepath.Base(abs)+"-")
	if err != nil {
		return m, fmt.Errorf("restore: %w", err)
	}
	done := false
	defer func() {
		if !done {
			_ = os.RemoveAll(tmp)
		}
	}()
	if m, err = unpack(ctx, r, tmp); err != nil {
		return m, fmt.Errorf("restore: %w", err)
	}
	_ = os.Remove(abs) // empty, if it exists
	if err := os.Rename(tmp, abs); err != nil {
		return m, fmt.Errorf("restore: move into place: %w", err)
	}
	done = true
	return m, nil
}

func unpack(ctx context.Context, r io.Reader, dir string) (Manifest, error) {
	var m Manifest
	gz, err := gzip.NewReader(r)
	if err != nil {
		return m, fmt.Errorf("not a backup (gzip): %w", err)
	}
	tr := tar.NewReader(gz)
	hdr, err := tr.Next()
	if err != nil || hdr.Name != ManifestName {
		return m, errors.New("not a backup: no manifest first")
	}
	if err := json.NewDecoder(io.LimitReader(tr, 64<<20)).Decode(&m); err != nil {
		return m, fmt.Errorf("not a backup: manifest: %w", err)
	}
	if m.Format != Format {
		return m, fmt.Errorf("a backup of format %q, this awardflow reads %q", m.Format, Format)
	}
	want := map[string]File{}
	for _, f := range m.Files {
		if err := safePath(f.Path); err != nil {
			return m, err
		}
		want[f.Path] = f
	}
	seen := map[string]bool{}
	for {
		if ctx.Err() != nil {
			return m, ctx.Err()
		}
		hdr, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return m, fmt.Errorf("the archive is damaged: %w", err)
		}
		f, ok := want[hdr.Name]
		if !ok || hdr.Typeflag != tar.TypeReg || seen[hdr.Name] {
			return m, fmt.Errorf("the archive holds %q, which its manifest does not list once as a file", hdr.Name)
		}
		seen[hdr.Name] = true
		if err := writeChecked(tr, filepath.Join(dir, filepath.FromSlash(f.Path)), f); err != nil {
			return m, fmt.Errorf("%s: %w", f.Path, err)
		}
	}
	if len(seen) != len(want) {
		for _, f := range m.Files {
			if !seen[f.Path] {
				return m, fmt.Errorf("the archive is incomplete: %s is missing", f.Path)
			}
		}
	}
	return m, nil
}

// safePath refuses paths that would land outside the data directory.
func safePath(p string) error {
	if p == "" || path.IsAbs(p) || strings.Contains(p, `\`) || path.Clean(p) != p || p == ".." || strings.HasPrefix(p, "../") {
		return fmt.Errorf("the archive names a path outside the data directory: %q", p)
	}
	return nil
}

func writeChecked(r io.Reader, dst string, f File) error {
	if err := os.MkdirAll(filepath.Dir(dst), 0o700); err != nil {
		return err
	}
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, f.Mode.Perm()|0o600)
	if err != nil {
		return err
	}
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(out, h), io.LimitReader(r, f.Size+1))
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	if n != f.Size || hex.EncodeToString(h.Sum(nil)) != f.SHA256 {
		return errors.New("its content does not match the manifest (damaged or altered archive)")
	}
	return nil
}
