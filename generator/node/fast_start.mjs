// Build-time helpers for a small, fast flow start, run under Node with the same Pyodide build the
// site serves (so bytecode and memory layout match the browser's runtime exactly), through the
// same start as the browser's worker (theme/assets/javascripts/flow-start.mjs).
//
//   node fast_start.mjs stdlib   <flow-start.mjs> <pyodide dir> <engine.zip> <module names, JSON> <out.zip>
//       The standard library cut down to what Pyodide's start and the engine import, traced here:
//       Pyodide starts with its whole stdlib, imports the engine and every module the engine's
//       source names anywhere (in functions too; the build finds the names), runs the engine once
//       on a tree and on bad input, sends a Python error through to JavaScript; every module then
//       in sys.modules that came from the stdlib zip goes in, precompiled (unchecked-hash .pyc, without docstrings and asserts
//       as python -OO, and without line tables: 1.2 MB gzipped becomes 0.63 MB). The engine
//       itself stays source, with its line numbers. Stored, not deflated: the build gzips the
//       whole file, which packs better than entry by entry.
//   node fast_start.mjs snapshot <flow-start.mjs> <pyodide dir> <stdlib.zip> <engine.zip> <out.bin>
//       A memory snapshot taken after the engine is imported, made with that same stdlib zip.
//
// Nothing is fetched from the network: every file comes from the given paths.

import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";

const [mode, startModule, pyodideDir, ...rest] = process.argv.slice(2);
process.on("unhandledRejection", (err) => fail(err?.message ?? String(err)));

function fail(message) {
  process.stderr.write(`fast_start: ${message}\n`);
  process.exit(2);
}

const { loadPyodide } = await import(pathToFileURL(path.join(pyodideDir, "pyodide.mjs")).href);
const { startEngine } = await import(pathToFileURL(startModule).href);
const indexURL = pyodideDir + path.sep;
const stderr = (m) => process.stderr.write(`${m}\n`);
const bytes = async (file) => new Uint8Array(await readFile(file));

if (mode === "stdlib") {
  const [engine, names, out] = rest;
  const { py, engine: module } = await startEngine(loadPyodide, { indexURL, stderr }, bytes(engine));
  module.run_json(JSON.stringify({}), "{}");
  try {
    py.runPython("raise ValueError('a Python error, converted for JavaScript')");
  } catch {
    // expected: the conversion is what imports the modules it needs
  }
  py.runPython(`
import importlib, json, sys
for name in ${JSON.stringify(JSON.parse(names))}:
    importlib.import_module(name)
import tryggt_engine
tryggt_engine.run_json(json.dumps({"format": 1, "id": "t", "start": "a", "nodes": {
    "a": {"id": "a", "kind": "info", "next": [{"if": "answered(a)", "goto": "b"}]},
    "b": {"id": "b", "kind": "outcome", "actions": [{"text": "x"}]}}}), json.dumps({"a": True}))
tryggt_engine.run_json("not json", "{}")
# Taken before this script imports what it needs to write the zip.
traced = [getattr(getattr(m, "__spec__", None), "origin", None) or "" for m in list(sys.modules.values())]

import importlib._bootstrap_external as ext, zipfile
def strip(code):  # no line table: 0.4 MB less on the wire; a stdlib traceback shows no line numbers
    consts = tuple(strip(c) if hasattr(c, "co_code") else c for c in code.co_consts)
    return code.replace(co_linetable=b"", co_consts=consts)
stdlib = next(p for p in sys.path if p.endswith(".zip"))
wanted = {origin[len(stdlib) + 1:] for origin in traced if origin.startswith(stdlib + "/")}
with zipfile.ZipFile(stdlib) as src, zipfile.ZipFile("/tmp/out.zip", "w", zipfile.ZIP_STORED) as dst:
    for name in sorted(wanted):
        code = compile(src.read(name), name, "exec", dont_inherit=True, optimize=2)
        entry = zipfile.ZipInfo(name + "c", date_time=(1980, 1, 1, 0, 0, 0))
        entry.external_attr = 0o100644 << 16
        dst.writestr(entry, bytes(ext._code_to_hash_pyc(strip(code), b"\\0" * 8, checked=False)))
`);
  await writeFile(out, py.FS.readFile("/tmp/out.zip"));
} else if (mode === "snapshot") {
  const [stdlib, engine, out] = rest;
  const { py, engine: module } = await startEngine(
    loadPyodide, { indexURL, stdLibURL: pathToFileURL(stdlib).href, makeSnapshot: true, stderr }, bytes(engine));
  module.run_json(JSON.stringify({}), "{}"); // warm the functions a first run touches
  module.destroy();
  await writeFile(out, py.makeMemorySnapshot());
} else {
  fail("usage: fast_start.mjs stdlib|snapshot <flow-start.mjs> <pyodide dir> ...");
}
