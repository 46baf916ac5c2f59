package httpapi

// OpenAPI returns the OpenAPI document of the API (openapi.yaml, also served at
// GET /api/v1/openapi.yaml), for tests that check exchanges against it.
func OpenAPI() []byte { return openapiYAML }
