-- Test data for bench/logs-explain.sh: about 1.1 million delivery logs over 90 days.
--   10 accounts with 3 or 4 destinations each; one "big" account (account 1) takes 40 % of the
--   events and has 4 destinations, so about 480,000 of the logs are its own; the other 9 share
--   the rest. Every event is logged once per destination of its account, as the fan-out does.
--   Status mix: the last 15 minutes are still pending (in flight); before that about 2 % pending
--   (waiting for a retry), 6 % failed, 92 % success. processed_at is about a second after
--   received_at for a success, hours later for a failure (the retries), null while pending.
-- psql variable: events (number of events; logs come out at about 3.7 per event).
\set ON_ERROR_STOP on
SET synchronous_commit = off;
SELECT setseed(0.42);

BEGIN;

INSERT INTO users (id, email, password_hash, password_salt, password_cost, created_at, updated_at, created_by, updated_by)
VALUES ('00000000-0000-0000-0000-0000000000b1', 'bench@example.com', 'x', 'x', 10, now(), now(),
        '00000000-0000-0000-0000-0000000000b1', '00000000-0000-0000-0000-0000000000b1');

CREATE TABLE bench_accounts AS
SELECT n, gen_random_uuid() AS id FROM generate_series(1, 10) AS n;

INSERT INTO accounts (id, name, website, app_secret_token, created_at, updated_at, created_by, updated_by)
SELECT id, 'Bench account ' || n, 'https://shop' || n || '.example.com', md5(random()::text) || md5(random()::text),
       now(), now(), '00000000-0000-0000-0000-0000000000b1', '00000000-0000-0000-0000-0000000000b1'
FROM bench_accounts;

INSERT INTO destinations (id, account_id, url, http_method, headers, signing_secret, created_at, updated_at, created_by, updated_by)
SELECT gen_random_uuid(), a.id, 'https://hooks' || d || '.example.com/a' || a.n, (ARRAY['GET', 'POST', 'PUT'])[1 + d % 3],
       '{}'::jsonb, 'whsec_' || md5(random()::text), now(), now(),
       '00000000-0000-0000-0000-0000000000b1', '00000000-0000-0000-0000-0000000000b1'
FROM bench_accounts a, generate_series(1, 3 + a.n % 2) AS d;

INSERT INTO events (id, account_id, event_id, payload, received_at)
SELECT gen_random_uuid(), a.id, 'evt-' || s.n,
       convert_to(json_build_object('order', s.n, 'total', round((random() * 500)::numeric, 2),
                                    'customer', md5(s.n::text), 'paid', s.n % 3 <> 0)::text, 'UTF8'),
       s.received_at
FROM (SELECT n,
             CASE WHEN random() < 0.4 THEN 1 ELSE 2 + floor(random() * 9)::int END AS account,
             timestamptz '2026-06-01 00:00:00+00' - random() * interval '90 days' AS received_at
      FROM generate_series(1, :events) AS n
      OFFSET 0) AS s
JOIN bench_accounts a ON a.n = s.account;

INSERT INTO delivery_logs (id, event_ref, account_id, destination_id, event_id, status, attempts, attempt_limit,
                           response_status, error, received_at, processed_at, next_attempt_at, lease_until,
                           created_at, updated_at)
SELECT gen_random_uuid(), x.event_ref, x.account_id, x.destination_id, x.event_id, x.status,
       CASE x.status WHEN 'success' THEN 1 + (x.r2 < 0.1)::int WHEN 'failed' THEN 8 ELSE floor(x.r2 * 4)::int END,
       8,
       CASE x.status WHEN 'success' THEN 200 WHEN 'failed' THEN (ARRAY[500, 503, NULL])[1 + floor(x.r2 * 3)::int]
                     ELSE CASE WHEN x.r2 < 0.25 THEN NULL ELSE 503 END END,
       CASE x.status WHEN 'failed' THEN (ARRAY['HTTP 500', 'HTTP 503', 'timeout after 10s'])[1 + floor(x.r2 * 3)::int] END,
       x.received_at,
       CASE x.status WHEN 'success' THEN x.received_at + x.r2 * interval '2 seconds'
                     WHEN 'failed' THEN x.received_at + (0.5 + x.r2) * interval '3 hours' END,
       CASE x.status WHEN 'pending' THEN x.received_at + (1 + x.r2) * interval '1 minute' END,
       NULL,
       x.received_at + interval '30 milliseconds', x.received_at + interval '1 second'
FROM (SELECT j.*,
             CASE WHEN j.received_at > timestamptz '2026-06-01 00:00:00+00' - interval '15 minutes' THEN 'pending'
                  WHEN j.r < 0.02 THEN 'pending'
                  WHEN j.r < 0.08 THEN 'failed'
                  ELSE 'success' END AS status
      -- OFFSET 0 keeps random() evaluated once per log, not once per reference
      FROM (SELECT e.id AS event_ref, e.account_id, d.id AS destination_id, e.event_id, e.received_at,
                   random() AS r, random() AS r2
            FROM events e JOIN destinations d ON d.account_id = e.account_id
            OFFSET 0) AS j) AS x;

COMMIT;
