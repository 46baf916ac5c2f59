package pdfsign

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"
	"math/big"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jung-kurt/gofpdf"
)

const fontPath = "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf"

var (
	fontOnce  sync.Once
	fontBytes []byte
	fontErr   error

	caOnce   sync.Once
	caDir    string
	devSig   Signer
	devCA    *x509.Certificate
	devCAErr error
)

func testFont(t testing.TB) []byte {
	t.Helper()
	fontOnce.Do(func() { fontBytes, fontErr = os.ReadFile(fontPath) })
	if fontErr != nil {
		t.Fatalf("Liberation Serif 2.x missing (install Debian package fonts-liberation2): %v", fontErr)
	}
	// gofpdf writes into the slice it is given: hand out copies.
	return bytes.Clone(fontBytes)
}

// testSigner returns the package-wide dev signer; the CA lives in a temp dir
// created once per test binary (RSA key generation is slow under -race).
func testSigner(t testing.TB) (Signer, *x509.Certificate, string) {
	t.Helper()
	caOnce.Do(func() {
		caDir, devCAErr = os.MkdirTemp("", "pdfsign-ca-")
		if devCAErr == nil {
			devSig, devCA, devCAErr = EnsureDevCA(caDir, "Sở Nội vụ tỉnh Thử nghiệm")
		}
	})
	if devCAErr != nil {
		t.Fatalf("EnsureDevCA: %v", devCAErr)
	}
	return devSig, devCA, caDir
}

func TestMain(m *testing.M) {
	code := m.Run()
	if caDir != "" {
		os.RemoveAll(caDir)
	}
	os.Exit(code)
}

// makePDF renders a small document with Vietnamese text via gofpdf.
func makePDF(t testing.TB, pages int) []byte {
	t.Helper()
	pdf := gofpdf.New("P", "mm", "A4", "")
	pdf.AddUTF8FontFromBytes("LiberationSerif", "", testFont(t))
	pdf.SetFont("LiberationSerif", "", 14)
	for i := 1; i <= pages; i++ {
		pdf.AddPage()
		pdf.MultiCell(0, 8, fmt.Sprintf("TỜ TRÌNH khen thưởng – trang %d\nNguyễn Thị Hồng Đào, Trưởng phòng Thi đua – Khen thưởng", i), "", "L", false)
	}
	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		t.Fatalf("gofpdf: %v", err)
	}
	return buf.Bytes()
}

func needTool(t testing.TB, name, pkg string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		t.Fatalf("%s not found: install the Debian package %s (apt-get install %s)", name, pkg, pkg)
	}
	return p
}

func writeTemp(t testing.TB, name string, b []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

type pdfsigSig struct {
	Name, Valid, Trust, Time, SubFilter, Ranges, Whole string
}

var sigHeader = regexp.MustCompile(`(?m)^Signature #\d+:`)

// runPdfsig runs pdfsig (optionally against an NSS db) and parses its text
// output; its exit status does not reflect validity.
func runPdfsig(t testing.TB, file, nssdir string) (string, []pdfsigSig) {
	t.Helper()
	bin := needTool(t, "pdfsig", "poppler-utils")
	args := []string{}
	if nssdir != "" {
		args = append(args, "-nssdir", "sql:"+nssdir)
	}
	args = append(args, file)
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), "LANG=C.UTF-8")
	out, err := cmd.CombinedOutput()
	text := string(out)
	if err != nil && !strings.Contains(text, "Signature #") {
		t.Fatalf("pdfsig %v: %v\n%s", args, err, text)
	}
	var sigs []pdfsigSig
	locs := sigHeader.FindAllStringIndex(text, -1)
	for i, l := range locs {
		end := len(text)
		if i+1 < len(locs) {
			end = locs[i+1][0]
		}
		block := text[l[0]:end]
		get := func(prefix string) string {
			for _, line := range strings.Split(block, "\n") {
				line = strings.TrimSpace(line)
				if v, ok := strings.CutPrefix(line, prefix); ok {
					return strings.TrimSpace(v)
				}
			}
			return ""
		}
		sigs = append(sigs, pdfsigSig{
			Name:      get("- Signer Certificate Common Name:"),
			Valid:     get("- Signature Validation:"),
			Trust:     get("- Certificate Validation:"),
			Time:      get("- Signing Time:"),
			SubFilter: get("- Signature Type:"),
			Ranges:    get("- Signed Ranges:"),
			Whole:     get("- Total document signed"),
		})
	}
	return text, sigs
}

// nssDB creates a temporary NSS database trusting ca.
func nssDB(t testing.TB, ca *x509.Certificate) string {
	t.Helper()
	bin := needTool(t, "certutil", "libnss3-tools")
	dir := t.TempDir()
	if out, err := exec.Command(bin, "-d", "sql:"+dir, "-N", "--empty-password").CombinedOutput(); err != nil {
		t.Fatalf("certutil -N: %v\n%s", err, out)
	}
	caFile := writeTemp(t, "ca.pem", pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: ca.Raw}))
	if out, err := exec.Command(bin, "-d", "sql:"+dir, "-A", "-n", "ca", "-t", "CT,C,C", "-i", caFile).CombinedOutput(); err != nil {
		t.Fatalf("certutil -A: %v\n%s", err, out)
	}
	return dir
}

var vnTime = time.FixedZone("ICT", 7*3600)

// testPNG draws a simple image: a blue scribble (signature) or a red ring
// with a star-ish centre (seal), with transparent background.
func testPNG(t testing.TB, seal bool) []byte {
	t.Helper()
	const n = 120
	img := image.NewNRGBA(image.Rect(0, 0, n, n))
	c := color.NRGBA{0, 0, 200, 255}
	if seal {
		c = color.NRGBA{220, 0, 0, 200}
	}
	for y := 0; y < n; y++ {
		for x := 0; x < n; x++ {
			dx, dy := float64(x-n/2), float64(y-n/2)
			r := math.Hypot(dx, dy)
			on := false
			if seal {
				on = (r > 50 && r < 58) || (r < 18 && math.Abs(dx)+math.Abs(dy) < 22)
			} else {
				on = math.Abs(float64(y)-(60+25*math.Sin(float64(x)/12))) < 3
			}
			if on {
				img.SetNRGBA(x, y, c)
			}
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

var (
	sealOnce sync.Once
	sealSig  Signer
	sealErr  error
)

// testSealSigner is a second identity (the agency's seal certificate) issued
// by the same dev CA, as in practice the person and the agency hold
// different certificates.
func testSealSigner(t testing.TB) Signer {
	t.Helper()
	_, ca, dir := testSigner(t)
	sealOnce.Do(func() {
		var caS Signer
		caS, sealErr = LoadPEM(filepath.Join(dir, "ca.pem"), filepath.Join(dir, "ca-key.pem"))
		if sealErr != nil {
			return
		}
		key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			sealErr = err
			return
		}
		tmpl := &x509.Certificate{
			SerialNumber: big.NewInt(time.Now().UnixNano()),
			Subject:      pkix.Name{CommonName: "Sở Nội vụ tỉnh Thử nghiệm (dấu)", Organization: []string{"Sở Nội vụ tỉnh Thử nghiệm"}},
			NotBefore:    ca.NotBefore, NotAfter: ca.NotAfter,
			KeyUsage:    x509.KeyUsageDigitalSignature | x509.KeyUsageContentCommitment,
			ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageEmailProtection},
		}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, key.Public(), caS.Key)
		if err != nil {
			sealErr = err
			return
		}
		cert, _ := x509.ParseCertificate(der)
		sealSig = Signer{Key: key, Cert: cert, Chain: []*x509.Certificate{ca}}
	})
	if sealErr != nil {
		t.Fatalf("seal signer: %v", sealErr)
	}
	return sealSig
}
