package web_test

import (
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/awardflow/awardflow/internal/devapp"
	"github.com/awardflow/awardflow/internal/devapp/devapptest"
	"github.com/awardflow/awardflow/internal/orgconfig"
)

// startDevOrg is startDev with an organisation of the test's own.
func startDevOrg(t *testing.T, org *orgconfig.Org) *devapp.Dev {
	t.Helper()
	return devapptest.Start(t, devapp.Options{Org: org})
}

// endorsedProposal files and submits a proposal (fileSubmitted) and has the head endorse it.
func endorsedProposal(t *testing.T, base, staff, head, nominee string) string {
	t.Helper()
	id := fileSubmitted(t, base, staff, nominee)
	apiLogin(t, base, head).call("POST", "/api/v1/proposals/"+id+"/endorse", map[string]string{"comment": "Đồng ý"}, nil)
	return id
}

// TestBrowserSessionFailureAndQuorum: a session whose documents cannot be rendered shows
// its status and the reason, and the secretary's exclusion (confirmed, with a reason)
// lets issuing complete; closing below quorum warns in the confirmation, and the
// session ends not quorate without any count on the page.
func TestBrowserSessionFailureAndQuorum(t *testing.T) {
	requireChromium(t)
	org, err := orgconfig.Demo()
	if err != nil {
		t.Fatal(err)
	}
	// A movement whose name the document font cannot print. Loading a config refuses
	// such a name (orgconfig.Validate); the organisation is handed to the dev stack
	// directly, so that the page's handling of a document that cannot be rendered is
	// still exercised. (A department is no longer usable for this: each person's
	// development certificate carries their department's name.)
	poison := org.Movements[0]
	poison.ID, poison.Name = "thu-2025", "Phong trào thử \U0001F3AD"
	org.Movements = append(org.Movements, poison)
	d := startDevOrg(t, org)
	// The poisoned proposal has its award type to itself: its decision names its movement.
	good := endorsedProposalType(t, d.URL, "hongdao", "tptt", "Nguyễn Thị Hồng Đào", "GK")
	poisoned := fileSubmittedIn(t, d.URL, "vanson", "Đặng Văn Sơn", "LDTT", poison.ID)
	apiLogin(t, d.URL, "tpllct").call("POST", "/api/v1/proposals/"+poisoned+"/endorse", map[string]string{"comment": "Đồng ý"}, nil)
	sec := apiLogin(t, d.URL, "thuky")
	var s struct {
		ID string `json:"id"`
	}
	sec.call("POST", "/api/v1/sessions", map[string]any{"title": "Phiên họp có văn bản lỗi", "proposal_ids": []string{good, poisoned}}, &s)
	for _, u := range []string{"truongban", "phoban", "chanhvp", "tptt", "tpllct", "thuky"} {
		apiLogin(t, d.URL, u).call("POST", "/api/v1/sessions/"+s.ID+"/ballot", map[string]any{"marks": map[string]string{good: "yes", poisoned: "yes"}}, nil)
	}
	apiLogin(t, d.URL, "truongban").call("POST", "/api/v1/sessions/"+s.ID+"/close", nil, nil)

	p := newPage(t, d.URL)
	p.login("thuky", orgconfig.DemoPassword)
	p.waitText("h1", "Trang chủ")
	p.goTo("#/sessions/" + s.ID)
	p.waitText("#session-status", "Lập văn bản không thành công")
	p.waitText("#failure-reason", "U+1F3AD")
	p.waitText("#failure", "Đặng Văn Sơn")
	p.shot("12-session-failed")
	p.do("exclude the proposal", chromedp.Click(chromedp.ID("exclude-0")))
	p.waitText("#exclude-confirm-title", "Loại hồ sơ khỏi phiên họp")
	p.do("clear the reason and confirm", chromedp.SetValue(chromedp.ID("exclude-confirm-reason"), " "), chromedp.Click(chromedp.ID("exclude-confirm-confirm")))
	p.waitText("#exclude-confirm-error", "Cần ghi lý do")
	p.do("give a reason and confirm", chromedp.SetValue(chromedp.ID("exclude-confirm-reason"), "Tên phòng không in được; xét ở phiên sau"),
		chromedp.Click(chromedp.ID("exclude-confirm-confirm")))
	p.waitText("#session-status", "chờ ký duyệt")
	p.waitText("#excluded", "Đặng Văn Sơn")
	p.waitText("#excluded", "Tên phòng không in được")
	p.waitText(card("GK")+" .doc-awardees", "Nguyễn Thị Hồng Đào")
	approveAndIssue(t, d.URL, s.ID)
	p.waitText("#session-status", "Đã hoàn thành")
	p.waitText("#documents", "Quyết định Số 01-QĐ")
	p.shot("13-session-recovered")

	// Below quorum: the chair's confirmation says the ballots will not be opened.
	sec.call("POST", "/api/v1/sessions", map[string]any{"title": "Phiên họp vắng", "proposal_ids": []string{poisoned}}, &s)
	apiLogin(t, d.URL, "tpllct").call("POST", "/api/v1/sessions/"+s.ID+"/ballot", map[string]any{"marks": map[string]string{poisoned: "no"}}, nil)
	p.do("sign out", chromedp.Click(chromedp.ID("logout")), chromedp.WaitVisible(chromedp.ID("login-form")))
	p.login("truongban", orgconfig.DemoPassword)
	p.waitText("h1", "Trang chủ")
	p.goTo("#/sessions/" + s.ID)
	p.do("close voting", chromedp.Click(chromedp.ID("close-btn")))
	p.waitText("#close-confirm-count", "Đã có 1/6 phiếu; cần tối thiểu 4 thành viên")
	p.waitText("#close-confirm-below-quorum", "phiếu sẽ không được mở")
	p.shot("14-close-below-quorum")
	p.do("confirm closing", chromedp.Click(chromedp.ID("close-confirm-confirm")))
	p.waitText("#session-status", "Không đủ số thành viên")
	p.waitText("#not-quorate", "Phiếu không được mở")
	p.waitText("#documents", "Biên bản")
	if eval[bool](p, "look for counts", `!!document.querySelector("#results-table")`) {
		t.Fatal("a session below quorum shows a results table")
	}
	p.assertNoProblems()
}
