// Package eligibility judges a proposal's nominee against the rule set of its
// achievement year (award.Evaluate) with what the records store knows: the year's annual
// data of the person or unit (and, for a unit, of its members) and the titles the award
// register says they held. The HTTP layer shows the judgement on the proposal and gates
// submission and the council's agenda with award.CheckEligible.
package eligibility

import (
	"context"
	"fmt"

	"github.com/awardflow/awardflow/internal/award"
	"github.com/awardflow/awardflow/internal/orgconfig"
	"github.com/awardflow/awardflow/internal/store"
)

// Subject is who is judged for what.
type Subject struct {
	Kind      award.NomineeKind
	NomineeID string // the person (individual) or unit (collective); "" when not linked to the directory
	Name      string
	AwardType string
	Year      int // the achievement year
}

// Judgement is the result: the rule set that judged, the verdict and one result per
// criterion.
type Judgement struct {
	RuleSet      string                  `json:"rule_set"`
	Verdict      award.CriterionStatus   `json:"verdict"`
	VerdictLabel string                  `json:"verdict_label"`
	Results      []award.CriterionResult `json:"results"`
}

// Judge evaluates s. A nominee not linked to the directory is judged with no data (every
// data criterion unknown). No rule set for the year is an unknown verdict, not an error.
func Judge(ctx context.Context, st *store.Store, org *orgconfig.Org, s Subject) (Judgement, error) {
	rules, ok := org.RulesForYear(s.Year)
	if !ok {
		r := award.CriterionResult{ID: "no_rule_set", Status: award.StatusUnknown,
			Requirement: "Bộ quy tắc áp dụng", RequirementEN: "the applicable rule set",
			Reason:   fmt.Sprintf("Chưa có bộ quy tắc cho năm thành tích %d", s.Year),
			ReasonEN: fmt.Sprintf("no rule set covers the achievement year %d", s.Year)}
		return judgement("", []award.CriterionResult{r}), nil
	}
	n := award.Nominee{Kind: s.Kind, ID: s.NomineeID, Year: s.Year}
	var history []award.AwardRecord
	if s.NomineeID != "" && st != nil {
		own, err := st.AnnualRecords(ctx, store.AnnualFilter{Year: s.Year, Kind: s.Kind, ID: s.NomineeID})
		if err != nil {
			return Judgement{}, fmt.Errorf("judge %s: %w", s.NomineeID, err)
		}
		if len(own) == 1 {
			rec := own[0].AnnualRecord
			n.Record = &rec
		}
		if history, err = st.AwardHistory(ctx, s.Kind, s.NomineeID); err != nil {
			return Judgement{}, fmt.Errorf("judge %s: %w", s.NomineeID, err)
		}
		if s.Kind == award.KindCollective {
			members, err := st.AnnualRecords(ctx, store.AnnualFilter{Year: s.Year, Kind: award.KindIndividual, UnitID: s.NomineeID})
			if err != nil {
				return Judgement{}, fmt.Errorf("judge %s: %w", s.NomineeID, err)
			}
			for _, m := range members {
				n.Members = append(n.Members, m.AnnualRecord)
				h, err := st.AwardHistory(ctx, award.KindIndividual, m.ID)
				if err != nil {
					return Judgement{}, fmt.Errorf("judge %s: %w", s.NomineeID, err)
				}
				history = append(history, h...)
			}
		}
	}
	return judgement(rules.Set.ID, award.Evaluate(rules, s.AwardType, n, history)), nil
}

func judgement(ruleSet string, results []award.CriterionResult) Judgement {
	v := award.Verdict(results)
	return Judgement{RuleSet: ruleSet, Verdict: v, VerdictLabel: v.LabelVI(), Results: results}
}
