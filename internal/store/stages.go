package store

import (
	"context"
	"fmt"
)

// ProposalsByStage counts the proposals of the projection in each stage (the metrics'
// awardflow_proposals gauge).
func (s *Store) ProposalsByStage(ctx context.Context) (map[string]int, error) {
	rows, err := s.query(ctx, s.db, `SELECT stage, COUNT(*) FROM projection WHERE kind = ? GROUP BY stage`, KindProposal)
	if err != nil {
		return nil, fmt.Errorf("count proposals by stage: %w", err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var stage string
		var n int
		if err := rows.Scan(&stage, &n); err != nil {
			return nil, fmt.Errorf("count proposals by stage: %w", err)
		}
		out[stage] = n
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("count proposals by stage: %w", err)
	}
	return out, nil
}
