package templates

import (
	"fmt"
	"strconv"
	"strings"

	"golang.org/x/text/unicode/norm"

	"github.com/awardflow/awardflow/internal/award"
)

// submissionTableSize is the type size of the proposals table. Neither NĐ30 nor
// HD36 sets a size for tables; 11 pt is what lets nine columns — four of them
// vote counts — sit across a portrait A4 text block without breaking a header
// word ("Không") or a rate ("100,00%") inside its cell.
const submissionTableSize = 11.0

const (
	kindIndividual = "cá nhân"
	kindCollective = "tập thể"
)

// RenderSubmission lays out a tờ trình: header, title "TỜ TRÌNH" and trích yếu,
// the "Kính gửi:" line, căn cứ and introduction, the table of proposals with
// the council's vote on each (its header repeated on every page), the closing
// request, then the signature and "Nơi nhận:".
func RenderSubmission(s Submission, opt RenderOptions) (Rendered, error) {
	spec, err := specFor(s.Agency.Profile)
	if err != nil {
		return Rendered{}, err
	}
	if err := validateSubmission(s); err != nil {
		return Rendered{}, err
	}
	w, err := newWriter(spec, opt)
	if err != nil {
		return Rendered{}, err
	}
	w.newPage()
	w.drawHeader(s.Agency, s.NumberText, s.Date)
	w.drawTitle("TỜ TRÌNH", spec.subjectFor(s.Subject))
	w.drawAddressees(s.Recipient)

	body := spec.bodySize
	paragraph := func(text string) para {
		return para{runs: plain(text, regular), size: body, align: alignJustify, indent: firstLineIndent, before: paraGap}
	}
	// In a tờ trình the căn cứ are part of the running text (upright, like the
	// body): the italic căn cứ block of NĐ30 Phụ lục I belongs to documents
	// that issue rules or decisions.
	// ";" after each căn cứ and "." after the last, since the introduction is a new
	// sentence; HD36 opens each with "- " (conventions.go).
	for _, b := range spec.basesFor(s.Bases, ".") {
		w.drawPara(paragraph(b))
	}
	t := submissionTable(s)
	for i, text := range s.Intro {
		p := paragraph(text)
		if i == len(s.Intro)-1 {
			// The sentence that introduces the table stays with its header
			// and first row.
			w.ensure(w.paraHeight(p) + 2 + w.startHeight(t))
		}
		w.drawPara(p)
	}
	w.y += 2
	w.drawRows(t)

	closing := paragraph(submissionClosing(s))
	role := orDefault(s.SignerRole, "signer")
	sb := w.signatureBlock(s.Signer, role, s.Recipients, false)
	// A signature alone on a page is not accepted: keep the closing request
	// with it.
	if w.y+w.paraHeight(closing)+4+sb.height > w.bottomY() {
		w.newPage()
	}
	w.drawPara(closing)
	w.y += 4
	sb = w.signatureBlock(s.Signer, role, s.Recipients, true)

	title := s.Title
	if title == "" {
		title = "Tờ trình " + bareNumber(s.NumberText) + " " + lowerFirst(spec.subjectFor(s.Subject))
	}
	pages := w.pdf.PageNo()
	out, err := w.finish(docMeta{title: title, author: agencyFullName(s.Agency), subject: s.Subject, keywords: s.NumberText}, opt)
	if err != nil {
		return Rendered{}, err
	}
	slot := sb.slot
	return w.withSlots(Rendered{PDF: out, SignatureRect: slot.Rect, SignaturePage: slot.Page, Signatures: []SignatureSlot{slot}, Pages: pages}), nil
}

func validateSubmission(s Submission) error {
	if len(s.Items) == 0 {
		return fmt.Errorf("tờ trình không có đề nghị nào / submission has no items")
	}
	if strings.TrimSpace(addressees(s.Recipient)[0]) == "" {
		return fmt.Errorf("tờ trình thiếu nơi gửi (Kính gửi) / submission has no recipient")
	}
	for i, it := range s.Items {
		if _, err := itemKind(it.Kind); err != nil {
			return fmt.Errorf("item %d (%s): %w", i+1, it.Nominee, err)
		}
		if it.Yes < 0 || it.No < 0 || it.Abstain < 0 || it.Vote.Text == "" || it.Vote.Yes != it.Yes ||
			it.Vote.BaseCount <= 0 || it.Yes > it.Vote.BaseCount {
			return fmt.Errorf("item %d (%s): vote counts %d/%d/%d do not fit the vote %q",
				i+1, it.Nominee, it.Yes, it.No, it.Abstain, it.Vote.Text)
		}
	}
	return nil
}

// itemKind normalises a SubmissionItem.Kind.
func itemKind(k string) (string, error) {
	n := strings.ToLower(strings.Join(strings.Fields(norm.NFC.String(k)), " "))
	switch n {
	case kindIndividual, kindCollective:
		return n, nil
	}
	return "", fmt.Errorf("loại đối tượng %q không hợp lệ, cần %q hoặc %q / unknown kind", k, kindIndividual, kindCollective)
}

// submissionTable builds the proposals table. Items of one kind are listed as
// given; a mix is split into groups (collectives and individuals, in the order
// their kind first appears) headed by a row across the table, with STT running
// on through the groups.
func submissionTable(s Submission) table {
	var order []string
	byKind := map[string][]SubmissionItem{}
	achievements := false
	for _, it := range s.Items {
		k, _ := itemKind(it.Kind) // validated
		if _, ok := byKind[k]; !ok {
			order = append(order, k)
		}
		byKind[k] = append(byKind[k], it)
		achievements = achievements || strings.TrimSpace(it.Achievements) != ""
	}
	// Name and unit share a column, the unit on its own line, as in the usual
	// "Họ và tên, chức vụ, đơn vị" column of award lists: a separate narrow unit
	// column would wrap every unit over four lines.
	nameTitle := "Tên cá nhân, tập thể;\nđơn vị"
	if len(order) == 1 {
		nameTitle = map[string]string{kindIndividual: "Họ và tên, đơn vị", kindCollective: "Tên tập thể, đơn vị"}[order[0]]
	}
	// Widths (mm, 165 in all): each vote column fits "Không" in bold and the
	// rate column "(100,00%)"; the text columns share the rest. The rate is the
	// award.VoteResult the minutes print too ("4/6" over "(66,67%)").
	const vote = "Kết quả bỏ phiếu"
	cols := []column{
		{title: "STT", width: 10, align: alignCenter},
		{title: nameTitle, width: 40, align: alignLeft},
		{title: "Hình thức đề nghị", width: 22, align: alignLeft},
		{title: "Tóm tắt thành tích", width: 30.8, align: alignLeft},
		{title: award.Yes.LabelVI(), width: 14.2, align: alignCenter, group: vote},
		{title: award.No.LabelVI(), width: 14.2, align: alignCenter, group: vote},
		{title: award.Abstain.LabelVI(), width: 14.2, align: alignCenter, group: vote},
		{title: "Tỷ lệ đồng ý", width: 19.6, align: alignCenter, group: vote},
	}
	if !achievements {
		// Give the freed width to the name and award columns.
		cols[1].width += 16
		cols[2].width += cols[3].width - 16
		cols = append(cols[:3], cols[4:]...)
	}
	var rows []tableRow
	n := 0
	for g, k := range order {
		if len(order) > 1 {
			rows = append(rows, tableRow{span: romanNumeral(g+1) + ". " + strings.ToUpper(k)})
		}
		for _, it := range byKind[k] {
			n++
			name := it.Nominee
			if u := strings.TrimSpace(it.Unit); u != "" {
				name += "\n" + u
			}
			cells := []string{strconv.Itoa(n), name, it.AwardName}
			if achievements {
				cells = append(cells, it.Achievements)
			}
			cells = append(cells, strconv.Itoa(it.Yes), strconv.Itoa(it.No), strconv.Itoa(it.Abstain), voteCell(it.Vote))
			rows = append(rows, tableRow{cells: cells})
		}
	}
	return table{cols: cols, rows: rows, size: submissionTableSize}
}

func romanNumeral(n int) string {
	vals := []int{1000, 900, 500, 400, 100, 90, 50, 40, 10, 9, 5, 4, 1}
	syms := []string{"M", "CM", "D", "CD", "C", "XC", "L", "XL", "X", "IX", "V", "IV", "I"}
	var b strings.Builder
	for i, v := range vals {
		for n >= v {
			b.WriteString(syms[i])
			n -= v
		}
	}
	return b.String()
}

// submissionClosing is the request after the table; like the last article of
// a decision it ends the body with "./." (NĐ30 Phụ lục I and HD36 both close
// the content of a document this way).
func submissionClosing(s Submission) string {
	c := strings.TrimSpace(s.Closing)
	if c == "" {
		c = agencyFullName(s.Agency) + " kính trình " + strings.Join(addressees(s.Recipient), ", ") + " xem xét, quyết định"
	}
	if strings.HasSuffix(c, "./.") {
		return c
	}
	return strings.TrimRight(c, ".") + "./."
}

// addressees splits Recipient into its lines, without a leading "Kính gửi:"
// label and without list dashes or final punctuation. It always returns at
// least one (possibly empty) element.
func addressees(recipient string) []string {
	r := strings.TrimSpace(norm.NFC.String(recipient))
	const label = "kính gửi"
	if len(r) >= len(label) && strings.EqualFold(r[:len(label)], label) {
		r = strings.TrimLeft(r[len(label):], " \t:")
	}
	var out []string
	for _, l := range strings.Split(r, "\n") {
		l = strings.TrimSpace(l)
		l = strings.TrimSpace(strings.TrimPrefix(l, "-"))
		l = strings.TrimRight(l, ";,.")
		if l != "" {
			out = append(out, l)
		}
	}
	if len(out) == 0 {
		return []string{""}
	}
	return out
}

// drawAddressees prints the "Kính gửi:" line under the trích yếu, centred,
// upright, 14 pt. NĐ30/2020 Phụ lục I, Phần I, mục II.9.a (and HD36 alike): one
// addressee goes on the label's line; several go one per line below it, each
// opening with "-" aligned under the label's colon, ";" after each and "." after
// the last.
func (w *writer) drawAddressees(recipient string) {
	sp := w.spec
	size := sp.bodySize
	lead := leadFor(size)
	tw := w.textWidth()
	names := addressees(recipient)
	w.y += 4
	if len(names) == 1 {
		inset := tw * 0.05
		w.centredBlock(sp.left+inset, tw-2*inset, regular, size, lead, "Kính gửi: "+names[0])
		w.y += 2
		return
	}
	items := make([]string, len(names))
	colon := w.measure(regular, size, "Kính gửi")
	widest := w.measure(regular, size, "Kính gửi:")
	for i, n := range names {
		end := ";"
		if i == len(names)-1 {
			end = "."
		}
		items[i] = "- " + n + end
		widest = max(widest, colon+w.measure(regular, size, w.clean(items[i])))
	}
	widest = min(widest, tw)
	x := sp.left + (tw-widest)/2
	w.drawPara(para{runs: plain("Kính gửi:", regular), size: size, x: x, w: widest, lead: lead})
	dash := w.measure(regular, size, "- ")
	for _, it := range items {
		w.drawPara(para{runs: plain(it, regular), size: size, x: x + colon, w: widest - colon, hanging: dash, lead: lead})
	}
	w.y += 2
}
