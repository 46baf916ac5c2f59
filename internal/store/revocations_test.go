package store_test

import (
	"sync"
	"testing"
	"time"

	"github.com/awardflow/awardflow/internal/award"
	"github.com/awardflow/awardflow/internal/store"
)

// revocationDoc is an issued revocation decision of d1.
func revocationDoc(id string, number int) store.Document {
	d := decision(id, number)
	d.Revokes = "d1"
	return d
}

func testRevocationCases(t *testing.T, env *dbEnv) {
	s := env.open(t)
	c := ctx(t)
	must(t, s.RecordDocument(c, decision("d1", 1, awardee("p1", "Lê Văn Ẩn", 2025, 1_170_000),
		awardee("p2", "Đào Thị Bé", 2025, 1_170_000), awardee("p3", "Trần Cả", 2025, 1_170_000))))
	at := time.Date(2026, 2, 1, 8, 0, 0, 0, time.UTC)
	open := func(id string, props ...string) store.RevocationCase {
		return store.RevocationCase{ID: id, DocumentID: "d1", Status: string(award.DocAwaitingSignature), Ground: "gian_doi",
			Reason: "Kê khai sai", RequestedBy: "thuky", RequestedAt: at, Proposals: props}
	}
	// Two requests for the same decision at once: exactly one is on its way.
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i, id := range []string{"rv-a", "rv-b"} {
		wg.Add(1)
		go func() { defer wg.Done(); errs[i] = s.OpenRevocationCase(c, open(id, "p1")) }()
	}
	wg.Wait()
	won := "rv-a"
	switch {
	case errs[0] == nil && errs[1] != nil:
		wantIs(t, errs[1], store.ErrConflict)
	case errs[1] == nil && errs[0] != nil:
		wantIs(t, errs[0], store.ErrConflict)
		won = "rv-b"
	default:
		t.Fatalf("two live revocations of one decision: %v / %v", errs[0], errs[1])
	}
	must(t, s.OpenRevocationCase(c, open(won, "p1"))) // a retried activity
	// Nothing is revoked until the decision is issued.
	if got, _ := s.Awardees(c, store.AwardeeFilter{}); len(got) != 3 {
		t.Fatalf("awardees before issue: %d, want 3", len(got))
	}
	must(t, s.SetRevocationStatus(c, won, award.DocSentBack, "gian_doi", "Kê khai sai", at.Add(time.Hour)))
	rev := revocationDoc("rv-doc", 7)
	rev.IssuedAt = at.Add(2 * time.Hour)
	must(t, s.IssueRevocation(c, won, "gian_doi", "Kê khai sai", rev, []string{"p1"}))
	must(t, s.IssueRevocation(c, won, "gian_doi", "Kê khai sai", rev, []string{"p1"})) // a retry
	if got, err := s.Document(c, "rv-doc"); err != nil || got.Revokes != "d1" || len(got.Awardees) != 0 {
		t.Fatalf("revocation decision in the register: %+v, %v", got, err)
	}
	cs, err := s.RevocationCaseByID(c, won)
	must(t, err)
	if cs.Status != "issued" || cs.IssuedID != "rv-doc" || len(cs.Proposals) != 1 || cs.Proposals[0] != "p1" {
		t.Fatalf("case after issue: %+v", cs)
	}
	// p1 is out of every count; the original stays, p1 marked, with the bonus to recover.
	inForce, err := s.Awardees(c, store.AwardeeFilter{})
	must(t, err)
	if len(inForce) != 2 || inForce[0].ProposalID == "p1" || inForce[1].ProposalID == "p1" {
		t.Fatalf("in force after revoking p1: %+v", inForce)
	}
	all, err := s.Awardees(c, store.AwardeeFilter{IncludeRevoked: true})
	must(t, err)
	if len(all) != 3 || !all[0].Revoked || all[1].Revoked {
		t.Fatalf("with revoked: %+v", all)
	}
	counts, err := s.AwardCounts(c, 2025)
	must(t, err)
	if len(counts) != 1 || counts[0].Count != 2 || counts[0].Amount != 2_340_000 {
		t.Fatalf("counts %+v", counts)
	}
	stats, err := s.AwardStatistics(c, 2025)
	must(t, err)
	if len(stats) != 1 || stats[0].Count != 2 {
		t.Fatalf("statistics %+v", stats)
	}
	if h, _ := s.AwardHistory(c, award.KindIndividual, "p-p1"); len(h) != 0 {
		t.Fatalf("p1 still holds %+v", h)
	}
	ar, err := s.AwardeeRevocations(c, "d1")
	must(t, err)
	if len(ar) != 1 || ar[0].Recover != 1_170_000 || ar[0].RevocationID != "rv-doc" || !ar[0].RecoveredAt.IsZero() {
		t.Fatalf("revoked awards %+v", ar)
	}
	must(t, s.MarkRecovered(c, "d1", "p1", at.Add(48*time.Hour)))
	must(t, s.MarkRecovered(c, "d1", "p1", at.Add(72*time.Hour))) // again: the first date stays
	wantIs(t, s.MarkRecovered(c, "d1", "p2", at), store.ErrNotFound)
	ar, _ = s.AwardeeRevocations(c, "d1")
	if !ar[0].RecoveredAt.Equal(at.Add(48 * time.Hour)) {
		t.Fatalf("recovered at %v", ar[0].RecoveredAt)
	}
	// A new case may start now; one naming p1 again is refused, and so is an issue that
	// revokes p1 a second time under another decision (nothing of it is kept).
	wantIs(t, s.OpenRevocationCase(c, open("rv-c", "p1", "p2")), store.ErrConflict)
	must(t, s.OpenRevocationCase(c, open("rv-d", "p2")))
	again := revocationDoc("rv-doc2", 8)
	wantIs(t, s.IssueRevocation(c, "rv-d", "gian_doi", "x", again, []string{"p1"}), store.ErrConflict)
	if _, err := s.Document(c, "rv-doc2"); err == nil {
		t.Fatal("a refused revocation left its document in the register")
	}
	// A proposal that is not on the original is refused.
	wantIs(t, s.IssueRevocation(c, "rv-d", "gian_doi", "x", revocationDoc("rv-doc3", 9), []string{"p9"}), store.ErrConflict)
	// The register's own check: a revocation decision names no awardees.
	bad := revocationDoc("rv-doc4", 10)
	bad.Awardees = []store.Awardee{awardee("p2", "Đào Thị Bé", 2025, 0)}
	if err := s.IssueRevocation(c, "rv-d", "gian_doi", "x", bad, []string{"p2"}); err == nil {
		t.Fatal("a revocation decision with awardees of its own was recorded")
	}
	// Abandoning frees the decision for another case.
	must(t, s.SetRevocationStatus(c, "rv-d", award.DocAbandoned, "gian_doi", "x", at.Add(3*time.Hour)))
	later := open("rv-e", "p2", "p3")
	later.RequestedAt = at.Add(4 * time.Hour)
	must(t, s.OpenRevocationCase(c, later))
	list, err := s.RevocationCases(c, "d1", 0)
	must(t, err)
	if len(list) != 3 || list[0].ID != "rv-e" {
		t.Fatalf("cases %+v", list)
	}
	wantIs(t, s.SetRevocationStatus(c, won, award.DocSentBack, "", "", at), store.ErrNotFound) // issued cases do not move
}
