package notify

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/tls"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"mime"
	"net"
	"net/mail"
	"net/smtp"
	"net/textproto"
	"os"
	"strconv"
	"strings"
	"time"
)

// Mail is one e-mail as the outbox keeps it: everything but the address is fixed when
// the event is recorded, so a retry sends the same bytes.
type Mail struct {
	ID      string // the outbox id: an event id, or digest:<person>:<date>
	To      string // the address
	Subject string // Vietnamese, with diacritics (RFC 2047 encoded on the wire)
	Body    string // plain text, UTF-8
	Date    time.Time
}

// MessageID is the Message-ID of the mail of outbox id: derived from the id alone, so a
// mail sent twice (see Sender) carries the same Message-ID and mail clients show it once.
func MessageID(id, domain string) string {
	h := sha256.Sum256([]byte(id))
	if domain == "" {
		domain = "awardflow.invalid"
	}
	return "<" + hex.EncodeToString(h[:16]) + "@" + domain + ">"
}

// Bytes is the message in RFC 5322 form: UTF-8 text in base64, the subject as RFC 2047
// encoded-words, the From display name too.
func (m Mail) Bytes(from mail.Address, domain string) ([]byte, error) {
	to, err := mail.ParseAddress(m.To)
	if err != nil {
		return nil, fmt.Errorf("mail %s: recipient %q: %w", m.ID, m.To, err)
	}
	if strings.ContainsAny(m.Subject, "\r\n") {
		return nil, fmt.Errorf("mail %s: line break in the subject", m.ID)
	}
	var b bytes.Buffer
	h := func(k, v string) { b.WriteString(k + ": " + v + "\r\n") }
	h("From", from.String())
	h("To", to.String())
	h("Subject", mime.BEncoding.Encode("utf-8", m.Subject))
	h("Date", m.Date.UTC().Format(time.RFC1123Z))
	h("Message-ID", MessageID(m.ID, domain))
	h("MIME-Version", "1.0")
	h("Content-Type", `text/plain; charset="utf-8"`)
	h("Content-Transfer-Encoding", "base64")
	h("Auto-Submitted", "auto-generated")
	b.WriteString("\r\n")
	enc := base64.StdEncoding.EncodeToString([]byte(m.Body))
	for len(enc) > 76 {
		b.WriteString(enc[:76] + "\r\n")
		enc = enc[76:]
	}
	b.WriteString(enc + "\r\n")
	return b.Bytes(), nil
}

// SMTPConfig is where mails go. Production reads it from the environment (FromEnv).
type SMTPConfig struct {
	Host     string
	Port     int
	User     string
	Password string
	// TLS: "starttls" (upgrade, required), "tls" (implicit TLS, port 465) or "none"
	// (plain: only for a catcher on the loopback).
	TLS    string
	From   string // e.g. "Thi đua – Khen thưởng <awardflow@example.gov.vn>"
	Domain string // for Message-IDs; default the From address's domain
	// DefaultDomain: a person without an address of their own gets <id>@DefaultDomain;
	// empty: such a person gets no mail (the page still shows it).
	DefaultDomain string
	// TLSConfig overrides the TLS client settings (tests: a private CA).
	TLSConfig *tls.Config
}

// FromEnv reads AWARDFLOW_SMTP_HOST, _PORT, _USER, _PASSWORD (or _PASSWORD_FILE), _TLS,
// _FROM and _DEFAULT_DOMAIN. No host: nil (mail is off; the page still notifies).
func FromEnv(getenv func(string) string) (*SMTPConfig, error) {
	host := getenv("AWARDFLOW_SMTP_HOST")
	if host == "" {
		return nil, nil
	}
	c := &SMTPConfig{Host: host, Port: 587, User: getenv("AWARDFLOW_SMTP_USER"), Password: getenv("AWARDFLOW_SMTP_PASSWORD"),
		TLS: getenv("AWARDFLOW_SMTP_TLS"), From: getenv("AWARDFLOW_SMTP_FROM"), DefaultDomain: getenv("AWARDFLOW_SMTP_DEFAULT_DOMAIN")}
	if f := getenv("AWARDFLOW_SMTP_PASSWORD_FILE"); f != "" && c.Password == "" {
		b, err := os.ReadFile(f)
		if err != nil {
			return nil, fmt.Errorf("AWARDFLOW_SMTP_PASSWORD_FILE: %w", err)
		}
		c.Password = strings.TrimSpace(string(b))
	}
	if p := getenv("AWARDFLOW_SMTP_PORT"); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 65535 {
			return nil, fmt.Errorf("AWARDFLOW_SMTP_PORT %q: want a port number", p)
		}
		c.Port = n
	}
	if c.TLS == "" {
		c.TLS = "starttls"
	}
	if c.From == "" {
		return nil, errors.New("AWARDFLOW_SMTP_FROM is required with AWARDFLOW_SMTP_HOST")
	}
	return c, c.check()
}

func (c *SMTPConfig) check() error {
	switch c.TLS {
	case "starttls", "tls", "none":
	default:
		return fmt.Errorf("SMTP TLS %q: want starttls, tls or none", c.TLS)
	}
	if _, err := mail.ParseAddress(c.From); err != nil {
		return fmt.Errorf("SMTP from %q: %w", c.From, err)
	}
	return nil
}

// ErrPermanent marks a mail the server refused for good (5xx): retrying will not help.
var ErrPermanent = errors.New("smtp: permanent failure")

// Send delivers one mail in one SMTP transaction. commit is called after the whole
// message was written and before the final "." that makes the server accept it: if
// commit fails, the connection is dropped without the dot and the server discards the
// message. This splits the window in which a crash leaves us not knowing whether the
// mail went to one round trip (see the package's outbox in the store).
func (c *SMTPConfig) Send(ctx context.Context, m Mail, commit func() error) error {
	if err := c.check(); err != nil {
		return err
	}
	from, _ := mail.ParseAddress(c.From)
	domain := c.Domain
	if domain == "" {
		domain = from.Address[strings.LastIndexByte(from.Address, '@')+1:]
	}
	msg, err := m.Bytes(*from, domain)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrPermanent, err)
	}
	to, _ := mail.ParseAddress(m.To)
	addr := net.JoinHostPort(c.Host, strconv.Itoa(c.Port))
	d := net.Dialer{Timeout: 15 * time.Second}
	var conn net.Conn
	tcfg := c.TLSConfig
	if tcfg == nil {
		tcfg = &tls.Config{ServerName: c.Host, MinVersion: tls.VersionTLS12}
	}
	if c.TLS == "tls" {
		conn, err = (&tls.Dialer{NetDialer: &d, Config: tcfg}).DialContext(ctx, "tcp", addr)
	} else {
		conn, err = d.DialContext(ctx, "tcp", addr)
	}
	if err != nil {
		return fmt.Errorf("connect to SMTP %s: %w", addr, err)
	}
	if dl, ok := ctx.Deadline(); ok {
		_ = conn.SetDeadline(dl)
	} else {
		_ = conn.SetDeadline(time.Now().Add(2 * time.Minute))
	}
	cl, err := smtp.NewClient(conn, c.Host)
	if err != nil {
		conn.Close()
		return fmt.Errorf("SMTP %s: %w", addr, err)
	}
	defer cl.Close()
	if err := cl.Hello(domain); err != nil {
		return classify("HELO", err)
	}
	if c.TLS == "starttls" {
		if ok, _ := cl.Extension("STARTTLS"); !ok {
			return fmt.Errorf("SMTP %s does not offer STARTTLS (set AWARDFLOW_SMTP_TLS)", addr)
		}
		if err := cl.StartTLS(tcfg); err != nil {
			return fmt.Errorf("SMTP STARTTLS: %w", err)
		}
	}
	if c.User != "" {
		if err := cl.Auth(smtp.PlainAuth("", c.User, c.Password, c.Host)); err != nil {
			return classify("AUTH", err)
		}
	}
	if err := cl.Mail(from.Address); err != nil {
		return classify("MAIL FROM", err)
	}
	if err := cl.Rcpt(to.Address); err != nil {
		return classify("RCPT TO", err)
	}
	w, err := cl.Data()
	if err != nil {
		return classify("DATA", err)
	}
	// net/smtp's data writer dot-stuffs and adds the final "." on Close.
	if _, err := w.Write(msg); err != nil {
		return fmt.Errorf("SMTP write: %w", err)
	}
	if commit != nil {
		if err := commit(); err != nil {
			return fmt.Errorf("before the final dot: %w", err) // no dot: the server drops the message
		}
	}
	if err := w.Close(); err != nil {
		return classify("end of DATA", err)
	}
	_ = cl.Quit()
	return nil
}

func classify(step string, err error) error {
	var te *textproto.Error
	if errors.As(err, &te) && te.Code >= 500 {
		return fmt.Errorf("SMTP %s: %w: %v", step, ErrPermanent, err)
	}
	return fmt.Errorf("SMTP %s: %w", step, err)
}
