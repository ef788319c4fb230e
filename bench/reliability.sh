#!/usr/bin/env bash
# Reliability suite: two packaged replicas, as the pod runs them (bench/lib.sh), the real PostgreSQL
# and RabbitMQ, destinations served by bench/reliability.py, all on loopback. Each scenario prints
# what it measured and PASS or FAIL against issue 12's criteria. Builds nothing.
#
#   bench/reliability.sh                         # every scenario, about 15 minutes
#   bench/reliability.sh kill term               # some: kill term fifo broker database neighbours ratelimit
#
#   kill       SIGKILL of replica A 20 s into a 60 s stream of 100 events/s over 500 accounts with 3
#              destinations each: every accepted event reaches every destination; duplicates counted
#   term       the same with SIGTERM: and no duplicate
#   fifo       kill again, with every healthy destination set to ordering fifo for the run: and each
#              destination's first arrivals in the order the events were accepted
#   broker     RabbitMQ's app restarted at 10 s, then stopped for 60 s (stop_app / start_app) in a
#              110 s stream: every answer 202, nothing lost, receive-to-delivered p99 of the events
#              sent during each outage within the outage + 5 s, the fast path back after it; the
#              replicas' log lines per level during each outage
#   database   PostgreSQL restarted at 10 s, then stopped for 30 s: 503 (never 202) while down,
#              202 again without restarting anything, nothing accepted lost; log lines per level
#   neighbours a healthy stream (50/s over 500 accounts), 30 s alone, then 40 s beside four accounts
#              whose destinations hang 30 s, answer 500, answer 429 (Retry-After: 10), reset the
#              connection: healthy p99 during <= 2x before, the replicas' delivery slots never full
#   ratelimit  50 clients on one account across both replicas for 10 s: accepted <= 5/s x 10 + 5
#
# The broker and database scenarios stop the machine's shared RabbitMQ and PostgreSQL for at most
# 60 s: other runs on this machine fail meanwhile. A trap starts both again on any exit.
#
# Ports: replicas 18400 and 18401 (REPLICA_PORT_A, _B), destinations 18500-18504 (RECEIVER_PORT);
# database datapusher_rel_run (REL_DB, dropped and created), queue datapusher.deliveries.rel
# (REL_QUEUE, deleted first); the jar from $APP_DIR (default target/quarkus-app; ./mvnw package
# -DskipTests first). Results: bench/results/reliability-<date>.md (RESULTS_LABEL=x adds -x), with
# the raw JSON of every check; KEEP_TMP=1 keeps the temp dir (logs of both replicas).
set -euo pipefail
cd "$(dirname "$0")/.."
root="$(pwd)"
. bench/lib.sh

all_scenarios="kill term fifo broker database neighbours ratelimit"
scenarios="${*:-$all_scenarios}"
for s in $scenarios; do
  case " $all_scenarios " in *" $s "*) ;; *) echo "unknown scenario: $s ($all_scenarios)" >&2; exit 2 ;; esac
done

APP_DIR="${APP_DIR:-$root/target/quarkus-app}"
JAVA="${JAVA:-java}"
DB="${REL_DB:-datapusher_rel_run}"
QUEUE="${REL_QUEUE:-datapusher.deliveries.rel}"
PORT_A="${REPLICA_PORT_A:-18400}"
PORT_B="${REPLICA_PORT_B:-18401}"
RECEIVER_PORT="${RECEIVER_PORT:-18500}"
ACCOUNTS="${ACCOUNTS:-500}"
RESULTS="${RESULTS_DIR:-$root/bench/results}"
PG_VERSION="$(ls /etc/postgresql 2>/dev/null | sort -V | tail -1)"
MAX_IN_FLIGHT=512 # the app's default datapusher.delivery.max-in-flight
export PGCONNECT_TIMEOUT=10

tmp="$(mktemp -d /tmp/dp-reliability.XXXXXX)"
log() { printf '[reliability %s] %s\n' "$(date +%H:%M:%S)" "$*" | tee -a "$tmp/run.log" >&2; }
die() { log "$*"; exit 1; }
now() { date +%s.%N; }
sleep_until() { local d; d="$(python3 -c "import sys,time; print(max(0, float(sys.argv[1]) - time.time()))" "$1")"; sleep "$d"; }
rel() { python3 bench/reliability.py "$@"; }

[ -f "$APP_DIR/quarkus-run.jar" ] || die "run ./mvnw package -DskipTests first ($APP_DIR/quarkus-run.jar is missing)"
APP_DIR="$(cd "$APP_DIR" && pwd)"
for tool in psql openssl curl python3 rabbitmqctl pg_ctlcluster; do command -v "$tool" >/dev/null || die "$tool is missing"; done
for p in "$PORT_A" "$PORT_B" $(seq "$RECEIVER_PORT" $((RECEIVER_PORT + 4))); do
  port_taken "$p" && die "port $p is taken"
done

pid_a="" pid_b="" receiver_pid="" load_pids=()
broker_stopped=false database_stopped=false

broker_up() {
  $broker_stopped || return 0
  log "starting RabbitMQ's app again"
  timeout 60 rabbitmqctl -q start_app >/dev/null 2>&1 || log "rabbitmqctl start_app failed"
  broker_stopped=false
}
database_up() {
  $database_stopped || return 0
  log "starting PostgreSQL again"
  pg_ctlcluster --skip-systemctl-redirect "$PG_VERSION" main start || log "pg_ctlcluster start failed"
  database_stopped=false
}
cleanup() {
  local rc=$?
  set +e
  broker_up
  database_up
  for pid in "${load_pids[@]}"; do kill "$pid" 2>/dev/null; done
  bench_stop_pid "$pid_a" 20
  bench_stop_pid "$pid_b" 20
  [ -n "$receiver_pid" ] && kill "$receiver_pid" 2>/dev/null && wait "$receiver_pid" 2>/dev/null
  if [ "$rc" -ne 0 ] || [ -n "${KEEP_TMP:-}" ]; then
    log "temp dir kept: $tmp (exit code $rc)"
  else
    rm -rf "$tmp"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log "preparing the local services (scripts/prepare-local.sh)"
timeout 300 scripts/prepare-local.sh >&2 || die "scripts/prepare-local.sh failed"

# ---------------------------------------------------------------- destinations, replicas, data
python3 -u bench/reliability.py receiver --base-port "$RECEIVER_PORT" >"$tmp/receiver.log" 2>&1 &
receiver_pid=$!
for _ in $(seq 1 40); do port_taken "$RECEIVER_PORT" && break; sleep 0.25; done
RECEIVER="http://127.0.0.1:$RECEIVER_PORT"

log "database $DB (dropped and created), queue $QUEUE (deleted), JWT key pair"
bench_fresh_database "$DB"
timeout 30 rabbitmqctl -q delete_queue "$QUEUE" >/dev/null 2>&1 || true
bench_key_pair "$tmp"

start_replica() { # a|b
  local name="$1" port
  port="$([ "$name" = a ] && echo "$PORT_A" || echo "$PORT_B")"
  bench_launch_replica "$port" "$DB" "$QUEUE" "$tmp" "$tmp/$name.log" || die "could not start replica $name"
  [ "$name" = a ] && pid_a=$REPLICA_PID || pid_b=$REPLICA_PID
  local ms; ms="$(bench_await_ready "$port" "$REPLICA_PID" 120)" || die "replica $name did not become ready"
  log "replica $name ready on $port in $ms ms (pid $REPLICA_PID)"
}
# A first: it migrates the fresh database; B then starts on the migrated schema.
start_replica a
start_replica b
TARGETS="http://127.0.0.1:$PORT_A,http://127.0.0.1:$PORT_B"

log "data: $ACCOUNTS accounts with 3 destinations each, 4 noisy ones with 3, 1 for the rate limit"
bench_seed "$PORT_A" "$RECEIVER/d/seed" || die "could not make the seed account"
bench_copy_accounts "$DB" "$ACCOUNTS" 3 rel-ok-
for kind in hang 500 429 reset; do bench_copy_accounts "$DB" 1 3 "rel-$kind-"; done
bench_copy_accounts "$DB" 1 1 rel-rate-
bench_sql -d "$DB" -v base="$RECEIVER_PORT" >/dev/null <<'EOF'
UPDATE destinations d SET url = 'http://127.0.0.1:' || (:base + CASE split_part(a.name, '-', 2)
        WHEN 'hang' THEN 1 WHEN '500' THEN 2 WHEN '429' THEN 3 WHEN 'reset' THEN 4 ELSE 0 END) || '/d/' || d.id
FROM accounts a WHERE a.id = d.account_id AND a.name LIKE 'rel-%';
EOF
dests_of() { # name pattern -> lines "token dest dest dest", ordered by account name
  bench_sql -d "$DB" -F' ' -c "SELECT a.app_secret_token, string_agg(d.id::text, ' ' ORDER BY d.id)
    FROM accounts a JOIN destinations d ON d.account_id = a.id WHERE a.name LIKE '$1' GROUP BY a.name, a.app_secret_token ORDER BY a.name"
}
dests_of 'rel-ok-%' >"$tmp/ok.dests"
cut -d' ' -f1 "$tmp/ok.dests" >"$tmp/ok.tokens"
for kind in hang 500 429 reset; do dests_of "rel-$kind-%"; done >"$tmp/bad.dests"
cut -d' ' -f1 "$tmp/bad.dests" >"$tmp/bad.tokens"
rate_token="$(dests_of 'rel-rate-%' | cut -d' ' -f1)"
[ "$(wc -l <"$tmp/ok.tokens")" -eq "$ACCOUNTS" ] || die "expected $ACCOUNTS healthy accounts"
sleep 2
for port in "$PORT_A" "$PORT_B"; do # the SQL-made tokens reach both replicas' maps by NOTIFY
  code="$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 -X POST "http://127.0.0.1:$port/server/incoming_data" \
    -H "CL-X-TOKEN: $(head -1 "$tmp/ok.tokens")" -H "CL-X-EVENT-ID: probe-$port" -H 'Content-Type: application/json' -d '{}')"
  [ "$code" = 202 ] || die "replica on $port answered $code to a token made by SQL"
done
run_id="$(date +%H%M%S)"

# ---------------------------------------------------------------- helpers of the scenarios
report="$tmp/report.md"
verdicts=()
verdict() { # scenario PASS|FAIL text
  verdicts+=("$1 $2")
  log "$1: $2 - $3"
  printf '\n**%s: %s** - %s\n' "$1" "$2" "$3" >>"$report"
}
section() { printf '\n## %s\n\n%s\n' "$1" "$2" >>"$report"; log "=== $1"; }
raw() { printf '\n<details><summary>%s</summary>\n\n```json\n%s\n```\n</details>\n' "$1" "$2" >>"$report"; }
field() { python3 -c 'import json,sys; d=json.load(sys.stdin)
for k in sys.argv[1].split("."): d = d[k] if not k.isdigit() else d[int(k)]
print(d)' "$1"; }
# load NAME TOKENS RATE SECONDS [extra load args]: in the background; sets load_pid and t0
load() {
  local name="$1" tokens="$2" rate="$3" seconds="$4"
  shift 4
  t0="$(now)"
  rel load --targets "$TARGETS" --tokens "$tokens" --rate "$rate" --seconds "$seconds" \
    --prefix "$name" --out "$tmp/$name.sent" "$@" 2>>"$tmp/load.err" &
  load_pid=$!
  load_pids+=("$load_pid")
}
# levels NAME T0 T1: log lines of both replicas between two times, one line each in the report
levels() {
  local name="$1" from="$2" to="$3" r out
  for r in a b; do
    [ -f "$tmp/$r.log" ] || continue
    out="$(rel loglevels --log "$tmp/$r.log" --start "$from" --end "$to")"
    printf '%s\t%s\t%s\n' "$name" "$r" "$out" >>"$tmp/levels.tsv"
    log "  log lines of replica $r during $name: $(field levels <<<"$out")"
    raw "log lines of replica $r during $name" "$out"
  done
}
# quiet NAME: PASS when each replica logged no ERROR, at most 2 WARN and 12 lines in all during the outage
quiet() {
  local name="$1" ok=true summary=""
  while IFS=$'\t' read -r window r out; do
    [ "$window" = "$name" ] || continue
    read -r errors warns total < <(python3 -c 'import json,sys; l=json.loads(sys.argv[1])["levels"]
print(l.get("ERROR",0), l.get("WARN",0), sum(l.values()))' "$out")
    summary+="replica $r: $errors ERROR, $warns WARN, $total lines; "
    { [ "$errors" -eq 0 ] && [ "$warns" -le 2 ] && [ "$total" -le 12 ]; } || ok=false
  done <"$tmp/levels.tsv"
  verdict "quiet-$name" "$($ok && echo PASS || echo FAIL)" "${summary}criterion: no ERROR, at most 2 WARN (start of each dependency's outage) and 12 lines per replica"
}
metric_sum() { # port metric-prefix
  curl -s --max-time 5 "http://127.0.0.1:$1/q/metrics" | awk -v m="$2" 'index($0, m) == 1 { v += $NF } END { printf "%.0f", v }'
}

# ---------------------------------------------------------------- scenarios
replica_stop() { # kill|term [fifo]
  local signal="$1" fifo="${2:-}"
  local name="${fifo:-$signal}-$run_id" killed_at check lost dups answered non202 ordered=""
  section "Replica SIG${signal^^} mid-stream${fifo:+, destinations ordered (fifo)}" "Two replicas, 100 events/s for 60 s over $ACCOUNTS accounts with 3 destinations each (6,000 events, 18,000 deliveries), sent to both in turn; replica A gets SIG${signal^^} 20 s in. A request that gets no answer, or 503 from the stopping replica, goes again to the other one with the same event id (a duplicate for the service, answered 202 and not delivered twice).${fifo:+ Every destination has ordering fifo: one account's events are 5 s apart, so only deliveries held up by the kill (a lease of A's to run out) can come out of order.}"
  if [ -n "$fifo" ]; then
    bench_sql -d "$DB" -c "UPDATE destinations SET ordering = 'fifo' WHERE account_id IN (SELECT id FROM accounts WHERE name LIKE 'rel-ok-%')" >/dev/null
    ordered="--fifo"
  fi
  load "$name" "$tmp/ok.tokens" 100 60 --retry-503
  sleep_until "$(python3 -c "print($t0 + 20)")"
  killed_at="$(now)"
  kill -"${signal^^}" "$pid_a"
  log "SIG${signal^^} sent to replica A (pid $pid_a)"
  wait "$load_pid" || true
  wait "$pid_a" 2>/dev/null || true
  pid_a=""
  log "stream ended; waiting (at most 120 s) for every accepted event at every destination"
  check="$(rel check --sent "$tmp/$name.sent" --dests "$tmp/ok.dests" --receiver "$RECEIVER" --prefix "$name-" \
    --wait 120 --window "before=$t0:$killed_at" --window "after=$killed_at:$(now)" $ordered)"
  raw "check of $name" "$check"
  lost="$(field lost <<<"$check")" dups="$(field duplicates <<<"$check")"
  answered="$(field accepted <<<"$check")" non202=$(( $(field events_sent <<<"$check") - answered ))
  local line="sent $(field events_sent <<<"$check"), accepted $answered (not accepted $non202; retried on the other replica $(field retried_requests <<<"$check")), deliveries expected $(field expected_deliveries <<<"$check"), delivered $(field delivered <<<"$check"), lost $lost, duplicates $dups; receive-to-delivered p99 before the signal $(field windows.before.p99_s <<<"$check") s, after $(field windows.after.p99_s <<<"$check") s (max $(field windows.after.max_s <<<"$check") s); last delivery $(field last_delivery_after_last_send_s <<<"$check") s after the last send"
  if [ -n "$fifo" ]; then
    local early; early="$(field fifo_out_of_order <<<"$check")"
    verdict "fifo" "$([ "$lost" -eq 0 ] && [ "$non202" -eq 0 ] && [ "$early" -eq 0 ] && echo PASS || echo FAIL)" "$line; first arrivals out of acceptance order $early"
    bench_sql -d "$DB" -c "UPDATE destinations SET ordering = 'unordered' WHERE account_id IN (SELECT id FROM accounts WHERE name LIKE 'rel-ok-%')" >/dev/null
  elif [ "$signal" = kill ]; then
    verdict "kill" "$([ "$lost" -eq 0 ] && [ "$non202" -eq 0 ] && echo PASS || echo FAIL)" "$line"
  else
    verdict "term" "$([ "$lost" -eq 0 ] && [ "$non202" -eq 0 ] && [ "$dups" -eq 0 ] && echo PASS || echo FAIL)" "$line"
  fi
  start_replica a
}

scenario_broker() {
  local name="broker-$run_id" r0 r1 o0 o1 check
  section "Broker restart, and broker down for 60 s" "Two replicas, 100 events/s for 110 s over $ACCOUNTS accounts x 3 destinations. At 10 s \`rabbitmqctl stop_app\` then \`start_app\` at once (a restart); at 30 s \`stop_app\`, and \`start_app\` 60 s later."
  log "NOTICE: RabbitMQ on this machine goes down twice in the next 100 s (a restart, then 60 s): other runs that use it fail meanwhile"
  load "$name" "$tmp/ok.tokens" 100 110
  sleep_until "$(python3 -c "print($t0 + 10)")"
  r0="$(now)"; broker_stopped=true
  timeout 60 rabbitmqctl -q stop_app >/dev/null; timeout 60 rabbitmqctl -q start_app >/dev/null; broker_stopped=false
  r1="$(now)"
  log "broker restarted in $(python3 -c "print(round($r1 - $r0, 1))") s"
  sleep_until "$(python3 -c "print($t0 + 30)")"
  o0="$(now)"; broker_stopped=true
  timeout 60 rabbitmqctl -q stop_app >/dev/null
  log "broker stopped; starting it again in 60 s"
  sleep_until "$(python3 -c "print($o0 + 60)")"
  timeout 60 rabbitmqctl -q start_app >/dev/null; broker_stopped=false
  o1="$(now)"
  log "broker back after $(python3 -c "print(round($o1 - $o0, 1))") s"
  wait "$load_pid" || true
  check="$(rel check --sent "$tmp/$name.sent" --dests "$tmp/ok.dests" --receiver "$RECEIVER" --prefix "$name-" --wait 120 \
    --window "before=$t0:$r0" --window "restart=$r0:$r1" --window "between=$r1:$o0" --window "outage=$o0:$o1" \
    --window "after=$o1:$(python3 -c "print($o1 + 10)")" --window "settled=$(python3 -c "print($o1 + 10)"):$(now)")"
  raw "check of $name" "$check"
  local lost non202 p99r p99o p99s lr lo
  lost="$(field lost <<<"$check")"; non202=$(( $(field events_sent <<<"$check") - $(field accepted <<<"$check") ))
  p99r="$(field windows.restart.p99_s <<<"$check")"; p99o="$(field windows.outage.p99_s <<<"$check")"
  p99s="$(field windows.settled.p99_s <<<"$check")"
  lr="$(python3 -c "print(round($r1 - $r0, 1))")"; lo="$(python3 -c "print(round($o1 - $o0, 1))")"
  local pass; pass="$(python3 -c "print('PASS' if $lost == 0 and $non202 == 0 and $p99r <= $lr + 5 and $p99o <= $lo + 5 and $p99s < 1 else 'FAIL')")"
  verdict broker "$pass" "sent $(field events_sent <<<"$check"), answers $(field answers <<<"$check"), lost $lost, duplicates $(field duplicates <<<"$check"); receive-to-delivered p99: before $(field windows.before.p99_s <<<"$check") s, during the restart ($lr s) $p99r s, between $(field windows.between.p99_s <<<"$check") s, during the 60 s outage ($lo s) $p99o s (max $(field windows.outage.max_s <<<"$check") s), first 10 s after $(field windows.after.p99_s <<<"$check") s, then $p99s s. Criteria: every answer 202, lost 0, p99 of each outage's events <= its length + 5 s, p99 from 10 s after the outage < 1 s (the broker path back by itself). Unsent batches (both replicas): $(( $(metric_sum "$PORT_A" datapusher_ingest_messages_unsent_total) + $(metric_sum "$PORT_B" datapusher_ingest_messages_unsent_total) ))"
  levels broker-restart "$r0" "$(python3 -c "print($r1 + 15)")"
  levels broker-outage "$o0" "$(python3 -c "print($o1 + 15)")"
  quiet broker-restart
  quiet broker-outage
}

scenario_database() {
  local name="database-$run_id" r0 r1 o0 o1 check
  section "PostgreSQL restart, and PostgreSQL down for 30 s" "Two replicas, 50 events/s for 80 s over $ACCOUNTS accounts x 3 destinations, no request sent again. At 10 s \`pg_ctlcluster $PG_VERSION main restart -m fast\`; at 30 s \`stop -m fast\`, and \`start\` 30 s later."
  log "NOTICE: PostgreSQL on this machine goes down twice in the next 70 s (a restart, then 30 s): other runs that use it fail meanwhile"
  load "$name" "$tmp/ok.tokens" 50 80 --retry-for 0
  sleep_until "$(python3 -c "print($t0 + 10)")"
  r0="$(now)"; database_stopped=true
  pg_ctlcluster --skip-systemctl-redirect "$PG_VERSION" main restart -m fast; database_stopped=false
  r1="$(now)"
  log "PostgreSQL restarted in $(python3 -c "print(round($r1 - $r0, 1))") s"
  sleep_until "$(python3 -c "print($t0 + 30)")"
  o0="$(now)"; database_stopped=true
  pg_ctlcluster --skip-systemctl-redirect "$PG_VERSION" main stop -m fast
  local down; down="$(now)"
  log "PostgreSQL stopped; starting it again in 30 s"
  sleep_until "$(python3 -c "print($o0 + 30)")"
  o1="$(now)"
  pg_ctlcluster --skip-systemctl-redirect "$PG_VERSION" main start; database_stopped=false
  local up; up="$(now)"
  log "PostgreSQL back after $(python3 -c "print(round($up - $o0, 1))") s"
  wait "$load_pid" || true
  check="$(rel check --sent "$tmp/$name.sent" --dests "$tmp/ok.dests" --receiver "$RECEIVER" --prefix "$name-" --wait 120 \
    --window "before=$t0:$r0" --window "restart=$r0:$r1" --window "down=$down:$o1" --window "after=$up:$(now)")"
  raw "check of $name" "$check"
  local recovered_s
  recovered_s="$(python3 -c '
import json, sys
up = float(sys.argv[2])
ok = [r["t_answer"] for r in map(json.loads, open(sys.argv[1])) if r["status"] == 202 and r["t_send"] >= up]
print(round(min(ok) - up, 1) if ok else "never")' "$tmp/$name.sent" "$up")"
  local lost down202 down5xx
  lost="$(field lost <<<"$check")"
  # Judged by when the answer was given: a request sent during the outage may wait in the group
  # commit and be committed, and answered 202, once PostgreSQL is back; that is right.
  down202="$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["windows"]["down"]["answered_in_window"].get("202", 0))' "$check")"
  down5xx="$(python3 -c 'import json,sys; a=json.loads(sys.argv[1])["windows"]["down"]["answered_in_window"]; print(sum(v for k, v in a.items() if k not in ("503",)))' "$check")"
  local pass; pass="$(python3 -c "print('PASS' if $lost == 0 and $down202 == 0 and $down5xx == 0 and '$recovered_s' != 'never' and float('$recovered_s') <= 15 else 'FAIL')")"
  verdict database "$pass" "sent $(field events_sent <<<"$check"), answers $(field answers <<<"$check"); answered while down: $(field windows.down.answered_in_window <<<"$check") (sent while down: $(field windows.down.answers <<<"$check"), the 202s among them answered after it was back); restart window: $(field windows.restart.answers <<<"$check"); first 202 $recovered_s s after PostgreSQL was started again (no replica restarted); accepted $(field accepted <<<"$check"), lost $lost, duplicates $(field duplicates <<<"$check"); receive-to-delivered p99 of the events accepted after it $(field windows.after.p99_s <<<"$check") s. Criteria: no 202 and nothing but 503 answered while down, 202 again within 15 s, lost 0"
  levels database-restart "$r0" "$(python3 -c "print($r1 + 15)")"
  levels database-outage "$o0" "$(python3 -c "print($up + 15)")"
  quiet database-restart
  quiet database-outage
}

scenario_neighbours() {
  local before="nbefore-$run_id" during="nduring-$run_id" bad="nbad-$run_id" cb cd stats
  section "Noisy neighbours" "Healthy load: 50 events/s over $ACCOUNTS accounts x 3 destinations, 30 s alone, then 40 s beside 18 events/s (4.5/s each, under the rate limit) for four accounts whose 3 destinations each hang (read the request, answer nothing for 30 s; the attempt times out after 10 s), answer 500, answer 429 with Retry-After: 10, reset the connection. Each bad behaviour has its own port, as another host would. Slots in use are sampled every 0.5 s from datapusher_delivery_in_flight on both replicas."
  load "$before" "$tmp/ok.tokens" 50 30
  wait "$load_pid" || true
  curl -s "$RECEIVER/_reset_stats" >/dev/null
  python3 - "$PORT_A" "$PORT_B" "$tmp/slots.txt" <<'EOF' &
import sys, time, urllib.request
ports, out = sys.argv[1:3], sys.argv[3]
end = time.time() + 55
with open(out, "w") as f:
    while time.time() < end:
        row = []
        for p in ports:
            try:
                text = urllib.request.urlopen(f"http://127.0.0.1:{p}/q/metrics", timeout=2).read().decode()
                row.append(next((l.split()[-1] for l in text.splitlines() if l.startswith("datapusher_delivery_in_flight")), "nan"))
            except OSError:
                row.append("nan")
        f.write(" ".join(row) + "\n"); f.flush()
        time.sleep(0.5)
EOF
  local sampler=$!
  load_pids+=("$sampler")
  load "$bad" "$tmp/bad.tokens" 18 40
  local bad_pid=$load_pid
  load "$during" "$tmp/ok.tokens" 50 40
  wait "$load_pid" || true
  wait "$bad_pid" || true
  stats="$(curl -s "$RECEIVER/_stats")"
  wait "$sampler" || true
  cb="$(rel check --sent "$tmp/$before.sent" --dests "$tmp/ok.dests" --receiver "$RECEIVER" --prefix "$before-" --wait 60)"
  cd="$(rel check --sent "$tmp/$during.sent" --dests "$tmp/ok.dests" --receiver "$RECEIVER" --prefix "$during-" --wait 60)"
  raw "check of the healthy stream before" "$cb"
  raw "check of the healthy stream during" "$cd"
  raw "destinations' counts during (hanging_max: most requests the hanging destination held open at once)" "$stats"
  local slots; slots="$(python3 -c '
import sys
rows = [l.split() for l in open(sys.argv[1]) if l.strip()]
vals = [float(v) for r in rows for v in r if v != "nan"]
print(int(max(vals)) if vals else -1)' "$tmp/slots.txt")"
  local pb pd lost
  pb="$(field latency_all.p99_s <<<"$cb")"; pd="$(field latency_all.p99_s <<<"$cd")"
  lost=$(( $(field lost <<<"$cb") + $(field lost <<<"$cd") ))
  local bad_answers; bad_answers="$(python3 -c 'import json,sys; a={}
[a.__setitem__(str(r["status"]), a.get(str(r["status"]), 0) + 1) for r in map(json.loads, open(sys.argv[1]))]; print(a)' "$tmp/$bad.sent")"
  local pass; pass="$(python3 -c "print('PASS' if $lost == 0 and $pd <= 2 * $pb and 0 <= $slots < $MAX_IN_FLIGHT else 'FAIL')")"
  verdict neighbours "$pass" "healthy: $(field accepted <<<"$cb") + $(field accepted <<<"$cd") events accepted, lost $lost, duplicates $(( $(field duplicates <<<"$cb") + $(field duplicates <<<"$cd") )); receive-to-delivered p50/p99 before $(field latency_all.p50_s <<<"$cb") / $pb s, during $(field latency_all.p50_s <<<"$cd") / $pd s (ratio $(python3 -c "print(round($pd / $pb, 2))")); noisy events' answers $bad_answers; requests to the noisy destinations $(field requests <<<"$stats"), most held open at once by the hanging one $(field hanging_max <<<"$stats"); most delivery slots in use on one replica $slots of $MAX_IN_FLIGHT. Criteria: lost 0, p99 during <= 2x before, slots never all taken"
}

scenario_ratelimit() {
  section "Rate limit under concurrency" "50 clients, each a keep-alive connection, alternating between both replicas, sending as fast as answered for 10 s, all with the token of one fresh account (rate 5/s, burst 5)."
  local out accepted window allowed
  out="$(rel ratelimit --targets "$TARGETS" --token "$rate_token" --clients 50 --seconds 10 --prefix "rate-$run_id")"
  raw "rate limit" "$out"
  accepted="$(field accepted <<<"$out")"; window="$(field window_s <<<"$out")"
  allowed="$(python3 -c "import math; print(5 + math.floor(5 * $window))")"
  local five; five="$(python3 -c 'import json,sys; print(sum(v for k, v in json.loads(sys.argv[1])["statuses"].items() if k.startswith("5") or k == "None"))' "$out")"
  verdict ratelimit "$([ "$accepted" -le "$allowed" ] && [ "$five" -eq 0 ] && echo PASS || echo FAIL)" "$(field requests <<<"$out") requests in $window s (first send to last answer), answers $(field statuses <<<"$out"); accepted $accepted, at most $allowed allowed (5 + 5/s x window; 55 for exactly 10 s); 5xx or no answer: $five"
}

# A replica that has run for a while is what the figures describe: on 2 cores the JIT compilers
# take a large share of the CPU for the first minute under load (see bench/README.md, throughput).
if [ "${WARMUP_SECONDS:-30}" -gt 0 ]; then
  log "warm-up: ${WARMUP_SECONDS:-30} s at 50 events/s, not measured"
  load "warmup-$run_id" "$tmp/ok.tokens" 50 "${WARMUP_SECONDS:-30}"
  wait "$load_pid" || true
  rel check --sent "$tmp/warmup-$run_id.sent" --dests "$tmp/ok.dests" --receiver "$RECEIVER" --prefix "warmup-$run_id-" \
    --wait 60 >/dev/null
fi

{
  printf '# Reliability, %s\n\n' "$(date +%F)"
  printf 'Commit %s (jar built %s), %s, %s cores, load before %s. `bench/reliability.sh %s`.\n' \
    "$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)" "$(date -r "$APP_DIR/quarkus-run.jar" '+%F %T')" \
    "$("$JAVA" -version 2>&1 | head -1)" "$(nproc)" "$(cut -d' ' -f1-3 /proc/loadavg)" "$scenarios"
} >"$report"

for s in $scenarios; do
  case "$s" in
    kill) replica_stop kill ;;
    term) replica_stop term ;;
    fifo) replica_stop kill fifo ;;
    broker) scenario_broker ;;
    database) scenario_database ;;
    neighbours) scenario_neighbours ;;
    ratelimit) scenario_ratelimit ;;
  esac
done

{
  printf '\n## Summary\n\n| scenario | verdict |\n|---|---|\n'
  for v in "${verdicts[@]}"; do printf '| %s | %s |\n' "${v% *}" "${v##* }"; done
} >>"$report"
mkdir -p "$RESULTS"
out="$RESULTS/reliability-$(date +%F)${RESULTS_LABEL:+-$RESULTS_LABEL}.md"
cp "$report" "$out"
log "written: $out"
printf '%s\n' "${verdicts[@]}"
failed=false
for v in "${verdicts[@]}"; do [[ "$v" == *FAIL ]] && failed=true; done
! $failed
