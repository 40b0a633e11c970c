#!/usr/bin/env bash
# The benchmark (README: `npm run bench`). Runs inside a network namespace of its own (see
# scripts/in-netns.sh) so browser figures can join it; everything talks over 127.0.0.1.
# BENCH_MB=64 npm run bench  for a quick run (default 256 MiB). The last line is a JSON summary.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh
if [ "$(id -u)" -eq 0 ]; then
  exec bash scripts/in-netns.sh node --import tsx bench/run.ts
else
  echo "bench: not root, running without a network namespace (browser figures need one)" >&2
  exec node --import tsx bench/run.ts
fi
