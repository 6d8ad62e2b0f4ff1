"""Speed and memory of the walkthrough, against bare baselines measured in the same run.

    python bench/bench_walkthrough.py [--repeat 7] [--size 512]

Prints:
1. the VGG16 forward through ``roi_viz.model.features.extract`` (preprocessing included)
   against a bare torchvision ``vgg16().features`` forward on the same tensor;
2. for an RoI change with cached features, the time until each step's figure is
   a PNG (trace + figure + encoding), for every method (RoI pooling with both
   rounding rules, RoIAlign, RoIWarp, PrRoI), and for the compare view (all four
   methods + one wide figure) and the sliding plot (101 positions x 4 methods);
   each against a bare Matplotlib figure of the same size saved to PNG;
3. the process's peak resident memory.
Goal on a 2-core machine: every step ready within 150 ms of an RoI change.
"""
from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import time

os.environ.setdefault("ROI_VIZ_OFFLINE", "1")

import numpy as np  # noqa: E402
import torch  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from torchvision.models import vgg16  # noqa: E402

from roi_viz.draw.compare import fig_compare, fig_slide  # noqa: E402
from roi_viz.draw.kit import PAGE_DPI, to_jpeg, to_png  # noqa: E402
from roi_viz.lesson.settings import Settings  # noqa: E402
from roi_viz.methods import METHODS, build_scene, run_all, runners  # noqa: E402
from roi_viz.model import features, images, samples  # noqa: E402
from roi_viz.ops.sliding import slide_roi  # noqa: E402

GOAL_MS = 150.0


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
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
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

    bare_figure()
    print(f"\nStep ready after an RoI change (trace + figure + encoded image), median over {len(rois)} RoIs.")
    print("The bare baseline (a one-line Matplotlib plot of the same size to PNG at the page's dpi) is")
    print("measured just before each step, so each ratio compares runs made under the same conditions.")
    print(f"  {'':24s} {'wall':>9s} {'cpu':>9s} {'bare':>9s} {'ratio':>6s}")
    worst = {}

    def report(name: str, one, size=(8.0, 8.0)):
        one()  # warm-up
        t_fig = timed(lambda: bare_figure(*size), len(rois))
        t = timed(one, len(rois))
        worst[name] = t
        flag = "ok" if t <= GOAL_MS else "over the goal"
        print(f"  {name:24s} {t:6.1f} ms {CPU_MS[0]:6.1f} ms {t_fig:6.1f} ms {t / t_fig:6.2f}   {flag}")

    variants = [("pool", "article"), ("pool", "fastrcnn"), ("align", "article"), ("warp", "article"), ("prroi", "article")]
    for method, scheme in variants:
        settings = Settings(method=method, scheme=scheme)
        for step in METHODS[method].steps:
            if method != "pool" and step.key in ("image", "features"):
                continue  # the same figures as RoI pooling's
            it = iter(rois * 4)

            def one(step=step, settings=settings, it=it):
                scene = build_scene(img, fm, [next(it)], 0, settings, focus=(1, 1, 1))
                fig = step.figure(scene)
                (to_jpeg if step.photo else to_png)(fig, PAGE_DPI)  # as the page encodes it

            label = (scheme if method == "pool" else method) + " " + step.key
            report(label, one)

    it = iter(rois * 4)
    aligned = Settings(method="align")

    def compare():
        scene = build_scene(img, fm, [next(it)], 0, aligned)
        to_png(fig_compare(scene, run_all(fm, scene.rois[0], aligned), METHODS), PAGE_DPI)

    def slide():
        scene = build_scene(img, fm, [next(it)], 0, aligned)
        s = slide_roi(fm, scene.rois[0], runners(aligned), stride=aligned.stride, output_size=aligned.output_size,
                      channel=scene.channel, bin=(1, 1))
        to_png(fig_slide(scene, s, METHODS), PAGE_DPI)

    report("compare view", compare, size=(14.8, 9.0))
    report("slide view", slide, size=(12.0, 8.0))
    name = max(worst, key=worst.get)
    over = [k for k, v in worst.items() if v > GOAL_MS]
    print(f"  slowest: {name} {worst[name]:.1f} ms; goal {GOAL_MS:.0f} ms; over the goal: {', '.join(over) or 'none'}")
    print("  ratio = wall / bare wall")

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\nPeak resident memory of this process: {peak:.0f} MB")


if __name__ == "__main__":
    main()
