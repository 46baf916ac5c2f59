package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/chromedp"
)

// EnvAxe names axe-core's axe.min.js (npm package axe-core; scripts/test-all.sh installs
// it into .tools and sets this). Every browser test runs its WCAG rules at each page
// state it checks (issue 10 item 12), so the file is mandatory, not optional.
const EnvAxe = "AWARDFLOW_AXE"

// axeTags are the rule sets run: WCAG 2.0 and 2.1, levels A and AA.
var axeTags = []string{"wcag2a", "wcag2aa", "wcag21a", "wcag21aa"}

var axeSource = sync.OnceValues(func() (string, error) {
	path := os.Getenv(EnvAxe)
	if path == "" {
		return "", fmt.Errorf("%s is not set", EnvAxe)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return "", err
	}
	if !strings.Contains(string(b), "axe") || len(b) < 100_000 {
		return "", fmt.Errorf("%s (%d bytes) does not look like axe.min.js", path, len(b))
	}
	return string(b), nil
})

// requireAxe fails the test, with how to install it, when axe-core is not available:
// a browser test that cannot check accessibility has not passed.
func requireAxe(t *testing.T) {
	t.Helper()
	if _, err := axeSource(); err != nil {
		t.Fatalf("axe-core is needed by the browser tests (accessibility, issue 10 item 12): %v.\n"+
			"Run `bash scripts/test-all.sh` (it installs it and sets %s), or by hand:\n"+
			"  npm install --prefix .tools/axe-core-4.14.1 axe-core@4.14.1\n"+
			"  export %s=$PWD/.tools/axe-core-4.14.1/node_modules/axe-core/axe.min.js",
			err, EnvAxe, EnvAxe)
	}
}

// axeViolation is what axe reports for one failed rule.
type axeViolation struct {
	ID     string `json:"id"`
	Impact string `json:"impact"`
	Help   string `json:"help"`
	URL    string `json:"helpUrl"`
	Nodes  []struct {
		Target  []any  `json:"target"`
		Summary string `json:"failureSummary"`
		HTML    string `json:"html"`
	} `json:"nodes"`
}

// axeRunJS runs axe on the whole document and returns the serious and critical
// violations as JSON. Open <dialog> elements are part of the document, so a modal
// confirmation is checked with the page behind it.
var axeRunJS = `(async () => {
	const r = await axe.run(document, {
		runOnly: {type: "tag", values: ` + mustJSON(axeTags) + `},
		resultTypes: ["violations"],
	});
	return JSON.stringify(r.violations.filter(v => v.impact === "serious" || v.impact === "critical"));
})()`

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// axeViolations injects axe-core into the page through the DevTools protocol (the page's
// own CSP, which allows only its own scripts, stays as it is) and runs it.
func (p *page) axeViolations() ([]axeViolation, error) {
	src, err := axeSource()
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(p.ctx, stepTimeout)
	defer cancel()
	has, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`typeof window.axe === "object"`))
	if err != nil {
		return nil, fmt.Errorf("look for axe: %w", err)
	}
	if !has {
		if _, err := chromedp.Run(ctx, chromedp.Evaluate[json.RawMessage](src+"\n;true")); err != nil {
			return nil, fmt.Errorf("inject axe-core: %w", err)
		}
	}
	out, err := chromedp.Run(ctx, chromedp.Evaluate[string](axeRunJS, chromedp.EvalAwaitPromise))
	if err != nil {
		return nil, fmt.Errorf("run axe-core: %w", err)
	}
	var vs []axeViolation
	if err := json.Unmarshal([]byte(out), &vs); err != nil {
		return nil, fmt.Errorf("decode axe's result %.200s: %w", out, err)
	}
	return vs, nil
}

// assertAccessible fails the test on any serious or critical WCAG 2.0/2.1 A/AA violation
// axe-core finds in the page as it is now, listing rule, impact, elements and help.
func (p *page) assertAccessible(name string) {
	p.t.Helper()
	vs, err := p.axeViolations()
	if err != nil {
		p.t.Fatalf("%s: accessibility check: %v%s", name, err, p.state())
	}
	if len(vs) == 0 {
		return
	}
	p.t.Errorf("%s: axe-core finds %d serious or critical accessibility violations (WCAG 2.0/2.1 A/AA):\n%s%s",
		name, len(vs), formatViolations(vs), p.state())
}

func formatViolations(vs []axeViolation) string {
	var b strings.Builder
	for _, v := range vs {
		fmt.Fprintf(&b, "  [%s] %s: %s (%s)\n", v.Impact, v.ID, v.Help, v.URL)
		for i, n := range v.Nodes {
			if i == 6 {
				fmt.Fprintf(&b, "      … and %d more\n", len(v.Nodes)-i)
				break
			}
			fmt.Fprintf(&b, "      %v  %.160s\n", n.Target, strings.Join(strings.Fields(n.Summary), " "))
		}
	}
	return b.String()
}

// TestAxeCatches: the check fails on the kinds of defect it is there for (an unnamed
// button, an unlabelled field, text without contrast, a duplicate id in ARIA, an image
// without text) and passes the same page put right.
func TestAxeCatches(t *testing.T) {
	requireChromium(t)
	bad := `<!doctype html><html lang="vi"><head><title>x</title></head><body><main><h1>Trang</h1>
<button type="button"><svg width="10" height="10"></svg></button>
<input id="q" type="text">
<p style="color:#bbb;background:#fff">Chữ nhạt</p>
<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">
<span id="d">a</span><span id="d">b</span><input aria-labelledby="d">
</main></body></html>`
	good := `<!doctype html><html lang="vi"><head><title>x</title></head><body><main><h1>Trang</h1>
<button type="button" aria-label="Mở danh mục"><svg width="10" height="10" aria-hidden="true"></svg></button>
<label for="q">Tìm</label><input id="q" type="text">
<p style="color:#5b6575;background:#fff">Chữ rõ</p>
<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" alt="Biểu trưng">
<span id="d">a</span><span id="e">b</span><input aria-labelledby="d">
</main></body></html>`
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'")
		if r.URL.Path == "/good" {
			fmt.Fprint(w, good)
			return
		}
		fmt.Fprint(w, bad)
	}))
	defer srv.Close()
	p := newPage(t, srv.URL)
	p.do("open the bad page", chromedp.Navigate(srv.URL+"/bad"))
	vs, err := p.axeViolations()
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	for _, v := range vs {
		got[v.ID] = true
	}
	for _, want := range []string{"button-name", "label", "color-contrast", "image-alt"} {
		if !got[want] {
			t.Errorf("axe did not report %s on the bad page; it reported:\n%s", want, formatViolations(vs))
		}
	}
	p.do("open the good page", chromedp.Navigate(srv.URL+"/good"))
	if vs, err := p.axeViolations(); err != nil || len(vs) != 0 {
		t.Errorf("the good page: %v\n%s", err, formatViolations(vs))
	}
	p.assertNoProblems() // injected through DevTools: no CSP report
}
