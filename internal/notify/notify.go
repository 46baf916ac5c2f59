// Package notify decides who is told what, and writes the e-mails that tell them.
//
// The rules are pure (no I/O, no clock): Changes compares two rows of the records store's
// projection of one workflow (the one stored before and the one being written) and
// returns the events the change causes; DueSoon returns the "deadline in two days"
// events of the rows that wait on someone. Each event has an ID derived only from the
// workflow, the change and the recipient, so that the same change seen twice (a retried
// activity, the API and the worker writing the same row, a replay) gives the same IDs,
// and the store keeps one notification per ID.
//
// Events come from one place, the projection (store.UpsertProjection calls Changes in
// the transaction that writes the newer row): every workflow that publishes its stage and
// assignees is covered without new workflow commands, and a notification is never
// recorded without the row that caused it, nor the row without its notifications.
//
// The projection's writer coalesces a burst of changes into one write (a second later):
// a state that lasted less than that (returned and resubmitted within a second) is not
// seen. What the person must act on is never lost that way: it is the latest row.
package notify

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Kinds of events.
const (
	KindTask     = "task"     // you have something new to do
	KindReturned = "returned" // your proposal was sent back for revision
	KindDueSoon  = "due_soon" // what waits on you is due within two days
	KindOverdue  = "overdue"  // what waits on you is past its deadline
	KindDecision = "decision" // the decision awarding your proposal was issued
	// KindDelegated: someone delegated their tasks (review, the secretary's or the văn
	// thư's) to you for a period (ủy quyền); the subject is "delegation", the title
	// names who, which tasks and the days.
	KindDelegated = "delegated"
)

// SubjectDelegation is the subject of a KindDelegated event (its WorkflowID is the
// delegation's id).
const SubjectDelegation = "delegation"

// Kinds lists every event kind.
var Kinds = []string{KindTask, KindReturned, KindDueSoon, KindOverdue, KindDecision, KindDelegated}

// KindLabel is the word the pages show for a kind (the pages keep no tables of their own).
func KindLabel(kind string) string {
	switch kind {
	case KindTask:
		return "Việc mới"
	case KindReturned:
		return "Bị trả lại"
	case KindDueSoon:
		return "Sắp đến hạn"
	case KindOverdue:
		return "Quá hạn"
	case KindDecision:
		return "Quyết định"
	case KindDelegated:
		return "Được ủy quyền"
	}
	return kind
}

// DueSoonWindow is how long before its deadline a task is announced as due soon.
const DueSoonWindow = 48 * time.Hour

// Row is what the rules read of one workflow's projection row (store.Projection).
type Row struct {
	WorkflowID  string
	Seq         int64
	Kind        string // "proposal" or "session"
	Stage       string
	Title       string // a session's title
	NomineeName string
	AwardType   string
	Proposer    string
	Assignees   []string
	DueAt       time.Time
	Overdue     bool
	UpdatedAt   time.Time
}

// Event is one thing to tell one person.
type Event struct {
	ID         string // stable: the same change always gives the same ID
	Person     string
	Kind       string
	WorkflowID string
	Subject    string // "proposal" or "session"
	Title      string // what it is about, e.g. the nominee's name or the session's title
	DueAt      time.Time
	At         time.Time // when the change happened (the workflow's time)
}

// Changes returns the events the change from old (nil: the workflow's first row) to
// next causes, in a stable order:
//
//   - a new assignee gets a task (but a proposer is never told about their own
//     proposal as a task: the draft is theirs, and a return has its own event);
//   - a proposal that turns returned tells its proposer;
//   - a row that turns overdue tells its assignees;
//   - a proposal that turns awarded (its decision issued) tells its proposer.
func Changes(old *Row, next Row) []Event {
	var out []Event
	add := func(kind, person string) {
		if person == "" {
			return
		}
		for _, e := range out {
			if e.Kind == kind && e.Person == person {
				return
			}
		}
		out = append(out, event(kind, person, next, strconv.FormatInt(next.Seq, 10)))
	}
	var before []string
	oldStage, oldOverdue := "", false
	if old != nil {
		before, oldStage, oldOverdue = old.Assignees, old.Stage, old.Overdue
	}
	for _, a := range sorted(next.Assignees) {
		if slices.Contains(before, a) || (next.Kind == "proposal" && a == next.Proposer) {
			continue
		}
		add(KindTask, a)
	}
	if next.Kind == "proposal" && next.Stage == "returned" && oldStage != "returned" {
		add(KindReturned, next.Proposer)
	}
	if next.Overdue && !oldOverdue {
		for _, a := range sorted(next.Assignees) {
			add(KindOverdue, a)
		}
	}
	if next.Kind == "proposal" && next.Stage == "awarded" && oldStage != "awarded" {
		add(KindDecision, next.Proposer)
	}
	return out
}

// DueSoon returns the "due within two days" events of the rows that wait on someone
// with a deadline in (now, now+DueSoonWindow] and are not overdue. The ID names the
// deadline, not the time of the check: a check every minute announces it once, and a
// new deadline (a task resubmitted) is announced again.
func DueSoon(rows []Row, now time.Time) []Event {
	var out []Event
	for _, r := range rows {
		if r.DueAt.IsZero() || r.Overdue || !r.DueAt.After(now) || r.DueAt.Sub(now) > DueSoonWindow {
			continue
		}
		for _, a := range sorted(r.Assignees) {
			e := event(KindDueSoon, a, r, "due"+strconv.FormatInt(r.DueAt.UTC().Unix(), 10))
			e.At = now.UTC()
			out = append(out, e)
		}
	}
	return out
}

func event(kind, person string, r Row, change string) Event {
	title := r.NomineeName
	if r.Kind == "session" {
		title = r.Title
	}
	return Event{
		ID:     strings.Join([]string{r.WorkflowID, change, kind, person}, "/"),
		Person: person, Kind: kind, WorkflowID: r.WorkflowID, Subject: r.Kind, Title: title,
		DueAt: r.DueAt.UTC(), At: r.UpdatedAt.UTC(),
	}
}

func sorted(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return slices.Compact(s)
}

// Text is the Vietnamese and English line of an event: the bell's line and the mail's
// subject. number is the workflow's case number (HS-2026-0042, PH-2026-03), which people
// quote on the phone and search for; "" when it has none yet.
func Text(kind, subject, number, title string, due time.Time, loc *time.Location) (vi, en string) {
	named := title
	if number != "" {
		named = number + " · " + title
	}
	what, whatEN := "hồ sơ đề nghị khen thưởng "+named, "award proposal "+named
	if subject == "session" {
		what, whatEN = "phiên họp Hội đồng "+named, "council session "+named
	}
	if loc == nil {
		loc = time.UTC
	}
	day := due.In(loc).Format("02/01/2006 15:04")
	switch kind {
	case KindTask:
		return "Việc mới cần xử lý — " + what, "New task — " + whatEN
	case KindReturned:
		return "Hồ sơ bị trả lại để bổ sung — " + named, "Your proposal was returned for revision — " + named
	case KindDueSoon:
		return "Sắp đến hạn (" + day + ") — " + what, "Due soon (" + day + ") — " + whatEN
	case KindOverdue:
		return "Đã quá hạn xử lý — " + what, "Overdue — " + whatEN
	case KindDecision:
		return "Đã ban hành quyết định khen thưởng — " + named, "The award decision was issued — " + named
	case KindDelegated:
		return "Bạn được ủy quyền xử lý công việc thay " + named, "You act on behalf of " + named
	}
	return "Thông báo — " + what, "Notification — " + whatEN
}

// Link is the page of the workflow an event is about (a fragment of the web pages).
func Link(subject, workflowID string) string {
	switch subject {
	case "session":
		return "#/sessions/" + workflowID
	case SubjectDelegation:
		return "#/delegations"
	}
	return "#/proposals/" + workflowID
}

// Validate checks an event before it is stored.
func (e Event) Validate() error {
	switch {
	case e.ID == "" || e.Person == "" || e.WorkflowID == "":
		return fmt.Errorf("notification %q: id, person and workflow are required", e.ID)
	case !slices.Contains(Kinds, e.Kind):
		return fmt.Errorf("notification %q: unknown kind %q", e.ID, e.Kind)
	case e.At.IsZero():
		return fmt.Errorf("notification %q: no time", e.ID)
	}
	return nil
}
