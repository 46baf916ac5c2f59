package activities

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/awardflow/awardflow/internal/award"
	"github.com/awardflow/awardflow/internal/orgconfig"
	"github.com/awardflow/awardflow/workflows"
)

// The quotas over the achievement year (internal/award/quota.go) read the award
// register once, at the count; a tie at a cut under the chair's casting vote reads the
// chair's marks on the tied proposals, and only those, from the chair's sealed ballot.
// Both are reads: a retry reads again, and the workflow keeps the first answer that
// completed (it is in the history).

// titleYear is the year an agenda item's title is entered in the register under
// (achievementYear). It must agree with awardees (records.go), which enters the
// register rows, and with the rule set the documents cite (content.go).
func (a *Activities) titleYear(it award.AgendaItem, asOf time.Time) int {
	return achievementYear(a.cur(), it, asOf)
}

// achievementYear is an agenda item's achievement year: the proposal's, carried on the
// item; on items of older agendas, its movement's year, else the year of asOf in the
// agency's time.
func achievementYear(org *orgconfig.Org, it award.AgendaItem, asOf time.Time) int {
	if it.Year > 0 {
		return it.Year
	}
	if m, ok := org.Movement(it.MovementID); ok && m.Year > 0 {
		return m.Year
	}
	return asOf.In(org.Location()).Year()
}

// ReadQuotaRegister counts, per achievement year of the agenda's proposals, the
// awardees in force (revoked decisions left out) of the award types the quotas name.
// Without a records store the answer says the register is not available, and the
// quotas count the session only (and say so in the minutes).
func (a *Activities) ReadQuotaRegister(ctx context.Context, req workflows.QuotaRegisterRequest) (award.QuotaRegister, error) {
	a, err := a.withOrg(ctx)
	if err != nil {
		return award.QuotaRegister{}, err
	}
	reg := award.QuotaRegister{ReadAt: time.Now().UTC(), Year: a.local(req.At).Year(), Years: map[string]int{}, Counts: []award.YearCount{}}
	var years []int
	for _, it := range req.Agenda {
		y := a.titleYear(it, req.At)
		reg.Years[it.ProposalID] = y
		if !slices.Contains(years, y) {
			years = append(years, y)
		}
	}
	slices.Sort(years)
	if a.Records == nil {
		a.Log.WarnContext(ctx, "no award register: the quotas count this session only", "session", req.SessionID)
		return reg, nil
	}
	for _, y := range years {
		counts, err := a.Records.AwardCounts(ctx, y)
		if err != nil {
			return award.QuotaRegister{}, fmt.Errorf("quota register of %s: %w", req.SessionID, err)
		}
		for _, code := range req.AwardTypes {
			n := 0
			for _, c := range counts { // individuals and collectives of the type
				if c.AwardType == code {
					n += c.Count
				}
			}
			if n > 0 {
				reg.Counts = append(reg.Counts, award.YearCount{AwardType: code, Year: y, Count: n})
			}
		}
	}
	reg.Available = true
	return reg, nil
}

// CastingVote opens the chair's sealed ballot and says which of the requested
// proposals it marked yes — only that: the casting vote needs no more, and the history
// keeps no more. A ballot that cannot be opened or is invalid (it does not mark the
// agenda exactly: it counted for nothing) is not valid, and the tie is re-voted.
func (a *Activities) CastingVote(ctx context.Context, req workflows.CastingRequest) (workflows.CastingResult, error) {
	if a.Ballots == nil {
		return workflows.CastingResult{}, errors.New("no ballot key configured: cannot open the chair's ballot")
	}
	out := workflows.CastingResult{Yes: []string{}}
	if req.Sealed == "" {
		return out, nil
	}
	marks, err := a.Ballots.Open(req.SessionID, req.Sealed)
	if err != nil {
		a.Log.WarnContext(ctx, "the chair's ballot could not be opened for the casting vote", "session", req.SessionID)
		return out, nil
	}
	s := award.Session{ID: req.SessionID, Agenda: req.Agenda}
	if s.CheckMarks(marks) != nil {
		return out, nil
	}
	out.Valid = true
	for _, id := range req.ProposalIDs {
		if marks[id] == award.Yes {
			out.Yes = append(out.Yes, id)
		}
	}
	return out, nil
}
