package httpapi

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"unicode"
	"unicode/utf8"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/serviceerror"

	"github.com/awardflow/awardflow/internal/award"
	"github.com/awardflow/awardflow/internal/obs"
	"github.com/awardflow/awardflow/workflows"
)

// statusOf is the one table from a domain error code to an HTTP status. Handlers never
// choose a status for an error themselves.
var statusOf = map[award.Code]int{
	award.CodeMalformed:        http.StatusBadRequest,
	award.CodeUnauthenticated:  http.StatusUnauthorized,
	award.CodeBadCredentials:   http.StatusUnauthorized,
	award.CodeForbidden:        http.StatusForbidden,
	award.CodeNotFound:         http.StatusNotFound,
	award.CodeMethodNotAllowed: http.StatusMethodNotAllowed,
	award.CodeWrongStage:       http.StatusConflict,
	award.CodeDuplicate:        http.StatusConflict,
	award.CodeTooLarge:         http.StatusRequestEntityTooLarge,
	award.CodeUnsupportedType:  http.StatusUnsupportedMediaType,
	award.CodeInvalid:          http.StatusUnprocessableEntity,
	award.CodeTooManyRequests:  http.StatusTooManyRequests,
	award.CodeUnavailable:      http.StatusServiceUnavailable,
	award.CodeInternal:         http.StatusInternalServerError,
}

// HTTPStatus returns the status a domain error is answered with.
func HTTPStatus(c award.Code) int {
	if st, ok := statusOf[c]; ok {
		return st
	}
	return http.StatusInternalServerError
}

// errorBody is what every error response carries.
type errorBody struct {
	Error *award.Error `json:"error"`
	// RequestID names the request in the server's log (and the X-Request-Id header).
	RequestID string `json:"request_id,omitempty"`
}

// writeErr answers for any error a handler returns. Domain errors (also when they come
// back from a Temporal update or activity) keep their code and bilingual message; a
// client that went away gets nothing; anything else is logged and answered as internal.
func (s *Server) writeErr(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, context.Canceled) && r.Context().Err() != nil {
		return // the client went away
	}
	de, ok := asDomain(err)
	if !ok {
		s.Log.ErrorContext(r.Context(), "request failed", "method", r.Method, "path", r.URL.Path, "err", err)
		de = award.Internal()
	}
	switch de.Code {
	case award.CodeUnavailable:
		// The person is told to retry; the operator needs the cause (a pool exhausted, a
		// dependency down), which the wrapped error carries and the answer does not.
		if de != err {
			s.Log.WarnContext(r.Context(), "request unavailable", "method", r.Method, "path", r.URL.Path, "err", err)
		}
	case award.CodeUnauthenticated:
		if w.Header().Get("WWW-Authenticate") == "" {
			w.Header().Set("WWW-Authenticate", `Bearer realm="awardflow"`)
		}
	}
	if de.RetryAfter > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(de.RetryAfter))
	}
	writeJSON(w, HTTPStatus(de.Code), errorBody{Error: de, RequestID: obs.RequestID(r.Context())})
}

func asDomain(err error) (*award.Error, bool) {
	var de *award.Error
	if errors.As(err, &de) {
		return de, true
	}
	return workflows.DomainError(err)
}

// temporalErr turns the error of a Temporal call on workflow id into the answer a person
// understands: the domain error a validator or handler returned, "not found" for an
// unknown id, and "finished" for a workflow that has completed, told apart by describing
// the workflow (its status), never by the wording of the server's message.
func (s *Server) temporalErr(ctx context.Context, err error, id string, n award.Noun) error {
	if err == nil {
		return nil
	}
	if de, ok := asDomain(err); ok {
		return de
	}
	var nf *serviceerror.NotFound
	if !errors.As(err, &nf) {
		return err
	}
	d, derr := s.Temporal.DescribeWorkflowExecution(context.WithoutCancel(ctx), id, "")
	if derr != nil {
		var dnf *serviceerror.NotFound
		if errors.As(derr, &dnf) {
			return award.NotFoundNoun(n)
		}
		return errors.Join(err, derr)
	}
	if d.GetWorkflowExecutionInfo().GetStatus() != enumspb.WORKFLOW_EXECUTION_STATUS_RUNNING {
		return award.WrongStage("%[1]s đã kết thúc, không thể thực hiện thao tác này",
			"the %[2]s is finished; this action is no longer possible", capitalFirst(n.VI), n.EN)
	}
	return err
}

// capitalFirst upper-cases the first letter (a Vietnamese sentence starts with a noun).
func capitalFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if r == utf8.RuneError {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}

// decode reads a JSON body strictly: unknown fields and trailing data are errors. The
// Content-Type is not checked: `curl -d` sends form encoding by default, and the body is
// parsed as JSON either way.
func decode(w http.ResponseWriter, r *http.Request, v any) error {
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxJSON))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var mbe *http.MaxBytesError
		switch {
		case errors.As(err, &mbe):
			return award.TooLarge("Nội dung yêu cầu quá lớn (tối đa %d byte)", "request body larger than %d bytes", maxJSON)
		case errors.Is(err, io.EOF):
			return award.Malformed("Thiếu nội dung yêu cầu (JSON)", "empty request body")
		}
		return award.Malformed("JSON không hợp lệ: %s", "malformed JSON: %s", err.Error())
	}
	if dec.More() {
		return award.Malformed("JSON không hợp lệ: có dữ liệu thừa sau đối tượng", "malformed JSON: trailing data")
	}
	return nil
}
