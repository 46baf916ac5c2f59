//go:build linux

package e2e

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/operatorservice/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"
	sdklog "go.temporal.io/sdk/log"
	"google.golang.org/protobuf/types/known/durationpb"
	"software.sslmate.com/src/go-pkcs12"

	"github.com/awardflow/awardflow/internal/award"
	"github.com/awardflow/awardflow/internal/keyring"
	"github.com/awardflow/awardflow/internal/orgconfig"
	"github.com/awardflow/awardflow/internal/pdfsign"
	"github.com/awardflow/awardflow/internal/settings"
	"github.com/awardflow/awardflow/internal/store"
	"github.com/awardflow/awardflow/internal/testenv"
	"github.com/awardflow/awardflow/workflows"

	"github.com/awardflow/awardflow/internal/temporaltest"
)

// The production topology, for real and as processes, on 127.0.0.1: a PostgreSQL cluster
// holding Temporal's two databases and awardflow's own (created by the compose one-shot's
// script, scripts/compose/awardflow-db.sh), a Temporal server process on that PostgreSQL
// (go.temporal.io/server at go.mod's pin, configured from
// scripts/compose/temporal-s3-archival.yaml and compose's dynamic config, archiving to
// S3), MinIO, and two `awardflow server` and two `awardflow worker` processes of the
// built binary sharing the PostgreSQL records store. Proposals are driven through both
// servers at once — filed, assessed, submitted and endorsed, put on two council
// sessions, voted, closed, signed by their signers and issued by the văn thư — and one
// worker is killed with SIGKILL in the middle of the filing. Every proposal must finish
// awarded, the decisions must be numbered 1, 2, … with no hole and no duplicate, the
// award register in PostgreSQL must hold every issued document with its awardees, and a
// closed proposal's history must be archived to S3.
func TestProductionTopology(t *testing.T) {
	began := time.Now()
	measure := func(what string) {
		t.Logf("MEASURE %s: %s after the start", what, time.Since(began).Round(100*time.Millisecond))
	}
	root := moduleRoot(t)
	ctx, cancel := context.WithTimeout(context.Background(), 8*time.Minute)
	defer cancel()

	// The binaries build while the servers start.
	type built struct {
		path string
		err  error
	}
	bins := map[string]chan built{}
	// awardflow is built as the Dockerfile ships it: the production build (-tags nodev).
	for name, pkg := range map[string]string{"awardflow": "./cmd/awardflow", "temporal-server": "./internal/e2e/cmd/temporal-server"} {
		ch := make(chan built, 1)
		bins[name] = ch
		out := filepath.Join(t.TempDir(), name)
		go func() {
			cmd := exec.Command("go", "build", "-tags", "nodev", "-o", out, pkg)
			cmd.Dir = root
			if b, err := cmd.CombinedOutput(); err != nil {
				ch <- built{err: fmt.Errorf("go build %s: %v\n%s", pkg, err, b)}
				return
			}
			ch <- built{path: out}
		}()
	}
	binary := func(name string) string {
		b := <-bins[name]
		bins[name] <- b
		if b.err != nil {
			t.Fatal(b.err)
		}
		return b.path
	}

	pg := testenv.PostgreSQL(t)
	s3 := testenv.MinIO(t)
	measure("PostgreSQL and MinIO up")

	// awardflow's database and role, made by the compose one-shot's own script.
	appPassword := randomHexString(t, 24)
	runScript(t, filepath.Join(root, "scripts", "compose", "awardflow-db.sh"), []string{
		"PATH=" + pg.BinDir + ":/usr/bin:/bin",
		"PGHOST=" + pg.Host, "PGPORT=" + strconv.Itoa(pg.Port), "PGUSER=" + pg.User, "PGPASSWORD=unused-with-trust",
		"APP_DB_NAME=awardflow", "APP_DB_USER=awardflow", "APP_DB_PASSWORD=" + appPassword,
	})
	appDSN := fmt.Sprintf("postgres://awardflow:%s@%s/awardflow?sslmode=disable", appPassword, net.JoinHostPort(pg.Host, strconv.Itoa(pg.Port)))

	// The archive bucket exists before the namespace names it.
	const archiveBucket = "temporal-archival"
	mc, err := minio.New(s3.Endpoint, &minio.Options{Creds: credentials.NewStaticV4(s3.AccessKey, s3.SecretKey, "")})
	if err != nil {
		t.Fatal(err)
	}
	if err := mc.MakeBucket(ctx, archiveBucket, minio.MakeBucketOptions{}); err != nil {
		t.Fatal(err)
	}

	// Temporal on PostgreSQL: the schema first, as the temporal-schema one-shot does.
	temporalBin := binary("temporal-server")
	measure("temporal-server built")
	home := t.TempDir()
	base := []string{"PATH=/usr/bin:/bin", "HOME=" + home, "TMPDIR=" + os.TempDir()}
	ports := freePorts(t, 9)
	dynamic := filepath.Join(t.TempDir(), "dynamicconfig.yaml")
	composeDynamic, err := os.ReadFile(filepath.Join(root, "scripts", "compose", "dynamicconfig.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	// Compose's dynamic configuration, with the archiving delay cut from 5 minutes.
	if err := os.WriteFile(dynamic, append(composeDynamic, "history.archivalProcessorArchiveDelay:\n  - value: 1s\n    constraints: {}\n"...), 0o600); err != nil {
		t.Fatal(err)
	}
	frontend := net.JoinHostPort("127.0.0.1", strconv.Itoa(ports[0]))
	temporalEnv := append(slices.Clone(base),
		"POSTGRES_SEEDS="+pg.Host, "DB_PORT="+strconv.Itoa(pg.Port), "POSTGRES_USER="+pg.User, "POSTGRES_PWD=unused-with-trust",
		"NUM_HISTORY_SHARDS=4", "BIND_ON_IP=127.0.0.1", "LOG_LEVEL=warn",
		"FRONTEND_GRPC_PORT="+strconv.Itoa(ports[0]), "FRONTEND_HTTP_PORT="+strconv.Itoa(ports[1]),
		"FRONTEND_MEMBERSHIP_PORT="+strconv.Itoa(ports[2]), "HISTORY_GRPC_PORT="+strconv.Itoa(ports[3]),
		"HISTORY_MEMBERSHIP_PORT="+strconv.Itoa(ports[4]), "MATCHING_GRPC_PORT="+strconv.Itoa(ports[5]),
		"MATCHING_MEMBERSHIP_PORT="+strconv.Itoa(ports[6]), "WORKER_GRPC_PORT="+strconv.Itoa(ports[7]),
		"WORKER_MEMBERSHIP_PORT="+strconv.Itoa(ports[8]),
		"DYNAMIC_CONFIG_FILE_PATH="+dynamic,
		"TEMPORAL_SERVER_CONFIG_FILE_PATH="+filepath.Join(root, "scripts", "compose", "temporal-s3-archival.yaml"),
		"ARCHIVAL_S3_URI=s3://"+archiveBucket, "ARCHIVAL_S3_ENDPOINT=http://"+s3.Endpoint,
		"AWS_ACCESS_KEY_ID="+s3.AccessKey, "AWS_SECRET_ACCESS_KEY="+s3.SecretKey,
		"AWS_CONFIG_FILE=/dev/null", "AWS_SHARED_CREDENTIALS_FILE=/dev/null", "AWS_EC2_METADATA_DISABLED=true",
	)
	if out, err := runProcess(ctx, temporalBin, temporalEnv, "setup-schema"); err != nil {
		t.Fatalf("temporal-server setup-schema: %v\n%s", err, out)
	}
	temporal := startProc(t, "temporal", temporalBin, temporalEnv, "start")
	c := registerNamespace(ctx, t, temporal, frontend, archiveBucket)
	defer c.Close()
	measure("Temporal up, namespace and search attributes registered")

	// The people who sign get their own PKCS#12 files, as in production.
	org, err := orgconfig.Load(filepath.Join(root, "internal", "orgconfig", "demo.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	keysDir, caFile := writeKeys(t, org)
	common := append(slices.Clone(base),
		settings.EnvTemporalAddress+"="+frontend, settings.EnvTemporalNamespace+"=awardflow", settings.EnvTaskQueue+"="+workflows.TaskQueue,
		settings.EnvS3Endpoint+"="+s3.Endpoint, settings.EnvS3AccessKey+"="+s3.AccessKey, settings.EnvS3SecretKey+"="+s3.SecretKey,
		settings.EnvS3Bucket+"=awardflow", settings.EnvOrgConfig+"="+filepath.Join(root, "internal", "orgconfig", "demo.yaml"),
		settings.EnvBallotKey+"="+randomHexString(t, 32), settings.EnvDB+"="+appDSN, settings.EnvTrustedCA+"="+caFile,
	)
	tokenSecret := randomHexString(t, 32)
	bin := binary("awardflow")
	measure("awardflow built")
	// All four start at once: they migrate the same new database (one migrates, the
	// others wait for its lock) and seed the directory once.
	var servers, workerOps []string
	var serverProcs, workerProcs []*proc
	for i := range 2 {
		addr := freeAddr(t)
		servers = append(servers, "http://"+addr)
		serverProcs = append(serverProcs, startProc(t, fmt.Sprintf("server-%d", i+1), bin,
			append(slices.Clone(common), settings.EnvAddr+"="+addr, settings.EnvTokenSecret+"="+tokenSecret), "server"))
		workerAddr := freeAddr(t)
		workerOps = append(workerOps, "http://"+workerAddr)
		workerProcs = append(workerProcs, startProc(t, fmt.Sprintf("worker-%d", i+1), bin,
			append(slices.Clone(common), settings.EnvKeysDir+"="+keysDir, settings.EnvKeysPassword+"="+testKeysPassword,
				settings.EnvWorkerAddr+"="+workerAddr), "worker"))
	}
	for i, base := range servers {
		eventually(t, "server "+base+" ready", time.Minute, func() bool {
			if serverProcs[i].exited() {
				t.Fatalf("server-%d exited:\n%s", i+1, serverProcs[i].out)
			}
			resp, err := http.Get(base + "/readyz")
			if err != nil {
				return false
			}
			resp.Body.Close()
			return resp.StatusCode == http.StatusOK
		})
	}
	waitPollers(ctx, t, c, workerProcs, 2)
	// Each worker's own /readyz (AWARDFLOW_WORKER_ADDR) names its checks, all ok.
	for i, base := range workerOps {
		eventually(t, fmt.Sprintf("worker-%d /readyz", i+1), time.Minute, func() bool {
			resp, err := http.Get(base + "/readyz")
			if err != nil {
				return false
			}
			defer resp.Body.Close()
			var rep struct{ Checks map[string]string }
			_ = json.NewDecoder(resp.Body).Decode(&rep)
			return resp.StatusCode == http.StatusOK && rep.Checks["worker"] == "ok" && rep.Checks["temporal"] == "ok" &&
				rep.Checks["s3"] == "ok" && rep.Checks["records_store"] == "ok"
		})
	}
	measure("2 servers and 2 workers ready")

	// --- eight proposals, filed and endorsed through both servers at once; worker-1 is
	// killed when three of them are through.
	type plan struct{ staff, head, nominee, award, movement string }
	plans := []plan{
		{"hongdao", "tptt", "Nguyễn Thị Hồng Đào", "LDTT", "vanhoa-2025"},
		{"quoccuong", "tptt", "Lê Quốc Cường", "LDTT", "vanhoa-2025"},
		{"vanson", "tpllct", "Đặng Văn Sơn", "LDTT", "vanhoa-2025"},
		{"kimngan", "chanhvp", "Trương Thị Kim Ngân", "LDTT", "vanhoa-2025"},
		{"hongdao", "tptt", "Nguyễn Thị Hồng Đào", "GK", "chuyendoiso-2025"},
		{"quoccuong", "tptt", "Lê Quốc Cường", "GK", "chuyendoiso-2025"},
		{"vanson", "tpllct", "Đặng Văn Sơn", "GK", "chuyendoiso-2025"},
		{"kimngan", "chanhvp", "Trương Thị Kim Ngân", "GK", "chuyendoiso-2025"},
	}
	ids := make([]string, len(plans))
	var through atomic.Int32
	killed := make(chan struct{})
	go func() {
		for through.Load() < 3 {
			if ctx.Err() != nil {
				return
			}
			time.Sleep(20 * time.Millisecond)
		}
		workerProcs[0].kill9()
		close(killed)
	}()
	inParallel(t, len(plans), func(tb testing.TB, i int) {
		p := plans[i]
		staff := login(tb, servers[i%2], p.staff)
		var v workflows.ProposalView
		must(tb, staff.post("/api/v1/proposals", award.Draft{AwardType: p.award, MovementID: p.movement, Kind: award.KindIndividual,
			NomineeName: p.nominee, NomineePosition: "Chuyên viên", Achievements: "Hoàn thành xuất sắc nhiệm vụ năm 2025"},
			"Idempotency-Key", "tao-"+strconv.Itoa(i)), http.StatusCreated, &v)
		must(tb, staff.put("/api/v1/proposals/"+v.ID+"/self-assessment", allCriteria(v, "")), http.StatusOK, nil)
		must(tb, staff.post("/api/v1/proposals/"+v.ID+"/submit", nil), http.StatusOK, nil)
		must(tb, login(tb, servers[(i+1)%2], p.head).post("/api/v1/proposals/"+v.ID+"/endorse", nil), http.StatusOK, &v)
		if v.Stage != award.StageEndorsed {
			tb.Fatalf("%s: stage %s after endorse", v.ID, v.Stage)
		}
		ids[i] = v.ID
		through.Add(1)
	})
	<-killed
	if err := workerProcs[0].waitErr(); err == nil || !strings.Contains(err.Error(), "killed") {
		t.Fatalf("worker-1 after kill -9: %v", err)
	}
	measure("8 proposals endorsed, worker-1 killed mid-way")

	// --- two sessions, one on each server, voted, closed, signed and issued at once.
	agendas := [][]string{{ids[0], ids[1], ids[4], ids[5]}, {ids[2], ids[3], ids[6], ids[7]}}
	sessions := make([]workflows.SessionView, len(agendas))
	members := []string{"truongban", "phoban", "chanhvp", "tptt", "tpllct", "thuky"}
	inParallel(t, len(agendas), func(tb testing.TB, k int) {
		var s workflows.SessionView
		must(tb, login(tb, servers[k], "thuky").post("/api/v1/sessions", map[string]any{
			"title": fmt.Sprintf("Phiên họp xét khen thưởng năm 2025, đợt %d", k+1), "proposal_ids": agendas[k]}), http.StatusCreated, &s)
		marks := map[string]string{}
		for _, id := range agendas[k] {
			marks[id] = "yes"
		}
		for j, m := range members {
			must(tb, login(tb, servers[(k+j)%2], m).post("/api/v1/sessions/"+s.ID+"/ballot", map[string]any{"marks": marks}), http.StatusOK, nil)
		}
		must(tb, login(tb, servers[(k+1)%2], "truongban").post("/api/v1/sessions/"+s.ID+"/close", nil), http.StatusOK, nil)
		sessions[k] = issueAll(tb, servers, k, s.ID)
	})
	measure("2 sessions issued")

	// --- the processes' own metrics: the surviving worker on its health listener, each
	// server on its API port (Prometheus scrapes them so in docker-compose.yml).
	wsc := scrapeMetrics(t, workerOps[1])
	temporalSeries := 0
	for name := range wsc {
		if strings.HasPrefix(name, "awardflow_temporal_") {
			temporalSeries++
		}
	}
	if wsc.Sum("awardflow_activity_duration_seconds", map[string]string{"activity_type": "IssueDocument"}) == 0 || temporalSeries == 0 ||
		wsc.Sum("awardflow_s3_operation_duration_seconds", nil) == 0 {
		t.Errorf("worker-2's /metrics: IssueDocument %v, %d Temporal SDK series, S3 %v", wsc.Sum("awardflow_activity_duration_seconds",
			map[string]string{"activity_type": "IssueDocument"}), temporalSeries, wsc.Sum("awardflow_s3_operation_duration_seconds", nil))
	}
	for _, base := range servers {
		if sc := scrapeMetrics(t, base); sc.Sum("awardflow_http_requests_total", map[string]string{"route": "/api/v1/proposals"}) == 0 {
			t.Errorf("%s/metrics counts no filing", base)
		}
	}

	// --- every proposal finished, awarded, and its workflow completed.
	for i, id := range ids {
		var p workflows.ProposalView
		must(t, login(t, servers[i%2], plans[i].staff).get("/api/v1/proposals/"+id), http.StatusOK, &p)
		if p.Stage != award.StageAwarded {
			t.Errorf("%s (%s %s): stage %s, want awarded", id, plans[i].award, plans[i].nominee, p.Stage)
		}
		eventually(t, "the workflow of "+id+" completed", time.Minute, func() bool {
			d, err := c.DescribeWorkflowExecution(ctx, id, "")
			return err == nil && d.GetWorkflowExecutionInfo().GetStatus() == enumspb.WORKFLOW_EXECUTION_STATUS_COMPLETED
		})
	}

	// --- the decisions are numbered 1..n, no hole, no duplicate; each proposal is on
	// exactly one.
	var decisions []award.DecisionRef
	for _, s := range sessions {
		if len(s.Decisions) != 2 || len(s.Submissions) != 0 || s.Minutes == nil || s.CouncilSubmission == nil {
			t.Fatalf("session %s: %d decisions, %d submissions, minutes %v, council submission %v", s.ID, len(s.Decisions), len(s.Submissions), s.Minutes, s.CouncilSubmission)
		}
		decisions = append(decisions, s.Decisions...)
	}
	numbers := make([]int, 0, len(decisions))
	awardees := map[string]string{}
	for _, d := range decisions {
		numbers = append(numbers, d.Number)
		for _, pid := range d.Awardees {
			if other, dup := awardees[pid]; dup {
				t.Errorf("proposal %s is on decisions %s and %s", pid, other, d.ID)
			}
			awardees[pid] = d.ID
		}
	}
	slices.Sort(numbers)
	for i, n := range numbers {
		if n != i+1 {
			t.Fatalf("decision numbers %v: not 1..%d without a hole or a duplicate", numbers, len(numbers))
		}
	}
	if len(awardees) != len(ids) {
		t.Fatalf("%d proposals on the decisions, want %d", len(awardees), len(ids))
	}

	// --- the award register in PostgreSQL holds every issued document.
	st, err := store.Open(ctx, appDSN)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	reg, err := st.Documents(ctx, store.DocumentFilter{Kind: store.KindDecision})
	if err != nil {
		t.Fatal(err)
	}
	if len(reg) != len(decisions) {
		t.Fatalf("the register has %d decisions, the sessions issued %d", len(reg), len(decisions))
	}
	for _, d := range decisions {
		got, err := st.Document(ctx, d.ID)
		if err != nil {
			t.Fatalf("register entry of %s: %v", d.ID, err)
		}
		var pids []string
		for _, a := range got.Awardees {
			pids = append(pids, a.ProposalID)
		}
		slices.Sort(pids)
		want := slices.Sorted(slices.Values(d.Awardees))
		if got.Number != d.Number || got.SHA256 != d.SHA256 || got.NumberText != d.NumberText || !slices.Equal(pids, want) {
			t.Errorf("register %s: number %d %q, sha %s, awardees %v; the session says %d %q, %s, %v", d.ID, got.Number, got.NumberText, got.SHA256, pids, d.Number, d.NumberText, d.SHA256, want)
		}
	}
	for _, s := range sessions {
		for kind, ref := range map[string]*award.DocumentRef{store.KindMinutes: s.Minutes, store.KindCouncilSubmission: s.CouncilSubmission} {
			if got, err := st.DocumentBySHA(ctx, ref.SHA256); err != nil || got.Kind != kind || got.SessionID != s.ID {
				t.Errorf("register for the %s of %s: %+v, %v", kind, s.ID, got, err)
			}
		}
	}
	// Both servers answer from the register: verify knows each decision's file, and the
	// awardee list names every proposal.
	pdfs := map[string][]byte{} // decision id -> its signed PDF, for after the restore
	for i, d := range decisions {
		staff := login(t, servers[i%2], "hongdao")
		pdf := staff.get("/api/v1/decisions/" + d.ID + "/pdf")
		if pdf.Status != http.StatusOK {
			t.Fatalf("decision %s PDF: %d", d.ID, pdf.Status)
		}
		pdfs[d.ID] = pdf.Body
		var rep verifyReport
		must(t, login(t, servers[(i+1)%2], "vanson").do(http.MethodPost, "/api/v1/verify", bytes.NewReader(pdf.Body)), http.StatusOK, &rep)
		if !rep.AllValid || rep.Issued == nil || rep.Issued.DocumentID != d.ID {
			t.Errorf("verify %s on the other server: %+v", d.ID, rep)
		}
	}
	var listed struct{ Items []registered }
	must(t, login(t, servers[1], "hongdao").get("/api/v1/awardees?year=2025&limit=100"), http.StatusOK, &listed)
	got := map[string]bool{}
	for _, it := range listed.Items {
		got[it.ProposalID] = true
	}
	for _, id := range ids {
		if !got[id] {
			t.Errorf("GET /api/v1/awardees lacks %s: %+v", id, listed.Items)
		}
	}
	measure("numbers and register checked")

	// --- a closed proposal's history is archived to S3 (the production archiver).
	eventually(t, "the archived record of "+ids[0], 2*time.Minute, func() bool {
		resp, err := c.WorkflowService().ListArchivedWorkflowExecutions(ctx, &workflowservice.ListArchivedWorkflowExecutionsRequest{
			Namespace: "awardflow", PageSize: 10, Query: "WorkflowId = '" + ids[0] + "'"})
		return err == nil && len(resp.GetExecutions()) == 1 &&
			resp.GetExecutions()[0].GetStatus() == enumspb.WORKFLOW_EXECUTION_STATUS_COMPLETED
	})
	n := 0
	for obj := range mc.ListObjects(ctx, archiveBucket, minio.ListObjectsOptions{Recursive: true}) {
		if obj.Err == nil && strings.Contains(obj.Key, "/history/"+ids[0]+"/") {
			n++
		}
	}
	if n == 0 {
		t.Fatalf("no history of %s in s3://%s", ids[0], archiveBucket)
	}
	// Deleted from Temporal, as the retention would, the history still reads back whole.
	desc, err := c.DescribeWorkflowExecution(ctx, ids[0], "")
	if err != nil {
		t.Fatal(err)
	}
	exec := desc.GetWorkflowExecutionInfo().GetExecution()
	live := temporaltest.History(ctx, t, c, "awardflow", exec, false)
	if _, err := c.WorkflowService().DeleteWorkflowExecution(ctx, &workflowservice.DeleteWorkflowExecutionRequest{
		Namespace: "awardflow", WorkflowExecution: exec}); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the workflow "+ids[0]+" deleted", 2*time.Minute, func() bool {
		_, err := c.DescribeWorkflowExecution(ctx, ids[0], "")
		var nf *serviceerror.NotFound
		return errors.As(err, &nf)
	})
	archived := temporaltest.History(ctx, t, c, "awardflow", exec, true)
	if len(archived) != len(live) || archived[len(archived)-1].GetEventType() != enumspb.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED {
		t.Fatalf("archived history: %d events (last %v), the live one had %d", len(archived), archived[len(archived)-1].GetEventType(), len(live))
	}
	measure("history archived to S3 and read back after deletion")

	// --- the production backup procedure, beside the live service (README, "Backups").
	backupDir := filepath.Join(t.TempDir(), "backup")
	pgEnv := append(slices.Clone(base), "PATH="+pg.BinDir+":/usr/bin:/bin", "PGHOST="+pg.Host, "PGPORT="+strconv.Itoa(pg.Port),
		"PGUSER="+pg.User, "AWARDFLOW_BIN="+bin,
		settings.EnvS3Endpoint+"="+s3.Endpoint, settings.EnvS3AccessKey+"="+s3.AccessKey, settings.EnvS3SecretKey+"="+s3.SecretKey,
		settings.EnvS3Bucket+"=awardflow")
	if out, err := runProcess(ctx, filepath.Join(root, "scripts", "backup-production.sh"), pgEnv, backupDir); err != nil {
		t.Fatalf("backup-production.sh: %v\n%s", err, out)
	}
	measure("production backup written")

	// --- the survivors stop cleanly on SIGTERM (the records store closed last).
	for _, p := range append(serverProcs, workerProcs[1]) {
		p.stop()
		if err := p.waitErr(); err != nil {
			t.Errorf("%s on SIGTERM: %v\n%s", p.name, err, p.out)
		}
	}
	temporal.stop()

	// --- disaster: the three databases and the bucket's objects are gone; the restore
	// procedure brings them back, and a new server and worker carry on from them.
	st.Close()
	for _, db := range []string{"temporal", "temporal_visibility", "awardflow"} {
		if out, err := runProcess(ctx, filepath.Join(pg.BinDir, "psql"), pgEnv, "-v", "ON_ERROR_STOP=1", "-d", "postgres",
			"-c", "DROP DATABASE "+db+" WITH (FORCE)"); err != nil {
			t.Fatalf("drop %s: %v\n%s", db, err, out)
		}
	}
	for obj := range mc.ListObjects(ctx, "awardflow", minio.ListObjectsOptions{Recursive: true}) {
		if obj.Err != nil {
			t.Fatal(obj.Err)
		}
		if err := mc.RemoveObject(ctx, "awardflow", obj.Key, minio.RemoveObjectOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	if out, err := runProcess(ctx, filepath.Join(root, "scripts", "restore-production.sh"), pgEnv, backupDir); err != nil {
		t.Fatalf("restore-production.sh: %v\n%s", err, out)
	}
	temporal = startProc(t, "temporal-restored", temporalBin, temporalEnv, "start")
	c2 := registerNamespace(ctx, t, temporal, frontend, archiveBucket)
	defer c2.Close()
	addr := freeAddr(t)
	restored := "http://" + addr
	server := startProc(t, "server-restored", bin, append(slices.Clone(common), settings.EnvAddr+"="+addr, settings.EnvTokenSecret+"="+tokenSecret), "server")
	worker := startProc(t, "worker-restored", bin, append(slices.Clone(common), settings.EnvKeysDir+"="+keysDir, settings.EnvKeysPassword+"="+testKeysPassword, settings.EnvWorkerAddr+"=127.0.0.1:0"), "worker")
	eventually(t, "the restored server ready", time.Minute, func() bool {
		if server.exited() {
			t.Fatalf("the restored server exited:\n%s", server.out)
		}
		resp, err := http.Get(restored + "/readyz")
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == http.StatusOK
	})
	waitPollers(ctx, t, c2, []*proc{worker}, 1)
	for i, id := range ids[1:] { // ids[0] was deleted from Temporal above, as the retention would
		var p workflows.ProposalView
		must(t, login(t, restored, plans[i+1].staff).get("/api/v1/proposals/"+id), http.StatusOK, &p)
		if p.Stage != award.StageAwarded {
			t.Errorf("restored %s: stage %s, want awarded", id, p.Stage)
		}
	}
	for _, d := range decisions {
		pdf := login(t, restored, "hongdao").get("/api/v1/decisions/" + d.ID + "/pdf")
		if pdf.Status != http.StatusOK || !bytes.Equal(pdf.Body, pdfs[d.ID]) {
			t.Fatalf("restored decision %s PDF: %d, %d bytes (was %d)", d.ID, pdf.Status, len(pdf.Body), len(pdfs[d.ID]))
		}
		var rep verifyReport
		must(t, login(t, restored, "vanson").do(http.MethodPost, "/api/v1/verify", bytes.NewReader(pdf.Body)), http.StatusOK, &rep)
		if !rep.AllValid || rep.Issued == nil || rep.Issued.DocumentID != d.ID {
			t.Errorf("verify %s after the restore: %+v", d.ID, rep)
		}
	}
	measure("restored from the production backup: proposals, decisions and verify answers back")
	for _, p := range []*proc{server, worker} {
		p.stop()
		if err := p.waitErr(); err != nil {
			t.Errorf("%s on SIGTERM: %v\n%s", p.name, err, p.out)
		}
	}
	measure("done")
}

// issueAll has each draft of session k signed by its own signer and issued by the văn
// thư (through alternating servers), then waits for the session to be done.
func issueAll(tb testing.TB, servers []string, k int, id string) workflows.SessionView {
	secretary, clerk := login(tb, servers[k], "thuky"), login(tb, servers[(k+1)%2], "vanthu")
	var s sessionWithDocs
	eventually(tb, "drafts of "+id, 2*time.Minute, func() bool {
		s = getDocsTB(tb, secretary, id)
		return s.Status == award.SessionDeciding || s.Status == award.SessionDone || s.Status == award.SessionIssueFailed
	})
	if s.Status != award.SessionDeciding || len(s.Documents) != 2 {
		tb.Fatalf("session %s after close: %s, %d documents (%s)", id, s.Status, len(s.Documents), s.Error)
	}
	path := "/api/v1/sessions/" + id + "/documents/"
	for j, doc := range s.Documents {
		must(tb, login(tb, servers[(k+j)%2], doc.Signer.ID).post(path+doc.ID+"/approve", nil), http.StatusOK, nil)
		must(tb, clerk.post(path+doc.ID+"/issue", nil), http.StatusOK, nil)
	}
	var out workflows.SessionView
	eventually(tb, "the documents of "+id+" issued", 2*time.Minute, func() bool {
		must(tb, secretary.get("/api/v1/sessions/"+id), http.StatusOK, &out)
		return out.Status == award.SessionDone
	})
	return out
}

func getDocsTB(tb testing.TB, c *api, id string) sessionWithDocs {
	var s sessionWithDocs
	must(tb, c.get("/api/v1/sessions/"+id), http.StatusOK, &s)
	return s
}

// registerNamespace creates the namespace as the compose one-shot temporal-namespace
// does (retention a year, no archival settings: the server's namespace defaults apply)
// and registers the search attributes; it returns a client once both are visible.
func registerNamespace(ctx context.Context, t *testing.T, temporal *proc, frontend, archiveBucket string) client.Client {
	t.Helper()
	var c client.Client
	eventually(t, "Temporal at "+frontend, 2*time.Minute, func() bool {
		if temporal.exited() {
			t.Fatalf("the Temporal server exited: %v", temporal.waitErr())
		}
		dctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		defer cancel()
		var err error
		c, err = client.DialContext(dctx, client.Options{HostPort: frontend, Namespace: "awardflow",
			Logger: sdklog.NewStructuredLogger(slog.New(slog.DiscardHandler))})
		return err == nil
	})
	eventually(t, "the namespace registered", time.Minute, func() bool {
		_, err := c.WorkflowService().RegisterNamespace(ctx, &workflowservice.RegisterNamespaceRequest{
			Namespace: "awardflow", WorkflowExecutionRetentionPeriod: durationpb.New(365 * 24 * time.Hour)})
		var exists *serviceerror.NamespaceAlreadyExists
		return err == nil || errors.As(err, &exists)
	})
	eventually(t, "the search attributes registered", time.Minute, func() bool {
		_, err := c.OperatorService().AddSearchAttributes(ctx, &operatorservice.AddSearchAttributesRequest{
			Namespace: "awardflow", SearchAttributes: workflows.SearchAttributes})
		if err != nil {
			return false
		}
		resp, err := c.OperatorService().ListSearchAttributes(ctx, &operatorservice.ListSearchAttributesRequest{Namespace: "awardflow"})
		if err != nil {
			return false
		}
		for k, v := range workflows.SearchAttributes {
			if resp.GetCustomAttributes()[k] != v {
				return false
			}
		}
		return true
	})
	d, err := c.WorkflowService().DescribeNamespace(ctx, &workflowservice.DescribeNamespaceRequest{Namespace: "awardflow"})
	if err != nil {
		t.Fatal(err)
	}
	uri := "s3://" + archiveBucket
	if cfg := d.GetConfig(); cfg.GetHistoryArchivalState() != enumspb.ARCHIVAL_STATE_ENABLED || cfg.GetHistoryArchivalUri() != uri ||
		cfg.GetVisibilityArchivalState() != enumspb.ARCHIVAL_STATE_ENABLED || cfg.GetVisibilityArchivalUri() != uri {
		t.Fatalf("the namespace's archival (from the config's namespace defaults): %+v", cfg)
	}
	return c
}

// waitPollers waits until n live workers poll the task queue for workflow and activity
// tasks.
func waitPollers(ctx context.Context, t *testing.T, c client.Client, workers []*proc, n int) {
	t.Helper()
	for _, typ := range []enumspb.TaskQueueType{enumspb.TASK_QUEUE_TYPE_WORKFLOW, enumspb.TASK_QUEUE_TYPE_ACTIVITY} {
		eventually(t, fmt.Sprintf("%d workers polling (%s)", n, typ), time.Minute, func() bool {
			for _, w := range workers {
				if w.exited() {
					t.Fatalf("%s exited:\n%s", w.name, w.out)
				}
			}
			resp, err := c.DescribeTaskQueue(ctx, workflows.TaskQueue, typ)
			if err != nil {
				return false
			}
			seen := map[string]bool{}
			for _, p := range resp.GetPollers() {
				seen[p.GetIdentity()] = true
			}
			return len(seen) >= n
		})
	}
}

const testKeysPassword = "mật khẩu thử"

// writeKeys issues development certificates to everyone who signs and to the agency and
// writes them as a production keys directory (<person-id>.p12, agency.p12); it returns
// the directory and the CA file.
func writeKeys(t testing.TB, org *orgconfig.Org) (string, string) {
	t.Helper()
	pki := filepath.Join(t.TempDir(), "pki")
	d, err := keyring.NewDev(pki, org, keyring.DevOptions{Log: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	write := func(name string, s pdfsign.Signer) {
		b, err := pkcs12.Modern.Encode(s.Key, s.Cert, s.Chain, testKeysPassword)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	for _, id := range keyring.RequiredSigners(org) {
		s, err := d.Person(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		write(id+".p12", s)
	}
	ag, err := d.Agency(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	write("agency.p12", ag)
	return dir, filepath.Join(pki, "ca.pem")
}

// --- processes -------------------------------------------------------------------------

// proc is a child process of the test, killed if the test process dies (Pdeathsig).
type proc struct {
	name string
	cmd  *exec.Cmd
	out  *testenv.SyncBuffer
	done chan struct{}
	err  error
}

// startProc starts bin with exactly env; its output is kept, and shown when the test
// fails. It is stopped (SIGTERM, then SIGKILL) at the end of the test.
func startProc(t testing.TB, name, bin string, env []string, args ...string) *proc {
	t.Helper()
	p := &proc{name: name, out: &testenv.SyncBuffer{}, done: make(chan struct{})}
	p.cmd = exec.Command(bin, args...)
	p.cmd.Env = env
	p.cmd.Stdout, p.cmd.Stderr = p.out, p.out
	p.cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	started := make(chan error, 1)
	go func() {
		// Pdeathsig fires when the thread that started the child ends: keep it.
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
		if err := p.cmd.Start(); err != nil {
			started <- err
			return
		}
		started <- nil
		p.err = p.cmd.Wait()
		close(p.done)
	}()
	if err := <-started; err != nil {
		t.Fatalf("start %s: %v", name, err)
	}
	t.Cleanup(func() {
		p.stop()
		if t.Failed() {
			t.Logf("--- %s (%v), last output ---\n%s", name, p.err, lastBytes(p.out.String(), 6000))
		}
	})
	return p
}

func (p *proc) exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// kill9 kills the process with SIGKILL and waits for it.
func (p *proc) kill9() {
	_ = p.cmd.Process.Signal(syscall.SIGKILL)
	<-p.done
}

// stop asks the process to stop (SIGTERM) and kills it after 30 s.
func (p *proc) stop() {
	if p.exited() {
		return
	}
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(30 * time.Second):
		_ = p.cmd.Process.Kill()
		<-p.done
	}
}

// waitErr is the process's exit (after it ended).
func (p *proc) waitErr() error {
	<-p.done
	return p.err
}

// runProcess runs bin to its end and returns its output.
func runProcess(ctx context.Context, bin string, env []string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Env = env
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// runScript runs a compose setup script with /bin/sh and exactly env.
func runScript(t *testing.T, script string, env []string) {
	t.Helper()
	cmd := exec.Command("/bin/sh", script)
	cmd.Env = env
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s: %v\n%s", filepath.Base(script), err, out)
	}
}

func lastBytes(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return "…" + s[len(s)-n:]
}

func moduleRoot(t testing.TB) string {
	t.Helper()
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		t.Fatalf("go env GOMOD: %v", err)
	}
	return filepath.Dir(strings.TrimSpace(string(out)))
}

// freePorts returns n distinct loopback ports below 32768 that were free a moment ago:
// Temporal's SQL schema keeps membership ports in a smallint column, and the kernel's
// ephemeral ports (what port 0 gives) are above it.
func freePorts(t *testing.T, n int) []int {
	t.Helper()
	var lns []net.Listener
	defer func() {
		for _, l := range lns {
			l.Close()
		}
	}()
	out := make([]int, 0, n)
	for tries := 0; len(out) < n; tries++ {
		if tries > 1000 {
			t.Fatalf("no %d free ports in 20000-32767", n)
		}
		var b [2]byte
		_, _ = rand.Read(b[:])
		port := 20000 + (int(b[0])<<8|int(b[1]))%12768
		l, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
		if err != nil {
			continue
		}
		lns = append(lns, l)
		out = append(out, port)
	}
	return out
}

func randomHexString(t testing.TB, n int) string {
	t.Helper()
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(b)
}

// --- parallel steps ----------------------------------------------------------------

// goFailure carries a failed step out of its goroutine.
type goFailure struct{ msg string }

// goTB lets the test's helpers (must, login, eventually), which fail with Fatalf, run on
// other goroutines: Fatalf ends the step's goroutine with a goFailure, which inParallel
// turns into a test failure on the test's goroutine.
type goTB struct{ testing.TB }

func (g goTB) Fatalf(format string, args ...any) { panic(goFailure{fmt.Sprintf(format, args...)}) }
func (g goTB) Fatal(args ...any)                 { panic(goFailure{fmt.Sprint(args...)}) }
func (g goTB) FailNow()                          { panic(goFailure{"FailNow"}) }
func (g goTB) Helper()                           {}

// inParallel runs f(0..n-1) at once and fails the test with every step that failed.
func inParallel(t *testing.T, n int, f func(tb testing.TB, i int)) {
	t.Helper()
	var wg sync.WaitGroup
	errs := make([]string, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() {
				if r := recover(); r != nil {
					if gf, ok := r.(goFailure); ok {
						errs[i] = gf.msg
						return
					}
					errs[i] = fmt.Sprintf("panic: %v", r)
				}
			}()
			f(goTB{t}, i)
		}()
	}
	wg.Wait()
	failed := false
	for i, e := range errs {
		if e != "" {
			t.Errorf("step %d: %s", i, e)
			failed = true
		}
	}
	if failed {
		t.FailNow()
	}
}
