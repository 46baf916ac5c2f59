package pdfsign

import (
	"bytes"
	"context"
	"crypto/x509"
	"encoding/pem"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestSignInvisiblePdfsigValid(t *testing.T) {
	s, ca, _ := testSigner(t)
	in := makePDF(t, 1)
	for _, sf := range []string{SubFilterCAdES, SubFilterPKCS7} {
		t.Run(sf, func(t *testing.T) {
			out, err := Sign(context.Background(), in, s, Options{
				Name: "Nguyễn Thị Hồng Đào", Reason: "Phê duyệt tờ trình", Location: "Hà Nội",
				Time: signTime, SubFilter: sf,
			})
			if err != nil {
				t.Fatalf("Sign: %v", err)
			}
			if !bytes.HasPrefix(out, in) {
				t.Fatal("signed file does not start with the original bytes (not an incremental update)")
			}
			file := writeTemp(t, "signed.pdf", out)
			text, sigs := runPdfsig(t, file, "")
			if len(sigs) != 1 {
				t.Fatalf("pdfsig found %d signatures, want 1:\n%s", len(sigs), text)
			}
			if sigs[0].Valid != "Signature is Valid." {
				t.Fatalf("pdfsig: %q\n%s", sigs[0].Valid, text)
			}
			if sigs[0].SubFilter != sf {
				t.Errorf("pdfsig signature type %q, want %q", sigs[0].SubFilter, sf)
			}
			_, sigs = runPdfsig(t, file, nssDB(t, ca))
			if sigs[0].Trust != "Certificate is Trusted." {
				t.Fatalf("with CA in NSS db: %q\n%s", sigs[0].Trust, text)
			}
		})
	}
}

// signTime is "now" because the dev CA is fresh: a fixed past date would
// precede the certificate's validity.
var signTime = time.Now().In(vnTime).Truncate(time.Second)

func signerOpts(t testing.TB) Options {
	return Options{
		Name: "Nguyễn Thị Hồng Đào", Reason: "Phê duyệt tờ trình khen thưởng", Location: "Hà Nội",
		Time: signTime, Font: testFont(t),
		Appearance: &Appearance{
			Page: 1, Rect: [4]float64{300, 80, 560, 170}, Color: [3]float64{0, 0, 0.8}, Image: testPNG(t, false),
			Lines: []string{"Ký bởi: Nguyễn Thị Hồng Đào", "Chức vụ: Giám đốc", "Cơ quan: Sở Nội vụ tỉnh Thử nghiệm",
				"Thời gian ký: " + signTime.Format(time.RFC3339)},
		},
	}
}

func sealOpts(t testing.TB) Options {
	tm := signTime.Add(2 * time.Hour)
	return Options{
		Name: "Sở Nội vụ tỉnh Thử nghiệm", Reason: "Văn thư đóng dấu", Time: tm, Font: testFont(t),
		SubFilter: SubFilterCAdES,
		// Over the left third of the signer's box, as văn thư practice has it.
		Appearance: &Appearance{
			Page: 1, Rect: [4]float64{260, 60, 390, 150}, Color: [3]float64{0.85, 0, 0}, Image: testPNG(t, true),
			Lines: []string{"Sở Nội vụ", "tỉnh Thử nghiệm", tm.Format(time.RFC3339)},
		},
	}
}

// signedTwice is the signer's signature followed by the agency seal.
func signedTwice(t testing.TB) (in, one, two []byte) {
	t.Helper()
	s, _, _ := testSigner(t)
	in = makePDF(t, 2)
	one, err := Sign(context.Background(), in, s, signerOpts(t))
	if err != nil {
		t.Fatalf("first Sign: %v", err)
	}
	two, err = Sign(context.Background(), one, testSealSigner(t), sealOpts(t))
	if err != nil {
		t.Fatalf("second Sign: %v", err)
	}
	if !bytes.HasPrefix(two, one) {
		t.Fatal("second signature rewrote earlier bytes")
	}
	return in, one, two
}

func TestTwoVisibleSignaturesPdfsig(t *testing.T) {
	_, ca, _ := testSigner(t)
	_, _, two := signedTwice(t)
	file := writeTemp(t, "two.pdf", two)
	text, sigs := runPdfsig(t, file, nssDB(t, ca))
	if len(sigs) != 2 {
		t.Fatalf("pdfsig found %d signatures, want 2:\n%s", len(sigs), text)
	}
	for i, s := range sigs {
		if s.Valid != "Signature is Valid." || s.Trust != "Certificate is Trusted." {
			t.Errorf("signature %d: %q / %q\n%s", i+1, s.Valid, s.Trust, text)
		}
	}
	if !strings.Contains(text, "Signature Field Name: Signature1") || !strings.Contains(text, "Signature Field Name: Signature2") {
		t.Errorf("field names missing:\n%s", text)
	}
	if strings.Count(text, "- Total document signed") != 1 {
		t.Errorf("exactly the last signature should cover the whole document:\n%s", text)
	}

	// Text extraction: page text untouched, appearance text exact Vietnamese.
	pt := needTool(t, "pdftotext", "poppler-utils")
	out, err := exec.Command(pt, file, "-").CombinedOutput()
	if err != nil {
		t.Fatalf("pdftotext: %v\n%s", err, out)
	}
	for _, want := range []string{"TỜ TRÌNH khen thưởng – trang 1", "Nguyễn Thị Hồng Đào, Trưởng phòng Thi đua – Khen thưởng",
		"TỜ TRÌNH khen thưởng – trang 2", "Cơ quan: Sở Nội vụ tỉnh Thử nghiệm", "Thời gian ký: " + signTime.Format(time.RFC3339),
		signTime.Add(2 * time.Hour).Format(time.RFC3339)} {
		if !strings.Contains(string(out), want) {
			t.Errorf("pdftotext output lacks %q:\n%s", want, out)
		}
	}

	// Rendering: blue ink inside the signer's box, red inside the seal's.
	pp := needTool(t, "pdftoppm", "poppler-utils")
	prefix := filepath.Join(t.TempDir(), "page")
	if out, err := exec.Command(pp, "-png", "-r", "60", "-f", "1", "-l", "1", file, prefix).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v\n%s", err, out)
	}
	pngs, _ := filepath.Glob(prefix + "*.png")
	if len(pngs) != 1 {
		t.Fatalf("pdftoppm produced %v", pngs)
	}
	if dir := os.Getenv("PDFSIGN_KEEP"); dir != "" { // for looking at it by eye
		b, _ := os.ReadFile(pngs[0])
		os.WriteFile(filepath.Join(dir, "two-signatures.png"), b, 0o644)
		os.WriteFile(filepath.Join(dir, "two-signatures.pdf"), two, 0o644)
	}
	f, err := os.Open(pngs[0])
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	count := func(rect [4]float64, want func(r, g, b uint32) bool) int {
		const k = 60.0 / 72
		h := float64(img.Bounds().Dy())
		n := 0
		for y := int(h - rect[3]*k); y < int(h-rect[1]*k); y++ {
			for x := int(rect[0] * k); x < int(rect[2]*k); x++ {
				r, g, b, _ := img.At(x, y).RGBA()
				if want(r>>8, g>>8, b>>8) {
					n++
				}
			}
		}
		return n
	}
	blue := count([4]float64{390, 80, 560, 170}, func(r, g, b uint32) bool { return b > 120 && r < 90 && g < 90 })
	red := count([4]float64{260, 60, 390, 150}, func(r, g, b uint32) bool { return r > 150 && g < 90 && b < 90 })
	if blue < 50 || red < 50 {
		t.Errorf("appearance not drawn: %d blue pixels in signer box, %d red in seal box", blue, red)
	}
}

func TestTamperDetected(t *testing.T) {
	_, ca, _ := testSigner(t)
	in, _, two := signedTwice(t)
	// Flip one byte inside the original document (covered by both signatures).
	i := bytes.Index(in, []byte("/Producer"))
	if i < 0 {
		t.Fatal("no /Producer in gofpdf output")
	}
	bad := bytes.Clone(two)
	bad[i+12] ^= 0x01
	text, sigs := runPdfsig(t, writeTemp(t, "bad.pdf", bad), nssDB(t, ca))
	if len(sigs) != 2 {
		t.Fatalf("pdfsig found %d signatures:\n%s", len(sigs), text)
	}
	for n, s := range sigs {
		if s.Valid == "Signature is Valid." || !strings.Contains(s.Valid, "Mismatch") {
			t.Errorf("signature %d after tampering: %q\n%s", n+1, s.Valid, text)
		}
	}
	infos, err := Verify(bad, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, in := range infos {
		if in.Intact || !strings.Contains(in.Err, "digest mismatch") {
			t.Errorf("Verify after tampering: %+v", in)
		}
	}
}

// The same certificate signing twice: both signatures valid. pdfsig 22.12
// reports "Unknown issue with Certificate" for the second one unless the
// signer certificate itself is in the NSS db (its temporary-certificate
// handling trips over the repeated certificate; pdfsig's own -add-signature
// output behaves the same when the cert is not in the db), so the trust
// check imports it.
func TestSameCertificateTwice(t *testing.T) {
	s, ca, _ := testSigner(t)
	one, err := Sign(context.Background(), makePDF(t, 1), s, Options{Time: signTime})
	if err != nil {
		t.Fatal(err)
	}
	two, err := Sign(context.Background(), one, s, Options{Time: signTime.Add(time.Minute), SubFilter: SubFilterPKCS7})
	if err != nil {
		t.Fatal(err)
	}
	db := nssDB(t, ca)
	certFile := writeTemp(t, "signer.pem", pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: s.Cert.Raw}))
	if out, err := exec.Command(needTool(t, "certutil", "libnss3-tools"), "-d", "sql:"+db, "-A", "-n", "signer", "-t", ",,", "-i", certFile).CombinedOutput(); err != nil {
		t.Fatalf("certutil: %v\n%s", err, out)
	}
	text, sigs := runPdfsig(t, writeTemp(t, "same.pdf", two), db)
	if len(sigs) != 2 {
		t.Fatalf("want 2 signatures:\n%s", text)
	}
	for i, sg := range sigs {
		if sg.Valid != "Signature is Valid." || sg.Trust != "Certificate is Trusted." {
			t.Errorf("signature %d: %q / %q", i+1, sg.Valid, sg.Trust)
		}
	}
	roots := x509.NewCertPool()
	roots.AddCert(ca)
	infos, err := Verify(two, roots)
	if err != nil || len(infos) != 2 {
		t.Fatalf("Verify: %v, %d infos", err, len(infos))
	}
	for _, in := range infos {
		if !in.Intact || !in.Chained {
			t.Errorf("Verify: %+v", in)
		}
	}
}
