#!/usr/bin/env python3
"""Report of bench/throughput.sh (stdlib only): reads the run's directory, prints a Markdown table
and writes STEM.md, STEM.json and STEM.png (gnuplot: receive-to-delivered latency against load).

  python3 bench/throughput_report.py --dir /tmp/dp-throughput.XXXX --stem bench/results/throughput-DATE
"""
import argparse
import datetime
import json
import os
import re
import subprocess

TARGETS = {
    "accepted_per_s": 5000,
    "accepted_p99_ms": 50,
    "delivered_per_s_saturation": 2000,
    "receive_to_delivered_p99_ms_at_1000": 50,
    "deliveries_per_s_three_destinations": 2000,
    "rss_mb": 300,
}


def load_json(path):
    try:
        with open(path) as f:
            text = f.read().strip()
        return json.loads(text) if text else None
    except (OSError, ValueError):
        return None


def read_text(path):
    try:
        with open(path) as f:
            return f.read()
    except OSError:
        return ""


def num(value, digits=0):
    if value is None:
        return "n/a"
    if digits == 0:
        return f"{value:,.0f}"
    return f"{value:,.{digits}f}"


def ratio(a, b):
    if a is None or not b:
        return None
    return a / b


def fmt_ratio(value, what):
    return "" if value is None else f"{value:.3f} × {what}"


def ms_text(r2d, pending=None):
    if not r2d or not r2d.get("n"):
        return "n/a (no delivered event)"
    text = f"{num(r2d['p50'], 1)} / {num(r2d['p95'], 1)} / {num(r2d['p99'], 1)} ms (n = {num(r2d['n'])}"
    if pending:
        text += f"; **{num(pending)} more still pending, not counted: the true figures are higher**"
    return text + ")"


def met(value, limit, below=False):
    if value is None:
        return "n/a"
    ok = value < limit if below else value >= limit
    return "**yes**" if ok else "**no**"


def ceilings(d):
    out = {}
    nginx = read_text(os.path.join(d, "ceil-nginx.txt"))
    m = re.search(r"Requests/sec:\s+([\d.]+)", nginx)
    if m:
        out["nginx_req_per_s"] = float(m.group(1))
    pg = read_text(os.path.join(d, "ceil-pgbench.txt"))
    m = re.search(r"^tps = ([\d.]+)", pg, re.M)
    if m:
        out["pgbench_tps"] = float(m.group(1))
    m = re.search(r"^latency average = ([\d.]+) ms", pg, re.M)
    if m:
        out["pgbench_latency_avg_ms"] = float(m.group(1))
    amqp = load_json(os.path.join(d, "ceil-amqp.json"))
    if amqp:
        out["amqp"] = amqp
        out["amqp_sent_per_s"] = amqp.get("sent_per_s")
        out["amqp_received_per_s"] = amqp.get("received_per_s")
    return out


def phase(d, name):
    pd = os.path.join(d, "phase-" + name)
    run = load_json(os.path.join(pd, "run.json"))
    if not run:
        return None
    wrk = load_json(os.path.join(pd, "wrk.json")) or {}
    db = load_json(os.path.join(pd, "db.json")) or {}
    sample = load_json(os.path.join(pd, "sample.json")) or {}
    seconds = (wrk.get("duration_us") or 0) / 1e6
    statuses = {str(k): v for k, v in (wrk.get("statuses") or {}).items()}
    accepted = statuses.get("202", 0)
    others = {k: v for k, v in statuses.items() if k != "202"}
    errors = {k: v for k, v in (wrk.get("errors") or {}).items() if v and k != "status"}
    lat = wrk.get("latency_us") or {}
    window = db.get("window_s") or 0
    drain_s = db.get("drain_s")
    p = {
        "run": run,
        "wrk_seconds": round(seconds, 2),
        "answers": statuses,
        "accepted": accepted,
        "accepted_per_s": accepted / seconds if seconds else None,
        "answers_per_s": (wrk.get("requests") or 0) / seconds if seconds else None,
        "non_202": others,
        "socket_errors": errors,
        "latency_ms_all_answers": {k: round(v / 1000.0, 2) for k, v in lat.items()},
        "window_s": window,
        "events_in_window": db.get("events_in_window"),
        "delivered_in_window": db.get("delivered_in_window"),
        "failed_in_window": db.get("failed_in_window"),
        "delivered_per_s": (db.get("delivered_in_window") or 0) / window if window else None,
        "delivered_after_window": db.get("delivered_after_window"),
        "drain_s": drain_s,
        "drain_per_s": (db.get("delivered_after_window") or 0) / drain_s if drain_s else None,
        "logs_of_window_events": db.get("logs_of_window_events"),
        "receive_to_delivered_ms": db.get("receive_to_delivered_ms"),
        "backlog_at_end": run.get("backlog_at_end"),
        "left_after_drain": run.get("left_after_drain"),
        "drain_wait_s": run.get("drain_wait_s"),
        "resources": sample,
    }
    return p


def pending_of(p):
    logs = p.get("logs_of_window_events") or {}
    return logs.get("pending", 0)


def data_text(value):
    try:
        accounts, destinations = (int(x) for x in value.split())
        return f"{accounts:,} accounts, {destinations:,} destinations"
    except (AttributeError, ValueError):
        return "?"


def answers_text(p):
    parts = [f"{k}: {num(v)}" for k, v in sorted(p["non_202"].items())]
    parts += [f"socket {k}: {num(v)}" for k, v in sorted(p["socket_errors"].items())]
    return ", ".join(parts) if parts else "none"


def cpu_text(sample):
    cpu = (sample or {}).get("cpu_percent_of_all_cores")
    if not cpu:
        return "n/a"
    keys = ["replica", "postgres", "rabbitmq", "nginx", "wrk", "other"]
    return ", ".join(f"{k} {cpu.get(k, 0):.0f}" for k in keys) + f" (machine {cpu.get('machine', 0):.0f})"


def drain_text(p):
    if p["backlog_at_end"] == 0:
        return "nothing left at the end of the window"
    text = f"{num(p['backlog_at_end'])} left at the end; "
    if p["drain_s"]:
        text += f"{num(p['drain_per_s'])}/s over {num(p['drain_s'], 1)} s"
    else:
        text += "none delivered after the window"
    if p["left_after_drain"]:
        text += f", **{num(p['left_after_drain'])} still pending after {p['drain_wait_s']} s**"
    return text


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dir", required=True)
    ap.add_argument("--stem", required=True)
    args = ap.parse_args()
    d = args.dir

    meta = {}
    for line in read_text(os.path.join(d, "meta.tsv")).splitlines():
        if "\t" in line:
            k, v = line.split("\t", 1)
            meta[k] = v
    ceil = ceilings(d)
    names = ["sat"] + sorted((n[len("phase-"):] for n in os.listdir(d) if n.startswith("phase-fixed-")),
                             key=lambda n: int(n.split("-")[1])) + ["big", "three", "fifo", "purge-before", "purge-during"]
    phases = {n: p for n in names if (p := phase(d, n))}

    nginx = ceil.get("nginx_req_per_s")
    pg = ceil.get("pgbench_tps")
    amqp = ceil.get("amqp_sent_per_s")
    rss_values = [p["resources"].get("rss_max_mb") for p in phases.values() if p["resources"].get("rss_max_mb")]
    rss_max = max(rss_values) if rss_values else None

    date = datetime.date.today().isoformat()
    lines = []
    w = lines.append
    w(f"# Throughput, {date} ({meta.get('mode', '?')} run)")
    w("")
    w(f"One replica (`{meta.get('app_dir', '?')}/quarkus-run.jar`, built {meta.get('jar_built', '?')}; the "
      f"repository the script ran from was at {meta.get('commit', '?')}), {meta.get('java', '?')}, pod flags; PostgreSQL {meta.get('postgres', '?')} "
      f"(synchronous_commit {meta.get('synchronous_commit', '?')}), RabbitMQ AMQP 1.0, nginx sink and wrk, all on "
      f"this {meta.get('cores', '?')}-core machine. Data: {data_text(meta.get('data'))}. "
      f"Load average before {meta.get('load_before', '?')}, after {meta.get('load_after', '?')}. "
      f"Replica RSS when ready {meta.get('rss_ready_mb', '?')} MB, at the end {meta.get('rss_end_mb', '?')} MB. "
      f"Run took {meta.get('total_seconds', '?')} s.")
    if meta.get("restarted_for_tokens"):
        w("")
        w(f"Note: tokens made by SQL were refused at first ({meta['restarted_for_tokens']}); the replica was restarted.")
    if meta.get("app_errors"):
        w("")
        w(f"Note: the replica logged {meta['app_errors']} ERROR lines during the run.")
    for key, what in (("datapusher_delivery_handoff_seconds", "broker hand-off (publish to consume)"),
                      ("datapusher_delivery_outcome_wait_seconds", "outcome wait (attempt end to outcome written)")):
        if meta.get(key):
            w("")
            w(f"Stage timer, whole run: {what}: {meta[key]}.")
    if int(float(meta.get("published_events") or 0)) > 0:
        w("")
        stored = int(meta.get("events_stored") or 0)
        named = int(meta["published_events"])
        w(f"Broker hand-off, whole run: {stored:,} events stored (every account has destinations), "
          f"{named:,} event ids named in {int(meta['published_messages']):,} broker messages (one per ingest "
          f"batch; the replica's counters), {int(meta.get('unsent_messages') or 0):,} messages the broker did not "
          f"take. " + ("Each stored event was named once: nothing was published again because it waited."
                       if named == stored else f"Named minus stored: {named - stored:,}."))
    w("")
    if ceil:
        w("## Ceilings (same run)")
        w("")
        w("| ceiling | how | figure |")
        w("|---|---|---|")
        if nginx:
            w(f"| nginx sink | wrk -t2 -c64, POST 200 B, `return 200` | {num(nginx)} req/s |")
        if pg:
            w(f"| PostgreSQL | pgbench 16 clients, a transaction = one INSERT (uuid + 200 B bytea) | "
              f"{num(pg)} tps (mean latency {ceil.get('pgbench_latency_avg_ms', 'n/a')} ms) |")
        if ceil.get("amqp"):
            a = ceil["amqp"]
            w(f"| RabbitMQ | {num(a.get('messages'))} durable 100 B messages over AMQP 1.0, one link each way, "
              f"≤ {num(a.get('window'))} unsettled | sent {num(a.get('sent_per_s'))}/s (acknowledged by the broker), "
              f"received {num(a.get('received_per_s'))}/s{'' if a.get('complete') else ' (incomplete)'}; "
              f"left in the queue after: {meta.get('amqp_left_in_queue', '?')} |")
        w("")
    w("## Results")
    w("")
    w("| phase | figure | value | against the ceiling | target | met |")
    w("|---|---|---|---|---|---|")

    def sat_rows(p, label, three=False, big=False):
        acc = p["accepted_per_s"]
        lat = p["latency_ms_all_answers"]
        vs = "; ".join(x for x in [fmt_ratio(ratio(acc, pg), "pgbench tps"), fmt_ratio(ratio(acc, nginx), "nginx"),
                                   fmt_ratio(ratio(acc, amqp), "AMQP sent/s")] if x)
        main_sat = not three and not big
        w(f"| {label} | accepted (202) | **{num(acc)}/s** ({num(p['accepted'])} in {p['wrk_seconds']} s) | {vs} | "
          f"{'≥ 5,000/s' if main_sat else ''} | {met(acc, TARGETS['accepted_per_s']) if main_sat else ''} |")
        lat_note = "" if not p["non_202"] and not p["socket_errors"] else " (all answers)"
        w(f"| | answer latency p50 / p99{lat_note} | {lat.get('p50', 'n/a')} / {lat.get('p99', 'n/a')} ms | | "
          f"{'p99 < 50 ms' if main_sat else ''} | "
          f"{met(lat.get('p99'), TARGETS['accepted_p99_ms'], below=True) if main_sat else ''} |")
        w(f"| | other answers | {answers_text(p)} | | | |")
        dps = p["delivered_per_s"]
        target = "≥ 2,000/s" if (main_sat or three) else ""
        w(f"| | deliveries during the window{' (logs, 3 per event)' if three else ''} | **{num(dps)}/s** "
          f"({num(p['delivered_in_window'])} in {num(p['window_s'], 1)} s) | {fmt_ratio(ratio(dps, nginx), 'nginx')} | "
          f"{target} | {met(dps, 2000) if target else ''} |")
        w(f"| | after the window (drain) | {drain_text(p)} | | | |")
        w(f"| | receive-to-delivered p50 / p95 / p99 | {ms_text(p['receive_to_delivered_ms'], pending_of(p))} | | | |")
        res = p["resources"]
        w(f"| | replica RSS max / mean | {res.get('rss_max_mb', 'n/a')} / {res.get('rss_mean_mb', 'n/a')} MB | | "
          f"< 300 MB | {met(res.get('rss_max_mb'), TARGETS['rss_mb'], below=True)} |")
        w(f"| | CPU, % of all cores | {cpu_text(res)} | | | |")

    if "sat" in phases:
        sat_rows(phases["sat"], f"saturation, 200 B, 1 destination (-c64, {phases['sat']['run']['seconds']} s)")
    for n, p in phases.items():
        if not n.startswith("fixed-"):
            continue
        rate = p["run"]["rate"]
        r2d = p["receive_to_delivered_ms"] or {}
        at1000 = rate == 1000
        kept = p["accepted_per_s"] is not None and p["accepted_per_s"] >= 0.95 * rate
        w(f"| offered {num(rate)} ev/s, 200 B (-c32, {p['run']['seconds']} s) | accepted (202) | "
          f"**{num(p['accepted_per_s'])}/s** ({'offered load taken' if kept else 'below the offered load'}) | "
          f"{fmt_ratio(ratio(p['accepted_per_s'], pg), 'pgbench tps')} | | |")
        w(f"| | other answers; answer latency p50 / p99 | {answers_text(p)}; "
          f"{p['latency_ms_all_answers'].get('p50', 'n/a')} / {p['latency_ms_all_answers'].get('p99', 'n/a')} ms | | | |")
        w(f"| | backlog at the end (deliveries not finished) | {num(p['backlog_at_end'])} | | | |")
        w(f"| | receive-to-delivered p50 / p95 / p99 | **{ms_text(r2d, pending_of(p))}** | | {'p99 < 50 ms' if at1000 else ''} | "
          f"{(met(r2d.get('p99'), TARGETS['receive_to_delivered_p99_ms_at_1000'], below=True) if not pending_of(p) else '**no**') if at1000 else ''} |")
        w(f"| | deliveries during the window; CPU % | {num(p['delivered_per_s'])}/s; {cpu_text(p['resources'])} | | | |")
    if "big" in phases:
        sat_rows(phases["big"], f"saturation, 10 KB, 1 destination (-c64, {phases['big']['run']['seconds']} s)", big=True)
    if "three" in phases:
        sat_rows(phases["three"], f"saturation, 200 B, 3 destinations (-c64, {phases['three']['run']['seconds']} s)",
                 three=True)
    if "fifo" in phases:
        sat_rows(phases["fifo"], f"saturation, 200 B, 1 destination, ordering fifo (-c64, {phases['fifo']['run']['seconds']} s)",
                 big=True)
        w(f"| | deliveries that ended before an earlier one of their destination | {meta.get('fifo_out_of_order', '?')} | | 0 | |")
    for n, label in (("purge-before", "nothing to purge"), ("purge-during", "while 1M old events are purged")):
        if n not in phases:
            continue
        p = phases[n]
        lat = p["latency_ms_all_answers"]
        w(f"| retention: offered {num(p['run']['rate'])} ev/s, {label} ({p['run']['seconds']} s) | accepted (202); "
          f"answer latency p50 / p99 | **{num(p['accepted_per_s'])}/s**; {lat.get('p50', 'n/a')} / "
          f"**{lat.get('p99', 'n/a')}** ms | | | |")
        w(f"| | other answers; receive-to-delivered p50 / p95 / p99 | {answers_text(p)}; "
          f"{ms_text(p['receive_to_delivered_ms'], pending_of(p))} | | | |")
    if "purge-during" in phases:
        w(f"| retention | the purge, as the replica logged it | {meta.get('purge_log', 'not finished')} "
          f"(old events left: {meta.get('purge_old_left', '?')}) | | | |")
        w(f"| | tables before / after (live, dead tuples, size, autovacuum runs) | "
          f"{meta.get('purge_tables_before', '?')} / {meta.get('purge_tables_after', '?')} | | | |")
    w(f"| all phases | replica RSS max | {num(rss_max)} MB | | < 300 MB | {met(rss_max, TARGETS['rss_mb'], below=True)} |")
    w("")
    w("Accepted = 202 answers per second of wrk's run. Answer latency is wrk's (closed loop, so it "
      "omits waits of requests a saturated server kept from being sent). Deliveries = delivery logs "
      "with status success and processed_at in the window (PostgreSQL's clock). Receive-to-delivered = "
      "processed_at - received_at of the success logs of events received in the window, taken after "
      "they finished (or the drain bound passed; pending ones are left out and counted). CPU = utime + stime from /proc over the window, as % of all cores; other = the rest "
      "of the machine's busy time.")
    md = "\n".join(lines) + "\n"

    result = {"date": date, "meta": meta, "targets": TARGETS, "ceilings": ceil, "phases": phases,
              "rss_max_mb": rss_max}
    with open(args.stem + ".md", "w") as f:
        f.write(md)
    with open(args.stem + ".json", "w") as f:
        json.dump(result, f, indent=2, sort_keys=False)
        f.write("\n")
    print(md)
    plot(phases, args.stem + ".png", d, date, meta)


def plot(phases, png, d, date, meta):
    fixed_rows, sat_rows = [], []
    for n, p in phases.items():
        r2d = p["receive_to_delivered_ms"] or {}
        if not r2d.get("n") or not r2d.get("p50") or not r2d.get("p99"):
            continue
        if n.startswith("fixed-"):
            fixed_rows.append((p["run"]["rate"], r2d["p50"], r2d["p99"], p["accepted_per_s"] or 0))
        elif n == "sat":
            sat_rows.append((round(p["accepted_per_s"] or 0), r2d["p50"], r2d["p99"], p["accepted_per_s"] or 0))
    if not fixed_rows and not sat_rows:
        return
    fixed_dat = os.path.join(d, "plot-fixed.dat")
    sat_dat = os.path.join(d, "plot-saturation.dat")
    for path, rows in ((fixed_dat, sorted(fixed_rows)), (sat_dat, sat_rows)):
        with open(path, "w") as f:
            for r in rows:
                f.write(f"{r[0]} {max(r[1], 0.1)} {max(r[2], 0.1)} {r[3]:.0f}\n")
    curves = []
    if fixed_rows:
        src = f"'{fixed_dat}'"
        curves += [f"{src} using 1:2 with linespoints lw 2 pt 7 title 'p50, fixed load'",
                   f"{src} using 1:3 with linespoints lw 2 pt 5 title 'p99, fixed load'",
                   f"{src} using 1:3:(sprintf('accepted %d/s', $4)) with labels offset 0,1 font ',8' notitle"]
    if sat_rows:
        src = f"'{sat_dat}'"
        curves += [f"{src} using 1:2 with points pt 6 ps 2 title 'p50, saturation'",
                   f"{src} using 1:3 with points pt 4 ps 2 title 'p99, saturation'",
                   f"{src} using 1:3:(sprintf('saturation, %d/s accepted', $4)) with labels offset 0,-1.3 font ',8' notitle"]
    curves.append("50 with lines dt 2 lc rgb 'gray' title 'target: p99 < 50 ms at 1,000 ev/s'")
    script = f"""
set terminal pngcairo size 960,600 noenhanced
set output '{png}'
set title 'Data Pusher, one replica: receive-to-delivered latency against load ({date}, {meta.get("mode", "")} run)'
set xlabel 'offered load (events/s); the saturation point at its accepted rate'
set ylabel 'receive-to-delivered (ms, log scale)'
set logscale y
set grid xtics ytics mytics
set key inside bottom right box opaque
set xrange [0:*]
set offsets 0, 200, graph 0.08, 0
plot """ + ", \\\n     ".join(curves) + "\n"
    try:
        subprocess.run(["gnuplot"], input=script, text=True, check=True, timeout=60)
    except (OSError, subprocess.SubprocessError) as e:
        print(f"(no plot: {e})")


if __name__ == "__main__":
    main()
