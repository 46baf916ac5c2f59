package e2e

import (
	"net/http"
	"testing"

	"github.com/awardflow/awardflow/internal/award"
	"github.com/awardflow/awardflow/workflows"
)

// BenchmarkFileAndSubmit is the load driver of the API: each operation files a proposal
// (Update-with-Start), records the self-assessment and submits it — three Temporal
// updates through the HTTP API, on the embedded Temporal (SQLite) and S3 of the dev stack.
//
//	go test -run XXX -bench FileAndSubmit -benchtime 200x ./internal/e2e
func BenchmarkFileAndSubmit(b *testing.B) {
	d := startDev(b, b.TempDir())
	defer d.Stop()
	staff := login(b, d.URL, "hongdao")
	var proto workflows.ProposalView
	if r := staff.post("/api/v1/proposals", award.Draft{AwardType: "LDTT", MovementID: "vanhoa-2025", Kind: award.KindIndividual, NomineeName: "Khởi động"}); r.Status != http.StatusCreated {
		b.Fatalf("warm-up: %d %s", r.Status, r.Body)
	} else {
		r.json(b, &proto)
	}
	answers := allCriteria(proto, "")
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			var p workflows.ProposalView
			r := staff.post("/api/v1/proposals", award.Draft{AwardType: "LDTT", MovementID: "vanhoa-2025", Kind: award.KindIndividual, NomineeName: "Nguyễn Thị Hồng Đào"})
			if r.Status != http.StatusCreated {
				b.Errorf("create: %d %s", r.Status, r.Body)
				return
			}
			r.json(b, &p)
			if r := staff.put("/api/v1/proposals/"+p.ID+"/self-assessment", answers); r.Status != http.StatusOK {
				b.Errorf("self-assessment: %d %s", r.Status, r.Body)
				return
			}
			if r := staff.post("/api/v1/proposals/"+p.ID+"/submit", nil); r.Status != http.StatusOK {
				b.Errorf("submit: %d %s", r.Status, r.Body)
				return
			}
		}
	})
}
