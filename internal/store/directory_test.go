package store_test

import (
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/awardflow/awardflow/internal/award"
	"github.com/awardflow/awardflow/internal/orgconfig"
	"github.com/awardflow/awardflow/internal/store"
)

func demoOrg(t *testing.T) *orgconfig.Org {
	t.Helper()
	org, err := orgconfig.Demo()
	if err != nil {
		t.Fatal(err)
	}
	return org
}

type directorySnapshot struct {
	units   []store.Unit
	people  []store.Person
	history map[string][]store.PersonChange
}

func snapshotDirectory(t *testing.T, s *store.Store) directorySnapshot {
	t.Helper()
	c := ctx(t)
	units, err := s.Units(c)
	must(t, err)
	people, err := s.People(c, store.PeopleFilter{IncludeInactive: true})
	must(t, err)
	h := map[string][]store.PersonChange{}
	for _, p := range people {
		ch, err := s.PersonHistory(c, p.ID)
		must(t, err)
		h[p.ID] = ch
	}
	return directorySnapshot{units, people, h}
}

// The directory is seeded from the organisation config on the first start only: every
// department and person with their roles and a "seeded" history row; a second start —
// even with a changed YAML — changes nothing.
func testSeedDirectoryOnce(t *testing.T, env *dbEnv) {
	s := env.open(t)
	c := ctx(t)
	org := demoOrg(t)
	seeded, err := s.SeedDirectory(c, org)
	must(t, err)
	if !seeded {
		t.Fatal("first SeedDirectory reported false")
	}
	snap := snapshotDirectory(t, s)
	if len(snap.units) != len(org.Departments) || len(snap.people) != len(org.People) {
		t.Fatalf("seeded %d units and %d people, want %d and %d", len(snap.units), len(snap.people), len(org.Departments), len(org.People))
	}
	for _, want := range org.People {
		got, err := s.Person(c, want.ID)
		must(t, err)
		roles := slices.Clone(want.Roles)
		slices.Sort(roles)
		if got.Name != want.Name || got.Position != want.Position || got.UnitID != want.Department || !slices.Equal(got.Roles, roles) ||
			!got.Active || got.PasswordHash != want.PasswordHash || got.Version != 1 {
			t.Errorf("person %s: got %+v, want %+v", want.ID, got, want)
		}
		h := snap.history[want.ID]
		if len(h) != 1 || h[0].Action != store.ActionSeeded || h[0].UnitID != want.Department {
			t.Errorf("history of %s: %+v", want.ID, h)
		}
	}

	// A restart with an edited YAML: nothing changes.
	org2 := demoOrg(t)
	org2.People[0].Name = "Tên Khác"
	org2.Departments = append(org2.Departments, orgconfig.Department{ID: "new", Name: "Phòng mới"})
	again, err := s.SeedDirectory(c, org2)
	must(t, err)
	if again {
		t.Error("second SeedDirectory reported true")
	}
	if got := snapshotDirectory(t, s); !reflect.DeepEqual(got, snap) {
		t.Errorf("second SeedDirectory changed the directory:\n got %+v\nwant %+v", got, snap)
	}
}

// Two servers starting at once on one database: exactly one seeds, neither fails.
func testSeedDirectoryConcurrent(t *testing.T, env *dbEnv) {
	dsn := env.newDSN(t)
	a, b := env.openDSN(t, dsn), env.openDSN(t, dsn)
	org := demoOrg(t)
	var wg sync.WaitGroup
	results := make([]bool, 2)
	errs := make([]error, 2)
	for i, s := range []*store.Store{a, b} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i], errs[i] = s.SeedDirectory(ctx(t), org)
		}()
	}
	wg.Wait()
	must(t, errs[0])
	must(t, errs[1])
	if results[0] == results[1] {
		t.Fatalf("seeded = %v: want exactly one true", results)
	}
	if n := len(snapshotDirectory(t, a).people); n != len(org.People) {
		t.Errorf("%d people after a concurrent seed, want %d", n, len(org.People))
	}
}

func testPersonEditsAndHistory(t *testing.T, env *dbEnv) {
	s := env.open(t)
	c := ctx(t)
	_, err := s.SeedDirectory(c, demoOrg(t))
	must(t, err)
	org := demoOrg(t)
	unitA, unitB := org.Departments[0].ID, org.Departments[1].ID

	edit := store.PersonEdit{ID: "moi", Name: "Trần Văn Mới", Position: "Chuyên viên", UnitID: unitA,
		Roles: []award.Role{award.RoleStaff, award.RoleStaff}, PasswordHash: "$2a$10$x"}
	changed, err := s.UpsertPerson(c, edit, "admin")
	must(t, err)
	if !changed {
		t.Fatal("creating a person reported no change")
	}
	// The same edit again (a retried request) writes nothing.
	changed, err = s.UpsertPerson(c, edit, "admin")
	must(t, err)
	if changed {
		t.Error("repeating an edit reported a change")
	}
	// Rename and new role: "updated"; a new unit: "moved"; empty hash keeps the password.
	edit.Name, edit.Roles, edit.PasswordHash = "Trần Văn Mới Đổi", []award.Role{award.RoleStaff, award.RoleHead}, ""
	_, err = s.UpsertPerson(c, edit, "admin")
	must(t, err)
	edit.UnitID = unitB
	_, err = s.UpsertPerson(c, edit, "admin2")
	must(t, err)
	must(t, s.DeactivatePerson(c, "moi", "admin", "nghỉ hưu"))
	must(t, s.DeactivatePerson(c, "moi", "admin", "nghỉ hưu")) // twice: one row

	p, err := s.Person(c, "moi")
	must(t, err)
	want := store.Person{ID: "moi", Name: "Trần Văn Mới Đổi", Position: "Chuyên viên", UnitID: unitB,
		Roles: []award.Role{award.RoleHead, award.RoleStaff}, Active: false, PasswordHash: "$2a$10$x", Version: 4, UpdatedAt: p.UpdatedAt}
	if !reflect.DeepEqual(p, want) {
		t.Errorf("person after edits:\n got %+v\nwant %+v", p, want)
	}
	h, err := s.PersonHistory(c, "moi")
	must(t, err)
	var actions []string
	for i, ch := range h {
		actions = append(actions, ch.Action)
		if ch.Seq != int64(i+1) {
			t.Errorf("history row %d has seq %d", i, ch.Seq)
		}
	}
	if wantA := []string{store.ActionCreated, store.ActionUpdated, store.ActionMoved, store.ActionDeactivated}; !slices.Equal(actions, wantA) {
		t.Errorf("history actions %v, want %v", actions, wantA)
	}
	if h[2].RecordedBy != "admin2" || h[2].UnitID != unitB || h[3].Note != "nghỉ hưu" || h[3].Active {
		t.Errorf("history rows: %+v", h)
	}
	// Inactive people leave the default list, stay in the full one.
	active, err := s.People(c, store.PeopleFilter{})
	must(t, err)
	if slices.ContainsFunc(active, func(p store.Person) bool { return p.ID == "moi" }) {
		t.Error("a deactivated person is listed as active")
	}
	must(t, s.ReactivatePerson(c, "moi", "admin", "trở lại"))
	if p, _ := s.Person(c, "moi"); !p.Active {
		t.Error("reactivated person is inactive")
	}

	// Refused edits change nothing.
	_, err = s.UpsertPerson(c, store.PersonEdit{ID: "x", Name: "X", UnitID: "no-such-unit", Roles: []award.Role{award.RoleStaff}}, "admin")
	wantCode(t, err, award.CodeInvalid)
	_, err = s.UpsertPerson(c, store.PersonEdit{ID: "x", Name: "X", UnitID: unitA}, "admin")
	wantCode(t, err, award.CodeInvalid)
	_, err = s.Person(c, "x")
	wantIs(t, err, store.ErrNotFound)
	wantIs(t, s.DeactivatePerson(c, "nobody-here", "admin", ""), store.ErrNotFound)
}

// A move is effective-dated: PersonAt answers who the person was on any day.
func testMovePersonEffectiveDated(t *testing.T, env *dbEnv) {
	s := env.open(t)
	c := ctx(t)
	org := demoOrg(t)
	_, err := s.SeedDirectory(c, org)
	must(t, err)
	p0 := org.People[1]
	before, err := s.Person(c, p0.ID)
	must(t, err)
	other := org.Departments[0].ID
	if other == p0.Department {
		other = org.Departments[1].ID
	}
	// A move dated in the future is refused; so is one dated before the last change.
	wantCode(t, s.MovePerson(c, p0.ID, other, "Phó phòng", time.Now().Add(48*time.Hour), "admin", ""), award.CodeInvalid)
	wantCode(t, s.MovePerson(c, p0.ID, other, "Phó phòng", time.Now().Add(-10*365*24*time.Hour), "admin", ""), award.CodeInvalid)

	// Backdated to just after the seed (a move before it would predate the history).
	eff := before.UpdatedAt.Add(time.Millisecond)
	time.Sleep(2 * time.Millisecond)
	must(t, s.MovePerson(c, p0.ID, other, "Phó phòng", eff, "admin", "QĐ điều động số 12"))
	must(t, s.MovePerson(c, p0.ID, other, "Phó phòng", eff, "admin", "QĐ điều động số 12")) // no-op
	h, err := s.PersonHistory(c, p0.ID)
	must(t, err)
	if len(h) != 2 || h[1].Action != store.ActionMoved || !h[1].EffectiveAt.Equal(eff) || h[1].Note != "QĐ điều động số 12" {
		t.Fatalf("history after the move: %+v", h)
	}
	at, err := s.PersonAt(c, p0.ID, eff.Add(-time.Microsecond))
	must(t, err)
	if at.UnitID != before.UnitID || at.Position != before.Position {
		t.Errorf("just before the move: %+v, want unit %s", at, before.UnitID)
	}
	at, err = s.PersonAt(c, p0.ID, eff)
	must(t, err)
	if at.UnitID != other || at.Position != "Phó phòng" {
		t.Errorf("at the move: %+v, want unit %s", at, other)
	}
	_, err = s.PersonAt(c, p0.ID, before.UpdatedAt.Add(-time.Hour))
	wantIs(t, err, store.ErrNotFound)
}

func testPeopleFilters(t *testing.T, env *dbEnv) {
	s := env.open(t)
	c := ctx(t)
	org := demoOrg(t)
	_, err := s.SeedDirectory(c, org)
	must(t, err)
	check := func(f store.PeopleFilter, want func(orgconfig.Person) bool) {
		t.Helper()
		got, err := s.People(c, f)
		must(t, err)
		var gotIDs, wantIDs []string
		for _, p := range got {
			gotIDs = append(gotIDs, p.ID)
		}
		for _, p := range org.People {
			if want(p) {
				wantIDs = append(wantIDs, p.ID)
			}
		}
		slices.Sort(wantIDs)
		if !slices.Equal(gotIDs, wantIDs) {
			t.Errorf("People(%+v) = %v, want %v", f, gotIDs, wantIDs)
		}
	}
	check(store.PeopleFilter{}, func(orgconfig.Person) bool { return true })
	dept := org.People[0].Department
	check(store.PeopleFilter{UnitID: dept}, func(p orgconfig.Person) bool { return p.Department == dept })
	check(store.PeopleFilter{Role: award.RoleHead}, func(p orgconfig.Person) bool { return slices.Contains(p.Roles, award.RoleHead) })
	name := org.People[0].Name
	check(store.PeopleFilter{Text: store.Fold(name)}, func(p orgconfig.Person) bool { return strings.Contains(store.Fold(p.Name), store.Fold(name)) })
	check(store.PeopleFilter{Text: "%"}, func(p orgconfig.Person) bool { return false })
}
