package composecheck

import (
	"fmt"
	"net"
	"strings"

	"gopkg.in/yaml.v3"
)

// PromConfig is the part of a Prometheus configuration the check reads.
type PromConfig struct {
	ScrapeConfigs []struct {
		JobName       string `yaml:"job_name"`
		MetricsPath   string `yaml:"metrics_path"`
		StaticConfigs []struct {
			Targets []string `yaml:"targets"`
		} `yaml:"static_configs"`
	} `yaml:"scrape_configs"`
}

// metricsAddrVars are the variables that set where each awardflow process serves
// /metrics: the server on its API address, the worker on its own listener.
var metricsAddrVars = []string{"AWARDFLOW_ADDR", "AWARDFLOW_WORKER_ADDR"}

// CheckPrometheus checks the scrape configuration against the compose file: every
// target is a compose service on the port where that service serves /metrics (the port
// of its AWARDFLOW_ADDR or AWARDFLOW_WORKER_ADDR), and every awardflow service (built
// from ./Dockerfile) is scraped.
func CheckPrometheus(promYAML, composeYAML []byte) ([]string, error) {
	var p PromConfig
	if err := yaml.Unmarshal(promYAML, &p); err != nil {
		return nil, fmt.Errorf("prometheus config: %w", err)
	}
	var f File
	if err := yaml.Unmarshal(composeYAML, &f); err != nil {
		return nil, fmt.Errorf("compose file: %w", err)
	}
	var problems []string
	addf := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
	scraped := map[string]bool{}
	for _, sc := range p.ScrapeConfigs {
		if sc.MetricsPath != "" && sc.MetricsPath != "/metrics" {
			addf("job %s: metrics_path %q, awardflow serves /metrics", sc.JobName, sc.MetricsPath)
		}
		for _, st := range sc.StaticConfigs {
			for _, target := range st.Targets {
				host, port, err := net.SplitHostPort(target)
				if err != nil {
					addf("job %s: target %q: %v", sc.JobName, target, err)
					continue
				}
				svc, ok := f.Services[host]
				if !ok {
					addf("job %s: target %q is no compose service", sc.JobName, target)
					continue
				}
				env, err := environment(svc.Environment)
				if err != nil {
					addf("service %s: environment: %v", host, err)
					continue
				}
				var ports []string
				for _, v := range metricsAddrVars {
					if addr := env[v]; addr != "" {
						if _, p, err := net.SplitHostPort(addr); err == nil {
							ports = append(ports, p)
						}
					}
				}
				found := false
				for _, p := range ports {
					found = found || p == port
				}
				if !found {
					addf("job %s: target %q, but service %s serves /metrics on port(s) %v (%s)", sc.JobName, target, host, ports, strings.Join(metricsAddrVars, ", "))
					continue
				}
				scraped[host] = true
			}
		}
	}
	for _, name := range sortedKeys(f.Services) {
		svc := f.Services[name]
		if !svc.Build.IsZero() && !scraped[name] {
			addf("service %s (built from the Dockerfile) is not scraped by Prometheus", name)
		}
	}
	return problems, nil
}
