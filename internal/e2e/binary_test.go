package e2e

import (
	"bufio"
	"bytes"
	"context"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/awardflow/awardflow/internal/award"
	"github.com/awardflow/awardflow/internal/testenv"
	"github.com/awardflow/awardflow/workflows"
)

// buildBinary builds cmd/awardflow once for the tests that run it as a newcomer would.
func buildBinary(t *testing.T) string {
	t.Helper()
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		t.Fatalf("go env GOMOD: %v", err)
	}
	root := filepath.Dir(strings.TrimSpace(string(out)))
	bin := filepath.Join(t.TempDir(), "awardflow")
	cmd := exec.Command("go", "build", "-o", bin, "./cmd/awardflow")
	cmd.Dir = root
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, b)
	}
	return bin
}

func freeAddr(t testing.TB) string {
	t.Helper()
	// The kernel may hand a port just closed out again: a port given to one process of
	// a test is never given to another (two processes started together would race for
	// it: TestProductionTopology once saw a server take its worker's port).
	for range 100 {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr := l.Addr().String()
		l.Close()
		if _, dup := givenAddrs.LoadOrStore(addr, true); !dup {
			return addr
		}
	}
	t.Fatal("no loopback port not already given out")
	return ""
}

// givenAddrs are the addresses freeAddr has handed out in this test process.
var givenAddrs sync.Map

type devProcess struct {
	cmd      *exec.Cmd
	stdout   *testenv.SyncBuffer
	url      string
	temporal string // the embedded Temporal's frontend host:port
}

// runDev starts `awardflow dev` and waits for /readyz.
func runDev(t *testing.T, bin, dir string) *devProcess {
	t.Helper()
	addr, temporalAddr := freeAddr(t), freeAddr(t)
	// The Temporal UI on a free port: 8233, its default, may be another test's.
	cmd := exec.Command(bin, "dev", "--addr", addr, "--data", dir, "--temporal-addr", temporalAddr, "--ui-addr", "127.0.0.1:0")
	out := &testenv.SyncBuffer{}
	cmd.Stdout = out
	stderr, _ := cmd.StderrPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { // keep the server's log in the test log, and the pipe drained
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			if line := sc.Text(); strings.Contains(line, "level=ERROR") && !strings.Contains(line, "component=devstack") {
				t.Log(line)
			}
		}
	}()
	p := &devProcess{cmd: cmd, stdout: out, url: "http://" + addr, temporal: temporalAddr}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _, _ = cmd.Process.Wait() })
	eventually(t, "awardflow dev ready", 2*time.Minute, func() bool {
		resp, err := http.Get(p.url + "/readyz")
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == http.StatusOK
	})
	// The banner is printed once the service is up, which may be just after /readyz
	// first answers: wait for its last line rather than race it.
	eventually(t, "the start banner", time.Minute, func() bool {
		return strings.Contains(p.stdout.String(), "Ctrl-C để dừng")
	})
	return p
}

// TestBinaryKillNineAndCtrlC runs the real binary: it prints the URL and the demo
// accounts; after `kill -9` in the middle of a proposal a restart on the same data
// keeps the proposal and its evidence; Ctrl-C (SIGINT) stops it cleanly.
func TestBinaryKillNineAndCtrlC(t *testing.T) {
	bin := buildBinary(t)
	dir := t.TempDir()

	p := runDev(t, bin, dir)
	// ... and where S3 is and where its credentials are kept (the operator's first question).
	for _, want := range []string{p.url, "hongdao", "thuky", "truongban", "thidua2026", "S3:         http://127.0.0.1:", filepath.Join(dir, "s3", "credentials.json")} {
		if !strings.Contains(p.stdout.String(), want) {
			t.Fatalf("the start banner lacks %q:\n%s", want, p.stdout)
		}
	}
	// ... and the Temporal web UI, served.
	ui := regexp.MustCompile(`Temporal UI: (http://127\.0\.0\.1:\d+)/namespaces/default/workflows`).FindStringSubmatch(p.stdout.String())
	if ui == nil {
		t.Fatalf("the start banner lacks the Temporal UI:\n%s", p.stdout)
	}
	if resp, err := http.Get(ui[1] + "/namespaces/default/workflows"); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("the Temporal UI: %v %v", resp, err)
	} else {
		resp.Body.Close()
	}
	staff := login(t, p.url, "hongdao")
	prop := fileProposal(t, staff, "Nguyễn Thị Hồng Đào")
	var draft workflows.ProposalView
	must(t, staff.post("/api/v1/proposals", award.Draft{AwardType: "GK", MovementID: "chuyendoiso-2025", Kind: award.KindIndividual,
		NomineeName: "Nguyễn Thị Hồng Đào"}), http.StatusCreated, &draft)
	evidence := fakePDF(2 << 20)
	var up struct{ Evidence award.Evidence }
	must(t, staff.do(http.MethodPost, "/api/v1/proposals/"+draft.ID+"/evidence?filename=a.pdf", bytes.NewReader(evidence)), http.StatusCreated, &up)
	_ = p.cmd.Process.Signal(syscall.SIGKILL)
	_, _ = p.cmd.Process.Wait()

	p = runDev(t, bin, dir)
	staff.base = p.url // the token survives: the secret is in the data directory
	var got workflows.ProposalView
	must(t, staff.get("/api/v1/proposals/"+prop.ID), http.StatusOK, &got)
	if got.Stage != award.StageSubmitted {
		t.Fatalf("after kill -9: stage %s", got.Stage)
	}
	if r := staff.get("/api/v1/proposals/" + draft.ID + "/evidence/" + up.Evidence.SHA256); r.Status != http.StatusOK || !bytes.Equal(r.Body, evidence) {
		t.Fatalf("evidence after kill -9: %d, %d bytes", r.Status, len(r.Body))
	}
	head := login(t, p.url, "tptt")
	must(t, head.post("/api/v1/proposals/"+prop.ID+"/endorse", nil), http.StatusOK, &got)
	if got.Stage != award.StageEndorsed {
		t.Fatalf("endorse after restart: %s", got.Stage)
	}

	if err := p.cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- p.cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Ctrl-C: the process exited with %v", err)
		}
	case <-ctx.Done():
		t.Fatal("Ctrl-C: the process did not stop within 60 s")
	}
}
