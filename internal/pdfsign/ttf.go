package pdfsign

import (
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"sort"
	"sync"
	"unicode/utf16"
)

// A minimal TrueType reader and subsetter: enough to map runes to glyphs,
// measure text, and embed only the glyphs used. The subset keeps glyph IDs
// unchanged (unused glyphs become empty), so the PDF can use
// /CIDToGIDMap /Identity with CID = GID and a tiny font program.

type ttfFont struct {
	tables     map[string][]byte
	unitsPerEm int
	ascent     int
	descent    int
	capHeight  int
	bbox       [4]int
	numGlyphs  int
	advances   []uint16 // per glyph
	cmap       map[rune]uint16
	loca       []uint32 // numGlyphs+1 offsets into glyf
	psName     string
}

var fontCache sync.Map // [32]byte sha256 -> *ttfFont (immutable once stored)

// loadFont parses (once per distinct font per process) a TrueType font.
func loadFont(b []byte) (*ttfFont, error) {
	key := sha256.Sum256(b)
	if f, ok := fontCache.Load(key); ok {
		return f.(*ttfFont), nil
	}
	f, err := parseTTF(b)
	if err != nil {
		return nil, err
	}
	v, _ := fontCache.LoadOrStore(key, f)
	return v.(*ttfFont), nil
}

var errFont = errors.New("font")

func parseTTF(src []byte) (*ttfFont, error) {
	b := append([]byte(nil), src...) // never alias the caller's slice
	if len(b) < 12 {
		return nil, fmt.Errorf("%w: too short", errFont)
	}
	switch v := binary.BigEndian.Uint32(b); v {
	case 0x00010000, 0x74727565: // TrueType outlines
	default:
		return nil, fmt.Errorf("%w: not a TrueType (glyf) font (sfnt version %08x); CFF/OTF and collections unsupported", errFont, v)
	}
	n := int(binary.BigEndian.Uint16(b[4:]))
	if len(b) < 12+16*n {
		return nil, fmt.Errorf("%w: truncated table directory", errFont)
	}
	f := &ttfFont{tables: map[string][]byte{}}
	for i := 0; i < n; i++ {
		rec := b[12+16*i:]
		off, ln := binary.BigEndian.Uint32(rec[8:]), binary.BigEndian.Uint32(rec[12:])
		if uint64(off)+uint64(ln) > uint64(len(b)) {
			return nil, fmt.Errorf("%w: table %q out of range", errFont, rec[:4])
		}
		f.tables[string(rec[:4])] = b[off : off+ln]
	}
	for _, t := range []string{"head", "hhea", "maxp", "hmtx", "loca", "glyf", "cmap"} {
		if f.tables[t] == nil {
			return nil, fmt.Errorf("%w: missing %q table", errFont, t)
		}
	}
	head, hhea, maxp := f.tables["head"], f.tables["hhea"], f.tables["maxp"]
	if len(head) < 54 || len(hhea) < 36 || len(maxp) < 6 {
		return nil, fmt.Errorf("%w: short head/hhea/maxp", errFont)
	}
	u16 := func(p []byte, o int) int { return int(binary.BigEndian.Uint16(p[o:])) }
	i16 := func(p []byte, o int) int { return int(int16(binary.BigEndian.Uint16(p[o:]))) }
	f.unitsPerEm = u16(head, 18)
	if f.unitsPerEm == 0 {
		return nil, fmt.Errorf("%w: unitsPerEm is 0", errFont)
	}
	f.bbox = [4]int{i16(head, 36), i16(head, 38), i16(head, 40), i16(head, 42)}
	longLoca := i16(head, 50) == 1
	f.ascent, f.descent = i16(hhea, 4), i16(hhea, 6)
	f.capHeight = f.ascent
	if os2 := f.tables["OS/2"]; len(os2) >= 90 && u16(os2, 0) >= 2 {
		f.capHeight = i16(os2, 88)
	}
	f.numGlyphs = u16(maxp, 4)
	nh := u16(hhea, 34)
	hmtx := f.tables["hmtx"]
	if nh == 0 || nh > f.numGlyphs || len(hmtx) < 4*nh {
		return nil, fmt.Errorf("%w: bad hmtx", errFont)
	}
	f.advances = make([]uint16, f.numGlyphs)
	for g := 0; g < f.numGlyphs; g++ {
		f.advances[g] = uint16(u16(hmtx, 4*min(g, nh-1)))
	}
	loca := f.tables["loca"]
	f.loca = make([]uint32, f.numGlyphs+1)
	for g := 0; g <= f.numGlyphs; g++ {
		if longLoca {
			if len(loca) < 4*g+4 {
				return nil, fmt.Errorf("%w: short loca", errFont)
			}
			f.loca[g] = binary.BigEndian.Uint32(loca[4*g:])
		} else {
			if len(loca) < 2*g+2 {
				return nil, fmt.Errorf("%w: short loca", errFont)
			}
			f.loca[g] = 2 * uint32(u16(loca, 2*g))
		}
		if f.loca[g] > uint32(len(f.tables["glyf"])) || (g > 0 && f.loca[g] < f.loca[g-1]) {
			return nil, fmt.Errorf("%w: bad loca entry %d", errFont, g)
		}
	}
	if err := f.parseCmap(); err != nil {
		return nil, err
	}
	f.psName = f.postScriptName()
	return f, nil
}

func (f *ttfFont) parseCmap() error {
	c := f.tables["cmap"]
	if len(c) < 4 {
		return fmt.Errorf("%w: short cmap", errFont)
	}
	n := int(binary.BigEndian.Uint16(c[2:]))
	best, bestScore := -1, 0
	for i := 0; i < n && 4+8*i+8 <= len(c); i++ {
		pid, eid := binary.BigEndian.Uint16(c[4+8*i:]), binary.BigEndian.Uint16(c[6+8*i:])
		off := int(binary.BigEndian.Uint32(c[8+8*i:]))
		score := 0
		switch {
		case pid == 3 && eid == 10:
			score = 3
		case pid == 3 && eid == 1:
			score = 2
		case pid == 0:
			score = 1
		}
		if score > bestScore && off+4 <= len(c) {
			best, bestScore = off, score
		}
	}
	if best < 0 {
		return fmt.Errorf("%w: no Unicode cmap", errFont)
	}
	t := c[best:]
	f.cmap = map[rune]uint16{}
	switch binary.BigEndian.Uint16(t) {
	case 4:
		if len(t) < 14 {
			return fmt.Errorf("%w: short cmap format 4", errFont)
		}
		segs := int(binary.BigEndian.Uint16(t[6:])) / 2
		if len(t) < 16+8*segs {
			return fmt.Errorf("%w: short cmap format 4", errFont)
		}
		ends, starts := t[14:], t[16+2*segs:]
		deltas, ranges := t[16+4*segs:], t[16+6*segs:]
		for s := 0; s < segs; s++ {
			end, start := int(binary.BigEndian.Uint16(ends[2*s:])), int(binary.BigEndian.Uint16(starts[2*s:]))
			delta, ro := binary.BigEndian.Uint16(deltas[2*s:]), int(binary.BigEndian.Uint16(ranges[2*s:]))
			for r := start; r <= end && r != 0xFFFF; r++ {
				var g uint16
				if ro == 0 {
					g = uint16(r) + delta
				} else {
					p := 16 + 6*segs + 2*s + ro + 2*(r-start)
					if p+2 > len(t) {
						continue
					}
					if g = binary.BigEndian.Uint16(t[p:]); g != 0 {
						g += delta
					}
				}
				if g != 0 && int(g) < f.numGlyphs {
					f.cmap[rune(r)] = g
				}
			}
		}
	case 12:
		if len(t) < 16 {
			return fmt.Errorf("%w: short cmap format 12", errFont)
		}
		groups := int(binary.BigEndian.Uint32(t[12:]))
		for i := 0; i < groups && 16+12*i+12 <= len(t); i++ {
			g := t[16+12*i:]
			s, e, gid := binary.BigEndian.Uint32(g), binary.BigEndian.Uint32(g[4:]), binary.BigEndian.Uint32(g[8:])
			for r := s; r <= e && r <= 0x10FFFF && r-s < 1<<16; r++ {
				if id := gid + (r - s); id < uint32(f.numGlyphs) && id != 0 {
					f.cmap[rune(r)] = uint16(id)
				}
			}
		}
	default:
		return fmt.Errorf("%w: unsupported cmap format %d", errFont, binary.BigEndian.Uint16(t))
	}
	return nil
}

func (f *ttfFont) postScriptName() string {
	t := f.tables["name"]
	if len(t) >= 6 {
		n, so := int(binary.BigEndian.Uint16(t[2:])), int(binary.BigEndian.Uint16(t[4:]))
		for i := 0; i < n && 6+12*i+12 <= len(t); i++ {
			r := t[6+12*i:]
			pid, id := binary.BigEndian.Uint16(r), binary.BigEndian.Uint16(r[6:])
			ln, off := int(binary.BigEndian.Uint16(r[8:])), int(binary.BigEndian.Uint16(r[10:]))
			if id != 6 || so+off+ln > len(t) {
				continue
			}
			s := t[so+off : so+off+ln]
			var name []byte
			if pid == 3 || pid == 0 {
				u := make([]uint16, len(s)/2)
				for j := range u {
					u[j] = binary.BigEndian.Uint16(s[2*j:])
				}
				name = []byte(string(utf16.Decode(u)))
			} else {
				name = s
			}
			clean := make([]byte, 0, len(name))
			for _, c := range name {
				if c > 0x20 && c < 0x7f && !isDelim(c) {
					clean = append(clean, c)
				}
			}
			if len(clean) > 0 {
				return string(clean)
			}
		}
	}
	return "EmbeddedFont"
}

// glyphs maps text to glyph IDs, reporting characters the font lacks (they
// would render as boxes, which is worse than failing).
func (f *ttfFont) glyphs(s string) ([]uint16, error) {
	out := make([]uint16, 0, len(s))
	var missing []rune
	for _, r := range s {
		g, ok := f.cmap[r]
		if !ok {
			missing = append(missing, r)
			continue
		}
		out = append(out, g)
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("%w: font %s has no glyph for %q", errFont, f.psName, string(missing))
	}
	return out, nil
}

// width returns the advance of glyphs in text space units (1/1000 em).
func (f *ttfFont) width(gids []uint16) float64 {
	var w int
	for _, g := range gids {
		w += int(f.advances[g])
	}
	return float64(w) * 1000 / float64(f.unitsPerEm)
}

// subset returns a TrueType program holding only the given glyphs (plus
// .notdef and composite components), with glyph IDs preserved.
func (f *ttfFont) subset(used map[uint16]bool) []byte {
	keep := map[uint16]bool{0: true}
	var visit func(g uint16, depth int)
	glyf := f.tables["glyf"]
	visit = func(g uint16, depth int) {
		if keep[g] && g != 0 || int(g) >= f.numGlyphs || depth > 8 {
			return
		}
		keep[g] = true
		d := glyf[f.loca[g]:f.loca[g+1]]
		if len(d) < 10 || int16(binary.BigEndian.Uint16(d)) >= 0 {
			return
		}
		// Composite glyph: keep every component (Vietnamese letters are often
		// base letter + stacked marks).
		p := 10
		for p+4 <= len(d) {
			flags := binary.BigEndian.Uint16(d[p:])
			visit(binary.BigEndian.Uint16(d[p+2:]), depth+1)
			p += 4
			if flags&0x1 != 0 {
				p += 4
			} else {
				p += 2
			}
			switch {
			case flags&0x8 != 0:
				p += 2
			case flags&0x40 != 0:
				p += 4
			case flags&0x80 != 0:
				p += 8
			}
			if flags&0x20 == 0 {
				break
			}
		}
	}
	for g := range used {
		visit(g, 0)
	}
	var newGlyf []byte
	newLoca := make([]byte, 4*(f.numGlyphs+1))
	for g := 0; g < f.numGlyphs; g++ {
		binary.BigEndian.PutUint32(newLoca[4*g:], uint32(len(newGlyf)))
		if keep[uint16(g)] {
			newGlyf = append(newGlyf, glyf[f.loca[g]:f.loca[g+1]]...)
			for len(newGlyf)%4 != 0 {
				newGlyf = append(newGlyf, 0)
			}
		}
	}
	binary.BigEndian.PutUint32(newLoca[4*f.numGlyphs:], uint32(len(newGlyf)))
	head := append([]byte(nil), f.tables["head"]...)
	binary.BigEndian.PutUint32(head[8:], 0)  // checkSumAdjustment: not needed by PDF consumers
	binary.BigEndian.PutUint16(head[50:], 1) // long loca
	tables := map[string][]byte{
		"head": head, "hhea": f.tables["hhea"], "maxp": f.tables["maxp"],
		"hmtx": f.tables["hmtx"], "loca": newLoca, "glyf": newGlyf,
	}
	// Hinting tables are small and keep rendering identical to the original.
	for _, t := range []string{"cvt ", "fpgm", "prep", "OS/2"} {
		if v := f.tables[t]; v != nil {
			tables[t] = v
		}
	}
	return writeSFNT(tables)
}

func writeSFNT(tables map[string][]byte) []byte {
	tags := make([]string, 0, len(tables))
	for t := range tables {
		tags = append(tags, t)
	}
	sort.Strings(tags)
	n := len(tags)
	es := 0
	for 1<<(es+1) <= n {
		es++
	}
	out := make([]byte, 12+16*n)
	binary.BigEndian.PutUint32(out, 0x00010000)
	binary.BigEndian.PutUint16(out[4:], uint16(n))
	binary.BigEndian.PutUint16(out[6:], uint16(16<<es))
	binary.BigEndian.PutUint16(out[8:], uint16(es))
	binary.BigEndian.PutUint16(out[10:], uint16(16*n-16<<es))
	for i, t := range tags {
		d := tables[t]
		rec := out[12+16*i:]
		copy(rec, t)
		binary.BigEndian.PutUint32(rec[4:], sfntChecksum(d))
		binary.BigEndian.PutUint32(rec[8:], uint32(len(out)))
		binary.BigEndian.PutUint32(rec[12:], uint32(len(d)))
		out = append(out, d...)
		for len(out)%4 != 0 {
			out = append(out, 0)
		}
	}
	return out
}

func sfntChecksum(d []byte) uint32 {
	var sum uint32
	for i := 0; i < len(d); i += 4 {
		var w [4]byte
		copy(w[:], d[i:])
		sum += binary.BigEndian.Uint32(w[:])
	}
	return sum
}
