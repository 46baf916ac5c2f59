package e2e

import (
	"bytes"
	"context"
	"net/http"
	"testing"

	commonpb "go.temporal.io/api/common/v1"
	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/client"

	"github.com/awardflow/awardflow/workflows"
)

// TestFilingVisibilityWrites (issue 12, item 2): a proposal filed, assessed, submitted and
// endorsed through the API runs as ProposalWorkflowV2 and writes to Temporal's visibility
// store only what changes — no version markers (each would upsert TemporalChangeVersion),
// no upsert that repeats the attributes Update-with-Start set or an earlier upsert wrote,
// none for a step that changes no attribute (the self-assessment): one per stage change.
func TestFilingVisibilityWrites(t *testing.T) {
	d := startDev(t, t.TempDir())
	staff, head := login(t, d.URL, "hongdao"), login(t, d.URL, "tptt")
	p := fileProposal(t, staff, "Nguyễn Thị Hồng Đào") // create, self-assessment, submit
	must(t, head.post("/api/v1/proposals/"+p.ID+"/endorse", nil), http.StatusOK, nil)

	c, err := client.Dial(client.Options{HostPort: d.Temporal, Namespace: "default"})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	it := c.GetWorkflowHistory(context.Background(), p.ID, "", false, enumspb.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
	state := map[string]*commonpb.Payload{}
	upserts, markers := 0, 0
	for it.HasNext() {
		ev, err := it.Next()
		if err != nil {
			t.Fatal(err)
		}
		if st := ev.GetWorkflowExecutionStartedEventAttributes(); st != nil {
			if got := st.GetWorkflowType().GetName(); got != workflows.ProposalWorkflowName {
				t.Fatalf("a new proposal runs as %q, want %q", got, workflows.ProposalWorkflowName)
			}
			for k, v := range st.GetSearchAttributes().GetIndexedFields() {
				state[k] = v
			}
		}
		if ev.GetMarkerRecordedEventAttributes() != nil {
			markers++
		}
		if up := ev.GetUpsertWorkflowSearchAttributesEventAttributes(); up != nil {
			upserts++
			changed := false
			for k, v := range up.GetSearchAttributes().GetIndexedFields() {
				if old, ok := state[k]; !ok || !bytes.Equal(old.GetData(), v.GetData()) {
					changed = true
				}
				state[k] = v
			}
			if !changed {
				t.Errorf("event %d upserts %v: nothing the workflow did not already carry", ev.GetEventId(), up.GetSearchAttributes().GetIndexedFields())
			}
		}
	}
	if markers != 0 {
		t.Errorf("%d version markers in a new proposal's history (each upserts TemporalChangeVersion)", markers)
	}
	if upserts != 2 {
		t.Errorf("%d search attribute upserts for filing, assessing, submitting and endorsing; want 2 (submitted, endorsed)", upserts)
	}
}
