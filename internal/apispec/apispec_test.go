package apispec

import (
	"context"
	"net/http"
	"strings"
	"testing"
)

const tiny = `
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /ping:
    post:
      operationId: ping
      summary: "Ping."
      responses:
        "204": {description: nothing}
        "400":
          description: bad
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Error"}
components:
  schemas:
    Error:
      type: object
      required: [error]
      properties:
        error: {type: object}
`

// A response the document declares without content must come without a body: kin's
// validator alone would let any body through.
func TestBodyWhereTheDocumentDeclaresNone(t *testing.T) {
	s, err := Load([]byte(tiny))
	if err != nil {
		t.Fatal(err)
	}
	ex := Exchange{Method: "POST", URL: "/ping", Status: 204, ResponseHeader: http.Header{}}
	if err := s.Check(context.Background(), ex); err != nil {
		t.Fatalf("empty 204: %v", err)
	}
	ex.ResponseHeader.Set("Content-Type", "application/json")
	ex.ResponseBody = []byte(`{"pong":true}`)
	if err := s.Check(context.Background(), ex); err == nil || !strings.Contains(err.Error(), "declares no content") {
		t.Fatalf("204 with a body: %v", err)
	}
}

func TestLoadRefusesAnInvalidDocument(t *testing.T) {
	for name, doc := range map[string]string{
		"not YAML":            "{",
		"comma in a flow map": strings.Replace(tiny, `{description: nothing}`, `{description: nothing, really}`, 1),
		"no Error schema":     strings.Replace(strings.Replace(tiny, "    Error:", "    Other:", 1), `"#/components/schemas/Error"`, `"#/components/schemas/Other"`, 1),
		"dangling $ref":       strings.Replace(tiny, `"#/components/schemas/Error"`, `"#/components/schemas/Nope"`, 1),
	} {
		if _, err := Load([]byte(doc)); err == nil {
			t.Errorf("%s: loaded", name)
		}
	}
}
