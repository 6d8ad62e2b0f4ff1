"""A classroom without browsers: N sessions that speak Streamlit's own websocket protocol.

    python -m bench.bench_protocol [--sessions 1 10 30 60] [--case walk draw] [--think 1.0]
                                   [--machine-pace] [--chromium-check [N ...]] [--no-floor]
                                   [--json FILE] [--profile FILE]

Why: ``bench_load.py`` drives real Chromium pages, and on a 2-core machine 15-20 Chromium
renderers starve the server they measure, so it cannot reach a class of 30 or 60. This
client does what the browser does *on the wire* and nothing else: a session costs it a few
MB and a few ms of CPU per rerun, so 60 sessions fit beside the server.

It starts two servers on loopback, offline (ROI_VIZ_OFFLINE=1), with the repository's
``.streamlit/config.toml`` (XSRF protection on): the real page as the README starts it (``serve.py``;
``--script app.py``: the page alone, Streamlit sending its own page files) and the floor page
(``bench/floor_app.py``: a title, a "Next ▶" button and one PNG). Each is warmed first by one
student's whole walk, not counted (VGG16 loaded, the sample's features computed, each kind
of figure drawn once, as on a server before the class comes in). Then for each N, on each
page, N students at the same moment, in the case ``--case walk`` (the default):

1. open the page: until the first script run and the runs it triggers are over, and the step
   figure is there. The app's figures come in two forms, and a figure has arrived when the delta
   carrying it has (nothing more is fetched for either): a described figure is inline SVG, a
   ``bidi_component`` element of the component ``roi_viz.figure`` whose JSON data carries the markup
   (``"svg"``, and ``"narrow"`` for a phone); a figure not described yet is an
   ``<img class="roi-figure" src="data:...">`` inside an ``st.html`` element. The floor's is an
   ``st.image`` whose media URL is then fetched;
2. (once all N have opened) type a new x for the RoI in the editor's "x" field, until the
   list of RoIs shows it and a step figure has arrived since (floor: one click on "Next ▶",
   until its new image is fetched);
3. Next five times, as the stepper sends it (its state value ``step``, below), each time
   until the heading "### Step k+1:" and a figure sent after the value are there (floor: a
   click on its "Next ▶" button and a new image), and the session is idle.

``--case draw``: once all N have opened, each student draws one box of its own on the board
(the board's state value, below: its boxes plus the new one, the new one followed), the N
releases spread evenly over the same 3 s; the interaction runs from the value sent to the
arrival of the last step figure of the runs it caused (floor: one click). Server CPU per
interaction is then per drawn box.

Each round also says which form the step figure took at each step the students saw (``step
figures: 1 img, 2 img, 3 svg, ...``), so that times before and after a step moves to SVG can
be told apart.

Every student types (or draws at) its own x (no two sessions of a run, nor bench_load's students, share a
box), so nobody finds another's figures in the cache. Between actions a student thinks
``--think`` seconds (1 s). ``--machine-pace`` instead sends the five "Next ▶" clicks 30 ms
apart without waiting for their results: each click reaches the server while the rerun of
the previous one is still queued or running. After the last rerun, a step lower than 6
means clicks were lost (see "Lost clicks").

``--profile FILE`` runs the app's server under ``bench/profile_server.py`` (cProfile in every
thread, script runs included), on over the rounds only (not the warm-up), and prints its top
calls by cumulative and by own time.

Printed per page and N, then as a Markdown table for the README: p50 / p95 / max seconds per
interaction (2 and 3; opening apart), errors (timeouts, an exception element, a traceback or
the page's own error box in any delta, an HTTP error, a cache miss), lost clicks, the
server's RSS with the N sessions open and MB per extra session against N = 1, server CPU
seconds per open and per interaction (utime + stime of the server process from
/proc/PID/stat over that phase, less the server's idle rate, divided by the phase's opens or
interactions), and the same lumped as ``bench_load.py`` reports it (CPU of the whole round /
(opens + interactions), idle included). Also per student: the reruns it sent, the runs the
server started for it, its HTTP requests. The server logs are checked: the sample's
features computed once, no Python traceback.

``--chromium-check 1 5`` then runs bench_load's student (``bench.harness.chromium.student``: real
Chromium, unchanged) against the same warm server for those N, counting its websocket frames and HTTP requests, and
prints its server CPU beside this client's, lumped the same way, and at N = 1 per action.

What the client does on the wire, and why, is in ``bench.harness.wire``'s docstring.

Lost clicks
-----------
A rerun request that reaches the server while the session's script runs waits (fragment
runs do not preempt one another, ``_fragment_run_should_not_preempt_script``);
``ScriptRequests._request_rerun_locked`` folds every further request into the waiting one,
and ``_coalesce_widget_states`` keeps one state per widget id: a button's trigger is a
boolean, so all the "Next ▶" clicks that arrive while one is waiting become one click, one
step. Seen with the server's ``ScriptRequests`` instrumented, at machine pace: click 1
starts a run, click 2 waits, clicks 3, 4, 5 are folded into click 2: two runs, step 3, three
clicks lost. ``--machine-pace`` counts them (the step after all reruns vs. the clicks sent)
and the runs each session saw. At a person's pace (a click after the page shows the last
one) nothing is waiting when a click arrives, and no click is lost.
"""
from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import statistics
import tempfile
import time
from pathlib import Path

from bench.harness.paths import FLOOR_APP, ROOT
from bench.harness.procs import pct
from bench.harness.wire.chromium_round import chromium_round
from bench.harness.wire.config import DRAW_WINDOW_S, FIRST_STEP, LAST_STEP, MACHINE_GAP_S, NEXT_CLICKS, X_VALUES
from bench.harness.wire.http import StaticAssets
from bench.harness.wire.report import check_log, fmt, print_profile, table
from bench.harness.wire.rounds import Round, run_round
from bench.harness.wire.servers import Replicas, Server
from bench.harness.wire.session import Session
from bench.harness.wire.students import AppStudent, FloorStudent


async def main_async(args) -> None:
    assets = StaticAssets.load()
    log_dir = Path(tempfile.mkdtemp(prefix="bench_protocol_"))
    gap = MACHINE_GAP_S if args.machine_pace else None
    think = MACHINE_GAP_S if args.machine_pace else args.think
    xs = iter(X_VALUES * 10)
    profile = Path(args.profile).resolve() if args.profile else None
    # One replica behind a balancer (--front) is a Replicas too: its students must speak to the front.
    script = ROOT / args.script
    servers = {"app": Server("app", script, log_dir, args.port, profile) if args.replicas == 1 and not args.front
               else Replicas("app", script, log_dir, args.replicas, args.port, args.front)}
    if not args.no_floor:
        servers["floor"] = Server("floor", FLOOR_APP, log_dir)
    print(f"{os.cpu_count()} CPUs; app: streamlit run {args.script}; logs in {log_dir}; think {think * 1000:.0f} ms"
          f"{', machine pace (clicks not waited for)' if gap else ''}")
    rounds: list[Round] = []
    checks: list[dict] = []
    try:
        for name, server in [(n, part) for n, s in servers.items() for part in getattr(s, "parts", [s])]:
            # Warm, as a server is before the class comes in: VGG16 loaded, the sample's features
            # computed, and every code path of the walk run once (the first figure of each kind
            # imports and sets up what later ones reuse). Its own x: it leaves no figure for a student.
            s = Session("127.0.0.1", server.port, assets, f"{name}-warm")
            st = (AppStudent if name == "app" else FloorStudent)(s, next(xs))
            t0 = time.perf_counter()
            await st.open()
            await st.type_x()
            for step in range(FIRST_STEP + 1, LAST_STEP + 1):
                await asyncio.sleep(0.4)  # the figure drawn ahead is drawn too
                await st.next_step(step, [])
            if "draw" in args.case:  # the draw path too (a box added, the board's value, its figures)
                await st.draw()
            await s.close()
            print(f"{name}: server pid {server.proc.pid} on port {server.port}, warmed in "
                  f"{time.perf_counter() - t0:.1f} s; RSS {server.rss():.0f} MB", flush=True)
        servers["app"].profile_start()  # --profile: the rounds only, not the warm-up
        if args.same_box:  # a class following the teacher's link: one box for all, figures drawn once
            xs = itertools.repeat(next(xs))
        one = {}
        for case, n in [(c, n) for c in args.case for n in args.sessions]:
            for name, server in servers.items():
                r = await run_round(server, name, n, assets, xs, think, gap, case)
                r.case = case
                if n == 1 and case == args.case[0]:
                    one[name] = r.rss
                if name in one and n > 1:
                    r.per_session = (r.rss - one[name]) / (n - 1)
                rounds.append(r)
                st = r.stats
                print(f"{name:5s} {case:4s} N={n:3d}: open p50 {fmt(pct(st.opens, 0.5), 1)} s, interaction p50 "
                      f"{fmt(pct(st.times, 0.5))} p95 {fmt(pct(st.times, 0.95))} max "
                      f"{fmt(max(st.times, default=float('nan')))} s, errors {len(st.errors)}, lost clicks "
                      f"{len(st.lost)} student(s), RSS {r.rss:.0f} MB, server CPU/open {fmt(r.cpu_open, 3)} s, "
                      f"/interaction {fmt(r.cpu_interaction, 3)} s (lumped {fmt(r.cpu_lumped, 3)} s, idle "
                      f"{r.idle_rate * 1000:.1f} ms/s), client CPU {r.client_cpu:.1f} s"
                      + (f", runs per 5 clicks {statistics.mean(st.runs):.1f}" if st.runs else "")
                      + (f", {st.gone} image(s) gone before fetched (404)" if st.gone else "")
                      + (f"; per student: {statistics.mean(w[0] for w in st.wire):.1f} reruns sent, "
                         f"{statistics.mean(w[1] for w in st.wire):.1f} runs, {statistics.mean(w[2] for w in st.wire):.0f} "
                         f"HTTP requests" if st.wire else ""), flush=True)
                if st.step_forms:
                    print("       step figures: " + ", ".join(f"{k} {'/'.join(sorted(v))}" for k, v in sorted(st.step_forms.items()))
                          + "; figure deltas received: " + ", ".join(f"{k} {v}" for k, v in sorted(st.figure_forms.items())),
                          flush=True)
                if len(st.by_kind) > 1:
                    print("       by action: " + "; ".join(f"{k} p50 {fmt(pct(v, 0.5))} p95 {fmt(pct(v, 0.95))} s"
                                                         for k, v in st.by_kind.items()), flush=True)
                for e in (st.errors[:5] + st.lost[:5]):
                    print("      ", e)
        await servers["app"].profile_dump()
        if args.chromium_check:
            first_k = 0
            for n in args.chromium_check:
                c = await chromium_round(servers["app"], n, first_k)
                first_k += n
                checks.append(c)
                print(f"chromium N={n}: lumped {fmt(c['lumped'], 3)} s, open {fmt(c.get('cpu_open', float('nan')), 3)} s, "
                      f"interaction {fmt(c.get('cpu_interaction', float('nan')), 3)} s, p50 {fmt(c['p50'])} s, "
                      f"errors {len(c['errors'])}, retried clicks {len(c['lost'])}; per student: "
                      f"{c['wire']['sent']:.1f} reruns sent, {c['wire']['runs']:.1f} runs, {c['wire']['gets']:.0f} HTTP "
                      f"requests", flush=True)
                for e in c["errors"][:5]:
                    print("      ", e)
    finally:
        for server in servers.values():
            if hasattr(server, "cpu_each"):  # did the balancer spread the class? (warm-ups included)
                print(f"{server.name}: CPU seconds per replica over the run: "
                      + ", ".join(f"{c:.1f}" for c in server.cpu_each()), flush=True)
            server.stop()
    print()
    print(table(rounds))
    print()
    idle = {r.page: r.idle_rate for r in rounds}
    print("Interaction (walk): typing x (floor: a first click) or one Next, until its result is shown, its "
          "figure arrived and the session idle; (draw): from the board's value sent to the last step figure's "
          "delta (SVG component or img html; floor: one click, its image fetched). Server CPU per open / per interaction: over that phase, less "
          "the server's idle rate (" + ", ".join(f"{k} {v * 1000:.1f} ms/s" for k, v in idle.items()) +
          "); lumped: the whole round / (opens + interactions), idle included, as bench_load.py.")
    if gap is not None:
        runs = [r for r in rounds if r.stats.runs]
        for r in runs:
            print(f"{r.page} N={r.n}: {NEXT_CLICKS} clicks {MACHINE_GAP_S * 1000:.0f} ms apart gave "
                  f"{statistics.mean(r.stats.runs):.1f} runs on average; first click to idle p50 "
                  f"{fmt(pct(r.stats.bursts, 0.5))} s")
    if checks:
        print("\nServer CPU, this client vs Chromium (bench_load.student), same warm server:")
        print("| N | lumped, protocol (s) | lumped, Chromium (s) | per interaction, protocol (s) | per interaction, Chromium (s) "
              "| per open, protocol (s) | per open, Chromium (s) |")
        print("|---|---|---|---|---|---|---|")
        app_rounds = [r for r in rounds if r.page == "app"]
        pairs = []
        for c in checks:  # the i-th Chromium round of an N beside the i-th protocol round of that N
            mine = next((r for r in app_rounds if r.n == c["n"]), None)
            if mine is not None:
                app_rounds.remove(mine)
            pairs.append((c, mine))
            print(f"| {c['n']} | {fmt(mine.cpu_lumped, 3) if mine else '–'} | {fmt(c['lumped'], 3)} | "
                  f"{fmt(mine.cpu_interaction, 3) if mine else '–'} | {fmt(c.get('cpu_interaction', float('nan')), 3)} | "
                  f"{fmt(mine.cpu_open, 3) if mine else '–'} | {fmt(c.get('cpu_open', float('nan')), 3)} |")
        for c, mine in pairs:
            if c.get("spans") and mine is not None and mine.spans:
                print("\nN = 1, server CPU per action (from the previous action's end: think time included, idle removed):")
                print("| action | protocol (s) | Chromium (s) |")
                print("|---|---|---|")
                theirs = dict(c["spans"])
                for what, v in mine.spans:
                    print(f"| {what} | {v:.3f} | {fmt(theirs.get(what, float('nan')), 3)} |")
    print()
    for server in servers.values():
        for part in getattr(server, "parts", [server]):
            for line in check_log(part):
                print(line)
    if profile:
        print_profile(profile)
    if args.json:
        out = dict(machine_pace=gap is not None, think=think,
                   rounds=[dict(page=r.page, case=r.case, n=r.n, opens=r.stats.opens, times=r.stats.times, errors=r.stats.errors,
                                lost=r.stats.lost, by_action=r.stats.by_kind,
                                step_figures={k: sorted(v) for k, v in r.stats.step_forms.items()},
                                figure_deltas=r.stats.figure_forms, runs=r.stats.runs, bursts=r.stats.bursts, rss_mb=r.rss,
                                mb_per_extra_session=r.per_session, cpu_open=r.cpu_open,
                                cpu_interaction=r.cpu_interaction, cpu_lumped=r.cpu_lumped,
                                idle_rate=r.idle_rate, client_cpu=r.client_cpu) for r in rounds],
                   chromium=checks)
        Path(args.json).write_text(json.dumps(out, indent=1, default=str))


def main() -> None:
    ap = argparse.ArgumentParser(prog="python -m bench.bench_protocol",
                                 description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sessions", type=int, nargs="+", default=[1, 10, 30, 60])
    ap.add_argument("--case", nargs="+", choices=["walk", "draw"], default=["walk"],
                    help="walk: type x, then Next five times (think time apart); draw: each student draws one box "
                         f"of its own, the class within {DRAW_WINDOW_S:.0f} s (default %(default)s)")
    ap.add_argument("--think", type=float, default=1.0, help="seconds a student looks before the next action")
    ap.add_argument("--machine-pace", action="store_true",
                    help=f"the five Next clicks {MACHINE_GAP_S * 1000:.0f} ms apart, none waited for")
    ap.add_argument("--chromium-check", type=int, nargs="*", metavar="N",
                    help="then run bench_load's Chromium students for these N (default 1 5) and compare server CPU")
    ap.add_argument("--no-floor", action="store_true", help="skip the floor page")
    ap.add_argument("--json", help="write every figure to this file")
    ap.add_argument("--profile", metavar="FILE",
                    help="run the app server under bench/profile_server.py (cProfile in every thread) over the rounds, "
                         "write the merged profile to FILE and print its top calls")
    ap.add_argument("--port", type=int, default=0, help="the app server's port (0 = any free port)")
    ap.add_argument("--script", default="serve.py", choices=["serve.py", "app.py"],
                    help="what `streamlit run` runs for the app: the README's server (default: it sends Streamlit's "
                         "page files from memory, gzipped) or the page alone")
    ap.add_argument("--same-box", action="store_true",
                    help="every student types the same x (a class following one link): figures are shared")
    ap.add_argument("--replicas", type=int, default=1,
                    help="run R copies of the app on ports PORT, PORT+1, ...; student k uses copy k %% R")
    ap.add_argument("--front", type=int, default=0,
                    help="with --replicas: connect every student to this port (a load balancer in front)")
    args = ap.parse_args()
    if args.chromium_check == []:
        args.chromium_check = [1, 5]
    asyncio.run(main_async(args))


if __name__ == "__main__":
    main()
