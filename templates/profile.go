package templates

import "fmt"

// Sizes are points, lengths millimetres. Values follow NĐ30/2020 Phụ lục I and
// HD36-HD/VPTW (2018); where the rule gives a range the value chosen is noted.
type profileSpec struct {
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
	},
	// HD36: margins 20/20/30/15 mm.
	ProfileHD36: {
		top: 20, bottom: 20, left: 30, right: 15,
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
