"""Start-up probe for bench/startup.sh.

Started before the app, so that its own start-up does not compete with the JVM's. Prints
"armed", then waits for the launcher's start time (epoch ns) on stdin, polls
/q/health/ready every 5 ms over one small socket each (no process per poll: a curl per poll
took a measurable share of the 2 cores), and prints the ms from launch to the first 200.
Then, as a first user would, signs up, logs in and sends REQUESTS authenticated GET /accounts
one after another on one connection, and prints how long they took in all and the median of
the last 100 (ms): the cost of a JIT that has not caught up yet.
"""
import http.client
import json
import socket
import statistics
import sys
import time
import uuid

port = int(sys.argv[1])
requests = int(sys.argv[2]) if len(sys.argv) > 2 else 500
deadline = time.time() + 120
probe = b"GET /q/health/ready HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"

print("armed", flush=True)
launched = int(sys.stdin.readline())
while True:
    if time.time() > deadline:
        print("timeout", flush=True)
        sys.exit(1)
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=2) as s:
            s.sendall(probe)
            if s.recv(64).startswith(b"HTTP/1.1 200"):
                break
    except OSError:
        pass
    time.sleep(0.005)
print((time.time_ns() - launched) // 1_000_000, flush=True)
# The launcher reads RSS and CPU at this point; it answers when the first requests may start.
sys.stdin.readline()

api = http.client.HTTPConnection("127.0.0.1", port, timeout=30)


def call(method, path, body=None, token=None):
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = "Bearer " + token
    api.request(method, path, body=json.dumps(body) if body is not None else None, headers=headers)
    response = api.getresponse()
    data = response.read()
    if response.status >= 300:
        raise SystemExit(f"{method} {path}: {response.status} {data[:200]!r}")
    return json.loads(data) if data else None


credentials = {"email": f"bench-{uuid.uuid4()}@example.com", "password": "correct horse battery"}
call("POST", "/auth/signup", credentials)
token = call("POST", "/auth/login", credentials)["access_token"]
call("POST", "/accounts", {"name": "Bench"}, token)
started = time.perf_counter()
latencies = []
for _ in range(requests):
    t = time.perf_counter()
    call("GET", "/accounts?size=10", token=token)
    latencies.append((time.perf_counter() - t) * 1000)
total = (time.perf_counter() - started) * 1000
print(f"{total:.0f} {statistics.median(latencies[-100:]):.2f}", flush=True)
