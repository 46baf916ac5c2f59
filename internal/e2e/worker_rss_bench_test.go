//go:build linux

package e2e

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/awardflow/awardflow/internal/devstack"
	"github.com/awardflow/awardflow/internal/orgconfig"
	"github.com/awardflow/awardflow/internal/settings"
	"github.com/awardflow/awardflow/internal/store"
	"github.com/awardflow/awardflow/internal/testenv"
	"github.com/awardflow/awardflow/workflows"
)

// BenchmarkOpenProposalsWorkerProcess measures what BenchmarkOpenProposals cannot: the
// worker's own memory. The embedded Temporal and S3 servers run in the benchmark's
// process; `awardflow server` and `awardflow worker` run as processes of the built
// binary, as in production. After N proposals are filed (each an open workflow the
// worker's sticky cache may hold), it reports the worker's resident set, its growth per
// open proposal, the server's, and the Temporal + S3 process's. AWARDFLOW_WORKFLOW_CACHE
// is passed to the worker (default: the built-in bound).
func BenchmarkOpenProposalsWorkerProcess(b *testing.B) {
	root := moduleRoot(b)
	bin := filepath.Join(b.TempDir(), "awardflow")
	if out, err := runProcess(context.Background(), "go", append(os.Environ(), "PWD="+root), "build", "-C", root, "-o", bin, "./cmd/awardflow"); err != nil {
		b.Fatalf("go build: %v\n%s", err, out)
	}
	for _, n := range testenv.BenchSizes(b, 3_000, 20_000) {
		ctx := context.Background()
		dir := b.TempDir()
		opts := devstack.Options{DataDir: dir, SearchAttributes: workflows.SearchAttributes}
		tmp, err := devstack.StartTemporal(ctx, opts)
		if err != nil {
			b.Fatal(err)
		}
		s3, err := devstack.StartS3(ctx, opts)
		if err != nil {
			b.Fatal(err)
		}
		org, err := orgconfig.Load(filepath.Join(root, "internal", "orgconfig", "demo.yaml"))
		if err != nil {
			b.Fatal(err)
		}
		keysDir, caFile := writeKeys(b, org)
		// The nominees are in the directory before the processes start (they seed it
		// only when it is empty): see benchOrg.
		dsn := store.SQLiteDSN(filepath.Join(dir, "awardflow.db"))
		seed, err := store.Open(ctx, dsn)
		if err != nil {
			b.Fatal(err)
		}
		if seeded, err := seed.SeedDirectory(ctx, benchOrg(b, int64(n+1))); err != nil || !seeded {
			b.Fatalf("seed the directory: %v (seeded %v)", err, seeded)
		}
		if err := seed.Close(); err != nil {
			b.Fatal(err)
		}
		common := []string{"PATH=/usr/bin:/bin", "HOME=" + b.TempDir(), "TMPDIR=" + os.TempDir(),
			settings.EnvTemporalAddress + "=" + tmp.HostPort, settings.EnvTemporalNamespace + "=" + tmp.Namespace,
			settings.EnvTaskQueue + "=" + workflows.TaskQueue,
			settings.EnvS3Endpoint + "=" + s3.Endpoint, settings.EnvS3AccessKey + "=" + s3.AccessKey, settings.EnvS3SecretKey + "=" + s3.SecretKey,
			settings.EnvS3Bucket + "=awardflow", settings.EnvS3Region + "=" + s3.Region,
			settings.EnvOrgConfig + "=" + filepath.Join(root, "internal", "orgconfig", "demo.yaml"),
			settings.EnvBallotKey + "=" + randomHexString(b, 32), settings.EnvDB + "=" + dsn,
			settings.EnvTrustedCA + "=" + caFile,
		}
		if v := os.Getenv(settings.EnvWorkflowCache); v != "" {
			common = append(common, settings.EnvWorkflowCache+"="+v)
		}
		addr := freeAddr(b)
		base := "http://" + addr
		worker := startProc(b, "worker", bin, append(slices.Clone(common), settings.EnvKeysDir+"="+keysDir, settings.EnvKeysPassword+"="+testKeysPassword, settings.EnvWorkerAddr+"=127.0.0.1:0"), "worker")
		server := startProc(b, "server", bin, append(slices.Clone(common), settings.EnvAddr+"="+addr, settings.EnvTokenSecret+"="+randomHexString(b, 32)), "server")
		eventually(b, "the server ready", 2*time.Minute, func() bool {
			if server.exited() || worker.exited() {
				b.Fatalf("a process exited:\nserver: %s\nworker: %s", server.out, worker.out)
			}
			resp, err := http.Get(base + "/readyz")
			if err != nil {
				return false
			}
			resp.Body.Close()
			return resp.StatusCode == http.StatusOK
		})
		rs := &ratioStack{base: base, staff: login(b, base, "hongdao"), have: int64(n + 1)}
		rs.fileDraft(b) // the first: the worker's code paths warm
		w0, s0, t0 := procRSS(b, worker.cmd.Process.Pid), procRSS(b, server.cmd.Process.Pid), rssBytes(b)
		for range n {
			rs.fileDraft(b)
		}
		w1, s1, t1 := procRSS(b, worker.cmd.Process.Pid), procRSS(b, server.cmd.Process.Pid), rssBytes(b)
		server.stop()
		worker.stop()
		_ = s3.Stop()
		_ = tmp.Stop()
		b.Run(fmt.Sprintf("open=%d", n), func(b *testing.B) {
			for range b.N {
			}
			mib := func(v int64) float64 { return float64(v) / (1 << 20) }
			b.ReportMetric(mib(w1), "worker-rss-MiB")
			b.ReportMetric(float64(w1-w0)/float64(n)/(1<<10), "worker-KiB/open")
			b.ReportMetric(mib(s1), "server-rss-MiB")
			b.ReportMetric(mib(s1-s0), "server-growth-MiB")
			b.ReportMetric(mib(t1), "temporal+s3-rss-MiB")
			b.ReportMetric(float64(t1-t0)/float64(n)/(1<<10), "temporal+s3-KiB/open")
		})
	}
}

// procRSS is another process's resident set (Linux /proc).
func procRSS(b *testing.B, pid int) int64 {
	b.Helper()
	raw, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		b.Fatalf("read the resident set of %d: %v", pid, err)
	}
	for _, line := range strings.Split(string(raw), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmRSS:" {
			kb, err := strconv.ParseInt(f[1], 10, 64)
			if err != nil {
				b.Fatal(err)
			}
			return kb << 10
		}
	}
	b.Fatalf("no VmRSS for %d", pid)
	return 0
}
