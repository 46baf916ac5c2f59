package templates

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// popplerTool returns the path of a poppler-utils program or fails the test:
// these checks must not be skipped silently.
func popplerTool(t testing.TB, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		t.Fatalf("%s not found: install the Debian package poppler-utils (apt-get install poppler-utils): %v", name, err)
	}
	return p
}

func writeTemp(t testing.TB, pdf []byte) string {
	t.Helper()
	f := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(f, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	return f
}

func runTool(t testing.TB, name string, args ...string) string {
	t.Helper()
	cmd := exec.Command(popplerTool(t, name), args...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s %v: %v\n%s", name, args, err, errb.String())
	}
	if s := errb.String(); strings.Contains(s, "Error") {
		t.Fatalf("%s %v reported errors:\n%s", name, args, s)
	}
	return out.String()
}

// pageText is pdftotext -layout of one page.
func pageText(t testing.TB, file string, page int) string {
	p := strconv.Itoa(page)
	return runTool(t, "pdftotext", "-layout", "-f", p, "-l", p, file, "-")
}

var spaces = regexp.MustCompile(`\s+`)

// flat collapses all whitespace, so that justified lines and line breaks do
// not matter when looking for a phrase.
func flat(s string) string { return spaces.ReplaceAllString(strings.TrimSpace(s), " ") }

// firstLine is the first non-empty line of a page's text, trimmed.
func firstLine(s string) string {
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			return l
		}
	}
	return ""
}
