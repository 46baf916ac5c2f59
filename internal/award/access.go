package award

import (
	"slices"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Who may do what outside one proposal's life: filing, council sessions, exports, lists.
// The HTTP layer asks these and nothing else, so the rules are table-tested here.

// CanFile reports whether the actor may file a proposal for a nominee of dept: anyone
// for their own department (staff for themselves or their unit, heads for their
// department), admins for any department.
func CanFile(a Actor, dept string) error {
	if dept == a.Department || a.Has(RoleAdmin) {
		return nil
	}
	return Forbidden("Chỉ được lập hồ sơ cho cá nhân, tập thể thuộc phòng của mình", "you may only file proposals for your own department")
}

// CanOpenSession reports whether the actor may open a council session: the secretary.
func CanOpenSession(a Actor) error {
	if a.actsAs(RoleSecretary) {
		return nil
	}
	return Forbidden("Chỉ thư ký Hội đồng mới được mở phiên họp", "only the council secretary may open a session")
}

// CanSeeSessions reports whether the actor may list and read council sessions: the
// council (chair, members, secretary), the văn thư (who issues their documents) and
// admins.
func CanSeeSessions(a Actor) error {
	if a.OnCouncil() || a.Has(RoleAdmin) || a.actsAs(RoleClerk) {
		return nil
	}
	return Forbidden("Chỉ thành viên Hội đồng và văn thư mới xem được phiên họp", "only council members and the clerk may see sessions")
}

// CanExport reports whether the actor may download a session's documents as one
// archive: the secretary, the chair and admins.
func CanExport(a Actor) error {
	if a.actsAs(RoleSecretary) || a.Has(RoleChair) || a.Has(RoleAdmin) {
		return nil
	}
	return Forbidden("Chỉ thư ký, Chủ tịch Hội đồng hoặc quản trị mới được tải hồ sơ phiên họp", "only the secretary, the chair or an admin may export a session")
}

// ListScope is which proposals a list shows the actor.
type ListScope struct {
	All        bool   // every proposal (council, admins)
	Department string // the proposals of one department (its heads)
	Proposer   string // the proposals the actor filed (everyone else)
}

// ProposalScope is the list scope of the actor. It never shows more than CanView allows:
// each scope selects proposals CanView grants the actor.
func ProposalScope(a Actor) ListScope {
	switch {
	case a.Has(RoleAdmin) || a.OnCouncil():
		return ListScope{All: true}
	case a.Has(RoleHead):
		return ListScope{Department: a.Department}
	}
	return ListScope{Proposer: a.ID}
}

// Reviewers is who reviews (endorses, returns, rejects) a proposal, and so who is
// assigned to it once it is submitted. The heads of the nominee's department review it,
// unless a head is involved: a head who filed it, or a head it nominates. Then nobody of
// that department reviews it (a deputy does not judge their own head): it goes to the
// people the organisation config names for heads' proposals (by default the agency head,
// who chairs the council; a deputy may be added). Nobody ever reviews a proposal that
// they filed or that nominates them. An empty result means nobody can review it:
// CheckSubmit refuses to submit such a proposal rather than let it wait forever.
func Reviewers(proposerID, nomineeID string, heads, headReviewers []string) []string {
	involved := func(id string) bool { return id == proposerID || (nomineeID != "" && id == nomineeID) }
	from := heads
	if len(heads) == 0 || slices.ContainsFunc(heads, involved) {
		from = headReviewers
	}
	out := []string{}
	for _, id := range from {
		if !involved(id) && !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out
}

// Person is an entry of the directory, as far as nominee matching needs it.
type Person struct {
	ID         string
	Name       string
	Department string
}

// ResolveNominee links an individual nominee to a person of the directory, so that
// "nobody reviews a proposal that concerns them" can compare people, not spellings.
//
//   - With nominee_id the person must exist and belong to the proposal's department; an
//     empty nominee_name takes their name, a given one must match it.
//   - Without it, the nominee name is compared with the people of the proposal's
//     department, ignoring case, spacing and diacritics ("Pham Minh Tam" is "Phạm Minh
//     Tâm"): one match links that person; several ask for nominee_id; none is refused
//     (nominees are records of the directory: the admin adds a person first).
//   - Collective nominees are units, never people: nominee_id is refused.
func ResolveNominee(d Draft, directory []Person) (Draft, error) {
	if d.Kind == KindCollective {
		if d.NomineeID != "" {
			return d, Invalid("Tập thể không có mã người được đề nghị (nominee_id)", "a collective nominee has no nominee_id")
		}
		return d, nil
	}
	if d.NomineeID != "" {
		i := slices.IndexFunc(directory, func(p Person) bool { return p.ID == d.NomineeID })
		if i < 0 || directory[i].Department != d.Department {
			return d, Invalid("Người được đề nghị “%s” không thuộc phòng của hồ sơ", "nominee %q is not a person of the proposal's department", d.NomineeID)
		}
		switch {
		case strings.TrimSpace(d.NomineeName) == "":
			d.NomineeName = directory[i].Name
		case FoldName(d.NomineeName) != FoldName(directory[i].Name):
			return d, Invalid("Tên “%[1]s” không khớp với người có mã “%[2]s”", "nominee name %[1]q does not match person %[2]q", d.NomineeName, d.NomineeID)
		}
		return d, nil
	}
	var matches []string
	for _, p := range directory {
		if p.Department == d.Department && FoldName(p.Name) == FoldName(d.NomineeName) {
			matches = append(matches, p.ID)
		}
	}
	switch len(matches) {
	case 0:
		// Nominees are records: an award goes to a person of the directory (Luật Thi
		// đua, khen thưởng 2022 Điều 89 k2 calls for a database of who received what).
		return d, Invalid("Không có ai tên “%[1]s” trong phòng “%[2]s” của danh bạ: chọn người được đề nghị trong danh bạ (quản trị thêm người mới nếu cần)",
			"nobody named %[1]q in department %[2]q of the directory: choose the nominee from the directory (an admin adds new people)", d.NomineeName, d.Department)
	case 1:
		d.NomineeID = matches[0]
		return d, nil
	}
	return d, Invalid("Có nhiều người tên “%[1]s” trong phòng; hãy chọn người được đề nghị (nominee_id: %[2]s)", "several people are named %[1]q in the department; choose one with nominee_id (%[2]s)", d.NomineeName, strings.Join(matches, ", "))
}

// FoldName reduces text to what identifies a name spelled carelessly, and to what search
// compares (the records store's lists): NFD without combining marks, đ as d, lower case,
// single spaces. "Nguyễn Thị Hồng Đào" and "nguyen thi hong dao" fold alike.
func FoldName(s string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
		case r == 'đ' || r == 'Đ':
			b.WriteByte('d')
		default:
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return strings.Join(strings.Fields(b.String()), " ")
}

// CanSeeStatistics reports whether the actor may read and download the yearly
// statistics of awards: the council, the văn thư and admins (the office that reports
// upward).
func CanSeeStatistics(a Actor) error {
	if a.OnCouncil() || a.actsAs(RoleClerk) || a.Has(RoleAdmin) {
		return nil
	}
	return Forbidden("Chỉ Hội đồng, văn thư và quản trị mới xem được thống kê khen thưởng", "only the council, the clerk and admins may see the award statistics")
}

// CanEditAnnualData reports whether the actor may import or enter the annual data
// (ratings, absences, discipline, initiatives): admins (the thi đua – khen thưởng
// office).
func CanEditAnnualData(a Actor) error {
	if a.Has(RoleAdmin) {
		return nil
	}
	return Forbidden("Chỉ quản trị mới được nhập dữ liệu bình xét", "only an admin may import or enter the annual data")
}

// AnnualDataScope is whose annual data the actor may read — it holds discipline and
// absences: admins, the council and the văn thư everyone's (they judge and report); a
// department head their unit's; anyone else their own.
func AnnualDataScope(a Actor) ListScope { return officeScope(a) }

// officeScope is the scope of the records the thi đua – khen thưởng office keeps about
// people (annual data, registrations): the office — admins, the council, the văn thư —
// sees everyone's; a department head their unit's; anyone else their own.
func officeScope(a Actor) ListScope {
	switch {
	case a.Has(RoleAdmin) || a.OnCouncil() || a.actsAs(RoleClerk):
		return ListScope{All: true}
	case a.Has(RoleHead):
		return ListScope{Department: a.Department}
	}
	return ListScope{Proposer: a.ID}
}

// CanRecordUpwardResult reports whether the actor may record a higher body's answer to a
// submission: the văn thư (who receives incoming documents) and admins.
func CanRecordUpwardResult(a Actor) error {
	if a.actsAs(RoleClerk) || a.Has(RoleAdmin) {
		return nil
	}
	return Forbidden("Chỉ văn thư hoặc quản trị mới được ghi kết quả khen thưởng của cấp trên", "only the văn thư or an admin may record a higher body's result")
}
