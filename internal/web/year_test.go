package web_test

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/awardflow/awardflow/internal/annualdata"
	"github.com/awardflow/awardflow/internal/award"
	"github.com/awardflow/awardflow/internal/orgconfig"
)

// yearOrg is the demo organisation with the digital-transformation movement still
// running: it ends in December of next year, its sơ kết (12/2023) is past, its tổng kết
// is next year, and its registration window is open for another 60 days.
func yearOrg(t *testing.T) *orgconfig.Org {
	t.Helper()
	org, err := orgconfig.Demo()
	if err != nil {
		t.Fatal(err)
	}
	loc, err := time.LoadLocation("Asia/Ho_Chi_Minh")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().In(loc)
	m := &org.Movements[1]
	if m.ID != "chuyendoiso-2025" {
		t.Fatalf("the demo's second movement is %s", m.ID)
	}
	end := award.NewDate(now.Year()+1, time.December, 31)
	m.End = end
	for i := range m.Milestones {
		if m.Milestones[i].Kind == award.MilestoneFinal {
			m.Milestones[i].Due = end
		}
	}
	closes := award.NewDate(now.Year(), now.Month(), now.Day()+60)
	m.Registration.Closes = closes
	return org
}

// TestBrowserMovements: everyone sees the movements with their period, reviews (the
// sơ kết past, the tổng kết to come, with due dates) and criteria with their numeric
// targets; a staff member registers with the commitment form — a commitment below the
// movement's target is refused with the server's Vietnamese message, then accepted —
// and sees only their own registration; the head registers the unit and sees the unit's
// list; the secretary (the office) sees every registration and the counts. A closed
// window offers no form. Desktop and phone.
func TestBrowserMovements(t *testing.T) {
	requireChromium(t)
	d := startDevOrg(t, yearOrg(t))
	p := newPage(t, d.URL)
	p.login("hongdao", orgconfig.DemoPassword)
	p.waitText("h1", "Trang chủ")
	if eval[bool](p, "the annual data menu entry for staff", `!document.getElementById("nav-annual").hidden`) {
		t.Errorf("staff see the annual data menu entry")
	}
	p.click("#nav-movements")
	p.waitText("h1", "Phong trào thi đua")
	card := "#movement-chuyendoiso-2025"
	p.waitText(card+" h2", "chuyển đổi số")
	p.waitText(card+" tr.ms-past", "Sơ kết")
	p.waitText(card+" tr.ms-past", "tháng 12/2023")
	p.waitText(card+" tr.ms-upcoming", "Tổng kết")
	p.waitText(card+" tr.ms-upcoming", "còn ")
	p.waitText(card+` li[data-criterion="cds-nangsuat"] .target`, "7")
	p.waitText(card+` li[data-criterion="cds-truc-tuyen"] .target`, "80")
	// The closed window of the other movement: its status, no form.
	p.waitText("#movement-vanhoa-2025 .reg-status", "Đã hết hạn đăng ký")
	if n := eval[int](p, "count the forms of a closed window", `document.querySelectorAll("#movement-vanhoa-2025 form.reg-form").length`); n != 0 {
		t.Errorf("a movement whose registration closed offers %d forms", n)
	}
	p.waitText(card+" .reg-mine", "Bạn chưa đăng ký thi đua")

	// Below the target: the server refuses, in Vietnamese.
	setValue := func(sel, v string) {
		eval[bool](p, "type into "+sel, fmt.Sprintf(`(() => { const e = document.querySelector(%q); e.value = %q; return true; })()`, sel, v))
	}
	item := card + ` form.reg-form[data-kind="individual"] li[data-item="cds-nangsuat"] input.reg-value`
	p.waitText(card+` form.reg-form[data-kind="individual"]`, "Năng suất lao động")
	setValue(item, "5")
	setValue(card+` form.reg-form[data-kind="individual"] textarea`, "Hoàn thành 2 khoá học kỹ năng số")
	p.click(card + ` form.reg-form[data-kind="individual"] button.reg-submit`)
	p.waitText(card+` form.reg-form[data-kind="individual"] .msg.error`, "theo yêu cầu của phong trào")
	p.shot("70-movement-refused")
	setValue(item, "8")
	p.click(card + ` form.reg-form[data-kind="individual"] button.reg-submit`)
	p.waitText("#movements-msg", "đã đăng ký thi đua phong trào “Đồng Tháp đẩy mạnh chương trình chuyển đổi số”")
	p.waitText(card+" .reg-mine", "Bạn đã đăng ký thi đua")
	p.waitText(card+" section.registrations h3", "Bản đăng ký của tôi")
	p.waitText(card+" .regs-table", "Nguyễn Thị Hồng Đào")
	p.waitText(card+" .regs-table", "8 %/năm")
	p.shot("71-movements-staff")

	// What the server keeps.
	admin := apiLogin(t, d.URL, "quantri")
	var regs struct {
		Items []struct {
			SubjectID string `json:"subject_id"`
			Items     []struct {
				ItemID string   `json:"item_id"`
				Value  *float64 `json:"value"`
			} `json:"items"`
			Commitments struct {
				Other string `json:"other"`
			} `json:"commitments"`
		} `json:"items"`
	}
	admin.call("GET", "/api/v1/movements/chuyendoiso-2025/registrations", nil, &regs)
	if len(regs.Items) != 1 || regs.Items[0].SubjectID != "hongdao" || regs.Items[0].Commitments.Other != "Hoàn thành 2 khoá học kỹ năng số" {
		t.Fatalf("registrations kept: %+v", regs.Items)
	}
	found := false
	for _, c := range regs.Items[0].Items {
		if c.ItemID == "cds-nangsuat" && c.Value != nil && *c.Value == 8 {
			found = true
		}
	}
	if !found {
		t.Errorf("the commitment of 8 %%/năm was not kept: %+v", regs.Items[0].Items)
	}

	// The head registers the unit, and sees the unit's list.
	p.switchUser("tptt")
	p.goTo("#/movements")
	p.waitText(card+" .reg-unit", "Đơn vị của bạn chưa đăng ký thi đua")
	p.waitText(card+` form.reg-form[data-kind="collective"]`, "văn bản phát hành")
	p.click(card + ` form.reg-form[data-kind="collective"] button.reg-submit`)
	p.waitText("#movements-msg", "Phòng Tuyên truyền")
	p.waitText(card+" .reg-unit", "Đơn vị của bạn đã đăng ký thi đua")
	p.waitText(card+" section.registrations h3", "Danh sách đăng ký thi đua")
	p.waitText(card+" .regs-table", "Nguyễn Thị Hồng Đào")
	p.waitText(card+" .reg-counts", "1 cá nhân, 1 tập thể")

	// The office sees every registration.
	p.switchUser("thuky")
	p.click("#nav-movements")
	p.waitText(card+" .reg-counts", "Đã đăng ký: 1 cá nhân, 1 tập thể.")
	p.waitText(card+" .regs-table", "Phòng Tuyên truyền")
	p.shot("72-movements-office")
	p.do("a phone", chromedp.EmulateViewport(390, 844))
	p.goTo("#/movements")
	p.waitText(card+" .reg-counts", "1 cá nhân, 1 tập thể")
	p.fitsWidth(390)
	p.shot("73-movements-phone")
	p.assertNoProblems()
}

// annualCSV writes a CSV in the template's columns: each row gives id, year, rating,
// months, days absent.
func annualCSV(t *testing.T, rows ...[]string) string {
	t.Helper()
	cols := map[string]int{}
	var header []string
	for i, c := range annualdata.Columns {
		cols[c.Code] = i
		header = append(header, c.Header())
	}
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	_ = w.Write(header)
	for _, r := range rows {
		line := make([]string, len(header))
		line[cols[annualdata.ColID]], line[cols[annualdata.ColYear]], line[cols[annualdata.ColRating]] = r[0], r[1], r[2]
		line[cols[annualdata.ColMonths]], line[cols[annualdata.ColDaysAbsent]] = r[3], r[4]
		_ = w.Write(line)
	}
	w.Flush()
	f := filepath.Join(t.TempDir(), "du-lieu.csv")
	if err := os.WriteFile(f, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return f
}

// TestBrowserAnnual: the admin chooses a year, downloads the template as XLSX and CSV,
// imports a file with bad rows — every row's problem is listed with its row number in
// Vietnamese and nothing is imported — then a good one, sees the year's records and
// corrects one (PUT); a head sees their unit's records and cannot edit; staff have no
// menu entry. Desktop and phone.
func TestBrowserAnnual(t *testing.T) {
	requireChromium(t)
	d := startDev(t)
	p := newPage(t, d.URL)
	downloads := p.allowDownloads()
	p.login("quantri", orgconfig.DemoPassword)
	p.waitText("h1", "Trang chủ")
	p.click("#nav-annual")
	p.waitText("h1", "Dữ liệu bình xét hằng năm")
	eval[bool](p, "choose the year 2025", `(() => { const s = document.getElementById("annual-year");
		s.value = "2025"; s.dispatchEvent(new Event("change")); return true; })()`)
	p.waitText("#annual-empty", "Chưa có dữ liệu bình xét năm 2025")
	seen := map[string]bool{}
	p.click("#template-xlsx")
	waitNewDownload(t, downloads, seen, []byte("PK"))
	p.click("#template-csv")
	if b := waitNewDownload(t, downloads, seen, []byte("\ufeff")); !strings.Contains(string(b), "Xếp loại") {
		t.Errorf("the CSV template: %q", b)
	}

	// A file with bad rows: every problem listed, nothing imported.
	bad := annualCSV(t,
		[]string{"hongdao", "2025", "Hoàn thành tốt nhiệm vụ", "12", "0"},
		[]string{"khongco", "2025", "Hoàn thành tốt nhiệm vụ", "12", "0"},
		[]string{"quoccuong", "2025", "Giỏi", "12", "0"},
		[]string{"vanson", "2024", "Hoàn thành nhiệm vụ", "13", "0"})
	p.do("choose the bad file", chromedp.SetUploadFiles(chromedp.ID("import-file"), []string{bad}))
	p.click("#import-btn")
	p.waitText("#import-report", "Không có dòng nào được nhập")
	p.waitText("#import-report .msg-text", "tệp có 4 lỗi")
	rowsShown := map[string]bool{}
	for _, r := range eval[[]string](p, "read the row numbers", `[...document.querySelectorAll("#import-errors tbody tr")].map(r => r.dataset.row)`) {
		rowsShown[r] = true
	}
	if !rowsShown["3"] || !rowsShown["4"] || !rowsShown["5"] || rowsShown["2"] {
		t.Errorf("rows listed with problems: %v, want 3, 4 and 5 (row 2 is good)", rowsShown)
	}
	p.waitText(`#import-errors tr[data-row="4"]`, "Xếp loại")
	p.waitText(`#import-errors tr[data-row="3"]`, "khongco")
	p.shot("80-annual-refused")
	var list struct {
		Items []struct {
			ID          string `json:"id"`
			Rating      string `json:"rating"`
			RatingLabel string `json:"rating_label"`
		} `json:"items"`
	}
	admin := apiLogin(t, d.URL, "quantri")
	admin.call("GET", "/api/v1/annual-records?year=2025", nil, &list)
	if len(list.Items) != 0 {
		t.Fatalf("a refused file imported %d records", len(list.Items))
	}

	// A good file.
	good := annualCSV(t,
		[]string{"hongdao", "2025", "Hoàn thành tốt nhiệm vụ", "12", "0"},
		[]string{"quoccuong", "2025", "Hoàn thành xuất sắc nhiệm vụ", "12", "3"})
	p.do("choose the good file", chromedp.SetUploadFiles(chromedp.ID("import-file"), []string{good}))
	p.click("#import-btn")
	p.waitText("#import-msg", "Đã nhập 2 bản ghi năm 2025")
	if n := eval[int](p, "the report is gone", `document.querySelectorAll("#import-errors").length`); n != 0 {
		t.Errorf("the refusal is still shown after a good import")
	}
	p.waitText(`#annual-table tr[data-id="hongdao"]`, "Hoàn thành tốt nhiệm vụ")
	p.waitText(`#annual-table tr[data-id="quoccuong"]`, "Hoàn thành xuất sắc nhiệm vụ")
	p.waitText("#annual-count", "2 bản ghi")

	// Correct one record.
	p.click(`#annual-table tr[data-id="hongdao"] .edit-record`)
	p.waitText("#annual-edit h2", "Nguyễn Thị Hồng Đào")
	eval[bool](p, "change the rating and absences", `(() => {
		const r = document.getElementById("edit-rating"); r.value = "excellent";
		document.getElementById("edit-absent").value = "4"; return true; })()`)
	p.shot("81-annual-edit")
	p.click("#edit-save")
	p.waitText("#annual-msg", "Đã lưu dữ liệu năm 2025 của Nguyễn Thị Hồng Đào")
	p.waitText(`#annual-table tr[data-id="hongdao"] .rec-rating`, "Hoàn thành xuất sắc nhiệm vụ")
	p.waitText(`#annual-table tr[data-id="hongdao"] .rec-absent`, "4")
	admin.call("GET", "/api/v1/annual-records?year=2025", nil, &list)
	for _, r := range list.Items {
		if r.ID == "hongdao" && r.Rating != "excellent" {
			t.Errorf("the correction was not kept: %+v", r)
		}
	}
	p.shot("82-annual-admin")

	// A head reads their unit's records, without the admin's tools.
	p.switchUser("tptt")
	p.click("#nav-annual")
	eval[bool](p, "choose the year 2025", `(() => { const s = document.getElementById("annual-year");
		s.value = "2025"; s.dispatchEvent(new Event("change")); return true; })()`)
	p.waitText(`#annual-table tr[data-id="hongdao"]`, "Hoàn thành xuất sắc nhiệm vụ")
	if n := eval[int](p, "the head's tools", `document.querySelectorAll("#annual-import, .edit-record").length`); n != 0 {
		t.Errorf("a head is offered %d admin tools", n)
	}
	p.do("a phone", chromedp.EmulateViewport(390, 844))
	p.switchUser("quantri")
	p.goTo("#/annual")
	eval[bool](p, "choose the year 2025", `(() => { const s = document.getElementById("annual-year");
		s.value = "2025"; s.dispatchEvent(new Event("change")); return true; })()`)
	p.waitText("#annual-count", "2 bản ghi")
	p.fitsWidth(390)
	p.shot("83-annual-phone")
	p.assertNoProblems()
}
