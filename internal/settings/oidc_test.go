package settings

import (
	"errors"
	"strings"
	"testing"
)

func defaults() map[string]string {
	vals := map[string]string{}
	for _, v := range Vars {
		vals[v.Name] = v.Default
	}
	return vals
}

func TestLoadSignIn(t *testing.T) {
	noFile := func(string) ([]byte, error) { return nil, errors.New("no such file") }
	// Nothing set: passwords only.
	got, err := LoadSignIn(defaults(), noFile)
	if err != nil || got.OIDC != nil || !got.LocalLogin {
		t.Fatalf("defaults: %+v %v", got, err)
	}
	// A provider, the callback derived from the public URL, the secret from a file.
	vals := defaults()
	vals[EnvOIDCIssuer] = "https://sso.example.gov.vn/realms/so-noi-vu"
	vals[EnvOIDCClientID] = "awardflow"
	vals[EnvOIDCSecretFile] = "/run/secrets/oidc"
	vals[EnvPublicURL] = "https://thidua.example.gov.vn/"
	vals[EnvLocalLogin] = "off"
	got, err = LoadSignIn(vals, func(p string) ([]byte, error) {
		if p != "/run/secrets/oidc" {
			t.Errorf("read %s", p)
		}
		return []byte("s3cret\n"), nil
	})
	if err != nil {
		t.Fatal(err)
	}
	o := got.OIDC
	if o == nil || got.LocalLogin || o.ClientSecret != "s3cret" || o.RedirectURL != "https://thidua.example.gov.vn/auth/oidc/callback" ||
		o.Claim != "preferred_username" || strings.Join(o.Scopes, " ") != "openid profile email" {
		t.Errorf("%+v %+v", got, o)
	}
	// A public URL under a path keeps it.
	vals[EnvPublicURL] = "https://so.example.gov.vn/thidua"
	if got, err := LoadSignIn(vals, func(string) ([]byte, error) { return []byte("x"), nil }); err != nil || got.OIDC.RedirectURL != "https://so.example.gov.vn/thidua/auth/oidc/callback" {
		t.Errorf("under a path: %v %+v", err, got.OIDC)
	}
	for name, edit := range map[string]func(map[string]string){
		"client id without issuer": func(v map[string]string) { v[EnvOIDCIssuer] = "" },
		"passwords off, no SSO": func(v map[string]string) {
			for _, n := range []string{EnvOIDCIssuer, EnvOIDCClientID, EnvOIDCSecretFile} {
				v[n] = ""
			}
		},
		"no client id":        func(v map[string]string) { v[EnvOIDCClientID] = "" },
		"secret twice":        func(v map[string]string) { v[EnvOIDCClientSecret] = "y" },
		"no callback":         func(v map[string]string) { v[EnvPublicURL] = "" },
		"http issuer":         func(v map[string]string) { v[EnvOIDCIssuer] = "http://sso.example.gov.vn" },
		"local login neither": func(v map[string]string) { v[EnvLocalLogin] = "maybe" },
		"unreadable secret":   func(v map[string]string) { v[EnvOIDCSecretFile] = "/nope" },
		"callback elsewhere":  func(v map[string]string) { v[EnvOIDCRedirectURL] = "https://thidua.example.gov.vn/cb" },
	} {
		v := defaults()
		for k, x := range vals {
			v[k] = x
		}
		edit(v)
		if _, err := LoadSignIn(v, func(p string) ([]byte, error) {
			if p == "/nope" {
				return nil, errors.New("no such file")
			}
			return []byte("x"), nil
		}); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

// TestSignInVarsInHelp: the single sign-on variables are the server's, and the secret is
// never printed.
func TestSignInVarsInHelp(t *testing.T) {
	byName := map[string]Var{}
	for _, v := range Vars {
		byName[v.Name] = v
	}
	for _, n := range []string{EnvOIDCIssuer, EnvOIDCClientID, EnvOIDCClientSecret, EnvOIDCSecretFile, EnvOIDCRedirectURL, EnvOIDCClaim, EnvOIDCScopes, EnvLocalLogin, EnvPublicURL} {
		v, ok := byName[n]
		if !ok || !v.Server || v.Help == "" {
			t.Errorf("%s: %+v", n, v)
		}
	}
	if !byName[EnvOIDCClientSecret].Secret {
		t.Error("the client secret is not marked secret")
	}
}
