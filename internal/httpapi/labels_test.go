package httpapi

import (
	"context"
	"encoding/json"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/awardflow/awardflow/internal/award"
	"github.com/awardflow/awardflow/internal/blobstore"
	"github.com/awardflow/awardflow/internal/orgconfig"
	"github.com/awardflow/awardflow/workflows"
)

// rawCode matches what must never be shown where a label is expected: workflow ids, MIME
// types, and the codes of the labelled types.
func rawCodes(t *testing.T, s *Server) *regexp.Regexp {
	t.Helper()
	words := []string{`proposal-[0-9a-f]`, `session-[0-9a-f]`, `application/`, `image/`, `text/plain`}
	l := catalog()
	for _, list := range [][]award.Label{l.Stages, l.Actions, l.Roles, l.SessionStatuses, l.Kinds, l.Choices} {
		for _, x := range list {
			words = append(words, `\b`+regexp.QuoteMeta(x.Code)+`\b`)
		}
	}
	for _, rs := range mustOrg(t, s).RuleSets {
		words = append(words, regexp.QuoteMeta(rs.ID))
	}
	for _, p := range mustOrg(t, s).People {
		words = append(words, `\b`+regexp.QuoteMeta(p.ID)+`\b`)
	}
	return regexp.MustCompile(strings.Join(words, "|"))
}

// labelValues collects every value of a label field (…_label, …_labels, display_name,
// note, and the label of a {code, label} pair) anywhere in a JSON document.
func labelValues(v any, path string, out map[string]string) {
	switch x := v.(type) {
	case map[string]any:
		for k, c := range x {
			p := path + "." + k
			isLabel := strings.HasSuffix(k, "_label") || strings.HasSuffix(k, "_labels") || k == "display_name" || k == "note" ||
				k == "label" && x["code"] != nil
			if isLabel {
				switch c := c.(type) {
				case string:
					out[p] = c
				case []any:
					for i, e := range c {
						if s, ok := e.(string); ok {
							out[p+"["+strconv.Itoa(i)+"]"] = s
						}
					}
				}
				continue
			}
			labelValues(c, p, out)
		}
	case []any:
		for i, c := range x {
			labelValues(c, path+"["+strconv.Itoa(i)+"]", out)
		}
	}
}

func sampleProposal() workflows.ProposalView {
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	p := award.Proposal{
		ID: "proposal-e956b16e0123456789abcdef01234567",
		Draft: award.Draft{AwardType: "LDTT", MovementID: "vanhoa-2025", Kind: award.KindIndividual,
			NomineeName: "Nguyễn Thị Hồng Đào", NomineePosition: "Chuyên viên", Department: "tt"},
		ProposerID: "hongdao", ProposerName: "Nguyễn Thị Hồng Đào", RuleSet: "luat-2022-nd152",
		Stage: award.StageInSession, SessionID: "session-0123456789abcdef0123456789abcdef",
	}
	// One history line per action, each by a person of the demo organisation (and one
	// by the system), through every stage.
	actors := []string{"hongdao", "tptt", "thuky", "system"}
	for i, a := range award.Actions {
		comment := "ý kiến"
		if a == award.ActionCouncilSession {
			comment = p.SessionID
		}
		p.History = append(p.History, award.Event{At: at, ActorID: actors[i%len(actors)], Actor: "Tên ghi lúc đó",
			Action: a, Comment: comment, Stage: award.Stages[i%len(award.Stages)]})
	}
	for ct, ext := range blobstore.AllowedTypes {
		p.Evidence = append(p.Evidence, award.Evidence{SHA256: strings.Repeat("a", 64), Name: "minh-chung" + ext,
			ContentType: ct, Size: 52, AddedBy: "hongdao", AddedAt: at})
	}
	return workflows.ProposalView{Proposal: p, Assignees: []string{"tptt", "chanhvp"}}
}

func sampleSession(s *Server) workflows.SessionView {
	v := workflows.SessionView{Session: award.Session{
		ID: "session-0123456789abcdef0123456789abcdef", Title: "Xét khen thưởng năm 2026", OpenedBy: "thuky",
		Status: award.SessionOpen, Members: s.Org.(*orgconfig.Org).Council(),
		Agenda: []award.AgendaItem{{ProposalID: "proposal-e956b16e0123456789abcdef01234567", NomineeName: "Lê Quốc Cường",
			Department: "tt", Kind: award.KindIndividual, AwardType: "LDTT", MovementID: "vanhoa-2025"}},
		Voted: []string{"phoban"},
	}}
	return v
}

// TestResponsesCarryLabels: a proposal and a session as the API sends them label every
// code and id people would read (stage, kind, action, role, status, file type, person,
// department, award type, rule set), and no label is a raw code.
func TestResponsesCarryLabels(t *testing.T) {
	s, _ := newTestServer(t)
	bad := rawCodes(t, s)
	check := func(name string, v any) map[string]any {
		t.Helper()
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		var doc map[string]any
		if err := json.Unmarshal(b, &doc); err != nil {
			t.Fatal(err)
		}
		labels := map[string]string{}
		labelValues(doc, name, labels)
		if len(labels) < 4 {
			t.Fatalf("%s: only %d labels in %s", name, len(labels), b)
		}
		for path, l := range labels {
			if m := bad.FindString(l); m != "" {
				t.Errorf("%s = %q shows the raw code %q", path, l, m)
			}
			if strings.TrimSpace(l) == "" && !strings.HasSuffix(path, ".note") {
				t.Errorf("%s is empty", path)
			}
		}
		return doc
	}

	pv := sampleProposal()
	out := s.proposalOut(context.Background(), pv)
	check("proposal", out)
	if out.StageLabel != "Hội đồng đang xét" || out.KindLabel != "Cá nhân" || out.AwardTypeLabel != "Lao động tiên tiến" {
		t.Errorf("labels %q %q %q", out.StageLabel, out.KindLabel, out.AwardTypeLabel)
	}
	if !strings.Contains(out.RuleSetLabel, "Nghị định 152/2025/NĐ-CP") || !strings.Contains(out.RuleSetLabel, "01/07/2025") {
		t.Errorf("rule set label %q, want its citation and effective date", out.RuleSetLabel)
	}
	if want := "Nguyễn Thị Hồng Đào (Chuyên viên, Phòng Tuyên truyền)"; !strings.HasPrefix(out.ProposerLabel, "Nguyễn Thị Hồng Đào (Chuyên viên, ") || out.ProposerLabel == "" {
		t.Errorf("proposer label %q, want like %q", out.ProposerLabel, want)
	}
	if len(out.AssigneeLabels) != 2 || !strings.HasPrefix(out.AssigneeLabels[0], "Phạm Minh Tâm (Trưởng phòng, ") {
		t.Errorf("assignee labels %q", out.AssigneeLabels)
	}
	for i, e := range out.History {
		if e.ActionLabel != e.Action.LabelVI() || e.StageLabel != e.Stage.LabelVI() {
			t.Errorf("history %d: labels %q %q", i, e.ActionLabel, e.StageLabel)
		}
		if e.ActorID == "system" && e.ActorLabel != "Hệ thống" {
			t.Errorf("history %d: system step by %q", i, e.ActorLabel)
		}
		if e.Action == award.ActionCouncilSession && (e.Note != "" || e.SessionID != pv.SessionID) {
			t.Errorf("history %d: council step note %q session %q, want the session linked, not shown", i, e.Note, e.SessionID)
		}
	}
	types := map[string]bool{}
	for _, e := range out.Evidence {
		types[e.TypeLabel] = true
		if !strings.HasPrefix(e.AddedByLabel, "Nguyễn Thị Hồng Đào (") {
			t.Errorf("evidence added by %q", e.AddedByLabel)
		}
	}
	if len(types) != len(blobstore.AllowedTypes) {
		t.Errorf("file type labels %v, want one per allowed type", types)
	}
	// A removed person keeps the name recorded with the data, never the bare id.
	if got := s.labels(context.Background()).person("nguoicu", "Trần Văn Cũ"); got != "Trần Văn Cũ" {
		t.Errorf("removed person shown as %q", got)
	}

	// The labelled answer is still the workflow's view for a client that knows only it.
	var back workflows.ProposalView
	b, _ := json.Marshal(out)
	if err := json.Unmarshal(b, &back); err != nil || !reflect.DeepEqual(back.History, pv.History) || !reflect.DeepEqual(back.Proposal.Evidence, pv.Proposal.Evidence) {
		t.Errorf("round trip lost data (%v)", err)
	}

	sv := s.sessionOut(context.Background(), sampleSession(s), award.Actor{ID: "thuky", Roles: []award.Role{award.RoleSecretary}})
	doc := check("session", sv)
	if sv.StatusLabel != "Đang bỏ phiếu" || sv.OpenedByLabel == "" {
		t.Errorf("session labels %q %q", sv.StatusLabel, sv.OpenedByLabel)
	}
	for _, m := range sv.Members {
		if m.RoleLabel != m.Role.LabelVI() || !strings.HasPrefix(m.DisplayName, m.Name+" (") {
			t.Errorf("member %q: %q %q", m.ID, m.RoleLabel, m.DisplayName)
		}
	}
	if a := sv.Agenda[0]; a.KindLabel != "Cá nhân" || a.AwardTypeLabel != "Lao động tiên tiến" || a.DepartmentLabel == "tt" {
		t.Errorf("agenda labels %+v", a)
	}
	choices, _ := doc["choices"].([]any)
	if len(choices) != 3 || choices[2].(map[string]any)["label"] != award.Abstain.LabelVI() {
		t.Errorf("session choices %v, want yes/no/abstain with the ballot's words", choices)
	}

	it := Item{ID: pv.ID, Kind: workflows.KindProposal, Stage: "endorsed", AwardType: "LDTT", Department: "tt", Assignees: []string{"tptt"}}
	s.itemLabels(context.Background(), &it)
	check("item", it)
	si := Item{ID: sv.ID, Kind: workflows.KindSession, Stage: "opening"}
	s.itemLabels(context.Background(), &si)
	if si.StageLabel != "Đang mở phiên" {
		t.Errorf("session item stage label %q", si.StageLabel)
	}
}

// TestUserAndOrgCarryLabels: the signed-in person comes with a display name and role
// labels, and /org with the catalogue of every labelled code.
func TestUserAndOrgCarryLabels(t *testing.T) {
	s, h := newTestServer(t)
	tok, _ := s.Tokens.Issue("tptt", time.Now())
	rec := call(h, "GET", "/api/v1/me", tok, "")
	var me userView
	if err := json.Unmarshal(rec.Body.Bytes(), &me); err != nil || rec.Code != 200 {
		t.Fatalf("me = %d %s", rec.Code, rec.Body)
	}
	if !strings.HasPrefix(me.DisplayName, "Phạm Minh Tâm (Trưởng phòng, ") || me.DepartmentLabel == "tt" ||
		strings.Join(me.RoleLabels, ", ") != "Lãnh đạo phòng, Thành viên Hội đồng" {
		t.Errorf("me = %+v", me)
	}
	rec = call(h, "GET", "/api/v1/org", tok, "")
	var org struct {
		Agency any          `json:"agency"`
		Labels labelCatalog `json:"labels"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &org); err != nil || org.Agency == nil {
		t.Fatalf("org = %d %s", rec.Code, rec.Body)
	}
	if !reflect.DeepEqual(org.Labels, catalog()) || len(org.Labels.Stages) != len(award.Stages) || len(org.Labels.Kinds) != 2 ||
		len(org.Labels.Ratings) != len(award.TaskRatings) || len(org.Labels.Disciplines) != len(award.DisciplineLevels) ||
		org.Labels.Ratings[0].Label == "" || org.Labels.Ratings[0].Label == org.Labels.Ratings[0].Code {
		t.Errorf("org labels %+v", org.Labels)
	}
	if strings.Contains(rec.Body.String(), "password_hash") || strings.Contains(rec.Body.String(), "$2a$") {
		t.Errorf("org leaks password hashes")
	}
}

// mustOrg is the server's organisation as it stands.
func mustOrg(t testing.TB, s *Server) *orgconfig.Org {
	t.Helper()
	o, err := s.Org.Current(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return o
}
