package templates

import (
	"strconv"
	"strings"
	"testing"

	"github.com/awardflow/awardflow/internal/award"
)

// TestBallotWordsInDocuments: the minutes and the submission name the three ballot
// choices with the words the ballot page and the API use (award.Choice labels), in both
// document profiles — one word for abstention everywhere.
func TestBallotWordsInDocuments(t *testing.T) {
	for _, p := range []Profile{ProfileND30, ProfileHD36} {
		t.Run(string(p), func(t *testing.T) {
			m, err := RenderMinutes(sampleMinutes(p, 3), RenderOptions{CreationDate: fixedCreation})
			if err != nil {
				t.Fatal(err)
			}
			s := renderSub(t, sampleSubmission(p, 3))
			for name, r := range map[string]Rendered{"minutes": m, "submission": s} {
				file := writeTemp(t, r.PDF)
				var text strings.Builder
				for pg := 1; pg <= r.Pages; pg++ {
					text.WriteString(flat(runTool(t, "pdftotext", "-raw", "-f", strconv.Itoa(pg), "-l", strconv.Itoa(pg), file, "-")))
					text.WriteString(" ")
				}
				got := text.String()
				want := award.Yes.LabelVI() + " " + award.No.LabelVI() + " " + award.Abstain.LabelVI()
				if !strings.Contains(got, want) {
					t.Errorf("%s: the table header lacks %q", name, want)
				}
				if strings.Contains(got, "Không biểu quyết") {
					t.Errorf("%s says “Không biểu quyết”; the ballot's word is %q", name, award.Abstain.LabelVI())
				}
				if t.Failed() {
					t.Logf("%s text:\n%s", name, got)
				}
			}
		})
	}
}
