"""The servers a round talks to: one app process, or replicas side by side (behind a balancer or not)."""
from __future__ import annotations

import asyncio
import signal
import sys
import time
from pathlib import Path

from bench.harness.paths import PROFILE_SERVER
from bench.harness.procs import cpu_seconds, free_port, rss_mb
from bench.harness.streamlit_server import start_server
from bench.harness.wire.config import REST_RATE


class Server:
    def __init__(self, name: str, script: Path, log_dir: Path, port: int = 0, profile: Path | None = None):
        self.name, self.port = name, port or free_port()
        self.log_path = log_dir / f"{name}.log"
        self.profile = profile
        launcher = [sys.executable, str(PROFILE_SERVER), str(profile)] if profile else None
        self.proc = start_server(self.port, self.log_path, script, launcher)

    def profile_start(self) -> None:
        if self.profile:
            self.proc.send_signal(signal.SIGUSR1)

    async def profile_dump(self) -> None:
        """Ask the server for its merged profile (profile_server.py) and wait until it is written."""
        if not self.profile:
            return
        done = Path(str(self.profile) + ".done")
        done.unlink(missing_ok=True)
        self.proc.send_signal(signal.SIGUSR2)
        for _ in range(600):
            if done.exists():
                return
            await asyncio.sleep(0.1)

    def cpu(self) -> float:
        return cpu_seconds(self.proc.pid)

    def rss(self) -> float:
        return rss_mb(self.proc.pid)

    async def idle_rate(self, seconds: float) -> float:
        c0, t0 = self.cpu(), time.perf_counter()
        await asyncio.sleep(seconds)
        return (self.cpu() - c0) / (time.perf_counter() - t0)

    async def rest(self, seconds: float = 2.0) -> float:
        """Wait until the server has finished what the last sessions left it (figures drawn ahead,
        closed sessions dropped): 1 s windows until one uses under REST_RATE, at most 30 s. Then its
        idle CPU rate over ``seconds``, taken off the phases' CPU."""
        for _ in range(30):
            if await self.idle_rate(1.0) < REST_RATE:
                break
        return await self.idle_rate(seconds)

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(20)
        except Exception:  # noqa: BLE001
            self.proc.kill()

    def port_for(self, k: int) -> int:
        return self.port

    def source_for(self, k: int) -> str | None:
        return None


class Replicas(Server):
    """R copies of the app, one process (and one VGG16) each, on consecutive ports.

    Student ``k`` talks to replica ``k % R`` for its whole visit, as behind a load balancer
    with sticky sessions (a session's websocket and its media URLs live in one process).
    CPU and memory are the sums over the replicas. ``front``: a port that stands in front of
    them (nginx, see deploy/nginx.conf); every student then connects there and the balancer
    picks the replica.
    """

    def __init__(self, name: str, script: Path, log_dir: Path, replicas: int, port: int = 0, front: int = 0):
        first = port or free_port()
        self.parts = [Server(f"{name}-{i}", script, log_dir, first + i) for i in range(replicas)]
        self.name, self.port, self.front = name, first, front
        self.profile = None  # profiling is for one process (--profile); replicas are not profiled
        self.proc = self.parts[0].proc
        self.log_path = self.parts[0].log_path

    def cpu(self) -> float:
        return sum(s.cpu() for s in self.parts)

    def rss(self) -> float:
        return sum(s.rss() for s in self.parts)

    def stop(self) -> None:
        for s in self.parts:
            s.stop()

    def port_for(self, k: int) -> int:
        return self.front or self.parts[k % len(self.parts)].port

    def source_for(self, k: int) -> str | None:
        """Behind a balancer each student comes from an address of its own, as in a classroom:
        on Linux all of 127.0.0.0/8 is loopback, so student k speaks from 127.0.x.y."""
        if not self.front:
            return None
        return f"127.0.{(k + 2) // 256}.{(k + 2) % 256}"

    def cpu_each(self) -> list[float]:
        return [s.cpu() for s in self.parts]
