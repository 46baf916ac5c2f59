package workflows

import (
	"testing"
	"time"

	"go.temporal.io/sdk/testsuite"

	"github.com/awardflow/awardflow/internal/award"
)

// rejectedWith expects the update's validator to refuse it as forbidden.
func rejectedWith(t *testing.T, what string) *testsuite.TestUpdateCallback {
	return &testsuite.TestUpdateCallback{
		OnReject: func(err error) {
			if de, ok := DomainError(err); !ok || de.Code != award.CodeForbidden {
				t.Errorf("%s: rejected with %v, want forbidden", what, err)
			}
		},
		OnAccept:   func() { t.Errorf("%s: accepted", what) },
		OnComplete: func(any, error) {},
	}
}

// An escalated (overdue) review, with the deadline shortened by ReviewWithin: the
// person it escalated to is refused before the escalation and may decide after it; a
// delegate of the head acts on it too, the mandate carried in the update's actor; a
// mandate of another scope (the secretary's) does not review.
func TestEscalatedReviewByDelegateAndEscalatee(t *testing.T) {
	deputy := award.Actor{ID: "quoccuong", Name: "Lê Quốc Cường", Department: "tt", Roles: []award.Role{award.RoleStaff},
		Acting: []award.Mandate{{DelegationID: "d1", ForID: "tptt", ForName: head.Name, Scope: award.DelegationReview}}}
	secDeputy := deputy
	secDeputy.Acting = []award.Mandate{{DelegationID: "d2", ForID: "thuky", ForName: sec.Name, Scope: award.DelegationSecretary}}
	for _, c := range []struct {
		name  string
		actor award.Actor
		by    string
	}{{"the head's delegate", deputy, "quoccuong"}, {"the person it escalated to", chair, "truongban"}} {
		t.Run(c.name, func(t *testing.T) {
			env := newEnv()
			in := proposalInput()
			in.Criteria = nil
			in.Escalate = []string{"truongban"}
			in.ReviewWithin = 2 * time.Hour
			env.RegisterDelayedCallback(func() {
				env.UpdateWorkflowNoRejection(UpdateSubmit, "s1", t, ActorInput{staff})
			}, time.Minute)
			env.RegisterDelayedCallback(func() {
				env.UpdateWorkflow(UpdateReview, "early", rejectedWith(t, "before the escalation"), ReviewInput{chair, award.HeadEndorse, ""})
			}, time.Hour)
			env.RegisterDelayedCallback(func() {
				env.UpdateWorkflow(UpdateReview, "wrong-scope", rejectedWith(t, "a secretary's mandate"), ReviewInput{secDeputy, award.HeadEndorse, ""})
				env.UpdateWorkflowNoRejection(UpdateReview, "r1", t, ReviewInput{c.actor, award.HeadReject, "Không đủ điều kiện"})
			}, 3*time.Hour)
			env.ExecuteWorkflow(ProposalWorkflowV2, in)
			var out ProposalView
			if err := env.GetWorkflowResult(&out); err != nil {
				t.Fatal(err)
			}
			var actions []string
			for _, e := range out.History {
				actions = append(actions, string(e.Action))
			}
			last := out.History[len(out.History)-1]
			if out.Stage != award.StageRejected {
				t.Fatalf("stage %s, history %v", out.Stage, actions)
			}
			found := false
			for _, e := range out.History {
				if e.Action == award.ActionReject {
					found = true
					if e.ActorID != c.by || (c.by == "quoccuong") != (e.OnBehalfOfID == "tptt") {
						t.Fatalf("endorsement %+v", e)
					}
				}
			}
			if !found {
				t.Fatalf("no endorsement in %v (last %+v)", actions, last)
			}
		})
	}
}
