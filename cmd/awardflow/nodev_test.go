package main

import (
	"errors"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/awardflow/awardflow/internal/settings"
)

// prodForbidden are the import path prefixes the production build (-tags nodev) must not
// link: the embedded Temporal server and the embedded S3 server of `awardflow dev`.
var prodForbidden = []string{"go.temporal.io/server", "github.com/versity/versitygw"}

// goListDeps lists the packages the awardflow command links when built with tags.
func goListDeps(t *testing.T, tags string) []string {
	t.Helper()
	args := []string{"list", "-deps"}
	if tags != "" {
		args = append(args, "-tags", tags)
	}
	out, err := exec.Command("go", append(args, ".")...).CombinedOutput()
	if err != nil {
		t.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return strings.Fields(string(out))
}

// TestProductionBuildLinksNoDevServers: `go build -tags nodev ./cmd/awardflow` (what the
// Dockerfile ships) links neither the Temporal server nor versitygw, nor the dev stack's
// packages; the default build still has them (the `dev` command).
func TestProductionBuildLinksNoDevServers(t *testing.T) {
	forbidden := append([]string{
		"github.com/awardflow/awardflow/internal/devstack",
		"github.com/awardflow/awardflow/internal/devapp",
		"github.com/awardflow/awardflow/internal/temporaltest",
		"github.com/awardflow/awardflow/internal/mailcatcher",
	}, prodForbidden...)
	var bad []string
	for _, p := range goListDeps(t, "nodev") {
		for _, f := range forbidden {
			if p == f || strings.HasPrefix(p, f+"/") || (strings.HasPrefix(f, "go.temporal.io/server") && strings.HasPrefix(p, f)) {
				bad = append(bad, p)
			}
		}
	}
	if len(bad) > 0 {
		t.Fatalf("the production build (-tags nodev) links %d forbidden packages, e.g. %s", len(bad), strings.Join(bad[:min(len(bad), 10)], ", "))
	}
	full := strings.Join(goListDeps(t, ""), "\n")
	for _, f := range prodForbidden {
		if !strings.Contains("\n"+full, "\n"+f) {
			t.Errorf("the default build no longer links %s: is `awardflow dev` still there?", f)
		}
	}
}

// TestProductionBinaryHasNoDev: the nodev binary answers `dev` with exit status 2 and a
// message naming the full build, and still serves `server --help`.
func TestProductionBinaryHasNoDev(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "awardflow")
	if out, err := exec.Command("go", "build", "-tags", "nodev", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build -tags nodev: %v\n%s", err, out)
	}
	out, err := exec.Command(bin, "dev").CombinedOutput()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 2 {
		t.Fatalf("nodev `dev`: %v, want exit status 2\n%s", err, out)
	}
	if !strings.Contains(string(out), "no dev command") || !strings.Contains(string(out), "full build") {
		t.Errorf("nodev `dev` does not say why: %s", out)
	}
	out, err = exec.Command(bin, "server", "--help").Output()
	if err != nil || !strings.Contains(string(out), settings.EnvTemporalAddress) {
		t.Errorf("nodev `server --help`: %v\n%s", err, out)
	}
}
