package e2e

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	enumspb "go.temporal.io/api/enums/v1"
	historypb "go.temporal.io/api/history/v1"
	"go.temporal.io/sdk/client"
	"google.golang.org/protobuf/encoding/protojson"

	"github.com/awardflow/awardflow/internal/devapp"
)

// recordHistories writes the histories of the given workflows as JSON into
// $AWARDFLOW_RECORD_HISTORY, for workflows/testdata: the replay test there runs them
// against the current workflow code, so a change that would break running proposals
// fails CI. Nothing happens when the variable is unset.
func recordHistories(t *testing.T, d *devapp.Dev, ids map[string]string) {
	t.Helper()
	dir := os.Getenv("AWARDFLOW_RECORD_HISTORY")
	if dir == "" {
		return
	}
	c, err := client.Dial(client.Options{HostPort: d.Temporal, Namespace: "default"})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	for name, id := range ids {
		it := c.GetWorkflowHistory(context.Background(), id, "", false, enumspb.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
		h := &historypb.History{}
		for it.HasNext() {
			ev, err := it.Next()
			if err != nil {
				t.Fatal(err)
			}
			h.Events = append(h.Events, ev)
		}
		b, err := protojson.MarshalOptions{Indent: "  "}.Marshal(h)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name+".json"), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// assertBallotsSealed reads the session's history as Temporal stores it and checks that
// no vote carries readable choices: each ballot update holds the member and a sealed
// ballot, and nothing in the history names a choice next to a proposal id.
func assertBallotsSealed(t *testing.T, d *devapp.Dev, sessionID string, proposalIDs []string) {
	t.Helper()
	c, err := client.Dial(client.Options{HostPort: d.Temporal, Namespace: "default"})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	it := c.GetWorkflowHistory(context.Background(), sessionID, "", false, enumspb.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
	votes := 0
	for it.HasNext() {
		ev, err := it.Next()
		if err != nil {
			t.Fatal(err)
		}
		if acc := ev.GetWorkflowExecutionUpdateAcceptedEventAttributes(); acc != nil && acc.GetAcceptedRequest().GetInput().GetName() == "vote" {
			votes++
			for _, p := range acc.GetAcceptedRequest().GetInput().GetArgs().GetPayloads() {
				data := string(p.GetData())
				if !strings.Contains(data, `"sealed"`) || strings.Contains(data, `"marks"`) {
					t.Fatalf("a ballot in the history is not sealed: %s", data)
				}
				for _, id := range proposalIDs {
					if strings.Contains(data, id) {
						t.Fatalf("a ballot in the history names proposal %s: %s", id, data)
					}
				}
			}
		}
	}
	if votes == 0 {
		t.Fatal("no vote found in the session's history")
	}
}
