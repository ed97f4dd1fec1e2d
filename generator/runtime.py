"""The files a flow page runs on in the reader's browser: the vendored Pyodide and the engine.

Pyodide comes from the npm package `pyodide` (installed by `npm ci` at the pinned version);
every file is checked against the checksum recorded here before anything is made from it, so a
changed or corrupted package stops the build instead of reaching readers. The engine is the
deterministic zip of `generator/engine/` (see engine_bundle.py).

Small on the wire whatever the host compresses: the large files are stored gzipped (`.bin`,
which every host already serves as it is) and the worker unpacks them itself
(theme/assets/javascripts/flow-worker.js). Every name carries a hash of what it holds, so a
browser may keep them for good (docs/publicera.md, "Cache"). Site layout:

    assets/pyodide/<version>-<hash>/pyodide.mjs         Pyodide's loader, as published
                                   pyodide.asm.mjs.bin  its Emscripten module, gzipped
                                   pyodide.asm.mjs      the same, plain: for a host whose CSP
                                                        refuses a module made in the browser
                                   pyodide.asm.wasm.bin the WebAssembly, gzipped
                                   pyodide-lock.json    the lock file's header only (no packages)
    assets/flow/tryggt_engine-<hash>.zip
    assets/flow/stdlib-<key>.bin    the standard library cut down to what Pyodide's start and the
                                    engine import, precompiled, gzipped
    assets/flow/snapshot-<key>.bin  (plugin option `snapshot`) a memory snapshot after the engine
                                    import, gzipped

The last two are made under Node with the same Pyodide (generator/node/fast_start.mjs) and
cached in the user's cache folder (TRYGGT_CACHE_DIR, else $XDG_CACHE_HOME/tryggt, else
~/.cache/tryggt), named by a hash of the Pyodide files, the engine and the scripts, so a
content-only rebuild, or another copy of the project, reuses them. Without Node the whole
standard library of the package goes in instead, and the flows start the slower way.

Standard library only; knows nothing of MkDocs.
"""

from __future__ import annotations

import ast
import gzip
import hashlib
import json
import os
import shutil
import sys
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

import zopfli.gzip

from generator.engine_bundle import engine_files, engine_zip_bytes
from generator.problems import ContentError, Problem
from generator.theme import THEME_DIR

PYODIDE_VERSION = "314.0.7"
# sha256 of each file of the npm package pyodide@314.0.7 that a flow page loads.
PYODIDE_FILES = {
    "pyodide.mjs": "6f1d60f7bf529beb300f0f47983c921d3982363640ba20af0e38efdddbc66109",
    "pyodide.asm.mjs": "f7cdc8ece80678ceb712f8e65ebe6d3a83203a180c399865f49612a051693635",
    "pyodide.asm.wasm": "cc36e3cab04fdfc9a63ff13eb52eae2b911bf46c025cc7b281f394bd3de1d5e6",
    "python_stdlib.zip": "fa1957e5777068fc4f7437f96d860ae2fbe9c19732ba06c84e004ec16dd7dd7a",
    "pyodide-lock.json": "5dc2fc119108bc148c7457dc86e7675b5c87e1cafd420b9c34c1eaef7b36c010",
}
ENGINE_SITE_DIR = "assets/flow"
FAST_START_SCRIPT = Path(__file__).resolve().parent / "node" / "fast_start.mjs"
# The start shared by the browser's worker, the build and the parity runner.
START_MODULE = THEME_DIR / "assets" / "javascripts" / "flow-start.mjs"
# What the site's Pyodide folder holds, made from the checked package: name -> how.
PLAIN, GZIP, LOCK_HEADER = "plain", "gzip", "lock header"
PACKER = "zopfli.gzip, 1 iteration"  # in the cache keys: another packer, other files
SITE_PYODIDE = {
    "pyodide.mjs": ("pyodide.mjs", PLAIN),
    "pyodide.asm.mjs": ("pyodide.asm.mjs", PLAIN),
    "pyodide.asm.mjs.bin": ("pyodide.asm.mjs", GZIP),
    "pyodide.asm.wasm.bin": ("pyodide.asm.wasm", GZIP),
    "pyodide-lock.json": ("pyodide-lock.json", LOCK_HEADER),
}


@dataclass(frozen=True)
class Runtime:
    """What goes into the site for the flows, and the paths the flow pages point at."""

    pyodide_dir: str  # site-relative folder of Pyodide, ending in "/"
    files_in_site: dict[str, Path]  # site-relative path -> file to copy (not the engine zip)
    engine_path: str  # site-relative path of the engine zip
    engine_bytes: bytes
    stdlib_path: str
    snapshot_path: str | None = None

    def page_attributes(self) -> dict[str, str]:
        """Data attributes for a flow's root element: where the browser finds its runtime, and the
        bytes of each download (for the progress the page shows while they arrive)."""
        attributes = {"data-pyodide": self.pyodide_dir, "data-engine-zip": self.engine_path,
                      "data-stdlib": self.stdlib_path}
        if self.snapshot_path:
            attributes["data-snapshot"] = self.snapshot_path
        # "name=bytes ...": nothing to escape, wherever a template puts it.
        attributes["data-runtime-sizes"] = " ".join(f"{name}={size}" for name, size in self.sizes().items())
        return attributes

    def sizes(self) -> dict[str, int]:
        """Bytes of each file the worker may fetch, as stored (flow-worker.js, its `sizes`)."""
        size = {path: source.stat().st_size for path, source in self.files_in_site.items()}
        found = {"asm": size[self.pyodide_dir + "pyodide.asm.mjs.bin"],
                 "asm_plain": size[self.pyodide_dir + "pyodide.asm.mjs"],
                 "wasm": size[self.pyodide_dir + "pyodide.asm.wasm.bin"],
                 "stdlib": size[self.stdlib_path], "engine": len(self.engine_bytes)}
        if self.snapshot_path:
            found["snapshot"] = size[self.snapshot_path]
        return found

    def files(self) -> dict[str, Path]:
        """Every file to copy into the site (the engine zip is written from `engine_bytes`)."""
        return dict(self.files_in_site)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


FETCH_FIX = (f"run `handbok runtime`, which fetches pyodide@{PYODIDE_VERSION} from the npm registry into the cache "
             f"folder, or `npm install pyodide@{PYODIDE_VERSION}` in the site's folder")


def pyodide_package(*roots: Path) -> Path:
    """Where the site's Pyodide is: the first of the sites' own node_modules that has one (a local
    site's, then its bases', nearest first), else the cache folder that `handbok runtime` fills
    (shared by every site on the machine)."""
    for root in roots:
        local = root / "node_modules" / "pyodide"
        if local.is_dir():
            return local
    cached = cache_dir() / f"pyodide-{PYODIDE_VERSION}"
    if not (cached / "package.json").is_file():
        looked = ", ".join(str(root / "node_modules" / "pyodide") for root in roots)
        raise ContentError([Problem(str(cached / "package.json"), 1, 1,
                                    f"Pyodide is not installed: not in the cache, nor in {looked}", FETCH_FIX)])
    return cached


def fetch_pyodide(say=print) -> Path:
    """Fetch the pinned Pyodide from the npm registry into the cache folder (once) and check it.

    `npm pack` downloads the package as npm would; only the files a flow page loads are kept."""
    target = cache_dir() / f"pyodide-{PYODIDE_VERSION}"
    try:
        check_pyodide(target)
        return target
    except ContentError:
        pass
    npm = shutil.which("npm")
    if npm is None:
        raise ContentError([Problem("npm", 1, 1, "npm is not installed, so Pyodide cannot be fetched",
                                    "install Node.js and npm, then run `handbok runtime` again")])
    say(f"fetching pyodide@{PYODIDE_VERSION} from the npm registry into {target} (once for every site) ...")
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent) as work:
        result = subprocess.run([npm, "pack", f"pyodide@{PYODIDE_VERSION}", "--pack-destination", work, "--silent"],
                                capture_output=True, text=True, timeout=600)
        tarballs = list(Path(work).glob("*.tgz"))
        if result.returncode != 0 or not tarballs:
            raise ContentError([Problem("npm", 1, 1, f"npm could not fetch pyodide@{PYODIDE_VERSION}: "
                                        f"{(result.stderr or result.stdout).strip()[-300:]}",
                                        "check the connection to the npm registry, then run `handbok runtime` again")])
        unpacked = Path(work) / "pyodide"
        unpacked.mkdir()
        wanted = {f"package/{name}" for name in [*PYODIDE_FILES, "package.json"]}
        with tarfile.open(tarballs[0]) as archive:
            for member in archive.getmembers():
                if member.name in wanted and member.isfile():  # no other path of the archive is written
                    with archive.extractfile(member) as source:
                        (unpacked / member.name.removeprefix("package/")).write_bytes(source.read())
        check_pyodide(unpacked)
        shutil.rmtree(target, ignore_errors=True)
        os.replace(unpacked, target)
    return target


def check_pyodide(package_dir: Path) -> dict[str, Path]:
    """The checked Pyodide files, keyed by name. Raises ContentError naming what is wrong."""
    fix = FETCH_FIX
    manifest = package_dir / "package.json"
    try:
        version = json.loads(manifest.read_text(encoding="utf-8")).get("version")
    except (OSError, ValueError):
        raise ContentError([Problem(str(manifest), 1, 1, "the npm package pyodide is not installed", fix)])
    if version != PYODIDE_VERSION:
        raise ContentError([Problem(str(manifest), 1, 1,
                                    f"pyodide {version} is installed but the site is pinned to {PYODIDE_VERSION}",
                                    fix)])
    files = {}
    for name, expected in PYODIDE_FILES.items():
        path = package_dir / name
        if not path.is_file():
            raise ContentError([Problem(str(path), 1, 1, "a file of the Pyodide package is missing", fix)])
        if _sha256(path) != expected:
            raise ContentError([Problem(str(path), 1, 1,
                                        "this Pyodide file does not match the recorded checksum "
                                        "(changed or corrupted)", fix)])
        files[name] = path
    return files


def packed(data: bytes) -> bytes:
    """Gzip as small as gzip gets (Zopfli: 4 % less than gzip -9, 150 kB of a flow page's first
    visit), made once per machine; any gzip reader unpacks it. Deterministic (no time stamp)."""
    return zopfli.gzip.compress(data, numiterations=1)


def site_pyodide(checked: dict[str, Path]) -> tuple[str, dict[str, Path]]:
    """The site's Pyodide folder (named by a hash of what it holds) and its files, made from the
    checked package once per machine and kept in the cache folder."""
    key = hashlib.sha256(repr((PACKER, sorted(SITE_PYODIDE.items()))).encode())
    for name, digest in sorted(PYODIDE_FILES.items()):
        key.update(f"{name}={digest}\n".encode())
    made = cache_dir() / f"site-pyodide-{PYODIDE_VERSION}-{key.hexdigest()[:16]}"
    if not all((made / name).is_file() for name in SITE_PYODIDE):
        made.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=made.parent) as work:
            for name, (source, how) in SITE_PYODIDE.items():
                data = checked[source].read_bytes()
                if how == GZIP:
                    data = packed(data)
                elif how == LOCK_HEADER:  # Pyodide reads it at start; the engine loads no packages
                    data = json.dumps({"info": json.loads(data)["info"], "packages": {}}).encode()
                (Path(work) / name).write_bytes(data)
            shutil.rmtree(made, ignore_errors=True)
            os.replace(work, made)
            os.mkdir(work)  # for TemporaryDirectory's clean-up
    content = hashlib.sha256()
    for name in sorted(SITE_PYODIDE):
        content.update(name.encode() + b"\0" + (made / name).read_bytes())
    folder = f"assets/pyodide/{PYODIDE_VERSION}-{content.hexdigest()[:12]}/"
    return folder, {folder + name: made / name for name in SITE_PYODIDE}


class FastStartError(Exception):
    """Node could not make the fast-start files; the message says why."""


def _run_node(node: str, *args: str) -> None:
    result = subprocess.run([node, str(FAST_START_SCRIPT), args[0], str(START_MODULE), *args[1:]],
                            capture_output=True, text=True, timeout=600)
    if result.returncode != 0:
        raise FastStartError(result.stderr.strip() or f"node exited with {result.returncode}")


def engine_stdlib_imports() -> list[str]:
    """Every standard module the engine's source imports anywhere (in functions too), so the cut
    standard library holds what a rarely taken path imports, not only what a trace passed."""
    names = set()
    for _, path in engine_files():
        for node in ast.walk(ast.parse(path.read_bytes())):
            if isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module)
    return sorted(name for name in names if name.partition(".")[0] in sys.stdlib_module_names)


def cache_dir() -> Path:
    if os.environ.get("TRYGGT_CACHE_DIR"):
        return Path(os.environ["TRYGGT_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "tryggt"


def fast_start_files(package_dir: Path, engine: bytes, *, snapshot: bool) -> tuple[Path, Path | None]:
    """The cut-down precompiled stdlib and (if `snapshot`) the snapshot, both gzipped, from the
    cache or made now. Raises FastStartError when Node is missing or fails."""
    node = shutil.which("node")
    if node is None:
        raise FastStartError("Node.js is not installed")
    key_source = hashlib.sha256(PACKER.encode())
    for name, digest in sorted(PYODIDE_FILES.items()):
        key_source.update(f"{name}={digest}\n".encode())
    key_source.update(FAST_START_SCRIPT.read_bytes())
    key_source.update(START_MODULE.read_bytes())
    key_source.update(engine)  # the trace follows the engine's imports
    stdlib_key = key_source.hexdigest()[:16]
    snapshot_key = hashlib.sha256(f"snapshot {stdlib_key}".encode()).hexdigest()[:16]
    cache = cache_dir()
    stdlib = cache / f"stdlib-{stdlib_key}.bin"
    snapshot_file = cache / f"snapshot-{snapshot_key}.bin"
    cache.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=cache) as work:
        engine_zip = Path(work) / "engine.zip"
        engine_zip.write_bytes(engine)
        stored = Path(work) / "stdlib.zip"
        if not stdlib.is_file():
            _run_node(node, "stdlib", str(package_dir), str(engine_zip), json.dumps(engine_stdlib_imports()),
                      str(stored))
            made = Path(work) / "stdlib.bin"
            made.write_bytes(packed(stored.read_bytes()))
            os.replace(made, stdlib)
        if snapshot and not snapshot_file.is_file():
            stored.write_bytes(gzip.decompress(stdlib.read_bytes()))
            raw = Path(work) / "snapshot.raw"
            _run_node(node, "snapshot", str(package_dir), str(stored), str(engine_zip), str(raw))
            made = Path(work) / "snapshot.bin"  # gzip: Zopfli would take minutes over 31 MB
            made.write_bytes(gzip.compress(raw.read_bytes(), compresslevel=9, mtime=0))
            os.replace(made, snapshot_file)
    return stdlib, (snapshot_file if snapshot else None)


def load_runtime(*roots: Path, fast_start: bool = True, snapshot: bool = False, warn=None) -> Runtime:
    """The runtime of the flows, with the Pyodide of the first of `roots` (the site's folder, then
    its bases') that has one, else the cache's. `fast_start` puts in the cut-down precompiled stdlib (else the
    package's whole one), `snapshot` the snapshot; if Node cannot make them, `warn(message)` is
    told and the flows start the slower way."""
    package_dir = pyodide_package(*roots)
    checked = check_pyodide(package_dir)
    engine = engine_zip_bytes()
    engine_hash = hashlib.sha256(engine).hexdigest()[:12]
    folder, files = site_pyodide(checked)
    stdlib_path = folder + "python_stdlib.zip"
    stdlib, snapshot_file = checked["python_stdlib.zip"], None
    if fast_start:
        try:
            made, snapshot_file = fast_start_files(package_dir, engine, snapshot=snapshot)
            stdlib, stdlib_path = made, f"{ENGINE_SITE_DIR}/{made.name}"
        except (FastStartError, OSError, subprocess.TimeoutExpired) as err:
            if warn:
                warn(f"the flows will start without the fast-start files: {err}")
    files[stdlib_path] = stdlib
    snapshot_path = f"{ENGINE_SITE_DIR}/{snapshot_file.name}" if snapshot_file else None
    if snapshot_file:
        files[snapshot_path] = snapshot_file
    return Runtime(pyodide_dir=folder, files_in_site=files, engine_path=f"{ENGINE_SITE_DIR}/tryggt_engine-{engine_hash}.zip",
                   engine_bytes=engine, stdlib_path=stdlib_path, snapshot_path=snapshot_path)
