package keyring

import (
	"context"
	"crypto/x509"
	"encoding/asn1"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/awardflow/awardflow/internal/orgconfig"
	"github.com/awardflow/awardflow/internal/pdfsign"
)

// TestDevIssuesOnePersonalCertificatePerPerson: every person of the demo organisation
// gets a certificate in their own name (CN), position (Title), department (OU) and
// agency (O), VN, issued by the development CA and trusted through it; the Vietnamese
// values are UTF8String (a PrintableString cannot hold them, and a T61String would be
// misread); the key file is private to its owner. The agency's certificate names the
// agency.
func TestDevIssuesOnePersonalCertificatePerPerson(t *testing.T) {
	org := demoOrg(t)
	pki := filepath.Join(t.TempDir(), "pki")
	d := quietDev(t, pki, org)
	roots := x509.NewCertPool()
	roots.AddCert(d.CA())
	ctx := context.Background()
	serials := map[string]string{}
	for _, p := range org.People {
		s, err := d.Person(ctx, p.ID)
		if err != nil {
			t.Fatalf("%s: %v", p.ID, err)
		}
		if err := CheckSigner(s, roots, time.Now()); err != nil {
			t.Errorf("%s: %v", p.ID, err)
		}
		dept, _ := org.Department(p.Department)
		name, title, o, _ := pdfsign.SubjectName(s.Cert)
		sub := s.Cert.Subject
		if name != p.Name || title != p.Position || o != org.Agency.FullName ||
			!slices.Equal(sub.OrganizationalUnit, []string{dept.Name}) || !slices.Equal(sub.Country, []string{"VN"}) {
			t.Errorf("%s: subject %q title %q O %q OU %v C %v", p.ID, name, title, o, sub.OrganizationalUnit, sub.Country)
		}
		utf8Only(t, p.ID, s.Cert.RawSubject)
		if prev, dup := serials[s.Cert.SerialNumber.String()]; dup {
			t.Errorf("%s and %s share a serial number", prev, p.ID)
		}
		serials[s.Cert.SerialNumber.String()] = p.ID
		fi, err := os.Stat(filepath.Join(pki, "keyring", "person-"+p.ID+".pem"))
		if err != nil || fi.Mode().Perm() != 0o600 {
			t.Errorf("%s: key file %v %v, want mode 0600", p.ID, fi, err)
		}
	}
	ag, err := d.Agency(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := CheckSigner(ag, roots, time.Now()); err != nil || ag.Cert.Subject.CommonName != org.Agency.FullName ||
		!slices.Equal(ag.Cert.Subject.Organization, []string{org.Agency.FullName}) {
		t.Errorf("agency: %v %q", err, ag.Cert.Subject)
	}
	if d.Issued() != len(org.People)+1 {
		t.Errorf("issued %d certificates, want %d", d.Issued(), len(org.People)+1)
	}
}

// utf8Only fails when a non-ASCII attribute value of a subject is not a UTF8String,
// or when a value does not decode back to the same text.
func utf8Only(t *testing.T, who string, raw []byte) {
	t.Helper()
	for _, a := range rawAttributes(t, raw) {
		ascii := true
		for _, b := range a.Value.Bytes {
			ascii = ascii && b < 0x80
		}
		if !ascii && a.Value.Tag != asn1.TagUTF8String {
			t.Errorf("%s: attribute %v %q has ASN.1 tag %d, want UTF8String (%d)", who, a.Type, a.Value.Bytes, a.Value.Tag, asn1.TagUTF8String)
		}
	}
}

// TestDevCertificateNamesRoundTrip: any name the organisation config accepts comes back
// out of the certificate as it went in, in every attribute.
func TestDevCertificateNamesRoundTrip(t *testing.T) {
	names := []string{"Nguyễn Văn A", "Lê Thị B", "Đặng Thị Ỷ Lan", "Phan Thị Thanh Thuý", "Trương Ngọc Ánh",
		"Hứa Vĩnh Phước", "Ưng Hoàng Phúc", "Lý Thị Ửng", "Võ Đức Ỵ", "Cao Thị Ỡ & Cộng sự", "Ngô * Bảo", "Ông Đỗ (tạm)"}
	positions := []string{"Trưởng Ban", "Phó Trưởng Ban", "Chánh Văn phòng", "Văn thư", "Chuyên viên chính"}
	org := demoOrg(t)
	for i, n := range names {
		org.People[i%len(org.People)].Name = n
		org.People[i%len(org.People)].Position = positions[i%len(positions)]
	}
	d := quietDev(t, filepath.Join(t.TempDir(), "pki"), org)
	for _, p := range org.People {
		s, err := d.Person(context.Background(), p.ID)
		if err != nil {
			t.Fatal(err)
		}
		name, title, _, label := pdfsign.SubjectName(s.Cert)
		if name != p.Name || title != p.Position || label != fmt.Sprintf("%s (%s, %s)", p.Name, p.Position, org.Agency.FullName) {
			t.Errorf("%s: %q %q %q", p.ID, name, title, label)
		}
		utf8Only(t, p.ID, s.Cert.RawSubject)
	}
}

// TestDevReloadsAfterRestart: a second keyring on the same directory (the dev stack
// started again) signs with the same certificates and issues none.
func TestDevReloadsAfterRestart(t *testing.T) {
	org := demoOrg(t)
	pki := filepath.Join(t.TempDir(), "pki")
	ctx := context.Background()
	first := quietDev(t, pki, org)
	a, _ := first.Person(ctx, "thuky")
	ag, _ := first.Agency(ctx)
	again := quietDev(t, pki, org)
	b, err := again.Person(ctx, "thuky")
	if err != nil {
		t.Fatal(err)
	}
	ag2, err := again.Agency(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !a.Cert.Equal(b.Cert) || !ag.Cert.Equal(ag2.Cert) || again.Issued() != 0 || !again.CA().Equal(first.CA()) {
		t.Errorf("restart issued %d new certificates (same thuky %v, same agency %v)", again.Issued(), a.Cert.Equal(b.Cert), ag.Cert.Equal(ag2.Cert))
	}
}

// TestDevReissuesWhenTheConfigChanges: renaming a person, changing their position or
// department, or renaming the agency re-issues exactly the certificates that name them;
// the others are reused.
func TestDevReissuesWhenTheConfigChanges(t *testing.T) {
	pki := filepath.Join(t.TempDir(), "pki")
	ctx := context.Background()
	org := demoOrg(t)
	d := quietDev(t, pki, org)
	before := map[string]*x509.Certificate{}
	for _, p := range org.People {
		s, err := d.Person(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		before[p.ID] = s.Cert
	}
	agBefore, _ := d.Agency(ctx)

	cases := []struct {
		change  func(o *orgconfig.Org)
		changed []string
		agency  bool
	}{
		{func(o *orgconfig.Org) { person(o, "thuky").Name = "Huỳnh Thị Mỹ Linh Hai" }, []string{"thuky"}, false},
		{func(o *orgconfig.Org) { person(o, "phoban").Position = "Trưởng Ban" }, []string{"phoban"}, false},
		{func(o *orgconfig.Org) { person(o, "hongdao").Department = "vp" }, []string{"hongdao"}, false},
		{func(o *orgconfig.Org) {
			o.Agency.FullName = "Ban Tuyên giáo và Dân vận Tỉnh uỷ Đồng Tháp"
		}, nil, true},
	}
	for i, c := range cases {
		org := demoOrg(t)
		c.change(org)
		d := quietDev(t, pki, org)
		for _, p := range org.People {
			s, err := d.Person(ctx, p.ID)
			if err != nil {
				t.Fatal(err)
			}
			reissued := !s.Cert.Equal(before[p.ID])
			want := slices.Contains(c.changed, p.ID) || c.agency // O names the agency in every certificate
			if reissued != want {
				t.Errorf("case %d: %s re-issued %v, want %v", i, p.ID, reissued, want)
			}
			if reissued {
				name, title, o, _ := pdfsign.SubjectName(s.Cert)
				dept, _ := org.Department(p.Department)
				if name != p.Name || title != p.Position || o != org.Agency.FullName || s.Cert.Subject.OrganizationalUnit[0] != dept.Name {
					t.Errorf("case %d: %s re-issued as %q", i, p.ID, s.Cert.Subject)
				}
			}
		}
		ag, _ := d.Agency(ctx)
		if ag.Cert.Equal(agBefore.Cert) == c.agency {
			t.Errorf("case %d: agency re-issued %v, want %v", i, !c.agency, c.agency)
		}
		// Back to the demo config for the next case: re-issued again, then stable.
		back := quietDev(t, pki, demoOrg(t))
		for _, p := range demoOrg(t).People {
			s, _ := back.Person(ctx, p.ID)
			before[p.ID] = s.Cert
		}
		agBefore, _ = back.Agency(ctx)
	}
}

func person(o *orgconfig.Org, id string) *orgconfig.Person {
	for i := range o.People {
		if o.People[i].ID == id {
			return &o.People[i]
		}
	}
	panic("no person " + id)
}

// TestDevReissuesWhatCannotServe: a damaged file, a certificate of another CA (the dev
// CA was deleted and made again) and one about to expire are replaced, not used.
func TestDevReissuesWhatCannotServe(t *testing.T) {
	org := demoOrg(t)
	pki := filepath.Join(t.TempDir(), "pki")
	ctx := context.Background()
	first, _ := quietDev(t, pki, org).Person(ctx, "truongban")
	file := filepath.Join(pki, "keyring", "person-truongban.pem")

	if err := os.WriteFile(file, []byte("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	d := quietDev(t, pki, org)
	damaged, err := d.Person(ctx, "truongban")
	if err != nil || damaged.Cert.Equal(first.Cert) || d.Issued() != 1 {
		t.Fatalf("damaged file: %v, issued %d", err, d.Issued())
	}

	// Expiring within 30 days (a clock two years on): re-issued.
	late := time.Now().Add(devValidity - 10*24*time.Hour)
	d2, err := NewDev(pki, org, DevOptions{Log: d.log, Now: func() time.Time { return late }})
	if err != nil {
		t.Fatal(err)
	}
	renewed, err := d2.Person(ctx, "truongban")
	if err != nil || renewed.Cert.Equal(damaged.Cert) || !renewed.Cert.NotAfter.After(damaged.Cert.NotAfter) {
		t.Fatalf("expiring: %v", err)
	}

	// A new dev CA: the old certificates are not trusted by it, so they are re-issued.
	for _, f := range []string{"ca.pem", "ca-key.pem", "signer.pem", "signer-key.pem"} {
		if err := os.Remove(filepath.Join(pki, f)); err != nil {
			t.Fatal(err)
		}
	}
	d3 := quietDev(t, pki, org)
	fresh, err := d3.Person(ctx, "truongban")
	if err != nil || fresh.Cert.CheckSignatureFrom(d3.CA()) != nil || d3.CA().Equal(d.CA()) {
		t.Fatalf("new CA: %v", err)
	}
}

// TestDevConcurrentPerson: the worker signs in parallel; concurrent first calls for the
// same person get one certificate (issued once), and different people do not share one.
func TestDevConcurrentPerson(t *testing.T) {
	org := demoOrg(t)
	d := quietDev(t, filepath.Join(t.TempDir(), "pki"), org)
	ids := []string{"truongban", "thuky", "phoban", "vanthu"}
	const perID = 12
	var wg sync.WaitGroup
	var mu sync.Mutex
	got := map[string]map[string]bool{}
	for i := range len(ids) * perID {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var s pdfsign.Signer
			var err error
			id := ids[i%len(ids)]
			if i%7 == 0 {
				id = "agency"
				s, err = d.Agency(context.Background())
			} else {
				s, err = d.Person(context.Background(), id)
			}
			if err != nil {
				t.Error(err)
				return
			}
			mu.Lock()
			defer mu.Unlock()
			if got[id] == nil {
				got[id] = map[string]bool{}
			}
			got[id][s.Cert.SerialNumber.String()] = true
		}()
	}
	wg.Wait()
	seen := map[string]string{}
	for id, serials := range got {
		if len(serials) != 1 {
			t.Errorf("%s got %d different certificates", id, len(serials))
		}
		for sn := range serials {
			if other, dup := seen[sn]; dup {
				t.Errorf("%s and %s share a certificate", id, other)
			}
			seen[sn] = id
		}
	}
	if d.Issued() != len(got) {
		t.Errorf("issued %d certificates for %d identities", d.Issued(), len(got))
	}
}

// TestMissingPersonError: a person the keyring does not know gets an error that wraps
// ErrNoCertificate and names the person id, from every kind of keyring.
func TestMissingPersonError(t *testing.T) {
	d := quietDev(t, filepath.Join(t.TempDir(), "pki"), demoOrg(t))
	for name, k := range map[string]Keyring{"dev": d, "static": NewStatic(), "funcs": Funcs{}} {
		_, err := k.Person(context.Background(), "nguoi-la")
		var nc *NoCertificateError
		if !errors.Is(err, ErrNoCertificate) || !errors.As(err, &nc) || nc.PersonID != "nguoi-la" || !strings.Contains(err.Error(), `"nguoi-la"`) {
			t.Errorf("%s: %v", name, err)
		}
		if name != "dev" {
			if _, err := k.Agency(context.Background()); !errors.Is(err, ErrNoCertificate) || !strings.Contains(err.Error(), "agency") {
				t.Errorf("%s agency: %v", name, err)
			}
		}
	}
}

// TestRequiredSigners: the decision signer, the deputy Giấy khen is delegated to, the
// chair and the secretary of the demo; each once.
func TestRequiredSigners(t *testing.T) {
	org := demoOrg(t)
	if got := RequiredSigners(org); !slices.Equal(got, []string{"truongban", "phoban", "thuky"}) {
		t.Errorf("demo: %v", got)
	}
	org.Agency.Decision.Delegations = nil
	if got := RequiredSigners(org); !slices.Equal(got, []string{"truongban", "thuky"}) {
		t.Errorf("no delegation: %v", got)
	}
	org.Agency.Decision.Signer = "chanhvp"
	if got := RequiredSigners(org); !slices.Equal(got, []string{"chanhvp", "truongban", "thuky"}) {
		t.Errorf("another signer: %v", got)
	}
	org.Agency.Decision.Signer = ""
	if got := RequiredSigners(org); !slices.Equal(got, []string{"truongban", "thuky"}) {
		t.Errorf("no signer configured: %v", got)
	}
}
