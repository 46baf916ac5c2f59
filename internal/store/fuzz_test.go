package store_test

import (
	"testing"

	"github.com/awardflow/awardflow/internal/store"
)

// FuzzCursor: a cursor is client input. Decoding never panics, and a cursor the store
// made decodes for its own sort and for no other.
func FuzzCursor(f *testing.F) {
	f.Add("", "updated_at", false)
	f.Add("eyJmIjoidXBkYXRlZF9hdCIsImQiOmZhbHNlLCJuIjowLCJzIjoiIiwiaSI6IkFBIn0", "updated_at", false)
	f.Add(store.EncodeCursor(store.Sort{Field: store.SortNominee}, store.Projection{WorkflowID: "w"}, "nguyen"), "nominee", false)
	f.Fuzz(func(t *testing.T, s, field string, desc bool) {
		_ = store.DecodeCursorErr(s, store.Sort{Field: store.SortField(field), Desc: desc})
		// Lists only ever run with a known sort field (listQuery refuses others first).
		o := store.Sort{Field: store.SortFields[len(field)%len(store.SortFields)], Desc: desc}
		_ = store.DecodeCursorErr(s, o)
		if len(s) > 1000 { // longer than any workflow id or folded name (200 characters)
			return
		}
		made := store.EncodeCursor(o, store.Projection{WorkflowID: s + "x"}, s)
		if err := store.DecodeCursorErr(made, o); err != nil {
			t.Fatalf("own cursor %q refused: %v", made, err)
		}
		if err := store.DecodeCursorErr(made, store.Sort{Field: o.Field, Desc: !desc}); err == nil {
			t.Fatalf("cursor %q accepted for the other direction", made)
		}
	})
}
