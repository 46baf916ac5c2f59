package e2e

import (
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/awardflow/awardflow/internal/award"
	"github.com/awardflow/awardflow/internal/testenv"
	"github.com/awardflow/awardflow/workflows"
)

// The directory at run time, through the real API, Temporal and the dev keyring: the
// admin opens a unit with a head and a staff member and names a new council secretary,
// without a restart. The staff member files a proposal for themselves (the nominee
// resolves to the new person), the new head finds it in their inbox and endorses it,
// the new secretary opens the session (the council snapshot has them), and the minutes
// carry their signature, made with a certificate issued in their name on first use.
// Deactivating the head then ends their session at once.
func TestDirectoryAtRunTime(t *testing.T) {
	pdfsig := testenv.RequireTool(t, "pdfsig", "poppler-utils")
	d := startDev(t, t.TempDir())
	base := d.URL
	admin := login(t, base, "quantri")
	must(t, admin.put("/api/v1/directory/units/kt", map[string]any{"name": "Phòng Kế toán"}), http.StatusCreated, nil)
	for _, p := range []map[string]any{
		{"id": "tpkt", "name": "Võ Minh Kế", "position": "Trưởng phòng", "unit": "kt", "roles": []string{"department_head", "staff"}},
		{"id": "nvkt", "name": "Đinh Thị Toán", "position": "Chuyên viên", "unit": "kt", "roles": []string{"staff"}},
		{"id": "thuky2", "name": "Lâm Thị Thư", "position": "Chuyên viên Văn phòng", "unit": "vp", "roles": []string{"council_secretary"}},
	} {
		id := p["id"].(string)
		delete(p, "id")
		p["password"] = "mat-khau-" + id
		must(t, admin.put("/api/v1/directory/people/"+id, p), http.StatusCreated, nil)
	}
	as := func(id string) *api {
		a := &api{t: t, base: base}
		var out struct{ Token string }
		must(t, a.post("/api/v1/login", map[string]string{"username": id, "password": "mat-khau-" + id}), http.StatusOK, &out)
		a.token = out.Token
		return a
	}
	staff, head, secretary := as("nvkt"), as("tpkt"), as("thuky2")

	p := fileProposal(t, staff, "Đinh Thị Toán")
	if p.Department != "kt" || p.NomineeID != "nvkt" {
		t.Fatalf("the proposal's department %q and nominee %q: want the new unit and person", p.Department, p.NomineeID)
	}
	eventually(t, "the proposal in the new head's inbox", 30*time.Second, func() bool {
		var in struct{ Items []struct{ ID string } }
		head.get("/api/v1/inbox").json(t, &in)
		return slices.ContainsFunc(in.Items, func(it struct{ ID string }) bool { return it.ID == p.ID })
	})
	refused(t, "another department's head endorses", login(t, base, "tptt").post("/api/v1/proposals/"+p.ID+"/endorse", nil), http.StatusForbidden, "forbidden")
	must(t, head.post("/api/v1/proposals/"+p.ID+"/endorse", nil), http.StatusOK, nil)

	var s workflows.SessionView
	must(t, secretary.post("/api/v1/sessions", map[string]any{"title": "Phiên họp xét khen thưởng năm 2025", "proposal_ids": []string{p.ID}}), http.StatusCreated, &s)
	if !slices.ContainsFunc(s.Members, func(m award.Member) bool {
		return m.ID == "thuky2" && m.Role == award.RoleSecretary && m.Name == "Lâm Thị Thư"
	}) {
		t.Fatalf("the council snapshot lacks the new secretary: %+v", s.Members)
	}
	// "Đồng ý tất cả" with per-row exceptions: all "yes"; one member marks all "no"
	// except this proposal — a yes all the same; an exception off the agenda is refused.
	refused(t, "an exception off the agenda", login(t, base, "truongban").post("/api/v1/sessions/"+s.ID+"/ballot",
		map[string]any{"all": "yes", "marks": map[string]string{"proposal-00000000000000000000000000000000": "no"}}), http.StatusUnprocessableEntity, "invalid")
	for i, m := range s.Members {
		if !m.Votes {
			continue
		}
		ballot := map[string]any{"all": "yes"}
		if i%2 == 1 {
			ballot = map[string]any{"all": "no", "marks": map[string]string{p.ID: "yes"}}
		}
		must(t, login(t, base, m.ID).post("/api/v1/sessions/"+s.ID+"/ballot", ballot), http.StatusOK, nil)
	}
	must(t, login(t, base, "truongban").post("/api/v1/sessions/"+s.ID+"/close", nil), http.StatusOK, nil)
	eventually(t, "the minutes", 2*time.Minute, func() bool {
		secretary.get("/api/v1/sessions/"+s.ID).json(t, &s)
		return s.Minutes != nil
	})
	r := secretary.get("/api/v1/sessions/" + s.ID + "/minutes.pdf")
	if r.Status != http.StatusOK {
		t.Fatalf("minutes: %d", r.Status)
	}
	f := filepath.Join(t.TempDir(), "minutes.pdf")
	if err := os.WriteFile(f, r.Body, 0o600); err != nil {
		t.Fatal(err)
	}
	out, _ := exec.Command(pdfsig, "-nocert", f).CombinedOutput()
	if !strings.Contains(string(out), "Lâm Thị Thư") {
		t.Fatalf("the minutes are not signed by the new secretary:\n%s", out)
	}

	// Deactivated: the head's next request is refused.
	must(t, admin.post("/api/v1/directory/people/tpkt/deactivate", map[string]string{"reason": "Chuyển công tác"}), http.StatusOK, nil)
	refused(t, "a deactivated head", head.get("/api/v1/inbox"), http.StatusUnauthorized, "unauthenticated")
}
