"""The Streamlit page, in rooms: everything here knows Streamlit; ``roi_viz`` knows nothing of it.

``app.py`` draws the frame and routes. The rooms:

- ``session``: one student's state, split by concern, and the link that mirrors it;
- ``widgets``: the widget-revision rule, callbacks that never show a traceback, plain-text notices;
- ``cache``: the heavy things, computed once (the model's features, figures, pictures);
- ``style``: the page's CSS;
- ``sidebar``, ``photo`` (the photo and its boxes), ``teacher`` (present, link, exports);
- ``views/``: one module per view, each a ``render(...)`` taking what it needs.
"""
