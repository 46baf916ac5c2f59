package listimport

import (
	"bytes"
	"errors"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/awardflow/awardflow/internal/annualdata"
	"github.com/awardflow/awardflow/internal/award"
)

// The template round-trips in both formats: its example row comes back as an entry.
func TestTemplateRoundTrip(t *testing.T) {
	for _, format := range []string{"xlsx", "csv"} {
		var b bytes.Buffer
		if err := WriteTemplate(&b, format); err != nil {
			t.Fatal(err)
		}
		got, err := Parse(&b)
		if err != nil {
			t.Fatalf("%s: %v", format, err)
		}
		if len(got) != 1 || got[0].NomineeID != "hongdao" || got[0].AwardType != "LDTT" || got[0].Row != 2 || got[0].Kind != award.KindIndividual {
			t.Fatalf("%s: %+v", format, got)
		}
	}
}

// A list as agencies write it: headers without codes or diacritics, a title row above,
// collectives, semicolons; problems named by row and column, nothing returned.
func TestParseRowsAndErrors(t *testing.T) {
	csv := "DANH SÁCH ĐỀ NGHỊ NĂM 2025\nSTT;Doi tuong;Ho va ten;Thanh tich\n1;Cá nhân;Lê Quốc Cường;Tốt\n\n2;Tập thể;Phòng Tuyên truyền - Báo chí;Xuất sắc\n"
	got, err := Parse(strings.NewReader(csv))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Row != 3 || got[1].Row != 5 || got[1].Kind != award.KindCollective || got[0].Achievements != "Tốt" {
		t.Fatalf("%+v", got)
	}
	bad := "Họ và tên (ten),Đối tượng (loai)\nA,Cá nhân\n,Cá nhân\nB,Nhóm\n"
	_, err = Parse(strings.NewReader(bad))
	var ie *annualdata.ImportError
	if !errors.As(err, &ie) || len(ie.Rows) != 2 || ie.Rows[0].Row != 3 || ie.Rows[1].Row != 4 || ie.Rows[1].Column != "loai" {
		t.Fatalf("errors %+v (%v)", ie, err)
	}
	for _, s := range []string{"", "a,b\n1,2\n", "Họ và tên\n"} {
		if _, err := Parse(strings.NewReader(s)); !errors.As(err, &ie) {
			t.Errorf("%q: %v", s, err)
		}
	}
}

// Arbitrary cells never panic: each file parses or is refused with an import error.
func TestParseArbitrary(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 9))
	for range 2000 {
		var b strings.Builder
		b.WriteString("Mã cá nhân/tập thể (ma),Họ và tên (ten),Đối tượng (loai)\n")
		for range r.IntN(5) {
			for c := range 3 {
				if c > 0 {
					b.WriteByte(',')
				}
				for range r.IntN(6) {
					b.WriteRune(rune(r.IntN(0x2000)))
				}
			}
			b.WriteByte('\n')
		}
		_, err := Parse(strings.NewReader(b.String()))
		var ie *annualdata.ImportError
		if err != nil && !errors.As(err, &ie) {
			t.Fatalf("%q: %v", b.String(), err)
		}
	}
}
