package web_test

import (
	"net/http"

	"github.com/chromedp/chromedp"
)

// signOut clicks "Đăng xuất" and checks that the page told the server: the token the tab
// held is refused afterwards (revoked server-side, not only forgotten by the tab).
func (p *page) signOut() {
	p.t.Helper()
	tok := eval[string](p, "read the token", `(JSON.parse(sessionStorage.getItem('awardflow.session') || '{}').token || '')`)
	if tok == "" {
		p.t.Fatalf("sign out: no token in the tab%s", p.state())
	}
	// On a phone the sign-out button is in the folded menu: open it first, as a person would.
	if eval[bool](p, "is the menu folded", `(() => { const b = document.getElementById("nav-toggle");
		return !!b && !b.hidden && b.offsetParent !== null && b.getAttribute("aria-expanded") !== "true"; })()`) {
		p.do("open the menu", chromedp.Click(chromedp.ID("nav-toggle")))
	}
	p.do("sign out", chromedp.Click(chromedp.ID("logout")), chromedp.WaitVisible(chromedp.ID("login-form")))
	req, _ := http.NewRequest(http.MethodGet, p.base+"/api/v1/me", nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		p.t.Fatalf("sign out: check the old token: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		p.t.Fatalf("after signing out in the page, the old token still works (%d): the page did not call /api/v1/logout", resp.StatusCode)
	}
}
