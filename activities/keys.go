package activities

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"go.temporal.io/sdk/temporal"

	"github.com/awardflow/awardflow/internal/award"
	"github.com/awardflow/awardflow/internal/keyring"
	"github.com/awardflow/awardflow/internal/pdfsign"
	"github.com/awardflow/awardflow/workflows"
)

// personSigner returns the certificate and key personID signs with: their own, from
// Keys. Without Keys (older wiring), the deprecated fields stand in: Signer for the
// decision signer and the council chair, Secretary for a council secretary. A person
// without a certificate gets an error wrapping keyring.ErrNoCertificate that names them;
// keyFailure turns it into the document's visible failure.
func (a *Activities) personSigner(ctx context.Context, personID string) (pdfsign.Signer, error) {
	if a.Keys != nil {
		s, err := a.Keys.Person(ctx, personID)
		if err != nil {
			return pdfsign.Signer{}, fmt.Errorf("certificate of %s: %w", personID, err)
		}
		return s, nil
	}
	p, _ := a.cur().Person(personID)
	switch {
	case a.Signer.Key != nil && (personID == a.cur().Agency.Decision.Signer || slices.Contains(p.Roles, award.RoleChair)):
		return a.Signer, nil
	case a.Secretary != nil && slices.Contains(p.Roles, award.RoleSecretary):
		return *a.Secretary, nil
	}
	return pdfsign.Signer{}, fmt.Errorf("certificate of %s: %w", personID,
		&keyring.NoCertificateError{PersonID: personID, Reason: "no keyring, and the single-signer settings do not cover this person"})
}

// agencySigner returns the agency's organisation certificate, the seal (con dấu) that
// the văn thư applies last: from Keys, else the deprecated Seal field.
func (a *Activities) agencySigner(ctx context.Context) (pdfsign.Signer, error) {
	if a.Keys != nil {
		s, err := a.Keys.Agency(ctx)
		if err != nil {
			return pdfsign.Signer{}, fmt.Errorf("agency seal certificate: %w", err)
		}
		return s, nil
	}
	if a.Seal == nil {
		return pdfsign.Signer{}, fmt.Errorf("agency seal certificate: %w", &keyring.NoCertificateError{Reason: "no keyring and no seal configured"})
	}
	return *a.Seal, nil
}

// keyFailure turns a missing certificate (keyring.ErrNoCertificate) into the
// non-retryable, visible failure of document docID of kind ("decision", "submission",
// "minutes"): it names the person and their position in both languages, and says to
// install the certificate and retry issuing. Any other error (a remote signing service
// that is down) is returned as it is, retryable.
func (a *Activities) keyFailure(kind, docID string, err error) error {
	var nc *keyring.NoCertificateError
	if !errors.As(err, &nc) {
		return err
	}
	name, ok := docNames[kind]
	if !ok {
		name = [2]string{"văn bản", "document"}
	}
	f := workflows.DocumentFailure{DocumentID: docID}
	if nc.PersonID == "" {
		f.VI = fmt.Sprintf("Không ký được %s: cơ quan chưa có chứng thư số của tổ chức (dấu cơ quan). Cần cài đặt chứng thư số của cơ quan rồi bấm “Lập lại văn bản”.", name[0])
		f.EN = fmt.Sprintf("cannot sign the %s: the agency has no organisation certificate (the seal); install it, then retry issuing", name[1])
	} else {
		who := "người ký"
		if p, ok := a.cur().Anyone(nc.PersonID); ok {
			who = award.PersonLabel(p.Name, p.Position, "")
		}
		f.VI = fmt.Sprintf("Không ký được %s: %s chưa có chứng thư số để ký. Cần cài đặt chứng thư số của người này rồi bấm “Lập lại văn bản”.", name[0], who)
		f.EN = fmt.Sprintf("cannot sign the %s: %s has no signing certificate; install their certificate, then retry issuing", name[1], who)
	}
	// The messages are for people (no ids); the error's own text keeps them for the log.
	return temporal.NewApplicationErrorWithOptions(docID+": "+err.Error(), workflows.ErrDocument, temporal.ApplicationErrorOptions{
		NonRetryable: true, Cause: err, Details: []any{f},
	})
}
