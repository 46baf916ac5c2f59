// Package activities does the I/O that workflows ask for: moving proposals onto a council
// session, taking numbers from the decision register, rendering, signing and storing
// documents, and telling proposals their outcome. Every activity is idempotent, because
// Temporal retries it after any failure.
package activities

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"

	"github.com/awardflow/awardflow/internal/award"
	"github.com/awardflow/awardflow/internal/ballotbox"
	"github.com/awardflow/awardflow/internal/blobstore"
	"github.com/awardflow/awardflow/internal/keyring"
	"github.com/awardflow/awardflow/internal/orgconfig"
	"github.com/awardflow/awardflow/internal/pdfsign"
	"github.com/awardflow/awardflow/internal/store"
	"github.com/awardflow/awardflow/workflows"
)

// Activities holds what the activities need. One value serves every worker goroutine.
type Activities struct {
	Temporal  client.Client
	TaskQueue string
	Store     *blobstore.Store
	Org       orgconfig.Source
	// Keys gives each person who signs their own certificate, and the agency its seal
	// certificate (personSigner, agencySigner in keys.go). When nil, the deprecated
	// single-signer fields below stand in for it.
	Keys keyring.Keyring
	// Signer is the deprecated single signer: the decision signer's (and the chair's)
	// certificate when Keys is nil.
	Signer pdfsign.Signer
	// SignatureImage is the signer's handwritten signature (PNG), drawn under the text
	// of the visible appearance; optional.
	SignatureImage []byte
	// SignatureImages gives a person's own signature image (PNG) by id and name; nil
	// or an empty answer falls back to SignatureImage. `dev` draws one per person.
	SignatureImages func(personID, name string) []byte
	Seal            *pdfsign.Signer // agency seal, signs after Signer when set (deprecated: Keys.Agency)
	Ballots         *ballotbox.Box  // opens sealed ballots at the count
	// Secretary signs the minutes in the secretary's slot with their own key; optional
	// (deprecated: Keys.Person).
	Secretary *pdfsign.Signer
	SealImage []byte
	// Records is the records store: the award register and the document index that
	// verify asks (records.go), and the lists' projection (projection.go). Nil writes
	// nothing.
	Records *store.Store
	// Mail sends the notifications' mails (notify.go); nil: the page only.
	Mail *Mailer
	Log  *slog.Logger

	// org is the organisation as it stood when this activity began (withOrg); helpers
	// read it through cur.
	org *orgconfig.Org
}

// withOrg returns a copy of a for one activity, holding the organisation as it stands
// now: the directory may have changed since the worker started (a new name, a new
// secretary), and the whole activity uses one copy of it.
func (a *Activities) withOrg(ctx context.Context) (*Activities, error) {
	o, err := a.Org.Current(ctx)
	if err != nil {
		return nil, fmt.Errorf("organisation: %w", err)
	}
	c := *a
	c.org = o
	return &c, nil
}

// cur is the organisation of this activity (withOrg), or the fixed one a was built
// with.
func (a *Activities) cur() *orgconfig.Org {
	if a.org != nil {
		return a.org
	}
	if o, ok := a.Org.(*orgconfig.Org); ok {
		return o
	}
	panic("activities: the organisation was not read for this activity (call withOrg first)")
}

// Register adds the activities and workflows to a worker.
func (a *Activities) Register(w worker.Registry) {
	w.RegisterWorkflowWithOptions(workflows.ProposalWorkflowV3, workflowOpts(workflows.ProposalWorkflowName))
	w.RegisterWorkflowWithOptions(workflows.ProposalWorkflowV2, workflowOpts(workflows.ProposalWorkflowV2Name))
	w.RegisterWorkflowWithOptions(workflows.ProposalWorkflow, workflowOpts(workflows.ProposalWorkflowLegacyName))
	w.RegisterWorkflowWithOptions(workflows.CouncilSessionWorkflow, workflowOpts(workflows.SessionWorkflowName))
	w.RegisterWorkflowWithOptions(workflows.DecisionRegisterWorkflow, workflowOpts(workflows.RegisterWorkflowName))
	w.RegisterWorkflowWithOptions(workflows.RevocationWorkflow, workflowOpts(workflows.RevocationWorkflowName))
	w.RegisterWorkflowWithOptions(workflows.NotificationsWorkflow, workflowOpts(workflows.NotificationsWorkflowName))
	reg := func(fn any, name string) { w.RegisterActivityWithOptions(fn, activity.RegisterOptions{Name: name}) }
	reg(a.AssignAgenda, workflows.ActivityAssignAgenda)
	reg(a.TallyBallots, workflows.ActivityTallyBallots)
	reg(a.AllocateNumber, workflows.ActivityAllocateNumber)
	reg(a.IssueDecision, workflows.ActivityIssueDecision)
	reg(a.IssueMinutes, workflows.ActivityIssueMinutes)
	reg(a.IssueSubmission, workflows.ActivityIssueSubmission)
	reg(a.DeliverOutcome, workflows.ActivityDeliverOutcome)
	reg(a.CheckDocument, workflows.ActivityCheckDocument)
	reg(a.DraftDocument, workflows.ActivityDraftDocument)
	reg(a.SignDocument, workflows.ActivitySignDocument)
	reg(a.IssueDocument, workflows.ActivityIssueDocument)
	reg(a.IssueCouncilSubmission, workflows.ActivityIssueCouncilSubmission)
	reg(a.Project, workflows.ActivityProject)
	reg(a.ReadQuotaRegister, workflows.ActivityReadQuotaRegister)
	reg(a.CastingVote, workflows.ActivityCastingVote)
	reg(a.OpenRevocation, workflows.ActivityOpenRevocation)
	reg(a.SetRevocationStatus, workflows.ActivitySetRevocationStatus)
	reg(a.DraftRevocation, workflows.ActivityDraftRevocation)
	reg(a.SignRevocation, workflows.ActivitySignRevocation)
	reg(a.IssueRevocation, workflows.ActivityIssueRevocation)
	reg(a.DeliverNotifications, workflows.ActivityDeliverNotifications)
}

// AssignAgenda puts each proposal on the session. A proposal that is no longer waiting for
// the council is skipped with the reason; the update id makes a retry harmless.
func (a *Activities) AssignAgenda(ctx context.Context, req workflows.AssignRequest) (workflows.AssignResult, error) {
	var res workflows.AssignResult
	for _, id := range req.ProposalIDs {
		h, err := a.Temporal.UpdateWorkflow(ctx, client.UpdateWorkflowOptions{
			WorkflowID: id, UpdateName: workflows.UpdateJoinSession, UpdateID: "join/" + req.SessionID,
			Args: []any{workflows.JoinInput{SessionID: req.SessionID}}, WaitForStage: client.WorkflowUpdateStageCompleted,
		})
		var view workflows.ProposalView
		if err == nil {
			err = h.Get(ctx, &view)
		}
		if err != nil {
			if de, ok := workflows.DomainError(err); ok {
				res.Skipped = append(res.Skipped, workflows.Skipped{ProposalID: id, Reason: de.VI})
				continue
			}
			if isNotFound(err) {
				res.Skipped = append(res.Skipped, workflows.Skipped{ProposalID: id, Reason: "Không tìm thấy hồ sơ hoặc hồ sơ đã kết thúc"})
				continue
			}
			return res, fmt.Errorf("put %s on session %s: %w", id, req.SessionID, err)
		}
		it := award.AgendaItem{
			ProposalID: id, NomineeName: view.NomineeName, NomineeID: view.NomineeID, Position: view.NomineePosition,
			Department: view.Department, Kind: view.Kind, AwardType: view.AwardType, MovementID: view.MovementID,
		}
		if view.Projection != nil {
			it.Year = view.Projection.Year // the achievement year the proposal was filed for
		}
		res.Items = append(res.Items, it)
	}
	return res, nil
}

// TallyBallots opens the sealed ballots of a closed session and returns only the totals.
// A ballot that cannot be opened (altered, or sealed for another session) is invalid.
func (a *Activities) TallyBallots(ctx context.Context, req workflows.TallyRequest) (workflows.TallyResult, error) {
	if a.Ballots == nil {
		return workflows.TallyResult{}, errors.New("no ballot key configured: cannot open the ballots")
	}
	s := award.Session{ID: req.SessionID, Agenda: req.Agenda}
	var opened []map[string]award.Choice
	unreadable := 0
	for _, sealed := range req.Sealed {
		marks, err := a.Ballots.Open(req.SessionID, sealed)
		if err != nil {
			unreadable++
			continue
		}
		opened = append(opened, marks)
	}
	counts, invalid := s.Tally(opened)
	if req.Count != nil {
		// Only the totals asked for leave the activity: below quorum, none.
		kept := map[string]award.Count{}
		for _, id := range req.Count {
			if c, ok := counts[id]; ok {
				kept[id] = c
			}
		}
		counts = kept
	}
	if unreadable > 0 {
		a.Log.WarnContext(ctx, "sealed ballots could not be opened", "session", req.SessionID, "count", unreadable)
	}
	return workflows.TallyResult{Counts: counts, Invalid: invalid + unreadable}, nil
}

// AllocateNumber takes the next number of a register, starting the register of the year
// if it is the first document. The request id doubles as the update id, and the register
// remembers it, so a retry gets the same number.
func (a *Activities) AllocateNumber(ctx context.Context, req workflows.AllocateRequest) (int, error) {
	period := req.Period
	if period == "" { // requests of sessions that predate registers per term
		period = strconv.Itoa(req.Year)
	}
	id := workflows.RegisterWorkflowID(req.AgencyCode, req.DocType, period)
	start := a.Temporal.NewWithStartWorkflowOperation(client.StartWorkflowOptions{
		ID: id, TaskQueue: a.TaskQueue,
		WorkflowIDConflictPolicy: enumspb.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING,
	}, workflows.RegisterWorkflowName, workflows.RegisterState{Series: id, Next: 1})
	h, err := a.Temporal.UpdateWithStartWorkflow(ctx, client.UpdateWithStartWorkflowOptions{
		StartWorkflowOperation: start,
		UpdateOptions: client.UpdateWorkflowOptions{
			UpdateName: workflows.UpdateAllocate, UpdateID: req.RequestID,
			Args: []any{workflows.AllocateInput{RequestID: req.RequestID}}, WaitForStage: client.WorkflowUpdateStageCompleted,
		},
	})
	if err != nil {
		return 0, fmt.Errorf("allocate number in %s: %w", id, err)
	}
	var n int
	if err := h.Get(ctx, &n); err != nil {
		return 0, fmt.Errorf("allocate number in %s: %w", id, err)
	}
	return n, nil
}

// DeliverOutcome tells a proposal the council's verdict.
func (a *Activities) DeliverOutcome(ctx context.Context, req workflows.DeliverRequest) error {
	h, err := a.Temporal.UpdateWorkflow(ctx, client.UpdateWorkflowOptions{
		WorkflowID: req.ProposalID, UpdateName: workflows.UpdateOutcome, UpdateID: "outcome/" + req.Outcome.SessionID,
		Args: []any{workflows.OutcomeInput{Outcome: req.Outcome, QuorumMet: req.QuorumMet}}, WaitForStage: client.WorkflowUpdateStageCompleted,
	})
	if err == nil {
		err = h.Get(ctx, nil)
	}
	if err == nil {
		return nil
	}
	// A retry after a delivery that completed the proposal finds it closed: check that
	// the outcome it holds is this session's.
	if v, qerr := a.Temporal.QueryWorkflow(ctx, req.ProposalID, "", workflows.QueryState); qerr == nil {
		var view workflows.ProposalView
		if v.Get(&view) == nil && view.Outcome != nil && view.Outcome.SessionID == req.Outcome.SessionID {
			return nil
		}
	}
	return fmt.Errorf("deliver outcome to %s: %w", req.ProposalID, err)
}

func workflowOpts(name string) workflow.RegisterOptions { return workflow.RegisterOptions{Name: name} }

func isNotFound(err error) bool {
	var nf *serviceerror.NotFound
	return errors.As(err, &nf) || strings.Contains(err.Error(), "workflow execution already completed")
}

// local is t on the agency's clock (document dates are local dates).
func (a *Activities) local(t time.Time) time.Time { return t.In(a.cur().Location()) }
