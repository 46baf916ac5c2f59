package workflows

import (
	"fmt"
	"slices"
	"time"

	"go.temporal.io/sdk/workflow"

	"github.com/awardflow/awardflow/internal/award"
)

// ProposalInput starts a ProposalWorkflow. The server resolves everything that depends on
// the organisation config (criteria, heads, secretaries) so the workflow stays pure.
type ProposalInput struct {
	ID          string            `json:"id"`
	Draft       award.Draft       `json:"draft"`
	Proposer    award.Actor       `json:"proposer"`
	RuleSet     string            `json:"rule_set"`
	Criteria    []award.Criterion `json:"criteria"`
	Heads       []string          `json:"heads"`       // department heads who review it
	Secretaries []string          `json:"secretaries"` // council secretaries who put it on a session
	ReviewDays  int               `json:"review_days"` // how long a head has, for AwardDueAt
	// ReviewWithin, when set, is the review deadline's length instead of ReviewDays
	// days (drills and end-to-end tests: a deadline of seconds); deadlines still run
	// only with ReviewDays > 0. Absent from older inputs: they replay as they ran.
	ReviewWithin time.Duration `json:"review_within,omitempty"`
	// Escalate are the people told when a head lets the review deadline pass (the agency
	// head by default); they join the proposal's assignees.
	Escalate []string `json:"escalate"`
	// HeadReviewers review the proposals a department head filed or that nominate one
	// (organisation config: agency.head_proposal_reviewers; see award.Reviewers).
	HeadReviewers []string `json:"head_reviewers,omitempty"`
	// Year is the award year of the movement (the year of filing when the movement has
	// none), for the lists; 0 in proposals filed before it.
	Year int `json:"year,omitempty"`
}

// ActorInput carries only who acts.
type ActorInput struct {
	Actor award.Actor `json:"actor"`
}

// ReviseInput replaces the draft; Criteria are those of the (possibly new) movement.
type ReviseInput struct {
	Actor    award.Actor       `json:"actor"`
	Draft    award.Draft       `json:"draft"`
	Criteria []award.Criterion `json:"criteria"`
	// Year is the award year of the (possibly new) movement; 0 keeps the year.
	Year int `json:"year,omitempty"`
}

// SelfAssessInput is the nominee's self-assessment.
type SelfAssessInput struct {
	Actor   award.Actor             `json:"actor"`
	Answers []award.CriterionAnswer `json:"answers"`
}

// AttachInput lists an uploaded evidence file on the proposal.
type AttachInput struct {
	Actor    award.Actor    `json:"actor"`
	Evidence award.Evidence `json:"evidence"`
}

// SubmitInput sends the proposal to its reviewers under its award type's rules. It reads
// as ActorInput (which submit took before the rules existed), so recorded histories
// decode to no rules and replay as they ran.
type SubmitInput struct {
	Actor award.Actor       `json:"actor"`
	Rules award.SubmitRules `json:"rules,omitzero"`
	// Judged is what the server judged the nominee's eligibility for, from the records
	// store's row; nil when it judged from this workflow's state (award.Judged).
	Judged *award.Judged `json:"judged,omitempty"`
}

// RemoveEvidenceInput takes one evidence file off the proposal.
type RemoveEvidenceInput struct {
	Actor  award.Actor `json:"actor"`
	SHA256 string      `json:"sha256"`
}

// ReviewInput is the department head's decision.
type ReviewInput struct {
	Actor    award.Actor        `json:"actor"`
	Decision award.HeadDecision `json:"decision"`
	Comment  string             `json:"comment"`
}

// JoinInput puts the proposal on a council session.
type JoinInput struct {
	SessionID string `json:"session_id"`
}

// OutcomeInput delivers the council's verdict.
type OutcomeInput struct {
	Outcome   award.Outcome `json:"outcome"`
	QuorumMet bool          `json:"quorum_met"`
}

// ProposalView is what queries and updates return.
type ProposalView struct {
	award.Proposal
	Criteria  []award.Criterion `json:"criteria"`
	Assignees []string          `json:"assignees"`
	// Projection is the list row of the last change, when the workflow writes its rows:
	// the API writes it at once from an update's answer, so that the caller's own change
	// shows in the lists they load next (the workflow's write follows; both are the
	// same). Not part of the API's answers.
	Projection *Projection `json:"projection,omitempty"`
}

// systemActor signs the steps that workflows take on their own.
var systemActor = award.Actor{ID: "system", Name: "Hệ thống"}

// ProposalWorkflow carries one proposal from filing to the council's outcome. Every human
// step is an Update whose validator applies the domain rules, so a refused step never
// enters the history and the caller gets the reason.
//
// ProposalWorkflow is the type proposals filed before ProposalWorkflowV2 run under (its
// histories replay with every versioned branch); new proposals start as
// ProposalWorkflowV2, the same code with those branches folded (patches).
func ProposalWorkflow(ctx workflow.Context, in ProposalInput) (ProposalView, error) {
	return proposalWorkflow(ctx, in, legacy)
}

// ProposalWorkflowV2 is ProposalWorkflow with every change up to the fold taken (no
// version markers, no TemporalChangeVersion writes) and search attributes upserted only
// when they change: filing, assessing, submitting and endorsing upsert twice instead of
// six times, with no version marker (TestFilingVisibilityWrites).
func ProposalWorkflowV2(ctx workflow.Context, in ProposalInput) (ProposalView, error) {
	return proposalWorkflow(ctx, in, patches{folded: true})
}

// ProposalWorkflowV3 is ProposalWorkflowV2 where the list row of a change the API asks
// for is written by the API (ownrow.go): no timer, activity or extra workflow task per
// change. A new type rather than a version marker: a V2 history replays as it ran, and a
// worker of an older release never picks up a V3 task it would run differently.
func ProposalWorkflowV3(ctx workflow.Context, in ProposalInput) (ProposalView, error) {
	return proposalWorkflow(ctx, in, patches{folded: true, ownRows: true})
}

func proposalWorkflow(ctx workflow.Context, in ProposalInput, pv patches) (ProposalView, error) {
	// Versioned: proposals filed before text checks and configured reviewers replay
	// under the rules they ran with.
	newProposal := award.NewLegacyProposal
	if pv.version(ctx, versionDomainChecks, 1) >= 1 {
		newProposal = award.NewProposal
	}
	p, err := newProposal(in.ID, in.Draft, in.Proposer, in.RuleSet, workflow.Now(ctx))
	if err != nil {
		return ProposalView{}, asApplicationError(err)
	}
	p.SetReviewers(in.Heads, in.HeadReviewers)
	reqs := requestLog{}
	criteria := in.Criteria
	year := in.Year
	proj, err := newProjector(ctx, pv)
	if err != nil {
		return ProposalView{}, fmt.Errorf("register the projection: %w", err)
	}
	view := func() ProposalView {
		return ProposalView{Proposal: *p, Criteria: criteria, Assignees: assignees(p, in), Projection: proj.current()}
	}
	// publish publishes a change made in cctx: an update handler's context, the root's
	// for the filing (its Update-with-Start's mark), own for the workflow's own changes.
	publish := func(cctx workflow.Context) error {
		if err := publishStage(ctx, pv, p, in); err != nil {
			return err
		}
		proj.changedIn(cctx, proposalRow(p, in, year))
		return nil
	}
	// published publishes a change, then answers the view that includes it.
	published := func(cctx workflow.Context) (ProposalView, error) {
		err := publish(cctx)
		return view(), err
	}
	if err := publish(ctx); err != nil {
		return ProposalView{}, err
	}
	own := withoutOwnRow(ctx)

	reg := func(name string, validator, handler any) error {
		return workflow.SetUpdateHandlerWithOptions(ctx, name, handler, workflow.UpdateHandlerOptions{Validator: validator})
	}
	errs := []error{
		workflow.SetQueryHandler(ctx, QueryState, func() (ProposalView, error) { return view(), nil }),
		workflow.SetQueryHandler(ctx, QueryRequests, func(scope string) (string, error) { return reqs[scope], nil }),
		// Each validator calls the same domain check as its handler (award.Check*), so a
		// step the handler would refuse never enters the history.
		reg(UpdateCreate,
			func(ctx workflow.Context, a ActorInput) error {
				return firstErr(reqs.check(ctx), asApplicationError(p.CheckFiledBy(a.Actor)))
			},
			func(ctx workflow.Context, a ActorInput) (ProposalView, error) {
				reqs.record(ctx)
				if err := p.CheckFiledBy(a.Actor); err != nil {
					return ProposalView{}, asApplicationError(err)
				}
				return view(), nil
			}),
		reg(UpdateRevise,
			func(ctx workflow.Context, in ReviseInput) error {
				_, err := p.CheckRevise(in.Actor, in.Draft)
				return firstErr(reqs.check(ctx), asApplicationError(err))
			},
			func(ctx workflow.Context, rev ReviseInput) (ProposalView, error) {
				reqs.record(ctx)
				if err := p.Revise(rev.Actor, rev.Draft, workflow.Now(ctx)); err != nil {
					return ProposalView{}, asApplicationError(err)
				}
				criteria = rev.Criteria
				if rev.Year != 0 {
					year = rev.Year
				}
				// The nominee may have changed, and with them who reviews.
				p.SetReviewers(in.Heads, in.HeadReviewers)
				// The movement may have changed: its criteria must be assessed again.
				if len(p.SelfAssessment) != 0 && p.CheckSelfAssess(rev.Actor, p.SelfAssessment, criteria) != nil {
					p.SelfAssessment = nil
				}
				return published(ctx)
			}),
		reg(UpdateSelfAssess,
			func(ctx workflow.Context, in SelfAssessInput) error {
				return firstErr(reqs.check(ctx), asApplicationError(p.CheckSelfAssess(in.Actor, in.Answers, criteria)))
			},
			func(ctx workflow.Context, in SelfAssessInput) (ProposalView, error) {
				reqs.record(ctx)
				if err := p.SelfAssess(in.Actor, in.Answers, criteria, workflow.Now(ctx)); err != nil {
					return ProposalView{}, asApplicationError(err)
				}
				return view(), nil
			}),
		reg(UpdateAttach,
			func(ctx workflow.Context, in AttachInput) error {
				_, err := p.CheckAttach(in.Actor, in.Evidence)
				return firstErr(reqs.check(ctx), asApplicationError(err))
			},
			func(ctx workflow.Context, in AttachInput) (ProposalView, error) {
				reqs.record(ctx)
				if _, err := p.Attach(in.Actor, in.Evidence, workflow.Now(ctx)); err != nil {
					return ProposalView{}, asApplicationError(err)
				}
				return view(), nil
			}),
		reg(UpdateSubmit,
			func(ctx workflow.Context, in SubmitInput) error {
				return firstErr(reqs.check(ctx), asApplicationError(p.CheckSubmitWith(in.Actor, criteria, in.Rules)),
					asApplicationError(p.CheckJudged(in.Judged, year)))
			},
			func(ctx workflow.Context, in SubmitInput) (ProposalView, error) {
				reqs.record(ctx)
				if err := p.CheckJudged(in.Judged, year); err != nil {
					return ProposalView{}, asApplicationError(err)
				}
				if err := p.SubmitWith(in.Actor, criteria, in.Rules, workflow.Now(ctx)); err != nil {
					return ProposalView{}, asApplicationError(err)
				}
				return published(ctx)
			}),
		// The undo steps: new updates that histories recorded before them never call, so
		// they replay unchanged (no version marker needed).
		reg(UpdateRemoveEvidence,
			func(ctx workflow.Context, in RemoveEvidenceInput) error {
				return firstErr(reqs.check(ctx), asApplicationError(p.CheckRemoveEvidence(in.Actor, in.SHA256)))
			},
			func(ctx workflow.Context, in RemoveEvidenceInput) (ProposalView, error) {
				reqs.record(ctx)
				if err := p.RemoveEvidence(in.Actor, in.SHA256, workflow.Now(ctx)); err != nil {
					return ProposalView{}, asApplicationError(err)
				}
				return published(ctx)
			}),
		reg(UpdateWithdraw,
			func(ctx workflow.Context, in ActorInput) error {
				return firstErr(reqs.check(ctx), asApplicationError(p.CheckWithdraw(in.Actor)))
			},
			func(ctx workflow.Context, in ActorInput) (ProposalView, error) {
				reqs.record(ctx)
				if err := p.Withdraw(in.Actor, workflow.Now(ctx)); err != nil {
					return ProposalView{}, asApplicationError(err)
				}
				return published(ctx)
			}),
		reg(UpdateDelete,
			func(ctx workflow.Context, in ActorInput) error {
				return firstErr(reqs.check(ctx), asApplicationError(p.CheckDelete(in.Actor)))
			},
			func(ctx workflow.Context, in ActorInput) (ProposalView, error) {
				reqs.record(ctx)
				if err := p.Delete(in.Actor, workflow.Now(ctx)); err != nil {
					return ProposalView{}, asApplicationError(err)
				}
				return published(ctx)
			}),
		reg(UpdateReview,
			func(ctx workflow.Context, in ReviewInput) error {
				return firstErr(reqs.check(ctx), asApplicationError(p.CheckReview(in.Actor, in.Decision, in.Comment)))
			},
			func(ctx workflow.Context, in ReviewInput) (ProposalView, error) {
				reqs.record(ctx)
				if err := p.Review(in.Actor, in.Decision, in.Comment, workflow.Now(ctx)); err != nil {
					return ProposalView{}, asApplicationError(err)
				}
				return published(ctx)
			}),
		reg(UpdateJoinSession,
			func(in JoinInput) error { return asApplicationError(p.CheckJoinSession(in.SessionID)) },
			func(ctx workflow.Context, in JoinInput) (ProposalView, error) {
				if err := p.JoinSession(systemActor, in.SessionID, workflow.Now(ctx)); err != nil {
					return ProposalView{}, asApplicationError(err)
				}
				return published(ctx)
			}),
		reg(UpdateOutcome,
			func(in OutcomeInput) error { return asApplicationError(p.CheckOutcome(in.Outcome)) },
			func(ctx workflow.Context, in OutcomeInput) (ProposalView, error) {
				if err := p.ApplyOutcome(systemActor, in.Outcome, in.QuorumMet, workflow.Now(ctx)); err != nil {
					return ProposalView{}, asApplicationError(err)
				}
				return published(ctx)
			}),
	}
	for _, err := range errs {
		if err != nil {
			return ProposalView{}, fmt.Errorf("register handlers: %w", err)
		}
	}

	// A proposal lives until the council (or the head) settles it. While it waits for
	// its head, the review deadline races the head's update: when it passes, the review
	// is escalated. Versioned: proposals started before deadlines existed replay as they ran.
	deadlines := pv.version(ctx, versionReviewDeadline, 1) >= 1 && in.ReviewDays > 0
	for !p.Stage.Final() {
		if deadlines && p.Stage == award.StageSubmitted && !p.Overdue {
			due := reviewDue(p, in)
			left := due.Sub(workflow.Now(ctx))
			if left > 0 {
				ok, err := workflow.AwaitWithTimeout(ctx, left, func() bool { return p.Stage != award.StageSubmitted })
				if err != nil {
					return ProposalView{}, fmt.Errorf("wait for the review: %w", err)
				}
				if ok {
					continue
				}
			}
			if p.MarkOverdue(workflow.Now(ctx), in.ReviewDays, in.Escalate...) {
				if err := publish(own); err != nil {
					return ProposalView{}, err
				}
			}
			continue
		}
		stage, overdue := p.Stage, p.Overdue
		if err := workflow.Await(ctx, func() bool { return p.Stage != stage || p.Overdue != overdue }); err != nil {
			return ProposalView{}, fmt.Errorf("wait for a final stage: %w", err)
		}
	}
	// Let in-flight handlers finish so that their callers get an answer, not an error.
	if err := workflow.Await(ctx, func() bool { return workflow.AllHandlersFinished(ctx) }); err != nil {
		return ProposalView{}, fmt.Errorf("drain handlers: %w", err)
	}
	if err := proj.drain(); err != nil {
		return ProposalView{}, fmt.Errorf("drain the projection: %w", err)
	}
	return view(), nil
}

// versionReviewDeadline marks the change that added review deadlines.
const versionReviewDeadline = "review-deadline"

// versionDomainChecks marks the change that checks text on entry and takes reviewers of
// heads' proposals from the organisation config.
const versionDomainChecks = "domain-checks"

// firstErr returns the first non-nil error.
func firstErr(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// submittedAt is when the proposal last entered the submitted stage.
func submittedAt(p *award.Proposal) time.Time {
	for i := len(p.History) - 1; i >= 0; i-- {
		if p.History[i].Action == "submit" {
			return p.History[i].At
		}
	}
	return p.UpdatedAt
}

// assignees is who the proposal waits on in its current stage: the inbox.
func assignees(p *award.Proposal, in ProposalInput) []string {
	switch p.Stage {
	case award.StageDraft, award.StageReturned:
		return []string{p.ProposerID}
	case award.StageSubmitted:
		out := []string{}
		if p.Legacy() {
			for _, h := range in.Heads {
				if h != p.ProposerID { // a head never reviews their own proposal
					out = append(out, h)
				}
			}
		} else {
			out = append(out, p.Reviewers...)
		}
		if p.Overdue {
			for _, e := range in.Escalate {
				if !slices.Contains(out, e) && (p.Legacy() || !p.Concerns(e)) {
					out = append(out, e)
				}
			}
		}
		return out
	case award.StageEndorsed:
		return append([]string{}, in.Secretaries...)
	}
	return []string{}
}

func publishStage(ctx workflow.Context, pv patches, p *award.Proposal, in ProposalInput) error {
	sa := pv.searchAttributes(ctx)
	sa.keyword(SAKind, KindProposal)
	sa.keyword(SAStage, string(p.Stage))
	sa.keywordList(SAAssignees, assignees(p, in))
	sa.keyword(SADepartment, p.Department)
	sa.keyword(SAProposer, p.ProposerID)
	if p.Stage == award.StageSubmitted && in.ReviewDays > 0 {
		sa.time(SADueAt, reviewDue(p, in))
	} else {
		sa.unsetTime(SADueAt)
	}
	if err := sa.upsert(ctx); err != nil {
		return fmt.Errorf("publish stage: %w", err)
	}
	return nil
}
