"""Streamlit's websocket protocol, spoken as a browser speaks it: the protocol bench's client.

What the browser does on the wire, and so what this client does
-----------------------------------------------------------------
Read in ``streamlit/web/server/starlette/starlette_websocket.py``, ``runtime/app_session.py``,
``runtime/scriptrunner_utils/script_requests.py``, ``runtime/forward_msg_cache.py``,
``runtime/forward_msg_queue.py`` and the frontend bundle (``streamlit/static/static/js/
index.*.js``), and checked against Chromium's own frames (Playwright ``websocket`` events)
on this page:

* HTTP first: ``GET /`` (index.html), the scripts, module preloads, stylesheet and font it
  names (about 60 files), the icon font, ``/_stcore/health`` (which sets the
  ``_streamlit_xsrf`` cookie), ``/_stcore/host-config``, ``/favicon.png``. That costs the
  server about 0.13 s of CPU per fresh browser, more than a click, so the client fetches
  them (each session is a fresh browser context, as in bench_load). Element code is loaded
  lazily: the first radio, number input, button, image... shown makes the browser fetch that
  element's chunk and the chunks it imports; the client reads the chunk map
  (``__vite__mapDeps``) from the main bundle and fetches the same files when an element of
  that type first arrives (not inside a popover: closed, it is not rendered), and the bidi
  component's JS and CSS when it names files (the app's components carry theirs inline). Checked: the same 113 files as Chromium.
* The websocket ``/_stcore/stream`` is opened with subprotocols ``["streamlit", <xsrf>]``, the
  second being the ``_streamlit_xsrf`` cookie's value (a third would be a session id to
  resume), plus ``Origin`` and the cookie. With XSRF on, the server only uses the token to
  decide whether to read an auth cookie: the stream is not refused without it, and
  ``server.enableXsrfProtection`` stays on. The client sends it as the browser does.
* Every message is a binary protobuf: ``BackMsg`` up, ``ForwardMsg`` down.
* First ``BackMsg.rerun_script``: a ``ClientState`` with empty ``widget_states``, empty
  ``page_script_hash`` and a ``context_info`` (timezone, locale, url, color scheme). Later
  reruns carry ``page_script_hash`` from ``new_session``, ``query_string`` as the page last set
  it (``page_info_changed``: the app keeps its state in the address bar, and a rerun
  without it would tell the app the link changed), the ``cached_message_hashes`` (below),
  the same ``context_info``, ``fragment_id`` when the widget lives in an ``st.fragment``, and
  ``widget_states`` with the value of *every* widget the page holds, not only the one
  changed: the frontend registers each widget's default when it first renders it (radio
  and selectbox: the option's text, select_slider: the option texts, number_input: int or
  double, toggle: bool) and keeps the student's value afterwards. A button click is the
  button's ``trigger_value: true`` in that one message only. Values of widgets that are no
  longer on the page are dropped only when a run finishes with status 0 or 3 (the
  frontend's ``clearStaleNodes`` + ``removeInactive``, reproduced here on a tree of the
  deltas, fragments included); not after status 2, which ``ForwardMsgQueue`` also gives a
  run that completed when the next one starts before its last messages were sent.
* Fragments: each delta carries ``delta.fragment_id``; a widget inside a fragment sends its
  rerun with that id, and the server runs only that fragment (``script_finished`` status 3,
  ``metadata.run.fragment_ids``). Sending no id would rerun the whole page and measure the
  wrong thing. The "x" field and the board live in the ``workspace`` fragment, the stepper
  in ``lesson``.
* Components v2 (``bidi_component`` elements: the board, the stepper): the component's
  ``setStateValue(key, value)`` makes the frontend send a rerun of the component's fragment
  whose widget state, under the element's ``id``, is a ``json_value``: the JSON string of
  ``{...the state it held, [key]: value}``, beside every other widget value the page holds.
  Nothing is sent on mounting. The board's value is ``board = {"boxes": [[x, y, w, h], ...],
  "active": i, "seq": n, "revision": r}``, the stepper's ``step = {"step": k (1-based),
  "seq": n, "revision": r}``; ``r`` is the revision in the element's data (``json``), ``n``
  grows by one per value the browser sends for that key.
* ``ForwardMsg`` caching: a ``new_element`` delta of 10 kB or more has ``metadata.cacheable``
  and a ``hash``; the client keeps it and lists the hashes it holds in the next
  ``cached_message_hashes``; the server then sends ``ref_hash`` instead of the message (the
  board with its photo, at each rerun of ``workspace``). Entries age as in the frontend's
  ``ForwardMsgCache``: one run count per finished run (not status 2, and only if a
  ``new_session`` came since the last rerun request), checked against
  ``config.max_cached_message_age`` (2) only for entries of the fragments that ran; a
  ``ref_hash`` or a repeat of a hash refreshes its entry. A miss is an error.
* Images (the floor page): ``imgs`` elements name ``/media/<id>.<ext>`` URLs; the browser then GETs each
  (once per URL: its cache), and so does the client, over keep-alive HTTP/1.1, at most six
  connections per session, as a browser.
* ``session_status_changed.script_is_running`` is the browser's "running" indicator, but it
  goes off and on again between two runs back to back. To know that a session is idle the
  client also needs every rerun it sent to have been followed by a ``new_session``, then
  sends an ``app_heartbeat`` (the browser sends them too; the server answers
  ``heartbeat_ack`` in order with the session's other messages) and counts the session idle
  if no run starts before the ack and 30 ms after. An interaction's time ends at its last
  event (the last ``script_finished`` or image fetched), not at that check.
"""
