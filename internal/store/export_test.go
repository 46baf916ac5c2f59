package store

import "github.com/awardflow/awardflow/internal/award"

// Internals the external tests reach.
var (
	Rebind          = rebind
	MigrationFS     = migrationFS
	DecodeCursorErr = func(s string, o Sort) error { _, err := decodeCursor(s, o); return err }
	EncodeCursor    = encodeCursor
	VersionOf       = versionOf
)

// DynamicQueries builds every shape of the queries that are assembled at run time: each
// filter field set, each sort in both directions, with and without a cursor.
func DynamicQueries() map[string][]string {
	yes := true
	out := map[string][]string{}
	add := func(fn, q string) { out[fn] = append(out[fn], q) }
	full := Filter{Stage: []string{"a", "b"}, Department: "d", AwardType: "t", Movement: "m", Year: 1, Overdue: &yes,
		Assignees: []string{"x"}, Delegators: []string{"y", "z"}, Deputized: []string{"w"}, Proposer: "p", NomineeID: "n", SessionID: "s", Text: "t"}
	for _, f := range []Filter{{}, full, {Stage: []string{"one"}}, {Text: "HS-2026-0042"}} {
		for _, sc := range []struct{ all, dept, prop bool }{{true, false, false}, {false, true, true}, {}} {
			f := f
			if sc.all {
				f.Scope.All = true
			}
			if sc.dept {
				f.Scope.Department = "d"
			}
			if sc.prop {
				f.Scope.Proposer = "p"
			}
			for _, kind := range []string{KindProposal, kindAny} { // CountProposals, CountAssigned
				where, _ := filterSQL(kind, f)
				add("count", `SELECT COUNT(*) FROM projection p WHERE `+where)
			}
			for _, field := range SortFields {
				for _, desc := range []bool{false, true} {
					o := Sort{Field: field, Desc: desc}
					for _, after := range []string{"", encodeCursor(o, Projection{WorkflowID: "w"}, "k")} {
						for _, kind := range []string{KindProposal, KindSession, kindAny} {
							q, _, _, err := listQuery(kind, f, o, Page{After: after})
							if err != nil {
								panic(err)
							}
							add("list", q)
						}
					}
				}
			}
		}
	}
	add("CaseNumbers", caseNumbersQuery(3))
	for _, q := range []string{participationRegistrations, participationProposals, participationAwardees} {
		add("MovementParticipation", q)
	}
	q, _ := assigneesQuery([]Projection{{WorkflowID: "a"}, {WorkflowID: "b"}})
	add("fillAssignees", q)
	for _, f := range []PeopleFilter{{}, {UnitID: "u", Role: "r", Text: "t", IncludeInactive: true}} {
		q, _ := peopleQuery(f)
		add("people", q)
	}
	for _, f := range []DocumentFilter{{}, {SessionID: "s", Kind: "k", From: nowForShapes, To: nowForShapes}} {
		q, _ := documentsQuery(f)
		add("Documents", q)
	}
	for _, f := range []AwardeeFilter{{}, {Year: 1, AwardType: "t", PersonID: "p", UnitID: "u", Text: "x", DocumentKind: "k", IncludeRevoked: true}} {
		q, _ := awardeesQuery(f)
		add("Awardees", q)
	}
	for _, f := range []AnnualFilter{{Year: 1}, {Year: 1, Kind: "k", ID: "i", UnitID: "u"}} {
		q, _ := annualQuery(f)
		add("AnnualRecords", q)
	}
	for _, k := range []award.NomineeKind{award.KindIndividual, award.KindCollective} {
		add("AwardHistory", historyQuery(k))
	}
	add("MarkNotificationsRead", markReadQuery(0))
	add("MarkNotificationsRead", markReadQuery(2))
	add("BuildDigests", digestMarkQuery(2))
	for _, set := range moveMailSets {
		add("moveMail", moveMailQuery(set))
	}
	return out
}

var nowForShapes = fromMicros(1_700_000_000_000_000)
