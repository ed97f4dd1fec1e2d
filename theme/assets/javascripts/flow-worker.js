// The flow engine in a module worker: Pyodide (vendored in the site) runs the same Python
// engine as the build, so the page stays responsive while Python starts. Nothing is stored,
// and nothing is fetched but the site's own files.
//
// Messages in:  {type: "init", pyodide: <folder URL>, engine: <zip URL>,
//                stdlib: <precompiled stdlib zip URL | null>, snapshot: <snapshot URL | null>}
//               {type: "run", id, tree: <JSON string>, answers: <JSON string>}
// Messages out: {type: "ready", timings} | {type: "failed", reason, snapshotRefused}
//               {type: "result", id, result: <JSON string from run_json>}

const EXTRACT_DIR = "/engine";
let runJson = null;

// A wasm file served with another MIME type makes Pyodide fall back to a path that stalls
// without an error. Pyodide compiles through instantiateStreaming, so the type is checked there,
// on the response it fetches anyway, and a wrong one fails the start at once.
function wasmTypeGuard() {
  let reject;
  const failed = new Promise((_, r) => { reject = r; });
  const streaming = WebAssembly.instantiateStreaming;
  WebAssembly.instantiateStreaming = async (source, imports) => {
    const response = await source;
    const type = (response.headers.get("content-type") || "").split(";")[0].trim();
    if (!response.ok || type !== "application/wasm") {
      const error = new Error(`wasm: HTTP ${response.status}, served as ${type || "no type"}`);
      reject(error);
      throw error;
    }
    return streaming.call(WebAssembly, response, imports);
  };
  return failed;
}

async function fetchBytes(url, what) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${what}: HTTP ${response.status}`);
  return response;
}

// The snapshot is stored gzipped (generator/runtime.py): small on the wire on any host.
async function fetchSnapshot(url) {
  const response = await fetchBytes(url, "snapshot");
  const unpacked = response.body.pipeThrough(new DecompressionStream("gzip"));
  return new Uint8Array(await new Response(unpacked).arrayBuffer());
}

class SnapshotRefused extends Error {}

async function start({ pyodide: folder, engine, stdlib, snapshot }) {
  const t0 = performance.now();
  const wasmTypeWrong = wasmTypeGuard();
  // First the small pyodide.mjs: unpacking the snapshot keeps this thread busy, and begun
  // before the import it held the import (and so everything after it) back by a few hundred ms.
  const { loadPyodide } = await import(new URL("pyodide.mjs", folder).href);
  const tImport = performance.now();
  const options = { indexURL: folder, packages: [], stdout: () => {}, stderr: () => {} };
  if (stdlib) options.stdLibURL = stdlib;
  if (snapshot) options._loadSnapshot = fetchSnapshot(snapshot);
  // With a snapshot the engine is already imported; without one it comes as a zip.
  const engineZip = snapshot ? Promise.resolve(null) : fetchBytes(engine, "engine").then((r) => r.arrayBuffer());
  // Marked as handled now: they are awaited below, with Pyodide's start.
  wasmTypeWrong.catch(() => {});
  engineZip.catch(() => {});
  if (options._loadSnapshot) options._loadSnapshot.catch(() => {});
  const loading = loadPyodide(options).catch((error) => {
    throw snapshot ? new SnapshotRefused(String(error && error.message || error)) : error;
  });
  // A wrong wasm type ends the wait even though Pyodide itself would not.
  const [py, zip] = await Promise.race([Promise.all([loading, engineZip]), wasmTypeWrong]);
  const t1 = performance.now();
  if (snapshot) {
    // A restored snapshot carries the random state of the build: give it fresh entropy.
    py.runPython("import sys\nif 'random' in sys.modules: sys.modules['random'].seed()");
  } else {
    py.unpackArchive(new Uint8Array(zip), "zip", { extractDir: EXTRACT_DIR });
    py.runPython(`import sys\nsys.path.insert(0, "${EXTRACT_DIR}")`);
  }
  runJson = py.pyimport("tryggt_engine").run_json;
  const t2 = performance.now();
  // Where the time went, for the benchmark (benchmarks/browser.py).
  return { import: tImport - t0, load: t1 - tImport, engine: t2 - t1, snapshot: !!snapshot, stdlib: !!stdlib };
}

self.onmessage = async (event) => {
  const message = event.data || {};
  if (message.type === "init") {
    try {
      const timings = await start(message);
      self.postMessage({ type: "ready", timings });
    } catch (error) {
      const reason = String((error && error.message) || error);
      self.postMessage({ type: "failed", reason, snapshotRefused: error instanceof SnapshotRefused });
    }
  } else if (message.type === "run" && runJson) {
    self.postMessage({ type: "result", id: message.id, result: runJson(message.tree, message.answers) });
  }
};
