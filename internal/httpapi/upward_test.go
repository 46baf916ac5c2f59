package httpapi

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/awardflow/awardflow/internal/orgconfig"
	"github.com/awardflow/awardflow/internal/store"
)

func sha64(c byte) string { return strings.Repeat(string(c), 64) }

// The văn thư records the province's answer to a submission; the person's award history
// then shows the award given above next to the agency's own decisions (a revoked one
// marked); only the văn thư and admins record; a second, different answer is refused.
func TestUpwardResultsAndHistory(t *testing.T) {
	e := newDirEnv(t)
	ctx := context.Background()
	at := time.Date(2026, 1, 10, 3, 0, 0, 0, time.UTC)
	doc := func(id, kind, award string, n int, sha byte, amount int64) store.Document {
		return store.Document{ID: id, SessionID: "session-x", Kind: kind, AwardType: award, RegisterSeries: "BTGTU/" + kind,
			RegisterPeriod: "2026", Number: n, NumberText: "Số 0" + string(rune('0'+n)), IssuedAt: at, SignerID: "truongban",
			SignerName: "Trưởng ban", Key: "documents/" + id + ".pdf", SHA256: sha64(sha), Size: 10,
			Awardees: []store.Awardee{{ProposalID: "proposal-" + id, PersonID: "hongdao", UnitID: "tt", NomineeName: "Nguyễn Thị Hồng Đào",
				Kind: store.NomineeIndividual, AwardType: award, Year: 2025, Amount: amount}}}
	}
	for _, d := range []store.Document{doc("d1", store.KindDecision, "LDTT", 1, 'a', 710000), doc("d2", store.KindDecision, "GK", 2, 'b', 710000),
		doc("s1", store.KindSubmission, "CSTDT", 1, 'c', 0)} {
		if err := e.st.RecordDocument(ctx, d); err != nil {
			t.Fatal(err)
		}
	}
	if err := e.st.Revoke(ctx, store.Revocation{DocumentID: "d2", Reason: "sai", At: at, By: "truongban"}); err != nil {
		t.Fatal(err)
	}
	clerk, _ := e.login(e.a, "vanthu", orgconfig.DemoPassword)
	staff, _ := e.login(e.a, "hongdao", orgconfig.DemoPassword)
	body := `{"body":"Ủy ban nhân dân tỉnh Đồng Tháp","number_text":"Số 1234/QĐ-UBND","date":"2026-03-05","results":[{"proposal_id":"proposal-s1","awarded":true}]}`
	wantStatus(t, e.do(e.a, "POST", "/api/v1/register/documents/s1/results", staff, body), http.StatusForbidden, "văn thư")
	wantStatus(t, e.do(e.a, "POST", "/api/v1/register/documents/d1/results", clerk,
		strings.Replace(body, "proposal-s1", "proposal-d1", 1)), http.StatusConflict, "")
	wantStatus(t, e.do(e.a, "POST", "/api/v1/register/documents/s1/results", clerk,
		strings.Replace(body, "proposal-s1", "proposal-khac", 1)), http.StatusNotFound, "")
	wantStatus(t, e.do(e.a, "POST", "/api/v1/register/documents/s1/results", clerk, strings.Replace(body, "2026-03-05", "2999-01-01", 1)),
		http.StatusUnprocessableEntity, "tương lai")
	wantStatus(t, e.do(e.a, "POST", "/api/v1/register/documents/s1/results", clerk, body), http.StatusOK, "")
	wantStatus(t, e.do(e.b, "POST", "/api/v1/register/documents/s1/results", clerk, body), http.StatusOK, "") // a repeat
	wantStatus(t, e.do(e.a, "POST", "/api/v1/register/documents/s1/results", clerk, strings.Replace(body, `"awarded":true`, `"awarded":false`, 1)),
		http.StatusConflict, "")

	rec := e.do(e.b, "GET", "/api/v1/directory/people/hongdao/awards", staff, "")
	wantStatus(t, rec, http.StatusOK, "")
	var h struct {
		SubjectLabel string `json:"subject_label"`
		Items        []historyOut
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &h); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h.SubjectLabel, "Nguyễn Thị Hồng Đào (") {
		t.Errorf("the history names %q", h.SubjectLabel)
	}
	var got []string
	for _, it := range h.Items {
		s := it.DocumentKind + ":" + it.AwardType
		if it.Revoked {
			s += ":revoked"
		}
		if it.Upward != nil && it.Upward.Awarded {
			s += ":awarded " + it.Upward.NumberText
		}
		got = append(got, s)
	}
	if strings.Join(got, ",") != "decision:LDTT,decision:GK:revoked,submission:CSTDT:awarded Số 1234/QĐ-UBND" {
		t.Fatalf("history %v", got)
	}
	// The award given above counts in the history eligibility reads.
	hist, err := e.st.AwardHistory(ctx, "individual", "hongdao")
	if err != nil || len(hist) != 2 {
		t.Fatalf("award history for eligibility %+v %v: want LĐTT and the CSTĐ given above", hist, err)
	}
	wantStatus(t, e.do(e.a, "GET", "/api/v1/directory/people/khongai/awards", staff, ""), http.StatusNotFound, "")
	rec = e.do(e.a, "GET", "/api/v1/directory/units/tt/awards", staff, "")
	if rec.Code != http.StatusOK || strings.Contains(rec.Body.String(), "hongdao") || !strings.Contains(rec.Body.String(), `"subject_label":"Phòng Tuyên truyền`) {
		t.Fatalf("the unit's own history lists an individual, or does not name the unit: %s", rec.Body)
	}
}
