package award

import "strings"

// BulkException is one row of a bulk review handled otherwise than the rest.
type BulkException struct {
	Decision HeadDecision
	Comment  string
}

// BulkStep is what a bulk review does to one proposal.
type BulkStep struct {
	ProposalID string
	Decision   HeadDecision
	Comment    string
}

// PlanBulkReview turns "endorse all of these, except …" into one step per proposal, in
// the order given: each listed proposal once; every exception on a listed proposal, a
// return or a rejection with its own reason (a return or rejection needs one). The
// workflows check each step again (who may, which stage).
func PlanBulkReview(ids []string, comment string, except map[string]BulkException, max int) ([]BulkStep, error) {
	if len(ids) == 0 {
		return nil, Invalid("Chưa chọn hồ sơ nào", "no proposals selected")
	}
	if len(ids) > max {
		return nil, Invalid("Mỗi lần xét tối đa %d hồ sơ", "at most %d proposals at a time", max)
	}
	seen := map[string]bool{}
	for _, id := range ids {
		if seen[id] {
			return nil, Invalid("Hồ sơ “%s” được chọn hai lần", "proposal %q is selected twice", id)
		}
		seen[id] = true
	}
	for id, e := range except {
		if !seen[id] {
			return nil, Invalid("Ngoại lệ cho hồ sơ “%s” không có trong danh sách đã chọn", "the exception for %q is not among the selected proposals", id)
		}
		switch e.Decision {
		case HeadReturn, HeadReject:
		default:
			return nil, Invalid("Ngoại lệ chỉ có thể là trả lại hoặc không xác nhận (return, reject)", "an exception is return or reject")
		}
		if strings.TrimSpace(e.Comment) == "" {
			return nil, Invalid("Cần ghi lý do trả lại hoặc không xác nhận cho từng hồ sơ ngoại lệ", "each returned or rejected proposal needs its reason")
		}
	}
	steps := make([]BulkStep, 0, len(ids))
	for _, id := range ids {
		st := BulkStep{ProposalID: id, Decision: HeadEndorse, Comment: comment}
		if e, ok := except[id]; ok {
			st.Decision, st.Comment = e.Decision, e.Comment
		}
		steps = append(steps, st)
	}
	return steps, nil
}
