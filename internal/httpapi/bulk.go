package httpapi

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"sync"

	"github.com/awardflow/awardflow/internal/award"
	"github.com/awardflow/awardflow/workflows"
)

// Bulk review: a department head (or whoever reviews) acts on a department's whole list
// in one step — endorse all, with per-row exceptions returned or rejected with their
// own comments. Each proposal is its own workflow, so the answer reports each row; with
// an Idempotency-Key a repeat of the request repeats nothing.

// maxBulk caps one bulk request (a department's year-end list is tens, not thousands).
const maxBulk = 200

type bulkException struct {
	Decision award.HeadDecision `json:"decision"`
	Comment  string             `json:"comment"`
}

type bulkReviewRequest struct {
	ProposalIDs []string                 `json:"proposal_ids"`
	Comment     string                   `json:"comment"`
	Except      map[string]bulkException `json:"except"`
}

type bulkRow struct {
	ProposalID    string             `json:"proposal_id"`
	Decision      award.HeadDecision `json:"decision"`
	OK            bool               `json:"ok"`
	Stage         award.Stage        `json:"stage,omitempty"`
	StageLabel    string             `json:"stage_label,omitempty"`
	Error         *award.Error       `json:"error,omitempty"`
	NomineeName   string             `json:"nominee_name,omitempty"`
	AwardTypeName string             `json:"award_type_label,omitempty"`
}

// bulkReview answers POST /api/v1/proposals/bulk-review.
func (s *Server) bulkReview(w http.ResponseWriter, r *http.Request, a award.Actor) error {
	var req bulkReviewRequest
	if err := decode(w, r, &req); err != nil {
		return err
	}
	plan, err := award.PlanBulkReview(req.ProposalIDs, req.Comment, toExceptions(req.Except), maxBulk)
	if err != nil {
		return err
	}
	for _, p := range plan {
		if !idPattern.MatchString(p.ProposalID) || len(p.ProposalID) <= len(proposalPrefix) || p.ProposalID[:len(proposalPrefix)] != proposalPrefix {
			return award.Invalid("Mã hồ sơ “%s” không hợp lệ", "invalid proposal id %q", p.ProposalID)
		}
	}
	// A delegate reviews the delegators' proposals too (award.Delegation): the actor
	// carries its mandates (authed).
	rows := make([]bulkRow, len(plan))
	l := s.labels(r.Context())
	var wg sync.WaitGroup
	sem := make(chan struct{}, 4) // a few at a time: each waits for its workflow's answer
	for i, p := range plan {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			row := bulkRow{ProposalID: p.ProposalID, Decision: p.Decision}
			var view workflows.ProposalView
			err := s.update(r, a, p.ProposalID, workflows.UpdateReview, award.NounProposal, "",
				workflows.ReviewInput{Actor: a, Decision: p.Decision, Comment: p.Comment}, &view)
			if de, ok := asDomain(err); ok {
				row.Error = de
			} else if err != nil {
				s.Log.ErrorContext(r.Context(), "bulk review", "proposal", p.ProposalID, "err", err)
				row.Error = award.Internal()
			} else {
				row.OK, row.Stage, row.StageLabel = true, view.Stage, view.Stage.LabelVI()
				row.NomineeName, row.AwardTypeName = view.NomineeName, l.awardType(view.AwardType)
			}
			rows[i] = row
		}()
	}
	wg.Wait()
	done := 0
	for _, row := range rows {
		if row.OK {
			done++
		}
	}
	s.Log.InfoContext(r.Context(), "bulk review", "by", a.ID, "rows", len(rows), "done", done)
	writeJSON(w, http.StatusOK, map[string]any{"items": rows, "done": done, "failed": len(rows) - done})
	return nil
}

func toExceptions(m map[string]bulkException) map[string]award.BulkException {
	out := make(map[string]award.BulkException, len(m))
	for id, e := range m {
		out[id] = award.BulkException{Decision: e.Decision, Comment: e.Comment}
	}
	return out
}

type shareRequest struct {
	ProposalIDs []string `json:"proposal_ids"`
}

// shareEvidence answers POST /api/v1/proposals/{id}/evidence/{sha}/share: a file of one
// proposal (the list's evidence: the department's report, the meeting's minutes) is
// attached to the other proposals of the list as well, without uploading it again. Each
// proposal gets its own copy and is checked on its own (who may attach, which stage):
// one row per proposal.
func (s *Server) shareEvidence(w http.ResponseWriter, r *http.Request, a award.Actor) error {
	src, err := s.loadProposal(r, a)
	if err != nil {
		return err
	}
	sha := r.PathValue("sha")
	i := slices.IndexFunc(src.Evidence, func(e award.Evidence) bool { return e.SHA256 == sha })
	if i < 0 {
		return award.NotFound("Không tìm thấy minh chứng này trong hồ sơ", "no such evidence on this proposal")
	}
	ev := src.Evidence[i]
	var req shareRequest
	if err := decode(w, r, &req); err != nil {
		return err
	}
	plan, err := award.PlanBulkReview(req.ProposalIDs, "", nil, maxBulk)
	if err != nil {
		return err
	}
	rows := make([]bulkRow, 0, len(plan))
	for _, p := range plan {
		row := bulkRow{ProposalID: p.ProposalID}
		if !idPattern.MatchString(p.ProposalID) || !strings.HasPrefix(p.ProposalID, proposalPrefix) || p.ProposalID == src.ID {
			row.Error = award.Invalid("Mã hồ sơ “%s” không hợp lệ", "invalid proposal id %q", p.ProposalID)
			rows = append(rows, row)
			continue
		}
		to := "evidence/" + p.ProposalID + "/" + ev.SHA256
		if err := s.Store.Copy(r.Context(), ev.Key, to); err != nil {
			return err
		}
		shared := award.Evidence{SHA256: ev.SHA256, Key: to, Name: ev.Name, ContentType: ev.ContentType, Size: ev.Size}
		var view workflows.ProposalView
		err := s.update(r, a, p.ProposalID, workflows.UpdateAttach, award.NounProposal, evidenceFingerprint(ev.Name, ev.SHA256),
			workflows.AttachInput{Actor: a, Evidence: shared}, &view)
		switch de, ok := asDomain(err); {
		case err == nil:
			row.OK, row.Stage, row.StageLabel, row.NomineeName = true, view.Stage, view.Stage.LabelVI(), view.NomineeName
		case ok:
			row.Error = de
		default:
			s.Log.ErrorContext(r.Context(), "share evidence", "proposal", p.ProposalID, "err", err)
			row.Error = award.Internal()
		}
		if err != nil && !s.listedNow(r, p.ProposalID, ev.SHA256) {
			// Refused: keep no copy the proposal does not list.
			_ = s.Store.Remove(context.WithoutCancel(r.Context()), to)
		}
		rows = append(rows, row)
	}
	done := 0
	for _, row := range rows {
		if row.OK {
			done++
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": rows, "done": done, "failed": len(rows) - done})
	return nil
}
