package web_test

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/awardflow/awardflow/internal/orgconfig"
	"github.com/awardflow/awardflow/internal/testenv"
)

// TestBrowserCouncil runs a council session through the pages: the secretary opens it
// over an endorsed proposal and votes, the chair closes it, the results and the signed
// documents appear, and the verification page recognises the decision.
func TestBrowserCouncil(t *testing.T) {
	requireChromium(t)
	t0 := time.Now()
	d := startDev(t)

	// An endorsed proposal, through the API.
	staff := apiLogin(t, d.URL, "hongdao")
	var prop struct {
		ID       string `json:"id"`
		Criteria []struct {
			ID string `json:"id"`
		} `json:"criteria"`
	}
	staff.call("POST", "/api/v1/proposals", map[string]string{"award_type": "LDTT", "movement_id": "vanhoa-2025",
		"kind": "individual", "nominee_name": "Lê Quốc Cường", "nominee_position": "Chuyên viên"}, &prop)
	var answers []map[string]any
	for _, c := range prop.Criteria {
		answers = append(answers, map[string]any{"criterion_id": c.ID, "met": true})
	}
	staff.call("PUT", "/api/v1/proposals/"+prop.ID+"/self-assessment", map[string]any{"answers": answers}, nil)
	staff.call("POST", "/api/v1/proposals/"+prop.ID+"/submit", nil, nil)
	apiLogin(t, d.URL, "tptt").call("POST", "/api/v1/proposals/"+prop.ID+"/endorse", map[string]string{"comment": "Đồng ý"}, nil)

	p := newPage(t, d.URL)
	downloads := p.allowDownloads()
	seen := map[string]bool{}

	// The secretary opens a session over it (visibility may take a moment to list it).
	p.login("thuky", orgconfig.DemoPassword)
	p.waitText("h1", "Trang chủ")
	for tries := 0; ; tries++ {
		p.goTo("#/sessions")
		p.waitText("#open-form", "Hồ sơ đưa ra phiên họp")
		text := p.poll("the list of endorsed proposals", `(sel) => {
			const e = document.querySelector(sel);
			return e && !e.textContent.includes("Đang tải") ? e.textContent : null; }`, "#endorsed")
		if strings.Contains(text, "Lê Quốc Cường") {
			break
		}
		if !strings.Contains(text, "Không có hồ sơ") && !strings.Contains(text, "Đang tải") || tries == 10 {
			t.Fatalf("the endorsed proposal is not offered: %q%s", text, p.state())
		}
		time.Sleep(300 * time.Millisecond)
		p.do("reload", chromedp.Reload())
	}
	p.shot("08-sessions")
	p.do("open the session",
		chromedp.SetValue(chromedp.ID("session-title"), "Xét khen thưởng năm 2026 (phiên thử)"),
		chromedp.Click(chromedp.ID("open-session-btn")))
	p.waitText("#session-status", "Đang bỏ phiếu")
	loc := eval[string](p, "read the location", `location.hash`)
	sessionID, ok := strings.CutPrefix(loc, "#/sessions/")
	if !ok {
		t.Fatalf("after opening, the page is %q", loc)
	}

	// A ballot without a mark: the server names what is missing.
	p.do("vote with no mark", chromedp.Click(chromedp.ID("ballot-submit")))
	p.waitText("#ballot-error", "Phiếu phải có ý kiến cho đủ")
	// The error names the nominee and the award as the ballot shows them, not an id, and
	// the ballot uses the documents' word for abstention.
	p.waitText("#ballot-error", "Lê Quốc Cường (Lao động tiên tiến)")
	p.waitText("#ballot-form thead", "Không ý kiến")
	p.shot("09-session-ballot")
	// A complete ballot asks for confirmation, showing the marks; cancelling casts nothing.
	p.do("mark yes and send", chromedp.Click(chromedp.ID("mark-0-yes")), chromedp.Click(chromedp.ID("ballot-submit")))
	p.waitText("#ballot-confirm-marks", "Lê Quốc Cường")
	p.waitText("#ballot-confirm-marks", "Đồng ý")
	p.shot("09b-ballot-confirm")
	p.do("cancel the ballot", chromedp.Click(chromedp.ID("ballot-confirm-cancel")))
	p.poll("the dialog gone", `() => document.querySelector("#ballot-confirm") ? null : "gone"`)
	var s struct {
		Voted []string `json:"voted"`
	}
	apiLogin(t, d.URL, "thuky").call("GET", "/api/v1/sessions/"+sessionID, nil, &s)
	if len(s.Voted) != 0 {
		t.Fatalf("a cancelled ballot was cast: %v", s.Voted)
	}
	p.do("send again and confirm", chromedp.Click(chromedp.ID("ballot-submit")))
	p.waitText("#ballot-confirm-marks", "Đồng ý")
	p.do("confirm the ballot", chromedp.Click(chromedp.ID("ballot-confirm-confirm")))
	p.waitText("#flash", "Đã ghi nhận phiếu")
	p.waitText("#voted-note", "Bạn đã bỏ phiếu")
	p.waitText("#members-table", "✓ Đã bỏ phiếu")

	for _, u := range []string{"truongban", "phoban", "chanhvp", "tptt"} {
		apiLogin(t, d.URL, u).call("POST", "/api/v1/sessions/"+sessionID+"/ballot",
			map[string]any{"marks": map[string]string{prop.ID: "yes"}}, nil)
	}

	// The chair closes voting; the page follows the issuing of the documents.
	p.do("sign out", chromedp.Click(chromedp.ID("logout")), chromedp.WaitVisible(chromedp.ID("login-form")))
	p.login("truongban", orgconfig.DemoPassword)
	p.waitText("h1", "Trang chủ")
	p.goTo("#/sessions/" + sessionID)
	p.do("close voting", chromedp.Click(chromedp.ID("close-btn")))
	p.waitText("#close-confirm-count", "Đã có 5/6 phiếu; cần tối thiểu 4 thành viên")
	if eval[bool](p, "look for a below-quorum warning", `!!document.querySelector("#close-confirm-below-quorum")`) {
		t.Fatal("a quorate close warns of a missing quorum")
	}
	p.do("confirm closing", chromedp.Click(chromedp.ID("close-confirm-confirm")))
	// The council advises: the decision is a draft until the head signs it and the văn
	// thư issues it (issue 7).
	p.waitText("#session-status", "Đã bỏ phiếu, chờ ký duyệt và phát hành quyết định")
	p.waitText("#results-table", "Đạt")
	p.waitText("#results-table", "Lê Quốc Cường")
	p.waitText("#results-table thead", "Không ý kiến")
	p.waitText("#members-table", "Chủ tịch Hội đồng")
	p.waitText("#documents", "Biên bản họp và kiểm phiếu")
	if eval[bool](p, "look for an issued decision", `document.querySelector("#documents").textContent.includes("Quyết định Số")`) {
		t.Fatal("a decision is listed as issued right after the vote")
	}
	p.waitText(card("LDTT")+" .doc-status", "Dự thảo chờ ký duyệt")
	p.do("approve the draft", chromedp.Click(chromedp.CSS(card("LDTT")+` [data-action="approve"]`)))
	p.do("confirm", chromedp.Click(chromedp.ID("approve-confirm-confirm")))
	p.waitText(card("LDTT")+" .doc-status", "Đã ký, chờ văn thư phát hành")
	approveAndIssue(t, d.URL, sessionID) // the văn thư issues it; the page sees it by itself
	p.waitText("#session-status", "Đã hoàn thành")
	p.waitText("#documents", "Quyết định Số")
	p.shot("10-session-done")

	p.do("download the decision", chromedp.Click(chromedp.CSS("#documents li:first-child button:not([aria-label])"))) // "Tải về", not the preview's "Xem"
	decision := waitNewDownload(t, downloads, seen, []byte("%PDF-"))
	p.do("download the export", chromedp.Click(chromedp.ID("export-download")))
	waitNewDownload(t, downloads, seen, []byte("PK\x03\x04"))

	// The verification page recognises the decision, and refuses what is not a PDF.
	dir := t.TempDir()
	qd := filepath.Join(dir, "quyet-dinh.pdf")
	notPDF := filepath.Join(dir, "ghi-chu.txt")
	if err := os.WriteFile(qd, decision, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(notPDF, []byte("không phải PDF"), 0o600); err != nil {
		t.Fatal(err)
	}
	p.goTo("#/verify")
	p.do("verify a text file", chromedp.SetUploadFiles(chromedp.ID("verify-file"), []string{notPDF}), chromedp.Click(chromedp.ID("verify-btn")))
	p.waitText("#verify-error", "Tệp không phải PDF")
	p.do("verify the decision", chromedp.SetUploadFiles(chromedp.ID("verify-file"), []string{qd}), chromedp.Click(chromedp.ID("verify-btn")))
	p.waitText("#verify-summary", "Hợp lệ")
	p.waitText("#verify-issued", "Quyết định khen thưởng Số")
	if n := eval[int](p, "count signatures", `document.querySelectorAll("#signatures-table tbody tr").length`); n != 2 {
		t.Errorf("the report lists %d signatures, want 2 (signer and seal)", n)
	}
	// The coverage column: the signer's signature is covered by the seal's, the seal's
	// reaches the end of the file.
	if got := eval[[]string](p, "coverage", `[...document.querySelectorAll("#signatures-table [data-coverage]")].map(e => e.dataset.coverage)`); !slices.Equal(got, []string{"later_signature", "whole_file"}) {
		t.Errorf("coverage column %v", got)
	}
	p.shot("11-verify")

	// The same decision with an unsigned edit appended after the seal: not valid, and
	// the reason (Vietnamese first) names the edit, not "a later signature".
	edited, err := testenv.AppendInfoUpdate(decision, "Quyết định đã sửa")
	if err != nil {
		t.Fatal(err)
	}
	qdEdited := filepath.Join(dir, "quyet-dinh-da-sua.pdf")
	if err := os.WriteFile(qdEdited, edited, 0o600); err != nil {
		t.Fatal(err)
	}
	p.do("verify the edited decision", chromedp.SetUploadFiles(chromedp.ID("verify-file"), []string{qdEdited}), chromedp.Click(chromedp.ID("verify-btn")))
	p.waitText("#verify-summary", "Không hợp lệ: tệp đã bị sửa đổi sau khi ký")
	table := p.waitText("#signatures-table", "Tệp đã bị sửa đổi sau khi ký")
	if strings.Contains(table, "chữ ký thêm sau") || strings.Count(table, "Tệp đã bị sửa đổi sau khi ký") != 2 {
		t.Errorf("signatures of the edited decision:\n%s", table)
	}
	if got := eval[[]string](p, "coverage", `[...document.querySelectorAll("#signatures-table [data-coverage]")].map(e => e.dataset.coverage)`); !slices.Equal(got, []string{"unsigned_changes", "unsigned_changes"}) {
		t.Errorf("coverage column of the edited decision %v", got)
	}
	p.shot("11b-verify-edited")

	p.assertNoProblems()
	t.Logf("council flow done in %s", time.Since(t0).Round(time.Millisecond))
}
