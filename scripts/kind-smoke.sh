#!/usr/bin/env bash
# The cluster trial of the hosted workflow (.github/workflows/ci.yml), for any machine with Docker,
# kind and kubectl (this project's build machine has no Docker, so it runs in the workflow only):
#   1. builds the image of one variant from src/main/docker (the commands of their headers);
#   2. starts a kind cluster from .github/kind/cluster.yaml unless one of that name runs, and loads
#      the image into it;
#   3. applies k8s/overlays/dev (demo PostgreSQL and RabbitMQ, a dev JWT pair from make-keys.sh)
#      with the smoke additions of .github/kind (an in-cluster webhook receiver, the outbound-guard
#      and NetworkPolicy openings to reach it, NodePorts on 127.0.0.1);
#   4. waits for PostgreSQL, RabbitMQ, the migrate Job and the Deployment;
#   5. runs scripts/smoke.py: one event from sign-up to a `success` log, then `kubectl rollout
#      restart` of the Deployment with events flowing, every accepted event ending `success`.
#
#   scripts/kind-smoke.sh jvm       # after ./mvnw package (target/quarkus-app)
#   scripts/kind-smoke.sh native    # after ./mvnw package -Dnative -Dquarkus.native.container-build=true
#
# KIND_CLUSTER names the cluster (default data-pusher); it is left running for a look afterwards
# (kind delete cluster --name data-pusher). Smoke reports are appended to $GITHUB_STEP_SUMMARY
# when it is set. On failure it prints the namespace's objects, events and logs.
set -euo pipefail
cd "$(dirname "$0")/.."

variant="${1:-}"
cluster="${KIND_CLUSTER:-data-pusher}"
ns=data-pusher-dev
image=datapusher/data-pusher:1.0.0-SNAPSHOT # the image and tag k8s/overlays/dev runs

log() { printf '[kind-smoke] %s\n' "$*"; }

case "$variant" in
  jvm)
    [ -f target/quarkus-app/quarkus-run.jar ] || { log "build the app first: ./mvnw package"; exit 1; }
    docker build -f src/main/docker/Dockerfile.jvm -t "$image" .
    ;;
  native)
    compgen -G 'target/*-runner' >/dev/null \
      || { log "build the executable first: ./mvnw package -Dnative -Dquarkus.native.container-build=true"; exit 1; }
    # Built under the tag its Dockerfile names, then tagged as the one the manifests run, so
    # that both variants run the very same manifests.
    docker build -f src/main/docker/Dockerfile.native-micro -t "$image-native-micro" .
    docker tag "$image-native-micro" "$image"
    ;;
  *)
    echo "usage: $0 jvm|native" >&2
    exit 2
    ;;
esac

if ! kind get clusters 2>/dev/null | grep -qx "$cluster"; then
  kind create cluster --name "$cluster" --config .github/kind/cluster.yaml --wait 180s
fi
kubectl config use-context "kind-$cluster" >/dev/null
kind load docker-image "$image" --name "$cluster"

kc() { kubectl -n "$ns" "$@"; }
diagnose() {
  log "failed; the state of namespace $ns:"
  kc get all,pvc,networkpolicy -o wide || true
  kc get events --sort-by=.lastTimestamp | tail -60 || true
  for pod in $(kc get pods -o name 2>/dev/null); do
    echo "----- $pod"
    kc logs "$pod" --all-containers --tail=80 || true
    kc logs "$pod" --all-containers --previous --tail=40 2>/dev/null || true
  done
}
trap 'status=$?; [ $status -eq 0 ] || diagnose; exit $status' EXIT

k8s/overlays/dev/make-keys.sh
# The overlay takes the receiver script from scripts/, outside its own directory.
kubectl kustomize --load-restrictor LoadRestrictionsNone .github/kind | kubectl apply -f -

log "waiting for the demo services, the receiver, the migrate Job and the Deployment"
kc rollout status statefulset/postgresql --timeout=300s
kc rollout status statefulset/rabbitmq --timeout=300s
kc rollout status deployment/webhook-receiver --timeout=300s
kc wait --for=condition=complete job/data-pusher-migrate --timeout=600s
kc rollout status deployment/data-pusher --timeout=600s
kc get pods -o wide

base=http://127.0.0.1:30080
destination="http://webhook-receiver.$ns.svc.cluster.local:8099/in"
smoke=(scripts/smoke.py "$base" "$destination" --receiver http://127.0.0.1:30099)
[ -z "${GITHUB_STEP_SUMMARY:-}" ] || smoke+=(--summary "$GITHUB_STEP_SUMMARY")

log "smoke scenario ($variant image)"
"${smoke[@]}"

log "rolling restart with events flowing ($variant image)"
# rollout status returns once the new replicas are available; the old ones then still drain for
# up to their grace period (45 s), so events keep flowing that long too.
"${smoke[@]}" --during "kubectl -n $ns rollout restart deployment/data-pusher \
  && kubectl -n $ns rollout status deployment/data-pusher --timeout=600s && sleep 45"
kc get pods -o wide
log "passed"
