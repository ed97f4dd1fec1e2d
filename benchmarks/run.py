"""The build-side benchmark: build and check times, peak memory and site size, measured here.

    .venv/bin/python benchmarks/run.py [--quick] [--only build,scale,check,site,pdf,serve,browser,network,shift] [--runs N] [--out DIR]

Every command runs in a fresh child process, timed from start to exit; each figure is the
median of several runs, and each comparison is a ratio of medians measured side by side in
the same run (the variants take turns, so a busy machine slows them alike). Peak memory is
the child's own `ru_maxrss` (from `os.wait4`, not `RUSAGE_CHILDREN`, which keeps the largest
of all children so far), started through LAUNCHER. Writes RESULTS.md and results.json into --out (default: this folder).
With --only, the sections not run are kept from the results.json already there, each with
the date it was measured.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import importlib.metadata
import json
import os
import platform
import posixpath
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Callable

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from generator.cli import settings_for  # noqa: E402  (after the path insert, for a run from any folder)
from generator.language import vocabulary  # noqa: E402

# The benchmark's site is this repository's, in Swedish: its pages' and flows' addresses.
CONTACTS_PAGE = vocabulary("sv").contacts_page_path
FLOWS_FOLDER = vocabulary("sv").flows_folder

SIZES = [(10, 1), (100, 10), (1000, 100)]  # (pages, trees)
QUICK_SIZES = [(3, 1), (6, 2)]
DEFAULT_RUNS = 5
PDF_RUNS = 3
# Fewer runs where a run takes minutes (the bare page sends 13.5 MB at 2 Mbit/s).
NETWORK_RUNS = {"loopback": 3, "20 Mbit/s, 40 ms": 3, "2 Mbit/s, 150 ms": 1}
# Folders of the project that the synthetic and plain copies share unchanged (linked, not copied):
# the theme (the plain copy's custom_dir), and the npm packages the build vendors into the site (Pyodide).
SHARED_DIRS = ("theme", "node_modules")
# Material prints a notice on every build; the same for every variant, so keep it out of the logs.
# Compiled modules kept (in a folder of their own, not beside the sources), as on a publisher's
# machine where pip compiled them: without, every run compiles the generator's modules again.
PYCACHE = Path(tempfile.gettempdir()) / "tryggt-benchmark-pycache"
CHILD_ENV = {**{k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"},
             "NO_MKDOCS_2_WARNING": "1", "PYTHONPYCACHEPREFIX": str(PYCACHE)}
PLAIN = "mkdocs build (plain)"
DIRECTIVE = re.compile(r"\[\[(nummer|kontakt|diagram):([^\]\s]*)\]\]")


# --- measuring ---------------------------------------------------------------------------


# Linux counts in a child's ru_maxrss the peak of the process that forked it (it survives the
# exec), so a child of this harness would report at least the harness's own peak. Children are
# started by this small launcher instead, whose peak (about 10 MB) is below any measured command's.
LAUNCHER = r"""
import json, os, sys, time
for request in sys.stdin:
    cmd, cwd, env, log = json.loads(request)
    with open(log, "wb") as out, open(os.devnull, "rb") as nothing:
        start = time.perf_counter()
        pid = os.fork()
        if pid == 0:
            try:
                os.chdir(cwd)
                os.dup2(nothing.fileno(), 0)
                os.dup2(out.fileno(), 1)
                os.dup2(out.fileno(), 2)
                os.execve(cmd[0], cmd, env)
            finally:
                os._exit(127)
        _, status, usage = os.wait4(pid, 0)
        wall = time.perf_counter() - start
    print(json.dumps({"code": os.waitstatus_to_exitcode(status), "wall_s": wall,
                      "cpu_s": usage.ru_utime + usage.ru_stime, "maxrss_kb": usage.ru_maxrss}), flush=True)
"""
_launcher: subprocess.Popen | None = None


def run_child(cmd: list[str], cwd: Path) -> dict:
    """Run one command to its end: wall and CPU seconds and peak memory of that process (and any it waited for)."""
    global _launcher
    if _launcher is None:
        _launcher = subprocess.Popen([sys.executable, "-I", "-S", "-c", LAUNCHER], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, text=True)
    with tempfile.NamedTemporaryFile(prefix="bench-log-") as log:
        _launcher.stdin.write(json.dumps([cmd, str(cwd), CHILD_ENV, log.name]) + "\n")
        _launcher.stdin.flush()
        result = json.loads(_launcher.stdout.readline())
        code = result.pop("code")
        if code != 0:
            tail = Path(log.name).read_bytes().decode("utf-8", "replace")[-3000:]
            raise RuntimeError(f"{' '.join(cmd)} exited with {code} in {cwd}:\n{tail}")
    return result


def summarise(samples: list[dict]) -> dict:
    return {
        "runs": len(samples),
        "wall_s": statistics.median(s["wall_s"] for s in samples),
        "cpu_s": statistics.median(s["cpu_s"] for s in samples),
        "peak_rss_mb": statistics.median(s["maxrss_kb"] for s in samples) / 1024,
        "samples": samples,
    }


def side_by_side(variants: dict[str, Callable[[], dict]], runs: int) -> dict[str, dict]:
    """Run each variant `runs` times, taking turns; the summary of each."""
    samples: dict[str, list[dict]] = {name: [] for name in variants}
    for _ in range(runs):
        for name, once in variants.items():
            samples[name].append(once())
    return {name: summarise(found) for name, found in samples.items()}


def python_cmd(*args: str) -> list[str]:
    return [sys.executable, *args]


def build_once(cmd_for: Callable[[Path], list[str]], keep_size: list | None = None) -> Callable[[], dict]:
    """A variant that builds into a fresh folder; `cmd_for(site_dir)` gives the command.

    The first build's site is measured into `keep_size` when given; every site is removed after.
    """
    def once() -> dict:
        with tempfile.TemporaryDirectory(prefix="bench-site-") as tmp:
            site = Path(tmp) / "site"
            result = run_child(cmd_for(site), Path(tmp))
            if keep_size is not None and not keep_size:
                keep_size.append(site_size(site))
        return result
    return once


def generator_build(root: Path, *options: str):
    return lambda site: python_cmd("-m", "generator.cli", "--root", str(root), "build", *options, "--site-dir", str(site))


def mkdocs_build(root: Path):
    return lambda site: python_cmd("-m", "mkdocs", "build", "--quiet", "-f", str(root / "mkdocs.yml"), "-d", str(site))


def site_size(site: Path) -> dict:
    files = [p for p in site.rglob("*") if p.is_file()]
    raw = sum(p.stat().st_size for p in files)
    packed = sum(len(gzip.compress(p.read_bytes(), 6)) for p in files)
    return {"bytes": raw, "gzip_bytes": packed, "files": len(files)}


# --- the plain copy: the same Markdown for MkDocs alone ---------------------------------------


def drop_yaml_block(text: str, pattern: str) -> str:
    """mkdocs.yml without the line matching `pattern` and the lines indented under it.

    Text, not YAML: mkdocs.yml may hold tags (!ENV, !!python/name) that a plain load rejects.
    """
    out, indent = [], None
    for line in text.splitlines(keepends=True):
        width = len(line) - len(line.lstrip())
        if indent is not None and (not line.strip() or width > indent or (indent == 0 and line.lstrip().startswith("- "))):
            continue
        indent = None
        if re.match(pattern, line):
            indent = width
            continue
        out.append(line)
    return "".join(out)


def link_shared(root: Path, dest: Path) -> None:
    for name in SHARED_DIRS:
        if (root / name).exists():
            (dest / name).symlink_to((root / name).resolve(), target_is_directory=True)


def plain_number(contact: dict, contacts: dict) -> str:
    if contact.get("via"):
        target = contacts[contact["via"]]
        return f"{plain_number(target, contacts)} (via {target['name']})"
    return str(contact.get("phone") or contact.get("url") or "")


def plain_chart(chart: dict) -> str:
    head = "| | " + " | ".join(chart["series"]) + " |\n|---|" + "---|" * len(chart["series"]) + "\n"
    rows = "".join("| " + row["label"] + " | " + " | ".join("–" if v is None else f"{v} %" for v in row["values"]) + " |\n"
                   for row in chart["rows"])
    return f"\n\n**{chart['title']}**\n\n{head}{rows}\n"


def plain_sources(meta: dict, sources: dict) -> str:
    items = "".join(f"- {sources[k]['title']} ({sources[k]['publisher']})\n" for k in meta.get("sources") or [] if k in sources)
    return f"\n\n## Källor\n\n{items}\nSenast granskad: {meta.get('reviewed')}\n"


def plain_page(text: str, contacts: dict, charts: dict, sources: dict) -> str:
    """A page with its references written out as text, and the sources list the generator would add."""
    def replace(match: re.Match) -> str:
        kind, key = match.groups()
        if kind == "diagram":
            return plain_chart(charts[key])
        number = plain_number(contacts[key], contacts)
        return number if kind == "nummer" else f"{contacts[key]['name']}: {number}"

    meta = yaml.safe_load(text.split("---", 2)[1]) if text.startswith("---") else {}
    return DIRECTIVE.sub(replace, text) + plain_sources(meta or {}, sources)


def plain_flow(tree: dict) -> str:
    """A flow written by hand as one long page: every step and outcome as a section."""
    out = [f"---\ntitle: {json.dumps(tree['title'], ensure_ascii=False)}\n---\n\n# {tree['title']}\n\n{tree.get('description') or ''}\n"]
    for node in tree["nodes"]:
        out.append(f"\n## {node['title']}\n\n{node.get('text') or ''}\n")
        for entry in node.get("options") or node.get("items") or []:
            out.append(f"- {entry['label']}\n")
        for index, action in enumerate(node.get("actions") or [], 1):
            out.append(f"{index}. {action['text'] if isinstance(action, dict) else action}\n")
    return "".join(out)


def plain_contacts(contacts: dict) -> str:
    rows = "".join(f"| {c['name']} | {plain_number(c, contacts)} | {c.get('when') or ''} |\n" for c in contacts.values())
    return f"---\ntitle: Kontakter och nummer\n---\n\n# Kontakter och nummer\n\n| Vem | Nummer eller webb | När |\n|---|---|---|\n{rows}"


def make_plain_copy(root: Path, dest: Path) -> Path:
    """The same site as plain MkDocs: pages without references, flows and contacts as hand-written pages.

    The theme, extensions and other plugins stay; only the `tryggt` plugin goes.
    """
    settings = settings_for(root)
    docs = settings.path(settings.docs_dir)
    contacts = yaml.safe_load(settings.path(settings.contacts_file).read_text(encoding="utf-8"))
    sources = yaml.safe_load(settings.path(settings.sources_file).read_text(encoding="utf-8"))
    data_dir = settings.path(settings.data_dir)
    charts = {p.stem: yaml.safe_load(p.read_text(encoding="utf-8")) for p in data_dir.glob("*.yml")} if data_dir.is_dir() else {}
    data_files = settings.data_files()
    dest.mkdir(parents=True)
    link_shared(root, dest)
    config = drop_yaml_block((root / "mkdocs.yml").read_text(encoding="utf-8"), r"\s*- tryggt\s*:?\s*$")
    # The same templates, scripts and styles as the plugin brings, from the shared theme folder.
    config = re.sub(r"^( *)name: material\n", r"\1name: material\n\1custom_dir: theme\n", config, count=1, flags=re.M)
    (dest / "mkdocs.yml").write_text(config, encoding="utf-8")
    target_docs = dest / settings.docs_dir
    for path in docs.rglob("*"):
        if not path.is_file() or path in data_files:
            continue
        target = target_docs / path.relative_to(docs)
        target.parent.mkdir(parents=True, exist_ok=True)
        if path.suffix == ".md":
            target.write_text(plain_page(path.read_text(encoding="utf-8"), contacts, charts, sources), encoding="utf-8")
        else:
            shutil.copy2(path, target)
    (target_docs / CONTACTS_PAGE).write_text(plain_contacts(contacts), encoding="utf-8")
    (target_docs / FLOWS_FOLDER).mkdir(exist_ok=True)
    for tree_file in sorted(settings.path(settings.trees_dir).glob("*.yml")):
        tree = yaml.safe_load(tree_file.read_text(encoding="utf-8"))
        (target_docs / FLOWS_FOLDER / f"{tree_file.stem}.md").write_text(plain_flow(tree), encoding="utf-8")
    return dest


# --- synthetic content -------------------------------------------------------------------------


def harvest(docs: Path) -> tuple[list[str], list[str]]:
    """Sentences and headings of the real pages, so synthetic pages read and index like them."""
    sentences, headings = [], []
    for path in sorted(docs.rglob("*.md")):
        body = path.read_text(encoding="utf-8").split("---", 2)[-1]
        for line in body.splitlines():
            line = line.strip()
            if line.startswith("## "):
                headings.append(line[3:])
            elif line and not line.startswith(("#", "|", "!!!", "<", "[[")):
                line = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", DIRECTIVE.sub("", line))
                line = re.sub(r"^(?:[-*]|\d+\.)\s+(?:\[ \]\s+)?|\*\*", "", line)
                sentences += [s for s in re.split(r"(?<=[.!?])\s+", line) if len(s) > 20 and "[" not in s]
    return sentences, headings


def synthetic_page_paths(pages: int) -> list[str]:
    """index.md, then ten pages a part and ten parts an area: omr-01/del-01/index.md, omr-01/del-01/sida-02.md, ...

    Three levels, so a pruned nav holds some hundred entries a page, not all of them.
    """
    paths = ["index.md"]
    for number in range(1, pages):
        area, rest = divmod(number - 1, 100)
        part, place = divmod(rest, 10)
        paths.append(f"omr-{area + 1:02d}/del-{part + 1:02d}/" + ("index.md" if place == 0 else f"sida-{place + 1:02d}.md"))
    return paths


def synthetic_page(rng: random.Random, path: str, paths: list[str], titles: dict[str, str], flows: list[str],
                   text: tuple[list[str], list[str]], contacts: dict, sources: list[str], charts: list[str],
                   reviewed: dt.date, index: int) -> str:
    sentences, headings = text
    here = posixpath.dirname(path)

    def para(count: int) -> str:
        return " ".join(rng.choice(sentences) for _ in range(count))

    def link(target: str) -> str:
        return f"[{titles[target]}]({posixpath.relpath(target, here or '.')})"

    phones = [k for k, c in contacts.items() if c.get("phone") or c.get("via")]
    contact = list(contacts)[index % len(contacts)]
    others = [rng.choice(paths) for _ in range(2)] + [paths[(index + 1) % len(paths)]]
    meta = {"title": titles[path], "description": rng.choice(sentences), "sources": rng.sample(sources, min(2, len(sources)))}
    # JSON values are YAML too; the date stays bare, so YAML reads it as a date.
    front = ("---\n" + "".join(f"{k}: {json.dumps(v, ensure_ascii=False)}\n" for k, v in meta.items())
             + f"reviewed: {reviewed.isoformat()}\n---\n")
    out = [front, f"\n# {titles[path]}\n\n{para(3)}\n"]
    if index == 0:  # the start page lists every contact, as the real one points to them all
        out.append("\n" + "".join(f"- [[kontakt:{key}]]\n" for key in contacts))
    out.append(f"\n## {rng.choice(headings)}\n\n{para(4)}\n\n")
    out += [f"- **{rng.choice(headings)}:** {rng.choice(sentences)}\n" for _ in range(3)]
    out.append(f"- Är det akut, ring [[nummer:{rng.choice(phones)}]].\n")
    out.append(f"\n## {rng.choice(headings)}\n\n{para(3)} Läs mer om {link(others[0])} och {link(others[1])}.\n\n")
    out += [f"- [ ] {rng.choice(sentences)}\n" for _ in range(3)]
    out.append(f'\n!!! tip "{rng.choice(headings)}"\n    {rng.choice(sentences)} Kontakta [[kontakt:{contact}]].\n')
    if flows:
        flow = flows[index % len(flows)]
        out.append(f"\nGå igenom flödet [{flow}]({posixpath.relpath(f'{FLOWS_FOLDER}/{flow}.md', here or '.')}).\n")
    if charts and index % 20 == 0:
        out.append(f"\n[[diagram:{charts[index // 20 % len(charts)]}]]\n")
    out.append(f"\n## {rng.choice(headings)}\n\n")
    out += [f"{n}. {rng.choice(sentences)}\n" for n in range(1, 4)]
    out.append(f"\n{para(2)} Nästa sida: {link(others[2])}.\n")
    return "".join(out)


def make_synthetic_project(dest: Path, pages: int, trees: int) -> Path:
    """A project with `pages` pages and `trees` flows (copies of the real trees under new ids), checked clean."""
    settings = settings_for(ROOT)
    docs = settings.path(settings.docs_dir)
    dest.mkdir(parents=True)
    config = drop_yaml_block((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), r"nav\s*:")
    # No nav: MkDocs lists the pages itself. Material puts the whole nav into every page, so at
    # 1,000 pages the site grows with the square of the pages (500 MB) unless the nav is pruned,
    # as Material advises for large sites; the plain copy gets the same setting.
    config = re.sub(r"^( *)features:\n( *)", r"\1features:\n\2- navigation.prune\n\2", config, count=1, flags=re.M)
    # The settings that name the handbook's own pages and flows, which the synthetic content has not.
    config = re.sub(r"^ *(acute_flow|pocket_pages):.*\n", "", config, flags=re.M)
    (dest / "mkdocs.yml").write_text(config, encoding="utf-8")
    link_shared(ROOT, dest)
    target_docs = dest / settings.docs_dir
    for path in docs.rglob("*"):
        if path.is_file() and path.suffix != ".md":
            target = target_docs / path.relative_to(docs)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, target)
    originals = sorted(settings.path(settings.trees_dir).glob("*.yml"))
    tree_dir = dest / settings.trees_dir
    tree_dir.mkdir(parents=True)
    flows = []
    # Reviewed a month before the check's today (TRYGGT_TODAY or the calendar's): never stale, never ahead.
    reviewed = settings.today - dt.timedelta(days=30)
    for number in range(trees):
        source = originals[number % len(originals)]
        flow_id = f"{source.stem}-{number + 1:03d}"
        text = re.sub(rf"^id:\s*{re.escape(source.stem)}\s*$", f"id: {flow_id}", source.read_text(encoding="utf-8"), count=1, flags=re.M)
        text = re.sub(r"^reviewed:.*$", f"reviewed: {reviewed.isoformat()}", text, count=1, flags=re.M)
        # A link to another flow ([[flode:ID]] or [[flode:ID|text]]) names an original, which the
        # copies do not hold: keep its words, drop the link.
        text = re.sub(r"\[\[flode:([^\]|]*)(?:\|([^\]]*))?\]\]", lambda m: m.group(2) or m.group(1), text)
        (tree_dir / f"{flow_id}.yml").write_text(text, encoding="utf-8")
        flows.append(flow_id)
    contacts = yaml.safe_load(settings.path(settings.contacts_file).read_text(encoding="utf-8"))
    sources = list(yaml.safe_load(settings.path(settings.sources_file).read_text(encoding="utf-8")))
    data_dir = settings.path(settings.data_dir)
    charts = sorted(p.stem for p in data_dir.glob("*.yml")) if data_dir.is_dir() else []
    text = harvest(docs)
    rng = random.Random(pages * 1000 + trees)  # the same content for the same size, run after run
    paths = synthetic_page_paths(pages)
    titles = {p: f"{rng.choice(text[1])} ({n + 1})" for n, p in enumerate(paths)}
    for index, path in enumerate(paths):
        target = target_docs / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(synthetic_page(rng, path, paths, titles, flows, text, contacts, sources, charts, reviewed, index),
                          encoding="utf-8")
    run_child(python_cmd("-m", "generator.cli", "--root", str(dest), "paths"), dest)
    # A benchmark of content with errors or warnings would measure the wrong thing.
    run_child(python_cmd("-m", "generator.cli", "--root", str(dest), "check", "--strict"), dest)
    return dest


# --- sections ---------------------------------------------------------------------------------


class Context:
    """What the sections share within one run: options, and the synthetic projects, made once."""

    def __init__(self, args, workdir: Path):
        self.quick = args.quick
        self.runs = 1 if args.quick else args.runs
        self.sizes = QUICK_SIZES if args.quick else SIZES
        self.workdir = workdir
        self.projects: dict[tuple[int, int], tuple[Path, Path]] = {}
        probe = subprocess.run(python_cmd("-m", "generator.cli", "pdf", "--help"), cwd=ROOT, env=CHILD_ENV, capture_output=True)
        # With `handbok pdf` comes `handbok build --no-pdf`: the site alone, for the figures at growing size.
        self.has_pdf = probe.returncode == 0
        self.site_only = ("--no-pdf",) if self.has_pdf else ()

    def built_site(self) -> Path:
        """The default site as `handbok build --no-pdf` makes it, built once per run."""
        site = self.workdir / "default-site"
        if not site.is_dir():
            run_child(python_cmd("-m", "generator.cli", "--root", str(ROOT), "build", "--no-pdf",
                                 "--site-dir", str(site)), self.workdir)
        return site

    def runs_for(self, pages: int) -> int:
        """Fewer runs for the large sizes, so a full run stays within a few minutes."""
        return min(self.runs, 3) if pages >= 1000 else self.runs

    def project(self, pages: int, trees: int) -> tuple[Path, Path]:
        """The synthetic project of this size and its plain copy."""
        if (pages, trees) not in self.projects:
            base = self.workdir / f"p{pages}-t{trees}"
            project = make_synthetic_project(base / "project", pages, trees)
            self.projects[(pages, trees)] = (project, make_plain_copy(project, base / "plain"))
        return self.projects[(pages, trees)]


PAGE_CHANGED = "handbok build, a page changed"
# The goal of each ratio to plain MkDocs (issue 27): a rebuild where nothing changed reuses the PDFs.
BUILD_GOALS = {"handbok build": 1.5, PAGE_CHANGED: 10, "handbok build --no-pdf": 1.3, "mkdocs build (plugin)": 1.5}


def edited_build(root: Path):
    """A variant that appends a sentence to a page of `root` before each build, so the PDFs are made again."""
    build, count = build_once(generator_build(root)), [0]

    def run() -> dict:
        count[0] += 1
        with open(root / "content" / "akut.md", "a", encoding="utf-8") as page:
            page.write(f"\n\nÄndrad {count[0]}.\n")
        return build()

    return run


def measure_build(ctx: Context) -> dict:
    """The default site: `handbok build` (with and without the PDFs; with them both when nothing
    changed and when a page did), `mkdocs build` with the plugin, and plain MkDocs of the same Markdown."""
    import serve

    plain = make_plain_copy(ROOT, ctx.workdir / "default-plain")
    edited = serve.site_copy(ROOT, ctx.workdir / "default-edited")
    if not ctx.quick:
        # Untimed: fills the caches (the flows' runtime, the PDFs, the compiled templates and styles; kept in
        # the user's cache folder), so every figure is a rebuild, as all but the first build on a machine are.
        build_once(generator_build(ROOT))()
    variants = side_by_side({
        "handbok build": build_once(generator_build(ROOT)),
        **({PAGE_CHANGED: edited_build(edited),
            "handbok build --no-pdf": build_once(generator_build(ROOT, *ctx.site_only))} if ctx.has_pdf else {}),
        "mkdocs build (plugin)": build_once(mkdocs_build(ROOT)),
        PLAIN: build_once(mkdocs_build(plain)),
    }, ctx.runs)
    base = variants[PLAIN]["wall_s"]
    return {"warmed_up": not ctx.quick, "variants": variants,
            "ratios": {f"{name} / plain": stats["wall_s"] / base for name, stats in variants.items() if name != PLAIN}}


def measure_serve(ctx: Context) -> dict:
    """`handbok serve`: from saving a page to the changed page served: see benchmarks/serve.py."""
    import serve

    return serve.measure(ROOT, ctx.workdir, ctx.runs, CHILD_ENV)


def measure_scale(ctx: Context) -> dict:
    """Synthetic sites of growing size: `handbok build --no-pdf` beside plain MkDocs, time, memory and site size.

    Without the PDFs: they take minutes from a few hundred pages on (see the pdf section).
    """
    rows = []
    for pages, trees in ctx.sizes:
        project, plain = ctx.project(pages, trees)
        size: list = []
        variants = side_by_side({"handbok build": build_once(generator_build(project, *ctx.site_only), size),
                                 "plain": build_once(mkdocs_build(plain))}, ctx.runs_for(pages))
        build = variants["handbok build"]
        rows.append({"pages": pages, "trees": trees, "build": build, "plain": variants["plain"],
                     "ratio": build["wall_s"] / variants["plain"]["wall_s"],
                     "ms_per_page": 1000 * build["wall_s"] / pages, "site": size[0]})
    return {"command": " ".join(("handbok build", *ctx.site_only)), "sizes": rows}


def measure_check(ctx: Context) -> dict:
    """`handbok check` on the default site and on the synthetic sites."""
    def check(root: Path):
        return lambda: run_child(python_cmd("-m", "generator.cli", "--root", str(root), "check"), root)

    rows = [{"pages": None, "trees": None, "check": side_by_side({"c": check(ROOT)}, ctx.runs)["c"]}]
    for pages, trees in ctx.sizes:
        project, _ = ctx.project(pages, trees)
        result = side_by_side({"c": check(project)}, ctx.runs_for(pages))["c"]
        rows.append({"pages": pages, "trees": trees, "check": result, "ms_per_page": 1000 * result["wall_s"] / pages})
    return {"sizes": rows}


def measure_site(ctx: Context) -> dict:
    """The built default site's total size, raw and gzip (each file on its own, as a server sends it)."""
    size: list = []
    build_once(generator_build(ROOT), size)()
    return size[0]


def measure_pdf(ctx: Context) -> dict:
    """`handbok pdf` of the default site, when the command exists."""
    if not ctx.has_pdf:
        return {"skipped": "`handbok pdf` does not exist yet"}
    with tempfile.TemporaryDirectory(prefix="bench-pdf-") as tmp:
        def pdf(*options: str):
            cmd = python_cmd("-m", "generator.cli", "--root", str(ROOT), "pdf", *options, "--output", str(Path(tmp) / "out.pdf"))
            return lambda: run_child(cmd, Path(tmp))

        return {"variants": side_by_side({"handbok pdf": pdf(), "handbok pdf --pocket": pdf("--pocket")},
                                         1 if ctx.quick else PDF_RUNS)}


def measure_browser(ctx: Context) -> dict:
    """Flow start (answerable, engine ready, per step) cold and warm against a bare loadPyodide()
    page on loopback, variant by variant, and the bytes of each: see benchmarks/browser.py.
    --quick: the flow as built and the bare page."""
    import browser

    variants = browser.VARIANTS[:1] if ctx.quick else browser.VARIANTS
    return browser.measure(ctx.built_site(), ctx.runs, variants)


def measure_network(ctx: Context) -> dict:
    """The flow's start and bytes under network profiles and two kinds of host against a bare
    loadPyodide(): see benchmarks/network.py. --quick (about a minute): the plain host, one run,
    the flow and the bare page on loopback, the flow alone at 20 Mbit/s (is the worker throttled?)."""
    import network

    if ctx.quick:
        return network.measure(ctx.built_site(), {"loopback": 1, "20 Mbit/s, 40 ms": 1}, hosts=("plain",),
                               kinds=("bare", "flow"), kinds_by_profile={"20 Mbit/s, 40 ms": ("flow",)})
    return network.measure(ctx.built_site(), NETWORK_RUNS)


def measure_shift(ctx: Context) -> dict:
    """Layout shift on each flow page from navigation to the engine ready, cold, on a phone, on
    loopback and at 1.6 Mbit/s: see benchmarks/layout_shift.py. --quick: loopback, one run."""
    import layout_shift

    return layout_shift.measure(ctx.built_site(), ctx.runs, {"loopback": 1} if ctx.quick else layout_shift.RUNS)


SECTIONS = {"build": measure_build, "scale": measure_scale, "check": measure_check,
            "site": measure_site, "pdf": measure_pdf, "serve": measure_serve, "browser": measure_browser, "network": measure_network,
            "shift": measure_shift}


# --- the report -------------------------------------------------------------------------------


def machine() -> dict:
    def first(path: str, key: str, sep: str) -> str:
        try:
            for line in Path(path).read_text().splitlines():
                if line.startswith(key):
                    return line.split(sep, 1)[1].strip().strip('"')
        except OSError:
            pass
        return "unknown"

    memory_kb = first("/proc/meminfo", "MemTotal", ":").split()[0]
    return {
        "cpu": first("/proc/cpuinfo", "model name", ":"),
        "cores": len(os.sched_getaffinity(0)),
        "memory_gb": round(int(memory_kb) / 1024 ** 2, 1) if memory_kb.isdigit() else None,
        "os": f"{first('/etc/os-release', 'PRETTY_NAME', '=')}, Linux {platform.release()}",
        "python": platform.python_version(),
        "mkdocs": importlib.metadata.version("mkdocs"),
        "mkdocs_material": importlib.metadata.version("mkdocs-material"),
        "load_average": os.getloadavg()[0],
    }


def seconds(stats: dict) -> str:
    return f"{stats['wall_s']:.2f}"


def render_build(section: dict) -> list[str]:
    notes = []
    if "handbok build --no-pdf" in section["variants"]:
        notes.append("`handbok build` and `mkdocs build` with the plugin include the handbook PDF and the pocket card "
                     "(timed on their own below), taken from the cache when nothing that goes into them changed; "
                     f"`{PAGE_CHANGED}` builds a copy of the site with a sentence added to a page before each run, "
                     "so both PDFs are made again; `--no-pdf` is the site alone.")
    if section["warmed_up"]:
        notes.append("One untimed build first fills the caches (the flows' runtime, the PDFs, the compiled templates "
                     "and first-screen styles), so these are rebuilds.")
    notes.append("Python's compiled modules are kept between runs (`PYTHONPYCACHEPREFIX`), as after `pip install`.")
    lines = [" ".join(notes), "", "| command | runs | wall s (median) | CPU s (median) | peak memory MB |", "|---|---|---|---|---|"]
    for name, stats in section["variants"].items():
        lines.append(f"| `{name}` | {stats['runs']} | {seconds(stats)} | {stats['cpu_s']:.2f} | {stats['peak_rss_mb']:.0f} |")
    lines += ["", "| ratio (wall, medians) | value | goal |", "|---|---|---|"]
    lines += [f"| {name} | {value:.2f}× | ≤ {BUILD_GOALS.get(name.removesuffix(' / plain'), 1.5)}× |"
              for name, value in section["ratios"].items()]
    return lines


def render_scale(section: dict) -> list[str]:
    lines = ["Generated pages: sentences and headings of the real pages, with lists, a checklist, an admonition, "
             "links to three other pages and to a flow, contact references (every contact used), the chart on one "
             "page in 20; ten pages a folder, ten folders an area. Flows: copies of `decision_trees/*.yml` under new "
             "ids, with path files from `handbok paths`. The content passes `handbok check --strict`. No `nav` (MkDocs "
             "lists every page) and Material's `navigation.prune` in both sites, as Material advises for large sites: "
             "without it every page holds the whole nav and the 1,000-page site is 500 MB.", "",
             f"| pages | trees | runs | `{section['command']}` s | ms per page | peak memory MB | plain MkDocs s | ratio | site MB | files |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    for row in section["sizes"]:
        b = row["build"]
        lines.append(f"| {row['pages']} | {row['trees']} | {b['runs']} | {seconds(b)} | {row['ms_per_page']:.1f} | "
                     f"{b['peak_rss_mb']:.0f} | {seconds(row['plain'])} | {row['ratio']:.2f}× | "
                     f"{row['site']['bytes'] / 1e6:.1f} | {row['site']['files']} |")
    return lines


def render_check(section: dict) -> list[str]:
    lines = ["| pages | trees | runs | `handbok check` s | ms per page | peak memory MB |", "|---|---|---|---|---|---|"]
    for row in section["sizes"]:
        c = row["check"]
        per_page = f"{row['ms_per_page']:.1f}" if row["pages"] else "–"
        lines.append(f"| {row['pages'] or 'default site'} | {row['trees'] or '–'} | {c['runs']} | {seconds(c)} | {per_page} | "
                     f"{c['peak_rss_mb']:.0f} |")
    return lines


def render_site(section: dict) -> list[str]:
    return ["| files | bytes | gzip bytes (each file) |", "|---|---|---|",
            f"| {section['files']} | {section['bytes']:,} | {section['gzip_bytes']:,} |"]


def render_pdf(section: dict) -> list[str]:
    return ["| command | runs | wall s (median) | CPU s (median) | peak memory MB |", "|---|---|---|---|---|"] + [
        f"| `{name}` | {stats['runs']} | {seconds(stats)} | {stats['cpu_s']:.2f} | {stats['peak_rss_mb']:.0f} |"
        for name, stats in section["variants"].items()]


RENDER = {"build": ("Default site: generator overhead over plain MkDocs", render_build),
          "scale": ("Build at growing size (synthetic content)", render_scale),
          "check": ("`handbok check` at growing size", render_check),
          "site": ("Size of the built default site", render_site),
          "pdf": ("PDF", render_pdf),
          "serve": ("`handbok serve`: from saving a page to the changed page", lambda section: __import__("serve").render(section)),
          "browser": ("Browser: flow start and bytes", lambda section: __import__("browser").render(section)),
          "network": ("Browser: flow start on a real connection", lambda section: __import__("network").render(section)),
          "shift": ("Browser: layout shift on each flow page while its engine starts",
                    lambda section: __import__("layout_shift").render(section))}


def goal_lines(sections: dict) -> list[str]:
    """Issue 27's figures, each beside its goal, from the sections of this file (the dates say which run)."""
    rows = []
    build = sections.get("build")
    if build and "variants" in build:
        plain = build["variants"][PLAIN]
        for name, stats in build["variants"].items():
            if name in BUILD_GOALS and name != "mkdocs build (plugin)":
                wall, cpu = stats["wall_s"] / plain["wall_s"], stats["cpu_s"] / plain["cpu_s"]
                rows.append((f"`{name}` ÷ plain `mkdocs build`", f"{wall:.2f}× ({cpu:.2f}× in CPU time)",
                             f"≤ {BUILD_GOALS[name]}×", max(wall, cpu) <= BUILD_GOALS[name], build["date"]))
    check = sections.get("check")
    if check and "sizes" in check:
        wall, cpu = check["sizes"][0]["check"]["wall_s"], check["sizes"][0]["check"]["cpu_s"]
        rows.append(("`handbok check`, default site", f"{wall:.2f} s ({cpu:.2f} s CPU)", "≤ 0.3 s", max(wall, cpu) <= 0.3,
                     check["date"]))
    serving = sections.get("serve")
    if serving and "save_to_page_s" in serving:
        wall = serving["save_to_page_s"]["median"]
        rows.append(("`handbok serve`: saved page → changed page served", f"{wall:.2f} s", "≤ 1 s", wall <= 1, serving["date"]))
    browser = sections.get("browser")
    if browser and "ratio_cold" in browser:
        built = browser["pages"]["flow as built"]
        rows.append(("engine ready ÷ bare `loadPyodide()`, loopback, cold", f"{browser['ratio_cold']:.2f}", "≤ 0.4",
                     browser["ratio_cold"] <= 0.4, browser["date"]))
        warm = built["warm"]["ready_ms"] / built["cold"]["ready_ms"]
        rows.append(("engine ready, warm ÷ cold (flow as built, loopback)", f"{warm:.2f}", "≤ 0.5", warm <= 0.5, browser["date"]))
    if not rows:
        return []
    return ["", "## Issue 27: each figure beside its goal", "",
            "From the sections below: wall-clock medians, and beside them CPU time, which a busy machine disturbs "
            "less; a goal counts as met when both meet it.",
            "", "| figure | measured | goal | met | measured on |", "|---|---|---|---|---|"] + [
        f"| {name} | {value} | {goal} | {'yes' if met else '**no**'} | {date} |" for name, value, goal, met, date in rows]


# Hand-written parts of RESULTS.md that a run keeps as they stand: benchmarks/lighthouse.py's section
# (its own runs), and what stands in the way of issue 27's goals (from benchmarks/profile.py).
KEPT = [("<!-- lighthouse:", "<!-- /lighthouse -->"), ("<!-- in-the-way:", "<!-- /in-the-way -->")]


def write_results(out: Path, results: dict) -> None:
    out.mkdir(parents=True, exist_ok=True)
    (out / "results.json").write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    m = results["machine"]
    lines = ["# Benchmark results", "",
             f"Measured {results['date']} on {m['cpu']}, {m['cores']} cores, {m['memory_gb']} GB memory, {m['os']}; "
             f"Python {m['python']}, MkDocs {m['mkdocs']}, mkdocs-material {m['mkdocs_material']} "
             f"(load average {m['load_average']:.2f} at the start).", "",
             "Each figure is the median of the runs shown, each a fresh process; each ratio compares medians measured "
             "side by side in the same run. The plain MkDocs site is the same Markdown with the references written out "
             "as text, the flows and the contacts page as hand-written pages, the same theme and extensions, and no "
             "`tryggt` plugin. Raw numbers: `results.json`.", "",
             f"Reproduce: `{results['command']}`"]
    lines += goal_lines(results["sections"])
    earlier = (out / "RESULTS.md").read_text(encoding="utf-8") if (out / "RESULTS.md").exists() else ""
    start, end = KEPT[1]
    if start in earlier and end in earlier:
        lines += ["", earlier[earlier.index(start):earlier.index(end) + len(end)]]
    for name, (title, render) in RENDER.items():
        section = results["sections"].get(name)
        if section is None:
            continue
        lines += ["", f"## {title}", ""]
        if "skipped" in section:
            lines.append(f"Not measured: {section['skipped']}.")
            continue
        if section.get("date") != results["date"]:
            lines += [f"Measured {section['date']} (an earlier run).", ""]
        lines += render(section)
    start, end = KEPT[0]
    if start in earlier and end in earlier:
        lines += ["", earlier[earlier.index(start):earlier.index(end) + len(end)]]
    (out / "RESULTS.md").write_text("\n".join(lines) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="tiny sizes, one run each: a smoke test of every step")
    parser.add_argument("--only", help=f"comma-separated sections: {','.join(SECTIONS)}")
    parser.add_argument("--runs", type=int, default=DEFAULT_RUNS, help="runs per figure (fewer for 1,000 pages)")
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent, help="where RESULTS.md and results.json go")
    args = parser.parse_args(argv)
    chosen = args.only.split(",") if args.only else list(SECTIONS)
    unknown = [name for name in chosen if name not in SECTIONS]
    if unknown:
        parser.error(f"unknown section(s) {', '.join(unknown)}; choose from {', '.join(SECTIONS)}")

    date = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")
    host = machine()  # before the run: its load average tells how busy the machine was already
    previous = args.out / "results.json"
    sections = json.loads(previous.read_text(encoding="utf-8"))["sections"] if args.only and previous.exists() else {}
    command = ".venv/bin/python benchmarks/run.py" + "".join(f" {a}" for a in (argv if argv is not None else sys.argv[1:]))
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        ctx = Context(args, Path(tmp))
        try:
            for name in chosen:
                print(f"measuring {name} ...", file=sys.stderr, flush=True)
                sections[name] = {**SECTIONS[name](ctx), "date": date}
        finally:
            if _launcher is not None:
                _launcher.stdin.close()  # the launcher ends at the end of its input
                _launcher.wait()
    results = {"date": date, "command": command, "quick": args.quick, "machine": host, "sections": sections}
    write_results(args.out, results)
    print(f"wrote {args.out / 'RESULTS.md'} and {args.out / 'results.json'}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
