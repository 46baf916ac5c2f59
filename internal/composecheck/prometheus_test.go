package composecheck

import (
	"strings"
	"testing"
)

// TestRepoPrometheusConfig: deploy/prometheus/prometheus.yml scrapes the server and the
// worker where docker-compose.yml makes them serve /metrics.
func TestRepoPrometheusConfig(t *testing.T) {
	problems, err := CheckPrometheus(readRepoFile(t, "deploy/prometheus/prometheus.yml"), readRepoFile(t, "docker-compose.yml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range problems {
		t.Error(p)
	}
}

// The check finds a target on the wrong port, a target that is no service, and an
// awardflow process nobody scrapes.
func TestPrometheusConfigMistakes(t *testing.T) {
	compose := []byte(`services:
  awardflow-server:
    build: .
    environment:
      AWARDFLOW_ADDR: 0.0.0.0:8080
  awardflow-worker:
    build: .
    environment:
      AWARDFLOW_WORKER_ADDR: 0.0.0.0:9091
`)
	prom := []byte(`scrape_configs:
  - job_name: s
    static_configs:
      - targets: ["awardflow-server:9090", "nowhere:1"]
`)
	problems, err := CheckPrometheus(prom, compose)
	if err != nil {
		t.Fatal(err)
	}
	all := strings.Join(problems, "\n")
	for _, want := range []string{`"awardflow-server:9090"`, `"nowhere:1" is no compose service`, "awardflow-worker (built from the Dockerfile) is not scraped", "awardflow-server (built from the Dockerfile) is not scraped"} {
		if !strings.Contains(all, want) {
			t.Errorf("missing problem %q in:\n%s", want, all)
		}
	}
}
