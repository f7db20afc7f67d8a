"""Checks the metrics of a running ASP.NET Core app with every built-in collector on (examples/QuickStart).

usage: check_app.py text FILE          parse the text exposition with prometheus_client and check its content
       check_app.py openmetrics FILE   the same for the OpenMetrics exposition
       check_app.py query PROMETHEUS_URL EXPR EXPECTED   wait (bounded) until EXPR has the value EXPECTED

What the app was asked to do before the scrape (see run.sh section_app): 3 GETs of /orders/{id} with different ids,
2 POSTs to /checkout?channel=web. Every series must carry the const labels from appsettings.json."""
import math
import sys
import time
import json
import urllib.parse
import urllib.request


def families(kind, path):
    text = open(path, encoding="utf-8").read()
    if kind == "text":
        from prometheus_client.parser import text_string_to_metric_families
    else:
        from prometheus_client.openmetrics.parser import text_string_to_metric_families
    return list(text_string_to_metric_families(text))


def check_exposition(kind, path):
    fams = families(kind, path)
    samples = [s for f in fams for s in f.samples]
    names = {f.name for f in fams}
    problems = []

    def need_family(name):
        if name not in names:
            problems.append(f"family {name} missing")

    def value(name, **labels):
        found = [s.value for s in samples if s.name == name and all(s.labels.get(k) == v for k, v in labels.items())]
        return found

    # Process and runtime collectors, build info.
    for name in ("process_cpu_seconds", "process_resident_memory_bytes", "process_open_fds", "process_start_time_seconds",
                 "dotnet_build_info"):
        need_family(name)
    if not any(n.startswith("dotnet_gc") for n in names):
        problems.append("no dotnet_gc* family from the runtime collector")
    # Kestrel's own meter, bridged through Microsoft.AspNetCore.*: the connections the checks themselves opened.
    need_family("kestrel_active_connections")
    # The bridged hosting meter: one series per route template, 3 requests to /orders/{id}.
    counts = value("http_server_request_duration_seconds_count", http_route="/orders/{id}", http_request_method="GET")
    if counts != [3.0]:
        problems.append(f"http_server_request_duration_seconds_count for /orders/{{id}}: {counts}, expected [3.0]")
    # UseHttpMetrics: route template, never the raw path.
    received = value("http_requests_received_total", route="/orders/{id}", method="GET", code="200")
    if received != [3.0]:
        problems.append(f"http_requests_received_total for /orders/{{id}}: {received}, expected [3.0]")
    if any("/orders/1" in v for s in samples for v in s.labels.values()):
        problems.append("a raw path leaked into a label value")
    # Typed metrics with the configured namespace.
    placed = value("shop_orders_placed_total", channel="web")
    if placed != [2.0]:
        problems.append(f"shop_orders_placed_total{{channel=web}}: {placed}, expected [2.0]")
    # Const labels from appsettings.json on every series.
    missing = [s.name for s in samples if s.labels.get("app") != "quickstart" or s.labels.get("env") != "dev"]
    if missing:
        problems.append(f"{len(missing)} samples lack the const labels, e.g. {missing[:3]}")
    if any(isinstance(s.value, float) and math.isnan(s.value) and s.name.endswith("_total") for s in samples):
        problems.append("a counter is NaN")
    if problems:
        print("; ".join(problems))
        return 1
    print(f"{len(fams)} families, {len(samples)} samples")
    return 0


def query(prom, expr, expected):
    deadline = time.time() + 60
    last = None
    while time.time() < deadline:
        url = prom + "/api/v1/query?" + urllib.parse.urlencode({"query": expr})
        with urllib.request.urlopen(url, timeout=10) as response:
            body = json.load(response)
        result = body.get("data", {}).get("result", [])
        if result:
            last = float(result[0]["value"][1])
            if last == float(expected):
                return 0
        time.sleep(1)
    print(f"{expr} = {last}, expected {expected}")
    return 1


def main():
    if sys.argv[1] in ("text", "openmetrics"):
        return check_exposition(sys.argv[1], sys.argv[2])
    if sys.argv[1] == "query":
        return query(sys.argv[2], sys.argv[3], sys.argv[4])
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main())
