package notify_test

import (
	"bytes"
	"encoding/base64"
	"io"
	"math/rand/v2"
	"mime"
	"net/mail"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/awardflow/awardflow/internal/notify"
)

var t0 = time.Date(2026, 11, 20, 3, 0, 0, 0, time.UTC)

func prop(seq int64, stage string, assignees ...string) notify.Row {
	return notify.Row{WorkflowID: "p-1", Seq: seq, Kind: "proposal", Stage: stage, NomineeName: "Nguyễn Thị Hồng Đào",
		Proposer: "hongdao", Assignees: assignees, UpdatedAt: t0.Add(time.Duration(seq) * time.Hour)}
}

type want struct{ kind, person string }

func got(evs []notify.Event) []want {
	out := []want{}
	for _, e := range evs {
		out = append(out, want{e.Kind, e.Person})
	}
	return out
}

// TestChangesRules: each rule of notify.Changes on the proposal's path and a session's.
func TestChangesRules(t *testing.T) {
	overdue := prop(3, "submitted", "tptt", "truongban")
	overdue.Overdue = true
	session := notify.Row{WorkflowID: "s-1", Seq: 2, Kind: "session", Stage: "open", Title: "Xét khen thưởng năm 2025",
		Assignees: []string{"thuky", "tptt"}, UpdatedAt: t0}
	cases := []struct {
		name string
		old  *notify.Row
		next notify.Row
		want []want
	}{
		{"a new draft tells nobody (the proposer's own)", nil, prop(1, "draft", "hongdao"), []want{}},
		{"submitted: the head gets a task", ptr(prop(1, "draft", "hongdao")), prop(2, "submitted", "tptt"), []want{{"task", "tptt"}}},
		{"the same row again tells nobody", ptr(prop(2, "submitted", "tptt")), prop(2, "submitted", "tptt"), []want{}},
		{"returned tells the proposer once", ptr(prop(2, "submitted", "tptt")), prop(3, "returned", "hongdao"), []want{{"returned", "hongdao"}}},
		{"overdue: escalated assignee gets a task, all are told it is overdue", ptr(prop(2, "submitted", "tptt")), overdue,
			[]want{{"task", "truongban"}, {"overdue", "tptt"}, {"overdue", "truongban"}}},
		{"awarded tells the proposer", ptr(prop(5, "in_session")), prop(6, "awarded"), []want{{"decision", "hongdao"}}},
		{"not awarded is not a decision event", ptr(prop(5, "in_session")), prop(6, "not_awarded"), []want{}},
		{"a session's members get tasks; the proposer rule does not apply", nil, session, []want{{"task", "thuky"}, {"task", "tptt"}}},
		{"duplicate assignees count once", ptr(prop(1, "draft", "hongdao")), prop(2, "submitted", "tptt", "tptt"), []want{{"task", "tptt"}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			evs := notify.Changes(c.old, c.next)
			if g := got(evs); !slices.Equal(g, c.want) {
				t.Fatalf("events %v, want %v", g, c.want)
			}
			for _, e := range evs {
				if err := e.Validate(); err != nil {
					t.Error(err)
				}
			}
		})
	}
}

func ptr[T any](v T) *T { return &v }

// TestChangesIDsAreStable: the same change gives the same ids whatever the order of the
// assignees, ids never repeat within a change, and a later change (the task given again
// after a resubmission) gets new ids.
func TestChangesIDsAreStable(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	people := []string{"a", "b", "c", "d", "e", "hongdao"}
	for range 500 {
		old := prop(int64(r.IntN(5)+1), "submitted")
		next := prop(old.Seq+1, []string{"submitted", "returned", "awarded", "endorsed"}[r.IntN(4)])
		for _, p := range people {
			if r.IntN(2) == 0 {
				old.Assignees = append(old.Assignees, p)
			}
			if r.IntN(2) == 0 {
				next.Assignees = append(next.Assignees, p)
			}
		}
		next.Overdue = r.IntN(3) == 0
		a := notify.Changes(&old, next)
		shuffled := next
		shuffled.Assignees = slices.Clone(next.Assignees)
		r.Shuffle(len(shuffled.Assignees), func(i, j int) {
			shuffled.Assignees[i], shuffled.Assignees[j] = shuffled.Assignees[j], shuffled.Assignees[i]
		})
		b := notify.Changes(&old, shuffled)
		if !slices.EqualFunc(a, b, func(x, y notify.Event) bool { return x.ID == y.ID }) {
			t.Fatalf("order of assignees changed the events: %v vs %v", a, b)
		}
		seen := map[string]bool{}
		for _, e := range a {
			if seen[e.ID] {
				t.Fatalf("id %s twice", e.ID)
			}
			seen[e.ID] = true
			if e.Kind == notify.KindTask && (slices.Contains(old.Assignees, e.Person) || e.Person == "hongdao") {
				t.Fatalf("task for %s who was already assigned or is the proposer", e.Person)
			}
		}
		later := next
		later.Seq += 7
		for _, e := range notify.Changes(&old, later) {
			if seen[e.ID] {
				t.Fatalf("a later change reused id %s", e.ID)
			}
		}
	}
}

// TestDueSoonWindow: only deadlines within the next 48 hours, not overdue, one event per
// assignee; the id names the deadline, not the time of the check.
func TestDueSoonWindow(t *testing.T) {
	now := t0
	row := func(id string, due time.Duration, overdue bool) notify.Row {
		r := prop(4, "submitted", "tptt", "phoban")
		r.WorkflowID, r.DueAt, r.Overdue = id, now.Add(due), overdue
		return r
	}
	rows := []notify.Row{row("past", -time.Minute, false), row("in1d", 24*time.Hour, false), row("edge", 48*time.Hour, false),
		row("later", 48*time.Hour+time.Second, false), row("overdue", time.Hour, true), {WorkflowID: "nodue", Kind: "proposal"}}
	evs := notify.DueSoon(rows, now)
	var ids []string
	for _, e := range evs {
		ids = append(ids, e.WorkflowID+":"+e.Person)
		if e.Kind != notify.KindDueSoon {
			t.Errorf("kind %s", e.Kind)
		}
	}
	if w := []string{"in1d:phoban", "in1d:tptt", "edge:phoban", "edge:tptt"}; !slices.Equal(ids, w) {
		t.Fatalf("due soon %v, want %v", ids, w)
	}
	again := notify.DueSoon(rows, now.Add(time.Hour))
	if again[0].ID != evs[0].ID {
		t.Fatalf("a later check gave id %s, want %s", again[0].ID, evs[0].ID)
	}
}

// TestTextEveryKind: every kind has its own Vietnamese and English line naming what it
// is about.
func TestTextEveryKind(t *testing.T) {
	seen := map[string]bool{}
	for _, k := range notify.Kinds {
		for _, subj := range []string{"proposal", "session", notify.SubjectDelegation} {
			if subj == "session" && (k == notify.KindReturned || k == notify.KindDecision) {
				continue // only proposals are returned or awarded
			}
			if (subj == notify.SubjectDelegation) != (k == notify.KindDelegated) {
				continue // a delegation is told as such, and only it
			}
			vi, en := notify.Text(k, subj, "HS-2026-0042", "Nguyễn Thị Hồng Đào", t0, time.FixedZone("ICT", 7*3600))
			if !strings.Contains(vi, "Nguyễn Thị Hồng Đào") || !strings.Contains(en, "Nguyễn Thị Hồng Đào") || seen[vi] {
				t.Errorf("%s %s: %q / %q", k, subj, vi, en)
			}
			// The case number people quote is in both lines; without one the line still reads.
			if !strings.Contains(vi, "HS-2026-0042 · Nguyễn") || !strings.Contains(en, "HS-2026-0042") {
				t.Errorf("%s %s: no case number in %q / %q", k, subj, vi, en)
			}
			if vi2, _ := notify.Text(k, subj, "", "Nguyễn Thị Hồng Đào", t0, nil); strings.Contains(vi2, " · ") || !strings.Contains(vi2, "Nguyễn Thị Hồng Đào") {
				t.Errorf("%s %s without a number: %q", k, subj, vi2)
			}
			seen[vi] = true
			if k == notify.KindDueSoon && !strings.Contains(vi, "20/11/2026 10:00") {
				t.Errorf("due soon without the local deadline: %q", vi)
			}
		}
	}
}

// TestMailBytesRoundTrip: any subject and body (arbitrary Unicode, long Vietnamese lines)
// survive the trip through RFC 2047 encoded-words and base64, headers never break, and
// the Message-ID depends on the outbox id alone.
func TestMailBytesRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	alphabet := []rune("aăâbcdđeêghiklmnoôơpqrstuưvxyàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵĐ =?_:\"'<>\t€😀\u200b")
	from := mail.Address{Name: "Thi đua – Khen thưởng", Address: "awardflow@example.gov.vn"}
	for i := range 300 {
		var sb strings.Builder
		for range r.IntN(200) {
			sb.WriteRune(alphabet[r.IntN(len(alphabet))])
		}
		subject := sb.String()
		m := notify.Mail{ID: "p-1/2/task/tptt", To: "tptt@example.gov.vn", Subject: subject, Body: subject + "\n" + subject, Date: t0}
		raw, err := m.Bytes(from, "example.gov.vn")
		if err != nil {
			t.Fatal(err)
		}
		for _, line := range bytes.Split(raw, []byte("\r\n")) {
			if len(line) > 998 {
				t.Fatalf("line of %d bytes", len(line))
			}
		}
		msg, err := mail.ReadMessage(bytes.NewReader(raw))
		if err != nil {
			t.Fatalf("case %d: %v", i, err)
		}
		dec := new(mime.WordDecoder)
		gotSubj, err := dec.DecodeHeader(msg.Header.Get("Subject"))
		if err != nil || gotSubj != subject {
			t.Fatalf("case %d: subject %q (%v), want %q", i, gotSubj, err, subject)
		}
		body, _ := io.ReadAll(base64.NewDecoder(base64.StdEncoding, msg.Body))
		if string(body) != m.Body {
			t.Fatalf("case %d: body differs", i)
		}
		if msg.Header.Get("Message-ID") != notify.MessageID(m.ID, "example.gov.vn") {
			t.Fatal("message id")
		}
		fa, err := mail.ParseAddress(msg.Header.Get("From"))
		if err != nil || fa.Name != from.Name {
			t.Fatalf("from %v %v", fa, err)
		}
	}
	if notify.MessageID("a", "x") == notify.MessageID("b", "x") {
		t.Fatal("message ids collide")
	}
	if _, err := (notify.Mail{ID: "x", To: "a@b", Subject: "a\r\nBcc: evil@x"}).Bytes(from, "x"); err == nil {
		t.Fatal("a subject with a line break was accepted")
	}
}

// TestSMTPFromEnv: no host is no mail; a host needs a From; bad ports and TLS modes are
// refused; the password file is read.
func TestSMTPFromEnv(t *testing.T) {
	pw := t.TempDir() + "/pw"
	if err := os.WriteFile(pw, []byte("s3cret\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	env := func(kv ...string) func(string) string {
		m := map[string]string{}
		for i := 0; i+1 < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return func(k string) string { return m[k] }
	}
	if c, err := notify.FromEnv(env()); c != nil || err != nil {
		t.Fatalf("no host: %v %v", c, err)
	}
	c, err := notify.FromEnv(env("AWARDFLOW_SMTP_HOST", "smtp.example.vn", "AWARDFLOW_SMTP_FROM", "Thi đua <td@example.vn>",
		"AWARDFLOW_SMTP_PASSWORD_FILE", pw, "AWARDFLOW_SMTP_USER", "td"))
	if err != nil || c.Port != 587 || c.TLS != "starttls" || c.Password != "s3cret" || c.User != "td" {
		t.Fatalf("config %+v %v", c, err)
	}
	for _, bad := range [][]string{
		{"AWARDFLOW_SMTP_HOST", "h"},
		{"AWARDFLOW_SMTP_HOST", "h", "AWARDFLOW_SMTP_FROM", "a@b", "AWARDFLOW_SMTP_PORT", "70000"},
		{"AWARDFLOW_SMTP_HOST", "h", "AWARDFLOW_SMTP_FROM", "a@b", "AWARDFLOW_SMTP_TLS", "maybe"},
		{"AWARDFLOW_SMTP_HOST", "h", "AWARDFLOW_SMTP_FROM", "not an address"},
	} {
		if _, err := notify.FromEnv(env(bad...)); err == nil {
			t.Errorf("%v accepted", bad)
		}
	}
}
