package workflows

import (
	"fmt"
	"slices"
	"time"

	"go.temporal.io/sdk/workflow"

	"github.com/awardflow/awardflow/internal/award"
)

// Quotas over the achievement year (award/quota.go): at the count the session reads
// the award register's figures for the year once, through an activity (its result is
// in the history, so a replay counts the same figures), and keeps them; and when a tie
// at a quota's cut is to be settled by the chair's casting vote, an activity opens the
// chair's ballot and returns the chair's marks on the tied proposals only.

// versionQuotaYear marks the change that made quotas count the achievement year (the
// register) and settle ties by the configured rule. Sessions counted before it replay
// with the old rule: this session only, ties at the cut dropped.
const versionQuotaYear = "quota-year"

// Activities of the quotas.
const (
	ActivityReadQuotaRegister = "ReadQuotaRegister"
	ActivityCastingVote       = "CastingVote"
)

// QuotaRegisterRequest asks for the award register's figures the quotas of a session
// count: the awardees in force of the given award types, per achievement year of the
// agenda's proposals.
type QuotaRegisterRequest struct {
	SessionID string             `json:"session_id"`
	Agenda    []award.AgendaItem `json:"agenda"`
	// At is when the session was counted: the achievement year of a proposal without a
	// movement year is the year of At in the agency's time (as the register enters it).
	At         time.Time `json:"at"`
	AwardTypes []string  `json:"award_types"`
}

// CastingRequest asks for the chair's marks on the proposals tied at a quota's cut,
// from the chair's sealed ballot. An invalid ballot (or none) gives no marks.
type CastingRequest struct {
	SessionID   string             `json:"session_id"`
	Agenda      []award.AgendaItem `json:"agenda"`
	Sealed      string             `json:"sealed"` // the chair's ballot; "" when the chair did not vote
	ProposalIDs []string           `json:"proposal_ids"`
}

// CastingResult says which of the requested proposals the chair's ballot marked yes —
// nothing else: not how it marked the others (no or abstain), nor anything about the
// proposals not requested. Valid is false when the ballot could not be read or was
// invalid: the tie is then re-voted.
type CastingResult struct {
	Valid bool     `json:"valid"`
	Yes   []string `json:"yes"`
}

// quotaTypes lists the award types whose register figures the countable quotas need:
// each capped type and the type it counts, in a fixed order.
func quotaTypes(s *award.Session) []string {
	var out []string
	for _, code := range s.AwardTypes() {
		q := s.Rules[code].Quota
		if q == nil || !s.QuorumMet(code) {
			continue
		}
		for _, c := range []string{code, q.OfAwardType} {
			if !slices.Contains(out, c) {
				out = append(out, c)
			}
		}
	}
	slices.Sort(out)
	return out
}

// readQuotaRegister reads the register's figures for the session's quotas, if it has
// any to count, and keeps them in the session (with the award types' names for the
// facts the minutes print).
func readQuotaRegister(ctx, actx workflow.Context, s *award.Session, in SessionInput) error {
	codes := quotaTypes(s)
	if len(codes) == 0 {
		return nil
	}
	var reg award.QuotaRegister
	req := QuotaRegisterRequest{SessionID: s.ID, Agenda: s.Agenda, At: s.ClosedAt, AwardTypes: codes}
	if err := workflow.ExecuteActivity(actx, ActivityReadQuotaRegister, req).Get(ctx, &reg); err != nil {
		return fmt.Errorf("read the award register for the quotas: %w", err)
	}
	reg.Names = map[string]string{}
	for _, c := range codes {
		if t, ok := in.AwardTypes[c]; ok && t.Name != "" {
			reg.Names[c] = t.Name
		}
	}
	s.QuotaRegister = &reg
	return nil
}

// castingVote settles ties at a quota's cut by the chair's ballot, when the rule says
// so: only the tied proposals' marks come back, and the session is judged again.
func castingVote(ctx, actx workflow.Context, s *award.Session) error {
	need := s.CastingNeeded()
	if len(need) == 0 {
		return nil
	}
	req := CastingRequest{SessionID: s.ID, Agenda: s.Agenda, ProposalIDs: need}
	if i := s.ChairBallot(); i >= 0 {
		req.Sealed = s.Sealed[i]
	}
	var res CastingResult
	if req.Sealed != "" {
		if err := workflow.ExecuteActivity(actx, ActivityCastingVote, req).Get(ctx, &res); err != nil {
			return fmt.Errorf("read the chair's casting vote: %w", err)
		}
	}
	marks := map[string]award.Choice{}
	if res.Valid {
		for _, id := range need { // nothing but the tied, whatever came back
			marks[id] = award.No // "not yes": no or abstain, the casting vote does not tell
			if slices.Contains(res.Yes, id) {
				marks[id] = award.Yes
			}
		}
	}
	s.SetCasting(marks)
	return nil
}
