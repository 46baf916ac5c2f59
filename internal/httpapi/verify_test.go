package httpapi

import (
	"bytes"
	"context"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"

	"github.com/awardflow/awardflow/activities"
	"github.com/awardflow/awardflow/internal/award"
	"github.com/awardflow/awardflow/internal/pdfsign"
	"github.com/awardflow/awardflow/internal/store"
	"github.com/awardflow/awardflow/internal/testenv"
	"github.com/awardflow/awardflow/workflows"
)

// noSessions is a Temporal client whose visibility holds no session, so the verify
// report's "issued" lookup finds nothing (the whole path runs in internal/e2e).
type noSessions struct{ client.Client }

func (noSessions) ListWorkflow(context.Context, *workflowservice.ListWorkflowExecutionsRequest) (*workflowservice.ListWorkflowExecutionsResponse, error) {
	return &workflowservice.ListWorkflowExecutionsResponse{}, nil
}

// signedDecision is a decision rendered and signed by the activities' code (the
// director's signature, then the agency seal) with a fresh dev CA.
func signedDecision(t *testing.T) ([]byte, *x509.CertPool) {
	t.Helper()
	s, _ := newTestServer(t)
	pki := filepath.Join(t.TempDir(), "pki")
	signer, ca, err := pdfsign.EnsureDevCA(pki, mustOrg(t, s).Agency.FullName)
	if err != nil {
		t.Fatal(err)
	}
	seal, err := pdfsign.EnsureDevSigner(pki, "seal", "Dấu cơ quan (thử)", mustOrg(t, s).Agency.FullName)
	if err != nil {
		t.Fatal(err)
	}
	a := &activities.Activities{Org: mustOrg(t, s), Signer: signer, Seal: &seal, Log: slog.New(slog.DiscardHandler)}
	req := workflows.DecisionRequest{ID: "session-t.LDTT", SessionID: "session-t", AwardType: "LDTT", Number: 3, Year: time.Now().Year(), Date: time.Now(),
		Awardees: []award.AgendaItem{{ProposalID: "proposal-1", NomineeName: "Trần Thị Ánh", Position: "Chuyên viên", Department: "vp",
			Kind: award.KindIndividual, AwardType: "LDTT", MovementID: "vanhoa-2025"}}}
	pdf, _, err := a.SignedDecision(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	roots := x509.NewCertPool()
	roots.AddCert(ca)
	return pdf, roots
}

func verifyOver(t *testing.T, h http.Handler, pdf []byte) VerifyReport {
	t.Helper()
	rec := call(h, "POST", "/api/v1/verify", "", string(pdf), "Content-Type", "application/pdf")
	if rec.Code != http.StatusOK {
		t.Fatalf("verify: %d %s", rec.Code, rec.Body)
	}
	var rep VerifyReport
	if err := json.Unmarshal(rec.Body.Bytes(), &rep); err != nil {
		t.Fatal(err)
	}
	return rep
}

// TestVerifyReportsAnEditAfterTheLastSignature: POST /api/v1/verify of a decision with an
// unsigned incremental update appended after the seal is not all_valid, though both
// signatures are intact and trusted; each says it does not cover the file, in
// Vietnamese first. (Minutes, with three signatures: internal/e2e.)
func TestVerifyReportsAnEditAfterTheLastSignature(t *testing.T) {
	pdf, roots := signedDecision(t)
	s, _ := newTestServer(t)
	s.TrustedCAs, s.Temporal = roots, noSessions{}
	h := s.Handler()

	rep := verifyOver(t, h, pdf)
	if !rep.AllValid || len(rep.Signatures) != 2 || rep.Signatures[0].Coverage != "later_signature" || rep.Signatures[1].Coverage != "whole_file" {
		t.Fatalf("as signed: %+v", rep)
	}
	for _, edit := range []struct {
		name string
		pdf  func() []byte
	}{
		{"new /Title", func() []byte {
			b, err := testenv.AppendInfoUpdate(pdf, "Quyết định đã sửa")
			if err != nil {
				t.Fatal(err)
			}
			return b
		}},
		{"bytes after %%EOF", func() []byte { return append(bytes.Clone(pdf), "x"...) }},
	} {
		rep := verifyOver(t, h, edit.pdf())
		if rep.AllValid || !strings.Contains(rep.Summary, "sửa đổi sau khi ký") || !strings.Contains(rep.SummaryEN, "changed after signing") {
			t.Errorf("%s: %+v", edit.name, rep)
		}
		for i, sg := range rep.Signatures {
			if !sg.Intact || !sg.Trusted || sg.CoversWholeFile || sg.Coverage != "unsigned_changes" || sg.UnsignedBytes <= 0 ||
				!strings.HasPrefix(sg.Error, "Tệp đã bị sửa đổi sau khi ký") || !strings.HasPrefix(sg.ErrorEN, "the file was changed after signing") ||
				len(sg.Problems) != 1 || sg.Problems[0].Code != pdfsign.ProblemUnsignedChanges {
				t.Errorf("%s: signature %d: %+v", edit.name, i+1, sg)
			}
		}
	}
	// A trailing newline is tolerated (documented in pdfsign.Coverage).
	if rep := verifyOver(t, h, append(bytes.Clone(pdf), '\n')); !rep.AllValid {
		t.Errorf("trailing newline: %+v", rep)
	}
	// Problems are a list, never null.
	rec := call(h, "POST", "/api/v1/verify", "", string(pdf))
	if !bytes.Contains(rec.Body.Bytes(), []byte(`"problems":[]`)) {
		t.Errorf("problems not an empty list: %s", rec.Body)
	}
}

// countingReader fails the test if the handler reads a body it should refuse unread.
type countingReader struct{ n int }

func (c *countingReader) Read(p []byte) (int, error) {
	c.n += len(p)
	for i := range p {
		p[i] = 'x'
	}
	return len(p), nil
}

// TestVerifyBodyIsCapped: a body larger than maxVerify is refused with 413 too_large,
// unread when its declared length says so, cut off at the cap when it does not; a body
// of exactly the cap goes through to the PDF reader.
func TestVerifyBodyIsCapped(t *testing.T) {
	s, h := newTestServer(t)
	s.Temporal = noSessions{}
	if maxVerify > 16<<20 || maxVerify < 1<<20 {
		t.Fatalf("maxVerify = %d", maxVerify)
	}
	// Declared too large: refused before reading.
	cr := &countingReader{}
	req := httptest.NewRequest("POST", "/api/v1/verify", io.LimitReader(cr, maxVerify+1))
	req.ContentLength = maxVerify + 1
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusRequestEntityTooLarge || errorOf(t, rec).Code != award.CodeTooLarge || cr.n != 0 {
		t.Fatalf("declared %d bytes: %d %s (read %d bytes)", maxVerify+1, rec.Code, rec.Body, cr.n)
	}
	if e := errorOf(t, rec); !strings.Contains(e.VI, fmt.Sprint(maxVerify>>20)) {
		t.Errorf("message does not name the cap: %+v", e)
	}
	// Unknown length (chunked): cut off after the cap.
	body := io.MultiReader(strings.NewReader("%PDF-1.7\n"), io.LimitReader(&countingReader{}, maxVerify))
	req = httptest.NewRequest("POST", "/api/v1/verify", body)
	req.ContentLength = -1
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusRequestEntityTooLarge || errorOf(t, rec).Code != award.CodeTooLarge {
		t.Fatalf("chunked %d bytes: %d %s", maxVerify+9, rec.Code, rec.Body)
	}
	// Exactly the cap: read, and refused only as an unreadable PDF.
	body = io.MultiReader(strings.NewReader("%PDF-1.7\n"), io.LimitReader(&countingReader{}, maxVerify-9))
	req = httptest.NewRequest("POST", "/api/v1/verify", body)
	req.ContentLength = -1
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusUnprocessableEntity {
		t.Fatalf("exactly %d bytes: %d %s", maxVerify, rec.Code, rec.Body)
	}
	// The page states the same cap.
	rec = call(h, "GET", "/js/pages/verify.js", "", "")
	if want := fmt.Sprintf("Tối đa %d MB", maxVerify>>20); !strings.Contains(rec.Body.String(), want) {
		t.Errorf("verify page does not say %q", want)
	}
}

// TestVerifyConcurrencyIsBounded fills every verification slot with requests whose
// bodies the test holds open (io.Pipe: a Write returns only once the handler has read
// it, and the handler reads only after taking a slot), so the next request finds the
// gate full without any timing: 503 unavailable with Retry-After and a Vietnamese
// message. Freeing one slot lets the next request through.
func TestVerifyConcurrencyIsBounded(t *testing.T) {
	s, h := newTestServer(t)
	slots := cap(s.verifySem)
	if slots < 1 || slots > 16 {
		t.Fatalf("%d verification slots", slots)
	}
	type held struct {
		pw   *io.PipeWriter
		rec  *httptest.ResponseRecorder
		done chan struct{}
	}
	var hold []held
	for range slots {
		pr, pw := io.Pipe()
		req := httptest.NewRequest("POST", "/api/v1/verify", pr)
		req.ContentLength = -1
		hd := held{pw: pw, rec: httptest.NewRecorder(), done: make(chan struct{})}
		go func() {
			defer close(hd.done)
			h.ServeHTTP(hd.rec, req)
		}()
		if _, err := pw.Write([]byte("%PDF-1.7\n")); err != nil {
			t.Fatal(err)
		}
		hold = append(hold, hd)
	}
	t.Cleanup(func() {
		for _, hd := range hold {
			hd.pw.CloseWithError(errors.New("test over"))
			<-hd.done
		}
	})

	for range 3 {
		rec := call(h, "POST", "/api/v1/verify", "", "%PDF-1.7\n")
		e := errorOf(t, rec)
		if rec.Code != http.StatusServiceUnavailable || e.Code != award.CodeUnavailable || rec.Header().Get("Retry-After") == "" ||
			e.RetryAfter <= 0 || fmt.Sprint(e.RetryAfter) != rec.Header().Get("Retry-After") || !strings.Contains(e.VI, "thử lại") {
			t.Fatalf("gate full: %d %v %s", rec.Code, rec.Header(), rec.Body)
		}
	}

	// A client that gives up frees its slot.
	hold[0].pw.CloseWithError(errors.New("client gone"))
	<-hold[0].done
	if hold[0].rec.Code != http.StatusBadRequest {
		t.Errorf("aborted upload: %d %s", hold[0].rec.Code, hold[0].rec.Body)
	}
	hold = hold[1:]
	if rec := call(h, "POST", "/api/v1/verify", "", "hello"); rec.Code != http.StatusUnsupportedMediaType {
		t.Fatalf("after a slot was freed: %d %s", rec.Code, rec.Body)
	}
}

// TestVerifyNamesTheSignerFromTheCertificate: a decision whose signature dictionary and
// appearance name the configured signer (Nguyễn Văn Hùng) but which was signed with Lê
// Thị B's certificate is reported as signed by Lê Thị B: the signer comes from the
// certificate, the /Name is only the claim beside it.
func TestVerifyNamesTheSignerFromTheCertificate(t *testing.T) {
	s, _ := newTestServer(t)
	pki := filepath.Join(t.TempDir(), "pki")
	_, ca, err := pdfsign.EnsureDevCA(pki, mustOrg(t, s).Agency.FullName)
	if err != nil {
		t.Fatal(err)
	}
	other, err := pdfsign.EnsureDevSigner(pki, "b", "Lê Thị B", mustOrg(t, s).Agency.FullName)
	if err != nil {
		t.Fatal(err)
	}
	a := &activities.Activities{Org: s.Org, Signer: other, Log: slog.New(slog.DiscardHandler)}
	req := workflows.DecisionRequest{ID: "session-t.LDTT", SessionID: "session-t", AwardType: "LDTT", Number: 3, Year: time.Now().Year(), Date: time.Now(),
		Awardees: []award.AgendaItem{{ProposalID: "proposal-1", NomineeName: "Trần Thị Ánh", Position: "Chuyên viên", Department: "vp",
			Kind: award.KindIndividual, AwardType: "LDTT", MovementID: "vanhoa-2025"}}}
	pdf, _, err := a.SignedDecision(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	roots := x509.NewCertPool()
	roots.AddCert(ca)
	s.TrustedCAs, s.Temporal = roots, noSessions{}
	head, _ := mustOrg(t, s).Person(mustOrg(t, s).Agency.Decision.Signer)
	rep := verifyOver(t, s.Handler(), pdf)
	if len(rep.Signatures) != 1 {
		t.Fatalf("%+v", rep)
	}
	sg := rep.Signatures[0]
	want := "Lê Thị B (" + mustOrg(t, s).Agency.FullName + ")"
	if sg.Signer != want || sg.SignerName != "Lê Thị B" || sg.SignerOrganization != mustOrg(t, s).Agency.FullName || sg.ClaimedName != head.Name || !sg.Trusted {
		t.Errorf("signer %q name %q org %q claimed %q trusted %v; want %q, claimed %q", sg.Signer, sg.SignerName, sg.SignerOrganization, sg.ClaimedName, sg.Trusted, want, head.Name)
	}
	if sg.Subject != "CN=Lê Thị B, O="+mustOrg(t, s).Agency.FullName+", C=VN" {
		t.Errorf("subject %q", sg.Subject)
	}
	if strings.Contains(sg.Signer, head.Name) || strings.Contains(sg.Subject, head.Name) {
		t.Errorf("the claimed name reaches the signer: %+v", sg)
	}
}

// TestIssuedKindLabel: the verify answer names every kind of the register in words
// (the pages show it beside a document and keep no table of their own); a decision that
// revokes another is named a revocation decision.
func TestIssuedKindLabel(t *testing.T) {
	for _, tc := range []struct{ kind, revokes, want string }{
		{store.KindDecision, "", "Quyết định khen thưởng"},
		{store.KindDecision, "doc-1", "Quyết định huỷ bỏ quyết định khen thưởng"},
		{store.KindSubmission, "", "Tờ trình đề nghị cấp trên"},
		{store.KindMinutes, "", "Biên bản họp và kiểm phiếu"},
		{store.KindCouncilSubmission, "", "Tờ trình của Hội đồng"},
	} {
		if got := issuedKindLabel(tc.kind, tc.revokes); got != tc.want {
			t.Errorf("issuedKindLabel(%q, %q) = %q, want %q", tc.kind, tc.revokes, got, tc.want)
		}
	}
}
