#!/usr/bin/env bash
# Runs every test: unit and @QuarkusTest (surefire), then the packaged jar under
# @QuarkusIntegrationTest (failsafe), against the local PostgreSQL and RabbitMQ.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/prepare-local.sh
exec ./mvnw -B verify -DskipITs=false "$@"
