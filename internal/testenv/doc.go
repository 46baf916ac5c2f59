// Package testenv starts and finds the real components that the tier-5 tests use
// (a real MinIO server, command-line tools such as pdfsig or chromium), so that every
// package runs them the same way.
//
// Policy: when AWARDFLOW_REQUIRE_REAL=1 (set by scripts/test-all.sh, which is what CI
// runs) a missing component fails the test. Otherwise a missing MinIO binary skips the
// test with a loud reason, so `go test ./...` still works on a laptop that never ran
// the script; a missing command-line tool always fails, naming its Debian package.
package testenv

import "os"

// Environment variables read by this package.
const (
	// EnvMinIOBin is the path of the MinIO server binary built by scripts/test-all.sh.
	EnvMinIOBin = "AWARDFLOW_MINIO_BIN"
	// EnvRequireReal set to "1" turns every missing real component into a test failure.
	EnvRequireReal = "AWARDFLOW_REQUIRE_REAL"
)

// RequireReal reports whether real components are mandatory (AWARDFLOW_REQUIRE_REAL=1).
func RequireReal() bool {
	return os.Getenv(EnvRequireReal) == "1"
}
