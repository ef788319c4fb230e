#!/usr/bin/env bash
# Start-up benchmark of the packaged app: time from launch to /q/health/ready answering 200,
# and resident memory (VmRSS) once ready, for
#   1. Java 17, fast-jar
#   2. Temurin 25, the same fast-jar
#   3. Temurin 25 with the JDK 25 AOT cache (./mvnw verify -Paot: the integration tests are the
#      training run)
# RUNS runs each (default 3), after one unmeasured warm-up start per variant (page cache,
# Flyway's first migration). Each start is then stopped with SIGTERM and the time to exit noted.
#
#   bench/startup.sh            # builds what is missing under target/bench/, then measures
#                               # (the AOT variant in target/bench/aot-project/, see below)
#   bench/startup.sh --rebuild  # builds both variants again
#
# Needs PostgreSQL and RabbitMQ (AMQP 1.0) on 127.0.0.1 (scripts/prepare-local.sh), openssl,
# curl and psql. JDK17 and JDK25 may point at other JDKs.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$(pwd)"

JDK17="${JDK17:-/usr/lib/jvm/java-17-openjdk-amd64}"
JDK25="${JDK25:-/usr/lib/jvm/temurin-25-jdk-amd64}"
RUNS="${RUNS:-3}"
PORT="${BENCH_PORT:-18080}"
DB="${BENCH_DB:-datapusher_bench_startup}"
OUT="$root/target/bench"
rebuild=false
[ "${1:-}" = "--rebuild" ] && rebuild=true

log() { printf '[bench] %s\n' "$*" >&2; }

# ---------------------------------------------------------------- build (or reuse)
mkdir -p "$OUT"
if $rebuild || [ ! -f "$OUT/fast-jar/quarkus-run.jar" ]; then
  log "building the fast-jar with $JDK17"
  JAVA_HOME="$JDK17" ./mvnw -B -q package -DskipTests >"$OUT/build-fast-jar.log" 2>&1 \
    || { tail -40 "$OUT/build-fast-jar.log"; exit 1; }
  rm -rf "$OUT/fast-jar" && cp -a target/quarkus-app "$OUT/fast-jar"
fi
# The cache remembers where it was trained: Quarkus' AOT launcher finds quarkus-application.dat
# from its own class's code source, which the cache holds with the training run's absolute path.
# So the cached variant is built, and run, in a copy of the project that no other build touches.
aot_project="$OUT/aot-project"
aot_app="$aot_project/target/quarkus-app"
if $rebuild || [ ! -f "$aot_app/app.aot" ]; then
  log "building the AOT cache with $JDK25 in $aot_project (the integration tests are the training run)"
  rm -rf "$aot_project" && mkdir -p "$aot_project"
  cp -a pom.xml mvnw .mvn src "$aot_project/"
  # Surefire's tests are not part of the training; -Dtest matches none of them.
  (cd "$aot_project" && DATAPUSHER_TEST_DB="${DATAPUSHER_TEST_DB:-datapusher_bench_training}" JAVA_HOME="$JDK25" \
    ./mvnw -B verify -Paot -Dtest=NoUnitTests -Dsurefire.failIfNoSpecifiedTests=false) \
    >"$OUT/build-aot.log" 2>&1 || { tail -40 "$OUT/build-aot.log"; exit 1; }
  # The cache may still be being written when Maven returns: wait until its size settles.
  size=-1
  for _ in $(seq 1 120); do
    now=$(stat -c %s "$aot_app/app.aot" 2>/dev/null || echo 0)
    [ "$now" -gt 0 ] && [ "$now" = "$size" ] && break
    size=$now
    sleep 1
  done
  [ "$size" -gt 0 ] || { log "no $aot_app/app.aot was made"; exit 1; }
fi

# ---------------------------------------------------------------- what the app needs
if ! psql -h 127.0.0.1 -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$DB'" | grep -q 1; then
  log "creating database $DB"
  psql -h 127.0.0.1 -U postgres -qc "CREATE DATABASE $DB"
fi
keys="$(mktemp -d)"
trap 'rm -rf "$keys"' EXIT
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$keys/private.pem" 2>/dev/null
openssl pkey -in "$keys/private.pem" -pubout -out "$keys/public.pem"

if curl -s -o /dev/null "http://127.0.0.1:$PORT/"; then
  log "port $PORT is taken; set BENCH_PORT"; exit 1
fi

# One start: prints "ready_ms rss_mb started_s stop_ms exit_code cpu_ms".
measure() {
  local dir="$1" java="$2"; shift 2
  local out="$OUT/run.log"
  cd "$dir"
  local t0; t0=$(date +%s%N)
  env -i PATH=/usr/bin:/bin \
    QUARKUS_HTTP_PORT="$PORT" \
    QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://127.0.0.1:5432/$DB" \
    QUARKUS_DATASOURCE_USERNAME=postgres \
    AMQP_HOST=127.0.0.1 AMQP_PORT=5672 AMQP_USERNAME=guest AMQP_PASSWORD=guest \
    DATAPUSHER_QUEUE="datapusher.deliveries.$DB" \
    MP_JWT_VERIFY_PUBLICKEY_LOCATION="$keys/public.pem" \
    SMALLRYE_JWT_SIGN_KEY_LOCATION="$keys/private.pem" \
    "$java" "$@" -jar quarkus-run.jar >"$out" 2>&1 &
  local pid=$!
  cd "$root"
  local ready=""
  for _ in $(seq 1 6000); do
    if curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/q/health/ready" 2>/dev/null | grep -q 200; then
      ready=$(( ($(date +%s%N) - t0) / 1000000 ))
      break
    fi
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.01
  done
  if [ -z "$ready" ]; then
    log "the app did not become ready; its output:"; tail -20 "$out" >&2
    kill -9 "$pid" 2>/dev/null || true
    exit 1
  fi
  local rss; rss=$(awk '/^VmRSS/ { printf "%d", $2 / 1024 }' "/proc/$pid/status")
  # CPU time (user + system) spent until ready: unlike wall-clock time, hardly changed by other
  # processes competing for the cores.
  local cpu; cpu=$(awk -v tck="$(getconf CLK_TCK)" '{ sub(/.*\) /, ""); printf "%d", ($12 + $13) * 1000 / tck }' "/proc/$pid/stat")
  local started; started=$(grep -o 'started in [0-9.]*s' "$out" | grep -o '[0-9.]*' | head -1)
  local t1; t1=$(date +%s%N)
  kill -TERM "$pid"
  local code=0
  wait "$pid" || code=$?
  local stop=$(( ($(date +%s%N) - t1) / 1000000 ))
  grep -q 'stopped in' "$out" || log "no 'stopped in' line after SIGTERM"
  echo "$ready $rss ${started:-?} $stop $code $cpu"
}

median() { tr ' ' '\n' | grep -v '^$' | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

variants=(
  "Java 17, fast-jar|$OUT/fast-jar|$JDK17/bin/java|"
  "Temurin 25, same jar|$OUT/fast-jar|$JDK25/bin/java|"
  "Temurin 25 + AOT cache|$aot_app|$JDK25/bin/java|-XX:AOTCache=app.aot -XX:AOTMode=on"
)

log "$("$JDK17/bin/java" -version 2>&1 | head -1); $("$JDK25/bin/java" -version 2>&1 | head -1)"
log "load before measuring: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
rows=()
for v in "${variants[@]}"; do
  IFS='|' read -r name dir java flags <<<"$v"
  # shellcheck disable=SC2086
  measure "$dir" "$java" $flags >/dev/null # warm-up
  readies=() rsses=() starteds=() stops=() codes=() cpus=()
  for i in $(seq 1 "$RUNS"); do
    # shellcheck disable=SC2086
    read -r ready rss started stop code cpu < <(measure "$dir" "$java" $flags) || true
    [ -n "${ready:-}" ] || exit 1
    log "$name, run $i: ready ${ready} ms, CPU ${cpu} ms, RSS ${rss} MB, Quarkus 'started in' ${started} s, SIGTERM to exit ${stop} ms (exit code $code)"
    readies+=("$ready"); rsses+=("$rss"); starteds+=("$started"); stops+=("$stop"); codes+=("$code"); cpus+=("$cpu")
  done
  rows+=("| $name | ${readies[*]} | $(echo "${readies[*]}" | median) | $(echo "${cpus[*]}" | median) | ${starteds[*]} | ${rsses[*]} | $(echo "${rsses[*]}" | median) | ${stops[*]} |")
done
log "load after measuring: $(cut -d' ' -f1-3 /proc/loadavg)"

echo
echo "| runtime | ready (ms), each run | ready median (ms) | CPU to ready, median (ms) | Quarkus 'started in' (s) | RSS when ready (MB) | RSS median (MB) | SIGTERM to exit (ms) |"
echo "|---|---|---|---|---|---|---|---|"
printf '%s\n' "${rows[@]}"
