package templates

import (
	"bytes"
	"crypto/md5"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"regexp"
	"slices"
	"strconv"
)

// postProcess fixes what gofpdf 1.16.2 writes but a records system should not:
//
//   - UTF-8 fonts are subset but named "/utf8liberationserifB"; PDF (ISO 32000-1
//     §9.6.4) marks a subset with a six-letter tag, "ABCDEF+LiberationSerif-Bold".
//     Tools (pdffonts, preflight) only recognise a subset by that tag.
//   - CreationDate/ModDate carry no UTC offset; we add +07'00'.
//   - The catalog gets /Lang (vi-VN) for screen readers and text extraction.
//   - The trailer gets an /ID (required by PDF 2.0, expected by signers), derived
//     from the content so that output stays reproducible.
//   - The header says PDF 1.7 (gofpdf writes 1.3): the documents are signed with
//     PDF 1.7 features (ETSI.CAdES.detached, Type0 fonts, soft masks), and a
//     binary-marker comment follows it (ISO 32000-1 §7.5.2).
//
// Edits change lengths, so every object offset in the xref table is recomputed;
// gofpdf writes a single classic xref section, which is all this handles.
func postProcess(in []byte, used [numStyles]map[rune]struct{}) ([]byte, error) {
	xrefPos, err := startXref(in)
	if err != nil {
		return nil, err
	}
	offsets, xrefEnd, err := parseXref(in, xrefPos)
	if err != nil {
		return nil, err
	}
	body := in[:xrefPos]

	type edit struct {
		pos, oldLen int
		repl        []byte
	}
	var edits []edit

	hdr := headerRe.FindIndex(body)
	if hdr == nil || hdr[0] != 0 {
		return nil, fmt.Errorf("no %%PDF-1.x header")
	}
	edits = append(edits, edit{0, hdr[1], []byte(pdfHeader)})
	for _, m := range fontNameRe.FindAllSubmatchIndex(body, -1) {
		suffix := string(body[m[2]:m[3]])
		st, ok := map[string]style{"": regular, "B": bold, "I": italic, "BI": boldItalic}[suffix]
		if !ok {
			return nil, fmt.Errorf("unexpected font key suffix %q", suffix)
		}
		repl := "/" + subsetTag(used[st]) + "+" + stylePSName[st]
		edits = append(edits, edit{m[0], m[1] - m[0], []byte(repl)})
	}
	if len(edits) == 0 {
		return nil, fmt.Errorf("no embedded font names found")
	}
	for _, m := range dateRe.FindAllSubmatchIndex(body, -1) {
		// Insert the offset before the closing parenthesis.
		edits = append(edits, edit{m[2], 0, []byte("+07'00'")})
	}
	if i := bytes.Index(body, []byte("/Type /Catalog\n")); i >= 0 {
		p := i + len("/Type /Catalog\n")
		edits = append(edits, edit{p, 0, []byte("/Lang (vi-VN)\n")})
	} else {
		return nil, fmt.Errorf("catalog not found")
	}
	slices.SortFunc(edits, func(a, b edit) int { return a.pos - b.pos })

	var out bytes.Buffer
	out.Grow(len(in) + 512)
	shiftAt := func(pos int) int { // total length change of edits before pos
		d := 0
		for _, e := range edits {
			if e.pos < pos {
				d += len(e.repl) - e.oldLen
			}
		}
		return d
	}
	last := 0
	for _, e := range edits {
		out.Write(body[last:e.pos])
		out.Write(e.repl)
		last = e.pos + e.oldLen
	}
	out.Write(body[last:])

	newXref := out.Len()
	fmt.Fprintf(&out, "xref\n0 %d\n0000000000 65535 f \n", len(offsets)+1)
	for _, o := range offsets {
		fmt.Fprintf(&out, "%010d 00000 n \n", o+shiftAt(o))
	}
	trailer := in[xrefEnd:]
	// trailer<< ... >>\nstartxref\nN\n%%EOF
	tEnd := bytes.Index(trailer, []byte(">>\nstartxref"))
	if !bytes.HasPrefix(trailer, []byte("trailer\n<<\n")) || tEnd < 0 {
		return nil, fmt.Errorf("unexpected trailer layout")
	}
	sum := md5.Sum(out.Bytes())
	id := hex.EncodeToString(sum[:])
	out.Write(trailer[:tEnd])
	fmt.Fprintf(&out, "/ID [<%s> <%s>]\n", id, id)
	fmt.Fprintf(&out, ">>\nstartxref\n%d\n%%%%EOF\n", newXref)
	return out.Bytes(), nil
}

// pdfHeader is the header of every document: version 1.7 and a comment of four
// bytes above 127.
const pdfHeader = "%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"

var (
	headerRe   = regexp.MustCompile(`^%PDF-1\.\d\r?\n`)
	fontNameRe = regexp.MustCompile(`/utf8` + "liberationserif" + `([A-Z]*)`)
	dateRe     = regexp.MustCompile(`/(?:CreationDate|ModDate) \(D:\d{14}(\))`)
)

// subsetTag derives the six capital letters from the set of runes used, so
// that different subsets get different tags (viewers may cache fonts by name)
// while the output stays deterministic.
func subsetTag(used map[rune]struct{}) string {
	rs := make([]rune, 0, len(used))
	for r := range used {
		rs = append(rs, r)
	}
	slices.Sort(rs)
	h := sha256.New()
	for _, r := range rs {
		h.Write([]byte(string(r)))
	}
	sum := h.Sum(nil)
	tag := make([]byte, 6)
	for i := range tag {
		tag[i] = 'A' + sum[i]%26
	}
	return string(tag)
}

func startXref(in []byte) (int, error) {
	i := bytes.LastIndex(in, []byte("startxref\n"))
	if i < 0 {
		return 0, fmt.Errorf("startxref not found")
	}
	rest := in[i+len("startxref\n"):]
	j := bytes.IndexByte(rest, '\n')
	if j < 0 {
		return 0, fmt.Errorf("malformed startxref")
	}
	n, err := strconv.Atoi(string(rest[:j]))
	if err != nil || n <= 0 || n >= len(in) {
		return 0, fmt.Errorf("bad startxref value %q", rest[:j])
	}
	return n, nil
}

// parseXref reads "xref\n0 N\n" and N 20-byte entries; returns the offsets of
// objects 1..N-1 and the position just after the table.
func parseXref(in []byte, pos int) ([]int, int, error) {
	b := in[pos:]
	if !bytes.HasPrefix(b, []byte("xref\n0 ")) {
		return nil, 0, fmt.Errorf("xref table not at startxref")
	}
	nl := bytes.IndexByte(b[7:], '\n')
	if nl < 0 {
		return nil, 0, fmt.Errorf("malformed xref header")
	}
	count, err := strconv.Atoi(string(b[7 : 7+nl]))
	if err != nil || count < 1 {
		return nil, 0, fmt.Errorf("bad xref count: %v", err)
	}
	p := 7 + nl + 1
	if p+20*count > len(b) {
		return nil, 0, fmt.Errorf("truncated xref table")
	}
	offsets := make([]int, 0, count-1)
	for i := range count {
		e := b[p+20*i : p+20*i+20]
		if i == 0 {
			continue
		}
		if e[17] != 'n' {
			return nil, 0, fmt.Errorf("xref entry %d not in use", i)
		}
		o, err := strconv.Atoi(string(e[:10]))
		if err != nil {
			return nil, 0, fmt.Errorf("xref entry %d: %w", i, err)
		}
		offsets = append(offsets, o)
	}
	return offsets, pos + p + 20*count, nil
}
