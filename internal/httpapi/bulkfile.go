package httpapi

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"github.com/awardflow/awardflow/internal/award"
	"github.com/awardflow/awardflow/internal/orgconfig"
	"github.com/awardflow/awardflow/workflows"
)

// A department's annual list (danh sách đề nghị) in one step: the head (or anyone who
// may file for the department) names the nominees — people of the directory, or the
// unit — and each becomes a proposal; optionally self-assessed as meeting every
// criterion of the list and submitted at once (each nominee checked against the rules).
// 40 nominees are one request, not 40 forms.

type bulkEntry struct {
	Kind            award.NomineeKind `json:"kind"`
	NomineeID       string            `json:"nominee_id"`
	NomineeName     string            `json:"nominee_name"`
	NomineePosition string            `json:"nominee_position"`
	AwardType       string            `json:"award_type"`
	Achievements    string            `json:"achievements"`
}

type bulkFileRequest struct {
	Department string `json:"department"`
	MovementID string `json:"movement_id"`
	AwardType  string `json:"award_type"` // each entry's unless it names its own
	// SelfAssessment "all_met" answers every criterion as met, noting the list.
	SelfAssessment string      `json:"self_assessment"`
	Submit         bool        `json:"submit"`
	Entries        []bulkEntry `json:"entries"`
}

type bulkFileRow struct {
	Row         int          `json:"row"` // 1, 2, … in the request's order
	ProposalID  string       `json:"proposal_id,omitempty"`
	NomineeName string       `json:"nominee_name"`
	OK          bool         `json:"ok"`
	Stage       award.Stage  `json:"stage,omitempty"`
	StageLabel  string       `json:"stage_label,omitempty"`
	Error       *award.Error `json:"error,omitempty"`
}

type rowError struct {
	Row int    `json:"row"`
	VI  string `json:"message"`
	EN  string `json:"message_en"`
}

// bulkFile answers POST /api/v1/proposals/bulk. Every entry is checked first (the
// department's, the catalogue, the directory, one live proposal per nominee, award and
// year): one bad entry and nothing is filed (422 with every problem by row). Then each
// is filed; with an Idempotency-Key a repeat files nothing twice.
func (s *Server) bulkFile(w http.ResponseWriter, r *http.Request, a award.Actor) error {
	org, err := s.orgOf(r.Context())
	if err != nil {
		return err
	}
	key, err := idempotencyKey(r)
	if err != nil {
		return err
	}
	var req bulkFileRequest
	if err := decode(w, r, &req); err != nil {
		return err
	}
	if req.Department == "" {
		req.Department = a.Department
	}
	if err := award.CanFile(a, req.Department); err != nil {
		return err
	}
	switch {
	case len(req.Entries) == 0:
		return award.Invalid("Danh sách chưa có ai", "the list names nobody")
	case len(req.Entries) > maxBulk:
		return award.Invalid("Mỗi danh sách tối đa %d người", "at most %d nominees in one list", maxBulk)
	case req.SelfAssessment != "" && req.SelfAssessment != "all_met":
		return award.Invalid("self_assessment chỉ nhận “all_met”", "self_assessment must be \"all_met\"")
	}
	m, _ := org.Movement(req.MovementID)
	year := awardYear(org, s.Now(), m)
	rules, ok := org.RulesForYear(year)
	if !ok {
		return award.Invalid("Chưa có bộ quy định khen thưởng nào áp dụng cho năm thành tích %d", "no rule set covers the achievement year %d", year)
	}
	drafts, ids, rowErrs := s.checkBulk(r.Context(), a, org, req, key, year)
	if len(rowErrs) > 0 {
		vi := make([]string, 0, len(rowErrs))
		for _, e := range rowErrs {
			vi = append(vi, fmt.Sprintf("Dòng %d: %s", e.Row, e.VI))
		}
		writeJSON(w, http.StatusUnprocessableEntity, map[string]any{
			"error": award.Invalid("Chưa lập danh sách: %[1]d dòng có lỗi. %[2]s", "nothing filed: %[1]d row(s) have problems (see rows)",
				len(rowErrs), strings.Join(vi, "; ")),
			"rows": rowErrs,
		})
		return nil
	}
	rows := make([]bulkFileRow, len(drafts))
	for i, d := range drafts {
		rows[i] = s.fileEntry(r, a, org, req, d, m, rules, year, ids[i], key, i+1)
	}
	done := 0
	for _, row := range rows {
		if row.OK {
			done++
		}
	}
	s.Log.InfoContext(r.Context(), "bulk filing", "by", a.ID, "department", req.Department, "rows", len(rows), "done", done)
	writeJSON(w, http.StatusOK, map[string]any{"items": rows, "done": done, "failed": len(rows) - done})
	return nil
}

// checkBulk checks every entry of a list and returns the drafts and their proposal ids,
// or every problem by row.
func (s *Server) checkBulk(ctx context.Context, a award.Actor, org *orgconfig.Org, req bulkFileRequest, key string, year int) ([]award.Draft, []string, []rowError) {
	var drafts []award.Draft
	var ids []string
	var errs []rowError
	fail := func(row int, err error) {
		de, ok := asDomain(err)
		if !ok {
			de = award.Internal()
		}
		errs = append(errs, rowError{Row: row, VI: de.VI, EN: de.EN})
	}
	seen := map[string]int{}
	for i, e := range req.Entries {
		row := i + 1
		d := award.Draft{AwardType: cmpOr(e.AwardType, req.AwardType), MovementID: req.MovementID, Kind: e.Kind,
			NomineeName: e.NomineeName, NomineeID: e.NomineeID, NomineePosition: e.NomineePosition, Department: req.Department,
			Achievements: e.Achievements}
		if d.Kind == "" {
			d.Kind = award.KindIndividual
		}
		if d.NomineeName == "" && d.NomineeID != "" {
			if p, ok := org.Person(d.NomineeID); ok {
				d.NomineeName = p.Name
			}
		}
		var err error
		if d, err = d.Clean(); err != nil {
			fail(row, err)
			continue
		}
		if err := org.CheckDraft(d); err != nil {
			fail(row, err)
			continue
		}
		if d, err = award.ResolveNominee(d, org.Directory()); err != nil {
			fail(row, err)
			continue
		}
		who := d.AwardType + "\x00" + string(d.Kind) + "\x00" + d.NomineeID + "\x00" + award.FoldName(d.NomineeName)
		if d.NomineeID != "" {
			who = d.AwardType + "\x00" + d.NomineeID
		}
		if first, dup := seen[who]; dup {
			fail(row, award.Invalid("Trùng với dòng %d (cùng người, cùng hình thức)", "the same as row %d (same nominee and award)", first))
			continue
		}
		seen[who] = row
		id := newID(proposalPrefix)
		if key != "" {
			sum := sha256.Sum256([]byte(fmt.Sprintf("%s\x00bulk\x00%s\x00%d", a.ID, key, row)))
			id = proposalPrefix + hex.EncodeToString(sum[:16])
		}
		if key == "" || !s.filed(ctx, id) {
			if err := s.checkOneLive(ctx, id, d, year); err != nil {
				fail(row, err)
				continue
			}
			if err := s.checkRegistration(ctx, org, d); err != nil {
				fail(row, err)
				continue
			}
		}
		drafts, ids = append(drafts, d), append(ids, id)
	}
	return drafts, ids, errs
}

// fileEntry files one entry of a list: create, then (as asked) self-assess and submit.
// Each step has its own idempotent update id under the request's key.
func (s *Server) fileEntry(r *http.Request, a award.Actor, org *orgconfig.Org, req bulkFileRequest, d award.Draft, m award.Movement,
	rules award.Rules, year int, id, key string, row int) bulkFileRow {
	ctx := r.Context()
	out := bulkFileRow{Row: row, NomineeName: d.NomineeName}
	step := func(name string, arg any) string {
		if key == "" {
			return ""
		}
		b, _ := json.Marshal(arg)
		var body map[string]any
		_ = json.Unmarshal(b, &body)
		delete(body, "actor")
		fb, _ := json.Marshal(body)
		return workflows.IdempotentUpdateID(award.IdempotencyScope(a.ID, r.Pattern, id+"/"+name, key), award.Fingerprint(r.Pattern, id, name, string(fb)))
	}
	fail := func(err error) bulkFileRow {
		de, ok := asDomain(err)
		if !ok {
			s.Log.ErrorContext(ctx, "bulk filing", "proposal", id, "err", err)
			de = award.Internal()
		}
		out.Error = de
		return out
	}
	view, err := s.startProposal(ctx, org, a, d, m, rules, year, id, step("create", d))
	if err != nil {
		return fail(err)
	}
	out.ProposalID, out.Stage = view.ID, view.Stage
	if req.SelfAssessment == "all_met" && (view.Stage == award.StageDraft || view.Stage == award.StageReturned) {
		answers := make([]award.CriterionAnswer, 0, len(view.Criteria))
		for _, c := range view.Criteria {
			answers = append(answers, award.CriterionAnswer{CriterionID: c.ID, Met: true, Note: "Đạt (theo danh sách đề nghị của phòng)"})
		}
		in := workflows.SelfAssessInput{Actor: a, Answers: answers}
		if err := s.updateWithID(ctx, id, workflows.UpdateSelfAssess, step("assess", in), award.NounProposal, in, &view); err != nil {
			return fail(err)
		}
	}
	if req.Submit && (view.Stage == award.StageDraft || view.Stage == award.StageReturned) {
		j, err := s.judge(ctx, org, &view.Proposal)
		if err != nil {
			return fail(err)
		}
		if err := award.CheckEligible(view.NomineeName, j.Results); err != nil {
			out.Stage, out.StageLabel = view.Stage, view.Stage.LabelVI()
			return fail(err)
		}
		in := workflows.ActorInput{Actor: a}
		if err := s.updateWithID(ctx, id, workflows.UpdateSubmit, step("submit", in), award.NounProposal, in, &view); err != nil {
			return fail(err)
		}
	}
	out.OK, out.Stage, out.StageLabel = true, view.Stage, view.Stage.LabelVI()
	return out
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
