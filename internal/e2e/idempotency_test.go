package e2e

import (
	"bytes"
	"encoding/json"
	"io/fs"
	"net/http"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/text/unicode/norm"

	"github.com/awardflow/awardflow/internal/award"
	"github.com/awardflow/awardflow/workflows"
)

// objectsUnder counts the stored objects of one proposal's evidence in the dev stack's
// data directory (the in-process S3 keeps one file per object).
func objectsUnder(t *testing.T, dataDir, proposalID string) int {
	t.Helper()
	n := 0
	_ = filepath.WalkDir(dataDir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(filepath.ToSlash(filepath.Dir(p)), "evidence/"+proposalID) && len(d.Name()) == 64 {
			n++
		}
		return nil
	})
	return n
}

// Issue 6, items 1(a), 2 and 6 through the API: text is checked when entered; an
// Idempotency-Key is scoped to (caller, route, target) and a reused key with another body
// is a 422, never a false success, for every route that takes a key; a department head's
// own proposal is reviewed by the configured reviewer.
func TestEntryChecksIdempotencyAndHeadsOwnProposal(t *testing.T) {
	d := startDev(t, t.TempDir())
	defer d.Stop()
	base := d.URL
	addPeople(t, base, "tt", "Phan Văn Một", "Phan Văn Hai")
	a := login(t, base, "hongdao")   // staff, tt
	b := login(t, base, "quoccuong") // staff, tt
	head := login(t, base, "tptt")
	chair := login(t, base, "truongban")
	deputy := login(t, base, "phoban")
	secretary := login(t, base, "thuky")
	draft := func(name string) award.Draft {
		return award.Draft{AwardType: "LDTT", MovementID: "vanhoa-2025", Kind: award.KindIndividual,
			NomineeName: name, NomineePosition: "Chuyên viên", Achievements: "Hoàn thành tốt nhiệm vụ"}
	}

	// --- 1(a): refused when entered, naming the character; decomposed Vietnamese accepted as NFC
	r := a.post("/api/v1/proposals", draft("Nguyễn Thị Hồng Đào 😀"))
	refused(t, "emoji nominee", r, http.StatusUnprocessableEntity, "invalid")
	if !strings.Contains(r.message(), "Ký tự “😀” (U+1F600)") {
		t.Fatalf("message does not name the character: %s", r.message())
	}
	refused(t, "NUL position", a.post("/api/v1/proposals", award.Draft{AwardType: "LDTT", MovementID: "vanhoa-2025", Kind: award.KindIndividual,
		NomineeName: "Nguyễn Thị Hồng Đào", NomineePosition: "Chuyên\x00viên"}), http.StatusUnprocessableEntity, "invalid")
	refused(t, "bidi override", a.post("/api/v1/proposals", draft("Đào\u202e")), http.StatusUnprocessableEntity, "invalid")
	var p workflows.ProposalView
	nfd := draft(norm.NFD.String("\ufeffNguyễn Thị Hồng Đào"))
	nfd.AwardType = "GK" // her LĐTT proposal is filed below: one live proposal per award and year
	must(t, a.post("/api/v1/proposals", nfd), http.StatusCreated, &p)
	if p.NomineeName != "Nguyễn Thị Hồng Đào" || p.NomineeID != "hongdao" {
		t.Fatalf("nominee kept as %q (%q), want NFC and linked to hongdao", p.NomineeName, p.NomineeID)
	}
	bell := allCriteria(p, "")
	bell["answers"].([]award.CriterionAnswer)[0].Note = "Đạt\x07"
	refused(t, "self-assessment note with a control character", a.put("/api/v1/proposals/"+p.ID+"/self-assessment", bell), http.StatusUnprocessableEntity, "invalid")
	refused(t, "evidence file name with an emoji", a.do(http.MethodPost, "/api/v1/proposals/"+p.ID+"/evidence?filename=%F0%9F%98%80.pdf", bytes.NewReader(fakePDF(1000))), http.StatusUnprocessableEntity, "invalid")
	if n := objectsUnder(t, d.DataDir, p.ID); n != 0 {
		t.Fatalf("a refused upload left %d objects", n)
	}

	// --- 2: filing. Two callers, one key: two proposals. Same caller, same key, other body: 422.
	var pa, pb, again workflows.ProposalView
	must(t, a.post("/api/v1/proposals", draft("Nguyễn Thị Hồng Đào"), "Idempotency-Key", "file-1"), http.StatusCreated, &pa)
	must(t, b.post("/api/v1/proposals", draft("Lê Quốc Cường"), "Idempotency-Key", "file-1"), http.StatusCreated, &pb)
	if pa.ID == pb.ID || pb.NomineeName != "Lê Quốc Cường" {
		t.Fatalf("two callers with one key share a proposal: %s %s", pa.ID, pb.ID)
	}
	must(t, a.post("/api/v1/proposals", draft("Nguyễn Thị Hồng Đào"), "Idempotency-Key", "file-1"), http.StatusCreated, &again)
	if again.ID != pa.ID {
		t.Fatalf("a repeat filed %s, want %s", again.ID, pa.ID)
	}
	refused(t, "filing key reused with another body", a.post("/api/v1/proposals", draft("Lê Quốc Cường"), "Idempotency-Key", "file-1"), http.StatusUnprocessableEntity, "invalid")
	// Concurrent: the same key with two bodies, three requests each: one body wins, every
	// request of it gets the same proposal, every request of the other gets 422.
	var mu sync.Mutex
	got := map[int][]string{}
	var wg sync.WaitGroup
	for i := range 6 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			name := []string{"Phan Văn Một", "Phan Văn Hai"}[i%2]
			r := a.post("/api/v1/proposals", draft(name), "Idempotency-Key", "file-race")
			var v workflows.ProposalView
			if r.Status == http.StatusCreated {
				r.json(t, &v)
			}
			mu.Lock()
			got[r.Status] = append(got[r.Status], v.ID+"/"+v.NomineeName)
			mu.Unlock()
		}()
	}
	wg.Wait()
	if len(got[http.StatusCreated]) != 3 || len(got[http.StatusUnprocessableEntity]) != 3 || len(got) != 2 {
		t.Fatalf("concurrent filing with one key: %v", got)
	}
	if w := got[http.StatusCreated]; w[0] != w[1] || w[1] != w[2] {
		t.Fatalf("the winners got different proposals: %v", w)
	}

	// --- 2: revise (any update route): scoped per caller and target, 422 on another body.
	d1, d2 := draft("Nguyễn Thị Hồng Đào"), draft("Nguyễn Thị Hồng Đào")
	d1.Achievements, d2.Achievements = "Lần một", "Lần hai"
	must(t, a.do(http.MethodPut, "/api/v1/proposals/"+pa.ID, bytes.NewReader(jsonBytes(d1)), "Idempotency-Key", "rev-1", "Content-Type", "application/json"), http.StatusOK, nil)
	refused(t, "revise key reused with another body", a.do(http.MethodPut, "/api/v1/proposals/"+pa.ID, bytes.NewReader(jsonBytes(d2)), "Idempotency-Key", "rev-1", "Content-Type", "application/json"), http.StatusUnprocessableEntity, "invalid")
	must(t, b.do(http.MethodPut, "/api/v1/proposals/"+pb.ID, bytes.NewReader(jsonBytes(draft("Lê Quốc Cường"))), "Idempotency-Key", "rev-1", "Content-Type", "application/json"), http.StatusOK, nil)

	// --- 2: evidence. Same key, same file: the first answer; another file: 422, nothing stored.
	f1, f2 := fakePDF(5000), fakePDF(6000)
	upload := func(c *api, id string, f []byte, key string) reply {
		return c.do(http.MethodPost, "/api/v1/proposals/"+id+"/evidence?filename=minh-chung.pdf", bytes.NewReader(f), "Idempotency-Key", key)
	}
	var up1, up2 struct {
		Evidence award.Evidence `json:"evidence"`
	}
	must(t, upload(a, pa.ID, f1, "ev-1"), http.StatusCreated, &up1)
	must(t, upload(a, pa.ID, f1, "ev-1"), http.StatusCreated, &up2)
	if up1.Evidence.SHA256 != up2.Evidence.SHA256 {
		t.Fatalf("a repeated upload answered another file")
	}
	refused(t, "evidence key reused with another file", upload(a, pa.ID, f2, "ev-1"), http.StatusUnprocessableEntity, "invalid")
	must(t, upload(b, pb.ID, f2, "ev-1"), http.StatusCreated, nil) // another caller and target: its own scope
	// Concurrent: one key, two files.
	var statuses []int
	for i := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := upload(a, pa.ID, [][]byte{fakePDF(7000), fakePDF(8000)}[i%2], "ev-race")
			mu.Lock()
			statuses = append(statuses, r.Status)
			mu.Unlock()
		}()
	}
	wg.Wait()
	if slices.Contains(statuses, http.StatusInternalServerError) || !slices.Contains(statuses, http.StatusCreated) {
		t.Fatalf("concurrent uploads with one key: %v", statuses)
	}
	must(t, a.get("/api/v1/proposals/"+pa.ID), http.StatusOK, &pa)
	if len(pa.Evidence) != 2 {
		t.Fatalf("evidence listed: %d, want 2 (ev-1 and one ev-race winner)", len(pa.Evidence))
	}
	eventually(t, "no orphan objects", 10*time.Second, func() bool { return objectsUnder(t, d.DataDir, pa.ID) == len(pa.Evidence) })

	// --- 6: a head's own proposal goes to the configured reviewers (chair, deputy).
	var own workflows.ProposalView
	must(t, head.post("/api/v1/proposals", draft("Phạm Minh Tâm")), http.StatusCreated, &own)
	must(t, head.put("/api/v1/proposals/"+own.ID+"/self-assessment", allCriteria(own, "")), http.StatusOK, nil)
	must(t, head.post("/api/v1/proposals/"+own.ID+"/submit", nil), http.StatusOK, &own)
	if !slices.Equal(own.Assignees, []string{"truongban", "phoban"}) || own.NomineeID != "tptt" {
		t.Fatalf("head's own proposal assigned to %v (nominee %q)", own.Assignees, own.NomineeID)
	}
	refused(t, "head endorses own", head.post("/api/v1/proposals/"+own.ID+"/endorse", nil), http.StatusForbidden, "forbidden")
	eventually(t, "head's proposal in the chair's inbox", 30*time.Second, func() bool {
		var in struct{ Items []struct{ ID string } }
		chair.get("/api/v1/inbox").json(t, &in)
		return slices.ContainsFunc(in.Items, func(it struct{ ID string }) bool { return it.ID == own.ID })
	})
	must(t, deputy.post("/api/v1/proposals/"+own.ID+"/endorse", map[string]string{"comment": "Đồng ý"}), http.StatusOK, &own)
	// Staff nominating their head: the head may not endorse it either.
	var forHead workflows.ProposalView
	forHeadDraft := draft("pham minh tam")
	forHeadDraft.AwardType = "GK" // his own LĐTT proposal is live: one per award and year
	must(t, a.post("/api/v1/proposals", forHeadDraft), http.StatusCreated, &forHead)
	must(t, a.put("/api/v1/proposals/"+forHead.ID+"/self-assessment", allCriteria(forHead, "")), http.StatusOK, nil)
	must(t, a.post("/api/v1/proposals/"+forHead.ID+"/submit", nil), http.StatusOK, &forHead)
	refused(t, "head endorses a proposal nominating them", head.post("/api/v1/proposals/"+forHead.ID+"/endorse", nil), http.StatusForbidden, "forbidden")

	// --- 2: ballots. Member A's key reused by member B: both ballots count.
	var s workflows.SessionView
	must(t, secretary.post("/api/v1/sessions", map[string]any{"title": "Phiên họp thử", "proposal_ids": []string{own.ID}}, "Idempotency-Key", "open-1"), http.StatusCreated, &s)
	refused(t, "open key reused with another title", secretary.post("/api/v1/sessions", map[string]any{"title": "Phiên khác", "proposal_ids": []string{own.ID}}, "Idempotency-Key", "open-1"), http.StatusUnprocessableEntity, "invalid")
	var reopened workflows.SessionView
	must(t, secretary.post("/api/v1/sessions", map[string]any{"title": "Phiên họp thử", "proposal_ids": []string{own.ID}}, "Idempotency-Key", "open-1"), http.StatusCreated, &reopened)
	if reopened.ID != s.ID {
		t.Fatalf("the same opening repeated with its key: session %s, want the first one %s", reopened.ID, s.ID)
	}
	yes := map[string]any{"marks": map[string]string{own.ID: "yes"}}
	no := map[string]any{"marks": map[string]string{own.ID: "no"}}
	var v1, v2, v3 struct{ Voters int }
	must(t, chair.post("/api/v1/sessions/"+s.ID+"/ballot", yes, "Idempotency-Key", "ballot-1"), http.StatusOK, &v1)
	must(t, deputy.post("/api/v1/sessions/"+s.ID+"/ballot", no, "Idempotency-Key", "ballot-1"), http.StatusOK, &v2)
	if v1.Voters != 1 || v2.Voters != 2 {
		t.Fatalf("member B reusing member A's key: voters %d then %d, want 1 then 2", v1.Voters, v2.Voters)
	}
	must(t, chair.post("/api/v1/sessions/"+s.ID+"/ballot", yes, "Idempotency-Key", "ballot-1"), http.StatusOK, &v3)
	if v3.Voters != 1 {
		t.Fatalf("a repeated ballot must get the first answer (voters 1), got %d", v3.Voters)
	}
	refused(t, "ballot key reused with other marks", chair.post("/api/v1/sessions/"+s.ID+"/ballot", no, "Idempotency-Key", "ballot-1"), http.StatusUnprocessableEntity, "invalid")
	refused(t, "second ballot with a new key", chair.post("/api/v1/sessions/"+s.ID+"/ballot", no, "Idempotency-Key", "ballot-2"), http.StatusConflict, "duplicate")
	must(t, secretary.get("/api/v1/sessions/"+s.ID), http.StatusOK, &s)
	if len(s.Voted) != 2 {
		t.Fatalf("voted %v", s.Voted)
	}
}

func jsonBytes(v any) []byte {
	b, _ := json.Marshal(v)
	return b
}
