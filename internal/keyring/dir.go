package keyring

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/awardflow/awardflow/internal/orgconfig"
	"github.com/awardflow/awardflow/internal/pdfsign"
)

// P12Ext is the extension of the PKCS#12 files in a keys directory.
const P12Ext = ".p12"

// LoadDir reads the PKCS#12 files of a keys directory, all at once (a bad file stops the
// start, not a council session): <dir>/<person-id>.p12 for each person of org who signs,
// <dir>/agency.p12 for the agency's seal, all with the one password. A person without a
// file has no certificate (Check refuses the start when that person must sign). A file
// that cannot be opened (a wrong password, a damaged file, a key that is not the
// certificate's) is an error naming the file. notes lists files that belong to nobody
// (a typo in a name), for the log.
func LoadDir(dir, password string, org *orgconfig.Org) (k *Static, notes []string, err error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, nil, fmt.Errorf("keyring: keys directory: %w", err)
	}
	k = NewStatic()
	var errs []error
	known := map[string]bool{AgencyFile + P12Ext: true}
	for _, p := range org.People {
		if p.ID == AgencyFile {
			errs = append(errs, fmt.Errorf("keyring: person id %q is reserved for the agency's certificate (%s%s): rename the person", p.ID, AgencyFile, P12Ext))
			continue
		}
		name, ok := FileName(p.ID)
		if !ok {
			notes = append(notes, fmt.Sprintf("person %q: the id cannot be a file name, so no certificate can be found for them in %s", p.ID, dir))
			continue
		}
		known[name+P12Ext] = true
		s, err := loadP12(filepath.Join(dir, name+P12Ext), password)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			continue
		case err != nil:
			errs = append(errs, fmt.Errorf("keyring: person %q: %w", p.ID, err))
			continue
		}
		if err := k.Add(p.ID, s); err != nil {
			errs = append(errs, err)
		}
	}
	switch s, err := loadP12(filepath.Join(dir, AgencyFile+P12Ext), password); {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		errs = append(errs, fmt.Errorf("keyring: agency: %w", err))
	default:
		if err := k.SetAgency(s); err != nil {
			errs = append(errs, err)
		}
	}
	for _, e := range entries {
		n := e.Name()
		if strings.EqualFold(filepath.Ext(n), P12Ext) && !known[n] {
			notes = append(notes, fmt.Sprintf("%s: no person of the organisation config has the id %q", filepath.Join(dir, n), strings.TrimSuffix(n, filepath.Ext(n))))
		}
	}
	slices.Sort(notes)
	if err := errors.Join(errs...); err != nil {
		return nil, notes, err
	}
	return k, notes, nil
}

func loadP12(path, password string) (pdfsign.Signer, error) {
	if _, err := os.Stat(path); err != nil {
		return pdfsign.Signer{}, err
	}
	s, err := pdfsign.LoadPKCS12(path, password)
	if err != nil && !strings.Contains(err.Error(), path) {
		err = fmt.Errorf("%s: %w", path, err)
	}
	if err != nil {
		return pdfsign.Signer{}, err
	}
	return s, nil
}

// OnDemand is a keyring loaded from a keys directory at start (LoadDir) that also looks
// for people it did not load: someone the admin added to the directory later, whose
// <dir>/<person-id>.p12 an operator installed afterwards, signs without a restart. A
// file found is kept; a missing one is looked for again next time (the document's
// failure says to install it and retry).
type OnDemand struct {
	*Static
	dir, password string

	mu    sync.Mutex
	found map[string]pdfsign.Signer
}

// NewOnDemand wraps the keyring LoadDir returned for dir and password.
func NewOnDemand(k *Static, dir, password string) *OnDemand {
	return &OnDemand{Static: k, dir: dir, password: password, found: map[string]pdfsign.Signer{}}
}

// Person implements Keyring.
func (o *OnDemand) Person(ctx context.Context, personID string) (pdfsign.Signer, error) {
	s, err := o.Static.Person(ctx, personID)
	if !errors.Is(err, ErrNoCertificate) {
		return s, err
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	if s, ok := o.found[personID]; ok {
		return s, nil
	}
	name, ok := FileName(personID)
	if !ok {
		return pdfsign.Signer{}, err
	}
	path := filepath.Join(o.dir, name+P12Ext)
	s, lerr := loadP12(path, o.password)
	switch {
	case errors.Is(lerr, fs.ErrNotExist):
		return pdfsign.Signer{}, &NoCertificateError{PersonID: personID, Reason: "no " + path}
	case lerr != nil:
		return pdfsign.Signer{}, &NoCertificateError{PersonID: personID, Reason: lerr.Error()}
	}
	if merr := matches(s); merr != nil {
		return pdfsign.Signer{}, &NoCertificateError{PersonID: personID, Reason: merr.Error()}
	}
	o.found[personID] = s
	return s, nil
}
