"""Speed and memory benches, each against a bare baseline measured in the same run.

Run them as modules from the repository root, e.g. ``python -m bench.bench_protocol --sessions 1 10``;
what they share (servers, ports, the Streamlit wire client, Chromium, timing and tables) is in
``bench.harness``.
"""
