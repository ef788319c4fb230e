#!/usr/bin/env bash
# Runs Data Pusher in dev mode (live reload) on http://localhost:8080 against the local services.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/prepare-local.sh
exec ./mvnw quarkus:dev "$@"
