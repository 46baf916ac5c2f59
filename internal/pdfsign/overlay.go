package pdfsign

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"math"
	"strconv"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// TextOverlay is one line of text to add to a page of an existing PDF: the
// văn thư's number and issue date on a document the signer has already
// signed.
type TextOverlay struct {
	Page int // 1-based
	// X and Baseline place the text in the page's default user space (PDF
	// points, origin bottom-left). With Width > 0 the text is centred between
	// X and X+Width (or starts at X with AlignLeft), and text wider than Width
	// is an error.
	X, Baseline, Width float64
	Align              Align
	Size               float64 // font size, points
	Font               []byte  // TrueType font; only the glyphs used are embedded
	Text               string  // one line; NFC-normalised before use
}

// Align says where a TextOverlay's text sits within its Width.
type Align uint8

const (
	AlignCenter Align = iota // centred between X and X+Width
	AlignLeft                // starting at X
)

// AddText returns pdf with the overlays drawn on their pages, as an
// incremental update: the input bytes are kept as they are and the update is
// appended after them, so signatures already in the file stay valid (they
// cover their own revision; a later signature, the agency's seal, then
// covers the update). Each page drawn on gets a new version of its page
// dictionary whose /Contents wraps the old content in q … Q and appends one
// new content stream, and whose /Resources (a copy of the inherited or
// shared ones) adds subset Type0 fonts with ToUnicode maps, so that the text
// renders and extracts as written.
//
// Nothing is written when any overlay is invalid: a page out of range, text
// the font has no glyph for, text wider than its Width or outside the page,
// an unusable font, an encrypted or unreadable PDF.
func AddText(ctx context.Context, pdf []byte, overlays []TextOverlay) ([]byte, error) {
	if len(overlays) == 0 {
		return nil, errors.New("pdfsign: add text: no overlays")
	}
	doc, err := parseDocument(pdf)
	if err != nil {
		return nil, fmt.Errorf("pdfsign: add text: %w", err)
	}
	if _, enc := doc.trailer["Encrypt"]; enc {
		return nil, errors.New("pdfsign: add text: encrypted PDFs are not supported")
	}
	pages, err := doc.pages()
	if err != nil {
		return nil, fmt.Errorf("pdfsign: add text: %w", err)
	}

	type fontUse struct {
		f    *ttfFont
		used map[uint16]rune
		ref  Ref
	}
	type placed struct {
		font    [32]byte
		gids    []uint16
		x, y, s float64
	}
	fonts := map[[32]byte]*fontUse{}
	var fontOrder [][32]byte
	byPage := map[int][]placed{}
	var pageOrder []int
	for i, o := range overlays {
		fail := func(format string, args ...any) error {
			return fmt.Errorf("pdfsign: add text: overlay %d (%q): %s", i+1, o.Text, fmt.Sprintf(format, args...))
		}
		if o.Page < 1 || o.Page > len(pages) {
			return nil, fail("page %d out of range 1..%d", o.Page, len(pages))
		}
		if !finite(o.X, o.Baseline, o.Width, o.Size) || o.Size <= 0 || o.Size > 1000 || o.Width < 0 || o.Align > AlignLeft {
			return nil, fail("bad geometry x=%v baseline=%v width=%v size=%v", o.X, o.Baseline, o.Width, o.Size)
		}
		text := norm.NFC.String(o.Text)
		if text == "" {
			return nil, fail("empty text")
		}
		for _, r := range text {
			if unicode.IsControl(r) || r == unicode.ReplacementChar {
				return nil, fail("control or invalid character %U", r)
			}
		}
		if len(o.Font) == 0 {
			return nil, fail("no font")
		}
		f, err := loadFont(o.Font)
		if err != nil {
			return nil, fail("%v", err)
		}
		gids, err := f.glyphs(text)
		if err != nil {
			return nil, fail("%v", err)
		}
		tw := f.width(gids) * o.Size / 1000
		x := o.X
		if o.Width > 0 {
			if tw > o.Width+1e-6 {
				return nil, fail("text is %.2f pt wide, wider than its %.2f pt slot", tw, o.Width)
			}
			if o.Align == AlignCenter {
				x += (o.Width - tw) / 2
			}
		}
		// The text's box must lie on the page, or it would be added unseen.
		box := doc.pageBox(pages[o.Page-1])
		asc, desc := float64(f.ascent)/float64(f.unitsPerEm)*o.Size, float64(f.descent)/float64(f.unitsPerEm)*o.Size
		if x < box[0]-1e-6 || x+tw > box[2]+1e-6 || o.Baseline+desc < box[1]-1e-6 || o.Baseline+asc > box[3]+1e-6 {
			return nil, fail("text box [%.1f %.1f %.1f %.1f] lies outside the page %v", x, o.Baseline+desc, x+tw, o.Baseline+asc, box)
		}
		key := sha256.Sum256(o.Font)
		fu := fonts[key]
		if fu == nil {
			fu = &fontUse{f: f, used: map[uint16]rune{}}
			fonts[key] = fu
			fontOrder = append(fontOrder, key)
		}
		j := 0
		for _, r := range text {
			if _, ok := fu.used[gids[j]]; !ok {
				fu.used[gids[j]] = r
			}
			j++
		}
		if _, ok := byPage[o.Page]; !ok {
			pageOrder = append(pageOrder, o.Page)
		}
		byPage[o.Page] = append(byPage[o.Page], placed{key, gids, x, o.Baseline, o.Size})
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("pdfsign: add text: %w", err)
	}

	w := newWriter(doc)
	for _, k := range fontOrder {
		fonts[k].ref = embedType0(w, fonts[k].f, fonts[k].used)
	}
	// One "q" stream serves every page: it only saves the graphics state, so
	// that whatever state the page's own content leaves behind is undone by
	// the "Q" that starts the added stream.
	var saveRef Ref
	for _, pn := range pageOrder {
		pageRef := pages[pn-1]
		page := w.dict(pageRef)
		if page == nil {
			return nil, fmt.Errorf("pdfsign: add text: page %d is not a dictionary", pn)
		}
		res := copyDict(doc.dict(doc.inherited(pageRef, "Resources")))
		if res == nil {
			res = Dict{}
		}
		fontRes := copyDict(doc.dict(res["Font"]))
		if fontRes == nil {
			fontRes = Dict{}
		}
		names := map[[32]byte]Name{}
		var content bytes.Buffer
		content.WriteString("Q\n")
		for _, pl := range byPage[pn] {
			name, ok := names[pl.font]
			if !ok {
				for n := 1; ; n++ {
					name = Name("AFT" + strconv.Itoa(n))
					if _, taken := fontRes[name]; !taken {
						break
					}
				}
				fontRes[name] = fonts[pl.font].ref
				names[pl.font] = name
			}
			content.WriteString("q 0 g BT 0 Tr 0 Tc 0 Tw 100 Tz 0 Ts ")
			writeName(&content, name)
			fmt.Fprintf(&content, " %s Tf 1 0 0 1 %s %s Tm <", formatReal(pl.s), formatReal(pl.x), formatReal(pl.y))
			for _, g := range pl.gids {
				fmt.Fprintf(&content, "%04X", g)
			}
			content.WriteString("> Tj ET Q\n")
		}
		res["Font"] = fontRes
		page["Resources"] = res

		var old Array
		switch c := page["Contents"].(type) {
		case Ref:
			if arr, ok := w.resolve(c).(Array); ok {
				old = arr
			} else {
				old = Array{c}
			}
		case Array:
			old = c
		}
		if saveRef.Num == 0 {
			saveRef = Ref{w.alloc(), 0}
			w.put(saveRef, &Stream{Dict: Dict{}, Data: []byte("q\n")})
		}
		added := Ref{w.alloc(), 0}
		w.put(added, &Stream{Dict: Dict{"Filter": Name("FlateDecode")}, Data: deflate(content.Bytes())})
		contents := Array{saveRef}
		contents = append(contents, old...)
		page["Contents"] = append(contents, added)
		w.put(pageRef, page)
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("pdfsign: add text: %w", err)
	}
	out, _ := w.finish(pdf)
	return out, nil
}

func finite(vs ...float64) bool {
	for _, v := range vs {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return false
		}
	}
	return true
}

// inherited returns a page's own value for an inheritable key (ISO 32000-1
// §7.7.3.4: Resources, MediaBox, CropBox, Rotate) or its nearest ancestor's.
func (d *document) inherited(page Ref, key Name) Object {
	var node Object = page
	for range maxDepth {
		n := d.dict(node)
		if n == nil {
			return nil
		}
		if v, ok := n[key]; ok {
			return v
		}
		node = n["Parent"]
	}
	return nil
}

// pageBox is the page's MediaBox (llx, lly, urx, ury), A4 when missing or
// malformed.
func (d *document) pageBox(page Ref) [4]float64 {
	box := [4]float64{0, 0, 595.28, 841.89}
	arr, ok := d.resolve(d.inherited(page, "MediaBox")).(Array)
	if !ok || len(arr) != 4 {
		return box
	}
	var v [4]float64
	for i, e := range arr {
		switch n := d.resolve(e).(type) {
		case int64:
			v[i] = float64(n)
		case float64:
			v[i] = n
		default:
			return box
		}
	}
	return [4]float64{min(v[0], v[2]), min(v[1], v[3]), max(v[0], v[2]), max(v[1], v[3])}
}
