package templates

import (
	"fmt"
	"time"

	"github.com/awardflow/awardflow/internal/award"
)

// Fixtures modelled on the seed agency (Ban Tuyên giáo Tỉnh uỷ Đồng Tháp, HD36)
// and on a provincial People's Committee for NĐ30.

var fixedCreation = time.Date(2026, 2, 5, 9, 30, 0, 0, vietnamTime)

var agencies = map[Profile]Agency{
	ProfileHD36: {
		Profile: ProfileHD36, ParentName: "TỈNH UỶ ĐỒNG THÁP", Name: "BAN TUYÊN GIÁO",
		Code: "BTGTU", Place: "Đồng Tháp", FullName: "Ban Tuyên giáo Tỉnh uỷ Đồng Tháp",
	},
	ProfileND30: {
		Profile: ProfileND30, ParentName: "UBND TỈNH ĐỒNG THÁP", Name: "SỞ VĂN HOÁ, THỂ THAO\nVÀ DU LỊCH",
		Code: "SVHTTDL", Place: "Đồng Tháp", FullName: "Sở Văn hoá, Thể thao và Du lịch tỉnh Đồng Tháp",
	},
}

var numbers = map[Profile]string{
	ProfileHD36: "Số 05-QĐ/BTGTU",
	ProfileND30: "Số: 05/QĐ-SVHTTDL",
}

var (
	familyNames = []string{"Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương"}
	middleNames = []string{"Thị", "Văn", "Ngọc", "Hữu", "Thanh", "Minh", "Quốc", "Thuỳ"}
	givenNames  = []string{"Ánh", "Bảo", "Cường", "Diễm", "Đào", "Giang", "Hằng", "Khải", "Lộc", "Mỹ", "Nguyệt", "Phước", "Quyên", "Sơn", "Thư", "Ưng", "Vỹ", "Xuân", "Yến", "Ẩn"}
	positions   = []string{"Chuyên viên", "Phó Trưởng phòng", "Trưởng phòng", "Nhân viên hợp đồng", "Chuyên viên chính"}
	units       = []string{"Phòng Tuyên truyền, Báo chí - Xuất bản", "Văn phòng Ban", "Phòng Lý luận chính trị và Lịch sử Đảng", "Phòng Khoa giáo - Văn hoá, Văn nghệ", "Phòng Dân vận"}
)

func sampleAwardees(n int) []Awardee {
	out := make([]Awardee, n)
	for i := range out {
		out[i] = Awardee{
			Name:     fmt.Sprintf("%s %s %s", familyNames[i%len(familyNames)], middleNames[(i/3)%len(middleNames)], givenNames[(i*7)%len(givenNames)]),
			Position: positions[i%len(positions)],
			Unit:     units[(i/2)%len(units)],
		}
	}
	if n > 0 {
		out[0] = Awardee{Name: "Nguyễn Thị Hồng Nhung", Position: "Phó Trưởng phòng", Unit: "Phòng Tuyên truyền, Báo chí - Xuất bản"}
	}
	return out
}

func sampleDecision(p Profile, n int) Decision {
	d := Decision{
		Agency:     agencies[p],
		NumberText: numbers[p],
		Date:       time.Date(2026, 2, 5, 0, 0, 0, 0, vietnamTime),
		Subject:    "Về việc tặng danh hiệu Lao động tiên tiến năm 2025",
		AwardName:  "Lao động tiên tiến",
		Period:     "năm 2025",
		Movement:   "Xây dựng văn hoá và con người Đồng Tháp nghĩa tình, năng động, sáng tạo",

		BonusCoefficient: 0.3,
		BaseSalary:       2340000,
		BonusRoundUpTo:   10000,
		BonusFundSource:  "Kinh phí khen thưởng được chi từ Quỹ thi đua, khen thưởng của cơ quan.",
		Awardees:         sampleAwardees(n),
	}
	switch p {
	case ProfileHD36:
		d.Authority = "BAN TUYÊN GIÁO TỈNH UỶ"
		d.Bases = []string{
			"- Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022",
			"- Căn cứ Quy chế làm việc của Ban Tuyên giáo Tỉnh uỷ",
			"- Xét đề nghị của Hội đồng Thi đua - Khen thưởng Cơ quan,",
		}
		d.Executors = "Văn phòng Ban, các phòng thuộc Ban và các đồng chí có tên tại Điều 1"
		d.Recipients = []string{"Như Điều 3,", "Lưu Văn phòng Ban."}
		d.Signer = Signer{Prefix: "K/T", Body: "TRƯỞNG BAN", Title: "PHÓ TRƯỞNG BAN", Name: "Lê Thị Thuỳ Dương"}
	case ProfileND30:
		d.Authority = "GIÁM ĐỐC SỞ VĂN HOÁ, THỂ THAO VÀ DU LỊCH"
		d.Bases = []string{
			"Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;",
			"Căn cứ Nghị định số 152/2025/NĐ-CP của Chính phủ quy định chi tiết một số điều của Luật Thi đua, khen thưởng;",
			"Theo đề nghị của Chánh Văn phòng Sở",
		}
		d.Executors = "Chánh Văn phòng, Trưởng các phòng, đơn vị thuộc Sở và các cá nhân có tên tại Điều 1"
		d.Recipients = []string{"Như Điều 3;", "Ban Thi đua - Khen thưởng tỉnh;", "Lưu: VT, VP."}
		d.Signer = Signer{Prefix: "KT.", Body: "GIÁM ĐỐC", Title: "PHÓ GIÁM ĐỐC", Name: "Trần Quốc Khải"}
	}
	return d
}

func sampleMinutes(p Profile, items int) Minutes {
	m := Minutes{
		Agency:        agencies[p],
		Date:          time.Date(2026, 1, 15, 0, 0, 0, 0, vietnamTime),
		SessionTitle:  "Họp Hội đồng Thi đua - Khen thưởng xét tặng danh hiệu thi đua năm 2025",
		Opened:        time.Date(2026, 1, 15, 8, 0, 0, 0, vietnamTime),
		Closed:        time.Date(2026, 1, 15, 10, 30, 0, 0, vietnamTime),
		Location:      "Phòng họp Cơ quan",
		Chair:         "Trần Văn Ưng",
		ChairRole:     "Trưởng Ban, Chủ tịch Hội đồng",
		Secretary:     "Võ Thị Ngọc Hân",
		SecretaryRole: "Chánh Văn phòng, Thư ký Hội đồng",
		Present: []string{
			"Đồng chí Trần Văn Ưng - Trưởng Ban, Chủ tịch Hội đồng",
			"Đồng chí Lê Thị Thuỳ Dương - Phó Trưởng Ban, Phó Chủ tịch Hội đồng",
			"Đồng chí Võ Thị Ngọc Hân - Chánh Văn phòng, Thư ký Hội đồng",
			"Đồng chí Huỳnh Quốc Sơn - Trưởng phòng, Uỷ viên",
			"Đồng chí Đặng Minh Khải - Trưởng phòng, Uỷ viên",
			"Đồng chí Phạm Thị Mỹ Lộc - Chủ tịch Công đoàn, Uỷ viên",
		},
		Absent:     []string{"Đồng chí Bùi Thanh Phước - Uỷ viên (đi công tác, có báo cáo)"},
		QuorumText: "Có mặt 06/07 thành viên Hội đồng (đạt 85,71%), đủ điều kiện tiến hành họp theo Quy chế hoạt động của Hội đồng.",
		Agenda: []string{
			"Thư ký Hội đồng báo cáo kết quả bình xét của các phòng và danh sách đề nghị khen thưởng; các thành viên thảo luận, cho ý kiến đối với từng trường hợp.",
			"Hội đồng tiến hành bỏ phiếu kín. Ban kiểm phiếu gồm: đồng chí Huỳnh Quốc Sơn (Trưởng ban), đồng chí Đặng Minh Khải (thành viên).",
		},
		Conclusion: []string{
			"Căn cứ kết quả kiểm phiếu, Hội đồng thống nhất đề nghị Trưởng Ban xem xét, quyết định tặng danh hiệu cho các cá nhân đạt tỷ lệ phiếu đồng ý theo quy định.",
		},
	}
	switch p {
	case ProfileHD36:
		m.NumberText = "Số 01-BB/BTGTU"
	case ProfileND30:
		m.NumberText = "Số: 01/BB-SVHTTDL"
	}
	aw := sampleAwardees(items)
	// Six of seven members voted; LĐTT passes above half of all members, CSTĐCS from
	// 70 % of them (award.VoteRule does the arithmetic).
	ldtt := award.VoteRule{Pass: award.Ratio{Num: 1, Den: 2}, Base: award.BaseMembers, Strict: true}
	cst := award.VoteRule{Pass: award.Ratio{Num: 70, Den: 100}, Base: award.BaseMembers}
	m.Members = 7
	m.Ballots = &award.Ballots{Issued: 6, Returned: 6, Valid: 6, Counted: true}
	m.Methods = "biểu quyết giơ tay đối với hình thức “Lao động tiên tiến”; bỏ phiếu kín đối với hình thức “Chiến sĩ thi đua cơ sở”"
	m.VoteRules = []string{
		"Hình thức “Lao động tiên tiến”: tỷ lệ đồng ý tính trên tổng số thành viên Hội đồng (07 người), đạt khi trên 50%.",
		"Hình thức “Chiến sĩ thi đua cơ sở”: tỷ lệ đồng ý tính trên tổng số thành viên Hội đồng (07 người), đạt khi từ 70% trở lên.",
	}
	for i, a := range aw {
		yes := 6 - i%3
		it := MinutesItem{Nominee: a.Name, AwardName: "Lao động tiên tiến", Yes: yes, No: 6 - yes, Abstain: 0}
		rule := ldtt
		if i%4 == 3 {
			it.AwardName = "Chiến sĩ thi đua cơ sở"
			rule = cst
			it.No, it.Abstain = 6-yes-1, 1
			if it.No < 0 {
				it.No, it.Abstain = 0, 6-yes
			}
		}
		it.Vote = rule.Vote(7, 6, 6, yes)
		it.Passed = it.Vote.Passed
		m.Items = append(m.Items, it)
	}
	if items > 1 {
		m.Notes = []string{"Trần Thị Khải có sáng kiến được công nhận cấp cơ sở năm 2025."}
	}
	return m
}

// rate formats yes/total as a percentage with two decimals and a decimal comma.
func rate(yes, total int) string {
	bp := (yes*10000*2 + total) / (2 * total) // basis points, rounded half up
	return fmt.Sprintf("%d,%02d%%", bp/100, bp%100)
}

// uniqueAwardees is like sampleAwardees but every name is distinct: the name
// parts are indexed mixed-radix (12 × 8 family/middle pairs, then the given
// name stepped by 13, coprime with 20), which gives 1920 distinct names. Tests
// that look for each name exactly once need this.
func uniqueAwardees(n int) []Awardee {
	if n > len(familyNames)*len(middleNames)*len(givenNames) {
		panic("uniqueAwardees: not enough distinct names")
	}
	out := make([]Awardee, n)
	pairs := len(familyNames) * len(middleNames)
	for i := range out {
		k, r := i/pairs, i%pairs
		out[i] = Awardee{
			Name:     fmt.Sprintf("%s %s %s", familyNames[r%len(familyNames)], middleNames[r/len(familyNames)], givenNames[(13*k+7*r)%len(givenNames)]),
			Position: positions[i%len(positions)],
			Unit:     units[(i/2)%len(units)],
		}
	}
	return out
}

var submissionNumbers = map[Profile]string{
	ProfileHD36: "Số 03-TTr/BTGTU",
	ProfileND30: "Số: 03/TTr-SVHTTDL",
}

// sampleSubmission proposes n awards. Item 0 and every tenth item are
// collectives (Tập thể lao động xuất sắc); the rest are individuals, so n ≥ 2
// mixes both kinds and the table prints two groups.
func sampleSubmission(p Profile, n int) Submission {
	s := Submission{
		Agency:     agencies[p],
		NumberText: submissionNumbers[p],
		Date:       time.Date(2026, 2, 5, 0, 0, 0, 0, vietnamTime),
		Recipient:  "Hội đồng Thi đua - Khen thưởng Tỉnh",
		Subject:    "Về việc đề nghị tặng danh hiệu Tập thể lao động xuất sắc năm 2025",
		Intro: []string{
			"Thực hiện phong trào thi đua “Xây dựng văn hoá và con người Đồng Tháp nghĩa tình, năng động, sáng tạo” năm 2025, ngày 15 tháng 01 năm 2026 Hội đồng Thi đua - Khen thưởng Cơ quan đã họp, bỏ phiếu kín và thống nhất đề nghị khen thưởng các tập thể, cá nhân sau:",
		},
	}
	people := uniqueAwardees(n)
	for i := range n {
		yes := 7 - i%3
		it := SubmissionItem{Yes: yes, No: (7 - yes) / 2}
		it.Abstain = 7 - yes - it.No
		if i == 5 {
			it.Abstain-- // one member absent
		}
		it.Vote = award.VoteRule{Pass: award.Ratio{Num: 1, Den: 2}, Base: award.BaseMembers, Strict: true}.Vote(7, 7, it.Yes+it.No+it.Abstain, yes)
		if i%10 == 0 {
			it.Kind = "Tập thể"
			it.Nominee = fmt.Sprintf("Tổ công tác số %02d", i/10+1)
			it.Unit = units[(i/10)%len(units)]
			it.AwardName = "Tập thể lao động xuất sắc năm 2025"
			it.Achievements = "100% thành viên hoàn thành tốt nhiệm vụ; 02 sáng kiến được công nhận cấp cơ sở."
		} else {
			it.Kind = "cá nhân"
			it.Nominee = people[i].Name
			it.Unit = people[i].Unit
			it.AwardName = "Chiến sĩ thi đua cấp tỉnh"
			if i%3 == 1 {
				it.Achievements = "Chủ trì sáng kiến được công nhận cấp tỉnh năm 2025."
			}
		}
		s.Items = append(s.Items, it)
	}
	switch p {
	case ProfileHD36:
		s.Bases = []string{
			"Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022",
			"Căn cứ Quy chế làm việc của Ban Tuyên giáo Tỉnh uỷ",
		}
		s.Recipients = []string{"Như trên,", "Lưu Văn phòng Ban."}
		s.Signer = Signer{Title: "TRƯỞNG BAN", Name: "Trần Văn Ưng"}
	case ProfileND30:
		s.Bases = []string{
			"Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;",
			"Căn cứ Nghị định số 152/2025/NĐ-CP của Chính phủ quy định chi tiết một số điều của Luật Thi đua, khen thưởng",
		}
		s.Recipients = []string{"Như trên;", "Ban Thi đua - Khen thưởng tỉnh;", "Lưu: VT, VP."}
		s.Signer = Signer{Prefix: "KT.", Body: "GIÁM ĐỐC", Title: "PHÓ GIÁM ĐỐC", Name: "Trần Quốc Khải"}
	}
	return s
}
