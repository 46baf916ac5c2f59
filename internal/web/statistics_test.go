package web_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/xuri/excelize/v2"

	"github.com/awardflow/awardflow/internal/orgconfig"
	"github.com/awardflow/awardflow/internal/report"
)

// The statistics page: after a session issues its decisions, the secretary opens
// "Thống kê": the total, the chart (one bar per award form, labelled) and the table of
// units; the XLSX downloads and opens; staff do not see the menu entry. Desktop and phone.
func TestBrowserStatistics(t *testing.T) {
	requireChromium(t)
	d := startDev(t)
	ldtt := endorsedProposalType(t, d.URL, "hongdao", "tptt", "Nguyễn Thị Hồng Đào", "LDTT")
	gk := endorsedProposalType(t, d.URL, "quoccuong", "tptt", "Lê Quốc Cường", "GK")
	s := decidingSession(t, d.URL, "Xét khen thưởng (thống kê)", []string{ldtt, gk}, allYes)
	approveAndIssue(t, d.URL, s.ID)

	p := newPage(t, d.URL)
	downloads := p.allowDownloads()
	p.login("hongdao", orgconfig.DemoPassword)
	p.waitText("h1", "Trang chủ")
	if eval[bool](p, "the menu entry for staff", `!document.getElementById("nav-statistics").hidden`) {
		t.Errorf("staff see the statistics menu entry")
	}
	p.switchUser("thuky")
	p.click(`#nav-statistics`)
	p.waitText("h1", "Thống kê khen thưởng")
	eval[bool](p, "choose the year 2025", `(() => { const s = document.getElementById("stats-year");
		s.value = "2025"; s.dispatchEvent(new Event("change")); return true; })()`)
	p.waitText("#stats-total", "Tổng cộng 2 lượt khen thưởng")
	if n := eval[int](p, "count the bars", `document.querySelectorAll("#stats-chart rect.chart-bar").length`); n != 2 {
		t.Errorf("chart bars: %d, want 2 (LĐTT, Giấy khen)", n)
	}
	if label := eval[string](p, "read the chart's label", `document.getElementById("stats-chart").getAttribute("aria-label")`); label == "" {
		t.Errorf("the chart has no accessible name")
	}
	p.waitText("#stats-table", "Phòng Tuyên truyền")
	p.shot("60-statistics")
	p.click("#stats-xlsx")
	b := waitNewDownload(t, downloads, map[string]bool{}, []byte("PK"))
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("the downloaded workbook: %v", err)
	}
	if rows, err := f.GetRows("Theo đơn vị"); err != nil || len(rows) != 3 {
		t.Errorf("the workbook's tidy sheet: %d rows, %v (want a header and 2 lines)", len(rows), err)
	}
	if rows, err := f.GetRows(report.SheetMovements); err != nil || len(rows) < 3 {
		t.Errorf("the workbook's movements sheet: %d rows, %v", len(rows), err)
	}

	// The movements' participation: both proposals name the culture movement, of 2025,
	// in Phòng Tuyên truyền, and both were awarded; nobody registered (its window
	// closed in 2022). The page shows what the API counts.
	mv := `#stats-movements-table tr[data-movement="vanhoa-2025"]`
	p.waitText(mv, "Xây dựng văn hoá")
	var st report.Statistics
	apiLogin(t, d.URL, "thuky").call("GET", "/api/v1/statistics?year=2025", nil, &st)
	var culture *report.MovementRow
	for i := range st.Movements {
		if st.Movements[i].ID == "vanhoa-2025" {
			culture = &st.Movements[i]
		}
	}
	if culture == nil || culture.Total != (report.Participation{Registered: 0, Proposed: 2, Awarded: 2}) ||
		len(culture.Units) != 1 || culture.Units[0].ID != "tt" {
		t.Fatalf("the culture movement's participation: %+v", culture)
	}
	cells := eval[[]string](p, "read the movement's unit line", `(() => {
		const g = document.querySelector('#stats-movements-table tr[data-movement="vanhoa-2025"]');
		return [...g.nextElementSibling.querySelectorAll("td")].map(td => td.textContent); })()`)
	if strings.Join(cells, "|") != "Phòng Tuyên truyền - Báo chí|0|2|2" && !strings.HasSuffix(strings.Join(cells, "|"), "|0|2|2") {
		t.Errorf("the page's line for the unit: %v", cells)
	}
	p.click("#stats-csv-movements")
	if b := waitNewDownload(t, downloads, map[string]bool{}, []byte("\ufeffNăm,Mã phong trào")); !strings.Contains(string(b), "vanhoa-2025") {
		t.Errorf("the movements CSV: %q", b)
	}

	// Award history: from the proposal's nominee to the person's awards; a revoked
	// decision is marked; a unit's page from the statistics table.
	p.goTo("#/proposals/" + ldtt)
	p.click("#nominee-history")
	p.waitText("#history-subject", "Nguyễn Thị Hồng Đào")
	p.waitText(".history-year[data-year=\"2025\"]", "Lao động tiên tiến")
	p.waitText(".history-year[data-year=\"2025\"]", "Còn hiệu lực")
	p.shot("62-history-person")
	var hist struct {
		Items []struct {
			DocumentID string `json:"document_id"`
			NumberText string `json:"number_text"`
		} `json:"items"`
	}
	chair := apiLogin(t, d.URL, "truongban")
	chair.call("GET", "/api/v1/directory/people/quoccuong/awards", nil, &hist)
	if len(hist.Items) != 1 {
		t.Fatalf("Lê Quốc Cường's history: %+v", hist.Items)
	}
	// Revoked by a revocation decision (Luật 2022 Điều 93): asked, signed, issued.
	var rv struct {
		ID      string   `json:"id"`
		Status  string   `json:"status"`
		Waiting []string `json:"waiting"`
	}
	chair.call("POST", "/api/v1/revocations", map[string]any{"document_id": hist.Items[0].DocumentID, "ground": "gian_doi",
		"reason": "Phát hiện kê khai thành tích không trung thực"}, &rv)
	if len(rv.Waiting) != 1 {
		t.Fatalf("the revocation waits for %v, want its signer", rv.Waiting)
	}
	apiLogin(t, d.URL, rv.Waiting[0]).call("POST", "/api/v1/revocations/"+rv.ID+"/approve", nil, &rv)
	apiLogin(t, d.URL, "vanthu").call("POST", "/api/v1/revocations/"+rv.ID+"/issue", nil, &rv)
	if rv.Status != "issued" {
		t.Fatalf("the revocation was not issued: %+v", rv)
	}
	p.goTo("#/people/quoccuong/awards")
	p.waitText("#history-subject", "Lê Quốc Cường")
	p.waitText("tr.is-revoked", "Đã thu hồi")
	p.waitText("tr.is-revoked", hist.Items[0].NumberText)
	p.waitText("#history-summary", "0 lượt khen thưởng còn hiệu lực")
	p.shot("63-history-revoked")
	p.goTo("#/statistics")
	eval[bool](p, "choose the year 2025", `(() => { const s = document.getElementById("stats-year");
		s.value = "2025"; s.dispatchEvent(new Event("change")); return true; })()`)
	p.waitText("#stats-total", "Tổng cộng 1 lượt khen thưởng")
	p.click(`#stats-table thead a[href="#/units/tt/awards"]`)
	p.waitText("#history-subject", "Phòng Tuyên truyền")
	p.waitText("#history-empty", "Chưa có khen thưởng nào")

	p.do("a phone", chromedp.EmulateViewport(390, 844))
	p.goTo("#/people/quoccuong/awards")
	p.waitText("tr.is-revoked", "Đã thu hồi")
	p.fitsWidth(390)
	p.shot("64-history-phone")
	p.goTo("#/statistics")
	p.waitText("h1", "Thống kê khen thưởng")
	eval[bool](p, "choose the year 2025", `(() => { const s = document.getElementById("stats-year");
		s.value = "2025"; s.dispatchEvent(new Event("change")); return true; })()`)
	p.waitText(mv, "Xây dựng văn hoá")
	p.fitsWidth(390)
	p.shot("61-statistics-phone")
	p.assertNoProblems()
}
