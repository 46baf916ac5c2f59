package httpapi

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/awardflow/awardflow/internal/award"
	"github.com/awardflow/awardflow/internal/store"
	"github.com/awardflow/awardflow/workflows"
)

// The lists (GET /api/v1/proposals, /inbox, /sessions) are read from the records store's
// projection, which the workflows write at each change (workflows/projection.go): filters,
// text search, sorting and keyset paging at any size. Without a records store
// (Server.Records nil) they fall back to Temporal visibility: newest first, at most
// maxListed rows, filtered by stage and department only.

// writeOwn writes the list row an update answered with (the view's Projection), so that
// the caller's own change shows in the next list they load, and deletes the caller's
// own-row intent with it (ownrows.go; "" for none). A ProposalWorkflowV3 leaves that row
// to us; an older workflow writes the same row a moment later (same Seq, same content:
// the store keeps one). A failure is only logged: the change is made, and the intent
// makes the sweeper write the row once it is due.
func (s *Server) writeOwn(ctx context.Context, out any, intent string) {
	var row *workflows.Projection
	switch v := out.(type) {
	case *workflows.ProposalView:
		row = v.Projection
	case *workflows.SessionView:
		row = v.Projection
	}
	if s.Records == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), ownWriteTimeout)
	defer cancel()
	if row == nil {
		// A workflow that does not project (started before the projection, never
		// reindexed): nothing to write.
		if intent != "" {
			if err := s.Records.DropOwnRow(ctx, intent); err != nil {
				s.Log.WarnContext(ctx, "own-row intent not dropped (the sweeper will)", "err", err)
			}
		}
		return
	}
	if _, err := s.Records.WriteOwnRow(ctx, *row, intent); err != nil {
		s.Log.WarnContext(ctx, "list row not written with the answer (written by the sweeper or the workflow)", "workflow", row.WorkflowID, "seq", row.Seq, "err", err)
	}
}

// ownWriteTimeout bounds what a slow store adds to an update's answer.
const ownWriteTimeout = time.Second

// listRequest is a list's parsed query.
type listRequest struct {
	filter store.Filter
	sort   store.Sort
	page   store.Page
	given  []string // the parameters present, for the visibility fallback
}

// The parameters each list accepts.
var (
	proposalParams = []string{"stage", "department", "award_type", "movement", "year", "overdue", "q", "sort", "limit", "after"}
	sessionParams  = []string{"stage", "year", "q", "sort", "limit", "after"}
	// The inbox takes the proposals list's filters; its stages are the proposals' and the
	// sessions' (inboxStages).
	inboxParams = proposalParams
	// visibilityParams are those the visibility fallback can honour.
	visibilityParams = []string{"stage", "department"}
)

// maxSearch bounds the search text (q), in characters; maxCode a code (department,
// award type, movement).
const (
	maxSearch = 200
	maxCode   = 100
)

// defaultSort is every list's order: the most recently changed first.
var defaultSort = store.Sort{Field: store.SortUpdated, Desc: true}

// sortNames are the values of the sort parameter.
var sortNames = map[string]store.SortField{
	"updated": store.SortUpdated, "created": store.SortCreated, "due": store.SortDue,
	"nominee": store.SortNominee, "year": store.SortYear,
}

// parseList reads a list's query: only the parameters in allowed, each once (stage may
// repeat), each checked; stages are the values stage may take. Errors are invalid (422)
// and say which parameter is wrong, in Vietnamese first.
func parseList(q url.Values, allowed []string, stages []string) (listRequest, error) {
	req := listRequest{sort: defaultSort}
	names := make([]string, 0, len(q))
	for name := range q {
		names = append(names, name)
	}
	slices.Sort(names) // the first bad parameter named is the same on every call
	for _, name := range names {
		vals := q[name]
		if !slices.Contains(allowed, name) {
			return req, award.Invalid("Danh sách này không nhận tham số %q (các tham số được dùng: %s)",
				"this list does not take the parameter %q (it takes: %s)", name, strings.Join(allowed, ", "))
		}
		if name != "stage" && len(vals) > 1 {
			return req, award.Invalid("Tham số %q chỉ được dùng một lần", "the parameter %q may be given once", name)
		}
		req.given = append(req.given, name)
		v := vals[0]
		switch name {
		case "stage":
			for _, st := range vals {
				if !slices.Contains(stages, st) {
					return req, award.Invalid("Không có bước %q (các bước: %s)", "there is no stage %q (stages: %s)", st, strings.Join(stages, ", "))
				}
				if !slices.Contains(req.filter.Stage, st) {
					req.filter.Stage = append(req.filter.Stage, st)
				}
			}
		case "department", "award_type", "movement":
			if !validCode(v) {
				return req, award.Invalid("Giá trị của tham số %q không hợp lệ", "the value of the parameter %q is not valid", name)
			}
			switch name {
			case "department":
				req.filter.Department = v
			case "award_type":
				req.filter.AwardType = v
			default:
				req.filter.Movement = v
			}
		case "year":
			y, err := strconv.Atoi(v)
			if err != nil || y < 1900 || y > 9999 {
				return req, award.Invalid("Năm phải là số từ 1900 đến 9999 (nhận được %q)", "year must be a number from 1900 to 9999 (got %q)", v)
			}
			req.filter.Year = y
		case "overdue":
			var b bool
			switch v {
			case "true":
				b = true
			case "false":
			default:
				return req, award.Invalid("Tham số overdue phải là true hoặc false (nhận được %q)", "overdue must be true or false (got %q)", v)
			}
			req.filter.Overdue = &b
		case "q":
			if !utf8.ValidString(v) || strings.ContainsFunc(v, unicode.IsControl) {
				return req, award.Invalid("Từ khoá tìm kiếm có ký tự không hợp lệ", "the search text has characters that are not allowed")
			}
			if utf8.RuneCountInString(v) > maxSearch {
				return req, award.Invalid("Từ khoá tìm kiếm dài quá %d ký tự", "the search text is longer than %d characters", maxSearch)
			}
			req.filter.Text = v
		case "sort":
			field, ok := sortNames[strings.TrimPrefix(v, "-")]
			if !ok {
				return req, award.Invalid("Không sắp xếp được theo %q: dùng updated, created, due, nominee hoặc year, thêm dấu - phía trước để xếp giảm dần",
					"cannot sort by %q: use updated, created, due, nominee or year, with a leading - for descending order", v)
			}
			req.sort = store.Sort{Field: field, Desc: strings.HasPrefix(v, "-")}
		case "limit":
			n, err := strconv.Atoi(v)
			if err != nil || n < 1 || n > store.MaxLimit {
				return req, award.Invalid("Số dòng mỗi trang (limit) phải là số từ 1 đến %d", "limit must be a number from 1 to %d", store.MaxLimit)
			}
			req.page.Limit = n
		case "after":
			req.page.After = v // the store checks the cursor
		}
	}
	return req, nil
}

// validCode accepts a code as the organisation config writes them: printable, short.
func validCode(v string) bool {
	return v != "" && len(v) <= maxCode && utf8.ValidString(v) &&
		!strings.ContainsFunc(v, func(r rune) bool { return unicode.IsControl(r) || unicode.IsSpace(r) })
}

func stageCodes() []string {
	out := make([]string, len(award.Stages))
	for i, s := range award.Stages {
		out[i] = string(s)
	}
	return out
}

func sessionStatusCodes() []string {
	out := make([]string, len(award.SessionStatuses))
	for i, s := range award.SessionStatuses {
		out[i] = string(s)
	}
	return out
}

// inboxStages are the stages an inbox row can be in: a proposal's or a session's.
func inboxStages() []string {
	return slices.Concat(stageCodes(), sessionStatusCodes())
}

// itemPage is a list's answer: one page, the cursor of the next (none on the last), and
// how many rows the whole list has (proposals and the inbox).
type itemPage struct {
	Items []Item `json:"items"`
	Next  string `json:"next,omitempty"`
	Total *int   `json:"total,omitempty"`
}

// listProposals lists the proposals the caller may see (award.ProposalScope).
func (s *Server) listProposals(w http.ResponseWriter, r *http.Request, a award.Actor) error {
	req, err := parseList(r.URL.Query(), proposalParams, stageCodes())
	if err != nil {
		return err
	}
	if s.Records == nil {
		return s.listProposalsFromVisibility(w, r, a, req)
	}
	req.filter.Scope = award.ProposalScope(a)
	res, err := s.Records.ListProposals(r.Context(), req.filter, req.sort, req.page)
	if err != nil {
		return fmt.Errorf("list proposals: %w", err)
	}
	total, err := s.Records.CountProposals(r.Context(), req.filter)
	if err != nil {
		return fmt.Errorf("count proposals: %w", err)
	}
	writeJSON(w, http.StatusOK, s.page(r.Context(), res, &total))
	return nil
}

// inbox lists what waits on the caller: the proposals and sessions whose assignees
// include them.
func (s *Server) inbox(w http.ResponseWriter, r *http.Request, a award.Actor) error {
	req, err := parseList(r.URL.Query(), inboxParams, inboxStages())
	if err != nil {
		return err
	}
	if s.Records == nil {
		return s.inboxFromVisibility(w, r, a, req)
	}
	req.filter.Assignees = []string{a.ID}
	req.filter.Delegators, req.filter.Deputized = s.delegators(a), s.deputized(a)
	res, err := s.Records.ListAssigned(r.Context(), req.filter, req.sort, req.page)
	if err != nil {
		return fmt.Errorf("list the inbox: %w", err)
	}
	total, err := s.Records.CountAssigned(r.Context(), req.filter)
	if err != nil {
		return fmt.Errorf("count the inbox: %w", err)
	}
	writeJSON(w, http.StatusOK, s.actingFor(r.Context(), a, append(req.filter.Delegators, req.filter.Deputized...), s.page(r.Context(), res, &total)))
	return nil
}

// listSessions lists council sessions, for the council, the clerk and admins.
func (s *Server) listSessions(w http.ResponseWriter, r *http.Request, a award.Actor) error {
	if err := award.CanSeeSessions(a); err != nil {
		return err
	}
	req, err := parseList(r.URL.Query(), sessionParams, sessionStatusCodes())
	if err != nil {
		return err
	}
	if s.Records == nil {
		return s.listSessionsFromVisibility(w, r, req)
	}
	req.filter.Scope = award.ListScope{All: true}
	res, err := s.Records.ListSessions(r.Context(), req.filter, req.sort, req.page)
	if err != nil {
		return fmt.Errorf("list sessions: %w", err)
	}
	writeJSON(w, http.StatusOK, s.page(r.Context(), res, nil))
	return nil
}

func (s *Server) page(ctx context.Context, res store.ListResult, total *int) itemPage {
	out := itemPage{Items: make([]Item, 0, len(res.Items)), Next: res.Next, Total: total}
	ids := make([]string, 0, len(res.Items))
	for _, p := range res.Items {
		ids = append(ids, p.WorkflowID)
	}
	numbers := s.caseNumbers(ctx, ids...)
	for _, p := range res.Items {
		it := s.itemOf(ctx, p)
		it.CaseNumber = numbers[p.WorkflowID]
		out.Items = append(out.Items, it)
	}
	return out
}

// itemOf is a list row from the projection.
func (s *Server) itemOf(ctx context.Context, p store.Projection) Item {
	it := Item{
		ID: p.WorkflowID, Kind: p.Kind, Stage: p.Stage, Department: p.Department, AwardType: p.AwardType,
		Assignees: p.Assignees, StartedAt: p.CreatedAt.UTC().Format(time.RFC3339), UpdatedAt: p.UpdatedAt.UTC().Format(time.RFC3339),
		Overdue: p.Overdue, Year: p.Year,
	}
	if it.Assignees == nil {
		it.Assignees = []string{}
	}
	switch p.Kind {
	case workflows.KindSession:
		it.Title = p.Title
		st := award.SessionStatus(p.Stage)
		it.Running = st != award.SessionDone && st != award.SessionNotQuorate
	default:
		it.Title = p.NomineeName
		it.Running = !award.Stage(p.Stage).Final()
	}
	if !p.DueAt.IsZero() {
		it.DueAt = p.DueAt.UTC().Format(time.RFC3339)
	}
	s.itemLabels(ctx, &it)
	return it
}

// needsRecords refuses what visibility cannot do.
func needsRecords(req listRequest) error {
	for _, name := range req.given {
		if !slices.Contains(visibilityParams, name) {
			return award.Invalid("Tham số %q cần kho dữ liệu hồ sơ, máy chủ này chưa được cấu hình kho đó",
				"the parameter %q needs the records store, which this server is not configured with", name)
		}
	}
	return nil
}

// stagesQuery is the visibility condition for any of the stages.
func stagesQuery(stages []string) string {
	if len(stages) == 0 {
		return ""
	}
	conds := make([]string, len(stages))
	for i, st := range stages {
		conds[i] = "AwardStage = " + quote(st)
	}
	return " AND (" + strings.Join(conds, " OR ") + ")"
}

func (s *Server) listProposalsFromVisibility(w http.ResponseWriter, r *http.Request, a award.Actor, req listRequest) error {
	if err := needsRecords(req); err != nil {
		return err
	}
	q := "AwardKind = 'proposal'" + stagesQuery(req.filter.Stage)
	if d := req.filter.Department; d != "" {
		q += " AND AwardDepartment = " + quote(d)
	}
	switch sc := award.ProposalScope(a); {
	case sc.All:
	case sc.Department != "":
		q += " AND AwardDepartment = " + quote(sc.Department)
	default:
		q += " AND AwardProposer = " + quote(sc.Proposer)
	}
	items, err := s.list(r.Context(), q)
	if err != nil {
		return fmt.Errorf("list proposals: %w", err)
	}
	writeJSON(w, http.StatusOK, itemPage{Items: items})
	return nil
}

func (s *Server) inboxFromVisibility(w http.ResponseWriter, r *http.Request, a award.Actor, req listRequest) error {
	if err := needsRecords(req); err != nil {
		return err
	}
	items, err := s.list(r.Context(), "ExecutionStatus = 'Running' AND AwardAssignees = "+quote(a.ID))
	if err != nil {
		return fmt.Errorf("list the inbox: %w", err)
	}
	writeJSON(w, http.StatusOK, itemPage{Items: items})
	return nil
}

func (s *Server) listSessionsFromVisibility(w http.ResponseWriter, r *http.Request, req listRequest) error {
	if err := needsRecords(req); err != nil {
		return err
	}
	// A session whose opening was refused in a race (see workflows.StageRefused) is not one.
	q := "AwardKind = 'session' AND AwardStage != " + quote(workflows.StageRefused) + stagesQuery(req.filter.Stage)
	items, err := s.list(r.Context(), q)
	if err != nil {
		return fmt.Errorf("list sessions: %w", err)
	}
	writeJSON(w, http.StatusOK, itemPage{Items: items})
	return nil
}
