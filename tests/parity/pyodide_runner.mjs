// Run the decision engine inside Pyodide (Node), the way the browser will: batch many cases in
// ONE Pyodide start and print the results as one JSON array on stdout.
//
//   node tests/parity/pyodide_runner.mjs input.json
//
// input.json:
//   {"engine_zip": "<path to the zip from generator.engine_bundle.engine_zip_bytes()>",
//    "stdlib": "<the site's stdlib: a zip, or gzipped as the site stores it>",  (optional)
//    "snapshot": "<gzipped snapshot>",                     (optional, with "stdlib")
//    "trees": {"<key>": <compiled tree>, ...},              (optional)
//    "cases": [{"tree": <compiled tree> | "<key>", "answers": {...}}, ...]}
//
// A case's "tree" is the compiled tree itself, or the key of one in "trees" (so a tree shared
// by hundreds of cases is written, and serialised, once). A relative "engine_zip" is taken
// from the folder of input.json.
//
// Each case runs through the public function the browser uses:
//   tryggt_engine.run_json(JSON.stringify(tree), JSON.stringify(answers))  -> JSON string
// Cases are grouped by tree (in first-seen order) so each tree's JSON is built once and
// run_json's one-tree cache builds the Flow once per tree; the output keeps the input order.
//
// stdout: "[" + the run_json strings, verbatim, joined by "," + "]" (byte for byte what the
//         engine returned: nothing is parsed and re-serialised on the JavaScript side).
// stderr: one line "PYODIDE_INFO {...}" with the Pyodide and Python versions, then anything
//         Python prints (Python's own stdout is sent to stderr so it cannot corrupt stdout).
//
// Pyodide is started by the site's own start module (theme/assets/javascripts/flow-start.mjs),
// with the lock file's header only, as the site ships it.
//
// Offline: Pyodide comes from node_modules/pyodide (resolved from this file up to the repo
// root); no micropip, no packages, and fetch is disabled for anything but local files.

import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { gunzipSync } from "node:zlib";
import { loadPyodide, version as pyodideVersion } from "pyodide";
import { EXTRACT_DIR, PACKAGE, startEngine } from "../../theme/assets/javascripts/flow-start.mjs";

// An uncaught error would make Node print the line it came from: all of minified pyodide.asm.mjs.
process.on("uncaughtException", (err) => fail(err?.message ?? String(err)));
process.on("unhandledRejection", (err) => fail(err?.message ?? String(err)));

function fail(message) {
  process.stderr.write(`pyodide_runner: ${message}\n`);
  process.exit(2);
}

// No network: the engine needs nothing beyond the standard library in python_stdlib.zip.
const realFetch = globalThis.fetch;
globalThis.fetch = async (resource, init) => {
  const url = String(resource instanceof Request ? resource.url : resource);
  if (url.startsWith("file:") || !/^[a-z][a-z0-9+.-]*:/i.test(url)) {
    return realFetch(resource, init);
  }
  throw new Error(`pyodide_runner: network access refused: ${url}`);
};

const inputPath = process.argv[2];
if (!inputPath) fail("usage: node pyodide_runner.mjs input.json");

let input;
try {
  input = JSON.parse(await readFile(inputPath, "utf8"));
} catch (err) {
  fail(`cannot read ${inputPath}: ${err.message}`);
}
if (typeof input.engine_zip !== "string") fail('"engine_zip" must be a path');
if (!Array.isArray(input.cases)) fail('"cases" must be a list');
const trees = input.trees ?? {};

// Group by tree: key -> {json, indices}. Inline trees are grouped by their JSON text.
const groups = new Map();
input.cases.forEach((item, index) => {
  let key;
  let json;
  if (typeof item.tree === "string") {
    if (!(item.tree in trees)) fail(`case ${index}: no tree "${item.tree}" in "trees"`);
    key = `ref:${item.tree}`;
    json = groups.has(key) ? null : JSON.stringify(trees[item.tree]);
  } else {
    json = JSON.stringify(item.tree);
    key = `inline:${json}`;
  }
  if (!groups.has(key)) groups.set(key, { json, indices: [] });
  groups.get(key).indices.push(index);
});

const zipPath = path.resolve(path.dirname(inputPath), input.engine_zip);
const file = await readFile(zipPath);
// unpackArchive takes a plain Uint8Array (a Node Buffer is refused as an unknown array type).
const zip = new Uint8Array(file.buffer, file.byteOffset, file.byteLength);
const unpacked = (data) => new Uint8Array(data[0] === 0x1f && data[1] === 0x8b ? gunzipSync(data) : data);

const indexURL = path.dirname(fileURLToPath(import.meta.resolve("pyodide"))) + path.sep;
const lock = JSON.parse(await readFile(path.join(indexURL, "pyodide-lock.json"), "utf8"));
const print = (msg) => process.stderr.write(`${msg}\n`);
const options = { indexURL, lockFileContents: { info: lock.info, packages: {} }, stdout: print, stderr: print };
if (input.stdlib) {
  const stdlib = path.join(await mkdtemp(path.join(os.tmpdir(), "parity-")), "stdlib.zip");
  await writeFile(stdlib, unpacked(await readFile(input.stdlib)));
  options.stdLibURL = pathToFileURL(stdlib).href;
}
if (input.snapshot) options.snapshot = unpacked(await readFile(input.snapshot));
const { py: pyodide, engine } = await startEngine(loadPyodide, options, zip);
pyodide.runPython(`
import ${PACKAGE}
if not ${PACKAGE}.__file__.startswith(${JSON.stringify(EXTRACT_DIR + "/")}):
    raise ImportError(f"${PACKAGE} was not loaded from the zip: {${PACKAGE}.__file__}")
`);
const python = pyodide.runPython("import sys; sys.version.split()[0]");
process.stderr.write(
  `PYODIDE_INFO ${JSON.stringify({ pyodide: pyodideVersion, python, cases: input.cases.length, trees: groups.size })}\n`,
);

const runJson = engine.run_json;
const results = new Array(input.cases.length);
for (const { json, indices } of groups.values()) {
  for (const index of indices) {
    results[index] = runJson(json, JSON.stringify(input.cases[index].answers ?? {}));
  }
}
runJson.destroy();
engine.destroy();

process.stdout.write(`[${results.join(",")}]\n`);
