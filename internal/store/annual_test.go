package store_test

import (
	"testing"

	"github.com/awardflow/awardflow/internal/award"
	"github.com/awardflow/awardflow/internal/store"
)

func intp(n int) *int { return &n }

func person(id, unit string, year int, rating award.TaskRating) award.AnnualRecord {
	return award.AnnualRecord{Year: year, Kind: award.KindIndividual, ID: id, Unit: unit, Rating: rating,
		MonthsOfService: intp(12), DaysAbsent: intp(3), Discipline: award.DisciplineNone}
}

// Annual records: an import is all or nothing; a re-import changes nothing; a changed
// record replaces the old; a unit's filter gives its members and its own record.
func testAnnualRecords(t *testing.T, env *dbEnv) {
	s := env.open(t)
	c := ctx(t)
	recs := []award.AnnualRecord{
		person("hongdao", "tt", 2025, award.RatingExcellent),
		person("vanson", "tt", 2025, award.RatingGood),
		person("kimngan", "vp", 2025, award.RatingCompleted),
		{Year: 2025, Kind: award.KindCollective, ID: "tt", Rating: award.RatingExcellent, Discipline: award.DisciplineNone},
	}
	w, err := s.PutAnnualRecords(c, recs, "quantri", "import abc")
	must(t, err)
	if w != (store.AnnualWrite{Inserted: 4}) {
		t.Fatalf("first import %+v", w)
	}
	w, err = s.PutAnnualRecords(c, recs, "quantri", "import abc")
	must(t, err)
	if w != (store.AnnualWrite{Unchanged: 4}) {
		t.Fatalf("re-import %+v", w)
	}
	// A bad record anywhere: nothing is written, the good ones neither.
	changed := person("hongdao", "tt", 2025, award.RatingGood)
	bad := person("vanson", "tt", 2025, award.RatingGood)
	bad.MonthsOfService = intp(13)
	if _, err := s.PutAnnualRecords(c, []award.AnnualRecord{changed, bad}, "quantri", "import x"); err == nil {
		t.Fatal("a record with 13 months was accepted")
	}
	got, err := s.AnnualRecords(c, store.AnnualFilter{Year: 2025, ID: "hongdao"})
	must(t, err)
	if len(got) != 1 || got[0].Rating != award.RatingExcellent {
		t.Fatalf("a refused import changed a record: %+v", got)
	}
	// Twice the same key in one import is refused.
	if _, err := s.PutAnnualRecords(c, []award.AnnualRecord{changed, changed}, "quantri", "x"); err == nil {
		t.Fatal("a duplicate key was accepted")
	}
	w, err = s.PutAnnualRecords(c, []award.AnnualRecord{changed}, "quantri", "admin")
	must(t, err)
	if w != (store.AnnualWrite{Updated: 1}) {
		t.Fatalf("update %+v", w)
	}
	got, err = s.AnnualRecords(c, store.AnnualFilter{Year: 2025, UnitID: "tt"})
	must(t, err)
	var ids []string
	for _, r := range got {
		ids = append(ids, string(r.Kind)+":"+r.ID)
	}
	if len(got) != 3 || ids[0] != "individual:hongdao" || ids[2] != "collective:tt" {
		t.Fatalf("unit tt: %v", ids)
	}
	if got[0].Rating != award.RatingGood || got[0].Source != "admin" || got[0].UpdatedBy != "quantri" || *got[0].MonthsOfService != 12 {
		t.Fatalf("the updated record: %+v", got[0])
	}
	if got, _ := s.AnnualRecords(c, store.AnnualFilter{Year: 2024}); len(got) != 0 {
		t.Fatalf("2024: %+v", got)
	}
}

// The award history eligibility reads: decisions in force only, per person or unit.
func testAwardHistory(t *testing.T, env *dbEnv) {
	s := env.open(t)
	c := ctx(t)
	unitGK := store.Awardee{ProposalID: "u1", UnitID: "tt", NomineeName: "Phòng TT", Kind: store.NomineeCollective, AwardType: "GK", Year: 2024, Amount: 1}
	d1 := decision("d1", 1, awardee("a1", "A", 2024, 1), unitGK)
	d2 := decision("d2", 2, awardee("a1", "A", 2025, 1))
	d2.Awardees[0].ProposalID = "a1-2025"
	d3 := decision("d3", 3, awardee("a1", "A", 2023, 1))
	d3.Awardees[0].ProposalID = "a1-2023"
	sub := decision("s1", 4, awardee("a1", "A", 2022, 1))
	sub.Awardees[0].ProposalID = "a1-2022"
	sub.Kind, sub.RegisterSeries = store.KindSubmission, "BTGTU/TTr"
	for _, d := range []store.Document{d1, d2, d3, sub} {
		must(t, s.RecordDocument(c, d))
	}
	must(t, s.Revoke(c, store.Revocation{DocumentID: "d3", Reason: "sai", At: issued, By: "truongban"}))
	h, err := s.AwardHistory(c, award.KindIndividual, "p-a1")
	must(t, err)
	if len(h) != 2 || h[0].Year != 2024 || h[1].Year != 2025 || h[0].AwardType != "LDTT" {
		t.Fatalf("history %+v: want 2024 and 2025 (not the revoked 2023 nor the submission)", h)
	}
	h, err = s.AwardHistory(c, award.KindCollective, "tt")
	must(t, err)
	if len(h) != 1 || h[0].AwardType != "GK" || h[0].Kind != award.KindCollective {
		t.Fatalf("unit history %+v", h)
	}
}
