package orgconfig

import (
	"context"
	"slices"

	"github.com/awardflow/awardflow/internal/award"
)

// Source gives the organisation as it stands: the YAML's agency profile, catalogue and
// rules, with the directory (units and people) as the admin last edited it. Handlers and
// activities ask it once per request or activity and use that one value throughout.
type Source interface {
	Current(ctx context.Context) (*Org, error)
}

// Current makes a fixed *Org a Source (tests, and deployments without a records store):
// its directory is the YAML's.
func (o *Org) Current(context.Context) (*Org, error) { return o, nil }

// WithDirectory is o with the directory's units and people in place of the config's
// (closed units and deactivated people included, marked). The council chair remains the
// default reviewer of heads' own proposals when none is configured.
func (o *Org) WithDirectory(units []Department, people []Person) *Org {
	c := *o
	c.Departments = slices.Clone(units)
	c.People = slices.Clone(people)
	if o.defaultReviewers {
		c.Agency.HeadProposalReviewers = nil
		for _, p := range c.active() {
			if slices.Contains(p.Roles, award.RoleChair) {
				c.Agency.HeadProposalReviewers = append(c.Agency.HeadProposalReviewers, p.ID)
			}
		}
	}
	return &c
}

// CheckDirectory vets a directory before an edit commits (the records store runs it in
// the edit's transaction): the organisation must still work with it. Every active person
// belongs to an open unit and has known roles; there is exactly one active council
// chair, at least one active văn thư and one active admin; the signer of decisions, the deputies decisions
// are delegated to and the configured reviewers of heads' own proposals are active
// people. The error (the first problem found) says in Vietnamese and English what the
// edit would break.
func (o *Org) CheckDirectory(units []Department, people []Person) error {
	open := map[string]bool{}
	known := map[string]bool{}
	for _, u := range units {
		known[u.ID] = true
		if !u.Closed {
			open[u.ID] = true
		}
	}
	var errs []error
	byID := map[string]Person{}
	chairs, clerks, admins := 0, 0, 0
	for _, p := range people {
		byID[p.ID] = p
		if p.Inactive {
			continue
		}
		switch {
		case !known[p.Department]:
			errs = append(errs, award.Invalid("%[1]s thuộc đơn vị “%[2]s” không tồn tại", "%[1]s belongs to unknown unit %[2]q", p.Name, p.Department))
		case !open[p.Department]:
			errs = append(errs, award.Invalid("Đơn vị “%[2]s” còn %[1]s đang làm việc: điều chuyển người trước khi giải thể đơn vị",
				"unit %[2]q still has %[1]s: move its people before closing it", p.Name, p.Department))
		}
		if len(p.Roles) == 0 {
			errs = append(errs, award.Invalid("%s cần ít nhất một vai trò", "%s needs at least one role", p.Name))
		}
		for _, r := range p.Roles {
			if !r.Valid() {
				errs = append(errs, award.Invalid("Vai trò “%[2]s” của %[1]s không tồn tại", "%[1]s has unknown role %[2]q", p.Name, string(r)))
			}
		}
		if slices.Contains(p.Roles, award.RoleChair) {
			chairs++
		}
		if slices.Contains(p.Roles, award.RoleClerk) {
			clerks++
		}
		if slices.Contains(p.Roles, award.RoleAdmin) {
			admins++
		}
	}
	if chairs != 1 {
		errs = append(errs, award.Invalid("Hội đồng phải có đúng một Chủ tịch đang làm việc (sau thay đổi này: %[1]d)",
			"the council needs exactly one active chair (after this change: %[1]d)", chairs))
	}
	if clerks == 0 {
		errs = append(errs, award.Invalid("Phải còn ít nhất một văn thư đang làm việc để vào số và phát hành quyết định",
			"at least one active văn thư (clerk) must remain to number and issue decisions"))
	}
	if admins == 0 {
		errs = append(errs, award.Invalid("Phải còn ít nhất một quản trị đang làm việc để sửa danh bạ",
			"at least one active admin must remain to edit the directory"))
	}
	mustBeActive := func(id, whatVI, whatEN string) {
		p, ok := byID[id]
		switch {
		case !ok:
			errs = append(errs, award.Invalid("%[1]s (“%[3]s”) không có trong danh bạ", "%[2]s (%[3]q) is not in the directory", whatVI, whatEN, id))
		case p.Inactive:
			errs = append(errs, award.Invalid("%[1]s là %[2]s theo cấu hình cơ quan: không thể ngừng hoạt động tài khoản này khi chưa đổi cấu hình",
				"%[1]s is %[3]s in the agency configuration: change the configuration before deactivating them", p.Name, whatVI, whatEN))
		}
	}
	mustBeActive(o.Agency.Decision.Signer, "người ký quyết định", "the signer of decisions")
	for _, d := range o.Agency.Decision.Delegations {
		mustBeActive(d.Signer, "người được giao ký thay", "a deputy decisions are delegated to")
	}
	if !o.defaultReviewers {
		for _, id := range o.Agency.HeadProposalReviewers {
			mustBeActive(id, "người xét đề nghị của lãnh đạo phòng", "a reviewer of department heads' proposals")
		}
	}
	if len(errs) > 0 {
		return errs[0] // one clear message: the editor fixes one thing at a time
	}
	return nil
}
