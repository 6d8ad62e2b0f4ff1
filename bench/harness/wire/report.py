"""The protocol bench's report: the server log's checks, the profile, the Markdown table."""
from __future__ import annotations

import re
from pathlib import Path

from bench.harness.procs import pct
from bench.harness.wire.rounds import Round
from bench.harness.wire.servers import Server


# ------------------------------------------------------------------------------- report
def check_log(server: Server) -> list[str]:
    log = server.log_path.read_text()
    lines = [f"{server.name}: {log.count('Traceback')} Traceback(s) in the server log"]
    if server.name.startswith("app"):
        feats = [line.strip() for line in log.splitlines() if "[roi-viz] features computed" in line]
        lines.append(f"app: VGG16 loaded {log.count('[roi-viz] VGG16 loaded')} time(s) (once per process)")
        lines.append(f"app: features computed {len(feats)} time(s) (once: for the sample, by the warm-up)")
        lines += ["    " + f for f in feats]
    return lines


def print_profile(path: Path, top: int = 30) -> None:
    """The app server's calls over the rounds (all threads), by cumulative and by own time."""
    import pstats

    stats = pstats.Stats(str(path))
    print(f"\nServer profile over the rounds ({path}; all threads):")
    stats.sort_stats("cumulative").print_stats(top)
    stats.sort_stats("tottime").print_stats(top)


def fmt(v: float, digits: int = 2) -> str:
    return "–" if v != v else f"{v:.{digits}f}"  # noqa: PLR0124  (NaN)


def table(rounds: list[Round]) -> str:
    head = ("| page | case | N | open p50 (s) | p50 (s) | p95 (s) | max (s) | errors | lost clicks | server RSS (MB) "
            "| MB per extra session | server CPU per open (s) | server CPU per interaction (s) | lumped, as bench_load (s) |")
    rows = [head, "|" + "---|" * (head.count("|") - 1)]
    for r in rounds:
        st = r.stats
        lost = sum(int(re.search(r"(\d+)", x.split(":", 1)[1]).group(1)) for x in st.lost)
        rows.append(f"| {r.page} | {r.case} | {r.n} | {fmt(pct(st.opens, 0.5), 1)} | {fmt(pct(st.times, 0.5))} | "
                    f"{fmt(pct(st.times, 0.95))} | {fmt(max(st.times, default=float('nan')))} | {len(st.errors)} | "
                    f"{lost} | {r.rss:.0f} | {fmt(r.per_session, 1)} | {fmt(r.cpu_open, 3)} | "
                    f"{fmt(r.cpu_interaction, 3)} | {fmt(r.cpu_lumped, 3)} |")
    return "\n".join(rows)
