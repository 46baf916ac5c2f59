package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/awardflow/awardflow/internal/notify"
)

// Kinds of projected workflows.
const (
	KindProposal = "proposal"
	KindSession  = "session"
)

// Projection is the list-and-search view of one workflow (a proposal or a council
// session) as of one event of its history. Every field must come from the workflow's
// state (times from workflow.Now, never from the activity's clock): a retried or
// replayed activity must write exactly the same row.
type Projection struct {
	WorkflowID string
	Kind       string // KindProposal or KindSession
	// Seq is the sequence number of the change the row was written from, increasing with
	// every change of the workflow (the workflows' own change counter). A write with a
	// Seq lower than the stored one is ignored; the same Seq again is a no-op when the
	// content is the same and ErrConflict when it differs.
	Seq         int64
	Stage       string
	Department  string
	Title       string // a session's title
	NomineeName string
	NomineeID   string
	NomineeKind string // individual | collective
	AwardType   string
	Movement    string
	Year        int
	Proposer    string
	SessionID   string // the session a proposal is on, if any
	Assignees   []string
	DueAt       time.Time // zero: no due date
	Overdue     bool
	CreatedAt   time.Time // zero: UpdatedAt
	UpdatedAt   time.Time
}

// normalized is p as stored: sorted, de-duplicated assignees; times in UTC to the
// microsecond; CreatedAt defaulted.
func (p Projection) normalized() Projection {
	p.Assignees = slices.Clone(p.Assignees)
	slices.Sort(p.Assignees)
	p.Assignees = slices.Compact(p.Assignees)
	if len(p.Assignees) == 0 {
		p.Assignees = nil
	}
	if p.CreatedAt.IsZero() {
		p.CreatedAt = p.UpdatedAt
	}
	p.CreatedAt, p.UpdatedAt, p.DueAt = fromMicros(micros(p.CreatedAt)), fromMicros(micros(p.UpdatedAt)), fromMicros(micros(p.DueAt))
	return p
}

// digest identifies the content written at one Seq.
func (p Projection) digest() string {
	c := p // normalized by the caller
	c.Seq = 0
	b, err := json.Marshal(c)
	if err != nil {
		panic(fmt.Sprintf("marshal projection: %v", err)) // plain fields only: cannot fail
	}
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

func checkProjection(p Projection) error {
	if strings.TrimSpace(p.WorkflowID) == "" {
		return errors.New("projection: empty workflow id")
	}
	if p.Kind != KindProposal && p.Kind != KindSession {
		return fmt.Errorf("projection %s: unknown kind %q", p.WorkflowID, p.Kind)
	}
	if p.Seq < 1 {
		return fmt.Errorf("projection %s: sequence %d, want >= 1", p.WorkflowID, p.Seq)
	}
	if p.Stage == "" || p.UpdatedAt.IsZero() {
		return fmt.Errorf("projection %s: stage and updated_at are required", p.WorkflowID)
	}
	for _, a := range p.Assignees {
		if a == "" {
			return fmt.Errorf("projection %s: empty assignee", p.WorkflowID)
		}
	}
	return nil
}

// UpsertProjection writes the row of one workflow as of event p.Seq, idempotently: it
// reports true when the row changed; false when the stored row is as new or newer (an
// older or repeated event: nothing changes). The same Seq with other content, or a
// workflow id that changes kind, is refused with ErrConflict.
//
// The notifications the change causes (internal/notify: new tasks, returned, overdue,
// decision issued) are written in the same transaction.
func (s *Store) UpsertProjection(ctx context.Context, p Projection) (bool, error) {
	return s.upsertProjection(ctx, p, true, "")
}

// RepairProjection is UpsertProjection without notifications, for `awardflow reindex`:
// a rebuild writes rows for workflows whose earlier changes the store never saw (after
// an upgrade, every proposal), and must not announce a year of old tasks and decisions
// at once. A change whose own write was lost and that only the rebuild repairs is
// therefore not notified (the page's lists still show it).
func (s *Store) RepairProjection(ctx context.Context, p Projection) (bool, error) {
	return s.upsertProjection(ctx, p, false, "")
}

// upsertProjection writes p; with an intent id, it also deletes that own-row intent in
// the same transaction (WriteOwnRow).
func (s *Store) upsertProjection(ctx context.Context, p Projection, notifyChanges bool, intent string) (bool, error) {
	if err := checkProjection(p); err != nil {
		return false, err
	}
	p = p.normalized()
	digest := p.digest()
	written := false
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if intent != "" {
			if _, err := s.exec(ctx, tx, `DELETE FROM own_row_intents WHERE id = ?`, intent); err != nil {
				return fmt.Errorf("clear the own-row intent: %w", err)
			}
		}
		old, err := s.readProjectionTx(ctx, tx, p.WorkflowID)
		if err != nil {
			return err
		}
		res, err := s.exec(ctx, tx, upsertProjection,
			p.WorkflowID, p.Kind, p.Seq, digest, p.Stage, p.Department, p.Title, p.NomineeName, p.NomineeID, p.NomineeKind,
			Fold(p.NomineeName+" "+p.Title), p.AwardType, p.Movement, p.Year, p.Proposer, p.SessionID, dueMicros(p.DueAt),
			p.Overdue, micros(p.CreatedAt), micros(p.UpdatedAt))
		if err != nil {
			return fmt.Errorf("upsert: %w", err)
		}
		n, err := res.RowsAffected()
		if err != nil {
			return fmt.Errorf("upsert: %w", err)
		}
		if n == 0 {
			var kind, curDigest string
			var seq int64
			if err := s.queryRow(ctx, tx, `SELECT kind, seq, digest FROM projection WHERE workflow_id = ?`, p.WorkflowID).
				Scan(&kind, &seq, &curDigest); err != nil {
				return fmt.Errorf("read the stored row: %w", err)
			}
			switch {
			case kind != p.Kind:
				return fmt.Errorf("workflow %s is a %s, not a %s: %w", p.WorkflowID, kind, p.Kind, ErrConflict)
			case seq == p.Seq && curDigest != digest:
				return fmt.Errorf("event %d of %s was already written with other content: %w", p.Seq, p.WorkflowID, ErrConflict)
			}
			return nil
		}
		// The row is ours (locked until commit on PostgreSQL; SQLite has one writer):
		// its assignees follow it.
		if _, err := s.exec(ctx, tx, `DELETE FROM projection_assignees WHERE workflow_id = ?`, p.WorkflowID); err != nil {
			return fmt.Errorf("replace assignees: %w", err)
		}
		for _, a := range p.Assignees {
			if _, err := s.exec(ctx, tx, `INSERT INTO projection_assignees (workflow_id, person_id) VALUES (?, ?)`, p.WorkflowID, a); err != nil {
				return fmt.Errorf("insert assignee %s: %w", a, err)
			}
		}
		// The first row of a workflow gives it its case number (kept from then on),
		// before the notifications that quote it.
		if err := s.ensureCaseNumber(ctx, tx, p); err != nil {
			return err
		}
		// What the change tells whom (internal/notify), in the same transaction: a
		// notification is never lost once its row is written, nor written twice.
		if notifyChanges {
			if _, err := s.addNotifications(ctx, tx, notify.Changes(notifyRow(old), *notifyRow(&p))); err != nil {
				return fmt.Errorf("notifications: %w", err)
			}
		}
		written = true
		return nil
	})
	if err != nil {
		return false, fmt.Errorf("project %s %s at %d: %w", p.Kind, p.WorkflowID, p.Seq, err)
	}
	return written, nil
}

// upsertProjection inserts a row or replaces an older one; "WHERE projection.seq <
// excluded.seq" keeps a newer row from being overwritten by an older event.
const upsertProjection = `INSERT INTO projection (workflow_id, kind, seq, digest, stage, department, title, nominee_name, nominee_id,
	nominee_kind, search_fold, award_type, movement, year, proposer, session_id, due_at, overdue, created_at, updated_at)
	VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
	ON CONFLICT (workflow_id) DO UPDATE SET seq = excluded.seq, digest = excluded.digest, stage = excluded.stage,
	department = excluded.department, title = excluded.title, nominee_name = excluded.nominee_name,
	nominee_id = excluded.nominee_id, nominee_kind = excluded.nominee_kind, search_fold = excluded.search_fold,
	award_type = excluded.award_type, movement = excluded.movement, year = excluded.year, proposer = excluded.proposer,
	session_id = excluded.session_id, due_at = excluded.due_at, overdue = excluded.overdue,
	created_at = excluded.created_at, updated_at = excluded.updated_at
	WHERE projection.seq < excluded.seq AND projection.kind = excluded.kind`

const projectionColumns = `p.workflow_id, p.kind, p.seq, p.stage, p.department, p.title, p.nominee_name, p.nominee_id, p.nominee_kind,
	p.award_type, p.movement, p.year, p.proposer, p.session_id, p.due_at, p.overdue, p.created_at, p.updated_at, p.search_fold`

// scanProjection reads projectionColumns; it returns the row's search_fold too (the
// nominee sort key of a cursor).
func scanProjection(r scanner) (Projection, string, error) {
	var p Projection
	var due, created, updated int64
	var fold string
	if err := r.Scan(&p.WorkflowID, &p.Kind, &p.Seq, &p.Stage, &p.Department, &p.Title, &p.NomineeName, &p.NomineeID, &p.NomineeKind,
		&p.AwardType, &p.Movement, &p.Year, &p.Proposer, &p.SessionID, &due, &p.Overdue, &created, &updated, &fold); err != nil {
		return Projection{}, "", err
	}
	p.DueAt, p.CreatedAt, p.UpdatedAt = fromDueMicros(due), fromMicros(created), fromMicros(updated)
	return p, fold, nil
}

// Projection reads the row of one workflow with its assignees.
func (s *Store) Projection(ctx context.Context, workflowID string) (Projection, error) {
	p, _, err := scanProjection(s.queryRow(ctx, s.db, `SELECT `+projectionColumns+` FROM projection p WHERE p.workflow_id = ?`, workflowID))
	if errors.Is(err, sql.ErrNoRows) {
		return Projection{}, fmt.Errorf("projection %s: %w", workflowID, ErrNotFound)
	}
	if err != nil {
		return Projection{}, fmt.Errorf("projection %s: %w", workflowID, err)
	}
	items := []Projection{p}
	if err := s.fillAssignees(ctx, items); err != nil {
		return Projection{}, err
	}
	return items[0], nil
}

// fillAssignees loads the assignees of the given rows in one query.
func (s *Store) fillAssignees(ctx context.Context, items []Projection) error {
	if len(items) == 0 {
		return nil
	}
	q, args := assigneesQuery(items)
	rows, err := s.query(ctx, s.db, q, args...)
	if err != nil {
		return fmt.Errorf("read assignees: %w", err)
	}
	defer rows.Close()
	index := make(map[string]int, len(items))
	for i, p := range items {
		index[p.WorkflowID] = i
	}
	for rows.Next() {
		var id, person string
		if err := rows.Scan(&id, &person); err != nil {
			return fmt.Errorf("read assignees: %w", err)
		}
		if i, ok := index[id]; ok {
			items[i].Assignees = append(items[i].Assignees, person)
		}
	}
	return rows.Err()
}

func assigneesQuery(items []Projection) (string, []any) {
	args := make([]any, len(items))
	for i, p := range items {
		args[i] = p.WorkflowID
	}
	return `SELECT workflow_id, person_id FROM projection_assignees WHERE workflow_id IN (` + placeholders(len(items)) +
		`) ORDER BY workflow_id, person_id`, args
}

func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}
