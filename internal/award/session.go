package award

import (
	"maps"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
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
	// SessionIssueFailed: a document could not be issued (e.g. a name the document font
	// cannot print). The session waits, visibly, for the secretary to exclude the
	// offending proposal or to retry; nothing retries forever.
	SessionIssueFailed SessionStatus = "issue_failed"
	// SessionNotQuorate: voting ended below quorum. The ballots were never opened; the
	// minutes record the meeting without counts and the proposals wait for another session.
	SessionNotQuorate SessionStatus = "not_quorate"
	// SessionDeciding: the vote is counted and the minutes issued; the draft decisions
	// and submissions wait for their signer and then the văn thư (see lifecycle.go).
	SessionDeciding SessionStatus = "deciding"
)

// Failure is why issuing the session's documents stopped: shown on the session so that
// the secretary can act on it.
type Failure struct {
	Step       string `json:"step"` // tally, number, decision, submission, minutes, outcome
	DocumentID string `json:"document_id,omitempty"`
	// ProposalIDs are the proposals whose text the document cannot carry, when the
	// failure could be traced to them: excluding them lets issuing resume.
	ProposalIDs []string  `json:"proposal_ids,omitempty"`
	VI          string    `json:"message"`
	EN          string    `json:"message_en"`
	Retryable   bool      `json:"retryable"` // an outage: retrying alone may succeed
	At          time.Time `json:"at"`
}

// Exclusion records a proposal the secretary took off the session after voting
// (because its documents could not be issued); it went back to the council's queue.
type Exclusion struct {
	ProposalID  string    `json:"proposal_id"`
	NomineeName string    `json:"nominee_name"`
	AwardType   string    `json:"award_type"`
	Reason      string    `json:"reason"`
	ByID        string    `json:"by_id"`
	By          string    `json:"by"`
	At          time.Time `json:"at"`
}

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
	ProposalID  string `json:"proposal_id"`
	NomineeName string `json:"nominee_name"`
	// NomineeID is the nominee's person in the directory ("" for collectives and
	// people without an account): the award register keys awardees by it.
	NomineeID  string      `json:"nominee_id,omitempty"`
	Position   string      `json:"position"`
	Department string      `json:"department"`
	Kind       NomineeKind `json:"kind"`
	AwardType  string      `json:"award_type"`
	MovementID string      `json:"movement_id"`
	// Year is the proposal's achievement year, whose rule set its documents cite and
	// whose coefficient they print; 0 on agendas made before items carried it (then the
	// movement's year, else the year of the document).
	Year int `json:"year,omitempty"`
}

// Session is a council meeting that votes on a set of proposals.
//
// Ballot secrecy: the session keeps who took part (Voted), the sealed ballots until the
// count, and then the counts per proposal (Counts) — never which member chose what.
type Session struct {
	ID    string `json:"id"`
	Title string `json:"title"`
	// Location is where the council meets (địa điểm), printed in the minutes.
	Location string           `json:"location,omitempty"`
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
	Sealed  []string              `json:"-"`
	Results map[string]Result     `json:"results,omitempty"`
	Rules   map[string]VoteRule   `json:"rules"` // by award type code, snapshotted at opening
	Quota   map[string]QuotaTrace `json:"quota,omitempty"`
	// QuotaRegister is what the award register held for the quotas when the session was
	// counted; nil in sessions counted before quotas counted the year (quota.go).
	QuotaRegister *QuotaRegister `json:"quota_register,omitempty"`
	// Casting holds the chair's marks on the proposals tied at a quota's cut under the
	// chair's casting vote, once read from the chair's ballot (SetCasting); nil before.
	// Never shown: QuotaGroup.Casting says what it settled.
	Casting   map[string]Choice `json:"-"`
	Decisions []DecisionRef     `json:"decisions,omitempty"`
	// Submissions (tờ trình) propose awards above the agency's authority upward.
	Submissions []DecisionRef `json:"submissions,omitempty"`
	Minutes     *DocumentRef  `json:"minutes,omitempty"`
	// Failure is set while the session is SessionIssueFailed.
	Failure  *Failure    `json:"failure,omitempty"`
	Excluded []Exclusion `json:"excluded,omitempty"`
	// Documents are the decisions and submissions on their way from draft to issue
	// (sessions closed since the decision lifecycle; see lifecycle.go).
	Documents []PendingDocument `json:"documents,omitempty"`
	// CouncilSubmission is the council's own tờ trình to the head, signed by the chair.
	CouncilSubmission *DocumentRef `json:"council_submission,omitempty"`
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
	// IssuedBy: the văn thư who numbered and sealed it, and for whom under a delegation
	// (DecisionRef.IssuedBy).
	IssuedByID   string `json:"issued_by_id,omitempty"`
	IssuedByName string `json:"issued_by,omitempty"`
	OnBehalfOfID string `json:"on_behalf_of_id,omitempty"`
	OnBehalfOf   string `json:"on_behalf_of,omitempty"`
}

// maxSessionTitle bounds a session title, in characters.
const maxSessionTitle = 300

// CheckSessionTitle checks a session title (already trimmed).
func CheckSessionTitle(title string) error {
	if strings.TrimSpace(title) == "" || utf8.RuneCountInString(title) > maxSessionTitle {
		return Invalid("Cần nhập tên phiên họp (tối đa %d ký tự)", "title is required (at most %d characters)", maxSessionTitle)
	}
	return nil
}

// CheckOpenSession reports whether a session may be opened over these proposals (their
// current state): the opener is the secretary, the title is set, the agenda is not empty,
// lists no proposal twice, and every proposal waits for the council — none is on
// another session. It is checked before the session's workflow starts, so a refused
// opening leaves nothing behind; the workflow's open validator asks CanOpenSession again.
func CheckOpenSession(a Actor, title string, agenda []*Proposal) error {
	if err := CanOpenSession(a); err != nil {
		return err
	}
	if err := CheckSessionTitle(title); err != nil {
		return err
	}
	if len(agenda) == 0 {
		return Invalid("Không có hồ sơ nào chờ Hội đồng xét", "no proposal is waiting for the council")
	}
	seen := map[string]bool{}
	for _, p := range agenda {
		if seen[p.ID] {
			return Invalid("Hồ sơ đề nghị khen thưởng %[1]s có hai lần trong danh sách", "the proposal for %[1]s is listed twice", p.NomineeName)
		}
		seen[p.ID] = true
		if p.Stage == StageInSession {
			// Named by the nominee: people read this, not workflow ids (the page links the
			// session from the proposal).
			return Duplicate("Hồ sơ đề nghị khen thưởng %[1]s đang được xét ở một phiên họp khác", "the proposal for %[1]s is already on another council session", p.NomineeName)
		}
		if err := p.CheckJoinSession(""); err != nil {
			return err
		}
	}
	return nil
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
	s.Quota = nil
	members, present := len(s.Voters()), len(s.Voted)
	for _, it := range s.Agenda {
		s.Results[it.ProposalID] = s.Rules[it.AwardType].Judge(members, present, s.Counts[it.ProposalID])
	}
	s.applyQuotas()
}

func (s *Session) applyQuotas() {
	if s.QuotaRegister != nil {
		s.applyYearQuotas()
		return
	}
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

// QuorumMet reports whether enough members voted for the rule of one award type.
func (s *Session) QuorumMet(code string) bool {
	return s.Rules[code].QuorumMet(len(s.Voters()), len(s.Voted))
}

// Countable lists, in agenda order, the proposals whose ballots may be opened: those
// whose award type's quorum was met. Below quorum, ballots are not opened at all — with
// one or two voters the totals would tell who chose what.
func (s *Session) Countable() []string {
	out := []string{}
	for _, it := range s.Agenda {
		if s.QuorumMet(it.AwardType) {
			out = append(out, it.ProposalID)
		}
	}
	return out
}

// Quorate reports whether any proposal of the session can be counted.
func (s *Session) Quorate() bool { return len(s.Countable()) > 0 }

// Finish marks the session's end once documents and outcomes are out: done, or not
// quorate when no ballot could be opened.
func (s *Session) Finish() {
	if s.Quorate() {
		s.Status = SessionDone
	} else {
		s.Status = SessionNotQuorate
	}
}

// Fail stops issuing with a visible reason.
func (s *Session) Fail(f Failure) {
	s.Status, s.Failure = SessionIssueFailed, &f
}

func checkSecretary(a Actor) error {
	if !a.actsAs(RoleSecretary) {
		return Forbidden("Chỉ thư ký Hội đồng mới xử lý được phiên họp lập văn bản không thành công", "only the council secretary may act on a session whose documents failed")
	}
	return nil
}

// maxReason bounds the reason given for an exclusion, in characters.
const maxReason = 1000

// CheckExclude reports whether the secretary may take a proposal off a session whose
// documents could not be issued. A proposal already in an issued document stays, and
// so does one whose removal would change who an issued document names (quotas).
func (s *Session) CheckExclude(a Actor, proposalID, reason string) error {
	if err := checkSecretary(a); err != nil {
		return err
	}
	if s.Status != SessionIssueFailed {
		return WrongStage("Chỉ loại hồ sơ khỏi phiên họp khi lập văn bản không thành công", "a proposal can be excluded only while the session's documents have failed")
	}
	if strings.TrimSpace(reason) == "" || utf8.RuneCountInString(reason) > maxReason {
		return Invalid("Cần ghi lý do loại hồ sơ khỏi phiên họp (tối đa %d ký tự)", "a reason is required (at most %d characters)", maxReason)
	}
	if !slices.ContainsFunc(s.Agenda, func(it AgendaItem) bool { return it.ProposalID == proposalID }) {
		return NotFound("Hồ sơ %s không có trong phiên họp", "proposal %s is not on the session's agenda", proposalID)
	}
	issued := append(append([]DecisionRef{}, s.Decisions...), s.Submissions...)
	for _, d := range s.Documents { // drafted: the list is before its signer
		issued = append(issued, DecisionRef{DocumentRef: DocumentRef{ID: d.ID, NumberText: d.Kind.LabelVI() + " (dự thảo)"}, AwardType: d.AwardType, Awardees: d.Awardees})
	}
	for _, d := range issued {
		if slices.Contains(d.Awardees, proposalID) {
			return WrongStage("Hồ sơ %[1]s đã có trong văn bản %[2]s", "proposal %[1]s is already in the document %[2]s", proposalID, d.NumberText)
		}
	}
	after := s.clone()
	after.remove(proposalID)
	for _, d := range issued {
		var now []string
		for _, it := range after.Awardees(d.AwardType) {
			now = append(now, it.ProposalID)
		}
		if !slices.Equal(now, d.Awardees) {
			return WrongStage("Loại hồ sơ %[1]s sẽ làm thay đổi danh sách trong văn bản %[2]s", "excluding %[1]s would change who the document %[2]s names", proposalID, d.NumberText)
		}
	}
	return nil
}

// Exclude takes a proposal off the session: its votes are set aside, the others are
// judged again (quotas), and issuing resumes. The caller sends the proposal back to the
// council's queue.
func (s *Session) Exclude(a Actor, proposalID, reason string, now time.Time) (Exclusion, error) {
	if err := s.CheckExclude(a, proposalID, reason); err != nil {
		return Exclusion{}, err
	}
	var it AgendaItem
	for _, x := range s.Agenda {
		if x.ProposalID == proposalID {
			it = x
		}
	}
	s.remove(proposalID)
	ex := Exclusion{ProposalID: proposalID, NomineeName: it.NomineeName, AwardType: it.AwardType,
		Reason: strings.TrimSpace(reason), ByID: a.ID, By: a.Name, At: now}
	s.Excluded = append(s.Excluded, ex)
	s.Status, s.Failure = SessionClosed, nil
	return ex, nil
}

// CheckRetryIssue reports whether the secretary may ask to issue the documents again
// (after an outage, or once the cause was put right).
func (s *Session) CheckRetryIssue(a Actor) error {
	if err := checkSecretary(a); err != nil {
		return err
	}
	if s.Status != SessionIssueFailed {
		return WrongStage("Phiên họp không ở trạng thái lập văn bản không thành công", "the session's documents have not failed")
	}
	return nil
}

// RetryIssue resumes issuing.
func (s *Session) RetryIssue(a Actor) error {
	if err := s.CheckRetryIssue(a); err != nil {
		return err
	}
	s.Status, s.Failure = SessionClosed, nil
	return nil
}

// clone copies what Exclude changes, for a what-if.
func (s *Session) clone() *Session {
	c := *s
	c.Agenda = slices.Clone(s.Agenda)
	c.Counts = maps.Clone(s.Counts)
	c.Results = maps.Clone(s.Results)
	c.Quota = maps.Clone(s.Quota)
	c.Casting = maps.Clone(s.Casting)
	return &c
}

// remove drops a proposal from the agenda and judges the others again.
func (s *Session) remove(proposalID string) {
	s.Agenda = slices.DeleteFunc(s.Agenda, func(it AgendaItem) bool { return it.ProposalID == proposalID })
	if s.Results == nil {
		return
	}
	counts := maps.Clone(s.Counts)
	delete(counts, proposalID)
	s.Judge(counts, s.Invalid)
}

// FillBallot completes a ballot marked "the same for all, except these" (đồng ý tất cả
// với ngoại lệ): every agenda item without its own mark gets all. An exception for a
// proposal that is not on the agenda, or an invalid choice, is refused; with all empty
// the marks are returned as they are (CheckMarks then asks for every item).
func (s *Session) FillBallot(all Choice, marks map[string]Choice) (map[string]Choice, error) {
	if all == "" {
		return marks, nil
	}
	if !all.Valid() {
		return nil, Invalid("Lựa chọn chung “%s” không hợp lệ (đồng ý/không đồng ý/không ý kiến)", "choice for all %q must be yes, no or abstain", all)
	}
	out := make(map[string]Choice, len(s.Agenda))
	for id, ch := range marks {
		if !slices.ContainsFunc(s.Agenda, func(it AgendaItem) bool { return it.ProposalID == id }) {
			return nil, Invalid("Phiếu có hồ sơ không thuộc phiên họp", "the ballot marks proposals that are not on the agenda")
		}
		out[id] = ch
	}
	for _, it := range s.Agenda {
		if _, ok := out[it.ProposalID]; !ok {
			out[it.ProposalID] = all
		}
	}
	return out, nil
}
