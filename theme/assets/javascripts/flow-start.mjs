// The flow engine's start inside Pyodide, written once for the three places that start it: the
// browser worker (flow-worker.js), the build-time stdlib trace and snapshot
// (generator/node/fast_start.mjs) and the parity runner (tests/parity/pyodide_runner.mjs). Where
// the bytes come from differs between them; what Pyodide is told and how the engine is put on
// its path must not, or the parity test would prove a start that no reader gets.

export const EXTRACT_DIR = "/engine";
export const PACKAGE = "tryggt_engine";

// Every start: no packages, and the site's own cut-down lock file (or the caller's contents).
export function pyodideOptions({ indexURL, stdLibURL, snapshot, makeSnapshot, createPyodideModule, lockFileContents,
                                 stdout, stderr }) {
  const options = { indexURL, packages: [], stdout: stdout || (() => {}), stderr: stderr || (() => {}) };
  if (stdLibURL) options.stdLibURL = stdLibURL;
  if (snapshot) options._loadSnapshot = snapshot;
  if (makeSnapshot) options._makeSnapshot = true;
  if (createPyodideModule) options.createPyodideModule = createPyodideModule;
  if (lockFileContents) options.lockFileContents = lockFileContents;
  return options;
}

// After loadPyodide: the engine from its zip (or, restored from a snapshot, already imported).
export function importEngine(py, { engineZip, fromSnapshot }) {
  if (fromSnapshot) {
    // A restored snapshot carries the random state of the build: give it fresh entropy.
    py.runPython("import sys\nif 'random' in sys.modules: sys.modules['random'].seed()");
  } else {
    py.unpackArchive(engineZip, "zip", { extractDir: EXTRACT_DIR });
    py.runPython(`import sys\nif ${JSON.stringify(EXTRACT_DIR)} not in sys.path: sys.path.insert(0, ${JSON.stringify(EXTRACT_DIR)})`);
  }
  return py.pyimport(PACKAGE);
}

export async function startEngine(loadPyodide, options, engine) {
  const py = await loadPyodide(pyodideOptions(options));
  return { py, engine: importEngine(py, { engineZip: await engine, fromSnapshot: !!options.snapshot }) };
}
