package store

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/awardflow/awardflow/internal/award"
)

// Filter narrows a list of proposals (or sessions). Scope is who may see what, and it
// fails closed: its zero value matches nothing, so every caller says whom it lists for
// (award.ProposalScope(actor) for a person; ListScope{All: true} for the system). The
// other fields are the user's filters, ANDed with the scope; zero fields match all.
type Filter struct {
	Scope award.ListScope

	Stage      []string // any of these stages
	Department string
	AwardType  string
	Movement   string
	Year       int
	Overdue    *bool
	// Assignees: any of these person ids among the row's assignees — the inbox of a
	// person (and of those whose tasks are delegated to them).
	Assignees []string
	// Delegators: the people who delegated their review to the person (ListAssigned
	// only): their rows count too, but only proposals waiting for review — never their
	// own drafts, ballots or other tasks, which are not delegable — and never one that
	// one of Assignees filed or is nominated by.
	Delegators []string
	// Deputized: the people whose council secretary's or văn thư's tasks the person does
	// under a delegation (ListAssigned only): their sessions past the vote (documents
	// sent back, signed and waiting for a number, a failed session) and the proposals
	// waiting for a session count too — never their ballots, drafts or reviews.
	Deputized []string
	Proposer  string
	NomineeID string
	SessionID string
	// Text is searched in the folded nominee name (a session's title): lower case,
	// without diacritics, anywhere in the name ("hong dao" finds "Nguyễn Thị Hồng Đào").
	// A case number (ParseCaseNumber: "HS-2026-0042") finds its workflow instead.
	Text string
}

// SortField is what a list is ordered by; ties are broken by workflow id.
type SortField string

const (
	SortUpdated SortField = "updated_at" // the default, newest first with Desc
	SortCreated SortField = "created_at"
	SortDue     SortField = "due_at" // rows without a due date come last ascending
	SortNominee SortField = "nominee"
	SortYear    SortField = "year"
)

// SortFields lists the sort fields ListProposals accepts.
var SortFields = []SortField{SortUpdated, SortCreated, SortDue, SortNominee, SortYear}

// sortColumn maps a sort field to its column; the value is a fixed identifier, never
// input.
func sortColumn(f SortField) (string, bool) {
	switch f {
	case SortUpdated:
		return "updated_at", true
	case SortCreated:
		return "created_at", true
	case SortDue:
		return "due_at", true
	case SortNominee:
		return "search_fold", true
	case SortYear:
		return "year", true
	}
	return "", false
}

// Sort orders a list.
type Sort struct {
	Field SortField // "" = SortUpdated
	Desc  bool
}

// Page asks for one page: the first when After is "", else the one after the cursor a
// previous call returned (with the same sort).
type Page struct {
	After string
	Limit int // 0 = DefaultLimit; at most MaxLimit
}

// Page sizes.
const (
	DefaultLimit = 50
	MaxLimit     = 200
)

// ListResult is one page.
type ListResult struct {
	Items []Projection
	// Next is the cursor of the following page; "" on the last page. Cursors are opaque,
	// URL-safe, and tied to the sort they were made with.
	Next string
}

// ListProposals lists proposals with keyset paging: a page starts strictly after the
// previous page's last row in (sort key, workflow id) order, so rows inserted meanwhile
// never shift a page (no duplicates, no skips) and every page costs the same however deep
// — unlike OFFSET. A row whose sort key changes between two pages may move across the
// cursor (an updated proposal when sorting by updated_at): it shows where it now belongs.
func (s *Store) ListProposals(ctx context.Context, f Filter, o Sort, pg Page) (ListResult, error) {
	return s.list(ctx, KindProposal, f, o, pg)
}

// ListSessions lists council sessions like ListProposals (Stage, Year, SessionID and Text
// — the title — apply).
func (s *Store) ListSessions(ctx context.Context, f Filter, o Sort, pg Page) (ListResult, error) {
	return s.list(ctx, KindSession, f, o, pg)
}

// CountProposals counts the proposals that match f.
func (s *Store) CountProposals(ctx context.Context, f Filter) (int, error) {
	return s.count(ctx, KindProposal, f)
}

// kindAny lists proposals and sessions together (ListAssigned).
const kindAny = ""

// ListAssigned lists what waits on people, proposals and sessions together: the rows
// whose assignees include any of f.Assignees (the inbox), narrowed by f's other filters,
// sorted and paged like ListProposals. f.Scope is ignored — being assigned is what lets
// the person see the row — and no assignee lists nothing.
func (s *Store) ListAssigned(ctx context.Context, f Filter, o Sort, pg Page) (ListResult, error) {
	return s.list(ctx, kindAny, assignedFilter(f), o, pg)
}

// CountAssigned counts what ListAssigned lists.
func (s *Store) CountAssigned(ctx context.Context, f Filter) (int, error) {
	return s.count(ctx, kindAny, assignedFilter(f))
}

func assignedFilter(f Filter) Filter {
	ids, from, deputized := uniqueIDs(f.Assignees), uniqueIDs(f.Delegators), uniqueIDs(f.Deputized)
	if len(ids) == 0 {
		return Filter{} // no scope: nothing
	}
	f.Scope, f.Assignees, f.Delegators, f.Deputized = award.ListScope{All: true}, ids, from, deputized
	return f
}

func uniqueIDs(in []string) []string {
	var ids []string
	for _, id := range in {
		if id != "" && !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	return ids
}

func (s *Store) count(ctx context.Context, kind string, f Filter) (int, error) {
	where, args := filterSQL(kind, f)
	var n int
	if err := s.queryRow(ctx, s.db, `SELECT COUNT(*) FROM projection p WHERE `+where, args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("count %s: %w", kindName(kind), err)
	}
	return n, nil
}

func kindName(kind string) string {
	if kind == kindAny {
		return "assigned rows"
	}
	return kind + "s"
}

func (s *Store) list(ctx context.Context, kind string, f Filter, o Sort, pg Page) (ListResult, error) {
	q, args, limit, err := listQuery(kind, f, o, pg)
	if err != nil {
		return ListResult{}, err
	}
	rows, err := s.query(ctx, s.db, q, args...)
	if err != nil {
		return ListResult{}, fmt.Errorf("list %s: %w", kindName(kind), err)
	}
	defer rows.Close()
	var items []Projection
	var folds []string
	for rows.Next() {
		p, fold, err := scanProjection(rows)
		if err != nil {
			return ListResult{}, fmt.Errorf("list %s: %w", kindName(kind), err)
		}
		items = append(items, p)
		folds = append(folds, fold)
	}
	if err := rows.Err(); err != nil {
		return ListResult{}, fmt.Errorf("list %s: %w", kindName(kind), err)
	}
	rows.Close()
	var res ListResult
	if len(items) > limit { // one more than asked: there is a next page
		items, folds = items[:limit], folds[:limit]
		res.Next = encodeCursor(o, items[limit-1], folds[limit-1])
	}
	if err := s.fillAssignees(ctx, items); err != nil {
		return ListResult{}, err
	}
	res.Items = items
	return res, nil
}

// listQuery builds the page query: the filter, the keyset condition and the order, with
// LIMIT one more than the page size.
func listQuery(kind string, f Filter, o Sort, pg Page) (string, []any, int, error) {
	if o.Field == "" {
		o.Field = SortUpdated
	}
	col, ok := sortColumn(o.Field)
	if !ok {
		return "", nil, 0, award.Invalid("Không sắp xếp được theo %q", "cannot sort by %q", string(o.Field))
	}
	limit := pg.Limit
	if limit == 0 {
		limit = DefaultLimit
	}
	if limit < 1 || limit > MaxLimit {
		return "", nil, 0, award.Invalid("Số dòng mỗi trang phải từ 1 đến %d", "page size must be between 1 and %d", MaxLimit)
	}
	where, args := filterSQL(kind, f)
	dir, cmp := "ASC", ">"
	if o.Desc {
		dir, cmp = "DESC", "<"
	}
	if pg.After != "" {
		c, err := decodeCursor(pg.After, o)
		if err != nil {
			return "", nil, 0, err
		}
		where += fmt.Sprintf(" AND (p.%s, p.workflow_id) %s (?, ?)", col, cmp)
		args = append(args, c.key(), string(c.ID))
	}
	q := fmt.Sprintf(`SELECT %s FROM projection p WHERE %s ORDER BY p.%s %s, p.workflow_id %s LIMIT %d`,
		projectionColumns, where, col, dir, dir, limit+1)
	return q, args, limit, nil
}

// filterSQL is the WHERE clause (never empty: it starts with the kind) and its arguments.
func filterSQL(kind string, f Filter) (string, []any) {
	where := []string{"p.kind = ?"}
	args := []any{kind}
	if kind == kindAny { // every row is one or the other (a CHECK constraint)
		where, args = []string{"p.kind IS NOT NULL"}, nil
	}
	switch sc := f.Scope; {
	case sc.All:
	case sc.Department == "" && sc.Proposer == "":
		where = append(where, "1 = 0") // no scope: nothing (fail closed)
	default:
		if sc.Department != "" {
			where = append(where, "p.department = ?")
			args = append(args, sc.Department)
		}
		if sc.Proposer != "" {
			where = append(where, "p.proposer = ?")
			args = append(args, sc.Proposer)
		}
	}
	eq := func(col, v string) {
		if v != "" {
			where = append(where, "p."+col+" = ?")
			args = append(args, v)
		}
	}
	if len(f.Stage) == 1 {
		eq("stage", f.Stage[0])
	} else if len(f.Stage) > 1 {
		where = append(where, "p.stage IN ("+placeholders(len(f.Stage))+")")
		for _, st := range f.Stage {
			args = append(args, st)
		}
	}
	eq("department", f.Department)
	eq("award_type", f.AwardType)
	eq("movement", f.Movement)
	eq("proposer", f.Proposer)
	eq("nominee_id", f.NomineeID)
	eq("session_id", f.SessionID)
	if f.Year != 0 {
		where = append(where, "p.year = ?")
		args = append(args, f.Year)
	}
	if f.Overdue != nil {
		where = append(where, "p.overdue = ?")
		args = append(args, *f.Overdue)
	}
	if len(f.Assignees) > 0 {
		// A person is assigned few rows: the planner starts from them (the person index)
		// rather than testing every row of the sort order.
		mine := "p.workflow_id IN (SELECT a.workflow_id FROM projection_assignees a WHERE a.person_id IN (" + placeholders(len(f.Assignees)) + "))"
		for _, id := range f.Assignees {
			args = append(args, id)
		}
		if len(f.Delegators) > 0 {
			// Their proposals waiting for review, and nothing else of theirs; never one the
			// delegate filed or is nominated by (they may not review it for anyone).
			mine = "(" + mine + " OR (p.kind = ? AND p.stage = ? AND p.workflow_id IN (SELECT a.workflow_id FROM projection_assignees a WHERE a.person_id IN (" +
				placeholders(len(f.Delegators)) + ")) AND p.proposer NOT IN (" + placeholders(len(f.Assignees)) + ") AND p.nominee_id NOT IN (" + placeholders(len(f.Assignees)) + ")))"
			args = append(args, KindProposal, string(award.StageSubmitted))
			for _, id := range f.Delegators {
				args = append(args, id)
			}
			for range 2 {
				for _, id := range f.Assignees {
					args = append(args, id)
				}
			}
		}
		if len(f.Deputized) > 0 {
			// The secretary's and the văn thư's rows: sessions past the vote, proposals
			// waiting for a session.
			mine = "(" + mine + " OR (((p.kind = ? AND p.stage <> ?) OR (p.kind = ? AND p.stage = ?)) AND p.workflow_id IN (SELECT a.workflow_id FROM projection_assignees a WHERE a.person_id IN (" +
				placeholders(len(f.Deputized)) + "))))"
			args = append(args, KindSession, string(award.SessionOpen), KindProposal, string(award.StageEndorsed))
			for _, id := range f.Deputized {
				args = append(args, id)
			}
		}
		where = append(where, mine)
	}
	if prefix, year, seq, ok := ParseCaseNumber(f.Text); ok {
		// A case number ("HS-2026-0042", "hs 2026 42") finds its workflow.
		where = append(where, "p.workflow_id IN (SELECT c.workflow_id FROM case_numbers c WHERE c.prefix = ? AND c.year = ? AND c.seq = ?)")
		args = append(args, prefix, year, seq)
	} else if t := Fold(f.Text); t != "" {
		where = append(where, `p.search_fold LIKE ? ESCAPE '\'`)
		args = append(args, likeContains(t))
	}
	return strings.Join(where, " AND "), args
}

// cursor is the position after which the next page starts: the last row's sort key and
// workflow id. Its JSON is base64url without padding on the wire; text travels as bytes
// (base64 inside the JSON) so that any key round-trips exactly.
type cursor struct {
	Field SortField `json:"f"`
	Desc  bool      `json:"d"`
	Num   int64     `json:"n"` // the key of a numeric sort
	Str   []byte    `json:"s"` // the key of the text sort (SortNominee)
	ID    []byte    `json:"i"`
}

func (c cursor) key() any {
	if c.Field == SortNominee {
		return string(c.Str)
	}
	return c.Num
}

// maxCursor bounds a cursor's length before it is decoded (it is client input). A cursor
// of the longest real keys (a Temporal workflow id of 1,000 bytes, a folded name of 200
// characters) is about 3.5 kB.
const maxCursor = 8192

func encodeCursor(o Sort, last Projection, fold string) string {
	if o.Field == "" {
		o.Field = SortUpdated
	}
	c := cursor{Field: o.Field, Desc: o.Desc, ID: []byte(last.WorkflowID), Str: []byte{}}
	switch o.Field {
	case SortUpdated:
		c.Num = micros(last.UpdatedAt)
	case SortCreated:
		c.Num = micros(last.CreatedAt)
	case SortDue:
		c.Num = dueMicros(last.DueAt)
	case SortYear:
		c.Num = int64(last.Year)
	case SortNominee:
		c.Str = []byte(fold)
	}
	b, err := json.Marshal(c)
	if err != nil {
		panic(fmt.Sprintf("marshal cursor: %v", err)) // plain fields: cannot fail
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

func badCursor() error {
	return award.Invalid("Con trỏ trang không hợp lệ hoặc không khớp cách sắp xếp; hãy tải lại từ trang đầu",
		"invalid page cursor, or one made for another sort order; start again from the first page")
}

// decodeCursor reads a cursor made by encodeCursor for the same sort; anything else is
// refused as invalid input.
func decodeCursor(s string, o Sort) (cursor, error) {
	if o.Field == "" {
		o.Field = SortUpdated
	}
	if len(s) > maxCursor {
		return cursor{}, badCursor()
	}
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return cursor{}, badCursor()
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var c cursor
	if err := dec.Decode(&c); err != nil || dec.More() {
		return cursor{}, badCursor()
	}
	if c.Field != o.Field || c.Desc != o.Desc || len(c.ID) == 0 || c.Str == nil ||
		(o.Field != SortNominee && len(c.Str) > 0) || (o.Field == SortNominee && c.Num != 0) {
		return cursor{}, badCursor()
	}
	return c, nil
}
