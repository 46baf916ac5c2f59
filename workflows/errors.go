package workflows

import (
	"errors"

	"go.temporal.io/sdk/temporal"

	"github.com/awardflow/awardflow/internal/award"
)

// asApplicationError turns a domain rule violation into a non-retryable Temporal error
// whose type is the domain code and whose details carry the bilingual message, so the
// HTTP layer can answer with the right status and text (see DomainError).
func asApplicationError(err error) error {
	if err == nil {
		return nil
	}
	var de *award.Error
	if errors.As(err, &de) {
		return temporal.NewApplicationErrorWithOptions(de.Error(), string(de.Code), temporal.ApplicationErrorOptions{
			NonRetryable: true, Details: []any{*de},
		})
	}
	return err
}

// DomainError recovers the domain error from an error returned by a Temporal client call
// (update rejected by a validator, failed update handler, failed activity).
func DomainError(err error) (*award.Error, bool) {
	var ae *temporal.ApplicationError
	if !errors.As(err, &ae) {
		return nil, false
	}
	var de award.Error
	if ae.HasDetails() && ae.Details(&de) == nil && de.Code != "" {
		return &de, true
	}
	return nil, false
}
