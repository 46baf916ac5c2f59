package web_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/awardflow/awardflow/internal/orgconfig"
)

// Issue 9 in the pages: a department's list in one step, the head's bulk review, the
// ballot's "đồng ý tất cả" with exceptions, and the public posting with objections.

type proposalJSON struct {
	ID         string `json:"id"`
	Stage      string `json:"stage"`
	ProposerID string `json:"proposer_id"`
	Evidence   []struct {
		Name   string `json:"name"`
		SHA256 string `json:"sha256"`
	} `json:"evidence"`
	History []struct {
		Action  string `json:"action"`
		Comment string `json:"comment"`
	} `json:"history"`
}

func (c *client) proposal(id string) proposalJSON {
	c.t.Helper()
	var p proposalJSON
	c.call("GET", "/api/v1/proposals/"+id, nil, &p)
	return p
}

// listed is the ids of the proposals the client sees.
func (c *client) listed() []string {
	c.t.Helper()
	var out struct {
		Items []struct {
			ID string `json:"id"`
		} `json:"items"`
	}
	c.call("GET", "/api/v1/proposals", nil, &out)
	var ids []string
	for _, it := range out.Items {
		ids = append(ids, it.ID)
	}
	return ids
}

// TestBrowserDepartmentList: the head of the Tuyên truyền department files the
// department's list in one step. A spreadsheet with a wrong row is refused with the row
// number in Vietnamese and nothing filed; then the head ticks the people of the unit
// (the search narrows the list, "chọn tất cả" ticks everyone), attaches the list's
// evidence once, and every nominee becomes a submitted proposal carrying that file,
// listed with links. Staff do not see the menu entry.
func TestBrowserDepartmentList(t *testing.T) {
	requireChromium(t)
	d := startDev(t)
	p := newPage(t, d.URL)
	downloads := p.allowDownloads()
	p.login("hongdao", orgconfig.DemoPassword)
	p.waitText("h1", "Trang chủ")
	if eval[bool](p, "the menu entry for staff", `!document.getElementById("nav-lists").hidden`) {
		t.Errorf("staff see the department list's menu entry")
	}
	p.switchUser("tptt")
	p.click("#nav-lists")
	p.waitText("h1", "Danh sách đề nghị khen thưởng của phòng")
	p.waitText("#people-table", "Nguyễn Thị Hồng Đào")
	eval[bool](p, "choose 2025, the movement and LĐTT", `(() => {
		const y = document.getElementById("list-year"); y.value = "2025"; y.dispatchEvent(new Event("change"));
		document.getElementById("list-movement").value = "vanhoa-2025";
		document.getElementById("list-award").value = "LDTT"; return true; })()`)

	// The template downloads.
	p.click("#list-template-xlsx")
	waitNewDownload(t, downloads, map[string]bool{}, []byte("PK"))

	// A spreadsheet with a wrong row: refused by row, nothing filed.
	dir := t.TempDir()
	csv := filepath.Join(dir, "danh-sach.csv")
	if err := os.WriteFile(csv, []byte("STT,Đối tượng,Mã cá nhân/tập thể,Họ và tên/Tên tập thể,Chức vụ,Mã hình thức khen thưởng,Thành tích\n"+
		"1,Cá nhân,hongdao,Nguyễn Thị Hồng Đào,Chuyên viên,,Hoàn thành xuất sắc nhiệm vụ\n"+
		"2,Cá nhân,quoccuong,Lê Quốc Cường,Chuyên viên chính,KHONGCO,Hoàn thành tốt nhiệm vụ\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	p.do("choose the spreadsheet", chromedp.SetUploadFiles(chromedp.ID("list-import-file"), []string{csv}))
	p.click("#list-import")
	p.waitText("#list-import-error", "Chưa lập danh sách")
	p.waitText("#list-errors-table", "Dòng 3")
	p.waitText("#list-errors-table", "KHONGCO")
	if n := eval[int](p, "count the error rows", `document.querySelectorAll("#list-errors-table tbody tr").length`); n != 1 {
		t.Errorf("the refused list shows %d error rows, want 1 (row 3)", n)
	}
	head := apiLogin(t, d.URL, "tptt")
	if ids := head.listed(); len(ids) != 0 {
		t.Fatalf("a refused list filed %d proposals: %v", len(ids), ids)
	}
	p.shot("70-list-refused")

	// The search narrows the people; "chọn tất cả" ticks the shown ones.
	p.do("search", chromedp.SendKeys(chromedp.ID("people-search"), "dao"))
	if n := eval[int](p, "count the shown people", `[...document.querySelectorAll("#people-table tbody tr")].filter(r => !r.hidden).length`); n != 1 {
		t.Errorf("searching “dao” shows %d people, want 1 (Nguyễn Thị Hồng Đào, without diacritics)", n)
	}
	eval[bool](p, "clear the search", `(() => { const s = document.getElementById("people-search"); s.value = "";
		s.dispatchEvent(new Event("input")); return true; })()`)
	p.click("#people-all")
	p.waitText("#people-count", "Đã chọn 3/3 người")
	// The head files for the two staff members: untick themself.
	eval[bool](p, "untick the head", `(() => { const c = document.querySelector('#people-table input[data-person="tptt"]');
		c.click(); return true; })()`)
	p.waitText("#people-count", "Đã chọn 2/3 người")

	pdf := filepath.Join(dir, "bien-ban-binh-xet.pdf")
	pdfBytes := []byte("%PDF-1.4\n% biên bản bình xét của phòng\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
	if err := os.WriteFile(pdf, pdfBytes, 0o600); err != nil {
		t.Fatal(err)
	}
	p.do("attach the shared evidence", chromedp.SetUploadFiles(chromedp.ID("list-evidence"), []string{pdf}))
	p.shot("71-list-picked")
	p.click("#list-file")
	p.waitText("#list-summary", "Đã lập 2/2 hồ sơ")
	p.waitText("#list-summary", "kèm theo 2 hồ sơ")
	p.waitText("#list-error", "Đã lập danh sách: 2 hồ sơ")
	p.waitText("#list-result-table", "Lê Quốc Cường")
	p.waitText("#list-result-table", "Chờ lãnh đạo phòng xác nhận")
	p.waitText("#people-count", "Đã chọn 0/3 người") // nobody stays ticked for a second click
	if eval[bool](p, "the old import message", `!document.getElementById("list-import-error").hidden`) {
		t.Errorf("the refused import's message is still shown after the list was filed")
	}
	links := eval[[]string](p, "read the links", `[...document.querySelectorAll("#list-result-table a")].map(a => a.getAttribute("href"))`)
	if len(links) != 2 {
		t.Fatalf("the filed list links %d proposals, want 2: %v", len(links), links)
	}
	var sha string
	for _, l := range links {
		id := strings.TrimPrefix(l, "#/proposals/")
		pr := head.proposal(id)
		if pr.Stage != "submitted" || len(pr.Evidence) != 1 || pr.Evidence[0].Name != "bien-ban-binh-xet.pdf" {
			t.Errorf("proposal %s: stage %s, evidence %+v; want submitted with the list's file", id, pr.Stage, pr.Evidence)
			continue
		}
		if sha == "" {
			sha = pr.Evidence[0].SHA256
		} else if pr.Evidence[0].SHA256 != sha {
			t.Errorf("the shared file differs between proposals: %s vs %s", pr.Evidence[0].SHA256, sha)
		}
	}
	if ids := head.listed(); len(ids) != 2 {
		t.Errorf("after filing, the department lists %d proposals, want 2", len(ids))
	}
	p.shot("72-list-filed")

	// The corrected spreadsheet, for Giấy khen: filed too, with the shared file.
	if err := os.WriteFile(csv, []byte("STT,Đối tượng,Mã cá nhân/tập thể,Họ và tên/Tên tập thể,Chức vụ,Mã hình thức khen thưởng,Thành tích\n"+
		"1,Cá nhân,hongdao,Nguyễn Thị Hồng Đào,Chuyên viên,,Hoàn thành xuất sắc nhiệm vụ\n"+
		"2,Cá nhân,quoccuong,Lê Quốc Cường,Chuyên viên chính,,Hoàn thành tốt nhiệm vụ\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	eval[bool](p, "choose Giấy khen", `(() => { document.getElementById("list-award").value = "GK"; return true; })()`)
	p.do("choose the corrected spreadsheet", chromedp.SetUploadFiles(chromedp.ID("list-import-file"), []string{csv}))
	p.click("#list-import")
	p.waitText("#list-import-error", "Đã lập danh sách: 2 hồ sơ")
	p.waitText("#list-result-table", "Dòng 3")
	p.waitText("#list-summary", "kèm theo 2 hồ sơ")
	if ids := head.listed(); len(ids) != 4 {
		t.Errorf("after the import, the department lists %d proposals, want 4", len(ids))
	}
	p.do("a phone", chromedp.EmulateViewport(390, 844))
	p.goTo("#/lists")
	p.waitText("#people-table", "Nguyễn Thị Hồng Đào")
	p.fitsWidth(390)
	p.shot("73-list-phone")
	p.assertNoProblems()
}

// TestBrowserBulkReview: the head ticks proposals in the inbox and returns one with a
// reason, then "chọn tất cả" and "Đồng ý trình" endorse the rest in one step; a
// proposal someone else acted on meanwhile is reported as failed in its row while the
// others go through.
func TestBrowserBulkReview(t *testing.T) {
	requireChromium(t)
	d := startDev(t)
	a := fileSubmittedType(t, d.URL, "hongdao", "Nguyễn Thị Hồng Đào", "LDTT")
	b := fileSubmittedType(t, d.URL, "quoccuong", "Lê Quốc Cường", "LDTT")
	c := fileSubmittedType(t, d.URL, "hongdao", "Nguyễn Thị Hồng Đào", "GK")
	r := fileSubmittedType(t, d.URL, "quoccuong", "Lê Quốc Cường", "GK")
	p := newPage(t, d.URL)
	p.login("tptt", orgconfig.DemoPassword)
	p.waitText("h1", "Trang chủ")
	for _, id := range []string{a, b, c, r} {
		p.waitInbox(id, "Chờ lãnh đạo phòng xác nhận")
	}
	p.waitText("#bulk-count", "Đã chọn 0/4")

	// Return one, with one reason.
	p.click(fmt.Sprintf(`#inbox-table input.bulk-pick[data-id=%q]`, r))
	p.waitText("#bulk-count", "Đã chọn 1/4")
	p.click("#bulk-return")
	p.waitText("#bulk-return-confirm", "Trả lại 1 hồ sơ?")
	p.click("#bulk-return-confirm-confirm")
	p.waitText("#bulk-return-confirm-error", "Cần ghi lý do trả lại")
	p.do("the reason", chromedp.SendKeys(chromedp.ID("bulk-return-confirm-reason"), "Bổ sung minh chứng thành tích"))
	p.click("#bulk-return-confirm-confirm")
	p.waitText("#bulk-result-table", "Trả lại để bổ sung")
	p.waitText("#bulk-msg", "Đã trả lại 1 hồ sơ")
	head := apiLogin(t, d.URL, "tptt")
	if pr := head.proposal(r); pr.Stage != "returned" || pr.History[len(pr.History)-1].Comment != "Bổ sung minh chứng thành tích" {
		t.Errorf("the returned proposal: stage %s, history %+v", pr.Stage, pr.History)
	}

	// Someone acts on c meanwhile (the head, in another tab): its row fails, the others pass.
	head.call("POST", "/api/v1/proposals/"+c+"/endorse", map[string]string{"comment": "Đồng ý"}, nil)
	p.click("#bulk-all")
	p.waitText("#bulk-count", "Đã chọn 3/3")
	p.click("#bulk-endorse")
	p.waitText("#bulk-endorse-confirm", "Đồng ý trình 3 hồ sơ?")
	p.waitText("#bulk-confirm-list", "Lê Quốc Cường")
	p.shot("74-bulk-confirm")
	p.click("#bulk-endorse-confirm-confirm")
	p.waitText("#bulk-result-table", "2 hồ sơ đã đồng ý trình, 1 hồ sơ không thực hiện được")
	p.waitText(fmt.Sprintf(`#bulk-result-table tr[data-id=%q]`, c), "Không thực hiện được")
	p.waitText(fmt.Sprintf(`#bulk-result-table tr[data-id=%q]`, a), "Chờ Hội đồng xét")
	p.waitText("#bulk-msg", "1 hồ sơ không thực hiện được")
	for _, id := range []string{a, b, c} {
		if st := head.proposal(id).Stage; st != "endorsed" {
			t.Errorf("proposal %s is %s after the bulk endorsement, want endorsed", id, st)
		}
	}
	p.shot("75-bulk-result")
	p.do("a phone", chromedp.EmulateViewport(390, 844))
	p.fitsWidth(390)
	p.shot("76-bulk-result-phone")
	p.assertNoProblems()
}

// TestBrowserBallotAllAndPosting: a member votes "đồng ý tất cả" with one exception (the
// confirmation lists it; the count shows it); after the count the secretary posts the
// list for the configured working days and the session shows the window; a staff member
// files an objection on "Công khai"; the signer reads it beside the document to sign and
// on the proposal.
func TestBrowserBallotAllAndPosting(t *testing.T) {
	requireChromium(t)
	d := startDev(t)
	a := endorsedProposalType(t, d.URL, "hongdao", "tptt", "Nguyễn Thị Hồng Đào", "LDTT")
	b := endorsedProposalType(t, d.URL, "quoccuong", "tptt", "Lê Quốc Cường", "LDTT")
	c := endorsedProposalType(t, d.URL, "vanson", "tpllct", "Đặng Văn Sơn", "LDTT")
	var s sessionJSON
	sec := apiLogin(t, d.URL, "thuky")
	sec.call("POST", "/api/v1/sessions", map[string]any{"title": "Xét khen thưởng năm 2025", "proposal_ids": []string{a, b, c}}, &s)
	for _, u := range voters {
		if u != "phoban" {
			apiLogin(t, d.URL, u).call("POST", "/api/v1/sessions/"+s.ID+"/ballot", map[string]any{"all": "yes"}, nil)
		}
	}

	p := newPage(t, d.URL)
	p.login("phoban", orgconfig.DemoPassword)
	p.waitText("h1", "Trang chủ")
	p.goTo("#/sessions/" + s.ID)
	p.waitText("#ballot-form", "Đồng ý tất cả")
	p.click("#ballot-all-yes")
	if n := eval[int](p, "count the yes marks", `document.querySelectorAll('#ballot-form input[value="yes"]:checked').length`); n != 3 {
		t.Errorf("“Đồng ý tất cả” marked %d rows yes, want 3", n)
	}
	p.click(fmt.Sprintf(`#ballot-form tr[data-proposal=%q] input[value="no"]`, b))
	p.waitText("#ballot-exceptions", "trừ 1 hồ sơ ngoại lệ")
	p.shot("77-ballot-exception")
	p.click("#ballot-submit")
	p.waitText("#ballot-confirm-all", "đồng ý tất cả 3 hồ sơ, trừ 1 hồ sơ ngoại lệ")
	p.waitText("#ballot-confirm-exceptions", "Lê Quốc Cường")
	p.waitText("#ballot-confirm-exceptions", "Không đồng ý")
	p.shot("78-ballot-confirm")
	p.click("#ballot-confirm-confirm")
	p.waitText("#voted-note", "Bạn đã bỏ phiếu")

	chair := apiLogin(t, d.URL, "truongban")
	chair.call("POST", "/api/v1/sessions/"+s.ID+"/close", nil, nil)
	var counted struct {
		Status string                    `json:"status"`
		Counts map[string]map[string]int `json:"counts"`
		sessionJSON
	}
	deadline := time.Now().Add(3 * time.Minute)
	for counted.Status != "deciding" {
		if time.Now().After(deadline) {
			t.Fatalf("session %s still %q after 3 minutes", s.ID, counted.Status)
		}
		time.Sleep(200 * time.Millisecond)
		chair.call("GET", "/api/v1/sessions/"+s.ID, nil, &counted)
	}
	if got := counted.Counts[b]; got["yes"] != 5 || got["no"] != 1 {
		t.Errorf("the exception's count %v, want 5 yes and 1 no", got)
	}
	if got := counted.Counts[a]; got["yes"] != 6 {
		t.Errorf("a proposal agreed with “đồng ý tất cả”: %v, want 6 yes", got)
	}

	// The secretary posts the list; the session shows the window.
	p.switchUser("thuky")
	p.goTo("#/sessions/" + s.ID)
	p.waitText("#posting", "Chưa công khai")
	p.click("#posting-start")
	p.waitText("#posting-confirm", "10 ngày làm việc")
	p.click("#posting-confirm-confirm")
	p.waitText("#posting-window", "Đang công khai từ")
	p.waitText("#posting-window", "đến hết ngày")
	p.shot("79-session-posted")

	// Staff see the posted list and object to a nominee.
	p.switchUser("kimngan")
	if eval[bool](p, "the Công khai entry", `document.getElementById("nav-postings").hidden`) {
		t.Errorf("staff do not see the “Công khai” menu entry")
	}
	p.click("#nav-postings")
	p.waitText("h1", "Công khai danh sách khen thưởng")
	item := fmt.Sprintf(`#posting-0 li[data-proposal=%q]`, a)
	p.waitText(item, "Nguyễn Thị Hồng Đào")
	p.waitText("#posting-0-window", "đến hết ngày")
	p.click(item + " details summary")
	p.click(item + ` button[type="submit"]`)
	p.waitText(item+" .msg", "Cần ghi nội dung phản ánh")
	p.do("the objection", chromedp.SendKeys(chromedp.CSS(item+" textarea"), "Sáng kiến nêu trong hồ sơ chưa được Hội đồng sáng kiến công nhận"))
	p.click(item + ` button[type="submit"]`)
	p.waitText(item+" .msg", "Đã ghi nhận phản ánh")
	p.waitText(item+" summary", "1 phản ánh")
	p.shot("80-postings")
	p.do("a phone", chromedp.EmulateViewport(390, 844))
	p.fitsWidth(390)
	p.shot("81-postings-phone")
	p.do("a laptop", chromedp.EmulateViewport(1366, 768))

	// The signer reads it beside the document, and on the proposal.
	var signer struct {
		Documents []struct {
			AwardType string `json:"award_type"`
			Signer    struct {
				ID string `json:"id"`
			} `json:"signer"`
		} `json:"documents"`
	}
	chair.call("GET", "/api/v1/sessions/"+s.ID, nil, &signer)
	p.switchUser(signer.Documents[0].Signer.ID)
	p.goTo("#/sessions/" + s.ID)
	p.waitText(card("LDTT")+" table.objections", "chưa được Hội đồng sáng kiến công nhận")
	p.waitText(card("LDTT")+" table.objections", "Trương Thị Kim Ngân")
	p.waitText(card("LDTT")+" [id$=-posting]", "đang công khai")
	p.shot("82-doc-objections")
	p.goTo("#/proposals/" + a)
	p.waitText("#objections-table", "chưa được Hội đồng sáng kiến công nhận")
	p.shot("83-proposal-objections")
	p.do("a phone", chromedp.EmulateViewport(390, 844))
	p.goTo("#/sessions/" + s.ID)
	p.waitText(card("LDTT")+" table.objections", "Trương Thị Kim Ngân")
	p.fitsWidth(390)
	p.shot("84-doc-objections-phone")
	p.assertNoProblems()
}
