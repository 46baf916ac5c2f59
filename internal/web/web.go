// Package web is awardflow's browser interface: a few static files (HTML, CSS and
// vanilla JavaScript modules, no build step) embedded in the binary. The pages talk only
// to the JSON API under /api/v1 with a bearer token; every rule and every check stays on
// the server, and the pages show the server's Vietnamese error message where an action
// failed.
//
// The handler serves "/" (the single page, routed by URL hash) and the files under
// static/ by name. Responses carry a strict Content-Security-Policy: scripts and styles
// only from this origin, none inline, so a string that slipped into the page could not
// run.
package web

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"net/http"
	"path"
	"strings"
	"time"
)

//go:embed static
var staticFS embed.FS

// ContentSecurityPolicy is sent with every response of the handler. 'self' only, no
// inline script or style; blob: images for previews; blob: frames for the in-page preview
// of a document's PDF (fetched with the token, typed application/pdf by the page, shown
// by the browser's PDF viewer); no plugins (object-src); nothing may frame the pages.
const ContentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' blob:; " +
	"frame-src blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// contentTypes lists every extension the UI ships; a file with another extension is not
// served at all, so nothing goes out with a guessed type.
var contentTypes = map[string]string{
	".html": "text/html; charset=utf-8",
	".js":   "text/javascript; charset=utf-8",
	".css":  "text/css; charset=utf-8",
	".svg":  "image/svg+xml",
	".png":  "image/png",
	".txt":  "text/plain; charset=utf-8",
}

type asset struct {
	body  []byte
	ctype string
	etag  string
}

// assets are read once: the embedded files never change while the process runs.
var assets = mustLoad()

func mustLoad() map[string]asset {
	out := map[string]asset{}
	err := fs.WalkDir(staticFS, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		ct, ok := contentTypes[path.Ext(p)]
		if !ok {
			return fmt.Errorf("web: no content type for embedded file %s", p)
		}
		b, err := staticFS.ReadFile(p)
		if err != nil {
			return fmt.Errorf("web: read %s: %w", p, err)
		}
		sum := sha256.Sum256(b)
		out["/"+strings.TrimPrefix(p, "static/")] = asset{body: b, ctype: ct, etag: `"` + hex.EncodeToString(sum[:12]) + `"`}
		return nil
	})
	if err != nil {
		// The files are compiled in: a failure here is a build mistake, found by any test.
		panic(err)
	}
	return out
}

// Handler serves the embedded UI: "/" is index.html, any other path names a file under
// static/ (e.g. /js/app.js). Unknown paths get 404, methods other than GET and HEAD 405.
func Handler() http.Handler {
	return http.HandlerFunc(serve)
}

func serve(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Security-Policy", ContentSecurityPolicy)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("X-Frame-Options", "DENY")
	// no-cache: the browser revalidates (ETag) each time, so a new release is picked up
	// at once, without versioned file names.
	h.Set("Cache-Control", "no-cache")
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		h.Set("Allow", "GET, HEAD")
		http.Error(w, "405 phương thức không được hỗ trợ / method not allowed", http.StatusMethodNotAllowed)
		return
	}
	p := r.URL.Path
	if p == "/" {
		p = "/index.html"
	}
	a, ok := assets[p]
	if !ok {
		http.Error(w, "404 không tìm thấy / not found", http.StatusNotFound)
		return
	}
	h.Set("Content-Type", a.ctype)
	h.Set("ETag", a.etag)
	// ServeContent answers If-None-Match with 304, HEAD and ranges.
	http.ServeContent(w, r, p, time.Time{}, bytes.NewReader(a.body))
}
