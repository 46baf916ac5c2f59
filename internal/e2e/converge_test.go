package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"go.temporal.io/sdk/client"

	"github.com/awardflow/awardflow/internal/apispec"
	"github.com/awardflow/awardflow/internal/award"
	"github.com/awardflow/awardflow/internal/store"
	"github.com/awardflow/awardflow/workflows"
)

// burstClient makes requests that may fail (the server is killed under them): errors
// come back instead of failing the test; every answer is still checked against the spec.
type burstClient struct {
	t     *testing.T
	base  string
	token string
}

func (b *burstClient) do(method, path string, v any) (int, []byte, error) {
	var body []byte
	var r io.Reader = http.NoBody
	if v != nil {
		body, _ = json.Marshal(v)
		r = bytes.NewReader(body)
	}
	req, err := http.NewRequest(method, b.base+path, r)
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Authorization", "Bearer "+b.token)
	if v != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := (&http.Client{Timeout: time.Minute}).Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	if err != nil {
		return 0, nil, err
	}
	checkOpenAPI(b.t, apispec.Exchange{Method: method, URL: b.base + path, Header: req.Header, Body: body,
		Status: resp.StatusCode, ResponseHeader: resp.Header, ResponseBody: out})
	return resp.StatusCode, out, nil
}

// TestProjectionConvergesAfterKillNine drives a burst of stage changes on many proposals
// through a real `awardflow dev` and kills it (SIGKILL) in the middle. After a restart on
// the same data, without any further request, the records store's projection converges
// to Temporal's truth: for every proposal Temporal has, its row is the row of the
// workflow's last change, with the stage and assignees of its state, and the store has
// no row Temporal does not know. Then part of the projection is wiped and `awardflow
// reindex` (the binary) rebuilds it, row for row.
func TestProjectionConvergesAfterKillNine(t *testing.T) {
	bin := buildBinary(t)
	dir := t.TempDir()
	p := runDev(t, bin, dir)

	// Staff of three departments, each with the head who reviews them.
	type pair struct{ staff, head *burstClient }
	var pairs []pair
	for _, sh := range [][2]string{{"hongdao", "tptt"}, {"quoccuong", "tptt"}, {"vanson", "tpllct"}, {"kimngan", "chanhvp"}} {
		pairs = append(pairs, pair{
			staff: &burstClient{t: t, base: p.url, token: login(t, p.url, sh[0]).token},
			head:  &burstClient{t: t, base: p.url, token: login(t, p.url, sh[1]).token},
		})
	}
	const proposals = 24
	// Each nominee a person of the filing staff member's unit (nominees are records).
	units := []string{"tt", "tt", "llct", "vp"}
	for i := range proposals {
		addPeople(t, p.url, units[i%len(units)], fmt.Sprintf("Nguyễn Văn Thử %02d", i))
	}
	var done atomic.Int64 // successful changes
	killAt := int64(proposals * 6 / 2)
	killed := make(chan struct{})
	var killOnce sync.Once
	kill := func() {
		killOnce.Do(func() {
			_ = p.cmd.Process.Signal(syscall.SIGKILL)
			_, _ = p.cmd.Process.Wait()
			close(killed)
		})
	}
	// step performs one change; false once the server is gone.
	step := func(c *burstClient, method, path string, v any, out any) bool {
		select {
		case <-killed:
			return false
		default:
		}
		code, body, err := c.do(method, path, v)
		if err != nil {
			return false // killed under the request
		}
		if code != http.StatusOK && code != http.StatusCreated {
			select {
			case <-killed:
				return false
			default:
			}
			t.Errorf("%s %s: %d %s", method, path, code, body)
			return false
		}
		if out != nil {
			_ = json.Unmarshal(body, out)
		}
		if done.Add(1) == killAt {
			kill()
		}
		return true
	}
	var created atomic.Int64
	var wg sync.WaitGroup
	work := make(chan int)
	for range 6 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				pr := pairs[i%len(pairs)]
				var v workflows.ProposalView
				draft := award.Draft{AwardType: "LDTT", MovementID: "vanhoa-2025", Kind: award.KindIndividual,
					NomineeName: fmt.Sprintf("Nguyễn Văn Thử %02d", i), NomineePosition: "Chuyên viên", Achievements: "Hoàn thành tốt nhiệm vụ"}
				if !step(pr.staff, "POST", "/api/v1/proposals", draft, &v) {
					continue
				}
				created.Add(1)
				id := "/api/v1/proposals/" + v.ID
				_ = step(pr.staff, "PUT", id+"/self-assessment", allCriteria(v, ""), nil) &&
					step(pr.staff, "POST", id+"/submit", nil, nil) &&
					step(pr.head, "POST", id+"/return", map[string]string{"comment": "Bổ sung số liệu"}, nil) &&
					step(pr.staff, "POST", id+"/submit", nil, nil) &&
					step(pr.head, "POST", id+"/endorse", nil, nil)
			}
		}()
	}
	for i := range proposals {
		work <- i
	}
	close(work)
	wg.Wait()
	select {
	case <-killed:
	default:
		t.Fatalf("the burst ended (%d changes) before the kill at %d", done.Load(), killAt)
	}
	t.Logf("killed after %d changes; %d proposals filed", done.Load(), created.Load())

	// Restart on the same data; nothing else is asked of the service.
	p = runDev(t, bin, dir)
	c, err := client.Dial(client.Options{HostPort: p.temporal, Namespace: "default"})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	ctx := context.Background()
	st, err := store.Open(ctx, store.SQLiteDSN(filepath.Join(dir, "awardflow.db")))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ids := waitConverged(t, c, st)
	if int64(len(ids)) < created.Load() {
		t.Fatalf("Temporal has %d proposals, %d were filed", len(ids), created.Load())
	}
	known := map[string]bool{}
	for _, id := range ids {
		known[id] = true
	}
	rows := allRows(t, st)
	for _, r := range rows {
		if !known[r.WorkflowID] {
			t.Errorf("the store has a row for %s, which Temporal does not know", r.WorkflowID)
		}
	}
	if len(rows) != len(ids) {
		t.Errorf("%d rows for %d workflows", len(rows), len(ids))
	}
	// The own-row intents the kill interrupted (a change made, its row not written by
	// the request that died) are all settled by the sweeper of the new process.
	eventually(t, "the own-row intents to be settled", time.Minute, func() bool {
		left, err := st.DueOwnRows(ctx, time.Now().Add(time.Hour), 10)
		if err != nil {
			t.Fatal(err)
		}
		return len(left) == 0
	})

	// The reindex command rebuilds what is wiped, row for row, beside the running service.
	if _, err := st.DB().ExecContext(ctx, `DELETE FROM projection WHERE workflow_id IN (SELECT workflow_id FROM projection ORDER BY workflow_id LIMIT 10)`); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "reindex", "--temporal", p.temporal, "--db", store.SQLiteDSN(filepath.Join(dir, "awardflow.db"))).CombinedOutput()
	if err != nil || !strings.Contains(string(out), fmt.Sprintf("%d workflows: 10 rows written, %d already up to date", len(ids), len(ids)-10)) {
		t.Fatalf("awardflow reindex: %v\n%s", err, out)
	}
	if ok, why := converged(ctx, c, st, ids); !ok {
		t.Fatalf("after awardflow reindex: %s", why)
	}
}

// allRows reads every proposal row of the store.
func allRows(t *testing.T, st *store.Store) []store.Projection {
	t.Helper()
	var out []store.Projection
	after := ""
	for {
		res, err := st.ListProposals(context.Background(), store.Filter{Scope: award.ListScope{All: true}}, store.Sort{}, store.Page{After: after, Limit: store.MaxLimit})
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, res.Items...)
		if after = res.Next; after == "" {
			return out
		}
	}
}
