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
    python -m roi_viz explain --lang zh

Every sentence it prints (the steps, the notes, the errors, the help) is in the language of ``--lang``
(``en`` or ``zh``), else the environment's (``LC_ALL``, ``LC_MESSAGES``, ``LANG``) when that is one offered,
else English; the flags, the JSON's keys and the file names stay English.
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

from .language import LANGUAGES, N_, SOURCE, _, using
from .state.options import BY_FIELD, OPTIONS, Option
from .state.settings import Settings
from .methods import METHODS
from .model import images, samples
from .model.weights import said
from .state.options import AXES, MAX_SLIDE_CELLS


def parse_roi(text: str) -> tuple[float, float, float, float]:
    parts = text.replace(" ", "").split(",")
    try:
        values = tuple(float(p) for p in parts)
    except ValueError:
        raise argparse.ArgumentTypeError(_("--roi takes four numbers X,Y,W,H; got {text}").format(text=repr(text))) from None
    if len(values) != 4:
        raise argparse.ArgumentTypeError(_("--roi takes four numbers X,Y,W,H; got {n}").format(n=len(values)))
    return values  # type: ignore[return-value]


def parse_focus(text: str) -> tuple[int, int, int]:
    try:
        values = tuple(int(p) for p in text.replace(" ", "").split(","))
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("--focus takes whole numbers I,J[,K]; got {text}").format(text=repr(text))) from None
    if len(values) not in (2, 3):
        raise argparse.ArgumentTypeError(_("--focus takes two or three numbers I,J[,K]; got {n}").format(n=len(values)))
    return values + (0,) * (3 - len(values))  # type: ignore[return-value]


def parse_cells(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("--slide-cells takes a number of cells, e.g. 0.5; got {text}").format(text=repr(text))) from None
    if not 0 < value <= MAX_SLIDE_CELLS:
        raise argparse.ArgumentTypeError(_("--slide-cells must be more than 0 and at most {most}; got {text}").format(
            most=f"{MAX_SLIDE_CELLS:g}", text=text))
    return value


class Once(argparse.Action):
    """Store an option's value, refusing a second one: ``--image a --image b`` would silently use ``b``."""

    def __call__(self, parser, namespace, values, option_string=None):
        seen = getattr(namespace, "_given", set())
        if self.dest in seen:
            parser.error(_("{flag} is given twice; give it once").format(flag=option_string))
        namespace._given = seen | {self.dest}
        setattr(namespace, self.dest, values)


def _writable_folder(folder: Path) -> str:
    """Why files cannot be written under ``folder`` (created if missing), or ``""``."""
    probe = folder
    while not probe.exists():  # the nearest folder that exists must take the new ones
        probe = probe.parent
    if not probe.is_dir():
        return _("{path} is a file, not a folder").format(path=probe)
    try:  # os.access says yes to root everywhere; creating a file is the real test
        with tempfile.TemporaryFile(dir=probe):
            pass
    except OSError as exc:
        return _("nothing can be written in {path} ({why})").format(path=probe, why=exc.strerror or exc)
    return ""


def check_outputs(args) -> None:
    """Raise ``ValueError`` if an output path cannot be written, before anything is computed. Creates nothing."""
    for option, path, is_folder in (("--figures", args.figures, True), ("--pdf", args.pdf, False),
                                    ("--gif", args.gif, False), ("--gif-slide", args.gif_slide, False)):
        if path is None:
            continue
        if is_folder and path.exists() and not path.is_dir():
            raise ValueError(_("{flag} {path}: this is a file; give a folder for the figures.").format(
                flag=option, path=path))
        if not is_folder and path.is_dir():
            raise ValueError(_("{flag} {path}: this is a folder; give a file name inside it.").format(
                flag=option, path=path))
        if not is_folder and path.exists() and not os.access(path, os.W_OK):
            raise ValueError(_("{flag} {path}: the file cannot be overwritten.").format(flag=option, path=path))
        why = _writable_folder(path if is_folder else path.parent)
        if why:
            raise ValueError(_("{flag} {path}: {why}.").format(flag=option, path=path, why=why))


def _option_type(o: Option):
    """argparse's reader for ``o``: the option's own parser, its sentence on a bad value."""
    def read(text: str):
        if o.kind == "channel":  # its range depends on the layer: checked with the other settings
            return text
        try:
            return o.parse(text)
        except ValueError as exc:
            raise argparse.ArgumentTypeError(_("{flag} {text} {why}").format(flag=o.cli, text=repr(text), why=exc)) from None
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
            raise ValueError(_("--channel {text} {why}.").format(text=repr(values["channel"]), why=exc)) from None
    return Settings().with_(**values)


LANGUAGE_VARIABLES = ("LC_ALL", "LC_MESSAGES", "LANG")  # POSIX's order: the first one set decides


def environment_language(environ=None) -> str:
    """The language the environment asks for (``LC_ALL``, else ``LC_MESSAGES``, else ``LANG``: ``zh_CN.UTF-8``
    is ``zh``) when it is one offered, else English."""
    env = os.environ if environ is None else environ
    for name in LANGUAGE_VARIABLES:
        value = env.get(name)
        if value:
            primary = value.split(".")[0].split("@")[0].replace("-", "_").split("_")[0].lower()
            return primary if primary in LANGUAGES else SOURCE
    return SOURCE


def asked_language(argv) -> str:
    """The language of ``--lang`` in ``argv`` (read before the parser, so that its help and errors speak it
    too), else the environment's. A value not offered is left to the parser, which refuses it."""
    for i, arg in enumerate(argv):
        value = argv[i + 1] if arg == "--lang" and i + 1 < len(argv) else arg[len("--lang="):] if (
            arg.startswith("--lang=")) else None
        if value in LANGUAGES:
            return value
    return environment_language()


def _add_lang(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--lang", action=Once, choices=tuple(LANGUAGES), default=environment_language(),
                        help=_("the language of every sentence printed: en (English) or zh (Simplified Chinese); "
                               "default: the language of $LC_ALL or $LANG when it is Chinese, else English "
                               "(here: {lang}). The flags and the JSON's keys stay English").format(
                                   lang=environment_language()))


def _option_help(o: Option, default, choices) -> str:
    """An option's help: its sentence, its choices and its default, each said in the language in force."""
    text = _(o.help)
    if choices:
        text = _("{help} ({choices})").format(help=text, choices="; ".join(f"{k}: {_(v)}" for k, v in choices.items()))
    return _("{help} (default {value})").format(help=text, value=o.to_text(default))


def build_parser() -> argparse.ArgumentParser:
    """The parser, its help in the language in force (build it inside ``using(lang)``)."""
    parser = argparse.ArgumentParser(
        prog="python -m roi_viz",
        description=_("RoI pooling, step by step, on a real VGG16."),
    )
    _add_lang(parser)  # before the command too: python -m roi_viz --lang zh --help
    sub = parser.add_subparsers(dest="command", required=True)
    ex = sub.add_parser("explain", help=_("print every step of RoI pooling for one RoI"),
                        description=_("Run an image through VGG16 and print each step of RoI pooling for one RoI."))
    ex.add_argument("--roi", action=Once, type=parse_roi, default=samples.ARTICLE_ROI, metavar="X,Y,W,H",
                    help=_("the RoI in pixels of the model input (default: the article's 296,192,200,145)"))
    ex.add_argument("--image", action=Once, type=Path,
                    help=_("an image file (default: the sample '{sample}')").format(sample=samples.DEFAULT_SAMPLE))
    for o in OPTIONS:  # every setting as its one declaration says (roi_viz.state.options)
        default = getattr(Settings(), o.field)
        choices = o.choices() if o.kind == "choice" else None
        ex.add_argument(o.cli, action=Once, type=_option_type(o), default=None, dest=o.field, choices=choices,
                        metavar=None if choices else o.link.upper(), help=_option_help(o, default, choices))
    ex.add_argument("--legacy", action="store_true",
                    help=_("the same as --aligned 0: no -0.5 cell shift (torchvision's aligned=False, PrRoI "
                           "authors' rule)"))
    ex.add_argument("--mode", action=Once, choices=("avg", "max"),
                    help=_("--align-mode and --warp-mode at once: mean or max of the points per bin"))
    ex.add_argument("--focus", action=Once, type=parse_focus, default=(0, 0, 0), metavar="I,J,K",
                    help=_("the bin (row I, column J) and point K looked at closely (default 0,0,0)"))
    ex.add_argument("--json", action="store_true", help=_("print the numbers as JSON instead of text"))
    ex.add_argument("--figures", action=Once, type=Path, metavar="DIR",
                    help=_("also write each step's figure as a PNG into DIR"))
    ex.add_argument("--pdf", action=Once, type=Path, metavar="FILE",
                    help=_("also write a handout: the settings and key numbers, then one page per step (A4 PDF)"))
    ex.add_argument("--gif", action=Once, type=Path, metavar="FILE",
                    help=_("also write the steps as an animated GIF, one frame each"))
    ex.add_argument("--gif-slide", action=Once, type=Path, metavar="FILE",
                    help=_("also write the sliding box as an animated GIF: the followed bin (--focus) of every method"))
    ex.add_argument("--proposals", action="store_true",
                    help=_("also run selective search on the image and print what RoI pooling keeps of every proposal"))
    ex.add_argument("--proposals-csv", action=Once, type=Path, metavar="FILE",
                    help=_("with --proposals: write the per-proposal table"))
    ex.add_argument("--slide-axis", action=Once, choices=AXES, default="x",
                    help=_("--gif-slide moves the RoI right (x) or down (y)"))
    ex.add_argument("--slide-cells", action=Once, type=parse_cells, default=1.0, metavar="CELLS",
                    help=_("--gif-slide moves the RoI by up to this many cells (default 1)"))
    _add_lang(ex)
    dl = sub.add_parser("download-weights", help=_("download VGG16's ImageNet weights into torchvision's cache"),
                        description=_("Download VGG16's ImageNet weights once (e.g. before class), check them, and "
                                      "keep them in torchvision's cache, where the app looks (it uses them from its "
                                      "next start, offline). $ROI_VIZ_WEIGHTS_URL names a mirror to use instead of "
                                      "torchvision's address."))
    dl.add_argument("--dest", type=Path, action=Once,
                    help=_("a file or folder to save to (default: torchvision's cache, where the app looks)"))
    dl.add_argument("--network", action=Once, choices=("vgg16", "resnet50_fpn"), default="vgg16",
                    help=_("whose weights: VGG16's ImageNet weights (default), or the COCO weights of torchvision's "
                           "Faster R-CNN for ResNet-50-FPN ($ROI_VIZ_FPN_WEIGHTS_URL names a mirror)"))
    _add_lang(dl)
    return parser


def run_explain(args) -> int:
    if args.proposals_csv and not args.proposals:
        raise ValueError(_("--proposals-csv writes the table of --proposals: add --proposals."))
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
    else:
        backbone = features.load_backbone()
        fm = features.extract(backbone, inp, settings.layer)
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
            print(_("note: {note}").format(note=note), file=sys.stderr)
        print(json.dumps(data, indent=2))
        for path in written + exports:  # stdout is the JSON alone
            print(_("wrote {path}").format(path=path), file=sys.stderr)
        return 0
    if not backbone.pretrained:
        print(_("NOTE: untrained ResNet-50-FPN (no COCO weights of torchvision's Faster R-CNN found); the arithmetic "
                "is exact, the activations are random.") if settings.pyramid else
              _("NOTE: untrained VGG16 (no ImageNet weights found); the arithmetic is exact, the activations are "
                "random."))
        for p in backbone.problems:
            print("  -", said(p))
    for note in ([clip_msg] if clip_msg else []) + list(decoded.notes):  # what was done to the box and the file
        print(_("NOTE: {note}").format(note=note))
    print(_("Image: {image}, {w}x{h} -> {size}x{size}; {layer}; forward {ms} ms on {device}").format(
        image=args.image or samples.DEFAULT_SAMPLE, w=decoded.original_size[0], h=decoded.original_size[1],
        size=settings.input_size, layer=settings.layer_label, ms=f"{fm.seconds * 1000:.0f}", device=fm.device) + "\n")
    print(_("Method: {method}").format(method=rec.label(scene.chosen)) + "\n")
    for i, step in enumerate(walkthrough.steps(settings.method, settings.network), 1):
        print(_("== Step {n}: {title} ==").format(n=i, title=step.title))
        print(plain(step.words(scene)))
        print()
    for path in written + exports:
        print(_("wrote {path}").format(path=path))
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
        print(_("Each proposal at its own level of the pyramid: {words}").format(words=plain(pyramid_words(pl))),
              file=out)
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
        fpn = True
    else:
        fpn = False
    url = weights_url()
    where = urlparse(url)
    if where.scheme not in ("http", "https") or not where.hostname:
        raise ValueError(_("${variable} must be an address starting with http:// or https://; got {url}.").format(
            variable=ENV_URL, url=repr(url)))
    port = where.port or (443 if where.scheme == "https" else 80)
    shown = []  # whether a progress line is open on stderr: the next message starts on a fresh line

    def progress(done: int, total: int) -> None:
        shown.append(True)
        size = f" / {total / 2**20:.1f}" if total else ""
        print(f"\r{done / 2**20:7.1f}{size} MB", end="", file=sys.stderr, flush=True)

    def fail(why: str) -> int:
        print(("\n" if shown else "") + _(
            "error: the weights could not be downloaded from {host}: {why} Nothing was saved. A copy of {file} "
            "fetched elsewhere works too: set {variable} to its path.").format(
                host=where.hostname, why=why, file=file_name(url), variable=ENV_WEIGHTS), file=sys.stderr)
        return 1

    print(_("Downloading {url} ...").format(url=url), file=sys.stderr)
    # urlopen's timeout does not cover the name lookup: the probe answers within seconds whatever the network.
    if not host_reachable(where.hostname, port, PROBE_SECONDS):
        return fail(_("port {port} did not answer within {seconds} s (no internet, or the address is wrong).").format(
            port=port, seconds=f"{PROBE_SECONDS:g}"))
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
        return fail(_("the file is not usable: {why}.").format(why=exc))
    mb = f"{sum(v.numel() * v.element_size() for v in sd.values()) / 2**20:.0f}"
    print(("\n" if shown else "") + (
        _("Saved and checked: {path} (ResNet-50-FPN's backbone (ResNet-50 and its feature pyramid), {mb} MB of "
          "weights, each of the expected shape).") if fpn else
        _("Saved and checked: {path} (VGG16's 13 conv layers, {mb} MB of weights, each of the expected shape).")
    ).format(path=path, mb=mb))
    if path == cache_path() and file_name(url) == file_name(WEIGHTS.url):
        print(_("The app finds it in torchvision's cache from its next start."))
    else:
        print(_("Point the app to it with: export {variable}={path}").format(variable=ENV_WEIGHTS, path=path))
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
    print(_("note: {note}").format(note=text if text.endswith(".") else text + "."), file=sys.stderr)


# argparse's own words that a person meets (the help's headings, its errors), marked here so that the catalog
# has them: argparse looks each up through its module's ``_`` when it says it, which :func:`main` points at ours.
ARGPARSE_WORDS = (
    N_("usage: "), N_("options"), N_("positional arguments"), N_("show this help message and exit"),
    N_("%(prog)s: error: %(message)s\n"), N_("argument %(argument_name)s: %(message)s"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"), N_("the following arguments are required: %s"),
    N_("unrecognized arguments: %s"), N_("expected one argument"), N_("invalid %(type)s value: %(value)r"),
)


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    said_by_argparse = argparse._
    argparse._ = _  # a message not in our catalog stays argparse's English, as before
    try:
        with using(asked_language(argv)):  # every word from here on, the help and argparse's errors included
            return _run(argv)
    finally:
        argparse._ = said_by_argparse


def _run(argv: list[str]) -> int:
    args = build_parser().parse_args(argv)
    with warnings.catch_warnings():
        warnings.showwarning = _say_warning
        try:
            if args.command == "explain":
                return run_explain(args)
            return run_download(args)
        except (ValueError, KeyError, OSError) as exc:  # ImageError and RoIError are ValueErrors
            print(_("error: {message}").format(message=exc), file=sys.stderr)
            return 2
        except KeyboardInterrupt:
            print("\n" + _("stopped."), file=sys.stderr)
            return 130
