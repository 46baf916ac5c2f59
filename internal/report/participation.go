package report

import (
	"io"
	"slices"
	"strconv"

	"github.com/awardflow/awardflow/internal/orgconfig"
	"github.com/awardflow/awardflow/internal/store"
)

// Participation is how many took part in a movement: registrations in force (people and
// units; a registration covers the whole movement, whatever the year), proposals of the
// year naming it (filed, drafts left out), and awardees of the year in decisions in force
// whose proposal names it.
type Participation struct {
	Registered int `json:"registered"`
	Proposed   int `json:"proposed"`
	Awarded    int `json:"awarded"`
}

func (p *Participation) add(o Participation) {
	p.Registered += o.Registered
	p.Proposed += o.Proposed
	p.Awarded += o.Awarded
}

// UnitParticipation is a unit's line of a movement.
type UnitParticipation struct {
	ID    string `json:"id"`
	Label string `json:"label"`
	Participation
}

// MovementRow is one movement's participation, per unit and in total.
type MovementRow struct {
	ID          string              `json:"id"`
	Name        string              `json:"name"`
	PeriodLabel string              `json:"period_label,omitempty"`
	Units       []UnitParticipation `json:"units"`
	Total       Participation       `json:"total"`
}

// buildMovements arranges the store's participation cells (store.MovementParticipation):
// every configured movement whose period meets the year, in the organisation's order,
// and any other with a figure (an unknown code after them, by code); units in the
// directory's order, unknown ones after them by id, units with nothing left out.
func buildMovements(year int, cells []store.ParticipationStat, org *orgconfig.Org) []MovementRow {
	byMovement := map[string]map[string]Participation{}
	for _, c := range cells {
		m := byMovement[c.Movement]
		if m == nil {
			m = map[string]Participation{}
			byMovement[c.Movement] = m
		}
		p := m[c.UnitID]
		p.add(Participation{Registered: c.Registered, Proposed: c.Proposed, Awarded: c.Awarded})
		m[c.UnitID] = p
	}
	row := func(id, name, period string) MovementRow {
		r := MovementRow{ID: id, Name: name, PeriodLabel: period, Units: []UnitParticipation{}}
		units := byMovement[id]
		seen := map[string]bool{}
		for _, d := range org.Departments {
			if p, ok := units[d.ID]; ok {
				r.Units = append(r.Units, UnitParticipation{ID: d.ID, Label: d.Name, Participation: p})
				seen[d.ID] = true
			}
		}
		var rest []string
		for u := range units {
			if !seen[u] {
				rest = append(rest, u)
			}
		}
		slices.Sort(rest)
		for _, u := range rest {
			label := u
			if u == "" {
				label = NoUnit
			}
			r.Units = append(r.Units, UnitParticipation{ID: u, Label: label, Participation: units[u]})
		}
		for _, u := range r.Units {
			r.Total.add(u.Participation)
		}
		return r
	}
	out := []MovementRow{}
	known := map[string]bool{}
	for _, m := range org.Movements {
		known[m.ID] = true
		meets := (m.Start.IsZero() || m.Start.Year() <= year) && (m.End.IsZero() || m.End.Year() >= year)
		if _, has := byMovement[m.ID]; !meets && !has {
			continue
		}
		out = append(out, row(m.ID, m.Name, m.PeriodLabelVI()))
	}
	var unknown []string
	for id := range byMovement {
		if !known[id] {
			unknown = append(unknown, id)
		}
	}
	slices.Sort(unknown)
	for _, id := range unknown {
		out = append(out, row(id, id, ""))
	}
	return out
}

// The movements' table both encoders share: one line per movement and unit, then the
// movement's total.
var movementHeader = []string{"Năm", "Mã phong trào", "Phong trào thi đua", "Mã đơn vị", "Đơn vị", "Đăng ký thi đua", "Được đề nghị", "Được khen thưởng"}

// MovementTotalLabel names a movement's total line.
const MovementTotalLabel = "Cộng phong trào"

func (s Statistics) movementLines() [][]string {
	var out [][]string
	for _, m := range s.Movements {
		line := func(id, label string, p Participation) []string {
			return []string{strconv.Itoa(s.Year), m.ID, m.Name, id, label,
				strconv.Itoa(p.Registered), strconv.Itoa(p.Proposed), strconv.Itoa(p.Awarded)}
		}
		for _, u := range m.Units {
			out = append(out, line(u.ID, u.Label, u.Participation))
		}
		out = append(out, line("", MovementTotalLabel, m.Total))
	}
	return out
}

// WriteMovementsCSV writes the movements' participation as CSV, like WriteCSV: a header,
// a line per movement and unit, and a total line per movement (unit code empty, unit
// "Cộng phong trào").
func (s Statistics) WriteMovementsCSV(w io.Writer) error {
	return writeCSV(w, movementHeader, s.movementLines(), 5)
}
