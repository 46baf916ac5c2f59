package activities

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"go.temporal.io/sdk/temporal"

	"github.com/awardflow/awardflow/internal/award"
	"github.com/awardflow/awardflow/internal/obs"
	"github.com/awardflow/awardflow/internal/store"
	"github.com/awardflow/awardflow/workflows"
)

// The award register: every issued document is entered in the records store in the same
// activity that stores its file, so that who received what, and which file is genuine
// (verify, by SHA-256), outlive the workflows' retention. A retried activity stores the
// same bytes (rendering and signing are deterministic) and records the same row once.

// ErrRegisterConflict is the type of the non-retryable error of a write that reuses a
// register key (document id, SHA-256, number) with other content: a bug or an attack,
// never a reason to retry.
const ErrRegisterConflict = "RegisterConflict"

// record enters d in the award register. Without a records store (older wiring, unit
// tests of rendering) nothing is written.
func (a *Activities) record(ctx context.Context, d store.Document) error {
	if a.Records == nil {
		return nil
	}
	err := a.Records.RecordDocument(ctx, d)
	switch {
	case errors.Is(err, store.ErrConflict):
		return temporal.NewNonRetryableApplicationError(fmt.Sprintf("register %s: %v", d.ID, err), ErrRegisterConflict, err)
	case err != nil:
		return fmt.Errorf("register %s: %w", d.ID, err)
	}
	obs.DocumentIssued(d.Kind)
	return nil
}

// series names a register: the issuer's code and the document type, "BTGTU/QĐ".
func series(code, docType string) string { return code + "/" + docType }

// periodOr is the register's period, or the year for requests that predate periods.
func periodOr(period string, at time.Time) string {
	if period != "" {
		return period
	}
	return strconv.Itoa(at.Year())
}

// awardees are the register's rows for the people and collectives a document names,
// with the bonus each receives (the coefficient of their kind in the rule set of the
// title's year × the base salary in force on asOf, rounded as configured) and the year
// of the title (titleYear: the proposal's, else the movement's, else the year of asOf).
func (a *Activities) awardees(items []award.AgendaItem, asOf time.Time) []store.Awardee {
	ag := a.cur().Agency
	out := make([]store.Awardee, 0, len(items))
	for _, it := range items {
		r := store.Awardee{ProposalID: it.ProposalID, PersonID: it.NomineeID, UnitID: it.Department,
			NomineeName: it.NomineeName, Kind: string(it.Kind), AwardType: it.AwardType, Year: a.titleYear(it, asOf)}
		if r.Kind == "" {
			r.Kind = string(award.KindIndividual)
		}
		t, ok := a.cur().AwardTypeForYear(it.AwardType, r.Year)
		if !ok { // removed by the year's set: a session opened before sets carried types
			t, ok = a.cur().AwardType(it.AwardType)
		}
		if ok {
			if base, ok := award.BaseSalaryAt(ag.BaseSalaries, asOf); ok && t.Coefficient(it.Kind) > 0 {
				r.Amount = award.Bonus(t.Coefficient(it.Kind), base.Amount, ag.BonusRoundUpTo)
			}
		}
		out = append(out, r)
	}
	return out
}

// recordPending enters an issued decision or submission of the lifecycle.
func (a *Activities) recordPending(ctx context.Context, req workflows.DocumentRequest, ref award.DocumentRef) error {
	doc := req.Document
	kind, dt := store.KindDecision, workflows.DocDecision
	if doc.Kind == award.DocKindSubmission {
		kind, dt = store.KindSubmission, workflows.DocSubmission
	}
	return a.record(ctx, store.Document{
		ID: doc.ID, SessionID: req.SessionID, Kind: kind, AwardType: doc.AwardType,
		RegisterSeries: series(a.cur().Agency.Code, dt), RegisterPeriod: periodOr(req.Period, a.local(req.Date)),
		Number: req.Number, NumberText: ref.NumberText, IssuedAt: req.Date,
		SignerID: doc.Signer.ID, SignerName: doc.Signer.Name,
		Key: ref.Key, SHA256: ref.SHA256, Size: ref.Size,
		Awardees: a.awardees(req.Items, doc.SignedAt),
	})
}

// chairOf is the council chair of a session.
func chairOf(s award.Session) award.Member {
	for _, m := range s.Members {
		if m.Role == award.RoleChair {
			return m
		}
	}
	return award.Member{}
}
