package keyring

import (
	"bytes"
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/awardflow/awardflow/internal/pdfsign"
)

// TestTwoPeopleSignPdfsigNamesEach: a document signed by the chair and then the
// secretary with their dev certificates shows, in poppler's pdfsig with the dev CA in an
// NSS database, each person's own name and "Certificate is Trusted."; awardflow's own
// verifier names the same people (the /Name written is a neutral role, not a name).
func TestTwoPeopleSignPdfsigNamesEach(t *testing.T) {
	org := demoOrg(t)
	d := quietDev(t, filepath.Join(t.TempDir(), "pki"), org)
	ctx := context.Background()
	pdf := onePagePDF(t)
	var want []string
	for i, id := range []string{"truongban", "thuky"} {
		s, err := d.Person(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if pdf, err = pdfsign.Sign(ctx, pdf, s, pdfsign.Options{Name: "Người ký", Time: time.Now(), FieldName: fmt.Sprintf("Signer%d", i+1)}); err != nil {
			t.Fatal(err)
		}
		p, _ := org.Person(id)
		want = append(want, p.Name)
	}
	text, sigs := pdfsig(t, pdf, nssDB(t, d.CA()))
	if len(sigs) != 2 {
		t.Fatalf("pdfsig found %d signatures:\n%s", len(sigs), text)
	}
	for i, sg := range sigs {
		if sg.Name != want[i] || sg.Valid != "Signature is Valid." || sg.Trust != "Certificate is Trusted." {
			t.Errorf("signature %d: %+v, want %s, valid and trusted\n%s", i+1, sg, want[i], text)
		}
	}
	roots := x509.NewCertPool()
	roots.AddCert(d.CA())
	infos, err := pdfsign.Verify(pdf, roots)
	if err != nil || len(infos) != 2 {
		t.Fatalf("Verify: %v", err)
	}
	for i, in := range infos {
		if in.SignerName != want[i] || !in.Intact || !in.Chained {
			t.Errorf("Verify signature %d: %q intact %v chained %v", i+1, in.SignerName, in.Intact, in.Chained)
		}
	}
}

// signService is an in-process stand-in for a remote signing service (a cloud signing
// service or an HSM behind a network API): it keeps the private keys, publishes the
// certificates, and signs digests, never documents. It counts what it is asked.
type signService struct {
	keys      map[string]crypto.Signer // by credential id
	certs     map[string][]*x509.Certificate
	signCalls atomic.Int32
	certCalls atomic.Int32
	maxBody   atomic.Int64
}

type signRequest struct {
	Credential string `json:"credential"`
	Digest     []byte `json:"digest"` // SHA-256, base64 in JSON
}

func (s *signService) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	if n := int64(len(body)); n > s.maxBody.Load() {
		s.maxBody.Store(n)
	}
	var req signRequest
	if err := json.Unmarshal(body, &req); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	switch r.URL.Path {
	case "/certificates":
		s.certCalls.Add(1)
		chain, ok := s.certs[req.Credential]
		if !ok {
			http.NotFound(w, r)
			return
		}
		var ders [][]byte
		for _, c := range chain {
			ders = append(ders, c.Raw)
		}
		_ = json.NewEncoder(w).Encode(ders)
	case "/sign":
		s.signCalls.Add(1)
		key, ok := s.keys[req.Credential]
		if !ok || len(req.Digest) != 32 {
			http.Error(w, "unknown credential or not a SHA-256 digest", http.StatusBadRequest)
			return
		}
		sig, err := key.Sign(nil, req.Digest, crypto.SHA256)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		_ = json.NewEncoder(w).Encode(sig)
	default:
		http.NotFound(w, r)
	}
}

// remoteKey is the adapter a deployment writes: a crypto.Signer whose Sign asks the
// service. It carries the context of the activity that looked it up.
type remoteKey struct {
	ctx        context.Context
	url        string
	credential string
	pub        crypto.PublicKey
}

func (k *remoteKey) Public() crypto.PublicKey { return k.pub }

func (k *remoteKey) Sign(_ io.Reader, digest []byte, opts crypto.SignerOpts) ([]byte, error) {
	if opts.HashFunc() != crypto.SHA256 {
		return nil, fmt.Errorf("remote signer: hash %v not supported", opts.HashFunc())
	}
	var sig []byte
	if err := call(k.ctx, k.url+"/sign", signRequest{Credential: k.credential, Digest: digest}, &sig); err != nil {
		return nil, fmt.Errorf("remote signer: %w", err)
	}
	return sig, nil
}

func call(ctx context.Context, url string, in, out any) error {
	b, _ := json.Marshal(in)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(b))
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		msg, _ := io.ReadAll(resp.Body)
		return fmt.Errorf("%s: %s", resp.Status, msg)
	}
	return json.NewDecoder(resp.Body).Decode(out)
}

// remoteKeyring looks each person's certificate up at the service (once: cached) and
// returns a remoteKey bound to the caller's context.
func remoteKeyring(url string) Keyring {
	var mu sync.Mutex
	cache := map[string][]*x509.Certificate{}
	lookup := func(ctx context.Context, credential, personID string) (pdfsign.Signer, error) {
		mu.Lock()
		chain, ok := cache[credential]
		mu.Unlock()
		if !ok {
			var ders [][]byte
			if err := call(ctx, url+"/certificates", signRequest{Credential: credential}, &ders); err != nil {
				return pdfsign.Signer{}, &NoCertificateError{PersonID: personID, Reason: err.Error()}
			}
			for _, der := range ders {
				c, err := x509.ParseCertificate(der)
				if err != nil {
					return pdfsign.Signer{}, err
				}
				chain = append(chain, c)
			}
			mu.Lock()
			cache[credential] = chain
			mu.Unlock()
		}
		return pdfsign.Signer{Key: &remoteKey{ctx: ctx, url: url, credential: credential, pub: chain[0].PublicKey},
			Cert: chain[0], Chain: chain[1:]}, nil
	}
	return Funcs{
		PersonFunc: func(ctx context.Context, id string) (pdfsign.Signer, error) { return lookup(ctx, "person:"+id, id) },
		AgencyFunc: func(ctx context.Context) (pdfsign.Signer, error) { return lookup(ctx, "agency", "") },
	}
}

// TestRemoteSignerSeam: a keyring whose keys live in a signing service (in-process here)
// signs a document as two people and the agency; the signatures verify and chain; the
// service signed exactly once per signature, saw only 32-byte digests (never the
// document), and a cancelled activity context stops the remote call.
func TestRemoteSignerSeam(t *testing.T) {
	org := demoOrg(t)
	d := quietDev(t, filepath.Join(t.TempDir(), "pki"), org)
	ctx := context.Background()
	svc := &signService{keys: map[string]crypto.Signer{}, certs: map[string][]*x509.Certificate{}}
	for _, id := range []string{"truongban", "phoban", "thuky"} {
		s, _ := d.Person(ctx, id)
		svc.keys["person:"+id], svc.certs["person:"+id] = s.Key, append([]*x509.Certificate{s.Cert}, s.Chain...)
	}
	ag, _ := d.Agency(ctx)
	svc.keys["agency"], svc.certs["agency"] = ag.Key, append([]*x509.Certificate{ag.Cert}, ag.Chain...)
	srv := httptest.NewServer(svc)
	defer srv.Close()
	k := remoteKeyring(srv.URL)

	roots := x509.NewCertPool()
	roots.AddCert(d.CA())
	if err := Check(ctx, k, roots, time.Now(), RequiredSigners(org), true); err != nil {
		t.Fatalf("check: %v", err)
	}
	pdf := onePagePDF(t)
	signers := []func() (pdfsign.Signer, error){
		func() (pdfsign.Signer, error) { return k.Person(ctx, "truongban") },
		func() (pdfsign.Signer, error) { return k.Person(ctx, "thuky") },
		func() (pdfsign.Signer, error) { return k.Agency(ctx) },
	}
	for i, get := range signers {
		s, err := get()
		if err != nil {
			t.Fatal(err)
		}
		if _, local := s.Key.(*ecdsa.PrivateKey); local {
			t.Fatal("the keyring handed out a local key")
		}
		if pdf, err = pdfsign.Sign(ctx, pdf, s, pdfsign.Options{Time: time.Now(), FieldName: fmt.Sprintf("S%d", i+1)}); err != nil {
			t.Fatal(err)
		}
	}
	if n := svc.signCalls.Load(); n != 3 {
		t.Errorf("the service signed %d times for 3 signatures", n)
	}
	if n := svc.certCalls.Load(); n != 4 {
		t.Errorf("certificates looked up %d times, want once per identity (4)", n)
	}
	if n := svc.maxBody.Load(); n > 200 {
		t.Errorf("the service received a %d-byte request: more than a digest", n)
	}
	infos, err := pdfsign.Verify(pdf, roots)
	if err != nil || len(infos) != 3 {
		t.Fatalf("Verify: %v %d", err, len(infos))
	}
	wantNames := []string{"Nguyễn Văn Hùng", "Huỳnh Thị Mỹ Linh", org.Agency.FullName}
	for i, in := range infos {
		if !in.Intact || !in.Chained || in.SignerName != wantNames[i] {
			t.Errorf("signature %d: %q intact %v chained %v %s", i+1, in.SignerName, in.Intact, in.Chained, in.Err)
		}
	}
	if infos[2].Coverage != pdfsign.CoverageWholeFile || infos[0].Coverage != pdfsign.CoverageLaterSignature {
		t.Errorf("coverage %s %s", infos[0].Coverage, infos[2].Coverage)
	}

	// The activity is cancelled: the key bound to its context makes no signature.
	cctx, cancel := context.WithCancel(ctx)
	s, err := k.Person(cctx, "thuky")
	if err != nil {
		t.Fatal(err)
	}
	cancel()
	before := svc.signCalls.Load()
	if _, err := s.Key.Sign(nil, make([]byte, 32), crypto.SHA256); !errors.Is(err, context.Canceled) {
		t.Errorf("sign after cancel: %v", err)
	}
	if svc.signCalls.Load() != before {
		t.Error("the service was called after the activity was cancelled")
	}
	// An identity the service does not know: the missing-certificate error.
	if _, err := k.Person(ctx, "hongdao"); !errors.Is(err, ErrNoCertificate) {
		t.Errorf("unknown credential: %v", err)
	}
}
