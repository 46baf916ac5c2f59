package settings

import (
	"fmt"
	"net/url"
	"os"
	"strings"

	"github.com/awardflow/awardflow/internal/auth"
)

// SignIn is how people sign in to `awardflow server`.
type SignIn struct {
	OIDC       *auth.OIDCConfig // nil: no single sign-on
	LocalLogin bool             // passwords accepted
}

// LoadSignIn reads the single sign-on settings from vals (the values of loadEnv, defaults
// applied). readFile reads the client secret file (os.ReadFile when nil).
func LoadSignIn(vals map[string]string, readFile func(string) ([]byte, error)) (SignIn, error) {
	if readFile == nil {
		readFile = os.ReadFile
	}
	var out SignIn
	switch strings.ToLower(strings.TrimSpace(vals[EnvLocalLogin])) {
	case "", "on", "true", "yes", "1":
		out.LocalLogin = true
	case "off", "false", "no", "0":
	default:
		return out, fmt.Errorf("%s must be on or off, not %q", EnvLocalLogin, vals[EnvLocalLogin])
	}
	issuer := strings.TrimSpace(vals[EnvOIDCIssuer])
	if issuer == "" {
		for _, n := range []string{EnvOIDCClientID, EnvOIDCClientSecret, EnvOIDCSecretFile, EnvOIDCRedirectURL} {
			if strings.TrimSpace(vals[n]) != "" {
				return out, fmt.Errorf("%s is set but %s is not: set the provider's issuer URL too", n, EnvOIDCIssuer)
			}
		}
		if !out.LocalLogin {
			return out, fmt.Errorf("%s=off needs single sign-on (%s): nobody could sign in", EnvLocalLogin, EnvOIDCIssuer)
		}
		return out, nil
	}
	cfg := auth.OIDCConfig{Issuer: issuer, ClientID: strings.TrimSpace(vals[EnvOIDCClientID]),
		Claim: strings.TrimSpace(vals[EnvOIDCClaim]), Scopes: strings.Fields(vals[EnvOIDCScopes])}
	if cfg.ClientID == "" {
		return out, fmt.Errorf("%s is required with %s", EnvOIDCClientID, EnvOIDCIssuer)
	}
	secret, file := vals[EnvOIDCClientSecret], strings.TrimSpace(vals[EnvOIDCSecretFile])
	switch {
	case secret != "" && file != "":
		return out, fmt.Errorf("set %s or %s, not both", EnvOIDCClientSecret, EnvOIDCSecretFile)
	case file != "":
		b, err := readFile(file)
		if err != nil {
			return out, fmt.Errorf("%s: %w", EnvOIDCSecretFile, err)
		}
		secret = strings.TrimSpace(string(b))
		if secret == "" {
			return out, fmt.Errorf("%s: %s is empty", EnvOIDCSecretFile, file)
		}
	}
	cfg.ClientSecret = secret
	cfg.RedirectURL = strings.TrimSpace(vals[EnvOIDCRedirectURL])
	if cfg.RedirectURL == "" {
		pub := strings.TrimSpace(vals[EnvPublicURL])
		if pub == "" {
			return out, fmt.Errorf("%s or %s is required with %s", EnvOIDCRedirectURL, EnvPublicURL, EnvOIDCIssuer)
		}
		u, err := url.Parse(pub)
		if err != nil || u.Host == "" {
			return out, fmt.Errorf("%s: %q is not an absolute URL", EnvPublicURL, pub)
		}
		cfg.RedirectURL = u.JoinPath("auth/oidc/callback").String()
	}
	if _, err := auth.NewOIDC(cfg); err != nil { // the same checks the server makes
		return out, err
	}
	out.OIDC = &cfg
	return out, nil
}
