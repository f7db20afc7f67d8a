"""Reads back the fixture's hostile label values (Fixture hostile DIR) with the Python parsers.

usage: check_hostile.py text|openmetrics|protobuf FILE EXPECTED_JSON

Every series of fixture_hostile_labels{i, v} must come back with v exactly the generated value number i (NUL, CR, LF,
quotes, backslashes, astral characters, a 1 MB string) and its sample value i; none missing, none twice."""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))


def samples(kind, path):
    if kind == "protobuf":
        import protobuf_decode
        for family in protobuf_decode.families_as_samples(open(path, "rb").read()):
            for s in family["samples"]:
                yield s["name"], s["labels"], s["value"]
        return
    if kind == "text":
        from prometheus_client.parser import text_string_to_metric_families
    else:
        from prometheus_client.openmetrics.parser import text_string_to_metric_families
    # newline="" keeps CR inside label values as they are (no universal-newline translation).
    with open(path, encoding="utf-8", newline="") as f:
        text = f.read()
    for family in text_string_to_metric_families(text):
        for s in family.samples:
            yield s.name, s.labels, s.value


def main(kind, path, expected_path):
    expected = json.load(open(expected_path, encoding="utf-8"))
    seen = set()
    problems = []
    for name, labels, value in samples(kind, path):
        if name != "fixture_hostile_labels":
            problems.append(f"unexpected sample {name}")
            continue
        i = int(labels["i"])
        if i in seen:
            problems.append(f"value {i} came back twice")
        seen.add(i)
        if labels["v"] != expected[i]:
            got, want = labels["v"], expected[i]
            at = next((k for k in range(min(len(got), len(want))) if got[k] != want[k]), min(len(got), len(want)))
            problems.append(f"value {i}: got {got[max(0, at - 5):at + 5]!r} (length {len(got)}), expected {want[max(0, at - 5):at + 5]!r} (length {len(want)}) at {at}")
        if value != i:
            problems.append(f"value {i}: sample value {value}")
    missing = [i for i in range(len(expected)) if i not in seen]
    if missing:
        problems.append(f"{len(missing)} values missing, first {missing[:5]}")
    if problems:
        print(f"{kind}: {len(problems)} problems: " + "; ".join(problems[:8]))
        return 1
    print(f"{kind}: all {len(expected)} values read back exactly")
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:4]))
