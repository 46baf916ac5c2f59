package main

import (
	"testing"

	"github.com/awardflow/awardflow/internal/settings"
)

func TestDevOIDCFromEnv(t *testing.T) {
	if c, err := devOIDC("127.0.0.1:8080"); c != nil || err != nil {
		t.Fatalf("no issuer: %+v %v", c, err)
	}
	t.Setenv(settings.EnvOIDCIssuer, "http://127.0.0.1:5556/realms/dev")
	t.Setenv(settings.EnvOIDCClientID, "awardflow")
	c, err := devOIDC("127.0.0.1:8080")
	if err != nil || c == nil || c.RedirectURL != "http://127.0.0.1:8080/auth/oidc/callback" || c.Claim != "preferred_username" {
		t.Fatalf("%+v %v", c, err)
	}
	t.Setenv(settings.EnvOIDCClientID, "")
	if _, err := devOIDC("127.0.0.1:8080"); err == nil {
		t.Error("no client id: accepted")
	}
}
