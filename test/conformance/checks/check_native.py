"""Checks the fixture's native histograms (served on /native, see Fixture/NativeFixture.cs) as a real Prometheus
started with --enable-feature=native-histograms stored them, through its query API.

usage: check_native.py PROMETHEUS_URL JOB

conformance_native_seconds (schema 3) must be stored as a native histogram (no classic _bucket series), with
histogram_count, histogram_sum and a median inside the schema-3 bucket that holds the median observation;
conformance_native_halved_seconds{route="/x"} (bucket limit 3) must come out at schema -3: buckets (1/256, 1] with 3
observations and (1, 256] with 2."""
import math
import sys
import time

from check_prometheus import api

OBSERVATIONS = [0, 0.001, 0.01, 0.1, 0.1, 0.5, 1, 2, 2, 5]
HALVED = [0.01, 0.1, 1, 10, 100]
WAIT_SECONDS = 30


def query(prom, expr):
    return api(prom, "/api/v1/query", query=expr)["result"]


def scalar(prom, expr):
    result = query(prom, expr)
    if len(result) != 1:
        raise RuntimeError(f"{expr}: expected one series, got {result!r}")
    return float(result[0]["value"][1])


def bucket_bounds(value, schema):
    """(lower, upper] of the native bucket holding a positive value: upper = 2^(i / 2^schema)."""
    per_power = 2.0 ** schema
    index = math.ceil(math.log2(value) * per_power)
    # Guard against log2 rounding right at a bound.
    while 2 ** (index / per_power) < value:
        index += 1
    while 2 ** ((index - 1) / per_power) >= value:
        index -= 1
    return 2 ** ((index - 1) / per_power), 2 ** (index / per_power)


def wait_native(prom, selector):
    deadline = time.monotonic() + WAIT_SECONDS
    while True:
        result = query(prom, selector)
        if result and "histogram" in result[0]:
            return result
        if time.monotonic() > deadline:
            return result
        time.sleep(0.5)


def main():
    prom, job = sys.argv[1:3]
    problems = []

    selector = f'conformance_native_seconds{{job="{job}"}}'
    stored = wait_native(prom, selector)
    if not stored or "histogram" not in stored[0]:
        problems.append(f"{selector} is not stored as a native histogram: {stored!r}")
    else:
        classic = query(prom, f'conformance_native_seconds_bucket{{job="{job}"}}')
        if classic:
            problems.append(f"classic _bucket series stored next to the native histogram: {classic!r}")
        count = scalar(prom, f"histogram_count({selector})")
        if count != len(OBSERVATIONS):
            problems.append(f"histogram_count = {count}, want {len(OBSERVATIONS)}")
        total = scalar(prom, f"histogram_sum({selector})")
        if not math.isclose(total, sum(OBSERVATIONS), rel_tol=1e-12):
            problems.append(f"histogram_sum = {total!r}, want {sum(OBSERVATIONS)!r}")
        median = scalar(prom, f"histogram_quantile(0.5, {selector})")
        low, high = bucket_bounds(sorted(OBSERVATIONS)[len(OBSERVATIONS) // 2 - 1], 3)
        if not (low * (1 - 1e-12) <= median <= high * (1 + 1e-12)):
            problems.append(f"histogram_quantile(0.5) = {median!r}, want within the bucket ({low!r}, {high!r}]")
        zero = [b for b in stored[0]["histogram"][1]["buckets"] if float(b[1]) <= 0 <= float(b[2])]
        if len(zero) != 1 or float(zero[0][3]) != 1:
            problems.append(f"zero bucket: want one holding 1 observation, got {zero!r}")

    halved = f'conformance_native_halved_seconds{{job="{job}",route="/x"}}'
    stored = wait_native(prom, halved)
    if not stored or "histogram" not in stored[0]:
        problems.append(f"{halved} is not stored as a native histogram: {stored!r}")
    else:
        buckets = sorted((float(b[1]), float(b[2]), float(b[3])) for b in stored[0]["histogram"][1]["buckets"])
        want = [(1 / 256, 1.0, 3.0), (1.0, 256.0, 2.0)]
        if len(buckets) != len(want) or any(not (math.isclose(g[0], w[0]) and math.isclose(g[1], w[1]) and g[2] == w[2])
                                            for g, w in zip(buckets, want)):
            problems.append(f"{halved} buckets: want schema -3 {want!r}, got {buckets!r}")
        count = scalar(prom, f"histogram_count({halved})")
        if count != len(HALVED):
            problems.append(f"histogram_count({halved}) = {count}, want {len(HALVED)}")
        total = scalar(prom, f"histogram_sum({halved})")
        if not math.isclose(total, sum(HALVED), rel_tol=1e-12):
            problems.append(f"histogram_sum({halved}) = {total!r}, want {sum(HALVED)!r}")

    for p in problems:
        print(p)
    if not problems:
        print("native histograms stored with the observed count, sum, quantile bucket and halved schema")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
