"""Command line: ``python -m roi_viz explain`` prints every step; ``download-weights`` prepares a classroom.

Examples::

    python -m roi_viz explain --roi 296,192,200,145
    python -m roi_viz explain --roi 40,60,300,200 --image photo.jpg --scheme fastrcnn --json
    python -m roi_viz explain --roi 296,192,200,145 --figures slides/
    python -m roi_viz explain --pdf handout.pdf --gif steps.gif
    python -m roi_viz explain --layer conv5_3 --output 7x7 --scheme fastrcnn --gif-slide slide.gif --slide-axis y
    python -m roi_viz explain --method align --sampling-ratio 0 --legacy --mode max
    python -m roi_viz explain --proposals --proposals-csv proposals.csv
    python -m roi_viz download-weights
"""
from __future__ import annotations

import argparse
import json
import os
import re
import sys
import tempfile
from pathlib import Path

from .lesson.options import BY_FIELD, OPTIONS, Option
from .lesson.settings import Settings
from .methods import METHODS
from .model import images, samples
from .lesson.choices import AXES, MAX_SLIDE_CELLS


def parse_roi(text: str) -> tuple[float, float, float, float]:
    parts = text.replace(" ", "").split(",")
    try:
        values = tuple(float(p) for p in parts)
    except ValueError:
        raise argparse.ArgumentTypeError(f"--roi takes four numbers X,Y,W,H; got {text!r}") from None
    if len(values) != 4:
        raise argparse.ArgumentTypeError(f"--roi takes four numbers X,Y,W,H; got {len(values)}")
    return values  # type: ignore[return-value]


def parse_focus(text: str) -> tuple[int, int, int]:
    try:
        values = tuple(int(p) for p in text.replace(" ", "").split(","))
    except ValueError:
        raise argparse.ArgumentTypeError(f"--focus takes whole numbers I,J[,K]; got {text!r}") from None
    if len(values) not in (2, 3):
        raise argparse.ArgumentTypeError(f"--focus takes two or three numbers I,J[,K]; got {len(values)}")
    return values + (0,) * (3 - len(values))  # type: ignore[return-value]


def parse_cells(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"--slide-cells takes a number of cells, e.g. 0.5; got {text!r}") from None
    if not 0 < value <= MAX_SLIDE_CELLS:
        raise argparse.ArgumentTypeError(f"--slide-cells must be more than 0 and at most {MAX_SLIDE_CELLS:g}; got {text}")
    return value


class Once(argparse.Action):
    """Store an option's value, refusing a second one: ``--image a --image b`` would silently use ``b``."""

    def __call__(self, parser, namespace, values, option_string=None):
        seen = getattr(namespace, "_given", set())
        if self.dest in seen:
            parser.error(f"{option_string} is given twice; give it once")
        namespace._given = seen | {self.dest}
        setattr(namespace, self.dest, values)


def _writable_folder(folder: Path) -> str:
    """Why files cannot be written under ``folder`` (created if missing), or ``""``."""
    probe = folder
    while not probe.exists():  # the nearest folder that exists must take the new ones
        probe = probe.parent
    if not probe.is_dir():
        return f"{probe} is a file, not a folder"
    try:  # os.access says yes to root everywhere; creating a file is the real test
        with tempfile.TemporaryFile(dir=probe):
            pass
    except OSError as exc:
        return f"nothing can be written in {probe} ({exc.strerror or exc})"
    return ""


def check_outputs(args) -> None:
    """Raise ``ValueError`` if an output path cannot be written, before anything is computed. Creates nothing."""
    for option, path, is_folder in (("--figures", args.figures, True), ("--pdf", args.pdf, False),
                                    ("--gif", args.gif, False), ("--gif-slide", args.gif_slide, False)):
        if path is None:
            continue
        if is_folder and path.exists() and not path.is_dir():
            raise ValueError(f"{option} {path}: this is a file; give a folder for the figures.")
        if not is_folder and path.is_dir():
            raise ValueError(f"{option} {path}: this is a folder; give a file name inside it.")
        if not is_folder and path.exists() and not os.access(path, os.W_OK):
            raise ValueError(f"{option} {path}: the file cannot be overwritten.")
        why = _writable_folder(path if is_folder else path.parent)
        if why:
            raise ValueError(f"{option} {path}: {why}.")


def _option_type(o: Option):
    """argparse's reader for ``o``: the option's own parser, its sentence on a bad value."""
    def read(text: str):
        if o.kind == "channel":  # its range depends on the layer: checked with the other settings
            return text
        try:
            return o.parse(text)
        except ValueError as exc:
            raise argparse.ArgumentTypeError(f"{o.cli} {text!r} {exc}") from None
    read.__name__ = o.field
    return read


def settings_of(args) -> Settings:
    """The settings the flags give: each option as declared, then the two older flags (--legacy, --mode)."""
    values = {o.field: getattr(args, o.field) for o in OPTIONS if getattr(args, o.field, None) is not None}
    if args.legacy:
        values["aligned"] = False
    if args.mode:
        values.setdefault("align_mode", args.mode)
        values.setdefault("warp_mode", args.mode)
    if "channel" in values:
        layer = values.get("layer", Settings.layer)
        try:
            values["channel"] = BY_FIELD["channel"].parse(values["channel"], Settings(layer=layer))
        except ValueError as exc:
            raise ValueError(f"--channel {values['channel']!r} {exc}.") from None
    return Settings().with_(**values)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m roi_viz",
        description="RoI pooling, step by step, on a real VGG16.",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    ex = sub.add_parser("explain", help="print every step of RoI pooling for one RoI",
                        description="Run an image through VGG16 and print each step of RoI pooling for one RoI.")
    ex.add_argument("--roi", action=Once, type=parse_roi, default=samples.ARTICLE_ROI, metavar="X,Y,W,H",
                    help="the RoI in pixels of the model input (default: the article's 296,192,200,145)")
    ex.add_argument("--image", action=Once, type=Path, help=f"an image file (default: the sample '{samples.DEFAULT_SAMPLE}')")
    for o in OPTIONS:  # every setting as its one declaration says (roi_viz.lesson.options)
        default = getattr(Settings(), o.field)
        choices = o.choices() if o.kind == "choice" else None
        ex.add_argument(o.cli, action=Once, type=_option_type(o), default=None, dest=o.field, choices=choices,
                        metavar=None if choices else o.link.upper(),
                        help=f"{o.help}" + (" (" + "; ".join(f"{k}: {v}" for k, v in choices.items()) + ")"
                                            if choices else "") + f" (default {o.to_text(default)})")
    ex.add_argument("--legacy", action="store_true",
                    help="the same as --aligned 0: no -0.5 cell shift (torchvision's aligned=False, PrRoI authors' rule)")
    ex.add_argument("--mode", action=Once, choices=("avg", "max"),
                    help="--align-mode and --warp-mode at once: mean or max of the points per bin")
    ex.add_argument("--focus", action=Once, type=parse_focus, default=(0, 0, 0), metavar="I,J,K",
                    help="the bin (row I, column J) and point K looked at closely (default 0,0,0)")
    ex.add_argument("--json", action="store_true", help="print the numbers as JSON instead of text")
    ex.add_argument("--figures", action=Once, type=Path, metavar="DIR", help="also write each step's figure as a PNG into DIR")
    ex.add_argument("--pdf", action=Once, type=Path, metavar="FILE",
                    help="also write a handout: the settings and key numbers, then one page per step (A4 PDF)")
    ex.add_argument("--gif", action=Once, type=Path, metavar="FILE", help="also write the steps as an animated GIF, one frame each")
    ex.add_argument("--gif-slide", action=Once, type=Path, metavar="FILE",
                    help="also write the sliding box as an animated GIF: the followed bin (--focus) of every method")
    ex.add_argument("--proposals", action="store_true",
                    help="also run selective search on the image and print what RoI pooling keeps of every proposal")
    ex.add_argument("--proposals-csv", action=Once, type=Path, metavar="FILE", help="with --proposals: write the per-proposal table")
    ex.add_argument("--slide-axis", action=Once, choices=AXES, default="x", help="--gif-slide moves the RoI right (x) or down (y)")
    ex.add_argument("--slide-cells", action=Once, type=parse_cells, default=1.0, metavar="CELLS",
                    help="--gif-slide moves the RoI by up to this many cells (default 1)")
    dl = sub.add_parser("download-weights", help="download VGG16's ImageNet weights into torchvision's cache",
                        description="Download the ImageNet weights once (e.g. before class) so the app works offline.")
    dl.add_argument("--dest", type=Path, action=Once, help="where to save the file (default: torchvision's cache)")
    return parser


def run_explain(args) -> int:
    if args.proposals_csv and not args.proposals:
        raise ValueError("--proposals-csv writes the table of --proposals: add --proposals.")
    # Imported here so that `--help` and argument errors answer at once, without torch.
    from . import export, rois
    from .draw.kit import to_png
    from .lesson.words import plain
    from . import walkthrough
    from .methods import build_scene
    from .model import features

    check_outputs(args)
    settings = settings_of(args)
    sample = None if args.image else samples.get_sample(samples.DEFAULT_SAMPLE)
    decoded = images.load_file(args.image or sample.path)
    inp, mapping = images.prepare_input(decoded, settings.input_size, settings.shape)
    box, clip_msg = rois.clip_roi(args.roi, inp.size)
    backbone = features.load_backbone()
    fm = features.extract(backbone, inp, settings.layer)
    scene = build_scene(inp, fm.values, [box], 0, settings, pretrained=backbone.pretrained, focus=args.focus)
    rec = METHODS[settings.method]
    written = []
    if args.figures:
        args.figures.mkdir(parents=True, exist_ok=True)
        for i, step in enumerate(walkthrough.steps(settings.method), 1):
            path = args.figures / f"step{i}_{step.key}.png"
            path.write_bytes(to_png(step.figure(scene)))
            written.append(str(path))
    exports = []
    for path, make in (
        (args.pdf, lambda: export.handout_pdf(scene, title=sample.title if sample else args.image.name)),
        (args.gif, lambda: export.walkthrough_gif(scene)),
        (args.gif_slide, lambda: export.slide_gif(scene, axis=args.slide_axis, cells=args.slide_cells)),
    ):
        if path:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(make())
            exports.append(str(path))
    if args.proposals:
        table = _proposals(args, inp, fm.values.shape[1:], settings)
        exports += [table] if table else []
    if args.json:
        data = export.numbers(scene, forward_ms=fm.seconds * 1000, device=fm.device, roi_clip_message=clip_msg,
                              figures=written)
        data["exports"] = exports
        print(json.dumps(data, indent=2))
        for path in written + exports:  # stdout is the JSON alone
            print("wrote", path, file=sys.stderr)
        return 0
    if not backbone.pretrained:
        print("NOTE: untrained VGG16 (no ImageNet weights found); the arithmetic is exact, the activations are random.")
        for p in backbone.problems:
            print("  -", p)
    if clip_msg:
        print("NOTE:", clip_msg)
    print(f"Image: {args.image or samples.DEFAULT_SAMPLE}, {decoded.original_size[0]}x{decoded.original_size[1]} "
          f"-> {settings.input_size}x{settings.input_size}; {settings.layer_label}; forward {fm.seconds * 1000:.0f} ms on {fm.device}\n")
    print(f"Method: {rec.label(scene.result)}\n")
    for i, step in enumerate(walkthrough.steps(settings.method), 1):
        print(f"== Step {i}: {step.title} ==")
        print(plain(step.words(scene)))
        print()
    for path in written + exports:
        print("wrote", path)
    return 0


def _proposals(args, inp, map_size, settings) -> str:
    """Selective search on the input, the summary on stderr (stdout may be the JSON), the table if asked."""
    from . import proposals
    from .lesson.proposals import study, summary_text

    boxes = proposals.selective_search(inp)
    st = study(boxes, map_size=map_size, stride=settings.stride, output_size=settings.output_size,
               scheme=settings.scheme, layer=settings.layer, sampling_ratio=settings.sampling_ratio)
    print(summary_text(st), file=sys.stderr if args.json else sys.stdout)
    print(file=sys.stderr if args.json else sys.stdout)
    if args.proposals_csv:
        args.proposals_csv.parent.mkdir(parents=True, exist_ok=True)
        args.proposals_csv.write_text(proposals.to_csv(boxes, st.geo))
        return str(args.proposals_csv)
    return ""


def run_download(args) -> int:
    from .weights import WEIGHTS, download_weights, load_weights_file

    def progress(done: int, total: int) -> None:
        if total:
            print(f"\r{done / 2**20:7.1f} / {total / 2**20:.1f} MB", end="", file=sys.stderr, flush=True)

    print(f"Downloading {WEIGHTS.url} ...", file=sys.stderr)
    try:
        path = download_weights(args.dest, progress=progress)
        load_weights_file(path)
    except Exception as exc:
        print(f"\nerror: the download failed: {exc}", file=sys.stderr)
        return 1
    print(f"\nSaved and checked: {path}")
    if args.dest:
        print(f"Point the app to it with: export ROI_VIZ_WEIGHTS={path}")
    return 0


def main(argv=None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if args.command == "explain":
            return run_explain(args)
        return run_download(args)
    except (ValueError, KeyError, OSError) as exc:  # ImageError and RoIError are ValueErrors
        print(f"error: {exc}", file=sys.stderr)
        return 2
