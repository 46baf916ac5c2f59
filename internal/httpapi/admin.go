package httpapi

import (
	"net/http"
	"strings"
	"time"

	"github.com/awardflow/awardflow/internal/award"
	"github.com/awardflow/awardflow/internal/orgconfig"
)

// The admin pages' read-only view of what the organisation YAML holds: who signs the
// decisions (agency.decision.signer and its delegations to deputies), who reviews the
// heads' own proposals, and the award types of the rule set in force, each rule in
// words (internal/award/admin.go). Editing these lives in the YAML; the directory's
// people and units are edited through /api/v1/directory.

type adminRuleSetOut struct {
	ID                string `json:"id"`
	Label             string `json:"label"`     // the citation: "Luật Thi đua, khen thưởng 2022; Nghị định 152/2025/NĐ-CP …"
	Effective         string `json:"effective"` // YYYY-MM-DD, the agency's date
	EffectiveVerified bool   `json:"effective_verified"`
	FromYear          int    `json:"from_year"` // the first achievement year it judges
	InForce           bool   `json:"in_force"`
}

type adminTypeOut struct {
	Code           string `json:"code"`
	Name           string `json:"name"`
	KindsLabel     string `json:"kinds_label"`
	AuthorityLabel string `json:"authority_label"`
	VoteText       string `json:"vote_text"`
	QuotaText      string `json:"quota_text,omitempty"`
	BonusText      string `json:"bonus_text"`
	Citation       string `json:"citation"`
	BonusCitation  string `json:"bonus_citation,omitempty"`
	BonusVerified  bool   `json:"bonus_verified"`
	Annual         bool   `json:"annual"`
	SignerLabel    string `json:"signer_label"` // who signs its decisions
}

type adminSignerOut struct {
	Kind        string        `json:"kind"` // decision (the head) or delegation (a deputy, K/T)
	KindLabel   string        `json:"kind_label"`
	Person      string        `json:"person"`
	PersonLabel string        `json:"person_label"`
	Active      bool          `json:"active"` // false: deactivated or not in the directory
	Signature   string        `json:"signature"`
	AwardTypes  []award.Label `json:"award_types"` // empty for the head: every type not delegated
}

type adminRulesOut struct {
	AsOf       string            `json:"as_of"` // the agency's date today
	RuleSet    *adminRuleSetOut  `json:"rule_set,omitempty"`
	RuleSets   []adminRuleSetOut `json:"rule_sets"`
	AwardTypes []adminTypeOut    `json:"award_types"`
	Signers    []adminSignerOut  `json:"signers"`
	Reviewers  []award.Label     `json:"head_proposal_reviewers"` // code: person id, label: the person
}

// adminRules answers GET /api/v1/admin/rules (admins only).
func (s *Server) adminRules(w http.ResponseWriter, r *http.Request, a award.Actor) error {
	if err := award.CanAdminister(a); err != nil {
		return err
	}
	org, err := s.orgOf(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, adminRules(org, s.Now()))
	return nil
}

// adminRules builds the view of org at now.
func adminRules(org *orgconfig.Org, now time.Time) adminRulesOut {
	loc := org.Location()
	l := labeler{org: org}
	person := func(id string) (string, bool) {
		p, ok := org.Anyone(id)
		if !ok {
			return id + " (không có trong danh bạ)", false
		}
		return award.PersonLabel(p.Name, p.Position, l.department(p.Department)), !p.Inactive
	}
	out := adminRulesOut{AsOf: now.In(loc).Format(time.DateOnly)}
	inForce, found := award.RuleSetAt(org.RuleSets, now)
	for _, rs := range org.RuleSets {
		v := adminRuleSetOut{ID: rs.ID, Label: rs.Citation, Effective: rs.Effective.In(loc).Format(time.DateOnly),
			EffectiveVerified: rs.EffectiveVerified, FromYear: rs.FirstYear(), InForce: found && rs.ID == inForce.ID}
		out.RuleSets = append(out.RuleSets, v)
		if v.InForce {
			out.RuleSet = &v
		}
	}

	dc := org.Agency.Decision
	signature := func(parts ...string) string {
		var keep []string
		for _, p := range parts {
			if p = strings.TrimSpace(p); p != "" {
				keep = append(keep, p)
			}
		}
		return strings.Join(keep, " ")
	}
	headLabel, headActive := person(dc.Signer)
	out.Signers = append(out.Signers, adminSignerOut{Kind: "decision", KindLabel: "Người ký quyết định", Person: dc.Signer,
		PersonLabel: headLabel, Active: headActive, Signature: signature(dc.Prefix, dc.Body, dc.Title)})
	signerOf := map[string]string{}
	for _, d := range dc.Delegations {
		label, active := person(d.Signer)
		v := adminSignerOut{Kind: "delegation", KindLabel: "Cấp phó ký thay", Person: d.Signer, PersonLabel: label,
			Active: active, Signature: signature(d.Prefix, d.Body, d.Title)}
		for _, code := range d.AwardTypes {
			v.AwardTypes = append(v.AwardTypes, award.Label{Code: code, Label: l.awardType(code)})
			signerOf[code] = label
		}
		out.Signers = append(out.Signers, v)
	}
	for _, id := range org.Agency.HeadProposalReviewers {
		label, _ := person(id)
		out.Reviewers = append(out.Reviewers, award.Label{Code: id, Label: label})
	}
	if found {
		for _, t := range inForce.Types {
			var quota string
			if t.Vote.Quota != nil {
				quota = award.QuotaText(t.Vote.Quota, l.awardType(t.Vote.Quota.OfAwardType))
			}
			signer, ok := signerOf[t.Code]
			if !ok {
				signer = headLabel
			}
			out.AwardTypes = append(out.AwardTypes, adminTypeOut{Code: t.Code, Name: t.Name, KindsLabel: award.KindsText(t),
				AuthorityLabel: t.Authority.LabelVI(), VoteText: award.VoteRuleText(t.Vote), QuotaText: quota,
				BonusText: award.BonusText(t), Citation: t.Citation, BonusCitation: t.BonusCitation,
				BonusVerified: t.BonusVerified, Annual: t.Annual, SignerLabel: signer})
		}
	}
	return out
}
