#!/usr/bin/env python3
"""Asks a real Prometheus (with --enable-feature=exemplar-storage) for the exemplars of some series.

usage: check_exemplars.py PROMETHEUS_URL TRACE_ID SELECTOR...

For every selector, /api/v1/query_exemplars must return an exemplar whose trace_id label is TRACE_ID (with a span_id
beside it). Polls, bounded, because Prometheus has to scrape the target first.
"""
import json
import sys
import time
import urllib.parse
import urllib.request


def exemplars(prom, selector):
    now = time.time()
    query = urllib.parse.urlencode({"query": selector, "start": f"{now - 600:.3f}", "end": f"{now + 60:.3f}"})
    with urllib.request.urlopen(f"{prom.rstrip('/')}/api/v1/query_exemplars?{query}", timeout=10) as response:
        body = json.load(response)
    if body.get("status") != "success":
        raise RuntimeError(f"{selector}: {body}")
    return [e for series in body["data"] for e in series.get("exemplars", [])]


def main():
    prom, trace_id, selectors = sys.argv[1], sys.argv[2], sys.argv[3:]
    deadline = time.time() + 40
    missing = list(selectors)
    while missing and time.time() < deadline:
        missing = [s for s in missing
                   if not any(e["labels"].get("trace_id") == trace_id and e["labels"].get("span_id") for e in exemplars(prom, s))]
        if missing:
            time.sleep(1)
    if missing:
        print(f"no exemplar with trace_id={trace_id} for: {', '.join(missing)}")
        return 1
    print(f"Prometheus returned exemplars with trace_id={trace_id} for {len(selectors)} selectors")
    return 0


if __name__ == "__main__":
    sys.exit(main())
