package httpapi

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	"github.com/awardflow/awardflow/internal/award"
	"github.com/awardflow/awardflow/workflows"
)

// Idempotency-Key (IETF draft): a key is scoped to (caller, route, target), the request
// is fingerprinted, and both make the Temporal update id (workflows.IdempotentUpdateID).
// A repeated request gets the first answer (Temporal deduplicates the update id); the same
// key with another request is refused with 422 by the workflow's validators (it keeps the
// fingerprint of every scope it accepted), so it never enters history.

// scopedUpdateID returns the update id of the request, or "" without an Idempotency-Key.
// target is the workflow the request acts on ("" when it creates one).
func scopedUpdateID(r *http.Request, a award.Actor, target, fingerprint string) (string, error) {
	key, err := idempotencyKey(r)
	if err != nil || key == "" {
		return "", err
	}
	return workflows.IdempotentUpdateID(award.IdempotencyScope(a.ID, r.Pattern, target, key), fingerprint), nil
}

// fingerprintOf fingerprints a request from its route, target and canonical JSON body
// (struct fields in declaration order, map keys sorted). The actor is part of the scope,
// not of the fingerprint: pass the request without it.
func fingerprintOf(r *http.Request, target string, body any) (string, error) {
	b, err := json.Marshal(body)
	if err != nil {
		return "", fmt.Errorf("fingerprint request: %w", err)
	}
	return award.Fingerprint(r.Pattern, target, string(b)), nil
}

// isCode reports whether err is a domain error with code c.
func isCode(err error, c award.Code) bool {
	var de *award.Error
	return errors.As(err, &de) && de.Code == c
}
