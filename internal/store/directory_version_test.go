package store_test

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/awardflow/awardflow/internal/award"
	"github.com/awardflow/awardflow/internal/store"
)

// Every edit that changes something bumps the directory's version exactly once; an edit
// that changes nothing (repeated request) leaves it, and the snapshot carries the version
// it was read at together with everyone, inactive people included.
func testDirectoryVersion(t *testing.T, env *dbEnv) {
	s := env.open(t)
	c := ctx(t)
	v0, err := s.DirectoryVersion(c)
	must(t, err)
	if _, err := s.SeedDirectory(c, demoOrg(t)); err != nil {
		t.Fatal(err)
	}
	version := func() int64 {
		t.Helper()
		v, err := s.DirectoryVersion(c)
		must(t, err)
		return v
	}
	v := version()
	if v != v0+1 {
		t.Fatalf("seeding: version %d → %d, want one bump", v0, v)
	}
	steps := []struct {
		name    string
		do      func() error
		changes bool
	}{
		{"new unit", func() error {
			_, err := s.UpsertUnit(c, store.Unit{ID: "kt", Name: "Phòng Kế toán", Active: true})
			return err
		}, true},
		{"same unit again", func() error {
			_, err := s.UpsertUnit(c, store.Unit{ID: "kt", Name: "Phòng Kế toán", Active: true})
			return err
		}, false},
		{"new person", func() error {
			_, err := s.UpsertPerson(c, store.PersonEdit{ID: "ketoan1", Name: "Lê Văn Tiền", UnitID: "kt", Roles: []award.Role{award.RoleStaff}}, "admin")
			return err
		}, true},
		{"same person again", func() error {
			_, err := s.UpsertPerson(c, store.PersonEdit{ID: "ketoan1", Name: "Lê Văn Tiền", UnitID: "kt", Roles: []award.Role{award.RoleStaff}}, "admin")
			return err
		}, false},
		{"deactivate", func() error { return s.DeactivatePerson(c, "ketoan1", "admin", "nghỉ hưu") }, true},
		{"deactivate again", func() error { return s.DeactivatePerson(c, "ketoan1", "admin", "nghỉ hưu") }, false},
		{"move nowhere", func() error {
			return s.MovePerson(c, "hongdao", "tt", mustPerson(t, s, "hongdao").Position, time.Time{}, "admin", "")
		}, false},
		{"close the empty unit", func() error {
			_, err := s.UpsertUnit(c, store.Unit{ID: "kt", Name: "Phòng Kế toán", Active: false})
			return err
		}, true},
	}
	for _, st := range steps {
		before := version()
		if err := st.do(); err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		after := version()
		if want := before + map[bool]int64{true: 1, false: 0}[st.changes]; after != want {
			t.Fatalf("%s: version %d → %d, want %d", st.name, before, after, want)
		}
	}
	snap, err := s.Directory(c)
	must(t, err)
	if snap.Version != version() {
		t.Fatalf("snapshot version %d, store %d", snap.Version, version())
	}
	i := slices.IndexFunc(snap.People, func(p store.Person) bool { return p.ID == "ketoan1" })
	if i < 0 || snap.People[i].Active || !slices.Equal(snap.People[i].Roles, []award.Role{award.RoleStaff}) {
		t.Fatalf("snapshot lost the inactive person or their roles: %+v", snap.People)
	}
	if u := slices.IndexFunc(snap.Units, func(u store.Unit) bool { return u.ID == "kt" && !u.Active }); u < 0 {
		t.Fatalf("snapshot lost the closed unit: %+v", snap.Units)
	}
	// A closed unit takes nobody in.
	_, err = s.UpsertPerson(c, store.PersonEdit{ID: "ketoan2", Name: "Ngô Thị Sổ", UnitID: "kt", Roles: []award.Role{award.RoleStaff}}, "admin")
	wantCode(t, err, award.CodeInvalid)
}

// The check runs on the directory as it would stand after the edit, inside the edit's
// transaction: a refused edit leaves no row, no history and no version bump.
func testDirectoryCheckRollsBack(t *testing.T, env *dbEnv) {
	s := env.open(t)
	c := ctx(t)
	if _, err := s.SeedDirectory(c, demoOrg(t)); err != nil {
		t.Fatal(err)
	}
	refuse := award.Invalid("Không được", "refused")
	var seen []store.Person
	s.SetDirectoryCheck(func(units []store.Unit, people []store.Person) error {
		seen = people
		for _, p := range people {
			if p.ID == "hongdao" && !p.Active {
				return refuse
			}
		}
		return nil
	})
	before := snapshotDirectory(t, s)
	v, err := s.DirectoryVersion(c)
	must(t, err)
	err = s.DeactivatePerson(c, "hongdao", "admin", "thử")
	if !errors.Is(err, refuse) {
		t.Fatalf("deactivate: %v, want the check's error", err)
	}
	if i := slices.IndexFunc(seen, func(p store.Person) bool { return p.ID == "hongdao" }); i < 0 || seen[i].Active {
		t.Fatalf("the check did not see the edit applied: %+v", seen)
	}
	if after := snapshotDirectory(t, s); !reflect.DeepEqual(before, after) {
		t.Fatalf("a refused edit changed the directory:\nbefore %+v\nafter  %+v", before, after)
	}
	if v2, _ := s.DirectoryVersion(c); v2 != v {
		t.Fatalf("a refused edit bumped the version %d → %d", v, v2)
	}
	// Other edits pass the same check.
	if err := s.DeactivatePerson(c, "vanthu", "admin", "chuyển công tác"); err != nil {
		t.Fatalf("an edit the check allows: %v", err)
	}
}

// Two admins at once each make an edit the check allows on its own but not together
// (each deactivates one of the only two clerks): the edits take turns and exactly one
// succeeds, on both dialects.
func testDirectoryCheckSerialisesEdits(t *testing.T, env *dbEnv) {
	s := env.open(t)
	c := ctx(t)
	if _, err := s.SeedDirectory(c, demoOrg(t)); err != nil {
		t.Fatal(err)
	}
	for round := range 8 {
		ids := []string{fmt.Sprintf("clerk-a%d", round), fmt.Sprintf("clerk-b%d", round)}
		for _, id := range ids {
			if _, err := s.UpsertPerson(c, store.PersonEdit{ID: id, Name: "Văn thư " + id, UnitID: "vp", Roles: []award.Role{award.RoleClerk}}, "admin"); err != nil {
				t.Fatal(err)
			}
		}
		s.SetDirectoryCheck(func(_ []store.Unit, people []store.Person) error {
			n := 0
			for _, p := range people {
				if p.Active && slices.Contains(ids, p.ID) {
					n++
				}
			}
			if n == 0 {
				return award.Invalid("Phải còn một văn thư", "a clerk must remain")
			}
			return nil
		})
		var wg sync.WaitGroup
		errs := make([]error, 2)
		for i, id := range ids {
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs[i] = s.DeactivatePerson(c, id, "admin", "thử")
			}()
		}
		wg.Wait()
		ok := 0
		for _, err := range errs {
			switch {
			case err == nil:
				ok++
			case errors.Is(err, store.ErrConflict):
				// the loser of a version race may also be told to retry: acceptable,
				// as long as the directory keeps a clerk (checked below)
			default:
				wantCode(t, err, award.CodeInvalid)
			}
		}
		active := 0
		for _, id := range ids {
			if mustPerson(t, s, id).Active {
				active++
			}
		}
		if ok != 1 || active != 1 {
			t.Fatalf("round %d: %d edits succeeded, %d clerks left active (errors %v); want exactly one each", round, ok, active, errs)
		}
		s.SetDirectoryCheck(nil)
	}
}

func mustPerson(t *testing.T, s *store.Store, id string) store.Person {
	t.Helper()
	p, err := s.Person(ctx(t), id)
	must(t, err)
	return p
}
