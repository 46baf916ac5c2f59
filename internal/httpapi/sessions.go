package httpapi

import (
	"net/http"
	"slices"
	"strings"
	"unicode/utf8"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"

	"crypto/sha256"
	"encoding/hex"

	"github.com/awardflow/awardflow/internal/award"
	"github.com/awardflow/awardflow/workflows"
)

const sessionPrefix = "session-"

type openRequest struct {
	Title       string   `json:"title"`
	ProposalIDs []string `json:"proposal_ids"`
}

// openSession starts a council session over the given proposals, or over every proposal
// waiting for the council when none are given. Only the council secretary may do it.
func (s *Server) openSession(w http.ResponseWriter, r *http.Request, a award.Actor) {
	key, ok := idempotencyKey(w, r)
	if !ok {
		return
	}
	var req openRequest
	if !decode(w, r, &req) {
		return
	}
	if !a.Has(award.RoleSecretary) {
		writeError(w, http.StatusForbidden, award.Forbidden("Chỉ thư ký Hội đồng mới được mở phiên họp", "only the council secretary may open a session"))
		return
	}
	req.Title = strings.TrimSpace(req.Title)
	if req.Title == "" || utf8.RuneCountInString(req.Title) > 300 {
		writeError(w, http.StatusUnprocessableEntity, award.Invalid("Cần nhập tên phiên họp (tối đa 300 ký tự)", "title is required (at most 300 characters)"))
		return
	}
	for _, id := range req.ProposalIDs {
		if !strings.HasPrefix(id, proposalPrefix) || !idPattern.MatchString(id) {
			writeError(w, http.StatusUnprocessableEntity, award.Invalid("Mã hồ sơ “%s” không hợp lệ", "invalid proposal id %q", id))
			return
		}
	}
	if len(req.ProposalIDs) == 0 {
		items, err := s.list(r.Context(), "ExecutionStatus = 'Running' AND AwardKind = 'proposal' AND AwardStage = "+quote(string(award.StageEndorsed)))
		if err != nil {
			s.fail(w, r, err, "danh sách hồ sơ")
			return
		}
		for _, it := range items {
			req.ProposalIDs = append(req.ProposalIDs, it.ID)
		}
		slices.Sort(req.ProposalIDs)
	}
	if len(req.ProposalIDs) == 0 {
		writeError(w, http.StatusUnprocessableEntity, award.Invalid("Không có hồ sơ nào chờ Hội đồng xét", "no proposal is waiting for the council"))
		return
	}
	id := newID(sessionPrefix)
	if key != "" {
		sum := sha256.Sum256([]byte(a.ID + "\x00session\x00" + key))
		id = sessionPrefix + hex.EncodeToString(sum[:16])
	}
	in := workflows.SessionInput{
		ID: id, Title: req.Title, Opener: a, Members: s.Org.Council(), ProposalIDs: req.ProposalIDs,
		AwardTypes: map[string]workflows.AwardTypeInfo{}, AgencyCode: s.Org.Agency.Code,
	}
	_, offset := s.Now().In(s.Org.Location()).Zone()
	in.UTCOffset = offset
	for _, t := range s.Org.AwardTypes {
		in.AwardTypes[t.Code] = workflows.AwardTypeInfo{Name: t.Name, Authority: t.Authority, Rule: t.Vote}
	}
	start := s.Temporal.NewWithStartWorkflowOperation(client.StartWorkflowOptions{
		ID: id, TaskQueue: s.TaskQueue,
		WorkflowIDConflictPolicy: enumspb.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING,
		Memo:                     map[string]any{memoTitle: req.Title},
		TypedSearchAttributes: temporal.NewSearchAttributes(
			workflows.SAKind.ValueSet(workflows.KindSession),
			workflows.SAStage.ValueSet("opening"),
			workflows.SAAssignees.ValueSet([]string{}),
		),
	}, workflows.SessionWorkflowName, in)
	h, err := s.Temporal.UpdateWithStartWorkflow(r.Context(), client.UpdateWithStartWorkflowOptions{
		StartWorkflowOperation: start,
		UpdateOptions: client.UpdateWorkflowOptions{
			UpdateName: workflows.UpdateOpen, UpdateID: updateID("open", key),
			Args: []any{workflows.ActorInput{Actor: a}}, WaitForStage: client.WorkflowUpdateStageCompleted,
		},
	})
	var view workflows.SessionView
	if err == nil {
		err = h.Get(r.Context(), &view)
	}
	if err != nil {
		s.fail(w, r, err, "phiên họp")
		return
	}
	w.Header().Set("Location", "/api/v1/sessions/"+id)
	writeJSON(w, http.StatusCreated, view)
}

// listSessions lists council sessions, newest first, for the council and admins.
func (s *Server) listSessions(w http.ResponseWriter, r *http.Request, a award.Actor) {
	if !a.OnCouncil() && !a.Has(award.RoleAdmin) {
		writeError(w, http.StatusForbidden, award.Forbidden("Chỉ thành viên Hội đồng mới xem được phiên họp", "only council members may see sessions"))
		return
	}
	items, err := s.list(r.Context(), "AwardKind = 'session'")
	if err != nil {
		s.fail(w, r, err, "danh sách phiên họp")
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": items})
}

func (s *Server) loadSession(w http.ResponseWriter, r *http.Request, a award.Actor) (workflows.SessionView, bool) {
	var view workflows.SessionView
	id, ok := pathID(w, r, sessionPrefix, "phiên họp")
	if !ok {
		return view, false
	}
	if !a.OnCouncil() && !a.Has(award.RoleAdmin) {
		writeError(w, http.StatusForbidden, award.Forbidden("Chỉ thành viên Hội đồng mới xem được phiên họp", "only council members may see sessions"))
		return view, false
	}
	v, err := s.Temporal.QueryWorkflow(r.Context(), id, "", workflows.QueryState)
	if err == nil {
		err = v.Get(&view)
	}
	if err != nil {
		s.fail(w, r, err, "phiên họp")
		return view, false
	}
	return view, true
}

func (s *Server) getSession(w http.ResponseWriter, r *http.Request, a award.Actor) {
	if view, ok := s.loadSession(w, r, a); ok {
		writeJSON(w, http.StatusOK, view)
	}
}

type ballotRequest struct {
	Marks map[string]award.Choice `json:"marks"`
}

func (s *Server) ballot(w http.ResponseWriter, r *http.Request, a award.Actor) {
	id, ok := pathID(w, r, sessionPrefix, "phiên họp")
	if !ok {
		return
	}
	var req ballotRequest
	if !decode(w, r, &req) {
		return
	}
	// Check the marks against the agenda here: once sealed, nobody can look at them
	// until the count.
	view, ok := s.loadSession(w, r, a)
	if !ok {
		return
	}
	if err := view.CheckVoter(a); err != nil {
		s.fail(w, r, err, "phiên họp")
		return
	}
	if err := view.CheckMarks(req.Marks); err != nil {
		s.fail(w, r, err, "phiên họp")
		return
	}
	sealed, err := s.Ballots.Seal(id, req.Marks)
	if err != nil {
		s.fail(w, r, err, "phiếu bầu")
		return
	}
	if s.update(w, r, id, workflows.UpdateVote, "phiên họp", workflows.BallotInput{Actor: a, Sealed: sealed}, &view) {
		// The answer confirms participation only: it never echoes the marks.
		writeJSON(w, http.StatusOK, map[string]any{"session_id": id, "voted": true, "voters": len(view.Voted)})
	}
}

func (s *Server) closeSession(w http.ResponseWriter, r *http.Request, a award.Actor) {
	id, ok := pathID(w, r, sessionPrefix, "phiên họp")
	if !ok {
		return
	}
	var view workflows.SessionView
	if s.update(w, r, id, workflows.UpdateClose, "phiên họp", workflows.ActorInput{Actor: a}, &view) {
		writeJSON(w, http.StatusOK, view)
	}
}

func (s *Server) minutesPDF(w http.ResponseWriter, r *http.Request, a award.Actor) {
	view, ok := s.loadSession(w, r, a)
	if !ok {
		return
	}
	if view.Minutes == nil {
		writeError(w, http.StatusConflict, award.WrongStage("Biên bản chưa được lập (phiên họp chưa kết thúc)", "the minutes are not issued yet"))
		return
	}
	s.streamObject(w, r, view.Minutes.Key, "bien-ban-"+view.ID+".pdf", "application/pdf")
}

// decisionPDF streams a signed decision. Decisions are public within the agency: any
// signed-in person may download them.
func (s *Server) decisionPDF(w http.ResponseWriter, r *http.Request, a award.Actor) {
	id := r.PathValue("id")
	sessionID, code, ok := strings.Cut(id, ".")
	if !ok || !strings.HasPrefix(sessionID, sessionPrefix) || !idPattern.MatchString(sessionID) {
		writeError(w, http.StatusNotFound, award.NotFound("Không tìm thấy quyết định “%s”", "decision %q not found", id))
		return
	}
	v, err := s.Temporal.QueryWorkflow(r.Context(), sessionID, "", workflows.QueryState)
	var view workflows.SessionView
	if err == nil {
		err = v.Get(&view)
	}
	if err != nil {
		s.fail(w, r, err, "quyết định")
		return
	}
	for _, d := range view.Decisions {
		if d.AwardType == code && d.ID == id {
			s.streamObject(w, r, d.Key, "quyet-dinh-"+strings.ReplaceAll(id, ".", "-")+".pdf", "application/pdf")
			return
		}
	}
	for _, d := range view.Submissions {
		if d.ID == id {
			s.streamObject(w, r, d.Key, "to-trinh-"+strings.ReplaceAll(id, ".", "-")+".pdf", "application/pdf")
			return
		}
	}
	writeError(w, http.StatusNotFound, award.NotFound("Không tìm thấy quyết định “%s”", "decision %q not found", id))
}
