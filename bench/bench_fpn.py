"""One ResNet-50-FPN forward at 512 x 512 on the CPU: ours against a bare torchvision forward.

    python -m bench.bench_fpn [--repeat 10] [--size 512] [--threads 0]

Ours is ``roi_viz.model.pyramid.extract_pyramid`` (normalisation, the forward, the
four maps P2-P5 copied out as NumPy) on the untrained fallback backbone. The baseline
is ``fasterrcnn_resnet50_fpn(weights=None, weights_backbone=None).backbone`` in eval
mode called on the same normalised input under ``torch.inference_mode`` (nothing else),
timed in the same run, interleaved with ours so that both meet the same load. Weights
do not change the time, so none are loaded (offline). Prints the median and p90 of
each, their ratio, the maps' shapes and the process's peak resident memory.
"""
from __future__ import annotations

import argparse
import resource
import statistics
import time

import numpy as np
import torch
from torchvision.models.detection import fasterrcnn_resnet50_fpn

from roi_viz.model import pyramid, weights


def percentile(times: list[float], q: float) -> float:
    return float(np.percentile(times, q))


def main() -> None:
    ap = argparse.ArgumentParser(prog="python -m bench.bench_fpn")
    ap.add_argument("--repeat", type=int, default=10)
    ap.add_argument("--size", type=int, default=512)
    ap.add_argument("--threads", type=int, default=0, help="torch's CPU threads (0: torch's default)")
    args = ap.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)

    t0 = time.perf_counter()
    ours = pyramid.load_fpn_backbone("cpu", found=weights.WeightsFound(None, "none"))
    build_ours = time.perf_counter() - t0
    t0 = time.perf_counter()
    bare = fasterrcnn_resnet50_fpn(weights=None, weights_backbone=None).backbone.eval()
    build_bare = time.perf_counter() - t0

    image = torch.rand(3, args.size, args.size, generator=torch.Generator().manual_seed(0))
    x = pyramid.input_tensor(image)

    def run_bare() -> None:
        with torch.inference_mode():
            bare(x)

    # One of each first: the first forward pays for allocations and kernel choices.
    p = pyramid.extract_pyramid(ours, image)
    run_bare()
    t_ours, t_bare = [], []
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        pyramid.extract_pyramid(ours, image)
        t_ours.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        run_bare()
        t_bare.append(time.perf_counter() - t0)

    print(f"ResNet-50-FPN at {args.size} x {args.size}, CPU, {torch.get_num_threads()} threads, "
          f"torch {torch.__version__}, {args.repeat} forwards each (after one warm-up)")
    print(f"build: ours {build_ours:.2f} s (fallback, seeded), torchvision's detector {build_bare:.2f} s "
          f"(whole Faster R-CNN, backbone kept)")
    print(f"{'':28} {'median ms':>10} {'p90 ms':>10}")
    for label, t in (("extract_pyramid (ours)", t_ours), ("bare torchvision backbone", t_bare)):
        print(f"{label:28} {1e3 * statistics.median(t):10.0f} {1e3 * percentile(t, 90):10.0f}")
    print(f"ratio ours / bare (median): {statistics.median(t_ours) / statistics.median(t_bare):.2f}")
    for name, stride, m in zip(p.levels, p.strides, p.maps):
        print(f"  {name}: stride {stride:2d}, {m.shape[0]} x {m.shape[1]} x {m.shape[2]} ({m.nbytes / 2**20:.1f} MB)")
    # ru_maxrss is in kilobytes on Linux.
    print(f"peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
