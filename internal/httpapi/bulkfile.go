package httpapi

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/awardflow/awardflow/internal/annualdata"
	"github.com/awardflow/awardflow/internal/award"
	"github.com/awardflow/awardflow/internal/listimport"
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
	return s.fileList(w, r, a, org, key, req, nil)
}

// fileList files a list; rows gives each entry's row number in the caller's terms (the
// spreadsheet's, for an import; nil: 1, 2, …).
func (s *Server) fileList(w http.ResponseWriter, r *http.Request, a award.Actor, org *orgconfig.Org, key string, req bulkFileRequest, rows []int) error {
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
	if err := org.CheckAwardedInYear(req.AwardType, year); err != nil {
		return err
	}
	if rows == nil {
		for i := range req.Entries {
			rows = append(rows, i+1)
		}
	}
	drafts, ids, rowErrs := s.checkBulk(r.Context(), a, org, req, key, year, rows)
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
	out := make([]bulkFileRow, len(drafts))
	for i, d := range drafts {
		out[i] = s.fileEntry(r, a, org, req, d, m, rules, year, ids[i], key, rows[i])
	}
	done := 0
	for _, row := range out {
		if row.OK {
			done++
		}
	}
	s.Log.InfoContext(r.Context(), "bulk filing", "by", a.ID, "department", req.Department, "rows", len(out), "done", done)
	writeJSON(w, http.StatusOK, map[string]any{"items": out, "done": done, "failed": len(out) - done})
	return nil
}

// checkBulk checks every entry of a list and returns the drafts and their proposal ids,
// or every problem by row.
func (s *Server) checkBulk(ctx context.Context, a award.Actor, org *orgconfig.Org, req bulkFileRequest, key string, year int, rows []int) ([]award.Draft, []string, []rowError) {
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
		row := rows[i]
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

// importList answers POST /api/v1/proposals/bulk/import?movement_id=…&award_type=…
// &self_assessment=all_met&submit=true: the body is the list as a spreadsheet (the
// template of GET /api/v1/proposals/bulk/template). It is read, then filed as a list sent
// as JSON would be; problems name the spreadsheet's rows.
func (s *Server) importList(w http.ResponseWriter, r *http.Request, a award.Actor) error {
	org, err := s.orgOf(r.Context())
	if err != nil {
		return err
	}
	key, err := idempotencyKey(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	req := bulkFileRequest{Department: q.Get("department"), MovementID: q.Get("movement_id"), AwardType: q.Get("award_type"),
		SelfAssessment: q.Get("self_assessment"), Submit: q.Get("submit") == "true"}
	if v := q.Get("submit"); v != "" && v != "true" && v != "false" {
		return award.Invalid("submit phải là true hoặc false", "submit must be true or false")
	}
	entries, err := listimport.Parse(http.MaxBytesReader(w, r.Body, annualdata.DefaultMaxBytes))
	var ie *annualdata.ImportError
	if errors.As(err, &ie) {
		writeJSON(w, http.StatusUnprocessableEntity, map[string]any{"error": ie.Award(), "rows": ie.Rows, "more": ie.More})
		return nil
	}
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return award.TooLarge("Tệp quá lớn (tối đa %d MB)", "the file is larger than %d MB", annualdata.DefaultMaxBytes>>20)
	}
	if err != nil {
		return err
	}
	var rows []int
	for _, e := range entries {
		req.Entries = append(req.Entries, bulkEntry{Kind: e.Kind, NomineeID: e.NomineeID, NomineeName: e.NomineeName,
			NomineePosition: e.NomineePosition, AwardType: e.AwardType, Achievements: e.Achievements})
		rows = append(rows, e.Row)
	}
	return s.fileList(w, r, a, org, key, req, rows)
}

// listTemplate answers GET /api/v1/proposals/bulk/template?format=xlsx|csv.
func (s *Server) listTemplate(w http.ResponseWriter, r *http.Request, _ award.Actor) error {
	format, ct, err := spreadsheetFormat(r)
	if err != nil {
		return err
	}
	var b bytes.Buffer
	if err := listimport.WriteTemplate(&b, format); err != nil {
		return err
	}
	writeAttachment(w, ct, "mau-danh-sach-de-nghi."+format, b.Bytes())
	return nil
}
