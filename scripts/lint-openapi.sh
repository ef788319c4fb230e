#!/usr/bin/env bash
# Lints openapi.yaml with Redocly CLI's recommended rules; fails on any error or warning.
# Needs Node.js; installs the pinned CLI into scripts/openapi-lint/node_modules once.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
lint="$here/openapi-lint"

if [ ! -x "$lint/node_modules/.bin/redocly" ]; then
  (cd "$lint" && npm ci --no-audit --no-fund --loglevel=error)
fi
"$lint/node_modules/.bin/redocly" lint --config "$lint/redocly.yaml" --max-problems 200 \
  "$here/../openapi.yaml"
