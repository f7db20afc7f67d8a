"""Checks what a real Prometheus server scraped from the fixture, through its HTTP API.

usage: check_prometheus.py wait PROMETHEUS_URL JOB...
       check_prometheus.py negotiation PROMETHEUS_URL FIXTURE_URL EXPECTED_JSON default|native-histograms
       check_prometheus.py job PROMETHEUS_URL FIXTURE_URL EXPECTED_JSON default|native-histograms JOB

The server has one job per fixture endpoint: negotiated (/metrics, the format chosen from the server's own Accept
header), text, openmetrics and protobuf (forced formats). For every job: the target is up, and every series the
fixture recorded is in the TSDB with the recorded value (and nothing else is); the counter exemplar is stored where
the format carries exemplars. Then the fixture's log of what it served shows the negotiation and gzip worked."""
import json
import sys
import time
import urllib.parse
import urllib.request

import expected as ex

JOBS = ("negotiated", "text", "openmetrics", "protobuf")
WAIT_SECONDS = 60
PROTOBUF = "application/vnd.google.protobuf"
OPENMETRICS = "application/openmetrics-text"


def get(url, **params):
    if params:
        url += "?" + urllib.parse.urlencode(params)
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.load(response)


def api(prom, path, **params):
    body = get(prom + path, **params)
    if body.get("status") != "success":
        raise RuntimeError(f"{path}: {body}")
    return body["data"]


def wait_for_targets(prom, jobs):
    """Waits (bounded) until every job's target has been scraped; then a few seconds more for any that is down."""
    deadline = time.monotonic() + WAIT_SECONDS
    grace = None
    while True:
        by_job = {t["labels"]["job"]: t for t in api(prom, "/api/v1/targets")["activeTargets"]}
        scraped = [j for j in jobs if j in by_job and not by_job[j]["lastScrape"].startswith("0001-")]
        if len(scraped) == len(jobs):
            if all(by_job[j]["health"] == "up" for j in jobs):
                return []
            # A down target gets three more scrapes (1 s apart) to come up before it counts as a failure.
            grace = grace or time.monotonic() + 3.5
        if time.monotonic() > min(deadline, grace or deadline):
            problems = []
            for job in jobs:
                t = by_job.get(job)
                if t is None:
                    problems.append(f"job {job}: no target")
                elif t["lastScrape"].startswith("0001-"):
                    problems.append(f"job {job}: not scraped within {WAIT_SECONDS} s")
                elif t["health"] != "up":
                    problems.append(f"job {job}: target {t['health']}, lastError: {t['lastError']!r}")
            return problems
        time.sleep(0.3)


def served_formats(fixture):
    return get(fixture + "/served")


def expected_series(families, fmt):
    """The series a Prometheus server stores from one format: empty labels dropped. No _created series: the fixture
    serves OpenMetrics with the defaults, which leave _created samples out (Prometheus 2.42 would store each one as an
    ordinary series), so a stored one is reported as not recorded."""
    want, created = {}, {}
    for family in families:
        for s in family["samples"]:
            labels = {k: v for k, v in s["labels"].items() if v != ""}
            want[ex.key(s["name"], labels)] = s
    return want, created


def check_job(prom, job, fmt, families, problems):
    data = api(prom, "/api/v1/query", query=f'{{__name__=~"fixture[_:].+",job="{job}"}}')
    want, created = expected_series(families, fmt)
    seen = set()
    for series in data["result"]:
        labels = dict(series["metric"])
        name = labels.pop("__name__")
        labels.pop("job", None)
        labels.pop("instance", None)
        k = ex.key(name, labels)
        seen.add(k)
        value = float(series["value"][1])
        if k in created:
            if not ex.in_window(value, created[k]):
                problems.add(f"job {job}: {ex.show(k)} = {value!r} outside the creation window {created[k]}")
            continue
        w = want.get(k)
        if w is None:
            problems.add(f"job {job}: {ex.show(k)} = {value!r} stored but not recorded by the fixture")
        elif not ex.matches(value, w):
            problems.add(f"job {job}: {ex.show(k)} = {series['value'][1]}, recorded {ex.recorded(w)}")
    for k in want:
        if k not in seen:
            problems.add(f"job {job}: {ex.show(k)} recorded {want[k]['value']!r} but not stored")
    return len(seen)


def check_exemplars(prom, job, families, problems):
    """Every exemplar the fixture recorded on a live series (counter, histogram buckets) was stored, with its value
    and timestamp (exemplar storage is enabled)."""
    now = time.time()
    wanted = [(s["name"], s["exemplar"]) for f in families for s in f["samples"]
              if "exemplar" in s and s["exemplar"]["timestamp"][0] > now - 3600]  # the server drops very old exemplars
    if not wanted:
        problems.add("the fixture recorded no exemplars")
    for metric, exemplar in wanted:
        data = api(prom, "/api/v1/query_exemplars", query=f'{metric}{{job="{job}"}}', start=str(now - 600), end=str(now + 60))
        found = [e for series in data for e in series.get("exemplars", [])]
        if not any(e["labels"] == exemplar["labels"] and ex.same_value(e["value"], exemplar["value"])
                   and ex.in_window(e["timestamp"], exemplar["timestamp"], slack=0.002) for e in found):
            problems.add(f"job {job}: exemplar {exemplar!r} of {metric} not stored (found {found!r})")


def negotiated_format(fixture, mode, problems):
    """What /metrics served this server: Prometheus 2.42 asks for OpenMetrics first, or protobuf first when native
    histograms are enabled; it always sends Accept-Encoding: gzip."""
    wanted_first = PROTOBUF if mode == "native-histograms" else OPENMETRICS
    served = served_formats(fixture)
    result = None
    for entry in served:
        if entry["path"] != "/metrics" or not entry["accept"].startswith(wanted_first):
            continue
        result = entry["content_type"].split(";")[0].strip()
        if result != wanted_first:
            problems.add(f"Accept {entry['accept']!r} was answered with {entry['content_type']!r}")
        if not entry["gzip"]:
            problems.add(f"Accept {entry['accept']!r} with Accept-Encoding: gzip was answered without gzip")
    if result is None:
        problems.add(f"the fixture saw no scrape of /metrics with an Accept header starting {wanted_first!r}: {served!r}")
    return result or wanted_first


def main():
    command, prom = sys.argv[1:3]
    if command == "wait":
        # wait PROM JOB...: every job's target scraped and up.
        problems = wait_for_targets(prom, sys.argv[3:])
        for p in problems:
            print(p)
        return 1 if problems else 0

    fixture, expected_path, mode = sys.argv[3:6]
    problems = ex.Problems()
    if command == "negotiation":
        fmt = negotiated_format(fixture, mode, problems)
        return problems.report(f"/metrics negotiated {fmt} (gzip)", 0)

    # job PROM FIXTURE EXPECTED MODE JOB: the job's target is up and its series hold the recorded values.
    job = sys.argv[6]
    families = ex.load(expected_path)
    fmt = {"text": "text/plain", "openmetrics": OPENMETRICS, "protobuf": PROTOBUF,
           "negotiated-openmetrics": OPENMETRICS, "negotiated-protobuf": PROTOBUF}.get(job)
    if fmt is None:
        fmt = negotiated_format(fixture, mode, ex.Problems())
    up = api(prom, "/api/v1/query", query=f'up{{job="{job}"}}')["result"]
    if not up or up[0]["value"][1] != "1":
        # The series left over from an earlier good scrape would only blur the finding.
        problems.add(f"job {job}: up = {up[0]['value'][1] if up else 'missing'} (see the targets-up check for the scrape error)")
        return problems.report(f"prometheus ({mode}) job {job} ({fmt})", 0)
    checked = check_job(prom, job, fmt, families, problems)
    if fmt in (OPENMETRICS, PROTOBUF):
        check_exemplars(prom, job, families, problems)
    return problems.report(f"prometheus ({mode}) job {job} ({fmt})", checked)


if __name__ == "__main__":
    sys.exit(main())
