#!/usr/bin/env bash
# Start-up benchmark of the packaged app, run as a Kubernetes replica runs it: time from launch
# to /q/health/ready answering 200, CPU time and resident memory (VmRSS) at that moment, then the
# first 500 authenticated API calls (GET /accounts, one after another), then SIGTERM. Variants:
#   1. Java 17, fast-jar
#   2. Temurin 25, the same fast-jar
#   3. Temurin 25 with the JDK 25 AOT cache (./mvnw verify -Paot: the integration tests are the
#      training run)
#   4. the same with the JIT's compile thresholds raised tenfold (-XX:CompileThresholdScaling=10):
#      less compiling while starting, at the price of a slower first minute (the last column)
# Every variant runs with the replica's settings: QUARKUS_FLYWAY_ACTIVE=false (the migrate Job,
# run once here with QUARKUS_INIT_AND_EXIT=true, has migrated), and -XX:MaxRAM=512m, so the JVM
# sizes itself as in the pod's 512 MiB limit (Serial GC, as the JVM picks there), with
# -XX:MaxRAMPercentage=50 as src/main/docker/Dockerfile.jvm-aot sets.
# RUNS runs each (default 5), after one unmeasured warm-up start per variant (page cache).
#
#   bench/startup.sh            # builds what is missing under target/bench/, then measures
#                               # (the AOT variant in target/bench/aot-project/, see below)
#   bench/startup.sh --rebuild  # builds both variants again
#
# Needs PostgreSQL and RabbitMQ (AMQP 1.0) on 127.0.0.1 (scripts/prepare-local.sh), openssl,
# python3 and psql. JDK17 and JDK25 may point at other JDKs.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$(pwd)"

JDK17="${JDK17:-/usr/lib/jvm/java-17-openjdk-amd64}"
JDK25="${JDK25:-/usr/lib/jvm/temurin-25-jdk-amd64}"
RUNS="${RUNS:-5}"
PORT="${BENCH_PORT:-18080}"
DB="${BENCH_DB:-datapusher_bench_startup}"
OUT="$root/target/bench"
POD_JVM=(-XX:MaxRAM=512m -XX:MaxRAMPercentage=50 -XX:+UseSerialGC)
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

if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
  log "port $PORT is taken; set BENCH_PORT"; exit 1
fi

app_env() {
  exec env -i PATH=/usr/bin:/bin \
    QUARKUS_HTTP_PORT="$PORT" \
    QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://127.0.0.1:5432/$DB" \
    QUARKUS_DATASOURCE_USERNAME=postgres \
    AMQP_HOST=127.0.0.1 AMQP_PORT=5672 AMQP_USERNAME=guest AMQP_PASSWORD=guest \
    DATAPUSHER_QUEUE="datapusher.deliveries.$DB" \
    MP_JWT_VERIFY_PUBLICKEY_LOCATION="$keys/public.pem" \
    SMALLRYE_JWT_SIGN_KEY_LOCATION="$keys/private.pem" \
    "$@"
}

log "migrating $DB as the migrate Job does (QUARKUS_INIT_AND_EXIT=true)"
(cd "$OUT/fast-jar" && app_env QUARKUS_INIT_AND_EXIT=true "$JDK17/bin/java" -jar quarkus-run.jar >"$OUT/migrate.log" 2>&1) \
  || { tail -20 "$OUT/migrate.log"; exit 1; }

# One start: prints "ready_ms rss_mb cpu_ms first_calls_ms last100_median_ms stop_ms exit_code".
measure() {
  local dir="$1" java="$2"; shift 2
  local out="$OUT/run.log"
  # A start that answered on a port still held by an earlier run would measure nothing.
  if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
    log "port $PORT is still in use"; exit 1
  fi
  coproc PROBE { python3 -u "$root/bench/startup_probe.py" "$PORT" 500; }
  local armed; read -r armed <&"${PROBE[0]}"
  [ "$armed" = "armed" ] || { log "the probe did not start"; exit 1; }
  cd "$dir"
  local t0; t0=$(date +%s%N)
  app_env QUARKUS_FLYWAY_ACTIVE=false "$java" "${POD_JVM[@]}" "$@" -jar quarkus-run.jar >"$out" 2>&1 &
  local pid=$!
  cd "$root"
  echo "$t0" >&"${PROBE[1]}"
  local ready; read -r ready <&"${PROBE[0]}" || true
  if ! [[ "$ready" =~ ^[0-9]+$ ]]; then
    log "the app did not become ready ($ready); its output:"; tail -20 "$out" >&2
    kill -9 "$pid" 2>/dev/null || true
    exit 1
  fi
  local rss; rss=$(awk '/^VmRSS/ { printf "%d", $2 / 1024 }' "/proc/$pid/status")
  # CPU time (user + system) spent until ready: unlike wall-clock time, hardly changed by other
  # processes competing for the cores.
  local cpu; cpu=$(awk -v tck="$(getconf CLK_TCK)" '{ sub(/.*\) /, ""); printf "%d", ($12 + $13) * 1000 / tck }' "/proc/$pid/stat")
  echo go >&"${PROBE[1]}"
  local calls; read -r calls <&"${PROBE[0]}" || true
  wait "$PROBE_PID" 2>/dev/null || true
  local t1; t1=$(date +%s%N)
  kill -TERM "$pid"
  local code=0
  wait "$pid" || code=$?
  local stop=$(( ($(date +%s%N) - t1) / 1000000 ))
  grep -q 'stopped in' "$out" || log "no 'stopped in' line after SIGTERM"
  echo "$ready $rss $cpu ${calls:-? ?} $stop $code"
}

median() { tr ' ' '\n' | grep -v '^$' | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

variants=(
  "Java 17, fast-jar|$OUT/fast-jar|$JDK17/bin/java|"
  "Temurin 25, same jar|$OUT/fast-jar|$JDK25/bin/java|"
  "Temurin 25 + AOT cache|$aot_app|$JDK25/bin/java|-XX:AOTCache=app.aot -XX:AOTMode=on"
  "Temurin 25 + AOT cache + CompileThresholdScaling=10|$aot_app|$JDK25/bin/java|-XX:AOTCache=app.aot -XX:AOTMode=on -XX:CompileThresholdScaling=10"
)

log "$("$JDK17/bin/java" -version 2>&1 | head -1); $("$JDK25/bin/java" -version 2>&1 | head -1)"
log "load before measuring: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
rows=()
for v in "${variants[@]}"; do
  IFS='|' read -r name dir java flags <<<"$v"
  # shellcheck disable=SC2086
  measure "$dir" "$java" $flags >/dev/null # warm-up
  readies=() rsses=() cpus=() calls=() lasts=() stops=()
  for i in $(seq 1 "$RUNS"); do
    # shellcheck disable=SC2086
    read -r ready rss cpu call last stop code < <(measure "$dir" "$java" $flags) || true
    [ -n "${ready:-}" ] || exit 1
    log "$name, run $i: ready ${ready} ms, CPU ${cpu} ms, RSS ${rss} MB, 500 calls ${call} ms (median of the last 100: ${last} ms), SIGTERM to exit ${stop} ms (exit code $code)"
    readies+=("$ready"); rsses+=("$rss"); cpus+=("$cpu"); calls+=("$call"); lasts+=("$last"); stops+=("$stop")
  done
  rows+=("| $name | ${readies[*]} | **$(echo "${readies[*]}" | median)** | $(echo "${cpus[*]}" | median) | $(echo "${rsses[*]}" | median) | $(echo "${calls[*]}" | median) | $(echo "${lasts[*]}" | median) | $(echo "${stops[*]}" | median) |")
done
log "load after measuring: $(cut -d' ' -f1-3 /proc/loadavg)"

echo
echo "| runtime | ready (ms), each run | ready, median (ms) | CPU to ready, median (ms) | RSS when ready, median (MB) | first 500 API calls, median (ms) | median call among the last 100 (ms) | SIGTERM to exit, median (ms) |"
echo "|---|---|---|---|---|---|---|---|"
printf '%s\n' "${rows[@]}"
