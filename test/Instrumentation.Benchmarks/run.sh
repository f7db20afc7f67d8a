#!/usr/bin/env bash
# Runs the benchmark suite in its short mode (one process per benchmark, 3 warm-up + 4 measured iterations of
# 150 ms) and writes the result tables as Markdown, headed by the machine they ran on.
#
#   test/Instrumentation.Benchmarks/run.sh                          # everything (about 4-5 minutes on 2 cores)
#   test/Instrumentation.Benchmarks/run.sh --filter '*HotPath*'     # any BenchmarkDotNet option passes through
#   RESULTS=/tmp/bench.md test/Instrumentation.Benchmarks/run.sh    # where the Markdown goes (default: ./results.md)
#
# Compare rows within one run only: the ratios against the bare-Interlocked baseline and the OpenTelemetry rows are
# what the figures mean; absolute nanoseconds move with the machine and its load.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
results="${RESULTS:-$here/results.md}"
artifacts="$here/BenchmarkDotNet.Artifacts"

args=("$@")
has_filter=false
for arg in "${args[@]+"${args[@]}"}"; do
  [[ "$arg" == "--filter" || "$arg" == -f ]] && has_filter=true
done
$has_filter || args+=(--filter '*')

rm -rf "$artifacts/results"
dotnet build "$here/Instrumentation.Benchmarks.csproj" -c Release --nologo -v quiet
started="$(date -u '+%Y-%m-%d %H:%M UTC')"
dotnet run --project "$here/Instrumentation.Benchmarks.csproj" -c Release --no-build -- \
  --artifacts "$artifacts" "${args[@]}"

{
  echo "# Benchmark results"
  echo
  echo "- Started: $started"
  echo "- Command: \`test/Instrumentation.Benchmarks/run.sh${*:+ $*}\`"
  echo "- Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(uname -sr)"
  echo "- .NET: $(dotnet --version) SDK, runtime $(dotnet --list-runtimes | grep -m1 NETCore.App | cut -d' ' -f2)"
  echo
  for report in "$artifacts"/results/*-report-github.md; do
    name="$(basename "$report" -report-github.md)"
    echo "## ${name##*.}"
    echo
    # Keep the table, drop BenchmarkDotNet's environment preamble (summarised above) and the quotes it puts
    # around descriptions; &lt; and &gt; stay escaped so Markdown renders Counter&lt;long&gt; literally.
    sed -n '/^|/p' "$report" | sed "s/&#39;//g; s/'//g"
    echo
  done
} > "$results"
echo "Results written to $results"
