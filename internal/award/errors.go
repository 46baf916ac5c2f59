package award

import "fmt"

// Code classifies a domain error so that transports (HTTP, Temporal) can map it to a
// status without parsing messages. The HTTP status of every error comes from its code
// alone (httpapi's status table).
type Code string

const (
	CodeMalformed        Code = "malformed"          // the request cannot be read (bad JSON, bad multipart)
	CodeUnauthenticated  Code = "unauthenticated"    // no valid sign-in
	CodeBadCredentials   Code = "bad_credentials"    // a sign-in with a wrong name or password
	CodeForbidden        Code = "forbidden"          // the actor may not do this
	CodeNotFound         Code = "not_found"          // no such thing (or not visible to the actor)
	CodeMethodNotAllowed Code = "method_not_allowed" // the route exists, not with this method
	CodeWrongStage       Code = "wrong_stage"        // the action does not fit the current stage
	CodeDuplicate        Code = "duplicate"          // the action was already done (e.g. a second ballot)
	CodeTooLarge         Code = "too_large"          // the body or file exceeds a cap
	CodeUnsupportedType  Code = "unsupported_type"   // a file of a type that is not accepted
	CodeInvalid          Code = "invalid"            // well-formed, but breaks a rule
	CodeTooManyRequests  Code = "too_many_requests"  // throttled; RetryAfter says when to come back
	CodeUnavailable      Code = "unavailable"        // busy or a dependency is down; RetryAfter may say when
	CodeInternal         Code = "internal"           // a fault of ours
)

// Codes lists every code, for tables that must cover them all.
var Codes = []Code{
	CodeMalformed, CodeUnauthenticated, CodeBadCredentials, CodeForbidden, CodeNotFound, CodeMethodNotAllowed,
	CodeWrongStage, CodeDuplicate, CodeTooLarge, CodeUnsupportedType, CodeInvalid,
	CodeTooManyRequests, CodeUnavailable, CodeInternal,
}

// Error is a rule violation with a message for people: Vietnamese first, English second.
type Error struct {
	Code Code   `json:"code"`
	VI   string `json:"message"`
	EN   string `json:"message_en"`
	// RetryAfter, in seconds, tells a throttled or turned-away caller when to try again
	// (HTTP Retry-After).
	RetryAfter int `json:"retry_after,omitempty"`
}

func (e *Error) Error() string { return fmt.Sprintf("%s (%s)", e.VI, e.EN) }

// Noun names a thing in both languages, so that a message in one language never
// carries a word of the other ("the phiên họp is finished").
type Noun struct{ VI, EN string }

// The nouns messages are built with.
var (
	NounProposal     = Noun{"hồ sơ", "proposal"}
	NounSession      = Noun{"phiên họp", "council session"}
	NounDecision     = Noun{"quyết định", "decision"}
	NounDocument     = Noun{"văn bản", "document"}
	NounEvidence     = Noun{"minh chứng", "evidence file"}
	NounFile         = Noun{"tệp", "file"}
	NounBallot       = Noun{"phiếu bầu", "ballot"}
	NounInbox        = Noun{"hộp việc", "inbox"}
	NounProposalList = Noun{"danh sách hồ sơ", "proposal list"}
	NounSessionList  = Noun{"danh sách phiên họp", "session list"}
)

// newErr formats both messages with the same arguments. Each format must use every
// argument (positional %[n]s where the languages order them differently);
// TestErrorCallSites checks every call site of the repository for that.
func newErr(code Code, vi, en string, args ...any) *Error {
	return &Error{Code: code, VI: fmt.Sprintf(vi, args...), EN: fmt.Sprintf(en, args...)}
}

// Malformed builds a CodeMalformed error.
func Malformed(vi, en string, args ...any) *Error { return newErr(CodeMalformed, vi, en, args...) }

// Unauthenticated builds a CodeUnauthenticated error.
func Unauthenticated(vi, en string, args ...any) *Error {
	return newErr(CodeUnauthenticated, vi, en, args...)
}

// BadCredentials is the answer to a sign-in with a wrong user name or password; it
// does not say which of the two was wrong.
func BadCredentials() *Error {
	return &Error{Code: CodeBadCredentials, VI: "Sai tên đăng nhập hoặc mật khẩu", EN: "wrong username or password"}
}

// Invalid builds a CodeInvalid error.
func Invalid(vi, en string, args ...any) *Error { return newErr(CodeInvalid, vi, en, args...) }

// Forbidden builds a CodeForbidden error.
func Forbidden(vi, en string, args ...any) *Error { return newErr(CodeForbidden, vi, en, args...) }

// WrongStage builds a CodeWrongStage error.
func WrongStage(vi, en string, args ...any) *Error { return newErr(CodeWrongStage, vi, en, args...) }

// Duplicate builds a CodeDuplicate error.
func Duplicate(vi, en string, args ...any) *Error { return newErr(CodeDuplicate, vi, en, args...) }

// NotFound builds a CodeNotFound error.
func NotFound(vi, en string, args ...any) *Error { return newErr(CodeNotFound, vi, en, args...) }

// TooLarge builds a CodeTooLarge error.
func TooLarge(vi, en string, args ...any) *Error { return newErr(CodeTooLarge, vi, en, args...) }

// UnsupportedType builds a CodeUnsupportedType error.
func UnsupportedType(vi, en string, args ...any) *Error {
	return newErr(CodeUnsupportedType, vi, en, args...)
}

// TooManyRequests builds a CodeTooManyRequests error that asks to come back after
// retryAfter seconds (at least 1).
func TooManyRequests(retryAfter int, vi, en string, args ...any) *Error {
	e := newErr(CodeTooManyRequests, vi, en, args...)
	e.RetryAfter = max(retryAfter, 1)
	return e
}

// Unavailable builds a CodeUnavailable error that asks to come back after retryAfter
// seconds (at least 1).
func Unavailable(retryAfter int, vi, en string, args ...any) *Error {
	e := newErr(CodeUnavailable, vi, en, args...)
	e.RetryAfter = max(retryAfter, 1)
	return e
}

// Internal is the error shown for a fault of ours; the cause goes to the log only.
func Internal() *Error {
	return &Error{Code: CodeInternal, VI: "Lỗi hệ thống, vui lòng thử lại sau", EN: "internal error, please try again later"}
}

// MethodNotAllowed answers a known route called with the wrong method.
func MethodNotAllowed(method, path string) *Error {
	return newErr(CodeMethodNotAllowed, "Địa chỉ %[2]s không nhận phương thức %[1]s", "method %[1]s is not allowed on %[2]s", method, path)
}

// NotFoundNoun says that a thing of the given kind does not exist (or is not visible).
func NotFoundNoun(n Noun) *Error {
	return newErr(CodeNotFound, "Không tìm thấy %[1]s", "%[2]s not found", n.VI, n.EN)
}
