package award

import "slices"

// Role is what a person may do in the agency's award process.
type Role string

const (
	RoleStaff     Role = "staff"
	RoleHead      Role = "department_head"
	RoleChair     Role = "council_chair"
	RoleSecretary Role = "council_secretary"
	RoleMember    Role = "council_member"
	RoleAdmin     Role = "admin"
	// RoleClerk is the văn thư: numbers, dates, seals and issues signed documents
	// (NĐ 30/2020/NĐ-CP Điều 15–16).
	RoleClerk Role = "clerk"
)

// Valid reports whether r is one of the known roles.
func (r Role) Valid() bool {
	switch r {
	case RoleStaff, RoleHead, RoleChair, RoleSecretary, RoleMember, RoleAdmin, RoleClerk:
		return true
	}
	return false
}

// Actor is the authenticated person behind a command. The server fills it from the
// verified token; workflows re-check every rule against it in their update validators.
type Actor struct {
	ID         string `json:"id"`
	Name       string `json:"name"`
	Department string `json:"department"`
	Roles      []Role `json:"roles"`
	// Acting: the delegations in force today that hand the actor someone else's tasks
	// (see Delegation). The server fills it at request time from the records store; it
	// travels in the command, so the workflow's checks and history replay with it.
	Acting []Mandate `json:"acting,omitempty"`
}

// Has reports whether the actor holds role r.
func (a Actor) Has(r Role) bool { return slices.Contains(a.Roles, r) }

// OnCouncil reports whether the actor sits on the emulation and commendation council,
// or does its secretary's work under a delegation (they read what the council reads).
// It grants reading only; voting is by the session's member list.
func (a Actor) OnCouncil() bool {
	return a.Has(RoleChair) || a.Has(RoleMember) || a.actsAs(RoleSecretary)
}
