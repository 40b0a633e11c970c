#!/usr/bin/env bash
# THE test command (README: `npm test`; CI: .ci/run). Stages:
#   1. scripts/ensure-deps.sh       system tools and node_modules
#   2. tsc --noEmit -p .            type check of everything
#   3. vitest run                   unit + gateway + interop + helper self-tests (not test/e2e)
#   4. TABTORRENT_E2E=1 vitest run  browser end-to-end tests (test/e2e), inside a network namespace
#   5. vitest run test/interop/in-netns   tests that need a namespace of their own (the README's self-hosting
#                                   recipe, Transmission dialling the engine), inside one (stage 3 skips them)
# Every stage runs even if an earlier one failed (more to read); the exit code is non-zero if any did.
# SKIP_E2E=1 skips stage 4. Extra arguments go to both vitest runs (e.g. a file filter).
set -uo pipefail
cd "$(dirname "$0")/.."

bash scripts/ensure-deps.sh || { echo "test: ensure-deps failed" >&2; exit 1; }

failed=()
stage() {
  local name="$1"; shift
  echo
  echo "=== ${name} ==="
  if "$@"; then echo "=== ${name}: ok ==="; else echo "=== ${name}: FAILED ===" >&2; failed+=("$name"); fi
}

# Plain text when the output is a log file rather than a terminal.
if [ ! -t 1 ] && [ -z "${FORCE_COLOR:-}" ]; then export NO_COLOR=1; fi
stage "typecheck" node_modules/.bin/tsc --noEmit -p .
stage "vitest (unit, gateway, interop)" node_modules/.bin/vitest run "$@"

if [ "${SKIP_E2E:-0}" = "1" ]; then
  echo; echo "=== e2e: skipped (SKIP_E2E=1) ==="
elif [ -z "$(find test/e2e -name '*.test.ts' -print -quit 2>/dev/null)" ]; then
  echo; echo "=== e2e: no test files in test/e2e yet ==="
else
  stage "vitest e2e (network namespace)" bash scripts/in-netns.sh env TABTORRENT_E2E=1 node_modules/.bin/vitest run "$@"
fi

if [ "${SKIP_E2E:-0}" = "1" ]; then
  echo; echo "=== interop in a network namespace: skipped (SKIP_E2E=1) ==="
else
  stage "interop in a network namespace (test/interop/in-netns)" bash scripts/in-netns.sh node_modules/.bin/vitest run test/interop/in-netns/
fi

echo
if [ "${#failed[@]}" -gt 0 ]; then
  echo "test: FAILED stages: ${failed[*]}" >&2
  exit 1
fi
echo "test: all stages passed"
