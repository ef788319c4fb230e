#!/usr/bin/env bash
# The multi-process crash suite, kept out of `./mvnw verify` for its length (about 3 minutes):
# the integration tests tagged "replicas" (ReplicasIT, DeliveryFeaturesReplicasIT, ShutdownIT),
# each starting packaged replicas as separate processes on the local PostgreSQL and RabbitMQ and
# killing or stopping them. Packages the jar first (incremental after a verify). scripts/test.sh
# (so CI) runs it after verify.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/prepare-local.sh
./mvnw -B verify -DskipITs=false -Dtest=NoSuchTest -Dsurefire.failIfNoSpecifiedTests=false \
  -Dit.excludedGroups= -Dgroups=replicas "$@"
