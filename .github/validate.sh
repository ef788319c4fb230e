#!/usr/bin/env bash
# Checks the hosted CI workflow here, where it cannot run (no GitHub, no Docker):
#   - every file in .github/workflows against the GitHub Actions workflow schema, with the npm
#     package @action-validator/cli (installed into .github/validate/node_modules once);
#   - every repository script a workflow names exists and is executable;
#   - the kind overlay the cluster jobs apply (.github/kind) renders and every object in it is
#     valid against the Kubernetes API schema (k8s/validate/validate.mjs, as k8s/validate.sh does).
# Needs Node.js with npm, and kubectl. Called by scripts/test.sh after k8s/validate.sh.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"

if [ ! -x "$here/validate/node_modules/.bin/action-validator" ]; then
  (cd "$here/validate" && npm ci --no-audit --no-fund --loglevel=error)
fi
if [ ! -d "$root/k8s/validate/node_modules/kubernetes-models" ]; then
  (cd "$root/k8s/validate" && npm ci --no-audit --no-fund --loglevel=error)
fi

status=0
for workflow in "$here"/workflows/*.yml "$here"/workflows/*.yaml; do
  [ -f "$workflow" ] || continue
  name="${workflow#"$root"/}"
  echo "== $name"
  if "$here/validate/node_modules/.bin/action-validator" "$workflow"; then
    echo "ok   schema"
  else
    status=1
  fi
  for script in $(grep -oE '(scripts|k8s|\.github)/[A-Za-z0-9_./-]+\.(sh|py)' "$workflow" | sort -u); do
    if [ -x "$root/$script" ]; then
      echo "ok   $script"
    else
      echo "FAIL $name names $script, which is not an executable file" >&2
      status=1
    fi
  done
done

# Render from a copy, with stand-ins for the dev overlay's key files when they are missing (as
# k8s/validate.sh does); the overlay reads scripts/webhook-receiver.py from outside its directory.
echo "== .github/kind"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/.github" "$work/scripts" "$work/k8s"
cp -r "$root/k8s/base" "$root/k8s/demo" "$root/k8s/overlays" "$work/k8s/"
cp -r "$here/kind" "$work/.github/"
cp "$root/scripts/webhook-receiver.py" "$work/scripts/"
mkdir -p "$work/k8s/overlays/dev/keys"
for f in public.pem private.pem; do
  [ -f "$work/k8s/overlays/dev/keys/$f" ] || echo "stand-in for validation" >"$work/k8s/overlays/dev/keys/$f"
done
if ! kubectl kustomize --load-restrictor LoadRestrictionsNone "$work/.github/kind" | node "$root/k8s/validate/validate.mjs"; then
  status=1
fi
exit $status
