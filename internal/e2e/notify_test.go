package e2e

import (
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/awardflow/awardflow/internal/devapp"
	"github.com/awardflow/awardflow/internal/devapp/devapptest"
	"github.com/awardflow/awardflow/internal/mailcatcher"
	"github.com/awardflow/awardflow/internal/store"
)

// TestNotificationsEndToEnd: on the real dev stack (the projection written by the
// workflows, the NotificationsWorkflow delivering every second, the embedded SMTP
// catcher), submitting gives the head a task in the bell and one mail with the
// Vietnamese subject; returning tells the proposer the same way; later deliveries never
// send a mail twice; /dev/mail shows them.
func TestNotificationsEndToEnd(t *testing.T) {
	d := devapptest.Start(t, devapp.Options{NotifyInterval: time.Second})
	staff, head := login(t, d.URL, "hongdao"), login(t, d.URL, "tptt")
	nominee := "Nguyễn Thị Hồng Đào"
	p := fileProposal(t, staff, nominee)

	mailsTo := func(to, subject string) int {
		n := 0
		for _, m := range d.Mail.Messages() {
			if strings.Join(m.To, ",") == to && m.Subject == subject {
				n++
			}
		}
		return n
	}
	var shown struct {
		CaseNumber string `json:"case_number"`
	}
	must(t, staff.get("/api/v1/proposals/"+p.ID), http.StatusOK, &shown)
	if shown.CaseNumber == "" {
		t.Fatal("the proposal has no case number")
	}
	// The subjects quote the case number people read on the pages (HS-2026-0042).
	task := "Việc mới cần xử lý — hồ sơ đề nghị khen thưởng " + shown.CaseNumber + " · " + nominee
	eventually(t, "the head's task mail", time.Minute, func() bool { return mailsTo("tptt@dev.awardflow.test", task) == 1 })

	var bell struct {
		Items  []store.Notification `json:"items"`
		Unread int                  `json:"unread"`
	}
	must(t, head.get("/api/v1/notifications"), http.StatusOK, &bell)
	if bell.Unread < 1 || bell.Items[0].Kind != "task" || bell.Items[0].Link != "#/proposals/"+p.ID {
		t.Fatalf("head's bell: %+v", bell)
	}
	must(t, head.post("/api/v1/notifications/read", map[string]any{"ids": []string{bell.Items[0].ID}}), http.StatusOK, nil)
	must(t, head.get("/api/v1/notifications"), http.StatusOK, &bell)
	if !bell.Items[0].Read {
		t.Fatalf("not marked read: %+v", bell.Items[0])
	}

	must(t, head.post("/api/v1/proposals/"+p.ID+"/return", map[string]string{"comment": "Bổ sung minh chứng sáng kiến"}), http.StatusOK, nil)
	returned := "Hồ sơ bị trả lại để bổ sung — " + shown.CaseNumber + " · " + nominee
	eventually(t, "the proposer's returned mail", time.Minute, func() bool { return mailsTo("hongdao@dev.awardflow.test", returned) == 1 })

	// Several more deliveries run: nothing is sent twice.
	time.Sleep(3 * time.Second)
	seen := map[string]bool{}
	for _, m := range d.Mail.Messages() {
		if seen[m.MessageID] {
			t.Fatalf("Message-ID %s twice", m.MessageID)
		}
		seen[m.MessageID] = true
		checkMailHeaders(t, m)
	}
	if mailsTo("tptt@dev.awardflow.test", task) != 1 || mailsTo("hongdao@dev.awardflow.test", returned) != 1 {
		t.Fatal("a mail was sent twice")
	}
	resp, err := http.Get(d.URL + "/dev/mail")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), returned) {
		t.Fatalf("/dev/mail: %d\n%s", resp.StatusCode, body)
	}
}

func checkMailHeaders(t *testing.T, m mailcatcher.Message) {
	t.Helper()
	raw := string(m.Raw)
	if !strings.Contains(raw, "Subject: =?utf-8?b?") || !strings.Contains(raw, "From: =?utf-8?") || !strings.Contains(raw, "@dev.awardflow.test>") {
		t.Fatalf("headers not RFC 2047 encoded:\n%s", raw[:min(len(raw), 600)])
	}
}
