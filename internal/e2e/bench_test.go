package e2e

import (
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/awardflow/awardflow/workflows"
)

// BenchmarkStageChangeLatency measures one stage change at a time through the HTTP API —
// a submit (by the proposer), then an endorse (by the head) right after it or a while
// later — and reports the median and p95 of each. Filing, the self-assessment and the
// wait are outside the timer. It shows what the workflows' own work after a change (the
// projection's write, workflows/projection.go) adds to the answer a person waits for.
//
//	go test -run XXX -bench StageChangeLatency -benchtime 60x ./internal/e2e
func BenchmarkStageChangeLatency(b *testing.B) {
	rs := startRatioStack(b) // one stack for both (its start logs before any result line)
	for _, gap := range []time.Duration{0, time.Second} {
		b.Run("endorse-after="+gap.String(), func(b *testing.B) { benchStageChanges(b, rs, gap) })
	}
}

func benchStageChanges(b *testing.B, rs *ratioStack, gap time.Duration) {
	staff := rs.staff
	head := login(b, rs.d.URL, "tptt")
	rs.ensureNominees(b, b.N)
	var submit, endorse []time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		var p workflows.ProposalView
		if r := staff.post("/api/v1/proposals", benchDraft(rs.seq.Add(1))); r.Status != http.StatusCreated {
			b.Fatalf("create: %d %s", r.Status, r.Body)
		} else {
			r.json(b, &p)
		}
		if r := staff.put("/api/v1/proposals/"+p.ID+"/self-assessment", allCriteria(rs.proto, "")); r.Status != http.StatusOK {
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
