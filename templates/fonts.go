package templates

import (
	"embed"
	"encoding/binary"
	"fmt"
	"sync"
)

// The four Liberation Serif 2.x faces (metric-compatible with Times New Roman,
// full Vietnamese coverage; Liberation 1.x lacks the Vietnamese glyphs). Licence:
// fonts/OFL.txt.
//
//go:embed fonts/LiberationSerif-Regular.ttf fonts/LiberationSerif-Bold.ttf fonts/LiberationSerif-Italic.ttf fonts/LiberationSerif-BoldItalic.ttf fonts/OFL.txt
var fontFS embed.FS

// FontLicense returns the SIL Open Font License text shipped with the embedded
// fonts, so a binary that redistributes them can also show the licence.
func FontLicense() string {
	b, _ := fontFS.ReadFile("fonts/OFL.txt")
	return string(b)
}

type style uint8

const (
	regular style = iota
	bold
	italic
	boldItalic
	numStyles
)

var styleFiles = [numStyles]string{
	"fonts/LiberationSerif-Regular.ttf",
	"fonts/LiberationSerif-Bold.ttf",
	"fonts/LiberationSerif-Italic.ttf",
	"fonts/LiberationSerif-BoldItalic.ttf",
}

// gofpdf style strings and the PostScript names the subset fonts get in the PDF.
var (
	styleGofpdf = [numStyles]string{"", "B", "I", "BI"}
	stylePSName = [numStyles]string{"LiberationSerif", "LiberationSerif-Bold", "LiberationSerif-Italic", "LiberationSerif-BoldItalic"}
)

const fontFamily = "LiberationSerif"

// face holds what this package needs from one TrueType file, parsed once per
// process: the raw bytes (gofpdf re-parses a private copy per document, see
// writer.useStyle) and advance widths per BMP rune for layout.
type face struct {
	raw     []byte
	adv     []uint16 // advance width in 1/1000 em, indexed by rune (BMP)
	covered []uint64 // bitset: rune has a glyph in the cmap
}

// width of s in mm at size pt.
func (f *face) width(s string, size float64) float64 {
	var units int
	for _, r := range s {
		if r >= 0 && r <= 0xFFFF {
			units += int(f.adv[r])
		}
	}
	return float64(units) * size / 1000 * mmPerPt
}

var (
	facesOnce sync.Once
	faces     [numStyles]*face
	facesErr  error

	commonCoverage []uint64
)

func covered(r rune) bool {
	return r >= 0 && r <= 0xFFFF && commonCoverage[r>>6]&(1<<(uint(r)&63)) != 0
}

func loadFaces() ([numStyles]*face, error) {
	facesOnce.Do(func() {
		for st := range numStyles {
			raw, err := fontFS.ReadFile(styleFiles[st])
			if err != nil {
				facesErr = fmt.Errorf("read embedded font %s: %w", styleFiles[st], err)
				return
			}
			f, err := parseFace(raw)
			if err != nil {
				facesErr = fmt.Errorf("parse embedded font %s: %w", styleFiles[st], err)
				return
			}
			faces[st] = f
		}
		// A rune is usable only if every face has it: a name must not lose its
		// accent just because it is printed in bold.
		commonCoverage = make([]uint64, len(faces[0].covered))
		for i := range commonCoverage {
			commonCoverage[i] = faces[0].covered[i] & faces[1].covered[i] & faces[2].covered[i] & faces[3].covered[i]
		}
	})
	return faces, facesErr
}

// parseFace reads the head, hhea, hmtx and cmap tables. It is deliberately
// minimal: enough to measure text and to know which runes the font covers, so
// that text gofpdf would draw as empty boxes (or, past U+FFFF, crash on) is
// rejected before rendering.
func parseFace(raw []byte) (*face, error) {
	if len(raw) < 12 {
		return nil, fmt.Errorf("font too short")
	}
	be := binary.BigEndian
	tables := map[string][]byte{}
	n := int(be.Uint16(raw[4:]))
	for i := range n {
		rec := 12 + 16*i
		if rec+16 > len(raw) {
			return nil, fmt.Errorf("truncated table directory")
		}
		tag := string(raw[rec : rec+4])
		off, ln := int(be.Uint32(raw[rec+8:])), int(be.Uint32(raw[rec+12:]))
		if off < 0 || ln < 0 || off+ln > len(raw) {
			return nil, fmt.Errorf("table %q out of range", tag)
		}
		tables[tag] = raw[off : off+ln]
	}
	head, hhea, hmtx, cmap := tables["head"], tables["hhea"], tables["hmtx"], tables["cmap"]
	if len(head) < 54 || len(hhea) < 36 || hmtx == nil || len(cmap) < 4 {
		return nil, fmt.Errorf("missing or short head/hhea/hmtx/cmap table")
	}
	unitsPerEm := int(be.Uint16(head[18:]))
	numHMetrics := int(be.Uint16(hhea[34:]))
	if unitsPerEm == 0 || numHMetrics == 0 || len(hmtx) < 4*numHMetrics {
		return nil, fmt.Errorf("bad metrics header")
	}
	glyphAdv := func(gid int) uint16 {
		if gid >= numHMetrics {
			gid = numHMetrics - 1
		}
		a := int(be.Uint16(hmtx[4*gid:]))
		return uint16((a*1000 + unitsPerEm/2) / unitsPerEm)
	}

	f := &face{raw: raw, adv: make([]uint16, 0x10000), covered: make([]uint64, 0x10000/64)}
	set := func(r rune, gid int) {
		if r < 0 || r > 0xFFFF || gid == 0 {
			return
		}
		f.adv[r] = glyphAdv(gid)
		f.covered[r>>6] |= 1 << (uint(r) & 63)
	}

	// Pick the Windows Unicode BMP subtable (3,1) format 4; Liberation has it.
	nsub := int(be.Uint16(cmap[2:]))
	var sub []byte
	for i := range nsub {
		rec := 4 + 8*i
		if rec+8 > len(cmap) {
			break
		}
		pid, eid, off := be.Uint16(cmap[rec:]), be.Uint16(cmap[rec+2:]), int(be.Uint32(cmap[rec+4:]))
		if pid == 3 && eid == 1 && off+14 <= len(cmap) && be.Uint16(cmap[off:]) == 4 {
			sub = cmap[off:]
			break
		}
	}
	if sub == nil {
		return nil, fmt.Errorf("no (3,1) format 4 cmap subtable")
	}
	segX2 := int(be.Uint16(sub[6:]))
	seg := segX2 / 2
	endO, startO, deltaO, rangeO := 14, 16+segX2, 16+2*segX2, 16+3*segX2
	if rangeO+segX2 > len(sub) {
		return nil, fmt.Errorf("truncated cmap format 4")
	}
	for i := range seg {
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
				gid = int(be.Uint16(sub[p:]))
				if gid != 0 {
					gid = (gid + delta) & 0xFFFF
				}
			}
			set(rune(c), gid)
		}
	}
	return f, nil
}
