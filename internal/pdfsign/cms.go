package pdfsign

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"errors"
	"fmt"
	"io"
	"math/big"
	"sort"
	"time"
)

// The CMS SignedData is built here with encoding/asn1 rather than with
// github.com/smallstep/pkcs7 because pkcs7's AddSignerChain stamps
// signingTime with time.Now() (no way to inject the caller's clock, so
// signatures would not be reproducible) and has no ESS signing-certificate-v2
// attribute, which ETSI.CAdES.detached requires. pkcs7 is still used in tests
// as an independent parser/verifier of what we produce.

var (
	oidData                   = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 7, 1}
	oidSignedData             = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 7, 2}
	oidAttrContentType        = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 3}
	oidAttrMessageDigest      = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 4}
	oidAttrSigningTime        = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 5}
	oidAttrSigningCertificate = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 16, 2, 47} // RFC 5035 v2
	oidSHA256                 = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 1}
	oidRSAEncryption          = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 1}
	oidSHA256WithRSA          = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 11}
	oidECDSAWithSHA256        = asn1.ObjectIdentifier{1, 2, 840, 10045, 4, 3, 2}
)

type contentInfo struct {
	ContentType asn1.ObjectIdentifier
	Content     asn1.RawValue // carries its own [0] tag
}

type encapContentInfo struct {
	ContentType asn1.ObjectIdentifier
	Content     asn1.RawValue `asn1:"explicit,optional,tag:0"`
}

type issuerAndSerial struct {
	Issuer asn1.RawValue
	Serial *big.Int
}

type attribute struct {
	Type   asn1.ObjectIdentifier
	Values asn1.RawValue // the SET OF AttributeValue, kept raw
}

type signerInfo struct {
	Version            int
	SID                issuerAndSerial
	DigestAlgorithm    pkix.AlgorithmIdentifier
	SignedAttrs        asn1.RawValue `asn1:"optional,tag:0"`
	SignatureAlgorithm pkix.AlgorithmIdentifier
	Signature          []byte
	UnsignedAttrs      asn1.RawValue `asn1:"optional,tag:1"`
}

type signedData struct {
	Version          int
	DigestAlgorithms asn1.RawValue // SET OF AlgorithmIdentifier
	EncapContent     encapContentInfo
	Certificates     asn1.RawValue `asn1:"optional,tag:0"`
	CRLs             asn1.RawValue `asn1:"optional,tag:1"`
	SignerInfos      asn1.RawValue // SET OF SignerInfo
}

type essCertIDv2 struct {
	// hashAlgorithm is omitted: DEFAULT sha256 must not be encoded in DER.
	CertHash     []byte
	IssuerSerial issuerSerial
}

type issuerSerial struct {
	Issuer []asn1.RawValue // GeneralNames
	Serial *big.Int
}

type signingCertificateV2 struct {
	Certs []essCertIDv2
}

func mustMarshal(v any) []byte {
	b, err := asn1.Marshal(v)
	if err != nil {
		// Only reachable through a programming error in the fixed structures above.
		panic(fmt.Sprintf("pdfsign: asn1 marshal: %v", err))
	}
	return b
}

// derSet encodes elements as a DER SET OF: elements sorted by their encoding.
func derSet(tag int, class int, elems [][]byte) []byte {
	sorted := append([][]byte(nil), elems...)
	sort.Slice(sorted, func(i, j int) bool { return bytes.Compare(sorted[i], sorted[j]) < 0 })
	return mustMarshal(asn1.RawValue{Class: class, Tag: tag, IsCompound: true, Bytes: bytes.Join(sorted, nil)})
}

func attr(oid asn1.ObjectIdentifier, value []byte) []byte {
	return mustMarshal(attribute{Type: oid, Values: asn1.RawValue{FullBytes: derSet(asn1.TagSet, asn1.ClassUniversal, [][]byte{value})}})
}

func signatureAlgorithm(pub crypto.PublicKey) (pkix.AlgorithmIdentifier, error) {
	switch pub.(type) {
	case *rsa.PublicKey:
		return pkix.AlgorithmIdentifier{Algorithm: oidRSAEncryption, Parameters: asn1.NullRawValue}, nil
	case *ecdsa.PublicKey:
		return pkix.AlgorithmIdentifier{Algorithm: oidECDSAWithSHA256}, nil
	}
	return pkix.AlgorithmIdentifier{}, fmt.Errorf("unsupported signer public key type %T (need RSA or ECDSA)", pub)
}

// buildCMS returns a detached CMS SignedData over a message whose SHA-256 is
// digest, signed through key.
func buildCMS(digest []byte, s Signer, signingTime time.Time) ([]byte, error) {
	alg, err := signatureAlgorithm(s.Key.Public())
	if err != nil {
		return nil, err
	}
	certHash := sha256.Sum256(s.Cert.Raw)
	ess := signingCertificateV2{Certs: []essCertIDv2{{
		CertHash: certHash[:],
		IssuerSerial: issuerSerial{
			Issuer: []asn1.RawValue{{Class: asn1.ClassContextSpecific, Tag: 4, IsCompound: true, Bytes: s.Cert.RawIssuer}},
			Serial: s.Cert.SerialNumber,
		},
	}}}
	attrs := [][]byte{
		attr(oidAttrContentType, mustMarshal(oidData)),
		attr(oidAttrMessageDigest, mustMarshal(digest)),
		attr(oidAttrSigningTime, mustMarshal(signingTime.UTC().Truncate(time.Second))),
		attr(oidAttrSigningCertificate, mustMarshal(ess)),
	}
	// The signature covers the attributes encoded as a universal SET; inside
	// SignerInfo the same bytes carry the [0] IMPLICIT tag.
	setForSigning := derSet(asn1.TagSet, asn1.ClassUniversal, attrs)
	h := sha256.Sum256(setForSigning)
	// ECDSA signs deterministically (RFC 6979, a nil random source): a retried activity
	// then writes the very same file, as RSA PKCS#1 v1.5 does anyway. Other signers
	// (tokens, remote services) ignore the reader.
	var random io.Reader = rand.Reader
	if _, ok := s.Key.Public().(*ecdsa.PublicKey); ok {
		random = nil
	}
	sig, err := s.Key.Sign(random, h[:], crypto.SHA256)
	if err != nil {
		return nil, fmt.Errorf("signing key: %w", err)
	}
	si := signerInfo{
		Version:            1,
		SID:                issuerAndSerial{Issuer: asn1.RawValue{FullBytes: s.Cert.RawIssuer}, Serial: s.Cert.SerialNumber},
		DigestAlgorithm:    pkix.AlgorithmIdentifier{Algorithm: oidSHA256},
		SignedAttrs:        asn1.RawValue{FullBytes: derSet(0, asn1.ClassContextSpecific, attrs)},
		SignatureAlgorithm: alg,
		Signature:          sig,
	}
	var certs [][]byte
	certs = append(certs, s.Cert.Raw)
	for _, c := range s.Chain {
		certs = append(certs, c.Raw)
	}
	sd := signedData{
		Version:          1,
		DigestAlgorithms: asn1.RawValue{FullBytes: derSet(asn1.TagSet, asn1.ClassUniversal, [][]byte{mustMarshal(pkix.AlgorithmIdentifier{Algorithm: oidSHA256})})},
		EncapContent:     encapContentInfo{ContentType: oidData},
		// Certificates keep the signer first: a SET in theory, but several
		// validators pick the first certificate, so we do not sort them.
		Certificates: asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: 0, IsCompound: true, Bytes: bytes.Join(certs, nil)},
		SignerInfos:  asn1.RawValue{FullBytes: derSet(asn1.TagSet, asn1.ClassUniversal, [][]byte{mustMarshal(si)})},
	}
	// A RawValue with FullBytes ignores struct tags, so build [0] by hand.
	return asn1.Marshal(contentInfo{
		ContentType: oidSignedData,
		Content:     asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: 0, IsCompound: true, Bytes: mustMarshal(sd)},
	})
}

// parsedCMS is what Verify needs from a SignedData.
type parsedCMS struct {
	certs         []*x509.Certificate
	signer        *x509.Certificate
	messageDigest []byte
	signingTime   time.Time
	essCertHash   []byte
	signedAttrs   []byte // re-tagged as universal SET, i.e. the signed bytes
	sigAlg        pkix.AlgorithmIdentifier
	digestAlg     asn1.ObjectIdentifier
	signature     []byte
}

func parseCMS(der []byte) (*parsedCMS, error) {
	var ci struct {
		ContentType asn1.ObjectIdentifier
		Content     asn1.RawValue `asn1:"explicit,tag:0"`
	}
	// Trailing bytes are expected: /Contents is zero-padded.
	if _, err := asn1.Unmarshal(der, &ci); err != nil {
		return nil, fmt.Errorf("cms: %w", err)
	}
	if !ci.ContentType.Equal(oidSignedData) {
		return nil, errors.New("cms: not SignedData")
	}
	var sd signedData
	if _, err := asn1.Unmarshal(ci.Content.Bytes, &sd); err != nil {
		return nil, fmt.Errorf("cms: SignedData: %w", err)
	}
	p := &parsedCMS{}
	if len(sd.Certificates.Bytes) > 0 {
		certs, err := x509.ParseCertificates(sd.Certificates.Bytes)
		if err != nil {
			return nil, fmt.Errorf("cms: certificates: %w", err)
		}
		p.certs = certs
	}
	var sis []signerInfo
	rest := sd.SignerInfos.Bytes
	for len(rest) > 0 {
		var si signerInfo
		var err error
		if rest, err = asn1.Unmarshal(rest, &si); err != nil {
			return nil, fmt.Errorf("cms: SignerInfo: %w", err)
		}
		sis = append(sis, si)
	}
	if len(sis) != 1 {
		return nil, fmt.Errorf("cms: %d signer infos, want 1", len(sis))
	}
	si := sis[0]
	for _, c := range p.certs {
		if bytes.Equal(c.RawIssuer, si.SID.Issuer.FullBytes) && si.SID.Serial != nil && c.SerialNumber.Cmp(si.SID.Serial) == 0 {
			p.signer = c
			break
		}
	}
	if p.signer == nil {
		return nil, errors.New("cms: signer certificate not embedded")
	}
	p.sigAlg, p.digestAlg, p.signature = si.SignatureAlgorithm, si.DigestAlgorithm.Algorithm, si.Signature
	if len(si.SignedAttrs.FullBytes) == 0 {
		return nil, errors.New("cms: no signed attributes")
	}
	set := append([]byte(nil), si.SignedAttrs.FullBytes...)
	set[0] = 0x31 // [0] IMPLICIT -> SET, as signed (RFC 5652 §5.4)
	p.signedAttrs = set
	rest = si.SignedAttrs.Bytes
	for len(rest) > 0 {
		var a attribute
		var err error
		if rest, err = asn1.Unmarshal(rest, &a); err != nil {
			return nil, fmt.Errorf("cms: attribute: %w", err)
		}
		var v asn1.RawValue
		if _, err := asn1.Unmarshal(a.Values.Bytes, &v); err != nil {
			continue
		}
		switch {
		case a.Type.Equal(oidAttrMessageDigest):
			var md []byte
			if _, err := asn1.Unmarshal(v.FullBytes, &md); err == nil {
				p.messageDigest = md
			}
		case a.Type.Equal(oidAttrSigningTime):
			var t time.Time
			if _, err := asn1.Unmarshal(v.FullBytes, &t); err == nil {
				p.signingTime = t
			}
		case a.Type.Equal(oidAttrSigningCertificate):
			var sc struct {
				Certs []asn1.RawValue
			}
			if _, err := asn1.Unmarshal(v.FullBytes, &sc); err == nil && len(sc.Certs) > 0 {
				// ESSCertIDv2 may start with an AlgorithmIdentifier; the hash is the first OCTET STRING.
				var id asn1.RawValue
				if _, err := asn1.Unmarshal(sc.Certs[0].FullBytes, &id); err == nil {
					for r := id.Bytes; len(r) > 0; {
						var e asn1.RawValue
						if r, err = asn1.Unmarshal(r, &e); err != nil {
							break
						}
						if e.Class == asn1.ClassUniversal && e.Tag == asn1.TagOctetString {
							p.essCertHash = e.Bytes
							break
						}
					}
				}
			}
		}
	}
	if p.messageDigest == nil {
		return nil, errors.New("cms: messageDigest attribute missing")
	}
	return p, nil
}

// checkSignature verifies the signer's signature over the signed attributes.
func (p *parsedCMS) checkSignature() error {
	if !p.digestAlg.Equal(oidSHA256) {
		return fmt.Errorf("cms: unsupported digest algorithm %v", p.digestAlg)
	}
	h := sha256.Sum256(p.signedAttrs)
	switch pub := p.signer.PublicKey.(type) {
	case *rsa.PublicKey:
		if !p.sigAlg.Algorithm.Equal(oidRSAEncryption) && !p.sigAlg.Algorithm.Equal(oidSHA256WithRSA) {
			return fmt.Errorf("cms: signature algorithm %v does not match RSA key", p.sigAlg.Algorithm)
		}
		if err := rsa.VerifyPKCS1v15(pub, crypto.SHA256, h[:], p.signature); err != nil {
			return fmt.Errorf("cms: RSA signature: %w", err)
		}
	case *ecdsa.PublicKey:
		if !ecdsa.VerifyASN1(pub, h[:], p.signature) {
			return errors.New("cms: ECDSA signature invalid")
		}
	default:
		return fmt.Errorf("cms: unsupported key type %T", pub)
	}
	return nil
}
