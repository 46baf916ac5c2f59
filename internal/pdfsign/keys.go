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
	"math/big"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// LoadPEM reads a certificate file (signer first, then any chain
// certificates) and an unencrypted private key in PKCS#8, PKCS#1 or SEC 1
// (EC) PEM form.
func LoadPEM(certFile, keyFile string) (Signer, error) {
	certPEM, err := os.ReadFile(certFile)
	if err != nil {
		return Signer{}, fmt.Errorf("pdfsign: read certificate: %w", err)
	}
	keyPEM, err := os.ReadFile(keyFile)
	if err != nil {
		return Signer{}, fmt.Errorf("pdfsign: read key: %w", err)
	}
	certs, err := parseCertsPEM(certPEM)
	if err != nil {
		return Signer{}, fmt.Errorf("pdfsign: %s: %w", certFile, err)
	}
	key, err := parseKeyPEM(keyPEM)
	if err != nil {
		return Signer{}, fmt.Errorf("pdfsign: %s: %w", keyFile, err)
	}
	s := Signer{Key: key, Cert: certs[0], Chain: certs[1:]}
	if err := checkPair(s); err != nil {
		return Signer{}, err
	}
	return s, nil
}

func parseCertsPEM(b []byte) ([]*x509.Certificate, error) {
	var certs []*x509.Certificate
	for {
		var blk *pem.Block
		blk, b = pem.Decode(b)
		if blk == nil {
			break
		}
		if blk.Type != "CERTIFICATE" {
			continue
		}
		c, err := x509.ParseCertificate(blk.Bytes)
		if err != nil {
			return nil, fmt.Errorf("parse certificate: %w", err)
		}
		certs = append(certs, c)
	}
	if len(certs) == 0 {
		return nil, errors.New("no CERTIFICATE block")
	}
	return certs, nil
}

func parseKeyPEM(b []byte) (crypto.Signer, error) {
	for {
		var blk *pem.Block
		blk, b = pem.Decode(b)
		if blk == nil {
			return nil, errors.New("no private key block")
		}
		if x509.IsEncryptedPEMBlock(blk) { //nolint:staticcheck // detecting legacy encryption to give a clear error
			return nil, errors.New("encrypted PEM keys are not supported; decrypt it or use PKCS#12")
		}
		var k any
		var err error
		switch blk.Type {
		case "PRIVATE KEY":
			k, err = x509.ParsePKCS8PrivateKey(blk.Bytes)
		case "RSA PRIVATE KEY":
			k, err = x509.ParsePKCS1PrivateKey(blk.Bytes)
		case "EC PRIVATE KEY":
			k, err = x509.ParseECPrivateKey(blk.Bytes)
		case "ENCRYPTED PRIVATE KEY":
			return nil, errors.New("encrypted PKCS#8 keys are not supported; decrypt it or use PKCS#12")
		default:
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("parse %s: %w", blk.Type, err)
		}
		s, ok := k.(crypto.Signer)
		if !ok {
			return nil, fmt.Errorf("key type %T cannot sign", k)
		}
		return s, nil
	}
}

func checkPair(s Signer) error {
	pk, ok := s.Cert.PublicKey.(interface{ Equal(crypto.PublicKey) bool })
	if !ok || !pk.Equal(s.Key.Public()) {
		return errors.New("pdfsign: private key does not match certificate")
	}
	return nil
}

var devCAMu sync.Mutex

// EnsureDevCA returns a development signer issued by a development CA, both
// persisted in dir (ca.pem, ca-key.pem, signer.pem, signer-key.pem; keys
// 0600). The first call generates them; later calls reload them, so a test
// or dev stack keeps one trust anchor. Not for production: real signing uses
// certificates from a licensed CA on a token (see the package comment).
func EnsureDevCA(dir, agency string) (Signer, *x509.Certificate, error) {
	devCAMu.Lock()
	defer devCAMu.Unlock()
	files := []string{"ca.pem", "ca-key.pem", "signer.pem", "signer-key.pem"}
	present := 0
	for _, f := range files {
		if _, err := os.Stat(filepath.Join(dir, f)); err == nil {
			present++
		} else if !errors.Is(err, fs.ErrNotExist) {
			return Signer{}, nil, fmt.Errorf("pdfsign: dev CA: %w", err)
		}
	}
	switch present {
	case len(files):
		s, err := LoadPEM(filepath.Join(dir, "signer.pem"), filepath.Join(dir, "signer-key.pem"))
		if err != nil {
			return Signer{}, nil, fmt.Errorf("pdfsign: dev CA: %w", err)
		}
		caPEM, err := os.ReadFile(filepath.Join(dir, "ca.pem"))
		if err != nil {
			return Signer{}, nil, fmt.Errorf("pdfsign: dev CA: %w", err)
		}
		cas, err := parseCertsPEM(caPEM)
		if err != nil {
			return Signer{}, nil, fmt.Errorf("pdfsign: dev CA: ca.pem: %w", err)
		}
		s.Chain = []*x509.Certificate{cas[0]}
		if err := s.Cert.CheckSignatureFrom(cas[0]); err != nil {
			return Signer{}, nil, fmt.Errorf("pdfsign: dev CA: signer.pem not issued by ca.pem: %w", err)
		}
		return s, cas[0], nil
	case 0:
	default:
		// Refuse to overwrite a half-written set: someone may trust that CA.
		return Signer{}, nil, fmt.Errorf("pdfsign: dev CA: %s holds only some of %v; remove them or restore the rest", dir, files)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return Signer{}, nil, fmt.Errorf("pdfsign: dev CA: %w", err)
	}
	caKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return Signer{}, nil, fmt.Errorf("pdfsign: dev CA key: %w", err)
	}
	now := time.Now().Add(-time.Hour)
	caTmpl := &x509.Certificate{
		SerialNumber:          randSerial(),
		Subject:               pkix.Name{CommonName: agency + " Dev CA", Organization: []string{agency}, Country: []string{"VN"}},
		NotBefore:             now,
		NotAfter:              now.AddDate(10, 0, 0),
		IsCA:                  true,
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, caKey.Public(), caKey)
	if err != nil {
		return Signer{}, nil, fmt.Errorf("pdfsign: dev CA cert: %w", err)
	}
	ca, _ := x509.ParseCertificate(caDER)
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return Signer{}, nil, fmt.Errorf("pdfsign: dev signer key: %w", err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: randSerial(),
		Subject:      pkix.Name{CommonName: agency + " (dev signer)", Organization: []string{agency}, Country: []string{"VN"}},
		NotBefore:    now,
		NotAfter:     now.AddDate(5, 0, 0),
		KeyUsage:     x509.KeyUsageDigitalSignature | x509.KeyUsageContentCommitment,
		// NSS (pdfsig) validates document signers for the e-mail signer
		// usage, which requires emailProtection when an EKU is present.
		ExtKeyUsage:        []x509.ExtKeyUsage{x509.ExtKeyUsageEmailProtection},
		UnknownExtKeyUsage: []asn1.ObjectIdentifier{{1, 3, 6, 1, 5, 5, 7, 3, 36}}, // id-kp-documentSigning
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, key.Public(), caKey)
	if err != nil {
		return Signer{}, nil, fmt.Errorf("pdfsign: dev signer cert: %w", err)
	}
	cert, _ := x509.ParseCertificate(der)
	write := func(name, typ string, b []byte, mode os.FileMode) error {
		return writeFileAtomic(filepath.Join(dir, name), pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: b}), mode)
	}
	caKeyDER, _ := x509.MarshalPKCS8PrivateKey(caKey)
	keyDER, _ := x509.MarshalPKCS8PrivateKey(key)
	// Keys first, ca.pem last: an interrupted run leaves a partial set that
	// the next call reports instead of silently trusting.
	for _, f := range []struct {
		name, typ string
		b         []byte
		mode      os.FileMode
	}{
		{"ca-key.pem", "PRIVATE KEY", caKeyDER, 0o600},
		{"signer-key.pem", "PRIVATE KEY", keyDER, 0o600},
		{"signer.pem", "CERTIFICATE", der, 0o644},
		{"ca.pem", "CERTIFICATE", caDER, 0o644},
	} {
		if err := write(f.name, f.typ, f.b, f.mode); err != nil {
			return Signer{}, nil, fmt.Errorf("pdfsign: dev CA: %w", err)
		}
	}
	return Signer{Key: key, Cert: cert, Chain: []*x509.Certificate{ca}}, ca, nil
}

func writeFileAtomic(path string, b []byte, mode os.FileMode) error {
	f, err := os.CreateTemp(filepath.Dir(path), ".tmp-*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer os.Remove(tmp) // no-op after a successful rename
	if err := f.Chmod(mode); err != nil {
		f.Close()
		return err
	}
	if _, err := f.Write(b); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

func randSerial() *big.Int {
	n, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 127))
	if err != nil {
		return big.NewInt(time.Now().UnixNano())
	}
	return n.Add(n, big.NewInt(1))
}
