// Build-time helpers for a fast flow start, run under Node with the same Pyodide build the site
// serves (so bytecode and memory layout match the browser's runtime exactly).
//
//   node fast_start.mjs stdlib   <pyodide dir> <out.zip>
//       The standard library zip with every module precompiled to .pyc (unchecked-hash pycs
//       in place of the .py files), so the browser skips compiling what the engine imports.
//   node fast_start.mjs snapshot <pyodide dir> <stdlib.zip> <engine.zip> <out.bin>
//       A memory snapshot taken after the engine is imported, made with that same stdlib zip.
//
// Nothing is fetched from the network: every file comes from the given paths.

import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";

const [mode, pyodideDir, ...rest] = process.argv.slice(2);
process.on("unhandledRejection", (err) => fail(err?.message ?? String(err)));

function fail(message) {
  process.stderr.write(`fast_start: ${message}\n`);
  process.exit(2);
}

const { loadPyodide } = await import(pathToFileURL(path.join(pyodideDir, "pyodide.mjs")).href);
const quiet = { stdout: () => {}, stderr: (m) => process.stderr.write(`${m}\n`) };
const indexURL = pyodideDir + path.sep;

if (mode === "stdlib") {
  const [out] = rest;
  const py = await loadPyodide({ indexURL, ...quiet });
  py.FS.writeFile("/tmp/stdlib.zip", new Uint8Array(await readFile(path.join(pyodideDir, "python_stdlib.zip"))));
  py.runPython(`
import importlib._bootstrap_external as ext, zipfile
with zipfile.ZipFile("/tmp/stdlib.zip") as src, zipfile.ZipFile("/tmp/out.zip", "w", zipfile.ZIP_DEFLATED) as dst:
    for info in src.infolist():
        data = src.read(info)
        name = info.filename
        if name.endswith(".py"):
            try:
                code = compile(data, name, "exec", dont_inherit=True)
            except SyntaxError:
                code = None  # a file meant to fail (test data): keep it as source
            if code is not None:
                data = bytes(ext._code_to_hash_pyc(code, b"\\0" * 8, checked=False))
                name += "c"
        entry = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
        entry.compress_type = zipfile.ZIP_DEFLATED
        entry.external_attr = 0o100644 << 16
        dst.writestr(entry, data, compresslevel=9)
`);
  await writeFile(out, py.FS.readFile("/tmp/out.zip"));
} else if (mode === "snapshot") {
  const [stdlib, engine, out] = rest;
  const py = await loadPyodide({ indexURL, stdLibURL: pathToFileURL(stdlib).href, _makeSnapshot: true, ...quiet });
  py.unpackArchive(new Uint8Array(await readFile(engine)), "zip", { extractDir: "/engine" });
  py.runPython(`
import sys
sys.path.insert(0, "/engine")
import tryggt_engine, json
tryggt_engine.run_json(json.dumps({}), "{}")  # warm the functions a first run touches
`);
  await writeFile(out, py.makeMemorySnapshot());
} else {
  fail("usage: fast_start.mjs stdlib|snapshot <pyodide dir> ...");
}
