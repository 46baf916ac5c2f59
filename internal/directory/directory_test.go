package directory_test

import (
	"context"
	"errors"
	"path/filepath"
	"testing"

	"github.com/awardflow/awardflow/internal/award"
	"github.com/awardflow/awardflow/internal/directory"
	"github.com/awardflow/awardflow/internal/orgconfig"
	"github.com/awardflow/awardflow/internal/store"
)

func setup(t *testing.T) (*store.Store, *orgconfig.Org) {
	t.Helper()
	org, err := orgconfig.Demo()
	if err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(context.Background(), store.SQLiteDSN(filepath.Join(t.TempDir(), "a.db")))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	if _, err := st.SeedDirectory(context.Background(), org); err != nil {
		t.Fatal(err)
	}
	return st, org
}

// The live organisation is the YAML's with the store's directory: the same value while
// nothing changes (no reload per request), a new one after an edit made through another
// Live (another server), and edits that break the organisation's rules are refused by
// the check New installs.
func TestLiveFollowsTheStore(t *testing.T) {
	st, org := setup(t)
	ctx := context.Background()
	a, b := directory.New(st, org), directory.New(st, org)
	o1, err := a.Current(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if o2, _ := a.Current(ctx); o2 != o1 {
		t.Fatal("reloaded the directory although it did not change")
	}
	if len(o1.People) != len(org.People) || o1.Agency.Code != org.Agency.Code || len(o1.AwardTypes) != len(org.AwardTypes) {
		t.Fatalf("the live organisation lost the YAML's parts: %d people, code %q", len(o1.People), o1.Agency.Code)
	}
	if _, err := b.Current(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := st.UpsertPerson(ctx, store.PersonEdit{ID: "moi", Name: "Người Mới", UnitID: "vp", Roles: []award.Role{award.RoleSecretary}}, "quantri"); err != nil {
		t.Fatal(err)
	}
	o3, err := b.Current(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if p, ok := o3.Person("moi"); !ok || p.Name != "Người Mới" {
		t.Fatal("the other Live does not see the new person")
	}
	found := false
	for _, m := range o3.Council() {
		found = found || m.ID == "moi"
	}
	if !found {
		t.Fatal("the new secretary is not on the council snapshot")
	}
	// The rules hold through any Live's store.
	clerk := org.WithRole(award.RoleClerk)[0].ID
	err = st.DeactivatePerson(ctx, clerk, "quantri", "thử")
	var ae *award.Error
	if !errors.As(err, &ae) || ae.Code != award.CodeInvalid {
		t.Fatalf("deactivating the last clerk: %v", err)
	}
}

// A store that cannot be read is an unavailable error (503), not a stale directory.
func TestLiveStoreDown(t *testing.T) {
	st, org := setup(t)
	l := directory.New(st, org)
	if _, err := l.Current(context.Background()); err != nil {
		t.Fatal(err)
	}
	_ = st.Close()
	_, err := l.Current(context.Background())
	var ae *award.Error
	if !errors.As(err, &ae) || ae.Code != award.CodeUnavailable {
		t.Fatalf("store closed: %v, want an unavailable error", err)
	}
}

// Drift names what the YAML says differently from the directory, and nothing when they
// agree.
func TestDrift(t *testing.T) {
	st, org := setup(t)
	ctx := context.Background()
	if d, err := directory.Drift(ctx, st, org); err != nil || len(d) != 0 {
		t.Fatalf("fresh seed: %v %v", d, err)
	}
	changed, _ := orgconfig.Demo()
	changed.People[0].PasswordHash = "$2a$10$other"
	changed.People = append(changed.People, orgconfig.Person{ID: "chiconguoiyaml", Name: "X", Department: "vp", Roles: []award.Role{award.RoleStaff}})
	d, err := directory.Drift(ctx, st, changed)
	if err != nil || len(d) != 2 || d[0] != "person "+changed.People[0].ID+": password" || d[1] != "person chiconguoiyaml: in the YAML, not in the directory" {
		t.Fatalf("drift %q %v", d, err)
	}
}
