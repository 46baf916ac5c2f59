package workflows

import (
	"strings"

	"go.temporal.io/sdk/workflow"

	"github.com/awardflow/awardflow/internal/award"
)

// Idempotent updates carry an update id "idem/<scope>/<fingerprint>": the scope is the
// Idempotency-Key hashed with its caller, route and target (award.IdempotencyScope), the
// fingerprint that of the request (award.Fingerprint). Temporal answers a repeated update
// id with the first result, so a retried request gets the first answer. A workflow keeps
// the fingerprint of each scope it has accepted, and its validators refuse the same scope
// with another fingerprint (award.KeyReused, 422): such an update never enters history.
const idemPrefix = "idem/"

// IdempotentUpdateID is the update id of a request with an Idempotency-Key.
func IdempotentUpdateID(scope, fingerprint string) string {
	return idemPrefix + scope + "/" + fingerprint
}

func parseIdempotentUpdateID(id string) (scope, fingerprint string, ok bool) {
	rest, ok := strings.CutPrefix(id, idemPrefix)
	if !ok {
		return "", "", false
	}
	return strings.Cut(rest, "/")
}

// requestLog maps each idempotency scope a workflow accepted to its fingerprint. Handlers
// record (they run again on replay, so the log survives a worker restart); validators
// check. Updates without an idempotent id (older clients, activities) pass untouched.
type requestLog map[string]string

// check refuses an update whose scope was accepted with another fingerprint.
func (l requestLog) check(ctx workflow.Context) error {
	scope, fp, ok := parseIdempotentUpdateID(workflow.GetCurrentUpdateInfo(ctx).ID)
	if !ok {
		return nil
	}
	if first, seen := l[scope]; seen && first != fp {
		return asApplicationError(award.KeyReused())
	}
	return nil
}

// record notes the scope of the running update. Call it first thing in a handler,
// before anything blocks, so that a concurrent update of the same scope sees it.
func (l requestLog) record(ctx workflow.Context) {
	if scope, fp, ok := parseIdempotentUpdateID(workflow.GetCurrentUpdateInfo(ctx).ID); ok {
		if _, seen := l[scope]; !seen {
			l[scope] = fp
		}
	}
}

// QueryRequests answers whether an idempotency scope was used, and with which
// fingerprint, so that a server can refuse a reused key before it stores anything.
const QueryRequests = "requests"
