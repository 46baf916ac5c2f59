package httpapi

import (
	"context"

	"github.com/awardflow/awardflow/internal/award"
	"github.com/awardflow/awardflow/internal/eligibility"
	"github.com/awardflow/awardflow/internal/orgconfig"
	"github.com/awardflow/awardflow/workflows"
)

// The API sends display labels with the data: the pages show them as they come and keep
// no label tables of their own. The words come from internal/award (labels.go) and from
// the organisation config (people, departments, award types, rule sets).

// proposalOut is a proposal as the API sends it: the workflow's view plus labels. The
// History and Evidence fields shadow the embedded ones with labelled rows.
type proposalOut struct {
	workflows.ProposalView
	// CaseNumber is the number people read (HS-2026-0042), from the records store.
	CaseNumber      string        `json:"case_number,omitempty"`
	StageLabel      string        `json:"stage_label"`
	KindLabel       string        `json:"kind_label"`
	AwardTypeLabel  string        `json:"award_type_label"`
	MovementLabel   string        `json:"movement_label"`
	DepartmentLabel string        `json:"department_label"`
	ProposerLabel   string        `json:"proposer_label"`
	RuleSetLabel    string        `json:"rule_set_label"`
	AssigneeLabels  []string      `json:"assignee_labels"`
	History         []eventOut    `json:"history"`
	Evidence        []evidenceOut `json:"evidence"`
	// Eligibility judges the nominee against the rule set of the achievement year, with
	// the records store's annual data (GET of one proposal only).
	Eligibility *eligibility.Judgement `json:"eligibility,omitempty"`
	// UpwardResults is the higher body's answer to the submission that proposed it
	// upward, once the văn thư recorded it (GET of one proposal only).
	UpwardResults []upwardOut `json:"upward_results,omitempty"`
	// ReviewOnBehalfOf: the reader may review this proposal for that person, who
	// delegated their review to them (GET of one proposal only; award.Delegation).
	ReviewOnBehalfOf      string `json:"review_on_behalf_of,omitempty"`
	ReviewOnBehalfOfLabel string `json:"review_on_behalf_of_label,omitempty"`
	// Projection hides the view's list row (always nil here: not part of the API).
	Projection *struct{} `json:"projection,omitempty"`
}

type eventOut struct {
	award.Event
	ActionLabel string `json:"action_label"`
	StageLabel  string `json:"stage_label"`
	ActorLabel  string `json:"actor_label"`
	// Note is the comment as people read it: for a council step the comment holds the
	// session's id, which is linked (session_id) rather than shown.
	Note      string `json:"note"`
	SessionID string `json:"session_id,omitempty"`
}

type evidenceOut struct {
	award.Evidence
	TypeLabel    string `json:"type_label"`
	AddedByLabel string `json:"added_by_label"`
}

// sessionOut is a session as the API sends it.
type sessionOut struct {
	workflows.SessionView
	CaseNumber    string        `json:"case_number,omitempty"` // PH-2026-03
	StatusLabel   string        `json:"status_label"`
	OpenedByLabel string        `json:"opened_by_label"`
	Members       []memberOut   `json:"members"`
	Agenda        []agendaOut   `json:"agenda"`
	Choices       []award.Label `json:"choices"` // the ballot's options, in order
	Documents     []documentOut `json:"documents"`
	// Projection hides the view's list row (always nil here: not part of the API).
	Projection *struct{} `json:"projection,omitempty"`
}

// documentOut is a pending document as the pages show it, with what the caller may do.
type documentOut struct {
	award.PendingDocument
	StatusLabel    string            `json:"status_label"`
	KindLabel      string            `json:"kind_label"`
	AwardTypeLabel string            `json:"award_type_label"`
	SignerLabel    string            `json:"signer_label"`
	AwardeeItems   []agendaOut       `json:"awardee_items"`
	History        []docEventOut     `json:"history"`
	Actions        []string          `json:"actions"` // approve, send_back, revise, abandon, issue
	Links          map[string]string `json:"links"`   // draft, signed, issued: PDF URLs the caller may open
}

type docEventOut struct {
	award.DocEvent
	ActionLabel string `json:"action_label"`
	// ActorLabel: who acted, and for whom under a delegation ("Y (thay mặt X)").
	ActorLabel string `json:"actor_label"`
}

// docEventOf is a document's history row with its labels.
func (l labeler) docEventOf(e award.DocEvent) docEventOut {
	out := docEventOut{DocEvent: e, ActionLabel: e.Action.LabelVI(), ActorLabel: l.person(e.ActorID, e.Actor)}
	if e.OnBehalfOfID != "" {
		out.ActorLabel += " (thay mặt " + l.person(e.OnBehalfOfID, e.OnBehalfOf) + ")"
	}
	return out
}

type memberOut struct {
	award.Member
	RoleLabel   string `json:"role_label"`
	DisplayName string `json:"display_name"`
}

type agendaOut struct {
	award.AgendaItem
	CaseNumber      string `json:"case_number,omitempty"` // the proposal's
	KindLabel       string `json:"kind_label"`
	AwardTypeLabel  string `json:"award_type_label"`
	DepartmentLabel string `json:"department_label"`
}

// labelCatalog lists every code of each labelled type with its words, for choices a
// page offers before any data carries them (the stage filter, the nominee kinds).
type labelCatalog struct {
	Stages          []award.Label `json:"stages"`
	Actions         []award.Label `json:"actions"`
	Roles           []award.Label `json:"roles"`
	SessionStatuses []award.Label `json:"session_statuses"`
	Kinds           []award.Label `json:"kinds"`
	Choices         []award.Label `json:"choices"`
	// Ratings and Disciplines are the annual data's task ratings and discipline levels.
	Ratings     []award.Label `json:"ratings"`
	Disciplines []award.Label `json:"disciplines"`
}

func catalog() labelCatalog {
	return labelCatalog{
		Stages: award.Labels(award.Stages), Actions: award.Labels(award.Actions), Roles: award.Labels(award.Roles),
		SessionStatuses: award.Labels(award.SessionStatuses), Kinds: award.Labels(award.Kinds),
		Choices: award.Labels(award.Choices), Ratings: award.Labels(award.TaskRatings),
		Disciplines: award.Labels(award.DisciplineLevels),
	}
}

// orgOut is the organisation config with the label catalogue.
type orgOut struct {
	*orgconfig.Org
	Labels labelCatalog `json:"labels"`
}

// labeler turns codes and ids into words, from the organisation config.
type labeler struct{ org *orgconfig.Org }

func (l labeler) department(id string) string {
	if d, ok := l.org.Department(id); ok {
		return d.Name
	}
	return id
}

func (l labeler) awardType(code string) string {
	if t, ok := l.org.AwardType(code); ok {
		return t.Name
	}
	return code
}

func (l labeler) movement(id string) string {
	if m, ok := l.org.Movement(id); ok {
		return m.Name
	}
	return id
}

// person names someone by full name, position and department. Someone no longer in the
// config keeps the name recorded with the data (fallback); the id is never shown.
func (l labeler) person(id, fallback string) string {
	switch id {
	case "":
		return ""
	case "system":
		return "Hệ thống"
	}
	if p, ok := l.org.Anyone(id); ok {
		return award.PersonLabel(p.Name, p.Position, l.department(p.Department))
	}
	if fallback != "" {
		return fallback
	}
	return "Người dùng không còn trong danh sách"
}

// ruleSet names a rule set by its legal basis and the date it took effect.
func (l labeler) ruleSet(id string) string {
	for _, rs := range l.org.RuleSets {
		if rs.ID == id {
			if rs.Citation == "" {
				break
			}
			return rs.Citation + " (áp dụng từ " + rs.Effective.In(l.org.Location()).Format("02/01/2006") + ")"
		}
	}
	return id
}

// labels names things with the request's organisation (an empty one, naming nothing,
// if it cannot be read: the response then shows recorded names and codes).
func (s *Server) labels(ctx context.Context) labeler {
	o, err := s.orgOf(ctx)
	if err != nil {
		o = &orgconfig.Org{}
	}
	return labeler{org: o}
}

func (s *Server) proposalOut(ctx context.Context, v workflows.ProposalView) proposalOut {
	l := s.labels(ctx)
	out := proposalOut{
		ProposalView: v, StageLabel: v.Stage.LabelVI(), KindLabel: v.Kind.LabelVI(),
		AwardTypeLabel: l.awardType(v.AwardType), MovementLabel: l.movement(v.MovementID),
		DepartmentLabel: l.department(v.Department), ProposerLabel: l.person(v.ProposerID, v.ProposerName),
		RuleSetLabel: l.ruleSet(v.RuleSet), AssigneeLabels: make([]string, 0, len(v.Assignees)),
		History: make([]eventOut, 0, len(v.History)), Evidence: make([]evidenceOut, 0, len(v.Proposal.Evidence)),
	}
	for _, id := range v.Assignees {
		out.AssigneeLabels = append(out.AssigneeLabels, l.person(id, ""))
	}
	for _, e := range v.History {
		row := eventOut{Event: e, ActionLabel: e.Action.LabelVI(), StageLabel: e.Stage.LabelVI(),
			ActorLabel: l.person(e.ActorID, e.Actor), Note: e.Comment}
		if e.OnBehalfOfID != "" {
			row.ActorLabel += " (thay mặt " + l.person(e.OnBehalfOfID, e.OnBehalfOf) + ")"
		}
		if e.Action == award.ActionCouncilSession {
			row.Note, row.SessionID = "", e.Comment
		}
		out.History = append(out.History, row)
	}
	for _, e := range v.Proposal.Evidence {
		out.Evidence = append(out.Evidence, s.evidenceOut(ctx, e))
	}
	out.CaseNumber = s.caseNumbers(ctx, v.ID)[v.ID]
	return out
}

func (s *Server) evidenceOut(ctx context.Context, e award.Evidence) evidenceOut {
	return evidenceOut{Evidence: e, TypeLabel: award.FileTypeLabel(e.ContentType, e.Name), AddedByLabel: s.labels(ctx).person(e.AddedBy, "")}
}

func (s *Server) sessionOut(ctx context.Context, v workflows.SessionView, a award.Actor) sessionOut {
	l := s.labels(ctx)
	out := sessionOut{
		SessionView: v, StatusLabel: v.Status.LabelVI(), OpenedByLabel: l.person(v.OpenedBy, ""),
		Members: make([]memberOut, 0, len(v.Members)), Agenda: make([]agendaOut, 0, len(v.Session.Agenda)),
		Choices: award.Labels(award.Choices), Documents: make([]documentOut, 0, len(v.Session.Documents)),
	}
	for _, m := range v.Members {
		out.Members = append(out.Members, memberOut{Member: m, RoleLabel: m.Role.LabelVI(),
			DisplayName: award.PersonLabel(m.Name, m.Title, "")})
	}
	ids := []string{v.ID}
	for _, it := range v.Session.Agenda {
		ids = append(ids, it.ProposalID)
	}
	numbers := s.caseNumbers(ctx, ids...)
	out.CaseNumber = numbers[v.ID]
	for _, d := range v.Session.Documents {
		out.Documents = append(out.Documents, s.documentOut(ctx, &v.Session, d, a, numbers))
	}
	for _, it := range v.Session.Agenda {
		out.Agenda = append(out.Agenda, agendaOut{AgendaItem: it, KindLabel: it.Kind.LabelVI(),
			AwardTypeLabel: l.awardType(it.AwardType), DepartmentLabel: l.department(it.Department),
			CaseNumber: numbers[it.ProposalID]})
	}
	return out
}

// itemLabels fills the labels of a list row.
func (s *Server) itemLabels(ctx context.Context, it *Item) {
	switch it.Kind {
	case workflows.KindProposal:
		it.StageLabel = award.Stage(it.Stage).LabelVI()
	case workflows.KindSession:
		it.StageLabel = award.SessionStatus(it.Stage).LabelVI()
	}
	l := s.labels(ctx)
	if it.AwardType != "" {
		it.AwardTypeLabel = l.awardType(it.AwardType)
	}
	if it.Department != "" {
		it.DepartmentLabel = l.department(it.Department)
	}
	it.AssigneeLabels = make([]string, 0, len(it.Assignees))
	for _, id := range it.Assignees {
		it.AssigneeLabels = append(it.AssigneeLabels, l.person(id, ""))
	}
}

// caseNumbers reads the case numbers of workflows from the records store. They are for
// people to read: without a store, or when it fails (logged), the ids go without.
func (s *Server) caseNumbers(ctx context.Context, ids ...string) map[string]string {
	if s.Records == nil || len(ids) == 0 {
		return nil
	}
	out, err := s.Records.CaseNumbers(ctx, ids)
	if err != nil {
		s.Log.WarnContext(ctx, "case numbers not read", "err", err)
		return nil
	}
	return out
}
