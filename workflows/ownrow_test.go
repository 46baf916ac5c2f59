package workflows

import (
	"context"
	"slices"
	"testing"
	"time"

	commonpb "go.temporal.io/api/common/v1"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/workflow"

	"github.com/awardflow/awardflow/internal/award"
)

// mapHeader is a workflow.HeaderWriter over a header.
type mapHeader struct{ h *commonpb.Header }

func (m mapHeader) Set(k string, p *commonpb.Payload) { m.h.Fields[k] = p }

// ownRowHeader is the header the API's client sends with a mark whose deadline is d.
func ownRowHeader(t *testing.T, d time.Time) *commonpb.Header {
	t.Helper()
	h := &commonpb.Header{Fields: map[string]*commonpb.Payload{}}
	if err := (OwnRowPropagator{}).Inject(WithOwnRow(context.Background(), d), mapHeader{h}); err != nil {
		t.Fatal(err)
	}
	if _, ok := h.Fields[headerOwnRow]; !ok {
		t.Fatal("Inject wrote no mark")
	}
	return h
}

// A filing whose Update-with-Start carries the caller's mark leaves its first row to the
// caller in a ProposalWorkflowV3 only, and only while the deadline is more than the
// margin away; the changes that follow without a mark (here every update: the test
// environment sends none) are written by the workflow, Seq after Seq.
func TestOwnRowMarkDecidesWhoWritesTheFilingRow(t *testing.T) {
	start := time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		name     string
		wf       func(workflow.Context, ProposalInput) (ProposalView, error)
		header   *commonpb.Header // nil: no mark
		wantSeqs []int64
	}{
		{"V3, a mark an hour away: the caller writes the filing", ProposalWorkflowV3, ownRowHeader(t, start.Add(time.Hour)), []int64{2, 3}},
		{"V3, a mark just past the margin: the caller writes it", ProposalWorkflowV3, ownRowHeader(t, start.Add(ownRowMargin+time.Second)), []int64{2, 3}},
		{"V3, a mark inside the margin: the workflow writes it", ProposalWorkflowV3, ownRowHeader(t, start.Add(ownRowMargin-time.Second)), []int64{1, 2, 3}},
		{"V3, a mark already past: the workflow writes it", ProposalWorkflowV3, ownRowHeader(t, start.Add(-time.Minute)), []int64{1, 2, 3}},
		{"V3, no mark", ProposalWorkflowV3, nil, []int64{1, 2, 3}},
		{"V2 ignores the mark", ProposalWorkflowV2, ownRowHeader(t, start.Add(time.Hour)), []int64{1, 2, 3}},
	} {
		t.Run(c.name, func(t *testing.T) {
			env := newEnv()
			env.SetContextPropagators([]workflow.ContextPropagator{OwnRowPropagator{}})
			env.SetStartWorkflowOptions(client.StartWorkflowOptions{ID: "p-1"})
			env.SetStartTime(start)
			if c.header != nil {
				env.SetHeader(c.header)
			}
			var log rowLog
			log.watch(env)
			in := proposalInput()
			in.Criteria = nil
			runSteps(t, env, []step{
				{"submit", UpdateSubmit, ActorInput{staff}, ""},                                        // Seq 2
				{"reject", UpdateReview, ReviewInput{head, award.HeadReject, "Chưa đủ điều kiện"}, ""}, // Seq 3, final
			})
			var first ProjectionState
			env.RegisterDelayedCallback(func() { first = queryProjection(t, env) }, 30*time.Second)
			env.ExecuteWorkflow(c.wf, in)
			if err := env.GetWorkflowError(); err != nil {
				t.Fatal(err)
			}
			if got := seqsOf(log.rows()); !slices.Equal(got, c.wantSeqs) {
				t.Fatalf("rows written by the workflow: seqs %v, want %v", got, c.wantSeqs)
			}
			// Whoever writes it, the row of the filing is what the query answers (what
			// the caller's view carries and what the sweeper writes).
			if first.Row == nil || first.Row.Seq != 1 || first.Row.Stage != string(award.StageDraft) || !first.Projecting {
				t.Fatalf("the filing's row by query: %+v", first)
			}
		})
	}
}

// The propagator: a mark survives Inject → header → ExtractToWorkflow; a header without
// it, or with a damaged one, clears a mark inherited from the root context (an update's
// context derives from the root's, which carries the filing's mark).
func TestOwnRowPropagatorRoundTrip(t *testing.T) {
	d := time.Date(2026, 5, 6, 7, 8, 9, 0, time.UTC)
	h := ownRowHeader(t, d)
	var got, cleared, damaged any
	env := newEnv()
	env.RegisterWorkflowWithOptions(func(ctx workflow.Context) error {
		prop := OwnRowPropagator{}
		c1, err := prop.ExtractToWorkflow(ctx, readerOf(h))
		if err != nil {
			return err
		}
		got = c1.Value(ownRowKey{})
		c2, err := prop.ExtractToWorkflow(c1, readerOf(&commonpb.Header{Fields: map[string]*commonpb.Payload{}}))
		if err != nil {
			return err
		}
		cleared = c2.Value(ownRowKey{})
		bad := &commonpb.Header{Fields: map[string]*commonpb.Payload{headerOwnRow: {Data: []byte("not json")}}}
		c3, err := prop.ExtractToWorkflow(c1, readerOf(bad))
		if err != nil {
			return err
		}
		damaged = c3.Value(ownRowKey{})
		return nil
	}, workflow.RegisterOptions{Name: "roundtrip"})
	env.ExecuteWorkflow("roundtrip")
	if err := env.GetWorkflowError(); err != nil {
		t.Fatal(err)
	}
	if got != d.UnixMilli() {
		t.Errorf("mark after the round trip %v, want %d", got, d.UnixMilli())
	}
	if cleared != nil || damaged != nil {
		t.Errorf("a header without the mark left %v, a damaged one %v: want none", cleared, damaged)
	}
	// No mark in the Go context: nothing in the header.
	empty := &commonpb.Header{Fields: map[string]*commonpb.Payload{}}
	if err := (OwnRowPropagator{}).Inject(context.Background(), mapHeader{empty}); err != nil || len(empty.Fields) != 0 {
		t.Errorf("Inject without a mark: %v, %v", empty.Fields, err)
	}
}

type headerReader struct{ h *commonpb.Header }

func readerOf(h *commonpb.Header) headerReader { return headerReader{h} }

func (r headerReader) Get(k string) (*commonpb.Payload, bool) { p, ok := r.h.Fields[k]; return p, ok }

func (r headerReader) ForEachKey(fn func(string, *commonpb.Payload) error) error {
	for k, p := range r.h.Fields {
		if err := fn(k, p); err != nil {
			return err
		}
	}
	return nil
}
