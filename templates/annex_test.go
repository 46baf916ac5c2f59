package templates

import (
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// A 300-awardee decision in both profiles: the annex header row repeats
// on every annex page (as one row: STT, Họ và tên, Chức vụ, Đơn vị công tác
// side by side at the top of the table) and every name appears exactly once,
// in list order.
func TestDecisionAnnex300(t *testing.T) {
	for _, p := range []Profile{ProfileND30, ProfileHD36} {
		t.Run(string(p), func(t *testing.T) {
			d := sampleDecision(p, 300)
			d.Awardees = uniqueAwardees(300)
			seen := map[string]bool{}
			for _, a := range d.Awardees {
				if seen[a.Name] {
					t.Fatalf("fixture repeats %q", a.Name)
				}
				seen[a.Name] = true
			}
			r := render(t, d)
			file := writeTemp(t, r.PDF)

			// The annex starts after the signature page.
			first := r.SignaturePage + 1
			if !strings.Contains(flat(pageText(t, file, first)), "DANH SÁCH") {
				t.Fatalf("annex does not start on page %d", first)
			}
			if r.Pages-first+1 < 5 {
				t.Fatalf("annex has %d pages: page breaks not exercised", r.Pages-first+1)
			}
			header := regexp.MustCompile(`(?m)^\s*STT\s+Họ và tên\s+Chức vụ\s+Đơn vị công tác\s*$`)
			for pg := first; pg <= r.Pages; pg++ {
				txt := pageText(t, file, pg)
				if c := len(header.FindAllString(txt, -1)); c != 1 {
					t.Errorf("page %d: header row found %d times, want 1", pg, c)
				}
				// The header is the table's top row: on continuation pages only
				// the page number comes before it.
				if hi := header.FindStringIndex(txt); hi != nil && pg > first {
					if got, want := strings.TrimSpace(txt[:hi[0]]), strconv.Itoa(pg-first+1); got != want {
						t.Errorf("page %d: %q before the header row, want only the page number %s", pg, got, want)
					}
				}
			}

			raw := flat(runTool(t, "pdftotext", "-raw", "-f", strconv.Itoa(first), file, "-"))
			pos := -1
			for i, a := range d.Awardees {
				if c := countWord(raw, a.Name); c != 1 {
					t.Errorf("%q (row %d) appears %d times, want once", a.Name, i+1, c)
					continue
				}
				k := strings.Index(" "+raw+" ", " "+a.Name+" ")
				if k <= pos {
					t.Errorf("%q (row %d) out of order", a.Name, i+1)
				}
				pos = k
				// Its row number sits right before it.
				if !strings.Contains(raw, strconv.Itoa(i+1)+" "+a.Name+" ") {
					t.Errorf("row %d: number not followed by %q", i+1, a.Name)
				}
			}
			// And nowhere before the annex.
			body := flat(runTool(t, "pdftotext", "-raw", "-l", strconv.Itoa(first-1), file, "-"))
			for _, a := range d.Awardees {
				if countWord(body, a.Name) != 0 {
					t.Errorf("%q appears in the decision body", a.Name)
				}
			}
		})
	}
}
