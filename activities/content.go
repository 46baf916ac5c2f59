package activities

// The content of each document — what it says, built from the organisation config and
// the workflow's request — apart from how it is numbered, signed and stored
// (documents.go).

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/awardflow/awardflow/internal/award"
	"github.com/awardflow/awardflow/internal/orgconfig"
	"github.com/awardflow/awardflow/templates"
	"github.com/awardflow/awardflow/workflows"
)

// DecisionDocument builds the decision's content from the organisation config.
func DecisionDocument(org *orgconfig.Org, req workflows.DecisionRequest) (templates.Decision, error) {
	t, ok := org.AwardType(req.AwardType)
	if !ok {
		return templates.Decision{}, fmt.Errorf("award type %q is not in the organisation config", req.AwardType)
	}
	ag := org.Agency
	dc := ag.Decision
	signer := org.HeadSigner()
	if req.Signer != nil {
		signer = *req.Signer
	}
	period, movement := "", ""
	year := req.Date.In(org.Location()).Year() // the achievement year: the proposals', else the movement's, else the decision's
	if len(req.Awardees) > 0 {
		if m, ok := org.Movement(req.Awardees[0].MovementID); ok {
			movement = m.Name
			if m.Year > 0 {
				period = fmt.Sprintf("năm %d", m.Year)
			}
		}
		year = achievementYear(org, req.Awardees[0], req.Date)
	}
	// The laws cited are those of the rule set the achievements were judged under (a
	// 2024 achievement cites NĐ 98/2023, a 2025 one NĐ 152/2025), then the agency's own.
	bases := dc.Bases
	if rs, ok := award.RuleSetForYear(org.RuleSets, year); ok && len(rs.DecisionBases) > 0 {
		bases = append(slices.Clone(rs.DecisionBases), dc.Bases...)
	}
	d := templates.Decision{
		Agency:     templateAgency(org),
		NumberText: award.FormatNumber(ag.Profile, req.Number, workflows.DocDecision, ag.Code),
		Date:       req.Date.In(org.Location()),
		Authority:  dc.Authority,
		Bases:      bases,
		AwardName:  t.Name,
		Period:     period,
		Movement:   movement,
		Executors:  dc.Executors,
		Recipients: dc.Recipients,
		Signer:     templates.Signer{Prefix: signer.Prefix, Body: signer.Body, Title: signer.Title, Name: signer.Name},
	}
	if strings.HasPrefix(t.Name, "Giấy khen") {
		d.AwardPhrase = t.Name
		d.Subject = "Về việc tặng " + t.Name
	} else {
		d.Subject = "Về việc tặng danh hiệu “" + t.Name + "”"
	}
	if period != "" {
		d.Subject += " " + period
	}
	// The bonus uses the base salary in force on the decision's date, rounded up as the
	// agency configures; no rate in force → no amount printed (never a guess).
	asOf := req.Date
	if !req.ContentDate.IsZero() {
		asOf = req.ContentDate
	}
	kind := award.KindIndividual
	if len(req.Awardees) > 0 {
		kind = req.Awardees[0].Kind // one kind per decision (see workflows: prepare)
	}
	// The coefficient is the one of the rule set of the achievement year (the set whose
	// căn cứ the decision cites); the catalogue's only when the year's set removed the
	// type (a session opened before sets carried types).
	bt, ok := org.AwardTypeForYear(req.AwardType, year)
	if !ok {
		bt = t
	}
	if base, ok := award.BaseSalaryAt(ag.BaseSalaries, asOf); ok && bt.Coefficient(kind) > 0 {
		d.BonusCoefficient, d.BaseSalary = bt.Coefficient(kind), base.Amount
		d.BonusRoundUpTo, d.BonusFundSource = ag.BonusRoundUpTo, ag.BonusFundSource
	}
	d.Collective = len(req.Awardees) > 0
	for _, it := range req.Awardees {
		d.Awardees = append(d.Awardees, templates.Awardee{Name: it.NomineeName, Position: it.Position, Unit: unitOf(org, it)})
		d.Collective = d.Collective && it.Kind == award.KindCollective
	}
	return d, nil
}

func templateAgency(org *orgconfig.Org) templates.Agency {
	ag := org.Agency
	return templates.Agency{
		Profile: templates.Profile(ag.Profile), ParentName: ag.Parent, Name: ag.Name,
		Code: ag.Code, Place: ag.Place, FullName: ag.FullName,
	}
}

// MinutesDocument builds the minutes from the closed session: time and place, who was
// present and absent by name, the voting method of each award type as configured, the
// ballot figures, the pass rule of each award type once, the table of counts with
// each proposal's award.VoteResult, notes once (quotas), and the conclusion.
func MinutesDocument(org *orgconfig.Org, req workflows.MinutesRequest) templates.Minutes {
	s := req.Session
	ag := org.Agency
	loc := org.Location()
	m := templates.Minutes{
		Agency:       templateAgency(org),
		NumberText:   award.FormatNumber(ag.Profile, req.Number, workflows.DocMinutes, ag.Code),
		Date:         req.Date.In(loc),
		SessionTitle: s.Title,
		Opened:       s.OpenedAt.In(loc),
		Closed:       s.ClosedAt.In(loc),
		Location:     s.Location,
		Title:        "Biên bản " + s.Title,
	}
	if s.OpenedAt.IsZero() {
		m.Opened = time.Time{}
	}
	if s.ClosedAt.IsZero() {
		m.Closed = time.Time{}
	}
	if m.Location == "" { // sessions opened before the place was recorded
		m.Location = ag.MeetingPlace
	}
	label := func(mem award.Member) string {
		if mem.Title != "" {
			return mem.Name + ", " + mem.Title
		}
		return mem.Name
	}
	for _, mem := range s.Members {
		switch {
		case mem.Role == award.RoleChair:
			m.Chair, m.ChairRole = mem.Name, mem.Title+", Chủ tịch Hội đồng"
		case mem.Role == award.RoleSecretary && m.Secretary == "":
			m.Secretary, m.SecretaryRole = mem.Name, mem.Title+", Thư ký Hội đồng"
		}
	}
	if m.Secretary == "" { // a secretary who also votes is listed as a member
		for _, mem := range s.Members {
			if p, ok := org.Person(mem.ID); ok && hasRole(p, award.RoleSecretary) {
				m.Secretary, m.SecretaryRole = mem.Name, mem.Title+", Thư ký Hội đồng"
				break
			}
		}
	}
	present, absent := s.Attendance()
	for _, mem := range present {
		m.Present = append(m.Present, label(mem))
	}
	for _, mem := range absent {
		m.Absent = append(m.Absent, label(mem))
	}
	members, voted := len(s.Voters()), len(s.Voted)
	m.Members = members
	council := orDefault(ag.CouncilName, "Hội đồng Thi đua - Khen thưởng")
	m.QuorumText = fmt.Sprintf("Có mặt và tham gia bỏ phiếu %02d/%02d thành viên %s.", voted, members, council)
	if !s.Quorate() && len(s.Agenda) > 0 {
		m.QuorumText = fmt.Sprintf("Có mặt và tham gia bỏ phiếu %02d/%02d thành viên %s, không đủ số thành viên theo quy chế của Hội đồng.", voted, members, council)
	}
	name := func(code string) string {
		if t, ok := org.AwardType(code); ok {
			return t.Name
		}
		return code
	}

	// What the council had before it, by award type.
	var perType []string
	for _, code := range s.AwardTypes() {
		n := 0
		for _, it := range s.Agenda {
			if it.AwardType == code {
				n++
			}
		}
		perType = append(perType, fmt.Sprintf("%02d hồ sơ đề nghị tặng “%s”", n, name(code)))
	}
	if len(s.Agenda) > 0 {
		m.Agenda = append(m.Agenda, fmt.Sprintf("Thư ký Hội đồng trình danh sách %02d hồ sơ đề nghị khen thưởng (%s); các thành viên Hội đồng thảo luận, cho ý kiến đối với từng trường hợp.",
			len(s.Agenda), strings.Join(perType, "; ")))
	}
	// Below quorum the ballots were not opened: those proposals are listed without any
	// count, and wait for another session.
	var deferred []string
	var counted []string // award types whose ballots were opened, in agenda order
	for _, code := range s.AwardTypes() {
		if s.QuorumMet(code) {
			counted = append(counted, code)
		}
	}
	for _, it := range s.Agenda {
		if s.QuorumMet(it.AwardType) {
			continue
		}
		deferred = append(deferred, fmt.Sprintf("%s (%s, cần %s số thành viên)", it.NomineeName, name(it.AwardType), s.Rules[it.AwardType].Quorum))
	}
	if len(deferred) > 0 {
		m.Agenda = append(m.Agenda, fmt.Sprintf("Số thành viên tham gia bỏ phiếu chưa đạt tỷ lệ theo quy chế đối với %02d hồ sơ sau; Hội đồng không mở phiếu, không kiểm phiếu các hồ sơ này và chuyển sang phiên họp sau: %s.",
			len(deferred), strings.Join(deferred, "; ")))
	}
	ballots := s.Ballots()
	if voted > 0 {
		m.Ballots = &ballots
	}
	if len(counted) > 0 {
		m.Methods = s.MethodsText(counted, name)
	}
	for _, code := range counted {
		rule := s.Rules[code]
		unit := "người"
		if rule.Base == award.BaseValid {
			unit = "phiếu"
		}
		base := rule.BaseCount(members, voted, ballots.Valid)
		m.VoteRules = append(m.VoteRules, fmt.Sprintf("Hình thức “%s”: tỷ lệ đồng ý tính trên %s (%02d %s), đạt khi %s.",
			name(code), rule.Base.Label(), base, unit, rule.ThresholdText()))
	}
	for _, it := range s.Agenda {
		if !s.QuorumMet(it.AwardType) {
			continue
		}
		c := s.Counts[it.ProposalID]
		res := s.Results[it.ProposalID]
		vote := voteOf(s, it, res)
		result := "Không đạt"
		switch {
		case res.Passed:
			result = "Đạt"
		case res.Revote: // tied at a quota's cut
			result = "Bỏ phiếu lại"
		case vote.Passed: // passed the vote, cut by a quota
			result = "Vượt chỉ tiêu"
		}
		m.Items = append(m.Items, templates.MinutesItem{
			Nominee: it.NomineeName, AwardName: name(it.AwardType), Yes: c.Yes, No: c.No, Abstain: c.Abstain,
			Vote: vote, Passed: res.Passed, Result: result,
		})
	}
	m.Notes = quotaNotes(s, name)
	m.Conclusion = conclusion(org, s)
	return m
}

// voteOf is a proposal's VoteResult: the one the session recorded, or — for sessions
// judged before results carried one — worked out again from the rule and the counts.
func voteOf(s award.Session, it award.AgendaItem, res award.Result) award.VoteResult {
	if res.Vote != nil {
		return *res.Vote
	}
	c := s.Counts[it.ProposalID]
	return s.Rules[it.AwardType].Vote(len(s.Voters()), len(s.Voted), c.Cast(), c.Yes)
}

// quotaNotes explain, once per award type, how a quota cut the list. Sessions counted
// since quotas count the year print how each quota was worked out (the register's
// figures, this session's, the rounding, the seats left, the ties): award.QuotaGroup.
func quotaNotes(s award.Session, name func(string) string) []string {
	var out []string
	for _, code := range s.AwardTypes() {
		tr, ok := s.Quota[code]
		q := s.Rules[code].Quota
		if ok && len(tr.Groups) > 0 {
			for _, g := range tr.Groups {
				out = append(out, g.Text)
			}
			continue
		}
		if !ok || q == nil || len(tr.Dropped) == 0 {
			continue
		}
		var names []string
		for _, id := range tr.Dropped {
			for _, it := range s.Agenda {
				if it.ProposalID == id {
					names = append(names, it.NomineeName)
				}
			}
		}
		note := fmt.Sprintf("Hình thức “%s” có chỉ tiêu không quá %d%% số trường hợp đạt “%s” (%s trường hợp), tức tối đa %s trường hợp; %s trường hợp đạt số phiếu nhưng vượt chỉ tiêu, không được đề nghị: %s.",
			name(code), q.Percent, name(q.OfAwardType), count(len(s.Awardees(q.OfAwardType))), count(tr.Limit), count(len(names)), strings.Join(names, ", "))
		if kept := len(s.Awardees(code)); kept < tr.Limit {
			// ApplyQuota drops a tie at the cut rather than break it: the council settles it.
			note += " Các trường hợp có số phiếu đồng ý bằng nhau tại ngưỡng chỉ tiêu không được giữ lại; Hội đồng xem xét lại."
		}
		out = append(out, note)
	}
	return out
}

// count writes a figure as clerks do: "02", but "0" for none.
func count(n int) string {
	if n == 0 {
		return "0"
	}
	return fmt.Sprintf("%02d", n)
}

// conclusion sums up, per award type, how many nominees the council passed.
func conclusion(org *orgconfig.Org, s award.Session) []string {
	var out []string
	for _, code := range s.AwardTypes() {
		name, authority := code, award.AuthorityAgency
		if t, ok := org.AwardType(code); ok {
			name, authority = t.Name, t.Authority
		}
		if !s.QuorumMet(code) {
			out = append(out, fmt.Sprintf("Hình thức “%s”: không đủ số thành viên tham gia bỏ phiếu theo quy chế, Hội đồng không kiểm phiếu; các hồ sơ được xét tại phiên họp sau.", name))
			continue
		}
		var names []string
		for _, it := range s.Awardees(code) {
			names = append(names, it.NomineeName)
		}
		verb := "đề nghị Thủ trưởng cơ quan quyết định tặng"
		if authority == award.AuthorityUpward {
			verb = "đề nghị cấp trên xét tặng"
		}
		var revote []string
		for _, id := range s.Quota[code].Revote {
			for _, it := range s.Agenda {
				if it.ProposalID == id {
					revote = append(revote, it.NomineeName)
				}
			}
		}
		again := ""
		if len(revote) > 0 {
			again = fmt.Sprintf(" Các trường hợp có số phiếu đồng ý bằng nhau tại ngưỡng chỉ tiêu được Hội đồng bỏ phiếu lại tại phiên họp sau: %s.", strings.Join(revote, ", "))
		}
		if len(names) == 0 {
			switch {
			case len(revote) > 0:
				out = append(out, fmt.Sprintf("Hình thức “%s”: chưa có trường hợp nào được đề nghị.%s", name, again))
			case len(s.Quota[code].Dropped) > 0:
				out = append(out, fmt.Sprintf("Hình thức “%s”: các trường hợp đạt số phiếu đều vượt chỉ tiêu, Hội đồng không đề nghị.", name))
			default:
				out = append(out, fmt.Sprintf("Hình thức “%s”: không có trường hợp nào đạt số phiếu theo quy định.", name))
			}
			continue
		}
		out = append(out, fmt.Sprintf("Hội đồng thống nhất %s “%s” cho %02d trường hợp: %s.%s", verb, name, len(names), strings.Join(names, ", "), again))
	}
	return out
}

func hasRole(p orgconfig.Person, r award.Role) bool {
	for _, x := range p.Roles {
		if x == r {
			return true
		}
	}
	return false
}

// SubmissionDocument builds the tờ trình's content from the organisation config.
func SubmissionDocument(org *orgconfig.Org, req workflows.SubmissionRequest) (templates.Submission, error) {
	t, ok := org.AwardType(req.AwardType)
	if !ok {
		return templates.Submission{}, fmt.Errorf("award type %q is not in the organisation config", req.AwardType)
	}
	ag := org.Agency
	signer := org.HeadSigner()
	if req.Signer != nil {
		signer = *req.Signer
	}
	period := ""
	if len(req.Items) > 0 {
		if m, ok := org.Movement(req.Items[0].MovementID); ok && m.Year > 0 {
			period = fmt.Sprintf(" năm %d", m.Year)
		}
	}
	sub := templates.Submission{
		Agency:     templateAgency(org),
		NumberText: award.FormatNumber(ag.Profile, req.Number, workflows.DocSubmission, ag.Code),
		Date:       req.Date.In(org.Location()),
		Recipient:  ag.Submission.Recipient,
		Subject:    "Về việc đề nghị tặng " + t.Name + period,
		Bases:      ag.Submission.Bases,
		Intro: []string{fmt.Sprintf("Căn cứ kết quả bỏ phiếu của %s, %s kính đề nghị xét tặng “%s”%s cho %02d trường hợp sau:",
			ag.CouncilName, ag.FullName, t.Name, period, len(req.Items))},
		Recipients: ag.Submission.Recipients,
		Signer:     templates.Signer{Prefix: signer.Prefix, Body: signer.Body, Title: signer.Title, Name: signer.Name},
	}
	// Only for requests made before they carried the votes: the catalogue's rule, which
	// sessions of that time snapshotted (sessions since carry their rules and votes).
	rule := t.Vote
	for i, it := range req.Items {
		var c award.Count
		if i < len(req.Counts) {
			c = req.Counts[i]
		}
		kind := "cá nhân"
		if it.Kind == award.KindCollective {
			kind = "tập thể"
		}
		var vote award.VoteResult
		if len(req.Votes) == len(req.Items) {
			vote = req.Votes[i]
		} else {
			// A request made before it carried the votes: every valid ballot marks every
			// proposal, so the ballots cast on it stand for those present (an invalid
			// ballot is refused when cast).
			vote = rule.Vote(req.Members, c.Cast(), c.Cast(), c.Yes)
		}
		sub.Items = append(sub.Items, templates.SubmissionItem{
			Nominee: it.NomineeName, Kind: kind, Unit: unitOf(org, it), AwardName: t.Name + period,
			Yes: c.Yes, No: c.No, Abstain: c.Abstain, Vote: vote,
		})
	}
	if len(sub.Items) > 0 {
		// The rule once, in the sentence that introduces the table.
		v := sub.Items[0].Vote
		sub.Intro[0] = strings.TrimSuffix(sub.Intro[0], ":") + fmt.Sprintf(" (tỷ lệ đồng ý tính trên %s, mức đạt theo quy chế của Hội đồng: %s):", v.BaseText, v.Threshold)
	}
	return sub, nil
}

// unitOf is the unit printed next to a nominee: the department of a person, the agency
// of a collective (which is itself a department).
func unitOf(org *orgconfig.Org, it award.AgendaItem) string {
	if it.Kind == award.KindCollective {
		return org.Agency.FullName
	}
	if d, ok := org.Department(it.Department); ok {
		return d.Name
	}
	return it.Department
}

func orDefault(s, def string) string {
	if strings.TrimSpace(s) == "" {
		return def
	}
	return s
}

// ErrNothingToPropose: no nominee of the session passed, so the council has nothing to
// put before the head (no council tờ trình is made).
var ErrNothingToPropose = errors.New("no nominee of the session passed: the council has nothing to propose")

// CouncilSubmissionDocument builds the council's own short tờ trình to the head of the
// agency (issue 7, item 1): from the Hội đồng Thi đua - Khen thưởng, "Kính gửi:" the
// head (agency.council_submission.recipient), it sums up per award type the nominees
// the council passed with each one's vote (the award.VoteResult the minutes print),
// and asks the head to decide the awards within the agency's authority and to sign the
// tờ trình upward for the others. It is signed for the council by the chair: "TM. HỘI
// ĐỒNG" / "CHỦ TỊCH" (NĐ30) or "T/M HỘI ĐỒNG" / "CHỦ TỊCH" (HD36), in the slot whose
// role is "chair". number 0 and a zero date leave them blank for the văn thư.
func CouncilSubmissionDocument(org *orgconfig.Org, s award.Session, number int, date time.Time) (templates.Submission, error) {
	ag := org.Agency
	cs := ag.CouncilSubmission
	chair := ""
	for _, m := range s.Members {
		if m.Role == award.RoleChair {
			chair = m.Name
		}
	}
	if chair == "" {
		return templates.Submission{}, fmt.Errorf("session %s has no council chair to sign the council's tờ trình", s.ID)
	}
	council := orDefault(ag.CouncilName, "Hội đồng Thi đua - Khen thưởng")
	name := func(code string) (string, award.Authority) {
		if t, ok := org.AwardType(code); ok {
			return t.Name, t.Authority
		}
		return code, award.AuthorityAgency
	}
	sub := templates.Submission{
		Agency:     templateAgency(org),
		NumberText: draftNumber(ag.Profile, number, workflows.DocSubmission, ag.CouncilCode),
		Recipient:  orDefault(cs.Recipient, "Thủ trưởng cơ quan"),
		Bases:      cs.Bases,
		Recipients: cs.Recipients,
		Signer:     templates.Signer{Prefix: "TM.", Body: "HỘI ĐỒNG", Title: "CHỦ TỊCH", Name: chair},
		SignerRole: "chair",
		Title:      "Tờ trình của " + council + " " + s.Title,
	}
	if !date.IsZero() {
		sub.Date = date.In(org.Location())
	}
	if len(sub.Recipients) == 0 {
		sub.Recipients = []string{"Như trên"}
	}
	if ag.Profile == award.ProfileHD36 {
		sub.Signer.Prefix = "T/M"
	}
	years := map[int]bool{}
	var summary, decide, upward []string
	for _, code := range s.AwardTypes() {
		if !s.QuorumMet(code) {
			continue
		}
		tname, authority := name(code)
		awardees := s.Awardees(code)
		total := 0
		for _, it := range s.Agenda {
			if it.AwardType == code {
				total++
			}
		}
		rule := s.Rules[code]
		line := fmt.Sprintf("- “%s”: %s/%s hồ sơ đạt (tỷ lệ đồng ý tính trên %s, yêu cầu %s)", tname, count(len(awardees)), count(total), rule.Base.Label(), rule.ThresholdText())
		if dropped := len(s.Quota[code].Dropped); dropped > 0 {
			line += fmt.Sprintf(", %s hồ sơ đạt số phiếu nhưng vượt chỉ tiêu", count(dropped))
		}
		if again := len(s.Quota[code].Revote); again > 0 {
			line += fmt.Sprintf(", %s hồ sơ bằng phiếu tại ngưỡng chỉ tiêu, bỏ phiếu lại", count(again))
		}
		if authority == award.AuthorityUpward {
			line += ", thuộc thẩm quyền cấp trên"
		}
		summary = append(summary, line+";")
		if len(awardees) == 0 {
			continue
		}
		if authority == award.AuthorityUpward {
			upward = append(upward, "“"+tname+"”")
		} else {
			decide = append(decide, "“"+tname+"”")
		}
		for _, it := range awardees {
			c := s.Counts[it.ProposalID]
			kind := "cá nhân"
			if it.Kind == award.KindCollective {
				kind = "tập thể"
			}
			awardName := tname
			if mv, ok := org.Movement(it.MovementID); ok && mv.Year > 0 {
				years[mv.Year] = true
				awardName += fmt.Sprintf(" năm %d", mv.Year)
			}
			sub.Items = append(sub.Items, templates.SubmissionItem{
				Nominee: it.NomineeName, Kind: kind, Unit: unitOf(org, it), AwardName: awardName,
				Yes: c.Yes, No: c.No, Abstain: c.Abstain, Vote: voteOf(s, it, s.Results[it.ProposalID]),
			})
		}
	}
	if len(sub.Items) == 0 {
		return templates.Submission{}, ErrNothingToPropose
	}
	if l := len(summary); l > 0 {
		summary[l-1] = strings.TrimSuffix(summary[l-1], ";") + "."
	}
	sub.Subject = "Về việc đề nghị khen thưởng"
	if len(years) == 1 {
		for y := range years {
			sub.Subject += fmt.Sprintf(" năm %d", y)
		}
	}
	when := ""
	if !s.ClosedAt.IsZero() {
		when = "Ngày " + strings.TrimPrefix(dateWords(s.ClosedAt.In(org.Location())), "ngày ") + ", "
	}
	voted, members := len(s.Voted), len(s.Voters())
	sub.Intro = append(sub.Intro, capitalizeFirst(fmt.Sprintf("%s%s đã họp xét %02d hồ sơ đề nghị khen thưởng (%s), với %02d/%02d thành viên Hội đồng có mặt và tham gia biểu quyết. Kết quả theo từng hình thức:",
		when, council, len(s.Agenda), s.MethodsText(s.AwardTypes(), func(c string) string { n, _ := name(c); return n }), voted, members)))
	sub.Intro = append(sub.Intro, summary...)
	sub.Intro = append(sub.Intro, "Các trường hợp đạt và kết quả biểu quyết của từng trường hợp:")
	var asks []string
	if len(decide) > 0 {
		asks = append(asks, "xem xét, quyết định tặng "+strings.Join(decide, ", ")+" cho các tập thể, cá nhân có tên trên")
	}
	if len(upward) > 0 {
		asks = append(asks, "ký Tờ trình đề nghị cấp trên xét tặng "+strings.Join(upward, ", "))
	}
	sub.Closing = fmt.Sprintf("%s kính trình %s %s./.", council, sub.Recipient, strings.Join(asks, "; "))
	return sub, nil
}

// draftNumber is the document's number, or — before the văn thư takes one (0) — the
// number left blank (award.NumberPlaceholder).
func draftNumber(p award.Profile, number int, docType, issuer string) string {
	if number > 0 {
		return award.FormatNumber(p, number, docType, issuer)
	}
	return award.NumberPlaceholder(p, docType, issuer)
}

// dateWords is "ngày 05 tháng 02 năm 2026" (leading zeros for days below 10 and
// months 1 and 2, as the date line).
func dateWords(t time.Time) string {
	month := fmt.Sprint(int(t.Month()))
	if t.Month() <= time.February {
		month = "0" + month
	}
	return fmt.Sprintf("ngày %02d tháng %s năm %d", t.Day(), month, t.Year())
}

func capitalizeFirst(s string) string {
	for i, r := range s {
		return strings.ToUpper(string(r)) + s[i+len(string(r)):]
	}
	return s
}
