package report

import (
	"bytes"
	"encoding/csv"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/awardflow/awardflow/internal/store"
)

// Whatever the store counts, in whatever order: every movement with a figure is listed
// once (configured ones in the organisation's order, unknown codes after them), every
// cell lands in its unit's line, each movement's total is its lines' sum, and the JSON,
// the CSV and the XLSX carry the same numbers; a name never becomes a formula.
func TestMovementParticipationAddsUp(t *testing.T) {
	org := demo(t)
	org.Movements[0].Name = "=HYPERLINK(\"http://x\")" // poison a label
	moves := []string{"zzz-old"}
	for _, m := range org.Movements {
		moves = append(moves, m.ID)
	}
	units := []string{"", "@evil", "dagiaithe"}
	for _, d := range org.Departments {
		units = append(units, d.ID)
	}
	r := rand.New(rand.NewPCG(21, 22))
	for range 200 {
		seen := map[[2]string]bool{}
		var cells []store.ParticipationStat
		want := map[string]Participation{}
		for range r.IntN(25) {
			c := store.ParticipationStat{Movement: moves[r.IntN(len(moves))], UnitID: units[r.IntN(len(units))],
				Registered: r.IntN(9), Proposed: r.IntN(5), Awarded: r.IntN(3)}
			k := [2]string{c.Movement, c.UnitID}
			if seen[k] {
				continue
			}
			seen[k] = true
			cells = append(cells, c)
			w := want[c.Movement]
			w.add(Participation{c.Registered, c.Proposed, c.Awarded})
			want[c.Movement] = w
		}
		year := 2020 + r.IntN(8)
		st := Build(year, nil, cells, org)
		listed := map[string]bool{}
		for i, m := range st.Movements {
			if listed[m.ID] {
				t.Fatalf("movement %s listed twice", m.ID)
			}
			listed[m.ID] = true
			var sum Participation
			for _, u := range m.Units {
				sum.add(u.Participation)
			}
			if sum != m.Total || m.Total != want[m.ID] {
				t.Fatalf("%s: lines sum to %+v, total %+v, the store %+v", m.ID, sum, m.Total, want[m.ID])
			}
			if i > 0 && m.ID == "zzz-old" && st.Movements[i-1].ID == "zzz-old" {
				t.Fatal("unknown movement twice")
			}
		}
		for id := range want {
			if !listed[id] {
				t.Fatalf("movement %s has figures but is not listed", id)
			}
		}
		if n := len(st.Movements); n > 0 && listed["zzz-old"] && st.Movements[n-1].ID != "zzz-old" {
			t.Fatalf("the unknown movement is not last: %+v", st.Movements)
		}
		for _, m := range org.Movements {
			meets := m.Start.Year() <= year && m.End.Year() >= year
			if meets && !listed[m.ID] {
				t.Fatalf("%d: movement %s runs that year but is not listed", year, m.ID)
			}
		}

		// CSV and XLSX: every unit line sums to the movement's total line.
		var cb bytes.Buffer
		if err := st.WriteMovementsCSV(&cb); err != nil {
			t.Fatal(err)
		}
		lines, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(cb.Bytes(), []byte("\ufeff")))).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if strings.Join(lines[0], "|") != strings.Join(movementHeader, "|") {
			t.Fatalf("header %v", lines[0])
		}
		var xb bytes.Buffer
		if err := st.WriteXLSX(&xb); err != nil {
			t.Fatal(err)
		}
		f, err := excelize.OpenReader(&xb)
		if err != nil {
			t.Fatal(err)
		}
		rows, err := f.GetRows(SheetMovements)
		if err != nil {
			t.Fatal(err)
		}
		for i := range rows {
			for col := 2; col <= 5; col++ {
				cell, _ := excelize.CoordinatesToCellName(col, i+1)
				if formula, _ := f.GetCellFormula(SheetMovements, cell); formula != "" {
					t.Fatalf("a formula in %s: %q", cell, formula)
				}
			}
		}
		for name, body := range map[string][][]string{"csv": lines[1:], "xlsx": rows[1:]} {
			got := map[string]Participation{}
			totals := map[string]Participation{}
			for _, l := range body {
				for _, text := range l[1:5] {
					if name == "csv" && text != "" && strings.ContainsRune("=+-@", rune(text[0])) {
						t.Fatalf("%s: a formula-like cell %q", name, text)
					}
				}
				n := func(i int) int { v, _ := strconv.Atoi(l[i]); return v }
				p := Participation{n(5), n(6), n(7)}
				if l[3] == "" && l[4] == MovementTotalLabel {
					totals[l[1]] = p
					continue
				}
				g := got[l[1]]
				g.add(p)
				got[l[1]] = g
			}
			for _, m := range st.Movements {
				if got[m.ID] != m.Total || totals[m.ID] != m.Total {
					t.Fatalf("%s %s: lines %+v, total line %+v, table %+v", name, m.ID, got[m.ID], totals[m.ID], m.Total)
				}
			}
			if len(totals) != len(st.Movements) {
				t.Fatalf("%s: %d total lines, %d movements", name, len(totals), len(st.Movements))
			}
		}
		f.Close()
	}
}
