#!/usr/bin/env python3
"""A webhook destination for scripts/smoke.py: answers 200 to any request and remembers it.

    scripts/webhook-receiver.py [PORT] [BIND]      # defaults: 8099 127.0.0.1

Every request (any method, any path except /_received) is answered 200 with an empty JSON
object and counted by its `webhook-id` header, which Data Pusher sets to the event's
CL-X-EVENT-ID. GET /_received answers {"requests": N, "webhook_ids": {"<id>": count, ...}},
so that a smoke run can check that each accepted event reached the destination.
Standard library only: it also runs unchanged in a python:3 container (the kind job of
.github/workflows/ci.yml mounts it from a ConfigMap).
"""
import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

port = int(sys.argv[1]) if len(sys.argv) > 1 else 8099
bind = sys.argv[2] if len(sys.argv) > 2 else "127.0.0.1"
lock = threading.Lock()
requests = 0
webhook_ids = {}


class Receiver(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as Data Pusher's pooled client expects

    def _answer(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _record(self):
        global requests
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        with lock:
            requests += 1
            wid = self.headers.get("webhook-id")
            if wid is not None:
                webhook_ids[wid] = webhook_ids.get(wid, 0) + 1
        self._answer(200, {})

    def do_GET(self):
        if self.path == "/_received":
            with lock:
                self._answer(200, {"requests": requests, "webhook_ids": dict(webhook_ids)})
        else:
            self._record()

    do_POST = do_PUT = do_PATCH = do_DELETE = _record

    def log_message(self, fmt, *args):
        pass  # one line per delivery would drown the job log


print(f"webhook receiver on http://{bind}:{port}/ (GET /_received for what came in)", flush=True)
ThreadingHTTPServer((bind, port), Receiver).serve_forever()
