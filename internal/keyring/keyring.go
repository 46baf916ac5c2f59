// Package keyring gives the activities the certificate and key to sign with as a person
// (the head or the deputy who signs a decision, the council chair, the secretary) or as
// the agency (the seal, con dấu: the organisation's certificate that the văn thư applies
// last). Each person signs in their own name and title: a verifier reads who signed from
// the certificate, never from what the signing software wrote in the PDF.
//
// Three sources:
//
//   - Dev (`awardflow dev`, tests): issues one certificate per person of the organisation
//     config from the development CA (pdfsign.EnsureDevCA), with Subject CN = the
//     person's full name, Title (2.5.4.12) = their position, OU = their department, O =
//     the agency, C = VN, all in UTF8String; the agency's with CN = O = the agency's full
//     name. Cached as files (0600), reloaded on restart, re-issued when the config renames
//     the person or changes their position or department, or the CA changes.
//   - LoadDir (production): PKCS#12 files <dir>/<person-id>.p12 and <dir>/agency.p12,
//     loaded and checked at start.
//   - Static / Funcs: certificates and keys the caller already holds (the deprecated
//     single-signer settings), or looked up per call: the seam for a remote signing
//     service or an HSM, below.
//
// # Remote signing services and HSMs
//
// A signature needs the private key exactly once, through crypto.Signer; everything else
// (the certificate and its chain) is public. A remote-signing adapter (a cloud signing
// service, a CSC API endpoint, a PKCS#11 HSM) therefore implements:
//
//	// Keyring: who signs. Person receives the activity's context: an adapter may fetch
//	// the certificate from the service here and bind ctx to the key it returns (the key
//	// is used within the same activity), so that cancellation reaches the remote call.
//	type Keyring interface {
//		Person(ctx context.Context, personID string) (pdfsign.Signer, error)
//		Agency(ctx context.Context) (pdfsign.Signer, error)
//	}
//
//	// pdfsign.Signer{Key: remoteKey, Cert: cert, Chain: intermediates (then the root)}
//	// where remoteKey is a crypto.Signer:
//	type remoteKey struct{ /* client, credential id, ctx */ }
//
//	// Public returns the certificate's public key (cached: no network call). It must
//	// equal Cert's, or pdfsign.Sign refuses to sign.
//	func (k *remoteKey) Public() crypto.PublicKey
//
//	// Sign receives digest = SHA-256 over the CMS signed attributes, already hashed
//	// (opts.HashFunc() == crypto.SHA256): send the digest, never the document, and do
//	// not hash again. RSA returns a PKCS#1 v1.5 signature (a "hash-signing" API taking
//	// a SHA-256 digest does exactly this; with PKCS#11 use CKM_RSA_PKCS over
//	// DigestInfo(SHA-256, digest)); ECDSA returns ASN.1 DER SEQUENCE{r, s} (convert a
//	// raw r||s answer).
//	func (k *remoteKey) Sign(rand io.Reader, digest []byte, opts crypto.SignerOpts) ([]byte, error)
//
// pdfsign.Sign calls Sign once per signature, after the PDF bytes are final, and checks
// the context just before. Wrap the adapter in Funcs (or your own Keyring) and hand it to
// activities.Activities.Keys. A service that asks the person to confirm on their phone
// (as Vietnamese remote-signing services do) blocks in Sign until they do: give the
// activity a start-to-close timeout long enough, and return an error on refusal (the
// activity retries). TestRemoteSignerSeam runs such an adapter against an in-process
// service. No adapter that needs the internet ships with awardflow.
package keyring

import (
	"context"
	"crypto"
	"crypto/x509"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"github.com/awardflow/awardflow/internal/award"
	"github.com/awardflow/awardflow/internal/orgconfig"
	"github.com/awardflow/awardflow/internal/pdfsign"
)

// Keyring finds the certificate and key to sign with. Implementations are safe for
// concurrent use: the worker signs documents in parallel.
type Keyring interface {
	// Person returns the person's own certificate and key. An error wrapping
	// ErrNoCertificate (a *NoCertificateError) means the person has none.
	Person(ctx context.Context, personID string) (pdfsign.Signer, error)
	// Agency returns the organisation's certificate (the seal). An error wrapping
	// ErrNoCertificate means none is configured.
	Agency(ctx context.Context) (pdfsign.Signer, error)
}

// ErrNoCertificate is wrapped by every "has no certificate" error of a Keyring.
var ErrNoCertificate = errors.New("no signing certificate")

// NoCertificateError says who has no certificate, and why.
type NoCertificateError struct {
	PersonID string // "" for the agency
	Reason   string // English, e.g. "no file /etc/awardflow/keys/thuky.p12"
}

func (e *NoCertificateError) Error() string {
	who := "the agency (seal)"
	if e.PersonID != "" {
		who = fmt.Sprintf("person %q", e.PersonID)
	}
	if e.Reason == "" {
		return "keyring: " + who + " has no signing certificate"
	}
	return "keyring: " + who + " has no signing certificate: " + e.Reason
}

// Is makes errors.Is(err, ErrNoCertificate) true.
func (e *NoCertificateError) Is(target error) bool { return target == ErrNoCertificate }

// AgencyFile is the base name of the agency's certificate in a keys directory; no person
// may have the id "agency".
const AgencyFile = "agency"

// safeID is a person id usable as a file name as it is.
var safeID = regexp.MustCompile(`^[A-Za-z0-9_-][A-Za-z0-9._-]*$`)

// FileName is the base name (without extension) of a person's files: the id itself.
// ok is false for an id that cannot be a file name (path separators, a leading dot,
// other characters) or that is reserved for the agency.
func FileName(personID string) (name string, ok bool) {
	if !safeID.MatchString(personID) || personID == AgencyFile || len(personID) > 128 {
		return "", false
	}
	return personID, true
}

// RequiredSigners are the people who must have a certificate for the council's documents
// to be signed: the signer of decisions (the council chair when none is configured), the
// deputies a type of decision is delegated to, the chair and the secretaries; each once,
// in that order.
func RequiredSigners(org *orgconfig.Org) []string {
	var ids []string
	add := func(id string) {
		if id != "" && !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	chairs := org.WithRole(award.RoleChair)
	if org.Agency.Decision.Signer != "" {
		add(org.Agency.Decision.Signer)
	} else if len(chairs) > 0 {
		add(chairs[0].ID)
	}
	for _, d := range org.Agency.Decision.Delegations {
		add(d.Signer)
	}
	for _, p := range chairs {
		add(p.ID)
	}
	for _, p := range org.WithRole(award.RoleSecretary) {
		add(p.ID)
	}
	return ids
}

// Check loads the certificate of each person in ids (and the agency's, when agency) and
// refuses, in one error naming every problem: a missing certificate, a key that does not
// match it, a certificate outside its validity period, or one that does not chain to
// roots (when roots is not nil: the documents it signs would verify as untrusted).
func Check(ctx context.Context, k Keyring, roots *x509.CertPool, now time.Time, ids []string, agency bool) error {
	var errs []error
	check := func(who string, s pdfsign.Signer, err error) {
		if err != nil {
			errs = append(errs, err)
			return
		}
		if err := CheckSigner(s, roots, now); err != nil {
			errs = append(errs, fmt.Errorf("keyring: %s: %w", who, err))
		}
	}
	for _, id := range ids {
		s, err := k.Person(ctx, id)
		check(fmt.Sprintf("person %q", id), s, err)
	}
	if agency {
		s, err := k.Agency(ctx)
		check("the agency (seal)", s, err)
	}
	return errors.Join(errs...)
}

// CheckSigner checks that the key matches the certificate, that the certificate is valid
// at now, and, when roots is not nil, that it chains to roots through s.Chain.
func CheckSigner(s pdfsign.Signer, roots *x509.CertPool, now time.Time) error {
	if err := matches(s); err != nil {
		return err
	}
	if now.Before(s.Cert.NotBefore) || now.After(s.Cert.NotAfter) {
		return fmt.Errorf("certificate %q is valid only from %s to %s", s.Cert.Subject.CommonName,
			s.Cert.NotBefore.Format(time.DateOnly), s.Cert.NotAfter.Format(time.DateOnly))
	}
	if roots != nil {
		inter := x509.NewCertPool()
		for _, c := range s.Chain {
			inter.AddCert(c)
		}
		if _, err := s.Cert.Verify(x509.VerifyOptions{Roots: roots, Intermediates: inter, CurrentTime: now,
			KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageAny}}); err != nil {
			return fmt.Errorf("certificate %q does not chain to the trusted CAs (verification would report it untrusted): %w", s.Cert.Subject.CommonName, err)
		}
	}
	return nil
}

// matches checks that the key is the certificate's.
func matches(s pdfsign.Signer) error {
	if s.Key == nil || s.Cert == nil {
		return errors.New("certificate or key missing")
	}
	pk, ok := s.Cert.PublicKey.(interface{ Equal(crypto.PublicKey) bool })
	if !ok || !pk.Equal(s.Key.Public()) {
		return fmt.Errorf("the private key does not match the certificate %q", s.Cert.Subject.CommonName)
	}
	return nil
}

// Static holds certificates the caller loaded. Fill it (Add, SetAgency) before use; then
// it is safe for concurrent use.
type Static struct {
	people map[string]pdfsign.Signer
	agency *pdfsign.Signer
}

// NewStatic returns an empty Static.
func NewStatic() *Static { return &Static{people: map[string]pdfsign.Signer{}} }

// Add sets a person's certificate; the key must match it.
func (s *Static) Add(personID string, sg pdfsign.Signer) error {
	if err := matches(sg); err != nil {
		return fmt.Errorf("keyring: person %q: %w", personID, err)
	}
	s.people[personID] = sg
	return nil
}

// SetAgency sets the agency's certificate; the key must match it.
func (s *Static) SetAgency(sg pdfsign.Signer) error {
	if err := matches(sg); err != nil {
		return fmt.Errorf("keyring: agency: %w", err)
	}
	s.agency = &sg
	return nil
}

// Has reports whether the person has a certificate.
func (s *Static) Has(personID string) bool { _, ok := s.people[personID]; return ok }

// HasAgency reports whether the agency has a certificate.
func (s *Static) HasAgency() bool { return s.agency != nil }

// People lists the ids that have a certificate, sorted.
func (s *Static) People() []string {
	ids := make([]string, 0, len(s.people))
	for id := range s.people {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}

// Person implements Keyring.
func (s *Static) Person(ctx context.Context, personID string) (pdfsign.Signer, error) {
	if err := ctx.Err(); err != nil {
		return pdfsign.Signer{}, err
	}
	sg, ok := s.people[personID]
	if !ok {
		return pdfsign.Signer{}, &NoCertificateError{PersonID: personID, Reason: "none configured"}
	}
	return sg, nil
}

// Agency implements Keyring.
func (s *Static) Agency(ctx context.Context) (pdfsign.Signer, error) {
	if err := ctx.Err(); err != nil {
		return pdfsign.Signer{}, err
	}
	if s.agency == nil {
		return pdfsign.Signer{}, &NoCertificateError{Reason: "none configured"}
	}
	return *s.agency, nil
}

// Funcs is a Keyring of two functions: the seam for a remote signing service or an HSM
// whose certificates are looked up per call (see the package comment).
type Funcs struct {
	PersonFunc func(ctx context.Context, personID string) (pdfsign.Signer, error)
	AgencyFunc func(ctx context.Context) (pdfsign.Signer, error)
}

// Person implements Keyring.
func (f Funcs) Person(ctx context.Context, personID string) (pdfsign.Signer, error) {
	if f.PersonFunc == nil {
		return pdfsign.Signer{}, &NoCertificateError{PersonID: personID, Reason: "no lookup configured"}
	}
	return f.PersonFunc(ctx, personID)
}

// Agency implements Keyring.
func (f Funcs) Agency(ctx context.Context) (pdfsign.Signer, error) {
	if f.AgencyFunc == nil {
		return pdfsign.Signer{}, &NoCertificateError{Reason: "no lookup configured"}
	}
	return f.AgencyFunc(ctx)
}

// clean is configured text as it goes into a certificate: NFC-normalised and trimmed
// as documents have it, so that a name prints and verifies the same, and free of control
// and bidi characters (a certificate must not spoof how its holder's name reads). A
// certificate subject is UTF8String: unlike a document, it needs no font, so a name the
// document font cannot print still gets its certificate (the document says so itself).
func clean(what, s string) (string, error) {
	c := norm.NFC.String(strings.TrimSpace(s))
	for _, r := range c {
		if unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r) {
			return "", fmt.Errorf("keyring: %s: control or bidi character %U", what, r)
		}
	}
	return c, nil
}
