#!/usr/bin/env bash
# Where a scrape's time goes: the stage timings of `Program.cs --profile` (Stopwatch, per series, at each size) and a
# sampling profile of gather + text in a loop (`perf record -e cpu-clock`, JIT-compiled methods named through the
# runtime's perf map), printed as Markdown.
#
#   test/Instrumentation.Benchmarks/profile.sh                  # stages at 10k/100k/1M, perf at 100k for 20 s
#   SIZES="10000 100000" PERF_SERIES=1000000 PERF_SECONDS=30 test/Instrumentation.Benchmarks/profile.sh
#
# The VM exposes no hardware counters (`perf stat -e cache-misses` is "not supported"), so the profile is sampled on
# the cpu-clock software event: it says which methods the time is spent in, not why (cache misses or instructions).
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
sizes="${SIZES:-10000 100000 1000000}"
perf_series="${PERF_SERIES:-100000}"
perf_seconds="${PERF_SECONDS:-20}"
top="${TOP:-25}"
dll="$here/bin/Release/net10.0/Instrumentation.Benchmarks.dll"

dotnet build "$here/Instrumentation.Benchmarks.csproj" -c Release --nologo -v quiet > /dev/null
echo "- Started: $(date -u '+%Y-%m-%d %H:%M UTC'), load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "- Command: \`test/Instrumentation.Benchmarks/profile.sh\` (SIZES=\"$sizes\" PERF_SERIES=$perf_series PERF_SECONDS=$perf_seconds)"
echo
# shellcheck disable=SC2086
dotnet "$dll" --profile $sizes
echo

if ! command -v perf > /dev/null; then
  echo "(perf not installed: no sampling profile)"
  exit 0
fi
data="$(mktemp /tmp/profile-sh.XXXXXX.data)"
out="$(mktemp /tmp/profile-sh.XXXXXX.out)"
# W^X off so JIT code lives in anonymous memory that the perf map (/tmp/perf-PID.map) describes.
DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0 dotnet "$dll" --profile-loop "$perf_series" "$((perf_seconds + 5))" > "$out" &
pid=$!
trap 'kill "$pid" 2> /dev/null || true; rm -f "$data" "$out"' EXIT
until grep -q READY "$out"; do
  kill -0 "$pid" 2> /dev/null || { echo "profile loop exited early:" >&2; cat "$out" >&2; exit 1; }
  sleep 0.5
done
perf record -q -e cpu-clock -F 999 -p "$pid" -o "$data" -- sleep "$perf_seconds" 2> /dev/null || true
wait "$pid"
loop="$(grep scrapes "$out")"
echo "Sampling profile of gather + text at $perf_series series after set-up and warm-up ($loop; perf record -e cpu-clock -F 999 for ${perf_seconds} s), self time by method, top $top:"
echo
perf report -i "$data" --stdio --no-children --sort dso,symbol 2> /dev/null | python3 -c '
import re, sys
top = int(sys.argv[1])
rows = []
for line in sys.stdin:
    m = re.match(r"\s+([0-9.]+)%\s+(\S.*?)\s+\[[.k]\]\s+(.*?)\s*(?:-\s+-\s*)?$", line)
    if not m:
        continue
    pct, dso, sym = float(m.group(1)), m.group(2), m.group(3)
    tier = ""
    t = re.search(r"\[(OptimizedTier1OSR|OptimizedTier1|Optimized|QuickJitted|InstrumentedTier1|InstrumentedTier|Tier0)\]$", sym)
    if t:
        tier = t.group(1)
        sym = sym[: t.start()].strip()
    # "rettype [Assembly] Namespace.Type::Method(args)" -> "Type::Method"
    sym = re.sub(r"\(.*\)$", "", sym)
    sym = sym.split(" ")[-1]
    sym = re.sub(r"^(Instrumentation\.|System\.(Private\.CoreLib\.)?)", "", sym)
    sym = re.sub(r"`1|\[System\.__Canon\]", "", sym)
    if dso.startswith("[kernel"):
        sym = "kernel: " + sym
    elif not dso.startswith("[JIT]"):
        sym = dso + ": " + sym
    rows.append((pct, sym.replace("|", "\\|"), tier))
merged = {}
for pct, sym, tier in rows:
    merged[sym] = merged.get(sym, 0) + pct
print("| self % | method |")
print("|---:|---|")
for sym, pct in sorted(merged.items(), key=lambda kv: -kv[1])[:top]:
    print(f"| {pct:.1f} | `{sym}` |")
' "$top"
echo
echo "(A method's JIT tiers are merged; libcoreclr.so has no symbols here.)"
