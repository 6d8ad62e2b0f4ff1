// Previous / Next / the step picker, keeping the step in the browser.
//
// A click changes the step here at once and sends the TARGET step as a state value.
// Streamlit folds quick reruns together, and a trigger (a button's click) that lands
// in a folded rerun is lost; a value is not: the last one sent is the step. So five
// clicks on Next 33 ms apart always end five steps on.

const steppers = new WeakMap(); // parentElement -> stepper
const stores = new Map(); // Streamlit key -> {step, rev, seq}: a stepper mounted afresh carries on

// Every word here comes from Python (ui.board.stepper.words), in the student's language: templates whose named
// placeholders ("{n}") are filled with the step's numbers.
function fill(template, values) {
  return String(template).replace(/\{(\w+)\}/g, (all, name) => (name in values ? String(values[name]) : all));
}

function editable(el) {
  return !!el && (el.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(el.tagName));
}

class Stepper {
  constructor(parent) {
    this.parent = parent;
    this.s = { step: 1, rev: null, seq: 0 };
    this.steps = 1;
    const root = document.createElement("div");
    root.className = "roi-stepper";
    root.dataset.testid = "roi-stepper";
    root.setAttribute("role", "group");
    this.prev = button();
    this.next = button();
    this.pick = document.createElement("select");
    this.status = document.createElement("span");
    this.status.className = "roi-stepper-status";
    this.status.setAttribute("aria-live", "polite");
    root.append(this.prev, this.pick, this.next, this.status);
    parent.appendChild(root);
    this.root = root;
    this.prev.addEventListener("click", () => this.go(this.step - 1));
    this.next.addEventListener("click", () => this.go(this.step + 1));
    this.pick.addEventListener("change", () => this.go(Number(this.pick.value)));
    this.onKey = (e) => {
      if (!this.root.isConnected) return;
      if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey || e.shiftKey) return;
      if (editable(e.composedPath()[0])) return; // an arrow in a field moves the cursor, not the lesson
      const back = e.key === "ArrowLeft" || (this.presenter && e.key === "PageUp");
      const on = e.key === "ArrowRight" || (this.presenter && e.key === "PageDown");
      if (!back && !on) return;
      e.preventDefault();
      this.go(this.step + (on ? 1 : -1));
    };
    document.addEventListener("keydown", this.onKey);
  }

  get step() { return this.s.step; }
  set step(v) { this.s.step = v; }
  get rev() { return this.s.rev; }
  set rev(v) { this.s.rev = v; }
  get seq() { return this.s.seq; }
  set seq(v) { this.s.seq = v; }

  update(data) {
    const words = (this.words = data.words);
    this.root.setAttribute("aria-label", words.group);
    label(this.prev, words.previous, words.previous_label);
    label(this.next, words.next, words.next_label);
    this.pick.setAttribute("aria-label", words.picker);
    if (!stores.has(data.key)) stores.set(data.key, this.s);
    this.s = stores.get(data.key);
    this.steps = Math.max(1, data.steps);
    this.presenter = !!data.presenter;
    this.pick.hidden = data.picker === false; // the page may have a picker of its own
    if (data.revision !== this.rev) {
      const moved = this.rev !== null && data.step !== this.step;
      this.rev = data.revision;
      this.step = data.step;
      if (moved) this.bringIntoView();
    }
    this.step = Math.min(Math.max(this.step, 1), this.steps);
    const titles = data.titles || [];
    const options = Array.from({ length: this.steps },
      (_, i) => fill(titles[i] ? words.option_titled : words.option, { n: i + 1, title: titles[i] || "" }));
    if (options.join("\n") !== this.optionsText) {
      this.optionsText = options.join("\n");
      this.pick.replaceChildren(...options.map((text, i) => Object.assign(document.createElement("option"), { value: String(i + 1), textContent: text })));
    }
    this.show();
  }

  // Python moved the step (the buttons under the words): the student had scrolled down to read
  // the words, and the new step's figure starts under these controls. Bring them to the top.
  bringIntoView() {
    if (this.root.getBoundingClientRect().top < 0) this.root.scrollIntoView({ block: "start" });
  }

  go(step) {
    const target = Math.min(Math.max(step, 1), this.steps);
    if (target === this.step) return;
    this.step = target;
    this.show();
    this.seq += 1;
    this.send("step", { step: this.step, seq: this.seq, revision: this.rev });
  }

  show() {
    this.pick.value = String(this.step);
    this.prev.disabled = this.step <= 1;
    this.next.disabled = this.step >= this.steps;
    this.status.textContent = fill(this.words.status, { n: this.step, steps: this.steps });
    this.root.dataset.step = String(this.step);
  }
}

function button() {
  const b = document.createElement("button");
  b.type = "button";
  return b;
}

// A button's words: what it shows and, for a screen reader, what it does (rewritten only when they change).
function label(b, text, name) {
  if (b.textContent !== text) b.textContent = text;
  if (b.getAttribute("aria-label") !== name) b.setAttribute("aria-label", name);
}

export default function (component) {
  const { parentElement, setStateValue } = component;
  const data = unpacked(component.data);
  let stepper = steppers.get(parentElement);
  if (!stepper) {
    stepper = new Stepper(parentElement);
    steppers.set(parentElement, stepper);
  }
  stepper.send = setStateValue;
  stepper.update(data);
  // Streamlit also calls this cleanup when a newer call superseded this one while the
  // stepper stays on the page; only a stepper no longer in the document is let go.
  return () => setTimeout(() => {
    if (!stepper.root.isConnected) {
      document.removeEventListener("keydown", stepper.onKey);
      steppers.delete(parentElement);
    }
  }, 0);
}
