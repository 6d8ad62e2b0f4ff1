"""Command line: ``python -m roi_viz explain`` prints every step; ``download-weights`` prepares a classroom.

Examples::

    python -m roi_viz explain --roi 296,192,200,145
    python -m roi_viz explain --roi 40,60,300,200 --image photo.jpg --scheme fastrcnn --json
    python -m roi_viz explain --roi 296,192,200,145 --figures slides/
    python -m roi_viz explain --pdf handout.pdf --gif steps.gif
    python -m roi_viz explain --layer conv5_3 --output 7x7 --scheme fastrcnn --gif-slide slide.gif --slide-axis y
    python -m roi_viz explain --method align --sampling-ratio 0 --legacy --mode max
    python -m roi_viz explain --network resnet50_fpn --method align --output 7x7
    python -m roi_viz explain --proposals --proposals-csv proposals.csv
    python -m roi_viz download-weights
    python -m roi_viz download-weights --network resnet50_fpn
"""
from __future__ import annotations

import argparse
import json
import os
import re
import sys
import tempfile
import warnings
from pathlib import Path

from .state.options import BY_FIELD, OPTIONS, Option
from .state.settings import Settings
from .methods import METHODS
from .model import images, samples
from .state.options import AXES, MAX_SLIDE_CELLS


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
            values["channel"] = BY_FIELD["channel"].parse(
                values["channel"], Settings(network=values.get("network", Settings.network), layer=layer))
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
    for o in OPTIONS:  # every setting as its one declaration says (roi_viz.state.options)
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
                        description="Download VGG16's ImageNet weights once (e.g. before class), check them, and keep "
                                    "them in torchvision's cache, where the app looks (it uses them from its next "
                                    "start, offline). "
                                    "$ROI_VIZ_WEIGHTS_URL names a mirror to use instead of torchvision's address.")
    dl.add_argument("--dest", type=Path, action=Once,
                    help="a file or folder to save to (default: torchvision's cache, where the app looks)")
    dl.add_argument("--network", action=Once, choices=("vgg16", "resnet50_fpn"), default="vgg16",
                    help="whose weights: VGG16's ImageNet weights (default), or the COCO weights of torchvision's "
                         "Faster R-CNN for ResNet-50-FPN ($ROI_VIZ_FPN_WEIGHTS_URL names a mirror)")
    return parser


def run_explain(args) -> int:
    if args.proposals_csv and not args.proposals:
        raise ValueError("--proposals-csv writes the table of --proposals: add --proposals.")
    # Imported here so that `--help` and argument errors answer at once, without torch.
    from . import export
    from .state import rois
    from .picture.files import to_png
    from .lesson.words import plain
    from . import walkthrough
    from .methods import build_scene
    from .model import features

    check_outputs(args)
    settings = settings_of(args)
    sample = None if args.image else samples.get_sample(samples.DEFAULT_SAMPLE)
    decoded = images.load_file(args.image or sample.path)
    inp, mapping = images.prepare_input(decoded, settings.input_size, settings.shape)
    box, clip_msg = rois.entering(args.roi, inp.size)  # whole input pixels, as the page keeps a box
    if settings.pyramid:  # ResNet-50-FPN: its four maps; the scene reads the level the box's size picks
        from .model import pyramid

        backbone = pyramid.load_fpn_backbone()
        pyr = pyramid.extract_pyramid(backbone, inp)
        fm = features.FeatureMap(pyr.maps, "P2–P5", pyr.strides[0], settings.input_size, pyr.seconds, pyr.device)
        trained = "COCO weights of torchvision's Faster R-CNN"
    else:
        backbone = features.load_backbone()
        fm = features.extract(backbone, inp, settings.layer)
        trained = "ImageNet weights"
    scene = build_scene(inp, fm.values, [box], 0, settings, pretrained=backbone.pretrained, focus=args.focus)
    settings = scene.settings  # on the pyramid: the level resolved for the box
    rec = METHODS[settings.method]
    written = []
    if args.figures:
        args.figures.mkdir(parents=True, exist_ok=True)
        for i, step in enumerate(walkthrough.steps(settings.method, settings.network), 1):
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
        table = _proposals(args, inp, scene.features.shape[1:], settings)
        exports += [table] if table else []
    if args.json:
        data = export.numbers(scene, forward_ms=fm.seconds * 1000, device=fm.device, roi_clip_message=clip_msg,
                              figures=written)
        data["exports"] = exports
        for note in decoded.notes:  # stdout is the JSON alone
            print("note:", note, file=sys.stderr)
        print(json.dumps(data, indent=2))
        for path in written + exports:  # stdout is the JSON alone
            print("wrote", path, file=sys.stderr)
        return 0
    if not backbone.pretrained:
        name = "ResNet-50-FPN" if settings.pyramid else "VGG16"
        print(f"NOTE: untrained {name} (no {trained} found); the arithmetic is exact, the activations are random.")
        for p in backbone.problems:
            print("  -", p)
    if clip_msg:
        print("NOTE:", clip_msg)
    for note in decoded.notes:  # what was done to the file (frames, orientation, modes), as the page says it
        print("NOTE:", note)
    print(f"Image: {args.image or samples.DEFAULT_SAMPLE}, {decoded.original_size[0]}x{decoded.original_size[1]} "
          f"-> {settings.input_size}x{settings.input_size}; {settings.layer_label}; forward {fm.seconds * 1000:.0f} ms on {fm.device}\n")
    print(f"Method: {rec.label(scene.chosen)}\n")
    for i, step in enumerate(walkthrough.steps(settings.method, settings.network), 1):
        print(f"== Step {i}: {step.title} ==")
        print(plain(step.words(scene)))
        print()
    for path in written + exports:
        print("wrote", path)
    return 0


def _proposals(args, inp, map_size, settings) -> str:
    """Selective search on the input, the summary on stderr (stdout may be the JSON), the table if asked."""
    from .study import proposals
    from .lesson.proposals import study, summary_text

    boxes = proposals.selective_search(inp)
    st = study(boxes, map_size=map_size, stride=settings.stride, output_size=settings.output_size,
               scheme=settings.scheme, layer=settings.layer, sampling_ratio=settings.sampling_ratio)
    out = sys.stderr if args.json else sys.stdout
    print(summary_text(st), file=out)
    print(file=out)
    if settings.pyramid:  # above: every box at the followed box's level; here each at its own, as the detector does
        from .lesson.proposals import pyramid_words
        from .lesson.words import plain

        pl = proposals.pyramid_loss(boxes, image_size=inp.size, output_size=settings.output_size, scheme=settings.scheme)
        print("Each proposal at its own level of the pyramid:", plain(pyramid_words(pl)), file=out)
        print(file=out)
    if args.proposals_csv:
        args.proposals_csv.parent.mkdir(parents=True, exist_ok=True)
        args.proposals_csv.write_text(proposals.to_csv(boxes, st.geo))
        return str(args.proposals_csv)
    return ""


def run_download(args) -> int:
    """Fetch the weights, check them as the app will, and say where they are; one sentence if that fails.

    ``$ROI_VIZ_OFFLINE`` does not stop it: that switch is for the app's own attempt, and this
    command is asked for by name.
    """
    from urllib.parse import urlparse

    from .model.weights import (ENV_URL, ENV_WEIGHTS, PROBE_SECONDS, WEIGHTS, WeightsError, cache_path,
                                download_weights, file_name, host_reachable, load_weights_file, weights_url)

    if getattr(args, "network", "vgg16") == "resnet50_fpn":  # the same steps, with the pyramid's file and checks
        from .model import pyramid

        ENV_URL, ENV_WEIGHTS, WEIGHTS = pyramid.ENV_FPN_URL, pyramid.ENV_FPN_WEIGHTS, pyramid.FPN_WEIGHTS  # noqa: N806
        cache_path, weights_url, load_weights_file = (pyramid.fpn_cache_path, pyramid.fpn_weights_url,
                                                      pyramid.load_fpn_weights_file)
        what = "ResNet-50-FPN's backbone (ResNet-50 and its feature pyramid)"
    else:
        what = "VGG16's 13 conv layers"
    url = weights_url()
    where = urlparse(url)
    if where.scheme not in ("http", "https") or not where.hostname:
        raise ValueError(f"${ENV_URL} must be an address starting with http:// or https://; got {url!r}.")
    port = where.port or (443 if where.scheme == "https" else 80)
    shown = []  # whether a progress line is open on stderr: the next message starts on a fresh line

    def progress(done: int, total: int) -> None:
        shown.append(True)
        size = f" / {total / 2**20:.1f}" if total else ""
        print(f"\r{done / 2**20:7.1f}{size} MB", end="", file=sys.stderr, flush=True)

    def fail(why: str) -> int:
        print(("\n" if shown else "") + f"error: the weights could not be downloaded from {where.hostname}: {why} "
              f"Nothing was saved. A copy of {file_name(url)} fetched elsewhere works too: set {ENV_WEIGHTS} "
              "to its path.", file=sys.stderr)
        return 1

    print(f"Downloading {url} ...", file=sys.stderr)
    # urlopen's timeout does not cover the name lookup: the probe answers within seconds whatever the network.
    if not host_reachable(where.hostname, port, PROBE_SECONDS):
        return fail(f"port {port} did not answer within {PROBE_SECONDS:g} s (no internet, or the address is wrong).")
    try:
        path = download_weights(args.dest or cache_path(), progress=progress, url=url)
    except WeightsError as exc:
        return fail(f"{exc}.")
    except OSError as exc:  # URLError, HTTPError, timeouts, a full disk
        return fail(f"{_reason(exc)}.")
    try:
        sd = load_weights_file(path)
    except (OSError, WeightsError) as exc:
        path.unlink(missing_ok=True)  # a file the app would refuse must not sit where the app looks
        return fail(f"the file is not usable: {exc}.")
    mb = sum(v.numel() * v.element_size() for v in sd.values()) / 2**20
    print(("\n" if shown else "") + f"Saved and checked: {path} ({what}, {mb:.0f} MB of "
          "weights, each of the expected shape).")
    if path == cache_path() and file_name(url) == file_name(WEIGHTS.url):
        print("The app finds it in torchvision's cache from its next start.")
    else:
        print(f"Point the app to it with: export {ENV_WEIGHTS}={path}")
    return 0


def _reason(exc: OSError) -> str:
    """An ``OSError`` of urllib as a few words: ``HTTP 404 Not Found``, ``Connection refused``, ``timed out``."""
    if getattr(exc, "code", None):  # HTTPError
        return f"HTTP {exc.code} {getattr(exc, 'reason', '')}".strip()
    reason = getattr(exc, "reason", None) or exc  # URLError wraps the socket's error
    return getattr(reason, "strerror", None) or str(reason) or type(exc).__name__


def _say_warning(message, category, filename, lineno, file=None, line=None) -> None:
    """A warning from a library (Pillow, torch) as one line of words on stderr.

    Python's own format adds the file name, line number and source line of the code that
    warned: noise to a teacher, and it would sit inside the command's output.
    """
    text = " ".join(str(message).split()) or category.__name__
    print(f"note: {text if text.endswith('.') else text + '.'}", file=sys.stderr)


def main(argv=None) -> int:
    args = build_parser().parse_args(argv)
    with warnings.catch_warnings():
        warnings.showwarning = _say_warning
        try:
            if args.command == "explain":
                return run_explain(args)
            return run_download(args)
        except (ValueError, KeyError, OSError) as exc:  # ImageError and RoIError are ValueErrors
            print(f"error: {exc}", file=sys.stderr)
            return 2
        except KeyboardInterrupt:
            print("\nstopped.", file=sys.stderr)
            return 130
