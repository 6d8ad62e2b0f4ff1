"""A Streamlit server for the page bench: started on a free port, its CPU read, stopped."""
from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from bench.harness.page.dom import IDLE_RATE_S
from bench.harness.procs import cpu_seconds, free_port


@dataclass
class Server:
    name: str
    proc: subprocess.Popen
    url: str
    log_path: Path

    def cpu(self) -> float:
        return cpu_seconds(self.proc.pid)

    def idle_cpu_rate(self, seconds: float = IDLE_RATE_S) -> float:
        """CPU seconds per second the server uses while nobody does anything."""
        c0, t0 = self.cpu(), time.perf_counter()
        time.sleep(seconds)
        return (self.cpu() - c0) / (time.perf_counter() - t0)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)


def start_server(name: str, script: Path, log_dir: Path, cwd: Path) -> Server:
    """``streamlit run SCRIPT`` on a free loopback port, its output in a log file; returns once healthy."""
    port = free_port()
    log_path = log_dir / f"{name}.log"
    with open(log_path, "w") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(script), "--server.port", str(port),
             "--server.address", "127.0.0.1", "--server.headless", "true"],
            cwd=cwd, env=dict(os.environ, ROI_VIZ_OFFLINE="1"), stdout=log, stderr=subprocess.STDOUT,
        )
    server = Server(name, proc, f"http://127.0.0.1:{port}", log_path)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if urllib.request.urlopen(server.url + "/_stcore/health", timeout=1).status == 200:
                return server
        except OSError:
            if proc.poll() is not None:
                break
            time.sleep(0.25)
    server.stop()
    raise SystemExit(f"the {name} server did not start:\n{server.log()}")
