// Package workflows holds the durable processes of awardflow: one ProposalWorkflow per
// award proposal, one CouncilSessionWorkflow per council meeting and one
// DecisionRegisterWorkflow per document series and year (gapless numbering).
//
// Everything here is deterministic workflow code: no I/O, no wall clock, no map
// iteration that can change an outcome. I/O lives in package activities; the rules live
// in internal/award. `workflowcheck ./workflows/...` runs in CI.
package workflows

import (
	"go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/temporal"
)

// TaskQueue is the default task queue of the worker.
const TaskQueue = "awardflow"

// Workflow type names (stable: running workflows are bound to them). New proposals
// start as ProposalWorkflowName (ProposalWorkflowV3); those filed before it run on as
// ProposalWorkflowV2Name or ProposalWorkflowLegacyName (see patches).
const (
	ProposalWorkflowName       = "ProposalWorkflowV3"
	ProposalWorkflowV2Name     = "ProposalWorkflowV2"
	ProposalWorkflowLegacyName = "ProposalWorkflow"
	SessionWorkflowName        = "CouncilSessionWorkflow"
	RegisterWorkflowName       = "DecisionRegisterWorkflow"
)

// Update and query names.
const (
	UpdateCreate     = "create"
	UpdateRevise     = "revise"
	UpdateSelfAssess = "self_assess"
	UpdateAttach     = "attach_evidence"
	UpdateSubmit     = "submit"
	UpdateReview     = "review"
	// The proposer's undo steps.
	UpdateRemoveEvidence = "remove_evidence"
	UpdateWithdraw       = "withdraw"
	UpdateDelete         = "delete"
	UpdateJoinSession    = "join_session"
	UpdateOutcome        = "council_outcome"

	UpdateOpen  = "open"
	UpdateVote  = "vote"
	UpdateClose = "close"
	// UpdateExclude and UpdateRetryIssue recover a session whose documents failed.
	UpdateExclude    = "exclude"
	UpdateRetryIssue = "retry_issue"

	UpdateAllocate = "allocate"

	QueryState = "state"
)

// Activity names, implemented in package activities.
const (
	ActivityAssignAgenda    = "AssignAgenda"
	ActivityTallyBallots    = "TallyBallots"
	ActivityAllocateNumber  = "AllocateNumber"
	ActivityIssueDecision   = "IssueDecision"
	ActivityIssueMinutes    = "IssueMinutes"
	ActivityIssueSubmission = "IssueSubmission"
	ActivityDeliverOutcome  = "DeliverOutcome"
	ActivityCheckDocument   = "CheckDocument"
)

// Search attributes that make Temporal visibility the task inbox.
var (
	// SAKind is "proposal" or "session".
	SAKind = temporal.NewSearchAttributeKeyKeyword("AwardKind")
	// SAStage is the proposal stage or the session status.
	SAStage = temporal.NewSearchAttributeKeyKeyword("AwardStage")
	// SAAssignees lists the people the workflow waits on.
	SAAssignees = temporal.NewSearchAttributeKeyKeywordList("AwardAssignees")
	// SADepartment is the nominee's department.
	SADepartment = temporal.NewSearchAttributeKeyKeyword("AwardDepartment")
	// SAProposer is who filed the proposal, so staff can list their own.
	SAProposer = temporal.NewSearchAttributeKeyKeyword("AwardProposer")
	// SADueAt is when the current human step is due.
	SADueAt = temporal.NewSearchAttributeKeyTime("AwardDueAt")
	// SADocuments lists the SHA-256 of every document a session issued, so that a PDF
	// handed in for verification can be traced to the session that issued it.
	SADocuments = temporal.NewSearchAttributeKeyKeywordList("AwardDocuments")
)

// SearchAttributes is what the namespace must have registered.
var SearchAttributes = map[string]enums.IndexedValueType{
	SAKind.GetName():       enums.INDEXED_VALUE_TYPE_KEYWORD,
	SAStage.GetName():      enums.INDEXED_VALUE_TYPE_KEYWORD,
	SAAssignees.GetName():  enums.INDEXED_VALUE_TYPE_KEYWORD_LIST,
	SADepartment.GetName(): enums.INDEXED_VALUE_TYPE_KEYWORD,
	SADueAt.GetName():      enums.INDEXED_VALUE_TYPE_DATETIME,
	SAProposer.GetName():   enums.INDEXED_VALUE_TYPE_KEYWORD,
	SADocuments.GetName():  enums.INDEXED_VALUE_TYPE_KEYWORD_LIST,
}

// Kinds stored in SAKind.
const (
	KindProposal = "proposal"
	KindSession  = "session"
)
