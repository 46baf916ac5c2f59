package annualdata

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/awardflow/awardflow/internal/award"
)

const rounds = 150

// printableRunes are runes a document can print (award.Printable), with the
// characters that matter to the file formats over-represented: separators, quotes,
// apostrophes, formula starters, bullets, Vietnamese letters.
func randText(r *rand.Rand, maxLen int) string {
	special := []rune("=+-@'\",;:|•/\\()[]{}<>%&#*! đĐươƯƠăâêôạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ")
	var b strings.Builder
	for range 1 + r.IntN(maxLen) {
		switch r.IntN(4) {
		case 0:
			b.WriteRune(special[r.IntN(len(special))])
		case 1:
			b.WriteRune(rune('a' + r.IntN(26)))
		default:
			for {
				c := rune(0x20 + r.IntN(0x2000))
				if award.Printable(c) {
					b.WriteRune(c)
					break
				}
			}
		}
	}
	return b.String()
}

// randRecords draws valid, cleaned records with distinct (kind, id, year), as an
// import would give them: a rating, a known discipline (a blank cell reads as none).
func randRecords(r *rand.Rand) []award.AnnualRecord {
	var out []award.AnnualRecord
	seen := map[string]bool{}
	for len(out) < r.IntN(12) {
		rec := award.AnnualRecord{Year: 2000 + r.IntN(100), Kind: award.Kinds[r.IntN(2)], ID: randText(r, 12),
			Rating: award.TaskRatings[r.IntN(len(award.TaskRatings))], Discipline: award.DisciplineLevels[r.IntN(len(award.DisciplineLevels))]}
		if rec.Kind == award.KindIndividual {
			if r.IntN(4) > 0 {
				rec.MonthsOfService = ptr(r.IntN(13))
			}
			if r.IntN(4) > 0 {
				rec.DaysAbsent = ptr(r.IntN(award.MaxWorkingDaysInYear + 1))
				rec.MaternityDays = r.IntN(*rec.DaysAbsent + 1)
			}
			if r.IntN(2) == 0 {
				rec.Unit = randText(r, 6)
			}
		}
		for range r.IntN(3) {
			rec.Initiatives = append(rec.Initiatives, award.Recognition{Title: randText(r, 30), Evidence: randText(r, 30)})
		}
		for range r.IntN(2) {
			rec.Research = append(rec.Research, award.Recognition{Title: randText(r, 30), Evidence: randText(r, 30)})
		}
		c, err := rec.Clean()
		if err != nil || c.ID == "" {
			continue // "|" in a title, a blank after trimming …: not a record an admin could enter
		}
		key := fmt.Sprint(c.Kind, c.ID, c.Year)
		if seen[key] {
			continue
		}
		seen[key] = true
		out = append(out, c)
	}
	return out
}

func optionsFor(recs []award.AnnualRecord, names map[string]string) Options {
	people, units := map[string]bool{}, map[string]bool{}
	for _, r := range recs {
		if r.Kind == award.KindIndividual {
			people[r.ID] = true
			units[r.Unit] = true
		} else {
			units[r.ID] = true
		}
	}
	return Options{
		KnownPeople: func(id string) bool { return people[id] },
		KnownUnits:  func(id string) bool { return units[id] },
		NameOf: func(k award.NomineeKind, id string) (string, bool) {
			n, ok := names[string(k)+id]
			return n, ok
		},
	}
}

// TestRoundTrip: records written in the template (CSV and XLSX) and read back are the
// same records, whatever their text (Vietnamese, quotes, separators, formula starters).
func TestRoundTrip(t *testing.T) {
	for seed := range uint64(rounds) {
		r := rand.New(rand.NewPCG(seed, 0xa11))
		recs := randRecords(r)
		names := map[string]string{}
		for _, rec := range recs {
			if n, err := award.CleanLine(award.FieldNomineeName, randText(r, 20)); err == nil && n != "" {
				names[string(rec.Kind)+rec.ID] = n
			}
		}
		name := func(k award.NomineeKind, id string) string { return names[string(k)+id] }
		for _, format := range []string{"csv", "xlsx"} {
			var b bytes.Buffer
			write := WriteCSV
			if format == "xlsx" {
				write = WriteXLSX
			}
			if err := write(&b, recs, name); err != nil {
				t.Fatalf("seed %d %s: %v", seed, format, err)
			}
			got, err := Parse(&b, optionsFor(recs, names))
			if err != nil {
				t.Fatalf("seed %d %s: %v\n%+v", seed, format, err, recs)
			}
			if len(recs) == 0 && len(got) == 0 {
				continue
			}
			if !reflect.DeepEqual(got, recs) {
				t.Fatalf("seed %d %s: read back\n%+v\nwrote\n%+v", seed, format, got, recs)
			}
		}
	}
}

func randCell(r *rand.Rand) string {
	var b strings.Builder
	for range r.IntN(12) {
		switch r.IntN(6) {
		case 0:
			b.WriteRune(rune(r.IntN(0x20))) // control characters
		case 1:
			b.WriteRune(rune(0x300 + r.IntN(0x70))) // combining marks
		case 2:
			b.WriteString([]string{"HTTNV", "12", "2025", "Khiển trách", "|", ";", "\"", "'=", "01/02/2025", "Tập thể", "-1", "1.000", "10,5"}[r.IntN(13)])
		default:
			b.WriteRune(rune(r.IntN(0x110000)))
		}
	}
	return b.String()
}

// TestArbitraryCells: a template filled with arbitrary Unicode (control characters,
// lone combining marks, any code point, near-valid values) never panics, and either
// parses into valid records or is refused with errors on its data rows only.
func TestArbitraryCells(t *testing.T) {
	for seed := range uint64(rounds) {
		r := rand.New(rand.NewPCG(seed, 0xce11))
		rows := [][]string{headers()}
		for range 1 + r.IntN(6) {
			row := make([]string, len(Columns))
			for j := range row {
				if r.IntN(3) > 0 {
					row[j] = randCell(r)
				}
			}
			rows = append(rows, row)
		}
		var c bytes.Buffer
		w := csv.NewWriter(&c)
		_ = w.WriteAll(rows)
		files := map[string][]byte{"csv": c.Bytes()}
		f := excelize.NewFile()
		ok := true
		for i, row := range rows {
			for j, v := range row {
				if err := f.SetCellStr("Sheet1", cellName(j, i+1), v); err != nil {
					ok = false
				}
			}
		}
		var x bytes.Buffer
		if ok && f.Write(&x) == nil {
			files["xlsx"] = x.Bytes()
		}
		_ = f.Close()
		for format, data := range files {
			recs, err := Parse(bytes.NewReader(data), Options{})
			if err == nil {
				for _, rec := range recs {
					if verr := rec.Validate(); verr != nil {
						t.Fatalf("seed %d %s: an invalid record was returned: %v", seed, format, verr)
					}
				}
				continue
			}
			var ie *ImportError
			if !errors.As(err, &ie) || len(ie.Rows) == 0 {
				t.Fatalf("seed %d %s: %v is not a row-level refusal", seed, format, err)
			}
			for _, e := range ie.Rows {
				if e.Row < 2 || e.Row > len(rows) || e.VI == "" || e.EN == "" {
					t.Fatalf("seed %d %s: error %+v is not on a data row", seed, format, e)
				}
			}
		}
	}
}

// FuzzParse: any bytes, as CSV or XLSX, never panic; the answer is records that are
// valid and distinct, or a row-level refusal.
func FuzzParse(f *testing.F) {
	var c, x bytes.Buffer
	_ = WriteCSV(&c, []award.AnnualRecord{{Year: 2025, Kind: award.KindIndividual, ID: "hongdao", Rating: award.RatingGood, Discipline: award.DisciplineNone,
		Initiatives: []award.Recognition{{Title: "A", Evidence: "QĐ 1"}}}}, nil)
	_ = TemplateXLSX(&x)
	f.Add(c.Bytes())
	f.Add(x.Bytes())
	f.Add([]byte(header + goodRow))
	f.Add([]byte("ma;nam;xep_loai\nx;2025;tốt\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		recs, err := Parse(bytes.NewReader(data), Options{})
		if err != nil {
			var ie *ImportError
			if !errors.As(err, &ie) || len(ie.Rows) == 0 {
				t.Fatalf("%v is not a row-level refusal", err)
			}
			return
		}
		seen := map[string]bool{}
		for _, rec := range recs {
			if verr := rec.Validate(); verr != nil {
				t.Fatalf("invalid record: %v", verr)
			}
			key := fmt.Sprint(rec.Kind, rec.ID, rec.Year)
			if seen[key] {
				t.Fatalf("duplicate %s", key)
			}
			seen[key] = true
		}
	})
}
