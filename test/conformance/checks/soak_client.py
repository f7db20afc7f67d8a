"""Clients of the soak run (test/conformance/soak.sh), each ending with one JSON summary on stdout.

usage: soak_client.py scrape URL SECONDS SAMPLE_DIR
           scrapes URL/metrics over one kept-alive connection for SECONDS, cycling through text 0.0.4, OpenMetrics,
           protobuf and gzip-compressed text; parses every answer (prometheus_client's text and OpenMetrics parsers,
           checks/protobuf_decode.py), times it, and keeps a few text answers in SAMPLE_DIR for promtool
       soak_client.py users URL SECONDS FIRST_ID
           GETs URL/users/u<id>/visits for SECONDS, a new user id every request from FIRST_ID on (a per-user label
           flood)
       soak_client.py final URL
           one text scrape, parsed; prints the figures soak.sh checks (request counters, the capped family)

Only the Debian python (/usr/bin/python3 with python3-prometheus-client) is needed."""
import gzip
import http.client
import json
import os
import sys
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

FORMATS = [
    ("text", {"Accept": "text/plain;version=0.0.4;q=0.5,*/*;q=0.1"}),
    ("openmetrics", {"Accept": "application/openmetrics-text;version=1.0.0"}),
    ("protobuf", {"Accept": "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited"}),
    ("gzip", {"Accept": "text/plain;version=0.0.4", "Accept-Encoding": "gzip"}),
]
SAMPLES_KEPT = 12


class Connection:
    """One kept-alive HTTP/1.1 connection, reopened if the server closed it."""

    def __init__(self, url):
        parsed = urllib.parse.urlsplit(url)
        self.host, self.port = parsed.hostname, parsed.port
        self.conn = None

    def get(self, path, headers=None):
        for attempt in (0, 1):
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
            try:
                self.conn.request("GET", path, headers=headers or {})
                response = self.conn.getresponse()
                return response.status, dict((k.lower(), v) for k, v in response.getheaders()), response.read()
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                # A kept-alive connection the server closed between requests: retried once on a new one. The
                # request was not answered, so it is not counted twice.
                self.conn.close()
                self.conn = None
                if attempt == 1:
                    raise


def parse(kind, body):
    """Parses one answer; returns the number of samples. Raises on anything a parser refuses."""
    if kind in ("text", "gzip"):
        from prometheus_client.parser import text_string_to_metric_families
        return sum(len(f.samples) for f in text_string_to_metric_families(body.decode("utf-8")))
    if kind == "openmetrics":
        from prometheus_client.openmetrics.parser import text_string_to_metric_families
        return sum(len(f.samples) for f in text_string_to_metric_families(body.decode("utf-8")))
    import protobuf_decode
    return sum(len(f["samples"]) for f in protobuf_decode.families_as_samples(body))


def percentile(values, p):
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100.0 * (len(ordered) - 1))))]


def scrape(url, seconds, sample_dir):
    conn = Connection(url)
    deadline = time.monotonic() + seconds
    counts = {kind: 0 for kind, _ in FORMATS}
    latencies = []
    non2xx = 0
    parse_failures = []
    kept = 0
    i = 0
    while time.monotonic() < deadline:
        kind, headers = FORMATS[i % len(FORMATS)]
        i += 1
        started = time.perf_counter()
        status, answer_headers, body = conn.get("/metrics", headers)
        latencies.append(time.perf_counter() - started)
        counts[kind] += 1
        if not 200 <= status < 300:
            non2xx += 1
            continue
        try:
            if kind == "gzip":
                if answer_headers.get("content-encoding") != "gzip":
                    raise ValueError(f"asked for gzip, got Content-Encoding {answer_headers.get('content-encoding')!r}")
                body = gzip.decompress(body)
            if parse(kind, body) == 0:
                raise ValueError("no samples")
        except Exception as e:  # every parser failure is a finding, reported with the format and scrape number
            if len(parse_failures) < 5:
                parse_failures.append(f"scrape {i} ({kind}): {type(e).__name__}: {e}"[:500])
            else:
                parse_failures.append("...")
            continue
        # A few text answers spread over the run for promtool (every 10th text scrape, up to SAMPLES_KEPT).
        if kind == "text" and counts["text"] % 10 == 1 and kept < SAMPLES_KEPT:
            with open(os.path.join(sample_dir, f"scrape-{kept:02d}.txt"), "wb") as f:
                f.write(body)
            kept += 1
    print(json.dumps({
        "scrapes": sum(counts.values()), "by_format": counts, "non2xx": non2xx,
        "parse_failures": len(parse_failures), "first_failures": parse_failures[:5], "samples_kept": kept,
        "p50_ms": round(percentile(latencies, 50) * 1000, 1), "p99_ms": round(percentile(latencies, 99) * 1000, 1),
    }))


def users(url, seconds, first_id):
    conn = Connection(url)
    deadline = time.monotonic() + seconds
    sent = non2xx = 0
    while time.monotonic() < deadline:
        status, _, _ = conn.get(f"/users/u{first_id + sent}/visits")
        sent += 1
        if not 200 <= status < 300:
            non2xx += 1
    print(json.dumps({"sent": sent, "non2xx": non2xx}))


def final(url):
    from prometheus_client.parser import text_string_to_metric_families
    status, _, body = Connection(url).get("/metrics", {"Accept": "text/plain;version=0.0.4"})
    if status != 200:
        raise SystemExit(f"final scrape answered {status}")
    samples = [s for f in text_string_to_metric_families(body.decode("utf-8")) for s in f.samples]

    def total(name, **labels):
        return sum(s.value for s in samples if s.name == name and all(s.labels.get(k) == v for k, v in labels.items()))

    visits = [s for s in samples if s.name == "shop_user_visits_total"]
    non2xx = sum(s.value for s in samples if s.name == "http_requests_received_total" and not s.labels.get("code", "").startswith("2"))
    print(json.dumps({
        "orders": total("http_requests_received_total", route="/orders/{id}"),
        "users": total("http_requests_received_total", route="/users/{user}/visits"),
        "app_non2xx": non2xx,
        "scrapes_handled": total("metrics_handler_requests_total"),
        "visits_series": len(visits),
        "visits_overflow_series": sum(1 for s in visits if s.labels.get("user") == "__overflow__"),
        "visits_overflow": sum(s.value for s in visits if s.labels.get("user") == "__overflow__"),
        "visits_sum": sum(s.value for s in visits),
        "visits_dropped": total("metrics_series_dropped_total", metric="shop_user_visits_total"),
        "queue_series": len([s for s in samples if s.name == "quickstart_queue_depth"]),
    }))


if __name__ == "__main__":
    mode = sys.argv[1]
    if mode == "scrape":
        scrape(sys.argv[2], float(sys.argv[3]), sys.argv[4])
    elif mode == "users":
        users(sys.argv[2], float(sys.argv[3]), int(sys.argv[4]))
    elif mode == "final":
        final(sys.argv[2])
    else:
        raise SystemExit(__doc__)
