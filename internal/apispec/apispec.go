// Package apispec checks HTTP exchanges against awardflow's OpenAPI document
// (internal/httpapi/openapi.yaml), so that the document cannot drift from what the server
// does: the end-to-end tests pass every request they make and every response they get
// through Spec.Check, and the route tests use it too.
//
// It is used by tests only; it is a package of its own so that internal/httpapi's tests
// and internal/e2e share one set of rules.
package apispec

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
)

// Spec is a loaded and validated OpenAPI document with a router over its paths.
type Spec struct {
	Doc    *openapi3.T
	router routers.Router
	errors *openapi3.SchemaRef // #/components/schemas/Error
}

// Load parses an OpenAPI document, checks that it is a valid OpenAPI 3 document, and
// prepares the router.
func Load(data []byte) (*Spec, error) {
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(data)
	if err != nil {
		return nil, fmt.Errorf("load OpenAPI document: %w", err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		return nil, fmt.Errorf("invalid OpenAPI document: %w", err)
	}
	// The document's server is "/": match requests to any host the tests start.
	doc.Servers = nil
	r, err := gorillamux.NewRouter(doc)
	if err != nil {
		return nil, fmt.Errorf("route the OpenAPI document: %w", err)
	}
	s := &Spec{Doc: doc, router: r}
	if doc.Components != nil {
		s.errors = doc.Components.Schemas["Error"]
	}
	if s.errors == nil {
		return nil, errors.New("the OpenAPI document has no #/components/schemas/Error")
	}
	return s, nil
}

// Exchange is one request and its response, as a client saw them.
type Exchange struct {
	Method string
	URL    string // absolute, or a path with the query
	Header http.Header
	// Body is the request body when it is JSON (Content-Type application/json); it is
	// then validated against the operation's schema. Other bodies (files, PDFs) are
	// checked for their Content-Type only: leave Body nil and set Binary.
	Body   []byte
	Binary bool

	Status         int
	ResponseHeader http.Header
	ResponseBody   []byte
}

// IsJSON reports whether a Content-Type header names JSON.
func IsJSON(contentType string) bool {
	mt, _, err := mime.ParseMediaType(contentType)
	return err == nil && (mt == "application/json" || strings.HasSuffix(mt, "+json"))
}

// Check validates an exchange. It returns nil when
//
//   - the request matches an operation of the document (path, method, parameters,
//     security, body), and the response's status is declared for that operation, its
//     declared headers are present and valid, its Content-Type is declared, and a JSON
//     body matches the schema (objects in this document refuse undeclared properties);
//   - or the request breaks the document and the server refused it with a 4xx response
//     that is itself declared and valid: the document and the server agree it is wrong;
//   - or no route of the document matches and the server answered 404 or 405 with the
//     error body of the document.
//
// Otherwise the error names the operation and the reasons.
func (s *Spec) Check(ctx context.Context, ex Exchange) error {
	req, err := http.NewRequestWithContext(ctx, ex.Method, ex.URL, bodyReader(ex.Body))
	if err != nil {
		return fmt.Errorf("openapi: %s %s: %w", ex.Method, ex.URL, err)
	}
	req.Header = ex.Header.Clone()
	if req.Header == nil {
		req.Header = http.Header{}
	}
	route, params, err := s.router.FindRoute(req)
	if err != nil {
		if ex.Status == http.StatusNotFound || ex.Status == http.StatusMethodNotAllowed {
			if verr := s.checkErrorBody(ex); verr != nil {
				return fmt.Errorf("openapi: %s %s is not in the document and answered %d with a body that is not an Error: %w", ex.Method, req.URL.Path, ex.Status, verr)
			}
			if ex.Status == http.StatusMethodNotAllowed && ex.ResponseHeader.Get("Allow") == "" {
				return fmt.Errorf("openapi: %s %s answered 405 without an Allow header", ex.Method, req.URL.Path)
			}
			return nil
		}
		return fmt.Errorf("openapi: %s %s is not in the document (%v), yet it answered %d", ex.Method, req.URL.Path, err, ex.Status)
	}
	op := fmt.Sprintf("%s %s (%s)", ex.Method, route.Path, route.Operation.OperationID)

	opts := &openapi3filter.Options{
		IncludeResponseStatus: true,
		MultiError:            true,
		AuthenticationFunc:    bearer,
	}
	// Say where and why, without kin's dump of the whole schema and value.
	opts.WithCustomSchemaErrorFunc(func(err *openapi3.SchemaError) string {
		return fmt.Sprintf("at /%s: %s", strings.Join(err.JSONPointer(), "/"), err.Reason)
	})
	in := &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route, Options: opts}
	var reqErr error
	if ex.Binary {
		ropts := *opts
		ropts.ExcludeRequestBody = true
		in.Options = &ropts
		reqErr = openapi3filter.ValidateRequest(ctx, in)
		if reqErr == nil {
			reqErr = checkRequestContentType(route.Operation, req.Header.Get("Content-Type"))
		}
		in.Options = opts
	} else {
		reqErr = openapi3filter.ValidateRequest(ctx, in)
	}

	out := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: in,
		Status:                 ex.Status,
		Header:                 ex.ResponseHeader,
		Options:                opts,
	}
	out.SetBodyBytes(ex.ResponseBody)
	respErr := openapi3filter.ValidateResponse(ctx, out)
	if respErr == nil {
		respErr = checkUndeclaredBody(route.Operation, ex)
	}

	switch {
	case reqErr == nil && respErr == nil:
		return nil
	case reqErr != nil && respErr == nil && ex.Status >= 400 && ex.Status < 500:
		return nil // refused, as the document says it should be
	case reqErr != nil && respErr == nil:
		return fmt.Errorf("openapi: %s: the request breaks the document, yet the server answered %d: %v", op, ex.Status, reqErr)
	case reqErr != nil:
		return fmt.Errorf("openapi: %s: the request breaks the document (%v), and the %d response too: %v", op, reqErr, ex.Status, respErr)
	default:
		return fmt.Errorf("openapi: %s: the %d response breaks the document: %v", op, ex.Status, respErr)
	}
}

func bodyReader(b []byte) io.Reader {
	if b == nil {
		return http.NoBody
	}
	return bytes.NewReader(b)
}

// bearer is the check for the document's http bearer scheme: a token is present. Whether
// it is a valid token is the server's to say (401).
func bearer(_ context.Context, in *openapi3filter.AuthenticationInput) error {
	sc := in.SecurityScheme
	if sc == nil || sc.Type != "http" || !strings.EqualFold(sc.Scheme, "bearer") {
		return fmt.Errorf("security scheme %q is not supported by the checker", in.SecuritySchemeName)
	}
	tok, ok := strings.CutPrefix(in.RequestValidationInput.Request.Header.Get("Authorization"), "Bearer ")
	if !ok || strings.TrimSpace(tok) == "" {
		return errors.New("no bearer token")
	}
	return nil
}

// checkRequestContentType checks the Content-Type of a body that is not validated.
func checkRequestContentType(op *openapi3.Operation, ct string) error {
	if op.RequestBody == nil || op.RequestBody.Value == nil {
		return nil
	}
	if op.RequestBody.Value.Content.Get(ct) == nil {
		return fmt.Errorf("request Content-Type %q is not declared (declared: %s)", ct, strings.Join(mediaTypes(op.RequestBody.Value.Content), ", "))
	}
	return nil
}

// checkUndeclaredBody refuses a response body where the document declares none: kin's
// validator skips the body of a response without content.
func checkUndeclaredBody(op *openapi3.Operation, ex Exchange) error {
	ref := op.Responses.Status(ex.Status)
	if ref == nil {
		ref = op.Responses.Default()
	}
	if ref == nil || ref.Value == nil || len(ref.Value.Content) > 0 || len(bytes.TrimSpace(ex.ResponseBody)) == 0 {
		return nil
	}
	return fmt.Errorf("response %d has a body (%s) but the document declares no content for it", ex.Status, ex.ResponseHeader.Get("Content-Type"))
}

func (s *Spec) checkErrorBody(ex Exchange) error {
	if !IsJSON(ex.ResponseHeader.Get("Content-Type")) {
		return fmt.Errorf("Content-Type %q is not JSON", ex.ResponseHeader.Get("Content-Type"))
	}
	v, err := decodeJSON(ex.ResponseBody)
	if err != nil {
		return err
	}
	if err := s.errors.Value.VisitJSON(v); err != nil {
		var se *openapi3.SchemaError
		if errors.As(err, &se) {
			return fmt.Errorf("at /%s: %s", strings.Join(se.JSONPointer(), "/"), se.Reason)
		}
		return err
	}
	return nil
}

func decodeJSON(b []byte) (any, error) {
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		return nil, fmt.Errorf("body is not JSON: %w", err)
	}
	return v, nil
}

func mediaTypes(c openapi3.Content) []string {
	out := make([]string, 0, len(c))
	for k := range c {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
