package award

import "testing"

func TestPlanBulkReview(t *testing.T) {
	steps, err := PlanBulkReview([]string{"a", "b", "c"}, "Đồng ý", map[string]BulkException{"b": {HeadReturn, "Bổ sung minh chứng"}}, 10)
	if err != nil || len(steps) != 3 || steps[0].Decision != HeadEndorse || steps[0].Comment != "Đồng ý" ||
		steps[1].Decision != HeadReturn || steps[1].Comment != "Bổ sung minh chứng" || steps[2].ProposalID != "c" {
		t.Fatalf("%+v %v", steps, err)
	}
	bad := []struct {
		name   string
		ids    []string
		except map[string]BulkException
	}{
		{"none", nil, nil},
		{"too many", []string{"a", "b", "c", "d"}, nil},
		{"twice", []string{"a", "a"}, nil},
		{"exception not selected", []string{"a"}, map[string]BulkException{"x": {HeadReturn, "lý do"}}},
		{"exception endorse", []string{"a"}, map[string]BulkException{"a": {HeadEndorse, "lý do"}}},
		{"exception unknown", []string{"a"}, map[string]BulkException{"a": {"delete", "lý do"}}},
		{"exception without reason", []string{"a"}, map[string]BulkException{"a": {HeadReject, " "}}},
	}
	for _, c := range bad {
		if _, err := PlanBulkReview(c.ids, "", c.except, 3); codeOf(err) != CodeInvalid {
			t.Errorf("%s: %v", c.name, err)
		}
	}
}
