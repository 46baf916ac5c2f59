// Package composecheck checks docker-compose.yml against what awardflow needs, so a
// renamed service, a forgotten variable or an unpinned image fails `go test` instead
// of a production start.
//
// It reads the Compose file as plain YAML (gopkg.in/yaml.v3) without interpolating
// ${VAR} placeholders: a placeholder counts as "set", because compose itself refuses
// to start when a ${VAR:?...} is missing.
package composecheck

import (
	"fmt"
	"net"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"go.temporal.io/api/enums/v1"
	"gopkg.in/yaml.v3"

	"github.com/awardflow/awardflow/internal/settings"
	"github.com/awardflow/awardflow/workflows"
)

// SearchAttributes are the typed search attributes the workflows upsert and the inbox
// queries; the namespace one-shot must register exactly these (name → Temporal CLI
// type). They come from package workflows, so the two cannot drift apart.
var SearchAttributes = cliTypes(workflows.SearchAttributes)

func cliTypes(m map[string]enums.IndexedValueType) map[string]string {
	names := map[enums.IndexedValueType]string{
		enums.INDEXED_VALUE_TYPE_KEYWORD:      "Keyword",
		enums.INDEXED_VALUE_TYPE_KEYWORD_LIST: "KeywordList",
		enums.INDEXED_VALUE_TYPE_DATETIME:     "Datetime",
		enums.INDEXED_VALUE_TYPE_TEXT:         "Text",
		enums.INDEXED_VALUE_TYPE_INT:          "Int",
		enums.INDEXED_VALUE_TYPE_DOUBLE:       "Double",
		enums.INDEXED_VALUE_TYPE_BOOL:         "Bool",
	}
	out := map[string]string{}
	for k, v := range m {
		out[k] = names[v]
	}
	return out
}

// Image repositories that identify each component.
const (
	temporalServerImage = "temporalio/server"
	temporalAdminImage  = "temporalio/admin-tools"
	temporalUIImage     = "temporalio/ui"
	postgresImage       = "postgres"
	postgresPort        = 5432
	deprecatedAutoSetup = "temporalio/auto-setup"
	temporalGRPCPort    = 7233
	s3DefaultPort       = 9000
)

// minioImages are S3 server images that speak MinIO's flags and MINIO_* settings.
var minioImages = map[string]bool{
	"pgsty/silo":               true,
	"pgsty/minio":              true,
	"cgr.dev/chainguard/minio": true,
	"minio/minio":              true,
	"quay.io/minio/minio":      true,
}

// File is the part of the Compose format the checks read.
type File struct {
	Services map[string]Service `yaml:"services"`
	Volumes  map[string]any     `yaml:"volumes"`
	Secrets  map[string]any     `yaml:"secrets"`
}

// Service is one Compose service. Fields with two accepted syntaxes stay yaml.Nodes.
type Service struct {
	Image       string         `yaml:"image"`
	Build       yaml.Node      `yaml:"build"`
	Command     yaml.Node      `yaml:"command"`
	Environment yaml.Node      `yaml:"environment"`
	DependsOn   yaml.Node      `yaml:"depends_on"`
	Ports       []yaml.Node    `yaml:"ports"`
	Volumes     []yaml.Node    `yaml:"volumes"`
	Secrets     []yaml.Node    `yaml:"secrets"`
	Healthcheck map[string]any `yaml:"healthcheck"`
}

// Check parses a Compose file and returns every problem found, sorted. A non-nil
// error means the file could not be read at all.
func Check(data []byte) ([]string, error) {
	var f File
	if err := yaml.Unmarshal(data, &f); err != nil {
		return nil, fmt.Errorf("parse compose file: %w", err)
	}
	if len(f.Services) == 0 {
		return nil, fmt.Errorf("compose file has no services")
	}
	c := &checker{f: f}
	c.run()
	sort.Strings(c.problems)
	return c.problems, nil
}

type checker struct {
	f        File
	problems []string
}

func (c *checker) addf(format string, args ...any) {
	c.problems = append(c.problems, fmt.Sprintf(format, args...))
}

func (c *checker) run() {
	names := sortedKeys(c.f.Services)
	for _, name := range names {
		c.checkImage(name, c.f.Services[name])
	}
	c.checkDependsOn(names)
	c.checkPorts(names)
	c.checkVolumesAndSecrets(names)

	temporal := c.findByImage(temporalServerImage)
	minio := c.findMinIO()
	temporalAddr := ""
	if len(temporal) != 1 {
		c.addf("want exactly one %s service, found %d %v", temporalServerImage, len(temporal), temporal)
	} else {
		temporalAddr = net.JoinHostPort(temporal[0], strconv.Itoa(temporalGRPCPort))
	}
	s3Addr := ""
	if len(minio) != 1 {
		c.addf("want exactly one MinIO-compatible S3 service, found %d %v", len(minio), minio)
	} else {
		s3Addr = net.JoinHostPort(minio[0], strconv.Itoa(c.s3Port(minio[0])))
	}

	c.checkUI(temporalAddr)
	namespace := c.checkNamespaceSetup(temporalAddr)
	bucket := c.checkBucketSetup()
	db := c.checkDatabaseSetup()
	c.checkAwardflow(names, temporalAddr, s3Addr, namespace, bucket, db)
}

// --- images -----------------------------------------------------------------

// splitImage returns repository and tag of "registry/repo:tag@digest".
func splitImage(ref string) (repo, tag, digest string) {
	if i := strings.Index(ref, "@"); i >= 0 {
		ref, digest = ref[:i], ref[i+1:]
	}
	repo = ref
	if i := strings.LastIndex(ref, ":"); i > strings.LastIndex(ref, "/") {
		repo, tag = ref[:i], ref[i+1:]
	}
	repo = strings.TrimPrefix(repo, "docker.io/")
	repo = strings.TrimPrefix(repo, "library/")
	return repo, tag, digest
}

func (c *checker) checkImage(name string, s Service) {
	hasBuild := !s.Build.IsZero()
	if s.Image == "" {
		if !hasBuild {
			c.addf("service %s: neither image nor build", name)
		}
		return
	}
	if strings.Contains(s.Image, "${") {
		c.addf("service %s: image %q uses a variable; pin a literal tag so the tested version is the deployed one", name, s.Image)
		return
	}
	repo, tag, digest := splitImage(s.Image)
	switch {
	case tag == "" && digest == "":
		c.addf("service %s: image %q has no tag (means :latest); pin a version", name, s.Image)
	case tag == "latest":
		c.addf("service %s: image %q uses :latest; pin a version", name, s.Image)
	}
	if repo == deprecatedAutoSetup {
		c.addf("service %s: %s is deprecated (no updates since 1.30.1); use %s with %s", name, repo, temporalServerImage, temporalAdminImage)
	}
}

func (c *checker) findByImage(repo string) []string {
	var out []string
	for _, name := range sortedKeys(c.f.Services) {
		if r, _, _ := splitImage(c.f.Services[name].Image); r == repo {
			out = append(out, name)
		}
	}
	return out
}

func (c *checker) findMinIO() []string {
	var out []string
	for _, name := range sortedKeys(c.f.Services) {
		r, _, _ := splitImage(c.f.Services[name].Image)
		if minioImages[r] && commandHas(c.f.Services[name].Command, "server") {
			out = append(out, name)
		}
	}
	return out
}

// s3Port is the port of MinIO's --address flag, else MinIO's default 9000.
func (c *checker) s3Port(service string) int {
	args := stringsOf(c.f.Services[service].Command)
	for i, a := range args {
		v := ""
		switch {
		case a == "--address" && i+1 < len(args):
			v = args[i+1]
		case strings.HasPrefix(a, "--address="):
			v = strings.TrimPrefix(a, "--address=")
		default:
			continue
		}
		if _, p, err := net.SplitHostPort(v); err == nil {
			if n, err := strconv.Atoi(p); err == nil {
				return n
			}
		}
		c.addf("service %s: cannot read the port of --address %q", service, v)
	}
	return s3DefaultPort
}

// --- depends_on, ports, volumes ---------------------------------------------

var validConditions = map[string]bool{
	"service_started": true, "service_healthy": true, "service_completed_successfully": true,
}

func (c *checker) checkDependsOn(names []string) {
	for _, name := range names {
		deps, err := dependsOn(c.f.Services[name].DependsOn)
		if err != nil {
			c.addf("service %s: depends_on: %v", name, err)
			continue
		}
		for _, dep := range sortedKeys(deps) {
			cond := deps[dep]
			target, ok := c.f.Services[dep]
			if !ok {
				c.addf("service %s: depends_on names %q, which is not a service", name, dep)
				continue
			}
			if dep == name {
				c.addf("service %s: depends on itself", name)
			}
			if !validConditions[cond] {
				c.addf("service %s: depends_on %s has unknown condition %q", name, dep, cond)
			}
			if cond == "service_healthy" && len(target.Healthcheck) == 0 {
				c.addf("service %s: waits for %s to be healthy, but %s has no healthcheck", name, dep, dep)
			}
		}
	}
}

// dependsOn reads both the list form and the map form of depends_on.
func dependsOn(n yaml.Node) (map[string]string, error) {
	out := map[string]string{}
	switch n.Kind {
	case 0:
		return out, nil
	case yaml.SequenceNode:
		for _, item := range n.Content {
			out[item.Value] = "service_started"
		}
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			var v struct {
				Condition string `yaml:"condition"`
			}
			if err := n.Content[i+1].Decode(&v); err != nil {
				return nil, fmt.Errorf("entry %s: %w", n.Content[i].Value, err)
			}
			if v.Condition == "" {
				v.Condition = "service_started"
			}
			out[n.Content[i].Value] = v.Condition
		}
	default:
		return nil, fmt.Errorf("neither a list nor a map")
	}
	return out, nil
}

func (c *checker) checkPorts(names []string) {
	seen := map[string]string{} // "ip:port/proto" → service
	for _, name := range names {
		for _, p := range c.f.Services[name].Ports {
			ip, port, proto, err := publishedPort(p)
			if err != nil {
				c.addf("service %s: port %q: %v", name, p.Value, err)
				continue
			}
			if port == "" {
				continue // container port only: nothing published on the host
			}
			// 0.0.0.0 overlaps every address: compare on the port when either side is unbound.
			for key, other := range seen {
				kIP, kPort, _ := strings.Cut(key, "|")
				if kPort == port+"/"+proto && (kIP == ip || kIP == "" || ip == "") {
					c.addf("host port %s/%s is published by both %s and %s", port, proto, other, name)
				}
			}
			seen[ip+"|"+port+"/"+proto] = name
		}
	}
}

// publishedPort returns host IP, host port and protocol of a ports entry.
func publishedPort(n yaml.Node) (ip, port, proto string, err error) {
	proto = "tcp"
	if n.Kind == yaml.MappingNode {
		var long struct {
			HostIP    string `yaml:"host_ip"`
			Published string `yaml:"published"`
			Protocol  string `yaml:"protocol"`
		}
		if err := n.Decode(&long); err != nil {
			return "", "", "", err
		}
		if long.Protocol != "" {
			proto = long.Protocol
		}
		return unbound(long.HostIP), long.Published, proto, nil
	}
	s := n.Value
	if i := strings.LastIndex(s, "/"); i >= 0 {
		s, proto = s[:i], s[i+1:]
	}
	parts := strings.Split(s, ":")
	switch len(parts) {
	case 1:
		return "", "", proto, nil
	case 2:
		return "", parts[0], proto, nil
	case 3:
		return unbound(parts[0]), parts[1], proto, nil
	}
	return "", "", "", fmt.Errorf("cannot parse (IPv6 host addresses are not supported by this check)")
}

// unbound maps the wildcard address to "", which the overlap test treats as "all".
func unbound(ip string) string {
	if ip == "0.0.0.0" {
		return ""
	}
	return ip
}

var namedVolume = regexp.MustCompile(`^[a-zA-Z0-9][a-zA-Z0-9_.-]*$`)

func (c *checker) checkVolumesAndSecrets(names []string) {
	for _, name := range names {
		s := c.f.Services[name]
		for _, v := range s.Volumes {
			source := ""
			if v.Kind == yaml.MappingNode {
				var long struct {
					Type   string `yaml:"type"`
					Source string `yaml:"source"`
				}
				if err := v.Decode(&long); err != nil {
					c.addf("service %s: volume: %v", name, err)
					continue
				}
				if long.Type != "volume" {
					continue
				}
				source = long.Source
			} else {
				src, _, found := strings.Cut(v.Value, ":")
				if !found {
					continue // anonymous volume
				}
				source = src
			}
			if namedVolume.MatchString(source) {
				if _, ok := c.f.Volumes[source]; !ok {
					c.addf("service %s: named volume %q is not declared under top-level volumes", name, source)
				}
			}
		}
		for _, sec := range s.Secrets {
			src := sec.Value
			if sec.Kind == yaml.MappingNode {
				var long struct {
					Source string `yaml:"source"`
				}
				if err := sec.Decode(&long); err != nil {
					c.addf("service %s: secret: %v", name, err)
					continue
				}
				src = long.Source
			}
			if _, ok := c.f.Secrets[src]; !ok {
				c.addf("service %s: secret %q is not declared under top-level secrets", name, src)
			}
		}
	}
}

// --- Temporal ---------------------------------------------------------------

func (c *checker) checkUI(temporalAddr string) {
	for _, name := range c.findByImage(temporalUIImage) {
		env, err := environment(c.f.Services[name].Environment)
		if err != nil {
			c.addf("service %s: environment: %v", name, err)
			continue
		}
		if temporalAddr != "" && env["TEMPORAL_ADDRESS"] != temporalAddr {
			c.addf("service %s: TEMPORAL_ADDRESS is %q, want %q (the temporal service)", name, env["TEMPORAL_ADDRESS"], temporalAddr)
		}
	}
}

// checkNamespaceSetup finds the admin-tools one-shot that creates the namespace and
// returns that namespace.
func (c *checker) checkNamespaceSetup(temporalAddr string) string {
	var found []string
	namespace := ""
	for _, name := range c.findByImage(temporalAdminImage) {
		env, err := environment(c.f.Services[name].Environment)
		if err != nil {
			c.addf("service %s: environment: %v", name, err)
			continue
		}
		if _, ok := env["NAMESPACE"]; !ok {
			continue // the schema one-shot
		}
		found = append(found, name)
		namespace = env["NAMESPACE"]
		if temporalAddr != "" && env["TEMPORAL_ADDRESS"] != temporalAddr {
			c.addf("service %s: TEMPORAL_ADDRESS is %q, want %q", name, env["TEMPORAL_ADDRESS"], temporalAddr)
		}
		got := map[string]string{}
		for _, pair := range strings.Fields(env["SEARCH_ATTRIBUTES"]) {
			k, v, ok := strings.Cut(pair, "=")
			if !ok {
				c.addf("service %s: SEARCH_ATTRIBUTES entry %q is not Name=Type", name, pair)
				continue
			}
			got[k] = v
		}
		for _, k := range sortedKeys(SearchAttributes) {
			if got[k] != SearchAttributes[k] {
				c.addf("service %s: search attribute %s must be registered as %s (got %q)", name, k, SearchAttributes[k], got[k])
			}
		}
		for _, k := range sortedKeys(got) {
			if _, ok := SearchAttributes[k]; !ok {
				c.addf("service %s: registers search attribute %s that awardflow does not use", name, k)
			}
		}
	}
	if len(found) != 1 {
		c.addf("want exactly one %s service with NAMESPACE (namespace + search attributes), found %d %v", temporalAdminImage, len(found), found)
	}
	return namespace
}

// checkBucketSetup finds the one-shot that creates the bucket and returns the bucket.
func (c *checker) checkBucketSetup() string {
	bucket := ""
	n := 0
	for _, name := range sortedKeys(c.f.Services) {
		env, err := environment(c.f.Services[name].Environment)
		if err != nil || env["BUCKET"] == "" {
			continue
		}
		n++
		bucket = env["BUCKET"]
	}
	if n != 1 {
		c.addf("want exactly one bucket-creating one-shot (environment BUCKET), found %d", n)
	}
	return bucket
}

// --- the records store ------------------------------------------------------

// appDB is awardflow's database as the one-shot that creates it (environment
// APP_DB_NAME, APP_DB_USER, APP_DB_PASSWORD) describes it.
type appDB struct {
	service, host, name, user, passwordVar string
}

// checkDatabaseSetup finds the one-shot that creates awardflow's database and role on
// the PostgreSQL service.
func (c *checker) checkDatabaseSetup() appDB {
	pg := c.findByImage(postgresImage)
	var servers []string // the PostgreSQL server(s): the postgres image, not as a one-shot
	for _, name := range pg {
		if env, _ := environment(c.f.Services[name].Environment); env["APP_DB_NAME"] == "" {
			servers = append(servers, name)
		}
	}
	var db appDB
	if len(servers) != 1 {
		c.addf("want exactly one %s service (the database of Temporal and awardflow), found %d %v", postgresImage, len(servers), servers)
	} else {
		db.host = servers[0]
	}
	var found []string
	for _, name := range sortedKeys(c.f.Services) {
		env, err := environment(c.f.Services[name].Environment)
		if err != nil || env["APP_DB_NAME"] == "" {
			continue
		}
		found = append(found, name)
		db.service, db.name, db.user = name, env["APP_DB_NAME"], env["APP_DB_USER"]
		if db.user == "" {
			c.addf("service %s: APP_DB_USER is not set (awardflow's own role)", name)
		}
		if pw := env["APP_DB_PASSWORD"]; placeholder.MatchString(pw) {
			db.passwordVar = placeholderVar(pw)
		} else {
			c.addf("service %s: APP_DB_PASSWORD must come from ${VAR:?...}, not a literal", name)
		}
		if db.host != "" && env["PGHOST"] != db.host {
			c.addf("service %s: PGHOST is %q, want %q (the PostgreSQL service)", name, env["PGHOST"], db.host)
		}
		if deps, _ := dependsOn(c.f.Services[name].DependsOn); db.host != "" && deps[db.host] != "service_healthy" {
			c.addf("service %s: must wait for %s to be healthy", name, db.host)
		}
	}
	if len(found) != 1 {
		c.addf("want exactly one one-shot that creates awardflow's database (environment APP_DB_NAME), found %d %v", len(found), found)
		return appDB{}
	}
	return db
}

// placeholderVar is the variable a ${VAR...} placeholder names.
func placeholderVar(s string) string {
	name := strings.TrimPrefix(s, "${")
	if i := strings.IndexAny(name, ":?-}"); i >= 0 {
		name = name[:i]
	}
	return name
}

// pgDSN reads postgres://user[:password]@host[:port]/db[?params]; the password may be a
// compose placeholder, which url.Parse would refuse.
var pgDSN = regexp.MustCompile(`^postgres(?:ql)?://([^:@/]+)(?::(.*))?@([A-Za-z0-9_.-]+)(?::([0-9]+))?/([A-Za-z0-9_-]+)(?:\?.*)?$`)

// checkStoreDSN checks a service's AWARDFLOW_DB against the database the one-shot creates.
// Messages never repeat the value: it may hold a password.
func (c *checker) checkStoreDSN(name, dsn string, db appDB) {
	if strings.HasPrefix(dsn, "sqlite:") {
		c.addf("service %s: %s names a SQLite file; the server and the worker run in separate containers and must share the PostgreSQL database", name, settings.EnvDB)
		return
	}
	m := pgDSN.FindStringSubmatch(dsn)
	if m == nil {
		c.addf("service %s: %s is not postgres://USER:${PASSWORD}@HOST:5432/DATABASE?sslmode=...", name, settings.EnvDB)
		return
	}
	user, password, host, port, database := m[1], m[2], m[3], m[4], m[5]
	if port == "" {
		port = strconv.Itoa(postgresPort)
	}
	if db.host != "" && (host != db.host || port != strconv.Itoa(postgresPort)) {
		c.addf("service %s: %s points at %s:%s, want %s:%d (the PostgreSQL service)", name, settings.EnvDB, host, port, db.host, postgresPort)
	}
	if db.service == "" {
		return
	}
	if database != db.name {
		c.addf("service %s: %s names database %q, but %s creates %q", name, settings.EnvDB, database, db.service, db.name)
	}
	if user != db.user {
		c.addf("service %s: %s signs in as %q, but %s creates the role %q", name, settings.EnvDB, user, db.service, db.user)
	}
	switch {
	case !placeholder.MatchString(password):
		c.addf("service %s: the password in %s must come from ${VAR:?...}, not a literal", name, settings.EnvDB)
	case db.passwordVar != "" && placeholderVar(password) != db.passwordVar:
		c.addf("service %s: the password in %s comes from ${%s}, but %s gives the role ${%s}", name, settings.EnvDB, placeholderVar(password), db.service, db.passwordVar)
	}
	if deps, _ := dependsOn(c.f.Services[name].DependsOn); deps[db.service] != "service_completed_successfully" {
		c.addf("service %s: must wait for %s (service_completed_successfully) so the database exists", name, db.service)
	}
}

// --- awardflow --------------------------------------------------------------

var placeholder = regexp.MustCompile(`^\$\{[A-Z0-9_]+(:?[?-][^}]*)?\}$`)

func (c *checker) checkAwardflow(names []string, temporalAddr, s3Addr, namespace, bucket string, db appDB) {
	roles := map[string][]string{}
	for _, name := range names {
		s := c.f.Services[name]
		if s.Build.IsZero() {
			continue
		}
		args := stringsOf(s.Command)
		if len(args) == 0 {
			c.addf("service %s: built from the repo but has no command (server or worker)", name)
			continue
		}
		role := args[0]
		if role != "server" && role != "worker" {
			c.addf("service %s: command %q is neither server nor worker", name, role)
			continue
		}
		roles[role] = append(roles[role], name)
		c.checkAwardflowService(name, role, temporalAddr, s3Addr, namespace, bucket)
		if env, err := environment(s.Environment); err == nil {
			if dsn, ok := env[settings.EnvDB]; ok && dsn != "" {
				c.checkStoreDSN(name, dsn, db)
			}
		}
	}
	for _, role := range []string{"server", "worker"} {
		if len(roles[role]) == 0 {
			c.addf("no awardflow service runs `awardflow %s`", role)
		}
	}
}

func (c *checker) checkAwardflowService(name, role, temporalAddr, s3Addr, namespace, bucket string) {
	s := c.f.Services[name]
	env, err := environment(s.Environment)
	if err != nil {
		c.addf("service %s: environment: %v", name, err)
		return
	}
	known := map[string]settings.Var{}
	for _, v := range settings.Vars {
		known[v.Name] = v
	}
	applies := func(v settings.Var) bool {
		return (role == "server" && v.Server) || (role == "worker" && v.Worker)
	}
	for _, v := range settings.Vars {
		if v.Required && applies(v) {
			if val, ok := env[v.Name]; !ok || val == "" {
				c.addf("service %s: required %s is not set", name, v.Name)
			}
		}
	}
	for _, k := range sortedKeys(env) {
		if !strings.HasPrefix(k, "AWARDFLOW_") {
			continue
		}
		v, ok := known[k]
		if !ok {
			c.addf("service %s: %s is not a variable awardflow reads (typo?)", name, k)
			continue
		}
		if !applies(v) {
			c.addf("service %s: %s is not read by `awardflow %s`", name, k, role)
		}
		if v.Secret && !placeholder.MatchString(env[k]) && !strings.HasPrefix(env[k], "/run/secrets/") {
			c.addf("service %s: secret %s must come from ${VAR:?...} or a /run/secrets file, not a literal", name, k)
		}
	}
	if temporalAddr != "" && env[settings.EnvTemporalAddress] != temporalAddr {
		c.addf("service %s: %s is %q, want %q (the temporal service)", name, settings.EnvTemporalAddress, env[settings.EnvTemporalAddress], temporalAddr)
	}
	if s3Addr != "" && env[settings.EnvS3Endpoint] != s3Addr {
		c.addf("service %s: %s is %q, want %q (the MinIO service)", name, settings.EnvS3Endpoint, env[settings.EnvS3Endpoint], s3Addr)
	}
	if namespace != "" && valueOrDefault(env, settings.EnvTemporalNamespace) != namespace {
		c.addf("service %s: namespace %q differs from the one the setup creates (%q)", name, valueOrDefault(env, settings.EnvTemporalNamespace), namespace)
	}
	if bucket != "" && valueOrDefault(env, settings.EnvS3Bucket) != bucket {
		c.addf("service %s: bucket %q differs from the one the setup creates (%q)", name, valueOrDefault(env, settings.EnvS3Bucket), bucket)
	}
	deps, _ := dependsOn(s.DependsOn)
	for _, need := range c.findByImage(temporalAdminImage) {
		if e, _ := environment(c.f.Services[need].Environment); e["NAMESPACE"] != "" && deps[need] != "service_completed_successfully" {
			c.addf("service %s: must wait for %s (service_completed_successfully) so the namespace exists", name, need)
		}
	}
	if role == "server" {
		test := fmt.Sprint(s.Healthcheck["test"])
		if !strings.Contains(test, "/readyz") {
			c.addf("service %s: healthcheck must probe /readyz, got %s", name, test)
		}
	}
}

func valueOrDefault(env map[string]string, name string) string {
	if v, ok := env[name]; ok {
		return v
	}
	for _, v := range settings.Vars {
		if v.Name == name {
			return v.Default
		}
	}
	return ""
}

// --- YAML helpers -----------------------------------------------------------

// environment reads both the map form and the list form ("K=V") of environment.
func environment(n yaml.Node) (map[string]string, error) {
	out := map[string]string{}
	switch n.Kind {
	case 0:
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			out[n.Content[i].Value] = n.Content[i+1].Value
		}
	case yaml.SequenceNode:
		for _, item := range n.Content {
			k, v, _ := strings.Cut(item.Value, "=")
			out[k] = v
		}
	default:
		return nil, fmt.Errorf("neither a map nor a list")
	}
	return out, nil
}

// stringsOf returns a command as words (list form, or a string split on spaces).
func stringsOf(n yaml.Node) []string {
	switch n.Kind {
	case yaml.SequenceNode:
		out := make([]string, 0, len(n.Content))
		for _, item := range n.Content {
			out = append(out, item.Value)
		}
		return out
	case yaml.ScalarNode:
		return strings.Fields(n.Value)
	}
	return nil
}

func commandHas(n yaml.Node, word string) bool {
	for _, w := range stringsOf(n) {
		if w == word {
			return true
		}
	}
	return false
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// --- Temporal archival (scripts/compose/archival.override.yml) ----------------

// ArchivalConfigFile is the Temporal server configuration the archival override mounts,
// relative to the repository.
const ArchivalConfigFile = "./scripts/compose/temporal-s3-archival.yaml"

// CheckArchivalOverride checks the compose override that turns on Temporal archival to
// S3 against the main compose file: the Temporal service runs from the archival
// configuration file it mounts, archives to the bucket a one-shot creates on the MinIO
// service, with that bucket's own credentials, and waits for the one-shot.
func CheckArchivalOverride(base, override []byte) ([]string, error) {
	var b, o File
	if err := yaml.Unmarshal(base, &b); err != nil {
		return nil, fmt.Errorf("parse compose file: %w", err)
	}
	if err := yaml.Unmarshal(override, &o); err != nil {
		return nil, fmt.Errorf("parse the archival override: %w", err)
	}
	c := &checker{f: b}
	temporal := c.findByImage(temporalServerImage)
	minio := c.findMinIO()
	if len(temporal) != 1 || len(minio) != 1 {
		return nil, fmt.Errorf("the compose file needs one Temporal and one MinIO service (found %v, %v)", temporal, minio)
	}
	s3URL := "http://" + net.JoinHostPort(minio[0], strconv.Itoa(c.s3Port(minio[0])))

	var bucketShot string
	var shotEnv map[string]string
	for _, name := range sortedKeys(o.Services) {
		env, err := environment(o.Services[name].Environment)
		if err != nil || env["BUCKET"] == "" {
			continue
		}
		if bucketShot != "" {
			c.addf("the archival override has two bucket one-shots: %s and %s", bucketShot, name)
		}
		bucketShot, shotEnv = name, env
		if _, ok := b.Services[name]; ok {
			c.addf("service %s: the archival override's bucket one-shot replaces a service of the compose file", name)
		}
		if env["MINIO_URL"] != s3URL {
			c.addf("service %s: MINIO_URL is %q, want %q", name, env["MINIO_URL"], s3URL)
		}
		if env["POLICY"] == "" || env["POLICY"] == "awardflow-app" {
			c.addf("service %s: POLICY must name the archive bucket's own policy (awardflow-app is awardflow's)", name)
		}
		for _, k := range []string{"APP_ACCESS_KEY", "APP_SECRET_KEY", "MINIO_ROOT_PASSWORD"} {
			if !placeholder.MatchString(env[k]) {
				c.addf("service %s: %s must come from ${VAR:?...}", name, k)
			}
		}
		o2 := &checker{f: o}
		o2.checkImage(name, o.Services[name])
		c.problems = append(c.problems, o2.problems...)
	}
	if bucketShot == "" {
		c.addf("the archival override creates no archive bucket (a one-shot with environment BUCKET)")
		return c.problems, nil
	}
	t, ok := o.Services[temporal[0]]
	if !ok {
		c.addf("the archival override does not configure the %s service", temporal[0])
		return c.problems, nil
	}
	env, err := environment(t.Environment)
	if err != nil {
		return nil, fmt.Errorf("service %s: environment: %w", temporal[0], err)
	}
	mounted := ""
	for _, v := range t.Volumes {
		if src, dst, ok := strings.Cut(v.Value, ":"); ok && src == ArchivalConfigFile {
			mounted, _, _ = strings.Cut(dst, ":")
		}
	}
	switch {
	case mounted == "":
		c.addf("service %s: the override does not mount %s", temporal[0], ArchivalConfigFile)
	case env["TEMPORAL_SERVER_CONFIG_FILE_PATH"] != mounted:
		c.addf("service %s: TEMPORAL_SERVER_CONFIG_FILE_PATH is %q, want %q (where %s is mounted)", temporal[0], env["TEMPORAL_SERVER_CONFIG_FILE_PATH"], mounted, ArchivalConfigFile)
	}
	if want := "s3://" + shotEnv["BUCKET"]; env["ARCHIVAL_S3_URI"] != want {
		c.addf("service %s: ARCHIVAL_S3_URI is %q, want %q (the bucket %s creates)", temporal[0], env["ARCHIVAL_S3_URI"], want, bucketShot)
	}
	if env["ARCHIVAL_S3_ENDPOINT"] != s3URL {
		c.addf("service %s: ARCHIVAL_S3_ENDPOINT is %q, want %q (the MinIO service)", temporal[0], env["ARCHIVAL_S3_ENDPOINT"], s3URL)
	}
	for k, shot := range map[string]string{"AWS_ACCESS_KEY_ID": "APP_ACCESS_KEY", "AWS_SECRET_ACCESS_KEY": "APP_SECRET_KEY"} {
		if !placeholder.MatchString(env[k]) || placeholderVar(env[k]) != placeholderVar(shotEnv[shot]) {
			c.addf("service %s: %s must be ${%s...}, the credentials %s gives the archive bucket", temporal[0], k, placeholderVar(shotEnv[shot]), bucketShot)
		}
	}
	if deps, _ := dependsOn(t.DependsOn); deps[bucketShot] != "service_completed_successfully" {
		c.addf("service %s: must wait for %s (service_completed_successfully): the namespace needs the bucket", temporal[0], bucketShot)
	}
	sort.Strings(c.problems)
	return c.problems, nil
}
