"""What the page holds, below every method: the user's choices and the boxes, photos and links they come in.

- ``settings``: :class:`~roi_viz.state.settings.Settings`, every choice with its default;
- ``options``: every option of the settings declared once (sidebar, link, CLI, handout), and the lists the page offers;
- ``scene``: :class:`~roi_viz.state.scene.Scene`, the choices plus what was computed for one RoI;
- ``rois``: the user's boxes (checks and the store the page keeps them in);
- ``uploads``: the photos a user brings, checked and kept;
- ``share``: the short codes a shared page is kept under.
"""
