#!/usr/bin/env bash
# Makes the dev overlay's JWT key pair (never committed: see .gitignore). Dev only; production
# brings its own pair in the Secret data-pusher-secrets (docs/deploy.md).
set -euo pipefail
cd "$(dirname "$0")"
mkdir -p keys
if [ ! -f keys/private.pem ]; then
  openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out keys/private.pem 2>/dev/null
  openssl pkey -in keys/private.pem -pubout -out keys/public.pem
fi
echo "keys in $(pwd)/keys"
