package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"io"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/awardflow/awardflow/internal/apispec"
	"github.com/awardflow/awardflow/internal/httpapi"
)

// api is a tiny JSON client for the awardflow HTTP API, as a script or another system
// would use it.
type api struct {
	t     testing.TB
	base  string
	token string
	// unchecked: the exchanges are not validated against openapi.yaml. Only the ratio
	// benchmarks set it: the check is the tests' instrumentation (a millisecond or more
	// for a proposal's view), not a cost an HTTP client of the product pays, and the
	// bare baselines they compare with pay nothing like it.
	unchecked bool
}

type reply struct {
	Status int
	Body   []byte
	Header http.Header
}

func (r reply) json(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal(r.Body, v); err != nil {
		t.Fatalf("decode %s: %v", r.Body, err)
	}
}

// errCode returns the error code of an error reply.
func (r reply) errCode() string {
	var e struct {
		Error struct {
			Code    string `json:"code"`
			Message string `json:"message"`
		} `json:"error"`
	}
	_ = json.Unmarshal(r.Body, &e)
	return e.Error.Code
}

func (r reply) message() string {
	var e struct {
		Error struct {
			Message string `json:"message"`
		} `json:"error"`
	}
	_ = json.Unmarshal(r.Body, &e)
	return e.Error.Message
}

func (a *api) do(method, path string, body io.Reader, headers ...string) reply {
	a.t.Helper()
	req, err := http.NewRequest(method, a.base+path, body)
	if err != nil {
		a.t.Fatal(err)
	}
	if a.token != "" {
		req.Header.Set("Authorization", "Bearer "+a.token)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	// A JSON body is kept for the OpenAPI check; files and PDFs stream untouched (they
	// may be large or of unknown length) and are checked for their Content-Type only.
	var sent []byte
	binary := body != nil && body != http.NoBody
	if binary && apispec.IsJSON(req.Header.Get("Content-Type")) {
		if sent, err = io.ReadAll(req.Body); err != nil {
			a.t.Fatal(err)
		}
		req.Body, req.ContentLength, binary = io.NopCloser(bytes.NewReader(sent)), int64(len(sent)), false
	}
	c := &http.Client{Timeout: 2 * time.Minute}
	resp, err := c.Do(req)
	if err != nil {
		a.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if !a.unchecked {
		checkOpenAPI(a.t, apispec.Exchange{
			Method: method, URL: a.base + path, Header: req.Header, Body: sent, Binary: binary,
			Status: resp.StatusCode, ResponseHeader: resp.Header, ResponseBody: b,
		})
	}
	return reply{Status: resp.StatusCode, Body: b, Header: resp.Header}
}

var (
	specOnce sync.Once
	spec     *apispec.Spec
	specErr  error
)

// checkOpenAPI validates one exchange against internal/httpapi/openapi.yaml: every call
// every end-to-end test makes goes through here, so the document cannot drift from the
// server (see apispec.Spec.Check for the rules). A mismatch fails the test (Errorf: calls
// may come from goroutines) with the operation and the reasons.
func checkOpenAPI(t testing.TB, ex apispec.Exchange) {
	t.Helper()
	specOnce.Do(func() { spec, specErr = apispec.Load(httpapi.OpenAPI()) })
	if specErr != nil {
		t.Errorf("openapi.yaml: %v", specErr)
		return
	}
	if err := spec.Check(context.Background(), ex); err != nil {
		t.Errorf("%v\n  response body: %.600s", err, printable(ex))
	}
}

// printable is the start of a response body for a failure message (not a file's bytes).
func printable(ex apispec.Exchange) string {
	if apispec.IsJSON(ex.ResponseHeader.Get("Content-Type")) {
		return string(ex.ResponseBody)
	}
	return fmt.Sprintf("(%s, %d bytes)", ex.ResponseHeader.Get("Content-Type"), len(ex.ResponseBody))
}

func (a *api) post(path string, v any, headers ...string) reply {
	a.t.Helper()
	var body io.Reader = http.NoBody
	if v != nil {
		b, _ := json.Marshal(v)
		body = bytes.NewReader(b)
		headers = append(headers, "Content-Type", "application/json")
	}
	return a.do(http.MethodPost, path, body, headers...)
}

func (a *api) put(path string, v any) reply {
	a.t.Helper()
	b, _ := json.Marshal(v)
	return a.do(http.MethodPut, path, bytes.NewReader(b), "Content-Type", "application/json")
}

func (a *api) get(path string) reply {
	a.t.Helper()
	return a.do(http.MethodGet, path, nil)
}

// must checks the status and decodes the body into v (if v is not nil).
func must(t testing.TB, r reply, status int, v any) {
	t.Helper()
	if r.Status != status {
		t.Fatalf("status %d, want %d: %s", r.Status, status, r.Body)
	}
	if v != nil {
		r.json(t, v)
	}
}

// refused checks an error reply: status, code and a Vietnamese message.
func refused(t testing.TB, what string, r reply, status int, code string) {
	t.Helper()
	if r.Status != status || r.errCode() != code || strings.TrimSpace(r.message()) == "" {
		t.Fatalf("%s: got %d %s, want %d %s", what, r.Status, r.Body, status, code)
	}
	// No fmt debris, and no Vietnamese noun in the English text ("the phiên họp is
	// finished", "hồ sơ not found").
	if bytes.Contains(r.Body, []byte("%!")) {
		t.Fatalf("%s: fmt debris in %s", what, r.Body)
	}
	var e struct {
		Error struct {
			EN string `json:"message_en"`
		} `json:"error"`
	}
	_ = json.Unmarshal(r.Body, &e)
	for _, vi := range []string{"hồ sơ", "phiên họp", "quyết định", "minh chứng"} {
		if strings.Contains(e.Error.EN, vi) {
			t.Fatalf("%s: Vietnamese in the English message: %s", what, r.Body)
		}
	}
	if status == http.StatusTooManyRequests || status == http.StatusServiceUnavailable {
		if r.Header.Get("Retry-After") == "" {
			t.Fatalf("%s: %d without Retry-After", what, status)
		}
	}
}

// eventually polls until f is true: Temporal visibility and the session's document
// issuing are asynchronous.
func eventually(t testing.TB, what string, timeout time.Duration, f func() bool) {
	t.Helper()
	// The wait ends as soon as f holds, so a generous floor costs nothing when things
	// work; on a loaded 2-core machine visibility and document issuing take far longer
	// than on an idle one (the issue-6 CPU-pressure run).
	timeout = max(timeout, 3*time.Minute)
	deadline := time.Now().Add(timeout)
	for !f() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %s waiting for %s", timeout, what)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

func writeFile(path string, b []byte) error { return os.WriteFile(path, b, 0o600) }

// addPeople adds staff members to a unit of the running service's directory (as the
// admin, through the API), so that proposals can name them: nominees are people of the
// directory. Their ids are derived from the names.
func addPeople(t testing.TB, base, unit string, names ...string) {
	t.Helper()
	admin := login(t, base, "quantri")
	for _, n := range names {
		id := personID(n)
		r := admin.put("/api/v1/directory/people/"+id, map[string]any{"name": n, "position": "Chuyên viên", "unit": unit, "roles": []string{"staff"}})
		if r.Status != http.StatusCreated && r.Status != http.StatusOK {
			t.Fatalf("add %s to %s: %d %s", n, unit, r.Status, r.Body)
		}
	}
}

// personID is the id addPeople gives a name.
func personID(name string) string {
	h := fnv.New32a()
	_, _ = h.Write([]byte(name))
	return fmt.Sprintf("nv%08x", h.Sum32())
}
