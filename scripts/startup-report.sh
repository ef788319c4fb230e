#!/usr/bin/env bash
# Start-up report of one build of Data Pusher, as Markdown on stdout (the hosted workflow appends
# it to $GITHUB_STEP_SUMMARY): the size of what ships, and for RUNS starts (default 3) the time
# from launch until /q/health/ready answers 200, the resident memory (VmRSS from /proc) and CPU
# time at that moment, the first 200 authenticated API calls, and SIGTERM to exit.
#
#   scripts/startup-report.sh target/data-pusher-1.0.0-SNAPSHOT-runner          # native executable
#   scripts/startup-report.sh java -jar target/quarkus-app/quarkus-run.jar      # the JVM build
#
# Each start runs as a Kubernetes replica does: prod profile, QUARKUS_FLYWAY_ACTIVE=false on a
# database the same command migrated once beforehand with QUARKUS_INIT_AND_EXIT=true (as the
# migrate Job does). The database (STARTUP_DB, default datapusher_startup_report) is dropped and
# created anew; the queue is named after it. Needs PostgreSQL (user postgres, no password) and
# RabbitMQ with AMQP 1.0 (guest/guest) on 127.0.0.1, psql, openssl and python3. The polling is
# bench/startup_probe.py (one process, started before the app). Progress goes to stderr.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"

RUNS="${RUNS:-3}"
PORT="${STARTUP_PORT:-18090}"
DB="${STARTUP_DB:-datapusher_startup_report}"
CALLS=200
[ $# -ge 1 ] || { echo "usage: $0 EXECUTABLE | java [JVM options] -jar quarkus-run.jar" >&2; exit 2; }

log() { printf '[startup-report] %s\n' "$*" >&2; }

# What ships: the executable, or the directory of the fast-jar.
cmd=("$@")
cmd[0]="$(command -v "${cmd[0]}")" || { log "not found: $1"; exit 2; }
case "${cmd[0]}" in /*) ;; *) cmd[0]="$(pwd)/${cmd[0]}" ;; esac
shipped="${cmd[0]}"
for ((i = 1; i < ${#cmd[@]}; i++)); do
  if [ "${cmd[$i]}" = "-jar" ] && [ $((i + 1)) -lt ${#cmd[@]} ]; then
    cmd[$((i + 1))]="$(cd "$(dirname "${cmd[$((i + 1))]}")" && pwd)/$(basename "${cmd[$((i + 1))]}")"
    shipped="$(dirname "${cmd[$((i + 1))]}")"
  fi
done
size_mb=$(du -sb "$shipped" | awk '{ printf "%.1f", $1 / 1048576 }')

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$work/private.pem" 2>/dev/null
openssl pkey -in "$work/private.pem" -pubout -out "$work/public.pem"

PGOPTIONS='--client-min-messages=warning' psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)"
psql -h 127.0.0.1 -U postgres -qc "CREATE DATABASE $DB"

app_env() {
  exec env -i PATH=/usr/bin:/bin HOME="$work" \
    QUARKUS_HTTP_PORT="$PORT" \
    QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://127.0.0.1:5432/$DB" \
    QUARKUS_DATASOURCE_USERNAME=postgres \
    AMQP_HOST=127.0.0.1 AMQP_PORT=5672 AMQP_USERNAME=guest AMQP_PASSWORD=guest \
    DATAPUSHER_QUEUE="datapusher.deliveries.$DB" \
    MP_JWT_VERIFY_PUBLICKEY_LOCATION="$work/public.pem" \
    SMALLRYE_JWT_SIGN_KEY_LOCATION="$work/private.pem" \
    "$@"
}

log "migrating $DB as the migrate Job does (QUARKUS_INIT_AND_EXIT=true)"
(app_env QUARKUS_INIT_AND_EXIT=true "${cmd[@]}" >"$work/migrate.log" 2>&1) \
  || { tail -30 "$work/migrate.log" >&2; exit 1; }

# One start: prints "ready_ms rss_mb cpu_ms calls_ms stop_ms exit_code".
measure() {
  local out="$work/run.log"
  if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
    log "port $PORT is in use; set STARTUP_PORT"; exit 1
  fi
  coproc PROBE { python3 -u "$root/bench/startup_probe.py" "$PORT" "$CALLS"; }
  local armed; read -r armed <&"${PROBE[0]}"
  [ "$armed" = "armed" ] || { log "the probe did not start"; exit 1; }
  local t0; t0=$(date +%s%N)
  app_env QUARKUS_FLYWAY_ACTIVE=false "${cmd[@]}" >"$out" 2>&1 &
  local pid=$!
  echo "$t0" >&"${PROBE[1]}"
  local ready; read -r ready <&"${PROBE[0]}" || true
  if ! [[ "$ready" =~ ^[0-9]+$ ]]; then
    log "the app did not become ready ($ready); its output:"; tail -30 "$out" >&2
    kill -9 "$pid" 2>/dev/null || true
    exit 1
  fi
  local rss; rss=$(awk '/^VmRSS/ { printf "%d", $2 / 1024 }' "/proc/$pid/status")
  local cpu; cpu=$(awk -v tck="$(getconf CLK_TCK)" '{ sub(/.*\) /, ""); printf "%d", ($12 + $13) * 1000 / tck }' "/proc/$pid/stat")
  echo go >&"${PROBE[1]}"
  local calls; read -r calls _ <&"${PROBE[0]}" || true
  wait "$PROBE_PID" 2>/dev/null || true
  local t1; t1=$(date +%s%N)
  kill -TERM "$pid"
  local code=0
  wait "$pid" || code=$?
  echo "$ready $rss $cpu ${calls:-?} $(( ($(date +%s%N) - t1) / 1000000 )) $code"
}

median() { tr ' ' '\n' | grep -v '^$' | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

readies=() rsses=() cpus=() callss=() stops=() codes=()
for i in $(seq 1 "$RUNS"); do
  read -r ready rss cpu calls stop code < <(measure) || true
  [ -n "${ready:-}" ] || exit 1
  log "run $i: ready ${ready} ms, RSS ${rss} MB, CPU ${cpu} ms, $CALLS calls ${calls} ms, SIGTERM to exit ${stop} ms (exit code $code)"
  readies+=("$ready") rsses+=("$rss") cpus+=("$cpu") callss+=("$calls") stops+=("$stop") codes+=("$code")
done

echo "### Start-up: \`${*}\`"
echo
echo "$(nproc) cores, $(awk '/^MemTotal/ { printf "%.1f GB", $2 / 1048576 }' /proc/meminfo) RAM, $(uname -m); $RUNS starts as a replica (Flyway off, database migrated once before)."
echo
echo "| measure | median | each run |"
echo "|---|---|---|"
echo "| size of \`${shipped#"$root"/}\` | $size_mb MB | |"
echo "| launch to \`/q/health/ready\` 200 | **$(echo "${readies[*]}" | median) ms** | ${readies[*]} |"
echo "| resident memory (VmRSS) when ready | **$(echo "${rsses[*]}" | median) MB** | ${rsses[*]} |"
echo "| CPU time to ready | $(echo "${cpus[*]}" | median) ms | ${cpus[*]} |"
echo "| first $CALLS authenticated API calls | $(echo "${callss[*]}" | median) ms | ${callss[*]} |"
echo "| SIGTERM to exit | $(echo "${stops[*]}" | median) ms | ${stops[*]} (exit codes ${codes[*]}) |"
echo
