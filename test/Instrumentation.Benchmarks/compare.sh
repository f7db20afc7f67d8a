#!/usr/bin/env bash
# Issue 15's whole comparison with prometheus-net 8.2.1 and the OpenTelemetry SDK, in one run, into one directory:
#   bench.md    BenchmarkDotNet (run.sh): hot paths, labelled look-ups, two threads on one metric, each library's scrape
#               through its own exporter, gathering vs the OpenTelemetry SDK's collect
#   http.md     http.sh: scrapes/s and p99 over HTTP (plain and gzip), requests/s with request metrics off and on
#   profile.md  profile.sh: time per series at 10k / 100k / 1M (stages) and a sampling profile at 100k
#   memory.md   --memory 100000: heap bytes per series in each library
#   scaling.png the scaling curve from profile.md (when matplotlib is installed for /usr/bin/python3)
#   load.txt    UTC time and load averages before and after each step (the figures mean something only on a quiet
#               machine: nothing else running, load average below 1 at the start)
#
#   test/Instrumentation.Benchmarks/compare.sh /tmp/compare          # about 20 minutes on 2 cores
#   STEPS="bench memory" test/Instrumentation.Benchmarks/compare.sh /tmp/compare
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
out="${1:?usage: compare.sh OUTPUT_DIRECTORY}"
read -r -a steps <<< "${STEPS:-bench http profile memory}"
mkdir -p "$out"
out="$(cd "$out" && pwd)"
stamp() { echo "$(date -u +%H:%M:%S) $(cut -d' ' -f1-3 /proc/loadavg) $*" | tee -a "$out/load.txt"; }

dotnet build "$here/Instrumentation.Benchmarks.csproj" -c Release --nologo -v quiet > /dev/null
for step in "${steps[@]}"; do
  stamp "start $step"
  case "$step" in
    bench)
      RESULTS="$out/bench.md" "$here/run.sh" --filter '*HotPathBenchmarks*' '*LabelLookupBenchmarks*' \
        '*ContentionBenchmarks.CounterInc*' '*ContentionBenchmarks.OtelAdd1' '*ContentionBenchmarks.OtelAdd2' \
        '*ContentionBenchmarks.PromInc*' '*ContentionBenchmarks.Interlocked*' '*ContentionBenchmarks.Observe*' \
        '*ContentionBenchmarks.PromObserve*' '*ContentionBenchmarks.OtelRecord*' \
        '*PeerScrapeBenchmarks*' '*GatherBenchmarks*' > "$out/bench.log" 2>&1
      ;;
    http)
      RESULTS="$out/http.md" OTEL_DEFAULT_CACHE=1 "$here/http.sh" > "$out/http.log" 2>&1
      ;;
    profile)
      "$here/profile.sh" > "$out/profile.md" 2> "$out/profile.log"
      if /usr/bin/python3 -c 'import matplotlib' 2> /dev/null; then
        /usr/bin/python3 "$here/plot-scaling.py" "$out/profile.md" "$out/scaling.png"
      fi
      ;;
    memory)
      dotnet "$here/bin/Release/net10.0/Instrumentation.Benchmarks.dll" --memory 100000 > "$out/memory.md" 2>&1
      ;;
    *)
      echo "compare.sh: unknown step $step" >&2
      exit 2
      ;;
  esac
  stamp "end $step"
done
echo "Results in $out"
