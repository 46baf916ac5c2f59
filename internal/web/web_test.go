package web_test

import (
	"bytes"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path"
	"regexp"
	"strings"
	"testing"

	"github.com/awardflow/awardflow/internal/web"
)

func get(t *testing.T, h http.Handler, method, target string, header http.Header) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(method, target, nil)
	for k, v := range header {
		req.Header[k] = v
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func TestIndexHeaders(t *testing.T) {
	rec := get(t, web.Handler(), "GET", "/", nil)
	if rec.Code != http.StatusOK {
		t.Fatalf("GET / = %d, want 200", rec.Code)
	}
	want := map[string]string{
		"Content-Type":            "text/html; charset=utf-8",
		"Cache-Control":           "no-cache",
		"X-Content-Type-Options":  "nosniff",
		"Content-Security-Policy": web.ContentSecurityPolicy,
	}
	for k, v := range want {
		if got := rec.Header().Get(k); got != v {
			t.Errorf("GET / %s = %q, want %q", k, got, v)
		}
	}
	csp := rec.Header().Get("Content-Security-Policy")
	for _, must := range []string{"default-src 'self'", "script-src 'self'", "object-src 'none'", "frame-ancestors 'none'",
		"frame-src blob:;"} {
		if !strings.Contains(csp, must) {
			t.Errorf("CSP %q lacks %q", csp, must)
		}
	}
	// Frames only for the page's own PDF previews (blob: URLs it made): no site, not even this one.
	if strings.Count(csp, "frame-src") != 1 || strings.Count(csp, "child-src") != 0 {
		t.Errorf("CSP %q opens frames beyond blob: previews", csp)
	}
	if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") {
		t.Errorf("CSP allows inline code: %q", csp)
	}
	body := rec.Body.String()
	for _, s := range []string{`<html lang="vi">`, `<meta charset="utf-8">`, `<script type="module" src="/js/app.js"></script>`, "Thi đua – Khen thưởng"} {
		if !strings.Contains(body, s) {
			t.Errorf("index.html lacks %q", s)
		}
	}
	// /index.html is the same page.
	if rec2 := get(t, web.Handler(), "GET", "/index.html", nil); rec2.Code != 200 || rec2.Body.String() != body {
		t.Errorf("GET /index.html = %d, differs from /", rec2.Code)
	}
}

func TestAssetTypes(t *testing.T) {
	for p, ct := range map[string]string{
		"/js/app.js":                "text/javascript; charset=utf-8",
		"/js/pages/proposal.js":     "text/javascript; charset=utf-8",
		"/css/app.css":              "text/css; charset=utf-8",
		"/favicon.svg":              "image/svg+xml",
		"/js/pages/verify.js":       "text/javascript; charset=utf-8",
		"/js/pages/sessions.js":     "text/javascript; charset=utf-8",
		"/js/pages/session.js":      "text/javascript; charset=utf-8",
		"/js/pages/session-docs.js": "text/javascript; charset=utf-8",
		"/js/pages/create.js":       "text/javascript; charset=utf-8",
		"/js/pages/home.js":         "text/javascript; charset=utf-8",
		"/js/pages/login.js":        "text/javascript; charset=utf-8",
		"/js/api.js":                "text/javascript; charset=utf-8",
		"/js/dom.js":                "text/javascript; charset=utf-8",
	} {
		rec := get(t, web.Handler(), "GET", p, nil)
		if rec.Code != http.StatusOK {
			t.Errorf("GET %s = %d, want 200", p, rec.Code)
			continue
		}
		if got := rec.Header().Get("Content-Type"); got != ct {
			t.Errorf("GET %s Content-Type = %q, want %q", p, got, ct)
		}
		if rec.Header().Get("Content-Security-Policy") == "" || rec.Header().Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("GET %s lacks the security headers: %v", p, rec.Header())
		}
	}
}

func TestUnknownAndRefused(t *testing.T) {
	h := web.Handler()
	for _, p := range []string{"/nope.js", "/js/nope.js", "/static/index.html", "/js/", "/js", "/../go.mod", "/web.go", "/api/v1/login"} {
		rec := get(t, h, "GET", p, nil)
		if rec.Code != http.StatusNotFound {
			t.Errorf("GET %s = %d, want 404", p, rec.Code)
		}
		if rec.Header().Get("Content-Security-Policy") == "" {
			t.Errorf("GET %s: 404 without CSP", p)
		}
	}
	for _, m := range []string{"POST", "PUT", "DELETE"} {
		rec := get(t, h, m, "/", nil)
		if rec.Code != http.StatusMethodNotAllowed || rec.Header().Get("Allow") != "GET, HEAD" {
			t.Errorf("%s / = %d (Allow %q), want 405 with Allow: GET, HEAD", m, rec.Code, rec.Header().Get("Allow"))
		}
	}
	if rec := get(t, h, "HEAD", "/js/app.js", nil); rec.Code != http.StatusOK || rec.Body.Len() != 0 {
		t.Errorf("HEAD /js/app.js = %d with %d body bytes, want 200 and none", rec.Code, rec.Body.Len())
	}
}

func TestRevalidation(t *testing.T) {
	h := web.Handler()
	first := get(t, h, "GET", "/css/app.css", nil)
	etag := first.Header().Get("ETag")
	if etag == "" {
		t.Fatal("no ETag: no-cache would then download every file each time")
	}
	rec := get(t, h, "GET", "/css/app.css", http.Header{"If-None-Match": {etag}})
	if rec.Code != http.StatusNotModified {
		t.Errorf("GET with If-None-Match = %d, want 304", rec.Code)
	}
	if other := get(t, h, "GET", "/js/app.js", nil).Header().Get("ETag"); other == etag {
		t.Errorf("two files share the ETag %s", etag)
	}
}

// TestServesEveryFile checks the handler against the files on disk: each is served
// byte for byte, each reference in the HTML and each JS import resolves, and nothing
// needs what the CSP forbids (inline scripts, inline styles, event attributes) or builds
// HTML from strings.
func TestServesEveryFile(t *testing.T) {
	h := web.Handler()
	files := map[string][]byte{}
	err := fs.WalkDir(os.DirFS("static"), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path.Join("static", p))
		files["/"+p] = b
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 10 {
		t.Fatalf("only %d files under static/", len(files))
	}
	for p, b := range files {
		rec := get(t, h, "GET", p, nil)
		if rec.Code != 200 || !bytes.Equal(rec.Body.Bytes(), b) {
			t.Errorf("GET %s = %d, %d bytes; want 200 and the %d bytes on disk", p, rec.Code, rec.Body.Len(), len(b))
		}
	}

	html := string(files["/index.html"])
	inlineScript := regexp.MustCompile(`<script(?:\s[^>]*)?>\s*[^<\s]`)
	if inlineScript.MatchString(html) {
		t.Error("index.html has an inline script; the CSP blocks it")
	}
	for _, bad := range []*regexp.Regexp{regexp.MustCompile(`\sstyle\s*=`), regexp.MustCompile(`\son[a-z]+\s*=`), regexp.MustCompile(`<style`)} {
		if bad.MatchString(html) {
			t.Errorf("index.html matches %s; the CSP blocks inline styles and handlers", bad)
		}
	}
	ref := regexp.MustCompile(`(?:src|href)="(/[^"#]*)"`)
	for _, m := range ref.FindAllStringSubmatch(html, -1) {
		if _, ok := files[m[1]]; !ok {
			t.Errorf("index.html refers to %s, which is not served", m[1])
		}
	}

	imp := regexp.MustCompile(`(?m)^import\s[^'"]*['"]([^'"]+)['"]`)
	forbidden := regexp.MustCompile(`\.innerHTML|\.outerHTML\s*=|insertAdjacentHTML|document\.write|\beval\(|new Function\(|setAttribute\(\s*['"]style|\.style\.cssText`)
	for p, b := range files {
		if path.Ext(p) != ".js" {
			continue
		}
		src := string(b)
		if m := forbidden.FindString(src); m != "" {
			t.Errorf("%s uses %q: build elements with h() and text nodes instead", p, m)
		}
		for _, m := range imp.FindAllStringSubmatch(src, -1) {
			target := path.Join(path.Dir(p), m[1])
			if _, ok := files[target]; !ok {
				t.Errorf("%s imports %s (%s), which is not served", p, m[1], target)
			}
		}
	}
}

// TestVietnameseText guards against mojibake: the page text is UTF-8 with composed
// Vietnamese letters.
func TestVietnameseText(t *testing.T) {
	h := web.Handler()
	for p, words := range map[string][]string{
		"/js/pages/login.js":        {"Đăng nhập", "Tên đăng nhập", "Mật khẩu"},
		"/js/pages/home.js":         {"Hộp việc", "Lập hồ sơ đề nghị", "Đồng ý trình", "Chọn tất cả"},
		"/js/pages/proposal.js":     {"Xác nhận", "Trả lại", "Không xác nhận", "Tối đa 25 MB", "Lịch sử xử lý"},
		"/js/pages/session.js":      {"Phiếu kín", "Kết thúc bỏ phiếu", "Đồng ý tất cả", "Công khai danh sách"},
		"/js/pages/session-docs.js": {"Ký duyệt", "Trả lại", "Sửa dự thảo", "Huỷ dự thảo", "Cấp số, đóng dấu và phát hành", "Quá hạn ký duyệt"},
		"/js/pages/verify.js":       {"Kiểm tra văn bản"},
		"/js/pages/lists.js":        {"Danh sách đề nghị khen thưởng của phòng", "Chọn tất cả", "Minh chứng chung của danh sách"},
		"/js/pages/postings.js":     {"Công khai danh sách khen thưởng", "Gửi phản ánh"},
		"/js/pages/revocations.js":  {"Huỷ bỏ khen thưởng", "Đề nghị huỷ bỏ", "Cấp số, đóng dấu, phát hành", "Tiền thưởng phải nộp lại"},
		"/js/dom.js":                {"Asia/Ho_Chi_Minh"},
		"/js/confirm.js":            {"Huỷ"},
	} {
		body := get(t, h, "GET", p, nil).Body.String()
		for _, w := range words {
			if !strings.Contains(body, w) {
				t.Errorf("%s lacks %q", p, w)
			}
		}
	}
}

// TestNoLabelTablesInThePages: the words for codes (stages, actions, roles, session
// statuses, nominee kinds, ballot choices, file types) come from the server with the
// data; a page that keeps its own table of them drifts. No script maps one of these
// codes to words, and none has the old word for abstention.
func TestNoLabelTablesInThePages(t *testing.T) {
	codes := []string{"draft", "submitted", "returned", "rejected", "endorsed", "in_session", "awarded",
		"not_awarded", "proposed_upward", "create", "revise", "self_assess", "attach_evidence", "submit",
		"endorse", "return", "reject", "review_overdue", "council_session", "council_no_quorum",
		"council_outcome", "staff", "department_head", "council_chair", "council_secretary",
		"council_member", "admin", "clerk", "opening", "open", "closed", "done", "individual", "collective",
		"yes", "no", "abstain", "deciding", "awaiting_signature", "sent_back", "awaiting_issue", "issued",
		"abandoned", "drafted", "approved", "revised", "deleted", "delete", "remove_evidence", "withdraw"}
	// code: 'Words' or ['code', 'Words'] or k === 'code' ? 'Words'
	table := regexp.MustCompile(`(?:\b|['"])(` + strings.Join(codes, "|") + `)['"]?\s*(?::|,|\?)\s*['"][^'"]*\p{Lu}`)
	mime := regexp.MustCompile(`['"](application|image|text)/[a-z.+-]+['"]\s*:`)
	err := fs.WalkDir(os.DirFS("static"), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".js") {
			return err
		}
		b, err := os.ReadFile("static/" + p)
		if err != nil {
			return err
		}
		for i, line := range strings.Split(string(b), "\n") {
			if m := table.FindString(line); m != "" {
				t.Errorf("%s:%d maps a code to words (%q): take the label from the server", p, i+1, m)
			}
			if m := mime.FindString(line); m != "" {
				t.Errorf("%s:%d maps a file type to words (%q): use type_label", p, i+1, m)
			}
			if strings.Contains(line, "Không biểu quyết") {
				t.Errorf("%s:%d says “Không biểu quyết”: the ballot's word is “Không ý kiến”, from the server", p, i+1)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestCSPPreview: the previews (issue 10, item 9) need exactly blob: images and blob:
// frames, the URLs the page makes from bytes it fetched and sniffed; nothing else is
// opened: no data: or other origin for images and frames, no wildcard, no 'unsafe-*'
// anywhere, no plugins, scripts only from this origin.
func TestCSPPreview(t *testing.T) {
	csp := get(t, web.Handler(), "GET", "/", nil).Header().Get("Content-Security-Policy")
	dirs := map[string][]string{}
	for _, d := range strings.Split(csp, ";") {
		f := strings.Fields(d)
		if len(f) == 0 {
			continue
		}
		if _, dup := dirs[f[0]]; dup {
			t.Errorf("CSP names %s twice: %q", f[0], csp)
		}
		dirs[f[0]] = f[1:]
	}
	want := map[string]string{
		"default-src": "'self'", "script-src": "'self'", "style-src": "'self'", "img-src": "'self' blob:",
		"frame-src": "blob:", "object-src": "'none'", "base-uri": "'none'", "frame-ancestors": "'none'",
	}
	for k, v := range want {
		if got := strings.Join(dirs[k], " "); got != v {
			t.Errorf("CSP %s = %q, want %q", k, got, v)
		}
	}
	for _, k := range []string{"child-src", "worker-src", "script-src-elem", "script-src-attr"} {
		if _, ok := dirs[k]; ok {
			t.Errorf("CSP sets %s (%v): it would widen what default-src allows", k, dirs[k])
		}
	}
	for k, v := range dirs {
		for _, src := range v {
			if strings.HasPrefix(src, "'unsafe-") || src == "*" || src == "data:" || strings.HasPrefix(src, "http") {
				t.Errorf("CSP %s allows %s", k, src)
			}
		}
	}
}
