package main

import (
	"os"
	"strings"

	"github.com/awardflow/awardflow/internal/auth"
	"github.com/awardflow/awardflow/internal/settings"
)

// devOIDC reads single sign-on for `awardflow dev` from the same AWARDFLOW_OIDC_*
// variables as `awardflow server`; the callback defaults to the dev server's own
// address (http://<addr>/auth/oidc/callback, accepted on the loopback only). Nil when
// AWARDFLOW_OIDC_ISSUER is unset. Passwords stay on in dev.
func devOIDC(addr string) (*auth.OIDCConfig, error) {
	if strings.TrimSpace(os.Getenv(settings.EnvOIDCIssuer)) == "" {
		return nil, nil
	}
	vals := map[string]string{}
	for _, v := range settings.Vars {
		if strings.HasPrefix(v.Name, "AWARDFLOW_OIDC_") || v.Name == settings.EnvPublicURL {
			vals[v.Name] = v.Default
			if val := strings.TrimSpace(os.Getenv(v.Name)); val != "" {
				vals[v.Name] = val
			}
		}
	}
	if vals[settings.EnvPublicURL] == "" && vals[settings.EnvOIDCRedirectURL] == "" {
		vals[settings.EnvPublicURL] = "http://" + addr + "/"
	}
	s, err := settings.LoadSignIn(vals, nil)
	if err != nil {
		return nil, err
	}
	return s.OIDC, nil
}
