package store_test

import (
	"testing"
	"time"

	"github.com/awardflow/awardflow/internal/award"
	"github.com/awardflow/awardflow/internal/store"
)

// The higher body's answer to a submission: recorded for the proposals it named, all or
// none; a repeat is a no-op, a different answer a conflict; an award given above joins
// the person's history; the submission's awardee rows carry the answer.
func testUpwardResults(t *testing.T, env *dbEnv) {
	s := env.open(t)
	c := ctx(t)
	sub := decision("s1", 1, awardee("p1", "A", 2025, 0), awardee("p2", "B", 2025, 0))
	sub.Kind, sub.RegisterSeries, sub.AwardType = store.KindSubmission, "BTGTU/TTr", "CSTDT"
	for i := range sub.Awardees {
		sub.Awardees[i].AwardType = "CSTDT"
	}
	must(t, s.RecordDocument(c, sub))
	must(t, s.RecordDocument(c, decision("d1", 1, awardee("p9", "C", 2025, 1))))
	on := time.Date(2026, 3, 5, 0, 0, 0, 0, time.UTC)
	res := func(p string, awarded bool) store.UpwardResult {
		return store.UpwardResult{DocumentID: "s1", ProposalID: p, Awarded: awarded, Body: "Ủy ban nhân dân tỉnh Đồng Tháp",
			NumberText: "Số 1234/QĐ-UBND", DecidedOn: on, RecordedBy: "vanthu"}
	}
	// A proposal the submission did not name, or a decision instead of a submission:
	// nothing is recorded, not even the valid first entry.
	wantIs(t, s.RecordUpwardResults(c, []store.UpwardResult{res("p1", true), res("p3", true)}), store.ErrNotFound)
	bad := res("p9", true)
	bad.DocumentID = "d1"
	wantIs(t, s.RecordUpwardResults(c, []store.UpwardResult{bad}), store.ErrConflict)
	if got, _ := s.UpwardResults(c, "p1"); len(got) != 0 {
		t.Fatalf("a refused batch recorded %+v", got)
	}
	must(t, s.RecordUpwardResults(c, []store.UpwardResult{res("p1", true), res("p2", false)}))
	must(t, s.RecordUpwardResults(c, []store.UpwardResult{res("p1", true)})) // a repeat
	wantIs(t, s.RecordUpwardResults(c, []store.UpwardResult{res("p1", false)}), store.ErrConflict)
	got, err := s.UpwardResults(c, "p1")
	must(t, err)
	if len(got) != 1 || !got[0].Awarded || got[0].NumberText != "Số 1234/QĐ-UBND" || !got[0].DecidedOn.Equal(on) || got[0].RecordedBy != "vanthu" {
		t.Fatalf("result of p1: %+v", got)
	}
	h, err := s.AwardHistory(c, award.KindIndividual, "p-p1")
	must(t, err)
	if len(h) != 1 || h[0].AwardType != "CSTDT" || h[0].Year != 2025 {
		t.Fatalf("p1's history %+v: want the award given above", h)
	}
	if h, _ := s.AwardHistory(c, award.KindIndividual, "p-p2"); len(h) != 0 {
		t.Fatalf("p2 was not awarded above, history %+v", h)
	}
	list, err := s.Awardees(c, store.AwardeeFilter{DocumentKind: store.KindSubmission})
	must(t, err)
	if len(list) != 2 || list[0].Upward == nil || !list[0].Upward.Awarded || list[1].Upward == nil || list[1].Upward.Awarded {
		t.Fatalf("submission rows %+v", list)
	}
	// Decisions are unaffected and carry no answer.
	dl, err := s.Awardees(c, store.AwardeeFilter{})
	must(t, err)
	if len(dl) != 1 || dl[0].Upward != nil {
		t.Fatalf("decision rows %+v", dl)
	}
}
