package workflows

import (
	"slices"
	"testing"

	"github.com/awardflow/awardflow/internal/award"
)

// The undo steps run through the workflow's updates: a refused one (wrong person, wrong
// stage, required evidence missing) never enters the history; withdraw goes back to
// draft and submits again; delete ends the workflow in the deleted stage.
func TestProposalUndoSteps(t *testing.T) {
	env := newEnv()
	in := proposalInput()
	answers := []award.CriterionAnswer{{CriterionID: "c1", Met: true, Evidence: []string{sha64}}, {CriterionID: "c2", Met: true}}
	needs := award.SubmitRules{EvidenceRequired: true}
	runIDSteps(t, env, []idStep{
		{"self-assess", UpdateSelfAssess, "", SelfAssessInput{staff, []award.CriterionAnswer{{CriterionID: "c1", Met: true}, {CriterionID: "c2", Met: true}}}, ""},
		{"submit without the required evidence", UpdateSubmit, "", SubmitInput{Actor: staff, Rules: needs}, award.CodeInvalid},
		{"withdraw a draft", UpdateWithdraw, "", ActorInput{staff}, award.CodeWrongStage},
		{"attach", UpdateAttach, "", AttachInput{staff, award.Evidence{SHA256: sha64, Key: "k", Name: "sang-kien.pdf"}}, ""},
		{"link it", UpdateSelfAssess, "", SelfAssessInput{staff, answers}, ""},
		{"remove it as the head", UpdateRemoveEvidence, "", RemoveEvidenceInput{head, sha64}, award.CodeForbidden},
		{"submit with it", UpdateSubmit, "", SubmitInput{Actor: staff, Rules: needs}, ""},
		{"remove it once submitted", UpdateRemoveEvidence, "", RemoveEvidenceInput{staff, sha64}, award.CodeWrongStage},
		{"delete once submitted", UpdateDelete, "", ActorInput{staff}, award.CodeWrongStage},
		{"withdraw as the head", UpdateWithdraw, "", ActorInput{head}, award.CodeForbidden},
		{"withdraw", UpdateWithdraw, "", ActorInput{staff}, ""},
		{"remove it in draft", UpdateRemoveEvidence, "", RemoveEvidenceInput{staff, sha64}, ""},
		{"remove it again", UpdateRemoveEvidence, "", RemoveEvidenceInput{staff, sha64}, award.CodeNotFound},
		{"submit again without it", UpdateSubmit, "", SubmitInput{Actor: staff, Rules: needs}, award.CodeInvalid},
		{"submit under no rule", UpdateSubmit, "", ActorInput{staff}, ""},
		{"head endorses? no: withdraw again", UpdateWithdraw, "", ActorInput{staff}, ""},
		{"delete as the head", UpdateDelete, "", ActorInput{head}, award.CodeForbidden},
		{"delete", UpdateDelete, "", ActorInput{staff}, ""},
	}, nil)
	env.ExecuteWorkflow(ProposalWorkflowV2, in)
	out := finish(t, env)
	var actions []string
	for _, e := range out.History {
		actions = append(actions, string(e.Action))
	}
	want := []string{"create", "self_assess", "attach_evidence", "self_assess", "submit", "withdraw", "remove_evidence",
		"submit", "withdraw", "delete"}
	if !slices.Equal(actions, want) {
		t.Fatalf("history %v, want %v", actions, want)
	}
	if out.Stage != award.StageDeleted || len(out.Evidence) != 0 || len(out.Assignees) != 0 {
		t.Fatalf("end: stage %s, evidence %v, assignees %v", out.Stage, out.Evidence, out.Assignees)
	}
	for _, a := range out.SelfAssessment {
		if len(a.Evidence) != 0 {
			t.Fatalf("a criterion still points at the removed file: %+v", a)
		}
	}
}
