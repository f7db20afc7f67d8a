"""Parses one exposition with an independent parser and compares every sample to what the fixture recorded.

usage: check_parsed.py text|openmetrics|openmetrics-created|protobuf FILE EXPECTED_JSON

text                prometheus_client.parser (the Prometheus text format 0.0.4)
openmetrics         prometheus_client.openmetrics.parser (strict OpenMetrics 1.0: # EOF, exemplars, units), as written
                    by default: no _created samples (they are opt-in, as in client_golang v1.21)
openmetrics-created the same, written with ExpositionOptions.OpenMetricsCreatedSamples: every series with a creation
                    time has its _created sample, inside the window the fixture recorded
protobuf            a small decoder of length-delimited io.prometheus.client.MetricFamily messages (protobuf_decode.py)
"""
import sys

import expected as ex

TEXT_TYPES = {
    "counter": {"counter"}, "gauge": {"gauge"}, "histogram": {"histogram"}, "summary": {"summary"},
    "untyped": {"unknown"},
    # The text format has no info or stateset type: they are written as gauges (or untyped).
    "info": {"gauge", "unknown"}, "stateset": {"gauge", "unknown"},
}
OM_TYPES = {
    "counter": {"counter"}, "gauge": {"gauge"}, "histogram": {"histogram"}, "summary": {"summary"},
    "untyped": {"unknown"}, "info": {"info"}, "stateset": {"stateset"},
}


def parsed_families(fmt, path):
    if fmt == "protobuf":
        import protobuf_decode
        with open(path, "rb") as f:
            return protobuf_decode.families_as_samples(f.read())
    with open(path, "rb") as f:
        raw = f.read()
    text = raw.decode("utf-8")  # fails loudly on invalid UTF-8
    if fmt == "text":
        from prometheus_client.parser import text_string_to_metric_families
    else:
        from prometheus_client.openmetrics.parser import text_string_to_metric_families
    result = []
    for family in text_string_to_metric_families(text):
        result.append({
            "name": family.name, "type": family.type, "help": family.documentation, "unit": getattr(family, "unit", ""),
            "samples": [{
                "name": s.name, "labels": dict(s.labels), "value": s.value,
                "timestamp": None if s.timestamp is None else float(s.timestamp),
                "exemplar": None if s.exemplar is None else {
                    "labels": dict(s.exemplar.labels), "value": s.exemplar.value,
                    "timestamp": None if s.exemplar.timestamp is None else float(s.exemplar.timestamp),
                },
            } for s in family.samples],
        })
    return result


def expected_family_name(fmt, family):
    if fmt != "openmetrics" and family["type"] == "info":
        return ex.info_sample_name(family)  # a gauge named as its samples: <base>_info
    if fmt == "protobuf":
        return family["name"]  # protobuf carries the name as described, a counter's _total included
    return ex.base_name(family)


def main():
    fmt, path, expected_path = sys.argv[1:4]
    # Without the opt-in, a _created sample is one the fixture did not record: reported as such below.
    with_created = fmt == "openmetrics-created"
    if with_created:
        fmt = "openmetrics"
    expected = ex.load(expected_path)
    try:
        parsed = parsed_families(fmt, path)
    except Exception as e:  # the parser rejected the exposition: that message is the finding
        print(f"{fmt} parser rejected {path}: {type(e).__name__}: {e}")
        return 1
    problems = ex.Problems()

    by_name = {}
    for family in parsed:
        if family["name"] in by_name:
            problems.add(f"family {family['name']} appears twice (a second block of the same name)")
        by_name[family["name"]] = family
    expected_names = set()
    checked = 0

    for family in expected:
        name = expected_family_name(fmt, family)
        expected_names.add(name)
        got = by_name.get(name)
        if got is None:
            problems.add(f"family {name} ({family['type']}) missing; parsed families: {sorted(by_name)[:40]}")
            continue
        allowed_types = (OM_TYPES if fmt == "openmetrics" else TEXT_TYPES)[family["type"]]
        if fmt == "protobuf":
            allowed_types = {"counter": {"COUNTER"}, "gauge": {"GAUGE"}, "histogram": {"HISTOGRAM"}, "summary": {"SUMMARY"},
                             "untyped": {"UNTYPED"}, "info": {"GAUGE", "UNTYPED"}, "stateset": {"GAUGE", "UNTYPED"}}[family["type"]]
        if got["type"] not in allowed_types:
            problems.add(f"family {name}: type {got['type']!r}, expected one of {sorted(allowed_types)}")
        if got["help"] != family["help"]:
            problems.add(f"family {name}: help {got['help']!r}, expected {family['help']!r}")
        if fmt == "openmetrics" and (got["unit"] or None) != family["unit"]:
            problems.add(f"family {name}: unit {got['unit']!r}, expected {family['unit']!r}")
        if fmt == "protobuf" and got["unit"] and got["unit"] != family["unit"]:
            problems.add(f"family {name}: unit {got['unit']!r}, expected {family['unit']!r}")

        want = {}
        for s in family["samples"]:
            want[ex.key(s["name"], s["labels"])] = s
        created_wanted = {}
        if with_created:
            # OpenMetrics: one <base>_created sample per series that has a creation time (bucket/quantile labels dropped).
            for s in family["samples"]:
                if "created" in s:
                    labels = {k: v for k, v in s["labels"].items() if k not in ex.NUMERIC_LABELS}
                    created_wanted[ex.key(ex.base_name(family) + "_created", labels)] = s["created"]

        seen = set()
        for s in got["samples"]:
            k = ex.key(s["name"], s["labels"])
            if k in seen:
                problems.add(f"{ex.show(k)}: duplicate sample")
                continue
            seen.add(k)
            if k in created_wanted:
                if not ex.in_window(s["value"], created_wanted[k]):
                    problems.add(f"{ex.show(k)}: created {s['value']!r} outside {created_wanted[k]}")
                checked += 1
                continue
            w = want.get(k)
            if w is None:
                problems.add(f"{ex.show(k)} = {s['value']!r}: not recorded by the fixture")
                continue
            checked += 1
            if not ex.matches(s["value"], w):
                problems.add(f"{ex.show(k)}: value {s['value']!r}, recorded {ex.recorded(w)}")
            check_timestamp(problems, k, s, w)
            check_exemplar(problems, fmt, k, s, w)
            if fmt == "protobuf" and s.get("created") is not None:
                # Optional in protobuf; when written it must be right.
                if "created" not in w:
                    problems.add(f"{ex.show(k)}: created_timestamp {s['created']!r} on a series without a creation time")
                elif not ex.in_window(s["created"], w["created"]):
                    problems.add(f"{ex.show(k)}: created_timestamp {s['created']!r} outside {w['created']}")
        for k in want:
            if k not in seen:
                problems.add(f"{ex.show(k)}: recorded {want[k]['value']!r} but missing")
        for k in created_wanted:
            if k not in seen:
                problems.add(f"{ex.show(k)}: missing (the series has a creation time)")

    for name in by_name:
        if name not in expected_names:
            problems.add(f"family {name}: not registered by the fixture (samples: {[s['name'] for s in by_name[name]['samples']][:5]})")
    return problems.report(f"{fmt} {path}", checked)


def check_timestamp(problems, k, s, w):
    if "timestamp_ms" in w:
        if s["timestamp"] is None:
            problems.add(f"{ex.show(k)}: timestamp missing, recorded {w['timestamp_ms']} ms")
        elif round(float(s["timestamp"]) * 1000) != w["timestamp_ms"]:
            problems.add(f"{ex.show(k)}: timestamp {s['timestamp']!r} s, recorded {w['timestamp_ms']} ms")
    elif s["timestamp"] is not None:
        problems.add(f"{ex.show(k)}: unexpected timestamp {s['timestamp']!r}")


def check_exemplar(problems, fmt, k, s, w):
    got = s.get("exemplar")
    want = w.get("exemplar") if fmt != "text" else None  # the text format 0.0.4 has no exemplars
    if want is None:
        if got is not None:
            problems.add(f"{ex.show(k)}: unexpected exemplar {got!r}")
        return
    if got is None:
        problems.add(f"{ex.show(k)}: exemplar missing, recorded {want!r}")
        return
    if got["labels"] != want["labels"]:
        problems.add(f"{ex.show(k)}: exemplar labels {got['labels']!r}, recorded {want['labels']!r}")
    if not ex.same_value(got["value"], want["value"]):
        problems.add(f"{ex.show(k)}: exemplar value {got['value']!r}, recorded {want['value']!r}")
    if got["timestamp"] is None or not ex.in_window(got["timestamp"], want["timestamp"]):
        problems.add(f"{ex.show(k)}: exemplar timestamp {got['timestamp']!r}, recorded within {want['timestamp']}")


if __name__ == "__main__":
    sys.exit(main())
