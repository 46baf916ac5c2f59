package store_test

import (
	"errors"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/awardflow/awardflow/internal/award"
	"github.com/awardflow/awardflow/internal/store"
)

// testPersonCreateOnly: an edit marked CreateOnly adds a new person, is refused (a
// Vietnamese duplicate error, nothing written) for a person who exists — seeded, added
// or deactivated — and of concurrent create-only edits of one new id exactly one passes.
func testPersonCreateOnly(t *testing.T, env *dbEnv) {
	s := env.open(t)
	c := ctx(t)
	_, err := s.SeedDirectory(c, demoOrg(t))
	must(t, err)
	unit := demoOrg(t).Departments[0].ID
	edit := func(id string) store.PersonEdit {
		return store.PersonEdit{ID: id, Name: "Người Thêm " + id, Position: "Chuyên viên", UnitID: unit,
			Roles: []award.Role{award.RoleStaff}, PasswordHash: "$2a$10$x", CreateOnly: true}
	}
	refused := func(id string) {
		t.Helper()
		before, _ := s.Person(c, id)
		v0, _ := s.DirectoryVersion(c)
		_, err := s.UpsertPerson(c, edit(id), "admin")
		var e *award.Error
		if !errors.As(err, &e) || e.Code != award.CodeDuplicate || e.VI == "" {
			t.Fatalf("create-only of existing %s: %v, want a duplicate error", id, err)
		}
		after, _ := s.Person(c, id)
		if v, _ := s.DirectoryVersion(c); v != v0 || after.Name != before.Name || after.PasswordHash != before.PasswordHash {
			t.Errorf("a refused create-only changed %s (version %d → %d)", id, v0, v)
		}
	}
	refused("hongdao") // seeded
	changed, err := s.UpsertPerson(c, edit("moi"), "admin")
	must(t, err)
	if !changed {
		t.Fatal("creating a person reported no change")
	}
	refused("moi") // added, even with the very same fields
	must(t, s.DeactivatePerson(c, "moi", "admin", "nghỉ hưu"))
	refused("moi") // deactivated

	for i := range 4 {
		id := "dua" + strconv.Itoa(i)
		var wg sync.WaitGroup
		errs := make([]error, 3)
		for j := range errs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, errs[j] = s.UpsertPerson(c, edit(id), "admin"+strconv.Itoa(j))
			}()
		}
		wg.Wait()
		ok := 0
		for _, err := range errs {
			if err == nil {
				ok++
			}
		}
		if ok != 1 {
			t.Errorf("%s created by 3 at once: %d succeeded (%v)", id, ok, errs)
		}
		if h, _ := s.PersonHistory(c, id); len(h) != 1 {
			t.Errorf("%s: %d history rows, want 1", id, len(h))
		}
	}
}

// testMoveRefusalSaysTheAgencyDates: a move dated before the latest change is refused
// with both dates as the admin reads them, in the zone the date was given in (the
// agency's), not in UTC: a move from 15/01 in Vietnam is "15/01", not "14/01".
func testMoveRefusalSaysTheAgencyDates(t *testing.T, env *dbEnv) {
	s := env.open(t)
	c := ctx(t)
	org := demoOrg(t)
	_, err := s.SeedDirectory(c, org)
	must(t, err)
	vn, err := time.LoadLocation("Asia/Ho_Chi_Minh")
	must(t, err)
	p0 := org.People[1]
	other := org.Departments[0].ID
	if other == p0.Department {
		other = org.Departments[1].ID
	}
	seeded, err := s.Person(c, p0.ID)
	must(t, err)
	err = s.MovePerson(c, p0.ID, other, "Phó phòng", time.Date(2020, 1, 15, 0, 0, 0, 0, vn), "admin", "")
	var e *award.Error
	if !errors.As(err, &e) || e.Code != award.CodeInvalid {
		t.Fatalf("a move before the seeding: %v, want invalid", err)
	}
	want := "Ngày hiệu lực 15/01/2020 trước lần thay đổi gần nhất (" + seeded.UpdatedAt.In(vn).Format("02/01/2006 15:04") + ")"
	if e.VI != want {
		t.Errorf("refusal %q, want %q", e.VI, want)
	}
}
