package templates

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/awardflow/awardflow/internal/award"
)

// RenderMinutes lays out the biên bản of a council meeting and ballot count:
// header, title, time and place, attendance and quorum, agenda, the tally
// table, conclusions, and the signatures of the secretary (left) and the chair
// (right). The tally shows counts only — never who voted what.
func RenderMinutes(m Minutes, opt RenderOptions) (Rendered, error) {
	spec, err := specFor(m.Agency.Profile)
	if err != nil {
		return Rendered{}, err
	}
	if m.Chair == "" || m.Secretary == "" {
		return Rendered{}, fmt.Errorf("minutes need both a chair and a secretary")
	}
	w, err := newWriter(spec, opt)
	if err != nil {
		return Rendered{}, err
	}
	w.newPage()
	w.drawHeader(m.Agency, m.NumberText, m.Date)
	w.drawTitle("BIÊN BẢN", m.SessionTitle)
	w.y += 2

	body := spec.bodySize
	paragraph := func(runs []run) {
		w.drawPara(para{runs: runs, size: body, align: alignJustify, indent: firstLineIndent, before: paraGap})
	}
	heading := func(t string) {
		p := para{runs: plain(t, bold), size: body, indent: firstLineIndent, before: paraGap}
		// Keep a heading with at least two following lines.
		w.ensure(p.before + 3*leadFor(body))
		w.drawPara(p)
	}
	item := func(label, text string) {
		paragraph([]run{{label, bold}, {text, regular}})
	}

	when := ""
	if !m.Opened.IsZero() {
		when = "Vào lúc " + clockWords(m.Opened) + ", " + dateWords(m.Opened)
	} else if !m.Date.IsZero() {
		when = "Vào " + dateWords(m.Date)
	}
	intro := strings.TrimSpace(when)
	if m.Location != "" {
		if intro != "" {
			intro += ", "
		}
		intro += "tại " + m.Location
	}
	if intro != "" {
		intro += ", "
	}
	if len(m.Items) > 0 {
		intro += councilName(m) + " tiến hành họp, bỏ phiếu kín và kiểm phiếu."
	} else {
		// Nothing was counted (below quorum): the minutes must not claim a count.
		intro += councilName(m) + " tiến hành họp."
	}
	paragraph(plain(capitalize(intro), regular))

	heading("I. THÀNH PHẦN")
	item("- Chủ trì: ", withRole(m.Chair, m.ChairRole)+".")
	item("- Thư ký: ", withRole(m.Secretary, m.SecretaryRole)+".")
	item("- Thành viên có mặt: ", twoDigits(len(m.Present))+" người"+colonIf(len(m.Present) > 0))
	listItem := func(t string) {
		// Continuation lines align with the text after "+ ".
		h := firstLineIndent + 5 + w.measure(regular, body, "+ ")
		w.drawPara(para{runs: plain("+ "+t, regular), size: body, align: alignJustify, indent: firstLineIndent + 5, hanging: h})
	}
	for _, p := range m.Present {
		listItem(p)
	}
	if len(m.Absent) == 0 {
		item("- Vắng mặt: ", "không.")
	} else {
		item("- Vắng mặt: ", twoDigits(len(m.Absent))+" người:")
		for _, a := range m.Absent {
			listItem(a)
		}
	}
	if m.QuorumText != "" {
		paragraph(plain(m.QuorumText, regular))
	}

	heading("II. NỘI DUNG")
	for _, a := range m.Agenda {
		paragraph(plain(a, regular))
	}
	if len(m.Items) > 0 {
		// Column widths keep every header word and "Không đạt" unbroken at 12 pt.
		cols := []column{
			{title: "STT", width: 11, align: alignCenter},
			{title: "Họ và tên", width: 37, align: alignLeft},
			{title: "Hình thức khen thưởng", width: 26, align: alignLeft},
			{title: "Phiếu hợp lệ", width: 15, align: alignCenter},
			{title: award.Yes.LabelVI(), width: 15, align: alignCenter},
			{title: award.No.LabelVI(), width: 15, align: alignCenter},
			{title: award.Abstain.LabelVI(), width: 15, align: alignCenter},
			{title: "Tỷ lệ đồng ý", width: 16, align: alignCenter},
			{title: "Kết quả", width: 15, align: alignCenter},
		}
		rows := make([][]string, len(m.Items))
		for i, it := range m.Items {
			result := "Không đạt"
			if it.Passed {
				result = "Đạt"
			}
			rows[i] = []string{strconv.Itoa(i + 1), it.Nominee, it.AwardName, strconv.Itoa(it.Cast),
				strconv.Itoa(it.Yes), strconv.Itoa(it.No), strconv.Itoa(it.Abstain), it.RateText, result}
		}
		intro := para{runs: plain("Kết quả kiểm phiếu như sau:", regular), size: body, align: alignJustify, indent: firstLineIndent, before: paraGap}
		// Keep the sentence with the table's header and first row.
		w.ensure(w.paraHeight(intro) + 2 + w.tableStartHeight(cols, rows, 12))
		w.drawPara(intro)
		w.y += 2
		w.drawTable(cols, rows, 12)
		var notes []string
		for _, it := range m.Items {
			if strings.TrimSpace(it.Note) != "" {
				notes = append(notes, it.Nominee+": "+strings.TrimSpace(it.Note))
			}
		}
		if len(notes) > 0 {
			w.drawPara(para{runs: plain("Ghi chú:", italic), size: body, indent: firstLineIndent, before: 2 * paraGap})
			for _, n := range notes {
				w.drawPara(para{runs: plain("- "+n, italic), size: body, align: alignJustify, indent: firstLineIndent})
			}
		}
	}

	heading("III. KẾT LUẬN")
	for _, c := range m.Conclusion {
		paragraph(plain(c, regular))
	}
	closing := "Biên bản đã được đọc lại cho các thành viên dự họp cùng nghe và thống nhất./."
	if !m.Closed.IsZero() {
		closing = "Cuộc họp kết thúc vào lúc " + clockWords(m.Closed) + " cùng ngày. " + closing
	}
	closeP := para{runs: plain(closing, regular), size: body, align: alignJustify, indent: firstLineIndent, before: paraGap}

	// Signatures: secretary left, chair right, side by side.
	colW := (w.textWidth() - 10) / 2
	lx, rx := w.spec.left, w.spec.left+w.textWidth()-colW
	secTitles := []string{orDefault(m.SecretarySignTitle, "THƯ KÝ")}
	chairTitles := []string{orDefault(m.ChairSignTitle, "CHỦ TRÌ")}
	hs, _, _ := w.signColumn(lx, colW, secTitles, m.Secretary, false)
	hc, _, _ := w.signColumn(rx, colW, chairTitles, m.Chair, false)
	sigH := max(hs, hc) + 6
	if w.y+w.paraHeight(closeP)+sigH > w.bottomY() {
		w.newPage()
	}
	w.drawPara(closeP)
	w.y += 6
	if w.y+sigH > w.bottomY() {
		w.newPage()
	}
	top := w.y
	_, st, sb := w.signColumn(lx, colW, secTitles, m.Secretary, true)
	secBottom := w.y
	w.y = top
	_, ct, cb := w.signColumn(rx, colW, chairTitles, m.Chair, true)
	w.y = max(w.y, secBottom)
	page := w.pdf.PageNo()
	chair := SignatureSlot{Role: "chair", Name: w.clean(m.Chair), Page: page, Rect: rectPoints(rx+6, ct+1, rx+colW-6, cb-1)}
	sec := SignatureSlot{Role: "secretary", Name: w.clean(m.Secretary), Page: page, Rect: rectPoints(lx+6, st+1, lx+colW-6, sb-1)}

	title := m.Title
	if title == "" {
		title = "Biên bản " + bareNumber(m.NumberText) + " " + lowerFirst(m.SessionTitle)
	}
	pages := w.pdf.PageNo()
	out, err := w.finish(docMeta{title: title, author: agencyFullName(m.Agency), subject: m.SessionTitle, keywords: m.NumberText}, opt)
	if err != nil {
		return Rendered{}, err
	}
	return w.withSlots(Rendered{PDF: out, SignatureRect: chair.Rect, SignaturePage: chair.Page, Signatures: []SignatureSlot{chair, sec}, Pages: pages}), nil
}

func councilName(m Minutes) string {
	return orDefault(m.Council, "Hội đồng Thi đua - Khen thưởng")
}

func withRole(name, role string) string {
	if role == "" {
		return name
	}
	return name + ", " + role
}

func colonIf(b bool) string {
	if b {
		return ":"
	}
	return "."
}

func orDefault(s, def string) string {
	if strings.TrimSpace(s) == "" {
		return def
	}
	return s
}
