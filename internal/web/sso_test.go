package web_test

import (
	"context"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/awardflow/awardflow/internal/auth"
	"github.com/awardflow/awardflow/internal/devapp"
	"github.com/awardflow/awardflow/internal/devapp/devapptest"
	"github.com/awardflow/awardflow/internal/oidctest"
)

// TestBrowserSSO signs in through a real OpenID Provider (zitadel's op, started here on
// 127.0.0.1): a deep link asks for sign-in, the person clicks "Đăng nhập bằng tài khoản
// một cửa (SSO)", signs in at the provider's page and lands on the page they opened,
// signed in as awardflow's directory knows them. A provider account the directory does
// not know is refused on the sign-in page with its message.
func TestBrowserSSO(t *testing.T) {
	requireChromium(t)
	prov := oidctest.Start(t,
		oidctest.User{Username: "hongdao", Password: "mat-khau-mot-cua"},
		oidctest.User{Username: "nguoingoai", Password: "mat-khau-mot-cua"})
	d := devapptest.Start(t, devapp.Options{OIDC: &auth.OIDCConfig{Issuer: prov.Issuer, ClientID: "awardflow",
		ClientSecret: "bi-mat-client", Scopes: []string{"openid", "profile"}}})
	prov.AddClient("awardflow", "bi-mat-client", d.URL+"/auth/oidc/callback")
	p := newPage(t, d.URL)

	// A deep link while signed out: the sign-in page says why, and offers single sign-on.
	p.goTo("#/new")
	p.do("sign-in page with SSO", chromedp.WaitVisible(chromedp.ID("sso-btn")), chromedp.WaitVisible(chromedp.ID("login-form")))
	p.waitText("#sso-btn", "Đăng nhập bằng tài khoản một cửa (SSO)")
	p.waitText("#login-error", "Vui lòng đăng nhập để mở trang này")
	p.shot("sso-01-login")

	signInAtProvider := func(user string) {
		p.t.Helper()
		p.do("go to the provider", chromedp.Click(chromedp.ID("sso-btn")),
			chromedp.WaitVisible(`form[action="/login/username"]`))
		p.do("sign in at the provider as "+user,
			chromedp.SendKeys(`input[name="username"]`, user),
			chromedp.SendKeys(`input[name="password"]`, "mat-khau-mot-cua"),
			chromedp.Click(`form[action="/login/username"] button[type="submit"]`))
		// The provider sends the browser back through awardflow's callback to the pages:
		// wait for that document before reading it.
		deadline := time.Now().Add(stepTimeout)
		for {
			ctx, cancel := context.WithTimeout(p.ctx, 2*time.Second)
			at, err := chromedp.Run(ctx, chromedp.Evaluate[string](`location.origin + location.pathname + "|" + document.readyState`))
			cancel()
			if err == nil && at == d.URL+"/|complete" {
				return
			}
			if time.Now().After(deadline) {
				p.t.Fatalf("not back at awardflow after signing in at the provider (at %q, %v)", at, err)
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	signInAtProvider("hongdao")
	// Back at awardflow, on the page the deep link named, signed in as the directory's
	// hongdao with awardflow's roles.
	p.waitText("h1", "Lập hồ sơ đề nghị khen thưởng")
	if h := eval[string](p, "where", `location.hash`); h != "#/new" {
		t.Errorf("landed on %q, want #/new", h)
	}
	if u := eval[string](p, "the session", `JSON.parse(sessionStorage.getItem('awardflow.session')).user.id`); u != "hongdao" {
		t.Errorf("signed in as %q", u)
	}
	p.waitText("#who-name", "Nguyễn Thị Hồng Đào")
	p.shot("sso-02-deep-link")
	p.assertNoProblems()
	p.signOut()

	// A provider account awardflow's directory does not know.
	p.goTo("#/login")
	p.do("sign-in page", chromedp.WaitVisible(chromedp.ID("sso-btn")))
	signInAtProvider("nguoingoai")
	p.waitText("#login-error", "chưa gắn với ai trong danh bạ")
	if h := eval[string](p, "where", `location.hash`); h != "#/login?sso=1" {
		t.Errorf("refused on %q", h)
	}
	if eval[bool](p, "signed in?", `!!sessionStorage.getItem('awardflow.session')`) {
		t.Error("a session was kept for an unknown person")
	}
	p.shot("sso-03-unknown-person")
	// Reloading the page does not sign in again: the outcome served once.
	p.do("reload", chromedp.Reload())
	p.waitText("#login-error", "Không có kết quả đăng nhập một cửa")
	p.shot("sso-04-reloaded")
}
