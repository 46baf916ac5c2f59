package composecheck

import (
	"fmt"
	"regexp"
	"strings"
)

var (
	goDirective = regexp.MustCompile(`(?m)^go\s+(\S+)\s*$`)
	golangFrom  = regexp.MustCompile(`(?mi)^FROM\s+(?:--platform=\S+\s+)?(?:docker\.io/)?(?:library/)?golang:([0-9][^\s@-]*)`)
	anyFrom     = regexp.MustCompile(`(?mi)^FROM\s+(?:--platform=\S+\s+)?(\S+)`)
)

// CheckDockerfile checks the repo Dockerfile against go.mod: the builder image must
// be the Go release named by go.mod's go directive (with GOTOOLCHAIN=local an older
// one fails and a newer one hides a drift), and every base image must be pinned.
func CheckDockerfile(dockerfile, gomod []byte) []string {
	var problems []string
	m := goDirective.FindSubmatch(gomod)
	if m == nil {
		return []string{"go.mod has no go directive"}
	}
	want := string(m[1])
	builders := golangFrom.FindAllSubmatch(dockerfile, -1)
	if len(builders) == 0 {
		problems = append(problems, "Dockerfile has no golang:<version> build stage")
	}
	for _, b := range builders {
		if got := string(b[1]); got != want {
			problems = append(problems, fmt.Sprintf("Dockerfile builds with golang:%s but go.mod says go %s", got, want))
		}
	}
	stages := map[string]bool{}
	for _, line := range strings.Split(string(dockerfile), "\n") {
		f := strings.Fields(line)
		if len(f) >= 4 && strings.EqualFold(f[0], "FROM") && strings.EqualFold(f[len(f)-2], "AS") {
			stages[strings.ToLower(f[len(f)-1])] = true
		}
	}
	for _, from := range anyFrom.FindAllSubmatch(dockerfile, -1) {
		ref := string(from[1])
		if stages[strings.ToLower(ref)] || ref == "scratch" {
			continue
		}
		_, tag, digest := splitImage(ref)
		if (tag == "" && digest == "") || tag == "latest" {
			problems = append(problems, fmt.Sprintf("Dockerfile base image %q is not pinned to a version", ref))
		}
	}
	return problems
}
