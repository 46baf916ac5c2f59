package award

import (
	"slices"
	"strings"
	"testing"
)

func TestQuotaLimitRounding(t *testing.T) {
	for _, c := range []struct {
		percent, base       int
		floor, halfUp, ceil int
	}{
		{15, 0, 0, 0, 0},
		{15, -3, 0, 0, 0},
		{15, 6, 0, 1, 1},      // 0,9
		{15, 7, 1, 1, 2},      // 1,05
		{15, 8, 1, 1, 2},      // 1,2
		{15, 10, 1, 2, 2},     // 1,5: half up goes up
		{15, 20, 3, 3, 3},     // exact
		{15, 23, 3, 3, 4},     // 3,45
		{50, 1, 0, 1, 1},      // 0,5
		{100, 3, 3, 3, 3},     // all
		{1, 1, 0, 0, 1},       // 0,01
		{15, 333, 49, 50, 50}, // 49,95
	} {
		for r, want := range map[Rounding]int{RoundFloor: c.floor, RoundHalfUp: c.halfUp, RoundCeil: c.ceil, "": c.floor} {
			q := Quota{OfAwardType: "LDTT", Percent: c.percent, Rounding: r}
			if got := q.Limit(c.base); got != want {
				t.Errorf("%d%% of %d, %q: %d, want %d", c.percent, c.base, r, got, want)
			}
		}
	}
}

func TestQuotaValidate(t *testing.T) {
	rule := VoteRule{Quorum: Ratio{2, 3}, Pass: Ratio{1, 2}, Base: BaseMembers}
	for _, c := range []struct {
		q  Quota
		ok bool
	}{
		{Quota{OfAwardType: "LDTT", Percent: 15}, true},
		{Quota{OfAwardType: "LDTT", Percent: 15, Rounding: RoundHalfUp, Ties: TieChair}, true},
		{Quota{OfAwardType: "LDTT", Percent: 15, Rounding: RoundCeil, Ties: TieRevote}, true},
		{Quota{OfAwardType: "LDTT", Percent: 15, Rounding: "round"}, false},
		{Quota{OfAwardType: "LDTT", Percent: 15, Rounding: "FLOOR"}, false},
		{Quota{OfAwardType: "LDTT", Percent: 15, Ties: "lot"}, false},
		{Quota{OfAwardType: "LDTT", Percent: 0}, false},
		{Quota{OfAwardType: "LDTT", Percent: 101}, false},
		{Quota{Percent: 15}, false},
	} {
		r := rule
		r.Quota = &c.q
		if err := r.Validate(); (err == nil) != c.ok {
			t.Errorf("%+v: %v, want ok=%v", c.q, err, c.ok)
		}
	}
	if n := (Quota{OfAwardType: "LDTT", Percent: 15}).Normalized(); n.Rounding != RoundFloor || n.Ties != TieRevote {
		t.Fatalf("defaults: %+v", n)
	}
}

func TestCheckQuotas(t *testing.T) {
	plain := VoteRule{Quorum: Ratio{2, 3}, Pass: Ratio{1, 2}, Base: BaseMembers}
	capped := func(of string) VoteRule {
		r := plain
		r.Quota = &Quota{OfAwardType: of, Percent: 15}
		return r
	}
	for _, c := range []struct {
		name  string
		rules map[string]VoteRule
		want  string
	}{
		{"chain", map[string]VoteRule{"A": plain, "B": capped("A"), "C": capped("B")}, ""},
		{"itself", map[string]VoteRule{"A": capped("A")}, "itself"},
		{"unknown", map[string]VoteRule{"A": capped("NOPE")}, "unknown award type"},
		{"circle", map[string]VoteRule{"A": capped("B"), "B": capped("C"), "C": capped("A")}, "circle"},
	} {
		err := CheckQuotas(c.rules)
		if c.want == "" && err != nil || c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)) {
			t.Errorf("%s: %v, want %q", c.name, err, c.want)
		}
	}
}

func cands(spec ...any) []QuotaCandidate {
	// id, name, yes, chair; four at a time
	var out []QuotaCandidate
	for i := 0; i+3 < len(spec); i += 4 {
		var ch Choice
		switch v := spec[i+3].(type) {
		case Choice:
			ch = v
		case string:
			ch = Choice(v)
		}
		out = append(out, QuotaCandidate{ProposalID: spec[i].(string), Name: spec[i+1].(string), Yes: spec[i+2].(int), Chair: ch})
	}
	return out
}

func TestCutQuota(t *testing.T) {
	five := cands(
		"p-e", "Đặng Văn Sơn", 4, No,
		"p-c", "Lê Quốc Cường", 6, No,
		"p-a", "Nguyễn Thị Hồng Đào", 7, Yes,
		"p-d", "Trương Thị Kim Ngân", 6, Yes,
		"p-b", "Bùi Văn An", 6, Yes,
	)
	for _, c := range []struct {
		name    string
		ties    TieRule
		seats   int
		casting bool
		in      []QuotaCandidate
		ranking []string
		kept    []string
		dropped []string
		revote  []string
		tied    []string
		cast    []string
		need    []string
	}{
		{name: "all fit", ties: TieRevote, seats: 5, in: five,
			ranking: []string{"p-a", "p-b", "p-c", "p-d", "p-e"}, kept: []string{"p-a", "p-b", "p-c", "p-d", "p-e"}},
		{name: "no seat", ties: TieRevote, seats: 0, in: five,
			ranking: []string{"p-a", "p-b", "p-c", "p-d", "p-e"}, dropped: []string{"p-a", "p-b", "p-c", "p-d", "p-e"}},
		{name: "negative seats", ties: TieChair, seats: -2, casting: true, in: five,
			ranking: []string{"p-a", "p-b", "p-d", "p-c", "p-e"}, dropped: []string{"p-a", "p-b", "p-d", "p-c", "p-e"}},
		{name: "clean cut", ties: TieRevote, seats: 1, in: five,
			ranking: []string{"p-a", "p-b", "p-c", "p-d", "p-e"}, kept: []string{"p-a"}, dropped: []string{"p-b", "p-c", "p-d", "p-e"}},
		{name: "tie above the cut", ties: TieRevote, seats: 4, in: five,
			ranking: []string{"p-a", "p-b", "p-c", "p-d", "p-e"}, kept: []string{"p-a", "p-b", "p-c", "p-d"}, dropped: []string{"p-e"}},
		{name: "tie at the cut: re-vote", ties: TieRevote, seats: 2, in: five,
			ranking: []string{"p-a", "p-b", "p-c", "p-d", "p-e"}, kept: []string{"p-a"}, dropped: []string{"p-e"},
			revote: []string{"p-b", "p-c", "p-d"}, tied: []string{"p-b", "p-c", "p-d"}},
		{name: "revote ignores the chair's marks", ties: TieRevote, seats: 2, casting: true, in: five,
			ranking: []string{"p-a", "p-b", "p-c", "p-d", "p-e"}, kept: []string{"p-a"}, dropped: []string{"p-e"},
			revote: []string{"p-b", "p-c", "p-d"}, tied: []string{"p-b", "p-c", "p-d"}},
		{name: "chair: marks not read yet", ties: TieChair, seats: 2, in: five,
			ranking: []string{"p-a", "p-b", "p-c", "p-d", "p-e"}, kept: []string{"p-a"}, dropped: []string{"p-e"},
			revote: []string{"p-b", "p-c", "p-d"}, tied: []string{"p-b", "p-c", "p-d"}, need: []string{"p-b", "p-c", "p-d"}},
		// The chair marked p-b and p-d yes, p-c no: p-c falls below them; with two
		// seats, p-b and p-d share the last one: re-vote.
		{name: "chair separates part of the tie", ties: TieChair, seats: 2, casting: true, in: five,
			ranking: []string{"p-a", "p-b", "p-d", "p-c", "p-e"}, kept: []string{"p-a"}, dropped: []string{"p-c", "p-e"},
			revote: []string{"p-b", "p-d"}, tied: []string{"p-b", "p-d", "p-c"}, cast: []string{"p-c"}},
		// Three seats: p-b and p-d fill them with p-a; p-c is out by the chair's vote.
		{name: "chair settles the tie", ties: TieChair, seats: 3, casting: true, in: five,
			ranking: []string{"p-a", "p-b", "p-d", "p-c", "p-e"}, kept: []string{"p-a", "p-b", "p-d"}, dropped: []string{"p-c", "p-e"},
			tied: []string{"p-b", "p-d", "p-c"}, cast: []string{"p-b", "p-d", "p-c"}},
		{name: "chair marked the tied alike", ties: TieChair, seats: 1, casting: true,
			in:      cands("x", "An", 5, No, "y", "Bình", 5, Abstain, "z", "Cúc", 3, Yes),
			ranking: []string{"x", "y", "z"}, dropped: []string{"z"}, revote: []string{"x", "y"}, tied: []string{"x", "y"}},
		{name: "chair's mark unknown for one tied", ties: TieChair, seats: 1, casting: true,
			in:      cands("x", "An", 5, Yes, "y", "Bình", 5, "", "z", "Cúc", 3, Yes),
			ranking: []string{"x", "y", "z"}, dropped: []string{"z"}, revote: []string{"x", "y"}, tied: []string{"x", "y"}},
		// The final key orders by the folded name, then the id: never by input order.
		{name: "final key", ties: TieRevote, seats: 3,
			in:      cands("p9", "đào", 5, "", "p1", "Đào", 5, "", "p5", "An", 5, ""),
			ranking: []string{"p5", "p1", "p9"}, kept: []string{"p5", "p1", "p9"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			for _, in := range [][]QuotaCandidate{c.in, reversed(c.in)} {
				got := CutQuota(c.ties, c.seats, in, c.casting)
				check := func(what string, got, want []string) {
					t.Helper()
					if len(got) == 0 && len(want) == 0 {
						return
					}
					if !slices.Equal(got, want) {
						t.Errorf("%s: %v, want %v", what, got, want)
					}
				}
				check("ranking", got.Ranking, c.ranking)
				check("kept", got.Kept, c.kept)
				check("dropped", got.Dropped, c.dropped)
				check("revote", got.Revote, c.revote)
				check("tied", got.Tied, c.tied)
				check("casting", got.Casting, c.cast)
				check("need casting", got.NeedCasting, c.need)
				if n := len(got.Kept) + len(got.Dropped) + len(got.Revote); n != len(in) {
					t.Errorf("%d candidates, %d placed", len(in), n)
				}
			}
		})
	}
}

func reversed[T any](s []T) []T {
	out := slices.Clone(s)
	slices.Reverse(out)
	return out
}

// yearSession is a closed session of 6 voting members (the chair votes) over LĐTT and
// CSTĐCS proposals, with the CSTĐCS quota 15 % of LĐTT over the year.
func yearSession(q Quota, reg *QuotaRegister, agenda []AgendaItem) *Session {
	ld := VoteRule{Quorum: Ratio{2, 3}, Pass: Ratio{1, 2}, Base: BaseMembers, Strict: true}
	cs := VoteRule{Quorum: Ratio{2, 3}, Pass: Ratio{70, 100}, Base: BaseMembers, Secret: true, Quota: &q}
	s := &Session{ID: "s-year", Status: SessionClosed, Rules: map[string]VoteRule{"LDTT": ld, "CSTDCS": cs}, QuotaRegister: reg, Agenda: agenda}
	s.Members = append(s.Members, Member{ID: "chair", Name: "Chủ tịch", Role: RoleChair, Votes: true})
	for _, id := range []string{"m1", "m2", "m3", "m4", "m5"} {
		s.Members = append(s.Members, Member{ID: id, Role: RoleMember, Votes: true})
	}
	s.Members = append(s.Members, Member{ID: "sec", Role: RoleSecretary})
	s.Voted = []string{"m1", "chair", "m2", "m3", "m4", "m5"}
	s.Sealed = []string{"b-m1", "b-chair", "b-m2", "b-m3", "b-m4", "b-m5"}
	return s
}

func item(id, name, code string) AgendaItem {
	return AgendaItem{ProposalID: id, NomineeName: name, AwardType: code, Kind: KindIndividual}
}

// TestYearQuota: the CSTĐCS seats count the year's LĐTT in the register plus those
// passing now, less the CSTĐCS the register already holds; the facts say so.
func TestYearQuota(t *testing.T) {
	agenda := []AgendaItem{
		item("l1", "Nguyễn Văn Một", "LDTT"), item("l2", "Nguyễn Văn Hai", "LDTT"), item("l3", "Nguyễn Văn Ba", "LDTT"),
		item("c1", "Trần Thị Cúc", "CSTDCS"), item("c2", "Lê Văn Bình", "CSTDCS"), item("c3", "Phạm Văn Chung", "CSTDCS"),
	}
	counts := map[string]Count{
		"l1": {Yes: 6}, "l2": {Yes: 4, No: 2}, "l3": {Yes: 2, No: 4}, // two LĐTT pass now
		"c1": {Yes: 6}, "c2": {Yes: 5, No: 1}, "c3": {Yes: 3, No: 3}, // c3 fails the pass mark
	}
	reg := func(ldtt, cstdcs int) *QuotaRegister {
		return &QuotaRegister{Available: true, Year: 2025, Names: map[string]string{"LDTT": "Lao động tiên tiến", "CSTDCS": "Chiến sĩ thi đua cơ sở"},
			Counts: []YearCount{{"LDTT", 2025, ldtt}, {"CSTDCS", 2025, cstdcs}, {"LDTT", 2024, 100}}}
	}
	q := Quota{OfAwardType: "LDTT", Percent: 15, Rounding: RoundFloor, Ties: TieRevote}
	for _, c := range []struct {
		name       string
		q          Quota
		reg        *QuotaRegister
		passed     []string
		seats      int
		vi, en     []string
		notInFacts string
	}{
		// Old rule: 15 % of 2 = 0: no CSTĐCS at all.
		{name: "session only (before the year counted)", q: q, reg: nil, passed: []string{"l1", "l2"}},
		// 5 in the register + 2 now = 7 → 1,05 → 1 seat: c1.
		{name: "the year counts", q: q, reg: reg(5, 0), passed: []string{"l1", "l2", "c1"}, seats: 1,
			vi: []string{"Chỉ tiêu “Chiến sĩ thi đua cơ sở” năm 2025", "không quá 15% số trường hợp đạt “Lao động tiên tiến” của năm",
				"gồm 05 trường hợp theo sổ khen thưởng", "không tính quyết định đã thu hồi", "02 trường hợp đạt tại phiên họp này, tổng cộng 07",
				"15% × 07 = 1,05, làm tròn xuống: tối đa 01 trường hợp", "đã khen thưởng trong năm 0 trường hợp, còn lại 01",
				"vượt chỉ tiêu, không được đề nghị: Lê Văn Bình"},
			en: []string{"Quota of “Chiến sĩ thi đua cơ sở” for 2025", "5 in the award register", "2 passing in this session, 7 in all",
				"15% × 7 = 1.05, rounded down: at most 1", "0 already awarded this year, 1 left", "over the quota, not proposed: Lê Văn Bình"}},
		// 12 + 2 = 14 → 2,1 → 2, but one CSTĐCS of 2025 is in the register: 1 seat.
		{name: "already awarded take their seats", q: q, reg: reg(12, 1), passed: []string{"l1", "l2", "c1"}, seats: 1,
			vi: []string{"đã khen thưởng trong năm 01 trường hợp, còn lại 01"}},
		{name: "the year is full", q: q, reg: reg(12, 2), passed: []string{"l1", "l2"}, seats: 0,
			vi: []string{"còn lại 0.", "vượt chỉ tiêu, không được đề nghị: Trần Thị Cúc, Lê Văn Bình"}},
		// 8 + 2 = 10 → 1,5: half up gives 2.
		{name: "half up", q: Quota{OfAwardType: "LDTT", Percent: 15, Rounding: RoundHalfUp}, reg: reg(8, 0), passed: []string{"l1", "l2", "c1", "c2"}, seats: 2,
			vi: []string{"15% × 10 = 1,5, làm tròn (từ 0,5 trở lên thì làm tròn lên): tối đa 02"}, en: []string{"rounded half up: at most 2"}, notInFacts: "vượt chỉ tiêu"},
		// 4 + 2 = 6 → 0,9: ceil gives 1.
		{name: "ceil", q: Quota{OfAwardType: "LDTT", Percent: 15, Rounding: RoundCeil}, reg: reg(4, 0), passed: []string{"l1", "l2", "c1"}, seats: 1,
			vi: []string{"15% × 06 = 0,9, làm tròn lên: tối đa 01"}},
		// No register: only this session counts, and the facts say so.
		{name: "no register", q: q, reg: &QuotaRegister{Year: 2025}, passed: []string{"l1", "l2"}, seats: 0,
			vi: []string{"không đọc được sổ khen thưởng, chỉ tính 02 trường hợp đạt tại phiên họp này"}, en: []string{"could not be read"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := yearSession(c.q, c.reg, slices.Clone(agenda))
			s.Judge(counts, 0)
			var passed []string
			for _, it := range s.Agenda {
				if s.Results[it.ProposalID].Passed {
					passed = append(passed, it.ProposalID)
				}
			}
			if !slices.Equal(passed, c.passed) {
				t.Fatalf("passed %v, want %v (%+v)", passed, c.passed, s.Quota)
			}
			if c.reg == nil {
				if len(s.Quota["CSTDCS"].Groups) != 0 {
					t.Fatalf("the old rule has groups: %+v", s.Quota)
				}
				return
			}
			tr := s.Quota["CSTDCS"]
			if len(tr.Groups) != 1 || tr.Limit != c.seats || tr.Groups[0].Seats != c.seats {
				t.Fatalf("trace %+v, want %d seats", tr, c.seats)
			}
			g := tr.Groups[0]
			for _, want := range c.vi {
				if !strings.Contains(g.Text, want) {
					t.Errorf("Vietnamese facts lack %q:\n%s", want, g.Text)
				}
			}
			for _, want := range c.en {
				if !strings.Contains(g.TextEN, want) {
					t.Errorf("English facts lack %q:\n%s", want, g.TextEN)
				}
			}
			if c.notInFacts != "" && strings.Contains(g.Text, c.notInFacts) {
				t.Errorf("facts say %q:\n%s", c.notInFacts, g.Text)
			}
			if r := s.Results["c3"]; r.Passed || strings.Contains(r.Reason, "chỉ tiêu") {
				t.Errorf("c3 failed the pass mark, not the quota: %+v", r)
			}
			for _, id := range tr.Dropped {
				if r := s.Results[id]; r.Passed || !r.Vote.Passed || !strings.Contains(r.Reason, "vượt chỉ tiêu 15% năm 2025") {
					t.Errorf("dropped %s: %+v", id, r)
				}
			}
		})
	}
}

// TestYearQuotaPerYear: candidates of another achievement year (their movement's) are
// counted against that year's LĐTT.
func TestYearQuotaPerYear(t *testing.T) {
	agenda := []AgendaItem{item("c24", "Trần Thị Cúc", "CSTDCS"), item("c25", "Lê Văn Bình", "CSTDCS"), item("l25", "Nguyễn Văn Một", "LDTT")}
	reg := &QuotaRegister{Available: true, Year: 2025, Years: map[string]int{"c24": 2024},
		Counts: []YearCount{{"LDTT", 2024, 7}, {"LDTT", 2025, 5}}}
	s := yearSession(Quota{OfAwardType: "LDTT", Percent: 15}, reg, agenda)
	s.Judge(map[string]Count{"c24": {Yes: 6}, "c25": {Yes: 6}, "l25": {Yes: 6}}, 0)
	// 2024: 7 → 1 seat; 2025: 5 + 1 = 6 → 0 seats.
	if !s.Results["c24"].Passed || s.Results["c25"].Passed {
		t.Fatalf("results %+v", s.Results)
	}
	tr := s.Quota["CSTDCS"]
	if len(tr.Groups) != 2 || tr.Groups[0].Year != 2024 || tr.Groups[0].Base != 7 || tr.Groups[1].Year != 2025 || tr.Groups[1].Base != 6 {
		t.Fatalf("groups %+v", tr.Groups)
	}
}

// TestChairCastingVote: a tie at the cut under the chair's rule asks for the chair's
// marks on the tied only; once read, the chair's yes wins the seat; a chair without a
// valid ballot leaves the tie to a re-vote; a revote outcome sends the proposal back to
// the council.
func TestChairCastingVote(t *testing.T) {
	agenda := []AgendaItem{item("c1", "Trần Thị Cúc", "CSTDCS"), item("c2", "Lê Văn Bình", "CSTDCS"), item("c3", "Phạm Văn Chung", "CSTDCS")}
	reg := &QuotaRegister{Available: true, Year: 2025, Counts: []YearCount{{"LDTT", 2025, 7}}} // 1 seat
	counts := map[string]Count{"c1": {Yes: 5, No: 1}, "c2": {Yes: 5, No: 1}, "c3": {Yes: 6}}
	q := Quota{OfAwardType: "LDTT", Percent: 15, Ties: TieChair}
	s := yearSession(q, reg, agenda)
	if i := s.ChairBallot(); i != 1 || s.Sealed[i] != "b-chair" {
		t.Fatalf("chair's ballot at %d", i)
	}
	s.Judge(counts, 0)
	if need := s.CastingNeeded(); len(need) != 0 || !s.Results["c3"].Passed {
		t.Fatalf("no tie at the cut, yet casting asked for %v (%+v)", need, s.Results)
	}
	// Two seats: c3 is first, c1 and c2 tie for the second.
	reg.Counts[0].Count = 14
	s = yearSession(q, reg, agenda)
	s.Judge(counts, 0)
	if need := s.CastingNeeded(); !slices.Equal(need, []string{"c1", "c2"}) {
		t.Fatalf("casting needed for %v", need)
	}
	if !s.Results["c1"].Revote || s.Results["c1"].Passed {
		t.Fatalf("before the casting vote: %+v", s.Results["c1"])
	}
	exclude := s.clone()
	s.SetCasting(map[string]Choice{"c1": No, "c2": Yes})
	if !s.Results["c2"].Passed || s.Results["c1"].Passed || s.Results["c1"].Revote || !s.Results["c3"].Passed || s.CastingNeeded() != nil {
		t.Fatalf("after the casting vote: %+v", s.Results)
	}
	g := s.Quota["CSTDCS"].Groups[0]
	if !slices.Equal(g.Casting, []string{"c2", "c1"}) || !strings.Contains(g.Text, "theo phiếu của Chủ tịch Hội đồng: chọn Lê Văn Bình; không chọn Trần Thị Cúc") ||
		!strings.Contains(g.TextEN, "by the chair's casting vote: chosen Lê Văn Bình; not chosen Trần Thị Cúc") {
		t.Fatalf("facts %+v", g)
	}
	// The chair's ballot was invalid (or the chair did not vote): re-vote.
	exclude.SetCasting(map[string]Choice{})
	for _, id := range []string{"c1", "c2"} {
		if r := exclude.Results[id]; r.Passed || !r.Revote || !strings.Contains(r.Reason, "bỏ phiếu lại") {
			t.Fatalf("%s without the chair's marks: %+v", id, r)
		}
	}
	if g := exclude.Quota["CSTDCS"]; !slices.Equal(g.Revote, []string{"c2", "c1"}) ||
		!strings.Contains(g.Groups[0].Text, "phiếu của Chủ tịch Hội đồng không phân định được; Hội đồng bỏ phiếu lại đối với: Lê Văn Bình, Trần Thị Cúc") {
		t.Fatalf("revote trace %+v", g)
	}
	// The chair did not vote: no ballot to read.
	s = yearSession(q, reg, agenda)
	s.Voted, s.Sealed = s.Voted[2:], s.Sealed[2:]
	if i := s.ChairBallot(); i != -1 {
		t.Fatalf("absent chair's ballot at %d", i)
	}

	// A proposal marked for a re-vote waits for the council again.
	p := &Proposal{ID: "c1", Stage: StageEndorsed, Draft: newDraft()}
	sys := Actor{ID: "system", Name: "Hệ thống"}
	if err := p.JoinSession(sys, "s1", t0); err != nil {
		t.Fatal(err)
	}
	if err := p.ApplyOutcome(sys, Outcome{SessionID: "s1", Revote: true, Yes: 5, Reason: exclude.Results["c1"].Reason}, true, t0); err != nil {
		t.Fatal(err)
	}
	last := p.History[len(p.History)-1]
	if p.Stage != StageEndorsed || p.SessionID != "" || p.Outcome != nil || last.Action != ActionCouncilRevote || !strings.Contains(last.Comment, "bỏ phiếu lại") {
		t.Fatalf("re-voted proposal %+v, last %+v", p, last)
	}
	if err := p.JoinSession(sys, "s2", t0); err != nil {
		t.Fatalf("a proposal to re-vote cannot join the next session: %v", err)
	}
}
