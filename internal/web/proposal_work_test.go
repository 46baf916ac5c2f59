package web_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/awardflow/awardflow/internal/obs"
	"github.com/awardflow/awardflow/internal/orgconfig"
)

// upload sends a file as the raw body and returns its SHA-256.
func (c *client) upload(id, name string, body []byte) string {
	c.t.Helper()
	req, err := http.NewRequest("POST", c.base+"/api/v1/proposals/"+id+"/evidence?filename="+url.QueryEscape(name), bytes.NewReader(body))
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	resp, err := (&http.Client{Timeout: time.Minute}).Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusCreated {
		c.t.Fatalf("upload %s = %d: %s", name, resp.StatusCode, b)
	}
	var out struct {
		Evidence struct {
			SHA256 string `json:"sha256"`
		} `json:"evidence"`
	}
	if err := json.Unmarshal(b, &out); err != nil {
		c.t.Fatal(err)
	}
	return out.Evidence.SHA256
}

// status sends a request and returns the status and the error body.
func (c *client) status(method, path string) (int, string) {
	c.t.Helper()
	req, err := http.NewRequest(method, c.base+path, nil)
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	resp, err := (&http.Client{Timeout: time.Minute}).Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// criteriaOf files nothing: it reads the criteria ids of a proposal.
func (c *client) criteriaOf(id string) []string {
	c.t.Helper()
	var v struct {
		Criteria []struct {
			ID string `json:"id"`
		} `json:"criteria"`
	}
	c.call("GET", "/api/v1/proposals/"+id, nil, &v)
	var out []string
	for _, x := range v.Criteria {
		out = append(out, x.ID)
	}
	return out
}

// evidenceUploads reads awardflow_evidence_uploads_total{path} from the server's /metrics.
func evidenceUploads(t *testing.T, base, path string) float64 {
	t.Helper()
	resp, err := http.Get(base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	sc, err := obs.ParseScrape(resp.Body)
	if err != nil {
		t.Fatalf("%s/metrics: %v", base, err)
	}
	return sc.Sum("awardflow_evidence_uploads_total", map[string]string{"path": path})
}

// throttle limits the tab's upload throughput (bytes/s); 0 lifts the limit.
func (p *page) throttle(up float64) {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, stepTimeout)
	defer cancel()
	if _, err := chromedp.Call(ctx, network.Enable, network.EnableParams{}); err != nil {
		p.t.Fatalf("network: %v", err)
	}
	var conds []*network.Conditions
	if up > 0 {
		conds = []*network.Conditions{{URLPattern: "", UploadThroughput: up, DownloadThroughput: -1}}
	}
	if _, err := chromedp.Call(ctx, network.EmulateNetworkConditionsByRule,
		network.EmulateNetworkConditionsByRuleParams{MatchedNetworkConditions: conds}); err != nil {
		p.t.Fatalf("throttle the network: %v", err)
	}
}

// fileDraft files a draft proposal through the form and returns its id.
func (p *page) fileDraft(achievements string) string {
	p.t.Helper()
	p.do("fill the form", chromedp.WaitVisible(chromedp.ID("draft-form")),
		chromedp.SetValue(chromedp.ID("award_type"), "LDTT"),
		chromedp.SetValue(chromedp.ID("movement_id"), "vanhoa-2025"),
		chromedp.SendKeys(chromedp.ID("achievements"), achievements))
	p.click("#draft-submit")
	where := p.poll("the filing's answer", `() => {
		if (location.hash.startsWith("#/proposals/") && document.getElementById("stage")) return location.hash;
		const e = document.getElementById("draft-error");
		return e && !e.hidden ? "error: " + e.textContent : ""; }`)
	id, ok := strings.CutPrefix(where, "#/proposals/")
	if !ok {
		p.t.Fatalf("filing through the form answered %q, want the proposal's page%s", where, p.state())
	}
	return id
}

// TestBrowserProposalWork: the proposer's work on a proposal is never lost or doubled
// and can be undone, and what the head decided and relied on is shown (issue 10,
// defects 1-4), at 1366×768 and 390×844.
func TestBrowserProposalWork(t *testing.T) {
	requireChromium(t)
	d := startDev(t)
	p := newPage(t, d.URL)
	staff := apiLogin(t, d.URL, "hongdao")
	p.login("hongdao", orgconfig.DemoPassword)
	p.waitText("h1", "Trang chủ")
	dir := t.TempDir()
	write := func(name string, b []byte) string {
		f := filepath.Join(dir, name)
		if err := os.WriteFile(f, b, 0o600); err != nil {
			t.Fatal(err)
		}
		return f
	}
	pdf := func(s string) []byte { return []byte("%PDF-1.4\n% " + s + "\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n") }
	var id string

	// Defect 3 (idempotent form): Back after "Lập hồ sơ", then the same form again,
	// finds the proposal the first click filed instead of filing a second one.
	t.Run("BackThenCreateAgainFilesOnce", func(t *testing.T) {
		p.t, staff.t = t, t
		p.goTo("#/new")
		id = p.fileDraft("Chủ trì số hoá tư liệu lịch sử.")
		p.do("browser Back", chromedp.NavigateBack())
		p.waitText("h1", "Lập hồ sơ đề nghị")
		again := p.fileDraft("Chủ trì số hoá tư liệu lịch sử.")
		if again != id {
			t.Errorf("the second filing opened %s, want the first one %s", again, id)
		}
		if got := staff.listed(); len(got) != 1 {
			t.Errorf("after Back and filing again the staff member has proposals %v, want one", got)
		}
	})
	if id == "" {
		t.Fatal("no proposal to go on with")
	}

	// Defect 1: an upload keeps unsaved ticks and notes, moves the focus to its message
	// in view, and leaving with unsaved edits asks first.
	t.Run("UploadKeepsUnsavedWork", func(t *testing.T) {
		p.t, staff.t = t, t
		p.goTo("#/proposals/" + id)
		p.waitText("#stage", "Đang soạn")
		p.click("#crit-0-met")
		p.click("#crit-1-met")
		p.do("type a note", chromedp.SendKeys(chromedp.ID("crit-1-note"), "Ghi chú chưa lưu"))
		p.do("upload", chromedp.SetUploadFiles(chromedp.ID("evidence-file"), []string{write("bao-cao.pdf", pdf("báo cáo"))}))
		p.click("#upload-btn")
		p.waitText("#evidence-table", "bao-cao.pdf")
		p.waitText("#flash", "Đã tải lên")
		state := eval[string](p, "read the form", `[document.getElementById("crit-0-met").checked, document.getElementById("crit-1-met").checked,
			document.getElementById("crit-2-met").checked, document.getElementById("crit-1-note").value].join("|")`)
		if state != "true|true|false|Ghi chú chưa lưu" {
			t.Errorf("after the upload the unsaved self-assessment reads %q, want the ticks and the note kept", state)
		}
		focus := eval[string](p, "where is the focus", `(() => { const a = document.activeElement; const r = a.getBoundingClientRect();
			return (a.id || a.tagName) + (r.top >= 0 && r.bottom <= innerHeight ? " in view" : " off-screen") + " " + a.textContent; })()`)
		if !strings.HasPrefix(focus, "flash in view") || !strings.Contains(focus, "Đã tải lên") {
			t.Errorf("after the upload the focus is on %q, want the message, in view", focus)
		}
		p.shot("work-01-upload-kept")
		// The linked file can be ticked on the criterion it supports.
		p.poll("the new file under the criteria", `() => document.querySelector("#crit-1-ev-0") ? "yes" : ""`)

		// Leaving: a hash change asks in the page, and staying keeps everything.
		eval[bool](p, "go home", `(location.hash = "#/", true)`)
		p.waitText("#leave-dialog", "chưa lưu")
		p.shot("work-02-leave-dialog")
		p.click("#leave-dialog-cancel")
		p.poll("the dialog to close", `() => document.getElementById("leave-dialog") ? "" : "gone"`)
		if h := eval[string](p, "read the location", `location.hash`); h != "#/proposals/"+id {
			t.Errorf("after staying the location is %q", h)
		}
		if v := eval[string](p, "read the note", `document.getElementById("crit-1-note").value`); v != "Ghi chú chưa lưu" {
			t.Errorf("after staying the note reads %q", v)
		}
		// Closing or reloading the tab: the browser's own question (beforeunload).
		if !eval[bool](p, "beforeunload", `(() => { const e = new Event("beforeunload", {cancelable: true}); window.dispatchEvent(e); return e.defaultPrevented; })()`) {
			t.Error("closing the tab with unsaved edits does not ask")
		}
		// Saved: nothing to warn about any more.
		p.click("#self-save")
		p.waitText("#flash", "Đã lưu tự đánh giá")
		if eval[bool](p, "beforeunload", `(() => { const e = new Event("beforeunload", {cancelable: true}); window.dispatchEvent(e); return e.defaultPrevented; })()`) {
			t.Error("after saving, closing the tab still asks")
		}
		eval[bool](p, "go home", `(location.hash = "#/", true)`)
		p.waitText("h1", "Trang chủ")
	})

	// Defect 2: progress with percent, size and time left, cancel, several files at
	// once, drag and drop.
	t.Run("UploadProgressCancelManyDrop", func(t *testing.T) {
		p.t, staff.t = t, t
		p.goTo("#/proposals/" + id)
		p.waitText("#stage", "Đang soạn")
		big := make([]byte, 15<<20)
		if _, err := rand.Read(big); err != nil {
			t.Fatal(err)
		}
		copy(big, "%PDF-1.4\n")
		p.throttle(1 << 20) // 1 MiB/s: the 15 MB file takes 15 s
		p.do("choose a big file", chromedp.SetUploadFiles(chromedp.ID("evidence-file"), []string{write("tai-lieu-lon.pdf", big)}))
		p.click("#upload-btn")
		progress := p.poll("progress", `() => { const e = document.querySelector("#upload-list .upload-item");
			return e && /\d+\s?%/.test(e.textContent) && /MB/.test(e.textContent) && /còn/.test(e.textContent) ? e.textContent : ""; }`)
		t.Logf("progress: %s", progress)
		if !eval[bool](p, "a progress bar", `!!document.querySelector("#upload-list progress[max]")`) {
			t.Error("no progress bar")
		}
		p.shot("work-03-progress")
		p.click("#upload-list .upload-cancel")
		p.waitText("#upload-list", "Đã huỷ")
		p.throttle(0)
		for _, e := range staff.proposal(id).Evidence {
			if e.Name == "tai-lieu-lon.pdf" {
				t.Error("a cancelled upload was listed")
			}
		}
		// Nor kept: the embedded S3 holds one file per object, named by its SHA-256.
		objects := func() int {
			n := 0
			_ = filepath.WalkDir(d.DataDir, func(f string, e os.DirEntry, err error) error {
				if err == nil && !e.IsDir() && len(e.Name()) == 64 && strings.HasSuffix(filepath.ToSlash(filepath.Dir(f)), "evidence/"+id) {
					n++
				}
				return nil
			})
			return n
		}
		for deadline := time.Now().Add(20 * time.Second); objects() != 1 && time.Now().Before(deadline); {
			time.Sleep(200 * time.Millisecond)
		}
		if n := objects(); n != 1 {
			t.Errorf("after the cancelled upload %d evidence objects are stored, want 1 (the listed file)", n)
		}

		// Two files in one choice. The page states each file's SHA-256 (Content-Digest),
		// so each streams straight to S3: none is spooled.
		streamed0, spooled0 := evidenceUploads(t, d.URL, "streamed"), evidenceUploads(t, d.URL, "spooled")
		p.do("choose two files", chromedp.SetUploadFiles(chromedp.ID("evidence-file"),
			[]string{write("quyet-dinh.pdf", pdf("quyết định")), write("bang-diem.pdf", pdf("bảng điểm"))}))
		p.click("#upload-btn")
		p.waitText("#evidence-table", "quyet-dinh.pdf")
		p.waitText("#evidence-table", "bang-diem.pdf")

		// Dropped on the upload area.
		eval[bool](p, "drop a file", `(() => {
			const dt = new DataTransfer();
			dt.items.add(new File(["%PDF-1.4\n% kéo thả\n%%EOF\n"], "keo-tha.pdf", {type: "application/pdf"}));
			const zone = document.getElementById("drop-zone");
			for (const type of ["dragenter", "dragover", "drop"]) zone.dispatchEvent(new DragEvent(type, {dataTransfer: dt, bubbles: true, cancelable: true}));
			return true; })()`)
		p.waitText("#evidence-table", "keo-tha.pdf")
		var names []string
		for _, e := range staff.proposal(id).Evidence {
			names = append(names, e.Name)
		}
		if want := []string{"bao-cao.pdf", "quyet-dinh.pdf", "bang-diem.pdf", "keo-tha.pdf"}; !slices.Equal(names, want) {
			t.Errorf("evidence %v, want %v", names, want)
		}
		if s, sp := evidenceUploads(t, d.URL, "streamed")-streamed0, evidenceUploads(t, d.URL, "spooled")-spooled0; s != 3 || sp != 0 {
			t.Errorf("the page's three uploads went %v streamed and %v spooled, want all streamed (the page sends Content-Digest)", s, sp)
		}
		p.shot("work-04-uploaded")
	})

	// Defect 3: remove a file, withdraw a submission, delete a draft — each asked in a
	// dialog and recorded in the history.
	t.Run("RemoveWithdrawDelete", func(t *testing.T) {
		p.t, staff.t = t, t
		p.goTo("#/proposals/" + id)
		p.waitText("#evidence-table", "keo-tha.pdf")
		p.click(`#evidence-table tr[data-name="keo-tha.pdf"] .remove-evidence`)
		p.waitText("#remove-dialog", "keo-tha.pdf")
		p.click("#remove-dialog-confirm")
		p.waitText("#flash", "Đã gỡ tệp")
		p.poll("the row to go", `() => document.querySelector('#evidence-table tr[data-name="keo-tha.pdf"]') ? "" : "gone"`)
		p.waitText("#history-table", "Gỡ minh chứng")

		var answers []map[string]any
		for _, c := range staff.criteriaOf(id) {
			answers = append(answers, map[string]any{"criterion_id": c, "met": true})
		}
		staff.call("PUT", "/api/v1/proposals/"+id+"/self-assessment", map[string]any{"answers": answers}, nil)
		p.goTo("#/proposals/" + id)
		p.click("#submit-btn")
		p.waitText("#stage", "Chờ lãnh đạo phòng xác nhận")
		p.click("#withdraw-btn")
		p.waitText("#withdraw-dialog", "Rút hồ sơ")
		p.click("#withdraw-dialog-confirm")
		p.waitText("#stage", "Đang soạn")
		p.waitText("#history-table", "Rút hồ sơ về để sửa")
		p.shot("work-05-withdrawn")

		p.click("#delete-btn")
		p.waitText("#delete-dialog", "Xoá hồ sơ")
		p.click("#delete-dialog-confirm")
		p.waitText("#stage", "Đã xoá")
		p.waitText("#flash", "Đã xoá hồ sơ")
		if n := eval[int](p, "count the buttons", `document.querySelectorAll("#actions button, #upload-form, .remove-evidence").length`); n != 0 {
			t.Errorf("a deleted proposal still offers %d actions", n)
		}
		p.shot("work-05b-deleted")
		if got := staff.proposal(id); got.Stage != "deleted" || got.History[len(got.History)-1].Action != "delete" {
			t.Errorf("after deleting, stage %s, last step %+v", got.Stage, got.History[len(got.History)-1])
		}
	})

	// Defect 4: the reject reason in a banner like the return reason; the head sees
	// which file supports which criterion; an award type that needs evidence refuses a
	// proposal without any (422) and the page says so before.
	t.Run("ReasonsEvidenceLinksRequiredEvidence", func(t *testing.T) {
		p.t, staff.t = t, t
		// A new proposal for the same nominee and award: the deleted one holds no place.
		var prop struct {
			ID string `json:"id"`
		}
		staff.call("POST", "/api/v1/proposals", map[string]string{"award_type": "LDTT", "movement_id": "vanhoa-2025",
			"kind": "individual", "nominee_name": "Nguyễn Thị Hồng Đào", "nominee_position": "Chuyên viên"}, &prop)
		sha := staff.upload(prop.ID, "sang-kien.pdf", pdf("sáng kiến"))
		crit := staff.criteriaOf(prop.ID)
		var answers []map[string]any
		for i, c := range crit {
			a := map[string]any{"criterion_id": c, "met": true}
			if i == 2 {
				a["evidence"] = []string{sha}
			}
			answers = append(answers, a)
		}
		staff.call("PUT", "/api/v1/proposals/"+prop.ID+"/self-assessment", map[string]any{"answers": answers}, nil)
		staff.call("POST", "/api/v1/proposals/"+prop.ID+"/submit", nil, nil)

		p.switchUser("tptt")
		p.goTo("#/proposals/" + prop.ID)
		p.waitText("#stage", "Chờ lãnh đạo phòng xác nhận")
		row := p.waitText(fmt.Sprintf(`#self-table tbody tr:nth-child(3)`), "sang-kien.pdf")
		if strings.Count(eval[string](p, "the self table", `document.getElementById("self-table").textContent`), "sang-kien.pdf") != 1 {
			t.Errorf("the file is cited on more criteria than the one it supports: %q", row)
		}
		p.shot("work-06-head-evidence-links")

		// Rejected: the reason in a banner, for the head and for the proposer.
		other := fileSubmitted(t, d.URL, "quoccuong", "Lê Quốc Cường")
		apiLogin(t, d.URL, "tptt").call("POST", "/api/v1/proposals/"+other+"/reject", map[string]string{"comment": "Chưa đủ thời gian công tác"}, nil)
		p.goTo("#/proposals/" + other)
		p.waitText("#stage", "Không được xác nhận")
		p.waitText("#rejected-note", "Phạm Minh Tâm không xác nhận hồ sơ: Chưa đủ thời gian công tác")
		p.switchUser("quoccuong")
		p.goTo("#/proposals/" + other)
		p.waitText("#rejected-note", "Chưa đủ thời gian công tác")
		p.shot("work-07-rejected-banner")

		// Evidence required by the award type (CSTĐ cấp tỉnh in the demo).
		var cst struct {
			ID string `json:"id"`
		}
		cw := apiLogin(t, d.URL, "quoccuong")
		cw.call("POST", "/api/v1/proposals", map[string]string{"award_type": "CSTDT", "movement_id": "vanhoa-2025",
			"kind": "individual", "nominee_name": "Lê Quốc Cường", "nominee_position": "Chuyên viên chính"}, &cst)
		answers = nil
		for _, c := range cw.criteriaOf(cst.ID) {
			answers = append(answers, map[string]any{"criterion_id": c, "met": true})
		}
		cw.call("PUT", "/api/v1/proposals/"+cst.ID+"/self-assessment", map[string]any{"answers": answers}, nil)
		if code, body := cw.status("POST", "/api/v1/proposals/"+cst.ID+"/submit"); code != http.StatusUnprocessableEntity || !strings.Contains(body, "minh chứng") {
			t.Errorf("submitting a CSTĐT proposal without evidence = %d %s, want 422 naming the evidence", code, body)
		}
		p.goTo("#/proposals/" + cst.ID)
		p.waitText("#evidence-rule", "cần ít nhất một tệp minh chứng")
		p.click("#submit-btn")
		p.waitText("#submit-error", "minh chứng")
		p.waitText("#stage", "Đang soạn")
		p.shot("work-08-evidence-required")
		if cw.proposal(cst.ID).Stage != "draft" {
			t.Error("the proposal without its required evidence was submitted")
		}

		// A phone: the banner and the evidence fit.
		p.do("a phone", chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile))
		p.goTo("#/proposals/" + other)
		p.waitText("#rejected-note", "Chưa đủ thời gian công tác")
		p.fitsWidth(390)
		p.shot("work-09-rejected-phone")
		p.goTo("#/proposals/" + cst.ID)
		p.waitText("#evidence-rule", "minh chứng")
		p.fitsWidth(390)
		p.shot("work-10-draft-phone")
	})
	p.t, staff.t = t, t
	p.assertNoProblems()
}
