package pdfsign

import (
	"bytes"
	"context"
	"crypto/x509"
	"fmt"
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// toXrefStream rewrites a classic-xref PDF the way PDF 1.5+ writers do: all
// non-stream objects packed into a compressed object stream and a
// cross-reference stream with a PNG predictor. gofpdf only writes classic
// tables, and no converter (qpdf, mutool) is installed here.
func toXrefStream(t testing.TB, in []byte) []byte {
	t.Helper()
	doc, err := parseDocument(in)
	if err != nil {
		t.Fatal(err)
	}
	var nums []int
	for n, e := range doc.xref {
		if e.typ == 1 {
			nums = append(nums, n)
		}
	}
	slices.Sort(nums)
	var out bytes.Buffer
	out.WriteString("%PDF-1.5\n%\xe2\xe3\xcf\xd3\n")
	type loc struct {
		typ      byte
		off, idx int
	}
	locs := map[int]loc{}
	var hdr, body bytes.Buffer
	packed := 0
	objstm := doc.trailerSize()
	for _, n := range nums {
		o, err := doc.object(n)
		if err != nil {
			t.Fatal(err)
		}
		if s, ok := o.(*Stream); ok {
			locs[n] = loc{typ: 1, off: out.Len()}
			fmt.Fprintf(&out, "%d 0 obj\n", n)
			writeObject(&out, s)
			out.WriteString("\nendobj\n")
			continue
		}
		fmt.Fprintf(&hdr, "%d %d ", n, body.Len())
		writeObject(&body, o)
		body.WriteByte('\n')
		locs[n] = loc{typ: 2, off: objstm, idx: packed}
		packed++
	}
	locs[objstm] = loc{typ: 1, off: out.Len()}
	fmt.Fprintf(&out, "%d 0 obj\n", objstm)
	writeObject(&out, &Stream{Dict: Dict{"Type": Name("ObjStm"), "N": int64(packed), "First": int64(hdr.Len()), "Filter": Name("FlateDecode")},
		Data: deflate(append(hdr.Bytes(), body.Bytes()...))})
	out.WriteString("\nendobj\n")
	xnum := objstm + 1
	locs[xnum] = loc{typ: 1, off: out.Len()}
	size := xnum + 1
	const cols = 7 // W [1 4 2]
	var raw []byte
	prev := make([]byte, cols)
	for n := 0; n < size; n++ {
		row := make([]byte, cols)
		if l, ok := locs[n]; ok {
			row[0] = l.typ
			row[1], row[2], row[3], row[4] = byte(l.off>>24), byte(l.off>>16), byte(l.off>>8), byte(l.off)
			row[5], row[6] = byte(l.idx>>8), byte(l.idx)
		} else if n == 0 {
			row[5], row[6] = 0xff, 0xff
		}
		raw = append(raw, 2) // PNG "Up" filter
		for i := range row {
			raw = append(raw, row[i]-prev[i])
		}
		prev = row
	}
	xref := &Stream{Dict: Dict{
		"Type": Name("XRef"), "Size": int64(size), "W": Array{int64(1), int64(4), int64(2)},
		"Root": doc.trailer["Root"], "Info": doc.trailer["Info"],
		"Filter": Name("FlateDecode"), "DecodeParms": Dict{"Predictor": int64(12), "Columns": int64(cols)},
	}, Data: deflate(raw)}
	xoff := out.Len()
	fmt.Fprintf(&out, "%d 0 obj\n", xnum)
	writeObject(&out, xref)
	fmt.Fprintf(&out, "\nendobj\nstartxref\n%d\n%%%%EOF\n", xoff)
	return out.Bytes()
}

func (d *document) trailerSize() int {
	n, _ := d.trailer["Size"].(int64)
	return int(n)
}

func TestSignXrefStreamInput(t *testing.T) {
	s, ca, _ := testSigner(t)
	in := toXrefStream(t, makePDF(t, 2))
	doc, err := parseDocument(in)
	if err != nil {
		t.Fatal(err)
	}
	if !doc.xrefStream {
		t.Fatal("converted file does not use an xref stream")
	}
	// Sanity: poppler reads the converted input.
	txt, err := exec.Command(needTool(t, "pdftotext", "poppler-utils"), writeTemp(t, "xs.pdf", in), "-").CombinedOutput()
	if err != nil || !strings.Contains(string(txt), "trang 2") {
		t.Fatalf("pdftotext on converted input: %v\n%s", err, txt)
	}
	one, err := Sign(context.Background(), in, s, signerOpts(t))
	if err != nil {
		t.Fatal(err)
	}
	two, err := Sign(context.Background(), one, testSealSigner(t), sealOpts(t))
	if err != nil {
		t.Fatal(err)
	}
	file := writeTemp(t, "xs-signed.pdf", two)
	text, sigs := runPdfsig(t, file, nssDB(t, ca))
	if len(sigs) != 2 {
		t.Fatalf("pdfsig found %d signatures:\n%s", len(sigs), text)
	}
	for i, sg := range sigs {
		if sg.Valid != "Signature is Valid." || sg.Trust != "Certificate is Trusted." {
			t.Errorf("signature %d: %q / %q", i+1, sg.Valid, sg.Trust)
		}
	}
	txt, err = exec.Command(needTool(t, "pdftotext", "poppler-utils"), file, "-").CombinedOutput()
	if err != nil || !strings.Contains(string(txt), "trang 2") || !strings.Contains(string(txt), "Ký bởi: Nguyễn Thị Hồng Đào") {
		t.Errorf("pdftotext on signed xref-stream file: %v\n%s", err, txt)
	}
	roots := x509.NewCertPool()
	roots.AddCert(ca)
	infos, err := Verify(two, roots)
	if err != nil || len(infos) != 2 || !infos[0].Intact || !infos[1].Intact || !infos[1].Chained {
		t.Errorf("Verify: %v %+v", err, infos)
	}
}
