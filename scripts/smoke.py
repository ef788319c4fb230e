#!/usr/bin/env python3
"""Smoke scenario against a running Data Pusher, as a user and an API client would use it.

    scripts/smoke.py BASE_URL DESTINATION_URL [--receiver URL] [--during COMMAND]
                     [--rate N] [--timeout SECONDS] [--summary FILE]

1. waits until BASE_URL/q/health/ready answers 200;
2. signs up a new user, logs in, creates an account and a destination (POST to DESTINATION_URL);
3. posts one event to /server/incoming_data with CL-X-TOKEN and CL-X-EVENT-ID and waits until
   its delivery log is `success` (and, with --receiver, until the receiver got its webhook-id);
4. with --during: runs COMMAND (a shell command, e.g. a rolling restart) while sending events
   at --rate per second (default 3, under the default ingest limit of 5 per account). An event
   answered anything but 202 (429, 503 while a replica drains, a refused or cut connection) is
   sent again with the same CL-X-EVENT-ID until it is accepted, as a client would: a repeat of an
   event already committed answers 202 `duplicate: true` and is not delivered twice. Then it
   waits until every accepted event has a `success` log (nothing lost), and with --receiver
   until each one reached the destination.

The destination must be reachable from the service and let through its outbound guard
(datapusher.destinations.allowed-cidrs): locally scripts/webhook-receiver.py on 127.0.0.1
against a service run with 127.0.0.0/8 allowed (dev mode allows it). --summary appends a
Markdown report to FILE (the workflow passes $GITHUB_STEP_SUMMARY). Exits 1 when a check fails.
Standard library only.
"""
import argparse
import atexit
import json
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid

parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
parser.add_argument("base_url")
parser.add_argument("destination_url")
parser.add_argument("--receiver", help="the receiver's base URL, to check what reached it")
parser.add_argument("--during", help="shell command to run while events flow")
parser.add_argument("--rate", type=float, default=3.0, help="events per second during --during")
parser.add_argument("--timeout", type=float, default=180.0, help="seconds to wait for each stage")
parser.add_argument("--summary", help="append a Markdown report to this file")
args = parser.parse_args()
base = args.base_url.rstrip("/")
run_id = uuid.uuid4().hex[:12]
report = []


def log(message):
    print(f"[smoke] {message}", flush=True)


def fail(message):
    log("FAILED: " + message)
    write_summary(False, message)
    sys.exit(1)


def write_summary(ok, detail=""):
    if not args.summary:
        return
    with open(args.summary, "a", encoding="utf-8") as out:
        out.write(f"### Smoke scenario against `{base}`: {'passed' if ok else 'FAILED'}\n\n")
        if detail:
            out.write(detail + "\n\n")
        if report:
            out.write("| check | result |\n|---|---|\n")
            for check, result in report:
                cells = [cell.replace("|", "\\|") for cell in (check, result)]  # GFM: \| in a cell
                out.write(f"| {cells[0]} | {cells[1]} |\n")
            out.write("\n")


def call(method, url, body=None, headers=None, timeout=10):
    """Returns (status, parsed JSON or None, response headers); raises OSError when no answer came."""
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method)
    request.add_header("Content-Type", "application/json")
    for name, value in (headers or {}).items():
        request.add_header(name, value)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            raw = response.read()
            return response.status, (json.loads(raw) if raw else None), response.headers
    except urllib.error.HTTPError as error:
        raw = error.read()
        try:
            parsed = json.loads(raw) if raw else None
        except ValueError:
            parsed = None
        return error.code, parsed, error.headers


def api(method, path, body=None, token=None, expect=(200,)):
    headers = {"Authorization": "Bearer " + token} if token else {}
    try:
        status, parsed, _ = call(method, base + path, body, headers)
    except OSError as error:
        fail(f"{method} {path}: no answer ({error})")
    if status not in expect:
        fail(f"{method} {path}: {status} {json.dumps(parsed)[:300]}")
    return parsed


def wait_for(what, condition, timeout=None, interval=0.5, last_seen=None):
    deadline = time.monotonic() + (timeout or args.timeout)
    while True:
        try:
            result = condition()
        except OSError:
            result = None
        if result:
            return result
        if time.monotonic() > deadline:
            fail(f"timed out waiting for {what}" + (f"; last seen: {last_seen()}" if last_seen else ""))
        time.sleep(interval)


def ready():
    status, _, _ = call("GET", base + "/q/health/ready", timeout=5)
    return status == 200


def send_event(token, event_id, payload, attempts):
    """Sends until 202; returns the answer. Counts every other outcome in attempts."""
    deadline = time.monotonic() + args.timeout
    while True:
        try:
            status, parsed, headers = call("POST", base + "/server/incoming_data", payload,
                                           {"CL-X-TOKEN": token, "CL-X-EVENT-ID": event_id})
        except OSError as error:  # no answer: refused, reset, timed out (urllib wraps the cause)
            status, parsed, headers = type(getattr(error, "reason", error)).__name__, None, {}
        if status == 202:
            return parsed
        attempts[str(status)] = attempts.get(str(status), 0) + 1
        if status in (400, 401, 413) or time.monotonic() > deadline:
            fail(f"event {event_id} not accepted: {status} {json.dumps(parsed)[:300]}")
        retry_after = headers.get("Retry-After") if headers else None
        time.sleep(min(float(retry_after), 2.0) if retry_after and retry_after.isdigit() else 0.2)


def logs_by_event(account_id, token):
    """Every log of the account, paged by cursor: event_id -> list of statuses."""
    statuses, cursor = {}, None
    while True:
        query = {"limit": "200"}
        if cursor:
            query["cursor"] = cursor
        page = api("GET", f"/accounts/{account_id}/logs?{urllib.parse.urlencode(query)}", token=token)
        for item in page["items"]:
            statuses.setdefault(item["event_id"], []).append(item["status"])
        cursor = page.get("next_cursor")
        if not cursor:
            return statuses


def received():
    status, parsed, _ = call("GET", args.receiver.rstrip("/") + "/_received", timeout=5)
    return parsed["webhook_ids"] if status == 200 else None


# ------------------------------------------------------------------ 1. ready
wait_for(f"{base}/q/health/ready to answer 200", ready)
log(f"{base} is ready")

# ------------------------------------------------------------------ 2. user, account, destination
credentials = {"email": f"smoke-{run_id}@example.com", "password": "correct horse battery staple"}
api("POST", "/auth/signup", credentials, expect=(201,))
token = api("POST", "/auth/login", credentials)["access_token"]
account = api("POST", "/accounts", {"name": f"Smoke {run_id}"}, token=token, expect=(201,))
account_id, app_token = account["id"], account["app_secret_token"]
destination = api("POST", f"/accounts/{account_id}/destinations",
                  {"url": args.destination_url, "http_method": "POST", "headers": {"X-Smoke": run_id}},
                  token=token, expect=(201,))
log(f"user {credentials['email']}, account {account_id}, destination {destination['id']} -> {args.destination_url}")
report.append(("sign up, log in, account, destination", "ok"))

# ------------------------------------------------------------------ 3. one event, delivered
first = f"smoke-{run_id}-first"
started = time.monotonic()
answer = send_event(app_token, first, {"smoke": run_id, "n": 0}, {})
if answer.get("duplicate"):
    fail(f"a new event was answered as a duplicate: {answer}")


seen = {}


def first_log():
    page = api("GET", f"/accounts/{account_id}/logs?event_id={urllib.parse.quote(first)}", token=token)
    items = page["items"]
    seen["log"] = items[0] if items else None
    if items and items[0]["status"] == "failed":
        fail(f"the delivery failed: {json.dumps(items[0])[:500]}")
    return items and items[0]["status"] == "success" and items[0]


delivered = wait_for(f"the delivery log of {first} to be success", first_log,
                     last_seen=lambda: json.dumps(seen.get("log"))[:500])
latency = time.monotonic() - started
log(f"event {first}: log {delivered['id']} success after {latency:.2f} s, destination answered {delivered['response_status']}")
report.append(("one event to `/server/incoming_data`, log `success`", f"{latency:.2f} s"))
if args.receiver:
    wait_for(f"the receiver to get {first}", lambda: first in (received() or {}))
    report.append(("the receiver got it (`webhook-id`)", "yes"))

# ------------------------------------------------------------------ 4. events flowing during COMMAND
if args.during:
    log(f"running, with {args.rate:g} events/s flowing: {args.during}")
    command = subprocess.Popen(["bash", "-c", args.during])
    atexit.register(lambda: command.poll() is None and command.terminate())  # when a check fails midway
    sent, attempts, n = [], {}, 0
    interval = 1.0 / args.rate
    next_send = time.monotonic()
    while command.poll() is None:
        n += 1
        event_id = f"smoke-{run_id}-{n}"
        send_event(app_token, event_id, {"smoke": run_id, "n": n}, attempts)
        sent.append(event_id)
        next_send = max(next_send + interval, time.monotonic())
        time.sleep(max(0.0, next_send - time.monotonic()))
    if command.returncode != 0:
        fail(f"the command exited {command.returncode}: {args.during}")
    refused = ", ".join(f"{count} x {what}" for what, count in sorted(attempts.items())) or "none"
    log(f"command done; {len(sent)} events accepted while it ran; answers sent again: {refused}")
    report.append((f"events accepted while `{args.during}` ran", str(len(sent))))
    report.append(("answers other than 202 (each event sent again until 202)", refused))

    def all_delivered():
        statuses = logs_by_event(account_id, token)
        missing = [e for e in sent if e not in statuses]
        failed = [e for e in sent if "failed" in statuses.get(e, [])]
        if failed:
            fail(f"{len(failed)} deliveries failed, e.g. {failed[:5]}")
        pending = [e for e in sent if e in statuses and "success" not in statuses[e]]
        if missing or pending:
            log(f"waiting: {len(missing)} events without a log, {len(pending)} logs not yet success")
            return None
        return statuses

    started = time.monotonic()
    wait_for("a success log for every accepted event", all_delivered, interval=2)
    log(f"every one of the {len(sent)} accepted events has a success log ({time.monotonic() - started:.1f} s after the command)")
    report.append(("accepted events with a `success` log", f"{len(sent)} of {len(sent)}"))
    if args.receiver:
        def all_received():
            got = received() or {}
            missing = [e for e in sent if e not in got]
            return (not missing) and got
        got = wait_for("the receiver to get every accepted event", all_received)
        twice = sum(1 for e in sent if got.get(e, 0) > 1)
        log(f"the receiver got every accepted event; {twice} of them more than once")
        report.append(("accepted events that reached the receiver", f"{len(sent)} of {len(sent)}"))
        report.append(("events the receiver got more than once", str(twice)))

write_summary(True)
log("passed")
