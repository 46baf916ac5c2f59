package web_test

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/awardflow/awardflow/internal/orgconfig"
)

// Issue 10, items 5, 6, 7 and 13: the shell of the pages on a phone and on paper,
// navigation (scroll, deep links, an expired sign-in) and case numbers.

// phonePages are the pages every role in the demo reaches, with the h1 each shows.
type pageCheck struct {
	user, hash, h1 string
	// ready is a selector whose table must have rows before the page is checked ("" for
	// pages without a list).
	ready string
}

// unlabelledCells lists the visible cells of the page's tables that, on a phone, do not
// say their column: every non-empty td must carry its header's words (data-label) and
// show them (the ::before), and the header row must be gone.
const unlabelledCells = `(() => {
	const out = [];
	for (const t of document.querySelectorAll("main table")) {
		if (t.closest("[hidden]") || t.getClientRects().length === 0) continue;
		const heads = [...t.querySelectorAll("thead th")].map((th) => th.textContent.trim());
		const thead = t.querySelector("thead");
		if (thead && getComputedStyle(thead).display !== "none") out.push((t.id || "table") + ": header row still shown");
		for (const tr of t.querySelectorAll("tbody tr")) {
			[...tr.children].forEach((td, i) => {
				if (td.tagName !== "TD" || td.textContent.trim() === "" || getComputedStyle(td).display === "none") return;
				const want = heads[i] || "";
				// The first cell is the card's title (the nominee, the session).
				if (want === "" || want === "Chọn" || (i === 0 && !td.dataset.label)) return;
				const before = getComputedStyle(td, "::before").content;
				// A page may name the column shorter ("Kết quả" for "Kết quả bỏ phiếu").
				if (!td.dataset.label || before === "none" || before === "normal" || before === '""') {
					out.push((t.id || "table") + " row " + tr.rowIndex + " col " + i + " (" + want + "): label " +
						JSON.stringify(td.dataset.label || "") + ", ::before " + before + ", text " + JSON.stringify(td.textContent.trim().slice(0, 30)));
				}
			});
		}
	}
	return out.slice(0, 12); })()`

// checkCards checks the page's tables at phone width: labelled cells, nothing wider
// than the screen, no leaked codes.
func (p *page) checkCards(pc pageCheck, shot string) {
	p.t.Helper()
	p.goTo(pc.hash)
	p.waitText("h1", pc.h1)
	if pc.ready != "" {
		p.poll("rows in "+pc.ready, `(sel) => document.querySelector(sel + " tbody tr") ? "yes" : ""`, pc.ready)
	}
	// The pages fill some cells after the list (titles, what waits): let them settle.
	time.Sleep(500 * time.Millisecond)
	if bad := eval[[]string](p, "look for unlabelled cells", unlabelledCells); len(bad) > 0 {
		p.t.Errorf("%s (%s) on a phone: cells without their column's words:\n  %s", pc.hash, pc.user, strings.Join(bad, "\n  "))
	}
	p.fitsWidth(390)
	p.shot(shot)
}

// TestBrowserPhoneLayout (issue 10 item 5): on a 390×844 phone the top bar is compact
// (a menu button opens the navigation, which closes after a choice) and every list and
// table of every page becomes cards whose values say their column.
func TestBrowserPhoneLayout(t *testing.T) {
	requireChromium(t)
	d := startDev(t)
	ldtt := endorsedProposalType(t, d.URL, "hongdao", "tptt", "Nguyễn Thị Hồng Đào", "LDTT")
	s := decidingSession(t, d.URL, "Xét khen thưởng (điện thoại)", []string{ldtt}, func(i int, _ string) string {
		return []string{"yes", "yes", "yes", "yes", "no", "abstain"}[i]
	})
	approveAndIssue(t, d.URL, s.ID)
	waiting := fileSubmitted(t, d.URL, "quoccuong", "Lê Quốc Cường")

	p := newPage(t, d.URL)
	p.do("a phone", chromedp.EmulateViewport(390, 844))
	p.login("thuky", orgconfig.DemoPassword)
	p.waitText("h1", "Trang chủ")

	// The top bar: at most 72 px, the menu behind a button.
	if hgt := eval[float64](p, "the top bar's height", `document.querySelector("header.topbar").getBoundingClientRect().height`); hgt > 72 {
		t.Errorf("the top bar takes %.0f of 844 px on a phone, want ≤ 72", hgt)
	}
	toggle := `#nav-toggle`
	if !eval[bool](p, "the menu button", `(() => { const b = document.querySelector("#nav-toggle");
		return !!b && b.getClientRects().length > 0 && b.getAttribute("aria-expanded") === "false"
			&& b.getAttribute("aria-controls") === "menu"; })()`) {
		t.Fatalf("no visible menu button #nav-toggle (aria-expanded=false, aria-controls=menu) on a phone%s", p.state())
	}
	linksShown := `[...document.querySelectorAll("#nav a")].filter((a) => a.getClientRects().length > 0).length`
	if n := eval[int](p, "count the shown menu links", linksShown); n != 0 {
		t.Errorf("the closed menu still shows %d links", n)
	}
	p.click(toggle)
	p.poll("the menu open", `() => document.querySelector("#nav-toggle").getAttribute("aria-expanded") === "true" ? "yes" : ""`)
	if n := eval[int](p, "count the shown menu links", linksShown); n < 5 {
		t.Errorf("the open menu shows %d links, want the secretary's ≥ 5", n)
	}
	p.fitsWidth(390)
	p.shot("80-phone-menu-open")
	p.click(`#nav a[data-nav="sessions"]`)
	p.waitText("h1", "Phiên họp Hội đồng")
	if ex := eval[string](p, "the menu after a choice", `document.querySelector("#nav-toggle").getAttribute("aria-expanded")`); ex != "false" {
		t.Errorf("the menu stays open after choosing a page (aria-expanded=%s)", ex)
	}
	// Escape closes an open menu too, and gives the focus back to the button.
	p.click(toggle)
	p.do("press Escape", chromedp.KeyEvent("\x1b"))
	p.poll("the menu closed by Escape", `() => document.querySelector("#nav-toggle").getAttribute("aria-expanded") === "false"
		&& document.activeElement === document.querySelector("#nav-toggle") ? "yes" : ""`)

	for i, pc := range []pageCheck{
		{"thuky", "#/", "Trang chủ", "#proposals-table"},
		{"thuky", "#/sessions", "Phiên họp Hội đồng", "#sessions-table"},
		{"thuky", "#/sessions/" + s.ID, "Xét khen thưởng (điện thoại)", "#results-table"},
		{"thuky", "#/proposals/" + ldtt, "Nguyễn Thị Hồng Đào", "#history-table"},
		{"thuky", "#/statistics", "Thống kê", ""},
		{"thuky", "#/postings", "Công khai", ""},
		{"thuky", "#/revocations", "Huỷ bỏ khen thưởng", ""},
	} {
		p.checkCards(pc, fmt.Sprintf("8%d-phone-cards", i+1))
	}
	// The results of the vote: each count says what it counts (not a bare "3 / 2 / 1").
	p.goTo("#/sessions/" + s.ID)
	p.poll("the results table", `() => document.querySelector("#results-table tbody tr") ? "yes" : ""`)
	// What a person reads: each cell's label (the ::before) and its value.
	if txt := eval[string](p, "the results' first row", `[...document.querySelectorAll("#results-table tbody tr:first-child td")].map((td) => {
		const b = getComputedStyle(td, "::before").content;
		return (b.startsWith('"') ? JSON.parse(b) : "") + td.textContent; }).join(" | ")`); !strings.Contains(txt, "Đồng ý: 4") || !strings.Contains(txt, "Không đồng ý: 1") {
		t.Errorf("the vote results on a phone read %q: the counts do not say what they count", txt)
	}
	// Signing out on a phone: through the menu.
	p.click(toggle)
	p.switchUser("tptt")
	for i, pc := range []pageCheck{
		{"tptt", "#/", "Trang chủ", "#inbox-table"},
		{"tptt", "#/lists", "Danh sách", "#people-table"},
		{"tptt", "#/proposals/" + waiting, "Lê Quốc Cường", "#self-table"},
	} {
		p.checkCards(pc, fmt.Sprintf("9%d-phone-cards-head", i+1))
	}
	p.assertNoProblems()
}

// printStyle reads, under the print media type, what must not reach paper and how the
// tables and text look.
const printStyle = `(() => {
	const out = [];
	const shown = (e) => { for (let x = e; x; x = x.parentElement) if (getComputedStyle(x).display === "none") return false; return true; };
	for (const sel of ["header.topbar", "#nav", "footer.foot", ".skip"]) {
		const e = document.querySelector(sel);
		if (e && shown(e)) out.push(sel + " is printed");
	}
	for (const b of document.querySelectorAll("main button, main input, main select, main .toolbar, main form")) {
		if (shown(b)) { out.push((b.id || b.tagName.toLowerCase()) + " (" + b.textContent.trim().slice(0, 20) + ") is printed"); }
	}
	for (const th of document.querySelectorAll("main thead")) {
		if (shown(th.closest("table")) && getComputedStyle(th).display !== "table-header-group") out.push("a table's header does not repeat: " + getComputedStyle(th).display);
	}
	const body = getComputedStyle(document.body);
	if (body.color !== "rgb(0, 0, 0)") out.push("the text is " + body.color + ", not black");
	for (const e of [document.documentElement, document.body, document.querySelector("main")]) {
		const bg = getComputedStyle(e).backgroundColor;
		if (bg !== "rgba(0, 0, 0, 0)" && bg !== "rgb(255, 255, 255)") out.push(e.tagName + " background " + bg);
	}
	for (const e of document.querySelectorAll("main td, main th, main .badge, main a")) {
		if (!shown(e)) continue;
		const c = getComputedStyle(e).color;
		if (c !== "rgb(0, 0, 0)") { out.push(e.tagName.toLowerCase() + " text " + c + " (" + e.textContent.trim().slice(0, 20) + ")"); break; }
	}
	return out; })()`

// media emulates a CSS media type ("print"; "" for the screen).
func (p *page) media(m string) {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, stepTimeout)
	defer cancel()
	if _, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: m}); err != nil {
		p.t.Fatalf("emulate %q media: %v", m, err)
	}
}

// TestBrowserPrint (issue 10 item 13): the lists and the statistics page print cleanly:
// no top bar, menu, footer, buttons or forms; tables keep a header that repeats on every
// page; black on white.
func TestBrowserPrint(t *testing.T) {
	requireChromium(t)
	d := startDev(t)
	ldtt := endorsedProposalType(t, d.URL, "hongdao", "tptt", "Nguyễn Thị Hồng Đào", "LDTT")
	s := decidingSession(t, d.URL, "Xét khen thưởng (bản in)", []string{ldtt}, allYes)
	approveAndIssue(t, d.URL, s.ID)

	p := newPage(t, d.URL)
	p.login("thuky", orgconfig.DemoPassword)
	p.waitText("h1", "Trang chủ")
	for _, pc := range []pageCheck{
		{"thuky", "#/", "Trang chủ", "#proposals-table"},
		{"thuky", "#/sessions", "Phiên họp Hội đồng", "#sessions-table"},
		{"thuky", "#/statistics", "Thống kê", ""},
	} {
		p.media("")
		p.goTo(pc.hash)
		p.waitText("h1", pc.h1)
		if pc.hash == "#/statistics" {
			eval[bool](p, "choose the year 2025", `(() => { const s = document.getElementById("stats-year");
				s.value = "2025"; s.dispatchEvent(new Event("change")); return true; })()`)
			p.waitText("#stats-table", "Phòng Tuyên truyền")
		} else {
			p.poll("rows in "+pc.ready, `(sel) => document.querySelector(sel + " tbody tr") ? "yes" : ""`, pc.ready)
		}
		p.media("print")
		if bad := eval[[]string](p, "read the print style", printStyle); len(bad) > 0 {
			t.Errorf("%s on paper:\n  %s", pc.hash, strings.Join(bad, "\n  "))
		}
		p.shot("7" + map[string]string{"#/": "3", "#/sessions": "4", "#/statistics": "5"}[pc.hash] + "-print")
	}
	p.media("")
	p.assertNoProblems()
}

// TestBrowserNavigation (issue 10 item 6): a new page starts at its top; a deep link
// opened without a session asks to sign in and then goes there; a link pasted in a new
// tab of a signed-in browser opens without signing in again; a sign-in that expired in
// the tab says so in Vietnamese.
func TestBrowserNavigation(t *testing.T) {
	requireChromium(t)
	d := startDev(t)
	id := fileSubmitted(t, d.URL, "hongdao", "Nguyễn Thị Hồng Đào")
	fileSubmitted(t, d.URL, "quoccuong", "Lê Quốc Cường")

	p := newPage(t, d.URL)
	p.do("a short window", chromedp.EmulateViewport(1366, 420))
	// A deep link without a session: the sign-in page says why, then goes there.
	p.goTo("#/proposals/" + id)
	p.waitText("h1", "Đăng nhập")
	p.waitText("#login-error", "đăng nhập")
	p.do("sign in", chromedp.SendKeys(chromedp.ID("username"), "tptt"),
		chromedp.SendKeys(chromedp.ID("password"), orgconfig.DemoPassword), chromedp.Click(chromedp.ID("login-btn")))
	p.waitText("h1", "Nguyễn Thị Hồng Đào")
	if h := eval[string](p, "the address", `location.hash`); h != "#/proposals/"+id {
		t.Errorf("after signing in from a deep link the page is %s, want #/proposals/%s", h, id)
	}

	// Scroll: down the proposal, then to the home page, which is long enough to scroll.
	eval[bool](p, "scroll down", `(window.scrollTo(0, document.documentElement.scrollHeight), true)`)
	if y := eval[float64](p, "the scroll position", `window.scrollY`); y < 100 {
		t.Fatalf("the proposal page did not scroll (%v): the test needs a longer page", y)
	}
	p.click(`.brand-name`)
	p.waitText("h1", "Trang chủ")
	p.poll("the home list", `() => document.querySelector("#inbox-table tbody tr, #proposals-table tbody tr") ? "yes" : ""`)
	if tall := eval[bool](p, "the page's height", `document.documentElement.scrollHeight > innerHeight + 100`); !tall {
		t.Fatalf("the home page is not long enough to show a kept scroll position")
	}
	if y := eval[float64](p, "the scroll position", `window.scrollY`); y != 0 {
		t.Errorf("the home page opened scrolled down by %v px (kept from the page before)", y)
	}
	// In page links too (a row of a list), clicked where the list was scrolled to.
	eval[bool](p, "scroll down", `(window.scrollTo(0, document.documentElement.scrollHeight), true)`)
	time.Sleep(300 * time.Millisecond) // the scroll event
	left := eval[float64](p, "the scroll position", `window.scrollY`)
	eval[bool](p, "open the row", `(document.querySelector('#inbox-table tr[data-id="`+id+`"] a.item-link').click(), true)`)
	p.waitText("h1", "Nguyễn Thị Hồng Đào")
	if y := eval[float64](p, "the scroll position", `window.scrollY`); y != 0 {
		t.Errorf("the proposal opened from the list is scrolled down by %v px", y)
	}
	// Back: the list again, where it was left.
	eval[bool](p, "go back", `(history.back(), true)`)
	p.waitText("h1", "Trang chủ")
	p.poll("the position kept for Back", `(want) => Math.abs(window.scrollY - want) <= 2 ? "yes" : ""`, left)

	// A second tab of the same browser, a link pasted in it: no second sign-in.
	tab, cancel := chromedp.NewContext(p.ctx)
	defer cancel()
	// The tab's first action must not carry a timeout: its context is the tab's life.
	if err := chromedp.Do(tab); err != nil {
		t.Fatalf("open a second tab: %v", err)
	}
	other := &page{t: t, ctx: tab, base: p.base, shots: p.shots}
	other.goTo("#/proposals/" + id)
	other.waitText("h1", "Nguyễn Thị Hồng Đào")
	other.shot("76-pasted-link-new-tab")
	cancel()

	// The sign-in expires in the tab (12 h later): the sign-in page says so.
	eval[bool](p, "age the sign-in", `(() => { const s = JSON.parse(sessionStorage.getItem("awardflow.session"));
		s.expires_at = new Date(Date.now() - 60000).toISOString();
		sessionStorage.setItem("awardflow.session", JSON.stringify(s)); return true; })()`)
	p.goTo("#/sessions")
	p.waitText("h1", "Đăng nhập")
	p.waitText("#login-error", "hết hạn")
	p.shot("77-expired")
	p.do("sign in again", chromedp.SendKeys(chromedp.ID("username"), "tptt"),
		chromedp.SendKeys(chromedp.ID("password"), orgconfig.DemoPassword), chromedp.Click(chromedp.ID("login-btn")))
	p.waitText("h1", "Phiên họp Hội đồng") // back where the person was going
	// The server refuses the token (revoked elsewhere): its Vietnamese words, then back.
	eval[bool](p, "spoil the token", `(() => { const s = JSON.parse(sessionStorage.getItem("awardflow.session"));
		s.token = s.token.slice(0, -4) + "AAAA"; sessionStorage.setItem("awardflow.session", JSON.stringify(s)); return true; })()`)
	p.goTo("#/proposals/" + id)
	p.waitText("h1", "Đăng nhập")
	p.waitText("#login-error", "đăng nhập lại")
	p.do("sign in", chromedp.SendKeys(chromedp.ID("username"), "tptt"),
		chromedp.SendKeys(chromedp.ID("password"), orgconfig.DemoPassword), chromedp.Click(chromedp.ID("login-btn")))
	p.waitText("h1", "Nguyễn Thị Hồng Đào")
	p.assertNoProblems()
}

var (
	proposalNumber = regexp.MustCompile(`^HS-\d{4}-\d{4,}$`)
	sessionNumber  = regexp.MustCompile(`^PH-\d{4}-\d{2,}$`)
)

// TestBrowserCaseNumbers (issue 10 item 7): proposals and sessions carry a case number
// (HS-2026-0001, PH-2026-01) from the records store, in the API (one, list, search) and
// on every page that names them, in place of internal ids.
func TestBrowserCaseNumbers(t *testing.T) {
	requireChromium(t)
	d := startDev(t)
	a := endorsedProposalType(t, d.URL, "hongdao", "tptt", "Nguyễn Thị Hồng Đào", "LDTT")
	b := endorsedProposalType(t, d.URL, "quoccuong", "tptt", "Lê Quốc Cường", "LDTT")
	s := decidingSession(t, d.URL, "Xét khen thưởng (số hồ sơ)", []string{a, b}, allYes)

	c := apiLogin(t, d.URL, "thuky")
	number := func(path string, re *regexp.Regexp) string {
		t.Helper()
		var v struct {
			CaseNumber string `json:"case_number"`
		}
		deadline := time.Now().Add(stepTimeout)
		for {
			c.call("GET", path, nil, &v)
			if v.CaseNumber != "" || time.Now().After(deadline) {
				break
			}
			time.Sleep(200 * time.Millisecond)
		}
		if !re.MatchString(v.CaseNumber) {
			t.Fatalf("GET %s: case_number %q, want %s", path, v.CaseNumber, re)
		}
		return v.CaseNumber
	}
	na, nb := number("/api/v1/proposals/"+a, proposalNumber), number("/api/v1/proposals/"+b, proposalNumber)
	ns := number("/api/v1/sessions/"+s.ID, sessionNumber)
	if na == nb {
		t.Errorf("two proposals share the case number %s", na)
	}
	// Stable: asked again, the same.
	if again := number("/api/v1/proposals/"+a, proposalNumber); again != na {
		t.Errorf("the case number of %s changed from %s to %s", a, na, again)
	}
	// Lists carry it, and a search by it finds the proposal.
	var list struct {
		Items []struct {
			ID         string `json:"id"`
			CaseNumber string `json:"case_number"`
		} `json:"items"`
	}
	c.call("GET", "/api/v1/proposals?q="+strings.ToLower(na), nil, &list)
	if len(list.Items) != 1 || list.Items[0].ID != a || list.Items[0].CaseNumber != na {
		t.Errorf("search by %s: %+v, want only %s", na, list.Items, a)
	}
	c.call("GET", "/api/v1/sessions", nil, &list)
	if len(list.Items) == 0 || list.Items[0].CaseNumber != ns {
		t.Errorf("the sessions' list: %+v, want %s with %s", list.Items, s.ID, ns)
	}

	p := newPage(t, d.URL)
	p.login("thuky", orgconfig.DemoPassword)
	p.waitText("h1", "Trang chủ")
	p.waitText("#proposals-table", na)
	p.shot("78-case-numbers-home")
	p.goTo("#/proposals/" + a)
	p.waitText(".case-number", na)
	p.goTo("#/sessions")
	p.waitText("#sessions-table", ns)
	// Open a session by its number.
	p.do("type the number", chromedp.SendKeys(chromedp.ID("session-id"), ns))
	p.click(`#goto-session button[type=submit]`)
	p.waitText("h1", "Xét khen thưởng (số hồ sơ)")
	p.waitText(".case-number", ns)
	p.waitText("#results-table", na)
	p.shot("79-case-numbers-session")
	// The search box of the home page finds a proposal by its number.
	p.goTo("#/")
	p.waitText("h1", "Trang chủ")
	p.do("search by number", chromedp.SendKeys(chromedp.ID("list-search"), nb+"\r"))
	p.poll("only the one found", `(id) => { const rows = [...document.querySelectorAll("#proposals-table tbody tr")];
		return rows.length === 1 && rows[0].dataset.id === id ? "yes" : ""; }`, b)
	p.assertNoProblems()
}
