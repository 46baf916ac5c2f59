package backup

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"database/sql"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fakeDataDir makes a data directory as dev leaves it: two SQLite databases in WAL mode
// (open, with uncheckpointed writes), keys, S3 files, and what a backup leaves out.
func fakeDataDir(t *testing.T) (string, func()) {
	t.Helper()
	dir := t.TempDir()
	var dbs []*sql.DB
	for _, rel := range Databases {
		p := filepath.Join(dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
			t.Fatal(err)
		}
		db, err := sql.Open("sqlite", sqliteURI(p, "rwc")+"&_pragma=journal_mode(WAL)")
		if err != nil {
			t.Fatal(err)
		}
		db.SetMaxOpenConns(1)
		for _, q := range []string{`CREATE TABLE t (k TEXT PRIMARY KEY, v TEXT)`,
			`INSERT INTO t VALUES ('hồ sơ', 'Nguyễn Thị Hồng Đào')`, `INSERT INTO t VALUES ('quyết định', 'Số 01-QĐ/BTGTU')`} {
			if _, err := db.Exec(q); err != nil {
				t.Fatal(err)
			}
		}
		dbs = append(dbs, db) // kept open: the rows may sit in the WAL only
	}
	files := map[string]string{
		"token-secret":                 "s3cr3t",
		"pki/ca.pem":                   "-----BEGIN CERTIFICATE-----",
		"pki/keyring/agency.pem":       "agency",
		"s3/data/awardflow/evidence/a": strings.Repeat("x", 100_000),
		"s3/credentials.json":          `{"access_key":"k"}`,
		"archival/history/1.history":   "h",
		"temporal/LOCK":                "",
		"awardflow.db.migrate-lock":    "",
	}
	for rel, body := range files {
		p := filepath.Join(dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return dir, func() {
		for _, db := range dbs {
			db.Close()
		}
	}
}

func TestBackupRestoresEverything(t *testing.T) {
	ctx := context.Background()
	dir, closeDBs := fakeDataDir(t)
	defer closeDBs()
	var buf bytes.Buffer
	m, err := Create(ctx, dir, &buf)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range m.Files {
		if skipped(f.Path) && !strings.HasSuffix(f.Path, ".db") || strings.HasSuffix(f.Path, "LOCK") || strings.HasSuffix(f.Path, "-wal") {
			t.Errorf("the backup holds %s", f.Path)
		}
	}
	target := filepath.Join(t.TempDir(), "restored")
	if _, err := Restore(ctx, bytes.NewReader(buf.Bytes()), target); err != nil {
		t.Fatal(err)
	}
	for _, rel := range Databases {
		db, err := sql.Open("sqlite", sqliteURI(filepath.Join(target, filepath.FromSlash(rel)), "ro"))
		if err != nil {
			t.Fatal(err)
		}
		var v string
		if err := db.QueryRow(`SELECT v FROM t WHERE k = 'hồ sơ'`).Scan(&v); err != nil || v != "Nguyễn Thị Hồng Đào" {
			t.Fatalf("%s after restore: %q, %v", rel, v, err)
		}
		db.Close()
	}
	for _, rel := range []string{"token-secret", "pki/keyring/agency.pem", "s3/data/awardflow/evidence/a", "archival/history/1.history"} {
		a, _ := os.ReadFile(filepath.Join(dir, rel))
		b, err := os.ReadFile(filepath.Join(target, rel))
		if err != nil || !bytes.Equal(a, b) {
			t.Fatalf("%s not restored as it was (%v)", rel, err)
		}
	}
	for _, rel := range []string{"temporal/LOCK", "awardflow.db.migrate-lock"} {
		if _, err := os.Stat(filepath.Join(target, rel)); err == nil {
			t.Errorf("%s was restored", rel)
		}
	}
	// A second restore onto the restored directory is refused: it is not empty.
	if _, err := Restore(ctx, bytes.NewReader(buf.Bytes()), target); err == nil || !strings.Contains(err.Error(), "not empty") {
		t.Fatalf("restore over a directory in use: %v", err)
	}
}

// Poison archives: each is refused, and nothing is left behind (no target, no
// temporary directory beside it).
func TestRestoreRefusesBadArchives(t *testing.T) {
	ctx := context.Background()
	dir, closeDBs := fakeDataDir(t)
	defer closeDBs()
	var good bytes.Buffer
	m, err := Create(ctx, dir, &good)
	if err != nil {
		t.Fatal(err)
	}
	entries := readArchive(t, good.Bytes())

	rebuild := func(edit func(m *Manifest, files map[string][]byte, order *[]string)) []byte {
		mm := m
		mm.Files = append([]File(nil), m.Files...)
		files := map[string][]byte{}
		var order []string
		for _, e := range entries[1:] {
			files[e.name] = e.body
			order = append(order, e.name)
		}
		edit(&mm, files, &order)
		return writeArchive(t, mm, files, order)
	}
	first := m.Files[0].Path
	cases := map[string][]byte{
		"not gzip":  []byte("hello"),
		"truncated": good.Bytes()[:good.Len()/2],
		"altered content": rebuild(func(_ *Manifest, files map[string][]byte, _ *[]string) {
			files["token-secret"] = []byte("other!")
		}),
		"a file missing": rebuild(func(_ *Manifest, _ map[string][]byte, order *[]string) {
			*order = (*order)[1:]
		}),
		"an unlisted file": rebuild(func(_ *Manifest, files map[string][]byte, order *[]string) {
			files["extra"] = []byte("x")
			*order = append(*order, "extra")
		}),
		"a path outside": rebuild(func(mm *Manifest, files map[string][]byte, order *[]string) {
			mm.Files[0].Path = "../evil"
			files["../evil"] = files[first]
			(*order)[0] = "../evil"
		}),
		"an absolute path": rebuild(func(mm *Manifest, files map[string][]byte, order *[]string) {
			mm.Files[0].Path = "/tmp/evil"
			files["/tmp/evil"] = files[first]
			(*order)[0] = "/tmp/evil"
		}),
		"another format": rebuild(func(mm *Manifest, _ map[string][]byte, _ *[]string) { mm.Format = "other/9" }),
	}
	for name, archive := range cases {
		t.Run(name, func(t *testing.T) {
			parent := t.TempDir()
			target := filepath.Join(parent, "restored")
			if _, err := Restore(ctx, bytes.NewReader(archive), target); err == nil {
				t.Fatal("restored")
			}
			left, _ := os.ReadDir(parent)
			if len(left) != 0 {
				t.Fatalf("left behind: %v", left)
			}
		})
	}
}

type entry struct {
	name string
	body []byte
}

func readArchive(t *testing.T, b []byte) []entry {
	t.Helper()
	gz, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	tr := tar.NewReader(gz)
	var out []entry
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(tr)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, entry{h.Name, body})
	}
}

func writeArchive(t *testing.T, m Manifest, files map[string][]byte, order []string) []byte {
	t.Helper()
	var buf bytes.Buffer
	gz := gzip.NewWriter(&buf)
	tw := tar.NewWriter(gz)
	mj, _ := json.Marshal(m)
	put := func(name string, body []byte) {
		if err := tw.WriteHeader(&tar.Header{Name: name, Mode: 0o600, Size: int64(len(body)), Typeflag: tar.TypeReg}); err != nil {
			t.Fatal(err)
		}
		if _, err := tw.Write(body); err != nil {
			t.Fatal(err)
		}
	}
	put(ManifestName, mj)
	for _, name := range order {
		put(name, files[name])
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := gz.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
