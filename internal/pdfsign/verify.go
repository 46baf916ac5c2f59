package pdfsign

import (
	"bytes"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// SignatureInfo reports one signature field of a document.
type SignatureInfo struct {
	Field       string // signature field name (/T)
	Name        string // /Name of the signature, else the signer's common name
	Reason      string
	SigningTime time.Time // CMS signingTime, else /M
	SubFilter   string
	// Intact: the signed byte ranges hash to the CMS messageDigest and the
	// signature over the signed attributes verifies with the signer's key.
	Intact bool
	// CoversWholeFile: the byte ranges reach the end of the file, i.e. nothing
	// was appended after this signature (false for all but the last one).
	CoversWholeFile bool
	// Chained: the signer certificate chains to one of the roots now, using
	// certificates embedded in the CMS (no revocation checking).
	Chained bool
	Cert    *x509.Certificate
	Err     string // why Intact or Chained is false, if they are
}

// Verify finds every signed signature field and checks it. The error is for
// files that cannot be parsed at all; per-signature problems go to
// SignatureInfo.Err. roots may be nil (Chained is then false).
func Verify(pdf []byte, roots *x509.CertPool) ([]SignatureInfo, error) {
	doc, err := parseDocument(pdf)
	if err != nil {
		return nil, fmt.Errorf("pdfsign: verify: %w", err)
	}
	cat := doc.dict(doc.trailer["Root"])
	if cat == nil {
		return nil, errors.New("pdfsign: verify: catalog not found")
	}
	acro := doc.dict(cat["AcroForm"])
	if acro == nil {
		return nil, nil
	}
	var out []SignatureInfo
	seen := map[Ref]bool{}
	var walk func(fields Object, parentFT Object, prefix string, depth int)
	walk = func(fields Object, parentFT Object, prefix string, depth int) {
		arr, _ := doc.resolve(fields).(Array)
		if depth > maxDepth {
			return
		}
		for _, f := range arr {
			if r, ok := f.(Ref); ok {
				if seen[r] {
					continue
				}
				seen[r] = true
			}
			fd := doc.dict(f)
			if fd == nil {
				continue
			}
			ft := fd["FT"]
			if ft == nil {
				ft = parentFT // field type is inheritable
			}
			name := prefix
			if t, ok := fd["T"].(String); ok {
				if name != "" {
					name += "."
				}
				name += decodeTextString(t)
			}
			if kids, ok := doc.resolve(fd["Kids"]).(Array); ok && len(kids) > 0 {
				walk(kids, ft, name, depth+1)
			}
			if ft != Name("Sig") {
				continue
			}
			v := doc.dict(fd["V"])
			if v == nil {
				continue // unsigned signature field
			}
			info := verifyOne(pdf, v, roots)
			info.Field = name
			out = append(out, info)
		}
	}
	walk(acro["Fields"], nil, "", 0)
	return out, nil
}

func verifyOne(pdf []byte, v Dict, roots *x509.CertPool) (info SignatureInfo) {
	var problems []string
	defer func() { info.Err = strings.Join(problems, "; ") }()
	if sf, ok := v["SubFilter"].(Name); ok {
		info.SubFilter = string(sf)
	}
	if s, ok := v["Name"].(String); ok {
		info.Name = decodeTextString(s)
	}
	if s, ok := v["Reason"].(String); ok {
		info.Reason = decodeTextString(s)
	}
	if s, ok := v["M"].(String); ok {
		info.SigningTime, _ = parsePDFDate(string(s))
	}
	br, ok := v["ByteRange"].(Array)
	var r [4]int64
	if ok && len(br) == 4 {
		for i := range r {
			n, isInt := br[i].(int64)
			if !isInt || n < 0 || n > int64(len(pdf)) {
				ok = false
			}
			r[i] = n
		}
	}
	if !ok || len(br) != 4 || r[0] != 0 || r[1] >= r[2] || r[2]+r[3] > int64(len(pdf)) {
		problems = append(problems, "invalid /ByteRange")
		return info
	}
	info.CoversWholeFile = r[2]+r[3] == int64(len(pdf))
	// The gap must be exactly the /Contents hex string, or someone could
	// exclude arbitrary content from the signed ranges.
	gap := pdf[r[1]:r[2]]
	if len(gap) < 2 || gap[0] != '<' || gap[len(gap)-1] != '>' {
		problems = append(problems, "/ByteRange gap is not the /Contents string")
		return info
	}
	der := make([]byte, hex.DecodedLen(len(gap)-2))
	if _, err := hex.Decode(der, gap[1:len(gap)-1]); err != nil {
		problems = append(problems, "/Contents is not a hex string")
		return info
	}
	p, err := parseCMS(der)
	if err != nil {
		problems = append(problems, err.Error())
		return info
	}
	info.Cert = p.signer
	if info.Name == "" {
		info.Name = p.signer.Subject.CommonName
	}
	if !p.signingTime.IsZero() {
		info.SigningTime = p.signingTime
	}
	h := sha256.New()
	h.Write(pdf[:r[1]])
	h.Write(pdf[r[2] : r[2]+r[3]])
	digestOK := bytes.Equal(h.Sum(nil), p.messageDigest)
	if !digestOK {
		problems = append(problems, "digest mismatch: document changed after signing")
	}
	sigErr := p.checkSignature()
	if sigErr != nil {
		problems = append(problems, sigErr.Error())
	}
	if p.essCertHash != nil {
		if ch := sha256.Sum256(p.signer.Raw); !bytes.Equal(ch[:], p.essCertHash) {
			problems = append(problems, "signing-certificate-v2 hash does not match signer certificate")
			sigErr = errors.New("ess mismatch")
		}
	} else if info.SubFilter == SubFilterCAdES {
		problems = append(problems, "ETSI.CAdES.detached without signing-certificate-v2 attribute")
	}
	info.Intact = digestOK && sigErr == nil
	if roots == nil {
		problems = append(problems, "no trust roots given")
		return info
	}
	inter := x509.NewCertPool()
	for _, c := range p.certs {
		inter.AddCert(c)
	}
	// Validated now, not at SigningTime: without a trusted timestamp the
	// signing time is only the signer's claim (pdfsig does the same).
	if _, err := p.signer.Verify(x509.VerifyOptions{
		Roots: roots, Intermediates: inter,
		KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageAny},
	}); err != nil {
		problems = append(problems, "certificate: "+err.Error())
	} else {
		info.Chained = true
	}
	return info
}

// parsePDFDate parses "D:YYYYMMDDHHmmSSOHH'mm'" with optional trailing parts.
func parsePDFDate(s string) (time.Time, error) {
	s = strings.TrimPrefix(s, "D:")
	if len(s) < 4 {
		return time.Time{}, errors.New("short date")
	}
	num := func(from, n, def int) int {
		if len(s) < from+n {
			return def
		}
		v, err := strconv.Atoi(s[from : from+n])
		if err != nil {
			return def
		}
		return v
	}
	loc := time.UTC
	if len(s) > 14 {
		switch s[14] {
		case '+', '-':
			off := num(15, 2, 0)*3600 + num(18, 2, 0)*60
			if s[14] == '-' {
				off = -off
			}
			loc = time.FixedZone("", off)
		}
	}
	return time.Date(num(0, 4, 0), time.Month(num(4, 2, 1)), num(6, 2, 1), num(8, 2, 0), num(10, 2, 0), num(12, 2, 0), 0, loc), nil
}
