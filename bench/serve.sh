#!/usr/bin/env bash
# Model-server benchmark with wrk on 127.0.0.1. For each HTTP stack (Jetty 12, the default, and the JDK's
# HttpServer) it starts `mlops serve --synthetic` (a seeded plain-Java 10-32-16-2 MLP, no registry) and measures
#   (a) bare:  GET  /v2/health/live                (constant empty 200: the HTTP stack alone)
#   (b) infer: POST /v2/models/bench/infer, 1 row  (JSON parse + MLP forward pass + JSON response)
#   (c) paced: (b) with each of PACED_CONNECTIONS connections pausing 3 ms between requests, about 10,000 req/s
#       offered instead of as many as possible: the latency a client sees at that rate, not at saturation
# Rounds alternate between the stacks so both see the same background load. The table shows every round, then
# the best round and the spread per stack: on a shared machine other processes move the numbers.
# Usage: bench/serve.sh [ROUNDS] [SECONDS]
#   env: STACKS ("JETTY JDK")  CONNECTIONS (32)  PACED_CONNECTIONS (42)  THREADS (server workers; default 4/core, min 8)  LOG=1 (log every request)
#        MLOPS_CMD (default: ./mlops)  MLOPS_JAVA_OPTS (JVM options for ./mlops)
# Needs wrk (apt-get install -y wrk) and python3 (to pick free ports).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
rounds="${1:-3}"
seconds="${2:-10}"
connections="${CONNECTIONS:-32}"
paced_connections="${PACED_CONNECTIONS:-42}"
read -r -a stacks <<< "${STACKS:-JETTY JDK}"
command -v wrk >/dev/null || { echo "bench/serve.sh: wrk is not installed; apt-get install -y wrk" >&2; exit 1; }
read -r -a mlops_cmd <<< "${MLOPS_CMD:-$root/mlops}"
work="$(mktemp -d)"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

declare -A port
for stack in "${stacks[@]}"; do
  port[$stack]=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  args=(serve --synthetic --http "$stack" --port "${port[$stack]}" --cache-dir "$work/cache-$stack")
  [ -n "${THREADS:-}" ] && args+=(--threads "$THREADS")
  if [ "${LOG:-0}" = 1 ]; then args+=(--log-dir "$work/logs-$stack" --log-sample 1.0); else args+=(--no-log); fi
  (cd "$work" && exec "${mlops_cmd[@]}" "${args[@]}") >"$work/$stack.out" 2>"$work/$stack.err" &
  pids+=($!)
  for _ in $(seq 1 300); do
    grep -q "^Serving" "$work/$stack.out" 2>/dev/null && break
    kill -0 "${pids[-1]}" 2>/dev/null || { cat "$work/$stack.err" >&2; exit 1; }
    sleep 0.2
  done
  grep -q "^Serving" "$work/$stack.out" || { echo "the $stack server did not start" >&2; cat "$work/$stack.err" >&2; exit 1; }
done

cat >"$work/infer.lua" <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"inputs":[{"name":"input-0","shape":[1,10],"datatype":"FP32","data":[0.1,-0.2,0.3,0.4,-0.5,0.6,0.7,-0.8,0.9,1.0]}]}'
LUA
cp "$work/infer.lua" "$work/paced.lua"
echo 'function delay() return 3 end' >>"$work/paced.lua"

# milliseconds from wrk's "1.23ms" / "850.00us" / "1.02s"
to_ms() { awk -v v="$1" 'BEGIN{ if (v ~ /us$/) {sub(/us$/,"",v); printf "%.2f", v/1000} else if (v ~ /ms$/) {sub(/ms$/,"",v); printf "%.2f", v} else if (v ~ /s$/) {sub(/s$/,"",v); printf "%.2f", v*1000} else print v }'; }
measure() { # port endpoint -> "rps p50 p99 non2xx"
  local url out
  case "$2" in
    bare) out=$(wrk -t2 -c"$connections" -d"${seconds}s" --latency "http://127.0.0.1:$1/v2/health/live") ;;
    infer) out=$(wrk -t2 -c"$connections" -d"${seconds}s" --latency -s "$work/infer.lua" "http://127.0.0.1:$1/v2/models/bench/infer") ;;
    paced) out=$(wrk -t2 -c"$paced_connections" -d"${seconds}s" --latency -s "$work/paced.lua" "http://127.0.0.1:$1/v2/models/bench/infer") ;;
  esac
  local errs; errs=$(awk '/Non-2xx/{print $NF}' <<<"$out")
  echo "$(awk '/^Requests\/sec/{printf "%d", $2}' <<<"$out") $(to_ms "$(awk '$1=="50%"{print $2}' <<<"$out")") $(to_ms "$(awk '$1=="99%"{print $2}' <<<"$out")") ${errs:-0}"
}

echo "warming up..." >&2
for stack in "${stacks[@]}"; do measure "${port[$stack]}" bare >/dev/null; measure "${port[$stack]}" infer >/dev/null; done
results="$work/results.txt"
for r in $(seq 1 "$rounds"); do
  for stack in "${stacks[@]}"; do
    load=$(cut -d' ' -f1 /proc/loadavg)
    a=$(measure "${port[$stack]}" bare); b=$(measure "${port[$stack]}" infer); c=$(measure "${port[$stack]}" paced)
    echo "$stack $r $load $a $b $c" | tee -a "$results" >&2
  done
done

echo
echo "mlops serve --synthetic, wrk -t2 -c$connections -d${seconds}s --latency, $rounds round(s), $(nproc) cores, logging $([ "${LOG:-0}" = 1 ] && echo on || echo off)"
printf '%-6s %5s %6s %9s %7s %7s %9s %7s %7s %10s %9s %7s %7s\n' stack round load bare_rps p50_ms p99_ms infer_rps p50_ms p99_ms infer/bare paced_rps p50_ms p99_ms
awk '{printf "%-6s %5s %6s %9s %7s %7s %9s %7s %7s %10.2f %9s %7s %7s\n", $1, $2, $3, $4, $5, $6, $8, $9, $10, $8/$4, $12, $13, $14; if ($7+$11+$15>0) errs=1}
     END{ if (errs) print "WARNING: non-2xx responses seen" }' "$results"
echo
for stack in "${stacks[@]}"; do
  awk -v s="$stack" '$1==s { n++; if (n==1 || $4>bmax) bmax=$4; if (n==1 || $4<bmin) bmin=$4; if (n==1 || $8>imax) imax=$8; if (n==1 || $8<imin) imin=$8;
                             if (n==1 || $6<bp) bp=$6; if (n==1 || $10<ip) ip=$10; if (n==1 || $10>ipw) ipw=$10;
                             if (n==1 || $14<pp) pp=$14; if (n==1 || $14>ppw) ppw=$14; if (n==1 || $12<pr) pr=$12 }
       END { printf "%-6s saturated: bare %d rps (range %d..%d), infer %d rps (range %d..%d), p99 infer %s..%s ms, bare best %s ms; paced at >= %d rps: p99 %s..%s ms\n",
             s, bmax, bmin, bmax, imax, imin, imax, ip, ipw, bp, pr, pp, ppw }' "$results"
done
if [ "${LOG:-0}" = 1 ] && command -v curl >/dev/null; then
  for stack in "${stacks[@]}"; do
    echo "$stack inference log: $(curl -s "http://127.0.0.1:${port[$stack]}/metrics" | grep -E '^mlops_serve_log_(records|dropped)_total' | tr '\n' ' ')"
  done
fi
