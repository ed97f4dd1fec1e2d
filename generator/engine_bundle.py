"""Pack the decision engine into a zip for Pyodide: the browser (and the parity test) loads it.

The engine (`generator/engine/`) uses only the standard library and relative imports, so it
is shipped under its own top-level name, `tryggt_engine`, without `generator/__init__.py`
or anything else of the build-time core:

    tryggt_engine/__init__.py
    tryggt_engine/engine.py
    ...

In Pyodide: `pyodide.unpackArchive(bytes, "zip", {extractDir: "/engine"})`, put "/engine"
on `sys.path`, then `from tryggt_engine import run_json`.

The bytes are deterministic: entries sorted by name, fixed timestamps and permissions, so
the same sources give the same zip (and the same hash) on every build. Standard library only.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

ENGINE_DIR = Path(__file__).resolve().parent / "engine"
PACKAGE_NAME = "tryggt_engine"
# The earliest time a zip can hold; any fixed value would do.
ZIP_TIMESTAMP = (1980, 1, 1, 0, 0, 0)


def engine_files(engine_dir: Path = ENGINE_DIR) -> list[tuple[str, Path]]:
    """Every .py file of the engine package as (path inside the package, file), sorted.

    Subpackages are included; caches (`__pycache__`) and other files are not.
    """
    files = []
    for path in engine_dir.rglob("*.py"):
        relative = path.relative_to(engine_dir)
        if "__pycache__" in relative.parts:
            continue
        files.append((relative.as_posix(), path))
    files.sort()
    if ("__init__.py", engine_dir / "__init__.py") not in files:
        raise FileNotFoundError(f"{engine_dir} is not a package: no __init__.py")
    return files


def engine_zip_bytes(package_name: str = PACKAGE_NAME, engine_dir: Path = ENGINE_DIR) -> bytes:
    """The engine's .py files as a zip, under `package_name/` (default `tryggt_engine/`).

    Deterministic: same sources, same bytes.
    """
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for relative, path in engine_files(engine_dir):
            info = zipfile.ZipInfo(f"{package_name}/{relative}", date_time=ZIP_TIMESTAMP)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # Unix, whatever the build machine
            info.external_attr = 0o100644 << 16  # regular file, rw-r--r--
            archive.writestr(info, path.read_bytes(), compresslevel=9)
    return buffer.getvalue()
