package httpapi

import (
	"archive/zip"
	"context"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/awardflow/awardflow/internal/award"
	"github.com/awardflow/awardflow/internal/pdfsign"
	"github.com/awardflow/awardflow/internal/store"
	"github.com/awardflow/awardflow/workflows"
)

// maxVerify caps a PDF handed in for verification. The endpoint is public and a PDF
// must be read whole (the cross-reference table is at its end), so the cap bounds the
// memory one request can take. The largest document the service issues is a decision
// with a long annex: 300 awardees with 200-character names and positions sign to 214 kB,
// 1000 to 452 kB (measured with the dev signature and seal images).
// 10 MiB leaves a margin of more than 20 times for that, and room for large signature
// and seal images, drawn in each signature's appearance.
const maxVerify = 10 << 20

// verifySlots is how many verifications may run at once (reading the body included):
// with maxVerify, at most about verifySlots × 3 × 10 MiB of memory (the body, the
// parser's copies). The rest get 503 with Retry-After: verification takes milliseconds,
// so a slot frees quickly unless a client uploads slowly, which verifyReadTimeout bounds.
const (
	verifySlots       = 4
	verifyRetryAfter  = 2 // seconds
	verifyReadTimeout = 60 * time.Second
)

// SignatureReport is one signature of a verified PDF.
type SignatureReport struct {
	Field string `json:"field"`
	// Signer names the signer from the certificate (common name, title, organisation),
	// never from the signature dictionary's /Name; SignerName, SignerTitle and
	// SignerOrganization are its parts.
	Signer             string `json:"signer"`
	SignerName         string `json:"signer_name,omitempty"`
	SignerTitle        string `json:"signer_title,omitempty"`
	SignerOrganization string `json:"signer_organization,omitempty"`
	// ClaimedName is the /Name the signing software wrote: vouched for by nothing.
	ClaimedName string    `json:"claimed_name,omitempty"`
	Subject     string    `json:"subject,omitempty"`
	SigningTime time.Time `json:"signing_time,omitzero"`
	SubFilter   string    `json:"sub_filter"`
	Intact      bool      `json:"intact"`
	// CoversWholeFile: the signed byte ranges reach the end of the file (pdfsig's
	// "Total document signed"); false for the signer's signature under the seal's.
	CoversWholeFile bool `json:"covers_whole_file"`
	// Coverage: whole_file, later_signature (every byte after it is covered by a
	// later valid signature) or unsigned_changes (the file was changed after signing).
	Coverage      string `json:"coverage"`
	CoverageLabel string `json:"coverage_label"` // Vietnamese
	UnsignedBytes int64  `json:"unsigned_bytes,omitempty"`
	Trusted       bool   `json:"trusted"`
	// Error and ErrorEN join the problems' messages (Vietnamese, English).
	Error    string            `json:"error,omitempty"`
	ErrorEN  string            `json:"error_en,omitempty"`
	Problems []pdfsign.Problem `json:"problems"`
}

// IssuedDocument says which session issued a document with this exact SHA-256.
type IssuedDocument struct {
	SessionID  string `json:"session_id"`
	DocumentID string `json:"document_id"`
	Kind       string `json:"kind"` // decision | submission | minutes | council_submission
	// KindLabel names the kind in words ("Quyết định khen thưởng", "Biên bản họp và
	// kiểm phiếu", "Quyết định huỷ bỏ quyết định khen thưởng" for a revocation).
	KindLabel  string `json:"kind_label"`
	NumberText string `json:"number_text"`
	IssuedAt   string `json:"issued_at,omitempty"` // from the award register
	// Revoked: the register marks the document revoked (thu hồi); it stays genuine.
	Revoked       bool   `json:"revoked,omitempty"`
	RevokedReason string `json:"revoked_reason,omitempty"`
	// RevokedAwards of Awards were revoked by revocation decisions (Điều 93).
	RevokedAwards int `json:"revoked_awards,omitempty"`
	Awards        int `json:"awards,omitempty"`
	// Revokes is set when the document is itself a revocation decision: the decision it revokes.
	Revokes string `json:"revokes,omitempty"`
	// RevokesNumber is the register number of the decision it revokes ("Số 01-QĐ/BTGTU").
	RevokesNumber string `json:"revokes_number,omitempty"`
}

// issuedKindLabel names a document of the register in words: its kind, and for a
// decision that revokes another, a revocation decision.
func issuedKindLabel(kind, revokes string) string {
	if revokes != "" {
		return award.DocKindRevocation.LabelVI()
	}
	switch kind {
	case store.KindDecision:
		return award.DocKindDecision.LabelVI()
	case store.KindSubmission:
		return award.DocKindSubmission.LabelVI()
	case store.KindMinutes:
		return "Biên bản họp và kiểm phiếu"
	case store.KindCouncilSubmission:
		return "Tờ trình của Hội đồng"
	}
	return "Văn bản"
}

// revokedAwards adds to out what revocation decisions revoked of the document d.
func (s *Server) revokedAwards(ctx context.Context, d store.Document, out *IssuedDocument) error {
	out.Revokes = d.Revokes
	if d.Revokes != "" {
		if orig, err := s.Records.Document(ctx, d.Revokes); err == nil {
			out.RevokesNumber = orig.NumberText
		} else if !errors.Is(err, store.ErrNotFound) {
			return fmt.Errorf("look up the revoked decision %s: %w", d.Revokes, err)
		}
	}
	if d.Kind != store.KindDecision || d.Revokes != "" {
		return nil
	}
	revoked, err := s.Records.AwardeeRevocations(ctx, d.ID)
	if err != nil || len(revoked) == 0 {
		return err
	}
	full, err := s.Records.Document(ctx, d.ID)
	if err != nil {
		return err
	}
	last := revoked[len(revoked)-1]
	by, err := s.Records.Document(ctx, last.RevocationID)
	if err != nil {
		return err
	}
	out.Revoked, out.RevokedAwards, out.Awards = true, len(revoked), len(full.Awardees)
	out.RevokedReason = fmt.Sprintf("%d/%d trường hợp bị huỷ bỏ theo Quyết định %s: %s", len(revoked), len(full.Awardees), by.NumberText, last.Reason)
	return nil
}

// VerifyReport is the answer of POST /api/v1/verify.
type VerifyReport struct {
	SHA256     string            `json:"sha256"`
	Size       int64             `json:"size"`
	Signatures []SignatureReport `json:"signatures"`
	AllValid   bool              `json:"all_valid"`
	Issued     *IssuedDocument   `json:"issued"` // nil: not a document this service issued (or altered since)
	Summary    string            `json:"summary"`
	SummaryEN  string            `json:"summary_en"`
}

// verify checks every signature of the PDF in the body, whether each certificate chains
// to the configured CA, and whether the file is exactly a document awardflow issued.
// The endpoint is public: a body is capped at maxVerify, and at most verifySlots
// verifications (reading the body included) run at once; the rest are told to retry.
func (s *Server) verify(w http.ResponseWriter, r *http.Request) error {
	if r.ContentLength > maxVerify {
		return tooLarge(maxVerify)
	}
	select {
	case s.verifySem <- struct{}{}:
		defer func() { <-s.verifySem }()
	default:
		return award.Unavailable(verifyRetryAfter, "Máy chủ đang kiểm tra nhiều tệp cùng lúc, vui lòng thử lại sau %d giây",
			"too many verifications at once, try again in %d s", verifyRetryAfter)
	}
	// A slot is held while the body arrives: a slow upload may not hold it for long.
	_ = http.NewResponseController(w).SetReadDeadline(time.Now().Add(verifyReadTimeout))
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxVerify))
	if err != nil {
		if mbe := (*http.MaxBytesError)(nil); errors.As(err, &mbe) {
			return tooLarge(maxVerify)
		}
		return award.Malformed("Không đọc được tệp gửi lên", "could not read the uploaded file")
	}
	if len(body) < 5 || string(body[:5]) != "%PDF-" {
		return award.UnsupportedType("Tệp không phải PDF", "the body is not a PDF file")
	}
	rep, err := s.Verify(r.Context(), body)
	if err != nil {
		var pe *pdfsign.ParseError
		if errors.As(err, &pe) {
			return award.Invalid("Không đọc được tệp PDF để kiểm tra chữ ký (tệp hỏng hoặc cấu trúc không được hỗ trợ)",
				"cannot read the PDF to check its signatures (damaged or unsupported structure)")
		}
		return fmt.Errorf("verify: %w", err)
	}
	writeJSON(w, http.StatusOK, rep)
	return nil
}

// Verify builds the report for a PDF.
func (s *Server) Verify(ctx context.Context, pdf []byte) (VerifyReport, error) {
	sum := sha256.Sum256(pdf)
	rep := VerifyReport{SHA256: hex.EncodeToString(sum[:]), Size: int64(len(pdf)), Signatures: []SignatureReport{}}
	sigs, err := pdfsign.Verify(pdf, s.TrustedCAs)
	if err != nil {
		return rep, err
	}
	rep.AllValid = len(sigs) > 0
	changed, broken := false, false
	for _, sg := range sigs {
		label, _ := sg.Coverage.Labels()
		sr := SignatureReport{Field: sg.Field, Signer: sg.Name, SignerName: sg.SignerName, SignerTitle: sg.SignerTitle,
			SignerOrganization: sg.SignerOrganization, ClaimedName: sg.ClaimedName, SigningTime: sg.SigningTime, SubFilter: sg.SubFilter,
			Intact: sg.Intact, CoversWholeFile: sg.CoversWholeFile, Coverage: string(sg.Coverage), CoverageLabel: label,
			UnsignedBytes: sg.UnsignedBytes, Trusted: sg.Chained, Error: sg.ErrVI, ErrorEN: sg.Err, Problems: sg.Problems}
		if sr.Problems == nil {
			sr.Problems = []pdfsign.Problem{}
		}
		if sg.Cert != nil {
			sr.Subject = pdfsign.SubjectString(sg.Cert)
		}
		rep.Signatures = append(rep.Signatures, sr)
		unsigned := sg.Coverage == pdfsign.CoverageUnsignedChanges
		rep.AllValid = rep.AllValid && sg.Intact && sg.Chained && !unsigned
		changed = changed || unsigned
		broken = broken || !sg.Intact || !sg.Chained
	}
	rep.Issued, err = s.findIssued(ctx, rep.SHA256)
	if err != nil {
		return rep, err
	}
	if rep.Issued != nil {
		rep.Issued.KindLabel = issuedKindLabel(rep.Issued.Kind, rep.Issued.Revokes)
	}
	switch {
	case len(sigs) == 0:
		rep.Summary, rep.SummaryEN = "Tệp không có chữ ký số.", "The file has no digital signature."
	case rep.AllValid && rep.Issued != nil && rep.Issued.Revoked:
		rep.Summary = fmt.Sprintf("Văn bản %s do hệ thống phát hành, chữ ký nguyên vẹn, nhưng đã bị thu hồi: %s", rep.Issued.NumberText, rep.Issued.RevokedReason)
		rep.SummaryEN = fmt.Sprintf("Document %s was issued by this service and its signatures are intact, but it has been revoked: %s", rep.Issued.NumberText, rep.Issued.RevokedReason)
	case rep.AllValid && rep.Issued != nil:
		rep.Summary = fmt.Sprintf("Hợp lệ: văn bản %s do hệ thống phát hành, mọi chữ ký nguyên vẹn và tin cậy.", rep.Issued.NumberText)
		rep.SummaryEN = fmt.Sprintf("Valid: document %s issued by this service; every signature is intact and trusted.", rep.Issued.NumberText)
	case rep.AllValid:
		rep.Summary = "Chữ ký hợp lệ, nhưng tệp không trùng với văn bản nào hệ thống đã phát hành."
		rep.SummaryEN = "The signatures are valid, but the file is not one this service issued."
	case changed && !broken:
		// Every signature is intact and trusted, yet bytes no signature covers follow.
		rep.Summary = "Không hợp lệ: tệp đã bị sửa đổi sau khi ký (có phần thêm vào sau chữ ký cuối cùng mà không được ký)."
		rep.SummaryEN = "Not valid: the file was changed after signing (unsigned content was appended after the last signature)."
	default:
		rep.Summary = "Không hợp lệ: có chữ ký bị thay đổi hoặc không thuộc chuỗi tin cậy."
		rep.SummaryEN = "Not valid: a signature was altered or does not chain to a trusted certificate."
	}
	return rep, nil
}

func (s *Server) findIssued(ctx context.Context, sha string) (*IssuedDocument, error) {
	// The award register answers for every document issued since it exists, whatever
	// Temporal's retention has deleted since.
	if s.Records != nil {
		d, err := s.Records.DocumentBySHA(ctx, sha)
		switch {
		case err == nil:
			out := &IssuedDocument{SessionID: d.SessionID, DocumentID: d.ID, Kind: d.Kind, NumberText: d.NumberText,
				IssuedAt: d.IssuedAt.Format(time.RFC3339)}
			if d.Revocation != nil {
				out.Revoked, out.RevokedReason = true, d.Revocation.Reason
			}
			if err := s.revokedAwards(ctx, d, out); err != nil {
				return nil, err
			}
			return out, nil
		case !errors.Is(err, store.ErrNotFound):
			return nil, fmt.Errorf("look up the award register: %w", err)
		}
	}
	// Documents issued before the register: the sessions' search attributes.
	items, err := s.list(ctx, "AwardKind = 'session' AND AwardDocuments = "+quote(sha))
	if err != nil {
		return nil, fmt.Errorf("look up issued documents: %w", err)
	}
	for _, it := range items {
		v, err := s.Temporal.QueryWorkflow(ctx, it.ID, "", workflows.QueryState)
		if err != nil {
			continue
		}
		var view workflows.SessionView
		if v.Get(&view) != nil {
			continue
		}
		for _, d := range view.Decisions {
			if d.SHA256 == sha {
				return &IssuedDocument{SessionID: view.ID, DocumentID: d.ID, Kind: "decision", NumberText: d.NumberText}, nil
			}
		}
		for _, d := range view.Submissions {
			if d.SHA256 == sha {
				return &IssuedDocument{SessionID: view.ID, DocumentID: d.ID, Kind: "submission", NumberText: d.NumberText}, nil
			}
		}
		if m := view.Minutes; m != nil && m.SHA256 == sha {
			return &IssuedDocument{SessionID: view.ID, DocumentID: m.ID, Kind: "minutes", NumberText: m.NumberText}, nil
		}
		if c := view.CouncilSubmission; c != nil && c.SHA256 == sha {
			return &IssuedDocument{SessionID: view.ID, DocumentID: c.ID, Kind: "council_submission", NumberText: c.NumberText}, nil
		}
	}
	return nil, nil
}

// ManifestFile is one document in an export.
type ManifestFile struct {
	Name           string `json:"name"`
	Kind           string `json:"kind"`
	NumberText     string `json:"number_text"`
	SHA256         string `json:"sha256"`          // of the bytes in this archive
	RecordedSHA256 string `json:"recorded_sha256"` // as the session recorded it when issuing
	Intact         bool   `json:"intact"`          // the two agree
	Size           int64  `json:"size"`
}

// exportSession streams a session's signed documents as one ZIP: the decisions, the
// minutes, manifest.json with each file's SHA-256, and the signing certificates. Nothing
// is assembled in memory: each PDF is copied from object storage into the archive as it
// is read, and hashed on the way.
func (s *Server) exportSession(w http.ResponseWriter, r *http.Request, a award.Actor) error {
	view, err := s.loadSession(r, a)
	if err != nil {
		return err
	}
	if err := award.CanExport(a); err != nil {
		return err
	}
	if view.Status != award.SessionDone || view.Minutes == nil {
		return award.WrongStage("Phiên họp chưa phát hành xong văn bản", "the session has not issued its documents yet")
	}
	type doc struct {
		ref  award.DocumentRef
		kind string
		name string
	}
	var docs []doc
	for _, d := range view.Decisions {
		docs = append(docs, doc{d.DocumentRef, "decision", fmt.Sprintf("quyet-dinh-%02d-%s.pdf", d.Number, d.AwardType)})
	}
	for _, d := range view.Submissions {
		docs = append(docs, doc{d.DocumentRef, "submission", fmt.Sprintf("to-trinh-%02d-%s.pdf", d.Number, d.AwardType)})
	}
	docs = append(docs, doc{*view.Minutes, "minutes", "bien-ban-hop-kiem-phieu.pdf"})
	if c := view.CouncilSubmission; c != nil {
		docs = append(docs, doc{*c, "council_submission", "to-trinh-hoi-dong.pdf"})
	}

	// The certificates come from the smallest document's signatures (read whole: a
	// minutes PDF is a few hundred kB); fetch them before the response starts, so a
	// storage failure can still be answered with an error.
	certs, err := s.signingCertificates(r.Context(), *view.Minutes)
	if err != nil {
		return fmt.Errorf("read the signing certificates of %s: %w", view.ID, err)
	}

	// Every entry carries a time from the record, not the time of the download: a
	// document its issue time, a certificate the time it signed the minutes, the
	// manifest the latest of these. Local time of the agency, so that the MS-DOS
	// field old unzip tools show agrees with the documents (the extended timestamp
	// Go writes as well is zone-free).
	loc := time.UTC
	if org, err := s.orgOf(r.Context()); err == nil && org.Location() != nil {
		loc = org.Location()
	}
	at := func(ts ...time.Time) time.Time {
		for _, t := range ts {
			if !t.IsZero() {
				return t.In(loc)
			}
		}
		return s.Now().In(loc)
	}
	manifestAt := view.ClosedAt
	for _, d := range docs {
		if d.ref.IssuedAt.After(manifestAt) {
			manifestAt = d.ref.IssuedAt
		}
	}

	w.Header().Set("Content-Type", "application/zip")
	w.Header().Set("Content-Disposition", contentDisposition("phien-hop-"+view.ID+".zip"))
	zw := zip.NewWriter(w)
	manifest := struct {
		Session   string         `json:"session_id"`
		Title     string         `json:"title"`
		ClosedAt  time.Time      `json:"closed_at"`
		Generated time.Time      `json:"generated_at"`
		Files     []ManifestFile `json:"files"`
		Certs     []string       `json:"certificates"`    // the signers' certificates
		CACerts   []string       `json:"ca_certificates"` // what they chain to: intermediates, then the trust anchor
	}{Session: view.ID, Title: view.Title, ClosedAt: view.ClosedAt, Generated: s.Now().UTC(), Files: []ManifestFile{},
		Certs: []string{}, CACerts: []string{}}
	for _, d := range docs {
		mf, err := s.copyToZip(r.Context(), zw, d.ref, d.name, d.kind, at(d.ref.IssuedAt, view.ClosedAt))
		if err != nil {
			// Headers are gone: the best left is to log and cut the archive short, which
			// the client sees as a broken ZIP rather than a silently incomplete one.
			s.Log.ErrorContext(r.Context(), "export interrupted", "session", view.ID, "file", d.name, "err", err)
			return nil
		}
		manifest.Files = append(manifest.Files, mf)
	}
	for _, c := range certs {
		f, err := zw.CreateHeader(&zip.FileHeader{Name: c.name, Method: zip.Deflate, Modified: at(c.at, view.Minutes.IssuedAt, view.ClosedAt)})
		if err != nil {
			return nil
		}
		_, _ = f.Write(c.pem)
		if c.ca {
			manifest.CACerts = append(manifest.CACerts, c.name)
		} else {
			manifest.Certs = append(manifest.Certs, c.name)
		}
	}
	if len(manifest.CACerts) == 0 {
		s.Log.WarnContext(r.Context(), "export without a CA certificate: the minutes' signatures do not chain to the trusted CAs", "session", view.ID)
	}
	f, err := zw.CreateHeader(&zip.FileHeader{Name: "manifest.json", Method: zip.Deflate, Modified: at(manifestAt)})
	if err != nil {
		return nil
	}
	enc := json.NewEncoder(f)
	enc.SetIndent("", "  ")
	_ = enc.Encode(manifest)
	if err := zw.Close(); err != nil {
		s.Log.WarnContext(r.Context(), "export close", "err", err)
	}
	return nil
}

func (s *Server) copyToZip(ctx context.Context, zw *zip.Writer, ref award.DocumentRef, name, kind string, modified time.Time) (ManifestFile, error) {
	obj, err := s.Store.Get(ctx, ref.Key)
	if err != nil {
		return ManifestFile{}, err
	}
	defer obj.Close()
	// PDFs are compressed already: store them, which also keeps the archive streamable.
	f, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Store, Modified: modified})
	if err != nil {
		return ManifestFile{}, err
	}
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(f, h), obj)
	if err != nil {
		return ManifestFile{}, err
	}
	sum := hex.EncodeToString(h.Sum(nil))
	return ManifestFile{Name: name, Kind: kind, NumberText: ref.NumberText, SHA256: sum, RecordedSHA256: ref.SHA256,
		Intact: sum == ref.SHA256, Size: n}, nil
}

// exportCert is one certificate file of an export.
type exportCert struct {
	name string
	pem  []byte
	at   time.Time // when it signed the document it was read from
	ca   bool      // a CA certificate of a verified chain
}

// signingCertificates returns the certificates of the signatures of one document: each
// signer's, then the CA certificates of their verified chains (intermediates, then the
// trust anchor: the configured root a verifier needs), each once.
func (s *Server) signingCertificates(ctx context.Context, doc award.DocumentRef) ([]exportCert, error) {
	b, err := s.Store.ReadAll(ctx, doc.Key)
	if err != nil {
		return nil, err
	}
	sigs, err := pdfsign.Verify(b, s.TrustedCAs)
	if err != nil {
		return nil, fmt.Errorf("read signatures of %s: %w", doc.Key, err)
	}
	var signers, inter, roots []exportCert
	seen := map[string]bool{}
	add := func(list *[]exportCert, c *x509.Certificate, at time.Time, ca bool) {
		if c == nil || seen[string(c.Raw)] {
			return
		}
		seen[string(c.Raw)] = true
		*list = append(*list, exportCert{pem: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Raw}), at: at, ca: ca})
	}
	for _, sg := range sigs {
		add(&signers, sg.Cert, sg.SigningTime, false)
	}
	for _, sg := range sigs {
		if n := len(sg.Chain); n > 1 {
			add(&roots, sg.Chain[n-1], sg.SigningTime, true)
			for _, c := range sg.Chain[1 : n-1] {
				add(&inter, c, sg.SigningTime, true)
			}
		}
	}
	name := func(list []exportCert, base string) {
		for i := range list {
			list[i].name = base + ".pem"
			if len(list) > 1 {
				list[i].name = fmt.Sprintf("%s-%d.pem", base, i+1)
			}
		}
	}
	for i := range signers {
		signers[i].name = fmt.Sprintf("chung-thu-so-%d.pem", i+1)
	}
	name(inter, "chung-thu-so-ca-trung-gian")
	name(roots, "chung-thu-so-ca-goc") // the trust anchors
	cas := append(inter, roots...)
	return append(signers, cas...), nil
}
