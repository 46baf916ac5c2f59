package templates

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// RenderDecision lays out an award decision: header, title, căn cứ, articles,
// signature and recipients, then the annex list on its own pages.
func RenderDecision(d Decision, opt RenderOptions) (Rendered, error) {
	spec, err := specFor(d.Agency.Profile)
	if err != nil {
		return Rendered{}, err
	}
	if len(d.Awardees) == 0 {
		return Rendered{}, fmt.Errorf("decision has no awardees")
	}
	w, err := newWriter(spec, opt)
	if err != nil {
		return Rendered{}, err
	}
	w.newPage()
	w.drawHeader(d.Agency, d.NumberText, d.Date)
	w.drawTitle("QUYẾT ĐỊNH", spec.subjectFor(d.Subject))

	// Căn cứ and the authority as each profile writes them (conventions.go): NĐ30
	// puts the authority above italic căn cứ ending "."; HD36 has upright "- " lines
	// ending "," and then "<AUTHORITY> QUYẾT ĐỊNH:".
	body := spec.bodySize
	if d.Authority != "" && !spec.party {
		w.y += 3
		w.centredBlock(spec.left, w.textWidth(), bold, body, leadFor(body), d.Authority)
	}
	w.y += 2
	baseStyle, lastMark := italic, "."
	if spec.party {
		baseStyle, lastMark = regular, ","
	}
	for _, b := range spec.basesFor(d.Bases, lastMark) {
		w.drawPara(para{runs: plain(b, baseStyle), size: body,
			align: alignJustify, indent: firstLineIndent, before: paraGap})
	}
	w.drawPara(para{runs: plain(spec.decisionVerb(d.Authority), bold), size: body, align: alignCenter, before: paraGap * 1.5, after: paraGap * 0.5})

	articles := decisionArticles(d)
	for i, a := range articles {
		p := para{runs: a, size: body, align: alignJustify, indent: firstLineIndent, before: paraGap}
		if i == len(articles)-1 {
			// Keep the last article with the signature: a signature alone on a
			// page is not accepted.
			sb := w.signatureBlock(d.Signer, "signer", d.Recipients, false)
			if w.y+w.paraHeight(p)+sb.height+8 > w.bottomY() {
				w.newPage()
			}
		}
		w.drawPara(p)
	}
	w.y += 4
	sb := w.signatureBlock(d.Signer, "signer", d.Recipients, true)
	_ = sb

	// Annex.
	w.restartNumbering()
	w.newPage()
	w.drawAnnex(d)

	meta := docMeta{
		title:    d.Title,
		author:   agencyFullName(d.Agency),
		subject:  d.Subject,
		keywords: d.NumberText,
	}
	if meta.title == "" {
		meta.title = "Quyết định " + bareNumber(d.NumberText) + " " + lowerFirst(spec.subjectFor(d.Subject))
	}
	pages := w.pdf.PageNo()
	out, err := w.finish(meta, opt)
	if err != nil {
		return Rendered{}, err
	}
	slot := sb.slot
	return w.withSlots(Rendered{PDF: out, SignatureRect: slot.Rect, SignaturePage: slot.Page, Signatures: []SignatureSlot{slot}, Pages: pages}), nil
}

// decisionArticles builds Điều 1..n; the last one ends "./.".
func decisionArticles(d Decision) [][]run {
	if len(d.Articles) > 0 {
		texts := make([]string, len(d.Articles))
		for i, t := range d.Articles {
			texts[i] = strings.TrimSpace(t)
		}
		texts[len(texts)-1] = strings.TrimRight(texts[len(texts)-1], ".") + "./."
		return numberArticles(texts)
	}
	award := d.AwardPhrase
	if award == "" {
		award = "danh hiệu “" + d.AwardName + "”"
	}
	if d.Period != "" {
		award += " " + d.Period
	}
	a1 := "Tặng " + award + " cho " + twoDigits(len(d.Awardees)) + " " + d.nomineeWord()
	if d.Movement != "" {
		a1 += " đã có thành tích trong phong trào thi đua “" + d.Movement + "”"
	}
	a1 += " (có danh sách kèm theo)."
	texts := []string{a1}

	if d.BonusCoefficient > 0 && d.BaseSalary > 0 {
		amt := BonusAmount(d.BonusCoefficient, d.BaseSalary, d.BonusRoundUpTo)
		a2 := fmt.Sprintf("Mỗi %s có tên tại Điều 1 được thưởng %s lần mức lương cơ sở (%s đồng), số tiền là %s đồng (bằng chữ: %s).",
			d.nomineeWord(), formatDecimal(d.BonusCoefficient), FormatVND(d.BaseSalary), FormatVND(amt), MoneyWords(amt))
		if d.BonusFundSource != "" {
			a2 += " " + d.BonusFundSource
		}
		texts = append(texts, a2)
	}
	last := "Quyết định này có hiệu lực kể từ ngày ký."
	if d.Executors != "" {
		last += " " + strings.TrimSpace(d.Executors) + " chịu trách nhiệm thi hành Quyết định này"
	}
	last = strings.TrimRight(last, ".") + "./."
	texts = append(texts, last)

	return numberArticles(texts)
}

// numberArticles prints "Điều 1. ", "Điều 2. ", … before each article.
func numberArticles(texts []string) [][]run {
	out := make([][]run, len(texts))
	for i, t := range texts {
		out[i] = []run{{fmt.Sprintf("Điều %d. ", i+1), bold}, {t, regular}}
	}
	return out
}

// terminate gives a căn cứ line its closing punctuation when it has none:
// ";" between lines, "." after the last (NĐ30 form). Existing punctuation wins.
func terminate(s string, last bool) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return s
	}
	r, _ := utf8.DecodeLastRuneInString(s)
	if strings.ContainsRune(";,.:", r) {
		return s
	}
	if last {
		return s + "."
	}
	return s + ";"
}

func agencyFullName(a Agency) string {
	if a.FullName != "" {
		return a.FullName
	}
	n := strings.ReplaceAll(a.Name, "\n", " ")
	if a.ParentName != "" {
		return n + ", " + strings.ReplaceAll(a.ParentName, "\n", " ")
	}
	return n
}

func lowerFirst(s string) string {
	r, size := utf8.DecodeRuneInString(s)
	if r == utf8.RuneError {
		return s
	}
	return strings.ToLower(string(r)) + s[size:]
}

// nomineeWord is what the decision calls its awardees: "cá nhân" or "tập thể".
func (d Decision) nomineeWord() string {
	if d.Collective {
		return "tập thể"
	}
	return "cá nhân"
}
