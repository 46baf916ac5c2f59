package e2e

import (
	"net/http"
	"slices"
	"testing"
	"time"

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

// BenchmarkStageChangeLatency measures one stage change at a time through the HTTP API —
// a submit (by the proposer), then an endorse (by the head) right after it or a while
// later — and reports the median and p95 of each. Filing, the self-assessment and the
// wait are outside the timer. It shows what the workflows' own work after a change (the
// projection's write, workflows/projection.go) adds to the answer a person waits for.
//
//	go test -run XXX -bench StageChangeLatency -benchtime 60x ./internal/e2e
func BenchmarkStageChangeLatency(b *testing.B) {
	for _, gap := range []time.Duration{0, time.Second} {
		b.Run("endorse-after="+gap.String(), func(b *testing.B) { benchStageChanges(b, gap) })
	}
}

func benchStageChanges(b *testing.B, gap time.Duration) {
	d := startDev(b, b.TempDir())
	defer d.Stop()
	staff := login(b, d.URL, "hongdao")
	head := login(b, d.URL, "tptt")
	draft := award.Draft{AwardType: "LDTT", MovementID: "vanhoa-2025", Kind: award.KindIndividual,
		NomineeName: "Nguyễn Thị Hồng Đào", NomineePosition: "Chuyên viên", Achievements: "Hoàn thành tốt nhiệm vụ"}
	var submit, endorse []time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		var p workflows.ProposalView
		if r := staff.post("/api/v1/proposals", draft); r.Status != http.StatusCreated {
			b.Fatalf("create: %d %s", r.Status, r.Body)
		} else {
			r.json(b, &p)
		}
		if r := staff.put("/api/v1/proposals/"+p.ID+"/self-assessment", allCriteria(p, "")); r.Status != http.StatusOK {
			b.Fatalf("self-assessment: %d %s", r.Status, r.Body)
		}
		b.StartTimer()
		t0 := time.Now()
		if r := staff.post("/api/v1/proposals/"+p.ID+"/submit", nil); r.Status != http.StatusOK {
			b.Fatalf("submit: %d %s", r.Status, r.Body)
		}
		submit = append(submit, time.Since(t0))
		if gap > 0 {
			b.StopTimer()
			time.Sleep(gap)
			b.StartTimer()
		}
		t1 := time.Now()
		if r := head.post("/api/v1/proposals/"+p.ID+"/endorse", nil); r.Status != http.StatusOK {
			b.Fatalf("endorse: %d %s", r.Status, r.Body)
		}
		endorse = append(endorse, time.Since(t1))
	}
	b.StopTimer()
	for name, ds := range map[string][]time.Duration{"submit": submit, "endorse": endorse} {
		slices.Sort(ds)
		b.ReportMetric(float64(ds[len(ds)/2].Microseconds())/1000, name+"-p50-ms")
		b.ReportMetric(float64(ds[(len(ds)*95)/100].Microseconds())/1000, name+"-p95-ms")
	}
}
