# shellcheck shell=bash
# Worker checks (examples/Worker) for test/conformance/run.sh, which sources this file and lists "worker" in SECTIONS.
# Uses run.sh's helpers: check, fail, start_background, stop_background, wait_http, start_prometheus, $WORK, $PY.
#
#   worker-publish-trimmed     dotnet publish -c Release -p:PublishTrimmed=true, with no trim warnings
#   worker-runtimeconfig       the published runtimeconfig.json names Microsoft.NETCore.App and no ASP.NET Core
#   worker-serves              the worker's standalone server (AddMetricsServer) answers /metrics on 127.0.0.1:19470
#   worker-404                 other paths get 404
#   worker-promtool            promtool check metrics accepts its /metrics
#   worker-prometheus-up       a real Prometheus scrapes it: up{job="worker"} == 1
#   worker-prometheus-jobs     ... and sees the worker's typed metrics: worker_jobs_processed_total > 0

WORKER_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../../examples/Worker" && pwd)"
WORKER_PORT=19470

section_worker() {
    check worker-publish-trimmed worker_publish
    if [[ ! -x "$WORK/worker/Worker" ]]; then
        fail worker-checks "the worker was not published"
        return
    fi
    check worker-runtimeconfig worker_runtimeconfig "$WORK/worker/Worker.runtimeconfig.json"

    start_background "$WORK/worker.log" env Metrics__Server__Host=127.0.0.1 Metrics__Server__Port=$WORKER_PORT \
        Worker__IntervalMilliseconds=200 "$WORK/worker/Worker" --contentRoot "$WORK/worker"
    local worker_pid=$LAST_PID
    check worker-serves wait_http "http://127.0.0.1:$WORKER_PORT/metrics" 60
    if [[ $CHECK_OK != 1 ]]; then
        fail worker-log "$(tail -n 20 "$WORK/worker.log" | tr '\n' ' ' | cut -c1-1500)"
        stop_background "$worker_pid"
        return
    fi
    check worker-404 worker_status "http://127.0.0.1:$WORKER_PORT/other" 404
    check worker-promtool worker_promtool "http://127.0.0.1:$WORKER_PORT/metrics"

    local config="$WORK/prometheus-worker.yml"
    cat >"$config" <<YAML
global:
  scrape_interval: 1s
  scrape_timeout: 1s
scrape_configs:
  - job_name: worker
    static_configs:
      - targets: ['127.0.0.1:$WORKER_PORT']
YAML
    if start_prometheus "$config" >"$WORK/start-worker.log" 2>&1; then
        check worker-prometheus-up worker_query_until "$PROM_URL" 'up{job="worker"}' '== 1'
        check worker-prometheus-jobs worker_query_until "$PROM_URL" 'sum(worker_jobs_processed_total{job="worker"})' '> 0'
        stop_background "$PROM_PID"
    else
        fail worker-prometheus-start "$(tr '\n' ' ' <"$WORK/start-worker.log" | cut -c1-1500)"
    fi
    stop_background "$worker_pid"
}

worker_publish() {
    local log="$WORK/worker-publish.log"
    dotnet publish "$WORKER_DIR/Worker.csproj" -c Release -p:PublishTrimmed=true -o "$WORK/worker" --nologo >"$log" 2>&1 || {
        tail -n 20 "$log"
        return 1
    }
    if grep -E 'warning (IL|NETSDK)' "$log"; then
        echo "trim warnings (above)"
        return 1
    fi
}

worker_runtimeconfig() {
    cat "$1"
    grep -q '"Microsoft.NETCore.App"' "$1" || { echo "no Microsoft.NETCore.App in $1"; return 1; }
    if grep -q 'Microsoft.AspNetCore' "$1"; then
        echo "$1 names the ASP.NET Core framework"
        return 1
    fi
}

worker_status() {
    local code
    code="$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$1")"
    [[ $code == "$2" ]] || { echo "$1 answered $code, expected $2"; return 1; }
}

worker_promtool() {
    curl -fsS --max-time 5 "$1" >"$WORK/worker-metrics.txt" || return 1
    promtool check metrics <"$WORK/worker-metrics.txt"
}

# worker_query_until PROM_URL QUERY CONDITION — waits (up to 30 s) until the query's first value satisfies the
# Python comparison CONDITION (e.g. "> 0").
worker_query_until() {
    local deadline=$((SECONDS + 30)) value=""
    while ((SECONDS < deadline)); do
        value="$(curl -fsS --get --data-urlencode "query=$2" "$1/api/v1/query" |
            "$PY" -c 'import json,sys; r=json.load(sys.stdin)["data"]["result"]; print(r[0]["value"][1] if r else "")')" || true
        if [[ -n $value ]] && "$PY" -c "import sys; sys.exit(0 if float('$value') $3 else 1)"; then
            return 0
        fi
        sleep 0.5
    done
    echo "$2 = '${value}', expected $3"
    return 1
}
