// Package obs is awardflow's observability: the Prometheus registry and its awardflow_*
// series, the HTTP middleware that measures requests and gives each one a request id,
// the slog handler that writes that id on every line, and OpenTelemetry tracing.
//
// The series live on one process-wide registry (Registry): `awardflow server` and
// `awardflow worker` are separate processes and each serves its own /metrics; `dev` runs
// both in one process and serves one. No label carries personal data or an id: routes
// are the route table's patterns, never raw paths.
package obs

import (
	"context"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Registry holds every series this process exports.
var Registry = prometheus.NewRegistry()

// latencyBuckets (seconds) cover a cached read (a millisecond) to a signing that waits
// on a slow S3 (tens of seconds).
var latencyBuckets = []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30, 60}

var (
	httpRequests = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "awardflow_http_requests_total",
		Help: "HTTP requests answered, by route pattern, method and status code.",
	}, []string{"route", "method", "status"})
	httpDuration = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name: "awardflow_http_request_duration_seconds", Buckets: latencyBuckets,
		Help: "Time to answer an HTTP request, by route pattern and method.",
	}, []string{"route", "method"})
	s3Duration = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name: "awardflow_s3_operation_duration_seconds", Buckets: latencyBuckets,
		Help: "Time of one S3 operation (put, get, stat, remove, list, copy), by operation and outcome (ok, error).",
	}, []string{"operation", "outcome"})
	s3Bytes = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "awardflow_s3_bytes_total",
		Help: "Bytes written to (put) and read from (get) S3.",
	}, []string{"operation"})
	activityDuration = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name: "awardflow_activity_duration_seconds", Buckets: latencyBuckets,
		Help: "Time of one activity attempt, by activity type and outcome (ok, error).",
	}, []string{"activity_type", "outcome"})
	documentsIssued = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "awardflow_documents_issued_total",
		Help: "Documents entered in the award register as issued, by kind (decision, submission, minutes, council_submission, ...).",
	}, []string{"kind"})
	loginFailures = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "awardflow_login_failures_total",
		Help: "Refused sign-ins, by reason (bad_credentials, throttled).",
	}, []string{"reason"})
	ownRowsSwept = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "awardflow_own_rows_swept_total",
		Help: "Own-row intents the sweeper settled after their request did not (a crash, a failed write), by outcome (written, dropped, retried).",
	}, []string{"outcome"})
	evidenceUploads = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "awardflow_evidence_uploads_total",
		Help: "Evidence files stored, by path: streamed (the client stated the SHA-256 and size; straight to S3) or spooled (hashed on a local file first).",
	}, []string{"path"})
)

func init() {
	Registry.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		httpRequests, httpDuration, s3Duration, s3Bytes, activityDuration, documentsIssued, loginFailures, ownRowsSwept, evidenceUploads)
	// Every series with a fixed label set shows from the start (0, not absent): a
	// dashboard and an alert see "none yet" rather than "no data".
	for _, r := range []string{"bad_credentials", "throttled"} {
		loginFailures.WithLabelValues(r)
	}
	for _, o := range []string{"written", "dropped", "retried"} {
		ownRowsSwept.WithLabelValues(o)
	}
	for _, p := range []string{"streamed", "spooled"} {
		evidenceUploads.WithLabelValues(p)
	}
}

// Handler serves the registry in the Prometheus text format (GET /metrics).
func Handler() http.Handler {
	return promhttp.HandlerFor(Registry, promhttp.HandlerOpts{Registry: Registry})
}

func outcome(err error) string {
	if err != nil {
		return "error"
	}
	return "ok"
}

// ObserveS3 records one S3 operation that started at start.
func ObserveS3(op string, start time.Time, err error) {
	s3Duration.WithLabelValues(op, outcome(err)).Observe(time.Since(start).Seconds())
}

// AddS3Bytes counts bytes moved by op ("put" or "get").
func AddS3Bytes(op string, n int64) {
	if n > 0 {
		s3Bytes.WithLabelValues(op).Add(float64(n))
	}
}

// ObserveActivity records one activity attempt.
func ObserveActivity(activityType string, d time.Duration, err error) {
	activityDuration.WithLabelValues(activityType, outcome(err)).Observe(d.Seconds())
}

// DocumentIssued counts a document entered in the register as issued.
func DocumentIssued(kind string) { documentsIssued.WithLabelValues(kind).Inc() }

// LoginFailed counts a refused sign-in; reason is "bad_credentials" or "throttled".
func LoginFailed(reason string) { loginFailures.WithLabelValues(reason).Inc() }

// OwnRowSwept counts one workflow's own-row intents settled by the sweeper: "written"
// (its row written from the workflow's answer), "dropped" (no row to be had), or
// "retried" (left for the next sweep). Many "written" mean requests die between the
// change and the row (crashes, a failing records store).
func OwnRowSwept(outcome string) { ownRowsSwept.WithLabelValues(outcome).Inc() }

// EvidenceStored counts one evidence file stored; path is "streamed" or "spooled". Many
// "spooled" from the pages mean browsers without crypto.subtle (a page served over plain
// HTTP from a host that is not localhost).
func EvidenceStored(path string) { evidenceUploads.WithLabelValues(path).Inc() }

// StageCounter counts the proposals in each stage (the records store's projection).
type StageCounter func(ctx context.Context) (map[string]int, error)

// stageCollector is awardflow_proposals{stage}: read from the records store when
// Prometheus scrapes, at most once per cacheFor (a scrape every few seconds from
// several Prometheus servers costs one query).
type stageCollector struct {
	count    StageCounter
	log      *slog.Logger
	cacheFor time.Duration
	desc     *prometheus.Desc

	mu     sync.Mutex
	at     time.Time
	counts map[string]int
}

var (
	stageMu  sync.Mutex
	stageCur *stageCollector
)

// StageCacheFor is how long one count of the proposals by stage is served.
const StageCacheFor = 15 * time.Second

// RegisterStages makes awardflow_proposals{stage} read from count. A later call
// replaces the earlier counter (the dev stack restarted in one test process).
func RegisterStages(count StageCounter, log *slog.Logger) {
	stageMu.Lock()
	defer stageMu.Unlock()
	if stageCur != nil {
		Registry.Unregister(stageCur)
	}
	stageCur = &stageCollector{count: count, log: log, cacheFor: StageCacheFor,
		desc: prometheus.NewDesc("awardflow_proposals", "Proposals in the records store by stage (counted at scrape time, cached 15 s).", []string{"stage"}, nil)}
	Registry.MustRegister(stageCur)
}

func (c *stageCollector) Describe(ch chan<- *prometheus.Desc) { ch <- c.desc }

func (c *stageCollector) Collect(ch chan<- prometheus.Metric) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.counts == nil || time.Since(c.at) > c.cacheFor {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		counts, err := c.count(ctx)
		cancel()
		if err != nil {
			if c.log != nil {
				c.log.Warn("metrics: count the proposals by stage", "err", err)
			}
			if c.counts == nil {
				return
			}
		} else {
			c.counts, c.at = counts, time.Now()
		}
	}
	for stage, n := range c.counts {
		ch <- prometheus.MustNewConstMetric(c.desc, prometheus.GaugeValue, float64(n), stage)
	}
}

// OpsMux is what the worker's own listener (AWARDFLOW_WORKER_ADDR) serves: GET /metrics,
// behind the bearer token when token is set.
func OpsMux(token string) *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /metrics", func(w http.ResponseWriter, r *http.Request) {
		if token != "" && r.Header.Get("Authorization") != "Bearer "+token {
			w.Header().Set("WWW-Authenticate", `Bearer realm="awardflow"`)
			http.Error(w, "401 the metrics need their bearer token (AWARDFLOW_METRICS_TOKEN)", http.StatusUnauthorized)
			return
		}
		Handler().ServeHTTP(w, r)
	})
	return mux
}
