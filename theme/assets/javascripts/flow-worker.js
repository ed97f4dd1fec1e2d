// The flow engine in a module worker: Pyodide (vendored in the site) runs the same Python
// engine as the build, so the page stays responsive while Python starts. Nothing is stored,
// and nothing is fetched but the site's own files.
//
// Messages in:  {type: "init", pyodide: <folder URL>, engine: <zip URL>, stdlib: <stdlib URL>,
//                snapshot: <snapshot URL | null>,
//                sizes: <bytes of each download as stored: the text of data-runtime-sizes,
//                        "asm=… asm_plain=… wasm=… stdlib=… engine=… [snapshot=…]", or an object
//                        of the same | null>}
//               {type: "run", id, tree: <JSON string>, answers: <JSON string>}
// Messages out: {type: "progress", loaded, total, done}: bytes received so far over every
//                 download, as the site stores them; total from `sizes` (null without it); done
//                 once every download has arrived and only Python's start is left. At most every
//                 PROGRESS_MS while bytes arrive, and once with done: true.
//               {type: "ready", timings} | {type: "failed", reason, snapshotRefused}
//               {type: "result", id, result: <JSON string from run_json>}

import { startEngine } from "./flow-start.mjs";

const PROGRESS_MS = 250;
const GZIP = [0x1f, 0x8b];
const WASM = [0x00, 0x61, 0x73, 0x6d]; // "\0asm"
let runJson = null;

class SnapshotRefused extends Error {}

// Bytes received over every download, told to the page now and then.
class Progress {
  constructor(total, downloads) {
    this.loaded = 0;
    this.total = total;
    this.left = downloads;
    this.sent = -Infinity;
    this.trailing = null;
    this.arrived = null;
  }

  // The body of a response, counted as it arrives; `settles`: its end is that download's end.
  count(body, settles = true) {
    return body.pipeThrough(new TransformStream({
      transform: (chunk, controller) => {
        this.add(chunk.byteLength);
        controller.enqueue(chunk);
      },
      flush: () => settles && this.finished(),
    }));
  }

  // Bytes held back by the interval are sent when it ends: the last bytes before a stall (or of
  // a fast host, where everything but one file arrives inside one interval) are told too.
  add(bytes) {
    this.loaded += bytes;
    const waited = performance.now() - this.sent;
    if (waited >= PROGRESS_MS) this.send(false);
    else if (this.trailing === null) this.trailing = setTimeout(() => this.send(false), PROGRESS_MS - waited);
  }

  // More bytes than planned (the plain Emscripten module).
  grow(bytes) {
    if (this.total !== null) this.total += bytes;
  }

  finished() {
    this.left -= 1;
    if (this.left > 0) return;
    this.send(true);
    this.arrived = performance.now();
  }

  send(done) {
    clearTimeout(this.trailing);
    this.trailing = null;
    this.sent = performance.now();
    // A host that unpacks the .bin files on the way sends more bytes than the site stores.
    const loaded = this.total === null ? this.loaded : Math.min(this.loaded, this.total);
    self.postMessage({ type: "progress", loaded, total: this.total, done });
  }
}

function startsWith(bytes, magic) {
  return magic.every((byte, i) => bytes[i] === byte);
}

// The first chunk of a stream, and the stream whole again.
async function withHead(stream) {
  const reader = stream.getReader();
  const first = await reader.read();
  const head = first.done ? new Uint8Array(0) : first.value;
  const whole = new ReadableStream({
    start(controller) {
      if (head.byteLength) controller.enqueue(head);
    },
    async pull(controller) {
      const next = await reader.read();
      if (next.done) controller.close();
      else controller.enqueue(next.value);
    },
    cancel: (reason) => reader.cancel(reason),
  });
  return [head, whole];
}

// A file of the site, counted and unpacked: the `.bin` files are stored gzipped
// (generator/runtime.py), but a host that sends them with Content-Encoding: gzip has them
// unpacked by the browser already, so the first bytes decide.
async function download(url, what, progress, settles = true) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${what}: HTTP ${response.status}`);
  const [head, body] = await withHead(progress.count(response.body, settles));
  return startsWith(head, GZIP) ? body.pipeThrough(new DecompressionStream("gzip")) : body;
}

const bytesOf = async (stream) => new Uint8Array(await new Response(await stream).arrayBuffer());

// Pyodide's Emscripten module, unpacked here and imported from a blob; a host whose
// Content-Security-Policy refuses blob: modules gets the plain file instead. Its download ends
// (for the progress) only once it is imported, since a refused blob means one more.
async function emscriptenModule(folder, progress, sizes) {
  const packed = await download(new URL("pyodide.asm.mjs.bin", folder), "pyodide.asm.mjs", progress, false);
  const blob = URL.createObjectURL(new Blob([await new Response(packed).text()], { type: "text/javascript" }));
  let module;
  try {
    module = (await import(blob)).default;
  } catch (error) {
    const bytes = (sizes && sizes.asm_plain) || 0;
    progress.grow(bytes);
    module = (await import(new URL("pyodide.asm.mjs", folder).href)).default;
    progress.add(bytes);
  } finally {
    URL.revokeObjectURL(blob);
  }
  progress.finished();
  return module;
}

// Pyodide fetches the wasm and the standard library by their URLs: those two answer from the
// downloads begun here. A file that is not WebAssembly (an error page served with status 200,
// say) fails the start at once: Pyodide itself would only warn and wait forever.
function serveToPyodide(folder, stdlib, progress) {
  let reject;
  const failed = new Promise((_, r) => { reject = r; });
  const wasm = download(new URL("pyodide.asm.wasm.bin", folder), "wasm", progress)
    .then(withHead)
    .then(([head, body]) => {
      if (!startsWith(head, WASM)) throw new Error("wasm: the file is not WebAssembly");
      return new Response(body, { headers: { "Content-Type": "application/wasm" } });
    });
  const served = new Map([
    [new URL("pyodide.asm.wasm", folder).href, wasm],
    // Read as it arrives, not when Pyodide asks (after the Emscripten module): the link stays busy.
    [new URL(stdlib).href, bytesOf(download(stdlib, "stdlib", progress)).then((bytes) => new Response(bytes))],
  ]);
  for (const promise of served.values()) promise.catch(reject);
  const realFetch = self.fetch;
  self.fetch = (resource, init) => {
    const url = new URL(resource instanceof Request ? resource.url : resource, self.location).href;
    const answer = served.get(url);
    served.delete(url); // each once: a response's body can be read only once
    return answer || realFetch(resource, init);
  };
  const compile = WebAssembly.instantiateStreaming;
  WebAssembly.instantiateStreaming = (source, imports) => {
    const instantiated = compile.call(WebAssembly, source, imports);
    instantiated.catch(reject);
    return instantiated;
  };
  return failed;
}

// "asm=259957 wasm=3528803 ..." (data-runtime-sizes), or an object of the same.
function parseSizes(sizes) {
  if (typeof sizes !== "string") return sizes || null;
  return Object.fromEntries(sizes.split(" ").filter(Boolean).map((pair) => {
    const [name, bytes] = pair.split("=");
    return [name, Number(bytes)];
  }));
}

async function start({ pyodide: folder, engine, stdlib, snapshot, sizes }) {
  const t0 = performance.now();
  sizes = parseSizes(sizes);
  const parts = snapshot ? ["asm", "wasm", "stdlib", "snapshot"] : ["asm", "wasm", "stdlib", "engine"];
  const known = sizes && parts.every((part) => Number.isFinite(sizes[part]));
  const progress = new Progress(known ? parts.reduce((sum, part) => sum + sizes[part], 0) : null, parts.length);
  // Every download begins now, side by side; Pyodide's own start waits only for what it needs.
  const failed = serveToPyodide(folder, stdlib, progress);
  const createPyodideModule = emscriptenModule(folder, progress, sizes);
  const engineZip = snapshot ? null : bytesOf(download(engine, "engine", progress));
  const loadSnapshot = snapshot ? bytesOf(download(snapshot, "snapshot", progress)) : null;
  for (const promise of [createPyodideModule, engineZip, loadSnapshot]) if (promise) promise.catch(() => {});
  failed.catch(() => {});
  const { loadPyodide } = await import(new URL("pyodide.mjs", folder).href);
  const tImport = performance.now();
  const starting = (async () => {
    const options = { indexURL: folder, stdLibURL: stdlib, createPyodideModule: await createPyodideModule };
    if (snapshot) options.snapshot = loadSnapshot;
    try {
      return await startEngine(loadPyodide, options, engineZip);
    } catch (error) {
      throw snapshot ? new SnapshotRefused(String((error && error.message) || error)) : error;
    }
  })();
  const { engine: module } = await Promise.race([starting, failed]);
  runJson = module.run_json;
  const t1 = performance.now();
  // Where the time went, for the benchmark (benchmarks/browser.py): the import of pyodide.mjs,
  // then Pyodide's start and the engine's import; and when the last download had arrived.
  const downloads = progress.arrived === null ? null : progress.arrived - t0;
  return { import: tImport - t0, load: t1 - tImport, downloads, snapshot: !!snapshot };
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
