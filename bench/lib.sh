# Helpers shared by the bench scripts (sourced, not run): start a replica of the packaged app as a
# Kubernetes pod runs it, make its JWT key pair and database, call its API, copy accounts with SQL.
# The sourcing script sets `set -euo pipefail`, its own log/die, and PGHOST etc. if it needs them.

# As the pod runs it: the JVM sizes itself as in the 512 MiB limit (Serial GC).
POD_JVM=(-XX:MaxRAM=512m -XX:MaxRAMPercentage=50 -XX:+UseSerialGC)

port_taken() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# bench_sql ARGS...: psql quiet, tuples only, stop on the first error
bench_sql() { psql -h 127.0.0.1 -U postgres -XtAq -v ON_ERROR_STOP=1 "$@"; }

# bench_fresh_database DB: dropped (connections closed) and created
bench_fresh_database() {
  bench_sql -d postgres -c "DROP DATABASE IF EXISTS \"$1\" WITH (FORCE)" -c "CREATE DATABASE \"$1\""
}

# bench_key_pair DIR: an RS256 pair as DIR/private.pem and DIR/public.pem
bench_key_pair() {
  openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$1/private.pem" 2>/dev/null
  openssl pkey -in "$1/private.pem" -pubout -out "$1/public.pem"
}

# bench_launch_replica PORT DB QUEUE KEY_DIR LOG [NAME=VALUE...]: starts the packaged jar from
# $APP_DIR in the background with a clean environment (what a deployment sets, nothing more) and
# sets REPLICA_PID. Extra NAME=VALUE pairs are added to the environment (e.g. a shorter timeout).
bench_launch_replica() {
  local port="$1" db="$2" queue="$3" keys="$4" logfile="$5"
  shift 5
  port_taken "$port" && { echo "port $port is taken" >&2; return 1; }
  (cd "$APP_DIR" && exec env -i PATH=/usr/local/bin:/usr/bin:/bin \
    QUARKUS_HTTP_PORT="$port" \
    QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://127.0.0.1:5432/$db" \
    QUARKUS_DATASOURCE_USERNAME=postgres \
    AMQP_HOST=127.0.0.1 AMQP_PORT=5672 AMQP_USERNAME=guest AMQP_PASSWORD=guest \
    DATAPUSHER_QUEUE="$queue" \
    DATAPUSHER_DESTINATIONS_ALLOWED_CIDRS=127.0.0.0/8 \
    ${MALLOC_ARENA_MAX:+MALLOC_ARENA_MAX="$MALLOC_ARENA_MAX"} \
    MP_JWT_VERIFY_PUBLICKEY_LOCATION="$keys/public.pem" \
    SMALLRYE_JWT_SIGN_KEY_LOCATION="$keys/private.pem" \
    "$@" \
    "$JAVA" "${POD_JVM[@]}" ${JAVA_OPTS:-} -jar quarkus-run.jar) >>"$logfile" 2>&1 &
  REPLICA_PID=$!
}

# bench_await_ready PORT PID [SECONDS]: until /q/health/ready answers 200; prints the milliseconds
bench_await_ready() {
  local port="$1" pid="$2" bound="${3:-120}" t0
  t0=$(date +%s%N)
  for _ in $(seq 1 $((bound * 4))); do
    kill -0 "$pid" 2>/dev/null || { echo "the replica on port $port exited while starting" >&2; return 1; }
    if [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://127.0.0.1:$port/q/health/ready")" = 200 ]; then
      echo $(( ($(date +%s%N) - t0) / 1000000 ))
      return 0
    fi
    sleep 0.25
  done
  echo "the replica on port $port was not ready within $bound s" >&2
  return 1
}

# bench_stop_pid PID [SECONDS]: SIGTERM, then SIGKILL after the bound (default 20 s)
bench_stop_pid() {
  local pid="$1" bound="${2:-20}"
  [ -n "$pid" ] || return 0
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 $((bound * 4))); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    kill -KILL "$pid" 2>/dev/null || true
  fi
  wait "$pid" 2>/dev/null || true
}

# bench_api PORT METHOD PATH [BODY]: prints the answer's body, fails unless 2xx; sends
# $BENCH_ACCESS_TOKEN as the bearer token when set
bench_api() {
  local port="$1" method="$2" path="$3" body="${4:-}" auth=()
  [ -n "${BENCH_ACCESS_TOKEN:-}" ] && auth=(-H "Authorization: Bearer $BENCH_ACCESS_TOKEN")
  local out; out="$(curl -sS --max-time 20 -X "$method" "http://127.0.0.1:$port$path" -H 'Content-Type: application/json' \
    "${auth[@]}" ${body:+-d "$body"} -w '\n%{http_code}')"
  local code="${out##*$'\n'}"
  [[ "$code" == 2* ]] || { echo "$method $path answered $code: ${out%$'\n'*}" >&2; return 1; }
  printf '%s' "${out%$'\n'*}"
}

json_field() { python3 -c 'import json,sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1"; }

# bench_seed PORT DEST_URL: one user (signed up, logged in), one account and one destination through
# the API; sets BENCH_ACCESS_TOKEN, SEED_ACCOUNT, SEED_TOKEN, SEED_DESTINATION, SEED_SECRET
bench_seed() {
  local port="$1" url="$2" email password account dest
  BENCH_ACCESS_TOKEN=""
  email="bench-$(date +%s%N)@example.com" password="bench-password-1"
  bench_api "$port" POST /auth/signup "{\"email\":\"$email\",\"password\":\"$password\"}" >/dev/null
  BENCH_ACCESS_TOKEN="$(bench_api "$port" POST /auth/login "{\"email\":\"$email\",\"password\":\"$password\"}" | json_field access_token)"
  account="$(bench_api "$port" POST /accounts '{"name":"bench-seed"}')"
  SEED_ACCOUNT="$(json_field id <<<"$account")"
  SEED_TOKEN="$(json_field app_secret_token <<<"$account")"
  dest="$(bench_api "$port" POST "/accounts/$SEED_ACCOUNT/destinations" \
    "{\"url\":\"$url\",\"http_method\":\"POST\",\"headers\":{}}")"
  SEED_DESTINATION="$(json_field id <<<"$dest")"
  SEED_SECRET="$(json_field signing_secret <<<"$dest")"
}

# bench_copy_accounts DB COUNT DESTINATIONS NAME_PREFIX: COUNT copies of the seed account (named
# NAME_PREFIX1..COUNT), each with DESTINATIONS copies of the seed destination. Each row is a copy of
# the row the API made (whatever columns the schema has) with new ids, names, tokens (32 random
# bytes, URL-safe base64 as the app makes them) and signing secrets (whsec_ + base64 of 24 bytes).
# The copied destinations keep the seed's URL; change it with SQL afterwards if needed.
bench_copy_accounts() {
  local db="$1" count="$2" dests="$3" prefix="$4"
  bench_sql -d "$db" -v acc="$SEED_ACCOUNT" -v dest="$SEED_DESTINATION" -v n="$count" -v dests="$dests" \
    -v prefix="$prefix" >/dev/null <<'EOF'
BEGIN;
CREATE TEMP TABLE plan AS
    SELECT gen_random_uuid() AS new_id, :'prefix' || g AS new_name, :dests AS dests FROM generate_series(1, :n) g;

CREATE TEMP TABLE new_accounts AS SELECT a.*, p.new_id, p.new_name FROM accounts a, plan p WHERE a.id = :'acc';
UPDATE new_accounts SET id = new_id, name = new_name,
    app_secret_token = translate(rtrim(encode(decode(md5(random()::text) || md5(random()::text), 'hex'), 'base64'), '='), '+/', '-_');
ALTER TABLE new_accounts DROP COLUMN new_id, DROP COLUMN new_name;
INSERT INTO accounts SELECT * FROM new_accounts;

CREATE TEMP TABLE new_members AS SELECT m.*, p.new_id FROM account_members m, plan p WHERE m.account_id = :'acc';
UPDATE new_members SET id = gen_random_uuid(), account_id = new_id;
ALTER TABLE new_members DROP COLUMN new_id;
INSERT INTO account_members SELECT * FROM new_members;

CREATE TEMP TABLE new_destinations AS
    SELECT d.*, p.new_id, n AS nth FROM destinations d, plan p, generate_series(1, p.dests) n WHERE d.id = :'dest';
UPDATE new_destinations SET id = gen_random_uuid(), account_id = new_id,
    created_at = created_at + nth * interval '1 millisecond', updated_at = updated_at + nth * interval '1 millisecond',
    signing_secret = 'whsec_' || encode(decode(md5(random()::text) || substr(md5(random()::text), 1, 16), 'hex'), 'base64');
ALTER TABLE new_destinations DROP COLUMN new_id, DROP COLUMN nth;
INSERT INTO destinations SELECT * FROM new_destinations;
COMMIT;
ANALYZE accounts; ANALYZE account_members; ANALYZE destinations;
EOF
}
