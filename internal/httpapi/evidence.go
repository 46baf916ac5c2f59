package httpapi

import (
	"context"
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
	if err := view.CheckAttach(a); err != nil {
		return err
	}
	if r.ContentLength > s.MaxEvidence {
		return tooLarge(s.MaxEvidence)
	}
	body, name, err := s.uploadStream(r)
	if err != nil {
		return err
	}
	stored, err := s.Store.PutEvidence(r.Context(), "evidence/"+view.ID, body, s.MaxEvidence)
	switch {
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
	ev := award.Evidence{SHA256: stored.SHA256, Key: stored.Key, Name: name, ContentType: stored.ContentType, Size: stored.Size}
	var out workflows.ProposalView
	if err := s.update(r, view.ID, workflows.UpdateAttach, award.NounProposal, workflows.AttachInput{Actor: a, Evidence: ev}, &out); err != nil {
		// Refused (the stage changed meanwhile): keep nothing the proposal does not list.
		if !listed(view, stored.SHA256) {
			_ = s.Store.Remove(context.WithoutCancel(r.Context()), stored.Key)
		}
		return err
	}
	for _, e := range out.Evidence {
		if e.SHA256 == stored.SHA256 {
			ev = e
		}
	}
	writeJSON(w, http.StatusCreated, map[string]any{"evidence": s.evidenceOut(ev), "proposal": s.proposalOut(out)})
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

// uploadStream finds the file in the request without buffering it.
func (s *Server) uploadStream(r *http.Request) (io.Reader, string, error) {
	ct := r.Header.Get("Content-Type")
	if mt, _, _ := mime.ParseMediaType(ct); mt == "multipart/form-data" {
		mr, err := r.MultipartReader()
		if err != nil {
			return nil, "", award.Malformed("Dữ liệu tải lên không hợp lệ: %s", "malformed multipart body: %s", err.Error())
		}
		for {
			part, err := mr.NextPart()
			if err != nil {
				return nil, "", award.Malformed("Thiếu tệp minh chứng (trường “file”)", "no \"file\" part in the form")
			}
			if part.FormName() == "file" {
				return part, blobstore.SafeName(part.FileName()), nil
			}
		}
	}
	return r.Body, blobstore.SafeName(r.URL.Query().Get("filename")), nil
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
