// Package settings names the environment variables that configure the production
// `awardflow server` and `awardflow worker` commands, and loads them.
//
// The names live in one place so that --help, the README and the docker-compose
// check (internal/composecheck) cannot drift apart.
package settings

// Var describes one environment variable.
type Var struct {
	Name     string
	Required bool   // the command refuses to start without it
	Default  string // used when unset and not required
	Help     string // English help text, shown by --help
	Server   bool   // read by `awardflow server`
	Worker   bool   // read by `awardflow worker`
	Secret   bool   // never printed
}

// Environment variable names.
const (
	EnvAddr              = "AWARDFLOW_ADDR"
	EnvTemporalAddress   = "AWARDFLOW_TEMPORAL_ADDRESS"
	EnvTemporalNamespace = "AWARDFLOW_TEMPORAL_NAMESPACE"
	EnvTaskQueue         = "AWARDFLOW_TASK_QUEUE"
	EnvS3Endpoint        = "AWARDFLOW_S3_ENDPOINT"
	EnvS3AccessKey       = "AWARDFLOW_S3_ACCESS_KEY"
	EnvS3SecretKey       = "AWARDFLOW_S3_SECRET_KEY"
	EnvS3Bucket          = "AWARDFLOW_S3_BUCKET"
	EnvS3Region          = "AWARDFLOW_S3_REGION"
	EnvS3TLS             = "AWARDFLOW_S3_TLS"
	EnvOrgConfig         = "AWARDFLOW_ORG_CONFIG"
	EnvTokenSecret       = "AWARDFLOW_TOKEN_SECRET"
	EnvBallotKey         = "AWARDFLOW_BALLOT_KEY"
	EnvSigningCert       = "AWARDFLOW_SIGNING_CERT"
	EnvSigningKey        = "AWARDFLOW_SIGNING_KEY"
	EnvSigningP12        = "AWARDFLOW_SIGNING_P12"
	EnvSigningP12Pass    = "AWARDFLOW_SIGNING_P12_PASSWORD"
	EnvTrustedCA         = "AWARDFLOW_TRUSTED_CA"
	EnvSignatureImage    = "AWARDFLOW_SIGNATURE_IMAGE"
	EnvSecretaryCert     = "AWARDFLOW_SECRETARY_CERT"
	EnvSecretaryKey      = "AWARDFLOW_SECRETARY_KEY"
	EnvSealCert          = "AWARDFLOW_SEAL_CERT"
	EnvSealKey           = "AWARDFLOW_SEAL_KEY"
	EnvSealImage         = "AWARDFLOW_SEAL_IMAGE"
	EnvTrustedProxies    = "AWARDFLOW_TRUSTED_PROXIES"
	EnvKeysDir           = "AWARDFLOW_KEYS_DIR"
	EnvKeysPassword      = "AWARDFLOW_KEYS_PASSWORD"
	EnvKeysPasswordFile  = "AWARDFLOW_KEYS_PASSWORD_FILE"
	EnvDB                = "AWARDFLOW_DB"
	EnvSMTPHost          = "AWARDFLOW_SMTP_HOST"
	EnvSMTPPort          = "AWARDFLOW_SMTP_PORT"
	EnvSMTPUser          = "AWARDFLOW_SMTP_USER"
	EnvSMTPPassword      = "AWARDFLOW_SMTP_PASSWORD"
	EnvSMTPPasswordFile  = "AWARDFLOW_SMTP_PASSWORD_FILE"
	EnvSMTPTLS           = "AWARDFLOW_SMTP_TLS"
	EnvSMTPFrom          = "AWARDFLOW_SMTP_FROM"
	EnvSMTPDefaultDomain = "AWARDFLOW_SMTP_DEFAULT_DOMAIN"
	EnvPublicURL         = "AWARDFLOW_PUBLIC_URL"
	EnvWorkflowCache     = "AWARDFLOW_WORKFLOW_CACHE"
	EnvOIDCIssuer        = "AWARDFLOW_OIDC_ISSUER"
	EnvOIDCClientID      = "AWARDFLOW_OIDC_CLIENT_ID"
	EnvOIDCClientSecret  = "AWARDFLOW_OIDC_CLIENT_SECRET"
	EnvOIDCSecretFile    = "AWARDFLOW_OIDC_CLIENT_SECRET_FILE"
	EnvOIDCRedirectURL   = "AWARDFLOW_OIDC_REDIRECT_URL"
	EnvOIDCClaim         = "AWARDFLOW_OIDC_CLAIM"
	EnvOIDCScopes        = "AWARDFLOW_OIDC_SCOPES"
	EnvLocalLogin        = "AWARDFLOW_LOCAL_LOGIN"
	EnvWorkerAddr        = "AWARDFLOW_WORKER_ADDR"
	EnvLogFormat         = "AWARDFLOW_LOG_FORMAT"
	EnvMetricsToken      = "AWARDFLOW_METRICS_TOKEN"

	EnvTemporalTLS           = "AWARDFLOW_TEMPORAL_TLS"
	EnvTemporalTLSCA         = "AWARDFLOW_TEMPORAL_TLS_CA"
	EnvTemporalTLSServerName = "AWARDFLOW_TEMPORAL_TLS_SERVER_NAME"
	EnvTemporalTLSCert       = "AWARDFLOW_TEMPORAL_TLS_CERT"
	EnvTemporalTLSKey        = "AWARDFLOW_TEMPORAL_TLS_KEY"
	EnvTemporalAPIKey        = "AWARDFLOW_TEMPORAL_API_KEY"
	EnvTemporalAPIKeyFile    = "AWARDFLOW_TEMPORAL_API_KEY_FILE"
)

// Vars lists every variable, in the order --help prints them.
var Vars = []Var{
	{Name: EnvAddr, Default: "0.0.0.0:8080", Help: "HTTP listen address", Server: true},
	{Name: EnvTemporalAddress, Required: true, Help: "Temporal frontend host:port", Server: true, Worker: true},
	{Name: EnvTemporalNamespace, Default: "default", Help: "Temporal namespace", Server: true, Worker: true},
	{Name: EnvTaskQueue, Default: "awardflow", Help: "Temporal task queue", Server: true, Worker: true},
	{Name: EnvTemporalTLS, Help: "connect to Temporal over TLS (true/false); empty: TLS when any other " + EnvTemporalTLS + "_* variable or the API key is set. The frontend is full authority (updates carry the actor): restrict who reaches it (mTLS, network policy)", Server: true, Worker: true},
	{Name: EnvTemporalTLSCA, Help: "PEM CA certificate(s) the Temporal frontend's certificate must chain to; empty: the system roots", Server: true, Worker: true},
	{Name: EnvTemporalTLSServerName, Help: "name the Temporal frontend's certificate must carry; empty: the host of " + EnvTemporalAddress, Server: true, Worker: true},
	{Name: EnvTemporalTLSCert, Help: "PEM client certificate (chain) for mutual TLS to Temporal; with " + EnvTemporalTLSKey, Server: true, Worker: true},
	{Name: EnvTemporalTLSKey, Help: "PEM private key of " + EnvTemporalTLSCert, Server: true, Worker: true},
	{Name: EnvTemporalAPIKey, Help: "API key sent to Temporal (e.g. Temporal Cloud; implies TLS); or use " + EnvTemporalAPIKeyFile, Server: true, Worker: true, Secret: true},
	{Name: EnvTemporalAPIKeyFile, Help: "file holding the Temporal API key (e.g. a compose secret)", Server: true, Worker: true},
	{Name: EnvS3Endpoint, Required: true, Help: "S3 endpoint host:port (MinIO)", Server: true, Worker: true},
	{Name: EnvS3AccessKey, Required: true, Help: "S3 access key", Server: true, Worker: true, Secret: true},
	{Name: EnvS3SecretKey, Required: true, Help: "S3 secret key", Server: true, Worker: true, Secret: true},
	{Name: EnvS3Bucket, Default: "awardflow", Help: "S3 bucket for evidence and documents", Server: true, Worker: true},
	{Name: EnvS3Region, Default: "us-east-1", Help: "S3 region", Server: true, Worker: true},
	{Name: EnvS3TLS, Default: "false", Help: "use HTTPS for S3 (true/false)", Server: true, Worker: true},
	{Name: EnvDB, Required: true, Help: "records store (directory, award register, document index, lists): postgres://awardflow:PASSWORD@host:5432/awardflow?sslmode=disable, or sqlite:///path/awardflow.db for one machine; migrated at start", Server: true, Worker: true},
	{Name: EnvOrgConfig, Required: true, Help: "path to the organisation YAML (agency, people, roles, award types)", Server: true, Worker: true},
	{Name: EnvTokenSecret, Required: true, Help: "secret (>= 32 bytes) that signs bearer tokens; same on every server", Server: true, Secret: true},
	{Name: EnvBallotKey, Required: true, Help: "64 hex digits (32 bytes) that seal council ballots; the same on server and worker (openssl rand -hex 32)", Server: true, Worker: true, Secret: true},
	{Name: EnvKeysDir, Help: "directory of PKCS#12 files: <person-id>.p12 for each person who signs (the signer of decisions, deputies, the council chair and secretary), agency.p12 for the agency's seal", Worker: true},
	{Name: EnvKeysPassword, Help: "password of the PKCS#12 files in " + EnvKeysDir + "; or use " + EnvKeysPasswordFile, Worker: true, Secret: true},
	{Name: EnvKeysPasswordFile, Help: "file holding the password of the PKCS#12 files (e.g. a compose secret)", Worker: true},
	{Name: EnvSigningCert, Help: "deprecated (use " + EnvKeysDir + "): PEM certificate (chain) of the signer of decisions; or use " + EnvSigningP12, Worker: true},
	{Name: EnvSigningKey, Help: "deprecated: PEM private key of the signer of decisions", Worker: true, Secret: true},
	{Name: EnvSigningP12, Help: "deprecated (use " + EnvKeysDir + "): PKCS#12 file with the key and certificate of the signer of decisions", Worker: true},
	{Name: EnvSigningP12Pass, Help: "deprecated: password of that PKCS#12 file", Worker: true, Secret: true},
	{Name: EnvSignatureImage, Help: "PNG image of the signer's signature drawn in the visible signature", Worker: true},
	{Name: EnvSecretaryCert, Help: "deprecated (use " + EnvKeysDir + "): PEM certificate of the council secretary", Worker: true},
	{Name: EnvSecretaryKey, Help: "deprecated: PEM private key of the council secretary", Worker: true, Secret: true},
	{Name: EnvSealCert, Help: "deprecated (use agency.p12 in " + EnvKeysDir + "): PEM certificate of the agency seal", Worker: true},
	{Name: EnvSealKey, Help: "deprecated: PEM private key of the agency seal", Worker: true, Secret: true},
	{Name: EnvSealImage, Help: "PNG image of the seal drawn in its signature appearance", Worker: true},
	{Name: EnvTrustedProxies, Help: "comma-separated IPs/CIDRs of reverse proxies whose X-Forwarded-For names the client (login throttling); empty = the TCP peer is the client", Server: true},
	{Name: EnvSMTPHost, Help: "SMTP server that mails notifications (new task, returned, due in 2 days, overdue, decision issued, daily digests); unset: the pages only", Worker: true},
	{Name: EnvSMTPPort, Default: "587", Help: "SMTP port", Worker: true},
	{Name: EnvSMTPUser, Help: "SMTP user (PLAIN authentication over TLS); empty: no authentication", Worker: true},
	{Name: EnvSMTPPassword, Help: "SMTP password; or use " + EnvSMTPPasswordFile, Worker: true, Secret: true},
	{Name: EnvSMTPPasswordFile, Help: "file holding the SMTP password (e.g. a compose secret)", Worker: true},
	{Name: EnvSMTPTLS, Default: "starttls", Help: "starttls (required upgrade), tls (implicit, port 465) or none (a relay on the loopback only)", Worker: true},
	{Name: EnvSMTPFrom, Help: "From of the notification mails, e.g. \"Thi đua – Khen thưởng <thidua@example.gov.vn>\" (required with " + EnvSMTPHost + ")", Worker: true},
	{Name: EnvSMTPDefaultDomain, Help: "a person who set no address of their own is mailed at <person-id>@this domain; empty: only people who set one", Worker: true},
	{Name: EnvPublicURL, Help: "the pages' public URL, for the links in notification mails and the single sign-on callback (e.g. https://thidua.example.gov.vn/)", Server: true, Worker: true},
	{Name: EnvTrustedCA, Help: "PEM CA certificate(s) that signatures must chain to (verify)", Server: true, Worker: true},
	{Name: EnvOIDCIssuer, Help: "single sign-on: the OpenID Provider's issuer URL (e.g. https://sso.example.gov.vn/realms/agency); unset: passwords only", Server: true},
	{Name: EnvOIDCClientID, Help: "single sign-on: awardflow's client id at the provider (required with " + EnvOIDCIssuer + ")", Server: true},
	{Name: EnvOIDCClientSecret, Help: "single sign-on: the client secret; or use " + EnvOIDCSecretFile + "; empty: a public client (PKCE only)", Server: true, Secret: true},
	{Name: EnvOIDCSecretFile, Help: "file holding the client secret (e.g. a compose secret)", Server: true},
	{Name: EnvOIDCRedirectURL, Help: "single sign-on: the callback registered at the provider; default " + EnvPublicURL + " + auth/oidc/callback", Server: true},
	{Name: EnvOIDCClaim, Default: "preferred_username", Help: "the ID token claim whose value is the person's id (user name) in the directory", Server: true},
	{Name: EnvOIDCScopes, Default: "openid profile email", Help: "scopes asked of the provider (space-separated; openid is always asked)", Server: true},
	{Name: EnvLocalLogin, Default: "on", Help: "on: people may also sign in with a password; off: single sign-on only (needs " + EnvOIDCIssuer + ")", Server: true},
	{Name: EnvWorkerAddr, Default: "127.0.0.1:9090", Help: "the worker's own HTTP listen address: /healthz (alive), /readyz (polling; Temporal, S3 and the records store reachable) and /metrics; 0.0.0.0:9090 for a scraper in another container", Worker: true},
	{Name: EnvWorkflowCache, Default: "2000", Help: "running workflows the worker keeps in memory between their tasks (Temporal's sticky cache, ~150 KB each): more saves replays, fewer bounds the memory; 1 to 1000000", Worker: true},
	{Name: EnvLogFormat, Default: "json", Help: "log format on standard error: json (one object a line, with request_id and trace_id) or text", Server: true, Worker: true},
	{Name: EnvMetricsToken, Help: "if set, GET /metrics asks for Authorization: Bearer <this token>; empty: /metrics is open (it carries no personal data: serve it on an internal network)", Server: true, Worker: true, Secret: true},
}
