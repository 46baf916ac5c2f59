package activities

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/awardflow/awardflow/internal/award"
	"github.com/awardflow/awardflow/internal/orgconfig"
	"github.com/awardflow/awardflow/internal/testenv"
	"github.com/awardflow/awardflow/templates"
	"github.com/awardflow/awardflow/workflows"
)

// orgWithProfile is the demo organisation under one document profile.
func orgWithProfile(t testing.TB, p award.Profile) *orgconfig.Org {
	t.Helper()
	org, err := orgconfig.Demo()
	if err != nil {
		t.Fatal(err)
	}
	org.Agency.Profile = p
	if p == award.ProfileND30 {
		org.Agency.Decision.Recipients = []string{"Như Điều 3", "Ban Thi đua - Khen thưởng tỉnh", "Lưu: VT, VP"}
	}
	return org
}

// rawText is pdftotext -raw (content order: a table row reads left to right, a wrapped
// cell stays in one piece) with white space made single spaces.
func rawText(t *testing.T, pdf []byte) string {
	t.Helper()
	pdftotext := testenv.RequireTool(t, "pdftotext", "poppler-utils")
	f := filepath.Join(t.TempDir(), "doc.pdf")
	if err := writeFile(f, pdf); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(pdftotext, "-raw", f, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	// Page numbers sit in the top margin and read into the text: drop lone numbers at
	// line starts that are page numbers ("2", "3"…) only where a line holds nothing else.
	var lines []string
	for _, l := range strings.Split(string(out), "\n") {
		if regexp.MustCompile(`^\s*\d{1,2}\s*$`).MatchString(l) {
			continue
		}
		lines = append(lines, l)
	}
	return strings.Join(strings.Fields(strings.Join(lines, "\n")), " ")
}

// randomSession is a closed, judged session of the demo council with arbitrary rules
// (base, pass mark, strictness, secrecy per award type), attendance, invalid ballots and
// counts. Every award type is quorate so that every proposal is counted.
func randomSession(org *orgconfig.Org, rng *rand.Rand) award.Session {
	s := award.Session{ID: "session-prop", Title: "Họp Hội đồng Thi đua - Khen thưởng xét khen thưởng năm 2025",
		Location: "Phòng họp số 2", Status: award.SessionClosed, Members: org.Council(), Rules: map[string]award.VoteRule{},
		OpenedAt: time.Date(2026, 2, 5, 1, 0, 17, 0, time.UTC)}
	s.ClosedAt = s.OpenedAt.Add(time.Duration(rng.IntN(7200)) * time.Second)
	bases := award.PassBases
	for _, t := range org.AwardTypes {
		den := []int{2, 3, 4, 100, 7}[rng.IntN(5)]
		r := t.Vote
		r.Quorum = award.Ratio{Num: 1, Den: 2}
		r.Pass = award.Ratio{Num: 1 + rng.IntN(den), Den: den}
		r.Base = bases[rng.IntN(len(bases))]
		r.Strict = rng.IntN(2) == 0
		r.Secret = rng.IntN(2) == 0
		s.Rules[t.Code] = r
	}
	names := []string{"Nguyễn Thị Hồng Đào", "Lê Quốc Cường", "Đặng Văn Sơn", "Trương Thị Kim Ngân", "Tổ Báo chí - Xuất bản", "Tổ công tác số 1"}
	types := []string{"LDTT", "LDTT", "CSTDCS", "GK", "TTLDXS", "TTLDTT"}
	depts := []string{"tt", "tt", "llct", "vp", "tt", "vp"}
	for i, n := range names {
		kind := award.KindIndividual
		if i >= 4 {
			kind = award.KindCollective
		}
		s.Agenda = append(s.Agenda, award.AgendaItem{ProposalID: fmt.Sprintf("proposal-p%d", i), NomineeName: n, AwardType: types[i],
			Kind: kind, Department: depts[i], Position: "Chuyên viên", MovementID: "vanhoa-2025"})
	}
	voters := s.Voters()
	rng.Shuffle(len(voters), func(i, j int) { voters[i], voters[j] = voters[j], voters[i] })
	for _, m := range voters[:len(voters)/2+1+rng.IntN(len(voters)-len(voters)/2)] {
		s.Voted = append(s.Voted, m.ID)
	}
	invalid := rng.IntN(2)
	valid := len(s.Voted) - invalid
	counts := map[string]award.Count{}
	for _, it := range s.Agenda {
		y := rng.IntN(valid + 1)
		n := rng.IntN(valid - y + 1)
		counts[it.ProposalID] = award.Count{Yes: y, No: n, Abstain: valid - y - n}
	}
	if rng.IntN(2) == 0 { // counted since quotas count the year: a register, ties
		s.QuotaRegister = &award.QuotaRegister{Available: rng.IntN(4) > 0, Year: 2025,
			Counts: []award.YearCount{{AwardType: "LDTT", Year: 2025, Count: rng.IntN(20)}, {AwardType: "CSTDCS", Year: 2025, Count: rng.IntN(2)}}}
	}
	s.Judge(counts, invalid)
	if need := s.CastingNeeded(); len(need) > 0 {
		marks := map[string]award.Choice{}
		for _, id := range need {
			marks[id] = award.Choices[rng.IntN(3)]
		}
		s.SetCasting(marks)
	}
	return s
}

var rowRE = regexp.MustCompile(`(\d+) (\d+) (\d+) (\d+)/(\d+) \((\d+,\d\d%)\) (Đạt|Không đạt|Vượt chỉ tiêu|Bỏ phiếu lại)`)

// TestMinutesFiguresAndVoteText is the property of items 8 and 9 over arbitrary rules,
// attendance and counts, in both profiles: the minutes name every member present or
// absent (present + absent = members), give the ballot figures (yes + no + abstain =
// valid ballots on every row), print each proposal's vote with its base and one
// precision, with a verdict that follows from what is printed, name the voting method
// of each award type as configured — and the tờ trình upward and the council's tờ
// trình print the same vote text as the minutes.
func TestMinutesFiguresAndVoteText(t *testing.T) {
	for _, profile := range []award.Profile{award.ProfileND30, award.ProfileHD36} {
		org := orgWithProfile(t, profile)
		rng := rand.New(rand.NewPCG(9, uint64(len(profile))))
		for iter := range 10 {
			s := randomSession(org, rng)
			m := MinutesDocument(org, workflows.MinutesRequest{Session: s, Number: 3, Date: s.ClosedAt})
			r, err := templates.RenderMinutes(m, templates.RenderOptions{CreationDate: s.ClosedAt})
			if err != nil {
				t.Fatal(err)
			}
			txt := rawText(t, r.PDF)
			fail := func(format string, args ...any) {
				t.Helper()
				t.Fatalf("%s #%d: "+format+"\n%s", append(append([]any{profile, iter}, args...), txt)...)
			}
			voters := s.Voters()
			present, absent := s.Attendance()
			name := func(c string) string { at, _ := org.AwardType(c); return at.Name }
			mm := regexp.MustCompile(`Thành viên Hội đồng: tổng số (\d+) người; có mặt (\d+) người`).FindStringSubmatch(txt)
			if mm == nil {
				fail("no attendance line")
			}
			total, pres := atoi(mm[1]), atoi(mm[2])
			abs := 0
			if am := regexp.MustCompile(`Vắng mặt: (\d+) người:`).FindStringSubmatch(txt); am != nil {
				abs = atoi(am[1])
			} else if !strings.Contains(txt, "Vắng mặt: không.") {
				fail("no absence line")
			}
			if total != len(voters) || pres != len(present) || abs != len(absent) || pres+abs != total {
				fail("attendance %d = %d present + %d absent", total, pres, abs)
			}
			for _, mem := range append(present, absent...) {
				if !strings.Contains(txt, "+ "+mem.Name) {
					fail("member %q not named", mem.Name)
				}
			}
			b := s.Ballots()
			if !strings.Contains(txt, fmt.Sprintf("Kết quả kiểm phiếu: số phiếu phát ra %s; số phiếu thu vào %s; số phiếu hợp lệ %s; số phiếu không hợp lệ %s.",
				fig(b.Issued), fig(b.Returned), fig(b.Valid), fig(b.Invalid))) {
				fail("ballot figures %+v not printed", b)
			}
			for _, code := range s.AwardTypes() {
				rule := s.Rules[code]
				at, _ := org.AwardType(code)
				if !strings.Contains(txt, rule.VotingMethod()+" đối với hình thức “") || !strings.Contains(txt, "“"+at.Name+"”") {
					fail("method of %s not printed", code)
				}
			}
			if !strings.Contains(txt, "Hình thức biểu quyết: "+s.MethodsText(s.AwardTypes(), name)+".") {
				fail("methods line is not %q", s.MethodsText(s.AwardTypes(), name))
			}
			if regexp.MustCompile(`\d,\d%|\d,\d{3,}%`).MatchString(txt) {
				fail("a percentage with another precision")
			}
			for _, it := range s.Agenda {
				res := s.Results[it.ProposalID]
				table := strings.Index(txt, "Kết quả cụ thể như sau:")
				k := strings.Index(txt[max(table, 0):], " "+it.NomineeName+" "+name(it.AwardType)+" ")
				if table < 0 || k < 0 {
					fail("%q not in the table", it.NomineeName)
				}
				row := rowRE.FindStringSubmatch(txt[table+k:])
				if row == nil {
					fail("row of %q unreadable", it.NomineeName)
				}
				y, n, a, fy, fb := atoi(row[1]), atoi(row[2]), atoi(row[3]), atoi(row[4]), atoi(row[5])
				if y+n+a != b.Valid {
					fail("%q: %d+%d+%d != %d valid ballots", it.NomineeName, y, n, a, b.Valid)
				}
				rule := s.Rules[it.AwardType]
				if wantBase := rule.BaseCount(len(voters), len(s.Voted), b.Valid); fy != y || fb != wantBase {
					fail("%q: printed %d/%d, want %d of base %d (%s)", it.NomineeName, fy, fb, y, wantBase, rule.Base)
				}
				if row[6] != res.Vote.Percent || (row[7] == "Đạt") != res.Passed {
					fail("%q: printed %s %s, result %+v", it.NomineeName, row[6], row[7], res)
				}
				if !strings.Contains(txt, "tỷ lệ đồng ý tính trên "+rule.Base.Label()) || !strings.Contains(txt, "đạt khi "+rule.ThresholdText()+".") {
					fail("rule of %s not printed once", it.AwardType)
				}
			}

			// The same vote text in the tờ trình upward (TTLDXS) and the council's tờ trình.
			var ups []award.AgendaItem
			req := workflows.SubmissionRequest{ID: "x.ttr", SessionID: s.ID, AwardType: "TTLDXS", Number: 4, Year: 2026, Date: s.ClosedAt, Members: len(voters)}
			for _, it := range s.Awardees("TTLDXS") {
				ups = append(ups, it)
				req.Items = append(req.Items, it)
				req.Counts = append(req.Counts, s.Counts[it.ProposalID])
				req.Votes = append(req.Votes, *s.Results[it.ProposalID].Vote)
			}
			if len(ups) > 0 {
				sub, err := SubmissionDocument(org, req)
				if err != nil {
					t.Fatal(err)
				}
				rs, err := templates.RenderSubmission(sub, templates.RenderOptions{CreationDate: s.ClosedAt})
				if err != nil {
					t.Fatal(err)
				}
				st := rawText(t, rs.PDF)
				for _, it := range ups {
					v := s.Results[it.ProposalID].Vote
					if !strings.Contains(st, v.Text) || !strings.Contains(txt, v.Text) {
						t.Fatalf("%s: %q's vote %q not in both the minutes and the tờ trình:\n%s", profile, it.NomineeName, v.Text, st)
					}
				}
			}
			cs, err := CouncilSubmissionDocument(org, s, 0, time.Time{})
			passed := 0
			for _, code := range s.AwardTypes() {
				passed += len(s.Awardees(code))
			}
			if passed == 0 {
				if !errors.Is(err, ErrNothingToPropose) {
					t.Fatalf("nothing passed, got %v", err)
				}
				continue
			}
			if err != nil {
				t.Fatal(err)
			}
			rc, err := templates.RenderSubmission(cs, templates.RenderOptions{CreationDate: s.ClosedAt})
			if err != nil {
				t.Fatal(err)
			}
			ct := rawText(t, rc.PDF)
			for _, code := range s.AwardTypes() {
				for _, it := range s.Awardees(code) {
					v := s.Results[it.ProposalID].Vote
					if c := strings.Count(ct, " "+it.NomineeName+" "); c != 1 {
						t.Fatalf("%s: %q appears %d times in the council's tờ trình:\n%s", profile, it.NomineeName, c, ct)
					}
					if k := strings.Index(ct, it.NomineeName); !strings.Contains(ct[k:], v.Text) {
						t.Fatalf("%s: %q's vote %q not in the council's tờ trình", profile, it.NomineeName, v.Text)
					}
				}
			}
			for _, it := range s.Agenda {
				if !s.Results[it.ProposalID].Passed && strings.Contains(ct, " "+it.NomineeName+" ") {
					t.Fatalf("%s: %q did not pass but is in the council's tờ trình", profile, it.NomineeName)
				}
			}
		}
	}
}

func atoi(s string) int { n, _ := strconv.Atoi(s); return n }

// fig is a figure as the minutes write it: "06", "0".
func fig(n int) string {
	if n == 0 {
		return "0"
	}
	return fmt.Sprintf("%02d", n)
}

// TestCouncilSubmission: the council's own tờ trình to the head, both profiles — from
// the council, to the configured head, per award type the nominees passed with their
// votes, asking the head to decide (agency awards) and to sign upward (upward awards),
// signed for the council by the chair in the "chair" slot; nothing passed, no tờ trình.
func TestCouncilSubmission(t *testing.T) {
	for _, profile := range []award.Profile{award.ProfileND30, award.ProfileHD36} {
		org := orgWithProfile(t, profile)
		s := award.Session{ID: "session-cs", Title: "Họp xét khen thưởng năm 2025", Status: award.SessionClosed, Members: org.Council(),
			Rules: map[string]award.VoteRule{}, OpenedAt: time.Date(2026, 2, 5, 1, 0, 0, 0, time.UTC), ClosedAt: time.Date(2026, 2, 5, 2, 0, 0, 0, time.UTC)}
		for _, at := range org.AwardTypes {
			s.Rules[at.Code] = at.Vote
		}
		s.Agenda = []award.AgendaItem{
			{ProposalID: "proposal-1", NomineeName: "Nguyễn Thị Hồng Đào", AwardType: "LDTT", Kind: award.KindIndividual, Department: "tt", MovementID: "vanhoa-2025"},
			{ProposalID: "proposal-2", NomineeName: "Lê Quốc Cường", AwardType: "LDTT", Kind: award.KindIndividual, Department: "tt", MovementID: "vanhoa-2025"},
			{ProposalID: "proposal-3", NomineeName: "Phòng Tuyên truyền - Báo chí", AwardType: "TTLDXS", Kind: award.KindCollective, Department: "tt", MovementID: "vanhoa-2025"},
		}
		for _, m := range s.Voters()[:5] {
			s.Voted = append(s.Voted, m.ID)
		}
		s.Judge(map[string]award.Count{"proposal-1": {Yes: 4, No: 1}, "proposal-2": {Yes: 2, No: 3}, "proposal-3": {Yes: 5}}, 0)
		sub, err := CouncilSubmissionDocument(org, s, 0, time.Time{})
		if err != nil {
			t.Fatal(err)
		}
		r, err := templates.RenderSubmission(sub, templates.RenderOptions{CreationDate: s.ClosedAt})
		if err != nil {
			t.Fatal(err)
		}
		txt := rawText(t, r.PDF)
		tm, sub1 := "TM. HỘI ĐỒNG CHỦ TỊCH Nguyễn Văn Hùng", "TỜ TRÌNH Về việc đề nghị khen thưởng năm 2025"
		number, base := "Số: /TTr-HĐTĐKT", "Kính gửi: Đồng chí Trưởng Ban Tuyên giáo Tỉnh uỷ Căn cứ Quy chế thi đua, khen thưởng của Cơ quan Ban Tuyên giáo Tỉnh uỷ. Ngày"
		if profile == award.ProfileHD36 {
			tm, sub1, number = "T/M HỘI ĐỒNG CHỦ TỊCH Nguyễn Văn Hùng", "TỜ TRÌNH về việc đề nghị khen thưởng năm 2025", "Số -TTr/HĐTĐKT"
			base = "Kính gửi: Đồng chí Trưởng Ban Tuyên giáo Tỉnh uỷ - Căn cứ Quy chế thi đua, khen thưởng của Cơ quan Ban Tuyên giáo Tỉnh uỷ. Ngày"
		}
		for _, want := range []string{
			sub1, number, base, "Đồng Tháp, ngày tháng năm",
			"Kính gửi: Đồng chí Trưởng Ban Tuyên giáo Tỉnh uỷ",
			"Ngày 05 tháng 02 năm 2026, Hội đồng Thi đua - Khen thưởng Cơ quan đã họp xét 03 hồ sơ đề nghị khen thưởng (biểu quyết giơ tay đối với hình thức “Lao động tiên tiến”; bỏ phiếu kín đối với hình thức “Tập thể lao động xuất sắc”), với 05/06 thành viên Hội đồng có mặt và tham gia biểu quyết.",
			"- “Lao động tiên tiến”: 01/02 hồ sơ đạt (tỷ lệ đồng ý tính trên tổng số thành viên Hội đồng, yêu cầu trên 50%);",
			"- “Tập thể lao động xuất sắc”: 01/01 hồ sơ đạt (tỷ lệ đồng ý tính trên tổng số thành viên Hội đồng, yêu cầu từ 70% trở lên), thuộc thẩm quyền cấp trên.",
			"Nguyễn Thị Hồng Đào", "4 1 0 4/6 (66,67%)", "Phòng Tuyên truyền - Báo chí", "5 0 0 5/6 (83,33%)",
			"Hội đồng Thi đua - Khen thưởng Cơ quan kính trình Đồng chí Trưởng Ban Tuyên giáo Tỉnh uỷ xem xét, quyết định tặng “Lao động tiên tiến” cho các tập thể, cá nhân có tên trên; ký Tờ trình đề nghị cấp trên xét tặng “Tập thể lao động xuất sắc”./.",
			tm, "Nơi nhận:",
		} {
			if !strings.Contains(txt, want) {
				t.Errorf("%s council tờ trình lacks %q\n%s", profile, want, txt)
			}
		}
		if strings.Contains(txt, "Lê Quốc Cường") {
			t.Errorf("%s: a nominee who did not pass is proposed", profile)
		}
		if len(r.Signatures) != 1 || r.Signatures[0].Role != "chair" || r.Signatures[0].Name != "Nguyễn Văn Hùng" {
			t.Errorf("%s: signature slots %+v", profile, r.Signatures)
		}
		// The lifecycle renders it as a draft and as the version the chair signs.
		for _, opt := range []templates.RenderOptions{{Draft: true}, {LeaveNumberAndDate: true}} {
			if r, err := templates.RenderSubmission(sub, opt); err != nil || r.Signatures[0].Role != "chair" {
				t.Errorf("%s %+v: %v", profile, opt, err)
			}
		}
		numbered, err := CouncilSubmissionDocument(org, s, 3, s.ClosedAt)
		if err != nil || numbered.NumberText != award.FormatNumber(profile, 3, workflows.DocSubmission, "HĐTĐKT") || numbered.Date.IsZero() {
			t.Errorf("%s: numbered %q %v %v", profile, numbered.NumberText, numbered.Date, err)
		}

		none := s
		none.Judge(map[string]award.Count{"proposal-1": {No: 5}, "proposal-2": {No: 5}, "proposal-3": {No: 5}}, 0)
		if _, err := CouncilSubmissionDocument(org, none, 0, time.Time{}); !errors.Is(err, ErrNothingToPropose) {
			t.Errorf("%s: nothing passed, got %v", profile, err)
		}
	}
}

// TestDecisionConventionsPerProfile: item 10 — the trích yếu, the căn cứ, the line that
// introduces the articles, the date in the annex and the Nơi nhận punctuation as each
// profile writes them, for individual and collective decisions (pdftotext).
func TestDecisionConventionsPerProfile(t *testing.T) {
	for _, profile := range []award.Profile{award.ProfileND30, award.ProfileHD36} {
		org := orgWithProfile(t, profile)
		for _, collective := range []bool{false, true} {
			req := decisionRequest(3)
			awardName := "Lao động tiên tiến"
			if collective {
				req.AwardType, awardName = "TTLDTT", "Tập thể lao động tiên tiến"
				for i := range req.Awardees {
					req.Awardees[i].Kind, req.Awardees[i].AwardType = award.KindCollective, "TTLDTT"
					req.Awardees[i].NomineeName = fmt.Sprintf("Tổ công tác số %d", i+1)
				}
			}
			d, err := DecisionDocument(org, req)
			if err != nil {
				t.Fatal(err)
			}
			r, err := templates.RenderDecision(d, templates.RenderOptions{CreationDate: req.Date})
			if err != nil {
				t.Fatal(err)
			}
			txt := rawText(t, r.PDF)
			var want, wrong []string
			switch profile {
			case award.ProfileHD36:
				want = []string{
					"QUYẾT ĐỊNH về việc tặng danh hiệu “" + awardName + "” năm 2025",
					"- Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;",
					"- Căn cứ Quy chế thi đua, khen thưởng của Cơ quan Ban Tuyên giáo Tỉnh uỷ;",
					"- Xét đề nghị của Hội đồng Thi đua - Khen thưởng Cơ quan, TRƯỞNG BAN TUYÊN GIÁO TỈNH UỶ QUYẾT ĐỊNH: Điều 1.",
					"Nơi nhận: - Như Điều 3, - Thường trực Tỉnh uỷ (b/c), - Lưu Văn phòng.",
					"(Kèm theo Quyết định số 07-QĐ/BTGTU, ngày 05-02-2026 của Ban Tuyên giáo Tỉnh uỷ Đồng Tháp)",
				}
				wrong = []string{"Về việc", "ngày 05/02/2026", "Như Điều 3;"}
			case award.ProfileND30:
				want = []string{
					"QUYẾT ĐỊNH Về việc tặng danh hiệu “" + awardName + "” năm 2025",
					"TRƯỞNG BAN TUYÊN GIÁO TỈNH UỶ Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;",
					"Xét đề nghị của Hội đồng Thi đua - Khen thưởng Cơ quan. QUYẾT ĐỊNH: Điều 1.",
					"Nơi nhận: - Như Điều 3; - Ban Thi đua - Khen thưởng tỉnh; - Lưu: VT, VP.",
					"(Kèm theo Quyết định số 07/QĐ-BTGTU ngày 05/02/2026 của Ban Tuyên giáo Tỉnh uỷ Đồng Tháp)",
				}
				wrong = []string{"về việc tặng", "- Căn cứ", "ngày 05-02-2026"}
			}
			for _, w := range want {
				if !strings.Contains(txt, w) {
					t.Errorf("%s collective=%v: decision lacks %q", profile, collective, w)
				}
			}
			for _, w := range wrong {
				if strings.Contains(txt, w) {
					t.Errorf("%s collective=%v: decision says %q", profile, collective, w)
				}
			}
			if t.Failed() {
				t.Logf("%s", txt)
			}
		}
	}
}
