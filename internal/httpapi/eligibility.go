package httpapi

import (
	"context"
	"errors"
	"fmt"

	"github.com/awardflow/awardflow/internal/award"
	"github.com/awardflow/awardflow/internal/eligibility"
	"github.com/awardflow/awardflow/internal/orgconfig"
	"github.com/awardflow/awardflow/internal/store"
)

// proposalYear is a proposal's achievement year: the year its list row records (the
// workflow's), else its movement's, else the year it was filed on the agency's clock.
func (s *Server) proposalYear(ctx context.Context, org *orgconfig.Org, p *award.Proposal) (int, error) {
	if s.Records != nil {
		row, err := s.Records.Projection(ctx, p.ID)
		switch {
		case err == nil && row.Year > 0:
			return row.Year, nil
		case err != nil && !errors.Is(err, store.ErrNotFound):
			return 0, err
		}
	}
	if m, ok := org.Movement(p.MovementID); ok && m.Year > 0 {
		return m.Year, nil
	}
	return p.CreatedAt.In(org.Location()).Year(), nil
}

// judge evaluates a proposal's nominee: an individual by their directory id, a
// collective as the unit (department) it is filed for.
func (s *Server) judge(ctx context.Context, org *orgconfig.Org, p *award.Proposal) (eligibility.Judgement, error) {
	year, err := s.proposalYear(ctx, org, p)
	if err != nil {
		return eligibility.Judgement{}, err
	}
	return s.judgeYear(ctx, org, p, year)
}

// judgeYear is judge for a proposal whose achievement year is known.
func (s *Server) judgeYear(ctx context.Context, org *orgconfig.Org, p *award.Proposal, year int) (eligibility.Judgement, error) {
	id := p.NomineeID
	if p.Kind == award.KindCollective {
		id = p.Department
	}
	j, err := eligibility.Judge(ctx, s.Records, org, eligibility.Subject{Kind: p.Kind, NomineeID: id, Name: p.NomineeName,
		AwardType: p.AwardType, Year: year})
	if err != nil {
		return j, fmt.Errorf("eligibility of %s: %w", p.ID, err)
	}
	return j, nil
}

// checkOneLive refuses a draft whose nominee already has a live proposal for the same
// award and year (award.CheckOneLiveProposal), read from the records store's lists.
// Without a store there is nothing to read and nothing is refused.
func (s *Server) checkOneLive(ctx context.Context, id string, d award.Draft, year int) error {
	if s.Records == nil {
		return nil
	}
	f := store.Filter{Scope: award.ListScope{All: true}, AwardType: d.AwardType, Year: year, Department: d.Department}
	if d.Kind == award.KindIndividual && d.NomineeID != "" {
		f.Department, f.NomineeID = "", d.NomineeID
	}
	var others []award.ProposalRef
	page := store.Page{Limit: 200}
	for {
		res, err := s.Records.ListProposals(ctx, f, store.Sort{Field: store.SortCreated}, page)
		if err != nil {
			return fmt.Errorf("check one live proposal: %w", err)
		}
		for _, row := range res.Items {
			others = append(others, award.ProposalRef{ID: row.WorkflowID, Kind: award.NomineeKind(row.NomineeKind), NomineeID: row.NomineeID,
				NomineeName: row.NomineeName, AwardType: row.AwardType, Year: row.Year, Stage: award.Stage(row.Stage)})
		}
		if res.Next == "" {
			break
		}
		page.After = res.Next
	}
	return award.CheckOneLiveProposal(award.ProposalRef{ID: id, Kind: d.Kind, NomineeID: d.NomineeID, NomineeName: d.NomineeName,
		AwardType: d.AwardType, Year: year, Stage: award.StageDraft}, others)
}

// filed reports whether the records store lists a proposal of that id.
func (s *Server) filed(ctx context.Context, id string) bool {
	if s.Records == nil {
		return false
	}
	_, err := s.Records.Projection(ctx, id)
	return err == nil
}
