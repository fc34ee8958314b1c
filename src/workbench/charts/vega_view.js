// The browser side of workbench.charts.widget.VegaView (an ES module, as anywidget wants).
// It loads the Vega bundle from the workbench server once per page, then draws the spec with
// Vega-Embed, again whenever the spec changes; a chart that cannot be drawn says so in words.

const KEPT = "workbench-chart:";     // localStorage: compiled charts, by the key of their shape
const KEPT_LIST = KEPT + "list";    // their keys, oldest first
const KEPT_MOST = 60;               // about 60 kB each without their rows
const SAFE_OPTIONS = ["actions", "renderer"];  // options that do not change the compiled chart

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
  const key = spec.usermeta && spec.usermeta.workbenchShape;
  const safe = Object.keys(options).every((name) => SAFE_OPTIONS.includes(name));
  return typeof key === "string" && key && spec.datasets && safe ? key : "";
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
    const store = window.localStorage;
    let list = [];
    try { list = JSON.parse(store.getItem(KEPT_LIST) || "[]"); } catch (err) { list = []; }
    list = list.filter((k) => k !== key);
    list.push(key);
    while (list.length > KEPT_MOST) { store.removeItem(KEPT + list.shift()); }
    try {
      store.setItem(KEPT + key, JSON.stringify(bare));
    } catch (full) {  // make room: forget the others, then try once more
      for (const old of list) { if (old !== key) { store.removeItem(KEPT + old); } }
      list = [key];
      store.setItem(KEPT + key, JSON.stringify(bare));
    }
    store.setItem(KEPT_LIST, JSON.stringify(list));
  } catch (err) {
    // nothing kept: the next page compiles the chart, as this one did
  }
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
      await loadBundle(new URL(baseUrl() + model.get("bundle"), window.location.href).href);
      if (mine !== drawing) { return; }
      const options = model.get("embed_options") || {};
      const key = shapeKey(spec, options);
      const kept = key ? keptChart(key, structuredClone(spec.datasets)) : null;
      const holder = document.createElement("div");
      const api = await window.vegaEmbed(holder, kept || structuredClone(spec),
                                         structuredClone(options));
      if (key && !kept) { keepChart(key, api.vgSpec, spec.datasets); }
      if (mine !== drawing) { api.finalize(); return; }
      if (finalize) { finalize(); }
      finalize = api.finalize;
      el.replaceChildren(holder);
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
