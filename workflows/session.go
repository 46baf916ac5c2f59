package workflows

import (
	"errors"
	"fmt"
	"slices"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/awardflow/awardflow/internal/award"
)

// AwardTypeInfo is what a session needs to know of an award type.
type AwardTypeInfo struct {
	Name      string          `json:"name"`
	Authority award.Authority `json:"authority"`
	Rule      award.VoteRule  `json:"rule"`
}

// SessionInput starts a CouncilSessionWorkflow; the server snapshots the council and the
// rules from the organisation config so that a config change cannot alter a running vote.
type SessionInput struct {
	ID          string                   `json:"id"`
	Title       string                   `json:"title"`
	Opener      award.Actor              `json:"opener"`
	Members     []award.Member           `json:"members"`
	ProposalIDs []string                 `json:"proposal_ids"`
	AwardTypes  map[string]AwardTypeInfo `json:"award_types"`
	AgencyCode  string                   `json:"agency_code"`
	UTCOffset   int                      `json:"utc_offset"` // seconds east of UTC of the agency (Vietnam: 25200)
	// Decide sets up the decision lifecycle (lifecycle.go); nil in sessions opened
	// before it, which issue their documents at close.
	Decide *DecideSetup `json:"decide,omitempty"`
	// Location is where the council meets (printed in the minutes).
	Location string `json:"location,omitempty"`
}

// BallotInput is one member's ballot, sealed by the server (package ballotbox): the
// history shows that the member voted, not how.
type BallotInput struct {
	Actor  award.Actor `json:"actor"`
	Sealed string      `json:"sealed"`
}

// TallyRequest asks TallyBallots to open the sealed ballots and count them.
type TallyRequest struct {
	SessionID string             `json:"session_id"`
	Agenda    []award.AgendaItem `json:"agenda"`
	Sealed    []string           `json:"sealed"`
	// Count lists the proposals whose totals come back (those whose quorum was met);
	// nil, from sessions closed before quorum was checked first, means all of them.
	Count []string `json:"count,omitempty"`
}

// TallyResult carries only totals: the per-ballot contents never come back.
type TallyResult struct {
	Counts  map[string]award.Count `json:"counts"`
	Invalid int                    `json:"invalid"`
}

// AssignRequest asks the AssignAgenda activity to put proposals on the session.
type AssignRequest struct {
	SessionID   string   `json:"session_id"`
	ProposalIDs []string `json:"proposal_ids"`
}

// Skipped is a proposal that could not join the session, and why.
type Skipped struct {
	ProposalID string `json:"proposal_id"`
	Reason     string `json:"reason"`
}

// AssignResult is what AssignAgenda returns.
type AssignResult struct {
	Items   []award.AgendaItem `json:"items"`
	Skipped []Skipped          `json:"skipped"`
}

// AllocateRequest asks for a document number.
type AllocateRequest struct {
	AgencyCode string `json:"agency_code"`
	DocType    string `json:"doc_type"`
	Year       int    `json:"year"`
	// Period names the register: the year, or the HD36 term (award.RegisterPeriod).
	// Empty in requests of sessions that predate it: the year is used.
	Period    string `json:"period,omitempty"`
	RequestID string `json:"request_id"`
}

// DecisionRequest asks IssueDecision to render, sign and store a decision.
type DecisionRequest struct {
	ID        string             `json:"id"`
	SessionID string             `json:"session_id"`
	AwardType string             `json:"award_type"`
	Number    int                `json:"number"`
	Year      int                `json:"year"`
	Date      time.Time          `json:"date"`
	Awardees  []award.AgendaItem `json:"awardees"`
	// Signer overrides the configured signer (the lifecycle snapshots it at opening;
	// a deputy signs "K/T" for delegated types).
	Signer *award.SignerRef `json:"signer,omitempty"`
	// ContentDate, when set, is the date the text depends on (the base salary of the
	// bonus) while Date is still blank: a draft, or the signed file before its number.
	ContentDate time.Time `json:"content_date,omitzero"`
}

// MinutesRequest asks IssueMinutes to render, sign and store the session's minutes.
type MinutesRequest struct {
	Session award.Session `json:"session"`
	Number  int           `json:"number"`
	Date    time.Time     `json:"date"`
	Period  string        `json:"period,omitempty"` // the register's period; "" = the year
}

// DeliverRequest tells one proposal its outcome.
type DeliverRequest struct {
	ProposalID string        `json:"proposal_id"`
	Outcome    award.Outcome `json:"outcome"`
	QuorumMet  bool          `json:"quorum_met"`
}

// SessionView is what queries and updates return. While voting is open the counts are
// withheld: with a secret ballot, counts seen after each ballot would reveal choices.
type SessionView struct {
	award.Session
	Skipped []Skipped `json:"skipped,omitempty"`
	Error   string    `json:"error,omitempty"`
	// Projection: as in ProposalView.
	Projection *Projection `json:"projection,omitempty"`
}

// ExcludeInput takes a proposal off a session whose documents failed.
type ExcludeInput struct {
	Actor      award.Actor `json:"actor"`
	ProposalID string      `json:"proposal_id"`
	Reason     string      `json:"reason"`
}

// CheckDocumentRequest asks CheckDocument to render one document without numbering,
// signing or storing it: a number is taken from the register only for a document that
// renders. Exactly one field is set.
type CheckDocumentRequest struct {
	Decision   *DecisionRequest   `json:"decision,omitempty"`
	Submission *SubmissionRequest `json:"submission,omitempty"`
	Minutes    *MinutesRequest    `json:"minutes,omitempty"`
	// CouncilSubmission: the council's tờ trình to the head (lifecycle.go).
	CouncilSubmission *CouncilSubmissionRequest `json:"council_submission,omitempty"`
}

// ErrDocument is the type of the non-retryable error a document activity returns when
// the document cannot be rendered from its content (e.g. a character the font lacks):
// retrying cannot help. Its details are a DocumentFailure.
const ErrDocument = "DocumentContent"

// DocumentFailure explains a document that cannot be rendered.
type DocumentFailure struct {
	DocumentID string `json:"document_id"`
	// ProposalIDs are the proposals whose own text makes the document fail.
	ProposalIDs []string `json:"proposal_ids,omitempty"`
	VI          string   `json:"message"`
	EN          string   `json:"message_en"`
}

// Document types in the register.
const (
	DocDecision   = "QĐ"
	DocMinutes    = "BB"
	DocSubmission = "TTr"
)

// SubmissionRequest asks IssueSubmission to render, sign and store a tờ trình that
// proposes one award type's passed nominees upward.
type SubmissionRequest struct {
	ID        string             `json:"id"`
	SessionID string             `json:"session_id"`
	AwardType string             `json:"award_type"`
	Number    int                `json:"number"`
	Year      int                `json:"year"`
	Date      time.Time          `json:"date"`
	Items     []award.AgendaItem `json:"items"`
	Counts    []award.Count      `json:"counts"` // per item
	Members   int                `json:"members"`
	Signer    *award.SignerRef   `json:"signer,omitempty"` // as for DecisionRequest
	// ContentDate: as for DecisionRequest.
	ContentDate time.Time `json:"content_date,omitzero"`
	// Votes is each item's vote arithmetic (award.VoteResult), as the minutes print it;
	// absent from requests made before it existed.
	Votes []award.VoteResult `json:"votes,omitempty"`
}

// versionSubmissions marks the change that added submissions upward, so that sessions
// closed by older code replay as they ran.
const versionSubmissions = "submissions-upward"

// versionVisibleFailures marks the change that stopped opening ballots below quorum,
// checks each document before taking its number, and turns a document that cannot be
// issued into a visible, recoverable session status instead of endless retries.
const versionVisibleFailures = "visible-issue-failures"

// versionRefusedOpen marks the change that hides a session whose opening was refused
// (all its proposals taken by another session meanwhile) from the session list.
const versionRefusedOpen = "refused-open-hidden"

// StageRefused is the AwardStage of a session whose opening was refused; lists leave
// it out.
const StageRefused = "refused"

// docRetry bounds the retries of the document steps: a content error fails at once
// (ErrDocument), an outage is retried for about ten minutes and then shown on the
// session, where the secretary can retry.
var docRetry = &temporal.RetryPolicy{
	InitialInterval: time.Second, BackoffCoefficient: 2, MaximumInterval: 2 * time.Minute, MaximumAttempts: 10,
	NonRetryableErrorTypes: []string{ErrDocument},
}

// CouncilSessionWorkflow runs one council meeting: the secretary opens it over the
// proposals waiting for the council, members cast one ballot each, the chair closes it,
// then the decisions and minutes are numbered, rendered, signed and stored, and each
// proposal learns its outcome.
func CouncilSessionWorkflow(ctx workflow.Context, in SessionInput) (SessionView, error) {
	rules := map[string]award.VoteRule{}
	// Copying one map into another gives the same map whatever the iteration order.
	//workflowcheck:ignore
	for code, t := range in.AwardTypes {
		rules[code] = t.Rule
	}
	s := &award.Session{ID: in.ID, Title: in.Title, Location: in.Location, OpenedBy: in.Opener.ID, Members: in.Members, Rules: rules}
	var skipped []Skipped
	var failure string
	proj, err := newProjector(ctx, legacy)
	if err != nil {
		return SessionView{}, fmt.Errorf("register the projection: %w", err)
	}
	view := func() SessionView {
		v := SessionView{Session: *s, Skipped: skipped, Error: failure, Projection: proj.current()}
		if s.Status == award.SessionOpen || s.Status == "" {
			v.Counts = nil
		}
		return v
	}
	d := &decider{s: s, in: in, busy: map[string]bool{}, signed: map[string]SignedDocument{}}
	publish := func() error {
		var docWaiters []string
		if in.Decide != nil && s.Status == award.SessionDeciding {
			docWaiters = s.DocumentWaiters(in.Decide.Secretaries, in.Decide.Clerks, in.Decide.Escalate)
		}
		waiting := sessionWaiting(s, docWaiters)
		if err := publishSession(ctx, s, waiting); err != nil {
			return err
		}
		proj.changed(sessionRow(s, in, waiting))
		return nil
	}
	d.publish = publish
	// published publishes a change, then answers the view that includes it.
	published := func() (SessionView, error) {
		err := publish()
		return view(), err
	}
	// finish waits for the handlers in flight and the projection's writes.
	finish := func() error {
		if err := workflow.Await(ctx, func() bool { return workflow.AllHandlersFinished(ctx) }); err != nil {
			return fmt.Errorf("drain handlers: %w", err)
		}
		if err := proj.drain(); err != nil {
			return fmt.Errorf("drain the projection: %w", err)
		}
		return nil
	}

	actx := workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: 2 * time.Minute,
		RetryPolicy:         &temporal.RetryPolicy{InitialInterval: time.Second, MaximumInterval: time.Minute},
	})

	dctx := workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: 2 * time.Minute, RetryPolicy: docRetry,
	})

	opening, recovering := false, false
	reqs := requestLog{} // idempotency scopes of open and vote (see idempotency.go)
	d.reqs = reqs
	d.view = view
	if err := d.register(ctx); err != nil {
		return SessionView{}, err
	}
	errs := []error{
		workflow.SetQueryHandler(ctx, QueryState, func() (SessionView, error) { return view(), nil }),
		workflow.SetUpdateHandlerWithOptions(ctx, UpdateOpen,
			func(ctx workflow.Context, a ActorInput) (SessionView, error) {
				reqs.record(ctx)
				if s.Status != "" || opening {
					// A retried open (same Idempotency-Key): wait for the first one and return its result.
					_ = workflow.Await(ctx, func() bool { return s.Status != "" || failure != "" })
					return view(), nil
				}
				opening = true
				var res AssignResult
				if err := workflow.ExecuteActivity(actx, ActivityAssignAgenda, AssignRequest{SessionID: s.ID, ProposalIDs: in.ProposalIDs}).Get(ctx, &res); err != nil {
					failure = err.Error()
					return view(), fmt.Errorf("assign agenda: %w", err)
				}
				s.Agenda, skipped = res.Items, res.Skipped
				if len(s.Agenda) == 0 {
					failure = "no proposal could join the session"
					if workflow.GetVersion(ctx, versionRefusedOpen, workflow.DefaultVersion, 1) >= 1 {
						// Checked before the start, so only a race gets here: the
						// refused session must not show up in the list.
						if err := workflow.UpsertTypedSearchAttributes(ctx, SAStage.ValueSet(StageRefused), SAAssignees.ValueSet([]string{})); err != nil {
							return view(), fmt.Errorf("hide refused session: %w", err)
						}
					}
					return view(), asApplicationError(award.Invalid("Không có hồ sơ nào chờ Hội đồng xét", "no proposal is waiting for the council"))
				}
				s.Status, s.OpenedAt = award.SessionOpen, workflow.Now(ctx)
				return published()
			},
			workflow.UpdateHandlerOptions{Validator: func(ctx workflow.Context, a ActorInput) error {
				if err := reqs.check(ctx); err != nil {
					return err
				}
				if err := award.CanOpenSession(a.Actor); err != nil {
					return asApplicationError(err)
				}
				if a.Actor.ID != in.Opener.ID {
					return asApplicationError(award.Forbidden("Phiên họp này do thư ký khác mở", "another secretary opens this session"))
				}
				return nil
			}}),
		workflow.SetUpdateHandlerWithOptions(ctx, UpdateVote,
			func(ctx workflow.Context, b BallotInput) (SessionView, error) {
				reqs.record(ctx)
				if err := s.Cast(b.Actor, b.Sealed); err != nil {
					return SessionView{}, asApplicationError(err)
				}
				return published()
			},
			workflow.UpdateHandlerOptions{Validator: func(ctx workflow.Context, b BallotInput) error {
				if err := reqs.check(ctx); err != nil {
					return err
				}
				if err := s.CheckVoter(b.Actor); err != nil {
					return asApplicationError(err)
				}
				if b.Sealed == "" {
					return asApplicationError(award.Invalid("Phiếu bầu trống", "empty ballot"))
				}
				return nil
			}}),
		workflow.SetUpdateHandlerWithOptions(ctx, UpdateClose,
			func(ctx workflow.Context, a ActorInput) (SessionView, error) {
				if err := s.Close(a.Actor, workflow.Now(ctx)); err != nil {
					return SessionView{}, asApplicationError(err)
				}
				return published()
			},
			workflow.UpdateHandlerOptions{Validator: func(a ActorInput) error {
				return asApplicationError(s.CheckClose(a.Actor))
			}}),
		workflow.SetUpdateHandlerWithOptions(ctx, UpdateExclude,
			func(ctx workflow.Context, x ExcludeInput) (SessionView, error) {
				reqs.record(ctx)
				// One recovery at a time: a second one waits and is checked again.
				if err := workflow.Await(ctx, func() bool { return !recovering }); err != nil {
					return view(), fmt.Errorf("wait for another recovery: %w", err)
				}
				recovering = true
				defer func() { recovering = false }()
				if err := s.CheckExclude(x.Actor, x.ProposalID, x.Reason); err != nil {
					return view(), asApplicationError(err)
				}
				// Send the proposal back to the council's queue first: if that fails the
				// session stays as it was, and the secretary can try again.
				reason := fmt.Sprintf("Thư ký Hội đồng %s loại hồ sơ khỏi phiên họp “%s” vì không lập được văn bản: %s", x.Actor.Name, s.Title, x.Reason)
				back := DeliverRequest{ProposalID: x.ProposalID, Outcome: award.Outcome{SessionID: s.ID, Excluded: true, Reason: reason}}
				if err := workflow.ExecuteActivity(dctx, ActivityDeliverOutcome, back).Get(ctx, nil); err != nil {
					return view(), fmt.Errorf("send %s back to the council's queue: %w", x.ProposalID, err)
				}
				if _, err := s.Exclude(x.Actor, x.ProposalID, x.Reason, workflow.Now(ctx)); err != nil {
					return view(), asApplicationError(err)
				}
				return published()
			},
			workflow.UpdateHandlerOptions{Validator: func(ctx workflow.Context, x ExcludeInput) error {
				if err := reqs.check(ctx); err != nil {
					return err
				}
				return asApplicationError(s.CheckExclude(x.Actor, x.ProposalID, x.Reason))
			}}),
		workflow.SetUpdateHandlerWithOptions(ctx, UpdateRetryIssue,
			func(ctx workflow.Context, a ActorInput) (SessionView, error) {
				reqs.record(ctx)
				if err := workflow.Await(ctx, func() bool { return !recovering }); err != nil {
					return view(), fmt.Errorf("wait for another recovery: %w", err)
				}
				if err := s.RetryIssue(a.Actor); err != nil {
					return view(), asApplicationError(err)
				}
				return published()
			},
			workflow.UpdateHandlerOptions{Validator: func(ctx workflow.Context, a ActorInput) error {
				if err := reqs.check(ctx); err != nil {
					return err
				}
				return asApplicationError(s.CheckRetryIssue(a.Actor))
			}}),
	}
	for _, err := range errs {
		if err != nil {
			return SessionView{}, fmt.Errorf("register handlers: %w", err)
		}
	}

	// Update-with-Start delivers "open" with the start; give up if it never comes.
	if ok, err := workflow.AwaitWithTimeout(ctx, time.Hour, func() bool { return s.Status != "" || failure != "" }); err != nil || !ok {
		return view(), fmt.Errorf("session %s was never opened", s.ID)
	}
	if failure != "" {
		_ = finish()
		return view(), nil
	}
	if err := workflow.Await(ctx, func() bool { return s.Status == award.SessionClosed }); err != nil {
		return view(), fmt.Errorf("wait for close: %w", err)
	}

	if in.Decide != nil && workflow.GetVersion(ctx, versionLifecycle, workflow.DefaultVersion, 1) >= 1 {
		if err := countAndDecide(ctx, actx, dctx, d); err != nil {
			return view(), err
		}
		if err := finish(); err != nil {
			return view(), err
		}
		return view(), nil
	}
	if workflow.GetVersion(ctx, versionVisibleFailures, workflow.DefaultVersion, 1) >= 1 {
		if err := countAndIssue(ctx, actx, dctx, s, in, publish); err != nil {
			return view(), err
		}
		if err := finish(); err != nil {
			return view(), err
		}
		return view(), nil
	}

	var tally TallyResult
	if err := workflow.ExecuteActivity(actx, ActivityTallyBallots, TallyRequest{SessionID: s.ID, Agenda: s.Agenda, Sealed: s.Sealed}).Get(ctx, &tally); err != nil {
		return view(), fmt.Errorf("count the ballots: %w", err)
	}
	s.Judge(tally.Counts, tally.Invalid)
	s.Sealed = nil // counted: the sealed ballots have done their job
	if err := publish(); err != nil {
		return view(), err
	}

	if err := issueDocuments(actx, s, in); err != nil {
		return view(), err
	}
	if err := deliverOutcomes(actx, s); err != nil {
		return view(), err
	}
	s.Status = award.SessionDone
	if err := publish(); err != nil {
		return view(), err
	}
	if err := finish(); err != nil {
		return view(), err
	}
	return view(), nil
}

// countAndIssue opens the ballots of the proposals whose quorum was met — none below
// quorum — then issues the documents and delivers the outcomes. A document that cannot
// be issued stops the session visibly (SessionIssueFailed, with the reason) until the
// secretary excludes the offending proposal or asks for a retry.
func countAndIssue(ctx, actx, dctx workflow.Context, s *award.Session, in SessionInput, publish func() error) error {
	if err := count(ctx, actx, s, in, publish); err != nil {
		return err
	}
	for {
		err := issueChecked(ctx, dctx, s, in)
		if err == nil {
			break
		}
		s.Fail(failureOf(err, workflow.Now(ctx)))
		workflow.GetLogger(ctx).Warn("session documents failed", "session", s.ID, "error", err)
		if err := publish(); err != nil {
			return err
		}
		if err := workflow.Await(ctx, func() bool { return s.Status != award.SessionIssueFailed }); err != nil {
			return fmt.Errorf("wait for the secretary: %w", err)
		}
	}
	if err := deliverOutcomes(actx, s); err != nil {
		return err
	}
	s.Finish()
	return publish()
}

// stepError is a failed document step, for the session's Failure.
type stepError struct {
	step, documentID string
	err              error
}

func (e *stepError) Error() string { return e.step + " " + e.documentID + ": " + e.err.Error() }
func (e *stepError) Unwrap() error { return e.err }

// stepNames are the steps in both languages, for the failure message.
var stepNames = map[string][2]string{
	"decision":           {"quyết định khen thưởng", "award decision"},
	"submission":         {"tờ trình", "submission"},
	"minutes":            {"biên bản", "minutes"},
	"draft":              {"dự thảo", "draft"},
	"council_submission": {"tờ trình của Hội đồng", "council's submission"},
	"number":             {"số văn bản", "document number"},
}

// failureOf turns a failed step into what the session shows.
func failureOf(err error, now time.Time) award.Failure {
	f := award.Failure{Step: "issue", At: now}
	var se *stepError
	if errors.As(err, &se) {
		f.Step, f.DocumentID = se.step, se.documentID
	}
	var ae *temporal.ApplicationError
	var df DocumentFailure
	if errors.As(err, &ae) && ae.Type() == ErrDocument && ae.HasDetails() && ae.Details(&df) == nil {
		f.ProposalIDs, f.VI, f.EN = df.ProposalIDs, df.VI, df.EN
		return f
	}
	name := stepNames[f.Step]
	if name[0] == "" {
		name = [2]string{"văn bản", "document"}
	}
	f.Retryable = true
	// For people: no ids and no error text (the worker's log has them).
	f.VI = fmt.Sprintf("Không lập được %s sau nhiều lần thử do sự cố hệ thống; khắc phục sự cố rồi bấm “Lập lại văn bản”.", name[0])
	f.EN = fmt.Sprintf("could not issue the %s after several attempts because of a system fault; retry once it is fixed", name[1])
	return f
}

// checkThenNumber renders a document without keeping it, then takes its number: a
// document that cannot be rendered never burns a number. The request id makes a retry
// (or a crash between taking the number and issuing) get the same number again.
func checkThenNumber(ctx workflow.Context, check CheckDocumentRequest, step, docID string, alloc AllocateRequest) (int, error) {
	if err := workflow.ExecuteActivity(ctx, ActivityCheckDocument, check).Get(ctx, nil); err != nil {
		return 0, &stepError{step, docID, err}
	}
	var number int
	if err := workflow.ExecuteActivity(ctx, ActivityAllocateNumber, alloc).Get(ctx, &number); err != nil {
		return 0, &stepError{"number", docID, err}
	}
	return number, nil
}

// issueChecked issues what is not issued yet: decisions, submissions upward, minutes.
func issueChecked(ctx, dctx workflow.Context, s *award.Session, in SessionInput) error {
	year := s.ClosedAt.In(time.FixedZone("local", in.UTCOffset)).Year()
	issued := func(list []award.DecisionRef, code string) bool {
		return slices.ContainsFunc(list, func(d award.DecisionRef) bool { return d.AwardType == code })
	}
	for _, code := range s.AwardTypes() {
		t := in.AwardTypes[code]
		awardees := s.Awardees(code)
		if t.Authority != award.AuthorityAgency || len(awardees) == 0 || issued(s.Decisions, code) {
			continue
		}
		req := DecisionRequest{ID: DecisionID(s.ID, code), SessionID: s.ID, AwardType: code, Year: year, Date: s.ClosedAt, Awardees: awardees}
		number, err := checkThenNumber(dctx, CheckDocumentRequest{Decision: &req}, "decision", req.ID,
			AllocateRequest{AgencyCode: in.AgencyCode, DocType: DocDecision, Year: year, RequestID: s.ID + "/" + code})
		if err != nil {
			return err
		}
		req.Number = number
		var ref award.DocumentRef
		if err := workflow.ExecuteActivity(dctx, ActivityIssueDecision, req).Get(ctx, &ref); err != nil {
			return &stepError{"decision", req.ID, err}
		}
		s.Decisions = append(s.Decisions, award.DecisionRef{DocumentRef: ref, Number: number, Year: year, AwardType: code, Awardees: ids(awardees)})
	}
	for _, code := range s.AwardTypes() {
		t := in.AwardTypes[code]
		items := s.Awardees(code)
		if t.Authority != award.AuthorityUpward || len(items) == 0 || issued(s.Submissions, code) {
			continue
		}
		req := SubmissionRequest{ID: SubmissionID(s.ID, code), SessionID: s.ID, AwardType: code, Year: year,
			Date: s.ClosedAt, Items: items, Members: len(s.Voters())}
		for _, it := range items {
			req.Counts = append(req.Counts, s.Counts[it.ProposalID])
			req.Votes = appendVote(req.Votes, s, it.ProposalID)
		}
		number, err := checkThenNumber(dctx, CheckDocumentRequest{Submission: &req}, "submission", req.ID,
			AllocateRequest{AgencyCode: in.AgencyCode, DocType: DocSubmission, Year: year, RequestID: s.ID + "/" + code + "/ttr"})
		if err != nil {
			return err
		}
		req.Number = number
		var ref award.DocumentRef
		if err := workflow.ExecuteActivity(dctx, ActivityIssueSubmission, req).Get(ctx, &ref); err != nil {
			return &stepError{"submission", req.ID, err}
		}
		s.Submissions = append(s.Submissions, award.DecisionRef{DocumentRef: ref, Number: number, Year: year, AwardType: code, Awardees: ids(items)})
	}
	// A meeting below quorum still gets its numbered biên bản: it is a document of the
	// register like any other (the number is used, not lost), and it records who came
	// and that the ballots were not opened. Sessions before the lifecycle: yearly register.
	return issueMinutes(ctx, dctx, s, in, "")
}

func ids(items []award.AgendaItem) []string {
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = it.ProposalID
	}
	return out
}

// issueDocuments numbers, renders, signs and stores one decision per award type that the
// agency itself grants, then the minutes. (Sessions closed before versionVisibleFailures.)
func issueDocuments(ctx workflow.Context, s *award.Session, in SessionInput) error {
	local := s.ClosedAt.In(time.FixedZone("local", in.UTCOffset))
	year := local.Year()
	// Awardees have passed, which implies their award type's quorum was met.
	{
		for _, code := range s.AwardTypes() {
			t := in.AwardTypes[code]
			awardees := s.Awardees(code)
			if t.Authority != award.AuthorityAgency || len(awardees) == 0 {
				continue
			}
			reqID := s.ID + "/" + code
			var number int
			if err := workflow.ExecuteActivity(ctx, ActivityAllocateNumber, AllocateRequest{
				AgencyCode: in.AgencyCode, DocType: DocDecision, Year: year, RequestID: reqID,
			}).Get(ctx, &number); err != nil {
				return fmt.Errorf("allocate decision number for %s: %w", code, err)
			}
			var ref award.DocumentRef
			req := DecisionRequest{ID: DecisionID(s.ID, code), SessionID: s.ID, AwardType: code, Number: number, Year: year, Date: s.ClosedAt, Awardees: awardees}
			if err := workflow.ExecuteActivity(ctx, ActivityIssueDecision, req).Get(ctx, &ref); err != nil {
				return fmt.Errorf("issue decision for %s: %w", code, err)
			}
			ids := make([]string, len(awardees))
			for i, a := range awardees {
				ids[i] = a.ProposalID
			}
			s.Decisions = append(s.Decisions, award.DecisionRef{DocumentRef: ref, Number: number, Year: year, AwardType: code, Awardees: ids})
		}
	}
	if v := workflow.GetVersion(ctx, versionSubmissions, workflow.DefaultVersion, 1); v >= 1 {
		if err := issueSubmissions(ctx, s, in, year); err != nil {
			return err
		}
	}
	var number int
	if err := workflow.ExecuteActivity(ctx, ActivityAllocateNumber, AllocateRequest{
		AgencyCode: in.AgencyCode, DocType: DocMinutes, Year: year, RequestID: s.ID + "/minutes",
	}).Get(ctx, &number); err != nil {
		return fmt.Errorf("allocate minutes number: %w", err)
	}
	var ref award.DocumentRef
	if err := workflow.ExecuteActivity(ctx, ActivityIssueMinutes, MinutesRequest{Session: *s, Number: number, Date: s.ClosedAt}).Get(ctx, &ref); err != nil {
		return fmt.Errorf("issue minutes: %w", err)
	}
	s.Minutes = &ref
	return nil
}

// issueSubmissions writes one tờ trình per award type above the agency's authority that
// has passed nominees.
func issueSubmissions(ctx workflow.Context, s *award.Session, in SessionInput, year int) error {
	for _, code := range s.AwardTypes() {
		t := in.AwardTypes[code]
		items := s.Awardees(code)
		if t.Authority != award.AuthorityUpward || len(items) == 0 {
			continue
		}
		var number int
		if err := workflow.ExecuteActivity(ctx, ActivityAllocateNumber, AllocateRequest{
			AgencyCode: in.AgencyCode, DocType: DocSubmission, Year: year, RequestID: s.ID + "/" + code + "/ttr",
		}).Get(ctx, &number); err != nil {
			return fmt.Errorf("allocate submission number for %s: %w", code, err)
		}
		req := SubmissionRequest{ID: SubmissionID(s.ID, code), SessionID: s.ID, AwardType: code, Number: number, Year: year,
			Date: s.ClosedAt, Items: items, Members: len(s.Voters())}
		ids := make([]string, len(items))
		for i, it := range items {
			req.Counts = append(req.Counts, s.Counts[it.ProposalID])
			req.Votes = appendVote(req.Votes, s, it.ProposalID)
			ids[i] = it.ProposalID
		}
		var ref award.DocumentRef
		if err := workflow.ExecuteActivity(ctx, ActivityIssueSubmission, req).Get(ctx, &ref); err != nil {
			return fmt.Errorf("issue submission for %s: %w", code, err)
		}
		s.Submissions = append(s.Submissions, award.DecisionRef{DocumentRef: ref, Number: number, Year: year, AwardType: code, Awardees: ids})
	}
	return nil
}

// appendVote adds a proposal's VoteResult to a request (nil when the session was judged
// before results carried one: the activity then works it out from the counts).
func appendVote(votes []award.VoteResult, s *award.Session, proposalID string) []award.VoteResult {
	if v := s.Results[proposalID].Vote; v != nil {
		return append(votes, *v)
	}
	return votes
}

// SubmissionID names the submission upward of one award type in one session.
func SubmissionID(sessionID, code string) string { return sessionID + "." + code + ".ttr" }

// DecisionID names the decision of one award type in one session.
func DecisionID(sessionID, code string) string { return sessionID + "." + code }

func deliverOutcomes(ctx workflow.Context, s *award.Session) error {
	members, present := len(s.Voters()), len(s.Voted)
	futures := make([]workflow.Future, 0, len(s.Agenda))
	for _, it := range s.Agenda {
		res := s.Results[it.ProposalID]
		c := s.Counts[it.ProposalID]
		o := award.Outcome{SessionID: s.ID, Passed: res.Passed, Yes: c.Yes, No: c.No, Abstain: c.Abstain, Reason: res.Reason, Revote: res.Revote}
		for _, d := range s.Decisions {
			if slices.Contains(d.Awardees, it.ProposalID) {
				o.DecisionID, o.NumberText = d.ID, d.NumberText
			}
		}
		for _, d := range s.Submissions {
			if slices.Contains(d.Awardees, it.ProposalID) {
				o.DecisionID, o.NumberText, o.Upward = d.ID, d.NumberText, true
			}
		}
		quorum := s.Rules[it.AwardType].QuorumMet(members, present)
		futures = append(futures, workflow.ExecuteActivity(ctx, ActivityDeliverOutcome, DeliverRequest{ProposalID: it.ProposalID, Outcome: o, QuorumMet: quorum}))
	}
	for i, f := range futures {
		if err := f.Get(ctx, nil); err != nil {
			return fmt.Errorf("deliver outcome to %s: %w", s.Agenda[i].ProposalID, err)
		}
	}
	return nil
}

// sessionWaiting is who the session waits on: extra (the people its documents wait
// for), the members still to vote and the chair while it is open, its secretaries and
// opener when its documents failed.
func sessionWaiting(s *award.Session, extra []string) []string {
	waiting := []string{}
	for _, id := range extra {
		if !slices.Contains(waiting, id) {
			waiting = append(waiting, id)
		}
	}
	if s.Status == award.SessionOpen {
		for _, m := range s.Voters() {
			if !slices.Contains(s.Voted, m.ID) {
				waiting = append(waiting, m.ID)
			}
		}
		for _, m := range s.Members {
			if m.Role == award.RoleChair && !slices.Contains(waiting, m.ID) {
				waiting = append(waiting, m.ID) // the chair also has to close the session
			}
		}
	}
	if s.Status == award.SessionIssueFailed {
		// The session waits on its secretary: it shows in their inbox.
		for _, m := range s.Members {
			if m.Role == award.RoleSecretary && !slices.Contains(waiting, m.ID) {
				waiting = append(waiting, m.ID)
			}
		}
		if s.OpenedBy != "" && !slices.Contains(waiting, s.OpenedBy) {
			waiting = append(waiting, s.OpenedBy)
		}
	}
	return waiting
}

// publishSession sets the session's search attributes: its status, who it waits on
// (sessionWaiting) and the documents it issued.
func publishSession(ctx workflow.Context, s *award.Session, waiting []string) error {
	docs := []string{}
	for _, d := range s.Decisions {
		docs = append(docs, d.SHA256)
	}
	for _, d := range s.Submissions {
		docs = append(docs, d.SHA256)
	}
	if s.Minutes != nil {
		docs = append(docs, s.Minutes.SHA256)
	}
	if s.CouncilSubmission != nil {
		docs = append(docs, s.CouncilSubmission.SHA256)
	}
	updates := []temporal.SearchAttributeUpdate{
		SAKind.ValueSet(KindSession),
		SAStage.ValueSet(string(s.Status)),
		SAAssignees.ValueSet(waiting),
	}
	if len(docs) > 0 {
		updates = append(updates, SADocuments.ValueSet(docs))
	}
	err := workflow.UpsertTypedSearchAttributes(ctx, updates...)
	if err != nil {
		return fmt.Errorf("publish session: %w", err)
	}
	return nil
}
