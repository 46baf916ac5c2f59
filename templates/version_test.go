package templates

import (
	"bytes"
	"strings"
	"testing"
)

// Every document templates produces declares PDF 1.7 (ISO 32000-1): the
// signatures pdfsign adds (ETSI.CAdES.detached, Type0 fonts, soft masks) are
// PDF 1.7 features, and NĐ30 asks for PDF 1.4 or later. The header is
// followed by the binary-marker comment (ISO 32000-1 §7.5.2) so that transfer
// tools treat the file as binary.
func TestPDFVersion17(t *testing.T) {
	docs := map[string][]byte{}
	for _, p := range []Profile{ProfileHD36, ProfileND30} {
		docs[string(p)+" decision"] = render(t, sampleDecision(p, 3)).PDF
		docs[string(p)+" submission"] = renderSub(t, sampleSubmission(p, 3)).PDF
		m, err := RenderMinutes(sampleMinutes(p, 3), RenderOptions{CreationDate: fixedCreation})
		if err != nil {
			t.Fatal(err)
		}
		docs[string(p)+" minutes"] = m.PDF
	}
	for name, pdf := range docs {
		if !bytes.HasPrefix(pdf, []byte("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")) {
			t.Errorf("%s: header %q, want %%PDF-1.7 and a binary marker", name, pdf[:min(len(pdf), 16)])
		}
		info := runTool(t, "pdfinfo", writeTemp(t, pdf))
		if !strings.Contains(info, "PDF version:     1.7") {
			t.Errorf("%s: pdfinfo does not report 1.7:\n%s", name, info)
		}
	}
}
