package blobstore_test

import (
	"testing"

	"github.com/awardflow/awardflow/internal/award"
	"github.com/awardflow/awardflow/internal/blobstore"
)

// TestEveryAllowedTypeHasALabel: the pages show an evidence file's type in words; a type
// added to AllowedTypes without words fails here.
func TestEveryAllowedTypeHasALabel(t *testing.T) {
	other := award.FileTypeLabel("application/octet-stream", "")
	seen := map[string]string{}
	for ct, ext := range blobstore.AllowedTypes {
		l := award.FileTypeLabel(ct, "tep"+ext)
		if l == other || l == ct {
			t.Errorf("allowed type %s has no label (got %q)", ct, l)
		}
		if prev, dup := seen[l]; dup {
			t.Errorf("%s and %s share the label %q", ct, prev, l)
		}
		seen[l] = ct
	}
}
