package award

import "fmt"

// Code classifies a domain error so that transports (HTTP, Temporal) can map it
// to a status without parsing messages.
type Code string

const (
	CodeInvalid    Code = "invalid"     // the request itself is malformed or incomplete
	CodeForbidden  Code = "forbidden"   // the actor may not do this
	CodeWrongStage Code = "wrong_stage" // the action does not fit the current stage
	CodeDuplicate  Code = "duplicate"   // the action was already done (e.g. a second ballot)
	CodeNotFound   Code = "not_found"
)

// Error is a rule violation with a message for people: Vietnamese first, English second.
type Error struct {
	Code Code   `json:"code"`
	VI   string `json:"message"`
	EN   string `json:"message_en"`
}

func (e *Error) Error() string { return fmt.Sprintf("%s (%s)", e.VI, e.EN) }

func newErr(code Code, vi, en string, args ...any) *Error {
	return &Error{Code: code, VI: fmt.Sprintf(vi, args...), EN: fmt.Sprintf(en, args...)}
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
