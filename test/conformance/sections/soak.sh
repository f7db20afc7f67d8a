# shellcheck shell=bash
# Hostile label values and the soak, for test/conformance/run.sh, which sources this file and lists "soak" in SECTIONS.
# Uses run.sh's helpers and variables: check, fail, FIXTURE, $WORK, $PY, $CHECKS, $HERE, PASSED, FAILED.
#
#   hostile-fixture             Fixture hostile: 601 generated label values (HostileLabelValueTests' generator and seed:
#                               NUL, CR, LF, quotes, backslashes, astral characters, a 1 MB string) in every format
#   hostile-promtool            promtool check metrics accepts the text
#   hostile-python-text         prometheus_client's text parser reads every value back exactly
#   hostile-python-openmetrics  ... its OpenMetrics parser
#   hostile-protobuf-decode     ... checks/protobuf_decode.py from the protobuf
#   soak-*                      test/conformance/soak.sh (SOAK_SECONDS, default 60): its checks, counted here

section_soak() {
    if [[ -n "${FIXTURE:-}" ]]; then
        local dir="$WORK/hostile"
        check hostile-fixture "${FIXTURE[@]}" hostile "$dir"
        if [[ $CHECK_OK == 1 ]]; then
            check hostile-promtool hostile_promtool "$dir/hostile.txt"
            check hostile-python-text "$PY" "$CHECKS/check_hostile.py" text "$dir/hostile.txt" "$dir/hostile-expected.json"
            check hostile-python-openmetrics "$PY" "$CHECKS/check_hostile.py" openmetrics "$dir/hostile.om.txt" "$dir/hostile-expected.json"
            check hostile-protobuf-decode "$PY" "$CHECKS/check_hostile.py" protobuf "$dir/hostile.pb" "$dir/hostile-expected.json"
        fi
    else
        fail hostile-fixture "fixture not built"
    fi

    # The soak prints its own PASS/FAIL lines and "N passed, N failed"; its counts join the run's.
    local log="$WORK/soak.log" summary
    bash "$HERE/soak.sh" >"$log" 2>&1 || true
    grep -E '^(PASS|FAIL|#) ' "$log" || true
    summary="$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1 || true)"
    if [[ -n $summary ]]; then
        PASSED=$((PASSED + $(echo "$summary" | awk '{print $1}')))
        FAILED=$((FAILED + $(echo "$summary" | awk '{print $3}')))
    else
        fail soak "soak.sh printed no summary: $(tail -n 5 "$log" | tr '\n' ' ' | cut -c1-1000)"
    fi
}

hostile_promtool() {
    promtool check metrics <"$1"
}
