package award

import "strings"

// What the minutes record of the meeting itself, worked out once from the session.

// FieldLocation is the meeting place a secretary may give when opening a session.
var FieldLocation = TextField{"Địa điểm họp", "location"}

// maxLocation bounds a meeting place, in characters.
const maxLocation = 300

// CheckLocation checks a meeting place (already cleaned; empty means the configured
// default).
func CheckLocation(place string) error {
	if len([]rune(place)) > maxLocation {
		return Invalid("Địa điểm họp dài quá %d ký tự", "the meeting place is longer than %d characters", maxLocation)
	}
	return nil
}

// Ballots are the ballot figures of a session (số phiếu phát ra, thu vào, hợp lệ, không
// hợp lệ).
//
// Issued: one ballot per voting member present. The service knows who was present only
// by the ballot they returned (an electronic ballot is in every member's inbox; one who
// attends but does not vote cannot be told from one who is absent), so issued equals
// returned [practice: "số phiếu phát ra" is the number of voting members present].
// Invalid ballots (not marking the agenda exactly) count for nothing; every valid ballot
// marks every proposal, so each proposal's yes + no + abstain equals Valid.
type Ballots struct {
	Issued, Returned, Valid, Invalid int
	// Counted is false when the ballots were not opened (below quorum): Valid and
	// Invalid are then unknown and must not be printed.
	Counted bool
}

// Ballots returns the session's ballot figures.
func (s *Session) Ballots() Ballots {
	n := len(s.Voted)
	b := Ballots{Issued: n, Returned: n, Counted: s.Quorate() && s.Results != nil}
	if b.Counted {
		b.Invalid = min(s.Invalid, n)
		b.Valid = n - b.Invalid
	}
	return b
}

// Attendance splits the voting members into those present (who cast a ballot) and
// those absent, in the council's order. present + absent = the voting members.
func (s *Session) Attendance() (present, absent []Member) {
	voted := map[string]bool{}
	for _, id := range s.Voted {
		voted[id] = true
	}
	for _, m := range s.Voters() {
		if voted[m.ID] {
			present = append(present, m)
		} else {
			absent = append(absent, m)
		}
	}
	return present, absent
}

// VotingMethod is how the council voted on an award type, as its rule says: "bỏ phiếu
// kín" (secret ballot) or "biểu quyết giơ tay" (show of hands).
func (v VoteRule) VotingMethod() string {
	if v.Secret {
		return "bỏ phiếu kín"
	}
	return "biểu quyết giơ tay"
}

// MethodsText names the voting method of each award type on the agenda, grouped by
// method in agenda order: "bỏ phiếu kín đối với hình thức “A”, “B”; biểu quyết giơ tay
// đối với hình thức “C”". name gives an award type's printed name.
func (s *Session) MethodsText(codes []string, name func(code string) string) string {
	var order []string
	by := map[string][]string{}
	for _, c := range codes {
		m := s.Rules[c].VotingMethod()
		if _, ok := by[m]; !ok {
			order = append(order, m)
		}
		by[m] = append(by[m], "“"+name(c)+"”")
	}
	parts := make([]string, len(order))
	for i, m := range order {
		parts[i] = m + " đối với hình thức " + strings.Join(by[m], ", ")
	}
	return strings.Join(parts, "; ")
}
