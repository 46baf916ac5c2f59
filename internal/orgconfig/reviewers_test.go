package orgconfig

import (
	"slices"
	"strings"
	"testing"
)

func TestHeadProposalReviewers(t *testing.T) {
	o, err := Demo()
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(o.Agency.HeadProposalReviewers, []string{"truongban", "phoban"}) {
		t.Fatalf("demo reviewers of heads' proposals: %v", o.Agency.HeadProposalReviewers)
	}
	// Default: the council chair.
	b := strings.Replace(string(demoYAML), "  head_proposal_reviewers: [truongban, phoban]\n", "", 1)
	o, err = Parse([]byte(b))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(o.Agency.HeadProposalReviewers, []string{"truongban"}) {
		t.Fatalf("default reviewers: %v", o.Agency.HeadProposalReviewers)
	}
	b = strings.Replace(string(demoYAML), "[truongban, phoban]", "[truongban, nobody]", 1)
	if _, err := Parse([]byte(b)); err == nil || !strings.Contains(err.Error(), `"nobody" is not a person`) {
		t.Fatalf("unknown reviewer accepted: %v", err)
	}
	if d := o.Directory(); len(d) != len(o.People) || d[0].ID != o.People[0].ID || d[0].Name != o.People[0].Name {
		t.Fatalf("directory %v", d)
	}
}

// Configured text that documents print must be printable, or the service refuses to start.
func TestUnprintableConfigRefused(t *testing.T) {
	for _, bad := range []string{"Đồng Tháp 😀", "Đồng\u202eTháp", "Đồng\\u0001Tháp"} {
		b := strings.Replace(string(demoYAML), "place: Đồng Tháp", "place: \""+bad+"\"", 1)
		if _, err := Parse([]byte(b)); err == nil || !strings.Contains(err.Error(), "agency.place") {
			t.Errorf("place %q accepted: %v", bad, err)
		}
	}
}
