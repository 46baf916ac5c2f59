package web_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/awardflow/awardflow/internal/orgconfig"
)

// The decision lifecycle through the pages (issue 7, items 2 and 3): after the vote the
// documents are drafts; the signer opens the draft in the page and approves it or sends
// it back, the secretary revises, the văn thư issues.

// voters are the demo council's voting members.
var voters = []string{"truongban", "phoban", "chanhvp", "tptt", "tpllct", "thuky"}

type docJSON struct {
	ID        string            `json:"id"`
	AwardType string            `json:"award_type"`
	Status    string            `json:"status"`
	Revision  int               `json:"revision"`
	Awardees  []string          `json:"awardees"`
	Actions   []string          `json:"actions"`
	Links     map[string]string `json:"links"`
}

type sessionJSON struct {
	ID        string    `json:"id"`
	Status    string    `json:"status"`
	Documents []docJSON `json:"documents"`
}

func (s sessionJSON) doc(t *testing.T, awardType string) docJSON {
	t.Helper()
	for _, d := range s.Documents {
		if d.AwardType == awardType {
			return d
		}
	}
	t.Fatalf("session %s has no document for %s: %+v", s.ID, awardType, s.Documents)
	return docJSON{}
}

// decidingSession opens a session over the proposals as the secretary, has every voter
// mark each proposal (mark(voter index, proposal) gives the choice), closes it as the
// chair and waits until its drafts wait for their signers.
func decidingSession(t *testing.T, base, title string, ids []string, mark func(int, string) string) sessionJSON {
	t.Helper()
	var s sessionJSON
	apiLogin(t, base, "thuky").call("POST", "/api/v1/sessions", map[string]any{"title": title, "proposal_ids": ids}, &s)
	for i, u := range voters {
		marks := map[string]string{}
		for _, id := range ids {
			marks[id] = mark(i, id)
		}
		apiLogin(t, base, u).call("POST", "/api/v1/sessions/"+s.ID+"/ballot", map[string]any{"marks": marks}, nil)
	}
	chair := apiLogin(t, base, "truongban")
	chair.call("POST", "/api/v1/sessions/"+s.ID+"/close", nil, nil)
	deadline := time.Now().Add(3 * time.Minute)
	for {
		chair.call("GET", "/api/v1/sessions/"+s.ID, nil, &s)
		switch s.Status {
		case "deciding":
			return s
		case "closed":
		default:
			t.Fatalf("after close, session %s is %q, want deciding (drafts waiting for the signer)", s.ID, s.Status)
		}
		if time.Now().After(deadline) {
			t.Fatalf("session %s still %q after 3 minutes", s.ID, s.Status)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

func allYes(int, string) string { return "yes" }

// numbered matches a decision's number from the register ("Số 01-QĐ/BTGTU").
var numbered = regexp.MustCompile(`Số \d+-QĐ`)

// approveAndIssue has each draft of the session approved by its signer and issued by the
// văn thư, through the API.
func approveAndIssue(t *testing.T, base, sessionID string) {
	t.Helper()
	var s struct {
		Documents []struct {
			ID     string `json:"id"`
			Status string `json:"status"`
			Signer struct {
				ID string `json:"id"`
			} `json:"signer"`
		} `json:"documents"`
	}
	clerk := apiLogin(t, base, "vanthu")
	clerk.call("GET", "/api/v1/sessions/"+sessionID, nil, &s)
	if len(s.Documents) == 0 {
		t.Fatalf("session %s has no documents to approve", sessionID)
	}
	for _, d := range s.Documents {
		path := "/api/v1/sessions/" + sessionID + "/documents/" + d.ID
		if d.Status == "awaiting_signature" {
			apiLogin(t, base, d.Signer.ID).call("POST", path+"/approve", nil, nil)
		}
		clerk.call("POST", path+"/issue", nil, nil)
	}
}

// card selects the document card of an award type.
func card(awardType string) string { return fmt.Sprintf(`.doc-card[data-award-type=%q]`, awardType) }

// actionsShown lists the action buttons of a card.
func (p *page) actionsShown(awardType string) []string {
	p.t.Helper()
	return eval[[]string](p, "read the buttons of "+awardType, fmt.Sprintf(
		`[...document.querySelectorAll(%q)].map(b => b.dataset.action)`, card(awardType)+" [data-action]"))
}

// click clicks an enabled, shown element as soon as it is there. It is the element's
// click(), not a mouse event at its coordinates: the PDF viewer of an open preview loads
// in its own frame and may move the page between the two.
func (p *page) click(sel string) {
	p.t.Helper()
	p.poll("to click "+sel, `(sel) => {
		const e = document.querySelector(sel);
		if (!e || e.disabled || e.closest("[hidden]")) return "";
		e.scrollIntoView({block: "center"});
		e.click();
		return "clicked"; }`, sel)
}

// keep saves a file next to the screenshots (when AWARDFLOW_SCREENSHOTS is set), to look at.
func (p *page) keep(name string, b []byte) {
	p.t.Helper()
	if p.shots == "" {
		return
	}
	if err := os.MkdirAll(p.shots, 0o755); err != nil {
		p.t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(p.shots, name), b, 0o644); err != nil {
		p.t.Fatal(err)
	}
}

// fitsWidth fails the test when something on the page reaches beyond width pixels
// (the page would scroll sideways), naming the widest such elements.
func (p *page) fitsWidth(width int) {
	p.t.Helper()
	if over := eval[[]string](p, "find what is too wide", fmt.Sprintf(`(() => {
		const out = [];
		for (const e of document.querySelectorAll("body *")) {
			const r = e.getBoundingClientRect();
			if (r.right > %d + 1 && !e.closest("dialog")) out.push(e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") +
				(e.className && typeof e.className === "string" ? "." + e.className.split(" ").join(".") : "") + " → " + Math.round(r.right) + " px");
		}
		return out.slice(0, 8); })()`, width)); len(over) > 0 {
		p.t.Errorf("on a %d px screen these reach beyond the edge: %s", width, strings.Join(over, "; "))
	}
}

// switchUser signs out (checking the token is revoked) and signs in as user.
func (p *page) switchUser(user string) {
	p.t.Helper()
	p.signOut()
	p.login(user, orgconfig.DemoPassword)
	p.waitText("h1", "Trang chủ")
}

// waitInbox reloads the home page until the inbox row of id contains want (visibility
// lags behind the workflow; the row's "what waits on you" is filled in after the list).
func (p *page) waitInbox(id, want string) {
	p.t.Helper()
	row := fmt.Sprintf(`#inbox-table tr[data-id=%q]`, id)
	p.goTo("#/")
	for tries := 0; ; tries++ {
		p.waitText("h1", "Trang chủ")
		ctx, cancel := context.WithTimeout(p.ctx, 3*time.Second)
		_, err := chromedp.Run(ctx, chromedp.PollFunction[bool](`(sel, want) => {
			const e = document.querySelector(sel); return !!e && e.textContent.includes(want); }`,
			chromedp.WithPollingArgs(row, want), chromedp.WithPollingInterval(50*time.Millisecond), chromedp.WithPollingTimeout(0)))
		cancel()
		if err == nil {
			return
		}
		if tries == 40 { // about two minutes
			now, _ := chromedp.Run(p.ctx, chromedp.Evaluate[string](`(document.querySelector("#inbox") || {}).textContent || ""`))
			p.t.Fatalf("the inbox never showed %q for %s (it reads %q)%s", want, id, now, p.state())
		}
		p.do("reload", chromedp.Reload())
	}
}

// get fetches a file through the API with the client's token.
func (c *client) get(path string) []byte {
	c.t.Helper()
	req, err := http.NewRequest(http.MethodGet, c.base+path, nil)
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	resp, err := (&http.Client{Timeout: time.Minute}).Do(req)
	if err != nil {
		c.t.Fatalf("GET %s: %v", path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		c.t.Fatalf("GET %s = %d: %s", path, resp.StatusCode, b)
	}
	return b
}

// pdfText is the text of a PDF (poppler's pdftotext), with runs of spaces folded.
func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	exe, err := exec.LookPath("pdftotext")
	if err != nil {
		t.Fatalf("pdftotext (Debian package poppler-utils) is needed to read the documents: %v", err)
	}
	cmd := exec.Command(exe, "-q", "-", "-")
	cmd.Stdin = bytes.NewReader(pdf)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return strings.Join(strings.Fields(string(out)), " ")
}

// preview opens a file of a card in the page's preview and checks the frame shows
// exactly the file the API serves (same length and SHA-256), which it returns.
func (p *page) preview(c *client, s sessionJSON, awardType, file string) []byte {
	p.t.Helper()
	sel := card(awardType)
	p.click(sel + fmt.Sprintf(` .preview-btn[data-file=%q]`, file))
	frame := sel + fmt.Sprintf(` iframe.pdf-frame[data-file=%q]`, file)
	p.poll("the preview of the "+file, `(sel) => { const f = document.querySelector(sel);
		return f && f.src.startsWith("blob:") && f.dataset.sha256 ? f.dataset.sha256 : ""; }`, frame)
	var link string
	for _, d := range s.Documents {
		if d.AwardType == awardType {
			link = d.Links[file]
		}
	}
	if link == "" {
		p.t.Fatalf("the API offers no %s link for %s to this user, yet the page shows a preview", file, awardType)
	}
	want := c.get(link)
	sum := sha256.Sum256(want)
	got := eval[string](p, "read the preview's digest", fmt.Sprintf(`document.querySelector(%q).dataset.sha256`, frame))
	if got != hex.EncodeToString(sum[:]) {
		p.t.Errorf("the preview of the %s of %s shows a file with SHA-256 %s, the API serves %x", file, awardType, got, sum)
	}
	return want
}

// TestBrowserDecide: the full path of issue 7 through the pages. Two award types, one
// signed by the head (Lao động tiên tiến), one delegated to the deputy, who signs "K/T"
// (Giấy khen). The head finds the session in the inbox, opens the draft in the page,
// sees the awardees with their votes and approves; the deputy approves the Giấy khen; a
// member who signs nothing has no buttons; the văn thư sees the sessions, issues both
// documents and the session is done, the decision downloadable.
func TestBrowserDecide(t *testing.T) {
	requireChromium(t)
	t0 := time.Now()
	d := startDev(t)
	ldtt := endorsedProposalType(t, d.URL, "hongdao", "tptt", "Nguyễn Thị Hồng Đào", "LDTT")
	gk := endorsedProposalType(t, d.URL, "quoccuong", "tptt", "Lê Quốc Cường", "GK")
	// Lê Quốc Cường gets one "không ý kiến": the card shows the numbers, not only the verdict.
	s := decidingSession(t, d.URL, "Xét khen thưởng (ký duyệt)", []string{ldtt, gk}, func(i int, id string) string {
		if id == gk && i == 2 {
			return "abstain"
		}
		return "yes"
	})
	if got := s.doc(t, "LDTT").Status; got != "awaiting_signature" {
		t.Fatalf("LĐTT draft is %q", got)
	}
	head := apiLogin(t, d.URL, "truongban")

	p := newPage(t, d.URL)
	downloads := p.allowDownloads()
	seen := map[string]bool{}

	// The head: the inbox says what waits; the page shows the drafts.
	p.login("truongban", orgconfig.DemoPassword)
	p.waitText("h1", "Trang chủ")
	p.waitInbox(s.ID, "Dự thảo chờ ký duyệt: Lao động tiên tiến")
	p.shot("20-inbox-signer")
	p.click(fmt.Sprintf(`#inbox-table tr[data-id=%q] a.item-link`, s.ID))
	p.waitText("#session-status", "chờ ký duyệt và phát hành")
	p.waitText(card("LDTT"), "Quyết định khen thưởng — Lao động tiên tiến")
	p.waitText(card("LDTT")+" .doc-status", "Dự thảo chờ ký duyệt")
	p.waitText(card("LDTT"), "Hạn ký duyệt")
	p.waitText(card("LDTT")+" .doc-awardees", "Nguyễn Thị Hồng Đào")
	p.waitText(card("LDTT")+" .doc-awardees", "Đạt")
	p.waitText(card("LDTT")+" .doc-awardees thead", "Đồng ý")
	p.waitText(card("GK"), "ký thay (K/T TRƯỞNG BAN)")
	if got := eval[[]string](p, "the vote cells of Lê Quốc Cường", `[...document.querySelectorAll('.doc-card[data-award-type="GK"] .doc-awardees tbody td[data-label]')].map(td => td.textContent)`); !slices.Equal(got, []string{"Phòng Tuyên truyền - Báo chí", "5", "0", "1", "5/6 (83,33%)", "Đạt"}) {
		t.Errorf("the Giấy khen card shows the vote as %q, want department, 5 yes, 0 no, 1 no opinion, 5/6 (83,33%%), passed", got)
	}
	p.waitText(card("GK")+" [id$=-rule]", "Tỷ lệ tính trên tổng số thành viên Hội đồng; yêu cầu trên 50%")
	p.waitText("#results-table", "Lê Quốc Cường")
	if got := p.actionsShown("LDTT"); !slices.Equal(got, []string{"approve", "send_back"}) {
		t.Errorf("the head sees %v on the LĐTT draft, want approve and send back", got)
	}
	if got := p.actionsShown("GK"); len(got) != 0 {
		t.Errorf("the head, who does not sign the Giấy khen, sees %v on it", got)
	}
	draft := p.preview(head, s, "LDTT", "draft")
	p.keep("21-draft.pdf", draft)
	// The draft is marked as one, has no number yet (it is taken at issue) and names the awardee.
	if txt := pdfText(t, draft); !strings.Contains(txt, "DỰ THẢO") || numbered.MatchString(txt) || !strings.Contains(txt, "Nguyễn Thị Hồng Đào") {
		t.Errorf("the draft shown is not marked DỰ THẢO, is numbered or does not name the awardee:\n%s", txt)
	}
	time.Sleep(2 * time.Second) // the PDF viewer draws its first page
	p.shot("21-session-deciding")
	p.do("phone screen", chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile))
	time.Sleep(2 * time.Second)
	p.shot("21b-session-deciding-phone")
	p.fitsWidth(390)
	p.do("laptop screen", chromedp.EmulateViewport(1366, 768))

	// Approve: the dialog names the document and how many it awards.
	p.click(card("LDTT") + ` [data-action="approve"]`)
	p.waitText("#approve-confirm-what", "Quyết định khen thưởng — Lao động tiên tiến — 1 trường hợp")
	p.waitText("#approve-confirm", "Nguyễn Thị Hồng Đào")
	p.shot("22-approve-confirm")
	p.click("#approve-confirm-confirm")
	p.waitText("#flash", "Đã ký duyệt Quyết định khen thưởng — Lao động tiên tiến")
	p.waitText(card("LDTT")+" .doc-status", "Đã ký, chờ văn thư phát hành")
	p.waitText(card("LDTT")+" .doc-history", "Ký duyệt")
	if got := p.actionsShown("LDTT"); len(got) != 0 {
		t.Errorf("after signing, the signer still sees %v (no issue button for the signer)", got)
	}
	p.preview(head, s, "LDTT", "draft") // the preview stays usable after the redraw
	p.waitText(card("LDTT")+" .doc-files", "Xem bản đã ký")

	// A member who signs nothing sees the drafts but no buttons.
	p.switchUser("chanhvp")
	p.goTo("#/sessions/" + s.ID)
	p.waitText(card("GK")+" .doc-status", "Dự thảo chờ ký duyệt")
	for _, code := range []string{"LDTT", "GK"} {
		if got := p.actionsShown(code); len(got) != 0 {
			t.Errorf("a member who signs nothing sees %v on the %s document", got, code)
		}
	}

	// The deputy signs the Giấy khen "K/T".
	p.switchUser("phoban")
	p.waitInbox(s.ID, "Dự thảo chờ ký duyệt: Giấy khen")
	p.goTo("#/sessions/" + s.ID)
	p.waitText(card("GK")+" .doc-status", "Dự thảo chờ ký duyệt")
	if got := p.actionsShown("LDTT"); len(got) != 0 {
		t.Errorf("the deputy sees %v on the head's document", got)
	}
	p.click(card("GK") + ` [data-action="approve"]`)
	p.waitText("#approve-confirm", "ký thay: K/T TRƯỞNG BAN")
	p.click("#approve-confirm-confirm")
	p.waitText("#flash", "Đã ký duyệt Quyết định khen thưởng — Giấy khen")
	p.waitText(card("GK")+" .doc-status", "Đã ký, chờ văn thư phát hành")

	// The văn thư: the sessions menu, the inbox, then issue each document.
	p.switchUser("vanthu")
	if eval[bool](p, "is the sessions menu hidden", `document.getElementById("nav-sessions").hidden`) {
		t.Fatal("the văn thư has no “Phiên họp” menu")
	}
	p.waitInbox(s.ID, "Đã ký, chờ văn thư phát hành: Giấy khen")
	p.shot("23-inbox-clerk")
	p.click("#nav-sessions")
	p.waitText("#sessions-table", "Xét khen thưởng (ký duyệt)")
	p.click(fmt.Sprintf(`#sessions-table a[href="#/sessions/%s"]`, s.ID))
	p.waitText(card("LDTT")+" .doc-status", "Đã ký, chờ văn thư phát hành")
	for _, code := range []string{"LDTT", "GK"} {
		if got := p.actionsShown(code); !slices.Equal(got, []string{"issue"}) {
			t.Errorf("the văn thư sees %v on the %s document, want only issue", got, code)
		}
	}
	clerk := apiLogin(t, d.URL, "vanthu")
	clerk.call("GET", "/api/v1/sessions/"+s.ID, nil, &s)
	signed := p.preview(clerk, s, "LDTT", "signed")
	p.keep("24-signed.pdf", signed)
	if txt := pdfText(t, signed); strings.Contains(txt, "DỰ THẢO") || numbered.MatchString(txt) {
		t.Errorf("the signed file reads DỰ THẢO or has a number before issue:\n%s", txt)
	}
	p.shot("24-session-clerk")
	p.click(card("LDTT") + ` [data-action="issue"]`)
	p.waitText("#issue-confirm-what", "Quyết định khen thưởng — Lao động tiên tiến — 1 trường hợp")
	p.click("#issue-confirm-confirm")
	p.waitText("#flash", "Đã cấp số, đóng dấu và phát hành Quyết định khen thưởng — Lao động tiên tiến")
	p.waitText(card("LDTT")+" .doc-status", "Đã phát hành")
	p.waitText("#flash", "Số 01-QĐ/BTGTU")
	p.waitText(card("LDTT")+" .facts", "Số 01-QĐ/BTGTU, ngày ")
	p.waitText("#session-status", "chờ ký duyệt và phát hành") // the Giấy khen is not issued yet
	p.click(card("LDTT") + " [id$=-download-issued]")
	issued := waitNewDownload(t, downloads, seen, []byte("%PDF-"))
	clerk.call("GET", "/api/v1/sessions/"+s.ID, nil, &s)
	if want := clerk.get(s.doc(t, "LDTT").Links["issued"]); !bytes.Equal(issued, want) {
		t.Errorf("the downloaded decision (%d bytes) is not the issued file (%d bytes)", len(issued), len(want))
	}
	p.keep("25-issued.pdf", issued)
	if txt := pdfText(t, issued); strings.Contains(txt, "DỰ THẢO") || !strings.Contains(txt, "Số 01-QĐ/BTGTU") || !strings.Contains(txt, "Nguyễn Thị Hồng Đào") {
		t.Errorf("the issued decision:\n%s", txt)
	}
	p.click(card("GK") + ` [data-action="issue"]`)
	p.click("#issue-confirm-confirm")
	p.waitText("#session-status", "Đã hoàn thành")
	p.waitText(card("GK")+" .doc-status", "Đã phát hành")
	p.waitText("#documents", "Quyết định Số 01-QĐ/BTGTU — Lao động tiên tiến")
	p.waitText("#documents", "Quyết định Số 02-QĐ/BTGTU — Giấy khen")
	p.shot("25-session-done")

	// Everyone who may see the proposal can download its decision.
	p.switchUser("hongdao")
	p.goTo("#/proposals/" + ldtt)
	p.waitText("#stage", "Được khen thưởng")
	p.click("#decision-download")
	if got := waitNewDownload(t, downloads, seen, []byte("%PDF-")); !bytes.Equal(got, issued) {
		t.Errorf("the proposer downloads %d bytes, not the issued decision", len(got))
	}
	p.assertNoProblems()
	t.Logf("decision flow done in %s", time.Since(t0).Round(time.Millisecond))
}

// endorsedProposalType files, submits and endorses a proposal of the award type.
func endorsedProposalType(t *testing.T, base, staff, head, nominee, awardType string) string {
	t.Helper()
	id := fileSubmittedType(t, base, staff, nominee, awardType)
	apiLogin(t, base, head).call("POST", "/api/v1/proposals/"+id+"/endorse", map[string]string{"comment": "Đồng ý"}, nil)
	return id
}

// TestBrowserSendBack: the signer sends a draft back with a reason (none refused by the
// dialog); the secretary finds it in the inbox, drops one awardee (not all: the dialog
// says why) and regenerates the draft, and abandons another draft the deputy sent back;
// the signer approves the new draft and the văn thư issues it. An action on a document someone else moved meanwhile shows the
// server's Vietnamese message with the document as it now is.
func TestBrowserSendBack(t *testing.T) {
	requireChromium(t)
	d := startDev(t)
	keep := endorsedProposalType(t, d.URL, "hongdao", "tptt", "Nguyễn Thị Hồng Đào", "LDTT")
	drop := endorsedProposalType(t, d.URL, "quoccuong", "tptt", "Lê Quốc Cường", "LDTT")
	gk := endorsedProposalType(t, d.URL, "vanson", "tpllct", "Đặng Văn Sơn", "GK")
	s := decidingSession(t, d.URL, "Xét khen thưởng (trả lại)", []string{keep, drop, gk}, allYes)
	// The deputy sends the Giấy khen back (through the API): the secretary abandons it below.
	apiLogin(t, d.URL, "phoban").call("POST", "/api/v1/sessions/"+s.ID+"/documents/"+s.doc(t, "GK").ID+"/send-back",
		map[string]string{"reason": "Chưa đủ căn cứ khen Giấy khen năm nay"}, nil)

	p := newPage(t, d.URL)
	p.login("truongban", orgconfig.DemoPassword)
	p.waitText("h1", "Trang chủ")
	p.goTo("#/sessions/" + s.ID)
	p.waitText(card("LDTT")+" .doc-status", "Dự thảo chờ ký duyệt")
	p.click(card("LDTT") + ` [data-action="send_back"]`)
	p.waitText("#send-back-confirm", "Trả lại dự thảo?")
	p.click("#send-back-confirm-confirm")
	p.waitText("#send-back-confirm-error", "Cần ghi lý do trả lại dự thảo")
	p.do("give a reason", chromedp.SendKeys(chromedp.ID("send-back-confirm-reason"), "Ông Lê Quốc Cường chưa đủ thời gian công tác"))
	p.shot("30-send-back-confirm")
	p.click("#send-back-confirm-confirm")
	p.waitText("#flash", "Đã trả lại dự thảo")
	p.waitText(card("LDTT")+" .doc-status", "Dự thảo bị trả lại")
	p.waitText(card("LDTT")+" [id$=-sent-back]", "chưa đủ thời gian công tác")
	if got := p.actionsShown("LDTT"); len(got) != 0 {
		t.Errorf("after sending back, the signer sees %v (revise and abandon are the secretary's)", got)
	}

	// The secretary: the inbox says a draft came back; revise it.
	p.switchUser("thuky")
	p.waitInbox(s.ID, "Dự thảo bị trả lại: Lao động tiên tiến")
	p.goTo("#/sessions/" + s.ID)
	p.waitText(card("LDTT")+" .doc-status", "Dự thảo bị trả lại")
	if got := p.actionsShown("LDTT"); !slices.Equal(got, []string{"revise", "abandon"}) {
		t.Errorf("the secretary sees %v on a draft sent back, want revise and abandon", got)
	}
	p.click(card("LDTT") + ` [data-action="revise"]`)
	p.waitText("#revise-confirm", "chưa đủ thời gian công tác")
	// Dropping everyone is refused in the dialog: that is what abandoning is for.
	p.click("#revise-confirm-drop-0")
	p.click("#revise-confirm-drop-1")
	p.click("#revise-confirm-confirm")
	p.waitText("#revise-confirm-error", "Dự thảo phải còn ít nhất một trường hợp")
	p.click("#revise-confirm-drop-0") // keep Nguyễn Thị Hồng Đào
	p.click("#revise-confirm-confirm")
	p.waitText("#revise-confirm-error", "Cần ghi lý do sửa dự thảo")
	p.do("give a reason", chromedp.SendKeys(chromedp.ID("revise-confirm-reason"), "Bỏ ông Cường theo ý kiến Trưởng ban"))
	p.shot("31-revise-confirm")
	p.click("#revise-confirm-confirm")
	p.waitText("#flash", "Đã lập lại dự thảo Quyết định khen thưởng — Lao động tiên tiến (bỏ 1 trường hợp)")
	p.waitText(card("LDTT")+" .doc-status", "Dự thảo chờ ký duyệt")
	p.waitText(card("LDTT")+" .doc-history", "bỏ khỏi dự thảo: Lê Quốc Cường")
	p.waitText(card("LDTT")+" .facts", "Lần dự thảo2")
	if rows := eval[[]string](p, "awardees", `[...document.querySelectorAll('.doc-card[data-award-type="LDTT"] .doc-awardees tbody tr')].map(r => r.dataset.proposal)`); !slices.Equal(rows, []string{keep}) {
		t.Errorf("after the revision, the draft names %v, want only %s", rows, keep)
	}

	// The Giấy khen sent back by the deputy: the secretary abandons it (a reason is required).
	p.waitText(card("GK")+" [id$=-sent-back]", "Chưa đủ căn cứ khen Giấy khen năm nay")
	p.click(card("GK") + ` [data-action="abandon"]`)
	p.waitText("#abandon-confirm", "Đặng Văn Sơn")
	p.click("#abandon-confirm-confirm")
	p.waitText("#abandon-confirm-error", "Cần ghi lý do huỷ dự thảo")
	p.do("give a reason", chromedp.SendKeys(chromedp.ID("abandon-confirm-reason"), "Theo ý kiến Phó Trưởng ban"))
	p.click("#abandon-confirm-confirm")
	p.waitText("#flash", "Đã huỷ dự thảo Quyết định khen thưởng — Giấy khen")
	p.waitText(card("GK")+" .doc-status", "Đã huỷ dự thảo")
	p.waitText(card("GK")+" .doc-history", "Theo ý kiến Phó Trưởng ban")
	if got := p.actionsShown("GK"); len(got) != 0 {
		t.Errorf("an abandoned draft still offers %v", got)
	}

	// The signer opens the new draft: its preview is the second revision, without him.
	p.switchUser("truongban")
	p.goTo("#/sessions/" + s.ID)
	head := apiLogin(t, d.URL, "truongban")
	head.call("GET", "/api/v1/sessions/"+s.ID, nil, &s)
	doc := s.doc(t, "LDTT")
	if doc.Revision != 2 || !slices.Equal(doc.Awardees, []string{keep}) {
		t.Fatalf("after the revision the API says revision %d, awardees %v", doc.Revision, doc.Awardees)
	}
	if txt := pdfText(t, p.preview(head, s, "LDTT", "draft")); strings.Contains(txt, "Lê Quốc Cường") || !strings.Contains(txt, "Nguyễn Thị Hồng Đào") {
		t.Errorf("the revised draft:\n%s", txt)
	}
	// The dialog is open when the same draft is approved elsewhere (a second tab): the
	// page shows the server's Vietnamese refusal together with the document as it is now.
	p.click(card("LDTT") + ` [data-action="approve"]`)
	p.waitText("#approve-confirm-what", "1 trường hợp")
	head.call("POST", "/api/v1/sessions/"+s.ID+"/documents/"+doc.ID+"/approve", nil, nil)
	p.click("#approve-confirm-confirm")
	p.waitText(card("LDTT")+" .doc-status", "Đã ký, chờ văn thư phát hành")
	p.waitText(card("LDTT")+" .msg.error", "không chờ ký duyệt")
	p.shot("32-approve-refused")

	// The văn thư issues it; the session is done.
	p.switchUser("vanthu")
	p.goTo("#/sessions/" + s.ID)
	p.waitText(card("LDTT")+" .doc-status", "Đã ký, chờ văn thư phát hành")
	p.click(card("LDTT") + ` [data-action="issue"]`)
	p.click("#issue-confirm-confirm")
	p.waitText("#session-status", "Đã hoàn thành")
	p.waitText(card("LDTT")+" .doc-status", "Đã phát hành")

	// The dropped proposal is not awarded; the kept one is.
	for id, want := range map[string]string{keep: "awarded", drop: "not_awarded", gk: "not_awarded"} {
		var prop struct {
			Stage string `json:"stage"`
		}
		head.call("GET", "/api/v1/proposals/"+id, nil, &prop)
		if prop.Stage != want {
			t.Errorf("proposal %s is %q, want %q", id, prop.Stage, want)
		}
	}
	p.assertNoProblems()
}
