#!/usr/bin/env bash
# The app (README: `npm start`): installs the npm packages if needed, builds the UI into dist/ and
# starts the gateway serving it. Gateway options pass through: npm start -- --port 9000 …
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules ]; then npm ci --no-audit --no-fund; fi
npx vite build --logLevel warn
exec node --import tsx gateway/main.ts "$@"
