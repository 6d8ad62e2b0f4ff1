// The live geometry of the board: the arithmetic of roi_viz.ops, in the browser.
//
// Every function here follows the Python library number for number (the tests run
// both on thousands of random boxes and compare them with ===), so that what the
// board draws while the mouse moves is what the lesson computes after the release.
//
// Conventions (those of roi_viz.ops and torchvision.ops):
// - an RoI `box` is [x, y, w, h]: top-left corner and size in pixels of the model
//   input; on the board they are whole pixels;
// - the feature map has `mapSize` = [H, W] cells and output stride `stride`; cell
//   (r, c) stands for pixels [c*s, (c+1)*s) x [r*s, (r+1)*s), so pixel x lands at
//   the fractional cell coordinate x / s;
// - a span is a half-open rectangle of cells [row0, row1, col0, col1];
// - a box in cells is [x, y, w, h] whose numbers may be fractional.
//
// Why the results are exact: pixels are whole numbers and strides are powers of
// two, so x / s is a short binary fraction that a double holds exactly, and so are
// the sums, differences and products of such numbers (areas included: a product of
// two fractions with at most ~20 significant bits each fits in 53). Two kinds of
// numbers are not exact, and are computed in the same order as in Python so that
// they still come out bit for bit the same:
// - `coverage`, a quotient (correctly rounded in both languages);
// - the Fast R-CNN bins, RoIAlign and RoIWarp, which the kernels compute in the
//   feature map's float32; Math.fround rounds every step to float32 as NumPy does
//   (a double product or quotient of two float32 numbers, rounded once to float32,
//   is the correctly rounded float32 result).
//
// Plain script, no imports: a test page loads it with a <script> tag, and the board
// component prepends it to its own module.

const RoIGeometry = (function () {
  "use strict";

  const f32 = Math.fround;
  const VALUE_TO_CELL = 0.5; // cell coordinate = value coordinate + 0.5 (roi_viz.ops.maps)

  function clip(v, lo, hi) {
    return Math.min(Math.max(v, lo), hi);
  }

  function project(box, stride) {
    return box.map((v) => v / stride);
  }

  function spanOfBox(x, y, w, h, mapSize) {
    const [H, W] = mapSize;
    return [clip(y, 0, H), clip(y + h, 0, H), clip(x, 0, W), clip(x + w, 0, W)];
  }

  function boxOfSpan(span) {
    const [r0, r1, c0, c1] = span;
    return [c0, r0, Math.max(c1 - c0, 0), Math.max(r1 - r0, 0)];
  }

  function spanCells(span) {
    const [r0, r1, c0, c1] = span;
    return Math.max(r1 - r0, 0) * Math.max(c1 - c0, 0);
  }

  function overlap1d(a0, a1, b0, b1) {
    return Math.max(0, Math.min(a1, b1) - Math.max(a0, b0));
  }

  function intersectionArea(a, b) {
    const ox = Math.min(overlap1d(a[0], a[0] + a[2], b[0], b[0] + b[2]), a[2], b[2]);
    const oy = Math.min(overlap1d(a[1], a[1] + a[3], b[1], b[1] + b[3]), a[3], b[3]);
    return ox * oy;
  }

  // The part of box a outside box b, as at most four boxes (for drawing lost and gained cells).
  function boxDifference(a, b) {
    const [ax, ay, aw, ah] = a;
    const [bx, by, bw, bh] = b;
    if (aw <= 0 || ah <= 0) return [];
    if (intersectionArea(a, b) === 0) return [a];
    const ax1 = ax + aw, ay1 = ay + ah, bx1 = bx + bw, by1 = by + bh;
    const top = Math.max(ay, by), bottom = Math.min(ay1, by1);
    const pieces = [];
    if (by > ay) pieces.push([ax, ay, aw, by - ay]);
    if (by1 < ay1) pieces.push([ax, by1, aw, ay1 - by1]);
    if (bx > ax) pieces.push([ax, top, bx - ax, bottom - top]);
    if (bx1 < ax1) pieces.push([bx1, top, ax1 - bx1, bottom - top]);
    return pieces.filter((p) => p[2] > 0 && p[3] > 0);
  }

  // C's round: halves go away from zero.
  function roundHalfAway(v) {
    return Math.sign(v) * Math.floor(Math.abs(v) + 0.5) + 0; // + 0 turns -0 into 0
  }

  // ------------------------------------------------------------- quantization
  function quantizeArticle(projected) {
    return projected.map(Math.floor);
  }

  // Caffe's rule in float32: both corners rounded, the end cell included.
  function quantizeFastrcnn(box, stride) {
    const [x, y, w, h] = box;
    const scale = f32(1 / stride);
    const sw = roundHalfAway(f32(f32(x) * scale)), sh = roundHalfAway(f32(f32(y) * scale));
    const ew = roundHalfAway(f32(f32(x + w) * scale)), eh = roundHalfAway(f32(f32(y + h) * scale));
    return [sw, sh, Math.max(ew - sw + 1, 1), Math.max(eh - sh + 1, 1)];
  }

  function quantize(box, stride, scheme) {
    return scheme === "article" ? quantizeArticle(project(box, stride)) : quantizeFastrcnn(box, stride);
  }

  // ------------------------------------------------------------------- bins
  function articleBins(region, outputSize) {
    const [r0, r1, c0, c1] = region;
    const [ph, pw] = outputSize;
    const bh = Math.floor(Math.max(r1 - r0, 0) / ph), bw = Math.floor(Math.max(c1 - c0, 0) / pw);
    const bins = [];
    for (let i = 0; i < ph; i++) {
      const row = [];
      for (let j = 0; j < pw; j++) row.push([r0 + i * bh, r0 + (i + 1) * bh, c0 + j * bw, c0 + (j + 1) * bw]);
      bins.push(row);
    }
    return { bins, binSize: [bh, bw] };
  }

  function fastrcnnBins(quantized, outputSize, mapSize) {
    const [xs, ys, rw, rh] = quantized;
    const [ph, pw] = outputSize;
    const [H, W] = mapSize;
    const binH = f32(f32(rh) / f32(ph)), binW = f32(f32(rw) / f32(pw));
    const edges = (i, size, start, limit) => [
      clip(Math.floor(f32(i * size)) + start, 0, limit),
      clip(Math.ceil(f32((i + 1) * size)) + start, 0, limit),
    ];
    const rows = [], cols = [];
    for (let i = 0; i < ph; i++) rows.push(edges(i, binH, ys, H));
    for (let j = 0; j < pw; j++) cols.push(edges(j, binW, xs, W));
    const bins = rows.map((r) => cols.map((c) => [r[0], r[1], c[0], c[1]]));
    return { bins, binSize: [binH, binW] };
  }

  // Length of [lo, hi) covered by the union of the intervals (sorted as Python sorts tuples).
  function unionLength(intervals, lo, hi) {
    const sorted = intervals.slice().sort((p, q) => p[0] - q[0] || p[1] - q[1]);
    let covered = 0, reach = lo;
    for (const [a0, b0] of sorted) {
      const a = Math.max(a0, reach), b = Math.min(b0, hi);
      if (b > a) {
        covered += b - a;
        reach = b;
      }
    }
    return covered;
  }

  // Bins form a grid, so their union is (union of row intervals) x (union of column intervals).
  function binAxes(bins) {
    const rows = bins.map((row) => [row[0][0], row[0][1]]).filter((r) => r[1] > r[0]);
    const cols = bins[0].map((b) => [b[2], b[3]]).filter((c) => c[1] > c[0]);
    return { rows, cols };
  }

  function coveredArea(projected, bins) {
    const [x, y, w, h] = projected;
    const { rows, cols } = binAxes(bins);
    if (!rows.length || !cols.length) return 0;
    return Math.min(unionLength(rows, y, y + h), h) * Math.min(unionLength(cols, x, x + w), w);
  }

  // Whole cells of [lo, hi) that some interval covers.
  function cellsCovered(intervals, lo, hi) {
    let n = 0;
    for (let k = lo; k < hi; k++) if (intervals.some(([a, b]) => a <= k && k < b)) n++;
    return n;
  }

  function droppedCells(region, bins) {
    const [r0, r1, c0, c1] = region;
    const { rows, cols } = binAxes(bins);
    const used = rows.length && cols.length ? cellsCovered(rows, r0, r1) * cellsCovered(cols, c0, c1) : 0;
    return spanCells(region) - used;
  }

  // ------------------------------------------------------------ RoI pooling
  /**
   * RoI pooling's geometry for one box (roi_viz.ops.roi_pool's trace, without the values).
   * settings: {stride, mapSize: [H, W], outputSize: [ph, pw], scheme: "article" | "fastrcnn"}.
   * Returns cells throughout: projected, quantized (before clipping), region (span),
   * bins (ph x pw spans), binSize, the areas, coverage in [0, 1], droppedCells, and the
   * lost / gained pieces as boxes for drawing.
   */
  function roiPool(box, settings) {
    const { stride, mapSize, outputSize, scheme } = settings;
    const projected = project(box, stride);
    const quantized = quantize(box, stride, scheme);
    const region = spanOfBox(...quantized, mapSize);
    const { bins, binSize } = scheme === "article" ? articleBins(region, outputSize) : fastrcnnBins(quantized, outputSize, mapSize);
    const projectedArea = Math.max(projected[2], 0) * Math.max(projected[3], 0);
    const regionArea = spanCells(region);
    const regionBox = boxOfSpan(region);
    const overlapArea = intersectionArea(projected, regionBox);
    const covered = coveredArea(projected, bins);
    return {
      scheme,
      projected,
      quantized,
      region,
      bins,
      binSize,
      projectedArea,
      regionArea,
      overlapArea,
      coveredArea: covered,
      lostArea: projectedArea - overlapArea,
      gainedArea: regionArea - overlapArea,
      coverage: projectedArea > 0 ? covered / projectedArea : 0,
      droppedCells: droppedCells(region, bins),
      lostPieces: boxDifference(projected, regionBox),
      gainedPieces: boxDifference(regionBox, projected),
    };
  }

  // ------------------------------------------------------ RoIAlign and RoIWarp
  // The sampling grid, in float32 and in the kernel's order of operations.
  // valueBox is [startX, startY, width, height] in value coordinates (float32 numbers).
  function sample(valueBox, outputSize, samplingRatio, empty) {
    const [startX, startY, width, height] = valueBox;
    const [ph, pw] = outputSize;
    const binH = f32(height / ph), binW = f32(width / pw);
    let gh = samplingRatio > 0 ? samplingRatio : Math.ceil(binH);
    let gw = samplingRatio > 0 ? samplingRatio : Math.ceil(binW);
    if (empty) gh = gw = 0;
    const iy = [], ix = [];
    for (let k = 0; k < gh; k++) iy.push(f32(f32(f32(k + 0.5) * binH) / Math.max(gh, 1)));
    for (let k = 0; k < gw; k++) ix.push(f32(f32(f32(k + 0.5) * binW) / Math.max(gw, 1)));
    const ys = [], xs = [];
    for (let i = 0; i < ph; i++) ys.push(iy.map((d) => f32(f32(startY + f32(i * binH)) + d)));
    for (let j = 0; j < pw; j++) xs.push(ix.map((d) => f32(f32(startX + f32(j * binW)) + d)));
    // samples[i][j] lists the points of bin (i, j) as [y, x] in cell coordinates, row by row.
    const samples = [];
    for (let i = 0; i < ph; i++) {
      const row = [];
      for (let j = 0; j < pw; j++) {
        const pts = [];
        for (const y of ys[i]) for (const x of xs[j]) pts.push([y + VALUE_TO_CELL, x + VALUE_TO_CELL]);
        row.push(pts);
      }
      samples.push(row);
    }
    const y0 = startY + VALUE_TO_CELL, x0 = startX + VALUE_TO_CELL;
    const rowEdges = [], colEdges = [];
    for (let k = 0; k <= ph; k++) rowEdges.push(y0 + k * binH);
    for (let k = 0; k <= pw; k++) colEdges.push(x0 + k * binW);
    return { box: [x0, y0, width, height], grid: [gh, gw], binSize: [binH, binW], rowEdges, colEdges, samples };
  }

  /**
   * RoIAlign's sampling points and bin edges (roi_viz.ops.roi_align; torchvision's float32 rule).
   * settings: {stride, outputSize, samplingRatio (<= 0: adaptive), aligned}.
   * Positions are cell coordinates; samples[i][j] is a list of [y, x].
   */
  function roiAlign(box, settings) {
    const { stride, outputSize, samplingRatio, aligned } = settings;
    const [x, y, w, h] = box;
    const scale = f32(1 / stride), offset = aligned ? 0.5 : 0;
    const startX = f32(f32(f32(x) * scale) - offset), startY = f32(f32(f32(y) * scale) - offset);
    let width = f32(f32(f32(x + w) * scale) - offset) - startX;
    let height = f32(f32(f32(y + h) * scale) - offset) - startY;
    width = f32(width);
    height = f32(height);
    if (!aligned) {
      width = Math.max(width, 1);
      height = Math.max(height, 1);
    }
    return { projected: project(box, stride), aligned: !!aligned, ...sample([startX, startY, width, height], outputSize, samplingRatio, false) };
  }

  /**
   * RoIWarp: the box snapped to whole cells by `scheme`'s rule, then sampled as RoIAlign
   * (aligned) samples (roi_viz.ops.roi_warp). settings: {stride, mapSize, outputSize,
   * samplingRatio, scheme}. Adds `quantized` and `region` (the snapped span).
   */
  function roiWarp(box, settings) {
    const { stride, mapSize, outputSize, samplingRatio, scheme } = settings;
    const quantized = quantize(box, stride, scheme);
    const region = spanOfBox(...quantized, mapSize);
    const [r0, r1, c0, c1] = region;
    const valueBox = [f32(c0 - VALUE_TO_CELL), f32(r0 - VALUE_TO_CELL), Math.max(c1 - c0, 0), Math.max(r1 - r0, 0)];
    const empty = r1 <= r0 || c1 <= c0;
    return { projected: project(box, stride), quantized, region, ...sample(valueBox, outputSize, samplingRatio, empty) };
  }

  /**
   * Precise RoI Pooling's bin edges (roi_viz.ops.prroi_pool), in doubles as the library does.
   * settings: {stride, outputSize, aligned}.
   */
  function prroi(box, settings) {
    const { stride, outputSize, aligned } = settings;
    const [ph, pw] = outputSize;
    const [px, py, pwidth, pheight] = project(box, stride);
    const shift = aligned ? VALUE_TO_CELL : 0;
    const vx = px - shift, vy = py - shift;
    const rowEdges = [], colEdges = [];
    for (let k = 0; k <= ph; k++) rowEdges.push(vy + k * (pheight / ph) + VALUE_TO_CELL);
    for (let k = 0; k <= pw; k++) colEdges.push(vx + k * (pwidth / pw) + VALUE_TO_CELL);
    return { projected: [px, py, pwidth, pheight], aligned: !!aligned, box: [vx + VALUE_TO_CELL, vy + VALUE_TO_CELL, pwidth, pheight], rowEdges, colEdges };
  }

  // --------------------------------------------------------------- the pyramid's level
  /**
   * The level of a feature pyramid a w x h box (input pixels) is pooled from: roi_viz.ops.fpn_level, which is
   * torchvision's LevelMapper (FPN's Eq. 1) computed in float32 as torchvision computes it on float32 boxes:
   *   k = floor(canonical_level + log2(sqrt(w * h) / canonical_size) + eps), clamped to [k_min, k_max].
   * `pyramid` carries those numbers from Python (ui.board.pyramid_of). Every step is rounded to float32 here as
   * NumPy rounds it: a product, quotient or square root of float32 numbers taken in doubles and rounded once is
   * the correctly rounded float32 result, and so is the sum (4 + log2(...) + eps is exact in a double). NumPy's
   * float32 log2 is not always correctly rounded, Math.log2 rounded once is; the two can differ in the last bit
   * of the logarithm, never in the level (the tests compare every float32 side near each boundary).
   * Returns {side, log, raw, floor, level}: side = sqrt(w h) px, log = log2(side / canonical_size), raw the
   * number floored, floor it rounded down, level that clamped to the pyramid.
   */
  function fpnLevel(w, h, pyramid) {
    const { canonical_size: size, canonical_level: k0, k_min: lo, k_max: hi, eps } = pyramid;
    const side = f32(Math.sqrt(f32(f32(w) * f32(h))));
    const log = f32(Math.log2(f32(side / f32(size))));
    const raw = f32(f32(f32(k0) + log) + f32(eps));
    const floor = Math.floor(raw);
    return { side, log, raw, floor, level: Math.min(Math.max(floor, lo), hi) };
  }

  /**
   * The box's level with what the board needs to draw it: fpnLevel's numbers plus the level's `name` ("P3"),
   * `stride` (input pixels per cell) and `mapSize` ([H, W] cells), read from the pyramid's own lists
   * (`levels`, `names`, `strides`, `map_sizes`, finest first).
   */
  function levelOf(box, pyramid) {
    const found = fpnLevel(box[2], box[3], pyramid);
    const i = pyramid.levels.indexOf(found.level);
    return { ...found, name: pyramid.names[i], stride: pyramid.strides[i], mapSize: pyramid.map_sizes[i].slice() };
  }

  // ---------------------------------------------------------------- numbers in words
  // The readout writes numbers as the lesson's words do (roi_viz/lesson/numbers.py), digit for digit.
  // Python's format rounds an exact tie to even (0.125 -> "0.12"); toFixed rounds it away from zero.
  function fixed(v, digits) {
    // The double's exact decimal expansion (toFixed is exact to 100 places): a tie is a 5 and then zeros.
    const full = Math.abs(v).toFixed(100);
    const rest = full.slice(full.indexOf(".") + 1 + digits);
    if (/^50*$/.test(rest)) {
      const m = 10 ** digits;
      const f = Math.floor(Math.abs(v) * m); // exact: v is (f + 1/2) / m
      const n = f % 2 === 0 ? f : f + 1;
      return (v < 0 && n !== 0 ? "-" : "") + (n / m).toFixed(digits);
    }
    return v.toFixed(digits);
  }

  /** numbers.num: rounded to `digits` decimals, no trailing zeros. */
  function num(v, digits = 2) {
    let text = fixed(v, digits);
    if (text.includes(".")) text = text.replace(/0+$/, "").replace(/\.$/, "");
    return text === "-0" || text === "" ? "0" : text;
  }

  /** numbers.exact: the RoI's own numbers, in full (10 places at most: a float's noise is dropped). */
  function exact(v) {
    return Number.isInteger(v) ? String(v) : num(v, 10);
  }

  /** numbers.cells: "5.32 cells", "1 cell". */
  function cells(v) {
    const text = num(v);
    return `${text} cell${text === "1" ? "" : "s"}`;
  }

  /** numbers.pct: a share in [0, 1] as a percentage to 1 decimal. */
  function pct(v) {
    return `${fixed(100 * v, 1)} %`;
  }

  /**
   * The geometry of the chosen method for one box, by its record's traits (`settings.traits`, sent from Python):
   * whole-cell bins, sampling points (on the snapped cells when it snaps), or the bins' exact edges.
   */
  function geometryOf(box, settings) {
    const t = settings.traits || {};
    if (t.whole_cell_bins) return roiPool(box, settings);
    if (t.samples_points) return t.snaps_to_cells ? roiWarp(box, settings) : roiAlign(box, settings);
    return prroi(box, settings); // the exact integral (`integrates`): the bins' edges, nothing snapped or sampled
  }

  return {
    VALUE_TO_CELL, project, quantize, quantizeArticle, quantizeFastrcnn, roundHalfAway, spanOfBox,
    boxOfSpan, intersectionArea, boxDifference, articleBins, fastrcnnBins, coveredArea, droppedCells,
    roiPool, roiAlign, roiWarp, prroi, geometryOf, fpnLevel, levelOf, fixed, num, exact, cells, pct,
  };
})();

if (typeof module !== "undefined" && module.exports) module.exports = RoIGeometry;
