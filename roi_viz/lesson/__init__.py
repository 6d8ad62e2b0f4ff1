"""What the lesson says: the user's settings, the scene a step is drawn from, and the words.

- ``settings``: :class:`~roi_viz.lesson.settings.Settings`, every choice with its default;
- ``scene``: :class:`~roi_viz.lesson.scene.Scene`, the choices plus what was computed;
- ``numbers``: numbers as a student writes them (one rule for words, figures and tables);
- ``shown``: what a figure and its words both need to agree (the zoom window, which values are printed);
- ``words``: the text of each step, with the live numbers;
- ``glossary``: every term the lesson uses, explained in one line.
"""
