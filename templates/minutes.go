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
	w.drawTitle("BIÊN BẢN", spec.subjectFor(m.SessionTitle))
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
	listItem := func(t string) {
		// Continuation lines align with the text after "+ ".
		h := firstLineIndent + 5 + w.measure(regular, body, "+ ")
		w.drawPara(para{runs: plain("+ "+t, regular), size: body, align: alignJustify, indent: firstLineIndent + 5, hanging: h})
	}

	// Time and place first, as the biên bản form of NĐ30 Phụ lục III has them
	// ("Thời gian bắt đầu", "Địa điểm", …, "Cuộc họp kết thúc vào …").
	start, end := meetingSpan(m.Opened, m.Closed)
	switch {
	case !start.IsZero():
		item("Thời gian bắt đầu: ", clockWords(start)+", "+dateWords(start)+".")
	case !m.Date.IsZero():
		item("Thời gian: ", dateWords(m.Date)+".")
	}
	if l := strings.TrimSpace(m.Location); l != "" {
		item("Địa điểm: ", strings.TrimRight(l, ".")+".")
	}

	heading("I. THÀNH PHẦN")
	item("- Chủ trì: ", withRole(m.Chair, m.ChairRole)+".")
	item("- Thư ký: ", withRole(m.Secretary, m.SecretaryRole)+".")
	members := ""
	if m.Members > 0 {
		members = "tổng số " + twoDigits(m.Members) + " người; "
	}
	item("- Thành viên Hội đồng: ", members+"có mặt "+twoDigits(len(m.Present))+" người"+colonIf(len(m.Present) > 0))
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
	if strings.TrimSpace(m.Methods) != "" {
		item("Hình thức biểu quyết: ", strings.TrimRight(strings.TrimSpace(m.Methods), ".")+".")
	}
	if b := m.Ballots; b != nil {
		if b.Counted {
			item("Kết quả kiểm phiếu: ", "số phiếu phát ra "+count(b.Issued)+"; số phiếu thu vào "+count(b.Returned)+
				"; số phiếu hợp lệ "+count(b.Valid)+"; số phiếu không hợp lệ "+count(b.Invalid)+".")
		} else {
			item("Phiếu: ", "số phiếu phát ra "+count(b.Issued)+"; số phiếu thu vào "+count(b.Returned)+"; phiếu không được mở, không kiểm phiếu.")
		}
	}
	if len(m.Items) > 0 {
		if len(m.VoteRules) > 0 {
			// Keep the sentence with its first rule.
			w.ensure(paraGap + 3*leadFor(body))
			paragraph(plain("Tỷ lệ đồng ý và mức đạt theo quy chế của Hội đồng:", regular))
			for _, r := range m.VoteRules {
				listItem(r)
			}
		}
		// Column widths (165 mm) keep every header word unbroken at 12 pt and fit
		// "(100,00%)" in the rate column.
		const votes = "Số phiếu"
		cols := []column{
			{title: "STT", width: 11, align: alignCenter},
			{title: "Họ và tên", width: 36, align: alignLeft},
			{title: "Hình thức khen thưởng", width: 26, align: alignLeft},
			{title: award.Yes.LabelVI(), width: 16, align: alignCenter, group: votes},
			{title: award.No.LabelVI(), width: 15, align: alignCenter, group: votes},
			{title: award.Abstain.LabelVI(), width: 15, align: alignCenter, group: votes},
			{title: "Tỷ lệ\nđồng ý", width: 23, align: alignCenter},
			{title: "Kết quả", width: 23, align: alignCenter},
		}
		rows := make([][]string, len(m.Items))
		for i, it := range m.Items {
			result := strings.TrimSpace(it.Result)
			if result == "" {
				result = "Không đạt"
				if it.Passed {
					result = "Đạt"
				}
			}
			rows[i] = []string{strconv.Itoa(i + 1), it.Nominee, it.AwardName,
				strconv.Itoa(it.Yes), strconv.Itoa(it.No), strconv.Itoa(it.Abstain), voteCell(it.Vote), result}
		}
		intro := para{runs: plain("Kết quả cụ thể như sau:", regular), size: body, align: alignJustify, indent: firstLineIndent, before: paraGap}
		// Keep the sentence with the table's header and first row.
		w.ensure(w.paraHeight(intro) + 2 + w.tableStartHeight(cols, rows, 12))
		w.drawPara(intro)
		w.y += 2
		w.drawTable(cols, rows, 12)
	}
	if len(m.Notes) > 0 {
		w.drawPara(para{runs: plain("Ghi chú:", italic), size: body, indent: firstLineIndent, before: 2 * paraGap})
		for _, n := range m.Notes {
			w.drawPara(para{runs: plain("- "+strings.TrimSpace(n), italic), size: body, align: alignJustify, indent: firstLineIndent})
		}
	}

	heading("III. KẾT LUẬN")
	for _, c := range m.Conclusion {
		paragraph(plain(c, regular))
	}
	closing := "Biên bản đã được đọc lại cho các thành viên dự họp cùng nghe và thống nhất./."
	if !end.IsZero() {
		when := clockWords(end) + " cùng ngày"
		if start.IsZero() || !sameDay(start, end) {
			when = clockWords(end) + ", " + dateWords(end)
		}
		closing = "Cuộc họp kết thúc vào " + when + ". " + closing
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
		title = "Biên bản " + bareNumber(m.NumberText) + " " + lowerFirst(spec.subjectFor(m.SessionTitle))
	}
	pages := w.pdf.PageNo()
	out, err := w.finish(docMeta{title: title, author: agencyFullName(m.Agency), subject: m.SessionTitle, keywords: m.NumberText}, opt)
	if err != nil {
		return Rendered{}, err
	}
	return w.withSlots(Rendered{PDF: out, SignatureRect: chair.Rect, SignaturePage: chair.Page, Signatures: []SignatureSlot{chair, sec}, Pages: pages}), nil
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

// voteCell prints a VoteResult in a table cell: the fraction, then the percentage
// ("4/6" / "(66,67%)"); read flat it is VoteResult.Text.
func voteCell(v award.VoteResult) string {
	if v.Text == "" {
		return ""
	}
	return v.Fraction() + "\n(" + v.Percent + ")"
}

// count writes a figure in the minutes' text: two digits as clerks write counts
// ("06"), but "0" for none.
func count(n int) string {
	if n == 0 {
		return "0"
	}
	return twoDigits(n)
}
