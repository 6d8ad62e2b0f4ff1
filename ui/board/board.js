// The board: the photo, the stride grid and every RoI, drawn, moved and resized in the
// browser, with the live geometry of the chosen method redrawn at every animation frame.
//
// Python mounts it through st.components.v2 (see __init__.py for the data it sends and
// the value it gets back). geometry.js is prepended to this file, so RoIGeometry is in
// scope. Nothing here talks to the server while the mouse moves: the boxes go to Python
// once, on release (or after a key), as a state value.
//
// Coordinates: boxes are [x, y, w, h] in whole pixels of the model input (imageSize
// [W, H]); the canvas is drawn at the size it shows on screen, and a pointer is mapped
// back to input pixels through getBoundingClientRect, whatever that size is.

const DRAWN_MIN = 4; // input pixels: a shorter drag was a click, not a new box
const HANDLE_PX = 7; // half the side of a resize handle, in screen pixels
// A fingertip covers far more than a mouse's point: a touch finds a handle within 14 screen pixels (a 28 px
// target, past the 24 px minimum), but never within more than a quarter of the box's shorter side, so that a
// small box can still be moved by its middle.
const TOUCH_HANDLE_PX = 14;
// A touchscreen's handles are drawn 10 screen pixels wide at least (a phone's canvas drew them 5 px wide),
// so that a finger sees what it can take.
const TOUCH_HANDLE_DRAWN_PX = 5; // half the side
const coarse = window.matchMedia ? window.matchMedia("(pointer: coarse)") : null;
const boards = new WeakMap(); // parentElement -> the board living in it (the module is loaded once)
const living = new Set(); // the boards on the page now
// What the student has drawn, by the board's Streamlit key. Streamlit may mount a board
// afresh (a new element) while the old one is still shown; the new one must carry on
// from the boxes the student left, which Python may not have heard of yet.
const stores = new Map();

// Every sentence the board shows or announces comes from Python (ui.board.words), in the student's language:
// templates with named placeholders ("{n}") that fill() replaces with the numbers computed here.
function fill(template, values) {
  return String(template).replace(/\{(\w+)\}/g, (all, name) => (name in values ? String(values[name]) : all));
}

const COLOURS = {
  // The RoIs' two colours come from Python (roi_viz.draw.kit, as the walkthrough's photo draws them).
  box: "#ffd000", // other RoIs: light in greyscale, dashed
  active: "#d4007a", // the followed RoI: dark in greyscale, thick and solid, white inner line
  projected: "#ffffff",
  region: "#00e0ff",
  // Lost, gained and dropped come from Python too (roi_viz.figures.look): a fill, a hatch and words.
  lost: { fill: "#1f3b8c", hatch: "/", lines: "#9db0e6", words: "dark blue with rising lines" },
  gained: { fill: "#2ca02c", hatch: "\\", lines: "#000000", words: "green with falling lines" },
  dropped: { fill: "#3c6cc0", hatch: "x", lines: "#0b2e6e", words: "blue with crossed lines" },
  bins: "#ff8c00",
  point: "#ffffff",
};

// --------------------------------------------------------------------- words
// As the lesson's words write them (roi_viz/lesson/numbers.py; geometry.js, proven equal in tests).
const { exact, num, pct: percent } = RoIGeometry;

// numbers.cells in the words' language: "5.32 cells", "1 cell" (the form for 1, else the other: Python's ngettext).
function cellsIn(words, v) {
  const text = num(v);
  return fill(words.cells[text === "1" ? 0 : 1], { n: text });
}

// Decimals enough that `v`, written rounded, still rounds down to floor(v): 2.9999996 is not written 3.
function floored(v) {
  for (let d = 2; d < 10; d++) if (Math.floor(Number(RoIGeometry.fixed(v, d))) === Math.floor(v)) return num(v, d);
  return num(v, 10);
}

// Why the grid is the level it is (a pyramid: Python's numbers, the rule of roi_viz.ops.fpn_level).
function levelWords(lv, pyramid, words) {
  const { canonical_size: size, canonical_level: k0, eps, names } = pyramid;
  const values = { name: lv.name, stride: lv.stride, side: num(lv.side), k0, size: num(size), eps, raw: floored(lv.raw),
    floor: lv.floor, first: names[0], last: names[names.length - 1] };
  return fill(lv.floor === lv.level ? words.level : words.level_clamped, values);
}

// The followed box's geometry in one paragraph: its head, then the method's template (chosen by the record's traits).
function readout(n, box, s, settings, geo) {
  const words = settings.words;
  const names = ["x", "y", "w", "h"];
  const head = fill(words.head, { n: n + 1, box: box.join(", ") });
  const t = settings.traits;
  const cells = (v) => cellsIn(words, v);
  const [x, y, w, h] = box;
  if (t.whole_cell_bins) {
    const kept = { lost: cells(geo.lostArea), gained: cells(geo.gainedArea), coverage: percent(geo.coverage) };
    if (settings.scheme === "article") {
      const formulas = names.map((k, i) => `${k} ${box[i]} px ÷ ${s} = ${exact(geo.projected[i])} → ${geo.quantized[i]}`).join("; ");
      const [rows, cols] = settings.outputSize;
      const [bh, bw] = geo.binSize;
      const said = bh && bw
        ? fill(words.article, { formulas, ...kept, rows, cols, bin_h: cells(bh), bin_w: bw, dropped: cells(geo.droppedCells) })
        : fill(words.article_empty, { formulas, ...kept, rows, cols });
      return `${head} ${said}`;
    }
    const q = geo.quantized;
    return `${head} ${fill(words.fastrcnn, {
      x, s, px: exact(x / s), qx: q[0], x1: x + w, px1: exact((x + w) / s), qx1: q[0] + q[2] - 1,
      y, py: exact(y / s), qy: q[1], y1: y + h, py1: exact((y + h) / s), qy1: q[1] + q[3] - 1,
      ...kept, bin_h: num(geo.binSize[0]), bin_w: num(geo.binSize[1]),
    })}`;
  }
  const values = {
    formulas: names.map((k, i) => `${k} ${box[i]} px ÷ ${s} = ${exact(geo.projected[i])}`).join("; "),
    bin_h: num(geo.box[3] / settings.outputSize[0]), bin_w: num(geo.box[2] / settings.outputSize[1]),
  };
  const shift = settings.aligned ? "aligned" : "legacy";
  if (!t.samples_points) return `${head} ${fill(words[`exact_${shift}`], values)}`;
  Object.assign(values, { grid_h: geo.grid[0], grid_w: geo.grid[1] });
  if (t.snaps_to_cells) {
    const [r0, r1, c0, c1] = geo.region;
    return `${head} ${fill(words.snapped_sampled, { ...values, c0, c1: c1 - 1, r0, r1: r1 - 1 })}`;
  }
  return `${head} ${fill(words[`sampled_${shift}`], values)}`;
}

// --------------------------------------------------------------------- board
class Board {
  constructor(parent, setStateValue) {
    this.parent = parent;
    this.send = setStateValue;
    this.s = { boxes: [], active: 0, rev: null, seq: 0 };
    this.drag = null;
    this.frame = 0; // pending requestAnimationFrame id
    this.frameTimes = [];
    this.build();
  }

  build() {
    const root = document.createElement("div");
    root.className = "roi-board";
    root.dataset.testid = "roi-board";
    root.tabIndex = 0;
    root.setAttribute("role", "application");
    root.setAttribute("aria-describedby", "roi-board-keys");
    this.canvas = document.createElement("canvas");
    this.canvas.setAttribute("aria-hidden", "true");
    this.keysHelp = document.createElement("p");
    this.keysHelp.id = "roi-board-keys";
    this.keysHelp.className = "roi-board-keys";
    this.legend = document.createElement("p");
    this.legend.className = "roi-board-legend";
    this.words = document.createElement("p");
    this.words.className = "roi-board-readout";
    this.words.setAttribute("aria-live", "polite");
    this.words.setAttribute("aria-atomic", "true");
    // Why a key did nothing (Delete on the last box): said once, politely, apart from the readout,
    // which every frame of a drag rewrites.
    this.status = document.createElement("p");
    this.status.className = "roi-board-status";
    this.status.setAttribute("role", "status");
    this.status.setAttribute("aria-live", "polite");
    root.append(this.canvas, this.words, this.status, this.legend, this.keysHelp);
    this.root = root;
    root.frameTimes = this.frameTimes; // milliseconds per redraw, for bench/bench_board.py
    this.parent.appendChild(root);
    this.base = document.createElement("canvas"); // photo and grid, redrawn only when they change
    this.img = new Image();
    this.img.onload = () => this.resize();

    root.addEventListener("pointerdown", (e) => this.onDown(e));
    root.addEventListener("pointermove", (e) => this.onMove(e));
    root.addEventListener("pointerup", (e) => this.onUp(e));
    root.addEventListener("pointercancel", (e) => this.onUp(e));
    root.addEventListener("keydown", (e) => this.onKey(e));
    this.observer = new ResizeObserver(() => this.resize());
    this.observer.observe(root);
  }

  // Read-only (the quiz): the boxes are shown and nothing else; no key, no pointer changes them,
  // and no geometry is drawn or read out (it would give the answers away). `note` says why.
  showMode(note) {
    const root = this.root;
    root.classList.toggle("read-only", Boolean(note));
    if (note) {
      root.removeAttribute("tabindex");
      root.setAttribute("role", "group"); // its words (why it is fixed) stay readable, as they would not inside an img
      root.removeAttribute("aria-roledescription");
      this.keysHelp.textContent = note;
      this.status.textContent = "";
      this.drag = null;
    } else {
      root.tabIndex = 0;
      root.setAttribute("role", "application");
      root.setAttribute("aria-roledescription", this.settings.words.role);
      root.removeAttribute("aria-label");
      this.keysHelp.textContent = this.settings.words.keys_help;
    }
  }

  // A sentence for the status line, announced even when it repeats (a live region speaks on change).
  say(text) {
    if (this.status.textContent === text) {
      this.status.textContent = "";
      setTimeout(() => { this.status.textContent = text; }, 50);
    } else {
      this.status.textContent = text;
    }
  }

  get boxes() { return this.s.boxes; }
  set boxes(v) { this.s.boxes = v; }
  get active() { return this.s.active; }
  set active(v) { this.s.active = v; }
  get rev() { return this.s.rev; }
  set rev(v) { this.s.rev = v; }
  get seq() { return this.s.seq; }
  set seq(v) { this.s.seq = v; }

  // New data from Python: settings always; boxes only when Python has a new revision.
  update(data) {
    pageCss(data.page_css);
    if (!stores.has(data.key)) stores.set(data.key, this.s);
    this.s = stores.get(data.key);
    const firstImage = this.imageUrl !== data.image;
    this.settings = {
      method: data.method, traits: data.traits || {}, legend: data.legend || "", words: data.words, scheme: data.scheme, stride: data.stride, mapSize: data.map_size,
      outputSize: data.output_size, samplingRatio: data.sampling_ratio, aligned: data.aligned,
      readOnly: data.read_only || "",
      // A feature pyramid (ui.board.pyramid_of): the grid and the geometry are the followed box's level's.
      // Read-only shows the one map at `stride`: the level is computed from the box, and nothing computed is shown.
      pyramid: data.pyramid && !data.read_only ? data.pyramid : null,
    };
    this.showMode(this.settings.readOnly);
    if (data.colours) Object.assign(COLOURS, data.colours); // the boxes' colours are declared in Python, once
    this.imageSize = data.image_size;
    if (data.revision !== this.rev) {
      this.rev = data.revision;
      this.boxes = data.boxes.map((b) => b.slice());
      this.active = Math.min(Math.max(data.active, 0), this.boxes.length - 1);
      this.drag = null;
    }
    this.legend.textContent = this.settings.readOnly ? "" : this.settings.legend; // the words are Python's
    if (firstImage) {
      this.imageUrl = data.image;
      this.img.src = data.image;
    } else {
      this.resize();
    }
  }

  // ------------------------------------------------------------ drawing
  resize() {
    const [W, H] = this.imageSize;
    const cssW = this.canvas.getBoundingClientRect().width || this.root.clientWidth || W;
    const dpr = window.devicePixelRatio || 1;
    const cw = Math.max(1, Math.round(cssW * dpr));
    const ch = Math.max(1, Math.round((cssW * H / W) * dpr));
    if (this.canvas.width !== cw || this.canvas.height !== ch) {
      this.canvas.width = this.base.width = cw;
      this.canvas.height = this.base.height = ch;
    }
    this.drawBase(this.levelAt(this.boxes[this.active]).at);
    this.redraw();
  }

  // The settings the followed box is drawn with: the board's own, or, on a pyramid, those of the box's level
  // (its stride and map size), with the level itself (`level`: RoIGeometry.levelOf's numbers; null without one).
  levelAt(box) {
    const p = this.settings.pyramid;
    if (!p || !box) return { at: this.settings, level: null };
    const level = RoIGeometry.levelOf(box, p);
    return { at: { ...this.settings, stride: level.stride, mapSize: level.mapSize }, level };
  }

  drawBase(at) {
    const ctx = this.base.getContext("2d");
    const [W, H] = this.imageSize;
    const k = this.base.width / W;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.fillStyle = "#333";
    ctx.fillRect(0, 0, this.base.width, this.base.height);
    if (this.img.complete && this.img.naturalWidth) ctx.drawImage(this.img, 0, 0, this.base.width, this.base.height);
    // The stride grid: one line per cell edge, over the part of the photo the map covers.
    const { stride: s, mapSize: [mh, mw] } = at;
    this.gridStride = s;
    ctx.lineWidth = 1;
    ctx.strokeStyle = "rgba(255,255,255,0.35)";
    ctx.beginPath();
    for (let c = 0; c <= mw; c++) {
      const x = Math.round(c * s * k) + 0.5;
      ctx.moveTo(x, 0);
      ctx.lineTo(x, mh * s * k);
    }
    for (let r = 0; r <= mh; r++) {
      const y = Math.round(r * s * k) + 0.5;
      ctx.moveTo(0, y);
      ctx.lineTo(mw * s * k, y);
    }
    ctx.stroke();
  }

  scheduleRedraw() {
    if (!this.frame) this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.redraw();
    });
  }

  redraw() {
    if (!this.settings || !this.boxes.length) return;
    const t0 = performance.now();
    const ctx = this.canvas.getContext("2d");
    const k = this.canvas.width / this.imageSize[0];
    const box = this.boxes[this.active];
    const { at, level } = this.levelAt(box);
    if (at.stride !== this.gridStride) this.drawBase(at); // the box changed level: that level's grid
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.drawImage(this.base, 0, 0);
    const geo = this.settings.readOnly ? null : RoIGeometry.geometryOf(box, at);
    if (geo) drawGeometry(ctx, geo, at, k * at.stride, ctx.canvas);
    this.boxes.forEach((b, i) => i !== this.active && drawBox(ctx, b, i, k, false));
    drawBox(ctx, box, this.active, k, true, !this.settings.readOnly); // read-only: no handles to suggest a resize
    this.writeLive(box, geo, at, level);
    this.frameTimes.push(performance.now() - t0);
    if (this.frameTimes.length > 5000) this.frameTimes.splice(0, 2500);
  }

  writeLive(box, geo, at, level) {
    const s = at;
    if (!geo) { // read-only: where the box is, nothing computed from it
      this.root.dataset.live = JSON.stringify({ box: box.slice(), stride: s.stride, active: this.active, count: this.boxes.length, read_only: true });
      this.root.setAttribute("aria-label", fill(s.words.read_only_label, { box: box.join(", ") }));
      this.words.textContent = "";
      return;
    }
    const live = { box: box.slice(), stride: s.stride, method: s.method, active: this.active, count: this.boxes.length, projected: geo.projected };
    if (level) Object.assign(live, { level: level.level, level_name: level.name, side: level.side, map_size: level.mapSize });
    if (s.traits.whole_cell_bins) {
      Object.assign(live, { scheme: s.scheme, quantized: geo.quantized, lost: geo.lostArea, gained: geo.gainedArea, coverage: geo.coverage, dropped: geo.droppedCells });
    } else {
      Object.assign(live, { row_edges: geo.rowEdges, col_edges: geo.colEdges });
      if (geo.grid) live.points = geo.grid[0] * geo.grid[1] * s.outputSize[0] * s.outputSize[1];
      if (geo.quantized) live.quantized = geo.quantized; // snapped first, then sampled
    }
    this.root.dataset.live = JSON.stringify(live);
    const said = readout(this.active, box, s.stride, s, geo);
    const text = level ? `${levelWords(level, s.pyramid, s.words)} ${said}` : said;
    if (this.words.textContent !== text) this.words.textContent = text;
  }

  // ------------------------------------------------------------ pointer
  toImage(e) {
    const r = this.canvas.getBoundingClientRect();
    const [W, H] = this.imageSize;
    return { x: ((e.clientX - r.left) / r.width) * W, y: ((e.clientY - r.top) / r.height) * H, perPx: W / r.width };
  }

  hit(p, touch = false) {
    const a = this.boxes[this.active];
    const side = Math.min(a[2], a[3]) / p.perPx; // screen pixels
    const tol = (touch ? Math.max(HANDLE_PX, Math.min(TOUCH_HANDLE_PX, side / 4)) : HANDLE_PX) * p.perPx;
    const h = handleAt(a, p, tol);
    if (h) return { index: this.active, handle: h };
    const inside = (b) => p.x >= b[0] && p.x <= b[0] + b[2] && p.y >= b[1] && p.y <= b[1] + b[3];
    if (inside(a)) return { index: this.active, handle: null };
    for (let i = this.boxes.length - 1; i >= 0; i--) if (inside(this.boxes[i])) return { index: i, handle: null };
    return null;
  }

  onDown(e) {
    if (this.settings.readOnly || e.button !== 0 || e.target !== this.canvas) return;
    // One pointer edits at a time: a second finger (not the primary pointer) neither restarts nor bends a drag.
    if (!e.isPrimary) return;
    const p = this.toImage(e);
    const [W, H] = this.imageSize;
    if (p.x < 0 || p.y < 0 || p.x > W || p.y > H) return;
    e.preventDefault();
    // The keys then act on the board. A finger has no keys to follow, and its focus would ring the photo.
    if (e.pointerType === "mouse") this.root.focus({ preventScroll: true });
    this.canvas.setPointerCapture(e.pointerId);
    const hit = this.hit(p, e.pointerType !== "mouse");
    const id = e.pointerId;
    if (hit) {
      this.active = hit.index;
      this.drag = { id, kind: hit.handle ? "resize" : "move", handle: hit.handle, start: p, orig: this.boxes[hit.index].slice() };
    } else {
      this.drag = { id, kind: "draw", start: p, orig: null, index: null };
    }
    this.scheduleRedraw();
  }

  onMove(e) {
    if (!this.drag) {
      if (e.pointerType === "mouse") this.canvas.style.cursor = this.settings.readOnly ? "default" : cursorFor(this.hit(this.toImage(e)));
      return;
    }
    if (e.pointerId !== this.drag.id) return; // another finger: not the one editing
    const p = this.toImage(e);
    const d = this.drag;
    const [W, H] = this.imageSize;
    if (d.kind === "draw") {
      const b = boxBetween(d.start, p, W, H);
      if (d.index === null) {
        if (Math.max(b[2], b[3]) < DRAWN_MIN) return;
        this.boxes.push(b);
        d.index = this.boxes.length - 1;
        this.active = d.index;
      }
      this.boxes[d.index] = b;
    } else if (d.kind === "move") {
      const [x, y, w, h] = d.orig;
      const nx = Math.min(Math.max(Math.round(x + p.x - d.start.x), 0), W - w);
      const ny = Math.min(Math.max(Math.round(y + p.y - d.start.y), 0), H - h);
      this.boxes[this.active] = [nx, ny, w, h];
    } else {
      this.boxes[this.active] = resized(d.orig, d.handle, p.x - d.start.x, p.y - d.start.y, W, H);
    }
    this.scheduleRedraw();
  }

  onUp(e) {
    if (!this.drag || e.pointerId !== this.drag.id) return;
    if (this.canvas.hasPointerCapture(e.pointerId)) this.canvas.releasePointerCapture(e.pointerId);
    this.drag = null;
    this.redraw();
    this.commit();
  }

  // ------------------------------------------------------------ keys
  onKey(e) {
    if (this.settings.readOnly) return;
    const [W, H] = this.imageSize;
    const s = this.levelAt(this.boxes[this.active]).at.stride; // on a pyramid, one cell of the box's level
    const arrows = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };
    let [x, y, w, h] = this.boxes[this.active];
    if (e.key in arrows) {
      const step = e.shiftKey ? s : 1;
      const [dx, dy] = arrows[e.key];
      if (e.altKey) { // resize from the bottom-right corner
        w = Math.min(Math.max(w + dx * step, 1), W - x);
        h = Math.min(Math.max(h + dy * step, 1), H - y);
      } else {
        x = Math.min(Math.max(x + dx * step, 0), W - w);
        y = Math.min(Math.max(y + dy * step, 0), H - h);
      }
      this.boxes[this.active] = [x, y, w, h];
    } else if (e.key === "Delete" || e.key === "Backspace") {
      if (this.boxes.length < 2) { // the lesson always follows some box: nothing changes, and the board says why
        e.preventDefault();
        e.stopPropagation();
        this.say(this.settings.words.last_box);
        return;
      }
      this.boxes.splice(this.active, 1);
      this.active = Math.min(this.active, this.boxes.length - 1);
    } else if (e.key === "n" || e.key === "N") {
      const n = this.boxes.length;
      this.active = (this.active + (e.shiftKey ? n - 1 : 1)) % n;
    } else if (e.key === "a" || e.key === "A") {
      const side = Math.round(Math.min(W, H) / 3);
      this.boxes.push([Math.round(W / 3), Math.round(H / 3), side, side]);
      this.active = this.boxes.length - 1;
    } else {
      return;
    }
    e.preventDefault();
    e.stopPropagation();
    this.status.textContent = ""; // a change was made: the last refusal no longer applies
    this.redraw();
    this.commit();
  }

  commit() {
    this.seq += 1;
    this.send("board", { boxes: this.boxes.map((b) => b.slice()), active: this.active, seq: this.seq, revision: this.rev });
  }
}

// ---------------------------------------------------------------- helpers
function boxBetween(a, b, W, H) {
  const x0 = Math.round(Math.min(Math.max(Math.min(a.x, b.x), 0), W));
  const y0 = Math.round(Math.min(Math.max(Math.min(a.y, b.y), 0), H));
  const x1 = Math.round(Math.min(Math.max(Math.max(a.x, b.x), 0), W));
  const y1 = Math.round(Math.min(Math.max(Math.max(a.y, b.y), 0), H));
  const w = Math.max(x1 - x0, 1), h = Math.max(y1 - y0, 1);
  return [Math.min(x0, W - w), Math.min(y0, H - h), w, h];
}

// Handles: n, s, e, w and the corners; a name says which edges follow the pointer.
function handleAt(b, p, tol) {
  const [x, y, w, h] = b;
  const xs = { w: x, c: x + w / 2, e: x + w }, ys = { n: y, m: y + h / 2, s: y + h };
  for (const [hn, hy] of Object.entries(ys)) {
    for (const [vn, vx] of Object.entries(xs)) {
      if (hn === "m" && vn === "c") continue;
      if (Math.abs(p.x - vx) <= tol && Math.abs(p.y - hy) <= tol) return (hn === "m" ? "" : hn) + (vn === "c" ? "" : vn);
    }
  }
  return null;
}

function resized(orig, handle, dx, dy, W, H) {
  let x0 = orig[0], y0 = orig[1], x1 = orig[0] + orig[2], y1 = orig[1] + orig[3];
  if (handle.includes("w")) x0 = Math.min(Math.max(Math.round(x0 + dx), 0), x1 - 1);
  if (handle.includes("e")) x1 = Math.max(Math.min(Math.round(x1 + dx), W), x0 + 1);
  if (handle.includes("n")) y0 = Math.min(Math.max(Math.round(y0 + dy), 0), y1 - 1);
  if (handle.includes("s")) y1 = Math.max(Math.min(Math.round(y1 + dy), H), y0 + 1);
  return [x0, y0, x1 - x0, y1 - y0];
}

function cursorFor(hit) {
  if (!hit) return "crosshair";
  if (!hit.handle) return "move";
  const h = hit.handle;
  return h === "n" || h === "s" ? "ns-resize" : h === "e" || h === "w" ? "ew-resize" : h === "nw" || h === "se" ? "nwse-resize" : "nesw-resize";
}

const patterns = new WeakMap(); // context -> fill patterns, made once

function fills(ctx) {
  if (patterns.has(ctx)) return patterns.get(ctx);
  // One tile of a hatch, as the figures' SVG draws it (roi_viz.picture.svg): lines 7 px apart over the fill.
  // The fill lets the photo show through a little; the lines do not, so the marks read from afar.
  const S = 7;
  const paths = {
    "/": [[0, S, S, 0], [-1, 1, 1, -1], [S - 1, S + 1, S + 1, S - 1]],
    "\\": [[0, 0, S, S], [-1, S - 1, 1, S + 1], [S - 1, -1, S + 1, 1]],
    x: [[0, S, S, 0], [0, 0, S, S]],
    "-": [[0, S / 2, S, S / 2]],
  };
  const make = (kind) => {
    const c = document.createElement("canvas");
    c.width = c.height = S;
    const g = c.getContext("2d");
    g.globalAlpha = 0.7;
    g.fillStyle = kind.fill;
    g.fillRect(0, 0, S, S);
    g.globalAlpha = 1;
    if (kind.hatch === ".") {
      g.fillStyle = kind.lines;
      g.beginPath();
      g.arc(S / 2, S / 2, 1.1, 0, 2 * Math.PI);
      g.fill();
    } else if (paths[kind.hatch]) {
      g.strokeStyle = kind.lines;
      g.lineWidth = 1.5;
      g.beginPath();
      paths[kind.hatch].forEach(([x0, y0, x1, y1]) => { g.moveTo(x0, y0); g.lineTo(x1, y1); });
      g.stroke();
    }
    return ctx.createPattern(c, "repeat");
  };
  const out = { lost: make(COLOURS.lost), gained: make(COLOURS.gained), dropped: make(COLOURS.dropped) };
  patterns.set(ctx, out);
  return out;
}

// Geometry is in cells; `u` is canvas pixels per cell.
function drawGeometry(ctx, geo, settings, u) {
  const rect = (b) => [b[0] * u, b[1] * u, b[2] * u, b[3] * u];
  const lw = Math.max(1, u / 24);
  if (geo.region && spanArea(geo.region)) {
    const [r0, r1, c0, c1] = geo.region;
    ctx.lineWidth = 2 * lw;
    ctx.strokeStyle = COLOURS.region;
    ctx.setLineDash([]);
    ctx.strokeRect(c0 * u, r0 * u, (c1 - c0) * u, (r1 - r0) * u);
  }
  if (settings.traits.whole_cell_bins) {
    const f = fills(ctx);
    ctx.fillStyle = f.lost;
    geo.lostPieces.forEach((p) => ctx.fillRect(...rect(p)));
    ctx.fillStyle = f.gained;
    geo.gainedPieces.forEach((p) => ctx.fillRect(...rect(p)));
    // Cells of the region no bin reads.
    const [r0, r1, c0, c1] = geo.region;
    const rows = geo.bins.map((row) => row[0]).filter((b) => b[1] > b[0]);
    const cols = geo.bins[0].filter((b) => b[3] > b[2]);
    const rowUsed = (r) => cols.length && rows.some((b) => b[0] <= r && r < b[1]);
    const colUsed = (c) => rows.length && cols.some((b) => b[2] <= c && c < b[3]);
    ctx.fillStyle = f.dropped;
    for (let r = r0; r < r1; r++) for (let c = c0; c < c1; c++) if (!rowUsed(r) || !colUsed(c)) ctx.fillRect(c * u, r * u, u, u);
    ctx.strokeStyle = COLOURS.bins;
    ctx.lineWidth = 1.5 * lw;
    if (settings.scheme === "fastrcnn") {
      // Fast R-CNN's bins overlap (each widened to whole cells): their outlines would cover every cell line.
      // The split itself is drawn, at its fractional edges; the words say each bin is widened.
      const [bh, bw] = geo.binSize;
      const [ph, pw] = settings.outputSize;
      const [xq, yq, wq, hq] = geo.quantized;
      ctx.setLineDash([6, 3]);
      ctx.beginPath();
      for (let i = 0; i <= ph; i++) { ctx.moveTo(xq * u, (yq + i * bh) * u); ctx.lineTo((xq + wq) * u, (yq + i * bh) * u); }
      for (let j = 0; j <= pw; j++) { ctx.moveTo((xq + j * bw) * u, yq * u); ctx.lineTo((xq + j * bw) * u, (yq + hq) * u); }
      ctx.stroke();
      ctx.setLineDash([]);
    } else {
      geo.bins.forEach((row) => row.forEach((b) => b[1] > b[0] && b[3] > b[2] && ctx.strokeRect(b[2] * u + lw, b[0] * u + lw, (b[3] - b[2]) * u - 2 * lw, (b[1] - b[0]) * u - 2 * lw)));
    }
  } else {
    ctx.strokeStyle = COLOURS.bins;
    ctx.lineWidth = 1.5 * lw;
    ctx.beginPath();
    const [y0, y1] = [geo.rowEdges[0], geo.rowEdges[geo.rowEdges.length - 1]];
    const [x0, x1] = [geo.colEdges[0], geo.colEdges[geo.colEdges.length - 1]];
    geo.rowEdges.forEach((y) => { ctx.moveTo(x0 * u, y * u); ctx.lineTo(x1 * u, y * u); });
    geo.colEdges.forEach((x) => { ctx.moveTo(x * u, y0 * u); ctx.lineTo(x * u, y1 * u); });
    ctx.stroke();
    if (geo.samples) {
      const r = Math.max(2, Math.min(4, u / 10));
      ctx.fillStyle = COLOURS.point;
      ctx.strokeStyle = "#000";
      ctx.lineWidth = 1;
      ctx.beginPath();
      geo.samples.forEach((row) => row.forEach((pts) => pts.forEach(([py, px]) => {
        ctx.moveTo(px * u + r, py * u);
        ctx.arc(px * u, py * u, r, 0, 2 * Math.PI);
      })));
      ctx.fill();
      ctx.stroke();
    }
  }
  // The box on the grid is the RoI's own outline, drawn over all this: its edges fall at fractional cells.
}

function spanArea([r0, r1, c0, c1]) {
  return Math.max(r1 - r0, 0) * Math.max(c1 - c0, 0);
}

function drawBox(ctx, b, i, k, active, handles = active) {
  const [x, y, w, h] = [b[0] * k, b[1] * k, b[2] * k, b[3] * k];
  const unit = Math.max(1, ctx.canvas.width / 512);
  ctx.setLineDash(active ? [] : [8 * unit, 5 * unit]);
  ctx.lineWidth = (active ? 6 : 3) * unit;
  ctx.strokeStyle = "#000";
  ctx.strokeRect(x, y, w, h);
  ctx.lineWidth = (active ? 4 : 2) * unit;
  ctx.strokeStyle = active ? COLOURS.active : COLOURS.box;
  ctx.strokeRect(x, y, w, h);
  if (active) {
    ctx.lineWidth = unit;
    ctx.strokeStyle = "#fff";
    ctx.strokeRect(x + 2.5 * unit, y + 2.5 * unit, w - 5 * unit, h - 5 * unit);
  }
  ctx.setLineDash([]);
  // The number in a tag: the followed RoI's tag is dark on light, the others light on dark.
  const label = String(i + 1);
  const fs = Math.round((active ? 15 : 13) * unit);
  ctx.font = `bold ${fs}px sans-serif`;
  const tw = ctx.measureText(label).width + 8 * unit;
  const ty = y >= fs + 6 * unit ? y - fs - 4 * unit : y + 2 * unit;
  ctx.fillStyle = active ? COLOURS.active : "#000";
  ctx.fillRect(x, ty, tw, fs + 4 * unit);
  ctx.fillStyle = active ? "#fff" : COLOURS.box;
  ctx.textBaseline = "top";
  ctx.fillText(label, x + 4 * unit, ty + 2 * unit);
  if (handles) {
    const hs = Math.max(4 * unit, coarse && coarse.matches ? TOUCH_HANDLE_DRAWN_PX * (window.devicePixelRatio || 1) : 0);
    ctx.fillStyle = "#fff";
    ctx.strokeStyle = "#000";
    ctx.lineWidth = unit;
    for (const hx of [x, x + w / 2, x + w]) for (const hy of [y, y + h / 2, y + h]) {
      if (hx === x + w / 2 && hy === y + h / 2) continue;
      ctx.fillRect(hx - hs, hy - hs, 2 * hs, 2 * hs);
      ctx.strokeRect(hx - hs, hy - hs, 2 * hs, 2 * hs);
    }
  }
}

// The page's own rules (ui.style.page_css), put in the document by the board before it draws: a style element of
// the page could come later than the board on a slow first load, and move the board under a student's drag.
function pageCss(css) {
  if (!css) return;
  let style = document.getElementById("roi-viz-page-css");
  if (!style) {
    style = document.createElement("style");
    style.id = "roi-viz-page-css";
    document.head.appendChild(style);
  }
  if (style.textContent !== css) style.textContent = css;
}

export default function (component) {
  const { parentElement, setStateValue } = component;
  const data = unpacked(component.data);
  let board = boards.get(parentElement);
  if (!board) {
    board = new Board(parentElement, setStateValue);
    boards.set(parentElement, board);
    living.add(board);
  }
  board.send = setStateValue;
  board.update(data);
  // Streamlit also calls this cleanup when a newer call superseded this one while the
  // board stays on the page; only a board no longer in the document is let go.
  return () => setTimeout(() => {
    if (!board.root.isConnected) {
      board.observer.disconnect();
      boards.delete(parentElement);
      living.delete(board);
      // A page without the board (a slide) has its own rules: the board's copy goes with it.
      if (![...living].some((b) => b.root.isConnected)) document.getElementById("roi-viz-page-css")?.remove();
    }
  }, 0);
}
