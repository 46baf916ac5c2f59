package httpapi

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"strings"
	"time"

	"github.com/awardflow/awardflow/internal/auth"
	"github.com/awardflow/awardflow/internal/award"
	"github.com/awardflow/awardflow/internal/obs"
	"github.com/awardflow/awardflow/internal/orgconfig"
)

// Sign-in, sign-out and the check of the bearer token on every authenticated request.
// The throttle and the revocation list are described in internal/auth.

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
	// Labels: "Nguyễn Thị Hồng Đào (Chuyên viên, Phòng Tuyên truyền)", the department's
	// name, the roles' names.
	DisplayName     string   `json:"display_name"`
	DepartmentLabel string   `json:"department_label"`
	RoleLabels      []string `json:"role_labels"`
}

func (s *Server) viewOf(ctx context.Context, p orgconfig.Person) userView {
	l := s.labels(ctx)
	return userView{ID: p.ID, Name: p.Name, Position: p.Position, Department: p.Department, Roles: p.Roles,
		DisplayName: l.person(p.ID, p.Name), DepartmentLabel: l.department(p.Department), RoleLabels: award.RoleLabels(p.Roles)}
}

// setupAuth fills in the defaults of the sign-in parts (called by Handler).
func (s *Server) setupAuth() {
	if s.Throttle == nil {
		s.Throttle = auth.NewThrottle(auth.DefaultThrottleConfig, func() time.Time { return s.Now() })
	}
	if s.Tokens != nil && s.Tokens.PasswordHash == nil {
		// For Tokens.Issue and Parse outside a request (tests, tools); the server itself
		// binds and checks tokens against the request's directory (IssueWith, ParseWith).
		s.Tokens.PasswordHash = func(id string) string {
			org, err := s.Org.Current(context.Background())
			if err != nil {
				return ""
			}
			p, _ := org.Person(id)
			return p.PasswordHash
		}
	}
	if s.Revocations != nil && s.Revocations.Now == nil {
		s.Revocations.Now = func() time.Time { return s.Now() }
	}
}

// maxUsernameLog caps the user name written to the log (it comes from the client).
const maxUsernameLog = 64

// unknownUser is logged for a user name that names no account.
const unknownUser = "(unknown)"

func (s *Server) login(w http.ResponseWriter, r *http.Request) error {
	if s.LocalLoginOff {
		return award.Forbidden("Cơ quan chỉ cho đăng nhập bằng tài khoản một cửa (SSO).", "passwords are turned off here: use single sign-on")
	}
	var req loginRequest
	if err := decode(w, r, &req); err != nil {
		return err
	}
	username := strings.TrimSpace(req.Username)
	addr := s.Proxies.ClientAddr(r)
	org, err := s.orgOf(r.Context())
	if err != nil {
		return err // not the caller's fault: no attempt counted
	}
	p, found := org.Person(username)
	// A user name that names no account is not logged: it may be a password typed in
	// the wrong field.
	logUser := unknownUser
	if found {
		logUser = username
		if len(logUser) > maxUsernameLog {
			logUser = logUser[:maxUsernameLog] + "…"
		}
	}
	logAttempt := func(outcome string, extra ...any) {
		s.Log.InfoContext(r.Context(), "login", append([]any{"user", logUser, "addr", addr, "outcome", outcome}, extra...)...)
	}
	attempt, wait := s.Throttle.Begin(username, auth.ThrottleKey(addr))
	if attempt == nil {
		secs := int(math.Ceil(wait.Seconds()))
		logAttempt("throttled", "retry_after", secs)
		obs.LoginFailed("throttled")
		return award.TooManyRequests(secs,
			"Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau %[1]d giây.",
			"too many failed sign-ins; try again in %[1]d s", secs)
	}
	hash := ""
	if found {
		hash = p.PasswordHash
	}
	if err := auth.CheckPassword(hash, req.Password); err != nil {
		logAttempt("bad_credentials")
		obs.LoginFailed("bad_credentials")
		return award.BadCredentials()
	}
	attempt.Succeeded()
	logAttempt("ok")
	tok, exp := s.Tokens.IssueWith(p.ID, p.PasswordHash, s.Now())
	writeJSON(w, http.StatusOK, map[string]any{"token": tok, "token_type": "Bearer", "expires_at": exp, "user": s.viewOf(r.Context(), p)})
	return nil
}

// logout revokes the presented token on every replica until it would have expired.
func (s *Server) logout(w http.ResponseWriter, r *http.Request, a award.Actor) error {
	c, ok := r.Context().Value(claimsKey{}).(auth.Claims)
	if !ok || s.Revocations == nil {
		return fmt.Errorf("logout: no revocation list configured")
	}
	if err := s.Revocations.Revoke(r.Context(), c); err != nil {
		if r.Context().Err() != nil {
			return r.Context().Err()
		}
		s.Log.ErrorContext(r.Context(), "logout", "user", a.ID, "err", err)
		return award.Unavailable(5, "Chưa đăng xuất được, vui lòng thử lại", "could not revoke the token; try again")
	}
	s.Log.InfoContext(r.Context(), "logout", "user", a.ID, "addr", s.Proxies.ClientAddr(r))
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) me(w http.ResponseWriter, r *http.Request, a award.Actor) error {
	org, err := s.orgOf(r.Context())
	if err != nil {
		return err
	}
	p, _ := org.Person(a.ID)
	writeJSON(w, http.StatusOK, s.viewOf(r.Context(), p))
	return nil
}

type claimsKey struct{}

// authenticate checks the bearer token of r: signature, expiry, the password it was
// issued under, revocation, and that the person still exists. It returns the person and
// r with the token's claims in its context (for logout).
func (s *Server) authenticate(w http.ResponseWriter, r *http.Request) (orgconfig.Person, *http.Request, error) {
	tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok || strings.TrimSpace(tok) == "" {
		return orgconfig.Person{}, r, award.Unauthenticated("Chưa đăng nhập", "sign in first (Authorization: Bearer <token>)")
	}
	// One copy of the organisation for the whole request: who the person is, their
	// roles, and every name the response shows.
	org, err := s.Org.Current(r.Context())
	if err != nil {
		return orgconfig.Person{}, r, fmt.Errorf("organisation: %w", err)
	}
	c, err := s.Tokens.ParseWith(strings.TrimSpace(tok), s.Now(), func(id string) string {
		p, _ := org.Anyone(id) // a deactivated person is told so below
		return p.PasswordHash
	})
	if err != nil {
		w.Header().Set("WWW-Authenticate", `Bearer realm="awardflow", error="invalid_token"`)
		return orgconfig.Person{}, r, award.Unauthenticated("Phiên đăng nhập không hợp lệ hoặc đã hết hạn, vui lòng đăng nhập lại", "invalid or expired token")
	}
	if s.Revocations != nil {
		revoked, err := s.Revocations.IsRevoked(r.Context(), c)
		if err != nil {
			if r.Context().Err() != nil {
				return orgconfig.Person{}, r, r.Context().Err()
			}
			s.Log.ErrorContext(r.Context(), "token revocation check", "err", err)
			return orgconfig.Person{}, r, award.Unavailable(5, "Tạm thời không kiểm tra được phiên đăng nhập, vui lòng thử lại", "cannot check the token right now; try again")
		}
		if revoked {
			w.Header().Set("WWW-Authenticate", `Bearer realm="awardflow", error="invalid_token"`)
			return orgconfig.Person{}, r, award.Unauthenticated("Phiên đăng nhập đã kết thúc (đã đăng xuất), vui lòng đăng nhập lại", "the token was revoked (signed out)")
		}
	}
	p, ok := org.Person(c.Subject)
	if !ok { // removed or deactivated since the token was issued
		return orgconfig.Person{}, r, award.Unauthenticated("Tài khoản không còn hoạt động", "the account no longer exists or was deactivated")
	}
	ctx := context.WithValue(r.Context(), claimsKey{}, c)
	return p, r.WithContext(context.WithValue(ctx, orgCtxKey{}, org)), nil
}
