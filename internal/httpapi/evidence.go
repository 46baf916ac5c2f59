package httpapi

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/awardflow/awardflow/internal/award"
	"github.com/awardflow/awardflow/internal/blobstore"
	"github.com/awardflow/awardflow/internal/obs"
	"github.com/awardflow/awardflow/workflows"
)

// uploadEvidence streams a file into object storage and lists it on the proposal.
// The body is either the raw file (name in ?filename=) or multipart/form-data with a
// "file" part. The permission and stage are checked before a byte is read, the type is
// sniffed and the size capped while streaming, and a file the proposal refuses is
// removed again: nothing half-written stays behind.
func (s *Server) uploadEvidence(w http.ResponseWriter, r *http.Request, a award.Actor) error {
	view, err := s.loadProposal(r, a)
	if err != nil {
		return err
	}
	if err := view.CheckUpload(a); err != nil {
		return err
	}
	if r.ContentLength > s.MaxEvidence {
		return tooLarge(s.MaxEvidence)
	}
	// A raw body may come with its SHA-256 stated (Content-Digest; the page sends one when
	// the browser has crypto.subtle): it then streams straight to S3, which checks it.
	// In a multipart form the digest would cover the form, not the file: not used there.
	stated, err := statedSHA256(r.Header)
	if err != nil {
		return err
	}
	body, name, multipart, err := s.uploadStream(r)
	if err != nil {
		return err
	}
	if multipart {
		stated = ""
	}
	// The file name is printed in the proposal's history: checked before any byte is kept.
	if name, err = award.CleanLine(award.FieldFileName, name); err != nil {
		return err
	}
	// A key already used on this proposal (same caller, route and target): hash the file
	// without storing it, then answer the first result or refuse (422). No object is
	// written for a repeated or refused request.
	key, err := idempotencyKey(r)
	if err != nil {
		return err
	}
	if key != "" {
		first, err := s.requestFingerprint(r, view.ID, award.IdempotencyScope(a.ID, r.Pattern, view.ID, key))
		if err != nil {
			return err
		}
		if first != "" {
			return s.repeatedUpload(w, r, a, view, body, name, stated, first)
		}
	}
	var stored blobstore.Stored
	path := "spooled"
	if stated != "" {
		if r.ContentLength >= 0 {
			path = "streamed" // a chunked body is spooled to be hashed, then checked
		}
		stored, err = s.Store.PutEvidenceStated(r.Context(), "evidence/"+view.ID, body, r.ContentLength, stated, s.MaxEvidence)
	} else {
		stored, err = s.Store.PutEvidence(r.Context(), "evidence/"+view.ID, body, s.MaxEvidence)
	}
	switch {
	case errors.Is(err, blobstore.ErrDigestMismatch):
		return digestMismatch()
	case errors.Is(err, blobstore.ErrTooLarge):
		return tooLarge(s.MaxEvidence)
	case errors.Is(err, blobstore.ErrBadType):
		return award.UnsupportedType(
			"Loại tệp không được chấp nhận (%s); chỉ nhận PDF, ảnh PNG/JPEG, tệp văn bản, Word/Excel (docx/xlsx) hoặc ZIP",
			"file type not accepted (%s); allowed: PDF, PNG, JPEG, plain text, docx/xlsx/zip", strings.TrimPrefix(err.Error(), blobstore.ErrBadType.Error()+": "))
	case errors.Is(err, blobstore.ErrEmpty):
		return award.Malformed("Tệp rỗng", "the file is empty")
	case err != nil:
		return fmt.Errorf("store evidence of %s: %w", view.ID, err)
	}
	obs.EvidenceStored(path)
	ev := award.Evidence{SHA256: stored.SHA256, Key: stored.Key, Name: name, ContentType: stored.ContentType, Size: stored.Size}
	var out workflows.ProposalView
	if err := s.update(r, a, view.ID, workflows.UpdateAttach, award.NounProposal, evidenceFingerprint(name, stored.SHA256), workflows.AttachInput{Actor: a, Evidence: ev}, &out); err != nil {
		// Refused (the stage changed meanwhile, or a concurrent request took the key):
		// keep nothing the proposal does not list, before or now.
		if !listed(view, stored.SHA256) && !s.listedNow(r, view.ID, stored.SHA256) {
			_ = s.Store.Remove(context.WithoutCancel(r.Context()), stored.Key)
		}
		return err
	}
	return s.writeAttached(w, r, out, ev)
}

// evidenceFingerprint identifies an upload by its file name and content.
func evidenceFingerprint(name, sha string) string { return award.Fingerprint("evidence", name, sha) }

// requestFingerprint asks the workflow which request first used an idempotency scope.
func (s *Server) requestFingerprint(r *http.Request, workflowID, scope string) (string, error) {
	v, err := s.Temporal.QueryWorkflow(r.Context(), workflowID, "", workflows.QueryRequests, scope)
	var fp string
	if err == nil {
		err = v.Get(&fp)
	}
	if err != nil {
		return "", s.temporalErr(r.Context(), err, workflowID, award.NounProposal)
	}
	return fp, nil
}

// repeatedUpload answers an upload whose key was used before: the file is hashed on the
// way (never stored); the same file and name get the first answer, anything else 422.
func (s *Server) repeatedUpload(w http.ResponseWriter, r *http.Request, a award.Actor, view workflows.ProposalView, body io.Reader, name, stated, first string) error {
	h := sha256.New()
	n, err := io.Copy(h, io.LimitReader(body, s.MaxEvidence+1))
	if err != nil {
		return fmt.Errorf("read evidence: %w", err)
	}
	if n > s.MaxEvidence {
		return tooLarge(s.MaxEvidence)
	}
	sha := hex.EncodeToString(h.Sum(nil))
	if stated != "" && stated != sha {
		return digestMismatch()
	}
	if fp := evidenceFingerprint(name, sha); fp != first {
		return award.KeyReused()
	}
	// The same request: the update id is the first one's, so Temporal answers with the
	// first result whatever the arguments.
	ev := award.Evidence{SHA256: sha, Key: "evidence/" + view.ID + "/" + sha, Name: name}
	var out workflows.ProposalView
	if err := s.update(r, a, view.ID, workflows.UpdateAttach, award.NounProposal, first, workflows.AttachInput{Actor: a, Evidence: ev}, &out); err != nil {
		return err
	}
	return s.writeAttached(w, r, out, ev)
}

// listedNow re-reads the proposal: is the content listed now?
func (s *Server) listedNow(r *http.Request, id, sha string) bool {
	v, err := s.Temporal.QueryWorkflow(context.WithoutCancel(r.Context()), id, "", workflows.QueryState)
	var view workflows.ProposalView
	if err == nil {
		err = v.Get(&view)
	}
	return err != nil || listed(view, sha) // when unsure, keep the object
}

func (s *Server) writeAttached(w http.ResponseWriter, r *http.Request, out workflows.ProposalView, ev award.Evidence) error {
	for _, e := range out.Evidence {
		if e.SHA256 == ev.SHA256 {
			ev = e
		}
	}
	writeJSON(w, http.StatusCreated, map[string]any{"evidence": s.evidenceOut(r.Context(), ev), "proposal": s.proposalOut(r.Context(), out)})
	return nil
}

func listed(v workflows.ProposalView, sha string) bool {
	for _, e := range v.Evidence {
		if e.SHA256 == sha {
			return true
		}
	}
	return false
}

func tooLarge(max int64) *award.Error {
	return award.TooLarge("Tệp quá lớn, tối đa %d MB", "file larger than %d MiB", max>>20)
}

// uploadStream finds the file in the request without buffering it, and says whether it
// came in a multipart form.
func (s *Server) uploadStream(r *http.Request) (io.Reader, string, bool, error) {
	ct := r.Header.Get("Content-Type")
	if mt, _, _ := mime.ParseMediaType(ct); mt == "multipart/form-data" {
		mr, err := r.MultipartReader()
		if err != nil {
			return nil, "", true, award.Malformed("Dữ liệu tải lên không hợp lệ: %s", "malformed multipart body: %s", err.Error())
		}
		for {
			part, err := mr.NextPart()
			if err != nil {
				return nil, "", true, award.Malformed("Thiếu tệp minh chứng (trường “file”)", "no \"file\" part in the form")
			}
			if part.FormName() == "file" {
				return part, blobstore.SafeName(part.FileName()), true, nil
			}
		}
	}
	return r.Body, blobstore.SafeName(r.URL.Query().Get("filename")), false, nil
}

// removeEvidence takes a file off a proposal before it is submitted. The object stays in
// storage under its SHA-256: the history names it, and a re-upload of the same content
// writes the same key.
func (s *Server) removeEvidence(w http.ResponseWriter, r *http.Request, a award.Actor) error {
	sha := r.PathValue("sha")
	if len(sha) != 64 || strings.Trim(sha, "0123456789abcdef") != "" {
		return award.NotFound("Không tìm thấy minh chứng này trong hồ sơ", "no such evidence on this proposal")
	}
	return s.proposalUpdate(w, r, a, workflows.UpdateRemoveEvidence, workflows.RemoveEvidenceInput{Actor: a, SHA256: sha})
}

// downloadEvidence streams an evidence file to someone who may see the proposal.
func (s *Server) downloadEvidence(w http.ResponseWriter, r *http.Request, a award.Actor) error {
	view, err := s.loadProposal(r, a)
	if err != nil {
		return err
	}
	sha := r.PathValue("sha")
	for _, e := range view.Evidence {
		if e.SHA256 == sha {
			return s.streamObject(w, r, e.Key, e.Name, e.ContentType)
		}
	}
	return award.NotFound("Không tìm thấy minh chứng này trong hồ sơ", "no such evidence on this proposal")
}

// streamObject copies an object to the response as a download. Once the first byte is
// written the status is sent: a later failure can only be logged.
func (s *Server) streamObject(w http.ResponseWriter, r *http.Request, key, name, ctype string) error {
	obj, err := s.Store.Get(r.Context(), key)
	if err != nil {
		if errors.Is(err, blobstore.ErrNotFound) {
			return award.NotFoundNoun(award.NounFile)
		}
		return fmt.Errorf("open %s: %w", key, err)
	}
	defer obj.Close()
	if ctype == "" {
		ctype = obj.ContentType
	}
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Content-Length", strconv.FormatInt(obj.Size, 10))
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Content-Disposition", contentDisposition(name))
	if _, err := io.Copy(w, obj); err != nil {
		s.Log.WarnContext(r.Context(), "download interrupted", "key", key, "err", err)
	}
	return nil
}

// contentDisposition names a download, with an ASCII fallback and the UTF-8 name (RFC 6266).
func contentDisposition(name string) string {
	ascii := strings.Map(func(r rune) rune {
		if r < 0x20 || r > 0x7e || r == '"' || r == '\\' {
			return '_'
		}
		return r
	}, name)
	return `attachment; filename="` + ascii + `"; filename*=UTF-8''` + url.PathEscape(name)
}
