package pdfsign

import (
	"bytes"
	"compress/zlib"
	"errors"
	"fmt"
	"io"
	"strconv"
)

// maxDecoded bounds stream decompression so a hostile file (zip bomb) cannot
// exhaust memory; the only streams we decode are xref and object streams.
const maxDecoded = 64 << 20

type xrefEntry struct {
	typ byte  // 0 free, 1 in-file offset, 2 compressed in object stream
	off int64 // byte offset (typ 1) or object stream number (typ 2)
	idx int   // index inside the object stream (typ 2)
	gen int
}

// document is a read-only view of a PDF: the merged cross-reference table of
// all revisions (newest wins) and the newest trailer.
type document struct {
	data       []byte
	xref       map[int]xrefEntry
	trailer    Dict
	startxref  int64 // offset of the newest xref section (/Prev of our update)
	xrefStream bool  // newest section is a cross-reference stream
	objstms    map[int]*objStm
}

type objStm struct {
	data    []byte
	first   int
	offsets []int // by index
	nums    []int
}

func parseDocument(data []byte) (*document, error) {
	d := &document{data: data, xref: map[int]xrefEntry{}, objstms: map[int]*objStm{}}
	tail := data
	if len(tail) > 4096 {
		tail = tail[len(tail)-4096:]
	}
	i := bytes.LastIndex(tail, []byte("startxref"))
	if i < 0 {
		return nil, errors.New("pdf: startxref not found (not a PDF or truncated)")
	}
	l := &lexer{b: tail, pos: i + len("startxref")}
	l.skipWS()
	off, err := strconv.ParseInt(string(l.keyword()), 10, 64)
	if err != nil || off < 0 || off >= int64(len(data)) {
		return nil, fmt.Errorf("pdf: bad startxref offset")
	}
	d.startxref = off
	seen := map[int64]bool{}
	first := true
	for off >= 0 {
		if seen[off] || len(seen) > 1000 {
			break // a /Prev loop; what we have is the best we can do
		}
		seen[off] = true
		trailer, isStream, err := d.loadSection(off)
		if err != nil {
			if first {
				return nil, fmt.Errorf("pdf: reading cross-reference at %d: %w", off, err)
			}
			return nil, fmt.Errorf("pdf: reading previous cross-reference at %d: %w", off, err)
		}
		if first {
			d.trailer = trailer
			d.xrefStream = isStream
			first = false
		}
		// Hybrid files: a classic section may point at an xref stream too.
		if xs, ok := trailer["XRefStm"].(int64); ok && !isStream && !seen[xs] {
			seen[xs] = true
			if _, _, err := d.loadSection(xs); err != nil {
				return nil, fmt.Errorf("pdf: reading /XRefStm at %d: %w", xs, err)
			}
		}
		prev, ok := trailer["Prev"].(int64)
		if !ok {
			break
		}
		off = prev
	}
	if _, ok := d.trailer["Root"].(Ref); !ok {
		return nil, errors.New("pdf: trailer has no /Root reference")
	}
	return d, nil
}

func (d *document) setEntry(num int, e xrefEntry) {
	if _, ok := d.xref[num]; !ok {
		d.xref[num] = e // newer sections are read first and win
	}
}

// loadSection reads one cross-reference section (classic table or stream).
func (d *document) loadSection(off int64) (Dict, bool, error) {
	if off < 0 || off >= int64(len(d.data)) {
		return nil, false, fmt.Errorf("offset %d out of range", off)
	}
	l := &lexer{b: d.data, pos: int(off)}
	l.skipWS()
	if bytes.HasPrefix(d.data[l.pos:], []byte("xref")) {
		l.pos += 4
		t, err := d.loadTable(l)
		return t, false, err
	}
	_, _, obj, err := d.readIndirectAt(int(off))
	if err != nil {
		return nil, false, err
	}
	s, ok := obj.(*Stream)
	if !ok || s.Dict["Type"] != Name("XRef") {
		return nil, false, errors.New("neither an xref table nor an xref stream")
	}
	return s.Dict, true, d.loadXrefStream(s)
}

func (d *document) loadTable(l *lexer) (Dict, error) {
	for {
		l.skipWS()
		kw := l.keyword()
		if string(kw) == "trailer" {
			o, err := l.parseObject(0)
			if err != nil {
				return nil, err
			}
			t, ok := o.(Dict)
			if !ok {
				return nil, errors.New("trailer is not a dictionary")
			}
			return t, nil
		}
		start, err1 := strconv.Atoi(string(kw))
		l.skipWS()
		count, err2 := strconv.Atoi(string(l.keyword()))
		if err1 != nil || err2 != nil || start < 0 || count < 0 || count > len(l.b) {
			return nil, fmt.Errorf("bad xref subsection header near %d", l.pos)
		}
		for i := 0; i < count; i++ {
			l.skipWS()
			o, e1 := strconv.ParseInt(string(l.keyword()), 10, 64)
			l.skipWS()
			g, e2 := strconv.Atoi(string(l.keyword()))
			l.skipWS()
			t := l.keyword()
			if e1 != nil || e2 != nil || len(t) != 1 {
				return nil, fmt.Errorf("bad xref entry near %d", l.pos)
			}
			num := start + i
			if t[0] == 'n' {
				d.setEntry(num, xrefEntry{typ: 1, off: o, gen: g})
			} else {
				d.setEntry(num, xrefEntry{typ: 0, gen: g})
			}
		}
	}
}

func (d *document) loadXrefStream(s *Stream) error {
	data, err := decodeStream(s)
	if err != nil {
		return err
	}
	wa, ok := s.Dict["W"].(Array)
	if !ok || len(wa) != 3 {
		return errors.New("xref stream: bad /W")
	}
	var w [3]int
	for i := range w {
		v, ok := wa[i].(int64)
		if !ok || v < 0 || v > 8 {
			return errors.New("xref stream: bad /W entry")
		}
		w[i] = int(v)
	}
	size, _ := s.Dict["Size"].(int64)
	index := Array{int64(0), size}
	if ix, ok := s.Dict["Index"].(Array); ok {
		index = ix
	}
	rowLen := w[0] + w[1] + w[2]
	if rowLen == 0 {
		return errors.New("xref stream: zero row width")
	}
	field := func(b []byte) int64 {
		var v int64
		for _, c := range b {
			v = v<<8 | int64(c)
		}
		return v
	}
	pos := 0
	for i := 0; i+1 < len(index); i += 2 {
		start, ok1 := index[i].(int64)
		count, ok2 := index[i+1].(int64)
		if !ok1 || !ok2 || start < 0 || count < 0 || start > 1<<30 {
			return errors.New("xref stream: bad /Index")
		}
		for j := int64(0); j < count; j++ {
			if pos+rowLen > len(data) {
				return nil // truncated stream: keep what we read
			}
			row := data[pos : pos+rowLen]
			pos += rowLen
			typ := int64(1) // default when W[0] == 0
			if w[0] > 0 {
				typ = field(row[:w[0]])
			}
			f2 := field(row[w[0] : w[0]+w[1]])
			f3 := field(row[w[0]+w[1]:])
			num := int(start + j)
			switch typ {
			case 1:
				d.setEntry(num, xrefEntry{typ: 1, off: f2, gen: int(f3)})
			case 2:
				d.setEntry(num, xrefEntry{typ: 2, off: f2, idx: int(f3)})
			default:
				d.setEntry(num, xrefEntry{typ: 0})
			}
		}
	}
	return nil
}

// readIndirectAt parses "num gen obj <object> [stream ...]" at off.
func (d *document) readIndirectAt(off int) (int, int, Object, error) {
	if off < 0 || off >= len(d.data) {
		return 0, 0, nil, fmt.Errorf("object offset %d out of range", off)
	}
	l := &lexer{b: d.data, pos: off}
	l.skipWS()
	num, err1 := strconv.Atoi(string(l.keyword()))
	l.skipWS()
	gen, err2 := strconv.Atoi(string(l.keyword()))
	l.skipWS()
	if err1 != nil || err2 != nil || string(l.keyword()) != "obj" {
		return 0, 0, nil, fmt.Errorf("%w: no object header at %d", errSyntax, off)
	}
	o, err := l.parseObject(0)
	if err != nil {
		return 0, 0, nil, err
	}
	dict, isDict := o.(Dict)
	if !isDict || string(l.peekKeyword()) != "stream" {
		return num, gen, o, nil
	}
	l.skipWS()
	l.keyword() // "stream"
	if l.pos < len(l.b) && l.b[l.pos] == '\r' {
		l.pos++
	}
	if l.pos < len(l.b) && l.b[l.pos] == '\n' {
		l.pos++
	}
	start := l.pos
	n := -1
	if v, ok := dict["Length"].(int64); ok && v >= 0 && v <= int64(len(l.b)-start) {
		n = int(v)
		// Trust /Length only if "endstream" follows, else search for it.
		rest := bytes.TrimLeft(l.b[start+n:min(start+n+16, len(l.b))], "\r\n \t")
		if !bytes.HasPrefix(rest, []byte("endstream")) {
			n = -1
		}
	} else if r, ok := dict["Length"].(Ref); ok {
		if v, ok := d.directInt(r); ok && v >= 0 && v <= int64(len(l.b)-start) {
			n = int(v)
		}
	}
	if n < 0 {
		e := bytes.Index(l.b[start:], []byte("endstream"))
		if e < 0 {
			return 0, 0, nil, fmt.Errorf("%w: unterminated stream at %d", errSyntax, off)
		}
		n = e
		for n > 0 && (l.b[start+n-1] == '\n' || l.b[start+n-1] == '\r') {
			n--
		}
	}
	return num, gen, &Stream{Dict: dict, Data: l.b[start : start+n]}, nil
}

// directInt reads an uncompressed integer object without following further
// references; used for stream /Length so a self-referencing length cannot recurse.
func (d *document) directInt(r Ref) (int64, bool) {
	e, ok := d.xref[r.Num]
	if !ok || e.typ != 1 || e.off < 0 || e.off >= int64(len(d.data)) {
		return 0, false
	}
	l := &lexer{b: d.data, pos: int(e.off)}
	for i := 0; i < 3; i++ { // "num gen obj"
		l.skipWS()
		l.keyword()
	}
	v, err := l.parseObject(0)
	n, ok := v.(int64)
	return n, err == nil && ok
}

// object returns the current version of object num (nil if absent or free).
func (d *document) object(num int) (Object, error) {
	e, ok := d.xref[num]
	if !ok || e.typ == 0 {
		return nil, nil
	}
	if e.typ == 1 {
		n, _, o, err := d.readIndirectAt(int(e.off))
		if err != nil {
			return nil, fmt.Errorf("object %d: %w", num, err)
		}
		if n != num {
			return nil, fmt.Errorf("object %d: xref points at object %d", num, n)
		}
		return o, nil
	}
	os, err := d.objectStream(int(e.off))
	if err != nil {
		return nil, fmt.Errorf("object %d: %w", num, err)
	}
	if e.idx < 0 || e.idx >= len(os.offsets) || os.nums[e.idx] != num {
		return nil, fmt.Errorf("object %d: not at index %d of object stream %d", num, e.idx, e.off)
	}
	p := os.first + os.offsets[e.idx]
	if p < 0 || p >= len(os.data) {
		return nil, fmt.Errorf("object %d: offset outside object stream", num)
	}
	l := &lexer{b: os.data, pos: p}
	return l.parseObject(0)
}

func (d *document) objectStream(num int) (*objStm, error) {
	if os, ok := d.objstms[num]; ok {
		return os, nil
	}
	e, ok := d.xref[num]
	if !ok || e.typ != 1 { // object streams cannot themselves be compressed
		return nil, fmt.Errorf("object stream %d not found", num)
	}
	_, _, o, err := d.readIndirectAt(int(e.off))
	if err != nil {
		return nil, err
	}
	s, ok := o.(*Stream)
	if !ok {
		return nil, fmt.Errorf("object stream %d is not a stream", num)
	}
	data, err := decodeStream(s)
	if err != nil {
		return nil, err
	}
	n, _ := s.Dict["N"].(int64)
	first, _ := s.Dict["First"].(int64)
	if n < 0 || n > int64(len(data)) || first < 0 || first > int64(len(data)) {
		return nil, fmt.Errorf("object stream %d: bad /N or /First", num)
	}
	os := &objStm{data: data, first: int(first)}
	l := &lexer{b: data[:first]}
	for i := int64(0); i < n; i++ {
		l.skipWS()
		on, e1 := strconv.Atoi(string(l.keyword()))
		l.skipWS()
		oo, e2 := strconv.Atoi(string(l.keyword()))
		if e1 != nil || e2 != nil {
			break
		}
		os.nums = append(os.nums, on)
		os.offsets = append(os.offsets, oo)
	}
	d.objstms[num] = os
	return os, nil
}

// resolve follows references (bounded, to survive reference cycles).
func (d *document) resolve(o Object) Object { return d.resolveDepth(o, 0) }

func (d *document) resolveDepth(o Object, depth int) Object {
	for i := depth; i < 16; i++ {
		r, ok := o.(Ref)
		if !ok {
			return o
		}
		v, err := d.object(r.Num)
		if err != nil {
			return nil
		}
		o = v
	}
	return nil
}

func (d *document) dict(o Object) Dict {
	switch v := d.resolve(o).(type) {
	case Dict:
		return v
	case *Stream:
		return v.Dict
	}
	return nil
}

// pages returns the page object references in document order.
func (d *document) pages() ([]Ref, error) {
	cat := d.dict(d.trailer["Root"])
	if cat == nil {
		return nil, errors.New("pdf: catalog not found")
	}
	var out []Ref
	seen := map[Ref]bool{}
	var walk func(o Object, depth int) error
	walk = func(o Object, depth int) error {
		r, ok := o.(Ref)
		if !ok {
			return errors.New("pdf: page tree node is not an indirect object")
		}
		if seen[r] || depth > maxDepth {
			return errors.New("pdf: page tree has a cycle")
		}
		seen[r] = true
		node := d.dict(r)
		if node == nil {
			return fmt.Errorf("pdf: page tree node %d missing", r.Num)
		}
		kids, isTree := d.resolve(node["Kids"]).(Array)
		if node["Type"] == Name("Page") || !isTree {
			out = append(out, r)
			return nil
		}
		for _, k := range kids {
			if err := walk(k, depth+1); err != nil {
				return err
			}
		}
		return nil
	}
	if err := walk(cat["Pages"], 0); err != nil {
		return nil, err
	}
	return out, nil
}

func decodeStream(s *Stream) ([]byte, error) {
	var filters Array
	switch f := s.Dict["Filter"].(type) {
	case nil:
	case Name:
		filters = Array{f}
	case Array:
		filters = f
	default:
		return nil, errors.New("stream: bad /Filter")
	}
	data := s.Data
	parms := s.Dict["DecodeParms"]
	if a, ok := parms.(Array); ok && len(a) > 0 {
		parms = a[0]
	}
	for _, f := range filters {
		if f != Name("FlateDecode") {
			return nil, fmt.Errorf("stream: unsupported filter %v", f)
		}
		zr, err := zlib.NewReader(bytes.NewReader(data))
		if err != nil {
			return nil, fmt.Errorf("stream: flate: %w", err)
		}
		out, err := io.ReadAll(io.LimitReader(zr, maxDecoded+1))
		if err != nil && len(out) == 0 {
			return nil, fmt.Errorf("stream: flate: %w", err)
		}
		if len(out) > maxDecoded {
			return nil, errors.New("stream: decoded data too large")
		}
		data = out
		if p, ok := parms.(Dict); ok {
			if pred, _ := p["Predictor"].(int64); pred >= 10 {
				cols := int64(1)
				if c, ok := p["Columns"].(int64); ok {
					cols = c
				}
				if data, err = unpredictPNG(data, cols); err != nil {
					return nil, err
				}
			}
		}
	}
	return data, nil
}

// unpredictPNG reverses the PNG row predictors xref streams commonly use.
func unpredictPNG(data []byte, cols int64) ([]byte, error) {
	if cols <= 0 || cols > 1<<16 {
		return nil, errors.New("stream: bad predictor /Columns")
	}
	c := int(cols)
	row := c + 1
	out := make([]byte, 0, len(data)/row*c)
	prev := make([]byte, c)
	for i := 0; i+row <= len(data); i += row {
		ft, cur := data[i], append([]byte(nil), data[i+1:i+row]...)
		for j := range cur {
			var left, up, ul byte
			if j > 0 {
				left = cur[j-1]
				ul = prev[j-1]
			}
			up = prev[j]
			switch ft {
			case 1:
				cur[j] += left
			case 2:
				cur[j] += up
			case 3:
				cur[j] += byte((int(left) + int(up)) / 2)
			case 4:
				cur[j] += paeth(left, up, ul)
			}
		}
		out = append(out, cur...)
		prev = cur
	}
	return out, nil
}

func paeth(a, b, c byte) byte {
	p := int(a) + int(b) - int(c)
	pa, pb, pc := abs(p-int(a)), abs(p-int(b)), abs(p-int(c))
	if pa <= pb && pa <= pc {
		return a
	}
	if pb <= pc {
		return b
	}
	return c
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
