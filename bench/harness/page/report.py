"""The page bench's tables and goals, printed against the floor page measured in the same run."""
from __future__ import annotations

from pathlib import Path

from bench.harness.page.measure import ColdStart, Series, median
from bench.harness.page.server import Server


# The goals of the round (every click within 1.5 x the floor page's; a cold server's first figure within 4 s).
GOAL_CLICK_RATIO = 1.5
GOAL_COLD_USABLE_S = 4.0
GOAL_COLD_FIGURE_S = 4.0
GOAL_CPU_PER_CLICK_S = 0.15
GOAL_FRAME_P95_MS = 16.0


# ----------------------------------------------------------------------------- report
def seconds(v: float | None) -> str:
    return f"{v:.2f} s" if v is not None else "never"




def row(name: str, s: Series, floor_ms: float) -> dict:
    walls = [w * 1000 for w in s.walls()]
    med = median(walls)
    return {
        "action": name, "n": len(walls), "failed": len(s.errors()), "median_ms": med,
        "min_ms": min(walls, default=float("nan")), "max_ms": max(walls, default=float("nan")),
        "ratio": med / floor_ms if floor_ms else float("nan"), "cpu_s": median(s.cpus()),
        "figures": s.forms(), "most_figures_at_once": s.most_shown(),
    }


def print_table(rows: list[dict]) -> None:
    print(f"\n{'action':<26s} {'n':>3s} {'median ms':>10s} {'min ms':>8s} {'max ms':>8s} "
          f"{'x floor':>8s} {'server CPU s':>13s} {'failed':>7s}  figures")
    for r in rows:
        print(f"{r['action']:<26s} {r['n']:3d} {r['median_ms']:10.0f} {r['min_ms']:8.0f} {r['max_ms']:8.0f} "
              f"{r['ratio']:8.2f} {r['cpu_s']:13.3f} {r['failed']:7d}  {r['figures']}")


def verdict(ok: bool) -> str:
    return "met" if ok else "NOT met"


def print_live(frames: list[dict]) -> None:
    print(f"\nLive geometry during a drag (the board's own redraw, performance.now()), in ms:")
    print(f"  {'viewport':<10s} {'method':<24s} {'frames':>6s} {'p50':>6s} {'p95':>6s} {'max':>6s}")
    for r in frames:
        print(f"  {r['viewport']:<10s} {r['method']:<24s} {r['frames']:6d} {r['p50_ms']:6.2f} {r['p95_ms']:6.2f} "
              f"{r['max_ms']:6.2f}")


def print_goals(rows: list[dict], cold: list[ColdStart], frames: list[dict], figure_ms: float) -> dict:
    by = {r["action"]: r for r in rows}
    floor_ms = by["floor: Next ▶"]["median_ms"]
    goals = {}
    print("\nGoals (medians as measured; the step and change ratios include the figure's drawing)")
    worst = max(frames, key=lambda r: r["p95_ms"]) if frames else None
    if worst:
        goals["live frame p95"] = worst["p95_ms"] <= GOAL_FRAME_P95_MS
        print(f"  {'live frame p95 (worst)':<26s} {worst['p95_ms']:7.2f} ms <= {GOAL_FRAME_P95_MS} ms "
              f"{verdict(goals['live frame p95'])}   ({worst['viewport']}, {worst['method']})")
    bound = 2 * floor_ms + figure_ms
    drag_ms = by["drag a new RoI"]["median_ms"]
    goals["mouse-up -> figure"] = drag_ms <= bound
    print(f"  {'mouse-up -> step figure':<26s} {drag_ms:7.0f} ms <= 2 x {floor_ms:.0f} + {figure_ms:.0f} (figure) "
          f"= {bound:.0f} ms   {verdict(goals['mouse-up -> figure'])}")
    steps = ["Next ▶", "◀ Previous", "jump to a step (radio)"]
    changes = ["type x + Enter", "drag a new RoI", "method switch", "output rows 3 <-> 4"]
    usable = median([c.usable_s for c in cold if c.usable_s is not None])
    first = median([c.figure_s for c in cold if c.figure_s is not None])
    for name in steps + changes:
        goals[name] = by[name]["ratio"] <= GOAL_CLICK_RATIO
        print(f"  {name:<26s} x floor {by[name]['ratio']:5.2f}  <= {GOAL_CLICK_RATIO}   {verdict(goals[name])}")
    goals["cold usable board"] = usable <= GOAL_COLD_USABLE_S
    print(f"  {'cold server -> usable board':<26s} {usable:7.2f} s  <= {GOAL_COLD_USABLE_S} s  "
          f"{verdict(goals['cold usable board'])}")
    goals["cold first figure"] = first <= GOAL_COLD_FIGURE_S
    print(f"  {'cold server -> 1st figure':<26s} {first:7.2f} s  <= {GOAL_COLD_FIGURE_S} s  "
          f"{verdict(goals['cold first figure'])}")
    for name in steps + changes:
        key = f"CPU {name}"
        goals[key] = by[name]["cpu_s"] <= GOAL_CPU_PER_CLICK_S
        print(f"  {'CPU ' + name:<26s} {by[name]['cpu_s']:7.3f} s  <= {GOAL_CPU_PER_CLICK_S} s  {verdict(goals[key])}")
    return goals


def print_cold(cold: list[ColdStart]) -> None:
    def fmt(v):
        return f"{v:6.2f}" if v is not None else "  none"
    print(f"\nCold start (new server each, from page.goto), median of {len(cold)}:")
    print(f"  usable board (drawn, live geometry):  {median([c.usable_s for c in cold if c.usable_s]):.2f} s   "
          f"[{', '.join(fmt(c.usable_s) for c in cold)}]")
    print(f"  first figure loaded:                  {median([c.figure_s for c in cold if c.figure_s]):.2f} s   "
          f"[{', '.join(fmt(c.figure_s) for c in cold)}]")


def print_failures(series: list[Series]) -> None:
    failed = [(s.name, e) for s in series for e in s.errors()]
    if failed:
        print("\nActions whose figure did not change within 60 s (not in the medians):")
        for name, err in failed:
            print(f"  {name}: {err}")


def print_logs(servers: list[Server], cold: list[ColdStart], log_dir: Path) -> dict:
    counts = {s.name: s.log().count("Traceback") for s in servers}
    counts["cold starts"] = sum(c.tracebacks for c in cold)
    print(f"\nServer logs ({log_dir}): " + ", ".join(f"{k}: {v} Traceback(s)" for k, v in counts.items()))
    for s in servers:
        lines = [line for line in s.log().splitlines() if "Error" in line or "Traceback" in line]
        for line in lines[:5]:
            print(f"  [{s.name}] {line.strip()[:150]}")
    return counts
