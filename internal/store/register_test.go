package store_test

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"math/rand/v2"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/awardflow/awardflow/internal/award"
	"github.com/awardflow/awardflow/internal/store"
)

func shaOf(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

var issued = time.Date(2026, 1, 15, 9, 30, 0, 123456000, time.UTC)

func decision(id string, number int, awardees ...store.Awardee) store.Document {
	return store.Document{
		ID: id, SessionID: "session/" + id, Kind: store.KindDecision, AwardType: "LDTT",
		RegisterSeries: "BTGTU/QĐ", RegisterPeriod: "nk-2025-10-20", Number: number,
		NumberText: fmt.Sprintf("Số %02d-QĐ/BTGTU", number), IssuedAt: issued,
		SignerID: "truongban", SignerName: "Nguyễn Văn Trưởng", Key: "documents/" + id + ".pdf",
		SHA256: shaOf(id), Size: 12345, Awardees: awardees,
	}
}

func awardee(proposal, name string, year int, amount int64) store.Awardee {
	return store.Awardee{ProposalID: proposal, PersonID: "p-" + proposal, UnitID: "vp", NomineeName: name,
		Kind: store.NomineeIndividual, AwardType: "LDTT", Year: year, Amount: amount}
}

func testRecordDocumentRoundTrip(t *testing.T, env *dbEnv) {
	s := env.open(t)
	c := ctx(t)
	d := decision("d1", 5,
		awardee("prop-b", "Nguyễn Thị Hồng Đào", 2025, 1_170_000),
		awardee("prop-a", "Lê Văn Ẩn", 2025, 1_170_000),
		store.Awardee{ProposalID: "prop-c", UnitID: "vp", NomineeName: "Văn phòng Ban", Kind: store.NomineeCollective,
			AwardType: "LDTT", Year: 2025, Amount: 2_340_000},
	)
	must(t, s.RecordDocument(c, d))
	got, err := s.Document(c, "d1")
	must(t, err)
	if !reflect.DeepEqual(got, d) {
		t.Errorf("round trip:\n got %+v\nwant %+v", got, d)
	}
	// Minutes: no number, no awardees.
	m := store.Document{ID: "m1", SessionID: "session/d1", Kind: store.KindMinutes, IssuedAt: issued, Key: "documents/m1.pdf",
		SHA256: shaOf("m1"), Size: 99}
	must(t, s.RecordDocument(c, m))
	got, err = s.Document(c, "m1")
	must(t, err)
	if !reflect.DeepEqual(got, m) {
		t.Errorf("minutes round trip:\n got %+v\nwant %+v", got, m)
	}
	docs, err := s.Documents(c, store.DocumentFilter{SessionID: "session/d1"})
	must(t, err)
	if len(docs) != 2 || docs[0].ID != "d1" || docs[1].ID != "m1" {
		t.Errorf("Documents(session) = %+v", docs)
	}
	docs, err = s.Documents(c, store.DocumentFilter{Kind: store.KindMinutes, From: issued, To: issued.Add(time.Second)})
	must(t, err)
	if len(docs) != 1 || docs[0].ID != "m1" {
		t.Errorf("Documents(minutes) = %+v", docs)
	}
	_, err = s.Document(c, "nope")
	wantIs(t, err, store.ErrNotFound)
}

// Recording is idempotent, and a key reused with other content is refused without
// changing the register.
func testRecordDocumentIdempotent(t *testing.T, env *dbEnv) {
	s := env.open(t)
	c := ctx(t)
	d := decision("d1", 5, awardee("p1", "Nguyễn Thị Hồng Đào", 2025, 1_170_000))
	must(t, s.RecordDocument(c, d))
	must(t, s.RecordDocument(c, d)) // a retried activity
	// The same id with a different file, number or awardee list.
	for name, mutate := range map[string]func(*store.Document){
		"other sha":      func(x *store.Document) { x.SHA256 = shaOf("other") },
		"other number":   func(x *store.Document) { x.Number = 6 },
		"other awardees": func(x *store.Document) { x.Awardees[0].Amount = 1 },
		"awardee added":  func(x *store.Document) { x.Awardees = append(x.Awardees, awardee("p2", "B", 2025, 0)) },
		"other time":     func(x *store.Document) { x.IssuedAt = x.IssuedAt.Add(time.Microsecond) },
	} {
		x := decision("d1", 5, awardee("p1", "Nguyễn Thị Hồng Đào", 2025, 1_170_000))
		mutate(&x)
		if err := s.RecordDocument(c, x); !isConflict(err) {
			t.Errorf("%s: %v, want ErrConflict", name, err)
		}
	}
	// Another document with the same file (SHA-256) or the same register number.
	dupSHA := decision("d2", 7)
	dupSHA.SHA256 = d.SHA256
	if err := s.RecordDocument(c, dupSHA); !isConflict(err) {
		t.Errorf("same SHA-256 under another id: %v, want ErrConflict", err)
	}
	dupNum := decision("d3", 5)
	if err := s.RecordDocument(c, dupNum); !isConflict(err) {
		t.Errorf("same register number under another id: %v, want ErrConflict", err)
	}
	// The same number in another period or series is another register's.
	otherPeriod := decision("d4", 5)
	otherPeriod.RegisterPeriod = "2027"
	must(t, s.RecordDocument(c, otherPeriod))
	for _, id := range []string{"d2", "d3"} {
		if _, err := s.Document(c, id); err == nil {
			t.Errorf("refused document %s was recorded", id)
		}
	}
	got, err := s.Document(c, "d1")
	must(t, err)
	if !reflect.DeepEqual(got, d) {
		t.Errorf("the register changed after refused writes:\n got %+v\nwant %+v", got, d)
	}
}

func isConflict(err error) bool { return errors.Is(err, store.ErrConflict) }

func asAward(err error, target **award.Error) bool { return errors.As(err, target) }

func testRecordDocumentRefusesBadInput(t *testing.T, env *dbEnv) {
	s := env.open(t)
	c := ctx(t)
	for name, mutate := range map[string]func(*store.Document){
		"no id":              func(d *store.Document) { d.ID = "" },
		"unknown kind":       func(d *store.Document) { d.Kind = "letter" },
		"short sha":          func(d *store.Document) { d.SHA256 = "abc" },
		"upper-case sha":     func(d *store.Document) { d.SHA256 = strings.ToUpper(d.SHA256) },
		"negative size":      func(d *store.Document) { d.Size = -1 },
		"no issue date":      func(d *store.Document) { d.IssuedAt = time.Time{} },
		"number no register": func(d *store.Document) { d.RegisterSeries = "" },
		"awardees on minutes": func(d *store.Document) {
			d.Kind = store.KindMinutes
		},
		"proposal twice": func(d *store.Document) { d.Awardees = append(d.Awardees, d.Awardees[0]) },
		"negative amount": func(d *store.Document) {
			d.Awardees[0].Amount = -1
		},
		"awardee without year": func(d *store.Document) { d.Awardees[0].Year = 0 },
		"unknown awardee kind": func(d *store.Document) { d.Awardees[0].Kind = "team" },
	} {
		d := decision("bad", 1, awardee("p1", "A", 2025, 0))
		mutate(&d)
		err := s.RecordDocument(c, d)
		var ae *award.Error
		if err == nil || !asAward(err, &ae) || ae.Code != award.CodeInvalid {
			t.Errorf("%s: %v, want an invalid error", name, err)
		}
	}
	docs, err := s.Documents(c, store.DocumentFilter{})
	must(t, err)
	if len(docs) != 0 {
		t.Errorf("refused documents were recorded: %+v", docs)
	}
}

func testDocumentBySHA(t *testing.T, env *dbEnv) {
	s := env.open(t)
	c := ctx(t)
	d := decision("d1", 5, awardee("p1", "A", 2025, 0))
	must(t, s.RecordDocument(c, d))
	cs := store.Document{ID: "cs1", SessionID: "session/x", Kind: store.KindCouncilSubmission, RegisterSeries: "BTGTU/HĐTĐKT",
		RegisterPeriod: "2026", Number: 1, NumberText: "Số 01-TTr/HĐTĐKT", IssuedAt: issued, Key: "k", SHA256: shaOf("cs1"), Size: 1}
	must(t, s.RecordDocument(c, cs))
	for _, sha := range []string{d.SHA256, strings.ToUpper(d.SHA256), " " + d.SHA256 + "\n"} {
		got, err := s.DocumentBySHA(c, sha)
		must(t, err)
		if got.ID != "d1" || got.SessionID != d.SessionID || got.Kind != store.KindDecision || got.NumberText != d.NumberText ||
			got.Revocation != nil || got.Awardees != nil {
			t.Errorf("DocumentBySHA(%q) = %+v", sha, got)
		}
	}
	got, err := s.DocumentBySHA(c, cs.SHA256)
	must(t, err)
	if got.ID != "cs1" || got.Kind != store.KindCouncilSubmission {
		t.Errorf("council submission by SHA: %+v", got)
	}
	for _, sha := range []string{shaOf("never issued"), "", "zz", strings.Repeat("g", 64), "' OR 1=1 --"} {
		_, err := s.DocumentBySHA(c, sha)
		wantIs(t, err, store.ErrNotFound)
	}
}

func testRevocationKeepsTheRecord(t *testing.T, env *dbEnv) {
	s := env.open(t)
	c := ctx(t)
	d := decision("d1", 5, awardee("p1", "A", 2025, 100))
	must(t, s.RecordDocument(c, d))
	must(t, s.RecordDocument(c, decision("d2", 6, awardee("p2", "B", 2025, 200))))
	r := store.Revocation{DocumentID: "d1", Reason: "Phát hiện kê khai không trung thực", At: issued.Add(24 * time.Hour), By: "truongban"}
	must(t, s.Revoke(c, r))
	must(t, s.Revoke(c, r)) // retried
	r2 := r
	r2.Reason = "other"
	if err := s.Revoke(c, r2); !isConflict(err) {
		t.Errorf("a second, different revocation: %v, want ErrConflict", err)
	}
	wantIs(t, s.Revoke(c, store.Revocation{DocumentID: "nope", Reason: "x", At: issued, By: "a"}), store.ErrNotFound)
	wantCode(t, s.Revoke(c, store.Revocation{DocumentID: "d2", At: issued, By: "a"}), award.CodeInvalid)

	got, err := s.Document(c, "d1")
	must(t, err)
	if got.Revocation == nil || *got.Revocation != r {
		t.Errorf("revocation: %+v, want %+v", got.Revocation, r)
	}
	got.Revocation = nil
	if !reflect.DeepEqual(got, d) {
		t.Errorf("the revoked document changed:\n got %+v\nwant %+v", got, d)
	}
	bySHA, err := s.DocumentBySHA(c, d.SHA256)
	must(t, err)
	if bySHA.Revocation == nil {
		t.Error("DocumentBySHA does not report the revocation")
	}
	list, err := s.Awardees(c, store.AwardeeFilter{Year: 2025})
	must(t, err)
	if len(list) != 1 || list[0].ProposalID != "p2" {
		t.Errorf("awardees in force: %+v", list)
	}
	list, err = s.Awardees(c, store.AwardeeFilter{Year: 2025, IncludeRevoked: true})
	must(t, err)
	if len(list) != 2 || !list[0].Revoked || list[1].Revoked {
		t.Errorf("awardees with the revoked: %+v", list)
	}
}

func testAwardCounts(t *testing.T, env *dbEnv) {
	s := env.open(t)
	c := ctx(t)
	gk := func(p string, kind string, year int, amount int64) store.Awardee {
		a := awardee(p, "Tên "+p, year, amount)
		a.AwardType, a.Kind = "GK", kind
		return a
	}
	must(t, s.RecordDocument(c, decision("d1", 1, awardee("a1", "Nguyễn Thị Hồng Đào", 2025, 100), awardee("a2", "B", 2025, 100),
		awardee("a3", "C", 2024, 100))))
	d2 := decision("d2", 2, gk("g1", store.NomineeIndividual, 2025, 500), gk("g2", store.NomineeCollective, 2025, 1000),
		gk("g3", store.NomineeCollective, 2025, 1000))
	d2.AwardType = "GK"
	must(t, s.RecordDocument(c, d2))
	// Revoked and submissions do not count.
	must(t, s.RecordDocument(c, decision("d3", 3, awardee("r1", "R", 2025, 100))))
	must(t, s.Revoke(c, store.Revocation{DocumentID: "d3", Reason: "sai", At: issued, By: "truongban"}))
	sub := decision("s1", 1, awardee("s1", "S", 2025, 0))
	sub.Kind, sub.RegisterSeries = store.KindSubmission, "BTGTU/TTr"
	must(t, s.RecordDocument(c, sub))

	got, err := s.AwardCounts(c, 2025)
	must(t, err)
	want := []store.AwardCount{
		{AwardType: "GK", Kind: store.NomineeCollective, Count: 2, Amount: 2000},
		{AwardType: "GK", Kind: store.NomineeIndividual, Count: 1, Amount: 500},
		{AwardType: "LDTT", Kind: store.NomineeIndividual, Count: 2, Amount: 200},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("AwardCounts(2025) = %+v, want %+v", got, want)
	}
	got, err = s.AwardCounts(c, 2030)
	must(t, err)
	if len(got) != 0 {
		t.Errorf("AwardCounts(2030) = %+v, want none", got)
	}
	// A person's awards over the years (eligibility looks back), and a name search.
	hist, err := s.Awardees(c, store.AwardeeFilter{PersonID: "p-a1"})
	must(t, err)
	if len(hist) != 1 || hist[0].DocumentID != "d1" || hist[0].NumberText != "Số 01-QĐ/BTGTU" || !hist[0].IssuedAt.Equal(issued) {
		t.Errorf("history of p-a1: %+v", hist)
	}
	found, err := s.Awardees(c, store.AwardeeFilter{Text: "hong dao"})
	must(t, err)
	if len(found) != 1 || found[0].ProposalID != "a1" {
		t.Errorf("search 'hong dao': %+v", found)
	}
	subs, err := s.Awardees(c, store.AwardeeFilter{DocumentKind: store.KindSubmission})
	must(t, err)
	if len(subs) != 1 || subs[0].ProposalID != "s1" {
		t.Errorf("submission awardees: %+v", subs)
	}
}

// The statistics are the register summed: for random decisions (some revoked, some
// submissions, titles of several years, individuals and collectives in several units),
// every cell equals the sum of the awardees the register lists for it, and no awardee
// is counted twice or missed.
func testAwardStatisticsMatchTheRegister(t *testing.T, env *dbEnv) {
	s := env.open(t)
	c := ctx(t)
	r := rand.New(rand.NewPCG(3, 4))
	types, units := []string{"LDTT", "CSTDCS", "GK"}, []string{"vp", "tt", "llct", ""}
	for i := range 40 {
		d := decision(fmt.Sprintf("d%02d", i), i+1)
		d.AwardType = types[r.IntN(len(types))]
		if r.IntN(6) == 0 {
			d.Kind, d.RegisterSeries = store.KindSubmission, "BTGTU/TTr"
		}
		for j := range 1 + r.IntN(6) {
			a := awardee(fmt.Sprintf("p%02d-%d", i, j), "Người "+strconv.Itoa(j), 2024+r.IntN(3), int64(r.IntN(5))*710_000)
			a.AwardType, a.UnitID = d.AwardType, units[r.IntN(len(units))]
			if r.IntN(3) == 0 {
				a.Kind, a.PersonID = store.NomineeCollective, ""
			}
			d.Awardees = append(d.Awardees, a)
		}
		must(t, s.RecordDocument(c, d))
		if r.IntN(8) == 0 {
			must(t, s.Revoke(c, store.Revocation{DocumentID: d.ID, Reason: "sai", At: issued, By: "truongban"}))
		}
	}
	for _, year := range []int{2024, 2025, 2026, 2030} {
		got, err := s.AwardStatistics(c, year)
		must(t, err)
		recs, err := s.Awardees(c, store.AwardeeFilter{Year: year, DocumentKind: store.KindDecision})
		must(t, err)
		want := map[[3]string]store.AwardStat{}
		for _, a := range recs {
			k := [3]string{a.AwardType, a.Kind, a.UnitID}
			w := want[k]
			w.AwardType, w.Kind, w.UnitID = a.AwardType, a.Kind, a.UnitID
			w.Count++
			w.Amount += a.Amount
			want[k] = w
		}
		if len(got) != len(want) {
			t.Fatalf("%d: %d cells, the register has %d", year, len(got), len(want))
		}
		for i, g := range got {
			if w := want[[3]string{g.AwardType, g.Kind, g.UnitID}]; g != w {
				t.Fatalf("%d: cell %+v, the register sums to %+v", year, g, w)
			}
			if i > 0 && !cellLess(got[i-1], g) {
				t.Fatalf("%d: cells out of order: %+v then %+v", year, got[i-1], g)
			}
		}
	}
}

func cellLess(a, b store.AwardStat) bool {
	if a.AwardType != b.AwardType {
		return a.AwardType < b.AwardType
	}
	if a.Kind != b.Kind {
		return a.Kind < b.Kind
	}
	return a.UnitID < b.UnitID
}
