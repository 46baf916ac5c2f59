// Package pdfsign adds PAdES-style digital signatures to PDF files and
// verifies them.
//
// Sign appends an incremental update to the original bytes (which stay
// untouched, so earlier signatures remain valid): a signature field merged
// with its widget annotation, an updated AcroForm (SigFlags 3), the page's
// /Annots, a /Sig dictionary whose /Contents holds a detached CMS
// SignedData (SHA-256, signed attributes contentType, messageDigest,
// signingTime and ESS signing-certificate-v2), and a new cross-reference
// section chained with /Prev. The signature may be invisible or drawn on the
// page (text in an embedded TrueType subset so Vietnamese diacritics render
// and extract correctly, optional PNG image).
//
// # Hardware tokens and remote signing services
//
// The private key is only ever used through crypto.Signer, so a USB token,
// an HSM or a remote signing service plugs in by implementing two methods:
//
//	type TokenKey struct{ /* session handle, key id, HTTP client... */ }
//
//	// Public returns the key's public half; it must match Signer.Cert.
//	func (k *TokenKey) Public() crypto.PublicKey { ... }
//
//	// Sign receives digest = SHA-256 of the DER-encoded signed attributes
//	// (already hashed: do NOT hash again) and opts.HashFunc() == crypto.SHA256.
//	// RSA keys return a PKCS#1 v1.5 signature: with PKCS#11 use CKM_RSA_PKCS
//	// over DigestInfo(SHA-256, digest), not CKM_SHA256_RSA_PKCS, which would
//	// hash a second time. EC keys return an ASN.1 DER ECDSA signature
//	// (PKCS#11 CKM_ECDSA yields raw r||s: wrap it as SEQUENCE{r, s}).
//	func (k *TokenKey) Sign(_ io.Reader, digest []byte, opts crypto.SignerOpts) ([]byte, error) { ... }
//
// Sign calls Key.Sign exactly once per document, after the PDF bytes are
// final, so a slow remote signer only delays that one call; the context is
// checked before it. crypto.Signer takes no context, so a remote signer that
// must honour cancellation carries its own deadline. Pass
// Signer{Key: tokenKey, Cert: cert, Chain: chain}.
//
// Sign is safe for concurrent use; the only shared state is a cache of parsed
// fonts (immutable once stored) and a pool of zlib compressors.
package pdfsign

import (
	"bytes"
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"
)

// Signer is the signing identity. Key may be a local key or any
// crypto.Signer (hardware token, remote signing service).
type Signer struct {
	Key   crypto.Signer
	Cert  *x509.Certificate
	Chain []*x509.Certificate // intermediates and CA to embed in the CMS
}

// Appearance describes a visible signature. A zero Page means invisible.
type Appearance struct {
	Page  int        // 1-based page number
	Rect  [4]float64 // llx, lly, urx, ury in PDF points
	Lines []string   // text lines, e.g. name, title, agency, signing time
	Image []byte     // optional PNG (signature or seal image)
	Color [3]float64 // RGB 0..1 for the text lines (no frame is drawn)
}

// Options control the signature dictionary and appearance.
type Options struct {
	Name, Reason, Location, ContactInfo string
	// Time is the signing time (/M and the CMS signingTime attribute); zero
	// means time.Now(). Pass a clock value for reproducible output.
	Time time.Time
	// SubFilter is "ETSI.CAdES.detached" (default) or "adbe.pkcs7.detached".
	SubFilter  string
	Appearance *Appearance
	// Font is a TrueType font used for appearance text (required when the
	// appearance has Lines). Only the glyphs used are embedded.
	Font []byte
	// FieldName of the new signature field; default "Signature<N>".
	FieldName string
}

const (
	SubFilterCAdES = "ETSI.CAdES.detached"
	SubFilterPKCS7 = "adbe.pkcs7.detached"
)

// ErrContentsTooSmall means the CMS did not fit the reserved /Contents space
// (only possible with an unusually large signature from a custom signer).
var ErrContentsTooSmall = errors.New("pdfsign: signature larger than reserved /Contents space")

// Sign returns pdf with a new signature appended as an incremental update.
func Sign(ctx context.Context, pdf []byte, s Signer, o Options) ([]byte, error) {
	if s.Key == nil || s.Cert == nil {
		return nil, errors.New("pdfsign: signer needs Key and Cert")
	}
	if pk, ok := s.Cert.PublicKey.(interface{ Equal(crypto.PublicKey) bool }); !ok || !pk.Equal(s.Key.Public()) {
		return nil, errors.New("pdfsign: signer key does not match certificate")
	}
	if o.SubFilter == "" {
		o.SubFilter = SubFilterCAdES
	}
	if o.SubFilter != SubFilterCAdES && o.SubFilter != SubFilterPKCS7 {
		return nil, fmt.Errorf("pdfsign: unsupported SubFilter %q", o.SubFilter)
	}
	if o.Time.IsZero() {
		o.Time = time.Now()
	}
	doc, err := parseDocument(pdf)
	if err != nil {
		return nil, fmt.Errorf("pdfsign: %w", err)
	}
	if _, enc := doc.trailer["Encrypt"]; enc {
		// New strings would have to be encrypted with the document key.
		return nil, errors.New("pdfsign: encrypted PDFs are not supported")
	}
	pages, err := doc.pages()
	if err != nil {
		return nil, fmt.Errorf("pdfsign: %w", err)
	}
	if len(pages) == 0 {
		return nil, errors.New("pdfsign: document has no pages")
	}
	pageIdx := 0
	visible := o.Appearance != nil && o.Appearance.Page != 0
	if visible {
		if o.Appearance.Page < 1 || o.Appearance.Page > len(pages) {
			return nil, fmt.Errorf("pdfsign: appearance page %d out of range 1..%d", o.Appearance.Page, len(pages))
		}
		pageIdx = o.Appearance.Page - 1
	}
	pageRef := pages[pageIdx]
	catRef := doc.trailer["Root"].(Ref)

	w := newWriter(doc)
	catalog := w.dict(catRef)
	if catalog == nil {
		return nil, errors.New("pdfsign: catalog is not a dictionary")
	}

	// AcroForm: update in place if it is its own object, else inline in catalog.
	var acro Dict
	acroRef, acroIsRef := catalog["AcroForm"].(Ref)
	if acroIsRef {
		acro = w.dict(acroRef)
	} else if d, ok := catalog["AcroForm"].(Dict); ok {
		acro = copyDict(d)
	}
	if acro == nil {
		acro = Dict{}
		acroIsRef = false
	}
	fields, _ := w.resolve(acro["Fields"]).(Array)
	fields = append(Array(nil), fields...)
	fieldName := o.FieldName
	if fieldName == "" {
		names := map[string]bool{}
		for _, f := range fields {
			if t, ok := doc.dict(f)["T"].(String); ok {
				names[decodeTextString(t)] = true
			}
		}
		for i := 1; ; i++ {
			fieldName = "Signature" + strconv.Itoa(i)
			if !names[fieldName] {
				break
			}
		}
	}

	sigNum := w.alloc()
	widgetNum := w.alloc()
	widget := Dict{
		"Type":    Name("Annot"),
		"Subtype": Name("Widget"),
		"FT":      Name("Sig"),
		"T":       textString(fieldName),
		"V":       Ref{sigNum, 0},
		"F":       int64(132), // Print | Locked
		"P":       pageRef,
		"Rect":    Array{0.0, 0.0, 0.0, 0.0},
	}
	if visible {
		ap := o.Appearance
		r := ap.Rect
		if r[2] < r[0] {
			r[0], r[2] = r[2], r[0]
		}
		if r[3] < r[1] {
			r[1], r[3] = r[3], r[1]
		}
		if r[2]-r[0] <= 0 || r[3]-r[1] <= 0 {
			return nil, errors.New("pdfsign: appearance rectangle is empty")
		}
		widget["Rect"] = Array{r[0], r[1], r[2], r[3]}
		apRef, err := buildAppearance(w, ap, r[2]-r[0], r[3]-r[1], o.Font)
		if err != nil {
			return nil, fmt.Errorf("pdfsign: appearance: %w", err)
		}
		widget["AP"] = Dict{"N": apRef}
	} else {
		// An empty appearance keeps strict (PDF/A) validators quiet.
		empty := w.alloc()
		w.put(Ref{empty, 0}, &Stream{Dict: Dict{"Type": Name("XObject"), "Subtype": Name("Form"), "BBox": Array{0.0, 0.0, 0.0, 0.0}}})
		widget["AP"] = Dict{"N": Ref{empty, 0}}
	}
	w.put(Ref{widgetNum, 0}, widget)

	fields = append(fields, Ref{widgetNum, 0})
	acro["Fields"] = fields
	acro["SigFlags"] = int64(3) // SignaturesExist | AppendOnly
	if acroIsRef {
		w.put(acroRef, acro)
	} else {
		catalog["AcroForm"] = acro
		w.put(catRef, catalog)
	}

	// The page may be the very object we just changed (damaged files), so
	// read it through the writer.
	page := w.dict(pageRef)
	if page == nil {
		return nil, errors.New("pdfsign: page is not a dictionary")
	}
	annots := page["Annots"]
	if r, ok := annots.(Ref); ok {
		if _, isArr := w.resolve(r).(Array); !isArr {
			annots = nil // dangling or not an array: replace with our own
		}
	}
	switch a := annots.(type) {
	case Ref:
		arr := w.resolve(a).(Array)
		w.put(a, append(append(Array(nil), arr...), Ref{widgetNum, 0}))
	case Array:
		page["Annots"] = append(append(Array(nil), a...), Ref{widgetNum, 0})
		w.put(pageRef, page)
	default:
		page["Annots"] = Array{Ref{widgetNum, 0}}
		w.put(pageRef, page)
	}

	sig, brOff, contOff, contLen := sigDict(s, o)
	w.put(Ref{sigNum, 0}, sig)

	out, base := w.finish(pdf)
	sigBody := base[sigNum]
	brPos, cStart := sigBody+brOff, sigBody+contOff
	cEnd := cStart + contLen
	br := fmt.Sprintf("0 %d %d %d", cStart, cEnd, len(out)-cEnd)
	if len(br) > byteRangeWidth {
		return nil, errors.New("pdfsign: document too large for /ByteRange placeholder")
	}
	copy(out[brPos:], br)

	h := sha256.New()
	h.Write(out[:cStart])
	h.Write(out[cEnd:])
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("pdfsign: %w", err)
	}
	der, err := buildCMS(h.Sum(nil), s, o.Time)
	if err != nil {
		return nil, fmt.Errorf("pdfsign: CMS: %w", err)
	}
	if 2*len(der) > contLen-2 {
		return nil, fmt.Errorf("%w: need %d bytes, have %d", ErrContentsTooSmall, len(der), (contLen-2)/2)
	}
	hex.Encode(out[cStart+1:], der)
	return out, nil
}

// byteRangeWidth is the space reserved for "0 a b c" inside /ByteRange [...].
const byteRangeWidth = 40

// sigDict builds the /Sig dictionary as raw bytes and reports where the
// /ByteRange numbers and the /Contents hex string (including <>) start.
func sigDict(s Signer, o Options) (rawObject, int, int, int) {
	var b bytes.Buffer
	b.WriteString("<</Type /Sig /Filter /Adobe.PPKLite /SubFilter ")
	writeName(&b, Name(o.SubFilter))
	b.WriteString(" /M ")
	writeObject(&b, String(pdfDate(o.Time)))
	for _, kv := range []struct {
		k Name
		v string
	}{{"Name", o.Name}, {"Reason", o.Reason}, {"Location", o.Location}, {"ContactInfo", o.ContactInfo}} {
		if kv.v != "" {
			b.WriteByte(' ')
			writeName(&b, kv.k)
			b.WriteByte(' ')
			writeObject(&b, textString(kv.v))
		}
	}
	b.WriteString(" /ByteRange [")
	brOff := b.Len()
	b.Write(bytes.Repeat([]byte(" "), byteRangeWidth))
	b.WriteString("] /Contents ")
	contOff := b.Len()
	n := contentsSize(s)
	b.WriteByte('<')
	b.Write(bytes.Repeat([]byte("0"), 2*n))
	b.WriteString(">>>")
	return rawObject(b.Bytes()), brOff, contOff, 2*n + 2
}

// contentsSize estimates the DER size of the CMS generously: certificates,
// signature, attributes and ASN.1 overhead, plus slack.
func contentsSize(s Signer) int {
	n := 4096 + len(s.Cert.Raw)
	for _, c := range s.Chain {
		n += len(c.Raw)
	}
	switch pub := s.Key.Public().(type) {
	case *rsa.PublicKey:
		n += pub.Size()
	case *ecdsa.PublicKey:
		n += 2*(pub.Curve.Params().BitSize+7)/8 + 16
	default:
		n += 1024
	}
	return (n + 1023) / 1024 * 1024
}

// pdfDate formats t as a PDF date string, keeping its zone (e.g. +07'00').
func pdfDate(t time.Time) string {
	_, off := t.Zone()
	s := t.Format("D:20060102150405")
	if off == 0 {
		return s + "Z"
	}
	sign := byte('+')
	if off < 0 {
		sign, off = '-', -off
	}
	return fmt.Sprintf("%s%c%02d'%02d'", s, sign, off/3600, off%3600/60)
}

func copyDict(d Dict) Dict {
	if d == nil {
		return nil
	}
	c := make(Dict, len(d)+2)
	for k, v := range d {
		c[k] = v
	}
	return c
}

// writer collects the objects of one incremental update.
type writer struct {
	doc   *document
	next  int
	objs  map[int]Object
	gens  map[int]int
	order []int
}

func newWriter(doc *document) *writer {
	size, _ := doc.trailer["Size"].(int64)
	next := int(size)
	// Never trust /Size alone: a damaged file may reference higher numbers.
	for n := range doc.xref {
		if n >= next {
			next = n + 1
		}
	}
	if next < 1 {
		next = 1
	}
	return &writer{doc: doc, next: next, objs: map[int]Object{}, gens: map[int]int{}}
}

// dict returns the pending version of r if this update already changed it,
// else a copy of the document's version: edits to one object made through
// different paths (catalog that is also the page...) then compose.
func (w *writer) dict(r Ref) Dict {
	if o, ok := w.objs[r.Num]; ok {
		d, _ := o.(Dict)
		return d
	}
	return copyDict(w.doc.dict(r))
}

// resolve is doc.resolve that sees pending objects first.
func (w *writer) resolve(o Object) Object {
	if r, ok := o.(Ref); ok {
		if p, ok := w.objs[r.Num]; ok {
			return p
		}
	}
	return w.doc.resolve(o)
}

func (w *writer) alloc() int {
	n := w.next
	w.next++
	return n
}

func (w *writer) put(r Ref, o Object) {
	if _, ok := w.objs[r.Num]; !ok {
		w.order = append(w.order, r.Num)
	}
	w.objs[r.Num] = o
	w.gens[r.Num] = r.Gen
}

// finish serialises the update after pdf and returns the whole file plus the
// offset at which each object's body (after "n g obj\n") starts.
func (w *writer) finish(pdf []byte) ([]byte, map[int]int) {
	var buf bytes.Buffer
	buf.Grow(len(pdf) + 64<<10)
	buf.Write(pdf)
	if len(pdf) > 0 && pdf[len(pdf)-1] != '\n' && pdf[len(pdf)-1] != '\r' {
		buf.WriteByte('\n')
	}
	offsets := map[int]int{}
	bodies := map[int]int{}
	for _, n := range w.order {
		offsets[n] = buf.Len()
		fmt.Fprintf(&buf, "%d %d obj\n", n, w.gens[n])
		bodies[n] = buf.Len()
		writeObject(&buf, w.objs[n])
		buf.WriteString("\nendobj\n")
	}
	xrefOff := buf.Len()
	nums := append([]int(nil), w.order...)
	slices.Sort(nums)
	buf.WriteString("xref\n")
	for i := 0; i < len(nums); {
		j := i
		for j+1 < len(nums) && nums[j+1] == nums[j]+1 {
			j++
		}
		fmt.Fprintf(&buf, "%d %d\n", nums[i], j-i+1)
		for k := i; k <= j; k++ {
			fmt.Fprintf(&buf, "%010d %05d n \n", offsets[nums[k]], w.gens[nums[k]])
		}
		i = j + 1
	}
	trailer := Dict{
		"Size": int64(w.next),
		"Root": w.doc.trailer["Root"],
		"Prev": w.doc.startxref,
	}
	for _, k := range []Name{"Info", "ID"} {
		if v, ok := w.doc.trailer[k]; ok {
			trailer[k] = v
		}
	}
	buf.WriteString("trailer\n")
	writeObject(&buf, trailer)
	fmt.Fprintf(&buf, "\nstartxref\n%d\n%%%%EOF\n", xrefOff)
	return buf.Bytes(), bodies
}
