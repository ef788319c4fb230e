#!/usr/bin/env bash
# Graceful shutdown of the packaged jar: starts it as the pod runs it (bench/lib.sh), sends a burst of sign-ups (each hashes a
# password with bcrypt, so some are in flight), sends SIGTERM while they run, and reports every
# request's HTTP status, the exit code and the time from SIGTERM to exit. In-flight requests
# should finish (201); requests that arrive after SIGTERM get 503 or a refused connection;
# none should be cut off mid-answer.
#
#   bench/shutdown.sh            # uses target/quarkus-app (./mvnw package first)
#
# Needs PostgreSQL and RabbitMQ on 127.0.0.1, openssl, curl, psql.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
JAVA="${JAVA:-java}"
APP_DIR="$(pwd)/target/quarkus-app"
PORT="${BENCH_PORT:-18090}"
DB="${BENCH_DB:-datapusher_bench_startup}"
REQUESTS="${REQUESTS:-20}"
app="target/quarkus-app/quarkus-run.jar"
[ -f "$app" ] || { echo "build first: ./mvnw package" >&2; exit 1; }

bench_sql -d postgres -c "SELECT 1 FROM pg_database WHERE datname = '$DB'" | grep -q 1 \
  || bench_sql -d postgres -c "CREATE DATABASE $DB"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
bench_key_pair "$work"
bench_launch_replica "$PORT" "$DB" "datapusher.deliveries.$DB" "$work" "$work/app.log"
pid=$REPLICA_PID
bench_await_ready "$PORT" "$pid" 120 >/dev/null || { cat "$work/app.log"; exit 1; }
echo "ready; sending $REQUESTS sign-ups, SIGTERM after the first ones are in flight"

for i in $(seq 1 "$REQUESTS"); do
  # curl's exit code tells a refused connection (7) from one cut off mid-answer (52, 56).
  ( rc=0; status=$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' \
      -d "{\"email\":\"shutdown-$i-$RANDOM$RANDOM@example.com\",\"password\":\"correct horse battery\"}" \
      "http://127.0.0.1:$PORT/auth/signup") || rc=$?
    echo "HTTP $status, curl exit $rc" >"$work/status.$i" ) &
  sleep 0.02
  if [ "$i" -eq $((REQUESTS / 2)) ]; then
    t0=$(date +%s%N)
    kill -TERM "$pid"
    echo "SIGTERM sent after request $i"
  fi
done
code=0
wait "$pid" || code=$?
stop_ms=$(( ($(date +%s%N) - t0) / 1000000 ))
wait
echo "exit code $code, SIGTERM to exit ${stop_ms} ms"
echo "answers (HTTP 000 = none; curl exit 7 = connection refused, 52/56 = cut off):"
cat "$work"/status.* | sort | uniq -c
grep -o '"message":"data-pusher stopped in [^"]*"' "$work/app.log" || grep -o 'stopped in .*' "$work/app.log" || echo "no 'stopped in' line"
grep -E '"level":"(ERROR|WARN)"' "$work/app.log" | head -5 || true
