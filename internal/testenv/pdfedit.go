package testenv

import (
	"bytes"
	"encoding/hex"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"unicode/utf16"
)

var (
	startxrefRe = regexp.MustCompile(`startxref\s+(\d+)\s+%%EOF\s*$`)
	trailerRe   = regexp.MustCompile(`trailer\s*<<(.*?)>>\s*startxref`)
	rootRe      = regexp.MustCompile(`/Root\s+(\d+\s+\d+\s+R)`)
	sizeRe      = regexp.MustCompile(`/Size\s+(\d+)`)
)

// AppendInfoUpdate appends an unsigned incremental update to pdf, as someone editing a
// signed document after its last signature would: a new document-information
// dictionary (a new object) whose /Title is title, a cross-reference section for it and
// a trailer chained to the previous section with /Prev. Every PDF reader then shows the
// new title, and pdfsig reports "Not total document signed". The last section of pdf
// must be a classic cross-reference table (what pdfsign.Sign writes).
func AppendInfoUpdate(pdf []byte, title string) ([]byte, error) {
	m := startxrefRe.FindSubmatch(pdf)
	if m == nil {
		return nil, errors.New("testenv: no startxref/%%EOF at the end of the file")
	}
	prev := string(m[1])
	ts := trailerRe.FindAllSubmatch(pdf, -1)
	if len(ts) == 0 {
		return nil, errors.New("testenv: no classic trailer in the file")
	}
	trailer := ts[len(ts)-1][1]
	root := rootRe.FindSubmatch(trailer)
	size := sizeRe.FindSubmatch(trailer)
	if root == nil || size == nil {
		return nil, fmt.Errorf("testenv: trailer without /Root or /Size: %q", trailer)
	}
	n, err := strconv.Atoi(string(size[1]))
	if err != nil {
		return nil, fmt.Errorf("testenv: /Size: %w", err)
	}
	u16 := utf16.Encode([]rune(title))
	raw := make([]byte, 0, 2+2*len(u16))
	raw = append(raw, 0xFE, 0xFF)
	for _, c := range u16 {
		raw = append(raw, byte(c>>8), byte(c))
	}
	var b bytes.Buffer
	b.Write(pdf)
	if len(pdf) > 0 && pdf[len(pdf)-1] != '\n' {
		b.WriteByte('\n')
	}
	objOff := b.Len()
	fmt.Fprintf(&b, "%d 0 obj\n<</Title <%s> /Producer (edited after signing)>>\nendobj\n", n, hex.EncodeToString(raw))
	xrefOff := b.Len()
	fmt.Fprintf(&b, "xref\n0 1\n0000000000 65535 f \n%d 1\n%010d 00000 n \n", n, objOff)
	fmt.Fprintf(&b, "trailer\n<</Size %d /Root %s /Info %d 0 R /Prev %s>>\nstartxref\n%d\n%%%%EOF\n", n+1, root[1], n, prev, xrefOff)
	return b.Bytes(), nil
}
