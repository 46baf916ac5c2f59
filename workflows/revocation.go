package workflows

import (
	"errors"
	"fmt"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/awardflow/awardflow/internal/award"
)

// RevocationWorkflow carries one revocation (award/revocation.go) from the request to the
// issued revocation decision: it opens the case in the records store (refused there if
// another revocation of the decision is on its way or an award is revoked already),
// drafts the decision, waits for the signer (approve or send back), the requester
// (revise or abandon after a send-back) and the văn thư (number, seal, issue). The
// register changes only at issue, in one transaction.
const RevocationWorkflowName = "RevocationWorkflow"

// Revocation updates and activities. The document updates reuse the session's names.
const (
	// UpdateRevocationOpened waits until the case is open and drafted (or refused): the
	// request that starts the workflow gets its answer from it.
	UpdateRevocationOpened = "revocation_opened"

	ActivityOpenRevocation      = "OpenRevocation"
	ActivitySetRevocationStatus = "SetRevocationStatus"
	ActivityDraftRevocation     = "DraftRevocation"
	ActivitySignRevocation      = "SignRevocation"
	ActivityIssueRevocation     = "IssueRevocation"
)

// ErrRevocationConflict is the error type of OpenRevocation when the store refuses the
// case (another revocation of the decision on its way, an award revoked already).
const ErrRevocationConflict = "RevocationConflict"

// RevocationInput is everything the revocation needs, checked and snapshot by the server
// when the request comes in (award.CheckRevocationRequest).
type RevocationInput struct {
	ID          string                  `json:"id"`
	Target      award.RevocationTarget  `json:"target"`
	Request     award.RevocationRequest `json:"request"`
	Awardees    []award.RevokedAwardee  `json:"awardees"`
	RequestedBy award.Actor             `json:"requested_by"`
	Signer      award.SignerRef         `json:"signer"`
	Rules       award.RevocationRules   `json:"rules"`
	Secretaries []string                `json:"secretaries"`
	Clerks      []string                `json:"clerks"`
	Escalate    []string                `json:"escalate"`
	SignDays    int                     `json:"sign_days"`
	Profile     award.Profile           `json:"profile"`
	TermStarts  []time.Time             `json:"term_starts,omitempty"`
	AgencyCode  string                  `json:"agency_code"`
	UTCOffset   int                     `json:"utc_offset"`
}

// RevocationView is what the query and every update answer.
type RevocationView struct {
	Revocation award.Revocation `json:"revocation"`
	Waiting    []string         `json:"waiting"`
	// Refused is set when the store refused to open the case (nothing was recorded).
	Refused string `json:"refused,omitempty"`
}

// RevocationActionInput is a person's action on the revocation.
type RevocationActionInput struct {
	Actor  award.Actor `json:"actor"`
	Reason string      `json:"reason,omitempty"`
	Ground string      `json:"ground,omitempty"` // revise: another ground
}

// RevocationCaseRequest asks OpenRevocation / SetRevocationStatus to record the case.
type RevocationCaseRequest struct {
	ID          string          `json:"id"`
	DocumentID  string          `json:"document_id"`
	Status      award.DocStatus `json:"status"`
	Ground      string          `json:"ground"`
	Reason      string          `json:"reason"`
	RequestedBy string          `json:"requested_by"`
	At          time.Time       `json:"at"`
	Proposals   []string        `json:"proposals,omitempty"`
}

// RevocationDocRequest asks for a file of the revocation decision.
type RevocationDocRequest struct {
	Revocation award.Revocation `json:"revocation"`
	// ContentDate: the draft's time, then the signing time for the signed and issued file.
	ContentDate time.Time `json:"content_date"`
	Year        int       `json:"year"` // for object keys
	// Issue only: the number, the date, the register period and the signed file.
	Number int             `json:"number,omitempty"`
	Date   time.Time       `json:"date,omitzero"`
	Period string          `json:"period,omitempty"`
	Signed *SignedDocument `json:"signed,omitempty"`
}

type revoker struct {
	in      RevocationInput
	r       award.Revocation
	opened  bool
	refused string
	busy    bool
	changed int
	signed  SignedDocument
	reqs    requestLog
}

func (v *revoker) loc() *time.Location { return time.FixedZone("local", v.in.UTCOffset) }

func (v *revoker) view() RevocationView {
	return RevocationView{Revocation: v.r, Waiting: v.r.Waiters(v.in.Secretaries, v.in.Clerks, v.in.Escalate), Refused: v.refused}
}

func (v *revoker) due(now time.Time) time.Time {
	days := v.in.SignDays
	if days <= 0 {
		days = 7
	}
	return now.Add(time.Duration(days) * 24 * time.Hour)
}

func (v *revoker) ictx(ctx workflow.Context) workflow.Context {
	return workflow.WithActivityOptions(ctx, workflow.ActivityOptions{StartToCloseTimeout: time.Minute, RetryPolicy: interactiveRetry})
}

func (v *revoker) docRequest(contentDate time.Time) RevocationDocRequest {
	return RevocationDocRequest{Revocation: v.r, ContentDate: contentDate, Year: contentDate.In(v.loc()).Year()}
}

// lock serialises the actions (each may run activities).
func (v *revoker) lock(ctx workflow.Context) (func(), error) {
	if err := workflow.Await(ctx, func() bool { return !v.busy }); err != nil {
		return nil, fmt.Errorf("wait for another action: %w", err)
	}
	v.busy = true
	return func() { v.busy = false }, nil
}

// status records where the case stands in the records store.
func (v *revoker) status(ctx workflow.Context) error {
	d := v.r.Document
	req := RevocationCaseRequest{ID: v.r.ID, DocumentID: v.r.DocumentID, Status: d.Status, Ground: v.r.Ground, Reason: v.r.Reason, At: workflow.Now(ctx)}
	if err := workflow.ExecuteActivity(v.ictx(ctx), ActivitySetRevocationStatus, req).Get(ctx, nil); err != nil {
		return fmt.Errorf("record revocation status: %w", err)
	}
	v.changed++
	return nil
}

// RevocationWorkflow: see the comment on RevocationWorkflowName.
func RevocationWorkflow(ctx workflow.Context, in RevocationInput) error {
	v := &revoker{in: in, reqs: requestLog{}}
	if err := workflow.SetQueryHandler(ctx, QueryState, func() (RevocationView, error) { return v.view(), nil }); err != nil {
		return fmt.Errorf("revocation query: %w", err)
	}
	if err := v.handlers(ctx); err != nil {
		return err
	}
	actx := workflow.WithActivityOptions(ctx, workflow.ActivityOptions{StartToCloseTimeout: time.Minute,
		RetryPolicy: &temporal.RetryPolicy{MaximumInterval: time.Minute, NonRetryableErrorTypes: []string{ErrRevocationConflict, ErrDocument}}})
	now := workflow.Now(ctx)
	ids := make([]string, len(in.Awardees))
	for i, x := range in.Awardees {
		ids[i] = x.ProposalID
	}
	open := RevocationCaseRequest{ID: in.ID, DocumentID: in.Target.DocumentID, Status: award.DocAwaitingSignature,
		Ground: in.Request.Ground, Reason: in.Request.Reason, RequestedBy: in.RequestedBy.ID, At: now, Proposals: ids}
	if err := workflow.ExecuteActivity(actx, ActivityOpenRevocation, open).Get(ctx, nil); err != nil {
		var ae *temporal.ApplicationError
		if errors.As(err, &ae) && ae.Type() == ErrRevocationConflict {
			v.refused = "conflict"
			return v.drain(ctx)
		}
		return fmt.Errorf("open revocation: %w", err)
	}
	v.r = award.NewRevocation(in.ID, in.Target, in.Awardees, in.Request, in.RequestedBy, in.Signer, award.DocumentRef{ID: in.ID}, now, v.due(now))
	var draft award.DocumentRef
	if err := workflow.ExecuteActivity(actx, ActivityDraftRevocation, v.docRequest(now)).Get(ctx, &draft); err != nil {
		// The draft cannot be made (a content error): drop the case so the decision is free.
		v.r.Document.Status = award.DocAbandoned
		v.refused = "draft"
		if serr := v.status(ctx); serr != nil {
			return serr
		}
		workflow.GetLogger(ctx).Warn("revocation draft failed", "id", in.ID, "error", err)
		return v.drain(ctx)
	}
	v.r.Document.Draft = &draft
	v.opened = true
	v.changed++
	for !v.r.Document.Status.Final() {
		seen := v.changed
		due := v.r.Document.DueAt
		if v.r.Document.Status != award.DocAwaitingSignature || v.r.Document.Overdue || due.IsZero() {
			if err := workflow.Await(ctx, func() bool { return v.changed != seen }); err != nil {
				return err
			}
			continue
		}
		wait := due.Sub(workflow.Now(ctx))
		if wait > 0 {
			if _, err := workflow.AwaitWithTimeout(ctx, wait, func() bool { return v.changed != seen }); err != nil {
				return err
			}
		}
		if v.changed == seen && v.r.MarkOverdue(workflow.Now(ctx)) {
			v.changed++
		}
	}
	return v.drain(ctx)
}

// drain lets running updates finish before the workflow completes.
func (v *revoker) drain(ctx workflow.Context) error {
	v.opened = true // wakes the opened update of a refused case
	return workflow.Await(ctx, func() bool { return !v.busy && workflow.AllHandlersFinished(ctx) })
}

func (v *revoker) handlers(ctx workflow.Context) error {
	reg := func(name string, fn any, validator any) error {
		if err := workflow.SetUpdateHandlerWithOptions(ctx, name, fn, workflow.UpdateHandlerOptions{Validator: validator}); err != nil {
			return fmt.Errorf("register %s: %w", name, err)
		}
		return nil
	}
	opened := func(ctx workflow.Context) (RevocationView, error) {
		v.reqs.record(ctx)
		if err := workflow.Await(ctx, func() bool { return v.opened }); err != nil {
			return RevocationView{}, err
		}
		return v.view(), nil
	}
	if err := reg(UpdateRevocationOpened, opened, func(ctx workflow.Context) error { return v.reqs.check(ctx) }); err != nil {
		return err
	}
	live := func() error {
		if !v.opened || v.refused != "" {
			return asApplicationError(award.WrongStage("Đề nghị huỷ bỏ chưa sẵn sàng hoặc đã bị từ chối", "the revocation is not open (yet) or was refused"))
		}
		return nil
	}
	action := func(check func(RevocationActionInput) error, do func(workflow.Context, RevocationActionInput) error) (any, any) {
		validate := func(ctx workflow.Context, x RevocationActionInput) error {
			if err := v.reqs.check(ctx); err != nil {
				return err
			}
			if err := live(); err != nil {
				return err
			}
			return asApplicationError(check(x))
		}
		handle := func(ctx workflow.Context, x RevocationActionInput) (RevocationView, error) {
			v.reqs.record(ctx)
			unlock, err := v.lock(ctx)
			if err != nil {
				return RevocationView{}, err
			}
			defer unlock()
			if err := check(x); err != nil { // the state may have moved while waiting
				return RevocationView{}, asApplicationError(err)
			}
			if err := do(ctx, x); err != nil {
				return RevocationView{}, err
			}
			return v.view(), nil
		}
		return handle, validate
	}
	h, val := action(func(x RevocationActionInput) error { return v.r.CheckApprove(x.Actor) }, v.approve)
	if err := reg(UpdateApproveDocument, h, val); err != nil {
		return err
	}
	h, val = action(func(x RevocationActionInput) error { return v.r.CheckSendBack(x.Actor, x.Reason) }, func(ctx workflow.Context, x RevocationActionInput) error {
		if err := v.r.SendBack(x.Actor, x.Reason, workflow.Now(ctx)); err != nil {
			return asApplicationError(err)
		}
		return v.status(ctx)
	})
	if err := reg(UpdateSendBackDocument, h, val); err != nil {
		return err
	}
	h, val = action(func(x RevocationActionInput) error { return v.r.CheckRevise(x.Actor, x.Ground, x.Reason, v.in.Rules) }, v.revise)
	if err := reg(UpdateReviseDocument, h, val); err != nil {
		return err
	}
	h, val = action(func(x RevocationActionInput) error { return v.r.CheckAbandon(x.Actor, x.Reason) }, func(ctx workflow.Context, x RevocationActionInput) error {
		if err := v.r.Abandon(x.Actor, x.Reason, workflow.Now(ctx)); err != nil {
			return asApplicationError(err)
		}
		return v.status(ctx)
	})
	if err := reg(UpdateAbandonDocument, h, val); err != nil {
		return err
	}
	h, val = action(func(x RevocationActionInput) error { return v.r.CheckIssue(x.Actor) }, v.issue)
	return reg(UpdateIssueDocument, h, val)
}

func (v *revoker) approve(ctx workflow.Context, x RevocationActionInput) error {
	now := workflow.Now(ctx)
	var signed SignedDocument
	if err := workflow.ExecuteActivity(v.ictx(ctx), ActivitySignRevocation, v.docRequest(now)).Get(ctx, &signed); err != nil {
		return personError(fmt.Errorf("sign %s: %w", v.r.ID, err))
	}
	if err := v.r.Approve(x.Actor, signed.Ref, now); err != nil {
		return asApplicationError(err)
	}
	v.signed = signed
	return v.status(ctx)
}

func (v *revoker) revise(ctx workflow.Context, x RevocationActionInput) error {
	now := workflow.Now(ctx)
	next := v.r // draft the revision as it will read, then record it
	if x.Ground != "" {
		next.Ground = x.Ground
	}
	next.Reason = x.Reason
	next.Document.Revision++
	req := v.docRequest(now)
	req.Revocation = next
	var draft award.DocumentRef
	if err := workflow.ExecuteActivity(v.ictx(ctx), ActivityDraftRevocation, req).Get(ctx, &draft); err != nil {
		return personError(fmt.Errorf("redraft %s: %w", v.r.ID, err))
	}
	if err := v.r.Revise(x.Actor, x.Ground, x.Reason, v.in.Rules, draft, now, v.due(now)); err != nil {
		return asApplicationError(err)
	}
	return v.status(ctx)
}

func (v *revoker) issue(ctx workflow.Context, x RevocationActionInput) error {
	now := workflow.Now(ctx)
	local := now.In(v.loc())
	alloc := AllocateRequest{AgencyCode: v.in.AgencyCode, DocType: DocDecision, Year: local.Year(),
		Period: award.RegisterPeriod(v.in.Profile, v.in.TermStarts, now, v.loc()), RequestID: v.r.ID + "/issue"}
	var number int
	if err := workflow.ExecuteActivity(v.ictx(ctx), ActivityAllocateNumber, alloc).Get(ctx, &number); err != nil {
		return fmt.Errorf("number %s: %w", v.r.ID, err)
	}
	req := v.docRequest(v.r.Document.SignedAt)
	signed := v.signed
	if signed.Ref.Key == "" && v.r.Document.Signed != nil {
		signed.Ref = *v.r.Document.Signed
	}
	req.Number, req.Date, req.Period, req.Signed = number, now, alloc.Period, &signed
	var ref award.DocumentRef
	if err := workflow.ExecuteActivity(v.ictx(ctx), ActivityIssueRevocation, req).Get(ctx, &ref); err != nil {
		return personError(fmt.Errorf("issue %s: %w", v.r.ID, err))
	}
	issued := award.DecisionRef{DocumentRef: ref, Number: number, Year: local.Year(), AwardType: v.r.AwardType, Awardees: v.r.Document.Awardees}
	if err := v.r.Issue(x.Actor, issued, now); err != nil {
		return asApplicationError(err)
	}
	v.changed++
	return nil
}
