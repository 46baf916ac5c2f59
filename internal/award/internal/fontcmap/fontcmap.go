// Package fontcmap reads which Unicode code points a TrueType font maps to a glyph. It
// serves the generator of award's printable-rune table and the test that re-derives the
// table from the embedded font files, so both read the fonts the same way.
package fontcmap

import (
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
)

// Range is an inclusive range of code points.
type Range struct{ Lo, Hi rune }

// Covered returns the code points that the font's Windows Unicode cmap subtable maps to
// a glyph other than .notdef: format 12 (3,10) when present, otherwise format 4 (3,1).
func Covered(ttf []byte) ([]rune, error) {
	cmap, err := table(ttf, "cmap")
	if err != nil {
		return nil, err
	}
	be := binary.BigEndian
	if len(cmap) < 4 {
		return nil, errors.New("cmap too short")
	}
	var fmt4, fmt12 []byte
	for i := range int(be.Uint16(cmap[2:])) {
		rec := 4 + 8*i
		if rec+8 > len(cmap) {
			return nil, errors.New("truncated cmap directory")
		}
		pid, eid, off := be.Uint16(cmap[rec:]), be.Uint16(cmap[rec+2:]), int(be.Uint32(cmap[rec+4:]))
		if pid != 3 || off+2 > len(cmap) {
			continue
		}
		switch f := be.Uint16(cmap[off:]); {
		case eid == 1 && f == 4:
			fmt4 = cmap[off:]
		case eid == 10 && f == 12:
			fmt12 = cmap[off:]
		}
	}
	var out []rune
	switch {
	case fmt12 != nil:
		out, err = format12(fmt12)
	case fmt4 != nil:
		out, err = format4(fmt4)
	default:
		err = errors.New("no Windows Unicode cmap subtable (3,1 format 4 or 3,10 format 12)")
	}
	if err != nil {
		return nil, err
	}
	slices.Sort(out)
	return slices.Compact(out), nil
}

func table(ttf []byte, tag string) ([]byte, error) {
	be := binary.BigEndian
	if len(ttf) < 12 {
		return nil, errors.New("font too short")
	}
	for i := range int(be.Uint16(ttf[4:])) {
		rec := 12 + 16*i
		if rec+16 > len(ttf) {
			return nil, errors.New("truncated table directory")
		}
		if string(ttf[rec:rec+4]) != tag {
			continue
		}
		off, ln := int(be.Uint32(ttf[rec+8:])), int(be.Uint32(ttf[rec+12:]))
		if off < 0 || ln < 0 || off+ln > len(ttf) {
			return nil, fmt.Errorf("table %q out of range", tag)
		}
		return ttf[off : off+ln], nil
	}
	return nil, fmt.Errorf("no %q table", tag)
}

func format4(sub []byte) ([]rune, error) {
	be := binary.BigEndian
	if len(sub) < 14 {
		return nil, errors.New("truncated cmap format 4")
	}
	segX2 := int(be.Uint16(sub[6:]))
	endO, startO, deltaO, rangeO := 14, 16+segX2, 16+2*segX2, 16+3*segX2
	if rangeO+segX2 > len(sub) {
		return nil, errors.New("truncated cmap format 4")
	}
	var out []rune
	for i := range segX2 / 2 {
		end := int(be.Uint16(sub[endO+2*i:]))
		start := int(be.Uint16(sub[startO+2*i:]))
		delta := int(be.Uint16(sub[deltaO+2*i:]))
		ro := int(be.Uint16(sub[rangeO+2*i:]))
		for c := start; c <= end && c != 0xFFFF; c++ {
			var gid int
			if ro == 0 {
				gid = (c + delta) & 0xFFFF
			} else {
				p := rangeO + 2*i + ro + 2*(c-start)
				if p+2 > len(sub) {
					continue
				}
				if gid = int(be.Uint16(sub[p:])); gid != 0 {
					gid = (gid + delta) & 0xFFFF
				}
			}
			if gid != 0 {
				out = append(out, rune(c))
			}
		}
	}
	return out, nil
}

func format12(sub []byte) ([]rune, error) {
	be := binary.BigEndian
	if len(sub) < 16 {
		return nil, errors.New("truncated cmap format 12")
	}
	n := int(be.Uint32(sub[12:]))
	if n < 0 || 16+12*n > len(sub) {
		return nil, errors.New("truncated cmap format 12")
	}
	var out []rune
	for i := range n {
		g := sub[16+12*i:]
		lo, hi, gid := rune(be.Uint32(g)), rune(be.Uint32(g[4:])), be.Uint32(g[8:])
		if hi < lo || hi > 0x10FFFF {
			return nil, errors.New("bad cmap format 12 group")
		}
		for c := lo; c <= hi; c++ {
			if gid+uint32(c-lo) != 0 {
				out = append(out, c)
			}
		}
	}
	return out, nil
}

// Intersect keeps the code points present in every set (each sorted, without repeats).
func Intersect(sets ...[]rune) []rune {
	if len(sets) == 0 {
		return nil
	}
	out := slices.Clone(sets[0])
	for _, s := range sets[1:] {
		keep := out[:0]
		for _, r := range out {
			if _, ok := slices.BinarySearch(s, r); ok {
				keep = append(keep, r)
			}
		}
		out = keep
	}
	return out
}

// Ranges compresses sorted code points into inclusive ranges.
func Ranges(rs []rune) []Range {
	var out []Range
	for _, r := range rs {
		if n := len(out); n > 0 && out[n-1].Hi+1 == r {
			out[n-1].Hi = r
			continue
		}
		out = append(out, Range{r, r})
	}
	return out
}

// FromFiles reads fonts and returns the ranges of code points every one of them covers.
func FromFiles(read func(string) ([]byte, error), files ...string) ([]Range, error) {
	var sets [][]rune
	for _, f := range files {
		b, err := read(f)
		if err != nil {
			return nil, fmt.Errorf("read font: %w", err)
		}
		cov, err := Covered(b)
		if err != nil {
			return nil, fmt.Errorf("font %s: %w", f, err)
		}
		sets = append(sets, cov)
	}
	return Ranges(Intersect(sets...)), nil
}
