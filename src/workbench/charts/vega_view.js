// The browser side of workbench.charts.widget.VegaView (an ES module, as anywidget wants).
// It loads the Vega bundle from the workbench server once per page, then draws the spec with
// Vega-Embed, again whenever the spec changes; a chart that cannot be drawn says so in words.
// An SVG chart drawn before with the same rows is shown at once from the drawing kept then;
// the live chart (the same drawing, with its tooltips) replaces it when someone points at it.
// Vega draws once the browser is idle, so the rest of the page is drawn first.

const KEPT = "workbench-chart:";     // localStorage: compiled charts, by the key of their shape
const KEPT_MOST = 40;               // up to about 80,000 characters each without their rows
const DRAWN = "workbench-drawing:";  // SVG drawings, by the key of their shape and rows
const DRAWN_MOST = 6;               // up to about 220,000 characters each (a board's four)
// together well within the 5.2 million characters Chromium allows a site's local storage
const SAFE_OPTIONS = ["actions", "renderer"];  // options that do not change the compiled chart
const SHAPE_FIELD = "workbenchShape";  // the kernel's keys (workbench.charts.keyed), the same
const DRAWING_FIELD = "workbenchDrawing";  // names checked by tests/charts/test_charts_keyed.py

function baseUrl() {
  const node = document.getElementById("jupyter-config-data");
  try {
    return (node && JSON.parse(node.textContent).baseUrl) || "/";
  } catch (err) {
    return "/";
  }
}

function plainWords(error) {
  const box = document.createElement("p");
  box.className = "wb-chart-error";
  box.textContent = "This chart could not be drawn. Reload the page; if it stays, tell " +
    "whoever runs the workbench (" + (error && error.message ? error.message : error) + ").";
  return box;
}

function loadBundle(url) {
  // a classic script, not a module: a browser keeps the compiled code of a classic script it
  // has run before (its code cache) and reuses it on the next page; once per page
  if (window.vegaEmbed) { return Promise.resolve(); }
  if (!window.wbVegaBundle) {
    window.wbVegaBundle = new Promise((resolve, reject) => {
      const script = document.createElement("script");
      script.src = url;
      script.onload = () => resolve();
      script.onerror = () => {
        window.wbVegaBundle = null;
        reject(new Error("the chart library did not load from " + url));
      };
      document.head.appendChild(script);
    });
  }
  return window.wbVegaBundle;
}

function shapeKey(spec, options) {
  // the key the kernel wrote for the spec's shape (workbench.charts.keyed), when the options
  // leave the compiled chart as it is; "" means compile every time
  const key = spec.usermeta && spec.usermeta[SHAPE_FIELD];
  const safe = Object.keys(options).every((name) => SAFE_OPTIONS.includes(name));
  return typeof key === "string" && key && spec.datasets && safe ? key : "";
}

function drawingKey(spec, options) {
  // the key of the spec's shape and rows, for an SVG chart without a menu; "" means none
  const key = spec.usermeta && spec.usermeta[DRAWING_FIELD];
  const plain = options.renderer === "svg" && options.actions === false;
  return plain && shapeKey(spec, options) && typeof key === "string" ? key : "";
}

function withoutDrawingKey(spec) {
  // the spec to compile: the drawing's key changes with the rows, the compiled chart must not
  const copy = structuredClone(spec);
  if (copy.usermeta) { delete copy.usermeta[DRAWING_FIELD]; }
  return copy;
}

function keep(prefix, most, key, text) {
  // localStorage[prefix + key] = text, keeping the last *most* of that prefix; when storage
  // is full, forget every other chart and drawing and try once more; switched off: nothing
  const store = window.localStorage;
  const listName = prefix + "list";
  let list = [];
  try { list = JSON.parse(store.getItem(listName) || "[]"); } catch (err) { list = []; }
  list = list.filter((k) => k !== key);
  list.push(key);
  while (list.length > most) { store.removeItem(prefix + list.shift()); }
  try {
    store.setItem(prefix + key, text);
  } catch (full) {
    for (const name of Object.keys(store)) {
      const ours = name.startsWith(KEPT) || name.startsWith(DRAWN);
      if (ours && name !== prefix + key) { store.removeItem(name); }
    }
    list = [key];
    store.setItem(prefix + key, text);
  }
  store.setItem(listName, JSON.stringify(list));
}

function keptChart(key, rows) {
  // the compiled chart kept for this shape, with this spec's rows filled in; null if none,
  // or if it does not have a place for each of the rows
  let chart = null;
  try {
    const text = window.localStorage.getItem(KEPT + key);
    chart = text ? JSON.parse(text) : null;
  } catch (err) {
    return null;
  }
  if (!chart || !Array.isArray(chart.data)) { return null; }
  const names = new Set(Object.keys(rows));
  let filled = 0;
  for (const data of chart.data) {
    if (names.has(data.name) && Array.isArray(data.values)) {
      data.values = rows[data.name];
      filled += 1;
    }
  }
  return filled === names.size ? chart : null;
}

function keepChart(key, compiled, rows) {
  // keep the compiled chart without its rows; a full or switched-off storage keeps nothing
  try {
    const bare = structuredClone(compiled);
    for (const data of bare.data || []) {
      if (data.name in rows && Array.isArray(data.values)) { data.values = []; }
    }
    keep(KEPT, KEPT_MOST, key, JSON.stringify(bare));
  } catch (err) {
    // nothing kept: the next page compiles the chart, as this one did
  }
}

function keptDrawing(key) {
  // the SVG drawing this browser kept for this shape and these rows, as a node to show; null
  // if none (or one made by another version of the browser, whose text may measure otherwise)
  try {
    const text = window.localStorage.getItem(DRAWN + key);
    const kept = text ? JSON.parse(text) : null;
    if (!kept || kept.browser !== navigator.userAgent || typeof kept.html !== "string") {
      return null;
    }
    const box = document.createElement("template");
    box.innerHTML = kept.html;
    const node = box.content.firstElementChild;
    if (!node || !node.querySelector("svg")) { return null; }
    // Vega-Embed's own style for its box, which it adds to the page only when it draws
    node.style.position = "relative";
    node.style.display = "inline-block";
    node.style.boxSizing = "border-box";
    return node;
  } catch (err) {
    return null;
  }
}

function keepDrawing(key, holder) {
  // keep the live chart's drawing: its SVG, without the live view's event handlers
  try {
    const kept = { browser: navigator.userAgent, html: holder.outerHTML };
    keep(DRAWN, DRAWN_MOST, key, JSON.stringify(kept));
  } catch (err) {
    // nothing kept: the next page waits for the live chart, as this one did
  }
}

function idle() {
  // once the browser has drawn what it has and has nothing else to do, at most a second on:
  // the rest of the page (a form's button) is drawn before the chart takes the thread
  return new Promise((resolve) => {
    if (window.requestIdleCallback) {
      window.requestIdleCallback(() => resolve(), { timeout: 1000 });
    } else {
      setTimeout(resolve, 0);
    }
  });
}

function pointedAt(el) {
  // the first time someone points at, touches or tabs into the chart
  return new Promise((resolve) => {
    const events = ["pointerenter", "pointerdown", "focusin"];
    const go = () => {
      for (const name of events) { el.removeEventListener(name, go); }
      resolve();
    };
    for (const name of events) { el.addEventListener(name, go); }
  });
}

async function render({ model, el }) {
  let finalize = null;
  let drawing = 0;
  const draw = async () => {
    const mine = ++drawing;
    const spec = model.get("spec");
    if (spec == null) {
      if (finalize) { finalize(); finalize = null; }
      el.replaceChildren();
      return;
    }
    try {
      const options = model.get("embed_options") || {};
      const drawn = drawingKey(spec, options);
      const shown = drawn ? keptDrawing(drawn) : null;
      if (shown) {  // this very chart, drawn before: shown now, made live when pointed at
        if (finalize) { finalize(); finalize = null; }
        el.replaceChildren(shown);
        el.dataset.wbDrawn = "kept";
        await pointedAt(el);
        if (mine !== drawing) { return; }
      }
      await idle();
      if (mine !== drawing) { return; }
      await loadBundle(new URL(baseUrl() + model.get("bundle"), window.location.href).href);
      if (mine !== drawing) { return; }
      const key = shapeKey(spec, options);
      const kept = key ? keptChart(key, structuredClone(spec.datasets)) : null;
      const holder = document.createElement("div");
      const api = await window.vegaEmbed(holder, kept || withoutDrawingKey(spec),
                                         structuredClone(options));
      if (key && !kept) { keepChart(key, api.vgSpec, spec.datasets); }
      if (mine !== drawing) { api.finalize(); return; }
      if (drawn && !shown) { keepDrawing(drawn, holder); }
      if (finalize) { finalize(); }
      finalize = api.finalize;
      el.replaceChildren(holder);
      el.dataset.wbDrawn = "live";
    } catch (error) {
      if (mine === drawing) { el.replaceChildren(plainWords(error)); }
    }
  };
  model.on("change:spec", draw);
  model.on("change:embed_options", draw);
  draw();  // not awaited: the rest of the page need not wait for the chart
  return () => { if (finalize) { finalize(); } };
}

export default { render };
