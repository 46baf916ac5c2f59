package activities

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.temporal.io/sdk/temporal"

	"github.com/awardflow/awardflow/internal/keyring"
	"github.com/awardflow/awardflow/internal/orgconfig"
	"github.com/awardflow/awardflow/internal/pdfsign"
	"github.com/awardflow/awardflow/workflows"
)

func devKeys(t *testing.T, org *orgconfig.Org) *keyring.Dev {
	t.Helper()
	k, err := keyring.NewDev(filepath.Join(t.TempDir(), "pki"), org, keyring.DevOptions{Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// TestPersonSignerUsesEachPersonsCertificate: with a keyring, the chair, the secretary
// and the clerk each sign with a certificate in their own name, and the agency with its
// own; what they sign verifies as theirs.
func TestPersonSignerUsesEachPersonsCertificate(t *testing.T) {
	org, _ := orgconfig.Demo()
	k := devKeys(t, org)
	a := &Activities{Org: org, Keys: k, Log: slog.New(slog.DiscardHandler)}
	ctx := context.Background()
	roots := x509.NewCertPool()
	roots.AddCert(k.CA())
	for _, id := range []string{"truongban", "thuky", "vanthu", "phoban"} {
		s, err := a.personSigner(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		p, _ := org.Person(id)
		if name, title, _, _ := pdfsign.SubjectName(s.Cert); name != p.Name || title != p.Position {
			t.Errorf("%s signs as %q %q", id, name, title)
		}
		if err := keyring.CheckSigner(s, roots, time.Now()); err != nil {
			t.Error(err)
		}
	}
	seal, err := a.agencySigner(ctx)
	if err != nil || seal.Cert.Subject.CommonName != org.Agency.FullName {
		t.Errorf("agency: %v", err)
	}
	if _, err := a.personSigner(ctx, "nguoi-la"); !errors.Is(err, keyring.ErrNoCertificate) || !strings.Contains(err.Error(), "nguoi-la") {
		t.Errorf("unknown person: %v", err)
	}
}

// TestPersonSignerLegacyFields: without a keyring, the single signer serves the decision
// signer and the chair, the secretary field the secretary, the seal field the agency;
// anyone else has no certificate (never the head's).
func TestPersonSignerLegacyFields(t *testing.T) {
	acts, _ := testActivities(t)
	org, _ := orgconfig.Demo()
	a := &Activities{Org: org, Signer: acts.Signer, Log: acts.Log}
	ctx := context.Background()
	if s, err := a.personSigner(ctx, "truongban"); err != nil || !s.Cert.Equal(acts.Signer.Cert) {
		t.Errorf("head: %v", err)
	}
	for _, id := range []string{"thuky", "phoban", "vanthu", "hongdao"} {
		if _, err := a.personSigner(ctx, id); !errors.Is(err, keyring.ErrNoCertificate) || !strings.Contains(err.Error(), id) {
			t.Errorf("%s: %v", id, err)
		}
	}
	if _, err := a.agencySigner(ctx); !errors.Is(err, keyring.ErrNoCertificate) {
		t.Errorf("agency without seal: %v", err)
	}
	a.Secretary, a.Seal = acts.Seal, acts.Seal
	if s, err := a.personSigner(ctx, "thuky"); err != nil || !s.Cert.Equal(acts.Seal.Cert) {
		t.Errorf("secretary: %v", err)
	}
	if s, err := a.agencySigner(ctx); err != nil || !s.Cert.Equal(acts.Seal.Cert) {
		t.Errorf("agency: %v", err)
	}
}

// TestKeyFailureIsVisible: a person without a certificate fails the document for good,
// with a message in both languages that names the person by name and position (no ids)
// and says what to do; an agency without a seal certificate likewise; any other signing
// error stays retryable.
func TestKeyFailureIsVisible(t *testing.T) {
	org, _ := orgconfig.Demo()
	a := &Activities{Org: org, Keys: keyring.NewStatic(), Log: slog.New(slog.DiscardHandler)}
	ctx := context.Background()
	_, perr := a.personSigner(ctx, "thuky")
	_, aerr := a.agencySigner(ctx)
	for _, c := range []struct {
		err        error
		kind, want string
	}{
		{perr, "minutes", "Huỳnh Thị Mỹ Linh (Chuyên viên) chưa có chứng thư số"},
		{aerr, "decision", "cơ quan chưa có chứng thư số của tổ chức"},
	} {
		err := a.keyFailure(c.kind, "session-x."+c.kind, c.err)
		var ae *temporal.ApplicationError
		if !errors.As(err, &ae) || ae.Type() != workflows.ErrDocument || !ae.NonRetryable() {
			t.Fatalf("%v: not a non-retryable document error: %v", c.err, err)
		}
		var f workflows.DocumentFailure
		if err := ae.Details(&f); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(f.VI, c.want) || !strings.Contains(f.VI, "Lập lại văn bản") || !strings.Contains(f.EN, "certificate") ||
			strings.Contains(f.VI, "thuky") || strings.Contains(f.EN, "thuky") || f.DocumentID != "session-x."+c.kind {
			t.Errorf("failure %+v", f)
		}
		if !errors.Is(err, keyring.ErrNoCertificate) {
			t.Errorf("the cause is lost: %v", err)
		}
	}
	outage := fmt.Errorf("remote signer: %w", context.DeadlineExceeded)
	if err := a.keyFailure("decision", "d", outage); err != outage {
		t.Errorf("an outage became %v", err)
	}
}

// TestSigningKeyIsTheSignersOwn: the head signs a decision with the head's certificate
// and signature image; the deputy a delegated one with the deputy's certificate and not
// the head's signature image; nobody falls back on the head's key.
func TestSigningKeyIsTheSignersOwn(t *testing.T) {
	org, _ := orgconfig.Demo()
	k := devKeys(t, org)
	img := []byte("PNG of the head's signature")
	a := &Activities{Org: org, Keys: k, SignatureImage: img, Log: slog.New(slog.DiscardHandler)}
	ctx := context.Background()
	head := org.HeadSigner()
	deputy := org.Delegations()["GK"]
	if deputy.ID == "" || deputy.ID == head.ID {
		t.Fatalf("the demo delegates GK to %q", deputy.ID)
	}
	for _, c := range []struct {
		id        string
		withImage bool
	}{{head.ID, true}, {deputy.ID, false}} {
		p, _ := org.Person(c.id)
		s, image, err := a.signingKey(ctx, c.id, p.Name)
		if err != nil {
			t.Fatal(err)
		}
		if s.Cert.Subject.CommonName != p.Name || (image != nil) != c.withImage {
			t.Errorf("%s signs as %q, image %v", c.id, s.Cert.Subject.CommonName, image != nil)
		}
	}
	a.Keys = keyring.NewStatic()
	if _, _, err := a.signingKey(ctx, deputy.ID, deputy.Name); !errors.Is(err, keyring.ErrNoCertificate) {
		t.Errorf("deputy without a certificate: %v", err)
	}
}
