package app

import (
	"crypto/tls"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/awardflow/awardflow/internal/settings"
	"github.com/awardflow/awardflow/internal/testenv"
	"github.com/awardflow/awardflow/workflows"
)

// TestTemporalConnFromEnv: the client options built from the AWARDFLOW_TEMPORAL_TLS*
// and API key variables (plaintext by default; TLS implied by any of them; mutual TLS;
// the API key from a file) and every contradiction refused, naming the variable. The
// handshake against a real Temporal frontend is internal/preflight's
// TestDialTemporalOverMutualTLS.
func TestTemporalConnFromEnv(t *testing.T) {
	certs := testenv.NewTLSCerts(t, "temporal.internal")
	keyFile := filepath.Join(t.TempDir(), "api-key")
	if err := os.WriteFile(keyFile, []byte("  sekret-key\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	type env = map[string]string
	cases := []struct {
		name    string
		env     env
		tls     bool
		mtls    bool
		apiKey  string
		wantErr string
	}{
		{name: "nothing: plaintext", env: env{}},
		{name: "explicit false", env: env{settings.EnvTemporalTLS: "false"}},
		{name: "explicit true: system roots", env: env{settings.EnvTemporalTLS: "true"}, tls: true},
		{name: "a CA implies TLS", env: env{settings.EnvTemporalTLSCA: certs.CA, settings.EnvTemporalTLSServerName: "temporal.internal"}, tls: true},
		{name: "mutual TLS", env: env{settings.EnvTemporalTLSCA: certs.CA, settings.EnvTemporalTLSCert: certs.ClientCert, settings.EnvTemporalTLSKey: certs.ClientKey}, tls: true, mtls: true},
		{name: "API key implies TLS", env: env{settings.EnvTemporalAPIKey: "k1"}, tls: true, apiKey: "k1"},
		{name: "API key file", env: env{settings.EnvTemporalAPIKeyFile: keyFile}, tls: true, apiKey: "sekret-key"},
		{name: "both API keys", env: env{settings.EnvTemporalAPIKey: "k1", settings.EnvTemporalAPIKeyFile: keyFile}, wantErr: settings.EnvTemporalAPIKeyFile},
		{name: "API key in clear", env: env{settings.EnvTemporalTLS: "false", settings.EnvTemporalAPIKey: "k1"}, wantErr: settings.EnvTemporalTLS},
		{name: "not a bool", env: env{settings.EnvTemporalTLS: "yes please"}, wantErr: settings.EnvTemporalTLS},
		{name: "cert without key", env: env{settings.EnvTemporalTLSCert: certs.ClientCert}, wantErr: settings.EnvTemporalTLSKey},
		{name: "key of another cert", env: env{settings.EnvTemporalTLSCert: certs.ClientCert, settings.EnvTemporalTLSKey: certs.ServerKey}, wantErr: settings.EnvTemporalTLSCert},
		{name: "CA file missing", env: env{settings.EnvTemporalTLSCA: filepath.Join(certs.Dir, "nope.pem")}, wantErr: settings.EnvTemporalTLSCA},
		{name: "CA not PEM", env: env{settings.EnvTemporalTLSCA: keyFile}, wantErr: settings.EnvTemporalTLSCA},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			conn, err := TemporalConnFromEnv(func(k string) string { return tc.env[k] })
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("error %v, want one naming %s", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			opts, err := ClientOptions(Config{TemporalAddress: "temporal.internal:7233", Namespace: "ns", TemporalConn: conn})
			if err != nil {
				t.Fatal(err)
			}
			if got := opts.ConnectionOptions.TLS != nil; got != tc.tls {
				t.Fatalf("TLS %v, want %v", got, tc.tls)
			}
			if tc.tls {
				if opts.ConnectionOptions.TLS.MinVersion < tls.VersionTLS12 {
					t.Errorf("TLS minimum version %x", opts.ConnectionOptions.TLS.MinVersion)
				}
				if got := len(opts.ConnectionOptions.TLS.Certificates) == 1; got != tc.mtls {
					t.Errorf("client certificate %v, want %v", got, tc.mtls)
				}
				if tc.env[settings.EnvTemporalTLSCA] != "" && opts.ConnectionOptions.TLS.RootCAs == nil {
					t.Error("the CA file is not the trusted root")
				}
				if n := tc.env[settings.EnvTemporalTLSServerName]; opts.ConnectionOptions.TLS.ServerName != n {
					t.Errorf("server name %q, want %q", opts.ConnectionOptions.TLS.ServerName, n)
				}
			}
			if conn.APIKey != tc.apiKey || (tc.apiKey != "") != (opts.Credentials != nil) {
				t.Errorf("API key %q (credentials %v), want %q", conn.APIKey, opts.Credentials != nil, tc.apiKey)
			}
		})
	}
}

// Every client this package makes carries the own-row propagator: a worker without it
// would replay a ProposalWorkflowV3 history differently from how it ran (the mark in the
// update headers decides whether the workflow scheduled its row's write), so
// ProposalWorkflowV3 histories fail to replay without it (workflows' replay test).
func TestClientOptionsCarryTheOwnRowPropagator(t *testing.T) {
	opts, err := ClientOptions(Config{TemporalAddress: "127.0.0.1:7233", Namespace: "ns"})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, p := range opts.ContextPropagators {
		if _, ok := p.(workflows.OwnRowPropagator); ok {
			n++
		}
	}
	if n != 1 {
		t.Fatalf("%d own-row propagators in the client options, want 1", n)
	}
}
