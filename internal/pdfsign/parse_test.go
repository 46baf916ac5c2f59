package pdfsign

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

func TestParseRealFiles(t *testing.T) {
	s, _, _ := testSigner(t)
	plain := makePDF(t, 3)
	signed, err := Sign(context.Background(), plain, s, Options{Time: signTime})
	if err != nil {
		t.Fatal(err)
	}
	for name, b := range map[string][]byte{
		"gofpdf": plain, "signed": signed, "xrefstream": toXrefStream(t, plain), "tiny": []byte(tinyPDF),
	} {
		doc, err := parseDocument(b)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		pages, err := doc.pages()
		want := 3
		if name == "tiny" {
			want = 1
		}
		if err != nil || len(pages) != want {
			t.Errorf("%s: %d pages, err %v; want %d", name, len(pages), err, want)
		}
	}
	// tiny has an indirect /Annots array: Sign must update that object.
	out, err := Sign(context.Background(), []byte(tinyPDF), s, Options{Time: signTime})
	if err != nil {
		t.Fatal(err)
	}
	doc, _ := parseDocument(out)
	annots, _ := doc.resolve(Ref{4, 0}).(Array)
	if len(annots) != 1 {
		t.Errorf("indirect /Annots not updated: %v", annots)
	}
}

func TestParseErrors(t *testing.T) {
	s, _, _ := testSigner(t)
	cases := map[string]string{
		"empty":        "",
		"no startxref": "%PDF-1.4\n1 0 obj<<>>endobj\n",
		"bad offset":   "%PDF-1.4\nstartxref\n999999\n%%EOF",
		"no root":      "%PDF-1.4\nxref\n0 1\n0000000000 65535 f \ntrailer<</Size 1>>\nstartxref\n9\n%%EOF",
		"encrypted":    "%PDF-1.4\nxref\n0 1\n0000000000 65535 f \ntrailer<</Size 1/Root 1 0 R/Encrypt<<>>>>\nstartxref\n9\n%%EOF",
		"prev loop":    "%PDF-1.4\nxref\n0 1\n0000000000 65535 f \ntrailer<</Size 1/Prev 9>>\nstartxref\n9\n%%EOF",
		"page cycle": "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[2 0 R]>>endobj\n" +
			"xref\n0 3\n0000000000 65535 f \n0000000009 00000 n \n0000000052 00000 n \ntrailer<</Size 3/Root 1 0 R>>\nstartxref\n93\n%%EOF",
	}
	for name, in := range cases {
		if _, err := Sign(context.Background(), []byte(in), s, Options{}); err == nil {
			t.Errorf("%s: Sign accepted invalid input", name)
		} else if !strings.HasPrefix(err.Error(), "pdfsign:") {
			t.Errorf("%s: error lacks context: %v", name, err)
		}
	}
}

func TestObjectRoundTrip(t *testing.T) {
	in := "<</A [1 -2 3.5 (x\\(y\\)\\101) <48 49> /N#23ame true null 7 0 R] /B <</C /D>>>>"
	l := &lexer{b: []byte(in)}
	o, err := l.parseObject(0)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	writeObject(&buf, o)
	l2 := &lexer{b: buf.Bytes()}
	o2, err := l2.parseObject(0)
	if err != nil {
		t.Fatalf("reparse %q: %v", buf.String(), err)
	}
	var buf2 bytes.Buffer
	writeObject(&buf2, o2)
	if buf.String() != buf2.String() {
		t.Errorf("round trip differs:\n%s\n%s", buf.String(), buf2.String())
	}
	a := o.(Dict)["A"].(Array)
	if string(a[3].(String)) != "x(y)A" || string(a[4].(String)) != "HI" || a[5] != Name("N#ame") || a[8] != (Ref{7, 0}) {
		t.Errorf("parsed %#v", a)
	}
	if got := decodeTextString(textString("Nguyễn Thị Hồng Đào 𝄞")); got != "Nguyễn Thị Hồng Đào 𝄞" {
		t.Errorf("text string round trip: %q", got)
	}
}
