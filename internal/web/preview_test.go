package web_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/awardflow/awardflow/internal/orgconfig"
)

// Preview in the page (issue 10, item 9): evidence files, session documents and
// revocation decisions open in the page from blob: URLs of the sniffed type, other
// types say they cannot be previewed and offer the download, and a signed or issued
// document has the verify API's answer beside it.

// onePagePDF is a small valid PDF with one line of text, its cross-reference offsets
// computed, so the browser's viewer shows it without complaint.
func onePagePDF(text string) []byte {
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
		"", // the content stream, below
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
	}
	stream := fmt.Sprintf("BT /F1 24 Tf 72 760 Td (%s) Tj ET", text)
	objs[3] = fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(stream), stream)
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n")
	offs := make([]int, len(objs))
	for i, o := range objs {
		offs[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, o := range offs {
		fmt.Fprintf(&b, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, xref)
	return b.Bytes()
}

// aPNG is a 320×200 picture: a green field with a red band.
func aPNG(t *testing.T) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 320, 200))
	for y := range 200 {
		for x := range 320 {
			c := color.RGBA{20, 140, 60, 255}
			if y > 80 && y < 120 {
				c = color.RGBA{200, 30, 30, 255}
			}
			img.Set(x, y, c)
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func hexSHA(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// cannotPreview is the line shown for a file the page does not preview.
const cannotPreview = "Không xem trước được tệp loại này; hãy tải về."

// svgScript would set a mark on the page if the file ever ran as a document of this origin.
const svgScript = `<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100"><script>parent.__svgRan = 1; window.__svgRan = 1;</script>` +
	`<rect width="100" height="100" fill="red"/></svg>`

// previewShown waits until the preview area sel shows a blob: iframe or img whose bytes
// (data-sha256, data-bytes) are want's, and returns the element's tag.
func (p *page) previewShown(sel string, want []byte) string {
	p.t.Helper()
	// The area may still show the file before while this one loads: wait for this one.
	got := p.poll("the preview in "+sel+" of the file with SHA-256 "+hexSHA(want), `(sel, sha) => {
		const e = document.querySelector(sel + " .preview-frame, " + sel + " .preview-img");
		if (!e || !e.src.startsWith("blob:") || e.dataset.sha256 !== sha) return "";
		if (e.tagName === "IMG" && !(e.complete && e.naturalWidth > 0)) return "";
		return e.tagName + " " + e.dataset.bytes + " " + e.dataset.sha256; }`, sel, hexSHA(want))
	tag, rest, _ := strings.Cut(got, " ")
	if want := fmt.Sprintf("%d %s", len(want), hexSHA(want)); rest != want {
		p.t.Errorf("the preview in %s shows %q, want the file's size and SHA-256 %q", sel, rest, want)
	}
	return tag
}

// panelSays waits until the verify panel sel has the API's answer and contains want.
func (p *page) panelSays(sel string, want ...string) {
	p.t.Helper()
	p.poll("the verify panel "+sel, `(sel) => { const e = document.querySelector(sel);
		return e && e.dataset.checked === "yes" ? "yes" : ""; }`, sel)
	for _, w := range want {
		p.waitText(sel, w)
	}
}

func TestBrowserPreview(t *testing.T) {
	requireChromium(t)
	d := startDev(t)
	staff := apiLogin(t, d.URL, "hongdao")
	var prop struct {
		ID       string `json:"id"`
		Criteria []struct {
			ID string `json:"id"`
		} `json:"criteria"`
	}
	staff.call("POST", "/api/v1/proposals", map[string]string{"award_type": "LDTT", "movement_id": "vanhoa-2025",
		"kind": "individual", "nominee_name": "Nguyễn Thị Hồng Đào", "nominee_position": "Chuyên viên"}, &prop)
	pdf, pic := onePagePDF("Bang khen so hoa 2025"), aPNG(t)
	txt := []byte("Ghi chú minh chứng: danh sách sáng kiến năm 2025.\n")
	pdfSHA := staff.upload(prop.ID, "sang-kien.pdf", pdf)
	pngSHA := staff.upload(prop.ID, "anh-hoi-thao.png", pic)
	txtSHA := staff.upload(prop.ID, "ghi-chu.txt", txt)
	svgSHA := staff.upload(prop.ID, "bieu-do.svg", []byte(svgScript))
	var answers []map[string]any
	for i, cr := range prop.Criteria {
		a := map[string]any{"criterion_id": cr.ID, "met": true}
		if i == 0 {
			a["evidence"] = []string{pdfSHA, pngSHA}
		}
		answers = append(answers, a)
	}
	staff.call("PUT", "/api/v1/proposals/"+prop.ID+"/self-assessment", map[string]any{"answers": answers}, nil)
	staff.call("POST", "/api/v1/proposals/"+prop.ID+"/submit", nil, nil)
	apiLogin(t, d.URL, "tptt").call("POST", "/api/v1/proposals/"+prop.ID+"/endorse", map[string]string{"comment": "Đồng ý"}, nil)
	other := endorsedProposalType(t, d.URL, "quoccuong", "tptt", "Lê Quốc Cường", "LDTT")

	p := newPage(t, d.URL)
	p.login("hongdao", orgconfig.DemoPassword)
	p.waitText("h1", "Trang chủ")
	row := func(sha string) string { return fmt.Sprintf(`#evidence-table tr[data-sha=%q]`, sha) }
	for _, size := range []struct {
		w, h int
		name string
	}{{1366, 768, "desktop"}, {390, 844, "phone"}} {
		p.do("screen "+size.name, chromedp.EmulateViewport(int64(size.w), int64(size.h)))
		p.goTo("#/proposals/" + prop.ID)
		p.do("reload: no preview open", chromedp.Reload()) // the same address does not draw the page again
		p.waitText("#evidence-table", "sang-kien.pdf")

		// A PDF in a frame, a picture as an image: the bytes the API serves.
		p.click(row(pdfSHA) + " .preview-btn")
		if tag := p.previewShown("#evidence-preview", pdf); tag != "IFRAME" {
			t.Errorf("%s: the PDF evidence previews as %s, want an iframe", size.name, tag)
		}
		p.waitText("#evidence-preview .preview-download", "Tải")
		p.shot("90-preview-evidence-pdf-" + size.name)
		p.click(row(pngSHA) + " .preview-btn")
		if tag := p.previewShown("#evidence-preview", pic); tag != "IMG" {
			t.Errorf("%s: the PNG evidence previews as %s, want an img", size.name, tag)
		}
		if w := eval[int](p, "the picture's width", `Math.round(document.querySelector("#evidence-preview .preview-img").getBoundingClientRect().width)`); w <= 0 || w > size.w {
			t.Errorf("%s: the picture is %d px wide on a %d px screen", size.name, w, size.w)
		}
		p.fitsWidth(size.w)
		p.shot("91-preview-evidence-png-" + size.name)

		// Text and SVG: the line, the download, nothing shown, nothing run.
		for _, sha := range []string{txtSHA, svgSHA} {
			p.click(row(sha) + " .preview-btn")
			p.waitText("#evidence-preview .preview-none", cannotPreview)
			p.waitText("#evidence-preview .preview-download", "Tải")
			if n := eval[int](p, "count previews", `document.querySelectorAll("#evidence-preview .preview-frame, #evidence-preview .preview-img").length`); n != 0 {
				t.Errorf("%s: a file that cannot be previewed is shown in %d frame/img", size.name, n)
			}
		}
		p.shot("92-preview-evidence-svg-" + size.name)
		if ran := eval[bool](p, "did the SVG run", `!!window.__svgRan`); ran {
			t.Errorf("%s: the SVG evidence's script ran in the page", size.name)
		}

		// The evidence of a criterion, in the self-assessment, previews beside it.
		p.click(fmt.Sprintf(`#self-table .preview-btn[data-sha=%q]`, pngSHA))
		p.previewShown("#self-preview", pic)
		p.shot("93-preview-criterion-" + size.name)
	}
	p.do("desktop", chromedp.EmulateViewport(1366, 768))

	// A decision signed but not issued: the panel names the signer, says the bytes are intact.
	s := decidingSession(t, d.URL, "Xét khen thưởng (xem trước)", []string{prop.ID, other}, allYes)
	var full struct {
		Documents []struct {
			ID     string `json:"id"`
			Signer struct {
				ID   string `json:"id"`
				Name string `json:"name"`
			} `json:"signer"`
		} `json:"documents"`
	}
	clerk := apiLogin(t, d.URL, "vanthu")
	clerk.call("GET", "/api/v1/sessions/"+s.ID, nil, &full)
	doc := full.Documents[0]
	docPath := "/api/v1/sessions/" + s.ID + "/documents/" + doc.ID
	apiLogin(t, d.URL, doc.Signer.ID).call("POST", docPath+"/approve", nil, nil)

	p.switchUser("truongban")
	p.goTo("#/sessions/" + s.ID)
	sel := card("LDTT")
	p.click(sel + ` .preview-btn[data-file="signed"]`)
	chair := apiLogin(t, d.URL, "truongban")
	chair.call("GET", "/api/v1/sessions/"+s.ID, nil, &s)
	signed := chair.get(s.doc(t, "LDTT").Links["signed"])
	p.previewShown(sel+" .pdf-wrap", signed)
	p.panelSays(sel+" .verify-panel", doc.Signer.Name, "Nguyên vẹn")
	if v := eval[string](p, "the panel's intact mark", fmt.Sprintf(`[...document.querySelectorAll(%q)].map(e => e.dataset.intact).join(",")`, sel+" .verify-panel [data-intact]")); v == "" || strings.Contains(v, "false") {
		t.Errorf("the signed decision's panel says intact=%q, want every signature intact", v)
	}
	p.shot("94-preview-signed-decision")

	// Issued: the panel gives the register's number, the same as the document's.
	clerk.call("POST", docPath+"/issue", nil, nil)
	p.do("reload", chromedp.Reload())
	p.click(sel + ` .preview-btn[data-file="issued"]`)
	chair.call("GET", "/api/v1/sessions/"+s.ID, nil, &s)
	issued := chair.get(s.doc(t, "LDTT").Links["issued"])
	p.previewShown(sel+" .pdf-wrap", issued)
	p.panelSays(sel+" .verify-panel", "Số 01-QĐ", "Quyết định khen thưởng", doc.Signer.Name)
	p.shot("95-preview-issued-decision")

	// The minutes, issued with the session's documents: previewed with their panel.
	p.goTo("#/sessions/" + s.ID)
	p.click("#minutes-preview")
	minutes := chair.get("/api/v1/sessions/" + s.ID + "/minutes.pdf")
	p.previewShown("#documents-preview", minutes)
	p.panelSays("#documents-preview .verify-panel", "Biên bản họp và kiểm phiếu")
	p.shot("96-preview-minutes")

	// A revocation decision, issued: its preview and panel (number, what it revokes).
	var rv struct {
		ID string `json:"id"`
	}
	apiLogin(t, d.URL, "thuky").call("POST", "/api/v1/revocations", map[string]any{"document_id": doc.ID, "ground": "gian_doi",
		"reason": "Phát hiện kê khai sáng kiến không đúng sự thật", "awardees": []string{prop.ID}}, &rv)
	chair.call("POST", "/api/v1/revocations/"+rv.ID+"/approve", nil, nil)
	clerk.call("POST", "/api/v1/revocations/"+rv.ID+"/issue", nil, nil)
	p.goTo("#/revocations/" + rv.ID)
	p.waitText("#revocation-number", "Số 02-QĐ")
	p.click(`#rv-view-issued`)
	rvIssued := chair.get("/api/v1/revocations/" + rv.ID + "/files/issued")
	p.previewShown("#revocation-preview", rvIssued)
	p.panelSays("#revocation-preview .verify-panel", "Số 02-QĐ", "Quyết định huỷ bỏ", "Số 01-QĐ")
	p.shot("97-preview-revocation")
	p.do("a phone", chromedp.EmulateViewport(390, 844))
	p.waitText("#revocation-preview .preview-download", "Tải")
	p.fitsWidth(390)
	p.shot("98-preview-revocation-phone")
	p.assertNoProblems()
}
