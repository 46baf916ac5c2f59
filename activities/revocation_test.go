package activities

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/awardflow/awardflow/internal/award"
	"github.com/awardflow/awardflow/templates"
)

// A revocation decision in every variant — both document profiles, individuals and
// collectives, with and without a bonus to recover — says what it revokes of which
// decision, on which ground, what is recovered under Điều 93 k2, and lists the awards.
func TestRevocationDocumentVariants(t *testing.T) {
	issued := time.Date(2026, 1, 10, 9, 0, 0, 0, time.UTC)
	for _, profile := range []award.Profile{award.ProfileND30, award.ProfileHD36} {
		org := orgWithProfile(t, profile)
		for _, collective := range []bool{false, true} {
			for _, amount := range []int64{0, 710_000} {
				name := fmt.Sprintf("%s/collective=%v/amount=%d", profile, collective, amount)
				t.Run(name, func(t *testing.T) {
					kind, typ, names := award.KindIndividual, "LDTT", []string{"Nguyễn Thị Hồng Đào", "Lê Văn Ẩn"}
					if collective {
						kind, typ, names = award.KindCollective, "TTLDTT", []string{"Phòng Tuyên truyền - Báo chí", "Văn phòng Ban"}
					}
					number := award.FormatNumber(profile, 5, "QĐ", org.Agency.Code)
					r := award.Revocation{ID: "revocation-x", DocumentID: "d1", OriginalNumber: number, OriginalIssued: issued,
						AwardType: typ, Ground: "gian_doi", Reason: "Kê khai sáng kiến không đúng", RequestedBy: "thuky"}
					for i, n := range names {
						r.Awardees = append(r.Awardees, award.RevokedAwardee{ProposalID: fmt.Sprint("p", i), Name: n, Kind: kind, Year: 2025,
							UnitID: "tt", Amount: amount})
					}
					r.Document = award.PendingDocument{ID: r.ID, Kind: award.DocKindRevocation, Signer: org.HeadSigner()}
					d, err := RevocationDocument(org, r, 0, time.Time{}, issued.Add(30*24*time.Hour))
					if err != nil {
						t.Fatal(err)
					}
					out, err := templates.RenderDecision(d, templates.RenderOptions{CreationDate: issued, LeaveNumberAndDate: true})
					if err != nil {
						t.Fatal(err)
					}
					txt := rawText(t, out.PDF)
					bare := strings.TrimSpace(strings.TrimPrefix(strings.TrimPrefix(number, "Số:"), "Số"))
					word := map[bool]string{false: "cá nhân", true: "tập thể"}[collective]
					want := []string{"huỷ bỏ quyết định khen thưởng", "Điều 1. Huỷ bỏ việc tặng danh hiệu",
						"đối với 02 " + word, "Quyết định số " + bare + " ngày 10/01/2026", "Gian dối trong việc kê khai thành tích",
						"Kê khai sáng kiến không đúng", "Điều 93 Luật Thi đua, khen thưởng năm 2022", "Điều 3. Quyết định này có hiệu lực",
						"Căn cứ Nghị định số 152/2025/NĐ-CP", names[0], names[1]}
					wrong := []string{"Quyết định Số", "[verify"}
					if amount > 0 {
						want = append(want, "tổng cộng 1.420.000 đồng", "khoản 2 Điều 93")
					} else {
						wrong = append(wrong, "tổng cộng")
					}
					for _, w := range want {
						if !strings.Contains(txt, w) {
							t.Errorf("lacks %q", w)
						}
					}
					for _, w := range wrong {
						if strings.Contains(txt, w) {
							t.Errorf("says %q", w)
						}
					}
					if t.Failed() {
						t.Logf("%s", txt)
					}
				})
			}
		}
	}
}

// Any printable reason a person types (after award.CleanLine, as the API does) renders.
func TestRevocationDocumentArbitraryReasons(t *testing.T) {
	org := orgWithProfile(t, award.ProfileHD36)
	rng := rand.New(rand.NewPCG(9, 3))
	alphabet := []rune("aăâbcdđeêghiklmnoôơpqrstuưvxyàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ ĐƯƠÂĂÊÔ0123456789.,;:()-–“”'\"/%")
	for i := 0; i < 25; i++ {
		n := 1 + rng.IntN(300)
		b := make([]rune, n)
		for j := range b {
			b[j] = alphabet[rng.IntN(len(alphabet))]
		}
		reason, err := award.CleanLine(award.FieldComment, string(b))
		if err != nil || strings.TrimSpace(reason) == "" {
			continue
		}
		r := award.Revocation{ID: "revocation-y", OriginalNumber: "Số 05-QĐ/BTGTU", OriginalIssued: time.Now(), AwardType: "LDTT",
			Ground: "khong_du_tieu_chuan", Reason: reason,
			Awardees: []award.RevokedAwardee{{ProposalID: "p", Name: "Trần Văn Ba", Kind: award.KindIndividual, Year: 2025}}}
		r.Document = award.PendingDocument{Signer: org.HeadSigner()}
		d, err := RevocationDocument(org, r, 0, time.Time{}, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		d.NumberText = award.NumberPlaceholder(org.Agency.Profile, "QĐ", org.Agency.Code)
		if _, err := templates.RenderDecision(d, templates.RenderOptions{Draft: true}); err != nil {
			t.Fatalf("reason %q: %v", reason, err)
		}
	}
}
