#!/bin/sh
# make bench: every benchmark, then issue 21's table of every path at 1k, 10k and 100k data
# sources (scripts/benchtable.go reads the benchmarks' own metrics from the output).
#
# Four passes, so the large sizes do not run 20 times over:
#   1. everything but the scale benchmarks, 20 iterations (gateway's and etcdstore's long ones: 5);
#   2. the scale benchmarks whose op is one keystroke or step, 20 iterations (their list is
#      loaded once, outside the loop);
#   3. the scale benchmarks whose op is a whole run at 100k (a list of every org, a keeper
#      round, ten sessions loading), once each;
#   4. the whole-run scale benchmarks cheap enough at 100k (a second or less) to run 5 times,
#      which report the median: one run at 100k beside twenty at 1k let a GC cycle or the other
#      work on the machine decide the growth column (issue 21: three of four rows marked worse
#      than linear were that, or a flaw in what the benchmark measured).
# The output is kept in $BENCH_OUT (default bin/bench.txt); BENCH_TABLE_ONLY=1 formats a kept
# one again without running anything.
set -eu
GO=${GO:-go}
out=${BENCH_OUT:-bin/bench.txt}
rc=$(mktemp)
trap 'rm -f "$rc"' EXIT
fail=0
# run shows a pass as it goes and keeps it in $out; a failing pass fails make bench at the end,
# after the table (POSIX sh has no pipefail).
run() {
	{ "$@" 2>&1; echo $? >"$rc"; } | tee -a "$out"
	[ "$(cat "$rc")" = 0 ] || fail=1
}
steps='ScaleFilterKeystroke|ScaleCursorStep|ScaleSort'
runs='ListJSONScale|ListJSONFleet|ExtendDryRunFleet|ExtendReal|ScaleFirstFrame|KeeperRoundFleet|ServeMemory'
medians='^BenchmarkExtendDryRun$|ScaleHeap|ScrapeFleet|ObserveFleet'
if [ "${BENCH_TABLE_ONLY:-}" = "" ]; then
	mkdir -p "$(dirname "$out")"
	: >"$out"
	start=$(date +%s)
	# shellcheck disable=SC2046 # one word per package
	run $GO test -run '^$' -bench . -skip "$steps|$runs|$medians" -benchmem -benchtime 20x \
		$($GO list ./... | grep -v -E '/(gateway|etcdstore)$')
	# gateway's are long per op (a second of paced audio, 1,000 probes), and so are etcdstore's
	# (a failover waits out a lease; a keeper round covers 10,000 sources on three replicas).
	run $GO test -run '^$' -bench . -benchmem -benchtime 5x ./gateway ./etcdstore
	run $GO test -run '^$' -bench "$steps" -benchmem -benchtime 20x -timeout 30m ./tui
	run $GO test -run '^$' -bench "$runs" -benchmem -benchtime 1x -timeout 60m ./cli ./tui ./keeper ./serve
	run $GO test -run '^$' -bench "$medians" -benchmem -benchtime 5x -timeout 30m ./cli ./tui ./metrics
	echo "make bench: $(($(date +%s) - start)) s; load average $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo ?)" | tee -a "$out"
fi
echo
echo "Issue 21: every path from 1k to 100k data sources (100k: 50k where a benchmark stops there)"
$GO run ./scripts/benchtable.go "$out" || fail=1
exit $fail
