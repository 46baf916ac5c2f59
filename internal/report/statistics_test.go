package report

import (
	"bytes"
	"encoding/csv"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/awardflow/awardflow/internal/award"
	"github.com/awardflow/awardflow/internal/orgconfig"
	"github.com/awardflow/awardflow/internal/store"
)

func demo(t *testing.T) *orgconfig.Org {
	t.Helper()
	o, err := orgconfig.Demo()
	if err != nil {
		t.Fatal(err)
	}
	return o
}

func randomStats(r *rand.Rand, org *orgconfig.Org) []store.AwardStat {
	types := []string{"ZZZ"} // an award type the config does not know (any more)
	for _, t := range org.AwardTypes {
		types = append(types, t.Code)
	}
	units := []string{"", "dagiaithe"}
	for _, d := range org.Departments {
		units = append(units, d.ID)
	}
	seen := map[[3]string]bool{}
	var out []store.AwardStat
	for range r.IntN(30) {
		s := store.AwardStat{AwardType: types[r.IntN(len(types))], Kind: []string{store.NomineeIndividual, store.NomineeCollective}[r.IntN(2)],
			UnitID: units[r.IntN(len(units))], Count: 1 + r.IntN(20), Amount: int64(r.IntN(50)) * 710_000}
		k := [3]string{s.AwardType, s.Kind, s.UnitID}
		if !seen[k] {
			seen[k] = true
			out = append(out, s)
		}
	}
	r.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out
}

// Whatever the register holds, in whatever order: every figure lands in exactly one
// cell; rows, unit columns and the grand total each add up to the register's sum; the
// order of rows and columns does not depend on the input's order.
func TestBuildAddsUp(t *testing.T) {
	org := demo(t)
	r := rand.New(rand.NewPCG(11, 12))
	for range 300 {
		stats := randomStats(r, org)
		var sum Cell
		for _, s := range stats {
			sum.add(Cell{s.Count, s.Amount})
		}
		st := Build(2025, stats, nil, org)
		if st.Total != sum {
			t.Fatalf("total %+v, register %+v", st.Total, sum)
		}
		var rows, cols Cell
		for _, row := range st.Rows {
			var inRow Cell
			for _, c := range row.ByUnit {
				inRow.add(c)
			}
			if inRow != row.Total {
				t.Fatalf("row %s/%s: cells %+v, total %+v", row.AwardType, row.Kind, inRow, row.Total)
			}
			rows.add(row.Total)
		}
		for _, u := range st.Units {
			cols.add(st.ByUnit[u.ID])
		}
		if rows != sum || cols != sum || len(st.Units) != len(st.ByUnit) {
			t.Fatalf("rows %+v, columns %+v, register %+v", rows, cols, sum)
		}
		shuffled := append([]store.AwardStat{}, stats...)
		r.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
		again := Build(2025, shuffled, nil, org)
		for i := range st.Rows {
			if st.Rows[i].AwardType != again.Rows[i].AwardType || st.Rows[i].Kind != again.Rows[i].Kind {
				t.Fatal("row order depends on the input order")
			}
		}
		for i := range st.Units {
			if st.Units[i] != again.Units[i] {
				t.Fatal("column order depends on the input order")
			}
		}
	}
}

func TestBuildOrderAndLabels(t *testing.T) {
	org := demo(t)
	st := Build(2025, []store.AwardStat{
		{AwardType: "GK", Kind: store.NomineeCollective, UnitID: "tt", Count: 1, Amount: 2_340_000},
		{AwardType: "ZZZ", Kind: store.NomineeIndividual, UnitID: "", Count: 1},
		{AwardType: "GK", Kind: store.NomineeIndividual, UnitID: "vp", Count: 2, Amount: 1_420_000},
		{AwardType: "LDTT", Kind: store.NomineeIndividual, UnitID: "tt", Count: 3, Amount: 2_130_000},
	}, nil, org)
	var got []string
	for _, r := range st.Rows {
		got = append(got, r.AwardType+"/"+string(r.Kind))
	}
	if strings.Join(got, " ") != "LDTT/individual GK/individual GK/collective ZZZ/individual" {
		t.Fatalf("rows %v", got)
	}
	if st.Rows[0].AwardTypeLabel != "Lao động tiên tiến" || st.Rows[2].KindLabel != award.KindCollective.LabelVI() {
		t.Fatalf("labels %+v", st.Rows[0])
	}
	if len(st.Units) != 3 || st.Units[0].ID != "vp" || st.Units[2].Label != NoUnit {
		t.Fatalf("units %+v", st.Units)
	}
}

// The CSV and the XLSX say what the table says: parsed back, every line's numbers sum
// to the grand total; text is never a formula, whatever a name starts with.
func TestEncodersRoundTrip(t *testing.T) {
	org := demo(t)
	org.AwardTypes[0].Name = "=HYPERLINK(\"http://x\")" // poison a label
	r := rand.New(rand.NewPCG(5, 6))
	for range 20 {
		stats := randomStats(r, org)
		stats = append(stats, store.AwardStat{AwardType: org.AwardTypes[0].Code, Kind: store.NomineeIndividual, UnitID: "@evil", Count: 1, Amount: 1})
		st := Build(2026, stats, nil, org)

		var csvBuf bytes.Buffer
		if err := st.WriteCSV(&csvBuf); err != nil {
			t.Fatal(err)
		}
		if !bytes.HasPrefix(csvBuf.Bytes(), []byte("\ufeff")) {
			t.Fatal("no byte-order mark")
		}
		lines, err := csv.NewReader(bytes.NewReader(csvBuf.Bytes()[3:])).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if strings.Join(lines[0], "|") != strings.Join(tidyHeader, "|") {
			t.Fatalf("header %v", lines[0])
		}
		var sum Cell
		for _, l := range lines[1:] {
			for _, text := range l[:6] {
				if text != "" && strings.ContainsRune("=+-@", rune(text[0])) {
					t.Fatalf("a formula-like cell %q", text)
				}
			}
			n, _ := strconv.Atoi(l[6])
			a, _ := strconv.ParseInt(l[7], 10, 64)
			sum.add(Cell{n, a})
		}
		if sum != st.Total {
			t.Fatalf("csv sums to %+v, table %+v", sum, st.Total)
		}

		var xb bytes.Buffer
		if err := st.WriteXLSX(&xb); err != nil {
			t.Fatal(err)
		}
		f, err := excelize.OpenReader(&xb)
		if err != nil {
			t.Fatal(err)
		}
		rows, err := f.GetRows(SheetByUnit)
		if err != nil {
			t.Fatal(err)
		}
		sum = Cell{}
		for _, row := range rows[1:] {
			n, _ := strconv.Atoi(row[6])
			a, _ := strconv.ParseInt(row[7], 10, 64)
			sum.add(Cell{n, a})
			for col := 1; col <= 6; col++ {
				cell, _ := excelize.CoordinatesToCellName(col, 2)
				if formula, _ := f.GetCellFormula(SheetByUnit, cell); formula != "" {
					t.Fatalf("a formula in %s: %q", cell, formula)
				}
			}
		}
		if sum != st.Total {
			t.Fatalf("xlsx sums to %+v, table %+v", sum, st.Total)
		}
		// The summary's total row: its last two cells are the grand total.
		summary, err := f.GetRows(SheetSummary)
		if err != nil {
			t.Fatal(err)
		}
		totalRow := summary[len(summary)-1]
		if totalRow[0] != "Tổng cộng" {
			t.Fatalf("last summary row %v", totalRow)
		}
		n, _ := strconv.Atoi(strings.ReplaceAll(totalRow[len(totalRow)-2], ",", ""))
		a, _ := strconv.ParseInt(strings.ReplaceAll(totalRow[len(totalRow)-1], ",", ""), 10, 64)
		if (Cell{n, a}) != st.Total {
			t.Fatalf("summary total %v, table %+v", totalRow, st.Total)
		}
		_ = f.Close()
	}
}
