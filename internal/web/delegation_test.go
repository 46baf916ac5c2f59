package web_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/awardflow/awardflow/internal/orgconfig"
)

// Ủy quyền in the pages: the head of tt opens "Ủy quyền xử lý công việc" from the inbox,
// picks a colleague of the unit and a reason (the server refuses an empty reason in
// Vietnamese), and delegates for a week; the colleague finds the head's proposal in the
// inbox "Thay mặt Phạm Minh Tâm", opens it, sees they review for the head and endorses
// it; the history says "thay mặt"; the head withdraws the delegation after a
// confirmation. At 1366×768 and 390×844, with no console error or CSP violation.
func TestBrowserDelegation(t *testing.T) {
	requireChromium(t)
	d := startDev(t)
	id := fileSubmitted(t, d.URL, "hongdao", "Nguyễn Thị Hồng Đào")

	p := newPage(t, d.URL)
	p.login("tptt", orgconfig.DemoPassword)
	p.waitText("h1", "Trang chủ")
	p.click("#inbox-delegations")
	p.waitText("h1", "Ủy quyền xử lý công việc")
	p.waitText("#not-delegable", "Điều 90")
	p.waitText("#delegations-empty", "Chưa có ủy quyền")
	p.setValue("#delegation-to", "quoccuong")
	p.click("#delegation-submit")
	p.waitText("#delegation-msg", "lý do")
	p.do("type the reason", chromedp.SendKeys("#delegation-reason", "Nghỉ phép năm"))
	p.shot("80-delegation-form")
	p.click("#delegation-submit")
	p.waitText("#delegation-msg", "Đã ủy quyền cho Lê Quốc Cường")
	p.waitText("#delegations-table", "Đang có hiệu lực")
	p.shot("81-delegation-recorded")

	p.do("a phone", chromedp.EmulateViewport(390, 844))
	p.goTo("#/delegations")
	p.waitText("#delegations-table", "Đang có hiệu lực")
	p.fitsWidth(390)
	p.shot("82-delegation-phone")
	p.do("a laptop", chromedp.EmulateViewport(1366, 768))

	p.switchUser("quoccuong")
	if eval[bool](p, "the menu entry for staff", `!document.getElementById("nav-delegations").hidden`) {
		t.Errorf("staff see the delegations menu entry (they reach the page from the inbox and the bell)")
	}
	p.waitInbox(id, "Thay mặt Phạm Minh Tâm")
	p.shot("83-delegate-inbox")
	p.click(`#inbox-table tr[data-id="` + id + `"] a.item-link`)
	p.waitText("#review-on-behalf", "Thay mặt Phạm Minh Tâm")
	p.click("#endorse-btn")
	p.waitText("#history-table", "thay mặt Phạm Minh Tâm")
	p.shot("84-delegate-endorsed")

	p.switchUser("tptt")
	p.goTo("#/delegations")
	row := `#delegations-table tr[data-status="live"] button.danger`
	p.click(row)
	p.click("#withdraw-confirm-confirm")
	p.waitText("#delegations-msg", "Đã thu hồi")
	p.waitText("#delegations-table", "Đã thu hồi")
	p.do("a phone", chromedp.EmulateViewport(390, 844))
	p.fitsWidth(390)
	p.shot("85-delegation-withdrawn-phone")
	if n := eval[int](p, "withdraw buttons left", `document.querySelectorAll("#delegations-table button.danger").length`); n != 0 {
		t.Errorf("%d withdraw buttons on a withdrawn delegation", n)
	}
	if got := eval[string](p, "the menu entry", `document.getElementById("nav-delegations").textContent`); !strings.Contains(got, "Ủy quyền") {
		t.Errorf("menu entry %q", got)
	}

	// The văn thư and the council secretary are offered their own tasks, in Vietnamese,
	// with the people each may go to: the văn thư's to the office, the secretary's to
	// anyone but the chair.
	p.do("a laptop", chromedp.EmulateViewport(1366, 768))
	p.switchUser("vanthu")
	if !eval[bool](p, "the menu entry for the văn thư", `!document.getElementById("nav-delegations").hidden`) {
		t.Errorf("the văn thư has no delegations menu entry")
	}
	p.goTo("#/delegations")
	p.waitText("#delegation-scope", "Công việc văn thư")
	p.waitText("#delegation-scope-hint", "cấp số, đóng dấu")
	options := `[...document.querySelectorAll("#delegation-to option")].map(o => o.value).join(",")`
	if got := eval[string](p, "the văn thư's candidates", options); strings.Contains(got, "hongdao") || !strings.Contains(got, "kimngan") {
		t.Errorf("the văn thư may delegate to %q (want the office only)", got)
	}
	p.setValue("#delegation-to", "kimngan")
	p.do("type the reason", chromedp.SendKeys("#delegation-reason", "Nghỉ ốm — điều trị tại Bệnh viện Chợ Rẫy"))
	p.click("#delegation-submit")
	p.waitText("#delegation-msg", "Đã ủy quyền cho Trương Thị Kim Ngân")
	p.waitText("#delegations-table", "Công việc văn thư")
	p.shot("86-delegation-clerk")
	p.switchUser("thuky")
	p.goTo("#/delegations")
	p.waitText("#delegation-scope", "Công việc thư ký Hội đồng")
	if got := eval[string](p, "the secretary's candidates", options); strings.Contains(got, "truongban") || !strings.Contains(got, "hongdao") {
		t.Errorf("the secretary may delegate to %q (want anyone but the chair)", got)
	}
	p.do("a phone", chromedp.EmulateViewport(390, 844))
	p.fitsWidth(390)
	p.shot("87-delegation-secretary-phone")
	p.assertNoProblems()
}
