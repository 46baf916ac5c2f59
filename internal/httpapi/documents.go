package httpapi

import (
	"archive/zip"
	"context"
	"crypto/sha256"
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
	"github.com/awardflow/awardflow/workflows"
)

// maxVerify caps a PDF handed in for verification.
const maxVerify = 50 << 20

// SignatureReport is one signature of a verified PDF.
type SignatureReport struct {
	Field           string    `json:"field"`
	Signer          string    `json:"signer"`
	Subject         string    `json:"subject,omitempty"`
	SigningTime     time.Time `json:"signing_time,omitzero"`
	SubFilter       string    `json:"sub_filter"`
	Intact          bool      `json:"intact"`
	CoversWholeFile bool      `json:"covers_whole_file"`
	Trusted         bool      `json:"trusted"`
	Error           string    `json:"error,omitempty"`
}

// IssuedDocument says which session issued a document with this exact SHA-256.
type IssuedDocument struct {
	SessionID  string `json:"session_id"`
	DocumentID string `json:"document_id"`
	Kind       string `json:"kind"` // decision | submission | minutes
	NumberText string `json:"number_text"`
}

// VerifyReport is the answer of POST /api/v1/verify.
type VerifyReport struct {
	SHA256     string            `json:"sha256"`
	Size       int64             `json:"size"`
	Signatures []SignatureReport `json:"signatures"`
	AllValid   bool              `json:"all_valid"`
	Issued     *IssuedDocument   `json:"issued"` // nil: not a document this service issued (or altered since)
	Summary    string            `json:"summary"`
}

// verify checks every signature of the PDF in the body, whether each certificate chains
// to the configured CA, and whether the file is exactly a document awardflow issued.
func (s *Server) verify(w http.ResponseWriter, r *http.Request) error {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxVerify))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return tooLarge(maxVerify)
		}
		return award.Malformed("Không đọc được tệp gửi lên: %s", "could not read the body: %s", err.Error())
	}
	if len(body) < 5 || string(body[:5]) != "%PDF-" {
		return award.UnsupportedType("Tệp không phải PDF", "the body is not a PDF file")
	}
	rep, err := s.Verify(r.Context(), body)
	if err != nil {
		return award.Invalid("Không đọc được chữ ký trong tệp PDF: %s", "cannot read the PDF's signatures: %s", err.Error())
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
	for _, sg := range sigs {
		sr := SignatureReport{Field: sg.Field, Signer: sg.Name, SigningTime: sg.SigningTime, SubFilter: sg.SubFilter,
			Intact: sg.Intact, CoversWholeFile: sg.CoversWholeFile, Trusted: sg.Chained, Error: sg.Err}
		if sg.Cert != nil {
			sr.Subject = sg.Cert.Subject.String()
		}
		rep.Signatures = append(rep.Signatures, sr)
		rep.AllValid = rep.AllValid && sg.Intact && sg.Chained
	}
	rep.Issued, err = s.findIssued(ctx, rep.SHA256)
	if err != nil {
		return rep, err
	}
	switch {
	case len(sigs) == 0:
		rep.Summary = "Tệp không có chữ ký số."
	case rep.AllValid && rep.Issued != nil:
		rep.Summary = fmt.Sprintf("Hợp lệ: văn bản %s do hệ thống phát hành, mọi chữ ký nguyên vẹn và tin cậy.", rep.Issued.NumberText)
	case rep.AllValid:
		rep.Summary = "Chữ ký hợp lệ, nhưng tệp không trùng với văn bản nào hệ thống đã phát hành."
	default:
		rep.Summary = "Không hợp lệ: có chữ ký bị thay đổi hoặc không thuộc chuỗi tin cậy."
	}
	return rep, nil
}

func (s *Server) findIssued(ctx context.Context, sha string) (*IssuedDocument, error) {
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

	// The certificates come from the smallest document's signatures (read whole: a
	// minutes PDF is a few hundred kB); fetch them before the response starts, so a
	// storage failure can still be answered with an error.
	certs, err := s.signingCertificates(r.Context(), view.Minutes.Key)
	if err != nil {
		return fmt.Errorf("read the signing certificates of %s: %w", view.ID, err)
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
		Certs     []string       `json:"certificates"`
	}{Session: view.ID, Title: view.Title, ClosedAt: view.ClosedAt, Generated: s.Now().UTC()}
	for _, d := range docs {
		mf, err := s.copyToZip(r.Context(), zw, d.ref, d.name, d.kind)
		if err != nil {
			// Headers are gone: the best left is to log and cut the archive short, which
			// the client sees as a broken ZIP rather than a silently incomplete one.
			s.Log.ErrorContext(r.Context(), "export interrupted", "session", view.ID, "file", d.name, "err", err)
			return nil
		}
		manifest.Files = append(manifest.Files, mf)
	}
	for i, c := range certs {
		name := fmt.Sprintf("chung-thu-so-%d.pem", i+1)
		f, err := zw.Create(name)
		if err != nil {
			return nil
		}
		_, _ = f.Write(c)
		manifest.Certs = append(manifest.Certs, name)
	}
	f, err := zw.Create("manifest.json")
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

func (s *Server) copyToZip(ctx context.Context, zw *zip.Writer, ref award.DocumentRef, name, kind string) (ManifestFile, error) {
	obj, err := s.Store.Get(ctx, ref.Key)
	if err != nil {
		return ManifestFile{}, err
	}
	defer obj.Close()
	// PDFs are compressed already: store them, which also keeps the archive streamable.
	f, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Store, Modified: ref.IssuedAt})
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

// signingCertificates returns the PEM certificates of the signatures of one document.
func (s *Server) signingCertificates(ctx context.Context, key string) ([][]byte, error) {
	b, err := s.Store.ReadAll(ctx, key)
	if err != nil {
		return nil, err
	}
	sigs, err := pdfsign.Verify(b, s.TrustedCAs)
	if err != nil {
		return nil, fmt.Errorf("read signatures of %s: %w", key, err)
	}
	var out [][]byte
	seen := map[string]bool{}
	for _, sg := range sigs {
		if sg.Cert == nil || seen[string(sg.Cert.Raw)] {
			continue
		}
		seen[string(sg.Cert.Raw)] = true
		out = append(out, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: sg.Cert.Raw}))
	}
	return out, nil
}
