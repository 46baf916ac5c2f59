package web_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/awardflow/awardflow/internal/award"
	"github.com/awardflow/awardflow/internal/devapp"
	"github.com/awardflow/awardflow/internal/devapp/devapptest"
	"github.com/awardflow/awardflow/internal/orgconfig"
)

// inboxCount reads the task list's count line once it says n of total.
func (p *page) inboxCount(n, total int) {
	p.t.Helper()
	p.waitText("#inbox-count", fmt.Sprintf("Đang hiện %d/%d việc", n, total))
}

// inboxIDs lists the task list's rows in order.
func (p *page) inboxIDs() []string {
	p.t.Helper()
	return eval[[]string](p, "the task list's rows", `[...document.querySelectorAll("#inbox-table tbody tr")].map((r) => r.dataset.id)`)
}

// choose sets a select of the page (as a person would: a change event).
func (p *page) choose(sel, value string) {
	p.t.Helper()
	p.poll("choose "+value+" in "+sel, `(sel, v) => {
		const e = document.querySelector(sel);
		if (!e || e.disabled) return "";
		e.value = v; e.dispatchEvent(new Event("change", {bubbles: true})); return "ok"; }`, sel, value)
}

// TestBrowserTaskList (issue 10 item 8): a head runs a year-end from the task list. With
// 26 proposals waiting (filed through the API) the list shows a page and its count,
// "Xem thêm" the rest; each filter (stage, department, award type, movement, year,
// overdue, search by name and by case number) and the sort by due date narrow or order
// it; the filters live in the address (Back restores them, a pasted link too); an
// empty result says what was filtered; a task past its due date carries "Quá hạn 2
// ngày", the others "Còn 1 ngày", with the case number. The menu says "Hộp việc" with the
// count, which falls after an endorsement. A council chair gets a shortcut to the open
// session. The admin's top bar is one line at 1366 px, the office's pages behind a
// disclosure that Escape closes. Desktop 1366×768 and phone 390×844.
func TestBrowserTaskList(t *testing.T) {
	requireChromium(t)
	org, err := orgconfig.Demo()
	if err != nil {
		t.Fatal(err)
	}
	org.Agency.ReviewDays = 1 // every task is due tomorrow: "Còn 1 ngày"
	// The nominees: people of the department tt (a nominee is someone in the directory).
	given := []string{"An", "Bình", "Cúc", "Dũng", "Giang", "Hải", "Khoa", "Lan", "Minh", "Nam", "Oanh", "Phúc", "Quân", "Sương",
		"Tâm", "Uyên", "Vinh", "Xuân", "Yến"}
	name := func(family string, i int) string { return fmt.Sprintf("%s %s", family, given[i]) }
	for i, family := range []string{"Nguyễn Văn", "Hoàng Thị", "Trần Minh"} {
		for j := range given {
			org.People = append(org.People, orgconfig.Person{ID: fmt.Sprintf("tl%d%02d", i, j), Name: name(family, j),
				Position: "Chuyên viên", Department: "tt", Roles: []award.Role{award.RoleStaff}, PasswordHash: org.People[0].PasswordHash})
		}
	}
	d := devapptest.Start(t, devapp.Options{Org: org})

	// 26 tasks for tptt (head of tt): 19 LDTT and 4 GK in vanhoa-2025, 3 LDTT in
	// chuyendoiso-2025; one proposal of llct (not theirs).
	var ids []string
	staff := []string{"hongdao", "quoccuong"}
	for i := range 19 {
		ids = append(ids, fileSubmittedIn(t, d.URL, staff[i%2], name("Nguyễn Văn", i), "LDTT", "vanhoa-2025"))
	}
	gk := []string{}
	for i := range 4 {
		gk = append(gk, fileSubmittedIn(t, d.URL, staff[i%2], name("Hoàng Thị", i), "GK", "vanhoa-2025"))
	}
	late := gk[0]
	digital := []string{}
	for i := range 3 {
		digital = append(digital, fileSubmittedIn(t, d.URL, staff[i%2], name("Trần Minh", i), "LDTT", "chuyendoiso-2025"))
	}
	ids = append(append(ids, gk...), digital...)
	fileSubmitted(t, d.URL, "vanson", "Đặng Văn Sơn")
	const total = 26

	// One task past its due date, by the test's own means: its list row as the workflow
	// writes it when the review deadline passes (due two days and an hour ago, overdue),
	// with a change number above the workflow's (nothing else happens to it here).
	ctx := context.Background()
	deadline := time.Now().Add(2 * time.Minute)
	for {
		row, err := d.Store.Projection(ctx, late)
		if err == nil && row.Stage == "submitted" {
			row.Seq += 1000
			row.DueAt = time.Now().Add(-49 * time.Hour)
			row.Overdue = true
			row.UpdatedAt = time.Now()
			if _, err := d.Store.UpsertProjection(ctx, row); err != nil {
				t.Fatal(err)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the list row of %s: %+v, %v", late, row, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
	head := apiLogin(t, d.URL, "tptt")
	var lateNumber string
	{
		var pg struct {
			Items []struct {
				ID         string `json:"id"`
				CaseNumber string `json:"case_number"`
			} `json:"items"`
			Total int `json:"total"`
		}
		for tries := 0; ; tries++ {
			head.call("GET", "/api/v1/inbox?limit=200", nil, &pg)
			if pg.Total == total || tries > 100 {
				break
			}
			time.Sleep(200 * time.Millisecond)
		}
		if pg.Total != total {
			t.Fatalf("the inbox holds %d tasks, want %d", pg.Total, total)
		}
		for _, it := range pg.Items {
			if it.ID == late {
				lateNumber = it.CaseNumber
			}
		}
		if !strings.HasPrefix(lateNumber, "HS-") {
			t.Fatalf("the late task's case number %q", lateNumber)
		}
	}

	p := newPage(t, d.URL)
	p.login("tptt", orgconfig.DemoPassword)
	p.waitText("h1", "Trang chủ")

	// A page, its count, the rest with "Xem thêm".
	p.inboxCount(20, total)
	p.shot("01-tasklist-first-page")
	p.click("#more-inbox")
	p.inboxCount(total, total)
	if !eval[bool](p, "Xem thêm after the last page", `document.getElementById("more-inbox").hidden`) {
		t.Error("“Xem thêm” still shown with every task listed")
	}
	if got := len(p.inboxIDs()); got != total {
		t.Errorf("%d rows after “Xem thêm”, want %d", got, total)
	}

	// The menu's count, with the overdue one, and a name that reads well.
	p.poll("the menu's count", `() => { const a = document.getElementById("nav-home");
		return a && a.innerText.replace(/\s+/g, " ").trim().startsWith("Hộp việc") && document.getElementById("nav-inbox-said").textContent === ", 26 việc đang chờ, 1 việc quá hạn" && document.getElementById("nav-inbox-count").getAttribute("aria-hidden") === "true" ? "ok" : ""; }`)
	if txt := eval[string](p, "the menu entry", `document.getElementById("nav-home").textContent`); !strings.Contains(txt, "Hộp việc") || !strings.Contains(txt, "26") {
		t.Errorf("the menu entry reads %q", txt)
	}

	// The due dates on the tasks themselves, with the case number.
	lateRow := fmt.Sprintf(`#inbox-table tr[data-id=%q]`, late)
	p.waitText(lateRow+" .due-badge.overdue", "Quá hạn 2 ngày")
	p.waitText(lateRow+" .case-number", lateNumber)
	if c := eval[string](p, "the overdue badge's colour", `getComputedStyle(document.querySelector(`+"`"+lateRow+" .due-badge`"+`)).backgroundColor`); c == "" || c == "rgba(0, 0, 0, 0)" {
		t.Errorf("the overdue badge has no colour: %q", c)
	}
	p.waitText(fmt.Sprintf(`#inbox-table tr[data-id=%q] .due-badge:not(.overdue)`, ids[0]), "Còn 1 ngày")

	// Filters, one after the other; each one is in the address.
	hashHas := func(want ...string) {
		t.Helper()
		h := eval[string](p, "the address", `decodeURIComponent(location.hash.replace(/\+/g, " "))`)
		for _, w := range want {
			if !strings.Contains(h, w) {
				t.Errorf("the address %q lacks %q", h, w)
			}
		}
	}
	p.click("#inbox-overdue")
	p.inboxCount(1, 1)
	if got := p.inboxIDs(); len(got) != 1 || got[0] != late {
		t.Errorf("overdue only: %v, want [%s]", got, late)
	}
	hashHas("#/?", "overdue=1")
	p.shot("02-tasklist-overdue")
	p.click("#inbox-overdue")
	p.inboxCount(20, total)
	p.choose("#inbox-award-type", "GK")
	p.inboxCount(4, 4)
	hashHas("award_type=GK")
	p.choose("#inbox-movement", "chuyendoiso-2025")
	p.waitText("#inbox-table-empty", "Không có việc nào khớp với bộ lọc")
	empty := p.waitText("#inbox-table-empty", "phong trào")
	if !strings.Contains(empty, "hình thức “Giấy khen") {
		t.Errorf("the empty result reads %q: it does not say what was filtered", empty)
	}
	p.shot("03-tasklist-empty-filtered")
	p.choose("#inbox-award-type", "")
	p.inboxCount(3, 3)
	// Back: the filters before, in the controls and in the list.
	eval[bool](p, "go back", `(history.back(), true)`)
	p.waitText("#inbox-table-empty", "Không có việc nào khớp")
	if v := eval[string](p, "the award type after Back", `document.getElementById("inbox-award-type").value`); v != "GK" {
		t.Errorf("after Back the award type is %q, want GK", v)
	}
	eval[bool](p, "go back", `(history.back(), true)`)
	p.inboxCount(4, 4)
	if v := eval[string](p, "the movement after Back", `document.getElementById("inbox-movement").value`); v != "" {
		t.Errorf("after Back twice the movement is %q, want none", v)
	}
	eval[bool](p, "go forward", `(history.forward(), true)`)
	p.waitText("#inbox-table-empty", "Không có việc nào khớp")
	p.click("#inbox-table-unfilter")
	p.inboxCount(20, total)
	hashHas("#/")

	p.choose("#inbox-year", "2025")
	p.inboxCount(20, total)
	hashHas("year=2025")
	p.choose("#inbox-year", "")
	p.choose("#inbox-department", "llct")
	p.waitText("#inbox-table-empty", "phòng “")
	p.choose("#inbox-department", "tt")
	p.inboxCount(20, total)
	p.choose("#inbox-department", "")
	p.choose("#inbox-stage", "endorsed")
	p.waitText("#inbox-table-empty", "bước “")
	p.choose("#inbox-stage", "submitted")
	p.inboxCount(20, total)
	p.choose("#inbox-stage", "")
	// Search: a name without its diacritics, then a case number.
	p.do("search a name", chromedp.SendKeys(chromedp.ID("inbox-search"), "hoang thi\r"))
	p.inboxCount(4, 4)
	hashHas("q=hoang thi")
	eval[bool](p, "empty the search", `(document.getElementById("inbox-search").value = "", true)`)
	p.do("search a case number", chromedp.SendKeys(chromedp.ID("inbox-search"), strings.ToLower(lateNumber)+"\r"))
	p.inboxCount(1, 1)
	eval[bool](p, "empty the search", `(document.getElementById("inbox-search").value = "", true)`)
	p.do("search nothing", chromedp.SendKeys(chromedp.ID("inbox-search"), "\r"))
	p.inboxCount(20, total)

	// Sort by due date: the overdue one first, the others in order of their deadline.
	p.choose("#inbox-sort", "due")
	p.poll("the late task first", `(id) => { const r = document.querySelector("#inbox-table tbody tr"); return r && r.dataset.id === id ? "ok" : ""; }`, late)
	hashHas("sort=due")
	p.shot("04-tasklist-sorted-due")

	// A pasted link restores its filters.
	p.goTo("#/?award_type=GK&overdue=1&sort=due")
	p.waitText("h1", "Trang chủ")
	p.inboxCount(1, 1)
	if !eval[bool](p, "the overdue box", `document.getElementById("inbox-overdue").checked && document.getElementById("inbox-award-type").value === "GK"`) {
		t.Error("a pasted link's filters are not in the controls")
	}
	// The proposals list has the same controls, under its own keys.
	p.goTo("#/")
	p.waitText("h1", "Trang chủ")
	p.waitText("#proposals-count", "Đang hiện 20/27 hồ sơ") // a council member: llct's too
	p.choose("#list-movement", "chuyendoiso-2025")
	p.waitText("#proposals-count", "Đang hiện 3/3 hồ sơ")
	hashHas("p_movement=chuyendoiso-2025")
	p.inboxCount(20, total) // the task list keeps its own filters

	// An endorsement (the bulk review here) lowers the menu's count.
	p.goTo("#/")
	p.waitText("h1", "Trang chủ")
	p.inboxCount(20, total)
	endorsed := digital[len(digital)-1] // filed last: on the first page
	p.click(fmt.Sprintf(`#inbox-table input.bulk-pick[data-id=%q]`, endorsed))
	p.click("#bulk-endorse")
	p.click("#bulk-endorse-confirm-confirm")
	p.waitText("#bulk-msg", "Đã đồng ý trình 1 hồ sơ")
	p.poll("the menu's count after the endorsement", `() => { const a = document.getElementById("nav-home");
		return a && a.innerText.replace(/\s+/g, " ").trim().startsWith("Hộp việc") && document.getElementById("nav-inbox-said").textContent === ", 25 việc đang chờ, 1 việc quá hạn" && document.getElementById("nav-inbox-count").getAttribute("aria-hidden") === "true" ? "ok" : ""; }`)
	p.shot("05-tasklist-after-endorse")

	// The phone: the same list and controls, nothing beyond the edge.
	p.do("a phone", chromedp.EmulateViewport(390, 844))
	p.goTo("#/?overdue=1")
	p.waitText("h1", "Trang chủ")
	p.inboxCount(1, 1)
	p.fitsWidth(390)
	p.shot("06-tasklist-phone")
	p.do("the desktop", chromedp.EmulateViewport(1366, 768))

	// The council: a session open for voting; the chair's inbox has the shortcut.
	sec := apiLogin(t, d.URL, "thuky")
	var s struct {
		ID string `json:"id"`
	}
	sec.call("POST", "/api/v1/sessions", map[string]any{"title": "Phiên họp xét khen thưởng cuối năm", "proposal_ids": []string{endorsed}}, &s)
	p.switchUser("truongban")
	for tries := 0; ; tries++ {
		ctx, cancel := context.WithTimeout(p.ctx, 3*time.Second)
		_, err := chromedp.Run(ctx, chromedp.PollFunction[bool](`(id) => !!document.querySelector('#session-shortcut [data-id="' + id + '"]')`,
			chromedp.WithPollingArgs(s.ID), chromedp.WithPollingInterval(50*time.Millisecond), chromedp.WithPollingTimeout(0)))
		cancel()
		if err == nil {
			break
		}
		if tries == 40 {
			t.Fatalf("no shortcut to the open session%s", p.state())
		}
		p.do("reload", chromedp.Reload())
		p.waitText("h1", "Trang chủ")
	}
	box := p.waitText("#session-shortcut", "Phiên họp đang mở: Phiên họp xét khen thưởng cuối năm")
	if !strings.Contains(box, "Bỏ phiếu") || !strings.Contains(box, "Kết thúc bỏ phiếu") {
		t.Errorf("the chair's shortcut reads %q", box)
	}
	p.shot("07-session-shortcut")
	p.click("#session-shortcut .shortcut-vote")
	p.waitText("h1", "Phiên họp xét khen thưởng cuối năm")

	// The admin's top bar: one line at 1366 px, the office's pages behind a disclosure.
	p.switchUser("quantri")
	bar := eval[[]float64](p, "the top bar", `(() => {
		const tops = [...document.querySelectorAll("#nav > a, #nav > .nav-group > button, .who, .brand")]
			.filter((e) => e.getClientRects().length > 0).map((e) => e.getBoundingClientRect().top);
		return [document.querySelector("header.topbar").getBoundingClientRect().height, Math.min(...tops), Math.max(...tops)]; })()`)
	if bar[0] > 72 || bar[2]-bar[1] > 12 {
		t.Errorf("the admin's top bar at 1366 px: %.0f px high, its entries from %.0f to %.0f px: not one line", bar[0], bar[1], bar[2])
	}
	p.shot("08-admin-topbar")
	p.click("#nav-office-toggle")
	p.poll("the group open", `() => document.getElementById("nav-office-toggle").getAttribute("aria-expanded") === "true"
		&& document.getElementById("nav-lists").getClientRects().length > 0 ? "ok" : ""`)
	p.shot("09-admin-menu-open")
	p.do("press Escape", chromedp.KeyEvent("\x1b"))
	p.poll("the group closed by Escape", `() => document.getElementById("nav-office-toggle").getAttribute("aria-expanded") === "false"
		&& document.activeElement === document.getElementById("nav-office-toggle")
		&& document.getElementById("nav-lists").getClientRects().length === 0 ? "ok" : ""`)
	p.click("#nav-office-toggle")
	p.click("#nav-statistics")
	p.waitText("h1", "Thống kê")
	if !eval[bool](p, "the group marks the page", `document.getElementById("nav-group-office").classList.contains("current")
		&& document.getElementById("nav-office-toggle").getAttribute("aria-expanded") === "false"`) {
		t.Error("the group does not show that it holds the page open, or stays open")
	}
	p.assertNoProblems()
}
