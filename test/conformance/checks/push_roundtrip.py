"""Reads a real Pushgateway's /metrics back after the fixture pushed to it (Fixture/PushSteps.cs) and compares the
group job="conformance", instance="fixture/one" with what the fixture recorded as pushed.

usage: push_roundtrip.py group GATEWAY_URL JSON...   the group holds exactly the samples of the JSON files (the
                                                     fixture's pushed.json, then also added.json): same names,
                                                     labels (plus job and instance), values, family types and help
       push_roundtrip.py deleted GATEWAY_URL         no sample of the group is left

The gateway's own text output is parsed with prometheus_client.parser, so the pushed text went through two parsers:
the gateway's (Go, on the way in) and the Python one (on the way out). A PUT or POST is applied before the gateway
answers it, but a DELETE only queued (202), so each mode reads again for a few seconds before it reports a mismatch.
"""
import sys
import time
import urllib.request

import expected as ex

JOB = "conformance"
INSTANCE = "fixture/one"
# Added by the gateway to every group: when it was last pushed to, and last refused a push.
GATEWAY_SERIES = ("push_time_seconds", "push_failure_time_seconds")
# The text format has no info or stateset type (the fixture writes them as gauges); the parser calls untyped "unknown".
TEXT_TYPES = {
    "counter": {"counter"}, "gauge": {"gauge"}, "histogram": {"histogram"}, "summary": {"summary"},
    "untyped": {"unknown"}, "info": {"gauge"}, "stateset": {"gauge"},
}
PATIENCE_SECONDS = 10


def gateway_families(url):
    from prometheus_client.parser import text_string_to_metric_families
    request = urllib.request.Request(url.rstrip("/") + "/metrics", headers={"Accept": "text/plain; version=0.0.4"})
    with urllib.request.urlopen(request, timeout=10) as response:
        text = response.read().decode("utf-8")  # fails loudly on invalid UTF-8
    return list(text_string_to_metric_families(text))


def in_group(labels):
    return labels.get("job") == JOB and labels.get("instance") == INSTANCE


def family_name(family):
    """The name prometheus_client gives a family: a counter's without _total; an info written as a gauge keeps _info."""
    return family["name"] if family["type"] == "info" else ex.base_name(family)


def compare_group(url, wanted_families):
    problems = ex.Problems()
    parsed = {f.name: f for f in gateway_families(url)}
    want = {}
    for family in wanted_families:
        name = family_name(family)
        got = parsed.get(name)
        if got is None:
            problems.add(f"family {name} ({family['type']}) not on the gateway")
            continue
        if got.type not in TEXT_TYPES[family["type"]]:
            problems.add(f"family {name}: type {got.type!r} on the gateway, pushed as {family['type']!r}")
        if got.documentation != family["help"]:
            problems.add(f"family {name}: help {got.documentation!r} on the gateway, pushed {family['help']!r}")
        for s in family["samples"]:
            want[ex.key(s["name"], s["labels"])] = s

    seen = set()
    push_times = []
    for family in parsed.values():
        for s in family.samples:
            if not in_group(s.labels):
                # Another group's or the gateway's own series; but a pushed name must only be in our group.
                if ex.key(s.name, {k: v for k, v in s.labels.items() if k not in ("job", "instance")}) in want:
                    problems.add(f"{s.name}{s.labels}: a pushed series outside the group job={JOB!r}, instance={INSTANCE!r}")
                continue
            if s.name in GATEWAY_SERIES:
                if s.name == "push_time_seconds":
                    push_times.append(s.value)
                continue
            labels = {k: v for k, v in s.labels.items() if k not in ("job", "instance")}
            k = ex.key(s.name, labels)
            w = want.get(k)
            if w is None:
                problems.add(f"{ex.show(k)} = {s.value!r}: in the group but not pushed")
                continue
            if k in seen:
                problems.add(f"{ex.show(k)}: twice in the group")
                continue
            seen.add(k)
            if not ex.matches(s.value, w):
                problems.add(f"{ex.show(k)}: value {s.value!r} on the gateway, pushed {ex.recorded(w)}")
            if s.timestamp is not None:
                problems.add(f"{ex.show(k)}: timestamp {s.timestamp!r} on the gateway (none was pushed)")
    for k, w in want.items():
        if k not in seen:
            problems.add(f"{ex.show(k)}: pushed {ex.recorded(w)} but not in the group")
    if not push_times or not all(t > 0 for t in push_times):
        problems.add(f"push_time_seconds for the group: {push_times!r}, expected one positive value")
    return problems, len(seen)


def group_left(url):
    problems = ex.Problems()
    for family in gateway_families(url):
        for s in family.samples:
            if in_group(s.labels):
                problems.add(f"{s.name}{s.labels} = {s.value!r}: still on the gateway after DELETE")
    return problems, 0


def patiently(compare):
    deadline = time.monotonic() + PATIENCE_SECONDS
    while True:
        problems, checked = compare()
        if not problems.items or time.monotonic() > deadline:
            return problems, checked
        time.sleep(0.3)


def main():
    mode, url = sys.argv[1:3]
    if mode == "group" and len(sys.argv) > 3:
        wanted = [family for path in sys.argv[3:] for family in ex.load(path)]
        problems, checked = patiently(lambda: compare_group(url, wanted))
        return problems.report(f"group job={JOB!r}, instance={INSTANCE!r} on {url}", checked)
    if mode == "deleted" and len(sys.argv) == 3:
        problems, _ = patiently(lambda: group_left(url))
        if problems.items:
            return problems.report(f"group job={JOB!r}, instance={INSTANCE!r} on {url}", 0)
        print(f"group job={JOB!r}, instance={INSTANCE!r} is gone from {url}")
        return 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main())
