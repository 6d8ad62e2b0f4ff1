"""A round: N students at once against one server, their times and the server's CPU per phase."""
from __future__ import annotations

import asyncio
import os
import time
from dataclasses import dataclass, field

from bench.harness.wire.config import DRAW_WINDOW_S, FIRST_STEP, LAST_STEP, NEXT_CLICKS
from bench.harness.wire.http import StaticAssets
from bench.harness.wire.servers import Server
from bench.harness.wire.session import Session, Stats
from bench.harness.wire.students import AppStudent, FloorStudent


# ------------------------------------------------------------------------------- a round
@dataclass
class Round:
    page: str
    n: int
    stats: Stats
    rss: float
    cpu_open: float  # server CPU per open, idle rate removed
    cpu_interaction: float  # server CPU per interaction, idle rate removed
    cpu_lumped: float  # bench_load's figure: CPU of the round / (opens + interactions), idle included
    idle_rate: float
    client_cpu: float
    per_session: float = float("nan")
    case: str = "walk"  # walk: type x, then Next five times; draw: one box drawn on the board
    spans: list = field(default_factory=list)  # N = 1: server CPU per action, see spans()



async def run_student(student, k: int, stats: Stats, opened: asyncio.Barrier, think: float, gap: float | None,
                      cpu, case: str = "walk", n: int = 1) -> None:
    stage = "open"

    def mark(what: str) -> None:
        stats.marks.append((what, time.perf_counter(), cpu()))

    try:
        try:
            stats.opens.append(await student.open())
            mark("open")
        finally:
            await opened.wait()  # every student opens before anyone clicks: the phases' CPU is apart
        if case == "draw":
            # the class draws in the same DRAW_WINDOW_S, the students' releases spread evenly over it
            await asyncio.sleep(DRAW_WINDOW_S * k / max(n, 1))
            stage = "draw a box"
            stats.times.append(await student.draw())
            stats.by_kind.setdefault("draw", []).append(stats.times[-1])
            mark("draw")
        else:
            await asyncio.sleep(think)
            stage = "type x"
            stats.times.append(await student.type_x())
            stats.by_kind.setdefault("type x", []).append(stats.times[-1])
            mark("type x")
            if gap is None:
                lost: list = []
                for step in range(FIRST_STEP + 1, LAST_STEP + 1):
                    await asyncio.sleep(think)
                    stage = f"next to step {step}"
                    stats.times.append(await student.next_step(step, lost))
                    stats.by_kind.setdefault("next", []).append(stats.times[-1])
                    mark(f"next {step}")
                if lost:
                    stats.lost.append(f"student {k}: {len(lost)} click(s)")
            else:
                await asyncio.sleep(gap)
                stage = "five clicks, machine pace"
                times, lost_n, runs, burst = await student.burst(gap)
                stats.times.extend(times)
                stats.runs.append(runs)
                stats.bursts.append(burst)
                if lost_n:
                    stats.lost.append(f"student {k}: {lost_n} of {NEXT_CLICKS} clicks lost ({runs} runs)")
    except Exception as exc:  # noqa: BLE001  (a timeout or a crash is a result here, not a reason to stop)
        stats.errors.append(f"student {k}, {stage}: {type(exc).__name__}: {str(exc).splitlines()[0][:100] if str(exc) else ''}")
    student.s_wire = (student.s.sent, student.s.runs_started, student.s.http.requests)
    stats.wire.append(student.s_wire)
    stats.gone += len(student.s.gone)
    for step, form in student.s.step_forms.items():
        stats.step_forms.setdefault(step, set()).add(form)
    for form, count in student.s.figure_forms.items():
        stats.figure_forms[form] = stats.figure_forms.get(form, 0) + count
    for e in student.s.errors:
        stats.errors.append(f"student {k}: {e}")


async def run_round(server: Server, page: str, n: int, assets: StaticAssets, xs, think: float,
                    gap: float | None, case: str = "walk") -> Round:
    idle = await server.rest()  # the previous round's sessions are gone: the server at rest
    stats = Stats()
    Student = AppStudent if page == "app" else FloorStudent
    sessions = [Session("127.0.0.1", server.port_for(k), assets, f"{page}-{n}-{k}", server.source_for(k)) for k in range(n)]
    students = [Student(s, next(xs)) for s in sessions]
    opened = asyncio.Barrier(n + 1)
    client0 = sum(os.times()[:2])
    cpu0, t0 = server.cpu(), time.perf_counter()
    tasks = [asyncio.create_task(run_student(st, k, stats, opened, think, gap, server.cpu, case, n))
             for k, st in enumerate(students)]
    await opened.wait()
    cpu1, t1 = server.cpu(), time.perf_counter()
    await asyncio.gather(*tasks)
    await asyncio.sleep(1.0)  # as bench_load: the work a rerun does after answering is counted
    cpu2, t2 = server.cpu(), time.perf_counter()
    stats.marks.append(("end", t2, cpu2))
    rss = server.rss()  # every session of this round is still open
    client = sum(os.times()[:2]) - client0
    for s in sessions:
        await s.close()
    n_open, n_act = len(stats.opens), len(stats.times)
    cpu_open = ((cpu1 - cpu0) - idle * (t1 - t0)) / n_open if n_open else float("nan")
    # Interactions: in --machine-pace, the clicks sent (lost ones too: their reruns still ran or were merged).
    sent = n * (1 + NEXT_CLICKS) if gap is not None and case == "walk" else n_act
    cpu_act = ((cpu2 - cpu1) - idle * (t2 - t1)) / sent if sent else float("nan")
    lumped = (cpu2 - cpu0) / (n_open + sent) if n_open + sent else float("nan")
    await asyncio.sleep(1.0)  # let the server drop the closed sessions
    r = Round(page, n, stats, rss, cpu_open, cpu_act, lumped, idle, client)
    r.spans = spans([("start", t0, cpu0)] + stats.marks, idle) if n == 1 else []
    return r


def spans(marks: list, idle: float) -> list[tuple[str, float]]:
    """One student alone: server CPU from one action's end to the next one's end, idle removed.

    Each span holds an action and the think time before it (and what the server does then, as
    drawing the next step's figure ahead); the last one is the round's 1 s tail.
    """
    return [(b[0], (b[2] - a[2]) - idle * (b[1] - a[1])) for a, b in zip(marks, marks[1:])]
