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
	"fmt"
	"log/slog"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"time"

	"go.temporal.io/sdk/client"

	"github.com/awardflow/awardflow/internal/auth"
	"github.com/awardflow/awardflow/internal/award"
	"github.com/awardflow/awardflow/internal/ballotbox"
	"github.com/awardflow/awardflow/internal/blobstore"
	"github.com/awardflow/awardflow/internal/obs"
	"github.com/awardflow/awardflow/internal/opshttp"
	"github.com/awardflow/awardflow/internal/orgconfig"
	"github.com/awardflow/awardflow/internal/store"
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
	// Org is the organisation: the YAML's profile and rules with the directory as it
	// stands (internal/directory over the records store, or a fixed *orgconfig.Org).
	// authenticate reads it once per request; handlers take that copy with s.orgOf.
	Org    orgconfig.Source
	Tokens *auth.Tokens
	// Throttle brakes password guessing at login; nil = a default one on Now.
	Throttle *auth.Throttle
	// Proxies are the reverse proxies whose X-Forwarded-For names the client.
	Proxies auth.Proxies
	// Revocations is the shared list of logged-out tokens (nil: logout is unavailable).
	Revocations *auth.Revocations
	Ballots     *ballotbox.Box // seals ballots before they reach Temporal
	// Records is the records store: the award register that verify and the awardee
	// lists read, and the projection the proposal, inbox and session lists read
	// (listing.go). Nil: verify and the lists ask Temporal's visibility only.
	Records *store.Store
	Log     *slog.Logger
	// MaxEvidence caps one evidence file, in bytes.
	MaxEvidence int64
	// ReviewWithin, when set, is the length of a head's review deadline instead of the
	// agency's review_days days (drills and end-to-end tests of escalation).
	ReviewWithin time.Duration
	// Ready reports whether the process's dependencies (Temporal, S3, worker) are up.
	// Deprecated: use Checks, which /readyz names one by one; Ready is one more check.
	Ready func(ctx context.Context) error
	// Checks are /readyz's named checks (internal/opshttp).
	Checks []opshttp.Check
	// Workers tells whether a worker polls the task queue (preflight.Pollers): a
	// request that needs one answers 503 at once when none does. Nil: not checked.
	Workers WorkerGate
	// WorkerWait bounds how long a filing waits for a worker to take its workflow
	// (DefaultWorkerWait when 0).
	WorkerWait time.Duration
	// TrustedCAs are the roots signatures must chain to (POST /api/v1/verify).
	TrustedCAs *x509.CertPool
	// Now is the clock (tests may fix it).
	Now func() time.Time
	// OIDC signs people in with an OpenID Provider beside passwords (oidc.go); nil: off.
	OIDC *auth.OIDC
	// LocalLoginOff refuses passwords (single sign-on only).
	LocalLoginOff bool

	oidcFlowSeal, oidcResultSeal *auth.Sealer
	oidcUsed                     auth.OnceSet
	// MetricsToken, when set, is the bearer token GET /metrics asks for.
	MetricsToken string

	verifySem chan struct{} // one token per running verification (POST /api/v1/verify)
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
	s.setupAuth()
	s.setupOIDC()
	s.verifySem = make(chan struct{}, verifySlots)
	mux := http.NewServeMux()
	for _, rt := range s.routes() {
		mux.HandleFunc(rt.method+" "+rt.path, rt.handler)
	}
	mux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		if allow := allowedMethods(mux, r); len(allow) > 0 {
			w.Header().Set("Allow", strings.Join(allow, ", "))
			s.writeErr(w, r, award.MethodNotAllowed(r.Method, r.URL.Path))
			return
		}
		s.writeErr(w, r, award.NotFound("Không có địa chỉ API này: %[1]s %[2]s", "no such API route: %[1]s %[2]s", r.Method, r.URL.Path))
	})
	// The browser UI. Registered as "/" rather than "GET /": ServeMux refuses "GET /"
	// next to "/api/" (neither pattern is more specific). The UI handler answers 405 to
	// methods other than GET and HEAD itself, and "/api/" still wins for API paths.
	mux.Handle("/", web.Handler())
	return obs.HTTP(s.recoverer(noStore(mux)))
}

// allowedMethods lists the methods the route table serves on r's path. The catch-all
// "/api/" pattern matches every method, so ServeMux's own 405 never fires: ask the mux,
// method by method, which pattern would serve the path.
func allowedMethods(mux *http.ServeMux, r *http.Request) []string {
	var allow []string
	for _, m := range []string{http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete} {
		probe := &http.Request{Method: m, URL: r.URL, Host: r.Host, Header: http.Header{}}
		if _, pattern := mux.Handler(probe); pattern != "" && pattern != "/api/" && pattern != "/" {
			allow = append(allow, m)
		}
	}
	return allow
}

// noStore keeps API answers (tokens, personal data, documents) out of every cache; only
// the public OpenAPI document may be cached.
func noStore(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if (strings.HasPrefix(r.URL.Path, "/api/") && r.URL.Path != "/api/v1/openapi.yaml") || strings.HasPrefix(r.URL.Path, "/auth/") {
			w.Header().Set("Cache-Control", "no-store")
		}
		next.ServeHTTP(w, r)
	})
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
		{"GET", "/metrics", s.metrics},
		{"GET", "/api/v1/openapi.yaml", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/yaml; charset=utf-8")
			_, _ = w.Write(openapiYAML)
		}},
		{"POST", "/api/v1/login", s.public(s.login)},
		{"GET", "/api/v1/login/methods", s.public(s.loginMethods)},
		{"POST", "/api/v1/login/oidc", s.public(s.oidcLogin)},
		{"GET", "/auth/oidc/start", s.public(s.oidcStart)},
		{"GET", "/auth/oidc/callback", s.public(s.oidcCallback)},
		{"POST", "/api/v1/logout", s.authed(s.logout)},
		{"GET", "/api/v1/me", s.authed(s.me)},
		{"GET", "/api/v1/org", s.authed(s.orgInfo)},

		{"POST", "/api/v1/proposals", s.authed(s.createProposal)},
		{"GET", "/api/v1/proposals", s.authed(s.listProposals)},
		{"GET", "/api/v1/proposals/{id}", s.authed(s.getProposal)},
		{"PUT", "/api/v1/proposals/{id}", s.authed(s.reviseProposal)},
		{"DELETE", "/api/v1/proposals/{id}", s.authed(s.deleteProposal)},
		{"POST", "/api/v1/proposals/{id}/withdraw", s.authed(s.withdrawProposal)},
		{"DELETE", "/api/v1/proposals/{id}/evidence/{sha}", s.authed(s.removeEvidence)},
		{"PUT", "/api/v1/proposals/{id}/self-assessment", s.authed(s.selfAssess)},
		{"POST", "/api/v1/proposals/{id}/submit", s.authed(s.submit)},
		{"POST", "/api/v1/proposals/bulk-review", s.authed(s.bulkReview)},
		{"POST", "/api/v1/proposals/bulk", s.authed(s.bulkFile)},
		{"POST", "/api/v1/proposals/bulk/import", s.authed(s.importList)},
		{"GET", "/api/v1/proposals/bulk/template", s.authed(s.listTemplate)},
		{"POST", "/api/v1/proposals/{id}/endorse", s.authed(s.review(award.HeadEndorse))},
		{"POST", "/api/v1/proposals/{id}/return", s.authed(s.review(award.HeadReturn))},
		{"POST", "/api/v1/proposals/{id}/reject", s.authed(s.review(award.HeadReject))},
		{"POST", "/api/v1/proposals/{id}/evidence", s.authed(s.uploadEvidence)},
		{"GET", "/api/v1/proposals/{id}/evidence/{sha}", s.authed(s.downloadEvidence)},
		{"POST", "/api/v1/proposals/{id}/evidence/{sha}/share", s.authed(s.shareEvidence)},

		{"GET", "/api/v1/inbox", s.authed(s.inbox)},
		{"GET", "/api/v1/notifications", s.authed(s.listNotifications)},
		{"POST", "/api/v1/notifications/read", s.authed(s.readNotifications)},
		{"GET", "/api/v1/notifications/preferences", s.authed(s.getNotificationPrefs)},
		{"PUT", "/api/v1/notifications/preferences", s.authed(s.putNotificationPrefs)},

		{"POST", "/api/v1/sessions", s.authed(s.openSession)},
		{"GET", "/api/v1/sessions", s.authed(s.listSessions)},
		{"GET", "/api/v1/sessions/{id}", s.authed(s.getSession)},
		{"POST", "/api/v1/sessions/{id}/ballot", s.authed(s.ballot)},
		{"POST", "/api/v1/sessions/{id}/close", s.authed(s.closeSession)},
		{"POST", "/api/v1/sessions/{id}/exclude", s.authed(s.excludeFromSession)},
		{"POST", "/api/v1/sessions/{id}/retry-issue", s.authed(s.retryIssue)},
		{"GET", "/api/v1/sessions/{id}/minutes.pdf", s.authed(s.minutesPDF)},
		{"GET", "/api/v1/sessions/{id}/council-submission.pdf", s.authed(s.councilSubmissionPDF)},
		{"POST", "/api/v1/sessions/{id}/documents/{doc}/approve", s.authed(s.documentAction(workflows.UpdateApproveDocument))},
		{"POST", "/api/v1/sessions/{id}/documents/{doc}/send-back", s.authed(s.documentAction(workflows.UpdateSendBackDocument))},
		{"POST", "/api/v1/sessions/{id}/documents/{doc}/revise", s.authed(s.documentAction(workflows.UpdateReviseDocument))},
		{"POST", "/api/v1/sessions/{id}/documents/{doc}/abandon", s.authed(s.documentAction(workflows.UpdateAbandonDocument))},
		{"POST", "/api/v1/sessions/{id}/documents/{doc}/issue", s.authed(s.documentAction(workflows.UpdateIssueDocument))},
		{"GET", "/api/v1/sessions/{id}/documents/{doc}/draft.pdf", s.authed(s.documentPDF("draft"))},
		{"GET", "/api/v1/sessions/{id}/documents/{doc}/signed.pdf", s.authed(s.documentPDF("signed"))},
		{"GET", "/api/v1/sessions/{id}/documents/{doc}/issued.pdf", s.authed(s.documentPDF("issued"))},
		{"GET", "/api/v1/sessions/{id}/export.zip", s.authed(s.exportSession)},
		{"GET", "/api/v1/decisions/{id}/pdf", s.authed(s.decisionPDF)},
		// Public, like a government e-document verification portal: answering needs the
		// exact file, and the answer reveals nothing beyond that file.
		{"POST", "/api/v1/verify", s.public(s.verify)},
		{"GET", "/api/v1/awardees", s.authed(s.listAwardees)},
		{"POST", "/api/v1/register/documents/{id}/awardees/{proposal}/recovered", s.authed(s.markRecovered)},
		{"POST", "/api/v1/delegations", s.authed(s.createDelegation)},
		{"GET", "/api/v1/delegations", s.authed(s.listDelegations)},
		{"POST", "/api/v1/delegations/{id}/withdraw", s.authed(s.withdrawDelegation)},
		{"POST", "/api/v1/revocations", s.authed(s.createRevocation)},
		{"GET", "/api/v1/revocations", s.authed(s.listRevocations)},
		{"GET", "/api/v1/revocations/{id}", s.authed(s.getRevocation)},
		{"GET", "/api/v1/revocations/{id}/files/{file}", s.authed(s.revocationPDF)},
		{"POST", "/api/v1/revocations/{id}/approve", s.authed(s.revocationAction(workflows.UpdateApproveDocument))},
		{"POST", "/api/v1/revocations/{id}/send-back", s.authed(s.revocationAction(workflows.UpdateSendBackDocument))},
		{"POST", "/api/v1/revocations/{id}/revise", s.authed(s.revocationAction(workflows.UpdateReviseDocument))},
		{"POST", "/api/v1/revocations/{id}/abandon", s.authed(s.revocationAction(workflows.UpdateAbandonDocument))},
		{"POST", "/api/v1/revocations/{id}/issue", s.authed(s.revocationAction(workflows.UpdateIssueDocument))},
		{"POST", "/api/v1/register/documents/{id}/results", s.authed(s.recordUpward)},
		{"GET", "/api/v1/directory/people/{person}/awards", s.authed(s.awardHistory(false))},
		{"GET", "/api/v1/directory/units/{unit}/awards", s.authed(s.awardHistory(true))},
		{"POST", "/api/v1/sessions/{id}/posting", s.authed(s.postSession)},
		{"GET", "/api/v1/sessions/{id}/posting", s.authed(s.getPosting)},
		{"POST", "/api/v1/sessions/{id}/objections", s.authed(s.objectTo)},
		{"GET", "/api/v1/sessions/{id}/objections", s.authed(s.listObjections)},
		{"GET", "/api/v1/postings", s.authed(s.listPostings)},
		{"GET", "/api/v1/statistics", s.authed(s.statistics)},
		{"GET", "/api/v1/statistics/export", s.authed(s.statisticsExport)},
		{"GET", "/api/v1/annual-records", s.authed(s.listAnnual)},
		{"GET", "/api/v1/annual-records/file", s.authed(s.annualFile)},
		{"POST", "/api/v1/annual-records/import", s.authed(s.importAnnual)},
		{"PUT", "/api/v1/annual-records/{year}/{kind}/{id}", s.authed(s.putAnnual)},
		{"GET", "/api/v1/movements", s.authed(s.listMovements)},
		{"GET", "/api/v1/movements/reminders", s.authed(s.movementReminders)},
		{"GET", "/api/v1/movements/{id}", s.authed(s.getMovement)},
		{"GET", "/api/v1/movements/{id}/registrations", s.authed(s.listRegistrations)},
		{"POST", "/api/v1/movements/{id}/registrations", s.authed(s.registerForMovement)},
		{"DELETE", "/api/v1/movements/{id}/registrations/{kind}/{subject}", s.authed(s.withdrawRegistration)},
		{"GET", "/api/v1/directory/units", s.authed(s.listUnits)},
		{"PUT", "/api/v1/directory/units/{unit}", s.authed(s.putUnit)},
		{"GET", "/api/v1/directory/people", s.authed(s.listPeople)},
		{"GET", "/api/v1/directory/people/{person}", s.authed(s.getPerson)},
		{"PUT", "/api/v1/directory/people/{person}", s.authed(s.putPerson)},
		{"POST", "/api/v1/directory/people/{person}/move", s.authed(s.movePerson)},
		{"POST", "/api/v1/directory/people/{person}/deactivate", s.authed(s.setPersonActive(false))},
		{"POST", "/api/v1/directory/people/{person}/reactivate", s.authed(s.setPersonActive(true))},
		{"GET", "/api/v1/admin/rules", s.authed(s.adminRules)},
	}
}

func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	checks := s.Checks
	if s.Ready != nil {
		checks = append(slices.Clone(checks), opshttp.Check{Name: "ready", Run: s.Ready})
	}
	opshttp.Readyz(checks).ServeHTTP(w, r)
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
				s.writeErr(w, r, award.Internal())
			}
		}()
		next.ServeHTTP(w, r)
	})
}

type ctxKey struct{}

// authed checks the bearer token and passes the actor on; the handler's error becomes
// the response.
func (s *Server) authed(h func(http.ResponseWriter, *http.Request, award.Actor) error) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		p, r, err := s.authenticate(w, r)
		if err == nil {
			r = r.WithContext(context.WithValue(r.Context(), ctxKey{}, p.ID))
			// The delegations in force today travel with the actor into every check and
			// every command (award.Actor.ActsAs, Delegation).
			var a award.Actor
			if a, err = s.withMandates(r.Context(), p.Actor()); err == nil {
				err = h(w, r, a)
			}
		}
		if err != nil {
			s.writeErr(w, r, err)
		}
	}
}

// public serves a handler that needs no sign-in.
func (s *Server) public(h func(http.ResponseWriter, *http.Request) error) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := h(w, r); err != nil {
			s.writeErr(w, r, err)
		}
	}
}

func (s *Server) orgInfo(w http.ResponseWriter, r *http.Request, a award.Actor) error {
	org, err := s.orgOf(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, orgOut{Org: org, Labels: catalog()})
	return nil
}

type orgCtxKey struct{}

// orgOf is the organisation of this request: the copy authenticate read (one directory
// for the whole request), else read now (public routes).
func (s *Server) orgOf(ctx context.Context) (*orgconfig.Org, error) {
	if o, ok := ctx.Value(orgCtxKey{}).(*orgconfig.Org); ok {
		return o, nil
	}
	o, err := s.Org.Current(ctx)
	if err != nil {
		return nil, fmt.Errorf("organisation: %w", err)
	}
	return o, nil
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(true)
	_ = enc.Encode(emptyLists(v))
}

var idPattern = regexp.MustCompile(`^[a-z]+-[0-9a-f]{8,64}$`)

// pathID reads and checks an id from the URL, so that nothing odd reaches a Temporal
// call or a visibility query.
func pathID(r *http.Request, prefix string, n award.Noun) (string, error) {
	id := r.PathValue("id")
	if !strings.HasPrefix(id, prefix) || !idPattern.MatchString(id) {
		return "", award.NotFound("Không tìm thấy %[1]s “%[3]s”", "%[2]s %[3]q not found", n.VI, n.EN, id)
	}
	return id, nil
}

var keyPattern = regexp.MustCompile(`^[A-Za-z0-9._:-]{1,128}$`)

// idempotencyKey reads the Idempotency-Key header. It becomes (part of) the Temporal
// Update ID, so a repeated request returns the first request's result.
func idempotencyKey(r *http.Request) (string, error) {
	k := r.Header.Get("Idempotency-Key")
	if k == "" {
		return "", nil
	}
	if !keyPattern.MatchString(k) {
		return "", award.Malformed("Idempotency-Key không hợp lệ (1–128 ký tự A-Z a-z 0-9 . _ : -)", "Idempotency-Key must be 1-128 characters of A-Z a-z 0-9 . _ : -")
	}
	return k, nil
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
