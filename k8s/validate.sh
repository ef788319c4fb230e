#!/usr/bin/env bash
# Renders every overlay with `kubectl kustomize` and checks each object against the Kubernetes
# API schema (kubernetes-models from npm, offline: `kubectl apply --dry-run` needs a server).
# Needs kubectl and Node.js; installs the validator into k8s/validate/node_modules once.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"

if [ ! -d "$here/validate/node_modules/kubernetes-models" ]; then
  (cd "$here/validate" && npm ci --no-audit --no-fund --loglevel=error)
fi

# Render from a copy, so that the dev overlay's key files (made by make-keys.sh, never
# committed) can be stand-ins when missing: their content does not matter to the schema.
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp -r "$here/base" "$here/demo" "$here/overlays" "$work/"
mkdir -p "$work/overlays/dev/keys"
for f in public.pem private.pem; do
  [ -f "$work/overlays/dev/keys/$f" ] || echo "stand-in for validation" > "$work/overlays/dev/keys/$f"
done

status=0
for target in base overlays/dev overlays/prod; do
  echo "== $target"
  if ! kubectl kustomize "$work/$target" | node "$here/validate/validate.mjs"; then
    status=1
  fi
done
exit $status
