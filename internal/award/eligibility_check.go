package award

// CheckEligible is the gate at submission and at the council: a nominee who fails a
// criterion of the rule set (Verdict not met) is refused, with the first failed
// criterion's requirement, reason and legal basis. Missing data (unknown) and the
// council's judgement do not stop a proposal; the page shows them.
func CheckEligible(nominee string, results []CriterionResult) error {
	if Verdict(results) != StatusNotMet {
		return nil
	}
	for _, r := range results {
		if r.Status != StatusNotMet {
			continue
		}
		cite := r.Citation
		if cite == "" {
			cite = r.RuleSet
		}
		return Invalid("%[1]s chưa đủ tiêu chuẩn — %[2]s: %[3]s (căn cứ: %[4]s)",
			"%[1]s does not qualify — %[5]s: %[6]s (basis: %[4]s)", nominee, r.Requirement, r.Reason, cite, r.RequirementEN, r.ReasonEN)
	}
	return Invalid("%[1]s chưa đủ tiêu chuẩn", "%[1]s does not qualify", nominee)
}
