package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/awardflow/awardflow/internal/notify"
)

// Notification is one line of a person's bell.
type Notification struct {
	ID         string    `json:"id"`
	Kind       string    `json:"kind"`
	WorkflowID string    `json:"workflow_id"`
	Subject    string    `json:"subject"` // proposal | session
	Title      string    `json:"title"`
	Text       string    `json:"text"`
	TextEN     string    `json:"text_en"`
	Link       string    `json:"link"`
	DueAt      time.Time `json:"due_at,omitzero"`
	CreatedAt  time.Time `json:"created_at"`
	Read       bool      `json:"read"`
}

// NotificationPrefs is how a person wants to be told.
type NotificationPrefs struct {
	PersonID string `json:"-"`
	Email    string `json:"email"`  // '' : the default address, if the deployment has one
	Digest   bool   `json:"digest"` // one mail a day instead of one per event
}

// OutboxMail is one mail claimed for sending.
type OutboxMail struct {
	ID       string
	PersonID string
	Subject  string
	Body     string
	Link     string
	Created  time.Time
	Attempts int
	token    int64 // claimed_at: the fencing token of this claim
}

// Mail states of the outbox (see migration 00010).
const (
	MailPending    = "pending"
	MailSending    = "sending"
	MailCommitting = "committing"
	MailSent       = "sent"
	MailUncertain  = "uncertain"
	MailFailed     = "failed"
)

// ErrLostClaim: the mail was claimed again by someone else (our claim expired): do not
// send it.
var ErrLostClaim = errors.New("store: mail claim lost")

// notifyLoc is the agency's time zone for the dates written in notifications.
var notifyLoc = time.FixedZone("ICT", 7*3600)

func notifyRow(p *Projection) *notify.Row {
	if p == nil {
		return nil
	}
	return &notify.Row{
		WorkflowID: p.WorkflowID, Seq: p.Seq, Kind: p.Kind, Stage: p.Stage, Title: p.Title, NomineeName: p.NomineeName,
		AwardType: p.AwardType, Proposer: p.Proposer, Assignees: p.Assignees, DueAt: p.DueAt, Overdue: p.Overdue,
		UpdatedAt: p.UpdatedAt,
	}
}

// readProjectionTx reads a workflow's stored row and its assignees inside tx; nil when
// there is none. On PostgreSQL the row is locked until the transaction ends, so two
// writers of one workflow compare against the row the other wrote.
func (s *Store) readProjectionTx(ctx context.Context, tx *sql.Tx, id string) (*Projection, error) {
	// A no-op UPDATE first: on PostgreSQL it locks the row until the transaction ends
	// (as SELECT … FOR UPDATE would, in SQL both dialects take); SQLite has one writer.
	if _, err := s.exec(ctx, tx, `UPDATE projection SET seq = seq WHERE workflow_id = ?`, id); err != nil {
		return nil, fmt.Errorf("lock the stored row: %w", err)
	}
	p, _, err := scanProjection(s.queryRow(ctx, tx, `SELECT `+projectionColumns+` FROM projection p WHERE p.workflow_id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read the stored row: %w", err)
	}
	rows, err := s.query(ctx, tx, `SELECT person_id FROM projection_assignees WHERE workflow_id = ? ORDER BY person_id`, id)
	if err != nil {
		return nil, fmt.Errorf("read the stored assignees: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var a string
		if err := rows.Scan(&a); err != nil {
			return nil, err
		}
		p.Assignees = append(p.Assignees, a)
	}
	return &p, rows.Err()
}

// AddNotifications records events (e.g. notify.DueSoon's); an event already recorded is
// left as it is.
func (s *Store) AddNotifications(ctx context.Context, events []notify.Event) (int, error) {
	n := 0
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		n, err = s.addNotifications(ctx, tx, events)
		return err
	})
	return n, err
}

// addNotifications inserts the events inside tx, each with its mail: an outbox row for a
// person who wants each event at once; nothing yet for one who wants a digest
// (BuildDigests). It returns how many were new.
func (s *Store) addNotifications(ctx context.Context, tx *sql.Tx, events []notify.Event) (int, error) {
	n := 0
	for _, e := range events {
		if err := e.Validate(); err != nil {
			return n, err
		}
		var digest bool
		err := s.queryRow(ctx, tx, `SELECT digest FROM notification_prefs WHERE person_id = ?`, e.Person).Scan(&digest)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return n, fmt.Errorf("notification preferences of %s: %w", e.Person, err)
		}
		mode := "immediate"
		if digest {
			mode = "digest"
		}
		var number string // the case number people quote; none yet reads without it
		err = s.queryRow(ctx, tx, `SELECT number FROM case_numbers WHERE workflow_id = ?`, e.WorkflowID).Scan(&number)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return n, fmt.Errorf("case number of %s: %w", e.WorkflowID, err)
		}
		vi, en := notify.Text(e.Kind, e.Subject, number, e.Title, e.DueAt, notifyLoc)
		res, err := s.exec(ctx, tx, `INSERT INTO notifications (id, person_id, kind, workflow_id, subject, title, text_vi, text_en,
			due_at, created_at, mail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
			e.ID, e.Person, e.Kind, e.WorkflowID, e.Subject, e.Title, vi, en, dueMicros(e.DueAt), micros(e.At), mode)
		if err != nil {
			return n, fmt.Errorf("insert notification %s: %w", e.ID, err)
		}
		if k, err := res.RowsAffected(); err != nil || k == 0 {
			continue // recorded before (with its mail)
		}
		n++
		if digest {
			continue
		}
		body := vi + "\n" + en + "\n"
		if _, err := s.exec(ctx, tx, `INSERT INTO mail_outbox (id, person_id, subject, body, link, created_at) VALUES (?, ?, ?, ?, ?, ?)
			ON CONFLICT (id) DO NOTHING`, e.ID, e.Person, vi, body, notify.Link(e.Subject, e.WorkflowID), micros(e.At)); err != nil {
			return n, fmt.Errorf("queue the mail of %s: %w", e.ID, err)
		}
	}
	return n, nil
}

// DueSoonRows are the projection rows with a deadline in (now, now+notify.DueSoonWindow]
// that are not overdue, with their assignees.
func (s *Store) DueSoonRows(ctx context.Context, now time.Time) ([]notify.Row, error) {
	rows, err := s.query(ctx, s.db, `SELECT `+projectionColumns+` FROM projection p
		WHERE p.due_at > ? AND p.due_at <= ? AND p.overdue = ? ORDER BY p.workflow_id`,
		micros(now), micros(now.Add(notify.DueSoonWindow)), false)
	if err != nil {
		return nil, fmt.Errorf("rows due soon: %w", err)
	}
	var items []Projection
	for rows.Next() {
		p, _, err := scanProjection(rows)
		if err != nil {
			rows.Close()
			return nil, fmt.Errorf("rows due soon: %w", err)
		}
		items = append(items, p)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if err := s.fillAssignees(ctx, items); err != nil {
		return nil, err
	}
	out := make([]notify.Row, len(items))
	for i := range items {
		out[i] = *notifyRow(&items[i])
	}
	return out, nil
}

// Notifications lists a person's latest notifications (newest first, at most limit) and
// how many of all theirs are unread.
func (s *Store) Notifications(ctx context.Context, person string, limit int) ([]Notification, int, error) {
	if limit < 1 || limit > 200 {
		limit = 50
	}
	out := []Notification{}
	unread := 0
	err := s.inReadTx(ctx, func(tx *sql.Tx) error {
		if err := s.queryRow(ctx, tx, `SELECT COUNT(*) FROM notifications WHERE person_id = ? AND read_at = 0`, person).Scan(&unread); err != nil {
			return fmt.Errorf("count unread: %w", err)
		}
		rows, err := s.query(ctx, tx, `SELECT id, kind, workflow_id, subject, title, text_vi, text_en, due_at, created_at, read_at
			FROM notifications WHERE person_id = ? ORDER BY created_at DESC, id DESC LIMIT ?`, person, limit)
		if err != nil {
			return fmt.Errorf("list: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var n Notification
			var due, created, read int64
			if err := rows.Scan(&n.ID, &n.Kind, &n.WorkflowID, &n.Subject, &n.Title, &n.Text, &n.TextEN, &due, &created, &read); err != nil {
				return fmt.Errorf("list: %w", err)
			}
			n.DueAt, n.CreatedAt, n.Read = fromDueMicros(due), fromMicros(created), read != 0
			n.Link = notify.Link(n.Subject, n.WorkflowID)
			out = append(out, n)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, 0, fmt.Errorf("notifications of %s: %w", person, err)
	}
	return out, unread, nil
}

// MarkNotificationsRead marks the person's notifications ids (all of theirs when ids is
// empty) read; another person's ids are ignored. It returns how many changed.
func (s *Store) MarkNotificationsRead(ctx context.Context, person string, ids []string, now time.Time) (int, error) {
	args := []any{max(micros(now), 1), person}
	for _, id := range ids {
		args = append(args, id)
	}
	res, err := s.exec(ctx, s.db, markReadQuery(len(ids)), args...)
	if err != nil {
		return 0, fmt.Errorf("mark read for %s: %w", person, err)
	}
	n, err := res.RowsAffected()
	return int(n), err
}

// markReadQuery marks n ids read (all of the person's when n is 0).
func markReadQuery(n int) string {
	q := `UPDATE notifications SET read_at = ? WHERE person_id = ? AND read_at = 0`
	if n > 0 {
		q += ` AND id IN (` + placeholders(n) + `)`
	}
	return q
}

// NotificationPrefsOf reads a person's preferences (the defaults when never set).
func (s *Store) NotificationPrefsOf(ctx context.Context, person string) (NotificationPrefs, error) {
	p := NotificationPrefs{PersonID: person}
	err := s.queryRow(ctx, s.db, `SELECT email, digest FROM notification_prefs WHERE person_id = ?`, person).Scan(&p.Email, &p.Digest)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return p, fmt.Errorf("notification preferences of %s: %w", person, err)
	}
	return p, nil
}

// SetNotificationPrefs stores a person's preferences. Switching to immediate mail
// leaves what waits for today's digest there.
func (s *Store) SetNotificationPrefs(ctx context.Context, p NotificationPrefs, now time.Time) error {
	if p.PersonID == "" {
		return errors.New("notification preferences: no person")
	}
	_, err := s.exec(ctx, s.db, `INSERT INTO notification_prefs (person_id, email, digest, updated_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (person_id) DO UPDATE SET email = excluded.email, digest = excluded.digest, updated_at = excluded.updated_at`,
		p.PersonID, p.Email, p.Digest, micros(now))
	if err != nil {
		return fmt.Errorf("notification preferences of %s: %w", p.PersonID, err)
	}
	return nil
}

// BuildDigests writes, for each person with notifications waiting for a digest that
// were created before the cutoff (today's hour:00 in loc, once now is past it), one
// digest mail digest:<person>:<date> that lists them, and marks them as carried by it —
// in one transaction per person, so a repeat builds nothing twice and a notification is
// in exactly one digest. It returns how many digests it wrote.
func (s *Store) BuildDigests(ctx context.Context, now time.Time, loc *time.Location, hour int) (int, error) {
	local := now.In(loc)
	cutoff := time.Date(local.Year(), local.Month(), local.Day(), hour, 0, 0, 0, loc)
	if now.Before(cutoff) {
		return 0, nil
	}
	day := local.Format("2006-01-02")
	rows, err := s.query(ctx, s.db, `SELECT DISTINCT person_id FROM notifications WHERE mail = 'digest' AND digest_id = '' AND created_at < ?`,
		micros(cutoff))
	if err != nil {
		return 0, fmt.Errorf("digests: %w", err)
	}
	var people []string
	for rows.Next() {
		var p string
		if err := rows.Scan(&p); err != nil {
			rows.Close()
			return 0, err
		}
		people = append(people, p)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	built := 0
	for _, person := range people {
		id := "digest:" + person + ":" + day
		err := s.inTx(ctx, func(tx *sql.Tx) error {
			r, err := s.query(ctx, tx, `SELECT id, text_vi, text_en, subject, workflow_id FROM notifications
				WHERE person_id = ? AND mail = 'digest' AND digest_id = '' AND created_at < ? ORDER BY created_at, id`, person, micros(cutoff))
			if err != nil {
				return err
			}
			var ids []string
			var body strings.Builder
			for r.Next() {
				var nid, vi, en, subj, wf string
				if err := r.Scan(&nid, &vi, &en, &subj, &wf); err != nil {
					r.Close()
					return err
				}
				ids = append(ids, nid)
				fmt.Fprintf(&body, "• %s\n  %s\n  %s\n", vi, en, notify.Link(subj, wf))
			}
			r.Close()
			if err := r.Err(); err != nil || len(ids) == 0 {
				return err
			}
			subject := fmt.Sprintf("Tổng hợp thông báo ngày %s (%d việc)", local.Format("02/01/2006"), len(ids))
			res, err := s.exec(ctx, tx, `INSERT INTO mail_outbox (id, person_id, subject, body, created_at) VALUES (?, ?, ?, ?, ?)
				ON CONFLICT (id) DO NOTHING`, id, person, subject, "Daily digest / Tổng hợp hằng ngày\n\n"+body.String(), micros(cutoff))
			if err != nil {
				return err
			}
			if k, _ := res.RowsAffected(); k == 0 {
				return nil // today's digest was built: what came late goes tomorrow
			}
			args := []any{id, person}
			for _, nid := range ids {
				args = append(args, nid)
			}
			if _, err := s.exec(ctx, tx, digestMarkQuery(len(ids)), args...); err != nil {
				return err
			}
			built++
			return nil
		})
		if err != nil {
			return built, fmt.Errorf("digest %s: %w", id, err)
		}
	}
	return built, nil
}

func digestMarkQuery(n int) string {
	return `UPDATE notifications SET digest_id = ? WHERE person_id = ? AND id IN (` + placeholders(n) + `)`
}

// ClaimMail claims the oldest mail to send: a pending one, or one whose earlier claim
// (sending) expired more than lease ago — its sender died before the final dot, so the
// server kept nothing. Committing rows whose claim expired are marked uncertain first and
// never sent again. nil: nothing to send.
func (s *Store) ClaimMail(ctx context.Context, now time.Time, lease time.Duration) (*OutboxMail, error) {
	expired := micros(now.Add(-lease))
	if _, err := s.exec(ctx, s.db, `UPDATE mail_outbox SET state = ?, error = ? WHERE state = ? AND claimed_at < ?`,
		MailUncertain, "the sender stopped between the final dot and recording the answer: not sent again", MailCommitting, expired); err != nil {
		return nil, fmt.Errorf("claim mail: %w", err)
	}
	for range 5 {
		var m OutboxMail
		var created, claimed int64
		err := s.queryRow(ctx, s.db, `SELECT id, person_id, subject, body, link, created_at, attempts, claimed_at FROM mail_outbox
			WHERE state = ? OR (state = ? AND claimed_at < ?) ORDER BY created_at, id LIMIT 1`, MailPending, MailSending, expired).
			Scan(&m.ID, &m.PersonID, &m.Subject, &m.Body, &m.Link, &created, &m.Attempts, &claimed)
		if errors.Is(err, sql.ErrNoRows) {
			return nil, nil
		}
		if err != nil {
			return nil, fmt.Errorf("claim mail: %w", err)
		}
		token := max(micros(now), claimed+1)
		res, err := s.exec(ctx, s.db, `UPDATE mail_outbox SET state = ?, claimed_at = ?, attempts = attempts + 1
			WHERE id = ? AND claimed_at = ? AND (state = ? OR (state = ? AND claimed_at < ?))`,
			MailSending, token, m.ID, claimed, MailPending, MailSending, expired)
		if err != nil {
			return nil, fmt.Errorf("claim mail %s: %w", m.ID, err)
		}
		if k, _ := res.RowsAffected(); k == 1 {
			m.Created, m.Attempts, m.token = fromMicros(created), m.Attempts+1, token
			return &m, nil
		}
		// another sender claimed it first: try the next one
	}
	return nil, nil
}

// moveMail moves a claimed mail from one state to another, if the claim still holds.
func (s *Store) moveMail(ctx context.Context, m *OutboxMail, from, to string, set string, args ...any) error {
	all := append([]any{to}, args...)
	all = append(all, m.ID, from, m.token)
	res, err := s.exec(ctx, s.db, moveMailQuery(set), all...)
	if err != nil {
		return fmt.Errorf("mail %s %s -> %s: %w", m.ID, from, to, err)
	}
	if k, _ := res.RowsAffected(); k != 1 {
		return fmt.Errorf("mail %s %s -> %s: %w", m.ID, from, to, ErrLostClaim)
	}
	return nil
}

// moveMailSets are the column updates moveMail's callers add to the state change.
var moveMailSets = []string{"", ", sent_at = ?, error = ''", ", error = ?"}

func moveMailQuery(set string) string {
	return `UPDATE mail_outbox SET state = ?` + set + ` WHERE id = ? AND state = ? AND claimed_at = ?`
}

// MailCommitting records that the message is written and the final dot is next.
func (s *Store) MailCommitting(ctx context.Context, m *OutboxMail) error {
	return s.moveMail(ctx, m, MailSending, MailCommitting, "")
}

// MailSent records that the server accepted the mail.
func (s *Store) MailSent(ctx context.Context, m *OutboxMail, now time.Time) error {
	return s.moveMail(ctx, m, MailCommitting, MailSent, ", sent_at = ?, error = ''", micros(now))
}

// MailFailed releases a claimed mail after a failure before the final dot (or a refusal
// of it): back to pending to be tried again, or failed for good when permanent.
func (s *Store) MailFailed(ctx context.Context, m *OutboxMail, cause string, permanent bool) error {
	to := MailPending
	if permanent {
		to = MailFailed
	}
	if len(cause) > 500 {
		cause = cause[:500]
	}
	err := s.moveMail(ctx, m, MailSending, to, ", error = ?", cause)
	if errors.Is(err, ErrLostClaim) {
		err = s.moveMail(ctx, m, MailCommitting, to, ", error = ?", cause)
	}
	return err
}

// MailUncertain records that the final dot went out but no answer came back (the
// connection broke): the server may have kept the mail, so it is never sent again.
func (s *Store) MailUncertain(ctx context.Context, m *OutboxMail, cause string) error {
	if len(cause) > 500 {
		cause = cause[:500]
	}
	return s.moveMail(ctx, m, MailCommitting, MailUncertain, ", error = ?", cause)
}

// MailState reads the state and attempts of one outbox mail (tests, /dev/mail).
func (s *Store) MailState(ctx context.Context, id string) (state string, attempts int, err error) {
	err = s.queryRow(ctx, s.db, `SELECT state, attempts FROM mail_outbox WHERE id = ?`, id).Scan(&state, &attempts)
	if errors.Is(err, sql.ErrNoRows) {
		return "", 0, fmt.Errorf("mail %s: %w", id, ErrNotFound)
	}
	return state, attempts, err
}
