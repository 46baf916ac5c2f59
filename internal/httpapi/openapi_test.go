package httpapi

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/awardflow/awardflow/internal/apispec"
	"github.com/awardflow/awardflow/internal/award"
)

func loadSpec(t *testing.T) *apispec.Spec {
	t.Helper()
	spec, err := apispec.Load(openapiYAML)
	if err != nil {
		t.Fatal(err)
	}
	return spec
}

// TestRoutesAndOpenAPIAgree checks both directions: every route of the table is an
// operation of openapi.yaml, and every operation of openapi.yaml is routed.
func TestRoutesAndOpenAPIAgree(t *testing.T) {
	s, _ := newTestServer(t)
	spec := loadSpec(t)
	routed := map[string]bool{}
	for _, rt := range s.routes() {
		key := rt.method + " " + rt.path
		if routed[key] {
			t.Errorf("%s is routed twice", key)
		}
		routed[key] = true
		item := spec.Doc.Paths.Value(rt.path)
		if item == nil {
			t.Errorf("%s is routed but its path is not in openapi.yaml", key)
			continue
		}
		if item.GetOperation(rt.method) == nil {
			t.Errorf("%s is routed but openapi.yaml has no %s operation on that path", key, rt.method)
		}
	}
	for path, item := range spec.Doc.Paths.Map() {
		for method := range item.Operations() {
			if !routed[method+" "+path] {
				t.Errorf("openapi.yaml documents %s %s, which is not routed", method, path)
			}
		}
	}
}

var operationIDPattern = regexp.MustCompile(`^[a-z][A-Za-z0-9]*$`)

// TestOpenAPIOperationsAreComplete checks what every operation needs so that a client can
// be generated and errors can be handled: a unique operationId, a summary, a success
// response, at least one 4xx response, and every error response with the Error schema.
func TestOpenAPIOperationsAreComplete(t *testing.T) {
	spec := loadSpec(t)
	errSchema := spec.Doc.Components.Schemas["Error"]
	ids := map[string]string{}
	for path, item := range spec.Doc.Paths.Map() {
		for method, op := range item.Operations() {
			where := method + " " + path
			if !operationIDPattern.MatchString(op.OperationID) {
				t.Errorf("%s: operationId %q must be lowerCamelCase", where, op.OperationID)
			} else if other, dup := ids[op.OperationID]; dup {
				t.Errorf("%s: operationId %q is also used by %s", where, op.OperationID, other)
			}
			ids[op.OperationID] = where
			if strings.TrimSpace(op.Summary) == "" {
				t.Errorf("%s: no summary", where)
			}
			var ok2xx, has4xx bool
			for code, ref := range op.Responses.Map() {
				switch {
				case strings.HasPrefix(code, "2"), code == "302": // 302: a browser's redirect (single sign-on)
					ok2xx = true
				case strings.HasPrefix(code, "4") || strings.HasPrefix(code, "5"):
					has4xx = has4xx || strings.HasPrefix(code, "4")
					if where == "GET /readyz" && code == "503" {
						continue // the readiness answer, not an error
					}
					mt := ref.Value.Content.Get("application/json")
					if mt == nil || mt.Schema == nil || mt.Schema.Value != errSchema.Value {
						t.Errorf("%s: response %s must be an Error (use #/components/responses/...)", where, code)
					}
				}
			}
			if !ok2xx {
				t.Errorf("%s: no success response", where)
			}
			if !has4xx {
				t.Errorf("%s: no 4xx response", where)
			}
		}
	}
}

// TestOpenAPIErrorCodesAreTheDomainCodes checks that the Error schema's code enum is
// exactly the domain's codes, and that each error response of an operation is declared
// under a status some code maps to.
func TestOpenAPIErrorCodesAreTheDomainCodes(t *testing.T) {
	spec := loadSpec(t)
	var enum, codes []string
	for _, v := range spec.Doc.Components.Schemas["ErrorCode"].Value.Enum {
		enum = append(enum, v.(string))
	}
	statuses := map[string]bool{}
	for _, c := range award.Codes {
		codes = append(codes, string(c))
		statuses[strconv.Itoa(HTTPStatus(c))] = true
	}
	slices.Sort(enum)
	slices.Sort(codes)
	if !slices.Equal(enum, codes) {
		t.Errorf("ErrorCode enum %v, domain codes %v", enum, codes)
	}
	for path, item := range spec.Doc.Paths.Map() {
		for method, op := range item.Operations() {
			for code := range op.Responses.Map() {
				if code[0] >= '4' && !statuses[code] && !(path == "/readyz" && code == "503") {
					t.Errorf("%s %s declares %s, which no error code maps to", method, path, code)
				}
			}
		}
	}
}

// TestEveryRouteAnswersAsDocumentedWithoutSignIn calls every route without a token (and
// with an empty body) and checks the exchange against openapi.yaml: the routes the
// document marks public answer without sign-in, every other one answers 401 as
// documented, and every answer here matches its declared schema.
func TestEveryRouteAnswersAsDocumentedWithoutSignIn(t *testing.T) {
	s, h := newTestServer(t)
	spec := loadSpec(t)
	sample := strings.NewReplacer("{id}", "proposal-0123456789abcdef", "{sha}", strings.Repeat("a", 64))
	for _, rt := range s.routes() {
		path := sample.Replace(rt.path)
		if strings.HasPrefix(rt.path, "/api/v1/sessions/") || strings.HasPrefix(rt.path, "/api/v1/decisions/") {
			path = strings.Replace(rt.path, "{id}", "session-0123456789abcdef", 1)
		}
		t.Run(rt.method+" "+rt.path, func(t *testing.T) {
			req := httptest.NewRequest(rt.method, path, http.NoBody)
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			op := spec.Doc.Paths.Value(rt.path).GetOperation(rt.method)
			public := op.Security != nil && len(*op.Security) == 0
			if public == (rec.Code == http.StatusUnauthorized) {
				t.Errorf("public in openapi.yaml: %v; answered %d without a token", public, rec.Code)
			}
			// Signing in checks the shared list of revoked tokens, which may be unreachable.
			if !public && (op.Responses.Status(401) == nil || op.Responses.Status(503) == nil) {
				t.Errorf("a signed-in operation must declare 401 and 503")
			}
			err := spec.Check(context.Background(), apispec.Exchange{
				Method: rt.method, URL: "http://awardflow.test" + path, Header: req.Header, Binary: true,
				Status: rec.Code, ResponseHeader: rec.Header(), ResponseBody: bytes.Clone(rec.Body.Bytes()),
			})
			if err != nil {
				t.Error(err)
			}
		})
	}
}

// TestOpenAPICheckCatchesDrift shows that the checker the end-to-end tests use fails on
// each kind of drift.
func TestOpenAPICheckCatchesDrift(t *testing.T) {
	spec := loadSpec(t)
	jsonHeader := http.Header{"Content-Type": {"application/json"}}
	auth := http.Header{"Authorization": {"Bearer x"}}
	me := `{"id":"a","name":"A","position":"","department":"tt","roles":["staff"],"display_name":"A","department_label":"T","role_labels":["Chuyên viên"]}`
	errBody := `{"error":{"code":"not_found","message":"Không tìm thấy","message_en":"not found"}}`
	cases := []struct {
		name   string
		ex     apispec.Exchange
		wantOK bool
	}{
		{"documented", apispec.Exchange{Method: "GET", URL: "/api/v1/me", Header: auth, Status: 200, ResponseHeader: jsonHeader, ResponseBody: []byte(me)}, true},
		{"undeclared field", apispec.Exchange{Method: "GET", URL: "/api/v1/me", Header: auth, Status: 200, ResponseHeader: jsonHeader,
			ResponseBody: []byte(strings.Replace(me, `"id"`, `"extra":1,"id"`, 1))}, false},
		{"missing field", apispec.Exchange{Method: "GET", URL: "/api/v1/me", Header: auth, Status: 200, ResponseHeader: jsonHeader,
			ResponseBody: []byte(`{"id":"a"}`)}, false},
		{"unknown enum value", apispec.Exchange{Method: "GET", URL: "/api/v1/me", Header: auth, Status: 200, ResponseHeader: jsonHeader,
			ResponseBody: []byte(strings.Replace(me, `"staff"`, `"janitor"`, 1))}, false},
		{"null list", apispec.Exchange{Method: "GET", URL: "/api/v1/me", Header: auth, Status: 200, ResponseHeader: jsonHeader,
			ResponseBody: []byte(strings.Replace(me, `["staff"]`, `null`, 1))}, false},
		{"undeclared status", apispec.Exchange{Method: "GET", URL: "/api/v1/me", Header: auth, Status: 409, ResponseHeader: jsonHeader, ResponseBody: []byte(errBody)}, false},
		{"wrong content type", apispec.Exchange{Method: "GET", URL: "/api/v1/me", Header: auth, Status: 200,
			ResponseHeader: http.Header{"Content-Type": {"text/html"}}, ResponseBody: []byte(me)}, false},
		{"unknown error code", apispec.Exchange{Method: "GET", URL: "/api/v1/me", Header: auth, Status: 401, ResponseHeader: jsonHeader,
			ResponseBody: []byte(strings.Replace(errBody, "not_found", "oops", 1))}, false},
		{"undocumented route answering", apispec.Exchange{Method: "GET", URL: "/api/v1/secret", Header: auth, Status: 200, ResponseHeader: jsonHeader, ResponseBody: []byte(`{}`)}, false},
		{"undocumented route refused", apispec.Exchange{Method: "GET", URL: "/api/v1/secret", Header: auth, Status: 404, ResponseHeader: jsonHeader, ResponseBody: []byte(errBody)}, true},
		{"bad request accepted", apispec.Exchange{Method: "POST", URL: "/api/v1/login", Header: jsonHeader, Body: []byte(`{"username":"a"}`),
			Status: 200, ResponseHeader: jsonHeader, ResponseBody: []byte(`{"token":"t","token_type":"Bearer","expires_at":"2026-01-01T00:00:00Z","user":` + me + `}`)}, false},
		{"bad request refused", apispec.Exchange{Method: "POST", URL: "/api/v1/login", Header: jsonHeader, Body: []byte(`{"username":"a"}`),
			Status: 400, ResponseHeader: jsonHeader, ResponseBody: []byte(strings.Replace(errBody, "not_found", "malformed", 1))}, true},
		{"missing token accepted", apispec.Exchange{Method: "GET", URL: "/api/v1/me", Status: 200, ResponseHeader: jsonHeader, ResponseBody: []byte(me)}, false},
		{"binary upload with undeclared type", apispec.Exchange{Method: "GET", URL: "/api/v1/proposals/proposal-0123456789abcdef/evidence/ab", Header: auth, Binary: true,
			Status: 200, ResponseHeader: http.Header{"Content-Type": {"text/html"}, "Content-Disposition": {"attachment"}}, ResponseBody: []byte("<html>")}, false},
		{"pdf download", apispec.Exchange{Method: "GET", URL: "/api/v1/proposals/proposal-0123456789abcdef/evidence/ab", Header: auth, Binary: true,
			Status: 200, ResponseHeader: http.Header{"Content-Type": {"application/pdf"}, "Content-Disposition": {"attachment"}}, ResponseBody: []byte("%PDF-")}, true},
		{"wrong method refused", apispec.Exchange{Method: "DELETE", URL: "/api/v1/me", Header: auth, Status: 405,
			ResponseHeader: http.Header{"Content-Type": {"application/json"}, "Allow": {"GET, HEAD"}}, ResponseBody: []byte(strings.Replace(errBody, "not_found", "method_not_allowed", 1))}, true},
		{"wrong method refused without Allow", apispec.Exchange{Method: "DELETE", URL: "/api/v1/me", Header: auth, Status: 405,
			ResponseHeader: jsonHeader, ResponseBody: []byte(strings.Replace(errBody, "not_found", "method_not_allowed", 1))}, false},
		{"wrong method answered", apispec.Exchange{Method: "DELETE", URL: "/api/v1/me", Header: auth, Status: 200, ResponseHeader: jsonHeader, ResponseBody: []byte(me)}, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := spec.Check(context.Background(), c.ex)
			t.Logf("Check: %v", err)
			if (err == nil) != c.wantOK {
				t.Errorf("Check = %v, want ok=%v", err, c.wantOK)
			}
		})
	}
}

// TestOpenAPIEnumsAreTheDomainValues checks every enum of openapi.yaml that mirrors a
// domain type against the domain's list of values, both ways.
func TestOpenAPIEnumsAreTheDomainValues(t *testing.T) {
	spec := loadSpec(t)
	strs := func(vs ...any) []string {
		out := []string{}
		for _, v := range vs {
			out = append(out, reflect.ValueOf(v).String())
		}
		slices.Sort(out)
		return out
	}
	each := func(list any) []any {
		v := reflect.ValueOf(list)
		out := make([]any, v.Len())
		for i := range out {
			out[i] = v.Index(i).Interface()
		}
		return out
	}
	for schema, domain := range map[string]any{
		"Stage": award.Stages, "Action": award.Actions, "SessionStatus": award.SessionStatuses,
		"Role": award.Roles, "NomineeKind": award.Kinds, "Choice": award.Choices, "PassBase": award.PassBases,
	} {
		got := strs(spec.Doc.Components.Schemas[schema].Value.Enum...)
		want := strs(each(domain)...)
		if !slices.Equal(got, want) {
			t.Errorf("%s: openapi.yaml %v, internal/award %v", schema, got, want)
		}
	}
}

// The answers that need no Temporal (who am I, the organisation with its labels and its
// dated base salaries) match the document when signed in too.
func TestSignedInConfigAnswersAsDocumented(t *testing.T) {
	s, h := newTestServer(t)
	spec := loadSpec(t)
	tok, _ := s.Tokens.Issue("hongdao", time.Now())
	for _, path := range []string{"/api/v1/me", "/api/v1/org"} {
		req := httptest.NewRequest("GET", path, http.NoBody)
		req.Header.Set("Authorization", "Bearer "+tok)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			t.Fatalf("GET %s: %d %s", path, rec.Code, rec.Body)
		}
		if err := spec.Check(context.Background(), apispec.Exchange{
			Method: "GET", URL: "http://awardflow.test" + path, Header: req.Header,
			Status: rec.Code, ResponseHeader: rec.Header(), ResponseBody: bytes.Clone(rec.Body.Bytes()),
		}); err != nil {
			t.Errorf("GET %s: %v", path, err)
		}
	}
}
