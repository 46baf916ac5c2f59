package httpapi

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"time"

	"github.com/awardflow/awardflow/internal/award"
	"github.com/awardflow/awardflow/internal/notify"
	"github.com/awardflow/awardflow/internal/orgconfig"
	"github.com/awardflow/awardflow/internal/store"
	"github.com/awardflow/awardflow/workflows"
)

// Delegations (ủy quyền xử lý công việc, award.Delegation): a department head going on
// leave hands their review to a colleague of their unit for a period. The records store
// keeps them; at request time the server resolves the delegations in force for the actor
// (withMandates) and puts them in the actor of the command, so the workflow checks and
// records "Y (thay mặt X)" from the command itself (replay-safe).

const delegationPrefix = "deleg-"

var nounDelegation = award.Noun{VI: "ủy quyền", EN: "delegation"}

type delegationRequest struct {
	// FromID is who delegates: the actor when empty; an admin may name someone.
	FromID string                `json:"from_id,omitempty"`
	ToID   string                `json:"to_id"`
	Scope  award.DelegationScope `json:"scope,omitempty"` // default: review
	Start  award.Date            `json:"start"`
	End    award.Date            `json:"end"`
	Reason string                `json:"reason"`
}

// delegationOut is a delegation with the words people read.
type delegationOut struct {
	award.Delegation
	ScopeLabel  string `json:"scope_label"`
	FromLabel   string `json:"from_label"`
	ToLabel     string `json:"to_label"`
	Status      string `json:"status"` // scheduled, live, ended, withdrawn
	StatusLabel string `json:"status_label"`
	// Direction is how the delegation involves the reader: given, received or recorded
	// (an admin recorded it for someone).
	Direction   string `json:"direction"`
	CanWithdraw bool   `json:"can_withdraw"`
}

func (s *Server) delegationOut(ctx context.Context, org *orgconfig.Org, d award.Delegation, a award.Actor) delegationOut {
	l := s.labels(ctx)
	today := award.DateOf(s.Now(), org.Location())
	out := delegationOut{Delegation: d, ScopeLabel: d.Scope.LabelVI(),
		FromLabel: l.person(d.FromID, d.FromName), ToLabel: l.person(d.ToID, d.ToName)}
	switch {
	case !d.WithdrawnAt.IsZero():
		out.Status, out.StatusLabel = "withdrawn", "Đã thu hồi"
	case today.After(d.End):
		out.Status, out.StatusLabel = "ended", "Đã hết hạn"
	case today.Before(d.Start):
		out.Status, out.StatusLabel = "scheduled", "Chưa bắt đầu"
	default:
		out.Status, out.StatusLabel = "live", "Đang có hiệu lực"
	}
	switch a.ID {
	case d.FromID:
		out.Direction = "given"
	case d.ToID:
		out.Direction = "received"
	default:
		out.Direction = "recorded"
	}
	out.CanWithdraw = award.CheckWithdrawDelegation(a, d, today) == nil
	return out
}

func (s *Server) needDelegations() error {
	if s.Records == nil {
		return award.Unavailable(0, "Chưa cấu hình kho dữ liệu: không ghi được ủy quyền", "the records store is not configured: delegations are unavailable")
	}
	return nil
}

// createDelegation answers POST /api/v1/delegations. With an Idempotency-Key a repeated
// request gets the first delegation back (200); a new one is 201.
func (s *Server) createDelegation(w http.ResponseWriter, r *http.Request, a award.Actor) error {
	if err := s.needDelegations(); err != nil {
		return err
	}
	org, err := s.orgOf(r.Context())
	if err != nil {
		return err
	}
	key, err := idempotencyKey(r)
	if err != nil {
		return err
	}
	var req delegationRequest
	if err := decode(w, r, &req); err != nil {
		return err
	}
	if req.FromID == "" {
		req.FromID = a.ID
	}
	if req.Scope == "" {
		// The scope the delegator holds (a head: review; the secretary: secretary; the văn
		// thư: clerk); review when they hold none (CheckDelegation then says why).
		req.Scope = award.DelegationReview
		if held := award.ScopesHeld(delegationParty(org, req.FromID), org.Agency.HeadProposalReviewers); len(held) > 0 {
			req.Scope = held[0]
		}
	}
	if err := award.CanRecordDelegation(a, req.FromID); err != nil {
		return err
	}
	now := s.Now()
	today := award.DateOf(now, org.Location())
	d := award.Delegation{ID: newID(delegationPrefix), FromID: req.FromID, ToID: req.ToID, Scope: req.Scope,
		Start: req.Start, End: req.End, Reason: req.Reason, CreatedBy: a.ID, CreatedAt: now}
	if key != "" {
		sum := sha256.Sum256([]byte(a.ID + "\x00delegation\x00" + key))
		d.ID = delegationPrefix + hex.EncodeToString(sum[:16])
	}
	facts := award.DelegationFacts{From: delegationParty(org, req.FromID), To: delegationParty(org, req.ToID),
		HeadReviewers: org.Agency.HeadProposalReviewers, MaxDays: org.Agency.DelegationMaxDays}
	got, created, err := s.Records.CreateDelegation(r.Context(), d, today, func(existing []award.Delegation) (award.Delegation, error) {
		facts.Existing = existing
		return award.CheckDelegation(facts, a, d, today)
	})
	if errors.Is(err, store.ErrConflict) {
		return award.Invalid("Idempotency-Key này đã dùng cho một ủy quyền khác", "this Idempotency-Key was used for another delegation")
	}
	if err != nil {
		return err
	}
	status := http.StatusOK
	if created {
		status = http.StatusCreated
		s.Log.InfoContext(r.Context(), "delegation recorded", "id", got.ID, "from", got.FromID, "to", got.ToID,
			"start", got.Start.String(), "end", got.End.String(), "by", a.ID)
		s.notifyDelegation(r.Context(), got, now)
	}
	w.Header().Set("Location", "/api/v1/delegations/"+got.ID)
	writeJSON(w, status, s.delegationOut(r.Context(), org, got, a))
	return nil
}

// delegationParty is a person of the directory as a delegation sees them (not Active
// when not found or deactivated).
func delegationParty(org *orgconfig.Org, id string) award.DelegationParty {
	p, ok := org.Person(id)
	return award.DelegationParty{ID: id, Name: p.Name, Department: p.Department, Roles: p.Roles, Active: ok}
}

// delegationList is GET /api/v1/delegations: the reader's delegations (admins: all), and
// what the form needs.
type delegationList struct {
	Items []delegationOut `json:"items"`
	// CanDelegate: the reader holds tasks they can hand over.
	CanDelegate bool `json:"can_delegate"`
	// Candidates are the people the reader may delegate their first scope to.
	Candidates []delegationCandidate `json:"candidates"`
	// Scopes are the scopes the reader holds by their role (head: review; secretary:
	// secretary; văn thư: clerk), each with its label and the people it may go to.
	Scopes  []delegationScopeOut `json:"scopes"`
	MaxDays int                  `json:"max_days"`
	Today   award.Date           `json:"today"`
	// NotDelegable says, with its legal source, what cannot be delegated.
	NotDelegable string `json:"not_delegable"`
}

type delegationCandidate struct {
	ID    string `json:"id"`
	Label string `json:"label"`
}

type delegationScopeOut struct {
	Scope      award.DelegationScope `json:"scope"`
	Label      string                `json:"label"`
	Hint       string                `json:"hint"` // what it hands over and to whom
	Candidates []delegationCandidate `json:"candidates"`
}

// delegationCandidates are the people the person may hand the scope to: those
// CheckDelegation accepts as delegates (same unit for the review and the văn thư's
// tasks; anyone but the chair for the secretary's).
func (s *Server) delegationCandidates(ctx context.Context, org *orgconfig.Org, from award.DelegationParty, scope award.DelegationScope) []delegationCandidate {
	l := s.labels(ctx)
	out := []delegationCandidate{}
	for _, p := range org.Directory() {
		if p.ID == from.ID {
			continue
		}
		switch scope {
		case award.DelegationSecretary:
			if slices.Contains(delegationParty(org, p.ID).Roles, award.RoleChair) {
				continue
			}
		default:
			if p.Department != from.Department {
				continue
			}
		}
		out = append(out, delegationCandidate{ID: p.ID, Label: l.person(p.ID, p.Name)})
	}
	return out
}

func (s *Server) listDelegations(w http.ResponseWriter, r *http.Request, a award.Actor) error {
	if err := s.needDelegations(); err != nil {
		return err
	}
	org, err := s.orgOf(r.Context())
	if err != nil {
		return err
	}
	who := a.ID
	if a.Has(award.RoleAdmin) {
		who = ""
	}
	ds, err := s.Records.Delegations(r.Context(), who)
	if err != nil {
		return fmt.Errorf("list delegations: %w", err)
	}
	out := delegationList{Items: make([]delegationOut, 0, len(ds)), MaxDays: org.Agency.DelegationMaxDays,
		Today:        award.DateOf(s.Now(), org.Location()),
		NotDelegable: "Không ủy quyền được: phiếu bầu của thành viên Hội đồng (bỏ phiếu trực tiếp, Luật Thi đua, khen thưởng 2022 Điều 90), việc kết thúc phiên họp của Chủ tịch, và việc ký quyết định (cấp phó ký thay “KT.” theo Nghị định 30/2020/NĐ-CP, đã cấu hình riêng)."}
	for _, d := range ds {
		out.Items = append(out.Items, s.delegationOut(r.Context(), org, d, a))
	}
	me := delegationParty(org, a.ID)
	if !me.Active { // a person known only by their token
		me = award.DelegationParty{ID: a.ID, Name: a.Name, Department: a.Department, Roles: a.Roles}
	}
	out.Scopes = []delegationScopeOut{}
	for _, sc := range award.ScopesHeld(me, org.Agency.HeadProposalReviewers) {
		out.Scopes = append(out.Scopes, delegationScopeOut{Scope: sc, Label: sc.LabelVI(), Hint: sc.HintVI(), Candidates: s.delegationCandidates(r.Context(), org, me, sc)})
	}
	out.CanDelegate = len(out.Scopes) > 0
	out.Candidates = []delegationCandidate{}
	if out.CanDelegate {
		out.Candidates = out.Scopes[0].Candidates
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// withdrawDelegation answers POST /api/v1/delegations/{id}/withdraw.
func (s *Server) withdrawDelegation(w http.ResponseWriter, r *http.Request, a award.Actor) error {
	if err := s.needDelegations(); err != nil {
		return err
	}
	org, err := s.orgOf(r.Context())
	if err != nil {
		return err
	}
	id, err := pathID(r, delegationPrefix, nounDelegation)
	if err != nil {
		return err
	}
	now := s.Now()
	today := award.DateOf(now, org.Location())
	notFound := award.NotFound("Không tìm thấy %[1]s “%[3]s”", "%[2]s %[3]q not found", nounDelegation.VI, nounDelegation.EN, id)
	d, err := s.Records.WithdrawDelegation(r.Context(), id, a.ID, now, func(d award.Delegation) error {
		if !award.CanSeeDelegation(a, d) {
			return notFound
		}
		return award.CheckWithdrawDelegation(a, d, today)
	})
	if errors.Is(err, store.ErrNotFound) {
		return notFound
	}
	if err != nil {
		return err
	}
	s.Log.InfoContext(r.Context(), "delegation withdrawn", "id", d.ID, "by", a.ID)
	writeJSON(w, http.StatusOK, s.delegationOut(r.Context(), org, d, a))
	return nil
}

// withMandates is the actor with the delegations in force for them today (Actor.Acting):
// live today, and only while the delegator still holds the scope's role
// (award.LiveMandates). Every authenticated request resolves them (authed), so a
// withdrawn or ended delegation stops at the next request, and the commands carry them
// to the workflows' validators.
func (s *Server) withMandates(ctx context.Context, a award.Actor) (award.Actor, error) {
	a.Acting = nil
	if s.Records == nil {
		return a, nil
	}
	org, err := s.orgOf(ctx)
	if err != nil {
		return a, err
	}
	today := award.DateOf(s.Now(), org.Location())
	ds, err := s.Records.LiveDelegationsTo(ctx, a.ID, today)
	if err != nil {
		return a, fmt.Errorf("delegations to %s: %w", a.ID, err)
	}
	party := func(id string) award.DelegationParty { return delegationParty(org, id) }
	a.Acting = award.LiveMandates(a.ID, ds, today, party, org.Agency.HeadProposalReviewers)
	return a, nil
}

// delegators are the people who delegated their review to the actor, in force today
// (the actor carries its mandates: authed resolved them).
func (s *Server) delegators(a award.Actor) []string {
	return a.ActingFor(award.DelegationReview)
}

// deputized are the people whose council secretary's or văn thư's tasks the actor does
// today.
func (s *Server) deputized(a award.Actor) []string {
	out := a.ActingFor(award.DelegationSecretary)
	for _, id := range a.ActingFor(award.DelegationClerk) {
		if !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out
}

// explainEndedDelegation turns a refused review into a clear message when the actor acted
// on a delegation of one of the proposal's reviewers that has ended or been withdrawn.
func (s *Server) explainEndedDelegation(r *http.Request, a award.Actor, refused error) error {
	if s.Records == nil || !isCode(refused, award.CodeForbidden) {
		return refused
	}
	org, err := s.orgOf(r.Context())
	if err != nil {
		return refused
	}
	id, err := pathID(r, proposalPrefix, award.NounProposal)
	if err != nil {
		return refused
	}
	ds, err := s.Records.Delegations(r.Context(), a.ID)
	if err != nil || len(ds) == 0 {
		return refused
	}
	v, err := s.Temporal.QueryWorkflow(r.Context(), id, "", workflows.QueryState)
	var view workflows.ProposalView
	if err == nil {
		err = v.Get(&view)
	}
	if err != nil {
		return refused
	}
	today := award.DateOf(s.Now(), org.Location())
	for _, d := range ds {
		if d.ToID != a.ID || !slices.Contains(view.Reviewers, d.FromID) || view.Concerns(a.ID) {
			continue
		}
		if !d.WithdrawnAt.IsZero() {
			return award.Forbidden("Ủy quyền của %[1]s cho bạn đã được thu hồi: bạn không còn xác nhận hồ sơ thay %[1]s", "%[1]s's delegation to you was withdrawn: you no longer review for %[1]s", d.FromName)
		}
		if d.Ended(today) {
			return award.Forbidden("Ủy quyền của %[1]s cho bạn đã hết hạn ngày %[2]s: bạn không còn xác nhận hồ sơ thay %[1]s", "%[1]s's delegation to you ended on %[2]s: you no longer review for %[1]s", d.FromName, d.End.VI())
		}
	}
	return refused
}

// explainEndedMandate turns a refused secretary's or văn thư's task (role) into a clear
// message when the actor held a delegation of it that has been withdrawn, has ended, or
// whose delegator no longer holds the role. Otherwise the refusal stands as it is.
func (s *Server) explainEndedMandate(ctx context.Context, a award.Actor, role award.Role, refused error) error {
	scope, ok := award.ScopeOfRole(role)
	if s.Records == nil || !ok || !isCode(refused, award.CodeForbidden) {
		return refused
	}
	if m, acts := a.ActsAs(role); acts && m.ForID == "" {
		return refused // they hold the role: the refusal is about something else
	}
	org, err := s.orgOf(ctx)
	if err != nil {
		return refused
	}
	ds, err := s.Records.Delegations(ctx, a.ID)
	if err != nil {
		return refused
	}
	today := award.DateOf(s.Now(), org.Location())
	for _, d := range ds {
		if d.ToID != a.ID || d.Scope != scope {
			continue
		}
		switch {
		case !d.WithdrawnAt.IsZero():
			return award.Forbidden("Ủy quyền của %[1]s cho bạn đã được thu hồi: bạn không còn làm thay %[1]s việc này", "%[1]s's delegation to you was withdrawn: you no longer do this for %[1]s", d.FromName)
		case d.Ended(today):
			return award.Forbidden("Ủy quyền của %[1]s cho bạn đã hết hạn ngày %[2]s: bạn không còn làm thay %[1]s việc này", "%[1]s's delegation to you ended on %[2]s: you no longer do this for %[1]s", d.FromName, d.End.VI())
		case d.LiveOn(today) && !slices.Contains(award.ScopesHeld(delegationParty(org, d.FromID), nil), scope):
			return award.Forbidden("%[1]s không còn giữ việc này nên ủy quyền của %[1]s cho bạn không còn hiệu lực", "%[1]s no longer holds these tasks, so their delegation to you has lapsed", d.FromName)
		}
	}
	return refused
}

// notifyDelegation tells the delegate (bell and mail) that the review is theirs for the
// period: one event per delegation (its id), so a repeat adds nothing. The delegator is
// not told again of their own act; new tasks keep reaching the delegator's bell as they
// always did (they stay assigned to them), and the delegate sees them in the inbox.
func (s *Server) notifyDelegation(ctx context.Context, d award.Delegation, now time.Time) {
	title := fmt.Sprintf("%s (%s) từ %s đến %s", d.FromName, d.Scope.LabelVI(), d.Start.VI(), d.End.VI())
	ev := notify.Event{ID: "delegated:" + d.ID, Person: d.ToID, Kind: notify.KindDelegated, WorkflowID: d.ID,
		Subject: notify.SubjectDelegation, Title: title, At: now}
	if _, err := s.Records.AddNotifications(ctx, []notify.Event{ev}); err != nil {
		// The delegation stands; the bell is a convenience: log and go on.
		s.Log.WarnContext(ctx, "delegation notification", "id", d.ID, "err", err)
	}
}

// actingFor marks the rows of an inbox page that are there for someone who delegated
// their review to the actor (the actor is not assigned them).
func (s *Server) actingFor(ctx context.Context, a award.Actor, delegators []string, p itemPage) itemPage {
	if len(delegators) == 0 {
		return p
	}
	l := s.labels(ctx)
	for i, it := range p.Items {
		if slices.Contains(it.Assignees, a.ID) {
			continue
		}
		if j := slices.IndexFunc(it.Assignees, func(id string) bool { return slices.Contains(delegators, id) }); j >= 0 {
			p.Items[i].OnBehalfOf = it.Assignees[j]
			p.Items[i].OnBehalfOfLabel = "Thay mặt " + l.person(it.Assignees[j], "")
		}
	}
	return p
}
