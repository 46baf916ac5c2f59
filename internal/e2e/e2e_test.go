// Package e2e drives awardflow end to end through its real HTTP API, on the embedded
// Temporal server and the embedded S3 server that `awardflow dev` runs, and checks the
// signed decision with poppler's pdfsig and pdftotext.
package e2e

import (
	"bytes"
	"crypto/rand"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/awardflow/awardflow/internal/award"
	"github.com/awardflow/awardflow/internal/devapp"
	"github.com/awardflow/awardflow/internal/devapp/devapptest"
	"github.com/awardflow/awardflow/internal/orgconfig"
	"github.com/awardflow/awardflow/internal/testenv"
	"github.com/awardflow/awardflow/workflows"
)

func startDev(t testing.TB, dir string) *devapp.Dev {
	t.Helper()
	return devapptest.Start(t, devapp.Options{DataDir: dir})
}

type testWriter struct{ t testing.TB }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

func login(t testing.TB, base, user string) *api {
	t.Helper()
	a := &api{t: t, base: base}
	var out struct {
		Token string `json:"token"`
	}
	must(t, a.post("/api/v1/login", map[string]string{"username": user, "password": orgconfig.DemoPassword}), http.StatusOK, &out)
	a.token = out.Token
	return a
}

type proposalView struct {
	workflows.ProposalView
}

func allCriteria(p workflows.ProposalView, evidence string) map[string]any {
	var answers []award.CriterionAnswer
	for _, c := range p.Criteria {
		a := award.CriterionAnswer{CriterionID: c.ID, Met: true, Note: "Đạt"}
		if evidence != "" {
			a.Evidence = []string{evidence}
		}
		answers = append(answers, a)
	}
	return map[string]any{"answers": answers}
}

func fakePDF(n int) []byte {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	copy(b, "%PDF-1.4\n% bằng chứng\n")
	return b
}

// fileProposal files, self-assesses and submits a proposal for the staff member in a.
func fileProposal(t *testing.T, a *api, nominee string) workflows.ProposalView {
	t.Helper()
	var p workflows.ProposalView
	must(t, a.post("/api/v1/proposals", award.Draft{AwardType: "LDTT", MovementID: "vanhoa-2025", Kind: award.KindIndividual,
		NomineeName: nominee, NomineePosition: "Chuyên viên", Achievements: "Hoàn thành tốt nhiệm vụ năm 2025"}), http.StatusCreated, &p)
	must(t, a.put("/api/v1/proposals/"+p.ID+"/self-assessment", allCriteria(p, "")), http.StatusOK, nil)
	must(t, a.post("/api/v1/proposals/"+p.ID+"/submit", nil), http.StatusOK, &p)
	return p
}

func TestWholePath(t *testing.T) {
	pdfsig := testenv.RequireTool(t, "pdfsig", "poppler-utils")
	pdftotext := testenv.RequireTool(t, "pdftotext", "poppler-utils")
	d := startDev(t, t.TempDir())
	defer d.Stop()
	base := d.URL

	anon := &api{t: t, base: base}
	refused(t, "no token", anon.get("/api/v1/inbox"), http.StatusUnauthorized, "unauthenticated")
	refused(t, "wrong password", anon.post("/api/v1/login", map[string]string{"username": "hongdao", "password": "sai"}), http.StatusUnauthorized, "bad_credentials")
	refused(t, "unknown user", anon.post("/api/v1/login", map[string]string{"username": "nobody", "password": "x"}), http.StatusUnauthorized, "bad_credentials")
	if r := anon.get("/api/v1/openapi.yaml"); r.Status != http.StatusOK || !bytes.Contains(r.Body, []byte("openapi: 3.0.3")) {
		t.Fatalf("openapi: %d", r.Status)
	}

	staff := login(t, base, "hongdao")
	// An empty list is [], never null.
	if r := staff.get("/api/v1/inbox"); r.Status != http.StatusOK || !bytes.Contains(r.Body, []byte(`"items":[]`)) {
		t.Fatalf("empty inbox: %d %s", r.Status, r.Body)
	}
	staff2 := login(t, base, "quoccuong")
	other := login(t, base, "vanson") // staff of another department
	head := login(t, base, "tptt")
	otherHead := login(t, base, "tpllct")
	secretary := login(t, base, "thuky")
	chair := login(t, base, "truongban")

	// --- filing, with Idempotency-Key: a repeat returns the same proposal
	draft := award.Draft{AwardType: "LDTT", MovementID: "vanhoa-2025", Kind: award.KindIndividual,
		NomineeName: "Nguyễn Thị Hồng Đào", NomineePosition: "Chuyên viên", Achievements: "Hoàn thành xuất sắc nhiệm vụ; sáng kiến số hoá tư liệu"}
	var p, again workflows.ProposalView
	must(t, staff.post("/api/v1/proposals", draft, "Idempotency-Key", "tao-ho-so-1"), http.StatusCreated, &p)
	must(t, staff.post("/api/v1/proposals", draft, "Idempotency-Key", "tao-ho-so-1"), http.StatusCreated, &again)
	if again.ID != p.ID || p.Stage != award.StageDraft || p.Department != "tt" || len(p.Criteria) == 0 {
		t.Fatalf("create: %+v / repeat %s", p.Proposal, again.ID)
	}

	// --- bad input: right status, message, nothing changed
	refused(t, "malformed JSON", staff.do(http.MethodPost, "/api/v1/proposals", strings.NewReader("{"), "Content-Type", "application/json"), http.StatusBadRequest, "malformed")
	refused(t, "unknown field", staff.do(http.MethodPost, "/api/v1/proposals", strings.NewReader(`{"award_type":"LDTT","bogus":1}`)), http.StatusBadRequest, "malformed")
	bad := draft
	bad.AwardType = "NOPE"
	refused(t, "unknown award type", staff.post("/api/v1/proposals", bad), http.StatusUnprocessableEntity, "invalid")
	bad = draft
	bad.Kind = award.KindCollective
	refused(t, "kind mismatch", staff.post("/api/v1/proposals", bad), http.StatusUnprocessableEntity, "invalid")
	bad = draft
	bad.Department = "llct"
	refused(t, "other department", staff.post("/api/v1/proposals", bad), http.StatusForbidden, "forbidden")
	refused(t, "unknown id", staff.get("/api/v1/proposals/proposal-00000000000000000000000000000000"), http.StatusNotFound, "not_found")
	refused(t, "odd id", staff.get("/api/v1/proposals/..%2Fetc"), http.StatusNotFound, "not_found")
	refused(t, "submit before self-assessment", staff.post("/api/v1/proposals/"+p.ID+"/submit", nil), http.StatusUnprocessableEntity, "invalid")
	refused(t, "other staff reads", other.get("/api/v1/proposals/"+p.ID), http.StatusForbidden, "forbidden")

	// --- evidence: streamed, hashed, type-checked, size-capped
	evidence := fakePDF(3 << 20)
	var up struct {
		Evidence award.Evidence `json:"evidence"`
	}
	must(t, staff.do(http.MethodPost, "/api/v1/proposals/"+p.ID+"/evidence?filename=S%C3%A1ng%20ki%E1%BA%BFn.pdf", bytes.NewReader(evidence)), http.StatusCreated, &up)
	if up.Evidence.Size != int64(len(evidence)) || up.Evidence.ContentType != "application/pdf" || up.Evidence.Name != "Sáng kiến.pdf" || len(up.Evidence.SHA256) != 64 {
		t.Fatalf("evidence %+v", up.Evidence)
	}
	refused(t, "html evidence", staff.do(http.MethodPost, "/api/v1/proposals/"+p.ID+"/evidence?filename=x.pdf", strings.NewReader("<!DOCTYPE html><html><body>x</body></html>")), http.StatusUnsupportedMediaType, "unsupported_type")
	refused(t, "empty evidence", staff.do(http.MethodPost, "/api/v1/proposals/"+p.ID+"/evidence", http.NoBody), http.StatusBadRequest, "malformed")
	big := io.MultiReader(bytes.NewReader(fakePDF(1<<20)), io.LimitReader(rand.Reader, 26<<20))
	refused(t, "oversized evidence (unknown length)", staff.do(http.MethodPost, "/api/v1/proposals/"+p.ID+"/evidence", big), http.StatusRequestEntityTooLarge, "too_large")
	refused(t, "evidence by the head", head.do(http.MethodPost, "/api/v1/proposals/"+p.ID+"/evidence", bytes.NewReader(evidence)), http.StatusForbidden, "forbidden")
	must(t, staff.get("/api/v1/proposals/"+p.ID), http.StatusOK, &p)
	if len(p.Evidence) != 1 {
		t.Fatalf("refused uploads changed the proposal: %+v", p.Evidence)
	}
	dl := head.get("/api/v1/proposals/" + p.ID + "/evidence/" + up.Evidence.SHA256)
	if dl.Status != http.StatusOK || !bytes.Equal(dl.Body, evidence) {
		t.Fatalf("download by head: %d, %d bytes", dl.Status, len(dl.Body))
	}
	refused(t, "download by other staff", other.get("/api/v1/proposals/"+p.ID+"/evidence/"+up.Evidence.SHA256), http.StatusForbidden, "forbidden")

	// --- self-assessment and submission
	refused(t, "partial self-assessment", staff.put("/api/v1/proposals/"+p.ID+"/self-assessment", map[string]any{"answers": []award.CriterionAnswer{{CriterionID: p.Criteria[0].ID, Met: true}}}), http.StatusUnprocessableEntity, "invalid")
	must(t, staff.put("/api/v1/proposals/"+p.ID+"/self-assessment", allCriteria(p, up.Evidence.SHA256)), http.StatusOK, &p)
	refused(t, "endorse a draft", head.post("/api/v1/proposals/"+p.ID+"/endorse", nil), http.StatusConflict, "wrong_stage")
	must(t, staff.post("/api/v1/proposals/"+p.ID+"/submit", nil), http.StatusOK, &p)
	if p.Stage != award.StageSubmitted {
		t.Fatalf("stage %s", p.Stage)
	}

	// --- the head's inbox (visibility lags: poll)
	eventually(t, "proposal in the head's inbox", 30*time.Second, func() bool {
		var in struct{ Items []struct{ ID string } }
		head.get("/api/v1/inbox").json(t, &in)
		return slices.ContainsFunc(in.Items, func(it struct{ ID string }) bool { return it.ID == p.ID })
	})

	// --- department review: wrong role, wrong department, return, resubmit, endorse
	refused(t, "staff endorses", staff.post("/api/v1/proposals/"+p.ID+"/endorse", nil), http.StatusForbidden, "forbidden")
	refused(t, "other head endorses", otherHead.post("/api/v1/proposals/"+p.ID+"/endorse", nil), http.StatusForbidden, "forbidden")
	refused(t, "return without comment", head.post("/api/v1/proposals/"+p.ID+"/return", map[string]string{"comment": ""}), http.StatusUnprocessableEntity, "invalid")
	must(t, head.post("/api/v1/proposals/"+p.ID+"/return", map[string]string{"comment": "Bổ sung số liệu sáng kiến"}), http.StatusOK, &p)
	revised := draft
	revised.Achievements += "; sáng kiến được Hội đồng sáng kiến công nhận"
	must(t, staff.put("/api/v1/proposals/"+p.ID, revised), http.StatusOK, &p)
	must(t, staff.post("/api/v1/proposals/"+p.ID+"/submit", nil), http.StatusOK, &p)
	must(t, head.post("/api/v1/proposals/"+p.ID+"/endorse", map[string]string{"comment": "Đồng ý đề nghị"}, "Idempotency-Key", "endorse-1"), http.StatusOK, &p)
	// the same request again returns the first result; a new endorsement is refused
	must(t, head.post("/api/v1/proposals/"+p.ID+"/endorse", map[string]string{"comment": "Đồng ý đề nghị"}, "Idempotency-Key", "endorse-1"), http.StatusOK, nil)
	refused(t, "endorse twice", head.post("/api/v1/proposals/"+p.ID+"/endorse", nil), http.StatusConflict, "wrong_stage")
	if p.Stage != award.StageEndorsed {
		t.Fatalf("stage %s", p.Stage)
	}

	// staff list the proposals they filed, whatever their stage; others' are not listed
	eventually(t, "own proposals listed", 30*time.Second, func() bool {
		var mine struct {
			Items []struct{ ID, Stage, Title string }
		}
		staff.get("/api/v1/proposals").json(t, &mine)
		return slices.ContainsFunc(mine.Items, func(it struct{ ID, Stage, Title string }) bool {
			return it.ID == p.ID && it.Stage == "endorsed" && it.Title == "Nguyễn Thị Hồng Đào"
		})
	})
	var theirs struct{ Items []struct{ ID string } }
	other.get("/api/v1/proposals").json(t, &theirs)
	if slices.ContainsFunc(theirs.Items, func(it struct{ ID string }) bool { return it.ID == p.ID }) {
		t.Fatal("another staff member lists this proposal")
	}

	// a second proposal that the council will turn down
	p2 := fileProposal(t, staff2, "Lê Quốc Cường")
	must(t, head.post("/api/v1/proposals/"+p2.ID+"/endorse", nil), http.StatusOK, &p2)
	// a collective award above the agency's authority: proposed upward with a tờ trình
	var p3 workflows.ProposalView
	must(t, staff.post("/api/v1/proposals", award.Draft{AwardType: "TTLDXS", MovementID: "vanhoa-2025", Kind: award.KindCollective,
		NomineeName: "Phòng Tuyên truyền - Báo chí", Achievements: "100% văn bản điện tử"}), http.StatusCreated, &p3)
	must(t, staff.put("/api/v1/proposals/"+p3.ID+"/self-assessment", allCriteria(p3, "")), http.StatusOK, nil)
	must(t, staff.post("/api/v1/proposals/"+p3.ID+"/submit", nil), http.StatusOK, nil)
	must(t, head.post("/api/v1/proposals/"+p3.ID+"/endorse", nil), http.StatusOK, &p3)

	eventually(t, "proposal in the secretary's inbox", 30*time.Second, func() bool {
		var in struct{ Items []struct{ ID string } }
		secretary.get("/api/v1/inbox").json(t, &in)
		return len(in.Items) >= 3
	})

	// --- council session
	refused(t, "staff opens a session", staff.post("/api/v1/sessions", map[string]any{"title": "x"}), http.StatusForbidden, "forbidden")
	refused(t, "session without title", secretary.post("/api/v1/sessions", map[string]any{"title": " "}), http.StatusUnprocessableEntity, "invalid")
	var s workflows.SessionView
	must(t, secretary.post("/api/v1/sessions", map[string]any{"title": "Phiên họp xét khen thưởng năm 2025", "proposal_ids": []string{p.ID, p2.ID, p3.ID}}, "Idempotency-Key", "phien-1"), http.StatusCreated, &s)
	if len(s.Agenda) != 3 || s.Status != award.SessionOpen || s.Counts != nil {
		t.Fatalf("session %+v", s.Session)
	}
	voters := map[string]string{"truongban": "yes", "phoban": "yes", "chanhvp": "yes", "tptt": "yes", "tpllct": "no", "thuky": "yes"}
	refused(t, "ballot that misses a proposal", login(t, base, "tptt").post("/api/v1/sessions/"+s.ID+"/ballot", map[string]any{"marks": map[string]string{p.ID: "yes"}}), http.StatusUnprocessableEntity, "invalid")
	refused(t, "ballot with a bad choice", login(t, base, "tptt").post("/api/v1/sessions/"+s.ID+"/ballot", map[string]any{"marks": map[string]string{p.ID: "yes", p2.ID: "maybe", p3.ID: "no"}}), http.StatusUnprocessableEntity, "invalid")
	for user, first := range voters {
		v := login(t, base, user)
		marks := map[string]string{p.ID: first, p2.ID: "no", p3.ID: "yes"}
		must(t, v.post("/api/v1/sessions/"+s.ID+"/ballot", map[string]any{"marks": marks}), http.StatusOK, nil)
		if user == "phoban" {
			refused(t, "second ballot", v.post("/api/v1/sessions/"+s.ID+"/ballot", map[string]any{"marks": marks}), http.StatusConflict, "duplicate")
			raw := v.get("/api/v1/sessions/" + s.ID)
			must(t, raw, http.StatusOK, &s)
			if s.Counts != nil || bytes.Contains(raw.Body, []byte("sealed")) {
				t.Fatalf("counts or ballots visible while voting is open: %s", raw.Body)
			}
		}
	}
	refused(t, "staff votes", staff.post("/api/v1/sessions/"+s.ID+"/ballot", map[string]any{"marks": map[string]string{p.ID: "yes", p2.ID: "yes", p3.ID: "yes"}}), http.StatusForbidden, "forbidden")
	refused(t, "member closes", head.post("/api/v1/sessions/"+s.ID+"/close", nil), http.StatusForbidden, "forbidden")
	must(t, chair.post("/api/v1/sessions/"+s.ID+"/close", nil), http.StatusOK, &s)
	if s.Status != award.SessionClosed || s.Counts != nil {
		t.Fatalf("closed session %+v", s.Session)
	}
	issueByLifecycle(t, base, d.CAFile, &s, p.ID, p3.ID)
	eventually(t, "documents issued", 2*time.Minute, func() bool {
		must(t, secretary.get("/api/v1/sessions/"+s.ID), http.StatusOK, &s)
		return s.Status == award.SessionDone
	})
	if !s.Results[p.ID].Passed || s.Results[p2.ID].Passed || !s.Results[p3.ID].Passed || s.Invalid != 0 {
		t.Fatalf("results %+v (invalid %d)", s.Results, s.Invalid)
	}
	if c := s.Counts[p.ID]; c.Yes != 5 || c.No != 1 {
		t.Fatalf("counts %+v", s.Counts)
	}
	eventually(t, "the session listed", 30*time.Second, func() bool {
		var list struct {
			Items []struct{ ID, Title, Stage string }
		}
		secretary.get("/api/v1/sessions").json(t, &list)
		return slices.ContainsFunc(list.Items, func(it struct{ ID, Title, Stage string }) bool {
			return it.ID == s.ID && it.Title == "Phiên họp xét khen thưởng năm 2025" && it.Stage == "done"
		})
	})
	refused(t, "staff lists sessions", staff.get("/api/v1/sessions"), http.StatusForbidden, "forbidden")
	if len(s.Decisions) != 1 || s.Minutes == nil || len(s.Submissions) != 1 {
		t.Fatalf("documents %+v %+v %+v", s.Decisions, s.Submissions, s.Minutes)
	}
	sub := s.Submissions[0]
	if sub.NumberText != "Số 01-TTr/BTGTU" || !slices.Equal(sub.Awardees, []string{p3.ID}) {
		t.Fatalf("submission %+v", sub)
	}
	must(t, staff.get("/api/v1/proposals/"+p3.ID), http.StatusOK, &p3)
	if p3.Stage != award.StageProposedUpward || p3.Outcome == nil || !p3.Outcome.Upward || p3.Outcome.DecisionID != sub.ID {
		t.Fatalf("collective proposal %+v", p3.Proposal)
	}
	subPDF := staff.get("/api/v1/decisions/" + sub.ID + "/pdf")
	if subPDF.Status != http.StatusOK {
		t.Fatalf("submission pdf: %d", subPDF.Status)
	}
	checkSignedDocument(t, subPDF.Body, d.CAFile, 2)
	checkSigners(t, subPDF.Body, d.CAFile, "Nguyễn Văn Hùng", d.Org.Agency.FullName)
	subFile := filepath.Join(t.TempDir(), "ttr.pdf")
	_ = os.WriteFile(subFile, subPDF.Body, 0o600)
	if keep := os.Getenv("AWARDFLOW_KEEP_PDF"); keep != "" {
		_ = os.WriteFile(filepath.Join(keep, "submission.pdf"), subPDF.Body, 0o644)
	}
	subText, _ := exec.Command(pdftotext, "-layout", subFile, "-").Output()
	for _, want := range []string{"TỜ TRÌNH", "Phòng Tuyên truyền - Báo chí", "Số 01-TTr/BTGTU", "Tập thể lao động xuất sắc"} {
		if !strings.Contains(string(subText), want) {
			t.Errorf("submission lacks %q:\n%s", want, subText)
		}
	}
	// The council's own tờ trình to the head: numbered in the council's register, signed
	// by the chair for the council and sealed.
	if s.CouncilSubmission == nil || s.CouncilSubmission.NumberText != "Số 01-TTr/HĐTĐKT" {
		t.Fatalf("council submission %+v", s.CouncilSubmission)
	}
	cs := secretary.get("/api/v1/sessions/" + s.ID + "/council-submission.pdf")
	if cs.Status != http.StatusOK {
		t.Fatalf("council submission pdf: %d", cs.Status)
	}
	checkSignedDocument(t, cs.Body, d.CAFile, 2)
	checkSigners(t, cs.Body, d.CAFile, "Nguyễn Văn Hùng", d.Org.Agency.FullName)
	csFile := filepath.Join(t.TempDir(), "ttr-hd.pdf")
	_ = os.WriteFile(csFile, cs.Body, 0o600)
	csText, _ := exec.Command(pdftotext, "-layout", csFile, "-").Output()
	for _, want := range []string{"TỜ TRÌNH", "HỘI ĐỒNG", "CHỦ TỊCH", "Nguyễn Văn Hùng", "Nguyễn Thị Hồng Đào", "Phòng Tuyên truyền - Báo chí"} {
		if !strings.Contains(string(csText), want) {
			t.Errorf("the council's tờ trình lacks %q:\n%s", want, csText)
		}
	}
	refused(t, "staff reads the council's tờ trình", staff.get("/api/v1/sessions/"+s.ID+"/council-submission.pdf"), http.StatusForbidden, "forbidden")
	dec := s.Decisions[0]
	if dec.NumberText != "Số 01-QĐ/BTGTU" || !slices.Equal(dec.Awardees, []string{p.ID}) {
		t.Fatalf("decision %+v", dec)
	}

	// --- outcomes on the proposals
	must(t, staff.get("/api/v1/proposals/"+p.ID), http.StatusOK, &p)
	if p.Stage != award.StageAwarded || p.Outcome == nil || p.Outcome.DecisionID != dec.ID || p.Outcome.Yes != 5 || p.Outcome.No != 1 {
		t.Fatalf("awarded proposal %+v", p.Proposal)
	}
	must(t, staff2.get("/api/v1/proposals/"+p2.ID), http.StatusOK, &p2)
	if p2.Stage != award.StageNotAwarded {
		t.Fatalf("p2 stage %s", p2.Stage)
	}
	if n := len(p.History); n < 8 {
		t.Fatalf("history too short: %+v", p.History)
	}

	// --- the signed decision
	r := staff.get("/api/v1/decisions/" + dec.ID + "/pdf")
	if r.Status != http.StatusOK || r.Header.Get("Content-Type") != "application/pdf" {
		t.Fatalf("decision pdf: %d %s", r.Status, r.Header.Get("Content-Type"))
	}
	dir := t.TempDir()
	decFile := filepath.Join(dir, "decision.pdf")
	if err := os.WriteFile(decFile, r.Body, 0o600); err != nil {
		t.Fatal(err)
	}
	if keep := os.Getenv("AWARDFLOW_KEEP_PDF"); keep != "" {
		_ = os.WriteFile(filepath.Join(keep, "decision.pdf"), r.Body, 0o644)
	}
	out, _ := exec.Command(pdfsig, decFile).CombinedOutput()
	if !strings.Contains(string(out), "Signature is Valid.") || strings.Contains(string(out), "Digest Mismatch") {
		t.Fatalf("pdfsig:\n%s", out)
	}
	// the signer, then the agency seal; both trusted once the dev CA is imported
	checkSignedDocument(t, r.Body, d.CAFile, 2)
	checkSigners(t, r.Body, d.CAFile, "Nguyễn Văn Hùng", d.Org.Agency.FullName)
	txt, err := exec.Command(pdftotext, "-layout", decFile, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Nguyễn Thị Hồng Đào", "QUYẾT ĐỊNH", "Số 01-QĐ/BTGTU", "Lao động tiên tiến"} {
		if !strings.Contains(string(txt), want) {
			t.Errorf("decision text lacks %q:\n%s", want, txt)
		}
	}
	if strings.Contains(string(txt), "Lê Quốc Cường") {
		t.Errorf("the decision lists a proposal the council turned down")
	}
	refused(t, "unknown decision", staff.get("/api/v1/decisions/"+s.ID+".NOPE/pdf"), http.StatusNotFound, "not_found")

	// --- the signed minutes
	r = secretary.get("/api/v1/sessions/" + s.ID + "/minutes.pdf")
	if r.Status != http.StatusOK {
		t.Fatalf("minutes: %d %s", r.Status, r.Body)
	}
	minFile := filepath.Join(dir, "minutes.pdf")
	_ = os.WriteFile(minFile, r.Body, 0o600)
	if keep := os.Getenv("AWARDFLOW_KEEP_PDF"); keep != "" {
		_ = os.WriteFile(filepath.Join(keep, "minutes.pdf"), r.Body, 0o644)
	}
	checkSignedDocument(t, r.Body, d.CAFile, 3) // chair, secretary, seal
	checkSigners(t, r.Body, d.CAFile, "Nguyễn Văn Hùng", "Huỳnh Thị Mỹ Linh", d.Org.Agency.FullName)
	minPDF := r.Body
	txt, _ = exec.Command(pdftotext, "-layout", minFile, "-").Output()
	for _, want := range []string{"Nguyễn Thị Hồng Đào", "Lê Quốc Cường", "Phòng Tuyên truyền - Báo chí"} {
		if !strings.Contains(string(txt), want) {
			t.Errorf("minutes lack %q:\n%s", want, txt)
		}
	}
	refused(t, "staff reads the session", staff.get("/api/v1/sessions/"+s.ID), http.StatusForbidden, "forbidden")
	refused(t, "act on a finished proposal", head.post("/api/v1/proposals/"+p.ID+"/endorse", nil), http.StatusConflict, "wrong_stage")

	// --- verification of a file handed in
	var rep struct {
		AllValid bool `json:"all_valid"`
		Issued   *struct {
			DocumentID string `json:"document_id"`
			Kind       string `json:"kind"`
		} `json:"issued"`
		Signatures []struct {
			Intact, Trusted bool
		} `json:"signatures"`
	}
	decPDF := staff.get("/api/v1/decisions/" + dec.ID + "/pdf").Body
	eventually(t, "the decision's hash in visibility", 30*time.Second, func() bool {
		must(t, staff.do(http.MethodPost, "/api/v1/verify", bytes.NewReader(decPDF)), http.StatusOK, &rep)
		return rep.Issued != nil
	})
	if !rep.AllValid || rep.Issued.DocumentID != dec.ID || rep.Issued.Kind != "decision" || len(rep.Signatures) != 2 {
		t.Fatalf("verify report %+v", rep)
	}
	tampered := bytes.Clone(decPDF)
	i := bytes.Index(tampered, []byte("stream\n"))
	tampered[i+20] ^= 1
	rep.Issued = nil
	must(t, staff.do(http.MethodPost, "/api/v1/verify", bytes.NewReader(tampered)), http.StatusOK, &rep)
	if rep.AllValid || rep.Issued != nil || rep.Signatures[0].Intact {
		t.Fatalf("tampered file verified: %+v", rep)
	}
	refused(t, "verify a non-PDF", staff.do(http.MethodPost, "/api/v1/verify", strings.NewReader("hello")), http.StatusUnsupportedMediaType, "unsupported_type")
	// An unsigned incremental update appended after the last signature (a new /Title)
	// leaves every signature intact and trusted, and the file is still not valid.
	checkAppendedEdit(t, staff, decPDF, d.CAFile, 2)
	checkAppendedEdit(t, staff, minPDF, d.CAFile, 3)

	// --- the session's documents as one ZIP with a manifest
	refused(t, "member exports", head.get("/api/v1/sessions/"+s.ID+"/export.zip"), http.StatusForbidden, "forbidden")
	z := secretary.get("/api/v1/sessions/" + s.ID + "/export.zip")
	if z.Status != http.StatusOK || z.Header.Get("Content-Type") != "application/zip" {
		t.Fatalf("export: %d %s", z.Status, z.Body)
	}
	latest := s.ClosedAt
	for _, at := range []time.Time{dec.IssuedAt, sub.IssuedAt} {
		if at.After(latest) {
			latest = at
		}
	}
	checkExport(t, z.Body, decPDF, d.CAFile, s.ClosedAt, map[string]time.Time{"quyet-dinh": dec.IssuedAt, "to-trinh-0": sub.IssuedAt, "manifest": latest})
	assertBallotsSealed(t, d, s.ID, []string{p.ID, p2.ID, p3.ID})
	// The histories of before the decision lifecycle and before the projection stay as
	// they were recorded (replayed as workflows still running on the old paths); these
	// are the current code's (ProposalWorkflowV3: the API writes the rows of its changes).
	recordHistories(t, d, map[string]string{"proposal-awarded-v3": p.ID, "proposal-upward-v3": p3.ID,
		"council-session-projected": s.ID,
		"decision-register-term":    workflows.RegisterWorkflowID("BTGTU", workflows.DocDecision, award.RegisterPeriod(d.Org.Agency.Profile, d.Org.Agency.TermStarts, s.ClosedAt, d.Org.Location()))})
	t.Logf("decision %s (%d bytes), minutes %s", dec.NumberText, len(r.Body), fmt.Sprint(s.Minutes.NumberText))
}
