#!/usr/bin/env bash
# The benchmark (README: `npm run bench`). Runs inside a network namespace of its own (see
# scripts/in-netns.sh) so browser figures can join it; everything talks over 127.0.0.1.
#   BENCH_MB=64 npm run bench    a quicker run (default 256 MiB)
#   BENCH_RUNS=1 npm run bench   one run per client instead of the median of 3
# The last line printed is a JSON summary.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh
exec bash scripts/in-netns.sh node --import tsx bench/run.ts
