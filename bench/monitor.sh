#!/usr/bin/env bash
# mlops monitor overhead: ROWS logged rows (20 numeric features, written by the server's InferenceLog), one drift check
# over the whole log (baseline) vs DriftMonitor tailing the same files in windows of WINDOW rows, same run.
# Usage: bench/monitor.sh [ROWS=1000000] [WINDOW=100000]   env: MONITOR_BENCH_DIR, MLOPS_TARGET, JAVA_OPTS (default -Xmx2g)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
rows="${1:-1000000}"
window="${2:-100000}"
dir="${MONITOR_BENCH_DIR:-/tmp/mlops-monitor-bench}"
target="${MLOPS_TARGET:-target}"
mkdir -p "$dir"
cd "$root"
mvn -q -o -Dmlops.target="$target" -pl core test-compile
mvn -q -o -Dmlops.target="$target" -pl core dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$dir/cp.txt" >/dev/null
cp="$(cat "$dir/cp.txt"):$root/core/$target/classes:$root/core/$target/test-classes"
echo "$(nproc) cores; load $(cut -d' ' -f1-3 /proc/loadavg)"
java ${JAVA_OPTS:--Xmx2g} -cp "$cp" dev.mlops.monitor.MonitorBench "$dir" "$rows" "$window"
