#!/usr/bin/env bash
# Drift benchmark: ROWS (default 10,000,000) rows x 20 numeric + 5 categorical columns against a reference profile,
# full report with every method (PSI, KS, Wasserstein, Jensen-Shannon, chi-square), Java (dev.mlops.drift) vs
# pandas + numpy/scipy (scripts/bench/drift_pandas.py) in the same run:
#   (a) end to end from the same CSV file (Java streams it; pandas read_csv + the same analysis)
#   (b) on columns already in memory (the load is not timed in either)
# Peak memory from /usr/bin/time -v for each process. The CSVs (about 2.1 GB for 10M rows) are generated once
# under $DRIFT_BENCH_DIR (default /tmp/mlops-drift-bench) and reused.
# Usage: bench/drift.sh [ROWS]     env: DRIFT_BENCH_DIR, RUNS (default 2, interleaved), JAVA_OPTS (streaming, default -Xmx512m),
#   JAVA_MEMORY_OPTS (in-memory, default -Xmx10g), MLOPS_TARGET (Maven target dir, default target)
# Needs Debian python3-pandas python3-scipy python3-numpy (run with /usr/bin/python3).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
rows="${1:-10000000}"
dir="${DRIFT_BENCH_DIR:-/tmp/mlops-drift-bench}"
target="${MLOPS_TARGET:-target}"
mkdir -p "$dir"
cd "$root"
mvn -q -o -Dmlops.target="$target" -pl core test-compile
mvn -q -o -Dmlops.target="$target" -pl core dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$dir/cp.txt" >/dev/null
cp="$(cat "$dir/cp.txt"):$root/core/$target/classes:$root/core/$target/test-classes"
java_opts="${JAVA_OPTS:--Xmx512m}"
bench() { java $java_opts -cp "$cp" dev.mlops.drift.DriftBench "$@"; }

[ -f "$dir/reference.csv" ] || bench generate "$dir/reference.csv" 1000000 1 0
[ -f "$dir/current-$rows.csv" ] || bench generate "$dir/current-$rows.csv" "$rows" 2 1
bench profile "$dir/reference.csv" "$dir/profile.json"
echo "current: $rows rows, $(du -h "$dir/current-$rows.csv" | cut -f1); profile $(du -h "$dir/profile.json" | cut -f1); $(nproc) cores; load $(cut -d' ' -f1-3 /proc/loadavg)"

rss() { grep "Maximum resident set size" "$1" | awk '{printf "%.0f MiB", $6/1024}'; }
runs="${RUNS:-2}"
# interleaved, so machine load hits both sides alike; each line of output is one process
for run in $(seq "$runs"); do
  /usr/bin/time -v java $java_opts -cp "$cp" dev.mlops.drift.DriftBench csv "$dir/profile.json" "$dir/current-$rows.csv" "$dir/report" 2>"$dir/java-csv-$run.time"
  echo "  [run $run] java csv peak RSS $(rss "$dir/java-csv-$run.time")"
  /usr/bin/time -v /usr/bin/python3 scripts/bench/drift_pandas.py "$dir/profile.json" "$dir/current-$rows.csv" "$dir/pandas-results.json" 2>"$dir/pandas-$run.time"
  echo "  [run $run] pandas peak RSS $(rss "$dir/pandas-$run.time") (read_csv + analysis, one process)"
  /usr/bin/time -v java ${JAVA_MEMORY_OPTS:--Xmx10g} -cp "$cp" dev.mlops.drift.DriftBench memory "$dir/profile.json" "$dir/current-$rows.csv" 2>"$dir/java-memory-$run.time"
  echo "  [run $run] java in-memory peak RSS $(rss "$dir/java-memory-$run.time") (holds the columns)"
done
