package notify_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"math/big"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/awardflow/awardflow/internal/mailcatcher"
	"github.com/awardflow/awardflow/internal/notify"
)

// testTLS is a self-signed certificate for 127.0.0.1 and a client config trusting it.
func testTLS(t *testing.T) (server, client *tls.Config) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "smtp.test"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, KeyUsage: x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}},
		&tls.Config{RootCAs: pool, ServerName: "127.0.0.1", MinVersion: tls.VersionTLS12}
}

func relay(t *testing.T, o mailcatcher.Options) (*mailcatcher.Catcher, string, int) {
	t.Helper()
	c, err := mailcatcher.StartWith("127.0.0.1:0", o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	host, port, _ := net.SplitHostPort(c.Addr())
	p, _ := strconv.Atoi(port)
	return c, host, p
}

// TestSendTLSAndAuth: the production paths of the sender against a real SMTP server on
// 127.0.0.1: STARTTLS then AUTH PLAIN, implicit TLS, a wrong password refused for good,
// a server without STARTTLS refused (never a silent fallback to plain text), an
// untrusted certificate refused; the Vietnamese subject arrives intact.
func TestSendTLSAndAuth(t *testing.T) {
	srvTLS, cliTLS := testTLS(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	m := notify.Mail{ID: "p-1/2/task/tptt", To: "tptt@btg.example.vn", Subject: "Việc mới cần xử lý — hồ sơ của Nguyễn Thị Hồng Đào",
		Body: "Xin chào", Date: time.Date(2026, 11, 20, 3, 0, 0, 0, time.UTC)}
	from := "Thi đua – Khen thưởng <thidua@btg.example.vn>"

	for _, implicit := range []bool{false, true} {
		c, host, port := relay(t, mailcatcher.Options{TLS: srvTLS, Implicit: implicit, User: "thidua", Password: "mật-khẩu"})
		mode := map[bool]string{false: "starttls", true: "tls"}[implicit]
		cfg := &notify.SMTPConfig{Host: host, Port: port, TLS: mode, User: "thidua", Password: "mật-khẩu", From: from, TLSConfig: cliTLS}
		if err := cfg.Send(ctx, m, nil); err != nil {
			t.Fatalf("%s: %v", mode, err)
		}
		got := c.Messages()
		if len(got) != 1 || got[0].Subject != m.Subject || strings.Join(got[0].To, ",") != m.To {
			t.Fatalf("%s: received %+v", mode, got)
		}
		bad := *cfg
		bad.Password = "sai"
		if err := bad.Send(ctx, m, nil); !errors.Is(err, notify.ErrPermanent) {
			t.Errorf("%s: wrong password: %v, want a permanent failure", mode, err)
		}
		untrusted := *cfg
		untrusted.TLSConfig = &tls.Config{ServerName: "127.0.0.1", MinVersion: tls.VersionTLS12}
		if err := untrusted.Send(ctx, m, nil); err == nil {
			t.Errorf("%s: an untrusted certificate was accepted", mode)
		}
		if n := len(c.Messages()); n != 1 {
			t.Errorf("%s: %d messages after the refusals, want 1", mode, n)
		}
	}
	plain, host, port := relay(t, mailcatcher.Options{})
	cfg := &notify.SMTPConfig{Host: host, Port: port, TLS: "starttls", From: from, TLSConfig: cliTLS}
	if err := cfg.Send(ctx, m, nil); err == nil || !strings.Contains(err.Error(), "STARTTLS") {
		t.Errorf("no STARTTLS offered: %v, want a refusal", err)
	}
	if len(plain.Messages()) != 0 {
		t.Error("a mail went out in plain text")
	}
	// A commit that fails leaves the server nothing (no final dot).
	cfg.TLS = "none"
	if err := cfg.Send(ctx, m, func() error { return errors.New("crash") }); err == nil {
		t.Fatal("a failed commit reported success")
	}
	time.Sleep(100 * time.Millisecond)
	if len(plain.Messages()) != 0 {
		t.Error("the server kept a message without its final dot")
	}
}
