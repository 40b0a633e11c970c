#!/usr/bin/env bash
# Development (README: `npm run dev`): the gateway on 127.0.0.1:8080 and Vite's dev server on
# 127.0.0.1:5173 with hot reload; the dev server proxies /signal and the sign-in visit to the
# gateway. Open the dev-server URL with the token the gateway prints: http://127.0.0.1:5173/?token=…
# (it becomes a cookie, and the address bar loses it).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -d node_modules ]; then npm ci --no-audit --no-fund; fi
export GATEWAY_PORT="${GATEWAY_PORT:-8080}"
# Pages come from the dev server, a different origin from the gateway: let them connect.
export GATEWAY_ALLOW_ORIGIN="${GATEWAY_ALLOW_ORIGIN:-http://127.0.0.1:5173,http://localhost:5173}"
node --import tsx gateway/main.ts --port "$GATEWAY_PORT" "$@" &
GATEWAY_PID=$!
trap 'kill $GATEWAY_PID 2>/dev/null' EXIT
GATEWAY_URL="http://127.0.0.1:$GATEWAY_PORT" npx vite --host 127.0.0.1 --port 5173
