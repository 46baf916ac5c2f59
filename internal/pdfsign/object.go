package pdfsign

import (
	"bytes"
	"errors"
	"fmt"
	"sort"
	"strconv"
)

// The PDF object model is deliberately tiny: the signer only has to read the
// trailer, the catalog, the page tree and existing signature fields, and write
// a handful of new objects. Everything else in the input is copied byte for
// byte, which is what an incremental update requires anyway.

// Name is a PDF name object without the leading slash.
type Name string

// Dict is a PDF dictionary. Serialisation sorts keys so output is reproducible.
type Dict map[Name]Object

// Array is a PDF array.
type Array []Object

// Ref is an indirect reference "num gen R".
type Ref struct {
	Num, Gen int
}

// String is a PDF string (literal or hex); the bytes are already unescaped.
type String []byte

// Stream is a stream object; Data is the raw (still encoded) content.
type Stream struct {
	Dict Dict
	Data []byte
}

// Object is one of: nil (null), bool, int64, float64, Name, String, Array,
// Dict, Ref, *Stream.
type Object any

// rawObject is pre-serialised PDF syntax, used by the writer for content it
// builds itself (placeholders whose byte position matters).
type rawObject []byte

const maxDepth = 64 // nesting bound so hostile input cannot exhaust the stack

var errSyntax = errors.New("pdf syntax error")

type lexer struct {
	b   []byte
	pos int
}

func isWhite(c byte) bool {
	return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == 0
}

func isDelim(c byte) bool {
	switch c {
	case '(', ')', '<', '>', '[', ']', '{', '}', '/', '%':
		return true
	}
	return false
}

func (l *lexer) skipWS() {
	for l.pos < len(l.b) {
		c := l.b[l.pos]
		if isWhite(c) {
			l.pos++
			continue
		}
		if c == '%' {
			for l.pos < len(l.b) && l.b[l.pos] != '\n' && l.b[l.pos] != '\r' {
				l.pos++
			}
			continue
		}
		return
	}
}

// keyword reads a run of regular characters (numbers, true, obj, R, ...).
func (l *lexer) keyword() []byte {
	start := l.pos
	for l.pos < len(l.b) && !isWhite(l.b[l.pos]) && !isDelim(l.b[l.pos]) {
		l.pos++
	}
	return l.b[start:l.pos]
}

func (l *lexer) peekKeyword() []byte {
	save := l.pos
	l.skipWS()
	k := l.keyword()
	l.pos = save
	return k
}

func hexVal(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'a' && c <= 'f':
		return int(c-'a') + 10
	case c >= 'A' && c <= 'F':
		return int(c-'A') + 10
	}
	return -1
}

// parseObject reads one direct object; "n g R" becomes a Ref. Streams are
// handled by the caller (readIndirect) because they need the xref for /Length.
func (l *lexer) parseObject(depth int) (Object, error) {
	if depth > maxDepth {
		return nil, fmt.Errorf("%w: nesting too deep", errSyntax)
	}
	l.skipWS()
	if l.pos >= len(l.b) {
		return nil, fmt.Errorf("%w: unexpected end of data", errSyntax)
	}
	c := l.b[l.pos]
	switch {
	case c == '/':
		l.pos++
		return l.parseName(), nil
	case c == '(':
		return l.parseLiteral()
	case c == '<' && l.pos+1 < len(l.b) && l.b[l.pos+1] == '<':
		l.pos += 2
		d := Dict{}
		for {
			l.skipWS()
			if l.pos+1 < len(l.b) && l.b[l.pos] == '>' && l.b[l.pos+1] == '>' {
				l.pos += 2
				return d, nil
			}
			if l.pos >= len(l.b) {
				return nil, fmt.Errorf("%w: unterminated dictionary", errSyntax)
			}
			if l.b[l.pos] != '/' {
				return nil, fmt.Errorf("%w: dictionary key is not a name at %d", errSyntax, l.pos)
			}
			l.pos++
			k := l.parseName()
			v, err := l.parseObject(depth + 1)
			if err != nil {
				return nil, err
			}
			d[k] = v
		}
	case c == '<':
		l.pos++
		var out []byte
		hi := -1
		for l.pos < len(l.b) && l.b[l.pos] != '>' {
			v := hexVal(l.b[l.pos])
			l.pos++
			if v < 0 {
				continue // whitespace is allowed inside hex strings
			}
			if hi < 0 {
				hi = v
			} else {
				out = append(out, byte(hi<<4|v))
				hi = -1
			}
		}
		if l.pos >= len(l.b) {
			return nil, fmt.Errorf("%w: unterminated hex string", errSyntax)
		}
		l.pos++
		if hi >= 0 {
			out = append(out, byte(hi<<4))
		}
		return String(out), nil
	case c == '[':
		l.pos++
		a := Array{}
		for {
			l.skipWS()
			if l.pos >= len(l.b) {
				return nil, fmt.Errorf("%w: unterminated array", errSyntax)
			}
			if l.b[l.pos] == ']' {
				l.pos++
				return a, nil
			}
			v, err := l.parseObject(depth + 1)
			if err != nil {
				return nil, err
			}
			a = append(a, v)
		}
	}
	kw := l.keyword()
	if len(kw) == 0 {
		return nil, fmt.Errorf("%w: unexpected %q at %d", errSyntax, c, l.pos)
	}
	switch string(kw) {
	case "true":
		return true, nil
	case "false":
		return false, nil
	case "null":
		return nil, nil
	}
	if n, err := strconv.ParseInt(string(kw), 10, 64); err == nil {
		// Look ahead for "gen R" to form a reference.
		save := l.pos
		l.skipWS()
		g := l.keyword()
		if gen, err := strconv.Atoi(string(g)); err == nil && len(g) > 0 && g[0] != '+' && g[0] != '-' {
			l.skipWS()
			if r := l.keyword(); string(r) == "R" && n >= 0 && n <= 1<<30 && gen >= 0 && gen <= 65535 {
				return Ref{int(n), gen}, nil
			}
		}
		l.pos = save
		return n, nil
	}
	if f, err := strconv.ParseFloat(string(kw), 64); err == nil {
		return f, nil
	}
	return nil, fmt.Errorf("%w: unknown token %q at %d", errSyntax, kw, l.pos)
}

func (l *lexer) parseName() Name {
	raw := l.keyword()
	if bytes.IndexByte(raw, '#') < 0 {
		return Name(raw)
	}
	out := make([]byte, 0, len(raw))
	for i := 0; i < len(raw); i++ {
		if raw[i] == '#' && i+2 < len(raw) && hexVal(raw[i+1]) >= 0 && hexVal(raw[i+2]) >= 0 {
			out = append(out, byte(hexVal(raw[i+1])<<4|hexVal(raw[i+2])))
			i += 2
			continue
		}
		out = append(out, raw[i])
	}
	return Name(out)
}

func (l *lexer) parseLiteral() (Object, error) {
	l.pos++ // '('
	var out []byte
	depth := 1
	for l.pos < len(l.b) {
		c := l.b[l.pos]
		l.pos++
		switch c {
		case '(':
			depth++
		case ')':
			depth--
			if depth == 0 {
				return String(out), nil
			}
		case '\\':
			if l.pos >= len(l.b) {
				break
			}
			e := l.b[l.pos]
			l.pos++
			switch e {
			case 'n':
				c = '\n'
			case 'r':
				c = '\r'
			case 't':
				c = '\t'
			case 'b':
				c = '\b'
			case 'f':
				c = '\f'
			case '\r':
				if l.pos < len(l.b) && l.b[l.pos] == '\n' {
					l.pos++
				}
				continue
			case '\n':
				continue
			default:
				if e >= '0' && e <= '7' {
					v := int(e - '0')
					for k := 0; k < 2 && l.pos < len(l.b) && l.b[l.pos] >= '0' && l.b[l.pos] <= '7'; k++ {
						v = v*8 + int(l.b[l.pos]-'0')
						l.pos++
					}
					c = byte(v)
				} else {
					c = e
				}
			}
		}
		out = append(out, c)
	}
	return nil, fmt.Errorf("%w: unterminated string", errSyntax)
}

// ---- serialisation ----

func writeObject(buf *bytes.Buffer, o Object) {
	switch v := o.(type) {
	case nil:
		buf.WriteString("null")
	case bool:
		if v {
			buf.WriteString("true")
		} else {
			buf.WriteString("false")
		}
	case int:
		buf.WriteString(strconv.Itoa(v))
	case int64:
		buf.WriteString(strconv.FormatInt(v, 10))
	case float64:
		buf.WriteString(formatReal(v))
	case Name:
		writeName(buf, v)
	case String:
		// Hex form sidesteps every escaping question.
		buf.WriteByte('<')
		for _, c := range v {
			buf.WriteByte("0123456789ABCDEF"[c>>4])
			buf.WriteByte("0123456789ABCDEF"[c&15])
		}
		buf.WriteByte('>')
	case Array:
		buf.WriteByte('[')
		for i, e := range v {
			if i > 0 {
				buf.WriteByte(' ')
			}
			writeObject(buf, e)
		}
		buf.WriteByte(']')
	case Dict:
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, string(k))
		}
		sort.Strings(keys)
		buf.WriteString("<<")
		for _, k := range keys {
			writeName(buf, Name(k))
			buf.WriteByte(' ')
			writeObject(buf, v[Name(k)])
		}
		buf.WriteString(">>")
	case Ref:
		fmt.Fprintf(buf, "%d %d R", v.Num, v.Gen)
	case *Stream:
		d := Dict{}
		for k, x := range v.Dict {
			d[k] = x
		}
		d["Length"] = int64(len(v.Data))
		writeObject(buf, d)
		buf.WriteString("\nstream\n")
		buf.Write(v.Data)
		buf.WriteString("\nendstream")
	case rawObject:
		buf.Write(v)
	default:
		// Unreachable for objects built by this package; keep output valid.
		buf.WriteString("null")
	}
}

func formatReal(f float64) string {
	s := strconv.FormatFloat(f, 'f', 4, 64)
	s = trimZeros(s)
	if s == "-0" {
		return "0"
	}
	return s
}

func trimZeros(s string) string {
	if i := bytes.IndexByte([]byte(s), '.'); i >= 0 {
		for len(s) > i+1 && s[len(s)-1] == '0' {
			s = s[:len(s)-1]
		}
		if s[len(s)-1] == '.' {
			s = s[:len(s)-1]
		}
	}
	return s
}

func writeName(buf *bytes.Buffer, n Name) {
	buf.WriteByte('/')
	for i := 0; i < len(n); i++ {
		c := n[i]
		if c < 0x21 || c > 0x7e || c == '#' || isDelim(c) {
			fmt.Fprintf(buf, "#%02X", c)
			continue
		}
		buf.WriteByte(c)
	}
}

// textString encodes s as a PDF text string: PDFDocEncoding when ASCII,
// otherwise UTF-16BE with BOM (needed for Vietnamese names and reasons).
func textString(s string) String {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			ascii = false
			break
		}
	}
	if ascii {
		return String(s)
	}
	out := []byte{0xFE, 0xFF}
	for _, r := range s {
		if r >= 0x10000 {
			r -= 0x10000
			hi, lo := 0xD800+(r>>10), 0xDC00+(r&0x3FF)
			out = append(out, byte(hi>>8), byte(hi), byte(lo>>8), byte(lo))
			continue
		}
		out = append(out, byte(r>>8), byte(r))
	}
	return String(out)
}

// decodeTextString is the inverse of textString (UTF-16BE with BOM, UTF-8 with
// BOM, or PDFDocEncoding treated as Latin-1).
func decodeTextString(b []byte) string {
	if len(b) >= 2 && b[0] == 0xFE && b[1] == 0xFF {
		var rs []rune
		for i := 2; i+1 < len(b); i += 2 {
			u := rune(b[i])<<8 | rune(b[i+1])
			if u >= 0xD800 && u < 0xDC00 && i+3 < len(b) {
				u2 := rune(b[i+2])<<8 | rune(b[i+3])
				if u2 >= 0xDC00 && u2 < 0xE000 {
					rs = append(rs, 0x10000+(u-0xD800)<<10+(u2-0xDC00))
					i += 2
					continue
				}
			}
			rs = append(rs, u)
		}
		return string(rs)
	}
	if len(b) >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF {
		return string(b[3:])
	}
	rs := make([]rune, len(b))
	for i, c := range b {
		rs[i] = rune(c)
	}
	return string(rs)
}
