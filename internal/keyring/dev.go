package keyring

import (
	"bytes"
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"math/big"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/awardflow/awardflow/internal/orgconfig"
	"github.com/awardflow/awardflow/internal/pdfsign"
)

// Attribute types of a personal certificate's subject beyond those pkix.Name names.
var (
	OIDTitle = asn1.ObjectIdentifier{2, 5, 4, 12}                     // X.520 title: the position
	OIDUID   = asn1.ObjectIdentifier{0, 9, 2342, 19200300, 100, 1, 1} // RFC 4519 uid
)

const (
	devValidity = 2 * 365 * 24 * time.Hour
	// devRenewBefore: a development certificate this close to its end is re-issued.
	devRenewBefore = 30 * 24 * time.Hour
)

// DevOptions configure a Dev keyring.
type DevOptions struct {
	Log *slog.Logger
	Now func() time.Time // default time.Now
	// Directory, when set, is where Person finds people (the directory as the admin
	// edits it): a person added later gets a certificate on first use, and a renamed or
	// moved one a new certificate in their new name. Nil: the people of the org given to
	// NewDev.
	Directory orgconfig.Source
}

// Dev issues development certificates from the development CA, one per person of the
// organisation config and one for the agency, the first time each is asked for. They are
// kept as PEM files (certificate and key in one file, mode 0600, written atomically) in
// <pki>/keyring: person-<id>.pem and agency.pem. A file is reused after a restart while
// its subject is still what the config says and it was issued by the current CA;
// otherwise a new certificate is issued. Not for production.
type Dev struct {
	dir      string
	ca       *x509.Certificate
	caKey    crypto.Signer
	people   map[string]devIdentity
	src      orgconfig.Source
	agency   devIdentity
	log      *slog.Logger
	now      func() time.Time
	mu       sync.Mutex
	issuing  map[string]*devEntry // by file name
	issuedMu sync.Mutex
	issued   int // certificates issued by this value (tests)
}

type devIdentity struct {
	file    string // base name
	subject pkix.Name
	raw     []byte // DER of subject
}

type devEntry struct {
	mu     sync.Mutex
	signer *pdfsign.Signer
}

// NewDev makes (or reuses) the development CA in pkiDir (pdfsign.EnsureDevCA) and returns
// a keyring that issues from it for the people of org.
func NewDev(pkiDir string, org *orgconfig.Org, o DevOptions) (*Dev, error) {
	agencyName := org.Agency.FullName
	if agencyName == "" {
		agencyName = org.Agency.Name
	}
	if _, _, err := pdfsign.EnsureDevCA(pkiDir, agencyName); err != nil {
		return nil, fmt.Errorf("keyring: %w", err)
	}
	ca, caKey, err := pdfsign.DevCA(pkiDir)
	if err != nil {
		return nil, fmt.Errorf("keyring: %w", err)
	}
	d := &Dev{dir: filepath.Join(pkiDir, "keyring"), ca: ca, caKey: caKey, people: map[string]devIdentity{},
		src: o.Directory, log: o.Log, now: o.Now, issuing: map[string]*devEntry{}}
	if d.log == nil {
		d.log = slog.Default()
	}
	if d.now == nil {
		d.now = time.Now
	}
	if err := os.MkdirAll(d.dir, 0o700); err != nil {
		return nil, fmt.Errorf("keyring: %w", err)
	}
	org2, err := clean("agency.full_name", agencyName)
	if err != nil {
		return nil, err
	}
	for _, p := range org.People {
		id, err := personIdentity(org, p)
		if err != nil {
			return nil, err
		}
		d.people[p.ID] = id
	}
	sub := pkix.Name{CommonName: org2, Organization: []string{org2}, Country: []string{"VN"}}
	d.agency = devIdentity{file: AgencyFile, subject: sub, raw: rawName(sub)}
	return d, nil
}

func personIdentity(org *orgconfig.Org, p orgconfig.Person) (devIdentity, error) {
	sub, err := PersonSubject(org, p)
	if err != nil {
		return devIdentity{}, err
	}
	file := "person~" + hex.EncodeToString([]byte(p.ID)) // "~": no file-safe id has it
	if safeID.MatchString(p.ID) && len(p.ID) <= 128 {
		file = "person-" + p.ID
	}
	return devIdentity{file: file, subject: sub, raw: rawName(sub)}, nil
}

// PersonSubject is the subject of a person's certificate as Vietnamese CAs write it: CN =
// full name, Title = position, OU = department, O = agency, C = VN, and UID =
// "awardflow:<person id>" (which account: two people may share a name).
func PersonSubject(org *orgconfig.Org, p orgconfig.Person) (pkix.Name, error) {
	name, err := clean("person "+p.ID+" name", p.Name)
	if err != nil {
		return pkix.Name{}, err
	}
	position, err := clean("person "+p.ID+" position", p.Position)
	if err != nil {
		return pkix.Name{}, err
	}
	agency := org.Agency.FullName
	if agency == "" {
		agency = org.Agency.Name
	}
	if agency, err = clean("agency.full_name", agency); err != nil {
		return pkix.Name{}, err
	}
	sub := pkix.Name{CommonName: name, Organization: []string{agency}, Country: []string{"VN"}}
	if dept, ok := org.Department(p.Department); ok && dept.Name != "" {
		dn, err := clean("department "+dept.ID, dept.Name)
		if err != nil {
			return pkix.Name{}, err
		}
		sub.OrganizationalUnit = []string{dn}
	}
	if position != "" {
		sub.ExtraNames = append(sub.ExtraNames, pkix.AttributeTypeAndValue{Type: OIDTitle, Value: position})
	}
	sub.ExtraNames = append(sub.ExtraNames, pkix.AttributeTypeAndValue{Type: OIDUID, Value: "awardflow:" + p.ID})
	return sub, nil
}

func rawName(n pkix.Name) []byte {
	b, err := asn1.Marshal(n.ToRDNSequence())
	if err != nil {
		panic(fmt.Sprintf("keyring: marshal subject: %v", err)) // only strings and valid OIDs
	}
	return b
}

// Person implements Keyring.
func (d *Dev) Person(ctx context.Context, personID string) (pdfsign.Signer, error) {
	if d.src != nil {
		org, err := d.src.Current(ctx)
		if err != nil {
			return pdfsign.Signer{}, fmt.Errorf("keyring: %w", err)
		}
		p, ok := org.Person(personID)
		if !ok {
			return pdfsign.Signer{}, &NoCertificateError{PersonID: personID, Reason: "not an active person of the directory"}
		}
		id, err := personIdentity(org, p)
		if err != nil {
			return pdfsign.Signer{}, err
		}
		return d.get(ctx, id)
	}
	id, ok := d.people[personID]
	if !ok {
		return pdfsign.Signer{}, &NoCertificateError{PersonID: personID, Reason: "not a person of the organisation config"}
	}
	return d.get(ctx, id)
}

// Agency implements Keyring.
func (d *Dev) Agency(ctx context.Context) (pdfsign.Signer, error) { return d.get(ctx, d.agency) }

// CA is the development CA the certificates chain to.
func (d *Dev) CA() *x509.Certificate { return d.ca }

// Issued counts the certificates this keyring issued (not reloaded).
func (d *Dev) Issued() int {
	d.issuedMu.Lock()
	defer d.issuedMu.Unlock()
	return d.issued
}

// get returns the identity's certificate: from memory, else from its file, else newly
// issued. One lock per identity: the worker's parallel activities wait for one issuance
// of the same person and do not wait for each other's.
func (d *Dev) get(ctx context.Context, id devIdentity) (pdfsign.Signer, error) {
	d.mu.Lock()
	e := d.issuing[id.file]
	if e == nil {
		e = &devEntry{}
		d.issuing[id.file] = e
	}
	d.mu.Unlock()
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.signer != nil && d.stale(*e.signer, id) == "" {
		return *e.signer, nil
	}
	if err := ctx.Err(); err != nil {
		return pdfsign.Signer{}, err
	}
	path := filepath.Join(d.dir, id.file+".pem")
	s, err := readPEMPair(path)
	reason := ""
	switch {
	case errors.Is(err, fs.ErrNotExist):
		reason = "new"
	case err != nil:
		reason = err.Error()
	default:
		s.Chain = []*x509.Certificate{d.ca}
		reason = d.stale(s, id)
	}
	if reason != "" {
		if s, err = d.issue(id, path); err != nil {
			return pdfsign.Signer{}, err
		}
		d.log.InfoContext(ctx, "development certificate issued", "file", path, "subject", id.subject.CommonName, "reason", reason)
	}
	e.signer = &s
	return s, nil
}

// stale says why a certificate cannot serve the identity any more ("" when it can).
func (d *Dev) stale(s pdfsign.Signer, id devIdentity) string {
	switch {
	case matches(s) != nil:
		return "key does not match"
	case !bytes.Equal(s.Cert.RawSubject, id.raw):
		return "the organisation config changed the name, position or department"
	case s.Cert.CheckSignatureFrom(d.ca) != nil || !bytes.Equal(s.Cert.RawIssuer, d.ca.RawSubject):
		return "not issued by the current development CA"
	case d.now().Add(devRenewBefore).After(s.Cert.NotAfter):
		return "expires soon"
	}
	return ""
}

func (d *Dev) issue(id devIdentity, path string) (pdfsign.Signer, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return pdfsign.Signer{}, fmt.Errorf("keyring: key for %s: %w", id.file, err)
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 127))
	if err != nil {
		return pdfsign.Signer{}, fmt.Errorf("keyring: serial: %w", err)
	}
	now := d.now().Add(-time.Hour)
	notAfter := now.Add(devValidity)
	if notAfter.After(d.ca.NotAfter) {
		notAfter = d.ca.NotAfter
	}
	tmpl := &x509.Certificate{
		SerialNumber: serial.Add(serial, big.NewInt(1)),
		RawSubject:   id.raw,
		NotBefore:    now,
		NotAfter:     notAfter,
		KeyUsage:     x509.KeyUsageDigitalSignature | x509.KeyUsageContentCommitment,
		// NSS (pdfsig) validates document signers for the e-mail signer usage.
		ExtKeyUsage:        []x509.ExtKeyUsage{x509.ExtKeyUsageEmailProtection},
		UnknownExtKeyUsage: []asn1.ObjectIdentifier{{1, 3, 6, 1, 5, 5, 7, 3, 36}}, // id-kp-documentSigning
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, d.ca, key.Public(), d.caKey)
	if err != nil {
		return pdfsign.Signer{}, fmt.Errorf("keyring: issue %s: %w", id.file, err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return pdfsign.Signer{}, fmt.Errorf("keyring: issue %s: %w", id.file, err)
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return pdfsign.Signer{}, fmt.Errorf("keyring: issue %s: %w", id.file, err)
	}
	b := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	b = append(b, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER})...)
	if err := writeFileAtomic(path, b, 0o600); err != nil {
		return pdfsign.Signer{}, fmt.Errorf("keyring: write %s: %w", path, err)
	}
	d.issuedMu.Lock()
	d.issued++
	d.issuedMu.Unlock()
	return pdfsign.Signer{Key: key, Cert: cert, Chain: []*x509.Certificate{d.ca}}, nil
}

// readPEMPair reads a file holding a CERTIFICATE and a PKCS#8 PRIVATE KEY block.
func readPEMPair(path string) (pdfsign.Signer, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return pdfsign.Signer{}, err
	}
	var s pdfsign.Signer
	for {
		var blk *pem.Block
		if blk, b = pem.Decode(b); blk == nil {
			break
		}
		switch blk.Type {
		case "CERTIFICATE":
			if s.Cert, err = x509.ParseCertificate(blk.Bytes); err != nil {
				return s, fmt.Errorf("%s: %w", path, err)
			}
		case "PRIVATE KEY":
			k, err := x509.ParsePKCS8PrivateKey(blk.Bytes)
			if err != nil {
				return s, fmt.Errorf("%s: %w", path, err)
			}
			ks, ok := k.(crypto.Signer)
			if !ok {
				return s, fmt.Errorf("%s: key type %T cannot sign", path, k)
			}
			s.Key = ks
		}
	}
	if s.Cert == nil || s.Key == nil {
		return s, fmt.Errorf("%s: certificate or key missing", path)
	}
	return s, nil
}

func writeFileAtomic(path string, b []byte, mode os.FileMode) error {
	f, err := os.CreateTemp(filepath.Dir(path), ".tmp-*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer os.Remove(tmp) // no-op after the rename
	if err := f.Chmod(mode); err != nil {
		f.Close()
		return err
	}
	if _, err := f.Write(b); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}
