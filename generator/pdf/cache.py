"""PDFs made once for what goes into them: a key over every input, and the PDFs kept under it.

A build where nothing that reaches the PDF changed takes the handbook and the pocket card from the
cache folder of the runtime (TRYGGT_CACHE_DIR, else ~/.cache/tryggt, see generator/runtime.py)
instead of rendering them again. A key that missed an input would hand out a stale PDF, so it
is made wide rather than exact: every file of each site layer's input folders and files (every
setting that names a path under the site's folder, so a setting added later is covered too), the
site's settings as a whole (today's date included: it is printed), the book's navigation,
Markdown extensions (and the files their options name) and names, the generator's and the theme's
files whole, the fonts, the Python
version and every installed distribution's name and version. What WeasyPrint fetched while
rendering (images, fonts) is recorded with the PDF and checked again before it is reused, so a
file the key did not foresee still makes a new PDF. Not in it: the system's fonts that
fontconfig may fall back on for a glyph the named fonts lack.

The warnings of the pocket card's fit, and what WeasyPrint warned of, are kept with the PDF and
given again on reuse. When the handbook must be made and the site has a pocket card, the card is
made at the same time in a child process (forked: it shares the loaded project), into the cache,
where the build's next call finds it; if the child fails, that call makes the card itself and
reports why.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import multiprocessing
import os
import re
import sys
from pathlib import Path

import generator
from generator.problems import Problem, Report
from generator.runtime import cache_dir
from generator.theme import THEME_DIR

KEY_VERSION = b"tryggt pdf cache 1\n"
KEEP = 8  # entries kept; the oldest used go first
WARNINGS = "generator.pdf"  # the logger of what WeasyPrint warns of (generator/pdf/__init__.py)
SKIPPED_PARTS = {"__pycache__", ".git", "node_modules", ".venv"}


def _add_path(digest, path: Path, label: str) -> None:
    """A file, or every file of a folder (by relative path), with its bytes; or that it is missing."""
    digest.update(f"\n@{label}\n".encode())
    if path.is_file():
        digest.update(path.read_bytes())
    elif path.is_dir():
        for found in sorted(path.rglob("*")):
            relative = found.relative_to(path)
            if found.is_file() and not SKIPPED_PARTS.intersection(relative.parts):
                digest.update(f"\n{relative.as_posix()}\0{found.stat().st_size}\0".encode())
                digest.update(found.read_bytes())
    else:
        digest.update(b"\0missing")


def _strings(value) -> list[str]:
    """Every text in a value, however deep in lists and mappings."""
    if isinstance(value, str):
        return [value] if value else []
    if isinstance(value, dict):
        return [s for item in value.values() for s in _strings(item)]
    if isinstance(value, (list, tuple)):
        return [s for item in value for s in _strings(item)]
    return []


def _paths_under(root: Path, names: list[str]) -> list[Path]:
    """The files and folders under `root` that `names` name; `root` itself never (a setting of ""
    or ".": the pages are hashed one by one)."""
    root, paths = root.resolve(), set()
    for name in names:
        try:
            path = (root / name).resolve()
        except (OSError, ValueError):
            continue
        if path != root and path.is_relative_to(root) and path.exists():
            paths.add(path)
    return sorted(paths)


def _named_paths(layer) -> list[Path]:
    """mkdocs.yml and every file or folder that a setting's value (or values) names."""
    values = ([getattr(layer, f.name) for f in dataclasses.fields(layer)] if dataclasses.is_dataclass(layer)
              else list(vars(layer).values()))
    return [Path(layer.root).resolve() / "mkdocs.yml", *_paths_under(Path(layer.root), _strings(values))]


def _installed() -> list[str]:
    """Every installed distribution as its metadata folder names it (name-version)."""
    found = set()
    for entry in sys.path:
        try:
            found.update(name for name in os.listdir(entry or ".") if name.endswith((".dist-info", ".egg-info")))
        except OSError:
            continue
    return sorted(found)


def _plain_repr(value) -> str:
    return re.sub(r" at 0x[0-9a-f]+", "", repr(value))  # a function in a setting: not its address


def pdf_key(book, pocket: bool) -> str:
    """The key of one PDF (the handbook, or with `pocket` the card) over everything that makes it."""
    digest = hashlib.sha256(KEY_VERSION)
    digest.update(f"pocket={pocket}\npython={sys.version}\n".encode())
    digest.update(_plain_repr(book.project.settings).encode())
    for f in dataclasses.fields(book):
        if f.name != "project":
            digest.update(f"\n{f.name}={_plain_repr(getattr(book, f.name))}".encode())
    for font in book.fonts:
        _add_path(digest, Path(font[3]), f"font {font[3]}")
    for layer in book.project.settings.layers():
        for path in _named_paths(layer):
            _add_path(digest, path, f"site {path}")
    # A Markdown extension may read files (pymdownx.snippets' base_path): any its options name.
    for path in _paths_under(book.project.settings.root, _strings(book.markdown_extensions)):
        _add_path(digest, path, f"extension {path}")
    for doc_path, path in sorted(book.project.page_files.items()):
        _add_path(digest, Path(path), f"page {doc_path}")
    for path in sorted(book.project.settings.data_files()):
        _add_path(digest, Path(path), f"data {path}")
    _add_path(digest, Path(generator.__file__).resolve().parent, "generator")
    _add_path(digest, THEME_DIR, "theme")
    digest.update("\n".join(_installed()).encode())
    return digest.hexdigest()


def _file_hash(path: str) -> str | None:
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except OSError:
        return None


class PdfCache:
    """The PDFs kept in the cache folder, each as KEY.pdf with KEY.json beside it (pages,
    warnings, fetched files and their hashes)."""

    def __init__(self, folder: Path | None = None):
        self.folder = folder or cache_dir() / "pdf"

    def get(self, key: str, report: Report | None) -> tuple[bytes, int] | None:
        data_file, meta_file = self.folder / f"{key}.pdf", self.folder / f"{key}.json"
        try:
            meta = json.loads(meta_file.read_text(encoding="utf-8"))
            data = data_file.read_bytes()
        except (OSError, ValueError):
            return None
        if hashlib.sha256(data).hexdigest() != meta.get("sha256"):
            return None
        if any(_file_hash(path) != digest for path, digest in meta.get("fetched", {}).items()):
            return None
        if report is not None:
            report.extend(Problem(**problem) for problem in meta.get("problems", []))
        for message in meta.get("logged", []):
            logging.getLogger(WARNINGS).warning(message)
        os.utime(meta_file)  # recently used: kept longest
        return data, meta["pages"]

    def put(self, key: str, data: bytes, pages: int, problems: list[Problem], fetched: set[Path],
            logged: list[str] = ()) -> None:
        from generator.pdf import write_atomically

        meta = {"pages": pages, "sha256": hashlib.sha256(data).hexdigest(), "logged": list(logged),
                "problems": [dataclasses.asdict(problem) for problem in problems],
                "fetched": {str(path): _file_hash(str(path)) for path in sorted(fetched)}}
        try:
            write_atomically(self.folder / f"{key}.pdf", data)
            write_atomically(self.folder / f"{key}.json", json.dumps(meta, ensure_ascii=False).encode())
            self._prune()
        except OSError:
            pass  # a cache that cannot be written costs only time

    def _prune(self) -> None:
        kept = sorted(self.folder.glob("*.json"), key=lambda path: path.stat().st_mtime, reverse=True)
        for meta_file in kept[KEEP:]:
            meta_file.with_suffix(".pdf").unlink(missing_ok=True)
            meta_file.unlink(missing_ok=True)


class _Logged(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def _make(book, pocket: bool, key: str, cache: PdfCache) -> tuple[bytes, int, list[Problem]]:
    from generator.pdf import make_pdf

    made, fetched, logged = Report(), set(), _Logged()
    logging.getLogger(WARNINGS).addHandler(logged)
    try:
        data, pages = make_pdf(book, pocket=pocket, report=made, fetched=fetched)
    finally:
        logging.getLogger(WARNINGS).removeHandler(logged)
    cache.put(key, data, pages, made.problems, fetched, logged.messages)
    return data, pages, made.problems


# Pocket cards being made in a child process while this one makes the handbook: key -> the child.
_PENDING: dict[str, multiprocessing.process.BaseProcess] = {}


def _make_in_child(book, key: str, folder: Path) -> None:
    logging.getLogger(WARNINGS).propagate = False  # shown once, by the parent, from the cache
    try:
        _make(book, True, key, PdfCache(folder))
    except BaseException:
        os._exit(1)  # the parent makes the card again and reports what stopped it


def _start_pocket(book, cache: PdfCache) -> None:
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    if not book.project.settings.pocket_pages or cores < 2:
        return
    key = pdf_key(book, True)
    if key in _PENDING or (cache.folder / f"{key}.json").is_file():
        return
    try:
        child = multiprocessing.get_context("fork").Process(target=_make_in_child, args=(book, key, cache.folder),
                                                            daemon=True)
        child.start()
    except (ValueError, OSError):  # no fork here (Windows, macOS' default) or no process to spare
        return
    _PENDING[key] = child


def cached_pdf(book, pocket: bool = False, report: Report | None = None,
               cache: PdfCache | None = None) -> tuple[bytes, int]:
    """As `make_pdf`, from the cache when nothing that goes into the PDF changed since it was made."""
    cache = cache or PdfCache()
    key = pdf_key(book, pocket)
    child = _PENDING.pop(key, None)
    if child is not None:
        child.join()
    found = cache.get(key, report)
    if found is not None:
        return found
    if not pocket:
        _start_pocket(book, cache)
    data, pages, problems = _make(book, pocket, key, cache)
    if report is not None:
        report.extend(problems)
    return data, pages
