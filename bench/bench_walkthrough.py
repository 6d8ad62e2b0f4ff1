"""Speed and memory of the walkthrough, against bare baselines measured in the same run.

    python -m bench.bench_walkthrough [--repeat 7] [--size 512]

Prints:
1. the VGG16 forward through ``roi_viz.model.features.extract`` (preprocessing included)
   against a bare torchvision ``vgg16().features`` forward on the same tensor;
2. for an RoI change with cached features, the time until each step's figure is
   ready for the page: trace + description + SVG, for every method (RoI pooling
   with both rounding rules, RoIAlign, RoIWarp, PrRoI), the compare view and the
   sliding plot; against the same description painted by Matplotlib into a PNG
   (the files' way, and the page's before its figures were described) and a bare
   SVG of a figure's size, in the same run;
3. the process's peak resident memory.
Goal on a 2-core machine: every step's description and SVG within 5 ms of an RoI change.
"""
from __future__ import annotations

import argparse
import os
import resource
import statistics
import time

os.environ.setdefault("ROI_VIZ_OFFLINE", "1")

import numpy as np  # noqa: E402
import torch  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from torchvision.models import vgg16  # noqa: E402

from roi_viz.picture.files import to_jpeg, to_png  # noqa: E402
from roi_viz.figures.compare import describe_compare, describe_slide  # noqa: E402
from roi_viz.state.settings import Settings  # noqa: E402
from roi_viz.methods import METHODS, build_scene, run_all, runners  # noqa: E402
from roi_viz.model import features, images, samples  # noqa: E402
from roi_viz.ops.sliding import slide_roi  # noqa: E402
from roi_viz.picture import mpl, svg  # noqa: E402
from roi_viz import walkthrough  # noqa: E402
from ui.figure import PAGE_DPI  # noqa: E402

PAGE_WIDTH, PAGE_TEXT = 560.0, 13.0  # ui.figure's: the page's drawing

GOAL_MS = 5.0  # a step's description and SVG, after an RoI change


CPU_MS: list[float] = []  # the CPU-time median of the last ``timed`` call


def timed(fn, repeat: int) -> float:
    """Median wall time of ``fn()`` in ms; its CPU-time median goes to ``CPU_MS``.

    On a shared VM the wall time swings with the neighbours; the process's CPU
    time does not, so both are printed.
    """
    wall, cpu = [], []
    for _ in range(repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        fn()
        wall.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
    CPU_MS[:] = [statistics.median(cpu)]
    return statistics.median(wall)


def main() -> None:
    ap = argparse.ArgumentParser(prog="python -m bench.bench_walkthrough",
                                 description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=15)
    ap.add_argument("--size", type=int, default=512)
    args = ap.parse_args()
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads, device: {features.pick_device()}")

    backbone = features.load_backbone()
    img, _ = images.prepare_input(images.load_file(samples.get_sample("astronaut").path), args.size)

    # 1. forward: ours (preprocess + forward + to NumPy) vs bare torchvision
    bare = vgg16(weights=None).features.eval().to(backbone.device)
    x = features.image_tensor(img).to(backbone.device)

    def bare_forward():
        with torch.inference_mode():
            bare(x)
        if backbone.device.type == "cuda":
            torch.cuda.synchronize()

    bare_forward()
    features.extract(backbone, img)  # warm-up
    t_bare = timed(bare_forward, args.repeat)
    t_ours = timed(lambda: features.extract(backbone, img), args.repeat)
    print(f"\nVGG16 forward to pool5, {args.size}x{args.size} input, median of {args.repeat}:")
    print(f"  bare torchvision  {t_bare:8.1f} ms")
    print(f"  roi_viz.extract   {t_ours:8.1f} ms   ratio {t_ours / t_bare:.2f}")

    # 2. per step, after an RoI change, features cached
    fm = features.extract(backbone, img).values
    rng = np.random.default_rng(0)
    S = args.size
    rois = [samples.ARTICLE_ROI] + [
        (float(rng.uniform(0, S / 2)), float(rng.uniform(0, S / 2)), float(rng.uniform(40, S / 2)), float(rng.uniform(40, S / 2)))
        for _ in range(args.repeat - 1)
    ]

    def bare_figure(w=8.0, h=8.0):
        fig = Figure(figsize=(w, h), dpi=100)
        fig.add_subplot().plot([0, 1], [0, 1])
        to_png(fig, PAGE_DPI)

    def bare_svg():  # the floor of an SVG of one figure's size: 400 rectangles and 40 texts written as text
        "".join(f'<rect x="{k % 20}" y="{k // 20}" width="1" height="1" fill="#{k:06x}"/>' for k in range(400))
        "".join(f'<text x="{k}" y="{k}">{k / 7:.3f}</text>' for k in range(40))

    print(f"\nStep ready after an RoI change, median over {len(rois)} RoIs: the page's way (trace + description +")
    print("SVG) against the files' way (the same description painted by Matplotlib, encoded as the page once sent")
    print("it), and a bare SVG of 400 cells and 40 texts, measured just before each step (same conditions).")
    print(f"  {'':24s} {'svg':>9s} {'cpu':>9s} {'png':>9s} {'bare':>8s} {'svg/png':>8s} {'svg/bare':>8s}")
    worst = {}

    def report(name: str, page, file):
        page(), file()  # warm-up
        t_bare = timed(bare_svg, len(rois))
        t_file = timed(file, len(rois))
        t = timed(page, len(rois))
        worst[name] = t
        flag = "ok" if t <= GOAL_MS else "over the goal"
        print(f"  {name:24s} {t:6.2f} ms {CPU_MS[0]:6.2f} ms {t_file:6.1f} ms {t_bare:5.2f} ms {t / t_file:8.3f} "
              f"{t / t_bare:8.1f}   {flag}")

    variants = [("pool", "article"), ("pool", "fastrcnn"), ("align", "article"), ("warp", "article"), ("prroi", "article")]
    for method, scheme in variants:
        settings = Settings(method=method, scheme=scheme)
        for step in walkthrough.steps(method):
            if method != "pool" and step.key in ("image", "features"):
                continue  # the same figures as RoI pooling's
            it = iter(rois * 8)

            def page(step=step, settings=settings, it=it):
                scene = build_scene(img, fm, [next(it)], 0, settings, focus=(1, 1, 1))
                svg.paint(step.describe(scene, width=PAGE_WIDTH, text=PAGE_TEXT))

            def file(step=step, settings=settings, it=it):
                scene = build_scene(img, fm, [next(it)], 0, settings, focus=(1, 1, 1))
                (to_jpeg if step.photo else to_png)(step.figure(scene), PAGE_DPI)

            label = (scheme if method == "pool" else method) + " " + step.key
            report(label, page, file)

    it = iter(rois * 8)
    aligned = Settings(method="align")

    def compare(paint):
        scene = build_scene(img, fm, [next(it)], 0, aligned)
        d = describe_compare(scene, run_all(fm, scene.rois[0], aligned), METHODS, width=PAGE_WIDTH, text=PAGE_TEXT)
        svg.paint(d) if paint == "svg" else to_png(mpl.paint(d), PAGE_DPI)

    def slide(paint):
        scene = build_scene(img, fm, [next(it)], 0, aligned)
        s = slide_roi(fm, scene.rois[0], runners(aligned), stride=aligned.stride, output_size=aligned.output_size,
                      channel=scene.channel, bin=(1, 1))
        d = describe_slide(scene, s, METHODS, width=PAGE_WIDTH, text=PAGE_TEXT)
        svg.paint(d) if paint == "svg" else to_png(mpl.paint(d), PAGE_DPI)

    report("compare view", lambda: compare("svg"), lambda: compare("png"))
    report("slide view (101 boxes)", lambda: slide("svg"), lambda: slide("png"))
    name = max(worst, key=worst.get)
    over = [k for k, v in worst.items() if v > GOAL_MS]
    print(f"  slowest: {name} {worst[name]:.2f} ms; goal {GOAL_MS:.0f} ms a step; over the goal: {', '.join(over) or 'none'}")
    print("  (the slide view runs 101 boxes through 4 methods: its goal is the page's click, see bench_page.py)")

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\nPeak resident memory of this process: {peak:.0f} MB")


if __name__ == "__main__":
    main()
