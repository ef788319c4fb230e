#!/usr/bin/env bash
# The console in a real browser: Debian's Chromium driven by playwright-core (src/test/browser).
# On a fresh Debian machine it installs what it needs (chromium from apt, playwright-core from the
# committed package-lock.json), starts the packaged service against the local PostgreSQL and
# RabbitMQ (building the jar if there is none), runs the scenario and stops the service.
# Screenshots of every page go to target/browser-screenshots/.
#
#   scripts/browser-test.sh                          # packaged service on BROWSER_TEST_PORT (18085)
#   CONSOLE_URL=http://localhost:8080 scripts/browser-test.sh   # a service already running
#
# BROWSER_TEST_DB (datapusher_browser) names the database the packaged service uses. Browsers keep
# the console's Secure cookie over plain HTTP only from localhost, so the URL must be localhost.
set -euo pipefail
cd "$(dirname "$0")/.."

port="${BROWSER_TEST_PORT:-18085}"
# apt needs root: CI runners have sudo, this machine's sessions are root.
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
db="${BROWSER_TEST_DB:-datapusher_browser}"
shots="target/browser-screenshots"
log="target/browser-test-service.log"

# Debian's chromium; else a Chrome or Chromium already on the machine (GitHub's Ubuntu runners have
# google-chrome, and Ubuntu's chromium package is only a snap wrapper, unusable in CI).
if [ -z "${CHROMIUM:-}" ] && ! command -v chromium >/dev/null 2>&1; then
    for candidate in google-chrome chromium-browser; do
        if command -v "$candidate" >/dev/null 2>&1; then
            export CHROMIUM="$(command -v "$candidate")"
            break
        fi
    done
fi
if [ -z "${CHROMIUM:-}" ] && ! command -v chromium >/dev/null 2>&1; then
    echo "[browser-test] installing chromium (apt)"
    $sudo apt-get update -qq && $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
if ! command -v node >/dev/null 2>&1; then
    echo "[browser-test] installing nodejs and npm (apt)"
    $sudo apt-get update -qq && $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null
fi
if [ ! -d src/test/browser/node_modules/playwright-core ]; then
    (cd src/test/browser && npm ci --no-audit --no-fund --silent)
fi

service_pid=""
stop_service() {
    if [ -n "$service_pid" ] && kill -0 "$service_pid" 2>/dev/null; then
        kill "$service_pid" && wait "$service_pid" 2>/dev/null || true
    fi
}
trap stop_service EXIT

url="${CONSOLE_URL:-}"
if [ -z "$url" ]; then
    DATAPUSHER_TEST_DB="$db" scripts/prepare-local.sh
    if [ ! -f target/quarkus-app/quarkus-run.jar ]; then
        echo "[browser-test] building the jar"
        ./mvnw -q package -DskipTests
    fi
    url="http://localhost:$port"
    mkdir -p target
    echo "[browser-test] starting the packaged service on $url (database $db, log $log)"
    QUARKUS_HTTP_PORT="$port" \
    QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://127.0.0.1:5432/$db" \
    QUARKUS_DATASOURCE_USERNAME=postgres \
    AMQP_USERNAME=guest AMQP_PASSWORD=guest \
    MP_JWT_VERIFY_PUBLICKEY_LOCATION="$PWD/.keys/public.pem" \
    SMALLRYE_JWT_SIGN_KEY_LOCATION="$PWD/.keys/private.pem" \
    DATAPUSHER_QUEUE="datapusher.deliveries.$db" \
    DATAPUSHER_DESTINATIONS_ALLOWED_CIDRS=127.0.0.0/8 \
    QUARKUS_LOG_CONSOLE_JSON_ENABLED=false \
        java -jar target/quarkus-app/quarkus-run.jar >"$log" 2>&1 &
    service_pid=$!
    for _ in $(seq 1 120); do
        if curl -fs "$url/q/health/ready" >/dev/null 2>&1; then
            break
        fi
        if ! kill -0 "$service_pid" 2>/dev/null; then
            echo "[browser-test] the service stopped; see $log" >&2
            exit 1
        fi
        sleep 0.5
    done
    curl -fs "$url/q/health/ready" >/dev/null || { echo "[browser-test] not ready after 60 s; see $log" >&2; exit 1; }
fi

rm -rf "$shots"
echo "[browser-test] driving $("${CHROMIUM:-chromium}" --version 2>/dev/null || echo chromium) at $url"
node src/test/browser/console-test.mjs --base "$url" --screenshots "$shots"
