package httpapi

import (
	"crypto/subtle"
	"errors"
	"fmt"
	"math"
	"net/http"
	"regexp"
	"strings"
	"time"

	"github.com/awardflow/awardflow/internal/auth"
	"github.com/awardflow/awardflow/internal/award"
)

// Single sign-on (OpenID Connect) beside local accounts.
//
//	GET  /auth/oidc/start?next=/proposals/…  → 302 to the provider; the flow (state,
//	     nonce, PKCE verifier, the page to return to) sealed in an HttpOnly cookie.
//	GET  /auth/oidc/callback?code&state      → checks the flow, exchanges the code,
//	     verifies the ID token and its nonce, matches the person, and 302 to the
//	     sign-in page (#/login?sso=1) with the outcome sealed in a second cookie, which
//	     only POST /api/v1/login/oidc reads.
//	POST /api/v1/login/oidc                  → the same answer as POST /api/v1/login
//	     (and the page to return to), or the refusal with its message.
//
// The token thus never appears in a URL, a history entry or a log: the pages receive it
// from a JSON answer, as with a password. Roles come from awardflow's directory only.

const (
	oidcFlowCookie   = "awardflow_oidc_flow"
	oidcResultCookie = "awardflow_oidc_result"
	oidcFlowPath     = "/auth/oidc/"
	oidcResultPath   = "/api/v1/login/oidc"
	// oidcFlowTTL bounds the time spent at the provider's sign-in page.
	oidcFlowTTL = 10 * time.Minute
	// oidcResultTTL bounds the time from the callback to the page's exchange.
	oidcResultTTL = 2 * time.Minute
	// oidcAccount is the throttle's account key of single sign-on attempts: the provider
	// checks the password, awardflow brakes floods of forged or replayed callbacks per
	// address like failed passwords.
	oidcAccount = "\x00oidc"
)

// The refusals of a single sign-on, carried from the callback to the page.
const (
	ssoExpired      = "expired"
	ssoBadState     = "bad_state"
	ssoReplayed     = "replayed"
	ssoDenied       = "denied"
	ssoBadToken     = "bad_token"
	ssoBadNonce     = "bad_nonce"
	ssoNoClaim      = "no_claim"
	ssoUnknown      = "unknown_person"
	ssoInactive     = "inactive_person"
	ssoProviderDown = "provider_down"
	ssoThrottled    = "throttled"
)

// ssoRefusal is the answer of POST /api/v1/login/oidc for each refusal.
func ssoRefusal(kind string, retry int) *award.Error {
	switch kind {
	case ssoExpired:
		return award.Unauthenticated("Lượt đăng nhập một cửa đã quá hạn hoặc được mở từ trình duyệt khác. Vui lòng bấm “Đăng nhập bằng tài khoản một cửa (SSO)” lần nữa.",
			"the single sign-on took too long or was started in another browser; start it again")
	case ssoBadState:
		return award.Unauthenticated("Yêu cầu đăng nhập một cửa không hợp lệ (mã kiểm tra không khớp). Vui lòng đăng nhập lại từ trang này.",
			"the single sign-on answer does not belong to this browser's sign-in (state mismatch); start again here")
	case ssoReplayed:
		return award.Unauthenticated("Yêu cầu đăng nhập một cửa này đã được dùng rồi. Vui lòng đăng nhập lại từ trang này.",
			"this single sign-on answer was already used; start again here")
	case ssoDenied:
		return award.Unauthenticated("Hệ thống đăng nhập một cửa chưa xác nhận danh tính (đã hủy hoặc bị từ chối). Vui lòng thử lại.",
			"the identity provider did not confirm who you are (cancelled or refused); try again")
	case ssoBadToken:
		return award.Unauthenticated("Thông tin đăng nhập từ hệ thống một cửa không hợp lệ (sai nơi cấp, không dành cho hệ thống này hoặc đã hết hạn). Vui lòng thử lại hoặc báo quản trị viên.",
			"the identity provider's ID token is invalid (wrong issuer or audience, bad signature, or expired)")
	case ssoBadNonce:
		return award.Unauthenticated("Thông tin đăng nhập từ hệ thống một cửa không khớp với lượt đăng nhập này (nonce). Vui lòng đăng nhập lại.",
			"the ID token does not belong to this sign-in (nonce mismatch); start again")
	case ssoNoClaim:
		return award.Unauthenticated("Hệ thống một cửa không cho biết tên đăng nhập (hoặc thư điện tử chưa được xác minh), nên không xác định được bạn trong danh bạ. Vui lòng báo quản trị viên.",
			"the ID token lacks the claim awardflow matches people by (or the email is not verified)")
	case ssoUnknown:
		return award.Unauthenticated("Tài khoản một cửa của bạn chưa gắn với ai trong danh bạ của cơ quan. Vui lòng liên hệ quản trị viên để được thêm vào danh bạ.",
			"your single sign-on account matches nobody in the agency's directory; ask an administrator")
	case ssoInactive:
		return award.Unauthenticated("Tài khoản không còn hoạt động trong danh bạ của cơ quan (đã nghỉ hoặc chuyển công tác).",
			"the account was deactivated in the directory")
	case ssoProviderDown:
		return award.Unavailable(30, "Hệ thống đăng nhập một cửa đang không truy cập được. Vui lòng thử lại sau ít phút hoặc đăng nhập bằng tài khoản của hệ thống.",
			"the identity provider cannot be reached; try again in a few minutes or sign in with a password")
	case ssoThrottled:
		return award.TooManyRequests(retry,
			"Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau %[1]d giây.",
			"too many failed sign-ins; try again in %[1]d s", retry)
	}
	return award.Internal()
}

// oidcFailure maps an error of the relying party to a refusal.
func oidcFailure(err error) string {
	switch {
	case errors.Is(err, auth.ErrProviderDown):
		return ssoProviderDown
	case errors.Is(err, auth.ErrCodeRefused):
		return ssoReplayed
	case errors.Is(err, auth.ErrBadNonce):
		return ssoBadNonce
	case errors.Is(err, auth.ErrNoClaim):
		return ssoNoClaim
	}
	return ssoBadToken
}

// ssoResult is the callback's outcome, sealed for the page's exchange.
type ssoResult struct {
	ID     string `json:"i"` // one use only
	Person string `json:"p,omitempty"`
	Next   string `json:"n,omitempty"`
	Fail   string `json:"f,omitempty"`
	Retry  int    `json:"r,omitempty"`
}

// nextPattern: a page of the app (its hash route), never another site.
var nextPattern = regexp.MustCompile(`^/[A-Za-z0-9._~/?=&%+,:-]{0,500}$`)

func safeNext(next string) string {
	if !nextPattern.MatchString(next) || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/login") {
		return "/"
	}
	return next
}

// EnableSignIn sets how people sign in: single sign-on with cfg (nil: off) and whether
// passwords are accepted. Call it before Handler.
func (s *Server) EnableSignIn(cfg *auth.OIDCConfig, localLogin bool) error {
	if cfg == nil && !localLogin {
		return errors.New("sign-in: passwords off and no single sign-on: nobody could sign in")
	}
	s.LocalLoginOff = !localLogin
	s.OIDC = nil
	if cfg != nil {
		o, err := auth.NewOIDC(*cfg)
		if err != nil {
			return err
		}
		s.OIDC = o
	}
	return nil
}

func (s *Server) setupOIDC() {
	if s.OIDC == nil || s.Tokens == nil {
		return
	}
	var err error
	if s.oidcFlowSeal, err = s.Tokens.Sealer("oidc-flow"); err != nil {
		panic(fmt.Sprintf("oidc: %v", err)) // NewTokens checked the secret's length
	}
	if s.oidcResultSeal, err = s.Tokens.Sealer("oidc-result"); err != nil {
		panic(fmt.Sprintf("oidc: %v", err))
	}
}

func (s *Server) setCookie(w http.ResponseWriter, name, path, value string, ttl time.Duration) {
	c := &http.Cookie{Name: name, Value: value, Path: path, HttpOnly: true, SameSite: http.SameSiteLaxMode,
		Secure: s.OIDC.Secure()}
	if ttl > 0 {
		c.MaxAge = int(ttl.Seconds())
	} else {
		c.MaxAge = -1
	}
	http.SetCookie(w, c)
}

func (s *Server) oidcOff() error {
	return award.NotFound("Hệ thống chưa cấu hình đăng nhập một cửa (SSO)", "single sign-on is not configured")
}

// loginMethods tells the sign-in page which ways to sign in are on.
func (s *Server) loginMethods(w http.ResponseWriter, r *http.Request) error {
	writeJSON(w, http.StatusOK, map[string]bool{"password": !s.LocalLoginOff, "sso": s.OIDC != nil})
	return nil
}

// oidcStart sends the browser to the provider.
func (s *Server) oidcStart(w http.ResponseWriter, r *http.Request) error {
	if s.OIDC == nil {
		return s.oidcOff()
	}
	next := safeNext(r.URL.Query().Get("next"))
	u, flow, err := s.OIDC.Start(r.Context(), next)
	if err != nil {
		s.Log.WarnContext(r.Context(), "login", "method", "oidc", "addr", s.Proxies.ClientAddr(r), "outcome", ssoProviderDown, "err", err)
		return s.oidcDone(w, r, ssoResult{Fail: ssoProviderDown, Next: next})
	}
	sealed, err := s.oidcFlowSeal.Seal(flow, s.Now().Add(oidcFlowTTL))
	if err != nil {
		return err
	}
	s.setCookie(w, oidcFlowCookie, oidcFlowPath, sealed, oidcFlowTTL)
	http.Redirect(w, r, u, http.StatusFound)
	return nil
}

// oidcDone seals the outcome for the page and sends the browser to the sign-in page.
func (s *Server) oidcDone(w http.ResponseWriter, r *http.Request, res ssoResult) error {
	res.ID = newID("sso-")
	sealed, err := s.oidcResultSeal.Seal(res, s.Now().Add(oidcResultTTL))
	if err != nil {
		return err
	}
	s.setCookie(w, oidcResultCookie, oidcResultPath, sealed, oidcResultTTL)
	http.Redirect(w, r, "/#/login?sso=1", http.StatusFound)
	return nil
}

// oidcCallback ends the flow at the provider.
func (s *Server) oidcCallback(w http.ResponseWriter, r *http.Request) error {
	if s.OIDC == nil {
		return s.oidcOff()
	}
	return s.oidcDone(w, r, s.oidcFinish(w, r))
}

func (s *Server) oidcFinish(w http.ResponseWriter, r *http.Request) ssoResult {
	ctx := r.Context()
	addr := s.Proxies.ClientAddr(r)
	now := s.Now()
	// Neither the token nor the provider's claims go to the log: the outcome, the
	// address and, once matched, the person id (a user name, as for a password).
	logAttempt := func(outcome, person string, err error) {
		args := []any{"method", "oidc", "addr", addr, "outcome", outcome}
		if person != "" {
			args = append(args, "user", person)
		}
		if err != nil {
			args = append(args, "err", err)
		}
		s.Log.InfoContext(ctx, "login", args...)
	}
	attempt, wait := s.Throttle.Begin(oidcAccount, auth.ThrottleKey(addr))
	if attempt == nil {
		secs := int(math.Ceil(wait.Seconds()))
		logAttempt("throttled", "", nil)
		return ssoResult{Fail: ssoThrottled, Retry: secs}
	}
	// The flow cookie serves once.
	s.setCookie(w, oidcFlowCookie, oidcFlowPath, "", 0)
	fail := func(kind string, err error) ssoResult {
		logAttempt(kind, "", err)
		return ssoResult{Fail: kind}
	}
	c, err := r.Cookie(oidcFlowCookie)
	if err != nil || c.Value == "" {
		return fail(ssoExpired, nil)
	}
	var flow auth.Flow
	if err := s.oidcFlowSeal.Open(c.Value, now, &flow); err != nil {
		if errors.Is(err, auth.ErrSealExpired) {
			return fail(ssoExpired, nil)
		}
		return fail(ssoBadState, nil)
	}
	q := r.URL.Query()
	if subtle.ConstantTimeCompare([]byte(q.Get("state")), []byte(flow.State)) != 1 {
		return fail(ssoBadState, nil)
	}
	if !s.oidcUsed.First("flow:"+flow.State, now.Add(oidcFlowTTL), now) {
		return fail(ssoReplayed, nil)
	}
	res := func(kind string, err error) ssoResult {
		r := fail(kind, err)
		r.Next = flow.Next
		return r
	}
	if q.Get("error") != "" {
		return res(ssoDenied, nil)
	}
	claim, err := s.OIDC.Finish(ctx, flow, q.Get("code"))
	if err != nil {
		kind := oidcFailure(err)
		if kind == ssoProviderDown {
			attempt.Succeeded() // not the person's fault: no failure counted
		}
		return res(kind, err)
	}
	org, err := s.orgOf(ctx)
	if err != nil {
		attempt.Succeeded()
		return res(ssoProviderDown, err)
	}
	id := strings.ToLower(claim)
	p, ok := org.Person(id)
	if !ok {
		if _, exists := org.Anyone(id); exists {
			logAttempt(ssoInactive, id, nil)
			return ssoResult{Fail: ssoInactive, Next: flow.Next}
		}
		return res(ssoUnknown, nil)
	}
	attempt.Succeeded()
	logAttempt("ok", p.ID, nil)
	return ssoResult{Person: p.ID, Next: flow.Next}
}

// oidcLogin hands the outcome of the callback to the page: a token as POST
// /api/v1/login answers, or the refusal.
func (s *Server) oidcLogin(w http.ResponseWriter, r *http.Request) error {
	if s.OIDC == nil {
		return s.oidcOff()
	}
	c, err := r.Cookie(oidcResultCookie)
	if err != nil || c.Value == "" {
		return award.Malformed("Không có kết quả đăng nhập một cửa nào đang chờ trên trình duyệt này. Vui lòng bấm “Đăng nhập bằng tài khoản một cửa (SSO)”.",
			"no single sign-on outcome is waiting in this browser; start the single sign-on")
	}
	s.setCookie(w, oidcResultCookie, oidcResultPath, "", 0)
	now := s.Now()
	var res ssoResult
	if err := s.oidcResultSeal.Open(c.Value, now, &res); err != nil {
		return ssoRefusal(ssoExpired, 0)
	}
	if !s.oidcUsed.First("result:"+res.ID, now.Add(oidcResultTTL), now) {
		return ssoRefusal(ssoReplayed, 0)
	}
	if res.Fail != "" {
		return ssoRefusal(res.Fail, res.Retry)
	}
	org, err := s.orgOf(r.Context())
	if err != nil {
		return err
	}
	p, ok := org.Person(res.Person)
	if !ok { // deactivated in the seconds since the callback
		return ssoRefusal(ssoInactive, 0)
	}
	tok, exp := s.Tokens.IssueWith(p.ID, p.PasswordHash, now)
	writeJSON(w, http.StatusOK, ssoToken{Token: tok, TokenType: "Bearer", ExpiresAt: exp, User: s.viewOf(r.Context(), p), Next: safeNext(res.Next)})
	return nil
}

type ssoToken struct {
	Token     string    `json:"token"`
	TokenType string    `json:"token_type"`
	ExpiresAt time.Time `json:"expires_at"`
	User      userView  `json:"user"`
	Next      string    `json:"next"`
}
