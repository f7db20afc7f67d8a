"""promtool's linter and Instrumentation.Testing.Linter must find the same problems in the same metrics.

Usage: lint_agrees.py EXPOSITION OURS
  EXPOSITION  the fixture's deliberately badly named metrics in the text format (Fixture lint DIR → lint.txt)
  OURS        what Linter found in the same gathered families, one "<metric> <text>" line each (lint-problems.txt)

Runs `promtool check metrics` on EXPOSITION and compares its problem lines with OURS as sets: promlint repeats a
problem once per series that has it, the Linter says it once. Also checks that the fixture trips every promlint rule,
so that an agreement on nothing cannot pass. Exit 0 on agreement; otherwise prints the differences and exits 1.
"""
import re
import subprocess
import sys

# One pattern per promlint rule (and per message of a rule with several).
RULES = [
    r"no help text",
    r'use base unit "[a-z]+" instead of "[a-z]+"',
    r'counter metrics should have "_total" suffix',
    r'non-counter metrics should not have "_total" suffix',
    r'non-histogram metrics should not have "_bucket" suffix',
    r'non-histogram and non-summary metrics should not have "_count" suffix',
    r'non-histogram and non-summary metrics should not have "_sum" suffix',
    r'non-histogram metrics should not have "le" label',
    r'non-summary metrics should not have "quantile" label',
    r"metric name should not include type '[a-z_]+'",
    r"metric names should not contain ':'",
    r"metric names should be written in 'snake_case' not 'camelCase'",
    r"label names should be written in 'snake_case' not 'camelCase'",
    r"metric names should not contain abbreviated units",
]


def main(exposition_path, ours_path):
    with open(exposition_path, "rb") as exposition:
        result = subprocess.run(["promtool", "check", "metrics"], stdin=exposition, capture_output=True, text=True)
    # promtool exits 3 when it only found lint problems, 1 when the input could not be read at all.
    if result.returncode not in (0, 3):
        print(f"promtool check metrics failed (exit {result.returncode}): {result.stdout}{result.stderr}")
        return 1
    theirs = {line for line in (result.stdout + result.stderr).splitlines() if line.strip()}
    with open(ours_path, encoding="utf-8") as f:
        ours = {line for line in f.read().splitlines() if line.strip()}

    failed = False
    only_theirs = sorted(theirs - ours)
    only_ours = sorted(ours - theirs)
    if only_theirs:
        failed = True
        print(f"promtool only ({len(only_theirs)}): " + " | ".join(only_theirs))
    if only_ours:
        failed = True
        print(f"Linter only ({len(only_ours)}): " + " | ".join(only_ours))
    untripped = [rule for rule in RULES if not any(re.search(" " + rule + "$", line) for line in theirs)]
    if untripped:
        failed = True
        print("fixture trips no problem for: " + " | ".join(untripped))
    if not failed:
        print(f"{len(ours)} problems, the same from both; all {len(RULES)} rules tripped")
    return 1 if failed else 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        print(__doc__)
        sys.exit(2)
    sys.exit(main(sys.argv[1], sys.argv[2]))
