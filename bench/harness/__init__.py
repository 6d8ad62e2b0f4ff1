"""What the benches share.

- ``paths``: the repository, the floor page (``bench/floor_app.py``) and the profiling launcher.
- ``procs``: free loopback ports, a process's CPU seconds and RSS from ``/proc``, percentiles.
- ``streamlit_server``: ``streamlit run`` on loopback, offline, for the load benches.
- ``chromium``: the Chromium executable and flags, and the browser load bench's student.
- ``wire``: the protocol bench's client, Streamlit's websocket protocol spoken as a browser speaks it,
  its students, servers, rounds and report.
- ``page``: the page bench's Chromium side: the page's DOM, its actions, timing them, the report.
"""
