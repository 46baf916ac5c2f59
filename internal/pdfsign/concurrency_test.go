package pdfsign

import (
	"bytes"
	"context"
	"crypto"
	"crypto/sha256"
	"crypto/x509"
	"errors"
	"io"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
)

// tokenKey stands in for a hardware token / remote signer: it only exposes
// crypto.Signer, records what it was asked to sign, and delegates.
type tokenKey struct {
	inner   crypto.Signer
	calls   atomic.Int32
	digests [][]byte
	mu      sync.Mutex
	fail    error
}

func (k *tokenKey) Public() crypto.PublicKey { return k.inner.Public() }

func (k *tokenKey) Sign(r io.Reader, digest []byte, opts crypto.SignerOpts) ([]byte, error) {
	k.calls.Add(1)
	if k.fail != nil {
		return nil, k.fail
	}
	if opts.HashFunc() != crypto.SHA256 || len(digest) != sha256.Size {
		return nil, errors.New("token: expected a SHA-256 digest")
	}
	k.mu.Lock()
	k.digests = append(k.digests, bytes.Clone(digest))
	k.mu.Unlock()
	return k.inner.Sign(r, digest, opts)
}

func TestCustomCryptoSigner(t *testing.T) {
	s, ca, _ := testSigner(t)
	tok := &tokenKey{inner: s.Key}
	out, err := Sign(context.Background(), makePDF(t, 1), Signer{Key: tok, Cert: s.Cert, Chain: s.Chain}, Options{Time: signTime})
	if err != nil {
		t.Fatal(err)
	}
	if tok.calls.Load() != 1 {
		t.Errorf("token called %d times, want 1", tok.calls.Load())
	}
	roots := x509.NewCertPool()
	roots.AddCert(ca)
	infos, err := Verify(out, roots)
	if err != nil || len(infos) != 1 || !infos[0].Intact || !infos[0].Chained {
		t.Fatalf("Verify: %v %+v", err, infos)
	}
	// The digest handed to the token is SHA-256 of the DER signed attributes.
	doc, _ := parseDocument(out)
	v := doc.dict(doc.dict(doc.dict(doc.dict(doc.trailer["Root"])["AcroForm"])["Fields"].(Array)[0])["V"])
	p, err := parseCMS([]byte(v["Contents"].(String)))
	if err != nil {
		t.Fatal(err)
	}
	if h := sha256.Sum256(p.signedAttrs); !bytes.Equal(h[:], tok.digests[0]) {
		t.Error("token digest is not SHA-256 of the signed attributes")
	}

	// Token errors surface with context; a cancelled context stops before signing.
	tok2 := &tokenKey{inner: s.Key, fail: errors.New("PIN locked")}
	if _, err := Sign(context.Background(), makePDF(t, 1), Signer{Key: tok2, Cert: s.Cert}, Options{}); err == nil || !strings.Contains(err.Error(), "PIN locked") {
		t.Errorf("token failure: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	tok3 := &tokenKey{inner: s.Key}
	if _, err := Sign(ctx, makePDF(t, 1), Signer{Key: tok3, Cert: s.Cert}, Options{}); !errors.Is(err, context.Canceled) || tok3.calls.Load() != 0 {
		t.Errorf("cancelled context: err %v, token calls %d", err, tok3.calls.Load())
	}
	// A key that does not match the certificate is refused up front.
	if _, err := Sign(context.Background(), makePDF(t, 1), Signer{Key: testSealSigner(t).Key, Cert: s.Cert}, Options{}); err == nil {
		t.Error("mismatched key accepted")
	}
}

// RSA PKCS#1 v1.5 is deterministic, so identical inputs and clock must give
// identical bytes (reproducible builds of signed documents).
func TestSignReproducible(t *testing.T) {
	s, _, _ := testSigner(t)
	in := makePDF(t, 1)
	a, err := Sign(context.Background(), in, s, signerOpts(t))
	if err != nil {
		t.Fatal(err)
	}
	b, err := Sign(context.Background(), in, s, signerOpts(t))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a, b) {
		t.Error("same input and time produced different output")
	}
}

func TestSignConcurrent(t *testing.T) {
	s, ca, _ := testSigner(t)
	seal := testSealSigner(t)
	roots := x509.NewCertPool()
	roots.AddCert(ca)
	in := makePDF(t, 1)
	font := testFont(t) // one shared slice: Sign must not write into it
	fontCopy := bytes.Clone(font)
	o := signerOpts(t) // shared, including the *Appearance: Sign must not mutate it
	o.Font = font
	const n = 16
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			key := s
			if i%2 == 1 {
				key = seal // mix RSA and ECDSA
			}
			one, err := Sign(context.Background(), in, key, o)
			if err != nil {
				errs <- err
				return
			}
			infos, err := Verify(one, roots)
			if err != nil || len(infos) != 1 || !infos[0].Intact || !infos[0].Chained {
				errs <- errors.New("concurrent signature does not verify")
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if !bytes.Equal(font, fontCopy) {
		t.Error("Sign modified the caller's font bytes")
	}
}

func BenchmarkSign(b *testing.B) {
	s, _, _ := testSigner(b)
	in := makePDF(b, 1)
	ctx := context.Background()
	b.Run("invisible", func(b *testing.B) {
		o := Options{Time: signTime}
		b.SetBytes(int64(len(in)))
		b.ReportAllocs()
		for b.Loop() {
			if _, err := Sign(ctx, in, s, o); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("visible", func(b *testing.B) {
		o := signerOpts(b)
		b.SetBytes(int64(len(in)))
		b.ReportAllocs()
		for b.Loop() {
			if _, err := Sign(ctx, in, s, o); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkVerify(b *testing.B) {
	s, ca, _ := testSigner(b)
	out, err := Sign(context.Background(), makePDF(b, 1), s, signerOpts(b))
	if err != nil {
		b.Fatal(err)
	}
	roots := x509.NewCertPool()
	roots.AddCert(ca)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Verify(out, roots); err != nil {
			b.Fatal(err)
		}
	}
}
