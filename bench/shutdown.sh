#!/usr/bin/env bash
# Graceful shutdown of the packaged jar: starts it, sends a burst of sign-ups (each hashes a
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
JAVA="${JAVA:-java}"
PORT="${BENCH_PORT:-18090}"
DB="${BENCH_DB:-datapusher_bench_startup}"
REQUESTS="${REQUESTS:-20}"
app="target/quarkus-app/quarkus-run.jar"
[ -f "$app" ] || { echo "build first: ./mvnw package" >&2; exit 1; }

psql -h 127.0.0.1 -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$DB'" | grep -q 1 \
  || psql -h 127.0.0.1 -U postgres -qc "CREATE DATABASE $DB"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$work/private.pem" 2>/dev/null
openssl pkey -in "$work/private.pem" -pubout -out "$work/public.pem"

env -i PATH=/usr/bin:/bin QUARKUS_HTTP_PORT="$PORT" \
  QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://127.0.0.1:5432/$DB" QUARKUS_DATASOURCE_USERNAME=postgres \
  AMQP_HOST=127.0.0.1 AMQP_PORT=5672 AMQP_USERNAME=guest AMQP_PASSWORD=guest \
  DATAPUSHER_QUEUE="datapusher.deliveries.$DB" \
  MP_JWT_VERIFY_PUBLICKEY_LOCATION="$work/public.pem" SMALLRYE_JWT_SIGN_KEY_LOCATION="$work/private.pem" \
  "$JAVA" -jar "$app" >"$work/app.log" 2>&1 &
pid=$!
for _ in $(seq 1 1200); do
  curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/q/health/ready" | grep -q 200 && break
  kill -0 "$pid" 2>/dev/null || { cat "$work/app.log"; exit 1; }
  sleep 0.1
done
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
