package workflows

import (
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
	RequestID  string `json:"request_id"`
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
}

// MinutesRequest asks IssueMinutes to render, sign and store the session's minutes.
type MinutesRequest struct {
	Session award.Session `json:"session"`
	Number  int           `json:"number"`
	Date    time.Time     `json:"date"`
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
}

// versionSubmissions marks the change that added submissions upward, so that sessions
// closed by older code replay as they ran.
const versionSubmissions = "submissions-upward"

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
	s := &award.Session{ID: in.ID, Title: in.Title, OpenedBy: in.Opener.ID, Members: in.Members, Rules: rules}
	var skipped []Skipped
	var failure string
	view := func() SessionView {
		v := SessionView{Session: *s, Skipped: skipped, Error: failure}
		if s.Status == award.SessionOpen || s.Status == "" {
			v.Counts = nil
		}
		return v
	}
	publish := func() error { return publishSession(ctx, s) }

	actx := workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: 2 * time.Minute,
		RetryPolicy:         &temporal.RetryPolicy{InitialInterval: time.Second, MaximumInterval: time.Minute},
	})

	opening := false
	reqs := requestLog{} // idempotency scopes of open and vote (see idempotency.go)
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
					return view(), asApplicationError(award.Invalid("Không có hồ sơ nào chờ Hội đồng xét", "no proposal is waiting for the council"))
				}
				s.Status, s.OpenedAt = award.SessionOpen, workflow.Now(ctx)
				return view(), publish()
			},
			workflow.UpdateHandlerOptions{Validator: func(ctx workflow.Context, a ActorInput) error {
				if err := reqs.check(ctx); err != nil {
					return err
				}
				if a.Actor.ID != in.Opener.ID || !a.Actor.Has(award.RoleSecretary) {
					return asApplicationError(award.Forbidden("Chỉ thư ký Hội đồng mới được mở phiên họp", "only the council secretary may open a session"))
				}
				return nil
			}}),
		workflow.SetUpdateHandlerWithOptions(ctx, UpdateVote,
			func(ctx workflow.Context, b BallotInput) (SessionView, error) {
				reqs.record(ctx)
				if err := s.Cast(b.Actor, b.Sealed); err != nil {
					return SessionView{}, asApplicationError(err)
				}
				return view(), publish()
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
				return view(), publish()
			},
			workflow.UpdateHandlerOptions{Validator: func(a ActorInput) error {
				return asApplicationError(s.CheckClose(a.Actor))
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
		_ = workflow.Await(ctx, func() bool { return workflow.AllHandlersFinished(ctx) })
		return view(), nil
	}
	if err := workflow.Await(ctx, func() bool { return s.Status == award.SessionClosed }); err != nil {
		return view(), fmt.Errorf("wait for close: %w", err)
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
	if err := workflow.Await(ctx, func() bool { return workflow.AllHandlersFinished(ctx) }); err != nil {
		return view(), fmt.Errorf("drain handlers: %w", err)
	}
	return view(), nil
}

// issueDocuments numbers, renders, signs and stores one decision per award type that the
// agency itself grants, then the minutes.
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
		o := award.Outcome{SessionID: s.ID, Passed: res.Passed, Yes: c.Yes, No: c.No, Abstain: c.Abstain, Reason: res.Reason}
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

func publishSession(ctx workflow.Context, s *award.Session) error {
	waiting := []string{}
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
