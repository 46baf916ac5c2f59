package app

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"

	"go.temporal.io/sdk/client"

	"github.com/awardflow/awardflow/internal/settings"
)

// TemporalConn is how the server and the worker reach the Temporal frontend: TLS (with
// the CA to trust and the name to expect), mutual TLS (a client certificate), an API key.
// The zero value is plaintext without credentials (a frontend on a private network).
type TemporalConn struct {
	TLS    *tls.Config // nil: plaintext
	APIKey string
}

// TemporalConnFromEnv reads the AWARDFLOW_TEMPORAL_TLS* and AWARDFLOW_TEMPORAL_API_KEY*
// variables through get (os.Getenv, or a command's loaded values). TLS is on when
// AWARDFLOW_TEMPORAL_TLS is true or, unset, when any other of them is set; it refuses
// contradictions (TLS false with a CA, a client certificate without its key, an API key
// in two places) and unreadable files, naming the variable.
func TemporalConnFromEnv(get func(string) string) (TemporalConn, error) {
	v := func(k string) string { return strings.TrimSpace(get(k)) }
	ca, name, cert, key := v(settings.EnvTemporalTLSCA), v(settings.EnvTemporalTLSServerName), v(settings.EnvTemporalTLSCert), v(settings.EnvTemporalTLSKey)
	var conn TemporalConn
	apiKey, apiKeyFile := v(settings.EnvTemporalAPIKey), v(settings.EnvTemporalAPIKeyFile)
	switch {
	case apiKey != "" && apiKeyFile != "":
		return conn, fmt.Errorf("set %s or %s, not both", settings.EnvTemporalAPIKey, settings.EnvTemporalAPIKeyFile)
	case apiKeyFile != "":
		b, err := os.ReadFile(apiKeyFile)
		if err != nil {
			return conn, fmt.Errorf("%s: %w", settings.EnvTemporalAPIKeyFile, err)
		}
		if apiKey = strings.TrimSpace(string(b)); apiKey == "" {
			return conn, fmt.Errorf("%s: %s is empty", settings.EnvTemporalAPIKeyFile, apiKeyFile)
		}
	}
	conn.APIKey = apiKey
	implied := ca != "" || name != "" || cert != "" || key != "" || apiKey != ""
	on := implied
	if s := v(settings.EnvTemporalTLS); s != "" {
		b, err := strconv.ParseBool(s)
		if err != nil {
			return conn, fmt.Errorf("%s must be true or false, not %q", settings.EnvTemporalTLS, s)
		}
		if !b && implied {
			return conn, fmt.Errorf("%s is false but TLS settings or an API key are set (%s_*, %s): the API key and client certificate must not travel in clear",
				settings.EnvTemporalTLS, settings.EnvTemporalTLS, settings.EnvTemporalAPIKey)
		}
		on = b
	}
	if !on {
		return conn, nil
	}
	cfg := &tls.Config{MinVersion: tls.VersionTLS12, ServerName: name}
	if ca != "" {
		b, err := os.ReadFile(ca)
		if err != nil {
			return conn, fmt.Errorf("%s: %w", settings.EnvTemporalTLSCA, err)
		}
		cfg.RootCAs = x509.NewCertPool()
		if !cfg.RootCAs.AppendCertsFromPEM(b) {
			return conn, fmt.Errorf("%s: no PEM certificate in %s", settings.EnvTemporalTLSCA, ca)
		}
	}
	if (cert == "") != (key == "") {
		return conn, fmt.Errorf("mutual TLS needs both %s and %s", settings.EnvTemporalTLSCert, settings.EnvTemporalTLSKey)
	}
	if cert != "" {
		pair, err := tls.LoadX509KeyPair(cert, key)
		if err != nil {
			return conn, fmt.Errorf("%s, %s: %w", settings.EnvTemporalTLSCert, settings.EnvTemporalTLSKey, err)
		}
		cfg.Certificates = []tls.Certificate{pair}
	}
	conn.TLS = cfg
	return conn, nil
}

// apply sets the TLS and the credentials of o.
func (c TemporalConn) apply(o *client.Options) error {
	if c.APIKey != "" && c.TLS == nil {
		return errors.New("a Temporal API key needs TLS")
	}
	o.ConnectionOptions.TLS = c.TLS
	if c.APIKey != "" {
		o.Credentials = client.NewAPIKeyStaticCredentials(c.APIKey)
	}
	return nil
}
