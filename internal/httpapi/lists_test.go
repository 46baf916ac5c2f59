package httpapi

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/awardflow/awardflow/internal/award"
	"github.com/awardflow/awardflow/internal/orgconfig"
	"github.com/awardflow/awardflow/workflows"
)

// Every list the API sends is [] when empty, never null, at any depth and behind
// pointers, interfaces and maps; the value handed in is left as it was.
func TestEmptyListsAreEncodedAsEmptyArrays(t *testing.T) {
	at := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	pv := workflows.ProposalView{Proposal: award.Proposal{ID: "proposal-1", CreatedAt: at, Outcome: &award.Outcome{}}}
	sv := workflows.SessionView{Session: award.Session{ID: "session-1", Agenda: []award.AgendaItem{{}},
		Results: map[string]award.Result{"x": {}}, Decisions: []award.DecisionRef{{}},
		Counts: map[string]award.Count{}, Rules: map[string]award.VoteRule{}}}
	org := &orgconfig.Org{Departments: []orgconfig.Department{{ID: "a"}}}
	for name, v := range map[string]any{
		"proposal":      pv,
		"session":       &sv,
		"list in a map": map[string]any{"items": []Item(nil)},
		"items":         []Item{{ID: "x"}},
		"org":           org,
		"upload":        map[string]any{"evidence": award.Evidence{}, "proposal": pv},
	} {
		b, err := json.Marshal(emptyLists(v))
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(b), "null") {
			t.Errorf("%s: %s", name, b)
		}
	}
	// the original is untouched, times and nil maps survive
	if pv.Evidence != nil || org.Movements != nil {
		t.Fatal("emptyLists changed its argument")
	}
	b, _ := json.Marshal(emptyLists(pv))
	if !strings.Contains(string(b), `"created_at":"2026-01-02T03:04:05Z"`) {
		t.Errorf("time lost: %s", b)
	}
	b, _ = json.Marshal(emptyLists(workflows.SessionView{}))
	if !strings.Contains(string(b), `"counts":null`) || !strings.Contains(string(b), `"voted":[]`) {
		t.Errorf("session: %s", b)
	}
}
