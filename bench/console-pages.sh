#!/usr/bin/env bash
# Server time of every console page on an account with a million delivery logs (issue 13: under
# 100 ms, no page that loads all rows). Builds nothing: runs the packaged jar (target/quarkus-app).
#
#   bench/console-pages.sh
#
# 1. A fresh database (BENCH_DB, datapusher_console_bench), migrated by the replica itself on
#    127.0.0.1:18086 (BENCH_PORT), run as the pod runs it (bench/lib.sh).
# 2. Through the API: one user, one account, one destination; then with SQL 3 more destinations
#    and LOG_EVENTS (250,000) events of the last 90 days with one log per destination (1 million
#    logs), 5 % failed, 1 % pending; VACUUM ANALYZE.
# 3. Each page 5 times untimed, then REQUESTS (30) times with the session cookie; curl's time to
#    the first byte on loopback is the server's time. Prints p50 / p95 / max per page and writes
#    bench/results/console-pages-<date>.md.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$(pwd)"
source bench/lib.sh

log() { printf '[console-pages %s] %s\n' "$(date +%T)" "$*" >&2; }
die() { log "$*"; exit 1; }

APP_DIR="${APP_DIR:-$root/target/quarkus-app}"
JAVA="${JAVA:-java}"
DB="${BENCH_DB:-datapusher_console_bench}"
PORT="${BENCH_PORT:-18086}"
QUEUE="datapusher.console-bench"
EVENTS="${LOG_EVENTS:-250000}"
REQUESTS="${REQUESTS:-30}"
RESULTS="${RESULTS_DIR:-$root/bench/results}"
[ -f "$APP_DIR/quarkus-run.jar" ] || die "no $APP_DIR/quarkus-run.jar: ./mvnw package -DskipTests first"

tmp="$(mktemp -d /tmp/dp-console-pages.XXXXXX)"
pid=""
cleanup() { bench_stop_pid "$pid"; rm -rf "$tmp"; }
trap cleanup EXIT

timeout 300 scripts/prepare-local.sh >&2
bench_fresh_database "$DB"
bench_key_pair "$tmp"
bench_launch_replica "$PORT" "$DB" "$QUEUE" "$tmp" "$tmp/app.log" || die "could not start the replica"
pid=$REPLICA_PID
log "replica ready in $(bench_await_ready "$PORT" "$pid" 120) ms"

bench_seed "$PORT" "https://hooks.example.com/bench"
log "data: $EVENTS events x 4 destinations for account $SEED_ACCOUNT (about $((EVENTS * 4)) logs)"
t0=$(date +%s)
bench_sql -d "$DB" -v account="$SEED_ACCOUNT" -v events="$EVENTS" <<'SQL'
INSERT INTO destinations (id, account_id, url, http_method, headers, signing_secret, created_at, updated_at,
                          created_by, updated_by)
SELECT gen_random_uuid(), account_id, url || '-' || n, http_method, headers, signing_secret, now(), now(),
       created_by, updated_by
FROM destinations, generate_series(1, 3) n WHERE account_id = :'account';
WITH e AS (
  INSERT INTO events (id, account_id, event_id, payload, received_at)
  SELECT gen_random_uuid(), :'account', 'evt-' || n,
         convert_to(json_build_object('order', n, 'total', n % 500, 'paid', n % 3 <> 0)::text, 'UTF8'),
         now() - random() * interval '90 days'
  FROM generate_series(1, :events) n
  RETURNING id, account_id, event_id, received_at
)
INSERT INTO delivery_logs (id, event_ref, account_id, destination_id, event_id, status, attempts, attempt_limit,
                           response_status, error, received_at, processed_at, next_attempt_at, created_at, updated_at)
SELECT gen_random_uuid(), e.id, e.account_id, d.id, e.event_id, s.status,
       CASE s.status WHEN 'pending' THEN 1 WHEN 'failed' THEN 8 ELSE 1 END, 8,
       CASE s.status WHEN 'success' THEN 200 ELSE 503 END, CASE WHEN s.status = 'success' THEN NULL ELSE 'HTTP 503' END,
       e.received_at, CASE WHEN s.status = 'pending' THEN NULL ELSE e.received_at + interval '40 ms' END,
       CASE WHEN s.status = 'pending' THEN now() + interval '1 day' END, e.received_at, e.received_at
FROM e JOIN destinations d ON d.account_id = e.account_id
CROSS JOIN LATERAL (SELECT CASE WHEN r < 0.01 THEN 'pending' WHEN r < 0.06 THEN 'failed' ELSE 'success' END AS status
                    FROM (SELECT random() + (d.id IS NULL)::int AS r) x) s;
VACUUM (ANALYZE) events, delivery_logs;
SQL
logs=$(bench_sql -d "$DB" -c "SELECT count(*) FROM delivery_logs")
log "  $logs logs in $(( $(date +%s) - t0 )) s"

a="/console/accounts/$SEED_ACCOUNT"
dest="$SEED_DESTINATION"
evt="evt-$((EVENTS / 2))"
log_id=$(bench_sql -d "$DB" -c "SELECT id FROM delivery_logs WHERE account_id = '$SEED_ACCOUNT' AND event_id = '$evt' LIMIT 1")
pages=(
  "/console/accounts"
  "$a"
  "$a/destinations"
  "$a/destinations/$dest"
  "$a/members"
  "$a/logs"
  "$a/logs/rows"
  "$a/logs?status=failed"
  "$a/logs?destination_id=$dest"
  "$a/logs?event_id=$evt"
  "$a/logs?received_from=$(date -u -d '-30 days' +%FT%TZ)&received_to=$(date -u -d '-29 days' +%FT%TZ)"
  "$a/logs/$log_id"
)

rows=()
for page in "${pages[@]}"; do
  url="http://127.0.0.1:$PORT$page"
  code=$(curl -s -o "$tmp/page.html" -w '%{http_code}' --cookie "dp_session=$BENCH_ACCESS_TOKEN" "$url")
  [ "$code" = 200 ] || die "$page answered $code"
  for _ in 1 2 3 4 5; do curl -s -o /dev/null --cookie "dp_session=$BENCH_ACCESS_TOKEN" "$url"; done
  times=$(for _ in $(seq 1 "$REQUESTS"); do
    curl -s -o /dev/null -w '%{time_starttransfer}\n' --cookie "dp_session=$BENCH_ACCESS_TOKEN" "$url"
  done)
  row=$(python3 -c '
import sys, statistics
ms = sorted(float(x) * 1000 for x in sys.argv[2].split())
p = lambda q: ms[min(len(ms) - 1, int(q * len(ms)))]
print(f"| `{sys.argv[1]}` | {p(0.5):.1f} | {p(0.95):.1f} | {ms[-1]:.1f} | {int(sys.argv[3]) // 1024} KB |")
' "${page//$SEED_ACCOUNT/{a\}}" "$times" "$(stat -c %s "$tmp/page.html")")
  rows+=("$row")
  log "$row"
done

mkdir -p "$RESULTS"
out="$RESULTS/console-pages-$(date +%F).md"
{
  echo "# Console pages on $logs delivery logs ($(date +%F), $(git rev-parse --short HEAD))"
  echo
  echo "One replica as the pod runs it, PostgreSQL 127.0.0.1, $REQUESTS requests per page after 5 untimed;"
  echo "time to the first byte on loopback. Load average: $(cut -d' ' -f1-3 /proc/loadavg)."
  echo
  echo "| page | p50 ms | p95 ms | max ms | size |"
  echo "|---|---|---|---|---|"
  printf '%s\n' "${rows[@]}"
} | tee "$out"
log "written: $out"
