package composecheck

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/awardflow/awardflow/internal/settings"
)

func readRepoFile(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", name))
	if err != nil {
		t.Fatalf("read %s: %v", name, err)
	}
	return b
}

// TestRepoComposeFile is the real check: the docker-compose.yml in the repository.
func TestRepoComposeFile(t *testing.T) {
	problems, err := Check(readRepoFile(t, "docker-compose.yml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range problems {
		t.Error(p)
	}
}

func TestRepoDockerfile(t *testing.T) {
	for _, p := range CheckDockerfile(readRepoFile(t, "Dockerfile"), readRepoFile(t, "go.mod")) {
		t.Error(p)
	}
}

// TestRepoComposeScriptsExist: bind-mounted setup scripts must exist in the repo and
// be the ones the one-shots run.
func TestRepoComposeScriptsExist(t *testing.T) {
	var f File
	if err := yaml.Unmarshal(readRepoFile(t, "docker-compose.yml"), &f); err != nil {
		t.Fatal(err)
	}
	n := 0
	for name, s := range f.Services {
		for _, v := range s.Volumes {
			src, _, _ := strings.Cut(v.Value, ":")
			if !strings.HasPrefix(src, "./") {
				continue
			}
			n++
			if _, err := os.Stat(filepath.Join("..", "..", src)); err != nil {
				t.Errorf("service %s mounts %s: %v", name, src, err)
			}
		}
	}
	if n == 0 {
		t.Fatal("no bind mounts of repo files found; the setup scripts are not mounted")
	}
}

// good is a small valid topology; each negative case breaks one thing in it.
const good = `
services:
  db:
    image: postgres:16.15
    healthcheck: {test: ["CMD", "true"]}
  temporal:
    image: temporalio/server:1.32.1
    depends_on:
      db: {condition: service_healthy}
    healthcheck: {test: ["CMD", "nc", "-z", "localhost", "7233"]}
    ports: ["127.0.0.1:7233:7233"]
  ns:
    image: temporalio/admin-tools:1.32.1
    depends_on: {temporal: {condition: service_healthy}}
    environment:
      TEMPORAL_ADDRESS: temporal:7233
      NAMESPACE: awardflow
      SEARCH_ATTRIBUTES: AwardStage=Keyword AwardAssignees=KeywordList AwardDepartment=Keyword AwardDueAt=Datetime AwardKind=Keyword AwardDocuments=KeywordList AwardProposer=Keyword
  ui:
    image: temporalio/ui:2.55.0
    environment: [TEMPORAL_ADDRESS=temporal:7233]
    ports: ["127.0.0.1:8233:8080"]
  s3:
    image: pgsty/silo:RELEASE.2026-09-16T00-00-00Z
    command: server /data --address :9000
    volumes: [s3data:/data]
    healthcheck: {test: ["CMD", "true"]}
  dbinit:
    image: postgres:16.15
    depends_on: {db: {condition: service_healthy}}
    environment: {PGHOST: db, APP_DB_NAME: awardflow, APP_DB_USER: af, APP_DB_PASSWORD: "${DBPW:?set}"}
  s3init:
    image: pgsty/mc:RELEASE.2026-09-16T00-00-00Z
    depends_on: {s3: {condition: service_healthy}}
    environment: {BUCKET: awardflow}
  web:
    build: .
    command: ["server"]
    depends_on: {ns: {condition: service_completed_successfully}, dbinit: {condition: service_completed_successfully}}
    environment:
      AWARDFLOW_TEMPORAL_ADDRESS: temporal:7233
      AWARDFLOW_TEMPORAL_NAMESPACE: awardflow
      AWARDFLOW_S3_ENDPOINT: s3:9000
      AWARDFLOW_S3_ACCESS_KEY: ${KEY:?set}
      AWARDFLOW_S3_SECRET_KEY: ${SECRET:?set}
      AWARDFLOW_S3_BUCKET: awardflow
      AWARDFLOW_ORG_CONFIG: /etc/org.yaml
      AWARDFLOW_TOKEN_SECRET: ${TOKEN:?set}
      AWARDFLOW_BALLOT_KEY: ${BALLOT:?set}
      AWARDFLOW_DB: "postgres://af:${DBPW:?set}@db:5432/awardflow?sslmode=disable"
    ports: ["8080:8080"]
    healthcheck: {test: ["CMD", "curl", "-f", "http://127.0.0.1:8080/readyz"]}
  work:
    build: .
    command: worker
    depends_on: {ns: {condition: service_completed_successfully}, dbinit: {condition: service_completed_successfully}}
    environment:
      AWARDFLOW_TEMPORAL_ADDRESS: temporal:7233
      AWARDFLOW_TEMPORAL_NAMESPACE: awardflow
      AWARDFLOW_S3_ENDPOINT: s3:9000
      AWARDFLOW_S3_ACCESS_KEY: ${KEY:?set}
      AWARDFLOW_S3_SECRET_KEY: ${SECRET:?set}
      AWARDFLOW_S3_BUCKET: awardflow
      AWARDFLOW_ORG_CONFIG: /etc/org.yaml
      AWARDFLOW_SIGNING_KEY: /run/secrets/key
      AWARDFLOW_BALLOT_KEY: ${BALLOT:?set}
      AWARDFLOW_DB: "postgres://af:${DBPW:?set}@db:5432/awardflow?sslmode=disable"
    secrets: [key]
volumes:
  s3data:
secrets:
  key: {file: ./key.pem}
`

func TestGoodSnippetPasses(t *testing.T) {
	problems, err := Check([]byte(good))
	if err != nil {
		t.Fatal(err)
	}
	if len(problems) != 0 {
		t.Fatalf("valid snippet reported problems:\n%s", strings.Join(problems, "\n"))
	}
}

// TestBrokenSnippets feeds one defect at a time and requires the checker to name it.
func TestBrokenSnippets(t *testing.T) {
	cases := []struct {
		name, old, new, want string
	}{
		{"latest tag", "postgres:16.15", "postgres:latest", "uses :latest"},
		{"no tag", "postgres:16.15", "postgres", "has no tag"},
		{"variable tag", "temporalio/ui:2.55.0", "temporalio/ui:${UI}", "uses a variable"},
		{"auto-setup", "temporalio/server:1.32.1", "temporalio/auto-setup:1.30.1", "deprecated"},
		{"missing required var", "      AWARDFLOW_TOKEN_SECRET: ${TOKEN:?set}\n", "", "required AWARDFLOW_TOKEN_SECRET is not set"},
		{"worker lacks org config", "AWARDFLOW_ORG_CONFIG: /etc/org.yaml\n      AWARDFLOW_SIGNING_KEY", "AWARDFLOW_SIGNING_KEY", "service work: required AWARDFLOW_ORG_CONFIG"},
		{"typo var", "AWARDFLOW_S3_BUCKET: awardflow\n      AWARDFLOW_ORG_CONFIG: /etc/org.yaml\n      AWARDFLOW_TOKEN",
			"AWARDFLOW_S3_BUCKT: awardflow\n      AWARDFLOW_ORG_CONFIG: /etc/org.yaml\n      AWARDFLOW_TOKEN", "AWARDFLOW_S3_BUCKT is not a variable"},
		{"server-only var on worker", "AWARDFLOW_SIGNING_KEY: /run/secrets/key", "AWARDFLOW_SIGNING_KEY: /run/secrets/key\n      AWARDFLOW_TOKEN_SECRET: ${TOKEN:?set}", "not read by `awardflow worker`"},
		{"literal secret", "AWARDFLOW_S3_SECRET_KEY: ${SECRET:?set}\n      AWARDFLOW_S3_BUCKET: awardflow\n      AWARDFLOW_ORG_CONFIG: /etc/org.yaml\n      AWARDFLOW_TOKEN",
			"AWARDFLOW_S3_SECRET_KEY: hunter2\n      AWARDFLOW_S3_BUCKET: awardflow\n      AWARDFLOW_ORG_CONFIG: /etc/org.yaml\n      AWARDFLOW_TOKEN", "must come from ${VAR"},
		{"wrong temporal address", "AWARDFLOW_TEMPORAL_ADDRESS: temporal:7233\n      AWARDFLOW_TEMPORAL_NAMESPACE: awardflow\n      AWARDFLOW_S3_ENDPOINT: s3:9000\n      AWARDFLOW_S3_ACCESS_KEY: ${KEY:?set}\n      AWARDFLOW_S3_SECRET_KEY: ${SECRET:?set}\n      AWARDFLOW_S3_BUCKET: awardflow\n      AWARDFLOW_ORG_CONFIG: /etc/org.yaml\n      AWARDFLOW_SIGNING",
			"AWARDFLOW_TEMPORAL_ADDRESS: localhost:7233\n      AWARDFLOW_TEMPORAL_NAMESPACE: awardflow\n      AWARDFLOW_S3_ENDPOINT: s3:9000\n      AWARDFLOW_S3_ACCESS_KEY: ${KEY:?set}\n      AWARDFLOW_S3_SECRET_KEY: ${SECRET:?set}\n      AWARDFLOW_S3_BUCKET: awardflow\n      AWARDFLOW_ORG_CONFIG: /etc/org.yaml\n      AWARDFLOW_SIGNING", `AWARDFLOW_TEMPORAL_ADDRESS is "localhost:7233", want "temporal:7233"`},
		{"wrong s3 port", "command: server /data --address :9000", "command: server /data --address :9100", `want "s3:9100"`},
		{"unknown depends_on", "depends_on: {s3: {condition: service_healthy}}", "depends_on: {minio: {condition: service_healthy}}", `"minio", which is not a service`},
		{"healthy without healthcheck", "    environment: [TEMPORAL_ADDRESS=temporal:7233]", "    depends_on: {s3init: {condition: service_healthy}}\n    environment: [TEMPORAL_ADDRESS=temporal:7233]", "s3init has no healthcheck"},
		{"duplicate port", `ports: ["127.0.0.1:8233:8080"]`, `ports: ["8080:8080"]`, "host port 8080/tcp is published by both"},
		{"ui wrong address", "TEMPORAL_ADDRESS=temporal:7233]", "TEMPORAL_ADDRESS=127.0.0.1:7233]", "service ui: TEMPORAL_ADDRESS"},
		{"undeclared volume", "volumes: [s3data:/data]", "volumes: [other:/data]", `named volume "other" is not declared`},
		{"undeclared secret", "secrets: [key]", "secrets: [cert]", `secret "cert" is not declared`},
		{"missing search attribute", " AwardKind=Keyword", "", "search attribute AwardKind must be registered"},
		{"wrong search attribute type", "AwardAssignees=KeywordList", "AwardAssignees=Keyword", "AwardAssignees must be registered as KeywordList"},
		{"namespace mismatch", "      NAMESPACE: awardflow", "      NAMESPACE: other", "differs from the one the setup creates"},
		{"no readyz", "http://127.0.0.1:8080/readyz", "http://127.0.0.1:8080/", "must probe /readyz"},
		{"no worker", "command: worker", "command: server", "no awardflow service runs `awardflow worker`"},
		{"worker not waiting for namespace", "command: worker\n    depends_on: {ns: {condition: service_completed_successfully}, ", "command: worker\n    depends_on: {", "must wait for ns"},
		{"store: literal password", "${DBPW:?set}@", "hunter2@", "password in AWARDFLOW_DB must come from ${VAR"},
		{"store: another password variable", "${DBPW:?set}@", "${DB_PASS:?set}@", "comes from ${DB_PASS}, but dbinit gives the role ${DBPW}"},
		{"store: wrong host", "@db:5432/", "@localhost:5432/", "points at localhost:5432, want db:5432"},
		{"store: wrong port", "@db:5432/", "@db:6432/", "points at db:6432, want db:5432"},
		{"store: wrong database", "5432/awardflow?", "5432/temporal?", `names database "temporal", but dbinit creates "awardflow"`},
		{"store: wrong role", "postgres://af:", "postgres://temporal:", `signs in as "temporal", but dbinit creates the role "af"`},
		{"store: sqlite", `"postgres://af:${DBPW:?set}@db:5432/awardflow?sslmode=disable"`, "sqlite:///data/awardflow.db", "names a SQLite file"},
		{"store: not a URL", `"postgres://af:${DBPW:?set}@db:5432/awardflow?sslmode=disable"`, "host=db dbname=awardflow", "is not postgres://"},
		{"store: server not waiting for the database", "dbinit: {condition: service_completed_successfully}}", "}", "must wait for dbinit (service_completed_successfully) so the database exists"},
		{"store: no database one-shot", "APP_DB_NAME: awardflow, ", "", "one-shot that creates awardflow's database (environment APP_DB_NAME), found 0"},
		{"store: one-shot literal password", `APP_DB_PASSWORD: "${DBPW:?set}"`, "APP_DB_PASSWORD: hunter2", "APP_DB_PASSWORD must come from"},
		{"store: one-shot on another host", "PGHOST: db,", "PGHOST: localhost,", `PGHOST is "localhost", want "db"`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if !strings.Contains(good, tc.old) {
				t.Fatalf("test bug: %q not in the good snippet", tc.old)
			}
			broken := strings.Replace(good, tc.old, tc.new, 1)
			problems, err := Check([]byte(broken))
			if err != nil {
				t.Fatalf("Check: %v", err)
			}
			for _, p := range problems {
				if strings.Contains(p, "hunter2") {
					t.Errorf("a problem repeats a password: %s", p)
				}
			}
			for _, p := range problems {
				if strings.Contains(p, tc.want) {
					return
				}
			}
			t.Fatalf("no problem mentions %q; got:\n%s", tc.want, strings.Join(problems, "\n"))
		})
	}
}

func TestUnparsable(t *testing.T) {
	if _, err := Check([]byte("services: [")); err == nil {
		t.Fatal("broken YAML accepted")
	}
	if _, err := Check([]byte("volumes: {}\n")); err == nil {
		t.Fatal("file without services accepted")
	}
}

// TestEveryRequiredVarIsExercised guards the guard: if settings gains a required
// variable, the good snippet (and so the real compose file check) must know it.
func TestEveryRequiredVarIsExercised(t *testing.T) {
	for _, v := range settings.Vars {
		if v.Required && !strings.Contains(good, v.Name+":") {
			t.Errorf("required %s missing from the good snippet; add it (and to docker-compose.yml)", v.Name)
		}
	}
}

func TestCheckDockerfile(t *testing.T) {
	gomod := []byte("module x\n\ngo 1.26.8\n")
	ok := []byte("FROM golang:1.26.8-trixie AS build\nRUN true\nFROM debian:13.6-slim\nCOPY --from=build /a /a\n")
	if p := CheckDockerfile(ok, gomod); len(p) != 0 {
		t.Fatalf("valid Dockerfile reported: %v", p)
	}
	cases := map[string]struct {
		dockerfile, want string
	}{
		"old go":      {"FROM golang:1.26.7-trixie AS build\nFROM debian:13.6-slim\n", "go.mod says go 1.26.8"},
		"no builder":  {"FROM debian:13.6-slim\n", "no golang:<version> build stage"},
		"latest base": {"FROM golang:1.26.8 AS build\nFROM debian:latest\n", `"debian:latest" is not pinned`},
		"untagged":    {"FROM golang:1.26.8 AS build\nFROM gcr.io/distroless/static\n", "is not pinned"},
	}
	for name, tc := range cases {
		found := false
		for _, p := range CheckDockerfile([]byte(tc.dockerfile), gomod) {
			found = found || strings.Contains(p, tc.want)
		}
		if !found {
			t.Errorf("%s: no problem mentions %q", name, tc.want)
		}
	}
}

func TestSplitImage(t *testing.T) {
	for in, want := range map[string][3]string{
		"postgres:16.15":                          {"postgres", "16.15", ""},
		"docker.io/library/postgres:16":           {"postgres", "16", ""},
		"localhost:5000/team/app":                 {"localhost:5000/team/app", "", ""},
		"localhost:5000/team/app:v1@sha256:ab":    {"localhost:5000/team/app", "v1", "sha256:ab"},
		"pgsty/silo:RELEASE.2026-09-16T00-00-00Z": {"pgsty/silo", "RELEASE.2026-09-16T00-00-00Z", ""},
	} {
		r, tag, d := splitImage(in)
		if [3]string{r, tag, d} != want {
			t.Errorf("splitImage(%q) = %q %q %q, want %v", in, r, tag, d, want)
		}
	}
}

// TestArchivalOverride: the override that turns on Temporal archival to S3 fits the
// compose file, mounts a configuration file that exists, and each defect is named.
func TestArchivalOverride(t *testing.T) {
	base := readRepoFile(t, "docker-compose.yml")
	override := readRepoFile(t, "scripts/compose/archival.override.yml")
	if _, err := os.Stat(filepath.Join("..", "..", ArchivalConfigFile)); err != nil {
		t.Fatal(err)
	}
	problems, err := CheckArchivalOverride(base, override)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range problems {
		t.Error(p)
	}
	for _, tc := range []struct{ old, new, want string }{
		{"ARCHIVAL_S3_URI: s3://temporal-archival", "ARCHIVAL_S3_URI: s3://other", `ARCHIVAL_S3_URI is "s3://other"`},
		{"ARCHIVAL_S3_ENDPOINT: http://minio:9000", "ARCHIVAL_S3_ENDPOINT: http://minio:9100", "ARCHIVAL_S3_ENDPOINT"},
		{"AWS_ACCESS_KEY_ID: ${TEMPORAL_ARCHIVAL_ACCESS_KEY", "AWS_ACCESS_KEY_ID: ${AWARDFLOW_S3_ACCESS_KEY", "AWS_ACCESS_KEY_ID must be ${TEMPORAL_ARCHIVAL_ACCESS_KEY"},
		{"POLICY: temporal-archival", "POLICY: awardflow-app", "POLICY must name"},
		{"TEMPORAL_SERVER_CONFIG_FILE_PATH: /etc/temporal/config/awardflow.yaml", "TEMPORAL_SERVER_CONFIG_FILE_PATH: /etc/x.yaml", "TEMPORAL_SERVER_CONFIG_FILE_PATH is"},
		{"      temporal-archival-bucket:\n        condition: service_completed_successfully\n", "      minio:\n        condition: service_healthy\n", "must wait for temporal-archival-bucket"},
		{"pgsty/mc:RELEASE.2026-09-16T00-00-00Z", "pgsty/mc:latest", "uses :latest"},
	} {
		broken := strings.Replace(string(override), tc.old, tc.new, 1)
		if broken == string(override) {
			t.Fatalf("test bug: %q not in the override", tc.old)
		}
		problems, err := CheckArchivalOverride(base, []byte(broken))
		if err != nil {
			t.Fatal(err)
		}
		if !slices.ContainsFunc(problems, func(p string) bool { return strings.Contains(p, tc.want) }) {
			t.Errorf("%q -> %q: no problem mentions %q; got %v", tc.old, tc.new, tc.want, problems)
		}
	}
}
