package httpapi

import (
	"net/http"
	"slices"
	"time"

	"github.com/awardflow/awardflow/internal/award"
	"github.com/awardflow/awardflow/internal/store"
	"github.com/awardflow/awardflow/workflows"
)

// Public posting (công khai): the secretary posts the council's list for the configured
// working days; everyone signed in sees the open lists and may object to a nominee; the
// signer and the council read the objections; an open posting holds approval.

type postedItem struct {
	ProposalID     string `json:"proposal_id"`
	CaseNumber     string `json:"case_number,omitempty"` // the proposal's (HS-2026-0042)
	NomineeName    string `json:"nominee_name"`
	KindLabel      string `json:"kind_label"`
	AwardType      string `json:"award_type"`
	AwardTypeLabel string `json:"award_type_label"`
	Department     string `json:"department"`
	DepartmentLbl  string `json:"department_label"`
	Objections     int    `json:"objections"`
}

type postingOut struct {
	SessionID string       `json:"session_id"`
	Title     string       `json:"title"`
	StartsAt  string       `json:"starts_at"`
	EndsAt    string       `json:"ends_at"`
	LastDay   string       `json:"last_day"` // the last working day, the agency's date
	Open      bool         `json:"open"`
	Citation  string       `json:"citation,omitempty"`
	Items     []postedItem `json:"items"`
}

func (s *Server) postingStore() (*store.Store, error) {
	if s.Records == nil {
		return nil, award.Unavailable(0, "Công khai danh sách cần cơ sở dữ liệu hồ sơ (AWARDFLOW_DB)", "posting needs the records store (AWARDFLOW_DB)")
	}
	return s.Records, nil
}

// sessionFor reads a session's state without the reader's access check (a posted list
// is public within the agency).
func (s *Server) sessionFor(r *http.Request, id string) (workflows.SessionView, error) {
	var view workflows.SessionView
	v, err := s.Temporal.QueryWorkflow(r.Context(), id, "", workflows.QueryState)
	if err == nil {
		err = v.Get(&view)
	}
	if err != nil {
		return view, s.temporalErr(r.Context(), err, id, award.NounSession)
	}
	return view, nil
}

func (s *Server) postingOut(r *http.Request, p award.Posting, view workflows.SessionView) (postingOut, error) {
	org, err := s.orgOf(r.Context())
	if err != nil {
		return postingOut{}, err
	}
	objs, err := s.Records.Objections(r.Context(), p.SessionID)
	if err != nil {
		return postingOut{}, err
	}
	l := labeler{org: org}
	out := postingOut{SessionID: p.SessionID, Title: view.Title, StartsAt: p.StartsAt.Format(time.RFC3339), EndsAt: p.EndsAt.Format(time.RFC3339),
		LastDay: p.EndsAt.In(org.Location()).AddDate(0, 0, -1).Format("02/01/2006"), Open: p.Open(s.Now()),
		Citation: org.Agency.Posting.Citation, Items: []postedItem{}}
	ids := make([]string, 0, len(view.Session.Agenda))
	for _, it := range view.Session.Agenda {
		ids = append(ids, it.ProposalID)
	}
	numbers := s.caseNumbers(r.Context(), ids...)
	for _, it := range view.Session.Agenda {
		if res, ok := view.Session.Results[it.ProposalID]; !ok || !res.Passed {
			continue // the list is of those the council passed
		}
		n := 0
		for _, o := range objs {
			if o.ProposalID == it.ProposalID {
				n++
			}
		}
		out.Items = append(out.Items, postedItem{ProposalID: it.ProposalID, CaseNumber: numbers[it.ProposalID], NomineeName: it.NomineeName, KindLabel: it.Kind.LabelVI(),
			AwardType: it.AwardType, AwardTypeLabel: l.awardType(it.AwardType), Department: it.Department,
			DepartmentLbl: l.department(it.Department), Objections: n})
	}
	return out, nil
}

// postSession answers POST /api/v1/sessions/{id}/posting: the secretary posts the list
// of a session whose vote is counted (deciding), for the agency's working days from now.
// Posting again answers the first posting.
func (s *Server) postSession(w http.ResponseWriter, r *http.Request, a award.Actor) error {
	st, err := s.postingStore()
	if err != nil {
		return err
	}
	if err := award.CanPost(a); err != nil {
		return s.explainEndedMandate(r.Context(), a, award.RoleSecretary, err)
	}
	view, err := s.loadSession(r, a)
	if err != nil {
		return err
	}
	org, err := s.orgOf(r.Context())
	if err != nil {
		return err
	}
	rule := org.Agency.Posting
	if rule.Days == 0 {
		return award.Invalid("Cơ quan không cấu hình công khai danh sách (agency.posting.days)", "the agency does not post lists (agency.posting.days)")
	}
	if view.Status != award.SessionDeciding {
		return award.WrongStage("Chỉ công khai danh sách sau khi kiểm phiếu và trước khi ký quyết định", "a list is posted after the count and before the decisions are signed")
	}
	now := s.Now()
	p, err := st.Post(r.Context(), award.Posting{SessionID: view.ID, StartsAt: now,
		EndsAt: award.AddWorkingDays(now, rule.Days, rule.Holidays, org.Location()), PostedBy: a.ID})
	if err != nil {
		return err
	}
	s.Log.InfoContext(r.Context(), "list posted", "session", view.ID, "by", a.ID, "until", p.EndsAt)
	out, err := s.postingOut(r, p, view)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// getPosting answers GET /api/v1/sessions/{id}/posting: the session's posting (open or
// ended) for those who may see the session; 404 while its list has not been posted.
func (s *Server) getPosting(w http.ResponseWriter, r *http.Request, a award.Actor) error {
	st, err := s.postingStore()
	if err != nil {
		return err
	}
	view, err := s.loadSession(r, a)
	if err != nil {
		return err
	}
	p, err := st.PostingOf(r.Context(), view.ID)
	if err != nil {
		return err
	}
	if p == nil {
		return award.NotFound("Danh sách của phiên họp này chưa được công khai", "this session's list has not been posted")
	}
	out, err := s.postingOut(r, *p, view)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// listPostings answers GET /api/v1/postings: the lists posted now, for everyone signed in.
func (s *Server) listPostings(w http.ResponseWriter, r *http.Request, _ award.Actor) error {
	st, err := s.postingStore()
	if err != nil {
		return err
	}
	ps, err := st.OpenPostings(r.Context(), s.Now())
	if err != nil {
		return err
	}
	out := make([]postingOut, 0, len(ps))
	for _, p := range ps {
		view, err := s.sessionFor(r, p.SessionID)
		if err != nil {
			return err
		}
		o, err := s.postingOut(r, p, view)
		if err != nil {
			return err
		}
		out = append(out, o)
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": out})
	return nil
}

type objectionRequest struct {
	ProposalID string `json:"proposal_id"`
	Text       string `json:"text"`
}

type objectionOut struct {
	store.Objection
	AuthorLabel string `json:"author_label"`
	FiledAt     string `json:"filed_at"`
}

// objectTo answers POST /api/v1/sessions/{id}/objections: anyone signed in objects to a
// nominee of a posted list, while it is posted.
func (s *Server) objectTo(w http.ResponseWriter, r *http.Request, a award.Actor) error {
	st, err := s.postingStore()
	if err != nil {
		return err
	}
	id, err := pathID(r, sessionPrefix, award.NounSession)
	if err != nil {
		return err
	}
	var req objectionRequest
	if err := decode(w, r, &req); err != nil {
		return err
	}
	text, err := award.CleanBlock(award.FieldObjection, req.Text)
	if err != nil {
		return err
	}
	p, err := st.PostingOf(r.Context(), id)
	if err != nil {
		return err
	}
	onList := false
	if p != nil {
		view, err := s.sessionFor(r, id)
		if err != nil {
			return err
		}
		onList = slices.ContainsFunc(view.Session.Agenda, func(it award.AgendaItem) bool {
			res, ok := view.Session.Results[it.ProposalID]
			return it.ProposalID == req.ProposalID && ok && res.Passed
		})
	}
	if err := award.CheckObjection(p, s.Now(), onList, text); err != nil {
		return err
	}
	o, err := st.AddObjection(r.Context(), store.Objection{SessionID: id, ProposalID: req.ProposalID, AuthorID: a.ID, Text: text, FiledAt: s.Now()})
	if err != nil {
		return err
	}
	s.Log.InfoContext(r.Context(), "objection filed", "session", id, "proposal", req.ProposalID, "by", a.ID)
	writeJSON(w, http.StatusCreated, objectionOut{Objection: o, AuthorLabel: s.labels(r.Context()).person(o.AuthorID, ""), FiledAt: o.FiledAt.Format(time.RFC3339)})
	return nil
}

// listObjections answers GET /api/v1/sessions/{id}/objections: for those who may see the
// session (the council, the văn thư, admins) and its signers.
func (s *Server) listObjections(w http.ResponseWriter, r *http.Request, a award.Actor) error {
	st, err := s.postingStore()
	if err != nil {
		return err
	}
	view, err := s.loadSession(r, a)
	if err != nil {
		return err
	}
	objs, err := st.Objections(r.Context(), view.ID)
	if err != nil {
		return err
	}
	l := s.labels(r.Context())
	out := make([]objectionOut, 0, len(objs))
	for _, o := range objs {
		out = append(out, objectionOut{Objection: o, AuthorLabel: l.person(o.AuthorID, ""), FiledAt: o.FiledAt.Format(time.RFC3339)})
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": out})
	return nil
}
