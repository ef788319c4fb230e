#!/usr/bin/env bash
# Shows that every filter of GET /accounts/{id}/logs is served by an index, on a table of about
# 1.1 million delivery logs.
#
#   bench/logs-explain.sh            builds the database datapusher_bench from scratch, then explains
#   bench/logs-explain.sh --reuse    keeps the data of an earlier run when it is there
#
# What it does: (re)creates a separate database, applies the Flyway migrations with plain psql
# in version order, generates the data (bench/logs-data.sql), VACUUM ANALYZE, then for each filter
# runs EXPLAIN (ANALYZE, BUFFERS) of the statement Hibernate issues for it (copied from the
# Hibernate SQL log of a test run, `?` numbered to `$n`), as a prepared statement: once with a
# custom plan (what the first executions of a JDBC statement get) and once with
# plan_cache_mode=force_generic_plan (the worst case of a server-prepared statement). In between
# it runs the statement 5 more times and explains it again with plan_cache_mode=auto: pgjdbc
# prepares a statement on the server from its 5th use on, and PostgreSQL then picks a custom or a
# generic plan by cost; the column "8th run" says which one it took. Each query runs once
# untimed first, so the times are warm-cache times. Full plans go to
# bench/results/logs-explain-plans.txt, the summary table to stdout.
# Environment: PGHOST (127.0.0.1), PGPORT, PGUSER (postgres), BENCH_DB (datapusher_bench),
# BENCH_EVENTS (300000 events, which make about 1.1 million logs).
set -euo pipefail
cd "$(dirname "$0")/.."

export PGHOST="${PGHOST:-127.0.0.1}" PGUSER="${PGUSER:-postgres}"
DB="${BENCH_DB:-datapusher_bench}"
EVENTS="${BENCH_EVENTS:-300000}"
MIN_LOGS=1000000
PLANS=bench/results/logs-explain-plans.txt
MIGRATIONS=src/main/resources/db/migration

psql_db() { psql -X -q -v ON_ERROR_STOP=1 -d "$DB" "$@"; }
value() { psql_db -At -c "$1"; }

existing_logs() {
    psql -X -At -d "$DB" -c "SELECT count(*) FROM delivery_logs" 2>/dev/null || echo 0
}

if [[ "${1:-}" == "--reuse" && "$(existing_logs)" -ge "$MIN_LOGS" ]]; then
    echo "Reusing $DB"
else
    echo "Creating $DB"
    dropdb --if-exists "$DB"
    createdb "$DB"
    # Version order: V2 before V10 (sort -V), as Flyway applies them.
    for migration in $(ls "$MIGRATIONS"/V*__*.sql | sort -V); do
        psql_db -f "$migration"
    done
    start=$(date +%s)
    psql_db -v events="$EVENTS" -f bench/logs-data.sql
    psql_db -c "VACUUM (ANALYZE) events, delivery_logs"
    echo "Generated and analyzed in $(($(date +%s) - start)) s"
fi

LOGS=$(existing_logs)
if [[ "$LOGS" -lt "$MIN_LOGS" ]]; then
    echo "Only $LOGS logs; raise BENCH_EVENTS" >&2
    exit 1
fi

# The big account, and values that select a realistic share of its logs.
ACC=$(value "SELECT id FROM bench_accounts WHERE n = 1")
ACC_LOGS=$(value "SELECT count(*) FROM delivery_logs WHERE account_id = '$ACC'")
DEST=$(value "SELECT id FROM destinations WHERE account_id = '$ACC' ORDER BY id LIMIT 1")
EVT=$(value "SELECT event_id FROM events WHERE account_id = '$ACC' ORDER BY received_at LIMIT 1 OFFSET 60000")
LOG_ID=$(value "SELECT id FROM delivery_logs WHERE account_id = '$ACC' AND event_id = '$EVT' LIMIT 1")
HOUR_FROM='2026-05-01 10:00:00+00'
HOUR_TO='2026-05-01 11:00:00+00'
DAY_FROM='2026-05-01 00:00:00+00'
DAY_TO='2026-05-02 00:00:00+00'
MONTH_FROM='2026-04-01 00:00:00+00'
MONTH_TO='2026-05-01 00:00:00+00'
RECENT_FROM='2026-05-02 00:00:00+00'
# Cursors as the API makes them: (received_at, id) of the last item of the page before.
DEEP=$(value "SELECT received_at || '|' || id FROM delivery_logs WHERE account_id = '$ACC'
    ORDER BY received_at DESC, id DESC OFFSET 199999 LIMIT 1")
P2=$(value "SELECT received_at || '|' || id FROM delivery_logs WHERE account_id = '$ACC'
    ORDER BY received_at DESC, id DESC OFFSET 49 LIMIT 1")
P2_AT=${P2%|*} P2_ID=${P2#*|} DEEP_AT=${DEEP%|*} DEEP_ID=${DEEP#*|}

# The statement Hibernate issues for DeliveryLog.listPage (from quarkus.hibernate-orm.log.sql=true);
# only the where-clause changes with the filters.
# The select list follows the entities' columns (V14 dropped two of events', V26 added two of the logs').
SELECT_LIST="select dl1_0.id, dl1_0.account_id, dl1_0.attempt_limit, dl1_0.attempts, dl1_0.claim_token,
 dl1_0.created_at, dl1_0.destination_id, dl1_0.duration_ms, dl1_0.error, dl1_0.event_ref, e1_0.id,
 e1_0.account_id, e1_0.event_id, e1_0.payload, e1_0.received_at, dl1_0.event_id, dl1_0.lease_until,
 dl1_0.next_attempt_at, dl1_0.processed_at, dl1_0.received_at, dl1_0.response_body, dl1_0.response_status,
 dl1_0.status, dl1_0.updated_at from delivery_logs dl1_0 join events e1_0 on e1_0.id=dl1_0.event_ref"
PAGE="order by dl1_0.received_at desc, dl1_0.id desc offset ? rows fetch first ? rows only"
FIRST_PAGE="0, 51" # offset 0, limit 50 + 1 to learn whether a next page exists

number_params() { perl -pe 's/\?/"\$".++$n/ge'; }
# drop_last LIST N: the comma-separated LIST without its last N items (the paging parameters).
drop_last() {
    local list=$1
    for ((i = 0; i < $2; i++)); do list=${list%, *}; done
    echo "$list"
}

mkdir -p "$(dirname "$PLANS")"
{
    echo "# EXPLAIN (ANALYZE, BUFFERS) of the logs list, $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "# $LOGS delivery logs in total, $ACC_LOGS of them in the account queried; $(psql -X -At -c 'SELECT version()')"
} >"$PLANS"

ROWS=()
# explain NAME WHERE TYPES VALUES [TAIL]
explain() {
    local name=$1 where=$2 types=$3 values=$4 tail=${5:-$PAGE}
    local sql count_sql output custom generic matching
    sql=$(echo "$SELECT_LIST where $where $tail" | number_params)
    count_sql=$(echo "select count(*) from delivery_logs dl1_0 where $where" | number_params)
    local paging=1
    [[ "$tail" == "$PAGE" ]] && paging=2
    output=$(psql_db <<SQL
SET statement_timeout = '60s';
PREPARE q($types) AS $sql;
PREPARE c($(drop_last "$types" $paging)) AS $count_sql;
\o /dev/null
EXECUTE q($values);
\o
\echo ---matching
EXECUTE c($(drop_last "$values" $paging));
\echo ---custom
EXPLAIN (ANALYZE, BUFFERS) EXECUTE q($values);
\o /dev/null
EXECUTE q($values);
EXECUTE q($values);
EXECUTE q($values);
EXECUTE q($values);
EXECUTE q($values);
\o
\echo ---auto
EXPLAIN (ANALYZE, BUFFERS) EXECUTE q($values);
SET plan_cache_mode = force_generic_plan;
\echo ---generic
EXPLAIN (ANALYZE, BUFFERS) EXECUTE q($values);
SQL
)
    matching=$(echo "$output" | sed -n '/^---matching/,/^---custom/p' | grep -E '^ *[0-9]+$' | tr -d ' ')
    custom=$(echo "$output" | sed -n '/^---custom/,/^---auto/p' | grep -v '^---')
    auto=$(echo "$output" | sed -n '/^---auto/,/^---generic/p' | grep -v '^---')
    generic=$(echo "$output" | sed -n '/^---generic/,$p' | grep -v '^---')
    {
        echo
        echo "## $name"
        echo "-- $sql"
        echo "-- parameters: $values"
        echo "-- rows matching the filter: $matching"
        echo "-- custom plan"
        echo "$custom"
        echo "-- 8th execution, plan_cache_mode=auto: the $(plan_kind "$auto") plan"
        echo "$auto"
        echo "-- generic plan (plan_cache_mode=force_generic_plan)"
        echo "$generic"
    } >>"$PLANS"
    ROWS+=("| $name | $matching | $(indexes "$custom") | $(exec_ms "$custom") | $(buffers "$custom") | $(plan_kind "$auto"), $(exec_ms "$auto") | $(indexes "$generic") | $(exec_ms "$generic") |")
}

# Indexes of delivery_logs that the plan reads; a sequential scan of it is flagged.
indexes() {
    local found
    found=$(echo "$1" | grep -oE '(Index Scan|Index Only Scan|Index Scan Backward|Index Only Scan Backward) using [a-z0-9_]+ on delivery_logs|Bitmap Index Scan on delivery_logs_[a-z0-9_]+' \
        | grep -oE 'delivery_logs_[a-z0-9_]+' | sort -u | paste -sd '+' || true)
    if echo "$1" | grep -q 'Seq Scan on delivery_logs'; then
        found="${found:+$found + }SEQ SCAN"
    fi
    echo "${found:-none}"
}
# A generic plan shows the parameters as $1, $2...; a custom plan shows their values.
plan_kind() { if echo "$1" | grep -qE '\$[0-9]'; then echo generic; else echo custom; fi; }
exec_ms() { echo "$1" | grep -oE 'Execution Time: [0-9.]+ ms' | grep -oE '[0-9.]+ ms'; }
buffers() { echo "$1" | grep -m1 -oE 'Buffers: shared [a-z=0-9 ]+' | sed 's/Buffers: shared //'; }

A="'$ACC'::uuid"
explain "no filter (first page)" "dl1_0.account_id=?" "uuid, int, int" "$A, $FIRST_PAGE"
explain "destination_id" "dl1_0.account_id=? and dl1_0.destination_id=?" "uuid, uuid, int, int" "$A, '$DEST', $FIRST_PAGE"
explain "status=failed" "dl1_0.account_id=? and dl1_0.status=?" "uuid, varchar, int, int" "$A, 'failed', $FIRST_PAGE"
explain "status=pending" "dl1_0.account_id=? and dl1_0.status=?" "uuid, varchar, int, int" "$A, 'pending', $FIRST_PAGE"
explain "event_id" "dl1_0.account_id=? and dl1_0.event_id=?" "uuid, varchar, int, int" "$A, '$EVT', $FIRST_PAGE"
explain "received range (1 day)" "dl1_0.account_id=? and dl1_0.received_at>=? and dl1_0.received_at<?" \
    "uuid, timestamptz, timestamptz, int, int" "$A, '$DAY_FROM', '$DAY_TO', $FIRST_PAGE"
# processed_to also bounds received_at (+ 5 min of clock skew): see LogFilter.receivedBeforeImpliedByProcessedTo.
PROCESSED="dl1_0.account_id=? and dl1_0.processed_at>=? and dl1_0.processed_at<? and dl1_0.received_at<?"
PROCESSED_TYPES="uuid, timestamptz, timestamptz, timestamptz, int, int"
explain "processed range (1 hour)" "$PROCESSED" "$PROCESSED_TYPES" \
    "$A, '$HOUR_FROM', '$HOUR_TO', '$HOUR_TO'::timestamptz + interval '5 minutes', $FIRST_PAGE"
explain "processed range (1 day)" "$PROCESSED" "$PROCESSED_TYPES" \
    "$A, '$DAY_FROM', '$DAY_TO', '$DAY_TO'::timestamptz + interval '5 minutes', $FIRST_PAGE"
explain "processed range (30 days)" "$PROCESSED" "$PROCESSED_TYPES" \
    "$A, '$MONTH_FROM', '$MONTH_TO', '$MONTH_TO'::timestamptz + interval '5 minutes', $FIRST_PAGE"
explain "processed_from only (last 30 days)" "dl1_0.account_id=? and dl1_0.processed_at>=?" \
    "uuid, timestamptz, int, int" "$A, '$RECENT_FROM', $FIRST_PAGE"
explain "page 2 by cursor" "dl1_0.account_id=? and (dl1_0.received_at, dl1_0.id)<(?, ?)" \
    "uuid, timestamptz, uuid, int, int" "$A, '$P2_AT', '$P2_ID', $FIRST_PAGE"
explain "page 4001 by cursor (after 200,000 rows)" "dl1_0.account_id=? and (dl1_0.received_at, dl1_0.id)<(?, ?)" \
    "uuid, timestamptz, uuid, int, int" "$A, '$DEEP_AT', '$DEEP_ID', $FIRST_PAGE"
explain "destination_id + status=failed" "dl1_0.account_id=? and dl1_0.destination_id=? and dl1_0.status=?" \
    "uuid, uuid, varchar, int, int" "$A, '$DEST', 'failed', $FIRST_PAGE"
explain "status=failed + received range (1 day)" \
    "dl1_0.account_id=? and dl1_0.status=? and dl1_0.received_at>=? and dl1_0.received_at<?" \
    "uuid, varchar, timestamptz, timestamptz, int, int" "$A, 'failed', '$DAY_FROM', '$DAY_TO', $FIRST_PAGE"
explain "status=failed, page 2 by cursor" "dl1_0.account_id=? and dl1_0.status=? and (dl1_0.received_at, dl1_0.id)<(?, ?)" \
    "uuid, varchar, timestamptz, uuid, int, int" "$A, 'failed', '$P2_AT', '$P2_ID', $FIRST_PAGE"
explain "one log (GET .../logs/{log_id})" "dl1_0.account_id=? and dl1_0.id=?" "uuid, uuid, int" "$A, '$LOG_ID', 1" \
    "fetch first ? rows only"

echo
echo "$LOGS delivery logs; the account queried has $ACC_LOGS. Warm cache, PostgreSQL $(psql -X -At -c 'SHOW server_version')."
echo
echo "| filter | rows matching | index (custom plan) | time | buffers (shared) | 8th run (auto) | forced generic plan: index | time |"
echo "|---|---|---|---|---|---|---|---|"
printf '%s\n' "${ROWS[@]}"
echo
echo "Full plans: $PLANS"
