package testenv

import (
	"os"
	"strconv"
	"strings"
	"testing"
)

// EnvBenchSizes names the sizes the size-dependent benchmarks run at, comma separated
// (e.g. "200" for the smoke run of scripts/bench.sh); unset: each benchmark's own.
const EnvBenchSizes = "AWARDFLOW_BENCH_SIZES"

// BenchSizes is the list of sizes a benchmark runs at: AWARDFLOW_BENCH_SIZES when set,
// else defaults. A malformed value fails the benchmark rather than silently running the
// defaults.
func BenchSizes(tb testing.TB, defaults ...int) []int {
	tb.Helper()
	v := strings.TrimSpace(os.Getenv(EnvBenchSizes))
	if v == "" {
		return defaults
	}
	var out []int
	for _, f := range strings.Split(v, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 {
			tb.Fatalf("%s=%q: want positive whole numbers separated by commas", EnvBenchSizes, v)
		}
		out = append(out, n)
	}
	return out
}
