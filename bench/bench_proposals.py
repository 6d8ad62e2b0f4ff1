"""Speed and memory of the proposals: selective search, the geometry of all of them, batched pooling.

    python -m bench.bench_proposals [--sizes 224 512] [--repeat 5]

Prints:
1. selective search (fast mode, every box kept) per sample photo and model-input size;
2. the geometry of the astronaut's first 2,000 proposals: ``proposals.geometry``
   (vectorized) against the per-box loop of ``roi_pool`` traces on the same boxes in
   the same run, on a 1-channel map (geometry alone) and on a 512-channel map (what
   the page's trace costs), for both rules at pool5 (3 x 3) and conv5_3 (7 x 7);
   goal: 2,000 boxes in at most 20 ms and at least 30 x faster than the loop;
3. the pooled values of all of them in one torchvision call against one call per box;
4. the bytes of a cached proposal set (the boxes and their geometry) and of the pooled outputs.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time

os.environ.setdefault("ROI_VIZ_OFFLINE", "1")

import numpy as np  # noqa: E402
import torch  # noqa: E402
from torchvision.ops import roi_pool as tv_roi_pool  # noqa: E402

from roi_viz.study import proposals  # noqa: E402
from roi_viz.model import images, samples  # noqa: E402
from roi_viz.ops import roi_pool  # noqa: E402

GOAL_MS, GOAL_RATIO, COUNT = 20.0, 30.0, 2000
LAYERS = [("pool5", 32, (3, 3)), ("conv5_3", 16, (7, 7))]


def best_of(fn, repeat: int) -> float:
    """Median seconds of ``repeat`` runs (after one warm-up)."""
    fn()
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def once(fn) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.bench_proposals", description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[224, 512])
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args(argv)
    torch.set_num_threads(max(1, os.cpu_count() or 1))
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads, {os.cpu_count()} CPUs")

    print("\n1. Selective search, fast mode, every box kept (one run each)")
    print(f"{'photo':<11}{'input':>7}{'boxes':>8}{'seconds':>9}")
    found = {}
    for sample in samples.list_samples():
        decoded = images.load_file(sample.path)
        for size in args.sizes:
            img = np.asarray(images.prepare_input(decoded, size)[0])
            t = time.perf_counter()
            boxes = proposals.selective_search(img, max_count=None)
            dt = time.perf_counter() - t
            found[(sample.name, size)] = boxes
            print(f"{sample.name:<11}{size:>7}{len(boxes):>8}{dt:>9.2f}")

    boxes = found[("astronaut", 512)][:COUNT] if ("astronaut", 512) in found else proposals.selective_search(
        np.asarray(images.prepare_input(images.load_file(samples.get_sample("astronaut").path), 512)[0]))
    print(f"\n2. Geometry of {len(boxes)} proposals (astronaut, 512): vectorized vs per-box roi_pool traces")
    print(f"{'layer':<9}{'rule':<10}{'vectorized ms':>14}{'loop C=1 ms':>13}{'ratio':>8}"
          f"{'loop C=512 ms':>15}{'ratio':>8}")
    rng = np.random.default_rng(0)
    worst_ms, worst_ratio = 0.0, float("inf")
    for layer, stride, out in LAYERS:
        side = 512 // stride
        fm1 = np.zeros((1, side, side), np.float32)
        fm512 = rng.standard_normal((512, side, side)).astype(np.float32)
        for scheme in ("article", "fastrcnn"):
            vec = best_of(lambda: proposals.geometry(boxes, map_size=(side, side), stride=stride, output_size=out,
                                             scheme=scheme), args.repeat)
            loop1 = once(lambda: [roi_pool(fm1, b, stride=stride, output_size=out, scheme=scheme) for b in boxes])
            loop512 = once(lambda: [roi_pool(fm512, b, stride=stride, output_size=out, scheme=scheme) for b in boxes])
            worst_ms, worst_ratio = max(worst_ms, vec * 1e3), min(worst_ratio, loop1 / vec)
            print(f"{layer:<9}{scheme:<10}{vec * 1e3:>14.2f}{loop1 * 1e3:>13.0f}{loop1 / vec:>7.0f}x"
                  f"{loop512 * 1e3:>15.0f}{loop512 / vec:>7.0f}x")
        cov = best_of(lambda: proposals.coverage_by_method(boxes, map_size=(side, side), stride=stride, output_size=out),
                      args.repeat)
        print(f"{layer:<9}{'all six coverages (coverage_by_method)':<40}{cov * 1e3:>8.2f} ms")
    ok = worst_ms <= GOAL_MS and worst_ratio >= GOAL_RATIO
    print(f"slowest vectorized {worst_ms:.2f} ms (goal <= {GOAL_MS:.0f}), smallest ratio {worst_ratio:.0f}x "
          f"(goal >= {GOAL_RATIO:.0f}x): {'met' if ok else 'NOT met'}")

    device = "cuda" if torch.cuda.is_available() else "cpu"
    print(f"\n3. Pooling {len(boxes)} proposals x 512 channels on {device}: one torchvision call vs one per box")
    print(f"{'layer':<9}{'method':<8}{'batched ms':>11}{'per box ms':>12}{'ratio':>8}{'output MB':>11}")
    corners = torch.from_numpy(np.concatenate([np.zeros((len(boxes), 1)), boxes[:, :2], boxes[:, :2] + boxes[:, 2:]],
                                              axis=1)).float().to(device)
    for layer, stride, out in LAYERS:
        side = 512 // stride
        fm = torch.from_numpy(rng.standard_normal((512, side, side)).astype(np.float32)).to(device)
        for method in proposals.POOL_METHODS:
            batched = best_of(lambda: proposals.pool_all(fm, boxes, stride=stride, output_size=out, method=method),
                              max(1, args.repeat // 2))
            per_box = once(lambda: [tv_roi_pool(fm[None], corners[k:k + 1], out, 1 / stride).cpu()
                                    for k in range(len(boxes))]) if method == "pool" else float("nan")
            mb = len(boxes) * 512 * out[0] * out[1] * 4 / 1e6
            ratio = f"{per_box / batched:>7.0f}x" if method == "pool" else f"{'':>8}"
            print(f"{layer:<9}{method:<8}{batched * 1e3:>11.0f}{per_box * 1e3:>12.0f}{ratio}{mb:>11.1f}")

    geo = proposals.geometry(boxes, map_size=(16, 16), stride=32, output_size=3)
    arrays = [boxes, geo.projected, geo.quantized, geo.region, geo.projected_area, geo.region_area,
              geo.overlap_area, geo.covered_area, geo.empty_bins, geo.dropped_cells]
    print(f"\n4. Memory of a cached proposal set of {len(boxes)} boxes")
    print(f"boxes {boxes.nbytes / 1e3:.0f} kB; boxes + one geometry {sum(a.nbytes for a in arrays) / 1e3:.0f} kB; "
          f"CSV table {len(proposals.to_csv(boxes, geo).encode()) / 1e3:.0f} kB")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
