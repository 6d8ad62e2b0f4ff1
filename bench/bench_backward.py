"""How long the backward pass takes on real-sized maps, per method.

    python -m bench.bench_backward [--repeat 5]

A random 512-channel map, VGG16's sizes: pool5 of a 512 x 512 input (16 x 16,
stride 32, 3 x 3 output, the article's RoI) and conv5_3 (32 x 32, stride 16,
7 x 7 output, Fast R-CNN's). Prints the median milliseconds of
``feature_gradient`` and ``box_gradient`` for each method, and of
``derivative_along_slide`` over 61 positions of one channel.
"""
from __future__ import annotations

import argparse
import statistics
import time

import numpy as np

from roi_viz.study import backward as b

ROI = (296.0, 192.0, 200.0, 145.0)
CASES = {"pool5, 3 x 3": (16, 32.0, 3), "conv5_3, 7 x 7": (32, 16.0, 7)}
METHODS = {"pool": {"scheme": "fastrcnn"}, "align": {"sampling_ratio": 0, "aligned": True},
           "warp": {"sampling_ratio": 2}, "prroi": {"aligned": False}}


def median_ms(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return 1e3 * statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser(prog="python -m bench.bench_backward")
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    rng = np.random.default_rng(0)
    print(f"{'map':16} {'method':6} {'by the map':>11} {'by the box':>11} {'slide (61)':>11}   (median ms)")
    for label, (n, stride, out) in CASES.items():
        fm = rng.standard_normal((512, n, n)).astype(np.float32)
        for m, opts in METHODS.items():
            kw = dict(stride=stride, output_size=out, **opts)
            fg = median_ms(lambda: b.feature_gradient(m, fm, ROI, **kw), args.repeat)
            bg = median_ms(lambda: b.box_gradient(m, fm, ROI, **kw), args.repeat)
            sl = median_ms(lambda: b.derivative_along_slide(m, fm, ROI, channel=0, bin=(1, 1), **kw), 1)
            print(f"{label:16} {m:6} {fg:11.1f} {bg:11.1f} {sl:11.1f}")


if __name__ == "__main__":
    main()
