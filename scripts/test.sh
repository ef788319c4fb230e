#!/usr/bin/env bash
# Runs every test: lints openapi.yaml (Redocly's recommended rules), then unit and @QuarkusTest
# (surefire), then the packaged jar under @QuarkusIntegrationTest (failsafe), against the local
# PostgreSQL and RabbitMQ; then the multi-process crash suite (scripts/test-replicas.sh); then the web console in a real browser (scripts/browser-test.sh:
# Chromium and playwright-core, on the jar verify packaged); then validates the Kubernetes
# manifests against the API schema (k8s/validate.sh: kubectl and npm) and the hosted CI workflow
# (.github/validate.sh: npm).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/prepare-local.sh
scripts/lint-openapi.sh
./mvnw -B verify -DskipITs=false "$@"
scripts/test-replicas.sh
scripts/browser-test.sh
k8s/validate.sh
.github/validate.sh
