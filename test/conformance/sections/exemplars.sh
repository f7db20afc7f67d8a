# shellcheck shell=bash
# Exemplar checks for test/conformance/run.sh, which sources this file and lists "exemplars" in SECTIONS.
# Uses run.sh's helpers: check, fail, start_background, stop_background, free_port, wait_http, start_prometheus,
# $WORK, $PY, $CHECKS, $REPO.
#
#   exemplars-quickstart-starts   the QuickStart app (Release) answers on a loopback port
#   exemplars-traced-request      GET /orders/1 with a sampled W3C traceparent header
#   exemplars-openmetrics         the app's OpenMetrics scrape carries that trace id on a duration bucket
#   exemplars-prometheus-starts   a real Prometheus with --enable-feature=exemplar-storage scrapes the app
#   exemplars-prometheus-query    /api/v1/query_exemplars returns the trace id for http_request_duration_seconds_bucket
#                                 and for the typed counter shop_order_lookups_total

EXEMPLAR_TRACE_ID=0af7651916cd43dd8448eb211c80319c

section_exemplars() {
    if [[ ! -f "$WORK/quickstart/QuickStart.dll" ]]; then
        check exemplars-build-quickstart dotnet build "$REPO/examples/QuickStart/QuickStart.csproj" -c Release -o "$WORK/quickstart" --nologo -v q
        [[ $CHECK_OK == 1 ]] || return 0
    fi
    local port app_url app_pid
    port="$(free_port)"
    app_url="http://127.0.0.1:$port"
    start_background "$WORK/exemplars-app.log" env ASPNETCORE_ENVIRONMENT=Production DOTNET_gcServer=0 \
        dotnet "$WORK/quickstart/QuickStart.dll" --urls "$app_url" --contentRoot "$REPO/examples/QuickStart"
    app_pid=$LAST_PID
    check exemplars-quickstart-starts wait_http "$app_url/metrics" 60
    [[ $CHECK_OK == 1 ]] || return 0
    check exemplars-traced-request curl -fsS -o /dev/null \
        -H "traceparent: 00-$EXEMPLAR_TRACE_ID-b7ad6b7169203331-01" "$app_url/orders/1"
    check exemplars-openmetrics exemplars_in_openmetrics "$app_url"

    cat >"$WORK/prometheus-exemplars.yml" <<YAML
global:
  scrape_interval: 1s
  scrape_timeout: 1s
scrape_configs:
  - job_name: exemplars
    static_configs:
      - targets: ['${app_url#http://}']
YAML
    check exemplars-prometheus-starts start_prometheus "$WORK/prometheus-exemplars.yml" --enable-feature=exemplar-storage
    if [[ $CHECK_OK == 1 ]]; then
        check exemplars-prometheus-query "$PY" "$CHECKS/check_exemplars.py" "$PROM_URL" "$EXEMPLAR_TRACE_ID" \
            'http_request_duration_seconds_bucket{job="exemplars"}' 'shop_order_lookups_total{job="exemplars"}'
        stop_background "$PROM_PID"
    fi
    stop_background "$app_pid"
}

# exemplars_in_openmetrics URL — the OpenMetrics scrape holds the trace id on a duration bucket of /orders/{id}.
exemplars_in_openmetrics() {
    curl -fsS -H 'Accept: application/openmetrics-text; version=1.0.0' "$1/metrics" >"$WORK/exemplars.om.txt" || return 1
    grep -E '^http_request_duration_seconds_bucket\{.*route="/orders/\{id\}".* # \{.*trace_id="'"$EXEMPLAR_TRACE_ID"'"' \
        "$WORK/exemplars.om.txt" || { echo "no exemplar with the trace id on /orders/{id}"; return 1; }
}
