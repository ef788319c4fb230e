#!/usr/bin/env python3
"""The load, the destinations and the arithmetic of bench/reliability.sh (standard library only).

    reliability.py receiver --base-port P        destinations on P..P+4 (ok, hang, 500, 429, reset)
    reliability.py load --targets URL,URL --tokens F --rate N --seconds S --prefix X --out F
    reliability.py ratelimit --targets URL,URL --token T --clients 50 --seconds 10
    reliability.py check --sent F --dests F --receiver URL [--window name=t0:t1 ...] [--wait S]
    reliability.py loglevels --log F --start T0 --end T1

receiver: every destination URL is http://127.0.0.1:<port>/d/<destination id>. Port P answers 200
and records each arrival as (destination id, webhook-id, arrival time), so that lost and
duplicated deliveries are counted exactly; P+1 reads the request and answers nothing for 30 s
(HANG_SECONDS); P+2 answers 500; P+3 answers 429 with Retry-After: 10; P+4 resets the connection
(RST) after reading the request. GET /_arrivals?prefix=X on port P lists the arrivals of events
whose id starts with X; GET /_stats counts requests per behaviour and the most requests held open
at once by the hanging destination (the delivery slots it takes).

load: one POST /server/incoming_data every 1/rate s, the tokens taken in turn, event ids
<prefix>-<n>, the targets in turn. A request that gets no answer (connection refused or reset, no
answer in 10 s), or 503 with --retry-503, is sent again with the same event id to the next
target, as a client behind a load balancer would, for at most 30 s (--retry-for); the same id again is a duplicate for the service, which
answers 202 without delivering twice. Writes one JSON line per event: first send time, final
status, tries.

check: joins what was sent (202 only) with what arrived, for every destination of the event's
account: lost pairs, duplicate arrivals, receive-to-delivered latency (first arrival minus the
first send) per window of send times. Waits (at most --wait s) until nothing is missing.

loglevels: counts a replica's log lines (Quarkus JSON) per level between two epoch times and
lists the distinct WARN/ERROR/INFO messages.
"""
import argparse
import datetime
import http.client
import json
import queue
import socket
import struct
import sys
import threading
import time
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

HANG_SECONDS = 30
BEHAVIOURS = ["ok", "hang", "500", "429", "reset"]


# ---------------------------------------------------------------- receiver
def receiver(args):
    lock = threading.Lock()
    arrivals = []  # (destination id, webhook-id, time) on the ok port
    counts = {b: 0 for b in BEHAVIOURS}
    hanging = [0, 0]  # now, max

    def handler(behaviour):
        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, fmt, *a):
                pass

            def answer(self, status, body=b"{}", headers=()):
                self.send_response(status)
                for k, v in headers:
                    self.send_header(k, v)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self):
                url = urllib.parse.urlparse(self.path)
                if behaviour == "ok" and url.path == "/_arrivals":
                    prefix = urllib.parse.parse_qs(url.query).get("prefix", [""])[0]
                    with lock:
                        rows = [a for a in arrivals if a[1].startswith(prefix)]
                    self.answer(200, json.dumps({"arrivals": rows}).encode())
                elif behaviour == "ok" and url.path == "/_stats":
                    with lock:
                        stats = {"requests": dict(counts), "hanging_now": hanging[0], "hanging_max": hanging[1]}
                    self.answer(200, json.dumps(stats).encode())
                elif behaviour == "ok" and url.path == "/_reset_stats":
                    with lock:
                        for b in BEHAVIOURS:
                            counts[b] = 0
                        hanging[1] = hanging[0]
                    self.answer(200)
                else:
                    self.deliver()

            def deliver(self):
                now = time.time()
                length = int(self.headers.get("Content-Length") or 0)
                if length:
                    self.rfile.read(length)
                dest = self.path.rsplit("/", 1)[-1]
                with lock:
                    counts[behaviour] += 1
                    if behaviour == "ok":
                        arrivals.append((dest, self.headers.get("webhook-id") or "", now))
                if behaviour == "ok":
                    self.answer(200)
                elif behaviour == "hang":
                    with lock:
                        hanging[0] += 1
                        hanging[1] = max(hanging[1], hanging[0])
                    try:
                        time.sleep(HANG_SECONDS)
                    finally:
                        with lock:
                            hanging[0] -= 1
                    self.close_connection = True
                elif behaviour == "500":
                    self.answer(500, b'{"error":"bench"}')
                elif behaviour == "429":
                    self.answer(429, b'{"error":"slow down"}', [("Retry-After", "10")])
                else:  # reset: RST instead of an answer
                    self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                    self.close_connection = True
                    self.connection.close()

            do_POST = do_PUT = deliver

        return Handler

    class Server(ThreadingHTTPServer):
        daemon_threads = True
        request_queue_size = 512

        def handle_error(self, request, client_address):
            pass  # resets and timed-out hangs end in broken pipes, on purpose

    servers = []
    for i, behaviour in enumerate(BEHAVIOURS):
        server = Server(("127.0.0.1", args.base_port + i), handler(behaviour))
        servers.append(server)
        threading.Thread(target=server.serve_forever, daemon=True).start()
    print(f"receiver on 127.0.0.1:{args.base_port}..{args.base_port + len(BEHAVIOURS) - 1} "
          f"({', '.join(BEHAVIOURS)})", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass


# ---------------------------------------------------------------- load
class Sender:
    """Keep-alive connections of one thread, one per target."""

    def __init__(self, targets, timeout):
        self.targets = [urllib.parse.urlparse(t) for t in targets]
        self.timeout = timeout
        self.conns = {}

    def post(self, target, token, event_id, body):
        """The status, or None when there was no answer."""
        url = self.targets[target]
        conn = self.conns.get(target)
        if conn is None:
            conn = http.client.HTTPConnection(url.hostname, url.port, timeout=self.timeout)
            self.conns[target] = conn
        try:
            conn.request("POST", "/server/incoming_data", body=body, headers={
                "CL-X-TOKEN": token, "CL-X-EVENT-ID": event_id, "Content-Type": "application/json"})
            response = conn.getresponse()
            response.read()
            if response.getheader("Connection", "").lower() == "close":
                conn.close()
                self.conns.pop(target, None)
            return response.status
        except (OSError, http.client.HTTPException):
            conn.close()
            self.conns.pop(target, None)
            return None


def load(args):
    targets = args.targets.split(",")
    with open(args.tokens) as f:
        tokens = [line.strip() for line in f if line.strip()]
    total = int(args.rate * args.seconds)
    work = queue.Queue()
    out = open(args.out, "w")
    out_lock = threading.Lock()
    t0 = time.time()

    def worker():
        sender = Sender(targets, args.timeout)
        while True:
            item = work.get()
            if item is None:
                return
            n, scheduled = item
            token = tokens[n % len(tokens)]
            event_id = f"{args.prefix}-{n}"
            body = json.dumps({"n": n, "pad": "x" * 120}).encode()
            first_send = time.time()
            target = n % len(targets)
            statuses = []
            status = None
            while True:
                status = sender.post(target, token, event_id, body)
                statuses.append(status)
                retryable = status is None or (status == 503 and args.retry_503)
                if not retryable or time.time() - first_send > args.retry_for:
                    break
                target = (target + 1) % len(targets)
                time.sleep(0.2)
            answered = time.time()
            record = {"id": event_id, "token": n % len(tokens), "t_sched": scheduled, "t_send": first_send,
                      "t_answer": answered, "status": status, "tries": len(statuses),
                      "statuses": statuses if len(statuses) > 1 else None}
            with out_lock:
                out.write(json.dumps(record) + "\n")

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(args.threads)]
    for t in threads:
        t.start()
    for n in range(total):
        scheduled = t0 + n / args.rate
        delay = scheduled - time.time()
        if delay > 0:
            time.sleep(delay)
        work.put((n, scheduled))
    for _ in threads:
        work.put(None)
    for t in threads:
        t.join()
    out.close()


# ---------------------------------------------------------------- rate limit
def ratelimit(args):
    targets = args.targets.split(",")
    lock = threading.Lock()
    statuses = {}
    times = []
    start = threading.Event()
    deadline = [0.0]

    def client(c):
        sender = Sender(targets, 10)
        n = 0
        start.wait()
        while time.time() < deadline[0]:
            sent = time.time()
            status = sender.post((c + n) % len(targets), args.token, f"{args.prefix}-{c}-{n}", b'{"rate":true}')
            answered = time.time()
            with lock:
                statuses[str(status)] = statuses.get(str(status), 0) + 1
                times.append((sent, answered, status))
            n += 1

    threads = [threading.Thread(target=client, args=(c,), daemon=True) for c in range(args.clients)]
    for t in threads:
        t.start()
    t0 = time.time()
    deadline[0] = t0 + args.seconds
    start.set()
    for t in threads:
        t.join()
    accepted = [t for t in times if t[2] == 202]
    first_send = min(t[0] for t in times)
    last_answer = max(t[1] for t in times)
    print(json.dumps({"clients": args.clients, "seconds": args.seconds, "requests": len(times), "statuses": statuses,
                      "accepted": len(accepted), "window_s": round(last_answer - first_send, 3),
                      "last_accepted_s": round(max((t[1] for t in accepted), default=t0) - first_send, 3)}))


# ---------------------------------------------------------------- check
def percentile(values, q):
    if not values:
        return None
    values = sorted(values)
    k = (len(values) - 1) * q
    lo = int(k)
    hi = min(lo + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


def check(args):
    sent = []
    for path in args.sent:
        with open(path) as f:
            sent.extend(json.loads(line) for line in f if line.strip())
    dests = {}  # token index -> destination ids
    with open(args.dests) as f:
        for i, line in enumerate(f):
            if line.strip():
                dests[i] = line.split()[1:]
    statuses = {}
    for s in sent:
        statuses[str(s["status"])] = statuses.get(str(s["status"]), 0) + 1
    accepted = [s for s in sent if s["status"] == 202]
    expected = {(d, s["id"]): s for s in accepted for d in dests[s["token"]]}
    prefix = args.prefix
    deadline = time.time() + args.wait
    while True:
        with urllib.request.urlopen(f"{args.receiver}/_arrivals?prefix={urllib.parse.quote(prefix)}", timeout=30) as r:
            arrivals = json.load(r)["arrivals"]
        first = {}
        count = {}
        for dest, wid, t in arrivals:
            key = (dest, wid)
            count[key] = count.get(key, 0) + 1
            first[key] = min(first.get(key, t), t)
        missing = [k for k in expected if k not in first]
        if not missing or time.time() >= deadline:
            break
        time.sleep(2)
    drained_at = max(first.values()) if first else None
    last_send = max((s["t_send"] for s in sent), default=None)
    unexpected = [k for k in first if k not in expected]
    duplicates = sum(c - 1 for k, c in count.items() if k in expected and c > 1)
    windows = {}
    for spec in args.window or []:
        name, span = spec.split("=", 1)
        a, b = (float(x) for x in span.split(":"))
        lat = [first[k] - s["t_send"] for k, s in expected.items() if k in first and a <= s["t_send"] < b]
        answers = {}
        for s in sent:
            if a <= s["t_send"] < b:
                answers[str(s["status"])] = answers.get(str(s["status"]), 0) + 1
        answered = {}  # by the time of the answer, not of the send
        for s in sent:
            if a <= s["t_answer"] < b:
                answered[str(s["status"])] = answered.get(str(s["status"]), 0) + 1
        windows[name] = {"from": a, "to": b, "answers": answers, "answered_in_window": answered, "pairs": len(lat),
                         "p50_s": rnd(percentile(lat, 0.5)), "p99_s": rnd(percentile(lat, 0.99)),
                         "max_s": rnd(max(lat) if lat else None)}
    all_lat = [first[k] - s["t_send"] for k, s in expected.items() if k in first]
    if args.fifo:
        # Each destination's first arrivals must follow the order of acceptance: by n, since one
        # account's events are sent ACCOUNTS / rate seconds apart and each is answered well before.
        n_of = {s["id"]: int(s["id"].rsplit("-", 1)[1]) for s in accepted}
        latest, seen, early = {}, set(), []
        for dest, wid, _ in arrivals:
            if (dest, wid) in seen or wid not in n_of:
                continue
            seen.add((dest, wid))
            if n_of[wid] < latest.get(dest, (-1, ""))[0]:
                early.append([dest, wid, latest[dest][1]])
            if n_of[wid] > latest.get(dest, (-1, ""))[0]:
                latest[dest] = (n_of[wid], wid)
    result = {
        "events_sent": len(sent), "answers": statuses, "accepted": len(accepted),
        "accepted_as_duplicate_retry": sum(1 for s in accepted if s["tries"] > 1),
        "retried_requests": sum(1 for s in sent if s["tries"] > 1),
        "expected_deliveries": len(expected), "delivered": len(expected) - len(missing), "lost": len(missing),
        "duplicates": duplicates, "unexpected": len(unexpected),
        "latency_all": {"p50_s": rnd(percentile(all_lat, 0.5)), "p99_s": rnd(percentile(all_lat, 0.99)),
                        "max_s": rnd(max(all_lat) if all_lat else None)},
        "last_delivery_after_last_send_s": rnd(drained_at - last_send) if drained_at and last_send else None,
        "windows": windows,
        "missing_sample": [list(k) for k in missing[:5]],
    }
    if args.fifo:
        result["fifo_out_of_order"] = len(early)
        result["fifo_out_of_order_sample"] = early[:5]  # destination, event, the later event that arrived first
    print(json.dumps(result))


def rnd(v):
    return None if v is None else round(v, 3)


# ---------------------------------------------------------------- log levels
def loglevels(args):
    levels = {}
    messages = {}
    with open(args.log, errors="replace") as f:
        for line in f:
            try:
                entry = json.loads(line)
                ts = datetime.datetime.fromisoformat(entry["timestamp"]).timestamp()
            except (ValueError, KeyError, TypeError):
                continue
            if not args.start <= ts < args.end:
                continue
            level = entry.get("level", "?")
            levels[level] = levels.get(level, 0) + 1
            if level in ("WARN", "ERROR", "INFO"):
                key = f"{level} {entry.get('loggerName', '')}: {str(entry.get('message', ''))[:160]}"
                messages[key] = messages.get(key, 0) + 1
    print(json.dumps({"levels": levels, "messages": sorted(messages.items(), key=lambda kv: -kv[1])[:args.top]}))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("receiver")
    p.add_argument("--base-port", type=int, required=True)
    p.set_defaults(fn=receiver)
    p = sub.add_parser("load")
    p.add_argument("--targets", required=True)
    p.add_argument("--tokens", required=True)
    p.add_argument("--rate", type=float, required=True)
    p.add_argument("--seconds", type=float, required=True)
    p.add_argument("--prefix", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--threads", type=int, default=64)
    p.add_argument("--timeout", type=float, default=10)
    p.add_argument("--retry-for", type=float, default=30)
    p.add_argument("--retry-503", action="store_true", help="send a 503 again to the next target too")
    p.set_defaults(fn=load)
    p = sub.add_parser("ratelimit")
    p.add_argument("--targets", required=True)
    p.add_argument("--token", required=True)
    p.add_argument("--clients", type=int, default=50)
    p.add_argument("--seconds", type=float, default=10)
    p.add_argument("--prefix", default=f"rate-{int(time.time())}")
    p.set_defaults(fn=ratelimit)
    p = sub.add_parser("check")
    p.add_argument("--sent", action="append", required=True)
    p.add_argument("--dests", required=True, help="one line per token of the load: token, then its destination ids")
    p.add_argument("--receiver", required=True)
    p.add_argument("--prefix", required=True)
    p.add_argument("--window", action="append")
    p.add_argument("--wait", type=float, default=0)
    p.add_argument("--fifo", action="store_true", help="also count first arrivals out of acceptance order")
    p.set_defaults(fn=check)
    p = sub.add_parser("loglevels")
    p.add_argument("--log", required=True)
    p.add_argument("--start", type=float, required=True)
    p.add_argument("--end", type=float, required=True)
    p.add_argument("--top", type=int, default=12)
    p.set_defaults(fn=loglevels)
    args = ap.parse_args()
    args.fn(args)


if __name__ == "__main__":
    sys.exit(main())
