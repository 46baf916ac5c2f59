package award

import (
	"regexp"
	"slices"
	"unicode/utf8"
)

// The directory of people and units, as the admin edits it. The rules about the whole
// organisation (one chair, a văn thư, the signer active) need the agency configuration
// and live in orgconfig.Org.CheckDirectory; these are the rules of one edit.

// CanEditDirectory reports whether the actor may change the directory: admins only.
func CanEditDirectory(a Actor) error {
	if a.Has(RoleAdmin) {
		return nil
	}
	return Forbidden("Chỉ quản trị mới được sửa danh bạ cơ quan", "only an admin may edit the directory")
}

// PersonIDPattern is what a person id (the sign-in name, and the name of their
// certificate file) may look like: lower-case ASCII letters and digits, with '.', '_'
// or '-' inside, 2 to 64 characters.
var PersonIDPattern = regexp.MustCompile(`^[a-z0-9](?:[a-z0-9._-]{0,62}[a-z0-9])$`)

// UnitIDPattern is what a unit id may look like (it appears in list filters and URLs).
var UnitIDPattern = regexp.MustCompile(`^[a-z0-9](?:[a-z0-9_-]{0,30}[a-z0-9])?$`)

// MinPasswordLen is the shortest password an admin may set.
const MinPasswordLen = 8

// maxPasswordLen: bcrypt reads 72 bytes; a longer password would be silently cut.
const maxPasswordLen = 72

// Text fields of the directory.
var (
	FieldPersonName     = TextField{"Họ và tên", "name"}
	FieldPersonPosition = TextField{"Chức vụ", "position"}
	FieldUnitName       = TextField{"Tên đơn vị", "unit name"}
	FieldReason         = TextField{"Lý do", "reason"}
)

// PersonEdit is what the admin sets on a person.
type PersonEdit struct {
	ID       string `json:"-"`
	Name     string `json:"name"`
	Position string `json:"position"`
	Unit     string `json:"unit"`
	Roles    []Role `json:"roles"`
	Password string `json:"password,omitempty"` // "" keeps the current one
}

// Clean checks and normalises an edit: the id, the name and position (printable in
// documents: they appear on decisions and certificates), the unit, the roles (known, at
// least one, each once, sorted) and the password's length.
func (e PersonEdit) Clean() (PersonEdit, error) {
	if !PersonIDPattern.MatchString(e.ID) {
		return e, Invalid("Mã người dùng “%s” không hợp lệ: chỉ dùng chữ thường không dấu, số và . _ - (2–64 ký tự)",
			"invalid person id %q: use lower-case ASCII letters, digits and . _ - (2–64 characters)", e.ID)
	}
	var err error
	if e.Name, err = CleanLine(FieldPersonName, e.Name); err != nil {
		return e, err
	}
	if e.Name == "" {
		return e, Invalid("Cần nhập họ và tên", "a name is required")
	}
	if e.Position, err = CleanLine(FieldPersonPosition, e.Position); err != nil {
		return e, err
	}
	if !UnitIDPattern.MatchString(e.Unit) {
		return e, Invalid("Cần chọn đơn vị", "a unit is required")
	}
	if len(e.Roles) == 0 {
		return e, Invalid("Cần chọn ít nhất một vai trò", "at least one role is required")
	}
	for _, r := range e.Roles {
		if !r.Valid() {
			return e, Invalid("Vai trò “%s” không tồn tại", "unknown role %q", string(r))
		}
	}
	e.Roles = slices.Clone(e.Roles)
	slices.Sort(e.Roles)
	e.Roles = slices.Compact(e.Roles)
	if e.Password != "" {
		if n := utf8.RuneCountInString(e.Password); n < MinPasswordLen {
			return e, Invalid("Mật khẩu cần ít nhất %d ký tự", "the password needs at least %d characters", MinPasswordLen)
		}
		if len(e.Password) > maxPasswordLen {
			return e, Invalid("Mật khẩu dài quá %d byte", "the password is longer than %d bytes", maxPasswordLen)
		}
	}
	return e, nil
}

// CheckSelfEdit refuses the admin locking themselves out: deactivating their own
// account or taking away their own admin role (another admin must do it).
func CheckSelfEdit(a Actor, personID string, deactivate bool, roles []Role) error {
	if a.ID != personID {
		return nil
	}
	if deactivate {
		return Invalid("Không thể tự ngừng hoạt động tài khoản của mình", "you cannot deactivate your own account")
	}
	if roles != nil && !slices.Contains(roles, RoleAdmin) {
		return Invalid("Không thể tự bỏ vai trò quản trị của mình", "you cannot remove your own admin role")
	}
	return nil
}

// CleanUnit checks a unit's id and name.
func CleanUnit(id, name string) (string, error) {
	if !UnitIDPattern.MatchString(id) {
		return "", Invalid("Mã đơn vị “%s” không hợp lệ: chỉ dùng chữ thường không dấu, số và _ - (1–32 ký tự)",
			"invalid unit id %q: use lower-case ASCII letters, digits and _ - (1–32 characters)", id)
	}
	name, err := CleanLine(FieldUnitName, name)
	if err != nil {
		return "", err
	}
	if name == "" {
		return "", Invalid("Cần nhập tên đơn vị", "a unit name is required")
	}
	return name, nil
}
