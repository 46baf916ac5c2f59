package store

import (
	"cmp"
	"context"
	"fmt"
	"slices"
)

// ParticipationStat is one cell of a movement's participation: in one unit, the
// registrations in force (people and the unit itself), the proposals of the year that
// name the movement and were filed (drafts left out), and the awardees of the year in
// decisions in force whose proposal names the movement.
type ParticipationStat struct {
	Movement   string
	UnitID     string
	Registered int
	Proposed   int
	Awarded    int
}

// MovementParticipation breaks each movement's participation in year down by unit:
// registrations (a movement's, whatever the year: one registration covers the
// movement), proposals of the year naming it (by the proposal's department; drafts are
// not yet proposed), and awardees of the year's decisions in force (revoked decisions
// or awardees, and submissions upward, left out, as in AwardStatistics) whose proposal names it (by
// the awardee's unit). Ordered by movement, unit.
// The three counts of MovementParticipation (constants, so the schema test sees them).
const (
	participationRegistrations = `SELECT movement_id, unit_id, COUNT(*) FROM movement_registrations
		WHERE withdrawn = FALSE GROUP BY movement_id, unit_id`
	participationProposals = `SELECT movement, department, COUNT(*) FROM projection
		WHERE kind = 'proposal' AND movement <> '' AND year = ? AND stage <> 'draft' GROUP BY movement, department`
	participationAwardees = `SELECT p.movement, a.unit_id, COUNT(*)
		FROM awardees a JOIN documents d ON d.id = a.document_id` + revokedJoin + `
		JOIN projection p ON p.workflow_id = a.proposal_id AND p.kind = 'proposal'
		WHERE a.year = ? AND d.kind = 'decision' AND ` + inForce + ` AND p.movement <> ''
		GROUP BY p.movement, a.unit_id`
)

func (s *Store) MovementParticipation(ctx context.Context, year int) ([]ParticipationStat, error) {
	cells := map[[2]string]*ParticipationStat{}
	var order [][2]string
	add := func(movement, unit string, reg, prop, awd int) {
		k := [2]string{movement, unit}
		c := cells[k]
		if c == nil {
			c = &ParticipationStat{Movement: movement, UnitID: unit}
			cells[k] = c
			order = append(order, k)
		}
		c.Registered += reg
		c.Proposed += prop
		c.Awarded += awd
	}
	type part struct {
		what  string
		query string
		args  []any
		put   func(m, u string, n int)
	}
	parts := []part{
		{"registrations", participationRegistrations, nil,
			func(m, u string, n int) { add(m, u, n, 0, 0) }},
		{"proposals", participationProposals, []any{year},
			func(m, u string, n int) { add(m, u, 0, n, 0) }},
		{"awardees", participationAwardees, []any{year},
			func(m, u string, n int) { add(m, u, 0, 0, n) }},
	}
	for _, p := range parts {
		rows, err := s.query(ctx, s.db, p.query, p.args...)
		if err != nil {
			return nil, fmt.Errorf("movement participation %d (%s): %w", year, p.what, err)
		}
		for rows.Next() {
			var m, u string
			var n int
			if err := rows.Scan(&m, &u, &n); err != nil {
				rows.Close()
				return nil, fmt.Errorf("movement participation %d (%s): %w", year, p.what, err)
			}
			p.put(m, u, n)
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return nil, fmt.Errorf("movement participation %d (%s): %w", year, p.what, err)
		}
	}
	out := make([]ParticipationStat, 0, len(order))
	for _, k := range order {
		out = append(out, *cells[k])
	}
	slicesSortParticipation(out)
	return out, nil
}

func slicesSortParticipation(out []ParticipationStat) {
	slices.SortFunc(out, func(a, b ParticipationStat) int {
		return cmp.Or(cmp.Compare(a.Movement, b.Movement), cmp.Compare(a.UnitID, b.UnitID))
	})
}
