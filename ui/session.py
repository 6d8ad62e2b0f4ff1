"""One student's state, split by concern, and the link that mirrors it.

Each concern is a small dataclass with one owner: the sidebar writes the
:class:`Photo` and the settings, the RoI store owns the boxes, the lesson's
controls write the :class:`Place`, the quiz its :class:`QuizState`, the
teacher's tools the :class:`Exports`. Widgets show this state and write it
back in their callbacks (``ui.widgets``). :func:`session` is the one accessor,
for the page and for tests.
"""
from __future__ import annotations

from contextlib import nullcontext
from dataclasses import dataclass, field, make_dataclass

import streamlit as st

from roi_viz import link
from roi_viz.language import LANGUAGES, _, using
from roi_viz.state import options
from roi_viz.state.settings import Settings
from roi_viz.model import samples
from roi_viz.state.rois import RoIStore


@dataclass
class Photo:
    """Which photo is shown, and the model input made from it."""

    source: str = "sample"  # "sample", "upload" or "camera" (both of the latter show the photo of one's own)
    sample: str = samples.DEFAULT_SAMPLE
    dims: tuple[int, int] = (512, 512)  # (W, H) of the model input shown: the boxes are pixels of it
    last_upload: str = ""  # the upload shown last: a new one is shown with its proportions kept
    upload_shown: bool = False  # the photo on the page is an upload (or a photo taken, or the link's)
    title: str = ""  # the photo's name, for the handout
    board_seen: tuple = ()  # (board key, seq) of the board's last value taken into the store
    # The last photo of one's own (name, bytes): the stored PNG (roi_viz.state.uploads) when it could be used, else the
    # file as it came, whose refusal the page says. Kept for the session, so the store may drop it meanwhile.
    upload: tuple[str, bytes] | None = None
    stored: str = ""  # its name in the store, which a link carries; "" when the server could not keep it
    file_seen: str = ""  # sha256 of the last file taken from the uploader or the camera: each is stored once
    from_link: bool = False  # the upload came with the link this session was opened with
    refreshed: float = 0.0  # time.monotonic() when the store was last told the stored photo is in use
    not_kept: str = ""  # why the photo shown could not be stored: said in the sidebar while it is shown

    @property
    def travels(self) -> bool:
        """Whether a link carries the photo shown: a sample, or an upload the store has kept."""
        return not self.upload_shown or bool(self.stored)


# The link's navigation fields this record keeps (view, step, focus: the bin (i, j) and point k of the
# close-ups, the slide, presenter mode, the Proposals view's drawn/order/mode), made from the link's one table
# (roi_viz.link.NAVIGATION), so a new parameter needs no edit here.
_Navigation = make_dataclass("_Navigation", options.record_fields(link.NAVIGATION, keep="place"))


@dataclass
class Place(_Navigation):
    """Where the lesson is: the link's navigation fields (:data:`roi_viz.link.NAVIGATION`, ``keep="place"``),
    then what only this session needs."""

    cell: tuple[int, int] | None = None  # "What a cell sees": the cell looked at (None: under the RoI's centre)
    cell_for: tuple = ()  # the (RoI, layer, input size) the cell was picked for
    erf_done: set = field(default_factory=set)  # effective fields asked for in this session (they are cached)
    redraw: bool = False  # the lesson changed the boxes: the photo must be drawn again
    stepper_rev: int = 0  # bumped when the step is set from here (a link, the picker, a method): Previous/Next adopt it
    focus_from_link: bool = False  # the focus is the link's: if the scene cannot show it, say so once

    def go(self, step: int) -> None:
        """Set the step from the page (a picker, a preset, a method): Previous and Next adopt it."""
        self.step = step
        self.stepper_rev += 1


@dataclass
class QuizState:
    level: str = "starter"
    seed: int | None = None  # the question; drawn when the quiz is first opened
    pos: int = 0  # the ask shown
    tries: int = 0  # wrong tries at it so far
    grade: object = None  # the last grade of the ask shown (roi_viz.quiz.Grade)
    score: object = None  # roi_viz.quiz.Score of the session
    asked: str = ""  # the fingerprint of the question that pos, tries and grade belong to


@dataclass
class Exports:
    made: dict[str, tuple[str, bytes]] = field(default_factory=dict)  # kind -> (what it shows, the file)
    making: str = ""  # the export asked for: made in the next run, with a progress bar


@dataclass
class Revisions:
    """Widget keys carry these (``ui.widgets.wkey``): a change made elsewhere gives a widget a fresh key."""

    widgets: int = 0  # bumped when a whole-page change (preset, method) redraws every widget afresh
    fresh: dict[str, int] = field(default_factory=dict)  # per widget: bumped when its value changed elsewhere


@dataclass
class Session:
    """Everything one student has chosen: the only session state the page keeps."""

    settings: Settings = field(default_factory=Settings)
    store: RoIStore = field(default_factory=lambda: RoIStore([samples.ARTICLE_ROI], samples.ARTICLE_INPUT_SIZE))
    photo: Photo = field(default_factory=Photo)
    place: Place = field(default_factory=Place)
    quiz: QuizState = field(default_factory=QuizState)
    exports: Exports = field(default_factory=Exports)
    revisions: Revisions = field(default_factory=Revisions)
    notice: str = ""  # said once at the top of the next run: a preset's summary, what a link got wrong
    link_too_long_said: bool = False  # a link the server could not read at all has been named

    def set(self, **changes) -> None:
        self.settings = self.settings.with_(**changes)


KEY = "roi-viz"  # its key in st.session_state


def session() -> Session:
    """This student's state; a new session starts from the link it was opened with."""
    if KEY not in st.session_state:
        st.session_state[KEY] = from_link()
    return st.session_state[KEY]


# ------------------------------------------------------------------ the address bar
def from_link() -> Session:
    """The session a link describes. What the link gets wrong is said once, in one notice per parameter."""
    params = {name: st.query_params.get_all(name) for name in st.query_params}
    kept = linked_photo(params.get("img") or [])
    # What the link gets wrong is said in the language it names (no session holds the student's choice yet).
    named = (params.get("lang") or [""])[-1]
    with using(named) if named in LANGUAGES else nullcontext():
        shared, notices = link.from_params(params, {kept.name: kept.decoded.original_size} if kept else None)
    s = shared.settings
    dims = link.dims(s, shared.sample, kept.decoded.original_size if kept and shared.upload else None)
    store = RoIStore(shared.rois, dims)
    store.active = shared.active
    photo = Photo(sample=shared.sample, dims=dims)
    if kept and shared.upload == kept.name:  # the teacher's photo: shown as theirs was, with the link's shape
        # Its name is shown (a notice, the handout's title) in the language the link names, else the browser's.
        with using(shared.language) if shared.language else nullcontext():
            name = _("the link's photo")
        photo.source, photo.upload, photo.stored, photo.from_link = "upload", (name, kept.png), kept.name, True
        photo.last_upload = "upload:" + kept.name
    kept_by = {keep: {p.attr: getattr(shared, p.field) for p in link.NAVIGATION if p.keep == keep}
               for keep in ("place", "quiz")}  # each navigation field where its declaration says it is kept
    out = Session(settings=s, store=store, photo=photo, place=Place(focus_from_link=True, **kept_by["place"]),
                  quiz=QuizState(**kept_by["quiz"]))
    if notices:
        out.notice = "⚠ " + "\n".join(f"- {n}" for n in notices) if len(notices) > 1 else "⚠ " + notices[0]
    return out


def linked_photo(values: list[str]):
    """The uploaded photo a link's ``img`` names, from the store (a ``roi_viz.state.uploads.Kept``), or ``None``.

    Only a name (64 hex characters) is looked up; any other text never reaches the disk.
    """
    from roi_viz.state import uploads

    name = values[-1] if values else ""
    if not uploads.is_name(name):
        return None
    try:
        return uploads.UploadStore.from_env().load(name)
    except Exception:  # noqa: BLE001  (an unreadable store is a photo not found: the link says so)
        return None


def as_link(s: Session):
    """The session as a link. An upload the store kept travels by its name, with its boxes; one it could not
    keep cannot travel: its boxes go as the same part of the sample photo (the store keeps them as fractions of
    the photo), in whole pixels of the input the link opens."""
    if not s.photo.travels:
        boxes = tuple(tuple(float(v) for v in b) for b in s.store.whole(link.dims(s.settings, s.photo.sample)))
    else:
        boxes = tuple(s.store.boxes(s.photo.dims))
    upload = (s.photo.stored or link.UPLOAD) if s.photo.upload_shown else ""
    kept = {"place": s.place, "quiz": s.quiz}
    where = {p.field: getattr(kept[p.keep], p.attr) for p in link.NAVIGATION}  # as its declaration keeps it
    return link.Link(settings=s.settings, sample=s.photo.sample, upload=upload, rois=boxes, active=s.store.active,
                     **where)


def sync_link() -> dict:
    """Keep the address bar equal to the page, so that copying it at any moment copies this view.

    Called at the end of every run and fragment run (a fragment run changes
    only its part of the page, the step or the boxes, but the link holds all).
    Returns the parameters.
    """
    params = link.to_params(as_link(session()))
    shown = {name: st.query_params.get_all(name) for name in st.query_params}
    wanted = {k: v if isinstance(v, list) else [v] for k, v in params.items()}
    if shown != wanted:
        st.query_params.from_dict(params)
    return params
