package testenv

import (
	"os/exec"
	"testing"
)

// RequireTool returns the path of the command-line tool name (looked up in PATH).
// A missing tool fails the test with the Debian package that provides it, because a
// test that silently skips its real check proves nothing.
func RequireTool(t testing.TB, name, debPackage string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err != nil {
		t.Fatalf("required tool %q not found in PATH (%v): install the Debian package %q "+
			"(apt-get install %s) or run `bash scripts/test-all.sh`, which installs it",
			name, err, debPackage, debPackage)
	}
	return path
}
