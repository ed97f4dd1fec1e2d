// Starts the flow engine's worker from the page's head; it begins fetching Pyodide once the page
// itself has loaded: on a slow link the runtime's megabytes would otherwise share the line with
// the page's own scripts and styles and hold back the static flow (benchmarks/RESULTS.md,
// "Browser: flow start on a real connection"). flow.js (at the end of the body) takes the worker
// over, with any message it has sent meanwhile. The URLs are this script's data attributes,
// relative to the site root. Loaded async; if flow.js runs first it starts its own worker and
// leaves null here.
(function () {
  "use strict";
  // The flow's own acute box waits on screen for flow.js to take the flow over (flow.css). Should
  // flow.js never do so (a script that fails or never comes), the box shows, first, once the page
  // has loaded: a reader in danger never loses it to a broken script.
  window.addEventListener("load", () => {
    document.querySelectorAll(".flow:not(.flow-live)").forEach((flow) => flow.classList.add("flow-not-live"));
  }, { once: true });
  if (window.tryggtFlowWorker !== undefined) return;
  if (location.protocol === "file:" || typeof WebAssembly !== "object" || typeof Worker !== "function") return;
  const script = document.currentScript;
  const siteRoot = new URL("../../", script.src);
  const url = (name) => (script.dataset[name] ? new URL(script.dataset[name], siteRoot).href : null);
  let worker;
  try {
    worker = new Worker(new URL("flow-worker.js", script.src), { type: "module" });
  } catch (error) {
    return; // flow.js tries again and falls back to the static flow if it cannot
  }
  const early = [];
  worker.onmessage = (event) => early.push(event);
  worker.onerror = (event) => {
    event.preventDefault();
    early.push(event);
  };
  const init = () => worker.postMessage({
    type: "init",
    pyodide: url("pyodide"),
    engine: url("engineZip"),
    stdlib: url("stdlib"),
    snapshot: url("snapshot"),
    sizes: script.dataset.runtimeSizes || null, // bytes of each download, for the progress
  });
  if (document.readyState === "complete") init();
  else window.addEventListener("load", init, { once: true });
  window.tryggtFlowWorker = { worker, early, snapshot: !!script.dataset.snapshot };
})();
