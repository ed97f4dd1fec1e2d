// The page's side of the flow engine's worker (flow-worker.js): starting it or taking over the
// one flow-boot.js started, its messages, and when to give up on it. The decisions are plain
// functions of the download's progress and the time (tests/js/flow-engine.test.mjs).
//
// Messages from the worker: {type: "progress", loaded, total, done} while the files arrive (done:
// every download is in, only the start remains), {type: "ready", timings}, {type: "failed",
// reason, snapshotRefused}, {type: "result", id, result}.
//
// A classic script: in the page it is window.TryggtFlowEngine, under Node module.exports.
(function () {
"use strict";

// A download that is progressing is never given up, however slow: only one from which no byte
// has come for stallMs, or a start that takes longer than startMs once every file is in. Before
// the worker counts its first bytes (the page, the worker's own scripts and Pyodide's loader
// come first, uncounted: 17 s at 500 kbit/s) it gets startMs too.
const LIMITS = { stallMs: 20000, startMs: 60000 };
const CHECK_EVERY_MS = 1000;

// ---- the download and the give-up decision (pure) ------------------------------------------

function beginLoad(now) {
  return { loaded: 0, total: null, done: false, counting: false, lastBytesAt: now, doneAt: null };
}

function onProgress(load, message, now) {
  const loaded = Math.max(load.loaded, Number(message.loaded) || 0);
  const total = Number.isFinite(message.total) && message.total > 0 ? message.total : null;
  const done = load.done || !!message.done;
  return {
    loaded,
    total,
    done,
    counting: true,
    // The stall clock starts with the counting.
    lastBytesAt: loaded > load.loaded || !load.counting ? now : load.lastBytesAt,
    doneAt: done ? (load.doneAt === null ? now : load.doneAt) : null,
  };
}

// null while it is worth waiting, else why not: "stalled" (no bytes for a while, not all in)
// or "slow-start" (everything in, the start itself taking too long).
function giveUpReason(load, now, limits = LIMITS) {
  if (load.done) return now - load.doneAt > limits.startMs ? "slow-start" : null;
  const limit = load.counting ? limits.stallMs : limits.startMs;
  return now - load.lastBytesAt > limit ? "stalled" : null;
}

// The progress in the reader's words, e.g. "Hämtat 2,1 av 4,8 MB" (the language's decimal sign);
// "" before the first bytes. `text(key, values)` gives the site's words.
function progressWords(load, text, locale) {
  if (load.done) return text("flow_progress_starting");
  if (load.loaded <= 0) return "";
  const format = new Intl.NumberFormat(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  const mb = (bytes) => format.format(bytes / 1e6);
  if (load.total === null) return text("flow_progress_unknown", { loaded: mb(load.loaded) });
  return text("flow_progress", { loaded: mb(load.loaded), total: mb(Math.max(load.total, load.loaded)) });
}

// ---- the worker ----------------------------------------------------------------------------

// Starts the engine (or takes over the worker flow-boot.js started) and reports to `on`:
// progress(load), ready(timings), failed(). Returns {run(tree, answers) -> Promise, stop()}.
// `urls` are the runtime's files and their sizes ({pyodide, engine, stdlib, snapshot, sizes}, as
// flow-worker.js takes them); `workerUrl` the worker's script.
function connect({ urls, workerUrl, booted, on, now = () => performance.now(), limits = LIMITS }) {
  const client = { workerUrl, on, now, urls, worker: null, runs: new Map(), nextId: 0, load: beginLoad(now()), over: false };
  client.watch = setInterval(() => {
    if (giveUpReason(client.load, now(), limits)) fail(client);
  }, CHECK_EVERY_MS);
  // flow-boot.js started its worker with or without the snapshot, as the site was built.
  startWorker(client, booted || null, booted && !booted.snapshot ? { ...urls, snapshot: null } : urls);
  return { run: (tree, answers) => run(client, tree, answers), stop: () => stop(client) };
}

function startWorker(client, taken, urls) {
  client.urls = urls;
  try {
    client.worker = taken ? taken.worker : new Worker(client.workerUrl, { type: "module" });
  } catch (error) {
    return fail(client);
  }
  client.worker.onerror = (event) => {
    event.preventDefault();
    fail(client);
  };
  client.worker.onmessage = (event) => receive(client, event.data || {});
  if (!taken) client.worker.postMessage({ type: "init", ...urls });
  for (const event of taken ? taken.early : []) (event.type === "error" ? client.worker.onerror : client.worker.onmessage)(event);
}

function receive(client, message) {
  if (client.over) return;
  if (message.type === "progress") {
    client.load = onProgress(client.load, message, client.now());
    client.on.progress(client.load);
  } else if (message.type === "ready") {
    clearInterval(client.watch);
    client.on.ready(message.timings);
  } else if (message.type === "failed" && message.snapshotRefused && client.urls.snapshot) {
    // The snapshot did not fit this browser's Pyodide: start the ordinary way instead.
    client.worker.terminate();
    client.load = beginLoad(client.now());
    startWorker(client, null, { ...client.urls, snapshot: null });
  } else if (message.type === "failed") {
    fail(client);
  } else if (message.type === "result" && client.runs.has(message.id)) {
    client.runs.get(message.id)(JSON.parse(message.result));
    client.runs.delete(message.id);
  }
}

function run(client, tree, answers) {
  const id = client.nextId++;
  return new Promise((resolve) => {
    client.runs.set(id, resolve);
    client.worker.postMessage({ type: "run", id, tree, answers: JSON.stringify(answers) });
  });
}

function stop(client) {
  client.over = true;
  clearInterval(client.watch);
  if (client.worker) client.worker.terminate();
}

function fail(client) {
  if (client.over) return;
  stop(client);
  client.on.failed();
}

const Engine = { LIMITS, beginLoad, onProgress, giveUpReason, progressWords, connect };
if (typeof module === "object" && module.exports) module.exports = Engine;
else self.TryggtFlowEngine = Engine;
})();
