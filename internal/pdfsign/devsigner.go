package pdfsign

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// EnsureDevSigner returns a second development identity issued by the development CA in
// dir (made by EnsureDevCA), persisted as <name>.pem and <name>-key.pem. `awardflow dev`
// uses it for the agency seal (dấu cơ quan), which signs after the person who signs the
// decision, as in practice the văn thư applies the agency's signature last.
func EnsureDevSigner(dir, name, commonName, organization string) (Signer, error) {
	devCAMu.Lock()
	defer devCAMu.Unlock()
	certFile, keyFile := filepath.Join(dir, name+".pem"), filepath.Join(dir, name+"-key.pem")
	ca, caKey, err := loadDevCA(dir)
	if err != nil {
		return Signer{}, err
	}
	if _, err := os.Stat(certFile); err == nil {
		s, err := LoadPEM(certFile, keyFile)
		if err != nil {
			return Signer{}, fmt.Errorf("pdfsign: dev signer %s: %w", name, err)
		}
		if err := s.Cert.CheckSignatureFrom(ca); err != nil {
			return Signer{}, fmt.Errorf("pdfsign: dev signer %s not issued by the dev CA: %w", name, err)
		}
		s.Chain = []*x509.Certificate{ca}
		return s, nil
	} else if !errors.Is(err, fs.ErrNotExist) {
		return Signer{}, fmt.Errorf("pdfsign: dev signer %s: %w", name, err)
	}
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return Signer{}, fmt.Errorf("pdfsign: dev signer key: %w", err)
	}
	now := time.Now().Add(-time.Hour)
	tmpl := &x509.Certificate{
		SerialNumber:       randSerial(),
		Subject:            pkix.Name{CommonName: commonName, Organization: []string{organization}, Country: []string{"VN"}},
		NotBefore:          now,
		NotAfter:           now.AddDate(5, 0, 0),
		KeyUsage:           x509.KeyUsageDigitalSignature | x509.KeyUsageContentCommitment,
		ExtKeyUsage:        []x509.ExtKeyUsage{x509.ExtKeyUsageEmailProtection},
		UnknownExtKeyUsage: []asn1.ObjectIdentifier{{1, 3, 6, 1, 5, 5, 7, 3, 36}},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, key.Public(), caKey)
	if err != nil {
		return Signer{}, fmt.Errorf("pdfsign: dev signer cert: %w", err)
	}
	cert, _ := x509.ParseCertificate(der)
	keyDER, _ := x509.MarshalPKCS8PrivateKey(key)
	if err := writeFileAtomic(keyFile, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER}), 0o600); err != nil {
		return Signer{}, fmt.Errorf("pdfsign: dev signer: %w", err)
	}
	if err := writeFileAtomic(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o644); err != nil {
		return Signer{}, fmt.Errorf("pdfsign: dev signer: %w", err)
	}
	return Signer{Key: key, Cert: cert, Chain: []*x509.Certificate{ca}}, nil
}

func loadDevCA(dir string) (*x509.Certificate, *rsa.PrivateKey, error) {
	caPEM, err := os.ReadFile(filepath.Join(dir, "ca.pem"))
	if err != nil {
		return nil, nil, fmt.Errorf("pdfsign: dev CA (call EnsureDevCA first): %w", err)
	}
	cas, err := parseCertsPEM(caPEM)
	if err != nil {
		return nil, nil, fmt.Errorf("pdfsign: dev CA: %w", err)
	}
	keyPEM, err := os.ReadFile(filepath.Join(dir, "ca-key.pem"))
	if err != nil {
		return nil, nil, fmt.Errorf("pdfsign: dev CA key: %w", err)
	}
	k, err := parseKeyPEM(keyPEM)
	if err != nil {
		return nil, nil, fmt.Errorf("pdfsign: dev CA key: %w", err)
	}
	rk, ok := k.(*rsa.PrivateKey)
	if !ok {
		return nil, nil, errors.New("pdfsign: dev CA key is not RSA")
	}
	return cas[0], rk, nil
}

// DevCA returns the development CA that EnsureDevCA keeps in dir, certificate and key,
// so that further development certificates can be issued from it (internal/keyring
// issues one per person of the organisation). Not for production.
func DevCA(dir string) (*x509.Certificate, crypto.Signer, error) {
	devCAMu.Lock()
	defer devCAMu.Unlock()
	ca, key, err := loadDevCA(dir)
	if err != nil {
		return nil, nil, err
	}
	return ca, key, nil
}
