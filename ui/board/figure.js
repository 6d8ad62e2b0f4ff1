// A figure painted as inline SVG (roi_viz.picture.svg): vector on any screen, every text a text
// element, a hover title on each mark that has one. Python sends the SVG as text it escaped itself;
// it is put in this component's own element, nothing else of the page is touched but the font.

const FONT_STYLE_ID = "roi-viz-figure-font";

// The figures are measured in DejaVu Sans (roi_viz.picture.fonts): the page must show that font, not
// whatever sans-serif the student's computer has. A font face works only when declared in the
// document, not in a shadow root, so it is declared there once.
function declareFont(faces) {
  if (document.getElementById(FONT_STYLE_ID)) return;
  const style = document.createElement("style");
  style.id = FONT_STYLE_ID;
  style.textContent = faces
    .map((f) => `@font-face { font-family: "${f.family}"; src: url("${f.url}") format("truetype"); font-weight: ${f.weight}; font-display: block; }`)
    .join("\n");
  document.head.appendChild(style);
}

export default function (component) {
  const { parentElement } = component;
  const data = unpacked(component.data);
  declareFont(data.fonts || []);
  // The component's own root may be a shadow root, where ":scope >" matches nothing: look at its children.
  let holder = [...parentElement.children].find((c) => c.classList.contains("roi-figure-holder"));
  if (!holder) {
    holder = document.createElement("div");
    holder.className = "roi-figure-holder";
    holder.dataset.testid = "roi-figure";
    parentElement.appendChild(holder);
  }
  holder.figure = data; // the latest figure: the observer below shows it at the width it finds
  show(holder);
  if (!holder.observer && typeof ResizeObserver !== "undefined") {
    holder.observer = new ResizeObserver(() => show(holder));
    holder.observer.observe(holder);
  }
}

// The page's drawing, or on a narrow column (a phone held upright) the one described for it.
function show(holder) {
  const data = holder.figure;
  const narrow = !!data.narrow && holder.getBoundingClientRect().width < data.narrow_below;
  const want = data.key + (narrow ? ":narrow" : ":wide");
  if (holder.dataset.svgKey === want) return;
  holder.dataset.svgKey = want;
  holder.dataset.layout = narrow ? "narrow" : "wide";
  holder.innerHTML = narrow ? data.narrow : data.svg;
}
