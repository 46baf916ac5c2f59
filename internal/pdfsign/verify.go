package pdfsign

import (
	"bytes"
	"crypto/sha256"
	"crypto/x509"
	"encoding/asn1"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// SignatureInfo reports one signature field of a document.
type SignatureInfo struct {
	Field string // signature field name (/T)
	// Name names the signer from the signer certificate's subject, the only name the
	// signature vouches for: the common name, then the title (2.5.4.12) and the
	// organisation when present, "Lê Thị B (Phó Trưởng Ban, Ban Tuyên giáo Tỉnh uỷ Đồng
	// Tháp)"; the organisation alone when there is no common name. Empty when the CMS
	// cannot be read. Control and bidirectional-override characters show as U+FFFD.
	Name string
	// SignerName, SignerTitle and SignerOrganization are the parts of Name (subject CN,
	// Title, first O).
	SignerName, SignerTitle, SignerOrganization string
	// ClaimedName is the signature dictionary's /Name: what the signing software wrote,
	// vouched for by nothing (a certificate holder may write anyone's name there). Shown
	// apart, never as the signer.
	ClaimedName string
	Reason      string
	SigningTime time.Time // CMS signingTime, else /M
	SubFilter   string
	// Intact: the signed byte ranges hash to the CMS messageDigest and the
	// signature over the signed attributes verifies with the signer's key.
	Intact bool
	// CoversWholeFile: the signed byte ranges reach the end of the file (only
	// PDF white-space may follow, see Coverage), as pdfsig's "Total document
	// signed". False for every signature but the last of a sealed document.
	CoversWholeFile bool
	// Coverage says whether every byte after this signature is signed.
	Coverage Coverage
	// UnsignedBytes counts the bytes after the signed ranges that no valid
	// signature covers (0 unless Coverage is CoverageUnsignedChanges).
	UnsignedBytes int64
	// Chained: the signer certificate chains to one of the roots now, using
	// certificates embedded in the CMS (no revocation checking).
	Chained bool
	Cert    *x509.Certificate
	// Chain is the verified chain from Cert to a root (the trust anchor last),
	// when Chained.
	Chain []*x509.Certificate
	// Problems say why Intact or Chained is false or Coverage is
	// CoverageUnsignedChanges; Err and ErrVI join them in one language.
	Problems []Problem
	Err      string // English
	ErrVI    string // Vietnamese
}

// Coverage says what follows a signature's signed byte ranges in the file.
//
// A signed PDF grows by incremental updates: the signer's signature covers the
// file up to its own update, the seal's signature (a later update) covers that
// and its own. Anything appended after the last signature (a changed /Title, a
// new annotation, any byte) is covered by no signature: readers show it, so the
// document is no longer what was signed. There is no exception for DSS/LTV
// updates (this service does not add them).
//
// White-space after the last byte range (PDF white-space, ISO 32000-1 7.2.2:
// NUL, HT, LF, FF, CR, SP) is tolerated: it cannot define or change an object,
// and file transfers append newlines. pdfsig is stricter and reports such a
// file as "Not total document signed".
type Coverage string

const (
	// CoverageWholeFile: the signed ranges reach the end of the file.
	CoverageWholeFile Coverage = "whole_file"
	// CoverageLaterSignature: every byte after this signature is covered by a
	// later valid signature that reaches the end of the file (the seal's update
	// after the signer's).
	CoverageLaterSignature Coverage = "later_signature"
	// CoverageUnsignedChanges: bytes that no valid signature covers follow this
	// signature: the file was changed after signing (or the byte range is broken).
	CoverageUnsignedChanges Coverage = "unsigned_changes"
)

// Labels names the coverage in Vietnamese and English, for reports.
func (c Coverage) Labels() (vi, en string) {
	switch c {
	case CoverageWholeFile:
		return "phủ toàn bộ tệp", "the whole file"
	case CoverageLaterSignature:
		return "phần sau chữ ký này do chữ ký sau phủ", "the rest is covered by a later signature"
	case CoverageUnsignedChanges:
		return "tệp bị sửa đổi sau khi ký, phần sửa đổi không được ký", "the file was changed after signing, without a signature"
	}
	return "không rõ", "unknown"
}

// Problem is one reason a signature is not valid, in Vietnamese and English.
type Problem struct {
	Code string `json:"code"`
	VI   string `json:"message"`
	EN   string `json:"message_en"`
}

// Problem codes.
const (
	ProblemByteRange          = "byte_range"
	ProblemContents           = "contents"
	ProblemCMS                = "cms"
	ProblemDigest             = "digest_mismatch"
	ProblemSignature          = "bad_signature"
	ProblemSigningCertificate = "signing_certificate"
	ProblemNoRoots            = "no_trust_roots"
	ProblemUntrusted          = "untrusted"
	ProblemUnsignedChanges    = "unsigned_changes"
)

// ParseError is Verify's error for a file that cannot be read as a PDF at all.
type ParseError struct{ Err error }

func (e *ParseError) Error() string { return "pdfsign: verify: " + e.Err.Error() }
func (e *ParseError) Unwrap() error { return e.Err }

// Verify finds every signed signature field and checks it. The error is for
// files that cannot be parsed at all; per-signature problems go to
// SignatureInfo.Problems. roots may be nil: Chained is then false, and a later
// signature counts as valid for Coverage when it is intact (nothing tells a
// stranger's key from the agency's without roots).
func Verify(pdf []byte, roots *x509.CertPool) ([]SignatureInfo, error) {
	doc, err := parseDocument(pdf)
	if err != nil {
		return nil, &ParseError{err}
	}
	cat := doc.dict(doc.trailer["Root"])
	if cat == nil {
		return nil, &ParseError{errors.New("catalog not found")}
	}
	acro := doc.dict(cat["AcroForm"])
	if acro == nil {
		return nil, nil
	}
	var out []SignatureInfo
	var ends []int64
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
			info, end := verifyOne(pdf, v, roots)
			info.Field = name
			out = append(out, info)
			ends = append(ends, end)
		}
	}
	walk(acro["Fields"], nil, "", 0)
	setCoverage(pdf, out, ends, roots != nil)
	for i := range out {
		out[i].ErrVI, out[i].Err = joinProblems(out[i].Problems)
	}
	return out, nil
}

// setCoverage decides Coverage from where each signature's byte ranges end (ends[i],
// -1 for a broken /ByteRange): a signature whose ranges reach the end of the file
// covers it; an earlier one is covered when a valid signature reaching the end
// comes after it, since that one signs every byte but its own /Contents.
func setCoverage(pdf []byte, infos []SignatureInfo, ends []int64, haveRoots bool) {
	size := int64(len(bytes.TrimRight(pdf, "\x00\t\n\f\r ")))
	valid := func(in SignatureInfo) bool { return in.Intact && (in.Chained || !haveRoots) }
	// The furthest-reaching end of a valid signature that reaches the end of the file.
	sealedFrom := int64(-1)
	for i, in := range infos {
		if ends[i] >= size && valid(in) {
			sealedFrom = max(sealedFrom, ends[i])
		}
	}
	for i := range infos {
		in := &infos[i]
		switch {
		case ends[i] < 0:
			in.Coverage = CoverageUnsignedChanges
			in.UnsignedBytes = int64(len(pdf))
			// the /ByteRange problem says why
		case ends[i] >= size:
			in.Coverage, in.CoversWholeFile = CoverageWholeFile, true
		case sealedFrom >= 0 && ends[i] < sealedFrom:
			in.Coverage = CoverageLaterSignature
		default:
			in.Coverage = CoverageUnsignedChanges
			in.UnsignedBytes = int64(len(pdf)) - ends[i]
			laterInvalid := false
			for j := range infos {
				if ends[j] >= size && ends[j] > ends[i] && !valid(infos[j]) {
					laterInvalid = true
				}
			}
			if laterInvalid {
				in.Problems = append(in.Problems, Problem{ProblemUnsignedChanges,
					fmt.Sprintf("Tệp đã bị sửa đổi sau khi ký: %d byte sau chữ ký này chỉ được một chữ ký không hợp lệ hoặc không tin cậy phủ", in.UnsignedBytes),
					fmt.Sprintf("the file was changed after signing: the %d byte(s) after this signature are covered only by an invalid or untrusted signature", in.UnsignedBytes)})
			} else {
				in.Problems = append(in.Problems, Problem{ProblemUnsignedChanges,
					fmt.Sprintf("Tệp đã bị sửa đổi sau khi ký: %d byte được thêm vào sau chữ ký này mà không được ký", in.UnsignedBytes),
					fmt.Sprintf("the file was changed after signing: %d byte(s) were appended after this signature without being signed", in.UnsignedBytes)})
			}
		}
	}
}

func joinProblems(ps []Problem) (vi, en string) {
	var v, e []string
	for _, p := range ps {
		v, e = append(v, p.VI), append(e, p.EN)
	}
	return strings.Join(v, "; "), strings.Join(e, "; ")
}

// verifyOne checks one signature dictionary and returns where its signed byte
// ranges end (-1 when the /ByteRange is unusable).
func verifyOne(pdf []byte, v Dict, roots *x509.CertPool) (info SignatureInfo, end int64) {
	problem := func(code, vi, en string) { info.Problems = append(info.Problems, Problem{code, vi, en}) }
	if sf, ok := v["SubFilter"].(Name); ok {
		info.SubFilter = string(sf)
	}
	if s, ok := v["Name"].(String); ok {
		info.ClaimedName = displayable(decodeTextString(s))
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
		problem(ProblemByteRange, "Vùng dữ liệu được ký (/ByteRange) không hợp lệ", "invalid /ByteRange")
		return info, -1
	}
	end = r[2] + r[3]
	// The gap must be exactly the /Contents hex string, or someone could
	// exclude arbitrary content from the signed ranges.
	gap := pdf[r[1]:r[2]]
	if len(gap) < 2 || gap[0] != '<' || gap[len(gap)-1] != '>' {
		problem(ProblemByteRange, "Phần không được ký giữa hai vùng /ByteRange không phải là chuỗi chữ ký /Contents",
			"/ByteRange gap is not the /Contents string")
		return info, -1
	}
	der := make([]byte, hex.DecodedLen(len(gap)-2))
	if _, err := hex.Decode(der, gap[1:len(gap)-1]); err != nil {
		problem(ProblemContents, "Chữ ký /Contents không phải là chuỗi thập lục phân", "/Contents is not a hex string")
		return info, end
	}
	p, err := parseCMS(der)
	if err != nil {
		problem(ProblemCMS, "Không đọc được dữ liệu chữ ký (CMS)", err.Error())
		return info, end
	}
	info.Cert = p.signer
	info.SignerName, info.SignerTitle, info.SignerOrganization, info.Name = SubjectName(p.signer)
	if !p.signingTime.IsZero() {
		info.SigningTime = p.signingTime
	}
	h := sha256.New()
	h.Write(pdf[:r[1]])
	h.Write(pdf[r[2]:end])
	digestOK := bytes.Equal(h.Sum(nil), p.messageDigest)
	if !digestOK {
		problem(ProblemDigest, "Nội dung đã bị sửa đổi sau khi ký (mã băm không khớp)", "digest mismatch: the signed content changed after signing")
	}
	sigErr := p.checkSignature()
	if sigErr != nil {
		problem(ProblemSignature, "Chữ ký số không khớp với khóa công khai của chứng thư", sigErr.Error())
	}
	if p.essCertHash != nil {
		if ch := sha256.Sum256(p.signer.Raw); !bytes.Equal(ch[:], p.essCertHash) {
			problem(ProblemSigningCertificate, "Thuộc tính signing-certificate-v2 không khớp với chứng thư người ký",
				"signing-certificate-v2 hash does not match signer certificate")
			sigErr = errors.New("ess mismatch")
		}
	} else if info.SubFilter == SubFilterCAdES {
		problem(ProblemSigningCertificate, "Chữ ký ETSI.CAdES.detached thiếu thuộc tính signing-certificate-v2",
			"ETSI.CAdES.detached without signing-certificate-v2 attribute")
	}
	info.Intact = digestOK && sigErr == nil
	if roots == nil {
		problem(ProblemNoRoots, "Chưa có chứng thư gốc tin cậy để kiểm tra chuỗi chứng thư", "no trust roots given")
		return info, end
	}
	inter := x509.NewCertPool()
	for _, c := range p.certs {
		inter.AddCert(c)
	}
	// Validated now, not at SigningTime: without a trusted timestamp the
	// signing time is only the signer's claim (pdfsig does the same).
	chains, err := p.signer.Verify(x509.VerifyOptions{
		Roots: roots, Intermediates: inter,
		KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageAny},
	})
	if err != nil {
		problem(ProblemUntrusted, "Chứng thư người ký không thuộc chuỗi chứng thư tin cậy", "certificate: "+err.Error())
	} else {
		info.Chained = true
		info.Chain = chains[0]
	}
	return info, end
}

// oidTitle is the X.520 title attribute (2.5.4.12): the holder's position, as Vietnamese
// CAs write it in personal certificates ("Giám đốc", "Phó Trưởng Ban").
var oidTitle = asn1.ObjectIdentifier{2, 5, 4, 12}

// SubjectName reads who a certificate names: the subject's common name, title
// (2.5.4.12) and first organisation, and label, the three as one line ("Lê Thị B (Phó
// Trưởng Ban, Ban Tuyên giáo Tỉnh uỷ Đồng Tháp)"; the organisation alone when there is no
// common name, the whole subject when there is neither). Control and
// bidirectional-override characters, which could forge a line of a report or reverse a
// name on screen, become U+FFFD.
func SubjectName(c *x509.Certificate) (name, title, org, label string) {
	if c == nil {
		return "", "", "", ""
	}
	name = displayable(c.Subject.CommonName)
	for _, atv := range c.Subject.Names {
		if atv.Type.Equal(oidTitle) {
			if s, ok := atv.Value.(string); ok {
				title = displayable(s)
				break
			}
		}
	}
	if len(c.Subject.Organization) > 0 {
		org = displayable(c.Subject.Organization[0])
	}
	switch {
	case name == "" && org != "":
		label = org
	case name == "":
		label = displayable(c.Subject.String())
	default:
		var extra []string
		for _, s := range []string{title, org} {
			// An organisation certificate names the agency twice (CN = O): say it once.
			if s = strings.TrimSpace(s); s != "" && s != name && !slices.Contains(extra, s) {
				extra = append(extra, s)
			}
		}
		label = name
		if len(extra) > 0 {
			label += " (" + strings.Join(extra, ", ") + ")"
		}
	}
	return name, title, org, label
}

// attributeNames are the short names of subject attributes in SubjectString.
var attributeNames = map[string]string{
	"2.5.4.3": "CN", "2.5.4.12": "T", "2.5.4.11": "OU", "2.5.4.10": "O", "2.5.4.6": "C", "2.5.4.7": "L",
	"2.5.4.8": "ST", "2.5.4.9": "STREET", "2.5.4.5": "SERIALNUMBER", "2.5.4.4": "SN", "2.5.4.42": "GN",
	"0.9.2342.19200300.100.1.1": "UID", "1.2.840.113549.1.9.1": "E", "0.9.2342.19200300.100.1.25": "DC",
}

// subjectOrder is the order of SubjectString: the person, then where they work.
var subjectOrder = []string{"CN", "T", "OU", "O", "L", "ST", "C"}

// SubjectString writes a certificate's subject for people, most specific first
// ("CN=Lê Thị B, T=Phó Trưởng Ban, OU=Lãnh đạo Ban, O=…, C=VN"): the title and the
// user id by name and every value as text (pkix.Name.String shows them as hex DER),
// with control and bidirectional-override characters as U+FFFD.
func SubjectString(c *x509.Certificate) string {
	if c == nil {
		return ""
	}
	rank := func(key string) int {
		if i := slices.Index(subjectOrder, key); i >= 0 {
			return i
		}
		return len(subjectOrder)
	}
	type part struct{ key, text string }
	parts := make([]part, 0, len(c.Subject.Names))
	for _, atv := range c.Subject.Names {
		key, ok := attributeNames[atv.Type.String()]
		if !ok {
			key = atv.Type.String()
		}
		parts = append(parts, part{key, key + "=" + displayable(fmt.Sprint(atv.Value))})
	}
	slices.SortStableFunc(parts, func(a, b part) int { return rank(a.key) - rank(b.key) })
	out := make([]string, len(parts))
	for i, p := range parts {
		out[i] = p.text
	}
	return strings.Join(out, ", ")
}

// displayable replaces control and bidirectional-formatting characters with U+FFFD.
func displayable(s string) string {
	if !strings.ContainsFunc(s, hidden) {
		return s
	}
	return strings.Map(func(r rune) rune {
		if hidden(r) {
			return unicode.ReplacementChar
		}
		return r
	}, s)
}

func hidden(r rune) bool { return unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r) }

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
