"""Reads a real Pushgateway's /metrics back after the fixture pushed to it (Fixture/PushSteps.cs) and compares the
group job="conformance", instance="fixture/one" with what the fixture recorded as pushed.

usage: push_roundtrip.py group GATEWAY_URL JSON...   the group holds exactly the samples of the JSON files (the
                                                     fixture's pushed.json, then also added.json): same names,
                                                     labels (plus job and instance), values, family types and help
       push_roundtrip.py native GATEWAY_URL          the native histogram conformance_native_seconds pushed to the
                                                     group job="conformance", instance=".." is there, in that group
                                                     only, with its native schema, zero bucket and buckets (read
                                                     from the gateway's protobuf output)
       push_roundtrip.py deleted GATEWAY_URL         no sample of the group is left

The client pushes protobuf (its default), which the gateway decodes with Go's protobuf code on the way in; the
gateway's text output is parsed with prometheus_client.parser on the way out. A PUT or POST is applied before the
gateway answers it, but a DELETE only queued (202), so each mode reads again for a few seconds before it reports a
mismatch.
"""
import sys
import time
import urllib.request

import expected as ex
import protobuf_decode as pb

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
    """The name prometheus_client gives a family: a counter's without _total; an info is a gauge named <base>_info."""
    return ex.info_sample_name(family) if family["type"] == "info" else ex.base_name(family)


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


NATIVE_INSTANCE = ".."
NATIVE_FAMILY = "conformance_native_seconds"
# Fixture/NativeFixture.cs: schema 3 (factor 1.1), default zero threshold, so 0 lands in the zero bucket.
NATIVE_OBSERVATIONS = [0, 0.001, 0.01, 0.1, 0.1, 0.5, 1, 2, 2, 5]
NATIVE_SCHEMA = 3
PROTOBUF_ACCEPT = "application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited"


def gateway_protobuf(url):
    request = urllib.request.Request(url.rstrip("/") + "/metrics", headers={"Accept": PROTOBUF_ACCEPT})
    with urllib.request.urlopen(request, timeout=10) as response:
        content_type = response.headers.get("Content-Type", "")
        data = response.read()
    if not content_type.startswith("application/vnd.google.protobuf"):
        raise RuntimeError(f"the gateway answered {content_type!r} to a protobuf Accept header")
    return data


def _zigzag(v):
    return (v >> 1) ^ -(v & 1)


def _varints(buf):
    pos, values = 0, []
    while pos < len(buf):
        v, pos = pb._varint(buf, pos)
        values.append(v)
    return values


def native_histograms(data, family_name):
    """[(labels, fields)] of every Metric of the family, fields the Histogram message's native parts."""
    result = []
    pos = 0
    while pos < len(data):
        length, pos = pb._varint(data, pos)
        buf, pos = data[pos:pos + length], pos + length
        name, metrics = "", []
        for n, _, v in pb.fields(buf):
            if n == 1:
                name = v.decode("utf-8")
            elif n == 4:
                metrics.append(v)
        if name != family_name:
            continue
        for m in metrics:
            labels, h = {}, {"schema": None, "count": None, "sum": None, "zero_count": 0, "spans": [], "deltas": []}
            for n, _, v in pb.fields(m):
                if n == 1:
                    k, val = pb.label_pair(v)
                    labels[k] = val
                elif n == 7:
                    for hn, hw, hv in pb.fields(v):
                        if hn == 1:
                            h["count"] = hv
                        elif hn == 2:
                            h["sum"] = hv
                        elif hn == 5:
                            h["schema"] = _zigzag(hv)
                        elif hn == 7:
                            h["zero_count"] = hv
                        elif hn == 12:
                            h["spans"].append(hv)
                        elif hn == 13:
                            h["deltas"].extend(_zigzag(d) for d in (_varints(hv) if hw == 2 else [hv]))
            result.append((labels, h))
    return result


def compare_native(url):
    problems = ex.Problems()
    found = native_histograms(gateway_protobuf(url), NATIVE_FAMILY)
    ours = [(labels, h) for labels, h in found if labels.get("job") == JOB and labels.get("instance") == NATIVE_INSTANCE]
    for labels, _ in found:
        if labels.get("job") == JOB and labels.get("instance") != NATIVE_INSTANCE:
            problems.add(f"{NATIVE_FAMILY}{labels}: pushed to instance={NATIVE_INSTANCE!r}, found in another group")
    if len(ours) != 1:
        problems.add(f"{NATIVE_FAMILY}: {len(ours)} series in the group job={JOB!r}, instance={NATIVE_INSTANCE!r}, expected 1 "
                     f"(series of the family on the gateway: {[labels for labels, _ in found]})")
        return problems, 0
    _, h = ours[0]
    if h["schema"] != NATIVE_SCHEMA:
        problems.add(f"{NATIVE_FAMILY}: schema {h['schema']!r} on the gateway, pushed {NATIVE_SCHEMA} (native part lost?)")
    if h["count"] != len(NATIVE_OBSERVATIONS):
        problems.add(f"{NATIVE_FAMILY}: count {h['count']!r}, pushed {len(NATIVE_OBSERVATIONS)}")
    if h["sum"] is None or abs(h["sum"] - sum(NATIVE_OBSERVATIONS)) > 1e-9:
        problems.add(f"{NATIVE_FAMILY}: sum {h['sum']!r}, pushed {sum(NATIVE_OBSERVATIONS)}")
    zeros = sum(1 for v in NATIVE_OBSERVATIONS if v == 0)
    if h["zero_count"] != zeros:
        problems.add(f"{NATIVE_FAMILY}: zero count {h['zero_count']!r}, pushed {zeros}")
    counts, running = [], 0
    for d in h["deltas"]:
        running += d
        counts.append(running)
    if not h["spans"] or sum(counts) != len(NATIVE_OBSERVATIONS) - zeros:
        problems.add(f"{NATIVE_FAMILY}: positive buckets {counts!r} in {len(h['spans'])} spans, "
                     f"expected {len(NATIVE_OBSERVATIONS) - zeros} observations in them")
    return problems, 1


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
    if mode == "native" and len(sys.argv) == 3:
        problems, checked = patiently(lambda: compare_native(url))
        return problems.report(f"native histogram in group job={JOB!r}, instance={NATIVE_INSTANCE!r} on {url}", checked)
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
