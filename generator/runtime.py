"""The files a flow page runs on in the reader's browser: the vendored Pyodide and the engine.

Pyodide comes from the npm package `pyodide` (installed by `npm ci` at the pinned version);
every file is checked against the checksum recorded here before it goes into a site, so a
changed or corrupted package stops the build instead of reaching readers. The engine is the
deterministic zip of `generator/engine/` (see engine_bundle.py), named by its hash so a
browser cache never pairs a new tree format with an old engine.

Site layout (relative to the site root):
    assets/pyodide/<version>/pyodide.mjs, pyodide.asm.mjs, pyodide.asm.wasm, ...
    assets/flow/tryggt_engine-<hash>.zip
    assets/flow/stdlib-<key>.zip        the standard library precompiled to .pyc (fast start)
    assets/flow/snapshot-<key>.bin      gzip of a memory snapshot taken after the engine import

The last two are made under Node with the same Pyodide (generator/node/fast_start.mjs) and
cached in the user's cache folder (TRYGGT_CACHE_DIR, else $XDG_CACHE_HOME/tryggt, else
~/.cache/tryggt), named by a hash of the Pyodide files, the engine and the script, so a
content-only rebuild, or another copy of the project, reuses them. Without Node they are left out and the flows
start the ordinary (slower) way.

Standard library only; knows nothing of MkDocs.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import shutil
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path

from .engine_bundle import engine_zip_bytes
from .problems import ContentError, Problem

PYODIDE_VERSION = "314.0.7"
# sha256 of each file of the npm package pyodide@314.0.7 that a flow page loads.
PYODIDE_FILES = {
    "pyodide.mjs": "6f1d60f7bf529beb300f0f47983c921d3982363640ba20af0e38efdddbc66109",
    "pyodide.asm.mjs": "f7cdc8ece80678ceb712f8e65ebe6d3a83203a180c399865f49612a051693635",
    "pyodide.asm.wasm": "cc36e3cab04fdfc9a63ff13eb52eae2b911bf46c025cc7b281f394bd3de1d5e6",
    "python_stdlib.zip": "fa1957e5777068fc4f7437f96d860ae2fbe9c19732ba06c84e004ec16dd7dd7a",
    "pyodide-lock.json": "5dc2fc119108bc148c7457dc86e7675b5c87e1cafd420b9c34c1eaef7b36c010",
}
PYODIDE_SITE_DIR = f"assets/pyodide/{PYODIDE_VERSION}"
ENGINE_SITE_DIR = "assets/flow"
FAST_START_SCRIPT = Path(__file__).resolve().parent / "node" / "fast_start.mjs"


@dataclass(frozen=True)
class Runtime:
    """What goes into the site for the flows, and the paths the flow pages point at."""

    pyodide_files: dict[str, Path]  # site-relative path -> checked source file
    engine_path: str  # site-relative path of the engine zip
    engine_bytes: bytes
    # Site-relative path -> cached file: the precompiled stdlib and the snapshot, when made.
    fast_start_files: dict[str, Path] = field(default_factory=dict)
    stdlib_path: str | None = None
    snapshot_path: str | None = None

    @property
    def pyodide_dir(self) -> str:
        return PYODIDE_SITE_DIR + "/"

    def page_attributes(self) -> dict[str, str]:
        """Data attributes for a flow's root element: where the browser finds its runtime."""
        attributes = {"data-pyodide": self.pyodide_dir, "data-engine-zip": self.engine_path}
        if self.stdlib_path:
            attributes["data-stdlib"] = self.stdlib_path
        if self.snapshot_path:
            attributes["data-snapshot"] = self.snapshot_path
        return attributes

    def files(self) -> dict[str, Path]:
        """Every file to copy into the site (the engine zip is written from `engine_bytes`)."""
        files = dict(self.pyodide_files)
        if self.stdlib_path:  # the precompiled one replaces Pyodide's own
            del files[f"{PYODIDE_SITE_DIR}/python_stdlib.zip"]
        return {**files, **self.fast_start_files}


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


FETCH_FIX = (f"run `handbok runtime`, which fetches pyodide@{PYODIDE_VERSION} from the npm registry into the cache "
             f"folder, or `npm install pyodide@{PYODIDE_VERSION}` in the site's folder")


def pyodide_package(root: Path) -> Path:
    """Where the site's Pyodide is: the site's own node_modules when it has one, else the cache
    folder that `handbok runtime` fills (shared by every site on the machine)."""
    local = root / "node_modules" / "pyodide"
    return local if local.is_dir() else cache_dir() / f"pyodide-{PYODIDE_VERSION}"


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
    """The checked Pyodide files, keyed by site path. Raises ContentError naming what is wrong."""
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
        files[f"{PYODIDE_SITE_DIR}/{name}"] = path
    return files


class FastStartError(Exception):
    """Node could not make the fast-start files; the message says why."""


def _run_node(node: str, *args: str) -> None:
    result = subprocess.run([node, str(FAST_START_SCRIPT), *args], capture_output=True, text=True, timeout=600)
    if result.returncode != 0:
        raise FastStartError(result.stderr.strip() or f"node exited with {result.returncode}")


def cache_dir() -> Path:
    if os.environ.get("TRYGGT_CACHE_DIR"):
        return Path(os.environ["TRYGGT_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "tryggt"


def fast_start_files(root: Path, engine: bytes, *, snapshot: bool) -> tuple[Path, Path | None]:
    """The precompiled stdlib zip and (if `snapshot`) the gzipped snapshot, from the cache or made now.

    Raises FastStartError when Node is missing or fails."""
    node = shutil.which("node")
    if node is None:
        raise FastStartError("Node.js is not installed")
    package_dir = pyodide_package(root)
    key_source = hashlib.sha256()
    for name, digest in sorted(PYODIDE_FILES.items()):
        key_source.update(f"{name}={digest}\n".encode())
    key_source.update(FAST_START_SCRIPT.read_bytes())
    stdlib_key = key_source.hexdigest()[:16]
    key_source.update(engine)
    snapshot_key = key_source.hexdigest()[:16]
    cache = cache_dir()
    stdlib = cache / f"stdlib-{stdlib_key}.zip"
    snapshot_file = cache / f"snapshot-{snapshot_key}.bin"
    cache.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=cache) as work:
        if not stdlib.is_file():
            made = Path(work) / "stdlib.zip"
            _run_node(node, "stdlib", str(package_dir), str(made))
            os.replace(made, stdlib)
        if snapshot and not snapshot_file.is_file():
            engine_zip = Path(work) / "engine.zip"
            engine_zip.write_bytes(engine)
            raw = Path(work) / "snapshot.raw"
            _run_node(node, "snapshot", str(package_dir), str(stdlib), str(engine_zip), str(raw))
            # Gzipped here, unpacked in the browser: small on the wire whatever the host compresses.
            packed = Path(work) / "snapshot.bin"
            packed.write_bytes(gzip.compress(raw.read_bytes(), compresslevel=6, mtime=0))
            os.replace(packed, snapshot_file)
    return stdlib, (snapshot_file if snapshot else None)


def load_runtime(root: Path, *, fast_start: bool = True, snapshot: bool = True, warn=None) -> Runtime:
    """The runtime of the flows. `fast_start` adds the precompiled stdlib, `snapshot` the snapshot;
    if Node cannot make them, `warn(message)` is told and the flows start the ordinary way."""
    engine = engine_zip_bytes()
    engine_hash = hashlib.sha256(engine).hexdigest()[:12]
    runtime = Runtime(
        pyodide_files=check_pyodide(pyodide_package(root)),
        engine_path=f"{ENGINE_SITE_DIR}/tryggt_engine-{engine_hash}.zip",
        engine_bytes=engine,
    )
    if not fast_start:
        return runtime
    try:
        stdlib, snapshot_file = fast_start_files(root, engine, snapshot=snapshot)
    except (FastStartError, OSError, subprocess.TimeoutExpired) as err:
        if warn:
            warn(f"the flows will start without the fast-start files: {err}")
        return runtime
    extra = {f"{ENGINE_SITE_DIR}/{stdlib.name}": stdlib}
    if snapshot_file:
        extra[f"{ENGINE_SITE_DIR}/{snapshot_file.name}"] = snapshot_file
    return replace(
        runtime,
        fast_start_files=extra,
        stdlib_path=f"{ENGINE_SITE_DIR}/{stdlib.name}",
        snapshot_path=f"{ENGINE_SITE_DIR}/{snapshot_file.name}" if snapshot_file else None,
    )
