package activities

// The content of each document — what it says, built from the organisation config and
// the workflow's request — apart from how it is numbered, signed and stored
// (documents.go).

import (
	"fmt"
	"strings"

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
	if len(req.Awardees) > 0 {
		if m, ok := org.Movement(req.Awardees[0].MovementID); ok {
			movement = m.Name
			if m.Year > 0 {
				period = fmt.Sprintf("năm %d", m.Year)
			}
		}
	}
	d := templates.Decision{
		Agency:     templateAgency(org),
		NumberText: award.FormatNumber(ag.Profile, req.Number, workflows.DocDecision, ag.Code),
		Date:       req.Date.In(org.Location()),
		Authority:  dc.Authority,
		Bases:      dc.Bases,
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
	if base, ok := award.BaseSalaryAt(ag.BaseSalaries, asOf); ok && t.Coefficient(kind) > 0 {
		d.BonusCoefficient, d.BaseSalary = t.Coefficient(kind), base.Amount
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

// MinutesDocument builds the minutes from the closed session.
func MinutesDocument(org *orgconfig.Org, req workflows.MinutesRequest) templates.Minutes {
	s := req.Session
	ag := org.Agency
	m := templates.Minutes{
		Agency:       templateAgency(org),
		NumberText:   award.FormatNumber(ag.Profile, req.Number, workflows.DocMinutes, ag.Code),
		Date:         req.Date.In(org.Location()),
		SessionTitle: s.Title,
		Opened:       s.OpenedAt.In(org.Location()),
		Closed:       s.ClosedAt.In(org.Location()),
		Title:        "Biên bản " + s.Title,
		Council:      org.Agency.CouncilName,
	}
	voted := map[string]bool{}
	for _, id := range s.Voted {
		voted[id] = true
	}
	for _, mem := range s.Members {
		label := mem.Name
		if mem.Title != "" {
			label += ", " + mem.Title
		}
		switch {
		case mem.Role == award.RoleChair:
			m.Chair, m.ChairRole = mem.Name, mem.Title+", Chủ tịch Hội đồng"
		case mem.Role == award.RoleSecretary && m.Secretary == "":
			m.Secretary, m.SecretaryRole = mem.Name, mem.Title+", Thư ký Hội đồng"
		}
		if !mem.Votes {
			continue
		}
		if voted[mem.ID] {
			m.Present = append(m.Present, label)
		} else {
			m.Absent = append(m.Absent, label)
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
	members, present := len(s.Voters()), len(s.Voted)
	m.QuorumText = fmt.Sprintf("Có mặt và tham gia bỏ phiếu %02d/%02d thành viên Hội đồng.", present, members)
	if !s.Quorate() && len(s.Agenda) > 0 {
		m.QuorumText = fmt.Sprintf("Có mặt và tham gia bỏ phiếu %02d/%02d thành viên Hội đồng, không đủ số thành viên theo quy chế của Hội đồng.", present, members)
	}
	// Below quorum the ballots were not opened: those proposals are listed without any
	// count, and wait for another session.
	var deferred []string
	for _, it := range s.Agenda {
		if s.QuorumMet(it.AwardType) {
			continue
		}
		name := it.AwardType
		if t, ok := org.AwardType(it.AwardType); ok {
			name = t.Name
		}
		deferred = append(deferred, fmt.Sprintf("%s (%s, cần %s số thành viên)", it.NomineeName, name, s.Rules[it.AwardType].Quorum))
	}
	if len(deferred) > 0 {
		m.Agenda = append(m.Agenda, fmt.Sprintf("Số thành viên tham gia bỏ phiếu chưa đạt tỷ lệ theo quy chế đối với %02d hồ sơ sau; Hội đồng không mở phiếu, không kiểm phiếu các hồ sơ này và chuyển sang phiên họp sau: %s.",
			len(deferred), strings.Join(deferred, "; ")))
	}
	for _, it := range s.Agenda {
		if !s.QuorumMet(it.AwardType) {
			continue
		}
		c := s.Counts[it.ProposalID]
		res := s.Results[it.ProposalID]
		name := it.AwardType
		base := members
		if t, ok := org.AwardType(it.AwardType); ok {
			name = t.Name
			if t.Vote.Base == award.BasePresent {
				base = present
			}
		}
		rate := "0%"
		if base > 0 {
			rate = strings.Replace(fmt.Sprintf("%.2f%%", float64(c.Yes)*100/float64(base)), ".", ",", 1)
		}
		m.Items = append(m.Items, templates.MinutesItem{
			Nominee: it.NomineeName, AwardName: name, Cast: c.Cast(), Yes: c.Yes, No: c.No, Abstain: c.Abstain,
			RateText: rate, Passed: res.Passed, Note: res.Reason,
		})
	}
	m.Conclusion = conclusion(org, s)
	return m
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
		if len(names) == 0 {
			out = append(out, fmt.Sprintf("Hình thức “%s”: không có trường hợp nào đạt số phiếu theo quy định.", name))
			continue
		}
		out = append(out, fmt.Sprintf("Hội đồng thống nhất %s “%s” cho %02d trường hợp: %s.", verb, name, len(names), strings.Join(names, ", ")))
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
	for i, it := range req.Items {
		var c award.Count
		if i < len(req.Counts) {
			c = req.Counts[i]
		}
		unit := unitOf(org, it)
		kind := "cá nhân"
		if it.Kind == award.KindCollective {
			kind = "tập thể"
		}
		rate := "0%"
		if req.Members > 0 {
			rate = strings.Replace(fmt.Sprintf("%.2f%%", float64(c.Yes)*100/float64(req.Members)), ".", ",", 1)
		}
		sub.Items = append(sub.Items, templates.SubmissionItem{
			Nominee: it.NomineeName, Kind: kind, Unit: unit, AwardName: t.Name + period,
			Members: req.Members, Yes: c.Yes, No: c.No, Abstain: c.Abstain, RateText: rate,
		})
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
