package orgconfig

import (
	"fmt"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/awardflow/awardflow/internal/award"
)

// seedPath is the source article (shared/seed), kept byte for byte.
const seedPath = "testdata/seed/000_0ef9adcb622a83d3.txt"

// seedMovement is what the article says of one movement.
type seedMovement struct {
	name, plan, planDate string   // "Kế hoạch số: 206/KH-UBND ngày 07/6/2022 … phong trào thi đua "<name>""
	theme                string   // "Chủ đề: "<theme>""
	general              []string // "Về tiêu chí thi đua thực hiện các phong trào: …"
	criteria             map[award.NomineeKind][]string
}

// The article's general criteria, for both movements, the digital one's after its heading.
const (
	generalHeading = "Về tiêu chí thi đua thực hiện các phong trào:"
	digitalHeading = "Đối với tiêu chí thi đua triển khai thực hiện và tham gia đẩy nhanh tiến trình chuyển đổi số:"
)

// seedArticle is the article's movements, in its order, and its schedule.
type seedArticle struct {
	movements         []seedMovement
	end, interim, fin award.Date // "đến tháng 12/2025", "sơ kết tháng 12/2023", "tổng kết tháng 12/2025"
}

var (
	planRe    = regexp.MustCompile(`Kế hoạch số: (\d+/KH-UBND) ngày (\d{1,2}/\d{1,2}/\d{4})[^"]*"([^"]+)"`)
	themeRe   = regexp.MustCompile(`"(Thi đua [^"]+)"`)
	monthRe   = func(what string) *regexp.Regexp { return regexp.MustCompile(what + ` tháng (\d{1,2})/(\d{4})`) }
	numberRe  = regexp.MustCompile(`(\d+(?:[.,]\d+)?)\s*%`)
	sentences = regexp.MustCompile(`\.\s+(\p{Lu})`)
)

// parseSeed reads the article: the plans and their movements, the themes, each
// "Về tiêu chí thi đua …" section's "Đối với tập thể:" and "Đối với cá nhân:" paragraphs
// cut into criteria, and the schedule line.
func parseSeed(t *testing.T) seedArticle {
	t.Helper()
	b, err := os.ReadFile(seedPath)
	if err != nil {
		t.Fatal(err)
	}
	text := string(b)
	var art seedArticle
	for _, m := range planRe.FindAllStringSubmatch(text, -1) {
		art.movements = append(art.movements, seedMovement{plan: m[1], planDate: m[2], name: m[3], criteria: map[award.NomineeKind][]string{}})
	}
	_, themes, _ := strings.Cut(text, "Chủ đề:")
	themes, _, _ = strings.Cut(themes, "\n")
	for i, m := range themeRe.FindAllStringSubmatch(themes, -1) {
		if i < len(art.movements) {
			art.movements[i].theme = m[1]
		}
	}
	cur := -1
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if body, ok := strings.CutPrefix(line, generalHeading); ok {
			// The general criteria of both movements, the digital one's after its own
			// heading.
			vanhoa, digital, found := strings.Cut(body, digitalHeading)
			if !found {
				t.Fatalf("the general criteria have no part for the digital movement: %q", line)
			}
			for _, part := range []struct{ text, nameHas string }{{vanhoa, "văn hoá và con người"}, {digital, "chuyển đổi số"}} {
				i := slices.IndexFunc(art.movements, func(m seedMovement) bool { return strings.Contains(fold(m.name), part.nameHas) })
				if i < 0 {
					t.Fatalf("no movement for the general criteria %q", part.text)
				}
				art.movements[i].general = clauses(part.text)
			}
			continue
		}
		if h, ok := strings.CutPrefix(line, "Về tiêu chí "); ok {
			cur = slices.IndexFunc(art.movements, func(m seedMovement) bool { return fold(m.theme) == fold(h) })
			if cur < 0 {
				t.Fatalf("the article's section %q matches no theme", line)
			}
			continue
		}
		for prefix, kind := range map[string]award.NomineeKind{"Đối với tập thể:": award.KindCollective, "Đối với cá nhân:": award.KindIndividual} {
			if body, ok := strings.CutPrefix(line, prefix); ok && cur >= 0 {
				art.movements[cur].criteria[kind] = clauses(body)
			}
		}
		if strings.HasPrefix(line, "Về thời gian thi đua:") {
			art.end = seedMonth(t, monthRe("đến"), line)
			art.interim = seedMonth(t, monthRe("sơ kết"), line)
			art.fin = seedMonth(t, monthRe("tổng kết"), line)
		}
	}
	if len(art.movements) != 2 || art.end.IsZero() {
		t.Fatalf("the article's parse lost something: %+v", art)
	}
	for _, m := range art.movements {
		if m.theme == "" || len(m.general) == 0 || len(m.criteria[award.KindIndividual]) == 0 || len(m.criteria[award.KindCollective]) == 0 {
			t.Fatalf("the article's parse lost something of %q: %+v", m.name, m)
		}
	}
	return art
}

func seedMonth(t *testing.T, re *regexp.Regexp, line string) award.Date {
	t.Helper()
	m := re.FindStringSubmatch(line)
	if m == nil {
		t.Fatalf("%v not in %q", re, line)
	}
	month, _ := strconv.Atoi(m[1])
	year, _ := strconv.Atoi(m[2])
	return award.EndOfMonth(year, time.Month(month))
}

// clauses cuts a criteria paragraph into its criteria: at ";" and at sentence ends (". "
// before a capital letter); a clause opening with "trừ" (an exception) stays with the
// one before it.
func clauses(p string) []string {
	p = sentences.ReplaceAllString(p, ";$1")
	var out []string
	for _, c := range strings.Split(p, ";") {
		c = strings.TrimSpace(c)
		c = strings.TrimSuffix(c, ".")
		if c == "" {
			continue
		}
		if strings.HasPrefix(c, "trừ ") && len(out) > 0 {
			out[len(out)-1] += "; " + c
			continue
		}
		out = append(out, c)
	}
	return out
}

// fold compares texts as written, not as typed: NFC, the article's "Ð" (U+00D0, a
// look-alike) as "Đ", typographic quotes as straight ones, single spaces, the first
// letter in lower case (a clause inside a sentence starts a criterion).
func fold(s string) string {
	s = norm.NFC.String(s)
	s = strings.NewReplacer("Ð", "Đ", "“", `"`, "”", `"`).Replace(s)
	s = strings.Join(strings.Fields(s), " ")
	if r, n := utf8.DecodeRuneInString(s); n > 0 {
		s = string(unicode.ToLower(r)) + s[n:]
	}
	return s
}

// seedMismatches lists every way the config's movements differ from the article.
func seedMismatches(art seedArticle, o *Org) []string {
	var out []string
	bad := func(format string, args ...any) { out = append(out, fmt.Sprintf(format, args...)) }
	if len(o.Movements) != len(art.movements) {
		bad("%d movements, the article has %d", len(o.Movements), len(art.movements))
	}
	for i, sm := range art.movements {
		if i >= len(o.Movements) {
			break
		}
		m := o.Movements[i]
		if fold(m.Name) != fold(sm.name) {
			bad("movement %d: name %q, the article %q", i, m.Name, sm.name)
		}
		if fold(m.Theme) != fold(sm.theme) {
			bad("%s: theme %q, the article %q", m.ID, m.Theme, sm.theme)
		}
		if !strings.Contains(m.Plan, sm.plan) || !strings.Contains(m.Plan, sm.planDate) {
			bad("%s: plan %q does not cite %s of %s", m.ID, m.Plan, sm.plan, sm.planDate)
		}
		if m.End != art.end || !m.EndMonth {
			bad("%s: ends %s (month only %v), the article %s", m.ID, m.End, m.EndMonth, art.end.MonthVI())
		}
		for kind, want := range map[award.MilestoneKind]award.Date{award.MilestoneInterim: art.interim, award.MilestoneFinal: art.fin} {
			var got []award.Milestone
			for _, ms := range m.Milestones {
				if ms.Kind == kind {
					got = append(got, ms)
				}
			}
			if len(got) != 1 || got[0].Due != want || !got[0].DueMonth {
				bad("%s: %s reviews %+v, the article: one, %s", m.ID, kind, got, want.MonthVI())
			}
		}
		lists := []struct {
			name string
			crit []award.Criterion
			seed []string
		}{{"general", m.General, sm.general}, {"collective", m.Collective, sm.criteria[award.KindCollective]},
			{"individual", m.Individual, sm.criteria[award.KindIndividual]}}
		for _, l := range lists {
			kind, crit, seed := l.name, l.crit, l.seed
			if len(crit) != len(seed) {
				bad("%s %s: %d criteria, the article %d", m.ID, kind, len(crit), len(seed))
			}
			for j, text := range seed {
				if j >= len(crit) {
					bad("%s %s: the article's criterion %q is missing", m.ID, kind, text)
					continue
				}
				c := crit[j]
				if fold(c.Text) != fold(text) {
					bad("%s %s criterion %d (%s): %q, the article %q", m.ID, kind, j+1, c.ID, c.Text, text)
				}
				num := numberRe.FindStringSubmatch(text)
				switch {
				case num == nil && c.Target != nil:
					bad("%s: criterion %s has a target the article does not give", m.ID, c.ID)
				case num == nil:
				case c.Target == nil:
					bad("%s: criterion %s lacks its target %s%%", m.ID, c.ID, num[1])
				default:
					v, _ := strconv.ParseFloat(strings.Replace(num[1], ",", ".", 1), 64)
					if c.Target.Value != v || !strings.HasPrefix(c.Target.Unit, "%") || c.Target.Comparison != award.AtLeast {
						bad("%s: criterion %s target %+v, the article ≥ %v%%", m.ID, c.ID, *c.Target, v)
					}
				}
			}
		}
	}
	return out
}

// TestDemoHoldsTheSeedMovements: the demo's movements are the article's, criterion by
// criterion in its words and order, each number it gives a target, the end, sơ kết and
// tổng kết as it dates them, and the plans it cites.
func TestDemoHoldsTheSeedMovements(t *testing.T) {
	art := parseSeed(t)
	// The parse itself: the counts a reader of the article finds.
	var counts []int
	for _, m := range art.movements {
		counts = append(counts, len(m.general), len(m.criteria[award.KindCollective]), len(m.criteria[award.KindIndividual]))
	}
	if !slices.Equal(counts, []int{3, 3, 6, 1, 4, 3}) {
		t.Fatalf("the article's criteria counted %v, want 3, 3, 6 and 1, 4, 3", counts)
	}
	o, err := Demo()
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range seedMismatches(art, o) {
		t.Error(m)
	}
	// Every number of the article's criteria is a target: 100 %, 100 %, 50 %, 80 %, 10 %,
	// 7 %/năm (and 100 % of the Quy tắc ứng xử).
	var targets []string
	for _, m := range o.Movements {
		for _, c := range slices.Concat(m.General, m.Collective, m.Individual) {
			if c.Target != nil {
				targets = append(targets, c.ID+" "+c.Target.LabelVI())
			}
		}
	}
	want := []string{"tt-ungxu ≥ 100 %", "cds-vbdt ≥ 100 %", "cds-boiduong ≥ 100 %", "cds-taphuan ≥ 50 %", "cds-truc-tuyen ≥ 80 %",
		"cds-sangkien ≥ 10 %", "cds-nangsuat ≥ 7 %/năm"}
	if !slices.Equal(targets, want) {
		t.Errorf("targets %v, want %v", targets, want)
	}
	// Each way of unfaithfulness is caught: the check is not vacuous.
	for name, edit := range map[string]func(o *Org){
		"a criterion dropped":         func(o *Org) { o.Movements[1].Individual = o.Movements[1].Individual[:2] },
		"a general criterion dropped": func(o *Org) { o.Movements[0].General = o.Movements[0].General[1:] },
		"a criterion reworded": func(o *Org) {
			o.Movements[0].Collective[1].Text = "Có mô hình hay"
		},
		"a target changed": func(o *Org) { o.Movements[1].Individual[2].Target.Value = 5 },
		"a target dropped": func(o *Org) { o.Movements[1].Collective[2].Target = nil },
		"a target invented": func(o *Org) {
			o.Movements[0].Individual[0].Target = &award.Target{Value: 1, Unit: "%", Comparison: award.AtLeast}
		},
		"the sơ kết moved":       func(o *Org) { o.Movements[0].Milestones[0].Due = award.EndOfMonth(2024, 6) },
		"the tổng kết dropped":   func(o *Org) { o.Movements[1].Milestones = o.Movements[1].Milestones[:1] },
		"the end moved":          func(o *Org) { o.Movements[1].End = award.EndOfMonth(2026, 12) },
		"the plan's number lost": func(o *Org) { o.Movements[1].Plan = "Kế hoạch của Tỉnh" },
		"the movements swapped": func(o *Org) {
			o.Movements[0], o.Movements[1] = o.Movements[1], o.Movements[0]
		},
	} {
		c, err := Demo()
		if err != nil {
			t.Fatal(err)
		}
		edit(c)
		if len(seedMismatches(art, c)) == 0 {
			t.Errorf("%s: not caught", name)
		}
	}
}

// The movements of the demo as the agency runs them: dates, reviews, registration and
// the agency's rule, as configured.
func TestDemoMovementPlan(t *testing.T) {
	o, err := Demo()
	if err != nil {
		t.Fatal(err)
	}
	if o.Agency.MovementRules.RemindDays != 14 || o.Agency.MovementRules.RegistrationRequired {
		t.Errorf("movement rules %+v", o.Agency.MovementRules)
	}
	for _, m := range o.Movements {
		if m.Start != award.NewDate(2022, 6, 7) || m.Registration == nil || m.Registration.Opens != m.Start ||
			!slices.Equal(m.Registration.RequiredFor, []string{"GK"}) {
			t.Errorf("%s: %+v", m.ID, m.MovementPlan)
		}
		if m.Milestones[0].Title == "" || m.Milestones[0].DueLabelVI() != "tháng 12/2023" {
			t.Errorf("%s: %+v", m.ID, m.Milestones[0])
		}
	}
	for _, t2 := range o.AwardTypes {
		if t2.Annual == (t2.Code == "GK") {
			t.Errorf("award type %s annual=%v: the titles are annual, Giấy khen is not", t2.Code, t2.Annual)
		}
	}
}

// A movement's configuration is checked at start: each rule broken in the YAML refuses
// the whole config, saying which movement.
func TestParseRejectsMovements(t *testing.T) {
	good := string(demoYAML)
	for name, tc := range map[string]struct{ from, to, want string }{
		"end before start":        {"    end: 2025-12-31\n", "    end: 2021-12-31\n", "before it starts"},
		"sơ kết after the end":    {"due: 2023-12-31, due_month: true}    # \"sơ kết", "due: 2026-12-31, due_month: true}    # \"sơ kết", "outside the movement's period"},
		"registration unknown":    {"required_for: [GK]            # a Giấy", "required_for: [XX]            # a Giấy", "unknown award type \"XX\""},
		"registration for LĐTT":   {"required_for: [GK]            # a Giấy", "required_for: [LDTT]            # a Giấy", "annual title"},
		"registration late":       {"closes: 2022-07-31            # [demo value] opens", "closes: 2026-07-31            # [demo value] opens", "outside the movement's period"},
		"target comparison":       {"comparison: at_least, measure: \"cán bộ, công chức, người lao động", "comparison: more, measure: \"cán bộ, công chức, người lao động", "comparison"},
		"reminder window":         {"remind_days: 14  ", "remind_days: -1  ", "remind_days -1"},
		"unprintable criterion":   {"Có phẩm chất chính trị", "Có phẩm chất\u202e chính trị", "gv-phamchat"},
		"milestone date not date": {"due: 2023-12-31, due_month: true}    # \"sơ kết", "due: 31/12/2023, due_month: true}    # \"sơ kết", "YYYY-MM-DD"},
	} {
		if !strings.Contains(good, tc.from) {
			t.Fatalf("%s: %q is not in the demo", name, tc.from)
		}
		_, err := Parse([]byte(strings.Replace(good, tc.from, tc.to, 1)))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want %q", name, err, tc.want)
		}
	}
}
