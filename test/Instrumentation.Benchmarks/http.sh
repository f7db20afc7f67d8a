#!/usr/bin/env bash
# End-to-end comparison over HTTP of three minimal ASP.NET Core apps (HttpApps/): this library, prometheus-net 8.2.1
# and the OpenTelemetry SDK with its Prometheus exporter, each holding the same SERIES series (the benchmark suite's
# 20 families of counters and gauges). With wrk, on loopback only:
#   - GET /metrics, one connection (as one Prometheus scrapes), with `Accept-Encoding: gzip` (what Prometheus sends)
#     and without: scrapes/s, p99 latency, bytes per response;
#   - GET /hello, a trivial endpoint, with each library's request metrics off and on: requests/s and the ratio.
# Prints a Markdown table (and writes it to $RESULTS if set).
#
#   test/Instrumentation.Benchmarks/http.sh                  # 10k series, 10 s per measurement (~4 minutes)
#   DURATION=5s SERIES=1000 test/Instrumentation.Benchmarks/http.sh
#   APPS="Ours OpenTelemetry" test/Instrumentation.Benchmarks/http.sh
#
# Env: SERIES (10000), DURATION per wrk run (10s), WARMUP (3s), HELLO_CONNECTIONS (16), SCRAPE_CONNECTIONS (1),
# APPS (Ours PrometheusNet OpenTelemetry), OTEL_DEFAULT_CACHE=1 adds a row for OpenTelemetry with its default
# 300 ms scrape response cache (the main rows turn it off so every scrape collects and serialises), RESULTS (file).
# DOTNET_gcServer=0 runs every app with the workstation GC instead of the Web SDK's default server GC.
# Ports 19490-19493 on 127.0.0.1. Each app is stopped by its own pid when done (or on exit).
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
series="${SERIES:-10000}"
duration="${DURATION:-10s}"
warmup="${WARMUP:-3s}"
hello_connections="${HELLO_CONNECTIONS:-16}"
scrape_connections="${SCRAPE_CONNECTIONS:-1}"
read -r -a apps <<< "${APPS:-Ours PrometheusNet OpenTelemetry}"
wrk="${WRK:-wrk}"
command -v "$wrk" > /dev/null || { echo "http.sh: wrk not found (apt-get install wrk)" >&2; exit 1; }
command -v curl > /dev/null || { echo "http.sh: curl not found" >&2; exit 1; }

declare -A port=([Ours]=19490 [PrometheusNet]=19491 [OpenTelemetry]=19492 [OpenTelemetryCached]=19493)
declare -A label=([Ours]="ours (Instrumentation.AspNetCore)" [PrometheusNet]="prometheus-net 8.2.1" [OpenTelemetry]="OpenTelemetry 1.21 + Prometheus exporter 1.20.1-beta.1" [OpenTelemetryCached]="OpenTelemetry, default 300 ms response cache")
declare -A request_metrics=([Ours]="UseHttpMetrics()" [PrometheusNet]="UseHttpMetrics()" [OpenTelemetry]="AddAspNetCoreInstrumentation()")

app_pid=""
stop_app() {
  if [[ -n "$app_pid" ]]; then
    kill "$app_pid" 2> /dev/null || true
    wait "$app_pid" 2> /dev/null || true
    app_pid=""
  fi
}
trap stop_app EXIT

for app in "${apps[@]}"; do
  echo "Building $app (Release)..." >&2
  dotnet build "$here/HttpApps/$app" -c Release --nologo -v quiet > /dev/null
done

# start_app APP PORT HTTP_METRICS [CACHE_MS]: starts the app and waits until /metrics answers.
start_app() {
  local app="$1" p="$2" metrics="$3" cache="${4:-0}"
  local dll="$here/HttpApps/$app/bin/Release/net10.0/HttpApp.$app.dll"
  SERIES="$series" HTTP_METRICS="$metrics" OTEL_SCRAPE_CACHE_MS="$cache" ASPNETCORE_ENVIRONMENT=Production \
    dotnet "$dll" --urls "http://127.0.0.1:$p" > "/tmp/http-sh-$app.log" 2>&1 &
  app_pid=$!
  for _ in $(seq 1 300); do
    if curl -fs -o /dev/null "http://127.0.0.1:$p/metrics"; then
      return 0
    fi
    kill -0 "$app_pid" 2> /dev/null || { echo "http.sh: $app exited; log:" >&2; cat "/tmp/http-sh-$app.log" >&2; exit 1; }
    sleep 0.2
  done
  echo "http.sh: $app did not answer on port $p" >&2
  exit 1
}

# measure URL CONNECTIONS [HEADER]: prints "requests/s p99_ms" from a wrk run after a warm-up run.
measure() {
  local url="$1" connections="$2" header="${3:-}"
  local -a extra=()
  [[ -n "$header" ]] && extra=(-H "$header")
  "$wrk" -t1 -c"$connections" -d"$warmup" "${extra[@]}" "$url" > /dev/null
  local out
  out="$("$wrk" -t1 -c"$connections" -d"$duration" --latency "${extra[@]}" "$url")"
  echo "$out" >> /tmp/http-sh-wrk.log
  local rps p99 errors
  rps="$(awk '/^Requests\/sec:/ {print $2}' <<< "$out")"
  p99="$(awk '$1 == "99%" {print $2}' <<< "$out")"
  errors="$(grep -Eo 'Non-2xx or 3xx responses: [0-9]+|Socket errors:.*' <<< "$out" || true)"
  [[ -n "$errors" ]] && echo "http.sh: $url: $errors" >&2
  echo "$rps $(to_ms "$p99")"
}

# to_ms 1.23ms|456.00us|1.50s -> milliseconds
to_ms() {
  awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n += 0; else if (v ~ /s$/) n *= 1000; printf "%.2f", n }'
}

bytes_of() { curl -fs -o /dev/null -w '%{size_download}' "$@"; }

: > /tmp/http-sh-wrk.log
declare -A scrape_plain scrape_gzip p99_plain p99_gzip size_plain size_gzip hello_off hello_on
for app in "${apps[@]}"; do
  p="${port[$app]}"
  echo "$app: request metrics off, port $p" >&2
  start_app "$app" "$p" off
  size_plain[$app]="$(bytes_of "http://127.0.0.1:$p/metrics")"
  size_gzip[$app]="$(bytes_of -H 'Accept-Encoding: gzip' "http://127.0.0.1:$p/metrics")"
  read -r scrape_plain[$app] p99_plain[$app] <<< "$(measure "http://127.0.0.1:$p/metrics" "$scrape_connections")"
  read -r scrape_gzip[$app] p99_gzip[$app] <<< "$(measure "http://127.0.0.1:$p/metrics" "$scrape_connections" 'Accept-Encoding: gzip')"
  read -r hello_off[$app] _ <<< "$(measure "http://127.0.0.1:$p/hello" "$hello_connections")"
  stop_app
  echo "$app: request metrics on" >&2
  start_app "$app" "$p" on
  curl -fs -o /dev/null "http://127.0.0.1:$p/hello"
  read -r hello_on[$app] _ <<< "$(measure "http://127.0.0.1:$p/hello" "$hello_connections")"
  stop_app
done
if [[ "${OTEL_DEFAULT_CACHE:-0}" == 1 ]]; then
  app=OpenTelemetryCached
  p="${port[$app]}"
  echo "OpenTelemetry with its default scrape response cache, port $p" >&2
  start_app OpenTelemetry "$p" off 300
  size_plain[$app]="$(bytes_of "http://127.0.0.1:$p/metrics")"
  size_gzip[$app]="$(bytes_of -H 'Accept-Encoding: gzip' "http://127.0.0.1:$p/metrics")"
  read -r scrape_plain[$app] p99_plain[$app] <<< "$(measure "http://127.0.0.1:$p/metrics" "$scrape_connections")"
  read -r scrape_gzip[$app] p99_gzip[$app] <<< "$(measure "http://127.0.0.1:$p/metrics" "$scrape_connections" 'Accept-Encoding: gzip')"
  stop_app
fi

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'; }
{
  echo "- Started: $(date -u '+%Y-%m-%d %H:%M UTC'), load average $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "- Command: \`$(basename "$0")\` with SERIES=$series DURATION=$duration WARMUP=$warmup; wrk -t1, /metrics with $scrape_connections connection(s), /hello with $hello_connections"
  echo "- Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), .NET runtime $(dotnet --list-runtimes | grep -m1 NETCore.App | cut -d' ' -f2), GC: ${DOTNET_gcServer:+DOTNET_gcServer=$DOTNET_gcServer}${DOTNET_gcServer:-the Web SDK default (server GC)} in every app"
  echo
  echo "| app | /metrics scrapes/s | p99 | bytes | with gzip: scrapes/s | p99 | bytes | /hello req/s, request metrics off | on | on / off |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
  for app in "${apps[@]}" ${OTEL_DEFAULT_CACHE:+OpenTelemetryCached}; do
    [[ "$app" == OpenTelemetryCached && "${OTEL_DEFAULT_CACHE:-0}" != 1 ]] && continue
    if [[ "$app" == OpenTelemetryCached ]]; then
      hello="| - | - | - |"
    else
      hello="| ${hello_off[$app]} | ${hello_on[$app]} | $(ratio "${hello_on[$app]}" "${hello_off[$app]}") |"
    fi
    echo "| ${label[$app]} | ${scrape_plain[$app]} | ${p99_plain[$app]} ms | ${size_plain[$app]} | ${scrape_gzip[$app]} | ${p99_gzip[$app]} ms | ${size_gzip[$app]} $hello"
  done
  echo
  echo "Request metrics: ours \`${request_metrics[Ours]}\`, prometheus-net \`${request_metrics[PrometheusNet]}\`, OpenTelemetry \`${request_metrics[OpenTelemetry]}\`."
  if [[ -n "${scrape_gzip[Ours]:-}" ]]; then
    for app in "${apps[@]}"; do
      [[ "$app" == Ours ]] && continue
      echo "Ours / ${label[$app]}: scrapes/s $(ratio "${scrape_plain[Ours]}" "${scrape_plain[$app]}")x plain, $(ratio "${scrape_gzip[Ours]}" "${scrape_gzip[$app]}")x with gzip asked."
    done
  fi
} | tee ${RESULTS:+"$RESULTS"}
