package workflows

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/awardflow/awardflow/internal/award"
)

// The decision lifecycle of a session (award/lifecycle.go): close → minutes and drafts;
// the signer approves (signs) or sends back; the secretary revises or abandons; the văn
// thư numbers, dates, seals and issues. Sessions opened before it (SessionInput.Decide
// nil) issue their documents at close as they did.

// versionLifecycle marks the change from issuing at close to drafts, signatures and
// issue by the văn thư.
const versionLifecycle = "decision-lifecycle"

// Document updates.
const (
	UpdateApproveDocument  = "approve_document"
	UpdateSendBackDocument = "send_back_document"
	UpdateReviseDocument   = "revise_document"
	UpdateAbandonDocument  = "abandon_document"
	UpdateIssueDocument    = "issue_document"
)

// Document activities.
const (
	ActivityDraftDocument = "DraftDocument"
	ActivitySignDocument  = "SignDocument"
	ActivityIssueDocument = "IssueDocument"
	// ActivityIssueCouncilSubmission issues the council's own tờ trình to the head.
	ActivityIssueCouncilSubmission = "IssueCouncilSubmission"
)

// DecideSetup is the organisation's side of the lifecycle, snapshot when the session
// opens so that a config change cannot change who signs a running session's documents.
type DecideSetup struct {
	Head        award.SignerRef            `json:"head"`
	Delegations map[string]award.SignerRef `json:"delegations,omitempty"` // by award type
	Secretaries []string                   `json:"secretaries"`
	Clerks      []string                   `json:"clerks"`
	Escalate    []string                   `json:"escalate"`
	SignDays    int                        `json:"sign_days"`
	Profile     award.Profile              `json:"profile"`
	TermStarts  []time.Time                `json:"term_starts,omitempty"`
	// CouncilCode is the ký hiệu of the council's own register (its tờ trình).
	CouncilCode string `json:"council_code,omitempty"`
}

// DocumentActionInput is a person's action on one pending document.
type DocumentActionInput struct {
	Actor      award.Actor `json:"actor"`
	DocumentID string      `json:"document_id"`
	Reason     string      `json:"reason,omitempty"`
	Drop       []string    `json:"drop,omitempty"` // revise: proposals taken off the list
}

// SignedDocument is the signer's signed file and what the văn thư needs to issue it:
// where its number and date go (templates.TextSlot, kept opaque here) and where the
// signer's appearance is, for the seal over its left third.
type SignedDocument struct {
	Ref           award.DocumentRef `json:"ref"`
	SignaturePage int               `json:"signature_page"`
	SignatureRect [4]float64        `json:"signature_rect"`
	Slots         json.RawMessage   `json:"slots,omitempty"`
}

// DocumentRequest asks DraftDocument, SignDocument or IssueDocument to work on one
// pending document of a session.
type DocumentRequest struct {
	SessionID string                `json:"session_id"`
	Document  award.PendingDocument `json:"document"` // id, kind, award type, revision, signer
	Items     []award.AgendaItem    `json:"items"`    // the awardees, in order
	Counts    []award.Count         `json:"counts"`   // per item
	Members   int                   `json:"members"`
	// Votes is each item's vote (award.VoteResult) as the minutes print it; a tờ trình
	// prints the same text. Absent from requests made before it existed.
	Votes []award.VoteResult `json:"votes,omitempty"`
	Year  int                `json:"year"` // of the session's close, for object keys
	// ContentDate fixes what depends on a date in the text (the base salary of the
	// bonus): the draft's time, then the signing time for the signed and issued file.
	ContentDate time.Time `json:"content_date"`
	// Issue only: the number from the register, the issue date and the signed file.
	Number int             `json:"number,omitempty"`
	Date   time.Time       `json:"date,omitzero"`
	Signed *SignedDocument `json:"signed,omitempty"`
	// Period is the register the number came from (award.RegisterPeriod), for the
	// award register.
	Period string `json:"period,omitempty"`
}

// CouncilSubmissionRequest asks for the council's tờ trình to the head.
type CouncilSubmissionRequest struct {
	Session award.Session `json:"session"`
	Number  int           `json:"number"`
	Date    time.Time     `json:"date"`
	Period  string        `json:"period,omitempty"` // of the council's register
	// Series is the register's ký hiệu, e.g. "HĐTĐKT" (the council's own).
	Series string `json:"series,omitempty"`
}

// interactiveRetry bounds the steps a person waits for (sign, issue, redraft): a few
// quick attempts, then the error goes back to the person, who can try again.
var interactiveRetry = &temporal.RetryPolicy{
	InitialInterval: time.Second, BackoffCoefficient: 2, MaximumInterval: 10 * time.Second, MaximumAttempts: 3,
	NonRetryableErrorTypes: []string{ErrDocument},
}

// personError turns a document step's content failure (a signer without a certificate,
// a character the font lacks) into an error the person who acted can read, with the
// message the activity wrote in both languages; nothing was recorded, and they can try
// again once it is put right. Other errors pass unchanged.
func personError(err error) error {
	var ae *temporal.ApplicationError
	var df DocumentFailure
	if errors.As(err, &ae) && ae.Type() == ErrDocument && ae.HasDetails() && ae.Details(&df) == nil {
		return asApplicationError(award.Unavailable(0, "%[1]s", "%[2]s", df.VI, df.EN))
	}
	return err
}

// decider holds the lifecycle's workflow-side state.
type decider struct {
	s       *award.Session
	in      SessionInput
	publish func() error
	busy    map[string]bool           // documents with an action running
	signed  map[string]SignedDocument // by document id
	changed int                       // bumped by every action, wakes the deadline loop
	reqs    requestLog
	view    func() SessionView
}

func (d *decider) ictx(ctx workflow.Context) workflow.Context {
	return workflow.WithActivityOptions(ctx, workflow.ActivityOptions{StartToCloseTimeout: time.Minute, RetryPolicy: interactiveRetry})
}

func (d *decider) loc() *time.Location { return time.FixedZone("local", d.in.UTCOffset) }

func (d *decider) due(now time.Time) time.Time {
	days := d.in.Decide.SignDays
	if days <= 0 {
		days = 7
	}
	return now.Add(time.Duration(days) * 24 * time.Hour)
}

// request builds the activity request of a pending document.
func (d *decider) request(doc award.PendingDocument, contentDate time.Time) DocumentRequest {
	s := d.s
	req := DocumentRequest{SessionID: s.ID, Document: doc, Members: len(s.Voters()), ContentDate: contentDate,
		Year: s.ClosedAt.In(d.loc()).Year()}
	for _, it := range s.Agenda {
		if slices.Contains(doc.Awardees, it.ProposalID) {
			req.Items = append(req.Items, it)
			req.Counts = append(req.Counts, s.Counts[it.ProposalID])
			req.Votes = appendVote(req.Votes, s, it.ProposalID)
		}
	}
	return req
}

// lock waits until no other action runs on the document, then holds it.
func (d *decider) lock(ctx workflow.Context, id string) (func(), error) {
	if err := workflow.Await(ctx, func() bool { return !d.busy[id] }); err != nil {
		return nil, fmt.Errorf("wait for another action on %s: %w", id, err)
	}
	d.busy[id] = true
	return func() { d.busy[id] = false }, nil
}

func (d *decider) done() error {
	d.changed++
	return d.publish()
}

// doneView records an action, then answers the view that includes it.
func (d *decider) doneView() (SessionView, error) {
	err := d.done()
	return d.view(), err
}

// outcome is what the proposal learns from the session.
func (d *decider) outcome(id string) award.Outcome {
	c := d.s.Counts[id]
	res := d.s.Results[id]
	return award.Outcome{SessionID: d.s.ID, Passed: res.Passed, Yes: c.Yes, No: c.No, Abstain: c.Abstain, Reason: res.Reason, Revote: res.Revote}
}

func (d *decider) deliver(ctx workflow.Context, ids []string, edit func(*award.Outcome)) error {
	futures := make([]workflow.Future, 0, len(ids))
	actx := workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: 2 * time.Minute,
		RetryPolicy:         &temporal.RetryPolicy{InitialInterval: time.Second, MaximumInterval: time.Minute},
	})
	for _, id := range ids {
		o := d.outcome(id)
		edit(&o)
		it := slices.IndexFunc(d.s.Agenda, func(it award.AgendaItem) bool { return it.ProposalID == id })
		quorum := it >= 0 && d.s.QuorumMet(d.s.Agenda[it].AwardType)
		futures = append(futures, workflow.ExecuteActivity(actx, ActivityDeliverOutcome, DeliverRequest{ProposalID: id, Outcome: o, QuorumMet: quorum}))
	}
	for i, f := range futures {
		if err := f.Get(ctx, nil); err != nil {
			return fmt.Errorf("deliver outcome to %s: %w", ids[i], err)
		}
	}
	return nil
}

// notApproved is the outcome of a proposal the signer did not approve.
func notApproved(doc *award.PendingDocument, reason string) func(*award.Outcome) {
	return func(o *award.Outcome) {
		o.Passed = false
		o.Reason = fmt.Sprintf("Hội đồng đề nghị, nhưng %s không phê duyệt: %s", doc.Signer.Name, reason)
	}
}

// register adds the document handlers. They exist from the start of every session (a
// handler is not a command: replay is unaffected); before the lifecycle a session has
// no documents and every validator refuses.
func (d *decider) register(ctx workflow.Context) error {
	opts := func(check func(DocumentActionInput) error) workflow.UpdateHandlerOptions {
		return workflow.UpdateHandlerOptions{Validator: func(ctx workflow.Context, x DocumentActionInput) error {
			if err := d.reqs.check(ctx); err != nil {
				return err
			}
			return asApplicationError(check(x))
		}}
	}
	s := d.s
	errs := []error{
		workflow.SetUpdateHandlerWithOptions(ctx, UpdateApproveDocument, d.approve,
			opts(func(x DocumentActionInput) error { return s.CheckApprove(x.Actor, x.DocumentID) })),
		workflow.SetUpdateHandlerWithOptions(ctx, UpdateSendBackDocument, d.sendBack,
			opts(func(x DocumentActionInput) error { return s.CheckSendBack(x.Actor, x.DocumentID, x.Reason) })),
		workflow.SetUpdateHandlerWithOptions(ctx, UpdateReviseDocument, d.revise,
			opts(func(x DocumentActionInput) error { return s.CheckRevise(x.Actor, x.DocumentID, x.Drop, x.Reason) })),
		workflow.SetUpdateHandlerWithOptions(ctx, UpdateAbandonDocument, d.abandon,
			opts(func(x DocumentActionInput) error { return s.CheckAbandon(x.Actor, x.DocumentID, x.Reason) })),
		workflow.SetUpdateHandlerWithOptions(ctx, UpdateIssueDocument, d.issue,
			opts(func(x DocumentActionInput) error { return s.CheckIssue(x.Actor, x.DocumentID) })),
	}
	for _, err := range errs {
		if err != nil {
			return fmt.Errorf("register document handlers: %w", err)
		}
	}
	return nil
}

// approve signs the current draft as its signer: the signed file has no number or date.
func (d *decider) approve(ctx workflow.Context, x DocumentActionInput) (SessionView, error) {
	d.reqs.record(ctx)
	unlock, err := d.lock(ctx, x.DocumentID)
	if err != nil {
		return SessionView{}, err
	}
	defer unlock()
	if err := d.s.CheckApprove(x.Actor, x.DocumentID); err != nil {
		return SessionView{}, asApplicationError(err)
	}
	doc, _ := d.s.Document(x.DocumentID)
	now := workflow.Now(ctx)
	var signed SignedDocument
	if err := workflow.ExecuteActivity(d.ictx(ctx), ActivitySignDocument, d.request(*doc, now)).Get(ctx, &signed); err != nil {
		return SessionView{}, personError(fmt.Errorf("sign %s: %w", x.DocumentID, err))
	}
	if err := d.s.Approve(x.Actor, x.DocumentID, signed.Ref, now); err != nil {
		return SessionView{}, asApplicationError(err)
	}
	d.signed[x.DocumentID] = signed
	return d.doneView()
}

func (d *decider) sendBack(ctx workflow.Context, x DocumentActionInput) (SessionView, error) {
	d.reqs.record(ctx)
	unlock, err := d.lock(ctx, x.DocumentID)
	if err != nil {
		return SessionView{}, err
	}
	defer unlock()
	if err := d.s.SendBack(x.Actor, x.DocumentID, x.Reason, workflow.Now(ctx)); err != nil {
		return SessionView{}, asApplicationError(err)
	}
	return d.doneView()
}

// revise regenerates the draft without the dropped proposals, tells those proposals
// they were not approved, and puts the new draft before the signer.
func (d *decider) revise(ctx workflow.Context, x DocumentActionInput) (SessionView, error) {
	d.reqs.record(ctx)
	unlock, err := d.lock(ctx, x.DocumentID)
	if err != nil {
		return SessionView{}, err
	}
	defer unlock()
	if err := d.s.CheckRevise(x.Actor, x.DocumentID, x.Drop, x.Reason); err != nil {
		return SessionView{}, asApplicationError(err)
	}
	doc, _ := d.s.Document(x.DocumentID)
	next := *doc
	next.Awardees = slices.DeleteFunc(slices.Clone(doc.Awardees), func(id string) bool { return slices.Contains(x.Drop, id) })
	next.Revision++
	now := workflow.Now(ctx)
	var ref award.DocumentRef
	if err := workflow.ExecuteActivity(d.ictx(ctx), ActivityDraftDocument, d.request(next, now)).Get(ctx, &ref); err != nil {
		return SessionView{}, personError(fmt.Errorf("redraft %s: %w", x.DocumentID, err))
	}
	if err := d.deliver(ctx, x.Drop, notApproved(doc, x.Reason)); err != nil {
		return SessionView{}, err
	}
	if err := d.s.Revise(x.Actor, x.DocumentID, x.Drop, x.Reason, ref, now, d.due(now)); err != nil {
		return SessionView{}, asApplicationError(err)
	}
	return d.doneView()
}

// abandon ends a draft that was sent back: its proposals are not awarded, no number is taken.
func (d *decider) abandon(ctx workflow.Context, x DocumentActionInput) (SessionView, error) {
	d.reqs.record(ctx)
	unlock, err := d.lock(ctx, x.DocumentID)
	if err != nil {
		return SessionView{}, err
	}
	defer unlock()
	if err := d.s.CheckAbandon(x.Actor, x.DocumentID, x.Reason); err != nil {
		return SessionView{}, asApplicationError(err)
	}
	doc, _ := d.s.Document(x.DocumentID)
	if err := d.deliver(ctx, doc.Awardees, notApproved(doc, x.Reason)); err != nil {
		return SessionView{}, err
	}
	if err := d.s.Abandon(x.Actor, x.DocumentID, x.Reason, workflow.Now(ctx)); err != nil {
		return SessionView{}, asApplicationError(err)
	}
	return d.doneView()
}

// issue takes the number from the register (only now: a draft sent back or abandoned
// never burns one), adds number and date to the signed file, seals and stores it, and
// tells the proposals.
func (d *decider) issue(ctx workflow.Context, x DocumentActionInput) (SessionView, error) {
	d.reqs.record(ctx)
	unlock, err := d.lock(ctx, x.DocumentID)
	if err != nil {
		return SessionView{}, err
	}
	defer unlock()
	if err := d.s.CheckIssue(x.Actor, x.DocumentID); err != nil {
		return SessionView{}, asApplicationError(err)
	}
	doc, _ := d.s.Document(x.DocumentID)
	now := workflow.Now(ctx)
	docType := DocDecision
	if doc.Kind == award.DocKindSubmission {
		docType = DocSubmission
	}
	local := now.In(d.loc())
	alloc := AllocateRequest{AgencyCode: d.in.AgencyCode, DocType: docType, Year: local.Year(),
		Period:    award.RegisterPeriod(d.in.Decide.Profile, d.in.Decide.TermStarts, now, d.loc()),
		RequestID: doc.ID + "/issue"}
	var number int
	if err := workflow.ExecuteActivity(d.ictx(ctx), ActivityAllocateNumber, alloc).Get(ctx, &number); err != nil {
		return SessionView{}, fmt.Errorf("number %s: %w", x.DocumentID, err)
	}
	signed := d.signed[x.DocumentID]
	if signed.Ref.Key == "" && doc.Signed != nil {
		signed.Ref = *doc.Signed
	}
	req := d.request(*doc, doc.SignedAt)
	req.Number, req.Date, req.Signed, req.Period = number, now, &signed, alloc.Period
	var ref award.DocumentRef
	if err := workflow.ExecuteActivity(d.ictx(ctx), ActivityIssueDocument, req).Get(ctx, &ref); err != nil {
		return SessionView{}, personError(fmt.Errorf("issue %s: %w", x.DocumentID, err))
	}
	issued := award.DecisionRef{DocumentRef: ref, Number: number, Year: local.Year(), AwardType: doc.AwardType, Awardees: slices.Clone(doc.Awardees)}
	if err := d.deliver(ctx, doc.Awardees, func(o *award.Outcome) {
		o.DecisionID, o.NumberText, o.Upward = ref.ID, ref.NumberText, doc.Kind == award.DocKindSubmission
	}); err != nil {
		return SessionView{}, err
	}
	if err := d.s.Issue(x.Actor, x.DocumentID, issued, now); err != nil {
		return SessionView{}, asApplicationError(err)
	}
	return d.doneView()
}

// countAndDecide counts the ballots, issues the minutes (and the council's tờ trình to
// the head), tells the proposals that did not pass, drafts one document per award type
// with awardees, and then waits for the signers, the secretary and the văn thư until
// every document is issued or abandoned. Drafts past their deadline are escalated.
func countAndDecide(ctx, actx, dctx workflow.Context, d *decider) error {
	s := d.s
	if err := count(ctx, actx, s, d.in, d.publish); err != nil {
		return err
	}
	for {
		err := d.prepare(ctx, dctx)
		if err == nil {
			break
		}
		s.Fail(failureOf(err, workflow.Now(ctx)))
		workflow.GetLogger(ctx).Warn("session documents failed", "session", s.ID, "error", err)
		if err := d.publish(); err != nil {
			return err
		}
		if err := workflow.Await(ctx, func() bool { return s.Status != award.SessionIssueFailed }); err != nil {
			return fmt.Errorf("wait for the secretary: %w", err)
		}
	}
	// Those not on any document learn their outcome now (not passed, or not counted
	// below quorum: those go back to the council's queue).
	var rest []string
	for _, it := range s.Agenda {
		if !slices.ContainsFunc(s.Documents, func(doc award.PendingDocument) bool { return slices.Contains(doc.Awardees, it.ProposalID) }) {
			rest = append(rest, it.ProposalID)
		}
	}
	if err := d.deliver(ctx, rest, func(*award.Outcome) {}); err != nil {
		return err
	}
	if s.Deciding() {
		s.Status = award.SessionDeciding
		if err := d.done(); err != nil {
			return err
		}
	}
	for s.Deciding() {
		seen := d.changed
		next := s.NextDue()
		if next.IsZero() {
			if err := workflow.Await(ctx, func() bool { return d.changed != seen }); err != nil {
				return fmt.Errorf("wait for the documents: %w", err)
			}
			continue
		}
		wait := next.Sub(workflow.Now(ctx))
		if wait > 0 {
			if _, err := workflow.AwaitWithTimeout(ctx, wait, func() bool { return d.changed != seen }); err != nil {
				return fmt.Errorf("wait for the documents: %w", err)
			}
		}
		if s.MarkOverdue(workflow.Now(ctx)) {
			if err := d.done(); err != nil {
				return err
			}
		}
	}
	s.Finish()
	return d.publish()
}

// count opens the ballots of the proposals whose quorum was met and judges them. Since
// versionQuotaYear the quotas count the year: the register's figures are read first,
// and a tie at a cut under the chair's casting vote is settled by the chair's ballot
// (quota.go).
func count(ctx, actx workflow.Context, s *award.Session, in SessionInput, publish func() error) error {
	year := workflow.GetVersion(ctx, versionQuotaYear, workflow.DefaultVersion, 1) >= 1
	if year {
		if err := readQuotaRegister(ctx, actx, s, in); err != nil {
			return err
		}
	}
	var tally TallyResult
	if countable := s.Countable(); len(countable) > 0 {
		req := TallyRequest{SessionID: s.ID, Agenda: s.Agenda, Sealed: s.Sealed, Count: countable}
		if err := workflow.ExecuteActivity(actx, ActivityTallyBallots, req).Get(ctx, &tally); err != nil {
			return fmt.Errorf("count the ballots: %w", err)
		}
	}
	s.Judge(tally.Counts, tally.Invalid)
	if year {
		if err := castingVote(ctx, actx, s); err != nil {
			return err
		}
	}
	s.Sealed = nil // counted, or never to be opened: the sealed ballots have done their job
	return publish()
}

// prepare issues the minutes and the council's tờ trình and drafts what is not drafted
// yet. A document that cannot be rendered stops here, visibly (issue_failed).
func (d *decider) prepare(ctx, dctx workflow.Context) error {
	s, in := d.s, d.in
	period := award.RegisterPeriod(in.Decide.Profile, in.Decide.TermStarts, s.ClosedAt, d.loc())
	if err := issueMinutes(ctx, dctx, s, in, period); err != nil {
		return err
	}
	if err := d.issueCouncilSubmission(ctx, dctx, period); err != nil {
		return err
	}
	for _, code := range s.AwardTypes() {
		for _, group := range byKind(s.Awardees(code)) {
			kind, id := award.DocKindDecision, DecisionID(s.ID, code)
			if in.AwardTypes[code].Authority == award.AuthorityUpward {
				kind, id = award.DocKindSubmission, SubmissionID(s.ID, code)
			}
			if group.split && group.kind == award.KindCollective {
				id += ".tt" // the collectives' own decision of a type that admits both
			}
			if slices.ContainsFunc(s.Documents, func(doc award.PendingDocument) bool { return doc.ID == id }) {
				continue
			}
			signer := award.SignerFor(code, in.Decide.Head, in.Decide.Delegations)
			now := workflow.Now(ctx)
			doc := award.PendingDocument{ID: id, Kind: kind, AwardType: code, Awardees: ids(group.items), Revision: 1, Signer: signer}
			var ref award.DocumentRef
			if err := workflow.ExecuteActivity(dctx, ActivityDraftDocument, d.request(doc, now)).Get(ctx, &ref); err != nil {
				return &stepError{"draft", id, err}
			}
			s.Documents = append(s.Documents, award.NewPendingDocument(id, kind, code, doc.Awardees, signer, ref, now, d.due(now)))
		}
	}
	return nil
}

// kindGroup is the awardees of one kind of an award type.
type kindGroup struct {
	kind  award.NomineeKind
	items []award.AgendaItem
	split bool // the type's awardees are of both kinds
}

// byKind splits an award type's awardees by kind, individuals first: a decision never
// mixes individuals and collectives (its articles and annex speak of one or the other).
func byKind(items []award.AgendaItem) []kindGroup {
	var ind, col []award.AgendaItem
	for _, it := range items {
		if it.Kind == award.KindCollective {
			col = append(col, it)
		} else {
			ind = append(ind, it)
		}
	}
	split := len(ind) > 0 && len(col) > 0
	var out []kindGroup
	if len(ind) > 0 {
		out = append(out, kindGroup{award.KindIndividual, ind, split})
	}
	if len(col) > 0 {
		out = append(out, kindGroup{award.KindCollective, col, split})
	}
	return out
}

// issueCouncilSubmission numbers, signs (the chair, for the council) and stores the
// council's tờ trình to the head once, when the council passed anyone.
func (d *decider) issueCouncilSubmission(ctx, dctx workflow.Context, period string) error {
	s, in := d.s, d.in
	if s.CouncilSubmission != nil || !slices.ContainsFunc(s.Agenda, func(it award.AgendaItem) bool { return s.Results[it.ProposalID].Passed }) {
		return nil
	}
	req := CouncilSubmissionRequest{Session: *s, Date: s.ClosedAt, Period: period, Series: cmp.Or(in.Decide.CouncilCode, in.AgencyCode)}
	id := s.ID + ".council-ttr"
	year := s.ClosedAt.In(d.loc()).Year()
	number, err := checkThenNumber(dctx, CheckDocumentRequest{CouncilSubmission: &req}, "council_submission", id,
		AllocateRequest{AgencyCode: req.Series, DocType: DocSubmission, Year: year, Period: period, RequestID: s.ID + "/council-ttr"})
	if err != nil {
		return err
	}
	req.Number = number
	var ref award.DocumentRef
	if err := workflow.ExecuteActivity(dctx, ActivityIssueCouncilSubmission, req).Get(ctx, &ref); err != nil {
		return &stepError{"council_submission", id, err}
	}
	s.CouncilSubmission = &ref
	return nil
}

// issueMinutes numbers, signs and stores the minutes once.
func issueMinutes(ctx, dctx workflow.Context, s *award.Session, in SessionInput, period string) error {
	if s.Minutes != nil {
		return nil
	}
	year := s.ClosedAt.In(time.FixedZone("local", in.UTCOffset)).Year()
	req := MinutesRequest{Session: *s, Date: s.ClosedAt, Period: period}
	id := s.ID + ".minutes"
	number, err := checkThenNumber(dctx, CheckDocumentRequest{Minutes: &req}, "minutes", id,
		AllocateRequest{AgencyCode: in.AgencyCode, DocType: DocMinutes, Year: year, Period: period, RequestID: s.ID + "/minutes"})
	if err != nil {
		return err
	}
	req.Number = number
	var ref award.DocumentRef
	if err := workflow.ExecuteActivity(dctx, ActivityIssueMinutes, req).Get(ctx, &ref); err != nil {
		return &stepError{"minutes", id, err}
	}
	s.Minutes = &ref
	return nil
}
