package web_test

import (
	"bytes"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/xuri/excelize/v2"

	"github.com/awardflow/awardflow/internal/orgconfig"
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
	p.do("a phone", chromedp.EmulateViewport(390, 844))
	p.goTo("#/statistics")
	p.waitText("h1", "Thống kê khen thưởng")
	p.fitsWidth(390)
	p.shot("61-statistics-phone")
	p.assertNoProblems()
}
