package orgconfig

import "testing"

// FuzzParse: the organisation file is written by people; a broken one must give an
// error, never a panic or a half-valid config.
func FuzzParse(f *testing.F) {
	f.Add(demoYAML)
	f.Add([]byte("agency: {code: X}"))
	f.Add([]byte("people: [{id: a, roles: [staff]}]"))
	f.Fuzz(func(t *testing.T, b []byte) {
		o, err := Parse(b)
		if err != nil {
			return
		}
		// whatever parsed is usable
		if !o.Agency.Profile.Valid() || o.Location() == nil || len(o.RuleSets) == 0 {
			t.Fatalf("accepted an unusable config: %+v", o.Agency)
		}
		_ = o.Council()
	})
}
