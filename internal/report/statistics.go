// Package report builds the yearly statistics of emulation and commendation that an
// agency reports upward (Luật Thi đua, khen thưởng 2022 Điều 89 k2: the database and the
// reporting it calls for): per award form, individual or collective, and unit, the
// number of awardees and the money, from the award register. It also writes them as
// XLSX and CSV. No I/O of its own: callers give the register's figures and a writer.
package report

import (
	"slices"

	"github.com/awardflow/awardflow/internal/award"
	"github.com/awardflow/awardflow/internal/orgconfig"
	"github.com/awardflow/awardflow/internal/store"
)

// Cell is a number of awardees and their bonuses.
type Cell struct {
	Count  int   `json:"count"`
	Amount int64 `json:"amount"` // đồng
}

func (c *Cell) add(o Cell) { c.Count += o.Count; c.Amount += o.Amount }

// Unit is a column of the statistics.
type Unit struct {
	ID    string `json:"id"`
	Label string `json:"label"`
}

// Row is one award form for one kind of nominee.
type Row struct {
	AwardType      string            `json:"award_type"`
	AwardTypeLabel string            `json:"award_type_label"`
	Kind           award.NomineeKind `json:"kind"`
	KindLabel      string            `json:"kind_label"`
	ByUnit         map[string]Cell   `json:"by_unit"`
	Total          Cell              `json:"total"`
}

// Statistics is a year's table: rows of award forms and kinds, columns of units.
type Statistics struct {
	Year   int             `json:"year"`
	Agency string          `json:"agency"`
	Units  []Unit          `json:"units"`
	Rows   []Row           `json:"rows"`
	ByUnit map[string]Cell `json:"by_unit"`
	Total  Cell            `json:"total"`
	// Movements is each movement's participation (registered, proposed, awarded).
	Movements []MovementRow `json:"movements"`
}

// NoUnit labels awardees whose unit the register does not know.
const NoUnit = "Không xác định đơn vị"

// Build arranges the register's figures for year (store.AwardStatistics) as the table:
// award forms in the order the organisation lists them (unknown codes after them, by
// code), individuals before collectives; units in the directory's order, those with no
// award left out, unknown ones after them. The movements' participation
// (store.MovementParticipation) is arranged by buildMovements.
func Build(year int, stats []store.AwardStat, participation []store.ParticipationStat, org *orgconfig.Org) Statistics {
	out := Statistics{Year: year, Agency: org.Agency.FullName, ByUnit: map[string]Cell{}, Rows: []Row{}, Units: []Unit{},
		Movements: buildMovements(year, participation, org)}
	if out.Agency == "" {
		out.Agency = org.Agency.Name
	}
	typeRank := map[string]int{}
	for i, t := range org.AwardTypes {
		typeRank[t.Code] = i
	}
	rank := func(code string) int {
		if r, ok := typeRank[code]; ok {
			return r
		}
		return len(typeRank)
	}
	rows := map[[2]string]*Row{}
	for _, s := range stats {
		k := [2]string{s.AwardType, s.Kind}
		r := rows[k]
		if r == nil {
			label := s.AwardType
			if t, ok := org.AwardType(s.AwardType); ok {
				label = t.Name
			}
			kind := award.NomineeKind(s.Kind)
			r = &Row{AwardType: s.AwardType, AwardTypeLabel: label, Kind: kind, KindLabel: kind.LabelVI(), ByUnit: map[string]Cell{}}
			rows[k] = r
		}
		c := Cell{Count: s.Count, Amount: s.Amount}
		cell := r.ByUnit[s.UnitID]
		cell.add(c)
		r.ByUnit[s.UnitID] = cell
		r.Total.add(c)
		u := out.ByUnit[s.UnitID]
		u.add(c)
		out.ByUnit[s.UnitID] = u
		out.Total.add(c)
	}
	for _, r := range rows {
		out.Rows = append(out.Rows, *r)
	}
	slices.SortFunc(out.Rows, func(a, b Row) int {
		if d := rank(a.AwardType) - rank(b.AwardType); d != 0 {
			return d
		}
		if a.AwardType != b.AwardType {
			return compare(a.AwardType, b.AwardType)
		}
		return compare(kindOrder(a.Kind), kindOrder(b.Kind))
	})
	seen := map[string]bool{}
	for _, d := range org.Departments {
		if _, ok := out.ByUnit[d.ID]; ok {
			out.Units = append(out.Units, Unit{ID: d.ID, Label: d.Name})
			seen[d.ID] = true
		}
	}
	var rest []string
	for id := range out.ByUnit {
		if !seen[id] {
			rest = append(rest, id)
		}
	}
	slices.Sort(rest)
	for _, id := range rest {
		label := id
		if id == "" {
			label = NoUnit
		}
		out.Units = append(out.Units, Unit{ID: id, Label: label})
	}
	return out
}

func kindOrder(k award.NomineeKind) string {
	if k == award.KindIndividual {
		return "0"
	}
	return "1" + string(k)
}

func compare(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
