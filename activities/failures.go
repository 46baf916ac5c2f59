package activities

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"unicode"

	"go.temporal.io/sdk/temporal"

	"github.com/awardflow/awardflow/internal/award"
	"github.com/awardflow/awardflow/templates"
	"github.com/awardflow/awardflow/workflows"
)

// A document that cannot be rendered from its content fails the same way on every
// attempt: such errors are non-retryable (workflows.ErrDocument) and say, in both
// languages, which proposal's text is at fault, so that the session shows it and the
// secretary can exclude that proposal. Signing and storage errors stay retryable (an
// outage may pass); the workflow bounds their retries.

// docNames are the documents in both languages.
var docNames = map[string][2]string{
	"decision":   {"quyết định khen thưởng", "award decision"},
	"submission": {"tờ trình", "submission"},
	"minutes":    {"biên bản", "minutes"},
	// The council's own tờ trình to the head.
	"council_submission": {"tờ trình của Hội đồng", "council's submission"},
}

// contentError builds the non-retryable error of a document that cannot be rendered.
// blamed are the proposals whose own text fails; titleAtFault says the session title
// does.
func contentError(kind, docID string, blamed []award.AgendaItem, titleAtFault bool, err error) error {
	name := docNames[kind]
	what := describe(err)
	f := workflows.DocumentFailure{DocumentID: docID}
	switch {
	case len(blamed) > 0:
		viWho, enWho := "", ""
		for i, it := range blamed {
			if i > 0 {
				viWho += ", "
				enWho += ", "
			}
			viWho += it.NomineeName
			enWho += it.NomineeName
			f.ProposalIDs = append(f.ProposalIDs, it.ProposalID)
		}
		f.VI = fmt.Sprintf("Không lập được %s: %s, trong hồ sơ của %s. Thư ký Hội đồng có thể loại hồ sơ này khỏi phiên họp để lập tiếp các văn bản.", name[0], what[0], viWho)
		f.EN = fmt.Sprintf("cannot issue the %s: %s, in the proposal of %s; the council secretary can exclude that proposal from the session so that issuing resumes", name[1], what[1], enWho)
	case titleAtFault:
		f.VI = fmt.Sprintf("Không lập được %s: %s, trong tên phiên họp.", name[0], what[0])
		f.EN = fmt.Sprintf("cannot issue the %s: %s, in the session title", name[1], what[1])
	default:
		f.VI = fmt.Sprintf("Không lập được %s: %s. Cần sửa cấu hình của cơ quan rồi bấm “Lập lại văn bản”.", name[0], what[0])
		f.EN = fmt.Sprintf("cannot issue the %s: %s; correct the organisation's configuration, then retry issuing", name[1], what[1])
	}
	// The messages are for people (no ids); the error's own text keeps the ids for the log.
	return temporal.NewApplicationErrorWithOptions(docID+": "+f.EN, workflows.ErrDocument, temporal.ApplicationErrorOptions{
		NonRetryable: true, Cause: err, Details: []any{f},
	})
}

// codePoint finds the character a render error names (templates reports "U+XXXX").
var codePoint = regexp.MustCompile(`\(U\+([0-9A-F]{4,6})\)`)

// describe says what is wrong with the content, in Vietnamese and in English.
func describe(err error) [2]string {
	if m := codePoint.FindStringSubmatch(err.Error()); m != nil {
		if n, perr := strconv.ParseUint(m[1], 16, 32); perr == nil {
			r := rune(n)
			shown := ""
			if unicode.IsGraphic(r) && !unicode.Is(unicode.Mn, r) {
				shown = "“" + string(r) + "” "
			}
			return [2]string{
				fmt.Sprintf("ký tự %s(U+%04X) không có trong phông chữ của văn bản", shown, r),
				fmt.Sprintf("the character %s(U+%04X) is not in the document font", shown, r),
			}
		}
	}
	return [2]string{"nội dung không trình bày được trong văn bản", "the content cannot be laid out"}
}

// CheckDocument renders a document without numbering, signing or storing it, so that a
// number is taken from the register only for a document that renders.
func (a *Activities) CheckDocument(ctx context.Context, req workflows.CheckDocumentRequest) error {
	a, err := a.withOrg(ctx)
	if err != nil {
		return err
	}
	switch {
	case req.Decision != nil:
		return a.checkDecision(*req.Decision)
	case req.Submission != nil:
		return a.checkSubmission(*req.Submission)
	case req.Minutes != nil:
		return a.checkMinutes(*req.Minutes)
	case req.CouncilSubmission != nil:
		return a.checkCouncilSubmission(*req.CouncilSubmission)
	}
	return temporal.NewNonRetryableApplicationError("empty document check", workflows.ErrDocument, nil,
		workflows.DocumentFailure{VI: "Yêu cầu kiểm tra văn bản trống", EN: "empty document check"})
}

func (a *Activities) renderDecision(req workflows.DecisionRequest) (templates.Rendered, templates.Decision, error) {
	d, err := DecisionDocument(a.cur(), req)
	if err != nil {
		return templates.Rendered{}, d, err
	}
	r, err := templates.RenderDecision(d, templates.RenderOptions{CreationDate: req.Date})
	return r, d, err
}

func (a *Activities) checkDecision(req workflows.DecisionRequest) error {
	if _, _, err := a.renderDecision(req); err != nil {
		var blamed []award.AgendaItem
		for _, it := range req.Awardees {
			one := req
			one.Awardees = []award.AgendaItem{it}
			if _, _, e := a.renderDecision(one); e != nil {
				blamed = append(blamed, it)
			}
		}
		if len(blamed) == len(req.Awardees) && len(req.Awardees) > 1 {
			blamed = nil // every one fails alone: the fault is common to all (the configuration)
		}
		return contentError("decision", req.ID, blamed, false, err)
	}
	return nil
}

func (a *Activities) renderSubmission(req workflows.SubmissionRequest) (templates.Rendered, templates.Submission, error) {
	sub, err := SubmissionDocument(a.cur(), req)
	if err != nil {
		return templates.Rendered{}, sub, err
	}
	r, err := templates.RenderSubmission(sub, templates.RenderOptions{CreationDate: req.Date})
	return r, sub, err
}

func (a *Activities) checkSubmission(req workflows.SubmissionRequest) error {
	if _, _, err := a.renderSubmission(req); err != nil {
		var blamed []award.AgendaItem
		for i, it := range req.Items {
			one := req
			one.Items = []award.AgendaItem{it}
			one.Counts = nil
			if i < len(req.Counts) {
				one.Counts = []award.Count{req.Counts[i]}
			}
			if _, _, e := a.renderSubmission(one); e != nil {
				blamed = append(blamed, it)
			}
		}
		if len(blamed) == len(req.Items) && len(req.Items) > 1 {
			blamed = nil
		}
		return contentError("submission", req.ID, blamed, false, err)
	}
	return nil
}

func (a *Activities) renderMinutes(req workflows.MinutesRequest) (templates.Rendered, templates.Minutes, error) {
	m := MinutesDocument(a.cur(), req)
	r, err := templates.RenderMinutes(m, templates.RenderOptions{CreationDate: req.Date})
	return r, m, err
}

func (a *Activities) checkMinutes(req workflows.MinutesRequest) error {
	_, _, err := a.renderMinutes(req)
	if err == nil {
		return nil
	}
	id := req.Session.ID + ".minutes"
	bare := req
	bare.Session.Agenda = nil
	if _, _, e := a.renderMinutes(bare); e != nil {
		bare.Session.Title = "Phiên họp"
		_, _, e2 := a.renderMinutes(bare)
		return contentError("minutes", id, nil, e2 == nil, err)
	}
	var blamed []award.AgendaItem
	for _, it := range req.Session.Agenda {
		one := req
		one.Session.Agenda = []award.AgendaItem{it}
		if _, _, e := a.renderMinutes(one); e != nil {
			blamed = append(blamed, it)
		}
	}
	return contentError("minutes", id, blamed, false, err)
}

// asContentError keeps an error that is already a content error, and turns any other
// render error into one (without blame: the check before numbering did the blaming).
func asContentError(kind, docID string, err error) error {
	var ae *temporal.ApplicationError
	if errors.As(err, &ae) && ae.Type() == workflows.ErrDocument {
		return err
	}
	return contentError(kind, docID, nil, false, err)
}

// checkCouncilSubmission renders the council's tờ trình and, when it fails, finds the
// proposals whose own text fails it (each passed nominee alone), as for decisions.
func (a *Activities) checkCouncilSubmission(req workflows.CouncilSubmissionRequest) error {
	_, _, err := a.renderCouncilSubmission(req)
	if err == nil || errors.Is(err, ErrNothingToPropose) {
		return nil
	}
	var blamed, passed []award.AgendaItem
	for _, it := range req.Session.Agenda {
		if req.Session.Results[it.ProposalID].Passed {
			passed = append(passed, it)
		}
	}
	for _, it := range passed {
		one := req
		one.Session.Agenda = []award.AgendaItem{it}
		if _, _, e := a.renderCouncilSubmission(one); e != nil && !errors.Is(e, ErrNothingToPropose) {
			blamed = append(blamed, it)
		}
	}
	if len(blamed) == len(passed) && len(passed) > 1 {
		blamed = nil // every one fails alone: the fault is common to all (the configuration)
	}
	return contentError("council_submission", councilSubmissionID(req.Session.ID), blamed, false, err)
}
