# shellcheck shell=bash
# Package checks for test/conformance/run.sh, which sources this file and lists "packages" in SECTIONS.
# Uses run.sh's helpers: check, fail, start_background, stop_background, wait_http, $WORK, $PY.
#
#   packages-pack              `dotnet pack -c Release` at the root gives exactly Instrumentation, .Hosting, .AspNetCore
#                              and .Testing, each a .nupkg and a .snupkg, one version
#   packages-metadata          each .nupkg has its README, description, tags, licence, repository and the assembly
#                              with its XML docs; no test, example or benchmark project is packed
#   packages-consumer-build    test/conformance/Consumer builds from those packages alone (a nuget.config naming the
#                              packed folder and the normal source; package references, no project references)
#   packages-consumer-serves   it answers /metrics on a loopback port (19460-19469)
#   packages-consumer-promtool promtool check metrics accepts its /metrics
#   packages-consumer-metrics  the scrape holds its typed counter (after GET /work), the HTTP and handler metrics, with
#                              the const label; the Testing package answers through /work and /lint

PACKAGES_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
PACKAGES_CONSUMER_SRC="$(cd "$(dirname "${BASH_SOURCE[0]}")/../Consumer" && pwd)"
PACKAGES_IDS=(Instrumentation Instrumentation.Hosting Instrumentation.AspNetCore Instrumentation.Testing)

section_packages() {
    local feed="$WORK/packages-feed"
    # A version of its own for each run, so a package cache can never hand the consumer an older build.
    PACKAGES_VERSION="0.9.0-conformance.$(date +%s)"
    check packages-pack packages_pack "$feed"
    [[ $CHECK_OK == 1 ]] || return 0
    check packages-metadata packages_metadata "$feed"
    check packages-consumer-build packages_consumer_build "$feed"
    [[ $CHECK_OK == 1 ]] || return 0

    local port
    port="$(packages_free_port)" || { fail packages-consumer-serves "no free port in 19460-19469"; return 0; }
    start_background "$WORK/consumer.log" dotnet "$WORK/consumer-out/Consumer.dll" --urls "http://127.0.0.1:$port"
    local consumer_pid=$LAST_PID
    check packages-consumer-serves wait_http "http://127.0.0.1:$port/metrics" 60
    if [[ $CHECK_OK == 1 ]]; then
        check packages-consumer-metrics packages_consumer_metrics "$port"
        check packages-consumer-promtool packages_promtool "$port"
    else
        tail -n 20 "$WORK/consumer.log"
    fi
    stop_background "$consumer_pid"
}

# packages_free_port — the first port of 19460-19469 free on 127.0.0.1.
packages_free_port() {
    local port
    for port in $(seq 19460 19469); do
        if "$PY" -c 'import socket,sys; s=socket.socket(); s.bind(("127.0.0.1",int(sys.argv[1]))); s.close()' "$port" 2>/dev/null; then
            echo "$port"
            return 0
        fi
    done
    return 1
}

packages_pack() {
    local feed=$1
    rm -rf "$feed"
    (cd "$PACKAGES_ROOT" && dotnet pack -c Release -o "$feed" --nologo -v q -p:VersionSuffix="${PACKAGES_VERSION#0.9.0-}") || return 1
    local expected actual id
    expected="$(for id in "${PACKAGES_IDS[@]}"; do echo "$id.$PACKAGES_VERSION.nupkg"; echo "$id.$PACKAGES_VERSION.snupkg"; done | sort)"
    actual="$(cd "$feed" && ls | sort)"
    if [[ "$expected" != "$actual" ]]; then
        echo "expected:"; echo "$expected"; echo "packed:"; echo "$actual"
        return 1
    fi
}

packages_metadata() {
    "$PY" - "$1" "$PACKAGES_VERSION" "${PACKAGES_IDS[@]}" <<'PY'
import re, sys, zipfile
feed, version, ids = sys.argv[1], sys.argv[2], sys.argv[3:]
problems = []
for pid in ids:
    with zipfile.ZipFile(f"{feed}/{pid}.{version}.nupkg") as z:
        names = z.namelist()
        nuspec = z.read(f"{pid}.nuspec").decode("utf-8")
        for tag in ("description", "tags", "readme", "authors"):
            if not re.search(rf"<{tag}>[^<]+</{tag}>", nuspec):
                problems.append(f"{pid}: no <{tag}>")
        if '<license type="expression">Apache-2.0</license>' not in nuspec:
            problems.append(f"{pid}: no Apache-2.0 licence expression")
        if not re.search(r'<repository type="git"', nuspec):
            problems.append(f"{pid}: no repository metadata")
        if "README.md" not in names:
            problems.append(f"{pid}: README.md not in the package")
        for f in (f"lib/net10.0/{pid}.dll", f"lib/net10.0/{pid}.xml"):
            if f not in names:
                problems.append(f"{pid}: {f} missing")
    with zipfile.ZipFile(f"{feed}/{pid}.{version}.snupkg") as z:
        if f"lib/net10.0/{pid}.pdb" not in z.namelist():
            problems.append(f"{pid}: the .snupkg has no {pid}.pdb")
print("\n".join(problems))
sys.exit(1 if problems else 0)
PY
}

packages_consumer_build() {
    local feed=$1 dir="$WORK/consumer-src"
    rm -rf "$dir" "$WORK/consumer-out"
    mkdir -p "$dir"
    cp "$PACKAGES_CONSUMER_SRC/Consumer.csproj" "$PACKAGES_CONSUMER_SRC/Program.cs" "$dir/"
    if grep -q ProjectReference "$dir/Consumer.csproj"; then
        echo "the consumer must reference packages, not projects"
        return 1
    fi
    # The packed folder and the normal source only. Packages are restored into a cache of this run's own; the
    # machine's cache is a read-only fallback for the Microsoft.* packages (this run's version is never in it).
    cat >"$dir/nuget.config" <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <clear />
    <add key="packed" value="$feed" />
    <add key="nuget.org" value="https://api.nuget.org/v3/index.json" protocolVersion="3" />
  </packageSources>
</configuration>
XML
    local fallback=()
    [[ -d "$HOME/.nuget/packages" ]] && fallback=(-p:RestoreFallbackFolders="$HOME/.nuget/packages")
    dotnet publish "$dir/Consumer.csproj" -c Release -o "$WORK/consumer-out" --nologo -v q \
        -p:InstrumentationVersion="$PACKAGES_VERSION" -p:RestorePackagesPath="$WORK/consumer-packages" "${fallback[@]}" || return 1
    # The app's dependencies came from the packages: the assemblies sit beside it, none built from this repository.
    local id
    for id in "${PACKAGES_IDS[@]}"; do
        [[ -f "$WORK/consumer-out/$id.dll" ]] || { echo "$id.dll not in the published app"; return 1; }
        [[ -d "$WORK/consumer-packages/$(echo "$id" | tr 'A-Z' 'a-z')/$PACKAGES_VERSION" ]] || { echo "$id $PACKAGES_VERSION not restored from the packed folder"; return 1; }
    done
}

packages_consumer_metrics() {
    local base="http://127.0.0.1:$1" work lint scrape
    work="$(curl -fsS "$base/work")" || return 1
    [[ $work == 1 ]] || { echo "GET /work answered '$work', expected 1 (MetricsTestUtil.ToDouble of the typed counter)"; return 1; }
    lint="$(curl -fsS "$base/lint")" || return 1
    [[ -z $lint ]] || { echo "the linter found: $lint"; return 1; }
    scrape="$(curl -fsS "$base/metrics")" || return 1
    local line
    for line in '^consumer_jobs_done_total\{app="consumer"\} 1$' \
        '^http_requests_received_total\{app="consumer",code="200",method="GET",route="/work"\} 1$' \
        '^metrics_handler_requests_total\{app="consumer",code="200"\} ' \
        '^process_cpu_seconds_total\{app="consumer"\} '; do
        grep -Eq "$line" <<<"$scrape" || { echo "no line matching $line in:"; grep -v '^#' <<<"$scrape" | head -n 20; return 1; }
    done
}

packages_promtool() {
    local out
    curl -fsS "http://127.0.0.1:$1/metrics" >"$WORK/consumer-metrics.txt" || return 1
    out="$(promtool check metrics <"$WORK/consumer-metrics.txt" 2>&1)" || { echo "promtool: $out"; return 1; }
}
