package ballotbox

import (
	"bytes"
	"strings"
	"testing"

	"github.com/awardflow/awardflow/internal/award"
)

func TestFingerprintKeyedAndStable(t *testing.T) {
	b1, _ := New(bytes.Repeat([]byte{1}, KeySize))
	b2, _ := New(bytes.Repeat([]byte{2}, KeySize))
	yes := map[string]award.Choice{"p1": award.Yes, "p2": award.No}
	same := map[string]award.Choice{"p2": award.No, "p1": award.Yes}
	no := map[string]award.Choice{"p1": award.No, "p2": award.No}
	f := func(b *Box, s, v string, m map[string]award.Choice) string {
		fp, err := b.Fingerprint(s, v, m)
		if err != nil || len(fp) != 64 {
			t.Fatalf("fingerprint %q %v", fp, err)
		}
		return fp
	}
	if f(b1, "s", "m1", yes) != f(b1, "s", "m1", same) {
		t.Fatal("the same ballot must have the same fingerprint")
	}
	for name, other := range map[string]string{
		"other marks": f(b1, "s", "m1", no), "other voter": f(b1, "s", "m2", yes),
		"other session": f(b1, "s2", "m1", yes), "other key": f(b2, "s", "m1", yes),
	} {
		if other == f(b1, "s", "m1", yes) {
			t.Errorf("%s: same fingerprint", name)
		}
	}
	if strings.Contains(f(b1, "s", "m1", yes), "yes") {
		t.Fatal("fingerprint shows the marks")
	}
}
