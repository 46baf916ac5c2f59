package e2e

import (
	"bytes"
	"context"
	"net/http"
	"os"
	"slices"
	"testing"

	"github.com/awardflow/awardflow/internal/award"
	"github.com/awardflow/awardflow/internal/backup"
	"github.com/awardflow/awardflow/workflows"
)

// Back up a running dev stack, wipe its data directory, restore, start again: every
// proposal (with its evidence and history), the issued decision's signed PDF and its
// verify answer are back as they were, the tokens issued before still work, and the
// service carries on (the next proposal is filed and submitted).
func TestBackupRestore(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	d := startDev(t, dir)
	staff, head := login(t, d.URL, "hongdao"), login(t, d.URL, "tptt")

	// A decided, issued proposal ...
	p := fileProposal(t, staff, "Nguyễn Thị Hồng Đào")
	must(t, head.post("/api/v1/proposals/"+p.ID+"/endorse", nil), http.StatusOK, nil)
	secretary := login(t, d.URL, "thuky")
	var s workflows.SessionView
	must(t, secretary.post("/api/v1/sessions", map[string]any{"title": "Phiên họp trước khi sao lưu", "proposal_ids": []string{p.ID}}), http.StatusCreated, &s)
	for _, u := range []string{"truongban", "phoban", "chanhvp", "tptt", "tpllct", "thuky"} {
		must(t, login(t, d.URL, u).post("/api/v1/sessions/"+s.ID+"/ballot", map[string]any{"marks": map[string]string{p.ID: "yes"}}), http.StatusOK, nil)
	}
	must(t, login(t, d.URL, "truongban").post("/api/v1/sessions/"+s.ID+"/close", nil), http.StatusOK, nil)
	s = approveAndIssueAll(t, d.URL, s.ID)
	if len(s.Decisions) != 1 {
		t.Fatalf("decisions %+v", s.Decisions)
	}
	// ... and a draft with an evidence file.
	colleague := login(t, d.URL, "quoccuong")
	var draft workflows.ProposalView
	must(t, colleague.post("/api/v1/proposals", award.Draft{AwardType: "LDTT", MovementID: "vanhoa-2025", Kind: award.KindIndividual,
		NomineeName: "Lê Quốc Cường", NomineePosition: "Chuyên viên", Achievements: "Sáng kiến số hoá hồ sơ"}), http.StatusCreated, &draft)
	evidence := fakePDF(256 << 10)
	var up struct {
		Evidence award.Evidence `json:"evidence"`
	}
	must(t, colleague.do(http.MethodPost, "/api/v1/proposals/"+draft.ID+"/evidence?filename=S%C3%A1ng%20ki%E1%BA%BFn.pdf", bytes.NewReader(evidence)), http.StatusCreated, &up)

	type state struct {
		ids            []string
		issued, draftV workflows.ProposalView
		pdf, verify    []byte
		evidence       []byte
	}
	read := func(base string) state {
		t.Helper()
		staff.base, colleague.base, secretary.base = base, base, base
		var st state
		var list struct {
			Items []struct {
				ID string `json:"id"`
			} `json:"items"`
		}
		must(t, login(t, base, "quantri").get("/api/v1/proposals?limit=100"), http.StatusOK, &list)
		for _, it := range list.Items {
			st.ids = append(st.ids, it.ID)
		}
		slices.Sort(st.ids)
		must(t, staff.get("/api/v1/proposals/"+p.ID), http.StatusOK, &st.issued)
		must(t, colleague.get("/api/v1/proposals/"+draft.ID), http.StatusOK, &st.draftV)
		r := secretary.get("/api/v1/decisions/" + s.Decisions[0].ID + "/pdf")
		if r.Status != http.StatusOK {
			t.Fatalf("decision PDF: %d %s", r.Status, r.Body)
		}
		st.pdf = r.Body
		r = staff.do(http.MethodPost, "/api/v1/verify", bytes.NewReader(st.pdf))
		if r.Status != http.StatusOK {
			t.Fatalf("verify: %d %s", r.Status, r.Body)
		}
		st.verify = r.Body
		r = colleague.get("/api/v1/proposals/" + draft.ID + "/evidence/" + up.Evidence.SHA256)
		if r.Status != http.StatusOK {
			t.Fatalf("evidence: %d %s", r.Status, r.Body)
		}
		st.evidence = r.Body
		return st
	}
	before := read(d.URL)
	if len(before.ids) != 2 || !bytes.Equal(before.evidence, evidence) {
		t.Fatalf("before the backup: %d proposals, evidence %d bytes", len(before.ids), len(before.evidence))
	}

	var archive bytes.Buffer
	if _, err := backup.Create(ctx, dir, &archive); err != nil { // while dev runs
		t.Fatal(err)
	}
	d.Stop()
	if err := os.RemoveAll(dir); err != nil {
		t.Fatal(err)
	}
	if _, err := backup.Restore(ctx, bytes.NewReader(archive.Bytes()), dir); err != nil {
		t.Fatal(err)
	}
	d = startDev(t, dir)
	defer d.Stop()
	after := read(d.URL) // with the tokens issued before the backup

	if !slices.Equal(before.ids, after.ids) {
		t.Fatalf("proposals before %v, after %v", before.ids, after.ids)
	}
	for name, pair := range map[string][2]workflows.ProposalView{"issued": {before.issued, after.issued}, "draft": {before.draftV, after.draftV}} {
		b, a := pair[0], pair[1]
		if a.Stage != b.Stage || len(a.History) != len(b.History) || len(a.Evidence) != len(b.Evidence) {
			t.Fatalf("%s proposal: before %s/%d events/%d files, after %s/%d/%d", name, b.Stage, len(b.History), len(b.Evidence),
				a.Stage, len(a.History), len(a.Evidence))
		}
	}
	if !bytes.Equal(before.pdf, after.pdf) || !bytes.Equal(before.evidence, after.evidence) {
		t.Fatal("the decision PDF or the evidence differs after the restore")
	}
	if !bytes.Equal(before.verify, after.verify) {
		t.Fatalf("verify before:\n%s\nafter:\n%s", before.verify, after.verify)
	}
	// The service carries on from the restored state.
	must(t, colleague.put("/api/v1/proposals/"+draft.ID+"/self-assessment", allCriteria(after.draftV, up.Evidence.SHA256)), http.StatusOK, nil)
	must(t, colleague.post("/api/v1/proposals/"+draft.ID+"/submit", nil), http.StatusOK, nil)
}
