// Package mailcatcher is an SMTP server that keeps what it receives in memory: the mail
// catcher of `awardflow dev` (shown at /dev/mail) and the real SMTP server the tests send
// to. It listens on 127.0.0.1 only and accepts any sender and recipient; a message
// counts only once the client sent its final dot (github.com/emersion/go-smtp).
package mailcatcher

import (
	"bytes"
	"crypto/tls"
	"errors"
	"fmt"
	"html/template"
	"io"
	"log/slog"
	"mime"
	"net"
	"net/http"
	"net/mail"
	"strings"
	"sync"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// Message is one received mail.
type Message struct {
	From      string
	To        []string
	Raw       []byte
	Subject   string // decoded (RFC 2047)
	MessageID string
	Received  time.Time
}

// Catcher is a running SMTP catcher.
type Catcher struct {
	srv  *smtp.Server
	addr string
	opts Options
	mu   sync.Mutex
	msgs []Message
	// OnMessage, if set, is called after each message is kept (tests).
	OnMessage func(Message)
}

// Options make the catcher behave like a production relay (tests of the sender's TLS
// and authentication).
type Options struct {
	// TLS offers STARTTLS with this configuration (or, with Implicit, TLS from the
	// first byte, as on port 465).
	TLS      *tls.Config
	Implicit bool
	// User and Password, when set, are required (AUTH PLAIN) before MAIL FROM.
	User, Password string
}

// Start listens on addr (must be a loopback address; "127.0.0.1:0" picks a port).
func Start(addr string) (*Catcher, error) { return StartWith(addr, Options{}) }

// StartWith is Start with options.
func StartWith(addr string, o Options) (*Catcher, error) {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, fmt.Errorf("mail catcher address %q: %w", addr, err)
	}
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		return nil, fmt.Errorf("mail catcher address %q: only a loopback IP address", addr)
	}
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("mail catcher: %w", err)
	}
	c := &Catcher{addr: l.Addr().String(), opts: o}
	c.srv = smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return &session{c: c}, nil }))
	c.srv.Domain = "localhost"
	c.srv.AllowInsecureAuth = o.TLS == nil
	if o.TLS != nil {
		if o.Implicit {
			l = tls.NewListener(l, o.TLS)
		} else {
			c.srv.TLSConfig = o.TLS
		}
	}
	c.srv.MaxMessageBytes = 10 << 20
	c.srv.ReadTimeout, c.srv.WriteTimeout = time.Minute, time.Minute
	go func() {
		if err := c.srv.Serve(l); err != nil && !errors.Is(err, smtp.ErrServerClosed) {
			slog.Warn("mail catcher stopped", "error", err)
		}
	}()
	return c, nil
}

// Addr is host:port.
func (c *Catcher) Addr() string { return c.addr }

// Close stops the server.
func (c *Catcher) Close() error { return c.srv.Close() }

// Messages returns a copy of what was received, oldest first.
func (c *Catcher) Messages() []Message {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]Message(nil), c.msgs...)
}

type session struct {
	c      *Catcher
	from   string
	to     []string
	authed bool
}

func (s *session) Reset()        { s.from, s.to = "", nil }
func (s *session) Logout() error { return nil }

// AuthMechanisms offers PLAIN when credentials are configured.
func (s *session) AuthMechanisms() []string {
	if s.c.opts.User == "" {
		return nil
	}
	return []string{sasl.Plain}
}

// Auth checks PLAIN credentials against the configured ones.
func (s *session) Auth(mech string) (sasl.Server, error) {
	if mech != sasl.Plain || s.c.opts.User == "" {
		return nil, smtp.ErrAuthUnknownMechanism
	}
	return sasl.NewPlainServer(func(identity, username, password string) error {
		if username != s.c.opts.User || password != s.c.opts.Password {
			return smtp.ErrAuthFailed
		}
		s.authed = true
		return nil
	}), nil
}

func (s *session) Mail(from string, _ *smtp.MailOptions) error {
	if s.c.opts.User != "" && !s.authed {
		return smtp.ErrAuthRequired
	}
	s.from = from
	return nil
}
func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.to = append(s.to, to)
	return nil
}

// Data keeps the message once it is complete: a connection dropped before the final dot
// makes r fail, and nothing is kept.
func (s *session) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	m := Message{From: s.from, To: append([]string(nil), s.to...), Raw: raw, Received: time.Now()}
	if pm, err := mail.ReadMessage(bytes.NewReader(raw)); err == nil {
		m.MessageID = pm.Header.Get("Message-ID")
		if subj, err := new(mime.WordDecoder).DecodeHeader(pm.Header.Get("Subject")); err == nil {
			m.Subject = subj
		}
	}
	s.c.mu.Lock()
	s.c.msgs = append(s.c.msgs, m)
	cb := s.c.OnMessage
	s.c.mu.Unlock()
	if cb != nil {
		cb(m)
	}
	return nil
}

// Body decodes a message's text body (base64 or quoted-printable or plain).
func (m Message) Body() string {
	pm, err := mail.ReadMessage(bytes.NewReader(m.Raw))
	if err != nil {
		return string(m.Raw)
	}
	b, _ := io.ReadAll(pm.Body)
	if strings.EqualFold(pm.Header.Get("Content-Transfer-Encoding"), "base64") {
		var out bytes.Buffer
		if _, err := io.Copy(&out, newBase64(bytes.NewReader(b))); err == nil {
			return out.String()
		}
	}
	return string(b)
}

var page = template.Must(template.New("mail").Parse(`<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Thư đã gửi (dev) — awardflow</title></head>
<body><h1>Thư đã gửi / Sent mail (dev catcher, {{.Addr}})</h1>
<p>{{len .Msgs}} thư, mới nhất trước / newest first.</p>
{{range .Msgs}}<article><h2>{{.Subject}}</h2>
<p>Đến / To: {{range .To}}{{.}} {{end}} · {{.Received.Format "2006-01-02 15:04:05"}} · {{.MessageID}}</p>
<pre>{{.Body}}</pre></article><hr>{{end}}
</body></html>`))

// ServeHTTP shows the received mails, newest first (/dev/mail of `awardflow dev`).
func (c *Catcher) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	msgs := c.Messages()
	for i, j := 0, len(msgs)-1; i < j; i, j = i+1, j-1 {
		msgs[i], msgs[j] = msgs[j], msgs[i]
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Security-Policy", "default-src 'none'")
	_ = page.Execute(w, struct {
		Addr string
		Msgs []Message
	}{c.addr, msgs})
}
