package templates

import "fmt"

// Sizes are points, lengths millimetres. Values follow NĐ30/2020 Phụ lục I and
// HD36-HD/VPTW (2018); where the rule gives a range the value chosen is noted.
//
// Sources. Nghị định 30/2020/NĐ-CP, Phụ lục I "Thể thức, kỹ thuật trình bày văn
// bản hành chính", Phần I (a copy read at scribd.com/document/652855730/Phuluc1
// for mục I and II.1): I.1–3 A4 portrait, margins top/bottom 20–25, left 30–35,
// right 15–20 mm; I.4 Times New Roman (here the metric-compatible Liberation
// Serif); I.7 page numbers 13–14 pt, upright, centred in the top margin, the
// first page's number not shown; II.1 Quốc hiệu 12–13 pt bold caps, Tiêu ngữ
// 13–14 pt bold with a rule as long as it; II.2 agency lines 12–13 pt, the
// issuing body bold, a rule 1/3–1/2 of the line under it; II.3 number 13 pt;
// II.4 place/date 13–14 pt italic, centred under the Quốc hiệu; II.5 document
// type and trích yếu 13–14 pt bold, a rule 1/3–1/2 of the line under it; II.6
// body 13–14 pt, first-line indent 1–1.27 cm, paragraphs ≥ 6 pt apart, line
// spacing single to 1.5; II.7 authority/title and name 13–14 pt bold; II.9
// "Kính gửi" 14 pt, "Nơi nhận:" 12 pt bold italic, items 11 pt; III.1 an annex
// in the same file is paginated on its own, its name in bold capitals.
// Section numbers other than I and II.1 are quoted from memory of the decree
// [verify against the official text].
type profileSpec struct {
	// party: a Party body's document (HD36), whose wording conventions differ from a
	// state body's (conventions.go).
	party bool

	top, bottom, left, right float64 // page margins

	leftColW float64 // header: width of the left (agency) column; the right column takes the rest

	national     []headerLine // right header lines
	nationalRule bool         // a rule as long as the last national line, below it

	parentSize, nameSize float64 // agency lines (parent regular, issuing body bold)
	agencyStar           bool    // HD36: "*" under the agency name; NĐ30: a short rule
	numberSize, dateSize float64

	titleSize, subjectSize float64
	subjectDashes          bool // HD36: "-----" under the trích yếu; NĐ30: a rule 1/3 of the text width

	bodySize float64
	signSize float64

	recvLabelStyle     style
	recvLabelSize      float64
	recvLabelUnderline bool
	recvItemSize       float64

	pageNoSize float64
	tableSize  float64

	// annexCaps prints the annex heading (the line under "DANH SÁCH") in
	// capitals: NĐ30 sets the name of a phụ lục in bold capitals.
	annexCaps bool
}

type headerLine struct {
	text string
	size float64
	st   style
}

var profiles = map[Profile]*profileSpec{
	// NĐ30: margins top 20–25, bottom 20–25, left 30–35, right 15–20 mm → 20/20/30/15.
	ProfileND30: {
		top: 20, bottom: 20, left: 30, right: 15,
		leftColW: 68,
		national: []headerLine{
			{"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 13, bold}, // 12–13
			{"Độc lập - Tự do - Hạnh phúc", 14, bold},        // 13–14
		},
		nationalRule: true,
		parentSize:   13, nameSize: 13, // 12–13
		numberSize: 13, dateSize: 14,
		titleSize: 14, subjectSize: 14, // 13–14
		bodySize:       14, // 13–14
		signSize:       14, // 13–14
		recvLabelStyle: boldItalic, recvLabelSize: 12,
		recvItemSize: 11,
		pageNoSize:   14, // 13–14
		tableSize:    13,
		// NĐ30/2020 Phụ lục I, Phần I, mục III.1 (phụ lục): the annex's name is
		// centred, bold, upright capitals, 13–14 pt; an annex in the same file
		// as the document is paginated on its own.
		annexCaps: true,
	},
	// HD36: margins 20/20/30/15 mm.
	ProfileHD36: {
		party: true,
		top:   20, bottom: 20, left: 30, right: 15,
		leftColW: 72,
		national: []headerLine{
			{"ĐẢNG CỘNG SẢN VIỆT NAM", 15, bold},
		},
		nationalRule: true,
		parentSize:   14, nameSize: 14,
		agencyStar: true,
		numberSize: 14, dateSize: 14,
		titleSize: 16, subjectSize: 14, // title 15–16, trích yếu 14–15
		subjectDashes: true,
		bodySize:      14,
		signSize:      14,
		// HD36 writes "Nơi nhận:" in normal case, upright, underlined, size 14; items 12
		// [practice].
		recvLabelStyle: regular, recvLabelSize: 14, recvLabelUnderline: true,
		recvItemSize: 12,
		pageNoSize:   14,
		tableSize:    13,
	},
}

func specFor(p Profile) (*profileSpec, error) {
	s, ok := profiles[p]
	if !ok {
		return nil, fmt.Errorf("unknown document profile %q (want %q or %q)", p, ProfileND30, ProfileHD36)
	}
	return s, nil
}
