"""What the lesson says: the user's settings, the scene a step is drawn from, and the words.

- ``settings``: :class:`~roi_viz.lesson.settings.Settings`, every choice with its default;
- ``scene``: :class:`~roi_viz.lesson.scene.Scene`, the choices plus what was computed;
- ``numbers``: numbers as a student writes them;
- ``words``: the text of each step, with the live numbers.
"""
