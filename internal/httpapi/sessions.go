package httpapi

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"

	"crypto/sha256"
	"encoding/hex"

	"github.com/awardflow/awardflow/internal/award"
	"github.com/awardflow/awardflow/internal/orgconfig"
	"github.com/awardflow/awardflow/workflows"
)

const sessionPrefix = "session-"

type openRequest struct {
	Title       string   `json:"title"`
	ProposalIDs []string `json:"proposal_ids"`
	// Location is where the council meets; empty: the configured agency.meeting_place.
	Location string `json:"location,omitempty"`
}

// openSession starts a council session over the given proposals, or over every proposal
// waiting for the council when none are given. Only the council secretary may do it.
func (s *Server) openSession(w http.ResponseWriter, r *http.Request, a award.Actor) error {
	key, err := idempotencyKey(r)
	if err != nil {
		return err
	}
	var req openRequest
	if err := decode(w, r, &req); err != nil {
		return err
	}
	if err := award.CanOpenSession(a); err != nil {
		return s.explainEndedMandate(r.Context(), a, award.RoleSecretary, err)
	}
	if req.Title, err = award.CleanLine(award.FieldSessionTitle, req.Title); err != nil {
		return err
	}
	if err := award.CheckSessionTitle(req.Title); err != nil {
		return err
	}
	if req.Location, err = award.CleanLine(award.FieldLocation, req.Location); err != nil {
		return err
	}
	if err := award.CheckLocation(req.Location); err != nil {
		return err
	}
	for _, id := range req.ProposalIDs {
		if !strings.HasPrefix(id, proposalPrefix) || !idPattern.MatchString(id) {
			return award.Invalid("Mã hồ sơ “%s” không hợp lệ", "invalid proposal id %q", id)
		}
	}
	// Fingerprinted as asked: "every waiting proposal" stays the same request.
	fp, err := fingerprintOf(r, "", req)
	if err != nil {
		return err
	}
	openID, err := scopedUpdateID(r, a, "", fp)
	if err != nil {
		return err
	}
	id := newID(sessionPrefix)
	if key != "" {
		sum := sha256.Sum256([]byte(a.ID + "\x00session\x00" + key))
		id = sessionPrefix + hex.EncodeToString(sum[:16])
	}
	// A repeated key names a session that exists already: its workflow answers with the
	// first result (same request) or refuses the key (another request). Checking the
	// agenda again would wrongly say its proposals are "already on a session": its own.
	if key != "" {
		if d, err := s.Temporal.DescribeWorkflowExecution(r.Context(), id, ""); err == nil {
			if d.GetWorkflowExecutionInfo().GetStatus() != enumspb.WORKFLOW_EXECUTION_STATUS_RUNNING {
				return award.WrongStage("Phiên họp mở bằng khoá này đã kết thúc", "the session opened with this key is finished")
			}
			// The session exists: its workflow answers (the snapshot below is not used).
			return s.startSession(w, r, a, id, openID, req, nil)
		}
	}
	implicit := len(req.ProposalIDs) == 0
	if implicit {
		items, err := s.list(r.Context(), "ExecutionStatus = 'Running' AND AwardKind = 'proposal' AND AwardStage = "+quote(string(award.StageEndorsed)))
		if err != nil {
			return fmt.Errorf("list the proposals waiting for the council: %w", err)
		}
		for _, it := range items {
			req.ProposalIDs = append(req.ProposalIDs, it.ID)
		}
		slices.Sort(req.ProposalIDs)
	}
	// Check everything before the session's workflow starts: a refused opening must
	// leave nothing behind (no session in the list, no workflow).
	agenda, err := s.currentProposals(r.Context(), req.ProposalIDs)
	if err != nil {
		return err
	}
	if implicit { // the list lags behind: keep those still waiting for the council
		agenda = slices.DeleteFunc(agenda, func(p *award.Proposal) bool { return p.CheckJoinSession("") != nil })
		req.ProposalIDs = req.ProposalIDs[:0]
		for _, p := range agenda {
			req.ProposalIDs = append(req.ProposalIDs, p.ID)
		}
	}
	if err := award.CheckOpenSession(a, req.Title, agenda); err != nil {
		return err
	}
	// The council considers only nominees who meet the criteria (the data may have
	// changed since they were submitted).
	org, err := s.orgOf(r.Context())
	if err != nil {
		return err
	}
	years := make([]award.AgendaYear, 0, len(agenda))
	for _, p := range agenda {
		year, err := s.proposalYear(r.Context(), org, p)
		if err != nil {
			return err
		}
		j, err := s.judgeYear(r.Context(), org, p, year)
		if err != nil {
			return err
		}
		if err := award.CheckEligible(p.NomineeName, j.Results); err != nil {
			return err
		}
		years = append(years, award.AgendaYear{ProposalID: p.ID, NomineeName: p.NomineeName, AwardType: p.AwardType, Year: year})
	}
	// The session keeps, for its whole life, the vote rule and quota of each award type
	// as the rule set of its proposals' achievement year has them.
	types, err := sessionAwardTypes(org, years)
	if err != nil {
		return err
	}
	return s.startSession(w, r, a, id, openID, req, types)
}

// sessionAwardTypes is what a new session snapshots of each award type (name, authority,
// vote rule with its quota): the rules of the rule set of the agenda's achievement years
// (award.SessionAwardTypes; refused when one type falls under two sets).
func sessionAwardTypes(org *orgconfig.Org, agenda []award.AgendaYear) (map[string]workflows.AwardTypeInfo, error) {
	types, err := award.SessionAwardTypes(org.RuleSets, org.AwardTypes, agenda)
	if err != nil {
		return nil, err
	}
	out := make(map[string]workflows.AwardTypeInfo, len(types))
	for code, t := range types {
		out[code] = workflows.AwardTypeInfo{Name: t.Name, Authority: t.Authority, Rule: t.Vote}
	}
	return out, nil
}

// startSession starts the session's workflow with the "open" update (Update-with-Start;
// an existing workflow of that id is used, not started again).
func (s *Server) startSession(w http.ResponseWriter, r *http.Request, a award.Actor, id, openID string, req openRequest,
	types map[string]workflows.AwardTypeInfo) error {
	org, err := s.orgOf(r.Context())
	if err != nil {
		return err
	}
	in := workflows.SessionInput{
		ID: id, Title: req.Title, Opener: a, Members: org.Council(), ProposalIDs: req.ProposalIDs,
		AwardTypes: types, AgencyCode: org.Agency.Code,
		Location: req.Location,
	}
	if in.Location == "" {
		in.Location = org.Agency.MeetingPlace
	}
	_, offset := s.Now().In(org.Location()).Zone()
	in.UTCOffset = offset
	ag := org.Agency
	var escalate []string
	for _, r := range ag.EscalateTo {
		escalate = append(escalate, org.IDsWithRole(r)...)
	}
	in.Decide = &workflows.DecideSetup{
		Head: org.HeadSigner(), Delegations: org.Delegations(),
		Secretaries: org.IDsWithRole(award.RoleSecretary), Clerks: org.IDsWithRole(award.RoleClerk),
		Escalate: escalate, SignDays: ag.Decision.SignDays, Profile: ag.Profile, TermStarts: ag.TermStarts, CouncilCode: ag.CouncilCode,
	}
	if in.AwardTypes == nil {
		if in.AwardTypes, err = sessionAwardTypes(org, nil); err != nil {
			return err
		}
	}
	start := s.Temporal.NewWithStartWorkflowOperation(client.StartWorkflowOptions{
		ID: id, TaskQueue: s.TaskQueue,
		WorkflowIDConflictPolicy: enumspb.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING,
		// A finished session is never started again under its id.
		WorkflowIDReusePolicy: enumspb.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE,
		Memo:                  map[string]any{memoTitle: req.Title},
		TypedSearchAttributes: temporal.NewSearchAttributes(
			workflows.SAKind.ValueSet(workflows.KindSession),
			workflows.SAStage.ValueSet(string(award.SessionOpening)),
			workflows.SAAssignees.ValueSet([]string{}),
		),
	}, workflows.SessionWorkflowName, in)
	// No worker: 503 at once rather than a started workflow nobody runs.
	if err := s.needWorker(r.Context()); err != nil {
		return err
	}
	h, err := s.Temporal.UpdateWithStartWorkflow(r.Context(), client.UpdateWithStartWorkflowOptions{
		StartWorkflowOperation: start,
		UpdateOptions: client.UpdateWorkflowOptions{
			UpdateName: workflows.UpdateOpen, UpdateID: openID,
			Args: []any{workflows.ActorInput{Actor: a}}, WaitForStage: client.WorkflowUpdateStageCompleted,
		},
	})
	var view workflows.SessionView
	if err == nil {
		err = h.Get(r.Context(), &view)
	}
	if err != nil {
		return s.temporalErr(r.Context(), err, id, award.NounSession)
	}
	s.writeOwn(r.Context(), &view, "")
	w.Header().Set("Location", "/api/v1/sessions/"+id)
	writeJSON(w, http.StatusCreated, s.sessionOut(r.Context(), view, a))
	return nil
}

func (s *Server) loadSession(r *http.Request, a award.Actor) (workflows.SessionView, error) {
	var view workflows.SessionView
	id, err := pathID(r, sessionPrefix, award.NounSession)
	if err != nil {
		return view, err
	}
	if err := award.CanSeeSessions(a); err != nil {
		return view, err
	}
	return s.sessionFor(r, id)
}

func (s *Server) getSession(w http.ResponseWriter, r *http.Request, a award.Actor) error {
	view, err := s.loadSession(r, a)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s.sessionOut(r.Context(), view, a))
	return nil
}

type ballotRequest struct {
	Marks map[string]award.Choice `json:"marks"`
	// All marks every proposal not in Marks ("đồng ý tất cả" with exceptions).
	All award.Choice `json:"all,omitempty"`
}

func (s *Server) ballot(w http.ResponseWriter, r *http.Request, a award.Actor) error {
	id, err := pathID(r, sessionPrefix, award.NounSession)
	if err != nil {
		return err
	}
	var req ballotRequest
	if err := decode(w, r, &req); err != nil {
		return err
	}
	// Check the marks against the agenda here: once sealed, nobody can look at them
	// until the count.
	view, err := s.loadSession(r, a)
	if err != nil {
		return err
	}
	key, err := idempotencyKey(r)
	if err != nil {
		return err
	}
	// A repeated ballot request (same key) goes on: the workflow answers it with the
	// first result, or 422 if the marks differ.
	if err := view.CheckVoter(a); err != nil && (key == "" || !isCode(err, award.CodeDuplicate)) {
		return err
	}
	if req.Marks, err = view.FillBallot(req.All, req.Marks); err != nil {
		return err
	}
	if err := view.CheckMarksNamed(req.Marks, s.labels(r.Context()).awardType); err != nil {
		return err
	}
	sealed, err := s.Ballots.Seal(id, req.Marks)
	if err != nil {
		return fmt.Errorf("seal the ballot: %w", err)
	}
	fp, err := s.Ballots.Fingerprint(id, a.ID, req.Marks) // keyed: the update id must not reveal the marks
	if err != nil {
		return err
	}
	if err := s.update(r, a, id, workflows.UpdateVote, award.NounSession, fp, workflows.BallotInput{Actor: a, Sealed: sealed}, &view); err != nil {
		return err
	}
	// The answer confirms participation only: it never echoes the marks.
	writeJSON(w, http.StatusOK, map[string]any{"session_id": id, "voted": true, "voters": len(view.Voted)})
	return nil
}

func (s *Server) closeSession(w http.ResponseWriter, r *http.Request, a award.Actor) error {
	id, err := pathID(r, sessionPrefix, award.NounSession)
	if err != nil {
		return err
	}
	var view workflows.SessionView
	if err := s.update(r, a, id, workflows.UpdateClose, award.NounSession, "", workflows.ActorInput{Actor: a}, &view); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s.sessionOut(r.Context(), view, a))
	return nil
}

func (s *Server) minutesPDF(w http.ResponseWriter, r *http.Request, a award.Actor) error {
	view, err := s.loadSession(r, a)
	if err != nil {
		return err
	}
	if view.Minutes == nil {
		return award.WrongStage("Biên bản chưa được lập (phiên họp chưa kết thúc)", "the minutes are not issued yet")
	}
	return s.streamObject(w, r, view.Minutes.Key, "bien-ban-"+view.ID+".pdf", "application/pdf")
}

// councilSubmissionPDF streams the council's tờ trình to the head.
func (s *Server) councilSubmissionPDF(w http.ResponseWriter, r *http.Request, a award.Actor) error {
	view, err := s.loadSession(r, a)
	if err != nil {
		return err
	}
	if view.CouncilSubmission == nil {
		return award.WrongStage("Tờ trình của Hội đồng chưa được lập (phiên họp chưa kết thúc, hoặc không có trường hợp nào đạt)", "the council's submission is not issued (the session is not closed, or nobody passed)")
	}
	return s.streamObject(w, r, view.CouncilSubmission.Key, "to-trinh-hoi-dong-"+view.ID+".pdf", "application/pdf")
}

// decisionPDF streams a signed decision. Decisions are public within the agency: any
// signed-in person may download them.
func (s *Server) decisionPDF(w http.ResponseWriter, r *http.Request, a award.Actor) error {
	id := r.PathValue("id")
	sessionID, code, ok := strings.Cut(id, ".")
	if !ok || !strings.HasPrefix(sessionID, sessionPrefix) || !idPattern.MatchString(sessionID) {
		return award.NotFound("Không tìm thấy quyết định “%s”", "decision %q not found", id)
	}
	v, err := s.Temporal.QueryWorkflow(r.Context(), sessionID, "", workflows.QueryState)
	var view workflows.SessionView
	if err == nil {
		err = v.Get(&view)
	}
	if err != nil {
		return s.temporalErr(r.Context(), err, sessionID, award.NounDecision)
	}
	for _, d := range view.Decisions {
		if d.AwardType == code && d.ID == id {
			return s.streamObject(w, r, d.Key, "quyet-dinh-"+strings.ReplaceAll(id, ".", "-")+".pdf", "application/pdf")
		}
	}
	for _, d := range view.Submissions {
		if d.ID == id {
			return s.streamObject(w, r, d.Key, "to-trinh-"+strings.ReplaceAll(id, ".", "-")+".pdf", "application/pdf")
		}
	}
	return award.NotFound("Không tìm thấy quyết định “%s”", "decision %q not found", id)
}

// currentProposals reads the current state of each proposal (a query, not the lagging
// list), in the order given.
func (s *Server) currentProposals(ctx context.Context, ids []string) ([]*award.Proposal, error) {
	out := make([]*award.Proposal, 0, len(ids))
	for _, id := range ids {
		v, err := s.Temporal.QueryWorkflow(ctx, id, "", workflows.QueryState)
		var view workflows.ProposalView
		if err == nil {
			err = v.Get(&view)
		}
		if err != nil {
			return nil, s.temporalErr(ctx, err, id, award.NounProposal)
		}
		p := view.Proposal
		out = append(out, &p)
	}
	return out, nil
}

type excludeRequest struct {
	ProposalID string `json:"proposal_id"`
	Reason     string `json:"reason"`
}

// excludeFromSession takes a proposal off a session whose documents could not be
// issued: it goes back to the council's queue, the exclusion is recorded on the session
// and in the proposal's history, and issuing resumes. Council secretary only.
func (s *Server) excludeFromSession(w http.ResponseWriter, r *http.Request, a award.Actor) error {
	id, err := pathID(r, sessionPrefix, award.NounSession)
	if err != nil {
		return err
	}
	var req excludeRequest
	if err := decode(w, r, &req); err != nil {
		return err
	}
	if !strings.HasPrefix(req.ProposalID, proposalPrefix) || !idPattern.MatchString(req.ProposalID) {
		return award.Invalid("Mã hồ sơ “%s” không hợp lệ", "invalid proposal id %q", req.ProposalID)
	}
	// The reason goes into the proposal's history: checked like any text typed in.
	if req.Reason, err = award.CleanBlock(award.FieldComment, req.Reason); err != nil {
		return err
	}
	var view workflows.SessionView
	if err := s.update(r, a, id, workflows.UpdateExclude, award.NounSession, "", workflows.ExcludeInput{Actor: a, ProposalID: req.ProposalID, Reason: req.Reason}, &view); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s.sessionOut(r.Context(), view, a))
	return nil
}

// retryIssue resumes issuing the documents of a session whose documents failed (after
// an outage, or once the configuration was put right). Council secretary only.
func (s *Server) retryIssue(w http.ResponseWriter, r *http.Request, a award.Actor) error {
	id, err := pathID(r, sessionPrefix, award.NounSession)
	if err != nil {
		return err
	}
	var view workflows.SessionView
	if err := s.update(r, a, id, workflows.UpdateRetryIssue, award.NounSession, "", workflows.ActorInput{Actor: a}, &view); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s.sessionOut(r.Context(), view, a))
	return nil
}
