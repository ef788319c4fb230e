#!/usr/bin/env bash
# Runs every test: lints openapi.yaml (Redocly's recommended rules), then unit and @QuarkusTest
# (surefire), then the packaged jar under @QuarkusIntegrationTest (failsafe), against the local
# PostgreSQL and RabbitMQ; then validates the Kubernetes manifests against the API schema
# (k8s/validate.sh: kubectl and npm) and the hosted CI workflow (.github/validate.sh: npm).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/prepare-local.sh
scripts/lint-openapi.sh
./mvnw -B verify -DskipITs=false "$@"
k8s/validate.sh
.github/validate.sh
