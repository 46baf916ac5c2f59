package activities

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/mail"
	"net/textproto"
	"strings"
	"time"

	"github.com/awardflow/awardflow/internal/notify"
	"github.com/awardflow/awardflow/internal/store"
	"github.com/awardflow/awardflow/workflows"
)

// Mailer is how notifications are mailed; nil: not at all (the page still shows them).
type Mailer struct {
	SMTP *notify.SMTPConfig
	// BaseURL is prefixed to the links in the mails (e.g. https://thidua.example.gov.vn/).
	BaseURL string
	// Lease is how long a claimed mail belongs to its sender (longer than the activity's
	// start-to-close timeout); default 5 minutes.
	Lease time.Duration
	// DigestHour is the local hour after which the daily digest of the day before is
	// built; default 7.
	DigestHour int
	// Now is the clock (tests); default time.Now.
	Now func() time.Time
	// crash, when set (tests), is called at each step of a send; an error stops the
	// activity right there, as a crash would, without recording anything more.
	crash func(step string) error
}

func (m *Mailer) now() time.Time {
	if m != nil && m.Now != nil {
		return m.Now()
	}
	return time.Now()
}

// DeliverNotifications records the "due in two days" notifications, builds the daily
// digests that are due, then sends the outbox's mails one by one:
//
//  1. claim the mail (pending -> sending, with a fencing token);
//  2. run the SMTP transaction up to the end of the message;
//  3. record committing; 4. send the final dot (the server accepts);
//  5. record sent.
//
// A crash before 3 leaves the mail sending: the server saw no final dot and kept
// nothing, so after the lease it is claimed and sent again — at least once, never twice.
// A crash between 3 and 5 leaves it committing: whether the server got the dot is
// unknown, so it turns uncertain after the lease and is never sent again — at most once
// in that one round trip (the notification is in the page either way). The mail's
// Message-ID is derived from its id, so even a copy that somehow went twice is one
// message to a mail client.
func (a *Activities) DeliverNotifications(ctx context.Context) (workflows.DeliverResult, error) {
	var res workflows.DeliverResult
	if a.Records == nil {
		return res, nil
	}
	m := a.Mail
	now := m.now()
	rows, err := a.Records.DueSoonRows(ctx, now)
	if err != nil {
		return res, err
	}
	if res.DueSoon, err = a.Records.AddNotifications(ctx, notify.DueSoon(rows, now)); err != nil {
		return res, fmt.Errorf("due soon: %w", err)
	}
	if m == nil || m.SMTP == nil {
		return res, nil
	}
	hour := m.DigestHour
	if hour == 0 {
		hour = 7
	}
	if res.Digests, err = a.Records.BuildDigests(ctx, now, time.FixedZone("ICT", 7*3600), hour); err != nil {
		return res, err
	}
	lease := m.Lease
	if lease == 0 {
		lease = 5 * time.Minute
	}
	for ctx.Err() == nil {
		om, err := a.Records.ClaimMail(ctx, m.now(), lease)
		if err != nil {
			return res, err
		}
		if om == nil {
			return res, nil
		}
		sent, err := a.sendOne(ctx, m, om)
		if err != nil {
			return res, err // a crash (or the store is gone): the states say what happened
		}
		if sent {
			res.Sent++
		} else {
			res.Failed++
		}
	}
	return res, ctx.Err()
}

// sendOne sends one claimed mail; false when it failed (recorded). An error means the
// activity must stop (the store could not record a step, or a simulated crash).
func (a *Activities) sendOne(ctx context.Context, m *Mailer, om *store.OutboxMail) (bool, error) {
	step := func(s string) error {
		if m.crash != nil {
			return m.crash(s)
		}
		return nil
	}
	if a.Org != nil {
		// Someone deactivated (retired, moved away) since the event gets no mail.
		o, err := a.Org.Current(ctx)
		if err != nil {
			return false, fmt.Errorf("organisation: %w", err)
		}
		if _, ok := o.Person(om.PersonID); !ok {
			return false, a.Records.MailFailed(ctx, om, om.PersonID+" is not an active person of the directory", true)
		}
	}
	prefs, err := a.Records.NotificationPrefsOf(ctx, om.PersonID)
	if err != nil {
		return false, err
	}
	to := prefs.Email
	if to == "" && m.SMTP.DefaultDomain != "" {
		to = om.PersonID + "@" + m.SMTP.DefaultDomain
	}
	if _, perr := mail.ParseAddress(to); to == "" || perr != nil {
		return false, a.Records.MailFailed(ctx, om, "no e-mail address for "+om.PersonID, true)
	}
	body := om.Body
	if om.Link != "" || m.BaseURL != "" {
		body += "\nMở / Open: " + strings.TrimSuffix(m.BaseURL, "/") + "/" + om.Link + "\n"
	}
	body += "\n— awardflow. Đổi cách nhận thông báo (ngay hoặc tổng hợp hằng ngày) ở biểu tượng chuông trong trang.\n" +
		"Change how you are notified (at once or a daily digest) under the bell in the pages.\n"
	msg := notify.Mail{ID: om.ID, To: to, Subject: om.Subject, Body: body, Date: om.Created}
	committed := false
	var crashed error
	err = m.SMTP.Send(ctx, msg, func() error {
		if err := step("before-commit"); err != nil {
			crashed = err
			return err
		}
		if err := a.Records.MailCommitting(ctx, om); err != nil {
			return err
		}
		committed = true
		return nil
	})
	if crashed != nil {
		return false, crashed
	}
	if err == nil {
		if err := step("before-sent"); err != nil {
			return false, err
		}
		return true, a.Records.MailSent(ctx, om, m.now())
	}
	if err := step("failed"); err != nil {
		return false, err
	}
	var te *textproto.Error
	switch {
	case !committed:
		// Nothing reached the final dot: the server kept nothing.
		if errors.Is(err, store.ErrLostClaim) {
			return false, nil
		}
		a.logger().Warn("mail not sent", "id", om.ID, "attempt", om.Attempts, "error", err)
		return false, a.Records.MailFailed(ctx, om, err.Error(), errors.Is(err, notify.ErrPermanent) || om.Attempts >= 10)
	case errors.As(err, &te):
		// The server answered the final dot with a refusal.
		return false, a.Records.MailFailed(ctx, om, err.Error(), te.Code >= 500 || om.Attempts >= 10)
	default:
		// The dot went out and no answer came back: the server may have the mail.
		a.logger().Warn("mail may or may not have been sent: not sent again", "id", om.ID, "error", err)
		return false, a.Records.MailUncertain(ctx, om, err.Error())
	}
}

func (a *Activities) logger() *slog.Logger {
	if a.Log != nil {
		return a.Log
	}
	return slog.Default()
}
