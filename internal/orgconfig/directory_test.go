package orgconfig

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/awardflow/awardflow/internal/award"
)

func demo(t *testing.T) *Org {
	t.Helper()
	o, err := Demo()
	if err != nil {
		t.Fatal(err)
	}
	return o
}

// edit returns the demo directory with fn applied to a copy of its people.
func edit(o *Org, fn func(units []Department, people []Person) ([]Department, []Person)) ([]Department, []Person) {
	return fn(slices.Clone(o.Departments), slices.Clone(o.People))
}

func set(people []Person, id string, fn func(*Person)) []Person {
	for i := range people {
		if people[i].ID == id {
			fn(&people[i])
		}
	}
	return people
}

func withRole(o *Org, r award.Role) string {
	ps := o.WithRole(r)
	if len(ps) == 0 {
		panic("demo has nobody with role " + string(r))
	}
	return ps[0].ID
}

// Every rule of CheckDirectory refuses the edit that breaks it, with a message in both
// languages, and the demo directory itself passes.
func TestCheckDirectory(t *testing.T) {
	o := demo(t)
	if err := o.CheckDirectory(o.Departments, o.People); err != nil {
		t.Fatalf("the demo directory: %v", err)
	}
	chair, clerk := withRole(o, award.RoleChair), withRole(o, award.RoleClerk)
	staff := withRole(o, award.RoleStaff)
	deputy := o.Agency.Decision.Delegations[0].Signer
	cases := []struct {
		name string
		fn   func([]Department, []Person) ([]Department, []Person)
		want string // in the Vietnamese message
	}{
		{"chair deactivated", func(u []Department, p []Person) ([]Department, []Person) {
			return u, set(p, chair, func(p *Person) { p.Inactive = true })
		}, "Chủ tịch"},
		{"chair role removed", func(u []Department, p []Person) ([]Department, []Person) {
			return u, set(p, chair, func(p *Person) { p.Roles = []award.Role{award.RoleStaff} })
		}, "Chủ tịch"},
		{"second chair", func(u []Department, p []Person) ([]Department, []Person) {
			return u, set(p, staff, func(p *Person) { p.Roles = append(p.Roles, award.RoleChair) })
		}, "đúng một Chủ tịch"},
		{"last clerk deactivated", func(u []Department, p []Person) ([]Department, []Person) {
			return u, set(p, clerk, func(p *Person) { p.Inactive = true })
		}, "văn thư"},
		{"signer deactivated", func(u []Department, p []Person) ([]Department, []Person) {
			p = set(p, staff, func(p *Person) { p.Roles = append(p.Roles, award.RoleChair) }) // the signer chairs in the demo
			p = set(p, o.Agency.Decision.Signer, func(p *Person) { p.Roles = []award.Role{award.RoleMember} })
			return u, set(p, o.Agency.Decision.Signer, func(p *Person) { p.Inactive = true })
		}, "người ký quyết định"},
		{"deputy deactivated", func(u []Department, p []Person) ([]Department, []Person) {
			return u, set(p, deputy, func(p *Person) { p.Inactive = true })
		}, "ký thay"},
		{"unit closed with people", func(u []Department, p []Person) ([]Department, []Person) {
			for i := range u {
				if u[i].ID == o.People[0].Department {
					u[i].Closed = true
				}
			}
			return u, p
		}, "giải thể"},
		{"last admin deactivated", func(u []Department, p []Person) ([]Department, []Person) {
			return u, set(p, withRole(o, award.RoleAdmin), func(p *Person) { p.Inactive = true })
		}, "quản trị"},
		{"unknown unit", func(u []Department, p []Person) ([]Department, []Person) {
			return u, set(p, staff, func(p *Person) { p.Department = "khong-co" })
		}, "không tồn tại"},
		{"unknown role", func(u []Department, p []Person) ([]Department, []Person) {
			return u, set(p, staff, func(p *Person) { p.Roles = []award.Role{"boss"} })
		}, "Vai trò"},
		{"no role", func(u []Department, p []Person) ([]Department, []Person) {
			return u, set(p, staff, func(p *Person) { p.Roles = nil })
		}, "vai trò"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			units, people := edit(o, tc.fn)
			err := o.CheckDirectory(units, people)
			var ae *award.Error
			if !errors.As(err, &ae) || ae.Code != award.CodeInvalid {
				t.Fatalf("got %v, want an invalid error", err)
			}
			if !strings.Contains(ae.VI, tc.want) || ae.EN == "" || ae.EN == ae.VI {
				t.Fatalf("message %q / %q: want %q in Vietnamese and an English text", ae.VI, ae.EN, tc.want)
			}
		})
	}
	// Deactivating someone nothing depends on, or a clerk when another remains, passes.
	units, people := edit(o, func(u []Department, p []Person) ([]Department, []Person) {
		return u, set(p, staff, func(p *Person) { p.Inactive = true })
	})
	if err := o.CheckDirectory(units, people); err != nil {
		t.Fatalf("deactivating a staff member: %v", err)
	}
	units, people = edit(o, func(u []Department, p []Person) ([]Department, []Person) {
		p = append(p, Person{ID: "vanthu2", Name: "Văn thư Hai", Department: o.Departments[0].ID, Roles: []award.Role{award.RoleClerk}})
		return u, set(p, clerk, func(p *Person) { p.Inactive = true })
	})
	if err := o.CheckDirectory(units, people); err != nil {
		t.Fatalf("replacing the clerk: %v", err)
	}
}

// The organisation a directory makes: deactivated people and closed units keep their
// names (Anyone, Department) but get no work, no sign-in, no council seat and no new
// proposals; a new chair becomes the default reviewer of heads' own proposals.
func TestWithDirectory(t *testing.T) {
	o := demo(t)
	// As when head_proposal_reviewers is not configured (the demo names them).
	o.Agency.HeadProposalReviewers = []string{withRole(o, award.RoleChair)}
	o.defaultReviewers = true
	chair, staff := withRole(o, award.RoleChair), withRole(o, award.RoleStaff)
	units, people := edit(o, func(u []Department, p []Person) ([]Department, []Person) {
		p = set(p, chair, func(p *Person) { p.Roles = []award.Role{award.RoleMember} })
		p = set(p, staff, func(p *Person) { p.Roles = append(p.Roles, award.RoleChair) })
		u = append(u, Department{ID: "cu", Name: "Phòng Cũ", Closed: true})
		p = append(p, Person{ID: "nghihuu", Name: "Trần Văn Hưu", Department: "cu", Roles: []award.Role{award.RoleHead, award.RoleSecretary}, Inactive: true})
		return u, p
	})
	if err := o.CheckDirectory(units, people); err != nil {
		t.Fatal(err)
	}
	d := o.WithDirectory(units, people)
	if _, ok := d.Person("nghihuu"); ok {
		t.Error("Person found a deactivated person")
	}
	if p, ok := d.Anyone("nghihuu"); !ok || p.Name != "Trần Văn Hưu" {
		t.Error("Anyone lost a deactivated person's name")
	}
	if slices.Contains(d.IDsWithRole(award.RoleSecretary), "nghihuu") || len(d.HeadsOf("cu")) != 0 ||
		slices.ContainsFunc(d.Council(), func(m award.Member) bool { return m.ID == "nghihuu" }) ||
		slices.ContainsFunc(d.Directory(), func(p award.Person) bool { return p.ID == "nghihuu" }) {
		t.Error("a deactivated person still gets work, a council seat or nominations")
	}
	if got := d.Agency.HeadProposalReviewers; !slices.Equal(got, []string{staff}) {
		t.Errorf("default reviewers %v, want the new chair %s", got, staff)
	}
	if got := o.Agency.HeadProposalReviewers; !slices.Equal(got, []string{chair}) {
		t.Errorf("WithDirectory changed the original's reviewers: %v", got)
	}
	err := d.CheckDraft(award.Draft{Kind: award.KindCollective, AwardType: "TTLDTT", MovementID: o.Movements[0].ID, Department: "cu"})
	var ae *award.Error
	if !errors.As(err, &ae) || !strings.Contains(ae.VI, "giải thể") {
		t.Errorf("a proposal in a closed unit: %v", err)
	}
	if cur, err := o.Current(context.Background()); err != nil || cur != o {
		t.Error("a fixed Org is not its own Source")
	}
}
