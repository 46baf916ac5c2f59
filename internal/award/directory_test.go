package award

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestCanEditDirectoryEveryRole(t *testing.T) {
	for _, r := range Roles {
		err := CanEditDirectory(Actor{ID: "x", Roles: []Role{r}})
		if (err == nil) != (r == RoleAdmin) {
			t.Errorf("role %s: %v", r, err)
		}
	}
}

func TestPersonEditClean(t *testing.T) {
	ok := PersonEdit{ID: "le.van-an_2", Name: "  Lê Văn An ", Position: "Chuyên viên", Unit: "kt", Roles: []Role{RoleStaff, RoleHead, RoleStaff}}
	got, err := ok.Clean()
	if err != nil {
		t.Fatal(err)
	}
	if got.Name != "Lê Văn An" || !slices.Equal(got.Roles, []Role{RoleHead, RoleStaff}) {
		t.Fatalf("cleaned %+v", got)
	}
	bad := map[string]func(*PersonEdit){
		"upper-case id":  func(e *PersonEdit) { e.ID = "LeVan" },
		"one-char id":    func(e *PersonEdit) { e.ID = "a" },
		"id with space":  func(e *PersonEdit) { e.ID = "le van" },
		"id ends in dot": func(e *PersonEdit) { e.ID = "le." },
		"long id":        func(e *PersonEdit) { e.ID = strings.Repeat("a", 65) },
		"accented id":    func(e *PersonEdit) { e.ID = "lê" },
		"no name":        func(e *PersonEdit) { e.Name = " " },
		"control char":   func(e *PersonEdit) { e.Name = "Lê\x00An" },
		"no unit":        func(e *PersonEdit) { e.Unit = "" },
		"no role":        func(e *PersonEdit) { e.Roles = nil },
		"unknown role":   func(e *PersonEdit) { e.Roles = []Role{"root"} },
		"short password": func(e *PersonEdit) { e.Password = "1234567" },
		"long password":  func(e *PersonEdit) { e.Password = strings.Repeat("x", 73) },
	}
	for name, mut := range bad {
		e := ok
		mut(&e)
		if _, err := e.Clean(); err == nil {
			t.Errorf("%s: accepted", name)
		} else if ae, isAE := err.(*Error); !isAE || ae.Code != CodeInvalid || ae.VI == "" || ae.EN == "" {
			t.Errorf("%s: %v", name, err)
		}
	}
	// Eight characters of any script are a password (counted in characters, not bytes).
	e := ok
	e.Password = "mậtkhẩuu"
	if _, err := e.Clean(); err != nil || utf8.RuneCountInString(e.Password) != 8 {
		t.Errorf("an 8-character Vietnamese password: %v", err)
	}
}

// Whatever Unicode a name holds, Clean either refuses it or returns a name that cleans
// to itself (what reaches decisions and certificates is stable and printable).
func TestPersonEditCleanArbitraryUnicode(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	for range 5000 {
		var b strings.Builder
		for range r.IntN(24) {
			switch r.IntN(4) {
			case 0:
				b.WriteRune(rune(r.IntN(0x80)))
			case 1:
				b.WriteRune(rune(0x1EA0 + r.IntN(0x60))) // Vietnamese precomposed
			case 2:
				b.WriteRune(rune(0x300 + r.IntN(0x70))) // combining marks
			default:
				b.WriteRune(rune(r.IntN(0x10FFFF)))
			}
		}
		e := PersonEdit{ID: "ab", Name: b.String(), Unit: "vp", Roles: []Role{RoleStaff}}
		got, err := e.Clean()
		if err != nil {
			continue
		}
		again, err := got.Clean()
		if err != nil || again.Name != got.Name || got.Name == "" {
			t.Fatalf("name %q cleaned to %q, then %q (%v)", e.Name, got.Name, again.Name, err)
		}
	}
}

func TestCheckSelfEdit(t *testing.T) {
	admin := Actor{ID: "quantri", Roles: []Role{RoleAdmin}}
	if CheckSelfEdit(admin, "quantri", true, nil) == nil {
		t.Error("an admin deactivated themselves")
	}
	if CheckSelfEdit(admin, "quantri", false, []Role{RoleStaff}) == nil {
		t.Error("an admin removed their own admin role")
	}
	if err := CheckSelfEdit(admin, "quantri", false, []Role{RoleAdmin, RoleStaff}); err != nil {
		t.Error(err)
	}
	if err := CheckSelfEdit(admin, "other", true, []Role{RoleStaff}); err != nil {
		t.Error(err)
	}
}

func TestCleanUnit(t *testing.T) {
	if n, err := CleanUnit("kt", " Phòng Kế toán "); err != nil || n != "Phòng Kế toán" {
		t.Fatalf("%q %v", n, err)
	}
	for _, id := range []string{"", "K", "k t", "kt-", strings.Repeat("k", 33), "../x"} {
		if _, err := CleanUnit(id, "Phòng"); err == nil {
			t.Errorf("unit id %q accepted", id)
		}
	}
	if _, err := CleanUnit("kt", "  "); err == nil {
		t.Error("an empty unit name accepted")
	}
}

// Annual data holds discipline and absences: everyone's for the office and the council,
// a head their unit's, anyone else their own; only admins write it. Every role.
func TestAnnualDataAccessEveryRole(t *testing.T) {
	for _, r := range Roles {
		a := Actor{ID: "x", Department: "tt", Roles: []Role{r}}
		sc := AnnualDataScope(a)
		switch r {
		case RoleAdmin, RoleChair, RoleMember, RoleSecretary, RoleClerk:
			if !sc.All {
				t.Errorf("%s: scope %+v, want all", r, sc)
			}
		case RoleHead:
			if sc.All || sc.Department != "tt" {
				t.Errorf("%s: scope %+v, want the unit", r, sc)
			}
		default:
			if sc.All || sc.Department != "" || sc.Proposer != "x" {
				t.Errorf("%s: scope %+v, want their own", r, sc)
			}
		}
		if err := CanEditAnnualData(a); (err == nil) != (r == RoleAdmin) {
			t.Errorf("%s may edit annual data: %v", r, err)
		}
		if err := CanSeeStatistics(a); (err == nil) != (r == RoleAdmin || r == RoleClerk || a.OnCouncil()) {
			t.Errorf("%s may see statistics: %v", r, err)
		}
	}
}
