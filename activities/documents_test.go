package activities

import (
	"context"
	"crypto/x509"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/awardflow/awardflow/internal/award"
	"github.com/awardflow/awardflow/internal/keyring"
	"github.com/awardflow/awardflow/internal/orgconfig"
	"github.com/awardflow/awardflow/internal/pdfsign"
	"github.com/awardflow/awardflow/internal/stamp"
	"github.com/awardflow/awardflow/internal/testenv"
	"github.com/awardflow/awardflow/workflows"
)

var (
	pkiOnce sync.Once
	pkiActs *Activities
	pkiRoot *x509.CertPool
	pkiErr  error
)

// testActivities signs with a dev CA made once per test binary (RSA key generation is
// slow) and renders for the demo organisation.
func testActivities(tb testing.TB) (*Activities, *x509.CertPool) {
	tb.Helper()
	pkiOnce.Do(func() {
		dir, err := os.MkdirTemp("", "awardflow-pki-")
		if err != nil {
			pkiErr = err
			return
		}
		org, err := orgconfig.Demo()
		if err != nil {
			pkiErr = err
			return
		}
		signer, ca, err := pdfsign.EnsureDevCA(filepath.Join(dir, "pki"), org.Agency.FullName)
		if err != nil {
			pkiErr = err
			return
		}
		seal, err := pdfsign.EnsureDevSigner(filepath.Join(dir, "pki"), "seal", "Dấu cơ quan (thử)", org.Agency.FullName)
		if err != nil {
			pkiErr = err
			return
		}
		// Each person signs with their own certificate from the same dev CA (the head,
		// a deputy, the chair, the secretary); Signer and Seal serve the older paths.
		keys, err := keyring.NewDev(filepath.Join(dir, "pki"), org, keyring.DevOptions{Log: slog.New(slog.DiscardHandler)})
		if err != nil {
			pkiErr = err
			return
		}
		pkiRoot = x509.NewCertPool()
		pkiRoot.AddCert(ca)
		pkiActs = &Activities{Org: org, Keys: keys, Signer: signer, Seal: &seal, SealImage: stamp.SealPNG(240), SignatureImage: stamp.SealPNG(64),
			Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	})
	if pkiErr != nil {
		tb.Fatal(pkiErr)
	}
	return pkiActs, pkiRoot
}

func decisionRequest(n int) workflows.DecisionRequest {
	req := workflows.DecisionRequest{ID: fmt.Sprintf("session-test.LDTT.%d", n), SessionID: "session-test", AwardType: "LDTT",
		Number: 7, Year: 2026, Date: time.Date(2026, 2, 5, 2, 30, 0, 0, time.UTC)}
	depts := []string{"vp", "tt", "llct", "kgvx"}
	for i := range n {
		req.Awardees = append(req.Awardees, award.AgendaItem{
			ProposalID: fmt.Sprintf("proposal-%04d", i), NomineeName: fmt.Sprintf("Nguyễn Thị Hồng Đào %03d", i+1),
			Position: "Chuyên viên", Department: depts[i%len(depts)], Kind: award.KindIndividual, AwardType: "LDTT", MovementID: "vanhoa-2025",
		})
	}
	return req
}

// Many decisions rendered and signed at once (run with -race): fonts, the signer and the
// organisation are shared; every document must still verify and carry its own names.
func TestConcurrentRenderAndSign(t *testing.T) {
	a, roots := testActivities(t)
	var wg sync.WaitGroup
	errs := make(chan error, 24)
	for g := range 12 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			req := decisionRequest(1 + g*7)
			pdf, number, err := a.SignedDecision(context.Background(), req)
			if err != nil {
				errs <- err
				return
			}
			if number != "Số 07-QĐ/BTGTU" {
				errs <- fmt.Errorf("number %q", number)
				return
			}
			sigs, err := pdfsign.Verify(pdf, roots)
			if err != nil || len(sigs) != 2 || !sigs[0].Intact || !sigs[1].Intact || !sigs[0].Chained || !sigs[1].CoversWholeFile {
				errs <- fmt.Errorf("decision %d: %v %+v", g, err, sigs)
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

// The same request renders the same bytes: a retried activity rewrites an identical file.
func TestDecisionIsReproducible(t *testing.T) {
	a, _ := testActivities(t)
	one, _, err := a.SignedDecision(context.Background(), decisionRequest(3))
	if err != nil {
		t.Fatal(err)
	}
	two, _, _ := a.SignedDecision(context.Background(), decisionRequest(3))
	if string(one) != string(two) {
		t.Fatal("two renders of the same request differ")
	}
}

func TestDecisionText(t *testing.T) {
	pdftotext := testenv.RequireTool(t, "pdftotext", "poppler-utils")
	a, _ := testActivities(t)
	pdf, _, err := a.SignedDecision(context.Background(), decisionRequest(300))
	if err != nil {
		t.Fatal(err)
	}
	f := filepath.Join(t.TempDir(), "d.pdf")
	if err := writeFile(f, pdf); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(pdftotext, f, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	text := string(out)
	for _, want := range []string{"Số 07-QĐ/BTGTU", "ngày 05 tháng 02 năm 2026", "Nguyễn Thị Hồng Đào 001", "Nguyễn Thị Hồng Đào 300", "cho 300 cá nhân", "chính trị - Lịch sử Đảng"} {
		if !strings.Contains(text, want) {
			t.Errorf("decision lacks %q", want)
		}
	}
}

// BenchmarkRenderAndSign is render + sign (signer and seal, visible appearances) of a
// decision, without storage. Compare with templates' BenchmarkBareGofpdf.
func BenchmarkRenderAndSign(b *testing.B) {
	a, _ := testActivities(b)
	for _, n := range []int{1, 50, 500} {
		req := decisionRequest(n)
		b.Run(fmt.Sprintf("awardees=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, _, err := a.SignedDecision(context.Background(), req); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestDecisionBonus: the bonus is the coefficient × the base salary in force on the
// decision's date, rounded up to 10.000 đồng (0,3 × 2.340.000 = 702.000 → 710.000), in
// figures and in words, with the funding sentence; a decision dated under the older
// rate uses that rate.
func TestDecisionBonus(t *testing.T) {
	pdftotext := testenv.RequireTool(t, "pdftotext", "poppler-utils")
	a, _ := testActivities(t)
	text := func(req workflows.DecisionRequest) string { return decisionText(t, pdftotext, a, req) }
	now := text(decisionRequest(1))
	for _, want := range []string{"710.000", "Bảy trăm mười nghìn đồng", "Kinh phí khen thưởng trích từ Quỹ thi đua, khen thưởng của Cơ quan."} {
		if !strings.Contains(now, want) {
			t.Errorf("decision of 2026 lacks %q:\n%s", want, now)
		}
	}
	if strings.Contains(now, "702.000") {
		t.Errorf("the bonus is not rounded up:\n%s", now)
	}
	old := decisionRequest(1)
	old.Date = time.Date(2024, 3, 1, 2, 0, 0, 0, time.UTC) // base salary 1.800.000: 540.000
	if got := text(old); !strings.Contains(got, "540.000") || strings.Contains(got, "710.000") {
		t.Errorf("a decision of March 2024 must use the base salary then in force (540.000):\n%s", got)
	}
}

// TestCollectiveDecisionWording: a decision for collectives speaks of collectives
// everywhere — Điều 1, Điều 2, the annex heading and its columns — and never of "cá
// nhân" (a văn thư rejects one that does on sight); an individual decision keeps its
// words. Both document profiles.
func TestCollectiveDecisionWording(t *testing.T) {
	pdftotext := testenv.RequireTool(t, "pdftotext", "poppler-utils")
	a, _ := testActivities(t)
	text := func(a *Activities, req workflows.DecisionRequest) string { return decisionText(t, pdftotext, a, req) }
	for _, profile := range []award.Profile{award.ProfileHD36, award.ProfileND30} {
		b := *a
		org := *a.Org.(*orgconfig.Org)
		org.Agency.Profile = profile
		b.Org = &org
		a := &b
		req := decisionRequest(3)
		req.AwardType = "TTLDTT"
		for i := range req.Awardees {
			req.Awardees[i].Kind, req.Awardees[i].AwardType = award.KindCollective, "TTLDTT"
			req.Awardees[i].NomineeName = fmt.Sprintf("Phòng Tuyên truyền %d", i+1)
			req.Awardees[i].Position = ""
		}
		got := text(a, req)
		for _, want := range []string{"cho 03 tập thể", "Mỗi tập thể có tên tại Điều 1", "Tên tập thể", "Phòng Tuyên truyền 3"} {
			if !strings.Contains(got, want) {
				t.Errorf("%s collective decision lacks %q:\n%s", profile, want, got)
			}
		}
		if !strings.Contains(strings.ToLower(got), "tập thể được tặng") {
			t.Errorf("%s: the annex heading does not name collectives:\n%s", profile, got)
		}
		for _, wrong := range []string{"cho 03 cá nhân", "Mỗi cá nhân", "Họ và tên", "Chức vụ"} {
			if strings.Contains(got, wrong) {
				t.Errorf("%s collective decision says %q:\n%s", profile, wrong, got)
			}
		}
		ind := text(a, decisionRequest(2))
		if !strings.Contains(ind, "cho 02 cá nhân") || !strings.Contains(ind, "Họ và tên") {
			t.Errorf("%s individual decision lost its words:\n%s", profile, ind)
		}
	}
}

// pdfText is the text of a PDF as pdftotext reads it, with runs of white space made one
// space (line breaks fall where the layout puts them).
func pdfText(t *testing.T, pdftotext string, pdf []byte) string {
	t.Helper()
	f := filepath.Join(t.TempDir(), "doc.pdf")
	if err := writeFile(f, pdf); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(pdftotext, f, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return strings.Join(strings.Fields(string(out)), " ")
}

// decisionText renders and signs a decision and returns its text.
func decisionText(t *testing.T, pdftotext string, a *Activities, req workflows.DecisionRequest) string {
	t.Helper()
	pdf, _, err := a.SignedDecision(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	return pdfText(t, pdftotext, pdf)
}
