// Package httpapi is awardflow's JSON API under /api/v1. It authenticates people, checks
// the shape of requests, streams evidence to object storage and turns every action into
// a Temporal Update, whose validator applies the domain rules. Errors come back as
//
//	{"error": {"code": "...", "message": "<Vietnamese>", "message_en": "<English>"}}
package httpapi

import (
	"context"
	"crypto/rand"
	"crypto/x509"
	_ "embed"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"regexp"
	"strings"
	"time"

	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"

	"github.com/awardflow/awardflow/internal/auth"
	"github.com/awardflow/awardflow/internal/award"
	"github.com/awardflow/awardflow/internal/ballotbox"
	"github.com/awardflow/awardflow/internal/blobstore"
	"github.com/awardflow/awardflow/internal/orgconfig"
	"github.com/awardflow/awardflow/internal/web"
	"github.com/awardflow/awardflow/workflows"
)

//go:embed openapi.yaml
var openapiYAML []byte

// Server serves the API.
type Server struct {
	Temporal  client.Client
	TaskQueue string
	Store     *blobstore.Store
	Org       *orgconfig.Org
	Tokens    *auth.Tokens
	Ballots   *ballotbox.Box // seals ballots before they reach Temporal
	Log       *slog.Logger
	// MaxEvidence caps one evidence file, in bytes.
	MaxEvidence int64
	// Ready reports whether the process's dependencies (Temporal, S3, worker) are up.
	Ready func(ctx context.Context) error
	// TrustedCAs are the roots signatures must chain to (POST /api/v1/verify).
	TrustedCAs *x509.CertPool
	// Now is the clock (tests may fix it).
	Now func() time.Time
}

// DefaultMaxEvidence is the evidence size cap when none is configured.
const DefaultMaxEvidence = 25 << 20

// maxJSON caps JSON request bodies; proposals carry references, not files.
const maxJSON = 1 << 20

// Handler returns the routes.
func (s *Server) Handler() http.Handler {
	if s.Now == nil {
		s.Now = time.Now
	}
	if s.MaxEvidence <= 0 {
		s.MaxEvidence = DefaultMaxEvidence
	}
	if s.Log == nil {
		s.Log = slog.Default()
	}
	mux := http.NewServeMux()
	for _, rt := range s.routes() {
		mux.HandleFunc(rt.method+" "+rt.path, rt.handler)
	}
	mux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, award.NotFound("Không có địa chỉ API này: %[1]s %[2]s", "no such API route: %[1]s %[2]s", r.Method, r.URL.Path))
	})
	// The browser UI. Registered as "/" rather than "GET /": ServeMux refuses "GET /"
	// next to "/api/" (neither pattern is more specific). The UI handler answers 405 to
	// methods other than GET and HEAD itself, and "/api/" still wins for API paths.
	mux.Handle("/", web.Handler())
	return s.recoverer(mux)
}

// route is one endpoint. The table is also checked against the OpenAPI document.
type route struct {
	method, path string
	handler      http.HandlerFunc
}

func (s *Server) routes() []route {
	return []route{
		{"GET", "/healthz", func(w http.ResponseWriter, r *http.Request) {
			writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
		}},
		{"GET", "/readyz", s.readyz},
		{"GET", "/api/v1/openapi.yaml", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/yaml; charset=utf-8")
			_, _ = w.Write(openapiYAML)
		}},
		{"POST", "/api/v1/login", s.login},
		{"GET", "/api/v1/me", s.authed(s.me)},
		{"GET", "/api/v1/org", s.authed(s.org)},

		{"POST", "/api/v1/proposals", s.authed(s.createProposal)},
		{"GET", "/api/v1/proposals", s.authed(s.listProposals)},
		{"GET", "/api/v1/proposals/{id}", s.authed(s.getProposal)},
		{"PUT", "/api/v1/proposals/{id}", s.authed(s.reviseProposal)},
		{"PUT", "/api/v1/proposals/{id}/self-assessment", s.authed(s.selfAssess)},
		{"POST", "/api/v1/proposals/{id}/submit", s.authed(s.submit)},
		{"POST", "/api/v1/proposals/{id}/endorse", s.authed(s.review(award.HeadEndorse))},
		{"POST", "/api/v1/proposals/{id}/return", s.authed(s.review(award.HeadReturn))},
		{"POST", "/api/v1/proposals/{id}/reject", s.authed(s.review(award.HeadReject))},
		{"POST", "/api/v1/proposals/{id}/evidence", s.authed(s.uploadEvidence)},
		{"GET", "/api/v1/proposals/{id}/evidence/{sha}", s.authed(s.downloadEvidence)},

		{"GET", "/api/v1/inbox", s.authed(s.inbox)},

		{"POST", "/api/v1/sessions", s.authed(s.openSession)},
		{"GET", "/api/v1/sessions", s.authed(s.listSessions)},
		{"GET", "/api/v1/sessions/{id}", s.authed(s.getSession)},
		{"POST", "/api/v1/sessions/{id}/ballot", s.authed(s.ballot)},
		{"POST", "/api/v1/sessions/{id}/close", s.authed(s.closeSession)},
		{"GET", "/api/v1/sessions/{id}/minutes.pdf", s.authed(s.minutesPDF)},
		{"GET", "/api/v1/sessions/{id}/export.zip", s.authed(s.exportSession)},
		{"GET", "/api/v1/decisions/{id}/pdf", s.authed(s.decisionPDF)},
		// Public, like a government e-document verification portal: answering needs the
		// exact file, and the answer reveals nothing beyond that file.
		{"POST", "/api/v1/verify", s.verify},
	}
}

func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	if s.Ready != nil {
		ctx, cancel := context.WithTimeout(r.Context(), 3*time.Second)
		defer cancel()
		if err := s.Ready(ctx); err != nil {
			writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "not ready", "reason": err.Error()})
			return
		}
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ready"})
}

// recoverer turns a panic into a 500 instead of a dropped connection, and logs it.
func (s *Server) recoverer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.Log.ErrorContext(r.Context(), "panic in handler", "path", r.URL.Path, "panic", v)
				writeError(w, http.StatusInternalServerError, internalError())
			}
		}()
		next.ServeHTTP(w, r)
	})
}

type ctxKey struct{}

// authed checks the bearer token and passes the actor on.
func (s *Server) authed(h func(http.ResponseWriter, *http.Request, award.Actor)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !ok || tok == "" {
			w.Header().Set("WWW-Authenticate", `Bearer realm="awardflow"`)
			writeError(w, http.StatusUnauthorized, &award.Error{Code: "unauthenticated", VI: "Chưa đăng nhập", EN: "sign in first (Authorization: Bearer <token>)"})
			return
		}
		id, err := s.Tokens.Verify(strings.TrimSpace(tok), s.Now())
		if err != nil {
			w.Header().Set("WWW-Authenticate", `Bearer realm="awardflow", error="invalid_token"`)
			writeError(w, http.StatusUnauthorized, &award.Error{Code: "unauthenticated", VI: "Phiên đăng nhập không hợp lệ hoặc đã hết hạn", EN: "invalid or expired token"})
			return
		}
		p, ok := s.Org.Person(id)
		if !ok { // removed from the config since the token was issued
			writeError(w, http.StatusUnauthorized, &award.Error{Code: "unauthenticated", VI: "Tài khoản không còn tồn tại", EN: "account no longer exists"})
			return
		}
		h(w, r.WithContext(context.WithValue(r.Context(), ctxKey{}, p.ID)), p.Actor())
	}
}

type loginRequest struct {
	Username string `json:"username"`
	Password string `json:"password"`
}

type userView struct {
	ID         string       `json:"id"`
	Name       string       `json:"name"`
	Position   string       `json:"position"`
	Department string       `json:"department"`
	Roles      []award.Role `json:"roles"`
}

func viewOf(p orgconfig.Person) userView {
	return userView{ID: p.ID, Name: p.Name, Position: p.Position, Department: p.Department, Roles: p.Roles}
}

func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	var req loginRequest
	if !decode(w, r, &req) {
		return
	}
	p, found := s.Org.Person(strings.TrimSpace(req.Username))
	hash := ""
	if found {
		hash = p.PasswordHash
	}
	if err := auth.CheckPassword(hash, req.Password); err != nil {
		writeError(w, http.StatusUnauthorized, &award.Error{Code: "bad_credentials", VI: "Sai tên đăng nhập hoặc mật khẩu", EN: "wrong username or password"})
		return
	}
	tok, exp := s.Tokens.Issue(p.ID, s.Now())
	writeJSON(w, http.StatusOK, map[string]any{"token": tok, "token_type": "Bearer", "expires_at": exp, "user": viewOf(p)})
}

func (s *Server) me(w http.ResponseWriter, r *http.Request, a award.Actor) {
	p, _ := s.Org.Person(a.ID)
	writeJSON(w, http.StatusOK, viewOf(p))
}

func (s *Server) org(w http.ResponseWriter, r *http.Request, a award.Actor) {
	writeJSON(w, http.StatusOK, s.Org)
}

// decode reads a JSON body strictly: unknown fields and trailing data are errors. The
// Content-Type is not checked: `curl -d` sends form encoding by default, and the body is
// parsed as JSON either way.
func decode(w http.ResponseWriter, r *http.Request, v any) bool {
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxJSON))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			writeError(w, http.StatusRequestEntityTooLarge, award.Invalid("Nội dung yêu cầu quá lớn", "request body larger than %d bytes", maxJSON))
			return false
		}
		if errors.Is(err, io.EOF) {
			writeError(w, http.StatusBadRequest, award.Invalid("Thiếu nội dung yêu cầu (JSON)", "empty request body"))
			return false
		}
		writeError(w, http.StatusBadRequest, award.Invalid("JSON không hợp lệ: %s", "malformed JSON: %s", err.Error()))
		return false
	}
	if dec.More() {
		writeError(w, http.StatusBadRequest, award.Invalid("JSON không hợp lệ: có dữ liệu thừa sau đối tượng", "malformed JSON: trailing data"))
		return false
	}
	return true
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(true)
	_ = enc.Encode(v)
}

func writeError(w http.ResponseWriter, status int, e *award.Error) {
	writeJSON(w, status, map[string]any{"error": e})
}

func internalError() *award.Error {
	return &award.Error{Code: "internal", VI: "Lỗi hệ thống, vui lòng thử lại sau", EN: "internal error, please try again later"}
}

// statusOf maps a domain error code to an HTTP status.
func statusOf(c award.Code) int {
	switch c {
	case award.CodeInvalid:
		return http.StatusUnprocessableEntity
	case award.CodeForbidden:
		return http.StatusForbidden
	case award.CodeWrongStage, award.CodeDuplicate:
		return http.StatusConflict
	case award.CodeNotFound:
		return http.StatusNotFound
	}
	return http.StatusBadRequest
}

// fail answers for an error from the domain core or a Temporal call.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error, what string) {
	var de *award.Error
	if errors.As(err, &de) {
		writeError(w, statusOf(de.Code), de)
		return
	}
	if de, ok := workflows.DomainError(err); ok {
		writeError(w, statusOf(de.Code), de)
		return
	}
	var nf *serviceerror.NotFound
	if errors.As(err, &nf) && !strings.Contains(err.Error(), "already completed") {
		writeError(w, http.StatusNotFound, award.NotFound("Không tìm thấy %s", "%s not found", what))
		return
	}
	if strings.Contains(err.Error(), "workflow execution already completed") {
		writeError(w, http.StatusConflict, award.WrongStage("Hồ sơ/phiên họp đã kết thúc, không thể thực hiện thao tác này", "the %s is finished; this action is no longer possible", what))
		return
	}
	if errors.Is(err, context.Canceled) {
		return // the client went away
	}
	s.Log.ErrorContext(r.Context(), "request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	writeError(w, http.StatusInternalServerError, internalError())
}

var idPattern = regexp.MustCompile(`^[a-z]+-[0-9a-f]{8,64}$`)

// pathID reads and checks an id from the URL, so that nothing odd reaches a Temporal
// call or a visibility query.
func pathID(w http.ResponseWriter, r *http.Request, prefix, what string) (string, bool) {
	id := r.PathValue("id")
	if !strings.HasPrefix(id, prefix) || !idPattern.MatchString(id) {
		writeError(w, http.StatusNotFound, award.NotFound("Không tìm thấy %s “%s”", "%s %q not found", what, id))
		return "", false
	}
	return id, true
}

var keyPattern = regexp.MustCompile(`^[A-Za-z0-9._:-]{1,128}$`)

// idempotencyKey reads the Idempotency-Key header. It becomes (part of) the Temporal
// Update ID, so a repeated request returns the first request's result.
func idempotencyKey(w http.ResponseWriter, r *http.Request) (string, bool) {
	k := r.Header.Get("Idempotency-Key")
	if k == "" {
		return "", true
	}
	if !keyPattern.MatchString(k) {
		writeError(w, http.StatusBadRequest, award.Invalid("Idempotency-Key không hợp lệ (1–128 ký tự A-Z a-z 0-9 . _ : -)", "Idempotency-Key must be 1-128 characters of A-Z a-z 0-9 . _ : -"))
		return "", false
	}
	return k, true
}

func newID(prefix string) string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return prefix + hex.EncodeToString(b)
}

// quote escapes a value for a visibility query string.
func quote(v string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(v) + "'"
}

func updateID(action, key string) string {
	if key == "" {
		return ""
	}
	return fmt.Sprintf("%s:%s", action, key)
}
