#!/usr/bin/env python3
"""Evaluates every panel query of a Grafana dashboard against a real Prometheus.

usage: check_dashboard.py PROMETHEUS_URL DASHBOARD_JSON JOB

Grafana's variables are replaced the way the dashboard would use them for that job ($job -> JOB, $instance -> .+,
$__rate_interval -> 1m, $datasource left alone). Every query must succeed (no PromQL error) and return a non-empty
result; the check polls (bounded) because rate() needs two scrapes in its window.
"""
import json
import sys
import time
import urllib.parse
import urllib.request


def exprs(panels):
    for panel in panels:
        for target in panel.get("targets", []):
            yield panel.get("title", ""), target["expr"]
        yield from exprs(panel.get("panels", []))


def query(prom, expr):
    url = prom.rstrip("/") + "/api/v1/query?" + urllib.parse.urlencode({"query": expr})
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            body = json.load(response)
    except urllib.error.HTTPError as e:  # 400 with the PromQL error in the body
        body = json.load(e)
    return body


def main():
    prom, path, job = sys.argv[1], sys.argv[2], sys.argv[3]
    with open(path, encoding="utf-8") as f:
        dashboard = json.load(f)
    queries = [(title, expr.replace("$job", job).replace("$instance", ".+").replace("$__rate_interval", "1m"))
               for title, expr in exprs(dashboard["panels"])]
    if not queries:
        print("no queries in", path)
        return 1
    deadline = time.time() + 40
    while True:
        problems = []
        for title, expr in queries:
            body = query(prom, expr)
            if body.get("status") != "success":
                problems.append(f"{title}: {expr}: {body.get('errorType')}: {body.get('error')}")
            elif not body["data"]["result"]:
                problems.append(f"{title}: {expr}: empty result")
        errors = [p for p in problems if not p.endswith("empty result")]
        if not problems or errors or time.time() > deadline:
            break
        time.sleep(1)
    if problems:
        print(f"{len(problems)} of {len(queries)} queries failed: " + "; ".join(problems))
        return 1
    print(f"{len(queries)} queries of {path.rsplit('/', 1)[-1]} evaluated, none empty")
    return 0


if __name__ == "__main__":
    sys.exit(main())
