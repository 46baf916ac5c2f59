package httpapi

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/temporal"

	"github.com/awardflow/awardflow/internal/award"
	"github.com/awardflow/awardflow/internal/orgconfig"
	"github.com/awardflow/awardflow/workflows"
)

const proposalPrefix = "proposal-"

// createProposal files a proposal with Update-with-Start. With an Idempotency-Key the
// workflow id and the update id derive from it, so a repeated request finds the same
// proposal and gets the first answer instead of filing a second one.
func (s *Server) createProposal(w http.ResponseWriter, r *http.Request, a award.Actor) error {
	org, err := s.orgOf(r.Context())
	if err != nil {
		return err
	}
	key, err := idempotencyKey(r)
	if err != nil {
		return err
	}
	var req award.Draft
	if err := decode(w, r, &req); err != nil {
		return err
	}
	if req.Department == "" {
		req.Department = a.Department
	}
	if err := award.CanFile(a, req.Department); err != nil {
		return err
	}
	// Text that reaches documents is normalised and checked now, not when a session
	// issues them; the nominee is linked to the directory (nobody reviews their own).
	if req, err = req.Clean(); err != nil {
		return err
	}
	if err := org.CheckDraft(req); err != nil {
		return err
	}
	if req, err = award.ResolveNominee(req, org.Directory()); err != nil {
		return err
	}
	fp, err := fingerprintOf(r, "", req)
	if err != nil {
		return err
	}
	updateID, err := scopedUpdateID(r, a, "", fp)
	if err != nil {
		return err
	}
	m, _ := org.Movement(req.MovementID)
	year := awardYear(org, s.Now(), m)
	// The rule set is the one of the achievement year (a 2024 achievement is judged
	// under the rules of 2024, whenever it is filed).
	rules, ok := org.RulesForYear(year)
	if !ok {
		return award.Invalid("Chưa có bộ quy định khen thưởng nào áp dụng cho năm thành tích %d", "no rule set covers the achievement year %d", year)
	}
	if err := org.CheckAwardedInYear(req.AwardType, year); err != nil {
		return err
	}
	id := newID(proposalPrefix)
	if key != "" {
		sum := sha256.Sum256([]byte(a.ID + "\x00" + key))
		id = proposalPrefix + hex.EncodeToString(sum[:16])
	}
	// A repeated request (same Idempotency-Key) finds its proposal and answers as the
	// first did (or 422 for another body): only a new filing is checked.
	if key == "" || !s.filed(r.Context(), id) {
		if err := s.checkOneLive(r.Context(), id, req, year); err != nil {
			return err
		}
		if err := s.checkRegistration(r.Context(), org, req); err != nil {
			return err
		}
	}
	view, err := s.startProposal(r.Context(), org, a, req, m, rules, year, id, updateID)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/proposals/"+id)
	writeJSON(w, http.StatusCreated, s.proposalOut(r.Context(), view))
	return nil
}

// startProposal starts a proposal's workflow with its "create" update (an existing
// workflow of that id is used: a repeat answers as the first did), and writes the list
// row of the filing (ownrows.go).
func (s *Server) startProposal(ctx context.Context, org *orgconfig.Org, a award.Actor, req award.Draft, m award.Movement, rules award.Rules,
	year int, id, updateID string) (workflows.ProposalView, error) {
	in := workflows.ProposalInput{
		ID: id, Draft: req, Proposer: a, RuleSet: rules.Set.ID, Criteria: m.Criteria(req.Kind),
		Secretaries: ids(org.WithRole(award.RoleSecretary)), ReviewDays: org.Agency.ReviewDays,
		HeadReviewers: org.Agency.HeadProposalReviewers, Year: year, ReviewWithin: s.ReviewWithin,
	}
	for _, r := range org.Agency.EscalateTo {
		in.Escalate = append(in.Escalate, ids(org.WithRole(r))...)
	}
	for _, h := range org.HeadsOf(req.Department) {
		in.Heads = append(in.Heads, h.ID)
	}
	start := s.Temporal.NewWithStartWorkflowOperation(client.StartWorkflowOptions{
		ID: id, TaskQueue: s.TaskQueue,
		WorkflowIDConflictPolicy: enumspb.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING,
		// The memo lets lists show who a proposal is for without querying each workflow.
		Memo: map[string]any{memoTitle: req.NomineeName, memoAwardType: req.AwardType},
		TypedSearchAttributes: temporal.NewSearchAttributes(
			workflows.SAKind.ValueSet(workflows.KindProposal),
			workflows.SAStage.ValueSet(string(award.StageDraft)),
			workflows.SAAssignees.ValueSet([]string{a.ID}),
			workflows.SADepartment.ValueSet(req.Department),
			workflows.SAProposer.ValueSet(a.ID),
		),
	}, workflows.ProposalWorkflowName, in)
	var view workflows.ProposalView
	var intent string
	err := s.startWithWorker(ctx, id, func(ctx context.Context) error {
		ctx, intent = s.beginOwnRow(ctx, id)
		h, err := s.Temporal.UpdateWithStartWorkflow(ctx, client.UpdateWithStartWorkflowOptions{
			StartWorkflowOperation: start,
			UpdateOptions: client.UpdateWorkflowOptions{
				UpdateName: workflows.UpdateCreate, UpdateID: updateID,
				Args: []any{workflows.ActorInput{Actor: a}}, WaitForStage: client.WorkflowUpdateStageCompleted,
			},
		})
		if err == nil {
			err = h.Get(ctx, &view)
		}
		s.finishOwnRow(ctx, intent, &view, err)
		return err
	})
	if err != nil {
		if de, ok := asDomain(err); ok && de.Code == award.CodeUnavailable {
			return view, err
		}
		return view, s.temporalErr(ctx, err, id, award.NounProposal)
	}
	return view, nil
}

func ids(people []orgconfig.Person) []string {
	out := make([]string, 0, len(people))
	for _, p := range people {
		out = append(out, p.ID)
	}
	return out
}

// loadProposal queries the proposal and checks that the actor may see it.
func (s *Server) loadProposal(r *http.Request, a award.Actor) (workflows.ProposalView, error) {
	var view workflows.ProposalView
	id, err := pathID(r, proposalPrefix, award.NounProposal)
	if err != nil {
		return view, err
	}
	v, err := s.Temporal.QueryWorkflow(r.Context(), id, "", workflows.QueryState)
	if err == nil {
		err = v.Get(&view)
	}
	if err != nil {
		return view, s.temporalErr(r.Context(), err, id, award.NounProposal)
	}
	// A delegate of one of its reviewers may (the actor carries its mandates: authed).
	if !view.CanView(a) {
		return view, award.Forbidden("Bạn không có quyền xem hồ sơ này", "you may not see this proposal")
	}
	return view, nil
}

func (s *Server) getProposal(w http.ResponseWriter, r *http.Request, a award.Actor) error {
	view, err := s.loadProposal(r, a)
	if err != nil {
		return err
	}
	org, err := s.orgOf(r.Context())
	if err != nil {
		return err
	}
	out := s.proposalOut(r.Context(), view)
	j, err := s.judge(r.Context(), org, &view.Proposal)
	if err != nil {
		return err
	}
	out.Eligibility = &j
	if view.Stage == award.StageSubmitted && !view.Concerns(a.ID) {
		if mm, ok := view.ReviewingFor(a); ok && mm.ForID != "" {
			out.ReviewOnBehalfOf = mm.ForID
			out.ReviewOnBehalfOfLabel = "Thay mặt " + s.labels(r.Context()).person(mm.ForID, mm.ForName)
		}
	}
	if s.Records != nil && view.Stage == award.StageProposedUpward {
		us, err := s.Records.UpwardResults(r.Context(), view.ID)
		if err != nil {
			return err
		}
		for _, u := range us {
			out.UpwardResults = append(out.UpwardResults, upwardOutOf(u))
		}
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// update sends one Update to a proposal or session and writes its result. With an
// Idempotency-Key the update id is scoped to (caller, route, workflow) and carries the
// request's fingerprint: fp, or when empty the fingerprint of arg without its actor.
func (s *Server) update(r *http.Request, a award.Actor, workflowID, name string, n award.Noun, fp string, arg any, out any) error {
	if fp == "" {
		var body map[string]any
		b, err := json.Marshal(arg)
		if err == nil {
			err = json.Unmarshal(b, &body)
		}
		if err != nil {
			return fmt.Errorf("fingerprint %s: %w", name, err)
		}
		// Who acts is the scope of the key, not part of the request; how the server
		// judged eligibility (submit's "judged") is not what the person asked either.
		delete(body, "actor")
		delete(body, "judged")
		if fp, err = fingerprintOf(r, workflowID, body); err != nil {
			return err
		}
	}
	updateID, err := scopedUpdateID(r, a, workflowID, fp)
	if err != nil {
		return err
	}
	return s.updateWithID(r.Context(), workflowID, name, updateID, n, arg, out)
}

// updateWithID sends one Update with a given update id ("" for none) and reads its result.
func (s *Server) updateWithID(ctx context.Context, workflowID, name, updateID string, n award.Noun, arg any, out any) error {
	if err := s.needWorker(ctx); err != nil {
		return err
	}
	// A proposal (ProposalWorkflowV3) leaves the row of the change to us; a session
	// writes its own rows, and we write the one it answers with at once.
	uctx, intent := ctx, ""
	if n == award.NounProposal {
		uctx, intent = s.beginOwnRow(ctx, workflowID)
	}
	h, err := s.Temporal.UpdateWorkflow(uctx, client.UpdateWorkflowOptions{
		WorkflowID: workflowID, UpdateName: name, UpdateID: updateID,
		Args: []any{arg}, WaitForStage: client.WorkflowUpdateStageCompleted,
	})
	if err == nil {
		err = h.Get(uctx, out)
	}
	if intent != "" {
		s.finishOwnRow(ctx, intent, out, err)
	} else if err == nil {
		s.writeOwn(ctx, out, "")
	}
	return s.temporalErr(ctx, err, workflowID, n)
}

func (s *Server) proposalUpdate(w http.ResponseWriter, r *http.Request, a award.Actor, name string, arg any) error {
	id, err := pathID(r, proposalPrefix, award.NounProposal)
	if err != nil {
		return err
	}
	var view workflows.ProposalView
	if err := s.update(r, a, id, name, award.NounProposal, "", arg, &view); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s.proposalOut(r.Context(), view))
	return nil
}

func (s *Server) reviseProposal(w http.ResponseWriter, r *http.Request, a award.Actor) error {
	org, err := s.orgOf(r.Context())
	if err != nil {
		return err
	}
	var d award.Draft
	if err := decode(w, r, &d); err != nil {
		return err
	}
	view, err := s.loadProposal(r, a)
	if err != nil {
		return err
	}
	if d.Department == "" {
		d.Department = view.Department
	}
	if d, err = d.Clean(); err != nil {
		return err
	}
	if err := org.CheckDraft(d); err != nil {
		return err
	}
	if d, err = award.ResolveNominee(d, org.Directory()); err != nil {
		return err
	}
	m, _ := org.Movement(d.MovementID)
	year := awardYear(org, s.Now(), m)
	if m.Year == 0 { // a revision keeps the year it was filed for
		if year, err = s.proposalYear(r.Context(), org, &view.Proposal); err != nil {
			return err
		}
	}
	if err := org.CheckAwardedInYear(d.AwardType, year); err != nil {
		return err
	}
	if err := s.checkOneLive(r.Context(), view.ID, d, year); err != nil {
		return err
	}
	if err := s.checkRegistration(r.Context(), org, d); err != nil {
		return err
	}
	return s.proposalUpdate(w, r, a, workflows.UpdateRevise, workflows.ReviseInput{Actor: a, Draft: d, Criteria: m.Criteria(d.Kind), Year: awardYear(org, s.Now(), m)})
}

// awardYear is the year a proposal under movement m is for: the movement's, else the
// current year on the agency's clock.
func awardYear(org *orgconfig.Org, now time.Time, m award.Movement) int {
	if m.Year > 0 {
		return m.Year
	}
	return now.In(org.Location()).Year()
}

type selfAssessRequest struct {
	Answers []award.CriterionAnswer `json:"answers"`
}

func (s *Server) selfAssess(w http.ResponseWriter, r *http.Request, a award.Actor) error {
	var req selfAssessRequest
	if err := decode(w, r, &req); err != nil {
		return err
	}
	return s.proposalUpdate(w, r, a, workflows.UpdateSelfAssess, workflows.SelfAssessInput{Actor: a, Answers: req.Answers})
}

// submit sends a proposal to the department head, once its nominee meets the criteria
// of the rule set (award.CheckEligible: a criterion not met refuses, missing data does
// not).
func (s *Server) submit(w http.ResponseWriter, r *http.Request, a award.Actor) error {
	org, err := s.orgOf(r.Context())
	if err != nil {
		return err
	}
	// The quick way: judge from the list row and let the workflow check that it judged
	// the proposal as it stands (award.Judged). Any refusal of a stage, the stale
	// judgement among them, is answered by the full way below, which reads the
	// workflow's state: its answer is the one the person gets.
	if judged, rules, ok := s.judgeFromRow(r, org, a); ok {
		err := s.proposalUpdate(w, r, a, workflows.UpdateSubmit, workflows.SubmitInput{Actor: a, Rules: rules, Judged: &judged})
		if de, isDomain := asDomain(err); !isDomain || de.Code != award.CodeWrongStage {
			return err
		}
	}
	view, err := s.loadProposal(r, a)
	if err != nil {
		return err
	}
	// The award type's rules (evidence required) travel with the update: its validator
	// applies the same check, and a proposal missing its evidence is refused (422)
	// before anything else is asked.
	t, _ := org.AwardType(view.AwardType)
	rules := award.SubmitRulesOf(t)
	if view.Stage == award.StageDraft || view.Stage == award.StageReturned {
		if err := view.CheckSubmitWith(a, view.Criteria, rules); err != nil {
			return err
		}
		j, err := s.judge(r.Context(), org, &view.Proposal)
		if err != nil {
			return err
		}
		if err := award.CheckEligible(view.NomineeName, j.Results); err != nil {
			return err
		}
	}
	return s.proposalUpdate(w, r, a, workflows.UpdateSubmit, workflows.SubmitInput{Actor: a, Rules: rules})
}

// judgeFromRow judges a proposal's nominee from its row in the records store, without
// asking the workflow. ok is false whenever the full way must answer instead: no store,
// no row yet, not a draft, a store error, a nominee who does not qualify, or someone
// other than its proposer asking (the only one who may submit it: anyone else gets the
// full way's refusal, so that no answer tells them what the judgement was).
func (s *Server) judgeFromRow(r *http.Request, org *orgconfig.Org, a award.Actor) (award.Judged, award.SubmitRules, bool) {
	if s.Records == nil {
		return award.Judged{}, award.SubmitRules{}, false
	}
	id, err := pathID(r, proposalPrefix, award.NounProposal)
	if err != nil {
		return award.Judged{}, award.SubmitRules{}, false
	}
	row, err := s.Records.Projection(r.Context(), id)
	if err != nil || row.Kind != workflows.KindProposal || row.Year == 0 || row.Proposer != a.ID ||
		(award.Stage(row.Stage) != award.StageDraft && award.Stage(row.Stage) != award.StageReturned) {
		return award.Judged{}, award.SubmitRules{}, false
	}
	p := award.Proposal{ID: id, Draft: award.Draft{Kind: award.NomineeKind(row.NomineeKind), NomineeID: row.NomineeID,
		NomineeName: row.NomineeName, Department: row.Department, AwardType: row.AwardType, MovementID: row.Movement}}
	j, err := s.judgeYear(r.Context(), org, &p, row.Year)
	if err != nil || award.CheckEligible(p.NomineeName, j.Results) != nil {
		return award.Judged{}, award.SubmitRules{}, false
	}
	t, _ := org.AwardType(row.AwardType)
	return p.JudgedFor(row.Year), award.SubmitRulesOf(t), true
}

// withdrawProposal takes a submitted proposal back to draft, before its head decides.
func (s *Server) withdrawProposal(w http.ResponseWriter, r *http.Request, a award.Actor) error {
	return s.proposalUpdate(w, r, a, workflows.UpdateWithdraw, workflows.ActorInput{Actor: a})
}

// deleteProposal ends a draft or a returned proposal in the deleted stage. Its workflow
// finishes; the history and the files stay readable to those who could read them.
func (s *Server) deleteProposal(w http.ResponseWriter, r *http.Request, a award.Actor) error {
	return s.proposalUpdate(w, r, a, workflows.UpdateDelete, workflows.ActorInput{Actor: a})
}

type reviewRequest struct {
	Comment string `json:"comment"`
}

func (s *Server) review(d award.HeadDecision) func(http.ResponseWriter, *http.Request, award.Actor) error {
	return func(w http.ResponseWriter, r *http.Request, a award.Actor) error {
		var req reviewRequest
		if r.ContentLength != 0 {
			if err := decode(w, r, &req); err != nil {
				return err
			}
		}
		// The delegations in force today travel in the command (award.Delegation; authed
		// resolved them).
		err := s.proposalUpdate(w, r, a, workflows.UpdateReview, workflows.ReviewInput{Actor: a, Decision: d, Comment: req.Comment})
		if err != nil {
			return s.explainEndedDelegation(r, a, err)
		}
		return nil
	}
}

// Memo keys set when a workflow starts.
const (
	memoTitle     = "title"      // nominee of a proposal, title of a session
	memoAwardType = "award_type" // award type of a proposal
)

// Item is one row of a list (from the records store, or from Temporal visibility).
type Item struct {
	ID         string   `json:"id"`
	CaseNumber string   `json:"case_number,omitempty"` // HS-2026-0042, PH-2026-03 (records store)
	Title      string   `json:"title,omitempty"`       // the nominee, or the session's title
	AwardType  string   `json:"award_type,omitempty"`  // proposals
	Kind       string   `json:"kind"`
	Stage      string   `json:"stage"`
	StageLabel string   `json:"stage_label,omitempty"`
	Department string   `json:"department,omitempty"`
	Assignees  []string `json:"assignees"`
	// Labels of the codes and ids above.
	AwardTypeLabel  string   `json:"award_type_label,omitempty"`
	DepartmentLabel string   `json:"department_label,omitempty"`
	AssigneeLabels  []string `json:"assignee_labels"`
	StartedAt       string   `json:"started_at"`
	DueAt           string   `json:"due_at,omitempty"`
	Running         bool     `json:"running"`
	// From the records store only (listing.go): the last change, whether the step is
	// overdue, the award year (a session's: the year it opened).
	UpdatedAt string `json:"updated_at,omitempty"`
	Overdue   bool   `json:"overdue,omitempty"`
	Year      int    `json:"year,omitempty"`
	// OnBehalfOf: in a delegate's inbox, the row is the task of this person, who
	// delegated their review (award.Delegation); the label says so ("Thay mặt …").
	OnBehalfOf      string `json:"on_behalf_of,omitempty"`
	OnBehalfOfLabel string `json:"on_behalf_of_label,omitempty"`
}

const maxListed = 500

// list reads visibility. SQL visibility rejects ORDER BY and LIMIT, so sorting (newest
// first) and the cap are applied here.
func (s *Server) list(ctx context.Context, query string) ([]Item, error) {
	out := []Item{}
	var token []byte
	for len(out) < maxListed {
		resp, err := s.Temporal.ListWorkflow(ctx, &workflowservice.ListWorkflowExecutionsRequest{Query: query, NextPageToken: token, PageSize: 100})
		if err != nil {
			return nil, err
		}
		for _, e := range resp.GetExecutions() {
			sa := e.GetSearchAttributes()
			it := Item{ID: e.GetExecution().GetWorkflowId(), Running: e.GetStatus() == enumspb.WORKFLOW_EXECUTION_STATUS_RUNNING,
				StartedAt: e.GetStartTime().AsTime().Format("2006-01-02T15:04:05Z07:00"), Assignees: []string{}}
			fields := sa.GetIndexedFields()
			dc := converter.GetDefaultDataConverter()
			get := func(name string, v any) { // a missing or odd value leaves v empty
				if p, ok := fields[name]; ok {
					_ = dc.FromPayload(p, v)
				}
			}
			get(workflows.SAKind.GetName(), &it.Kind)
			get(workflows.SAStage.GetName(), &it.Stage)
			get(workflows.SADepartment.GetName(), &it.Department)
			get(workflows.SAAssignees.GetName(), &it.Assignees)
			get(workflows.SADueAt.GetName(), &it.DueAt)
			memo := e.GetMemo().GetFields()
			if p, ok := memo[memoTitle]; ok {
				_ = dc.FromPayload(p, &it.Title)
			}
			if p, ok := memo[memoAwardType]; ok {
				_ = dc.FromPayload(p, &it.AwardType)
			}
			s.itemLabels(ctx, &it)
			out = append(out, it)
		}
		token = resp.GetNextPageToken()
		if len(token) == 0 {
			break
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].StartedAt > out[j].StartedAt })
	return out, nil
}
