package activities

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/awardflow/awardflow/internal/award"
	"github.com/awardflow/awardflow/internal/ballotbox"
	"github.com/awardflow/awardflow/internal/store"
	"github.com/awardflow/awardflow/templates"
	"github.com/awardflow/awardflow/workflows"
)

// registerDoc enters a decision (or submission) of n awardees of one award type and
// year in the register.
func registerDoc(t *testing.T, rec *store.Store, id, kind, code string, year, n int) {
	t.Helper()
	sum := sha256.Sum256([]byte(id))
	d := store.Document{ID: id, SessionID: "s-old", Kind: kind, AwardType: code, Key: "decisions/" + id + ".pdf",
		SHA256: hex.EncodeToString(sum[:]), Size: 1, IssuedAt: time.Date(2025, 12, 1, 2, 0, 0, 0, time.UTC)}
	for i := range n {
		d.Awardees = append(d.Awardees, store.Awardee{ProposalID: fmt.Sprintf("%s-%d", id, i), NomineeName: fmt.Sprintf("Người %d", i),
			Kind: store.NomineeIndividual, AwardType: code, Year: year, Amount: 710000})
	}
	if err := rec.RecordDocument(context.Background(), d); err != nil {
		t.Fatal(err)
	}
}

// TestReadQuotaRegister: the register's figures per award type and achievement year —
// decisions in force only (a revoked decision and a submission upward do not count) —
// and each proposal's year as the register will enter it (its movement's year, else
// the year of the count in the agency's time); without a records store the answer
// says the register is not available.
func TestReadQuotaRegister(t *testing.T) {
	base, _ := testActivities(t)
	a := *base
	rec, err := store.Open(context.Background(), store.SQLiteDSN(filepath.Join(t.TempDir(), "awardflow.db")))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = rec.Close() })
	ctx := context.Background()
	registerDoc(t, rec, "d-ldtt-1", store.KindDecision, "LDTT", 2025, 4)
	registerDoc(t, rec, "d-ldtt-2", store.KindDecision, "LDTT", 2025, 3)
	registerDoc(t, rec, "d-ldtt-revoked", store.KindDecision, "LDTT", 2025, 5)
	registerDoc(t, rec, "d-ldtt-2024", store.KindDecision, "LDTT", 2024, 9)
	registerDoc(t, rec, "d-cst-1", store.KindDecision, "CSTDCS", 2025, 1)
	registerDoc(t, rec, "ttr-cst", store.KindSubmission, "CSTDCS", 2025, 2)
	registerDoc(t, rec, "d-gk", store.KindDecision, "GK", 2025, 6)
	if err := rec.Revoke(ctx, store.Revocation{DocumentID: "d-ldtt-revoked", Reason: "Kê khai không trung thực", At: time.Now(), By: "truongban"}); err != nil {
		t.Fatal(err)
	}
	// Counted at 31/12/2025 20:00 UTC: 01/01/2026 in Vietnam.
	at := time.Date(2025, 12, 31, 20, 0, 0, 0, time.UTC)
	req := workflows.QuotaRegisterRequest{SessionID: "s-1", At: at, AwardTypes: []string{"CSTDCS", "LDTT"},
		Agenda: []award.AgendaItem{
			{ProposalID: "p-movement", AwardType: "CSTDCS", MovementID: "vanhoa-2025"},
			{ProposalID: "p-annual", AwardType: "CSTDCS"},
			{ProposalID: "p-ldtt", AwardType: "LDTT", MovementID: "no-such-movement"},
		}}
	a.Records = rec
	reg, err := a.ReadQuotaRegister(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	if !reg.Available || reg.Year != 2026 || reg.Years["p-movement"] != 2025 || reg.Years["p-annual"] != 2026 || reg.Years["p-ldtt"] != 2026 {
		t.Fatalf("years %+v", reg)
	}
	want := []award.YearCount{{AwardType: "CSTDCS", Year: 2025, Count: 1}, {AwardType: "LDTT", Year: 2025, Count: 7}}
	if !slices.Equal(reg.Counts, want) {
		t.Fatalf("counts %+v, want %+v", reg.Counts, want)
	}
	// The year the register enters for a title is the year the quota counts it in.
	rows := a.awardees(req.Agenda, at)
	for _, r := range rows {
		if r.Year != reg.Years[r.ProposalID] {
			t.Fatalf("%s: the register enters year %d, the quota counts %d", r.ProposalID, r.Year, reg.Years[r.ProposalID])
		}
	}

	a.Records = nil
	reg, err = a.ReadQuotaRegister(ctx, req)
	if err != nil || reg.Available || len(reg.Counts) != 0 || reg.Year != 2026 {
		t.Fatalf("without a register: %+v, %v", reg, err)
	}
}

// TestCastingVote: which of the requested proposals the chair marked yes, and nothing
// more (not no from abstain, not the others); a ballot of another session, an altered
// or an invalid one is not valid.
func TestCastingVote(t *testing.T) {
	base, _ := testActivities(t)
	a := *base
	box, err := ballotbox.New(bytes.Repeat([]byte{3}, ballotbox.KeySize))
	if err != nil {
		t.Fatal(err)
	}
	a.Ballots = box
	agenda := []award.AgendaItem{{ProposalID: "l-1", AwardType: "LDTT"}, {ProposalID: "c-1", AwardType: "CSTDCS"}, {ProposalID: "c-2", AwardType: "CSTDCS"}}
	marks := map[string]award.Choice{"l-1": award.Yes, "c-1": award.Yes, "c-2": award.Abstain}
	sealed, err := box.Seal("s-1", marks)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	got, err := a.CastingVote(ctx, workflows.CastingRequest{SessionID: "s-1", Agenda: agenda, Sealed: sealed, ProposalIDs: []string{"c-1", "c-2"}})
	if err != nil || !got.Valid || !slices.Equal(got.Yes, []string{"c-1"}) {
		t.Fatalf("casting %+v, %v", got, err)
	}
	other, _ := box.Seal("s-2", marks)
	partial, _ := box.Seal("s-1", map[string]award.Choice{"c-1": award.Yes, "c-2": award.No})
	for name, s := range map[string]string{"another session's": other, "invalid": partial, "altered": sealed[:len(sealed)-4] + "AAAA", "no": ""} {
		got, err := a.CastingVote(ctx, workflows.CastingRequest{SessionID: "s-1", Agenda: agenda, Sealed: s, ProposalIDs: []string{"c-1", "c-2"}})
		if err != nil || got.Valid || len(got.Yes) != 0 {
			t.Fatalf("%s ballot: %+v, %v", name, got, err)
		}
	}
}

// quotaMinutesSession is the e2e's second session as the minutes see it: 7 LĐTT of
// 2025 in the register, one more passing now, three CSTĐCS candidates of whom two tie
// at the cut (the chair's ballot picks one, or they are re-voted) and one falls below
// the pass mark.
func quotaMinutesSession(t *testing.T, ties award.TieRule) award.Session {
	t.Helper()
	org := orgWithProfile(t, award.ProfileHD36)
	s := award.Session{ID: "session-quota", Title: "Họp Hội đồng Thi đua - Khen thưởng xét danh hiệu Chiến sĩ thi đua cơ sở năm 2025",
		Location: "Phòng họp số 2", Status: award.SessionClosed, Members: org.Council(), Rules: map[string]award.VoteRule{},
		OpenedAt: time.Date(2026, 2, 5, 1, 0, 0, 0, time.UTC), ClosedAt: time.Date(2026, 2, 5, 2, 30, 0, 0, time.UTC)}
	for _, code := range []string{"LDTT", "CSTDCS"} {
		at, _ := org.AwardType(code)
		s.Rules[code] = at.Vote
	}
	q := *s.Rules["CSTDCS"].Quota
	q.Ties = ties
	r := s.Rules["CSTDCS"]
	r.Quota = &q
	s.Rules["CSTDCS"] = r
	s.Agenda = []award.AgendaItem{
		{ProposalID: "p-l", NomineeName: "Nguyễn Thị Hồng Đào", AwardType: "LDTT", Kind: award.KindIndividual, Department: "tt", MovementID: "vanhoa-2025"},
		{ProposalID: "p-c1", NomineeName: "Trần Thị Cúc", AwardType: "CSTDCS", Kind: award.KindIndividual, Department: "tt", MovementID: "vanhoa-2025"},
		{ProposalID: "p-c2", NomineeName: "Lê Văn Bình", AwardType: "CSTDCS", Kind: award.KindIndividual, Department: "vp", MovementID: "vanhoa-2025"},
		{ProposalID: "p-c3", NomineeName: "Phạm Văn Chung", AwardType: "CSTDCS", Kind: award.KindIndividual, Department: "vp", MovementID: "vanhoa-2025"},
	}
	for _, m := range s.Voters() {
		s.Voted = append(s.Voted, m.ID)
	}
	n := len(s.Voted)
	s.QuotaRegister = &award.QuotaRegister{Available: true, Year: 2025, ReadAt: s.ClosedAt,
		Counts: []award.YearCount{{AwardType: "LDTT", Year: 2025, Count: 12}},
		Names:  map[string]string{"LDTT": "Lao động tiên tiến", "CSTDCS": "Chiến sĩ thi đua cơ sở"}}
	// 12 + 1 = 13 LĐTT → 15 % = 1,95 → 1 seat: c1 and c2 tie on n−1 yes, c3 has n−2.
	s.Judge(map[string]award.Count{"p-l": {Yes: n}, "p-c1": {Yes: n - 1, No: 1}, "p-c2": {Yes: n - 1, Abstain: 1}, "p-c3": {Yes: n - 2, No: 2}}, 0)
	if need := s.CastingNeeded(); len(need) > 0 {
		s.SetCasting(map[string]award.Choice{"p-c1": award.No, "p-c2": award.Yes})
	}
	return s
}

// TestMinutesPrintTheQuotaFacts: the minutes say how the quota was worked out — the
// register's LĐTT of the year, this session's, the share, the rounding, the seats —
// and what the tie rule did (the chair's casting vote; or a re-vote, with the row's
// result and the conclusion saying so).
func TestMinutesPrintTheQuotaFacts(t *testing.T) {
	org := orgWithProfile(t, award.ProfileHD36)
	for _, ties := range []award.TieRule{award.TieChair, award.TieRevote} {
		s := quotaMinutesSession(t, ties)
		m := MinutesDocument(org, workflows.MinutesRequest{Session: s, Number: 3, Date: s.ClosedAt})
		r, err := templates.RenderMinutes(m, templates.RenderOptions{CreationDate: s.ClosedAt})
		if err != nil {
			t.Fatal(err)
		}
		txt := rawText(t, r.PDF)
		want := []string{
			"Chỉ tiêu “Chiến sĩ thi đua cơ sở” năm 2025: không quá 15% số trường hợp đạt “Lao động tiên tiến” của năm",
			"gồm 12 trường hợp theo sổ khen thưởng (quyết định còn hiệu lực, không tính quyết định đã thu hồi) và 01 trường hợp đạt tại phiên họp này, tổng cộng 13",
			"15% × 13 = 1,95, làm tròn xuống: tối đa 01 trường hợp; đã khen thưởng trong năm 0 trường hợp, còn lại 01.",
		}
		switch ties {
		case award.TieChair:
			want = append(want,
				"Các trường hợp Lê Văn Bình, Trần Thị Cúc có số phiếu đồng ý bằng nhau tại ngưỡng chỉ tiêu; theo phiếu của Chủ tịch Hội đồng: chọn Lê Văn Bình; không chọn Trần Thị Cúc.",
				"Đạt số phiếu nhưng vượt chỉ tiêu, không được đề nghị: Trần Thị Cúc. III. KẾT LUẬN",
				"“Chiến sĩ thi đua cơ sở” cho 01 trường hợp: Lê Văn Bình.")
		case award.TieRevote:
			want = append(want,
				"Có số phiếu đồng ý bằng nhau tại ngưỡng chỉ tiêu; Hội đồng bỏ phiếu lại đối với: Lê Văn Bình, Trần Thị Cúc.",
				"Bỏ phiếu lại",
				"Hình thức “Chiến sĩ thi đua cơ sở”: chưa có trường hợp nào được đề nghị. Các trường hợp có số phiếu đồng ý bằng nhau tại ngưỡng chỉ tiêu được Hội đồng bỏ phiếu lại tại phiên họp sau: Lê Văn Bình, Trần Thị Cúc.")
		}
		for _, w := range want {
			if !strings.Contains(txt, w) {
				t.Errorf("%s: the minutes lack %q:\n%s", ties, w, txt)
			}
		}
		if dir := os.Getenv("AWARDFLOW_QUOTA_MINUTES"); dir != "" { // to look at it: pdftoppm -png -r 60
			if err := writeFile(filepath.Join(dir, "minutes-quota-"+string(ties)+".pdf"), r.PDF); err != nil {
				t.Fatal(err)
			}
		}
	}
}
