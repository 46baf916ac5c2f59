package pdfsign

import (
	"crypto"
	"fmt"
	"os"

	"software.sslmate.com/src/go-pkcs12"
)

// LoadPKCS12 reads a .p12/.pfx file (key, signer certificate and any CA
// certificates). It uses software.sslmate.com/src/go-pkcs12 rather than
// golang.org/x/crypto/pkcs12 because the latter cannot read the PBES2/AES
// files that OpenSSL 3 and current Windows exports write by default.
func LoadPKCS12(file, password string) (Signer, error) {
	b, err := os.ReadFile(file)
	if err != nil {
		return Signer{}, fmt.Errorf("pdfsign: read PKCS#12: %w", err)
	}
	key, cert, cas, err := pkcs12.DecodeChain(b, password)
	if err != nil {
		return Signer{}, fmt.Errorf("pdfsign: decode PKCS#12 %s: %w", file, err)
	}
	k, ok := key.(crypto.Signer)
	if !ok {
		return Signer{}, fmt.Errorf("pdfsign: PKCS#12 key type %T cannot sign", key)
	}
	s := Signer{Key: k, Cert: cert, Chain: cas}
	if err := checkPair(s); err != nil {
		return Signer{}, err
	}
	return s, nil
}
