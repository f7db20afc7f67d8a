"""The fixture's expected.json, and helpers shared by the checks (run with /usr/bin/python3)."""
import json
import math

# Labels whose values are numbers: compared as floats, since formats may spell a bound differently ("1" vs "1.0").
NUMERIC_LABELS = ("le", "quantile")


def load(path):
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    for family in data["families"]:
        for sample in family["samples"]:
            sample["value"] = float(sample["value"])
            if "range" in sample:
                sample["range"] = [float(x) for x in sample["range"]]
            if "created" in sample:
                sample["created"] = [float(x) for x in sample["created"]]
            if "exemplar" in sample:
                e = sample["exemplar"]
                e["value"] = float(e["value"])
                e["timestamp"] = [float(x) for x in e["timestamp"]]
    return data["families"]


def key(name, labels):
    """A sample's identity: its name and labels, numeric labels normalised."""
    normalised = []
    for k, v in labels.items():
        if k in NUMERIC_LABELS:
            try:
                v = repr(float(v))
            except ValueError:
                pass
        normalised.append((k, v))
    return (name, tuple(sorted(normalised)))


def show(k):
    name, labels = k
    return name + "{" + ",".join(f'{n}={json.dumps(v, ensure_ascii=False)}' for n, v in labels) + "}"


def same_value(a, b):
    """Exact float equality, NaN equal to NaN (but -0.0 equal to 0.0, as every parser treats them)."""
    a, b = float(a), float(b)
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    return a == b


def matches(value, sample):
    """Whether a parsed value is what the fixture recorded: equal, or within the range of an estimate."""
    if "range" in sample:
        return sample["range"][0] <= float(value) <= sample["range"][1]
    return same_value(value, sample["value"])


def recorded(sample):
    return f"within {sample['range']}" if "range" in sample else repr(sample["value"])


def in_window(value, window, slack=1e-6):
    return window[0] - slack <= float(value) <= window[1] + slack


def info_sample_name(family):
    """An info family's sample name in every format: the family name with _info appended unless it ends in it."""
    name = family["name"]
    return name if name.endswith("_info") else name + "_info"


def base_name(family):
    """The family name as OpenMetrics and the Python parsers see it: without _total (counters) or _info (info)."""
    name = family["name"]
    if family["type"] == "counter" and name.endswith("_total"):
        return name[: -len("_total")]
    if family["type"] == "info" and name.endswith("_info"):
        return name[: -len("_info")]
    return name


class Problems:
    """Collects every mismatch rather than stopping at the first, and prints them (capped) at the end."""

    def __init__(self):
        self.items = []

    def add(self, message):
        self.items.append(message)

    def report(self, what, checked):
        if self.items:
            shown = self.items[:25]
            more = f" (and {len(self.items) - len(shown)} more)" if len(self.items) > len(shown) else ""
            print(f"{what}: {len(self.items)} problem(s){more}:")
            for item in shown:
                print("  " + item)
            return 1
        print(f"{what}: {checked} samples match")
        return 0
