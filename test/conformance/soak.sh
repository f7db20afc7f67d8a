#!/usr/bin/env bash
# Soak: examples/QuickStart (Release) under load for SOAK_SECONDS (default 60), on loopback (a free port in
# 19480-19489), while at the same time
#   - wrk drives GET /orders/{id} (an endpoint counted by UseHttpMetrics and a typed counter),
#   - a scraper reads /metrics in a loop in every format: text 0.0.4, OpenMetrics, protobuf, gzip-compressed text,
#   - a second client GETs /users/<fresh id>/visits, a per-user label past the family's cap (UserVisits, 1,000 series),
#   - QueueCollector (builds its descriptors in Collect) is wrapped with the registry's const labels on every scrape.
# Then it checks (one PASS/FAIL line each):
#   soak-non2xx          no answer outside 2xx, and no socket error, for wrk, the scraper and the user client
#   soak-scrapes-parse   every scrape parsed (prometheus_client's parsers for text/OpenMetrics/gzip, protobuf_decode.py)
#   soak-promtool        promtool check metrics accepts a sample of the text scrapes (only the app's deliberate lint)
#   soak-request-count   http_requests_received_total equals the requests wrk and the user client sent, per route
#   soak-capped-family   shop_user_visits_total holds at most 1,000 series + one __overflow__, the series sum to the
#                        requests sent, and metrics_series_dropped_total{metric="shop_user_visits_total"} counts the
#                        folded ones (= the overflow series' value)
#   soak-heap-flat       managed heap after a forced full GC at the end within 10 % of its value after warm-up
#   soak-rss-flat        resident memory (VmRSS) at the end within 10 % of its value after warm-up
#   soak-sigterm         the app exits within 5 s of SIGTERM
# and prints a figures line and "N passed, N failed". Exit status non-zero on any failure.
#
#   bash test/conformance/soak.sh                      # 60 s, as .ci/run does (through run.sh's soak section)
#   SOAK_SECONDS=600 bash test/conformance/soak.sh     # the 10-minute run recorded in docs/performance.md
#
# Warm-up is the first third of the run (at least 10 s), a load phase of its own; the main phase follows. Memory is
# read when each phase is over and nothing is in flight, after a forced compacting GC (QuickStart's /soak/memory,
# mapped only when QUICKSTART_SOAK_ENDPOINTS=1; its answer is kept in memory.log with KEEP_WORK=1). Everything
# started here is stopped on exit.
set -uo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
PY=/usr/bin/python3
CLIENT="$HERE/checks/soak_client.py"
SOAK_SECONDS="${SOAK_SECONDS:-60}"
WRK_CONNECTIONS="${SOAK_WRK_CONNECTIONS:-8}"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/soak.XXXXXX")"
PASSED=0
FAILED=0
PIDS=()

cleanup() {
    local pid
    for pid in "${PIDS[@]}"; do
        kill "$pid" 2>/dev/null || true
    done
    for pid in "${PIDS[@]}"; do
        for _ in 1 2 3 4 5 6 7 8 9 10; do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.3
        done
        kill -9 "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    if [[ -n "${KEEP_WORK:-}" ]]; then
        echo "work directory kept: $WORK" >&2
    else
        rm -rf "$WORK"
    fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

pass() { echo "PASS $1"; PASSED=$((PASSED + 1)); }
fail() { echo "FAIL $1: $2"; FAILED=$((FAILED + 1)); }
# expect NAME CONDITION-EXIT-STATUS REASON
expect() { if [[ $2 == 0 ]]; then pass "$1"; else fail "$1" "$3"; fi; }

finish() {
    echo "$PASSED passed, $FAILED failed"
    ((FAILED == 0))
    exit $?
}

# json FILE KEY — one value of a JSON summary.
json() { "$PY" -c 'import json,sys; v=json.load(open(sys.argv[1])); [v := v[k] for k in sys.argv[2].split(".")]; print(v)' "$1" "$2"; }

# ---------------------------------------------------------------- prerequisites and start

for tool in wrk promtool curl; do
    command -v "$tool" >/dev/null || { fail soak-prerequisites "$tool is not installed"; finish; }
done
"$PY" -c 'import prometheus_client' 2>/dev/null || { fail soak-prerequisites "python3-prometheus-client is not installed"; finish; }
((SOAK_SECONDS >= 20)) || { fail soak-prerequisites "SOAK_SECONDS must be at least 20"; finish; }

if ! dotnet build "$REPO/examples/QuickStart/QuickStart.csproj" -c Release -o "$WORK/quickstart" --nologo -v q >"$WORK/build.log" 2>&1; then
    fail soak-build "$(tail -n 5 "$WORK/build.log" | tr '\n' ' ')"
    finish
fi

PORT=""
for candidate in $(seq 19480 19489); do
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$candidate") 2>/dev/null; then
        PORT=$candidate
        break
    fi
done
[[ -n $PORT ]] || { fail soak-start "no free port in 19480-19489"; finish; }
URL="http://127.0.0.1:$PORT"

# Production settings, workstation GC (as a small service on a shared host would run), the soak endpoint on.
# MALLOC_ARENA_MAX=2: glibc gives each new thread that calls malloc an arena of its own and keeps what it grew, so
# resident memory would rise with every thread the thread pool adds under load (native memory, e.g. zlib's for
# gzip scrapes) — the C library's behaviour, which would hide what this check is for: the managed side staying flat.
env ASPNETCORE_ENVIRONMENT=Production DOTNET_gcServer=0 QUICKSTART_SOAK_ENDPOINTS=1 MALLOC_ARENA_MAX=2 \
    dotnet "$WORK/quickstart/QuickStart.dll" --urls "$URL" --contentRoot "$REPO/examples/QuickStart" \
    --Logging:LogLevel:Default=Warning >"$WORK/app.log" 2>&1 &
APP_PID=$!
PIDS+=("$APP_PID")
for _ in $(seq 1 200); do
    curl -fsS -o /dev/null --max-time 2 "$URL/metrics" 2>/dev/null && break
    kill -0 "$APP_PID" 2>/dev/null || break
    sleep 0.3
done
if ! curl -fsS -o /dev/null --max-time 5 "$URL/metrics"; then
    fail soak-start "QuickStart did not answer on $URL: $(tail -n 5 "$WORK/app.log" | tr '\n' ' ')"
    finish
fi

# memory LABEL — forces a full compacting GC in the app, then records its managed heap and VmRSS.
memory() {
    local heap rss
    heap="$(curl -fsS --max-time 60 "$URL/soak/memory" | tee -a "$WORK/memory.log" | "$PY" -c 'import json,sys; print(json.load(sys.stdin)["heapBytes"])')" || heap=0
    rss="$(awk '/^VmRSS:/ {print $2 * 1024}' "/proc/$APP_PID/status" 2>/dev/null)" || rss=0
    echo " $1: VmRSS $rss, $(grep -E '^(RssAnon|RssFile|Threads):' "/proc/$APP_PID/status" 2>/dev/null | tr -s ' \t\n' ' ')" >>"$WORK/memory.log"
    echo "$heap" >"$WORK/heap.$1"
    echo "${rss:-0}" >"$WORK/rss.$1"
}

# ---------------------------------------------------------------- load

cat >"$WORK/count.lua" <<'LUA'
-- Counts the requests each wrk thread sends. At the deadline (the script's argument, seconds from now) it stops
-- sending new ones: delay() is asked before a request is built, and from then on parks the connection, so the
-- requests in flight are answered and wrk's -d, a little later, ends with none outstanding. Without that, the
-- requests in flight when wrk stops may or may not reach the app, and "sent" could not be compared exactly.
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) sent = 0; deadline = os.time() + tonumber(args[1]); req = wrk.format("GET", "/orders/7") end
function delay() if os.time() >= deadline then return 3600000 end return 0 end
function request() sent = sent + 1; return req end
function done(summary, latency, requests)
    local total = 0
    for _, t in ipairs(threads) do total = total + t:get("sent") end
    local e = summary.errors
    -- wrk calls request() once on the first thread's script to verify it (script_verify_request) before any thread
    -- runs: that call sent nothing.
    total = total - 1
    io.write(string.format("wrk-summary sent=%d completed=%d connect=%d read=%d write=%d status=%d timeout=%d\n",
        total, summary.requests, e.connect, e.read, e.write, e.status, e.timeout))
end
LUA

# phase NAME SECONDS FIRST_USER_ID — wrk, the scraper and the user client together for SECONDS, then waits for all
# three. wrk sends for SECONDS - 2 and then waits for its answers (see count.lua).
phase() {
    local name=$1 seconds=$2 first_user=$3 wrk_pid scrape_pid users_pid
    mkdir -p "$WORK/samples.$name"
    wrk -t 2 -c "$WRK_CONNECTIONS" -d "${seconds}s" --timeout 10s -s "$WORK/count.lua" "$URL/orders/7" -- $((seconds - 2)) >"$WORK/wrk.$name.out" 2>&1 &
    wrk_pid=$!
    "$PY" "$CLIENT" scrape "$URL" "$seconds" "$WORK/samples.$name" >"$WORK/scrape.$name.json" 2>"$WORK/scrape.$name.err" &
    scrape_pid=$!
    "$PY" "$CLIENT" users "$URL" "$seconds" "$first_user" >"$WORK/users.$name.json" 2>"$WORK/users.$name.err" &
    users_pid=$!
    PIDS+=("$wrk_pid" "$scrape_pid" "$users_pid")
    wait "$wrk_pid" "$scrape_pid" "$users_pid"
}

# Warm-up is the first third of the run (at least 10 s). Memory is read when each phase is over and nothing is in
# flight, so both readings see the app in the same state.
WARMUP=$((SOAK_SECONDS / 3 > 10 ? SOAK_SECONDS / 3 : 10))
START=$SECONDS
phase warmup "$WARMUP" 0
sleep 1
memory warmup
phase main $((SOAK_SECONDS - WARMUP)) 100000000
sleep 1
memory end
ELAPSED=$((SECONDS - START))

# ---------------------------------------------------------------- checks

"$PY" "$CLIENT" final "$URL" >"$WORK/final.json" 2>"$WORK/final.err" || { fail soak-final-scrape "$(head -c 500 "$WORK/final.err")"; }

# Both phases' client summaries, added up (the scrape latencies are the main phase's: after warm-up).
if ! "$PY" - "$WORK" >"$WORK/totals.sh" 2>"$WORK/totals.err" <<'PY'
import json, re, sys
work = sys.argv[1]
t = {k: 0 for k in ("WRK_SENT", "WRK_DONE", "WRK_ERRORS", "WRK_NON2XX", "USERS_SENT", "USERS_NON2XX", "SCRAPES", "SCRAPE_NON2XX", "PARSE_FAILURES")}
failures = []
for phase in ("warmup", "main"):
    line = re.search(r"^wrk-summary (.*)$", open(f"{work}/wrk.{phase}.out").read(), re.M)
    f = dict(kv.split("=") for kv in line.group(1).split())
    t["WRK_SENT"] += int(f["sent"]); t["WRK_DONE"] += int(f["completed"]); t["WRK_NON2XX"] += int(f["status"])
    t["WRK_ERRORS"] += sum(int(f[k]) for k in ("connect", "read", "write", "timeout"))
    u = json.load(open(f"{work}/users.{phase}.json"))
    t["USERS_SENT"] += u["sent"]; t["USERS_NON2XX"] += u["non2xx"]
    sc = json.load(open(f"{work}/scrape.{phase}.json"))
    t["SCRAPES"] += sc["scrapes"]; t["SCRAPE_NON2XX"] += sc["non2xx"]; t["PARSE_FAILURES"] += sc["parse_failures"]
    failures += sc["first_failures"]
for k, v in t.items():
    print(f"{k}={v}")
print(f"SCRAPE_P50={sc['p50_ms']} SCRAPE_P99={sc['p99_ms']}")
print("PARSE_FIRST_FAILURES=" + json.dumps("; ".join(failures[:3])))
PY
then
    fail soak-clients "a client gave no summary: $(head -c 300 "$WORK/totals.err") wrk: $(tail -n 3 "$WORK"/wrk.*.out | tr '\n' ' ') scraper: $(tail -c 300 "$WORK"/scrape.*.err) users: $(tail -c 300 "$WORK"/users.*.err)"
    kill -TERM "$APP_PID" 2>/dev/null
    finish
fi
# shellcheck disable=SC1091
source "$WORK/totals.sh"

non2xx_total=$((WRK_NON2XX + USERS_NON2XX + SCRAPE_NON2XX))
app_non2xx=$(json "$WORK/final.json" app_non2xx)
expect soak-non2xx $((non2xx_total == 0 && WRK_ERRORS == 0 && ${app_non2xx%.*} == 0 ? 0 : 1)) \
    "non-2xx answers: $non2xx_total (wrk $WRK_NON2XX), app-side $app_non2xx; wrk socket errors $WRK_ERRORS"

expect soak-scrapes-parse $((PARSE_FAILURES == 0 && SCRAPES > 0 ? 0 : 1)) \
    "$PARSE_FAILURES of $SCRAPES scrapes did not parse: $PARSE_FIRST_FAILURES"

# Lint findings that are deliberate in the app's output (as in run.sh's app section): OTel-named levels ending in _count.
promtool_problems=""
samples=("$WORK"/samples.*/scrape-*.txt)
if [[ ! -e ${samples[0]} ]]; then
    promtool_problems="no text scrape was kept"
fi
for sample in "${samples[@]}"; do
    [[ -e $sample ]] || continue
    out="$(promtool check metrics <"$sample" 2>&1 | grep -v '^$' | grep -Ev '^dotnet_[a-z_]*_count non-histogram and non-summary metrics should not have "_count" suffix$' || true)"
    [[ -z $out ]] || promtool_problems+="$(basename "$sample"): $out "
done
expect soak-promtool "$([[ -z $promtool_problems ]]; echo $?)" "${promtool_problems:0:800} (${#samples[@]} samples)"

app_orders=$(json "$WORK/final.json" orders)
app_users=$(json "$WORK/final.json" users)
expect soak-request-count $((${app_orders%.*} == WRK_SENT && WRK_DONE == WRK_SENT && ${app_users%.*} == USERS_SENT ? 0 : 1)) \
    "/orders/{id}: app counted $app_orders, wrk sent $WRK_SENT (answered $WRK_DONE); /users/{user}/visits: app counted $app_users, client sent $USERS_SENT"

series=$(json "$WORK/final.json" visits_series)
overflow_series=$(json "$WORK/final.json" visits_overflow_series)
visits_sum=$(json "$WORK/final.json" visits_sum)
overflow=$(json "$WORK/final.json" visits_overflow)
dropped=$(json "$WORK/final.json" visits_dropped)
capped_ok=1
if ((series <= 1001 && overflow_series == 1 && ${visits_sum%.*} == USERS_SENT && ${dropped%.*} == ${overflow%.*} && ${dropped%.*} == USERS_SENT - 1000)); then
    capped_ok=0
fi
expect soak-capped-family "$capped_ok" \
    "shop_user_visits_total: $series series ($overflow_series overflow), sum $visits_sum for $USERS_SENT requests; overflow $overflow, metrics_series_dropped_total $dropped (expected $((USERS_SENT - 1000)))"

HEAP_WARM=$(cat "$WORK/heap.warmup")
HEAP_END=$(cat "$WORK/heap.end")
RSS_WARM=$(cat "$WORK/rss.warmup")
RSS_END=$(cat "$WORK/rss.end")
# within10 A B — B within 10 % of A (A non-zero).
within10() { (($1 > 0 && $2 > 0 && $2 * 10 <= $1 * 11 && $2 * 10 >= $1 * 9)); }
mb() { awk -v b="$1" 'BEGIN {printf "%.1f MB", b / 1048576}'; }
within10 "$HEAP_WARM" "$HEAP_END"
expect soak-heap-flat $? "managed heap after a full GC: $(mb "$HEAP_WARM") after warm-up, $(mb "$HEAP_END") at the end"
within10 "$RSS_WARM" "$RSS_END"
expect soak-rss-flat $? "resident memory: $(mb "$RSS_WARM") after warm-up, $(mb "$RSS_END") at the end"

kill -TERM "$APP_PID"
stop_started=$(date +%s%N)
stopped=1
for _ in $(seq 1 100); do
    if ! kill -0 "$APP_PID" 2>/dev/null; then
        stopped=0
        break
    fi
    sleep 0.05
done
wait "$APP_PID" 2>/dev/null
STOP_MS=$((($(date +%s%N) - stop_started) / 1000000))
expect soak-sigterm "$stopped" "still running ${STOP_MS} ms after SIGTERM"

RPS=$(awk -v n="$WRK_SENT" -v s="$((SOAK_SECONDS - 4))" 'BEGIN {printf "%.0f", n / s}')
echo "# soak figures: ${ELAPSED} s, wrk ${RPS} req/s (${WRK_SENT} sent, ${WRK_CONNECTIONS} connections)," \
    "users $USERS_SENT, scrapes $SCRAPES (p50 $SCRAPE_P50 ms, p99 $SCRAPE_P99 ms)," \
    "heap $(mb "$HEAP_WARM") -> $(mb "$HEAP_END"), RSS $(mb "$RSS_WARM") -> $(mb "$RSS_END"), stop ${STOP_MS} ms"
finish
