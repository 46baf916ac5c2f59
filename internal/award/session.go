package award

import (
	"slices"
	"time"
)

// SessionStatus is the state of a council session.
type SessionStatus string

const (
	// SessionOpening: the session's workflow has started and is putting the proposals
	// on its agenda (the visibility stage of a session that has not answered yet).
	SessionOpening SessionStatus = "opening"
	SessionOpen    SessionStatus = "open"
	SessionClosed  SessionStatus = "closed" // voting ended, documents being issued
	SessionDone    SessionStatus = "done"   // outcomes delivered, documents issued
)

// Member is a council member as snapshotted when the session opens, so a later change of
// the organisation config cannot change who may vote in a running session.
type Member struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	Title string `json:"title"`
	Role  Role   `json:"role"` // council_chair, council_member or council_secretary
	Votes bool   `json:"votes"`
}

// AgendaItem is a proposal under vote.
type AgendaItem struct {
	ProposalID  string      `json:"proposal_id"`
	NomineeName string      `json:"nominee_name"`
	Position    string      `json:"position"`
	Department  string      `json:"department"`
	Kind        NomineeKind `json:"kind"`
	AwardType   string      `json:"award_type"`
	MovementID  string      `json:"movement_id"`
}

// Session is a council meeting that votes on a set of proposals.
//
// Ballot secrecy: the session keeps who took part (Voted), the sealed ballots until the
// count, and then the counts per proposal (Counts) — never which member chose what.
type Session struct {
	ID       string           `json:"id"`
	Title    string           `json:"title"`
	OpenedBy string           `json:"opened_by"`
	OpenedAt time.Time        `json:"opened_at"`
	ClosedAt time.Time        `json:"closed_at,omitzero"`
	Status   SessionStatus    `json:"status"`
	Members  []Member         `json:"members"`
	Agenda   []AgendaItem     `json:"agenda"`
	Voted    []string         `json:"voted"` // member ids, in order of voting
	Counts   map[string]Count `json:"counts"`
	Invalid  int              `json:"invalid_ballots"`
	// Sealed ballots wait here for the count; never shown or returned (json:"-").
	Sealed    []string              `json:"-"`
	Results   map[string]Result     `json:"results,omitempty"`
	Rules     map[string]VoteRule   `json:"rules"` // by award type code, snapshotted at opening
	Quota     map[string]QuotaTrace `json:"quota,omitempty"`
	Decisions []DecisionRef         `json:"decisions,omitempty"`
	// Submissions (tờ trình) propose awards above the agency's authority upward.
	Submissions []DecisionRef `json:"submissions,omitempty"`
	Minutes     *DocumentRef  `json:"minutes,omitempty"`
}

// QuotaTrace records how a quota cut the list, for the minutes.
type QuotaTrace struct {
	Limit   int      `json:"limit"`
	Dropped []string `json:"dropped"`
}

// DocumentRef points at a signed document in object storage.
type DocumentRef struct {
	ID         string    `json:"id"`
	Key        string    `json:"key"`
	SHA256     string    `json:"sha256"`
	Size       int64     `json:"size"`
	NumberText string    `json:"number_text"`
	IssuedAt   time.Time `json:"issued_at"`
}

// DecisionRef is an issued award decision.
type DecisionRef struct {
	DocumentRef
	Number    int      `json:"number"`
	Year      int      `json:"year"`
	AwardType string   `json:"award_type"`
	Awardees  []string `json:"awardees"` // proposal ids
}

// Voters are the members with a vote.
func (s *Session) Voters() []Member {
	var out []Member
	for _, m := range s.Members {
		if m.Votes {
			out = append(out, m)
		}
	}
	return out
}

func (s *Session) member(id string) (Member, bool) {
	for _, m := range s.Members {
		if m.ID == id {
			return m, true
		}
	}
	return Member{}, false
}

// CheckVoter reports whether the actor may cast a ballot now: a voting member, once,
// while the session is open.
func (s *Session) CheckVoter(a Actor) error {
	m, ok := s.member(a.ID)
	if !ok || !m.Votes {
		return Forbidden("Chỉ thành viên Hội đồng mới được bỏ phiếu", "only council members may vote")
	}
	if s.Status != SessionOpen {
		return WrongStage("Phiên họp đã kết thúc bỏ phiếu", "the session is no longer open for voting")
	}
	if slices.Contains(s.Voted, a.ID) {
		return Duplicate("Thành viên đã bỏ phiếu trong phiên họp này", "this member has already voted in this session")
	}
	return nil
}

// CheckMarks reports whether a ballot marks every proposal on the agenda exactly once
// with a valid choice.
func (s *Session) CheckMarks(marks map[string]Choice) error {
	return s.CheckMarksNamed(marks, nil)
}

// CheckMarksNamed is CheckMarks with the award types named by awardName (nil: by their
// code) in its messages: a missing mark is reported by nominee and award, the way the
// ballot shows them, never by proposal id.
func (s *Session) CheckMarksNamed(marks map[string]Choice, awardName func(code string) string) error {
	// Walk the agenda, not the map: workflows call this, and map order is random.
	for _, it := range s.Agenda {
		ch, ok := marks[it.ProposalID]
		if !ok {
			name := it.AwardType
			if awardName != nil {
				name = awardName(it.AwardType)
			}
			return Invalid("Phiếu phải có ý kiến cho đủ %[1]d hồ sơ: chưa chọn ý kiến cho %[2]s (%[3]s)",
				"the ballot must mark all %[1]d proposals: %[2]s (%[3]s) is not marked", len(s.Agenda), it.NomineeName, name)
		}
		if !ch.Valid() {
			return Invalid("Lựa chọn “%s” không hợp lệ (đồng ý/không đồng ý/không ý kiến)", "choice %q must be yes, no or abstain", ch)
		}
	}
	if len(marks) != len(s.Agenda) { // every agenda item is marked, so the rest are strangers
		return Invalid("Phiếu có hồ sơ không thuộc phiên họp", "the ballot marks proposals that are not on the agenda")
	}
	return nil
}

// Cast records that a member voted and keeps the sealed ballot for the count. The
// session never holds a member's choices in the clear (see package ballotbox).
func (s *Session) Cast(a Actor, sealed string) error {
	if err := s.CheckVoter(a); err != nil {
		return err
	}
	if sealed == "" {
		return Invalid("Phiếu bầu trống", "empty ballot")
	}
	s.Voted = append(s.Voted, a.ID)
	s.Sealed = append(s.Sealed, sealed)
	return nil
}

// Tally counts opened ballots. A ballot that does not mark the agenda exactly is invalid
// (phiếu không hợp lệ) and counts for nothing.
func (s *Session) Tally(ballots []map[string]Choice) (counts map[string]Count, invalid int) {
	counts = map[string]Count{}
	for _, b := range ballots {
		if s.CheckMarks(b) != nil {
			invalid++
			continue
		}
		for _, it := range s.Agenda {
			c := counts[it.ProposalID]
			c.Add(b[it.ProposalID])
			counts[it.ProposalID] = c
		}
	}
	return counts, invalid
}

// CheckClose reports whether the actor may close voting: only the chair, once.
func (s *Session) CheckClose(a Actor) error {
	m, ok := s.member(a.ID)
	if !ok || m.Role != RoleChair {
		return Forbidden("Chỉ Chủ tịch Hội đồng mới được kết thúc phiên họp", "only the council chair may close the session")
	}
	if s.Status != SessionOpen {
		return Duplicate("Phiên họp đã kết thúc", "the session is already closed")
	}
	return nil
}

// Close ends voting. The ballots are then opened and counted, and Judge applies the rules.
func (s *Session) Close(a Actor, now time.Time) error {
	if err := s.CheckClose(a); err != nil {
		return err
	}
	s.Status, s.ClosedAt = SessionClosed, now
	return nil
}

// Judge takes the counts of the closed session and judges every proposal with its award
// type's rule, then applies quotas between award types.
func (s *Session) Judge(counts map[string]Count, invalid int) {
	s.Counts, s.Invalid = counts, invalid
	s.Results = map[string]Result{}
	members, present := len(s.Voters()), len(s.Voted)
	for _, it := range s.Agenda {
		s.Results[it.ProposalID] = s.Rules[it.AwardType].Judge(members, present, s.Counts[it.ProposalID])
	}
	s.applyQuotas()
}

func (s *Session) applyQuotas() {
	passedOf := func(code string) []Ranked {
		var out []Ranked
		for _, it := range s.Agenda {
			if it.AwardType == code && s.Results[it.ProposalID].Passed {
				out = append(out, Ranked{ProposalID: it.ProposalID, Yes: s.Counts[it.ProposalID].Yes})
			}
		}
		return out
	}
	// Agenda order, not map order: workflows run this and must be deterministic.
	for _, code := range s.AwardTypes() {
		r := s.Rules[code]
		if r.Quota == nil {
			continue
		}
		q := *r.Quota
		cands := passedOf(code)
		kept, limit := ApplyQuota(q, len(passedOf(q.OfAwardType)), cands)
		trace := QuotaTrace{Limit: limit}
		for _, c := range cands {
			if kept[c.ProposalID] {
				continue
			}
			r := s.Results[c.ProposalID]
			r.Passed = false
			r.Reason += "; vượt chỉ tiêu " + itoa(q.Percent) + "% (tối đa " + itoa(limit) + ")"
			s.Results[c.ProposalID] = r
			trace.Dropped = append(trace.Dropped, c.ProposalID)
		}
		if s.Quota == nil {
			s.Quota = map[string]QuotaTrace{}
		}
		s.Quota[code] = trace
	}
}

// Awardees returns the passed proposals of one award type, in agenda order.
func (s *Session) Awardees(code string) []AgendaItem {
	var out []AgendaItem
	for _, it := range s.Agenda {
		if it.AwardType == code && s.Results[it.ProposalID].Passed {
			out = append(out, it)
		}
	}
	return out
}

// AwardTypes returns the award type codes on the agenda, in agenda order.
func (s *Session) AwardTypes() []string {
	var out []string
	for _, it := range s.Agenda {
		if !slices.Contains(out, it.AwardType) {
			out = append(out, it.AwardType)
		}
	}
	return out
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	neg := n < 0
	if neg {
		n = -n
	}
	var b []byte
	for n > 0 {
		b = append([]byte{byte('0' + n%10)}, b...)
		n /= 10
	}
	if neg {
		b = append([]byte{'-'}, b...)
	}
	return string(b)
}
