# shellcheck shell=bash
# SentryCa checks (examples/SentryCa) for test/conformance/run.sh, which sources this file and lists "sentry" in SECTIONS.
# Uses run.sh's helpers: check, fail, start_background, free_port, wait_http, start_prometheus, $WORK, $PY.

SENTRY_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../../examples/SentryCa" && pwd)"
#
#   sentry-build              the example builds
#   sentry-instances-serve    two instances (own credentials each) answer /metrics
#   sentry-sign-a/-b          a CSR signed by each instance, verified with openssl against that instance's ca.crt
#   sentry-refused            a CSR for another trust domain answers 400 req_id_validation
#   sentry-promtool           promtool check metrics accepts an instance's /metrics
#   sentry-prometheus-sum     Prometheus scrapes both: sum(sentry_cert_sign_success_total) == 3, failure{reason} == 1
#   sentry-prometheus-a/-b    ... and per instance: 1 on a, 2 on b
#   sentry-pushgateway        an instance pushing to a real Pushgateway: the group holds its Sentry metrics; deleted on stop

section_sentry() {
    check sentry-build dotnet build "$SENTRY_DIR/SentryCa.csproj" -c Release -o "$WORK/sentry" --nologo -v q
    if [[ ! -f "$WORK/sentry/SentryCa.dll" ]]; then
        fail sentry-checks "SentryCa not built"
        return
    fi

    local port_a port_b
    port_a="$(free_port)"
    port_b="$(free_port)"
    sentry_start a "$port_a"
    sentry_start b "$port_b"
    check sentry-instances-serve sentry_both_serve "$port_a" "$port_b"

    check sentry-sign-a "$SENTRY_DIR/tools/sign-demo.sh" "http://127.0.0.1:$port_a" spiffe://cluster.local/ns/default/a1 "$WORK/sentry-a/ca.crt"
    check sentry-sign-b "$SENTRY_DIR/tools/sign-demo.sh" "http://127.0.0.1:$port_b" spiffe://cluster.local/ns/default/b1 "$WORK/sentry-b/ca.crt"
    check sentry-sign-b2 "$SENTRY_DIR/tools/sign-demo.sh" "http://127.0.0.1:$port_b" spiffe://cluster.local/ns/default/b2 "$WORK/sentry-b/ca.crt"
    check sentry-refused sentry_refused "$port_a"
    check sentry-promtool sentry_promtool "$port_a"

    local config="$WORK/prometheus-sentry.yml"
    cat >"$config" <<YAML
global:
  scrape_interval: 1s
  scrape_timeout: 1s
scrape_configs:
  - job_name: sentry
    static_configs:
      - targets: ['127.0.0.1:$port_a', '127.0.0.1:$port_b']
YAML
    if start_prometheus "$config" >"$WORK/start-sentry.log" 2>&1; then
        check sentry-prometheus-sum sentry_query_until "$PROM_URL" 'sum(sentry_cert_sign_success_total)' 3
        check sentry-prometheus-a sentry_query_until "$PROM_URL" "sum(sentry_cert_sign_success_total{instance=\"127.0.0.1:$port_a\"})" 1
        check sentry-prometheus-b sentry_query_until "$PROM_URL" "sum(sentry_cert_sign_success_total{instance=\"127.0.0.1:$port_b\"})" 2
        check sentry-prometheus-received sentry_query_until "$PROM_URL" 'sum(sentry_cert_sign_request_received_total)' 4
        check sentry-prometheus-failure sentry_query_until "$PROM_URL" 'sum(sentry_cert_sign_failure_total{reason="req_id_validation"})' 1
        check sentry-prometheus-dashboard "$PY" "$CHECKS/check_dashboard.py" "$PROM_URL" "$REPO/examples/dashboards/sentryca.json" sentry
        stop_background "$PROM_PID"
    else
        fail sentry-prometheus-start "$(tr '\n' ' ' <"$WORK/start-sentry.log" | cut -c1-1500)"
    fi

    check sentry-pushgateway sentry_pushgateway_round_trip
}

# sentry_start NAME PORT — one instance with its own credentials directory (created on first run).
sentry_start() {
    start_background "$WORK/sentry-$1.log" dotnet "$WORK/sentry/SentryCa.dll" \
        --urls "http://127.0.0.1:$2" --contentRoot "$WORK/sentry" \
        --Sentry:CredentialsDirectory "$WORK/sentry-$1" "${@:3}"
}

sentry_both_serve() {
    wait_http "http://127.0.0.1:$1/metrics" 60 && wait_http "http://127.0.0.1:$2/metrics" 60
}

sentry_refused() {
    local body status
    body="$("$PY" - <<'PY'
import json, subprocess
key = subprocess.run(["openssl", "ecparam", "-name", "prime256v1", "-genkey", "-noout"], capture_output=True, check=True).stdout
csr = subprocess.run(["openssl", "req", "-new", "-key", "/dev/stdin", "-subj", "/O=x",
                      "-addext", "subjectAltName=URI:spiffe://evil.example/ns/default/x"],
                     input=key, capture_output=True, check=True).stdout.decode()
print(json.dumps({"csr": csr, "identity": "spiffe://evil.example/ns/default/x", "ttlSeconds": 60}))
PY
)"
    status="$(curl -sS -o "$WORK/sentry-refused.json" -w '%{http_code}' -H 'Content-Type: application/json' \
        --data-binary "$body" "http://127.0.0.1:$1/v1/sign")"
    [[ $status == 400 ]] && grep -q '"reason":"req_id_validation"' "$WORK/sentry-refused.json" ||
        { echo "expected 400 req_id_validation, got $status $(cat "$WORK/sentry-refused.json")"; return 1; }
}

sentry_promtool() {
    curl -fsS "http://127.0.0.1:$1/metrics" >"$WORK/sentry-metrics.txt" || return 1
    grep -q '^sentry_cert_sign_success_total{service="sentry"} 1' "$WORK/sentry-metrics.txt" ||
        { echo "no success sample:"; grep '^sentry_' "$WORK/sentry-metrics.txt"; return 1; }
    promtool check metrics <"$WORK/sentry-metrics.txt"
}

# sentry_query_until PROM_URL QUERY EXPECTED — polls an instant query (≤ 30 s) until its single value equals EXPECTED.
sentry_query_until() {
    local deadline=$((SECONDS + 30)) value=""
    while ((SECONDS < deadline)); do
        value="$(curl -fsS --get --data-urlencode "query=$2" "$1/api/v1/query" |
            "$PY" -c 'import json,sys; r=json.load(sys.stdin)["data"]["result"]; print(r[0]["value"][1] if r else "")')" || true
        [[ $value == "$3" ]] && return 0
        sleep 0.5
    done
    echo "$2 = '${value}', expected $3"
    return 1
}

# A third instance pushes every second to a real Pushgateway; its group must hold the Sentry metrics with the
# grouping labels, and be gone after the instance stops (DeleteOnStop).
sentry_pushgateway_round_trip() {
    local pg_port app_port pg_url app_pid
    pg_port="$(free_port)"
    app_port="$(free_port)"
    pg_url="http://127.0.0.1:$pg_port"
    start_background "$WORK/pushgateway.log" prometheus-pushgateway --web.listen-address="127.0.0.1:$pg_port"
    wait_http "$pg_url/-/ready" 30 || return 1
    sentry_start push "$app_port" --Metrics:Push:Url "$pg_url" --Metrics:Push:GroupingLabels:instance "ca/one" \
        --Metrics:Push:IntervalSeconds 1 --Metrics:Push:DeleteOnStop true
    app_pid=$LAST_PID
    wait_http "http://127.0.0.1:$app_port/metrics" 60 || return 1
    "$SENTRY_DIR/tools/sign-demo.sh" "http://127.0.0.1:$app_port" spiffe://cluster.local/ns/default/p1 "$WORK/sentry-push/ca.crt" >/dev/null || return 1

    local deadline=$((SECONDS + 30)) found=""
    while ((SECONDS < deadline)); do
        # The instance "ca/one" contains a slash, so the client must have used the @base64 path form.
        if curl -fsS "$pg_url/metrics" | grep -q '^sentry_cert_sign_success_total{instance="ca/one",job="sentry",service="sentry"} 1$'; then
            found=yes
            break
        fi
        sleep 0.5
    done
    [[ -n $found ]] || { echo "pushed success sample not on the gateway:"; curl -fsS "$pg_url/metrics" | grep '^sentry_' | head; return 1; }

    kill -TERM "$app_pid"
    wait "$app_pid" 2>/dev/null || true
    if curl -fsS "$pg_url/metrics" | grep -q 'job="sentry"'; then
        echo "group still on the gateway after stop (DeleteOnStop)"
        return 1
    fi
}
