package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/awardflow/awardflow/internal/award"
)

// Kinds of issued documents.
const (
	KindDecision          = "decision"           // quyết định khen thưởng
	KindSubmission        = "submission"         // tờ trình upward
	KindMinutes           = "minutes"            // biên bản of a council session
	KindCouncilSubmission = "council_submission" // the council's own tờ trình to the head
)

// An awardee is in force unless its whole decision was marked revoked (revocations, the
// mark of the earlier register API) or its own award was revoked by a revocation
// decision (awardee_revocations). Every query over awardees joins both.
const (
	revokedJoin = ` LEFT JOIN revocations r ON r.document_id = d.id
		LEFT JOIN awardee_revocations ar ON ar.document_id = a.document_id AND ar.proposal_id = a.proposal_id`
	inForce = `(r.document_id IS NULL AND ar.proposal_id IS NULL)`
)

// Kinds of awardees.
const (
	NomineeIndividual = string(award.KindIndividual)
	NomineeCollective = string(award.KindCollective)
)

// Document is an issued document as the register keeps it. The same struct is what
// DocumentBySHA answers for `verify`.
type Document struct {
	ID             string
	SessionID      string
	Kind           string // KindDecision, KindSubmission, KindMinutes, KindCouncilSubmission
	AwardType      string
	RegisterSeries string // the register that numbered it, e.g. "BTGTU/QĐ"; "" when not numbered
	RegisterPeriod string // "2026" or an HD36 term "nk-2025-10-20"
	Number         int    // 0 when not numbered (minutes)
	NumberText     string // as printed: "Số 05-QĐ/BTGTU"
	IssuedAt       time.Time
	SignerID       string
	SignerName     string
	Key            string // object key of the issued file
	SHA256         string // lower-case hex of the issued file
	Size           int64
	// Awardees in the document's order (decisions and submissions; empty otherwise).
	// DocumentBySHA leaves it nil.
	Awardees []Awardee
	// Revokes names the decision a revocation decision (quyết định huỷ bỏ) revokes; such
	// a decision lists no awardees of its own (see IssueRevocation).
	Revokes string
	// Revocation is set when the document was revoked (read only: see Revoke).
	Revocation *Revocation
}

// Awardee is one person or collective a document names.
type Awardee struct {
	ProposalID  string
	PersonID    string // an individual's directory id ("" for a collective or an outsider)
	UnitID      string // the collective's unit, or the individual's unit
	NomineeName string
	Kind        string // NomineeIndividual or NomineeCollective
	AwardType   string
	Year        int   // the year of the title (năm thi đua), not necessarily the year of issue
	Amount      int64 // bonus in đồng
}

// Revocation marks a document revoked (thu hồi / huỷ bỏ); the document and its awardees
// stay in the register.
type Revocation struct {
	DocumentID string
	Reason     string
	At         time.Time
	By         string // person id
}

// AwardeeRecord is an awardee with the document that named it, for lists.
type AwardeeRecord struct {
	Awardee
	DocumentID   string
	DocumentKind string
	NumberText   string
	IssuedAt     time.Time
	Revoked      bool
	// Upward is the higher body's answer, for an awardee of a submission that has one.
	Upward *UpwardResult
}

// AwardeeFilter narrows Awardees; zero fields match all. Only decisions are listed
// unless Kind says otherwise.
type AwardeeFilter struct {
	Year           int
	AwardType      string
	PersonID       string
	UnitID         string
	Text           string // folded, matched anywhere in the nominee's name
	DocumentKind   string // default KindDecision
	IncludeRevoked bool
}

// AwardCount is the number of awardees of one award type and kind in a year, from the
// decisions in force (revoked ones left out), with the total of their bonuses.
type AwardCount struct {
	AwardType string
	Kind      string // NomineeIndividual or NomineeCollective
	Count     int
	Amount    int64 // đồng
}

// RecordDocument enters an issued document and its awardees in the register. It is
// idempotent: recording the same document again (a retried or replayed activity) is a
// no-op; a different document under the same id, SHA-256, or register number is refused
// with ErrConflict and leaves the register as it was.
func (s *Store) RecordDocument(ctx context.Context, d Document) error {
	if err := checkDocument(d); err != nil {
		return err
	}
	err := s.inTx(ctx, func(tx *sql.Tx) error { return s.recordDocument(ctx, tx, d) })
	if err != nil {
		return fmt.Errorf("record document %s: %w", d.ID, err)
	}
	return nil
}

// recordDocument is RecordDocument inside a transaction.
func (s *Store) recordDocument(ctx context.Context, tx *sql.Tx, d Document) error {
	res, err := s.exec(ctx, tx, `INSERT INTO documents (id, session_id, kind, award_type, register_series, register_period, number,
		number_text, issued_at, signer_id, signer_name, object_key, sha256, size)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
		d.ID, d.SessionID, d.Kind, d.AwardType, d.RegisterSeries, d.RegisterPeriod, d.Number, d.NumberText,
		micros(d.IssuedAt), d.SignerID, d.SignerName, d.Key, d.SHA256, d.Size)
	if err != nil {
		return fmt.Errorf("insert document: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("insert document: %w", err)
	}
	if n == 0 {
		return s.sameDocument(ctx, tx, d)
	}
	if d.Revokes != "" {
		if _, err := s.exec(ctx, tx, `INSERT INTO revocation_documents (document_id, revokes) VALUES (?, ?)`, d.ID, d.Revokes); err != nil {
			return fmt.Errorf("insert revocation decision: %w", err)
		}
	}
	for i, a := range d.Awardees {
		if _, err := s.exec(ctx, tx, `INSERT INTO awardees (document_id, proposal_id, position, person_id, unit_id, nominee_name,
			nominee_fold, kind, award_type, year, amount) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			d.ID, a.ProposalID, i+1, a.PersonID, a.UnitID, a.NomineeName, Fold(a.NomineeName), a.Kind, a.AwardType, a.Year, a.Amount); err != nil {
			return fmt.Errorf("insert awardee %s: %w", a.ProposalID, err)
		}
	}
	return nil
}

// sameDocument decides a refused insert: the same document again is fine, anything else
// took a key it may not have.
func (s *Store) sameDocument(ctx context.Context, q querier, d Document) error {
	cur, err := s.document(ctx, q, false, d.ID, true)
	if errors.Is(err, ErrNotFound) {
		return fmt.Errorf("its SHA-256 or register number %s %s/%d belongs to another document: %w",
			d.RegisterSeries, d.RegisterPeriod, d.Number, ErrConflict)
	}
	if err != nil {
		return err
	}
	want := d
	if len(want.Awardees) == 0 {
		want.Awardees = nil
	}
	if !documentsEqual(cur, want) {
		return fmt.Errorf("already recorded with other content: %w", ErrConflict)
	}
	return nil
}

func documentsEqual(a, b Document) bool {
	type scalars struct {
		ID, SessionID, Kind, AwardType, RegisterSeries, RegisterPeriod string
		Number                                                         int
		NumberText                                                     string
		IssuedAt                                                       int64
		SignerID, SignerName, Key, SHA256                              string
		Size                                                           int64
		Revokes                                                        string
	}
	sc := func(d Document) scalars {
		return scalars{d.ID, d.SessionID, d.Kind, d.AwardType, d.RegisterSeries, d.RegisterPeriod, d.Number, d.NumberText,
			micros(d.IssuedAt), d.SignerID, d.SignerName, d.Key, d.SHA256, d.Size, d.Revokes}
	}
	return sc(a) == sc(b) && slices.Equal(a.Awardees, b.Awardees)
}

func checkDocument(d Document) error {
	if strings.TrimSpace(d.ID) == "" || strings.TrimSpace(d.Key) == "" {
		return award.Invalid("Văn bản cần mã và khoá tệp", "a document needs an id and an object key")
	}
	switch d.Kind {
	case KindDecision, KindSubmission, KindMinutes, KindCouncilSubmission:
	default:
		return award.Invalid("Loại văn bản không hợp lệ: %q", "unknown document kind %q", d.Kind)
	}
	if !isSHA256Hex(d.SHA256) {
		return award.Invalid("SHA-256 của văn bản không hợp lệ", "the document's SHA-256 is not 64 lower-case hex digits")
	}
	if d.Size < 0 || d.Number < 0 || d.IssuedAt.IsZero() {
		return award.Invalid("Văn bản cần kích thước, số và ngày ban hành hợp lệ", "a document needs a valid size, number and issue date")
	}
	if d.Number > 0 && (d.RegisterSeries == "" || d.RegisterPeriod == "") {
		return award.Invalid("Văn bản có số cần sổ đăng ký và kỳ", "a numbered document needs its register series and period")
	}
	if len(d.Awardees) > 0 && d.Kind != KindDecision && d.Kind != KindSubmission {
		return award.Invalid("Chỉ quyết định và tờ trình có danh sách khen thưởng", "only decisions and submissions list awardees")
	}
	if d.Revokes != "" && (d.Kind != KindDecision || len(d.Awardees) > 0 || d.Revokes == d.ID) {
		return award.Invalid("Quyết định huỷ bỏ phải là quyết định, không kèm danh sách khen thưởng", "a revocation decision is a decision of its own and lists no awardees")
	}
	seen := map[string]bool{}
	for _, a := range d.Awardees {
		if a.ProposalID == "" || strings.TrimSpace(a.NomineeName) == "" || a.AwardType == "" || a.Year <= 0 || a.Amount < 0 {
			return award.Invalid("Người được khen thưởng %q thiếu thông tin", "awardee %q is incomplete", a.NomineeName)
		}
		if a.Kind != NomineeIndividual && a.Kind != NomineeCollective {
			return award.Invalid("Loại đối tượng khen thưởng không hợp lệ: %q", "unknown awardee kind %q", a.Kind)
		}
		if seen[a.ProposalID] {
			return award.Invalid("Hồ sơ %s có hai lần trong văn bản", "proposal %s is listed twice in the document", a.ProposalID)
		}
		seen[a.ProposalID] = true
	}
	return nil
}

func isSHA256Hex(s string) bool {
	if len(s) != 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}

// Document reads one document of the register with its awardees and revocation.
func (s *Store) Document(ctx context.Context, id string) (Document, error) {
	d, err := s.document(ctx, s.db, false, id, true)
	if err != nil {
		return Document{}, fmt.Errorf("document %s: %w", id, err)
	}
	return d, nil
}

// DocumentBySHA is the document index: which issued document has exactly these bytes
// (sha256 in lower-case hex), and whether it was revoked. ErrNotFound: not a document
// issued here (or altered since).
func (s *Store) DocumentBySHA(ctx context.Context, sha256 string) (Document, error) {
	sha := strings.ToLower(strings.TrimSpace(sha256))
	if !isSHA256Hex(sha) {
		return Document{}, fmt.Errorf("document by SHA-256: %w", ErrNotFound)
	}
	d, err := s.document(ctx, s.db, true, sha, false)
	if err != nil {
		return Document{}, fmt.Errorf("document by SHA-256 %s: %w", sha, err)
	}
	return d, nil
}

const documentColumns = `d.id, d.session_id, d.kind, d.award_type, d.register_series, d.register_period, d.number, d.number_text,
	d.issued_at, d.signer_id, d.signer_name, d.object_key, d.sha256, d.size, COALESCE(rd.revokes, ''), r.reason, r.revoked_at, r.revoked_by`

const (
	documentsFrom = ` FROM documents d LEFT JOIN revocations r ON r.document_id = d.id LEFT JOIN revocation_documents rd ON rd.document_id = d.id`
	documentByID  = `SELECT ` + documentColumns + documentsFrom + ` WHERE d.id = ?`
	documentBySHA = `SELECT ` + documentColumns + documentsFrom + ` WHERE d.sha256 = ?`
)

// document reads one document by id, or by SHA-256 when bySHA.
func (s *Store) document(ctx context.Context, q querier, bySHA bool, key string, awardees bool) (Document, error) {
	var row *sql.Row
	if bySHA {
		row = s.queryRow(ctx, q, documentBySHA, key)
	} else {
		row = s.queryRow(ctx, q, documentByID, key)
	}
	d, err := scanDocument(row)
	if errors.Is(err, sql.ErrNoRows) {
		return Document{}, ErrNotFound
	}
	if err != nil {
		return Document{}, fmt.Errorf("read document: %w", err)
	}
	if !awardees {
		return d, nil
	}
	rows, err := s.query(ctx, q, `SELECT proposal_id, person_id, unit_id, nominee_name, kind, award_type, year, amount
		FROM awardees WHERE document_id = ? ORDER BY position`, d.ID)
	if err != nil {
		return Document{}, fmt.Errorf("read awardees: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var a Awardee
		if err := rows.Scan(&a.ProposalID, &a.PersonID, &a.UnitID, &a.NomineeName, &a.Kind, &a.AwardType, &a.Year, &a.Amount); err != nil {
			return Document{}, fmt.Errorf("read awardees: %w", err)
		}
		d.Awardees = append(d.Awardees, a)
	}
	return d, rows.Err()
}

func scanDocument(r scanner) (Document, error) {
	var d Document
	var issued int64
	var reason, by sql.NullString
	var revokedAt sql.NullInt64
	if err := r.Scan(&d.ID, &d.SessionID, &d.Kind, &d.AwardType, &d.RegisterSeries, &d.RegisterPeriod, &d.Number, &d.NumberText,
		&issued, &d.SignerID, &d.SignerName, &d.Key, &d.SHA256, &d.Size, &d.Revokes, &reason, &revokedAt, &by); err != nil {
		return Document{}, err
	}
	d.IssuedAt = fromMicros(issued)
	if reason.Valid {
		d.Revocation = &Revocation{DocumentID: d.ID, Reason: reason.String, At: fromMicros(revokedAt.Int64), By: by.String}
	}
	return d, nil
}

// DocumentFilter narrows Documents; zero fields match all.
type DocumentFilter struct {
	SessionID string
	Kind      string
	From, To  time.Time // issued in [From, To)
}

// Documents lists register entries (without awardees), oldest first.
func (s *Store) Documents(ctx context.Context, f DocumentFilter) ([]Document, error) {
	q, args := documentsQuery(f)
	rows, err := s.query(ctx, s.db, q, args...)
	if err != nil {
		return nil, fmt.Errorf("list documents: %w", err)
	}
	defer rows.Close()
	var out []Document
	for rows.Next() {
		d, err := scanDocument(rows)
		if err != nil {
			return nil, fmt.Errorf("list documents: %w", err)
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

func documentsQuery(f DocumentFilter) (string, []any) {
	var where []string
	var args []any
	if f.SessionID != "" {
		where = append(where, "d.session_id = ?")
		args = append(args, f.SessionID)
	}
	if f.Kind != "" {
		where = append(where, "d.kind = ?")
		args = append(args, f.Kind)
	}
	if !f.From.IsZero() {
		where = append(where, "d.issued_at >= ?")
		args = append(args, micros(f.From))
	}
	if !f.To.IsZero() {
		where = append(where, "d.issued_at < ?")
		args = append(args, micros(f.To))
	}
	q := `SELECT ` + documentColumns + documentsFrom
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	return q + " ORDER BY d.issued_at, d.id", args
}

// Awardees lists awardees with their documents: last year's awardees, or a person's or a
// unit's awards over the years (eligibility looks back). Ordered by year, document issue
// and position.
func (s *Store) Awardees(ctx context.Context, f AwardeeFilter) ([]AwardeeRecord, error) {
	q, args := awardeesQuery(f)
	rows, err := s.query(ctx, s.db, q, args...)
	if err != nil {
		return nil, fmt.Errorf("list awardees: %w", err)
	}
	defer rows.Close()
	var out []AwardeeRecord
	for rows.Next() {
		var a AwardeeRecord
		var issued, decided, recorded int64
		var hasUpward bool
		var u UpwardResult
		if err := rows.Scan(&a.ProposalID, &a.PersonID, &a.UnitID, &a.NomineeName, &a.Kind, &a.AwardType, &a.Year, &a.Amount,
			&a.DocumentID, &a.DocumentKind, &a.NumberText, &issued, &a.Revoked,
			&hasUpward, &u.Awarded, &u.Body, &u.NumberText, &decided, &u.Note, &recorded, &u.RecordedBy); err != nil {
			return nil, fmt.Errorf("list awardees: %w", err)
		}
		a.IssuedAt = fromMicros(issued)
		if hasUpward {
			u.DocumentID, u.ProposalID, u.DecidedOn, u.RecordedAt = a.DocumentID, a.ProposalID, fromMicros(decided), fromMicros(recorded)
			a.Upward = &u
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

func awardeesQuery(f AwardeeFilter) (string, []any) {
	kind := f.DocumentKind
	if kind == "" {
		kind = KindDecision
	}
	where := []string{"d.kind = ?"}
	args := []any{kind}
	if f.Year != 0 {
		where = append(where, "a.year = ?")
		args = append(args, f.Year)
	}
	if f.AwardType != "" {
		where = append(where, "a.award_type = ?")
		args = append(args, f.AwardType)
	}
	if f.PersonID != "" {
		where = append(where, "a.person_id = ?")
		args = append(args, f.PersonID)
	}
	if f.UnitID != "" {
		where = append(where, "a.unit_id = ?")
		args = append(args, f.UnitID)
	}
	if t := Fold(f.Text); t != "" {
		where = append(where, `a.nominee_fold LIKE ? ESCAPE '\'`)
		args = append(args, likeContains(t))
	}
	if !f.IncludeRevoked {
		where = append(where, inForce)
	}
	q := `SELECT a.proposal_id, a.person_id, a.unit_id, a.nominee_name, a.kind, a.award_type, a.year, a.amount,
		d.id, d.kind, d.number_text, d.issued_at, NOT (` + inForce + `),
		(u.document_id IS NOT NULL), COALESCE(u.awarded, FALSE), COALESCE(u.body, ''), COALESCE(u.number_text, ''), COALESCE(u.decided_on, 0),
		COALESCE(u.note, ''), COALESCE(u.recorded_at, 0), COALESCE(u.recorded_by, '')
		FROM awardees a JOIN documents d ON d.id = a.document_id` + revokedJoin + `
		LEFT JOIN upward_results u ON u.document_id = a.document_id AND u.proposal_id = a.proposal_id
		WHERE ` + strings.Join(where, " AND ") + ` ORDER BY a.year, d.issued_at, d.id, a.position`
	return q, args
}

// Revoke marks a document revoked. Revoking it again with the same reason, time and
// person (a retried activity) is a no-op; a second, different revocation is refused with
// ErrConflict. The document and its awardees stay; AwardCounts and Awardees leave the
// revoked ones out, and DocumentBySHA reports the revocation.
func (s *Store) Revoke(ctx context.Context, r Revocation) error {
	if strings.TrimSpace(r.Reason) == "" || r.By == "" || r.At.IsZero() {
		return award.Invalid("Cần lý do, người và thời điểm thu hồi", "a revocation needs a reason, who and when")
	}
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		cur, err := s.document(ctx, tx, false, r.DocumentID, false)
		if err != nil {
			return err
		}
		if cur.Revocation != nil {
			want := r
			want.At = fromMicros(micros(r.At))
			if *cur.Revocation == want {
				return nil
			}
			return fmt.Errorf("already revoked on %s: %w", cur.Revocation.At.Format(time.RFC3339), ErrConflict)
		}
		if _, err := s.exec(ctx, tx, `INSERT INTO revocations (document_id, reason, revoked_at, revoked_by) VALUES (?, ?, ?, ?)`,
			r.DocumentID, r.Reason, micros(r.At), r.By); err != nil {
			return fmt.Errorf("insert revocation: %w", err)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("revoke document %s: %w", r.DocumentID, err)
	}
	return nil
}

// AwardCounts counts the awardees of each award type and kind whose title is of the
// given year, from the decisions in force (revoked ones left out), with their bonuses:
// the figures of the yearly report on emulation and commendation.
func (s *Store) AwardCounts(ctx context.Context, year int) ([]AwardCount, error) {
	rows, err := s.query(ctx, s.db, `SELECT a.award_type, a.kind, COUNT(*), CAST(COALESCE(SUM(a.amount), 0) AS BIGINT)
		FROM awardees a JOIN documents d ON d.id = a.document_id`+revokedJoin+`
		WHERE a.year = ? AND d.kind = 'decision' AND `+inForce+`
		GROUP BY a.award_type, a.kind ORDER BY a.award_type, a.kind`, year)
	if err != nil {
		return nil, fmt.Errorf("award counts %d: %w", year, err)
	}
	defer rows.Close()
	var out []AwardCount
	for rows.Next() {
		var c AwardCount
		if err := rows.Scan(&c.AwardType, &c.Kind, &c.Count, &c.Amount); err != nil {
			return nil, fmt.Errorf("award counts %d: %w", year, err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// AwardStat is one cell of the yearly statistics: the awardees of one award type and
// kind in one unit, with their bonuses.
type AwardStat struct {
	AwardType string
	Kind      string // NomineeIndividual or NomineeCollective
	UnitID    string // the collective, or the individual's unit ("" if unknown)
	Count     int
	Amount    int64 // đồng
}

// AwardStatistics breaks the year's awards down by award type, kind and unit: the
// awardees whose title is of that year, from decisions in force (revoked decisions and
// submissions upward left out). Ordered by award type, kind, unit.
func (s *Store) AwardStatistics(ctx context.Context, year int) ([]AwardStat, error) {
	rows, err := s.query(ctx, s.db, `SELECT a.award_type, a.kind, a.unit_id, COUNT(*), CAST(COALESCE(SUM(a.amount), 0) AS BIGINT)
		FROM awardees a JOIN documents d ON d.id = a.document_id`+revokedJoin+`
		WHERE a.year = ? AND d.kind = 'decision' AND `+inForce+`
		GROUP BY a.award_type, a.kind, a.unit_id ORDER BY a.award_type, a.kind, a.unit_id`, year)
	if err != nil {
		return nil, fmt.Errorf("award statistics %d: %w", year, err)
	}
	defer rows.Close()
	var out []AwardStat
	for rows.Next() {
		var c AwardStat
		if err := rows.Scan(&c.AwardType, &c.Kind, &c.UnitID, &c.Count, &c.Amount); err != nil {
			return nil, fmt.Errorf("award statistics %d: %w", year, err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}
