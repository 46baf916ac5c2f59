package orgconfig

import (
	"strings"
	"testing"

	"github.com/awardflow/awardflow/internal/award"
)

// TestRuleSetsRejected: bad eligibility data in the rule sets is refused at start,
// with a message naming what is wrong.
func TestRuleSetsRejected(t *testing.T) {
	good := string(demoYAML)
	cases := map[string]struct{ from, to, says string }{
		"unknown award code":        {"      - award_type: TTLDTT\n", "      - award_type: TTLDT\n", "unknown award type"},
		"unknown title":             {"title: LDTT, title_source: register_or_record, verified: true", "title: LDT, title_source: register_or_record, verified: true", "unknown title"},
		"negative months":           {"min_months: 10", "min_months: -10", "min_months -10"},
		"13 months":                 {"min_months: 10", "min_months: 13", "min_months 13"},
		"negative absence":          {"absence_limit: 40", "absence_limit: -40", "absence_limit -40"},
		"share above 1":             {"share: {num: 1, den: 2}", "share: {num: 3, den: 2}", "share 3/2"},
		"negative share":            {"share: {num: 1, den: 2}", "share: {num: -1, den: 2}", "share -1/2"},
		"share over zero":           {"share: {num: 1, den: 2}", "share: {num: 1, den: 0}", "share 1/0"},
		"negative count":            {"min_count: 1, verified: false", "min_count: -1, verified: false", "min_count -1"},
		"negative years":            {"years: 3", "years: -3", "years -3"},
		"unknown rule":              {"rule: months_of_service", "rule: months_served", "unknown rule"},
		"param the rule ignores":    {"rule: rating, min_rating: good,", "rule: rating, min_rating: good, min_months: 10,", "does not take min_months"},
		"missing parameter":         {"rule: days_absent, absence_limit: 40,", "rule: days_absent,", "needs absence_limit"},
		"unknown rating":            {"min_rating: good", "min_rating: great", "unknown min_rating"},
		"discipline from none":      {"discipline_from: reprimand", "discipline_from: none", "discipline_from"},
		"unknown discipline":        {"discipline_from: reprimand", "discipline_from: khien_trach", "discipline_from"},
		"unknown title source":      {"title_source: register_or_record", "title_source: rumour", "title_source"},
		"member rule, individual":   {"rule: rating, min_rating: good,", "rule: members_discipline, discipline_from: warning,", "collectives only"},
		"no citation":               {"citation: \"Luật Thi đua, khen thưởng 2022, Điều 24: hoàn thành tốt nhiệm vụ trở lên\"", "citation: \"\"", "citation is required"},
		"criterion id twice":        {"id: ldtt-ngay-nghi", "id: ldtt-thoi-gian", "repeated"},
		"an award type left out":    {"      - award_type: TTLDTT\n", "      - award_type: GK\n", "TTLDTT (collective) has no eligibility"},
		"two sets, one first year":  {"from_year: 2024", "from_year: 2025", "achievement year 2025"},
		"a title that needs itself": {"rule: title, title: LDTT, title_source: register_or_record", "rule: title, title: CSTDCS, title_source: register_or_record", "need themselves"},
		"sub-criterion citation":    {"- {rule: initiatives, min_count: 1}", "- {rule: initiatives, min_count: 1, citation: x}", "any_of[1]"},
	}
	for name, c := range cases {
		y := strings.Replace(good, c.from, c.to, 1)
		if y == good {
			t.Fatalf("%s: replacement did not apply", name)
		}
		_, err := Parse([]byte(y))
		if err == nil {
			t.Errorf("%s: accepted", name)
			continue
		}
		if !strings.Contains(err.Error(), c.says) {
			t.Errorf("%s: error does not say %q: %v", name, c.says, err)
		}
	}
}

// TestRuleSetsWithoutEligibility: an older configuration, rule sets without criteria,
// still loads; its proposals are judged "unknown", never silently eligible.
func TestRuleSetsWithoutEligibility(t *testing.T) {
	good := string(demoYAML)
	start, end := strings.Index(good, "    eligibility:\n"), strings.Index(good, "  - id: luat-2022-nd152")
	y := good[:start] + good[end:]
	start, end = strings.LastIndex(y, "    eligibility:\n"), strings.Index(y, "# The catalogue of award types")
	y = y[:start] + y[end:]
	o, err := Parse([]byte(y))
	if err != nil {
		t.Fatal(err)
	}
	rules, ok := o.RulesForYear(2026)
	if !ok || len(rules.Set.Eligibility) != 0 {
		t.Fatalf("rules %+v", rules.Set)
	}
	r := award.Evaluate(rules, "LDTT", award.Nominee{Kind: award.KindIndividual, ID: "hongdao", Year: 2026}, nil)
	if award.Verdict(r) != award.StatusUnknown {
		t.Fatalf("%+v", r)
	}
}
