package web_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/awardflow/awardflow/internal/orgconfig"
)

// press sends keys to whatever has the focus, as a keyboard does.
func (p *page) press(what, keys string, opts ...chromedp.KeyOption) {
	p.t.Helper()
	p.do(what, chromedp.KeyEvent(keys, opts...))
}

// focusInfo describes the focused element and how its focus shows.
type focusInfo struct {
	Desc     string  `json:"desc"`     // tag#id.class "text"
	Kind     string  `json:"kind"`     // a, button, input[checkbox], select, summary…
	Visible  bool    `json:"visible"`  // an outline of 2 px or more, or a box-shadow
	Keyboard bool    `json:"keyboard"` // it matches :focus-visible
	Contrast float64 `json:"contrast"` // the outline's colour against what is behind it
	Style    string  `json:"style"`
}

// focusInfoJS reads the focused element. The contrast is the outline's colour against
// the first opaque background among the element's ancestors (the ring is drawn outside
// the element, over its parent), per WCAG's relative luminance.
const focusInfoJS = `(() => {
	const e = document.activeElement;
	if (!e || e === document.body || e === document.documentElement) return JSON.stringify({desc: "body", kind: "body"});
	const s = getComputedStyle(e);
	const rgb = (c) => { const m = c.match(/[\d.]+/g); return m ? m.map(Number) : [0, 0, 0, 0]; };
	const lum = ([r, g, b]) => { const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
		return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
	let bg = [255, 255, 255];
	for (let n = e.parentElement; n; n = n.parentElement) {
		const c = rgb(getComputedStyle(n).backgroundColor);
		if (c.length < 4 || c[3] > 0.5) { bg = c; break; }
	}
	const oc = rgb(s.outlineColor);
	const l1 = lum(oc), l2 = lum(bg);
	const contrast = (Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05);
	const outline = s.outlineStyle !== "none" && parseFloat(s.outlineWidth) >= 2;
	const shadow = !!s.boxShadow && s.boxShadow !== "none";
	let kind = e.tagName.toLowerCase();
	if (kind === "input") kind += "[" + (e.type || "text") + "]";
	if (e.getAttribute("role")) kind += "[role=" + e.getAttribute("role") + "]";
	const text = (e.getAttribute("aria-label") || e.textContent || e.value || "").trim().replace(/\s+/g, " ").slice(0, 40);
	const cls = typeof e.className === "string" && e.className ? "." + e.className.trim().split(/\s+/).join(".") : "";
	return JSON.stringify({desc: e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") + cls + " " + JSON.stringify(text),
		kind, visible: outline || shadow, keyboard: e.matches(":focus-visible"), contrast: outline ? contrast : 21,
		style: s.outlineStyle + " " + s.outlineWidth + " " + s.outlineColor + " / shadow " + s.boxShadow});
})()`

func (p *page) focused() focusInfo {
	p.t.Helper()
	var f focusInfo
	if err := json.Unmarshal([]byte(eval[string](p, "read the focus", focusInfoJS)), &f); err != nil {
		p.t.Fatalf("read the focus: %v", err)
	}
	return f
}

// checkFocusVisible fails the test unless the focused element shows its focus: an
// outline of at least 2 px with a contrast of at least 3:1 against what surrounds it
// (WCAG 2.1 SC 1.4.11 and 2.4.7), or a box-shadow.
func (p *page) checkFocusVisible(f focusInfo) {
	p.t.Helper()
	if f.Kind == "body" {
		return
	}
	if !f.Keyboard || !f.Visible || f.Contrast < 3 {
		p.t.Errorf("focus on %s (reached by keyboard) does not show well: :focus-visible=%v, visible=%v, contrast %.2f:1 (%s)%s",
			f.Desc, f.Keyboard, f.Visible, f.Contrast, f.Style, p.state())
	}
}

// tabTo presses Tab (Shift+Tab when back) until the focus is on sel, checking that every
// element the focus passes on the way shows it; it fails when sel is not reached within
// max presses, listing the way the focus went.
func (p *page) tabTo(sel string, back bool, max int) {
	p.t.Helper()
	var path []string
	var opts []chromedp.KeyOption
	if back {
		opts = append(opts, chromedp.KeyModifiers(chromedp.ModifierShift))
	}
	for i := 0; i <= max; i++ {
		if eval[bool](p, "where is the focus", fmt.Sprintf(`!!document.activeElement && document.activeElement.matches(%q)`, sel)) {
			p.checkFocusVisible(p.focused())
			return
		}
		if i > 0 {
			f := p.focused()
			p.checkFocusVisible(f)
			path = append(path, f.Desc)
		}
		p.press("Tab towards "+sel, kb.Tab, opts...)
	}
	p.t.Fatalf("the keyboard cannot reach %s in %d presses of Tab (back: %v); the focus went: %s%s",
		sel, max, back, strings.Join(path, " → "), p.state())
}

// typeKeys types text into the focused field, key by key.
func (p *page) typeKeys(text string) {
	p.t.Helper()
	p.press("type "+text, text)
}

// chooseByKeys moves a focused <select> with the arrow keys until its value is want.
func (p *page) chooseByKeys(sel, want string) {
	p.t.Helper()
	for i := 0; i < 30; i++ {
		if eval[string](p, "read "+sel, fmt.Sprintf(`document.querySelector(%q).value`, sel)) == want {
			return
		}
		p.press("next option", kb.ArrowDown)
	}
	p.t.Fatalf("the arrow keys never chose %q in %s%s", want, sel, p.state())
}

// keyLogin signs in from the sign-in page with the keyboard only.
func (p *page) keyLogin(user string) {
	p.t.Helper()
	p.goTo("#/login")
	p.do("sign-in page", chromedp.WaitVisible(chromedp.ID("login-form")))
	p.tabTo("#username", false, 20)
	p.typeKeys(user)
	p.press("to the password", kb.Tab)
	if f := p.focused(); !strings.HasPrefix(f.Desc, "input#password") {
		p.t.Fatalf("Tab from the user name goes to %s, want the password", f.Desc)
	}
	p.typeKeys(orgconfig.DemoPassword)
	p.press("sign in", kb.Enter)
	p.waitText("h1", "Trang chủ")
}

// keyMenu opens the folded menu of a phone with the keyboard and checks it opens with the
// focus on its first link.
func (p *page) keyMenu() {
	p.t.Helper()
	p.tabTo("#nav-toggle", true, 60)
	p.press("open the menu", kb.Enter)
	p.poll("the menu to open", `() => document.getElementById("nav-toggle").getAttribute("aria-expanded") === "true" &&
		document.activeElement.matches("#nav a") ? "open" : ""`)
}

// TestBrowserKeyboard (issue 10 item 12): the main path with the keyboard only, on a
// phone (390×844): skip link, sign-in, the folded menu, filing a proposal, ticking the
// criteria, submitting; the head endorses from the inbox; a confirmation dialog takes
// the focus, Escape closes it and the focus returns to its button. Every element the
// focus passes shows it.
func TestBrowserKeyboard(t *testing.T) {
	requireChromium(t)
	d := startDev(t)
	p := newPage(t, d.URL)
	p.do("a phone", chromedp.EmulateViewport(390, 844))

	// The skip link is the first stop, shows when focused, and goes to the content
	// without leaving the page.
	p.goTo("#/login")
	p.do("sign-in page", chromedp.WaitVisible(chromedp.ID("login-form")))
	p.tabTo("a.skip", true, 20)
	if !eval[bool](p, "is the skip link shown", `(() => { const r = document.activeElement.getBoundingClientRect();
		return r.left >= 0 && r.top >= 0 && r.width > 20 && r.right <= innerWidth; })()`) {
		t.Errorf("the focused skip link is off the screen%s", p.state())
	}
	p.shot("k01-skip-link")
	p.press("skip to the content", kb.Enter)
	p.poll("the focus in the content", `() => document.getElementById("app").contains(document.activeElement) ? "in" : ""`)
	if h := eval[string](p, "read the location", `location.hash`); h != "#/login" {
		t.Errorf("the skip link changed the page to %q, want it to stay on #/login", h)
	}
	if f := p.focused(); f.Kind != "h1" && f.Kind != "main" {
		t.Errorf("after the skip link the focus is on %s, want the page's heading", f.Desc)
	}
	p.press("on to the form", kb.Tab)
	p.tabTo("#username", false, 10)
	p.typeKeys("hongdao")
	p.press("to the password", kb.Tab)
	p.typeKeys(orgconfig.DemoPassword)
	p.press("sign in", kb.Enter)
	p.waitText("h1", "Trang chủ")
	// The shell moves the focus to the new page's heading once the page is drawn.
	p.poll("the focus on the heading", `() => document.activeElement && document.activeElement.matches("main h1") ? "h1" : ""`)

	// The folded menu: Escape closes it and gives the focus back to its button; Space
	// opens it again; a link in it opens the form.
	p.keyMenu()
	p.shot("k02-menu-open")
	p.press("close the menu", kb.Escape)
	p.poll("the menu to close", `() => document.getElementById("nav-toggle").getAttribute("aria-expanded") === "false" &&
		document.activeElement.id === "nav-toggle" ? "closed" : ""`)
	p.press("open the menu with Space", " ")
	p.poll("the menu to open", `() => document.getElementById("nav-toggle").getAttribute("aria-expanded") === "true" ? "open" : ""`)
	p.tabTo(`#nav a[data-nav="new"]`, false, 15)
	p.press("open the form", kb.Enter)
	p.do("the form", chromedp.WaitVisible(chromedp.ID("draft-form")))

	// File a proposal.
	p.tabTo("#award_type", false, 30)
	p.chooseByKeys("#award_type", "LDTT")
	p.tabTo("#movement_id", false, 10)
	p.chooseByKeys("#movement_id", "vanhoa-2025")
	p.tabTo("#achievements", false, 10)
	p.typeKeys("Chủ trì số hoá tư liệu lịch sử.")
	p.shot("k03-create")
	p.tabTo("#draft-submit", false, 10)
	p.press("file it", kb.Enter)
	p.waitText("#stage", "Đang soạn")
	id := strings.TrimPrefix(eval[string](p, "read the location", `location.hash`), "#/proposals/")

	// Tick every criterion with Space, save with Enter, submit.
	n := eval[int](p, "count the criteria", `document.querySelectorAll("#self-form fieldset.criterion").length`)
	if n == 0 {
		t.Fatalf("no criteria on the proposal page%s", p.state())
	}
	for i := 0; i < n; i++ {
		p.tabTo(fmt.Sprintf("#crit-%d-met", i), false, 30)
		p.press("tick", " ")
		if !eval[bool](p, "is it ticked", fmt.Sprintf(`document.getElementById("crit-%d-met").checked`, i)) {
			t.Fatalf("Space did not tick criterion %d", i)
		}
	}
	p.tabTo("#self-save", false, 30)
	p.press("save", kb.Enter)
	p.waitText("#flash", "Đã lưu tự đánh giá")
	p.shot("k04-proposal-saved")
	p.tabTo("#submit-btn", false, 80)
	p.press("submit", kb.Enter)
	p.waitText("#stage", "Chờ lãnh đạo phòng xác nhận")

	// Sign out through the menu, with keys.
	p.keyMenu()
	p.tabTo("#logout", false, 20)
	p.press("sign out", kb.Enter)
	p.do("signed out", chromedp.WaitVisible(chromedp.ID("login-form")))

	// The head endorses from the inbox.
	p.keyLogin("tptt")
	p.waitInbox(id, "Chờ lãnh đạo phòng xác nhận")
	p.tabTo(fmt.Sprintf(`#inbox-table tr[data-id=%q] a.item-link`, id), false, 60)
	p.press("open it", kb.Enter)
	p.waitText("#stage", "Chờ lãnh đạo phòng xác nhận")
	p.tabTo("#review-comment", false, 80)
	p.typeKeys("Đồng ý")
	p.tabTo("#endorse-btn", false, 5)
	p.press("endorse", kb.Enter)
	p.waitText("#stage", "Chờ Hội đồng xét")

	// A confirmation dialog: the focus goes in, stays in on Tab, Escape closes it and
	// the focus returns to the button that opened it.
	other := fileSubmitted(t, d.URL, "quoccuong", "Lê Quốc Cường")
	p.waitInbox(other, "Chờ lãnh đạo phòng xác nhận")
	p.tabTo(fmt.Sprintf(`#inbox-table tr[data-id=%q] a.item-link`, other), false, 60)
	p.press("open it", kb.Enter)
	p.waitText("#stage", "Chờ lãnh đạo phòng xác nhận")
	p.tabTo("#review-comment", false, 80)
	p.typeKeys("Chưa đủ thời gian công tác")
	p.tabTo("#reject-btn", false, 5)
	p.press("reject", kb.Enter)
	p.waitText("#reject-dialog", "Không xác nhận hồ sơ?")
	for i, keys := range []string{"", kb.Tab, kb.Tab, kb.Tab, "shift", "shift", "shift"} {
		switch keys {
		case "":
		case "shift":
			p.press("Shift+Tab in the dialog", kb.Tab, chromedp.KeyModifiers(chromedp.ModifierShift))
		default:
			p.press("Tab in the dialog", keys)
		}
		if !eval[bool](p, "is the focus in the dialog", `document.getElementById("reject-dialog").contains(document.activeElement)`) {
			t.Fatalf("with the dialog open, after %d presses of Tab/Shift+Tab the focus is on %s, outside it", i, p.focused().Desc)
		}
		p.checkFocusVisible(p.focused())
	}
	p.shot("k05-reject-dialog")
	p.press("close the dialog", kb.Escape)
	p.poll("the dialog to close", `() => document.getElementById("reject-dialog") ? "" : "gone"`)
	if f := p.focused(); !strings.HasPrefix(f.Desc, "button#reject-btn") {
		t.Errorf("after Escape the focus is on %s, want back on the button that opened the dialog", f.Desc)
	}
	p.waitText("#stage", "Chờ lãnh đạo phòng xác nhận")
	p.press("reject again", kb.Enter)
	p.waitText("#reject-dialog", "Không xác nhận hồ sơ?")
	p.tabTo("#reject-dialog-confirm", false, 6)
	p.press("confirm", kb.Enter)
	p.waitText("#stage", "Không được xác nhận")
	p.shot("k06-rejected")
	p.assertNoProblems()
}

// TestBrowserFocusVisible (issue 10 item 12): on the pages with every kind of control
// (links, buttons, link-styled buttons, text fields, selects, radios, checkboxes, a file
// field, a textarea, a summary, the bell, the menu button, table links), at 1366×768 and
// 390×844, every stop of the Tab order shows a focus ring of 2 px or more with a
// contrast of 3:1 or more against what is behind it.
func TestBrowserFocusVisible(t *testing.T) {
	requireChromium(t)
	d := startDev(t)
	p := newPage(t, d.URL)
	p.login("hongdao", orgconfig.DemoPassword)
	p.waitText("h1", "Trang chủ")
	p.goTo("#/new")
	draft := p.fileDraft("Thành tích để thử tiêu điểm bàn phím.")
	kinds := map[string]bool{}
	sweep := func(hash, ready, shot string) {
		t.Helper()
		p.goTo(hash)
		p.do("open "+hash, chromedp.WaitVisible(chromedp.CSS(ready)))
		p.poll("the page drawn", `() => document.getElementById("app").hasAttribute("aria-busy") ? "" : "drawn"`)
		p.tabTo("a.skip", true, 200) // from the top of the page
		shotKinds := map[string]bool{}
		var stops []string
		defer func() { t.Logf("%s: %d stops: %s", shot, len(stops), strings.Join(stops, " → ")) }()
		for i := 0; i < 250; i++ {
			p.press("Tab", kb.Tab)
			f := p.focused()
			if f.Desc == "body" || strings.HasPrefix(f.Desc, "a.skip ") { // past the end, or round again
				break
			}
			stops = append(stops, f.Kind)
			kinds[f.Kind] = true
			p.checkFocusVisible(f)
			if !shotKinds[f.Kind] && (f.Kind == "summary" || f.Kind == "input[checkbox]" || f.Kind == "select" || f.Kind == "button") {
				shotKinds[f.Kind] = true
				p.shot(fmt.Sprintf("%s-focus-%s", shot, strings.NewReplacer("[", "-", "]", "").Replace(f.Kind)))
			}
		}
	}
	for _, size := range []struct {
		name string
		w, h int64
	}{{"desktop", 1366, 768}, {"phone", 390, 844}} {
		p.do("screen "+size.name, chromedp.EmulateViewport(size.w, size.h))
		sweep("#/", "#inbox", "f-"+size.name+"-home")
		sweep("#/new", "#draft-form", "f-"+size.name+"-new")
		sweep("#/proposals/"+draft, "#self-form", "f-"+size.name+"-draft")
	}
	for _, k := range []string{"a", "button", "input[text]", "input[checkbox]", "input[radio]", "input[file]", "select", "textarea", "summary"} {
		if !kinds[k] {
			t.Errorf("the sweep never focused a %s: the test does not cover it (focused: %v)", k, kinds)
		}
	}
	p.assertNoProblems()
}
