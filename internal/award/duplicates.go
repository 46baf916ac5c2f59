package award

import "strings"

// ProposalRef is what the one-live-proposal rule reads about a proposal: who it
// nominates, for which award and achievement year, and where it stands.
type ProposalRef struct {
	ID          string      `json:"id"`
	Kind        NomineeKind `json:"kind"`
	NomineeID   string      `json:"nominee_id,omitempty"`
	NomineeName string      `json:"nominee_name"`
	AwardType   string      `json:"award_type"`
	Year        int         `json:"year"`
	Stage       Stage       `json:"stage"`
}

// Live reports whether a proposal in stage s still holds its nominee's place for the
// award and year: every stage but those that end without the award (rejected by the
// department, not passed by the council, deleted by the proposer). An awarded proposal stays live: one
// achievement earns one award.
func (s Stage) Live() bool { return s != StageRejected && s != StageNotAwarded && s != StageDeleted }

// sameNominee compares nominees by directory id when both have one, else by folded
// name (a nominee typed as free text must not slip past the rule).
func sameNominee(a, b ProposalRef) bool {
	if a.Kind != b.Kind {
		return false
	}
	if a.NomineeID != "" && b.NomineeID != "" {
		return a.NomineeID == b.NomineeID
	}
	fa, fb := FoldName(a.NomineeName), FoldName(b.NomineeName)
	return fa != "" && fa == fb
}

// CheckOneLiveProposal refuses a proposal when another live proposal nominates the same
// person or unit for the same award type and achievement year (others may include p
// itself, which is skipped by id). The error names the other proposal.
func CheckOneLiveProposal(p ProposalRef, others []ProposalRef) error {
	var hit *ProposalRef
	for i := range others {
		o := &others[i]
		if o.ID == p.ID || !o.Stage.Live() || o.AwardType != p.AwardType || o.Year != p.Year || !sameNominee(p, *o) {
			continue
		}
		if hit == nil || strings.Compare(o.ID, hit.ID) < 0 { // the same answer whatever the order
			hit = o
		}
	}
	if hit == nil {
		return nil
	}
	return Duplicate("“%[1]s” đã có hồ sơ %[2]s đề nghị hình thức này cho năm %[3]d (đang ở bước “%[4]s”)",
		"%[1]s already has proposal %[2]s for this award and year %[3]d (stage %[5]s)",
		p.NomineeName, hit.ID, p.Year, hit.Stage.LabelVI(), string(hit.Stage))
}
