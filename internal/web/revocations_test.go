package web_test

import (
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/awardflow/awardflow/internal/orgconfig"
)

// Revoking an award in the pages (Điều 93): the secretary picks the decision of the
// register and one of its two awards, a legal ground and a reason; the head sends the
// draft back, the secretary revises it, the head signs, the văn thư issues it with the
// next number of the decision register; the register then lists one award of the two.
// Staff do not see the menu entry. Desktop and phone.
func TestBrowserRevocation(t *testing.T) {
	requireChromium(t)
	d := startDev(t)
	a := endorsedProposalType(t, d.URL, "hongdao", "tptt", "Nguyễn Thị Hồng Đào", "LDTT")
	b := endorsedProposalType(t, d.URL, "quoccuong", "tptt", "Lê Quốc Cường", "LDTT")
	s := decidingSession(t, d.URL, "Xét khen thưởng (huỷ bỏ)", []string{a, b}, allYes)
	approveAndIssue(t, d.URL, s.ID)

	p := newPage(t, d.URL)
	p.login("hongdao", orgconfig.DemoPassword)
	p.waitText("h1", "Trang chủ")
	if eval[bool](p, "the menu entry for staff", `!document.getElementById("nav-revocations").hidden`) {
		t.Errorf("staff see the revocations menu entry")
	}
	p.switchUser("thuky")
	p.click("#nav-revocations")
	p.waitText("h1", "Huỷ bỏ khen thưởng")
	p.waitText("#revocations-empty", "Chưa có đề nghị")
	eval[bool](p, "choose the year 2025", `(() => { const s = document.getElementById("revoke-year");
		s.value = "2025"; s.dispatchEvent(new Event("change")); return true; })()`)
	p.poll("the decision listed", `() => document.querySelectorAll("#revoke-decision option").length > 1 ? "yes" : ""`)
	eval[bool](p, "choose the decision", `(() => { const s = document.getElementById("revoke-decision");
		s.value = s.options[1].value; s.dispatchEvent(new Event("change")); return true; })()`)
	p.click(`#revoke-awardees input[data-proposal="` + a + `"]`)
	// No ground chosen: the server's Vietnamese message, nothing started.
	p.click("#revoke-submit")
	p.waitText("#revoke-error", "căn cứ huỷ bỏ")
	eval[bool](p, "choose the ground", `(() => { const s = document.getElementById("revoke-ground");
		s.value = "gian_doi"; return true; })()`)
	p.do("type the reason", chromedp.SendKeys("#revoke-reason", "Phát hiện kê khai sáng kiến không đúng sự thật"))
	p.shot("70-revocation-request")
	p.click("#revoke-submit")
	p.waitText("#revocation-status", "chờ ký duyệt")
	p.waitText("#revocation-awardees", "Nguyễn Thị Hồng Đào")
	url := eval[string](p, "the revocation's address", `location.hash`)

	p.switchUser("truongban")
	p.goTo(url)
	p.click("#rv-send_back")
	p.do("the reason", chromedp.SendKeys("#rv-send_back-dialog-reason", "Bổ sung biên bản xác minh"))
	p.do("confirm", chromedp.Click(chromedp.ID("rv-send_back-dialog-confirm")))
	p.waitText("#revocation-status", "trả lại")

	p.switchUser("thuky")
	p.goTo(url)
	p.waitText("#revocation-sent-back", "Bổ sung biên bản")
	p.click("#rv-revise")
	p.do("the new reason", chromedp.SendKeys("#rv-revise-dialog-reason", " (biên bản ngày 02/3)"))
	p.do("confirm", chromedp.Click(chromedp.ID("rv-revise-dialog-confirm")))
	p.waitText("#revocation-status", "chờ ký duyệt")
	p.waitText("#revocation-reason", "biên bản ngày 02/3")

	p.switchUser("truongban")
	p.goTo(url)
	p.click("#rv-approve")
	p.waitText("#revocation-status", "phát hành")

	p.switchUser("vanthu")
	p.goTo(url)
	p.click("#rv-issue")
	p.waitText("#revocation-number", "Số 02-QĐ/BTGTU")
	p.waitText("#revocation-history", "phát hành")
	p.shot("71-revocation-issued")

	var list struct {
		Items []struct {
			ProposalID string `json:"proposal_id"`
		} `json:"items"`
	}
	apiLogin(t, d.URL, "thuky").call("GET", "/api/v1/awardees?year=2025", nil, &list)
	if len(list.Items) != 1 || list.Items[0].ProposalID != b {
		t.Errorf("the register after the revocation: %+v (want only %s)", list.Items, b)
	}
	p.goTo("#/revocations")
	p.waitText("#revocations-table", "Đã phát hành")
	p.waitText("#revocations-table", "Số 01-QĐ/BTGTU")
	p.do("a phone", chromedp.EmulateViewport(390, 844))
	p.goTo(url)
	p.waitText("#revocation-number", "Số 02-QĐ")
	p.fitsWidth(390)
	p.shot("72-revocation-phone")
	p.assertNoProblems()
}
