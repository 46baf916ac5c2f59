package pdfsign

import (
	"bytes"
	"context"
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
				Time: time.Date(2026, 2, 5, 9, 30, 0, 0, vnTime), SubFilter: sf,
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
