#!/usr/bin/env bash
# scripts/bench.sh — the performance harness of issue 12. Each goal is measured beside its
# baseline in the same run (same process, same embedded servers, same noisy 2-core
# machine), and the ratios are printed:
#
#   P1  proposals/s through the API ÷ a bare three-update workflow on the same server  (goal ≥ 0.7)
#   P2  one action's p99 through the API ÷ a raw SDK update's p99                       (goal ≤ 1.25)
#   (P1 and P2 run both sides interleaved: A B B A blocks, and a random order per round)
#   P3  evidence upload through the API ÷ a bare PutObject of the same bytes, same S3   (goal ≥ 0.9)
#       and the RSS growth per GiB uploaded                                             (goal ≤ 64 MiB)
#   P4  render + sign ÷ bare gofpdf with the same text                                  (goal ≤ 1.3)
#   P5  the lists' p95 through the API at the largest size                              (goal ≤ 100 ms)
#   P6  `dev` ready, warm, over a data directory with open proposals                     (goal ≤ 3 s)
#   and the process's RSS per open proposal (the sticky cache is bounded: AWARDFLOW_WORKFLOW_CACHE)
#
# Usage:
#   bash scripts/bench.sh smoke      tiny sizes, one run, no thresholds: the test command runs
#                                    it so that the harness cannot rot (~2 min)
#   bash scripts/bench.sh full [K]   K runs (default 3) of the figures BENCHMARKS.md records;
#                                    about an hour on 2 cores (the 20,000-proposal steps;
#                                    BENCH_LIST_SIZES and BENCH_OPEN_SIZES choose others)
#
# Needs what the test command installs (MinIO for the blobstore pair, PostgreSQL for the
# lists): run `bash scripts/test-all.sh` once first, or set AWARDFLOW_MINIO_BIN and
# AWARDFLOW_PG_BINDIR. Raw go test output is kept in $BENCH_OUT (default a temp dir).
set -euo pipefail
cd "$(dirname "$0")/.."

mode=${1:-full}
case $mode in
smoke)
	runs=1 n=3 rounds=3 burst=2 sizes=40 open=10
	;;
full)
	# rounds: P1 and P2 take 1,000 rounds. A p99 of 200 samples is the second slowest,
	# and moved the same code's P2 from 0.85 to 1.50 in three runs; of 1,000, 1.05-1.16.
	runs=${2:-3} n=200 rounds=1000 burst=20 sizes=${BENCH_LIST_SIZES:-1000,20000} open=${BENCH_OPEN_SIZES:-3000,20000}
	;;
*)
	echo "usage: $0 smoke | full [runs]" >&2
	exit 2
	;;
esac
out=${BENCH_OUT:-$(mktemp -d)}
mkdir -p "$out"
: "${AWARDFLOW_MINIO_BIN:=$(ls -d "$PWD"/.tools/minio-*/minio 2>/dev/null | head -n 1)}"
export AWARDFLOW_MINIO_BIN
# A missing component fails the benchmark instead of skipping it.
export AWARDFLOW_REQUIRE_REAL=1
[[ -x ${AWARDFLOW_MINIO_BIN:-} ]] || { echo "bench: no MinIO binary (run bash scripts/test-all.sh once, or set AWARDFLOW_MINIO_BIN)" >&2; exit 1; }

bench() { # file, go test arguments...
	local file=$1
	shift
	echo "bench: go test $*" >&2
	go test -run '^$' -count=1 "$@" | tee -a "$out/$file" | grep -E '^(Benchmark|ok|FAIL|---)' >&2
}

for run in $(seq 1 "$runs"); do
	echo "bench: run $run of $runs ($mode)" >&2
	bench "e2e.$run" -bench 'P1Filing/interleaved|P2Action/interleaved' -benchtime "${rounds}x" -timeout 1h ./internal/e2e
	# What the submit's update costs over the bare one, cost by cost (context for P2).
	bench "anatomy.$run" -bench 'P2Anatomy' -benchtime "${n}x" -timeout 1h ./internal/e2e
	bench "e2e.$run" -bench 'P3Upload' -benchtime "${n}x" -timeout 1h ./internal/e2e
	# P3 in both regimes: 200 uploads write 3 GiB per side and the disk's writeback bounds
	# both; a burst of 20 stays in the page cache, where the API's fixed costs show.
	bench "burst.$run" -bench 'P3Upload' -benchtime "${burst}x" -timeout 1h ./internal/e2e
	bench "s3.$run" -bench 'EvidenceUpload' -benchtime "${n}x" ./internal/blobstore
	bench "pdf.$run" -bench 'RenderAndSign/awardees=1$' -benchtime "${n}x" ./activities
	bench "pdf.$run" -bench 'BareGofpdf/1$' -benchtime "${n}x" ./templates
done
AWARDFLOW_BENCH_SIZES=$sizes bench lists -bench 'ListsThroughTheAPI' -benchtime "$((n < 50 ? n : 50))x" -timeout 2h ./internal/httpapi
AWARDFLOW_BENCH_SIZES=$open bench open -bench 'OpenProposals' -timeout 3h ./internal/e2e

# One value per (benchmark, unit) per file: "name unit value" lines, names without the
# -GOMAXPROCS suffix.
values() {
	awk '/^Benchmark/ {
		name = $1; sub(/-[0-9]+$/, "", name)
		for (i = 3; i < NF; i += 2) print name, $(i + 1), $i
	}' "$@"
}
get() { # file, name, unit
	values "$1" | awk -v n="$2" -v u="$3" '$1 == n && $2 == u { print $3; exit }'
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b == "" || b == 0) print "?"; else printf "%.2f", a / b }'; }

echo
echo "ratios ($mode; raw output in $out)"
printf '%-4s %-62s %s\n' "" "goal" "run 1..$runs"
p1="" p2="" p3="" p3b="" p3u="" p3s="" p3t="" p3m="" p4=""
for run in $(seq 1 "$runs"); do
	e=$out/e2e.$run s=$out/s3.$run p=$out/pdf.$run u=$out/burst.$run
	p1+=" $(ratio "$(get "$e" BenchmarkP1Filing/interleaved bare-ms/op)" "$(get "$e" BenchmarkP1Filing/interleaved api-ms/op)")"
	p2+=" $(ratio "$(get "$e" BenchmarkP2Action/interleaved api-p99-ms)" "$(get "$e" BenchmarkP2Action/interleaved bare-p99-ms)")"
	p3+=" $(ratio "$(get "$e" BenchmarkP3Upload/bare ns/op)" "$(get "$e" BenchmarkP3Upload/api ns/op)")"
	p3b+=" $(ratio "$(get "$u" BenchmarkP3Upload/bare ns/op)" "$(get "$u" BenchmarkP3Upload/api ns/op)")"
	p3u+=" $(ratio "$(get "$e" BenchmarkP3Upload/bare ns/op)" "$(get "$e" BenchmarkP3Upload/api-unstated ns/op)")"
	p3t+=" $(ratio "$(get "$s" BenchmarkEvidenceUpload/BarePutObject/15MiB ns/op)" "$(get "$s" BenchmarkEvidenceUpload/PutEvidenceStated/15MiB ns/op)")"
	p3m+=" $(get "$e" BenchmarkP3Upload/api rss-MiB/GiB)"
	p3s+=" $(ratio "$(get "$s" BenchmarkEvidenceUpload/BarePutObject/15MiB ns/op)" "$(get "$s" BenchmarkEvidenceUpload/PutEvidence/15MiB ns/op)")"
	p4+=" $(ratio "$(get "$p" BenchmarkRenderAndSign/awardees=1 ns/op)" "$(get "$p" BenchmarkBareGofpdf/1 ns/op)")"
done
printf '%-4s %-62s%s\n' P1 "API proposals/s ÷ bare workflow's (≥ 0.7)" "$p1"
printf '%-4s %-62s%s\n' P2 "API action p99 ÷ raw SDK update p99 (≤ 1.25)" "$p2"
for run in $(seq 1 "$runs"); do
	a=$out/anatomy.$run line=""
	for v in bare upsert timer view all3 api; do line+=" $v $(get "$a" BenchmarkP2Anatomy/submit "$v-p50-ms")"; done
	printf '%-4s %-62s%s\n' "" "  run $run: the submit's p50, ms, cost by cost" "$line"
done
printf '%-4s %-62s%s\n' P3 "API upload ÷ bare PutObject, 15 MiB (≥ 0.9)" "$p3"
printf '%-4s %-62s%s\n' "" "  a burst of $burst uploads (in the page cache)" "$p3b"
printf '%-4s %-62s%s\n' "" "  a client that states no SHA-256 (spooled)" "$p3u"
printf '%-4s %-62s%s\n' "" "  blobstore.PutEvidenceStated ÷ bare PutObject, 15 MiB, MinIO" "$p3t"
printf '%-4s %-62s%s\n' "" "  blobstore.PutEvidence ÷ bare PutObject, 15 MiB, MinIO" "$p3s"
printf '%-4s %-62s%s\n' "" "  RSS growth, MiB per GiB uploaded (≤ 64)" "$p3m"
printf '%-4s %-62s%s\n' P4 "render + sign ÷ bare gofpdf, 1 awardee (≤ 1.3)" "$p4"
worst=$(values "$out/lists" | awk '$2 == "p95-ms" && $3 > w { w = $3 } END { print w + 0 }')
printf '%-4s %-62s %s\n' P5 "slowest list p95 through the API, ms, largest size (≤ 100)" "$worst"
values "$out/open" | awk '$2 == "ready-s" || $2 == "rss-KiB/open" || $2 == "rss-MiB" { printf "P6   %-62s %s\n", $1 " " $2, $3 }'
