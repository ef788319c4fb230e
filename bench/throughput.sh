#!/usr/bin/env bash
# Throughput benchmark of the packaged app: one replica, started here as a Kubernetes pod runs it
# (-XX:MaxRAM=512m -XX:MaxRAMPercentage=50 -XX:+UseSerialGC), loaded by wrk on loopback, with
# every destination pointing at an nginx sink started here too. Builds nothing.
#
#   bench/throughput.sh                       # full run, 6-7 minutes if the app drains fast (bench/README.md)
#   bench/throughput.sh --quick               # smoke run: short phases, about 3 minutes
#   bench/throughput.sh --phases=sat,three    # some phases only: sat, fixed, big, three, fifo, purge
#   bench/throughput.sh --skip-ceilings       # no nginx / pgbench / AMQP ceilings
#
# 1. Set-up: database datapusher_throughput (BENCH_DB) dropped and created, queue
#    datapusher.throughput (BENCH_QUEUE) deleted, a JWT key pair in a temp dir, the replica on
#    127.0.0.1:18081 (BENCH_PORT) from $APP_DIR/quarkus-run.jar (APP_DIR, default
#    target/quarkus-app; JAVA, default java), nginx on 127.0.0.1:18090 (SINK_PORT) answering 200
#    to everything. 2,000 accounts (ACCOUNTS) with one destination each and 2,000 with three:
#    one user, one account and one destination through the API, the rest copied from those rows
#    with SQL.
# 2. Ceilings in the same run: nginx (wrk), PostgreSQL (pgbench, single-row INSERTs), RabbitMQ
#    (bench/AmqpCeiling.java with the app's own AMQP client jars).
# 3. Phases, each after the previous one has drained (nothing pending, bounded):
#    sat   - saturation, wrk -t2 -c64, 30 s, 200-byte bodies, one destination per account
#    fixed - offered 500, 1,000 and 2,000 events/s, 20 s each, -t2 -c32 (paced in bench/throughput.lua)
#    big   - saturation with 10 KB bodies
#    three - saturation with three destinations per account
#    fifo  - (not in the default set) saturation as sat, with every one-destination account's
#            destination set to ordering fifo for the phase (one delivery in flight per destination)
#    purge - (not in the default set) retention under load: offered PURGE_RATE ev/s (500) for
#            PURGE_SECONDS (120) with nothing to purge; then PURGE_ROWS (1,000,000) events of 40 days
#            ago, one delivered log each (accounts with one destination), are added in one statement, and the same load runs while
#            the replica purges them (retention interval 5 s when this phase is chosen)
# 4. A Markdown table on stdout and in bench/results/throughput-<date>.md (-quick.md for --quick),
#    the same figures in .json, a plot of receive-to-delivered latency against load in .png, and
#    the raw output (wrk, pgbench, SQL figures, samples) in -raw.txt. KEEP_TMP=1 keeps the temp dir;
#    RESULTS_LABEL=x names the files throughput-<date>-x.* (e.g. a baseline of another build).
#
# Needs PostgreSQL and RabbitMQ with AMQP 1.0 on 127.0.0.1 (scripts/prepare-local.sh, run here),
# wrk, nginx, gnuplot (installed with apt-get if missing), pgbench, psql, openssl, curl, python3.
# Everything it starts it stops on exit; every wait is bounded.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$(pwd)"
. bench/lib.sh

quick=false
phases="sat,fixed,big,three"
ceilings=true
for arg in "$@"; do
  case "$arg" in
    --quick) quick=true ;;
    --phases=*) phases="${arg#--phases=}" ;;
    --skip-ceilings) ceilings=false ;;
    -h | --help) sed -n '2,/^set -euo/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option: $arg (see --help)" >&2; exit 2 ;;
  esac
done
for p in ${phases//,/ }; do
  case "$p" in sat | fixed | big | three | fifo | purge) ;; *) echo "unknown phase: $p (sat, fixed, big, three, fifo, purge)" >&2; exit 2 ;; esac
done
has_phase() { [[ ",$phases," == *",$1,"* ]]; }

APP_DIR="${APP_DIR:-$root/target/quarkus-app}"
JAVA="${JAVA:-java}"
DB="${BENCH_DB:-datapusher_throughput}"
CEILING_DB="${CEILING_DB:-datapusher_ceiling}"
PORT="${BENCH_PORT:-18081}"
SINK_PORT="${SINK_PORT:-18090}"
QUEUE="${BENCH_QUEUE:-datapusher.throughput}"
ACCOUNTS="${ACCOUNTS:-2000}"
SINK_WORKERS="${SINK_WORKERS:-1}"
RESULTS="${RESULTS_DIR:-$root/bench/results}"
if $quick; then
  SAT_SECONDS="${SAT_SECONDS:-10}" FIXED_SECONDS="${FIXED_SECONDS:-10}" CEILING_SECONDS="${CEILING_SECONDS:-5}"
  CEILING_MESSAGES="${CEILING_MESSAGES:-10000}" DRAIN_MAX="${DRAIN_MAX:-120}" DRAIN_MAX_OTHER="${DRAIN_MAX_OTHER:-60}"
  WARMUP_SECONDS="${WARMUP_SECONDS:-30}"
else
  SAT_SECONDS="${SAT_SECONDS:-30}" FIXED_SECONDS="${FIXED_SECONDS:-20}" CEILING_SECONDS="${CEILING_SECONDS:-10}"
  CEILING_MESSAGES="${CEILING_MESSAGES:-30000}" DRAIN_MAX="${DRAIN_MAX:-300}" DRAIN_MAX_OTHER="${DRAIN_MAX_OTHER:-120}"
  # On 2 cores the JIT compilers took 40-50 % of the replica's CPU for the first ~80 s under load
  # (async-profiler, 10 s windows): a replica that has run for minutes is what these figures describe.
  WARMUP_SECONDS="${WARMUP_SECONDS:-90}"
fi
RATES="${RATES:-500 1000 2000}"
PURGE_RATE="${PURGE_RATE:-500}" PURGE_SECONDS="${PURGE_SECONDS:-120}" PURGE_ROWS="${PURGE_ROWS:-1000000}"
retention_interval=""
has_phase purge && retention_interval=5s
export PGHOST=127.0.0.1 PGPORT=5432 PGUSER=postgres PGCONNECT_TIMEOUT=10
export PGOPTIONS="-c statement_timeout=120000"
started_at=$(date +%s)

tmp=""
log() {
  local line; line="$(printf '[throughput %s] %s' "$(date +%H:%M:%S)" "$*")"
  printf '%s\n' "$line" >&2
  if [ -n "$tmp" ]; then printf '%s\n' "$line" >>"$tmp/run.log"; fi
}
die() { log "$*"; exit 1; }

# ---------------------------------------------------------------- tools and inputs
missing=()
command -v wrk >/dev/null || missing+=(wrk)
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || missing+=(nginx-light)
command -v gnuplot >/dev/null || missing+=(gnuplot-nox)
if [ ${#missing[@]} -gt 0 ]; then
  log "installing ${missing[*]}"
  timeout 600 apt-get install -y "${missing[@]}" >&2 \
    || { timeout 600 apt-get update >&2 && timeout 600 apt-get install -y "${missing[@]}" >&2; } \
    || die "could not install ${missing[*]}"
fi
NGINX="$(command -v nginx || echo /usr/sbin/nginx)"
for tool in pgbench psql openssl curl python3 rabbitmqctl timeout; do
  command -v "$tool" >/dev/null || die "$tool is missing"
done
if [ ! -f "$APP_DIR/quarkus-run.jar" ]; then
  echo "run ./mvnw package -DskipTests first ($APP_DIR/quarkus-run.jar is missing)" >&2
  exit 1
fi
APP_DIR="$(cd "$APP_DIR" && pwd)"

port_taken "$PORT" && die "port $PORT is taken; set BENCH_PORT"
port_taken "$SINK_PORT" && die "port $SINK_PORT is taken; set SINK_PORT"

log "preparing the local services (scripts/prepare-local.sh)"
timeout 300 scripts/prepare-local.sh >&2 || die "scripts/prepare-local.sh failed"

tmp="$(mktemp -d /tmp/dp-throughput.XXXXXX)"
app_pid="" nginx_pid="" wrk_pid="" sampler_pid=""

stop_app() {
  bench_stop_pid "$app_pid"
  app_pid=""
}

cleanup() {
  local rc=$?
  set +e
  for pid in $wrk_pid $sampler_pid; do kill "$pid" 2>/dev/null; done
  stop_app
  if [ -n "$nginx_pid" ]; then
    kill -QUIT "$nginx_pid" 2>/dev/null
    for _ in $(seq 1 20); do kill -0 "$nginx_pid" 2>/dev/null || break; sleep 0.25; done
    kill -KILL "$nginx_pid" 2>/dev/null
  fi
  if [ "$rc" -ne 0 ] || [ -n "${KEEP_TMP:-}" ]; then
    log "logs kept in $tmp"
    if [ "$rc" -ne 0 ]; then
      log "failed (exit code $rc)"
      [ -f "$tmp/app.log" ] && { log "last lines of the replica's log:"; tail -15 "$tmp/app.log" >&2; }
    fi
  else
    rm -rf "$tmp"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

sql() { psql -XtAq -v ON_ERROR_STOP=1 "$@"; }
db_now() { sql -d "$DB" -c "SELECT now()"; }
meta() { printf '%s\t%s\n' "$1" "$2" >>"$tmp/meta.tsv"; }

meta mode "$($quick && echo quick || echo full)"
meta phases "$phases"
meta app_dir "$APP_DIR"
meta java "$("$JAVA" -version 2>&1 | head -1)"
meta commit "$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)"
meta jar_built "$(date -r "$APP_DIR/quarkus-run.jar" '+%F %T')"
meta cores "$(nproc)"
meta load_before "$(cut -d' ' -f1-3 /proc/loadavg)"
meta postgres "$(sql -d postgres -c 'SHOW server_version')"
meta synchronous_commit "$(sql -d postgres -c 'SHOW synchronous_commit')"
meta accounts "$ACCOUNTS"
meta sat_seconds "$SAT_SECONDS"
meta fixed_seconds "$FIXED_SECONDS"

# ---------------------------------------------------------------- the sink
mkdir -p "$tmp/nginx"
cat >"$tmp/nginx/nginx.conf" <<EOF
worker_processes $SINK_WORKERS;
pid $tmp/nginx/nginx.pid;
error_log $tmp/nginx/error.log warn;
events { worker_connections 4096; }
http {
    access_log off;
    keepalive_requests 1000000;
    client_body_temp_path $tmp/nginx/body;
    proxy_temp_path $tmp/nginx/proxy;
    fastcgi_temp_path $tmp/nginx/fastcgi;
    uwsgi_temp_path $tmp/nginx/uwsgi;
    scgi_temp_path $tmp/nginx/scgi;
    server {
        listen 127.0.0.1:$SINK_PORT;
        location / { return 200; }
    }
}
EOF
"$NGINX" -e "$tmp/nginx/error.log" -p "$tmp/nginx" -c "$tmp/nginx/nginx.conf" || die "nginx did not start"
for _ in $(seq 1 50); do [ -s "$tmp/nginx/nginx.pid" ] && break; sleep 0.1; done
nginx_pid="$(cat "$tmp/nginx/nginx.pid")"
[ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 -X POST -d '{}' "http://127.0.0.1:$SINK_PORT/hook")" = 200 ] \
  || die "the nginx sink does not answer 200 to POST"
log "nginx sink on 127.0.0.1:$SINK_PORT (pid $nginx_pid, $SINK_WORKERS worker)"

# ---------------------------------------------------------------- ceilings
if $ceilings; then
  log "ceiling: nginx, wrk -t2 -c64 -d${CEILING_SECONDS}s, POST 200 bytes"
  cat >"$tmp/post.lua" <<'EOF'
wrk.method = "POST"
wrk.body = '{"pad":"' .. string.rep("x", 190) .. '"}'
wrk.headers["Content-Type"] = "application/json"
EOF
  timeout $((CEILING_SECONDS + 30)) wrk -t2 -c64 -d"${CEILING_SECONDS}s" --latency -s "$tmp/post.lua" \
    "http://127.0.0.1:$SINK_PORT/hook" >"$tmp/ceil-nginx.txt" 2>&1 || log "wrk against nginx failed"
  log "  $(grep 'Requests/sec' "$tmp/ceil-nginx.txt" || echo 'no figure')"

  log "ceiling: PostgreSQL, pgbench 16 clients ${CEILING_SECONDS}s, single-row INSERT (uuid + 200-byte bytea)"
  sql -d postgres -c "DROP DATABASE IF EXISTS $CEILING_DB" -c "CREATE DATABASE $CEILING_DB"
  sql -d "$CEILING_DB" -c "CREATE TABLE ceiling_events (id uuid PRIMARY KEY, payload bytea NOT NULL)"
  echo "INSERT INTO ceiling_events (id, payload) VALUES (gen_random_uuid(), decode(repeat('ab', 200), 'hex'));" \
    >"$tmp/insert.sql"
  timeout $((CEILING_SECONDS + 60)) pgbench -n -c16 -j2 -T"$CEILING_SECONDS" -f "$tmp/insert.sql" "$CEILING_DB" \
    >"$tmp/ceil-pgbench.txt" 2>&1 || log "pgbench failed: $(tail -3 "$tmp/ceil-pgbench.txt")"
  log "  $(grep -E '^tps' "$tmp/ceil-pgbench.txt" || echo 'no figure')"
  sql -d postgres -c "DROP DATABASE IF EXISTS $CEILING_DB"

  log "ceiling: RabbitMQ, $CEILING_MESSAGES durable AMQP 1.0 messages of 100 bytes, at most 1,000 unsettled"
  timeout 30 rabbitmqctl -q delete_queue datapusher.ceiling >/dev/null 2>&1 || true
  AMQP_HOST=127.0.0.1 AMQP_PORT=5672 AMQP_USERNAME=guest AMQP_PASSWORD=guest CEILING_QUEUE=datapusher.ceiling \
    CEILING_MESSAGES="$CEILING_MESSAGES" CEILING_TIMEOUT=60 \
    timeout 100 "$JAVA" -cp "$APP_DIR/lib/main/*" bench/AmqpCeiling.java >"$tmp/ceil-amqp.json" 2>"$tmp/ceil-amqp.err" \
    || log "AmqpCeiling did not complete: $(tail -3 "$tmp/ceil-amqp.err") $(cat "$tmp/ceil-amqp.json")"
  log "  $(cat "$tmp/ceil-amqp.json")"
  left="$(timeout 30 rabbitmqctl -q list_queues name messages 2>/dev/null | awk '$1 == "datapusher.ceiling" { print $2 }')"
  meta amqp_left_in_queue "${left:-unknown}"
  timeout 30 rabbitmqctl -q delete_queue datapusher.ceiling >/dev/null 2>&1 || true
fi

# ---------------------------------------------------------------- the replica
log "database $DB (dropped and created), queue $QUEUE (deleted), JWT key pair"
sql -d postgres -c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB"
timeout 30 rabbitmqctl -q delete_queue "$QUEUE" >/dev/null 2>&1 || true
bench_key_pair "$tmp"

start_app() {
  port_taken "$PORT" && die "port $PORT is still in use"
  bench_launch_replica "$PORT" "$DB" "$QUEUE" "$tmp" "$tmp/app.log" \
    ${retention_interval:+DATAPUSHER_RETENTION_INTERVAL="$retention_interval"} || die "could not start the replica"
  app_pid=$REPLICA_PID
  local ms; ms="$(bench_await_ready "$PORT" "$app_pid" 120)" || die "the replica did not become ready"
  log "replica ready in $ms ms (pid $app_pid)"
}
log "starting the replica from $APP_DIR"
start_app
meta rss_ready_mb "$(awk '/^VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$app_pid/status")"

# ---------------------------------------------------------------- data
log "data: 1 user, 1 account and 1 destination through the API"
bench_seed "$PORT" "http://127.0.0.1:$SINK_PORT/hook" || die "could not make the seed account"
[[ "$SEED_TOKEN" =~ ^[A-Za-z0-9_-]{43}$ ]] || log "note: the API's app_secret_token has another shape than the SQL copies (${#SEED_TOKEN} chars)"
[[ "$SEED_SECRET" =~ ^whsec_[A-Za-z0-9+/]{32}$ ]] || log "note: the API's signing_secret has another shape than the SQL copies ($SEED_SECRET)"
bench_sql -d "$DB" -c "UPDATE accounts SET name = 'bench-1dest-0' WHERE id = '$SEED_ACCOUNT'"

log "data: $((ACCOUNTS - 1)) more accounts with 1 destination and $ACCOUNTS with 3, copied with SQL from the API's rows"
bench_copy_accounts "$DB" "$((ACCOUNTS - 1))" 1 bench-1dest-
bench_copy_accounts "$DB" "$ACCOUNTS" 3 bench-3dest-
sql -d "$DB" -c "SELECT app_secret_token FROM accounts WHERE name LIKE 'bench-1dest-%' ORDER BY name" >"$tmp/tokens-1.txt"
sql -d "$DB" -c "SELECT app_secret_token FROM accounts WHERE name LIKE 'bench-3dest-%' ORDER BY name" >"$tmp/tokens-3.txt"
counts="$(sql -d "$DB" -F' ' -c "SELECT (SELECT count(*) FROM accounts), (SELECT count(*) FROM destinations)")"
log "data: $counts (accounts, destinations); tokens: $(wc -l <"$tmp/tokens-1.txt") + $(wc -l <"$tmp/tokens-3.txt")"
meta data "$counts"
sleep 2

probe() { # one event with a token made by SQL; prints the status
  curl -s -o /dev/null -w '%{http_code}' --max-time 10 -X POST "http://127.0.0.1:$PORT/server/incoming_data" \
    -H "CL-X-TOKEN: $1" -H "CL-X-EVENT-ID: probe-$2-$(date +%s%N)" -H 'Content-Type: application/json' -d '{"probe":true}'
}
p1="$(probe "$(sed -n 2p "$tmp/tokens-1.txt")" 1)" p3="$(probe "$(sed -n 2p "$tmp/tokens-3.txt")" 3)"
if [ "$p1" != 202 ] || [ "$p3" != 202 ]; then
  log "a token made by SQL answered $p1 / $p3 (not 202): restarting the replica so that it loads them"
  meta restarted_for_tokens "yes ($p1/$p3)"
  stop_app
  start_app
  p1="$(probe "$(sed -n 2p "$tmp/tokens-1.txt")" 1)" p3="$(probe "$(sed -n 2p "$tmp/tokens-3.txt")" 3)"
  [ "$p1" = 202 ] && [ "$p3" = 202 ] || log "still $p1 / $p3: the phases will count these answers as errors"
fi

# ---------------------------------------------------------------- measuring
# Deliveries not finished: one per event and destination of its account, minus the logs that
# ended (success or failed). Counts events whose logs do not exist yet as well.
backlog() {
  sql -d "$DB" -c "SELECT (SELECT count(*) FROM events e JOIN destinations d ON d.account_id = e.account_id)
                        - (SELECT count(*) FROM delivery_logs WHERE status <> 'pending')"
}

# wait_drained MAX: until nothing is pending, at most MAX seconds; prints "seconds remaining"
wait_drained() {
  local max="$1" t0 left
  t0=$(date +%s)
  left="$(backlog)"
  while [ "$left" -gt 0 ] && [ $(( $(date +%s) - t0 )) -lt "$max" ]; do
    sleep 1
    left="$(backlog)"
  done
  echo "$(( $(date +%s) - t0 )) $left"
}

run_id="$(date +%s)"
drained_before=false # whether the previous phase has just waited for its drain
# run_load NAME TOKENS BODY RATE SECONDS CONNECTIONS DRAIN_BOUND: one measured window, then the drain
run_load() {
  local name="$1" tokens="$2" body="$3" rate="$4" seconds="$5" conns="$6" bound="$7"
  local dir="$tmp/phase-$name"
  mkdir -p "$dir"
  if ! $drained_before; then
    read -r waited left < <(wait_drained "$bound")
  else
    left="$(backlog)"
  fi
  [ "$left" -gt 0 ] && log "$left deliveries were still pending when $name started"
  log "phase $name: wrk -t2 -c$conns -d${seconds}s, body $body B, $( [ "$rate" -gt 0 ] && echo "offered $rate ev/s" || echo saturation), tokens $(basename "$tokens")"
  local t0 t1 rc=0
  rm -f "$dir/ready" "$dir/stop" "$dir/wrk.pid"
  python3 bench/throughput_sample.py --replica "$app_pid" --nginx "$nginx_pid" --wrk-pid-file "$dir/wrk.pid" \
    --ready-file "$dir/ready" --stop-file "$dir/stop" --max-seconds $((seconds + 120)) --out "$dir/sample.json" &
  sampler_pid=$!
  for _ in $(seq 1 100); do [ -f "$dir/ready" ] && break; sleep 0.1; done
  t0="$(db_now)"
  TP_TOKENS="$tokens" TP_BODY="$body" TP_RATE="$rate" TP_THREADS=2 TP_PREFIX="$run_id-$name" TP_OUT="$dir/wrk.json" \
    timeout $((seconds + 60)) wrk -t2 -c"$conns" -d"${seconds}s" --timeout 10s --latency -s bench/throughput.lua \
    "http://127.0.0.1:$PORT/server/incoming_data" >"$dir/wrk.txt" 2>&1 &
  wrk_pid=$!
  echo "$wrk_pid" >"$dir/wrk.pid"
  wait "$wrk_pid" || rc=$?
  wrk_pid=""
  t1="$(db_now)"
  touch "$dir/stop"
  local backlog_end; backlog_end="$(backlog)"
  wait "$sampler_pid" || true
  sampler_pid=""
  [ "$rc" -eq 0 ] || log "wrk exited with $rc: $(tail -3 "$dir/wrk.txt")"
  [ -s "$dir/wrk.json" ] || die "wrk wrote no summary for $name"
  log "  $(python3 -c 'import json,sys; w=json.load(open(sys.argv[1])); print("answers:", w["statuses"], "in", round(w["duration_us"]/1e6,1), "s")' "$dir/wrk.json"); backlog at the end $backlog_end; draining"
  read -r waited left < <(wait_drained "$bound")
  drained_before=true
  log "  drained in ${waited}s, $left left"
  sql -d "$DB" -v t0="$t0" -v t1="$t1" >"$dir/db.json" <<'EOF'
SELECT json_build_object(
  't0', :'t0', 't1', :'t1',
  'window_s', extract(epoch FROM :'t1'::timestamptz - :'t0'::timestamptz),
  'events_in_window', (SELECT count(*) FROM events WHERE received_at >= :'t0' AND received_at < :'t1'),
  'delivered_in_window', (SELECT count(*) FROM delivery_logs
      WHERE status = 'success' AND processed_at >= :'t0' AND processed_at < :'t1'),
  'failed_in_window', (SELECT count(*) FROM delivery_logs
      WHERE status = 'failed' AND processed_at >= :'t0' AND processed_at < :'t1'),
  'delivered_after_window', (SELECT count(*) FROM delivery_logs WHERE status = 'success' AND processed_at >= :'t1'),
  'drain_s', extract(epoch FROM (SELECT max(processed_at) FROM delivery_logs WHERE processed_at >= :'t1') - :'t1'::timestamptz),
  'logs_of_window_events', (SELECT json_object_agg(status, n) FROM (SELECT status, count(*) AS n FROM delivery_logs
      WHERE received_at >= :'t0' AND received_at < :'t1' GROUP BY status) s),
  'receive_to_delivered_ms', (SELECT json_build_object('n', count(*),
      'p50', round(percentile_cont(0.50) WITHIN GROUP (ORDER BY ms)::numeric, 1),
      'p95', round(percentile_cont(0.95) WITHIN GROUP (ORDER BY ms)::numeric, 1),
      'p99', round(percentile_cont(0.99) WITHIN GROUP (ORDER BY ms)::numeric, 1),
      'max', round(max(ms)::numeric, 1))
    FROM (SELECT extract(epoch FROM processed_at - received_at) * 1000 AS ms FROM delivery_logs
          WHERE status = 'success' AND received_at >= :'t0' AND received_at < :'t1') x)
);
EOF
  printf '{"name": "%s", "rate": %s, "seconds": %s, "body": %s, "connections": %s, "tokens": "%s", "backlog_at_end": %s, "drain_wait_s": %s, "left_after_drain": %s}\n' \
    "$name" "$rate" "$seconds" "$body" "$conns" "$(basename "$tokens")" "$backlog_end" "$waited" "$left" >"$dir/run.json"
}

if [ "$WARMUP_SECONDS" -gt 0 ]; then
  log "warm-up: ${WARMUP_SECONDS}s of load, not measured"
  TP_TOKENS="$tmp/tokens-1.txt" TP_BODY=200 TP_RATE=0 TP_THREADS=2 TP_PREFIX="$run_id-warmup" TP_OUT="$tmp/warmup.json" \
    timeout $((WARMUP_SECONDS + 60)) wrk -t2 -c16 -d"${WARMUP_SECONDS}s" -s bench/throughput.lua \
    "http://127.0.0.1:$PORT/server/incoming_data" >"$tmp/warmup.txt" 2>&1 || true
fi

if has_phase sat; then run_load sat "$tmp/tokens-1.txt" 200 0 "$SAT_SECONDS" 64 "$DRAIN_MAX"; fi
if has_phase fixed; then
  for rate in $RATES; do run_load "fixed-$rate" "$tmp/tokens-1.txt" 200 "$rate" "$FIXED_SECONDS" 32 "$DRAIN_MAX_OTHER"; done
fi
if has_phase big; then run_load big "$tmp/tokens-1.txt" 10240 0 "$SAT_SECONDS" 64 "$DRAIN_MAX_OTHER"; fi
if has_phase three; then run_load three "$tmp/tokens-3.txt" 200 0 "$SAT_SECONDS" 64 "$DRAIN_MAX_OTHER"; fi
if has_phase fifo; then
  one_dest="SELECT id FROM accounts WHERE name LIKE 'bench-1dest-%'"
  sql -d "$DB" -c "UPDATE destinations SET ordering = 'fifo' WHERE account_id IN ($one_dest)"
  run_load fifo "$tmp/tokens-1.txt" 200 0 "$SAT_SECONDS" 64 "$DRAIN_MAX_OTHER"
  # each destination's deliveries in the order of their places, as the ordering promises
  meta fifo_out_of_order "$(sql -d "$DB" -c "SELECT count(*) FROM (SELECT processed_at < lag(processed_at) OVER w AS early
      FROM delivery_logs l
      WHERE l.account_id IN ($one_dest) AND l.status = 'success' AND l.fifo_seq IS NOT NULL
      WINDOW w AS (PARTITION BY l.destination_id ORDER BY l.fifo_seq)) x WHERE early")"
  sql -d "$DB" -c "UPDATE destinations SET ordering = 'unordered' WHERE account_id IN ($one_dest)"
fi
if has_phase purge; then
  table_sizes() { # events and delivery_logs: live and dead tuples, size with indexes, autovacuum runs
    sql -d "$DB" -F ' ' -c "SELECT relname, n_live_tup, n_dead_tup, pg_size_pretty(pg_total_relation_size(relid)),
      autovacuum_count FROM pg_stat_user_tables WHERE relname IN ('events', 'delivery_logs') ORDER BY relname" | tr '\n' ';'
  }
  run_load purge-before "$tmp/tokens-1.txt" 200 "$PURGE_RATE" "$PURGE_SECONDS" 32 "$DRAIN_MAX_OTHER"
  log "purge: adding $PURGE_ROWS events received 40 days ago, one delivered log each"
  seed_t0=$(date +%s)
  sql -d "$DB" -v rows="$PURGE_ROWS" <<'EOF'
WITH d AS (SELECT array_agg(account_id ORDER BY account_id) AS accounts, count(*) AS n
           FROM (SELECT account_id FROM destinations GROUP BY account_id HAVING count(*) = 1) one),
e AS (
  INSERT INTO events (id, account_id, event_id, payload, received_at)
  SELECT encode(overlay(uuid_send(gen_random_uuid()) PLACING substring(int8send(t.ms) FROM 3) FROM 1 FOR 6), 'hex')::uuid,
         d.accounts[(g % d.n) + 1], 'old-' || g, '{"n":1}'::bytea, to_timestamp(t.ms / 1000.0)
  FROM d, generate_series(1, :rows) g,
       LATERAL (SELECT (extract(epoch FROM now() - interval '40 days') * 1000)::bigint + g * 50 AS ms) t
  RETURNING id, account_id, event_id, received_at
)
INSERT INTO delivery_logs (id, event_ref, account_id, destination_id, event_id, status, attempts, attempt_limit,
                           response_status, received_at, processed_at, created_at, updated_at)
SELECT gen_random_uuid(), e.id, e.account_id,
       (SELECT id FROM destinations WHERE account_id = e.account_id LIMIT 1), e.event_id, 'success', 1, 8, 200,
       e.received_at, e.received_at, e.received_at, e.received_at
FROM e;
EOF
  meta purge_seed_seconds "$(( $(date +%s) - seed_t0 ))"
  meta purge_tables_before "$(table_sizes)"
  run_load purge-during "$tmp/tokens-1.txt" 200 "$PURGE_RATE" "$PURGE_SECONDS" 32 "$DRAIN_MAX_OTHER"
  for _ in $(seq 1 120); do grep -q 'Retention purge: [0-9]\{6,\}' "$tmp/app.log" && break; sleep 5; done
  meta purge_log "$(grep -o 'Retention purge: [0-9]\{6,\}[^"]*' "$tmp/app.log" | head -1)"
  meta purge_old_left "$(sql -d "$DB" -c "SELECT count(*) FROM events WHERE event_id LIKE 'old-%'")"
  meta purge_tables_after "$(table_sizes)"
fi

# What the replica says it did: every accepted event named once in a broker message, none again.
metrics="$(curl -s --max-time 5 "http://127.0.0.1:$PORT/q/metrics" || true)"
metric() { printf '%s\n' "$metrics" | awk -v m="$1" 'index($0, m) == 1 { v += $NF } END { printf "%.0f", v }'; }
meta accepted_total "$(metric 'datapusher_ingest_requests_total{outcome="accepted"')"
meta published_messages "$(metric 'datapusher_ingest_messages_published_total')"
meta published_events "$(metric 'datapusher_ingest_events_published_total')"
meta unsent_messages "$(metric 'datapusher_ingest_messages_unsent_total')"
meta events_stored "$(sql -d "$DB" -c "SELECT count(*) FROM events")"
# Stage timers of the whole run (warm-up included): the broker hand-off and the outcome's wait.
printf '%s\n' "$metrics" | python3 -c '
import re, sys
text = sys.stdin.read()
for name in ("datapusher_delivery_handoff_seconds", "datapusher_delivery_outcome_wait_seconds"):
    buckets = sorted((float(le), float(v)) for le, v in re.findall(name + r"_bucket\{[^}]*le=\"([0-9.e+-]+)\"[^}]*\} ([0-9.e+-]+)", text))
    count = sum(float(v) for v in re.findall("^" + name + r"_count\{?[^ ]*\}? ([0-9.e+-]+)", text, re.M))
    if not buckets or not count:
        continue
    quant = lambda q: next((le for le, c in buckets if c >= q * count), buckets[-1][0])
    print(f"{name}\tp50 <= {quant(0.5) * 1000:.0f} ms, p99 <= {quant(0.99) * 1000:.0f} ms (n = {count:.0f}, histogram buckets)")
' >>"$tmp/meta.tsv" || true
meta load_after "$(cut -d' ' -f1-3 /proc/loadavg)"
meta rss_end_mb "$(awk '/^VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$app_pid/status")"
meta total_seconds "$(( $(date +%s) - started_at ))"
if grep -q '"level":"ERROR"' "$tmp/app.log"; then
  meta app_errors "$(grep -c '"level":"ERROR"' "$tmp/app.log")"
fi

# ---------------------------------------------------------------- report
mkdir -p "$RESULTS"
stem="$RESULTS/throughput-$(date +%F)$($quick && echo -quick || true)${RESULTS_LABEL:+-$RESULTS_LABEL}"
python3 bench/throughput_report.py --dir "$tmp" --stem "$stem"
log "written: $stem.md, .json, .png, -raw.txt (total $(( $(date +%s) - started_at )) s)"
{ # the raw output the figures come from
  cat "$tmp/run.log"
  for f in "$tmp"/ceil-*.txt "$tmp"/ceil-amqp.json "$tmp"/phase-*/wrk.txt "$tmp"/phase-*/wrk.json \
    "$tmp"/phase-*/sample.json "$tmp"/phase-*/db.json; do
    [ -f "$f" ] && printf '\n===== %s\n%s\n' "${f#"$tmp"/}" "$(cat "$f")"
  done
} >"$stem-raw.txt"
