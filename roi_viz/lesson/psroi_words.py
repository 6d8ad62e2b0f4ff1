"""The words of position-sensitive RoIAlign's own steps (R-FCN's pooling, in torchvision's aligned form).

Every function takes a :class:`~roi_viz.state.scene.Scene` whose ``chosen`` is a
:class:`~roi_viz.ops.psroi.PSAlignTrace` and returns Markdown; the figures of the same steps
(:mod:`roi_viz.figures.psroi`) print the same numbers, from the same functions here
(:func:`bin_reads`, :func:`followed`), so the words and the figure cannot disagree.

What a student must not be misled about, said in the words themselves: VGG16's map was not
trained for this. R-FCN makes ``k² · C'`` score maps with a conv layer of its own; here the method
reads the map's first ``k² · C'`` channels as they are, ``C' = floor(C / (ph · pw))``, so its
numbers show *how* the pooling reads, not what a trained R-FCN would score.

Coordinates: bins are ``(row, column)`` counted from 0; channels are the map's, counted from 0.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from ..language import _, ngettext
from ..ops.roialign import roi_align
from ..state.scene import Scene
from . import sampling_words
from .alt import reach
from .numbers import pct, value


@dataclass(frozen=True)
class BinRead:
    """What bin ``(i, j)`` reads for the output channel followed: its map channel, its points and their mean."""

    i: int
    j: int
    channel: int  # the map channel this bin reads
    points: int  # sampling points in the bin
    mean: float  # the bin's output: the mean of its points in ``channel``


def followed(scene: Scene) -> int | None:
    """The output channel ``c'`` the page follows (the one whose group holds ``scene.channel``), or ``None``."""
    return scene.chosen.follows(scene.channel)


def bin_reads(scene: Scene) -> list[BinRead]:
    """Every bin's channel and value for the output channel followed, row by row; ``[]`` when none is followed."""
    r = scene.chosen
    c = followed(scene)
    if c is None:
        return []
    ph, pw = r.output_size
    return [BinRead(i, j, r.read_channel(scene.channel, i, j), r.points_per_bin, float(r.scores[c, i, j]))
            for i in range(ph) for j in range(pw)]


def nothing_read(scene: Scene) -> str:
    """A plain sentence when no output channel is followed (more bins than channels, or a channel left unread);
    ``""`` otherwise."""
    r = scene.chosen
    ph, pw = r.output_size
    C, k2 = r.map_channels, r.groups
    if r.out_channels == 0:
        return _("**Nothing to pool.** A {ph} × {pw} output has {k2} bins, and each bin needs a channel of its own, "
                 "but the map has only {C} channels: C' = ⌊{C} / {k2}⌋ = 0 output channels. Choose a smaller "
                 "output size.").format(ph=ph, pw=pw, k2=k2, C=C)
    if followed(scene) is None:
        return _("**Channel {channel} is not read.** With {k2} bins the method reads the first {used} channels "
                 "({groups} groups of {k2}); channels {used} to {last} are left over. Pick a channel below {used} to "
                 "follow one.").format(channel=scene.channel, k2=k2, used=r.channels_used, groups=r.out_channels,
                                       last=C - 1)
    return ""


def groups_words(scene: Scene) -> str:
    """One sentence: how many channels, in how many groups, and which group the page follows."""
    r = scene.chosen
    ph, pw = r.output_size
    C, k2, cout = r.map_channels, r.groups, r.out_channels
    c = followed(scene)
    head = (_("The map has {C} channels; {ph} × {pw} bins need {k2} groups, so C' = ⌊{C} / {k2}⌋ = {cout} output "
              "channels, made from the first {used} map channels.") if r.channels_used == C else
            _("The map has {C} channels; {ph} × {pw} bins need {k2} groups, so C' = ⌊{C} / {k2}⌋ = {cout} output "
              "channels, made from the first {used} map channels ({unread} left unread).")).format(
                C=C, ph=ph, pw=pw, k2=k2, cout=cout, used=r.channels_used, unread=C - r.channels_used)
    if c is None:
        return head
    return sampling_words.then(head, _("Map channel {channel} belongs to output channel {c}, whose bins read channels {first} to "
                          "{last}, one each.").format(channel=scene.channel, c=c, first=c * k2, last=c * k2 + k2 - 1))


def plain_align(scene: Scene) -> Scene:
    """The scene with RoIAlign (aligned, the same ratio) as its trace: the points position-sensitive RoIAlign uses,
    each read in ``scene.channel`` itself, for the step that shows where the points are."""
    r = scene.chosen
    plain = roi_align(scene.features, r.roi, stride=r.stride, output_size=r.output_size,
                      sampling_ratio=r.sampling_ratio, aligned=True)
    return dataclasses.replace(scene, chosen=plain)


def step_sampling(scene: Scene) -> str:
    """The bins and sampling points: RoIAlign's, with the reads of the shown channel."""
    return (_("**The same box, bins and points as RoIAlign (aligned).** Position-sensitive RoIAlign cuts the box "
              "exactly as RoIAlign does and reads the map at the same points; what differs is *which channel* each "
              "bin reads there, the next step. The values on the points here are channel {channel}'s.").format(
                  channel=scene.channel) + "\n\n" + sampling_words.step_sampling(plain_align(scene)))


def step_bilinear(scene: Scene) -> str:
    """One point, four cells: RoIAlign's interpolation, shown in ``scene.channel``."""
    return (_("**How a point reads the map**, shown in channel {channel}: position-sensitive RoIAlign interpolates "
              "exactly like this, each bin in its own channel (the next step).").format(channel=scene.channel)
            + "\n\n" + sampling_words.step_bilinear(plain_align(scene)))


def step_groups(scene: Scene) -> str:
    """Each bin reads its own channel: the table of bins, channels and means that the figure prints."""
    r = scene.chosen
    lead = _("**Position-sensitive: each bin reads its own channel.** In RoI pooling and RoIAlign every bin reads "
             "every channel. Here the channels come in groups of one per bin position, and bin (i, j) of output "
             "channel c' reads only channel (c' × rows + i) × columns + j (torchvision's layout). R-FCN trains a conv "
             "layer to make these channels, so that one scores \"the top-left of a cat\", another \"its centre\"; "
             "VGG16's channels were not trained for it, so here they are read as they are: the numbers show how the "
             "pooling reads, not what a trained R-FCN would score.") + "\n\n"
    missing = nothing_read(scene)
    if missing:
        return lead + groups_words(scene) + "\n\n" + missing
    rows = [_("| bin | reads channel | points | mean of its points |"), "|---|---|---|---|"]
    rows += [f"| ({b.i}, {b.j}) | {b.channel} | {b.points} | {value(b.mean)} |" for b in bin_reads(scene)]
    n = r.points_per_bin
    return (lead + sampling_words.then(groups_words(scene), ngettext("Each bin averages its channel at its {n} sampling point:",
                       "Each bin averages its channel at its {n} sampling points:", n).format(n=n))
            + "\n\n" + "\n".join(rows))


def coverage_words(scene: Scene) -> str:
    """The share of the RoI inside the bins (the text alternative's, :func:`roi_viz.lesson.alt.reach`)."""
    k = reach(scene)
    n = scene.chosen.points_per_bin
    return ngettext("**Coverage: {share}.** Nothing is rounded and the bins are always aligned, so they span "
                    "{covered} of the RoI's {area}, against {pooled} for RoI pooling on the same box; but each bin "
                    "reads its channel at only {n} point.",
                    "**Coverage: {share}.** Nothing is rounded and the bins are always aligned, so they span "
                    "{covered} of the RoI's {area}, against {pooled} for RoI pooling on the same box; but each bin "
                    "reads its channel at only {n} points.", n).format(
                        share=k.share, covered=sampling_words.cells_words(k.covered), area=sampling_words.cells_words(k.area), pooled=pct(scene.pooled.coverage),
                        n=n)


def step_output(scene: Scene) -> str:
    """The output: ``C' x ph x pw``, the followed channel's values row by row."""
    r = scene.chosen
    ph, pw = r.output_size
    missing = nothing_read(scene)
    shape = f"{ph} × {pw} × {r.out_channels}"
    head = _("**A fixed-size answer, with fewer channels.** The output is {shape}: {ph} × {pw} values for each of the "
             "{cout} output channels, one per group, where RoIAlign would give {C}. In R-FCN each output channel is "
             "a class's score, and the values of the bins are averaged into one vote per class.").format(
                 shape=shape, ph=ph, pw=pw, cout=r.out_channels, C=r.map_channels)
    head += "\n\n" + coverage_words(scene)
    if missing:
        return head + "\n\n" + missing
    c = followed(scene)
    rows = _("; ").join(", ".join(value(float(v)) for v in row) for row in r.scores[c])
    return head + "\n\n" + _("Output channel {c}, row by row: {rows}.").format(c=c, rows=rows)
