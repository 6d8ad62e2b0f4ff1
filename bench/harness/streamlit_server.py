"""``streamlit run`` on loopback, offline, as the load benches start the app and the floor page."""
from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from bench.harness.paths import ROOT


def start_server(port: int, log_path: Path, script: Path | None = None, launcher: list[str] | None = None) -> subprocess.Popen:
    """``streamlit run`` on loopback, offline; ``script`` defaults to the app (bench_protocol also starts the floor).

    ``launcher``: what stands for ``python -m streamlit`` (bench_protocol's ``--profile`` runs it under
    ``profile_server.py``)."""
    env = dict(os.environ, ROI_VIZ_OFFLINE="1")
    log = open(log_path, "w")
    proc = subprocess.Popen(
        (launcher or [sys.executable, "-m", "streamlit"]) + ["run", str(script or ROOT / "app.py"), "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    for _ in range(240):
        try:
            if urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=1).status == 200:
                return proc
        except OSError:
            time.sleep(0.5)
    proc.kill()
    raise SystemExit("the server did not start:\n" + log_path.read_text())
