#!/usr/bin/env bash
# Conformance checks: the library's exposition against real Prometheus tools (promtool, the Prometheus server's
# scrape parsers, the Python prometheus_client parsers). Called by .ci/run after the unit tests; runnable from any
# directory. Prints one line per check (PASS name / FAIL name: reason) and ends with "N passed, N failed".
#
# Adding a section: write a function section_<name> that calls `check NAME CMD...` (and start_prometheus /
# start_background to run servers, which cleanup stops), then add it to SECTIONS below.
# CONFORMANCE_SECTIONS="install build" restricts a run to some sections (for development).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PY=/usr/bin/python3              # the Debian python with python3-prometheus-client, never the pyenv one on PATH
CHECKS="$HERE/checks"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/conformance.XXXXXX")"
SECTIONS=(install build promtool parsers prometheus app exemplars sentry pushgateway worker packages)
START_SECONDS=$SECONDS

PASSED=0
FAILED=0
PIDS=()                          # every background process this script started; cleanup stops exactly these
CREATED_POLICY_RC=0

# ---------------------------------------------------------------- plumbing

cleanup() {
    local pid
    for pid in "${PIDS[@]}"; do
        kill "$pid" 2>/dev/null || true
    done
    for pid in "${PIDS[@]}"; do
        # Give each a moment to exit cleanly, then insist.
        for _ in 1 2 3 4 5 6 7 8 9 10; do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.3
        done
        kill -9 "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    if [[ $CREATED_POLICY_RC == 1 ]]; then
        rm -f /usr/sbin/policy-rc.d
    fi
    if [[ -n "${KEEP_WORK:-}" ]]; then
        echo "work directory kept: $WORK" >&2
    else
        rm -rf "$WORK"
    fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM   # turn a signal into an exit, so the EXIT trap still stops what was started

# check NAME CMD... — runs CMD, prints PASS or FAIL with the first lines of its output as the reason. Always returns 0
# (the script runs under set -e); CHECK_OK tells a section whether to go on.
check() {
    local name=$1
    shift
    local rc=0
    # Run in this shell (not a $(...) subshell) so that a check may start servers that cleanup knows about.
    "$@" >"$WORK/check.out" 2>&1 </dev/null || rc=$?
    if [[ $rc == 0 ]]; then
        echo "PASS $name"
        PASSED=$((PASSED + 1))
        CHECK_OK=1
    else
        CHECK_OK=0
        local reason
        reason="$(head -n 12 "$WORK/check.out" | tr '\n' ' ' | sed 's/  */ /g' | cut -c1-1500)"
        echo "FAIL $name: ${reason:-exit code $rc}"
        FAILED=$((FAILED + 1))
    fi
}

# fail NAME REASON — records a failure that has no command (a prerequisite missing, say).
fail() {
    echo "FAIL $1: $2"
    FAILED=$((FAILED + 1))
}

# start_background LOGFILE CMD... — starts CMD in the background, registers its PID for cleanup, sets LAST_PID.
start_background() {
    local log=$1
    shift
    "$@" >"$log" 2>&1 &
    LAST_PID=$!
    PIDS+=("$LAST_PID")
}

# stop_background PID — stops one process started by start_background (and forgets it, so cleanup never signals a
# reused PID).
stop_background() {
    local pid=$1 kept=() p
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 20); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.25
    done
    kill -9 "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    for p in "${PIDS[@]}"; do
        [[ $p == "$pid" ]] || kept+=("$p")
    done
    PIDS=("${kept[@]}")
}

# free_port — prints a TCP port on 127.0.0.1 that is free right now.
free_port() {
    "$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# wait_http URL SECONDS — waits until URL answers 2xx.
wait_http() {
    local url=$1 deadline=$((SECONDS + $2))
    while ((SECONDS < deadline)); do
        if curl -fsS -o /dev/null --max-time 2 "$url" 2>/dev/null; then
            return 0
        fi
        sleep 0.3
    done
    echo "$url did not answer within $2 s"
    return 1
}

# start_prometheus CONFIG_FILE [EXTRA_FLAGS...] — starts a Prometheus server on a free loopback port with its own
# TSDB directory; sets PROM_URL and PROM_PID. The server is stopped by cleanup.
start_prometheus() {
    local config=$1
    shift
    local port dir
    port="$(free_port)"
    dir="$(mktemp -d "$WORK/prometheus.XXXXXX")"
    start_background "$dir/prometheus.log" prometheus \
        --config.file="$config" \
        --storage.tsdb.path="$dir/data" \
        --web.listen-address="127.0.0.1:$port" \
        "$@"
    PROM_PID=$LAST_PID
    PROM_LOG="$dir/prometheus.log"
    PROM_URL="http://127.0.0.1:$port"
    if ! wait_http "$PROM_URL/-/ready" 30 >/dev/null; then
        echo "prometheus did not become ready; log:"
        tail -n 20 "$PROM_LOG"
        return 1
    fi
}

# ---------------------------------------------------------------- sections

section_install() {
    check install-packages install_packages
    [[ $CHECK_OK == 1 ]] || return 0
    echo "# $(prometheus --version 2>&1 | head -n 1); $(prometheus-pushgateway --version 2>&1 | head -n 1);" \
        "python3-prometheus-client $(dpkg-query -W -f '${Version}' python3-prometheus-client 2>/dev/null || echo '?')"
}

install_packages() {
    local missing=()
    command -v prometheus >/dev/null && command -v promtool >/dev/null || missing+=(prometheus)
    command -v prometheus-pushgateway >/dev/null || missing+=(prometheus-pushgateway)
    "$PY" -c 'import prometheus_client' 2>/dev/null || missing+=(python3-prometheus-client)
    command -v curl >/dev/null || missing+=(curl)
    if ((${#missing[@]} == 0)); then
        echo "all present"
        return 0
    fi
    echo "installing: ${missing[*]}"
    # Packaged daemons must not start: there is no init system here and the checks start their own binaries.
    # Docker images usually ship a policy-rc.d that forbids starting services; add one only if it's missing.
    if [[ ! -e /usr/sbin/policy-rc.d ]]; then
        printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
        chmod +x /usr/sbin/policy-rc.d
        CREATED_POLICY_RC=1
    fi
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq || return 1
    apt-get install -y -qq --no-install-recommends "${missing[@]}" || return 1
    "$PY" -c 'import prometheus_client' || return 1
    command -v promtool >/dev/null || return 1
    # The packages' own services must not have started (the checks run their own servers on free ports).
    local running
    running="$(pgrep -x 'prometheus|pushgateway|prometheus-pushgateway' || true)"
    if [[ -n "$running" ]]; then
        echo "a packaged service started during the install (pids: $running); left alone"
        return 1
    fi
}

section_build() {
    check build-fixture dotnet build "$HERE/Fixture/Fixture.csproj" -c Release -o "$WORK/fixture" --nologo -v q
    if [[ -f "$WORK/fixture/Fixture.dll" ]]; then
        FIXTURE=(dotnet "$WORK/fixture/Fixture.dll")
        check fixture-dump "${FIXTURE[@]}" dump "$WORK/out"
        local format
        for format in text openmetrics protobuf; do
            check "fixture-print-$format" fixture_prints "$format"
        done
    fi
}

# fixture_prints FORMAT — `Fixture print FORMAT` writes that format to stdout (same families as the dump).
fixture_prints() {
    "${FIXTURE[@]}" print "$1" >"$WORK/print.$1" || return 1
    case $1 in
        text) grep -q '^# TYPE fixture_http_requests_total counter$' "$WORK/print.$1" || { echo "no counter TYPE line"; return 1; } ;;
        openmetrics) [[ "$(tail -c 6 "$WORK/print.$1")" == "# EOF" ]] || { echo "does not end with # EOF"; return 1; } ;;
        protobuf) "$PY" -c 'import sys; sys.path.insert(0, sys.argv[1]); import protobuf_decode as p; fs = p.families_as_samples(open(sys.argv[2], "rb").read()); assert any(f["name"] == "fixture_http_requests_total" for f in fs), "no requests family"' "$CHECKS" "$WORK/print.$1" || return 1 ;;
    esac
}

have_dump() {
    [[ -f "$WORK/out/expected.json" ]]
}

section_promtool() {
    if have_dump; then
        check promtool-check-metrics promtool_check "$WORK/out/metrics.txt"
    else
        fail promtool-check-metrics "no fixture output (build or dump failed)"
    fi
    if [[ -n "${FIXTURE:-}" ]]; then
        check promtool-lint-agrees lint_agrees
    else
        fail promtool-lint-agrees "fixture not built"
    fi
}

# lint_agrees — promtool's linter and Instrumentation.Testing.Linter report the same problems for the fixture's
# deliberately badly named metrics (Fixture/LintFixture.cs; the comparison is checks/lint_agrees.py).
lint_agrees() {
    "${FIXTURE[@]}" lint "$WORK/lint" || return 1
    "$PY" "$CHECKS/lint_agrees.py" "$WORK/lint/lint.txt" "$WORK/lint/lint-problems.txt"
}

# Lint findings that are deliberate in the fixture, one regular expression per line with the reason.
PROMTOOL_ALLOWED_LINT=(
    # Colons are legal in metric names but reserved by convention for recording rules; the fixture exposes
    # fixture:error_ratio:rate5m on purpose, to check that every parser and the server take such names.
    '^fixture:error_ratio:rate5m metric names should not contain .:.$'
)

promtool_check() {
    local out rc=0
    out="$(promtool check metrics <"$1" 2>&1)" || rc=$?
    local unexpected
    unexpected="$(printf '%s\n' "$out" | grep -v '^$' || true)"
    for allowed in "${PROMTOOL_ALLOWED_LINT[@]}"; do
        unexpected="$(printf '%s\n' "$unexpected" | grep -Ev -- "$allowed" || true)"
    done
    if [[ -n "$unexpected" ]]; then
        echo "promtool (exit $rc): $unexpected"
        return 1
    fi
}

# Finding reported to the exposition side (nothing is worked around here): OpenMetrics timestamps — exemplar
# timestamps and explicit sample timestamps — written in exponent form ("... 2.5 1.7953039041713288e+09") are read by
# prometheus_client 0.16 as 1.795... seconds (it splits the timestamp at the "." and takes the digits after it as
# nanoseconds). The Prometheus server reads them correctly. The OpenMetrics examples write timestamps as plain
# decimals (1520879607.789), which every parser reads; the check stays strict.
section_parsers() {
    if ! have_dump; then fail parsers "no fixture output (build or dump failed)"; return; fi
    check python-text-parser "$PY" "$CHECKS/check_parsed.py" text "$WORK/out/metrics.txt" "$WORK/out/expected.json"
    check python-openmetrics-parser "$PY" "$CHECKS/check_parsed.py" openmetrics "$WORK/out/metrics.om.txt" "$WORK/out/expected.json"
    check python-openmetrics-parser-created "$PY" "$CHECKS/check_parsed.py" openmetrics-created "$WORK/out/metrics.om-created.txt" "$WORK/out/expected.json"
    check protobuf-decode "$PY" "$CHECKS/check_parsed.py" protobuf "$WORK/out/metrics.pb" "$WORK/out/expected.json"
}

section_prometheus() {
    if [[ -z "${FIXTURE:-}" ]]; then fail prometheus-scrape "fixture not built"; return; fi
    local port
    port="$(free_port)"
    start_background "$WORK/fixture-serve.log" "${FIXTURE[@]}" serve "$port" "$WORK/serve-expected.json"
    FIXTURE_URL="http://127.0.0.1:$port"
    check fixture-serves wait_http "$FIXTURE_URL/metrics" 30
    [[ $CHECK_OK == 1 ]] || return 0
    scrape_with_prometheus default ""
    scrape_with_prometheus native-histograms "--enable-feature=native-histograms"
}

PROM_JOBS=(negotiated text openmetrics protobuf)

# supports_scrape_protocols — whether this Prometheus knows the scrape_protocols setting (2.49 and later; Debian 12
# ships 2.42, which doesn't: there the forced-format endpoints /metrics/<format> stand in).
supports_scrape_protocols() {
    printf 'scrape_configs:\n  - job_name: probe\n    scrape_protocols: [PrometheusProto]\n    static_configs:\n      - targets: [\x27127.0.0.1:1\x27]\n' >"$WORK/probe.yml"
    promtool check config "$WORK/probe.yml" >/dev/null 2>&1
}

# scrape_with_prometheus LABEL FEATURE_FLAGS — one server, one job per exposition endpoint of the fixture.
scrape_with_prometheus() {
    local label=$1 flags=$2 config="$WORK/prometheus-$1.yml"
    cat >"$config" <<YAML
global:
  scrape_interval: 1s
  scrape_timeout: 1s
scrape_configs:
YAML
    local job jobs=("${PROM_JOBS[@]}")
    for job in "${PROM_JOBS[@]}"; do
        local path=/metrics
        [[ $job != negotiated ]] && path="/metrics/$job"
        cat >>"$config" <<YAML
  - job_name: $job
    metrics_path: $path
    static_configs:
      - targets: ['${FIXTURE_URL#http://}']
YAML
    done
    if [[ $label == native-histograms ]]; then
        # The fixture's native histograms (Fixture/NativeFixture.cs), always served as protobuf.
        cat >>"$config" <<YAML
  - job_name: native
    metrics_path: /native
    static_configs:
      - targets: ['${FIXTURE_URL#http://}']
YAML
    fi
    if supports_scrape_protocols; then
        # Newer servers can be told which format to ask for: then /metrics must negotiate each one.
        cat >>"$config" <<YAML
  - job_name: negotiated-openmetrics
    scrape_protocols: [OpenMetricsText1.0.0]
    static_configs:
      - targets: ['${FIXTURE_URL#http://}']
  - job_name: negotiated-protobuf
    scrape_protocols: [PrometheusProto]
    static_configs:
      - targets: ['${FIXTURE_URL#http://}']
YAML
        jobs+=(negotiated-openmetrics negotiated-protobuf)
    fi
    # shellcheck disable=SC2086
    check "prometheus-$label-starts" start_prometheus "$config" $flags --enable-feature=exemplar-storage
    [[ $CHECK_OK == 1 ]] || return 0
    check "prometheus-$label-targets-up" "$PY" "$CHECKS/check_prometheus.py" wait "$PROM_URL" "${jobs[@]}"
    check "prometheus-$label-negotiation" "$PY" "$CHECKS/check_prometheus.py" negotiation "$PROM_URL" "$FIXTURE_URL" "$WORK/serve-expected.json" "$label"
    for job in "${jobs[@]}"; do
        check "prometheus-$label-$job" "$PY" "$CHECKS/check_prometheus.py" job "$PROM_URL" "$FIXTURE_URL" "$WORK/serve-expected.json" "$label" "$job"
    done
    if [[ $label == native-histograms ]]; then
        check "prometheus-$label-native-up" "$PY" "$CHECKS/check_prometheus.py" wait "$PROM_URL" native
        check "prometheus-$label-native-queries" "$PY" "$CHECKS/check_native.py" "$PROM_URL" native
    fi
    stop_background "$PROM_PID"
}

# ---------------------------------------------------------------- an ASP.NET Core app with everything on

REPO="$(cd "$HERE/../.." && pwd)"

# Lint findings that are deliberate in the app's output. The bridge names System.Runtime's instruments the way
# OpenTelemetry's Prometheus exporter does (dashboards query these exact names), and some of those are levels whose
# OTel name ends in "count" (dotnet.thread_pool.thread.count → dotnet_thread_pool_thread_count).
APP_ALLOWED_LINT=(
    '^dotnet_[a-z_]*_count non-histogram and non-summary metrics should not have "_count" suffix$'
)

section_app() {
    check build-quickstart dotnet build "$REPO/examples/QuickStart/QuickStart.csproj" -c Release -o "$WORK/quickstart" --nologo -v q
    [[ $CHECK_OK == 1 ]] || return 0
    local port
    port="$(free_port)"
    APP_URL="http://127.0.0.1:$port"
    # Everything on: process and runtime collectors (appsettings.json), and the framework's own meters bridged.
    start_background "$WORK/quickstart.log" env ASPNETCORE_ENVIRONMENT=Production DOTNET_gcServer=0 \
        dotnet "$WORK/quickstart/QuickStart.dll" --urls "$APP_URL" --contentRoot "$REPO/examples/QuickStart" \
        --Metrics:Collectors:Meters:0=Microsoft.AspNetCore.* --Metrics:Collectors:Meters:1=System.Runtime \
        --Metrics:Collectors:Meters:2=System.Net.Http
    APP_PID=$LAST_PID
    check quickstart-starts wait_http "$APP_URL/metrics" 60
    [[ $CHECK_OK == 1 ]] || return 0
    check quickstart-requests app_requests
    check quickstart-scrape-text curl -fsS -o "$WORK/app.txt" -H 'Accept: text/plain; version=0.0.4' "$APP_URL/metrics"
    check quickstart-scrape-openmetrics curl -fsS -o "$WORK/app.om.txt" -H 'Accept: application/openmetrics-text; version=1.0.0' "$APP_URL/metrics"
    check quickstart-promtool-check-metrics app_promtool "$WORK/app.txt"
    check quickstart-python-text-parser "$PY" "$CHECKS/check_app.py" text "$WORK/app.txt"
    check quickstart-python-openmetrics-parser "$PY" "$CHECKS/check_app.py" openmetrics "$WORK/app.om.txt"

    cat >"$WORK/prometheus-app.yml" <<YAML
global:
  scrape_interval: 1s
  scrape_timeout: 1s
scrape_configs:
  - job_name: quickstart
    static_configs:
      - targets: ['${APP_URL#http://}']
YAML
    check prometheus-app-starts start_prometheus "$WORK/prometheus-app.yml"
    [[ $CHECK_OK == 1 ]] || return 0
    check prometheus-app-up "$PY" "$CHECKS/check_app.py" query "$PROM_URL" 'up{job="quickstart"}' 1
    check prometheus-app-typed-counter "$PY" "$CHECKS/check_app.py" query "$PROM_URL" 'sum(shop_orders_placed_total{job="quickstart",app="quickstart"})' 2
    check prometheus-app-route-template "$PY" "$CHECKS/check_app.py" query "$PROM_URL" 'sum(http_requests_received_total{job="quickstart",route="/orders/{id}"})' 3
    check prometheus-app-bridged-hosting "$PY" "$CHECKS/check_app.py" query "$PROM_URL" 'sum(http_server_request_duration_seconds_count{job="quickstart",http_route="/orders/{id}"})' 3
    check prometheus-app-dashboard "$PY" "$CHECKS/check_dashboard.py" "$PROM_URL" "$REPO/examples/dashboards/aspnetcore.json" quickstart
    stop_background "$PROM_PID"
    stop_background "$APP_PID"
}

# app_requests — the traffic check_app.py expects: 3 lookups of /orders/{id}, 2 web checkouts.
app_requests() {
    local id
    for id in 1 2 3; do
        curl -fsS -o /dev/null "$APP_URL/orders/$id" || return 1
    done
    for _ in 1 2; do
        curl -fsS -o /dev/null -X POST "$APP_URL/checkout?channel=web" || return 1
    done
}

app_promtool() {
    local out rc=0 unexpected allowed
    out="$(promtool check metrics <"$1" 2>&1)" || rc=$?
    unexpected="$(printf '%s\n' "$out" | grep -v '^$' || true)"
    for allowed in "${APP_ALLOWED_LINT[@]}"; do
        unexpected="$(printf '%s\n' "$unexpected" | grep -Ev -- "$allowed" || true)"
    done
    if [[ -n "$unexpected" ]]; then
        echo "promtool (exit $rc): $unexpected"
        return 1
    fi
}

# The certificate-authority example: two instances scraped by Prometheus, and a push to a real Pushgateway.
# shellcheck source=sections/sentry.sh
source "$HERE/sections/sentry.sh"
# shellcheck source=sections/exemplars.sh
source "$HERE/sections/exemplars.sh"
# shellcheck source=sections/worker.sh
source "$HERE/sections/worker.sh"
# shellcheck source=sections/packages.sh
source "$HERE/sections/packages.sh"

# A round trip through the installed Pushgateway (its Go protobuf decoder is another real consumer of our protobuf):
# the fixture's PushGatewayClient (protobuf, its default) writes to the group job="conformance", instance="fixture/one"
# (the slash forces the @base64 path form) one step per process (Fixture/PushSteps.cs), and checks/push_roundtrip.py
# reads the gateway's /metrics with prometheus_client.parser (or, for native histograms, as protobuf) in between.
#   pushgateway-starts          the gateway answers on a loopback port
#   pushgateway-put             PUT of the fixture's registry, all but its timestamped gauge (which the gateway refuses)
#   pushgateway-put-roundtrip   the group holds exactly the pushed samples: labels plus job and instance, values
#                               (NaN and infinities included), family types and help
#   pushgateway-put-refused     PUT with the timestamped gauge: 400 "must not have timestamps", as PushGatewayException
#   pushgateway-push-native     PUT of the native histograms to the group job="conformance", instance=".." (a dot
#                               segment: sent as instance@base64/Li4)
#   pushgateway-native-roundtrip  that group, and only it, holds conformance_native_seconds with its schema, zero
#                               bucket and native buckets (the gateway's protobuf output)
#   pushgateway-post            POST of one more counter to the group
#   pushgateway-post-roundtrip  the group holds the PUT's samples (untouched by the refused PUT) and the new counter
#   pushgateway-delete          DELETE of the group
#   pushgateway-deleted         nothing of the group is left on the gateway
section_pushgateway() {
    if [[ -z "${FIXTURE:-}" ]]; then fail pushgateway "fixture not built"; return; fi
    check pushgateway-starts start_pushgateway
    [[ $CHECK_OK == 1 ]] || return 0
    local dir="$WORK/push"
    check pushgateway-put "${FIXTURE[@]}" push "$PUSHGATEWAY_URL" "$dir"
    if [[ $CHECK_OK == 1 ]]; then
        check pushgateway-put-roundtrip "$PY" "$CHECKS/push_roundtrip.py" group "$PUSHGATEWAY_URL" "$dir/pushed.json"
    fi
    check pushgateway-put-refused "${FIXTURE[@]}" push-refused "$PUSHGATEWAY_URL"
    check pushgateway-push-native "${FIXTURE[@]}" push-native "$PUSHGATEWAY_URL"
    if [[ $CHECK_OK == 1 ]]; then
        check pushgateway-native-roundtrip "$PY" "$CHECKS/push_roundtrip.py" native "$PUSHGATEWAY_URL"
    fi
    check pushgateway-post "${FIXTURE[@]}" push-add "$PUSHGATEWAY_URL" "$dir"
    if [[ $CHECK_OK == 1 && -f "$dir/pushed.json" ]]; then
        check pushgateway-post-roundtrip "$PY" "$CHECKS/push_roundtrip.py" group "$PUSHGATEWAY_URL" "$dir/pushed.json" "$dir/added.json"
    fi
    check pushgateway-delete "${FIXTURE[@]}" push-delete "$PUSHGATEWAY_URL"
    if [[ $CHECK_OK == 1 ]]; then
        check pushgateway-deleted "$PY" "$CHECKS/push_roundtrip.py" deleted "$PUSHGATEWAY_URL"
    fi
    stop_background "$PUSHGATEWAY_PID"
}

# start_pushgateway — starts a Pushgateway on a free loopback port; sets PUSHGATEWAY_URL and PUSHGATEWAY_PID.
start_pushgateway() {
    local port dir
    port="$(free_port)"
    dir="$(mktemp -d "$WORK/pushgateway.XXXXXX")"
    start_background "$dir/pushgateway.log" prometheus-pushgateway --web.listen-address="127.0.0.1:$port"
    PUSHGATEWAY_PID=$LAST_PID
    PUSHGATEWAY_URL="http://127.0.0.1:$port"
    if ! wait_http "$PUSHGATEWAY_URL/-/ready" 30 >/dev/null; then
        echo "pushgateway did not become ready; log:"
        tail -n 20 "$dir/pushgateway.log"
        return 1
    fi
}

# ---------------------------------------------------------------- main

for section in "${SECTIONS[@]}"; do
    if [[ -n "${CONFORMANCE_SECTIONS:-}" && " $CONFORMANCE_SECTIONS " != *" $section "* ]]; then
        continue
    fi
    "section_$section"
done

echo "# conformance took $((SECONDS - START_SECONDS)) s"
echo "$PASSED passed, $FAILED failed"
((FAILED == 0))
