"""The real page in Chromium: its DOM, its actions, and timing them against the floor page."""
