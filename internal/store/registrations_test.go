package store_test

import (
	"fmt"
	"slices"
	"sync"
	"testing"

	"github.com/awardflow/awardflow/internal/award"
	"github.com/awardflow/awardflow/internal/store"
)

// TestRegistrations runs the registration tests on both dialects, like TestRepository.
func TestRegistrations(t *testing.T) {
	tests := []repoTest{
		{"Lifecycle", testRegistrationLifecycle},
		{"Lists", testRegistrationLists},
		{"Concurrent", testRegistrationConcurrent},
		{"RefusesBadInput", testRegistrationRefusesBadInput},
	}
	forEachDialect(t, func(t *testing.T, env *dbEnv) {
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) { tc.fn(t, env) })
		}
	})
}

func f64(v float64) *float64 { return &v }

func reg(movement string, kind award.NomineeKind, subject, unit, by string, items ...award.Commitment) award.Registration {
	return award.Registration{MovementID: movement, Kind: kind, SubjectID: subject, UnitID: unit, RegisteredBy: by,
		Commitments: award.Commitments{Items: items}}
}

// One subject's registration from start to end: created, the same again (nothing
// written), changed, withdrawn (kept, no longer in force), withdrawn again (nothing),
// registered again (reinstated).
func testRegistrationLifecycle(t *testing.T, env *dbEnv) {
	s := env.open(t)
	c := ctx(t)
	r := reg("cds", award.KindIndividual, "hongdao", "tt", "hongdao",
		award.Commitment{ItemID: "nangsuat", Value: f64(10), Note: "Tăng năng suất “10%” — ổn định"},
		award.Commitment{ItemID: "kynang"})
	r.Commitments.Other = "Hai dòng\nthứ hai 🌸"
	got, what, err := s.PutRegistration(c, r)
	must(t, err)
	if what != store.RegistrationCreated || got.Withdrawn || got.RegisteredBy != "hongdao" || got.RegisteredAt.IsZero() ||
		got.UpdatedAt != got.RegisteredAt || got.UnitID != "tt" {
		t.Fatalf("created %s %+v", what, got)
	}
	if len(got.Commitments.Items) != 2 || *got.Commitments.Items[0].Value != 10 || got.Commitments.Items[0].Note != r.Commitments.Items[0].Note ||
		got.Commitments.Items[1].Value != nil || got.Commitments.Other != r.Commitments.Other {
		t.Fatalf("commitments do not round-trip: %+v", got.Commitments)
	}
	if ok, err := s.IsRegistered(c, "cds", award.KindIndividual, "hongdao"); err != nil || !ok {
		t.Fatalf("registered: %v %v", ok, err)
	}
	again, what, err := s.PutRegistration(c, r)
	must(t, err)
	if what != store.RegistrationUnchanged || again.UpdatedAt != got.UpdatedAt {
		t.Fatalf("the same again: %s %+v", what, again)
	}
	changed := r
	changed.RegisteredBy = "quantri"
	changed.Commitments = award.Commitments{Items: []award.Commitment{{ItemID: "nangsuat", Value: f64(12)}}}
	upd, what, err := s.PutRegistration(c, changed)
	must(t, err)
	if what != store.RegistrationUpdated || upd.RegisteredBy != "hongdao" || upd.UpdatedBy != "quantri" || *upd.Commitments.Items[0].Value != 12 ||
		upd.RegisteredAt != got.RegisteredAt || upd.UpdatedAt.Before(got.UpdatedAt) {
		t.Fatalf("changed: %s %+v", what, upd)
	}
	moved := changed
	moved.UnitID = "vp"
	if _, what, err := s.PutRegistration(c, moved); err != nil || what != store.RegistrationUpdated {
		t.Fatalf("a new unit with the same commitments: %s %v", what, err)
	}
	w, err := s.WithdrawRegistration(c, "cds", award.KindIndividual, "hongdao", "hongdao")
	must(t, err)
	if !w.Withdrawn || w.WithdrawnBy != "hongdao" || w.WithdrawnAt.IsZero() || *w.Commitments.Items[0].Value != 12 {
		t.Fatalf("withdrawn %+v", w)
	}
	if ok, err := s.IsRegistered(c, "cds", award.KindIndividual, "hongdao"); err != nil || ok {
		t.Fatalf("a withdrawn registration is in force: %v %v", ok, err)
	}
	w2, err := s.WithdrawRegistration(c, "cds", award.KindIndividual, "hongdao", "quantri")
	must(t, err)
	if w2.WithdrawnBy != "hongdao" || w2.WithdrawnAt != w.WithdrawnAt {
		t.Fatalf("withdrawing again changed the record: %+v", w2)
	}
	back, what, err := s.PutRegistration(c, r)
	must(t, err)
	if what != store.RegistrationReinstated || back.Withdrawn || back.WithdrawnBy != "" || !back.WithdrawnAt.IsZero() ||
		back.UnitID != "tt" || len(back.Commitments.Items) != 2 {
		t.Fatalf("reinstated %s %+v", what, back)
	}
	if ok, _ := s.IsRegistered(c, "cds", award.KindIndividual, "hongdao"); !ok {
		t.Fatal("reinstated, not in force")
	}
	read, err := s.Registration(c, "cds", award.KindIndividual, "hongdao")
	must(t, err)
	if read.UpdatedAt != back.UpdatedAt || read.RegisteredBy != "hongdao" {
		t.Fatalf("read %+v", read)
	}
	// Nothing else is registered: another movement, the other kind, another person.
	for _, k := range []struct {
		m    string
		kind award.NomineeKind
		id   string
	}{{"vanhoa", award.KindIndividual, "hongdao"}, {"cds", award.KindCollective, "hongdao"}, {"cds", award.KindIndividual, "quoccuong"}} {
		if ok, err := s.IsRegistered(c, k.m, k.kind, k.id); err != nil || ok {
			t.Errorf("%+v registered: %v %v", k, ok, err)
		}
		_, err := s.Registration(c, k.m, k.kind, k.id)
		wantCode(t, err, award.CodeNotFound)
		_, err = s.WithdrawRegistration(c, k.m, k.kind, k.id, "quantri")
		wantCode(t, err, award.CodeNotFound)
	}
}

// Lists by movement, kind, unit and subject, withdrawn ones on request, in a stable
// order (units, then people, by unit and id).
func testRegistrationLists(t *testing.T, env *dbEnv) {
	s := env.open(t)
	c := ctx(t)
	put := func(r award.Registration) {
		t.Helper()
		if _, _, err := s.PutRegistration(c, r); err != nil {
			t.Fatal(err)
		}
	}
	put(reg("cds", award.KindIndividual, "quoccuong", "tt", "quoccuong"))
	put(reg("cds", award.KindIndividual, "hongdao", "tt", "hongdao"))
	put(reg("cds", award.KindIndividual, "kimngan", "vp", "kimngan"))
	put(reg("cds", award.KindCollective, "tt", "tt", "tptt"))
	put(reg("cds", award.KindCollective, "vp", "vp", "chanhvp"))
	put(reg("vanhoa", award.KindIndividual, "hongdao", "tt", "hongdao"))
	if _, err := s.WithdrawRegistration(c, "cds", award.KindIndividual, "kimngan", "kimngan"); err != nil {
		t.Fatal(err)
	}
	keys := func(rs []award.Registration) []string {
		out := []string{}
		for _, r := range rs {
			out = append(out, fmt.Sprintf("%s:%s", r.Kind, r.SubjectID))
		}
		return out
	}
	for _, tc := range []struct {
		f    store.RegistrationFilter
		want []string
	}{
		{store.RegistrationFilter{Movement: "cds"}, []string{"collective:tt", "collective:vp", "individual:hongdao", "individual:quoccuong"}},
		{store.RegistrationFilter{Movement: "cds", Withdrawn: true}, []string{"collective:tt", "collective:vp", "individual:hongdao", "individual:quoccuong", "individual:kimngan"}},
		{store.RegistrationFilter{Movement: "cds", UnitID: "tt"}, []string{"collective:tt", "individual:hongdao", "individual:quoccuong"}},
		{store.RegistrationFilter{Movement: "cds", UnitID: "vp"}, []string{"collective:vp"}},
		{store.RegistrationFilter{Movement: "cds", UnitID: "vp", Withdrawn: true}, []string{"collective:vp", "individual:kimngan"}},
		{store.RegistrationFilter{Movement: "cds", Kind: award.KindIndividual}, []string{"individual:hongdao", "individual:quoccuong"}},
		{store.RegistrationFilter{Movement: "cds", Kind: award.KindIndividual, Subject: "hongdao"}, []string{"individual:hongdao"}},
		{store.RegistrationFilter{Movement: "vanhoa"}, []string{"individual:hongdao"}},
		{store.RegistrationFilter{Movement: "none"}, []string{}},
	} {
		got, err := s.Registrations(c, tc.f)
		must(t, err)
		// Withdrawn ones sort by unit like the rest.
		if k := keys(got); !slices.Equal(k, tc.want) {
			t.Errorf("%+v: %v, want %v", tc.f, k, tc.want)
		}
	}
	if _, err := s.Registrations(c, store.RegistrationFilter{}); err == nil {
		t.Error("a list without a movement")
	}
}

// Many registrations of one subject at once (a double click, two tabs, the person and
// an admin): one row, exactly one caller told it created it, the row holds one caller's
// commitments whole.
func testRegistrationConcurrent(t *testing.T, env *dbEnv) {
	s := env.open(t)
	c := ctx(t)
	const n = 8
	var wg sync.WaitGroup
	whats := make([]store.RegistrationWrite, n)
	errs := make([]error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := reg("cds", award.KindCollective, "tt", "tt", "tptt", award.Commitment{ItemID: "vbdt", Value: f64(float64(100 - i%2))})
			_, whats[i], errs[i] = s.PutRegistration(c, r)
		}()
	}
	wg.Wait()
	created := 0
	for i := range n {
		must(t, errs[i])
		if whats[i] == store.RegistrationCreated {
			created++
		}
	}
	if created != 1 {
		t.Fatalf("%d callers created the registration: %v", created, whats)
	}
	rs, err := s.Registrations(c, store.RegistrationFilter{Movement: "cds", Withdrawn: true})
	must(t, err)
	if len(rs) != 1 || len(rs[0].Commitments.Items) != 1 || (*rs[0].Commitments.Items[0].Value != 100 && *rs[0].Commitments.Items[0].Value != 99) {
		t.Fatalf("rows %+v", rs)
	}
}

func testRegistrationRefusesBadInput(t *testing.T, env *dbEnv) {
	s := env.open(t)
	c := ctx(t)
	for name, r := range map[string]award.Registration{
		"no movement":  reg("", award.KindIndividual, "hongdao", "tt", "hongdao"),
		"no subject":   reg("cds", award.KindIndividual, " ", "tt", "hongdao"),
		"unknown kind": reg("cds", "team", "hongdao", "tt", "hongdao"),
	} {
		t.Run(name, func(t *testing.T) {
			_, _, err := s.PutRegistration(c, r)
			wantCode(t, err, award.CodeInvalid)
		})
	}
	if _, _, err := s.PutRegistration(c, reg("cds", award.KindIndividual, "hongdao", "", "hongdao")); err == nil {
		t.Error("a registration without a unit")
	}
	if _, _, err := s.PutRegistration(c, reg("cds", award.KindIndividual, "hongdao", "tt", "")); err == nil {
		t.Error("a registration without who registered it")
	}
	_, err := s.WithdrawRegistration(c, "cds", "team", "hongdao", "x")
	wantCode(t, err, award.CodeInvalid)
	if rs, _ := s.Registrations(c, store.RegistrationFilter{Movement: "cds", Withdrawn: true}); len(rs) != 0 {
		t.Fatalf("refused input was written: %+v", rs)
	}
}
