"""The `handbok` command: a thin adapter over the core (check) and over MkDocs (build, serve)."""

from __future__ import annotations

import argparse
import logging
import posixpath
import os
import re
import shlex
import shutil
import socket
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

from generator.language import vocabulary
from generator.problems import Report
from generator.staging import clear_stale_builds, staging_folder, swap_in
from generator.project import Project
from generator.siteconfig import PLUGIN, ConfigError, mkdocs_config, settings_for, today  # noqa: F401  (re-exported for callers)
from generator.newsite.sitestart import LANGUAGES as STARTER_LANGUAGES, STARTER_DEFAULT


def print_report(report: Report, out=None) -> None:
    out = out or sys.stdout
    by_file: dict[str, list] = {}
    for problem in report.sorted():
        by_file.setdefault(problem.path, []).append(problem)
    for path, problems in by_file.items():
        print(f"{path}", file=out)
        for problem in problems:
            print(f"  {problem.format()}", file=out)
    print(f"{len(report.errors)} error(s), {len(report.warnings)} warning(s) in {len(by_file)} file(s)", file=out)


def cmd_check(args) -> int:
    project = Project.load(settings_for(args.root))
    print_report(project.report)
    if project.report.errors or (args.strict and project.report.warnings):
        return 1
    return 0


def cmd_csp(args) -> int:
    """The Content-Security-Policy header for a built site: the meta policy plus what only a header can say."""
    from generator.site.csp import inline_script_hashes, policy

    site = args.site_dir if args.site_dir.is_absolute() else args.root / args.site_dir
    pages = sorted(site.rglob("*.html"))
    if not pages:
        print(f"{site}: no built site here: run `handbok build` first", file=sys.stderr)
        return 1
    hashes = sorted({h for page in pages for h in inline_script_hashes(page.read_text(encoding="utf-8"))})
    print(policy(hashes, header=True))
    return 0


def cmd_paths(args) -> int:
    from generator.trees import write_path_files

    project = Project.load(settings_for(args.root))
    tree_errors = [p for p in project.report.errors if p.path.startswith(project.settings.trees_dir)
                   and "path file" not in p.message]
    if tree_errors:
        print_report(Report(tree_errors))
        return 1
    write_path_files(args.root, project.flows, project.settings.trees_dir)
    print(f"wrote the path files of {len(project.flows)} flow(s)")
    return 0


def cmd_links(args) -> int:
    project = Project.load(settings_for(args.root))
    docs = project.settings.docs_dir.rstrip("/") + "/"
    target = posixpath.normpath(args.page.replace("\\", "/").removeprefix(docs))
    places = project.pages_linking_to(target)
    for path, line, column in places:
        print(f"{path}:{line}:{column}: links to {target}")
    print(f"{len(places)} link(s) to {target}")
    return 0


def cmd_build(args) -> int:
    project = Project.load(settings_for(args.root))
    if project.report.errors or (args.strict and project.report.warnings):
        print_report(project.report, sys.stderr)
        print("build stopped: the site was not changed", file=sys.stderr)
        return 1
    target = (args.root / args.site_dir) if not args.site_dir.is_absolute() else args.site_dir
    return build_atomically(args.root, target, args.strict, pdf=not args.no_pdf, project=project)


def _mkdocs_build(root: Path, site_dir: Path, *, strict: bool = False, pdf: bool = True,
                  project: Project | None = None, export=None) -> str | None:
    """One MkDocs build of the site in `root` into `site_dir`; None when it succeeded, else why not.

    `project` is the project loaded and checked already (the plugin takes it if its settings
    agree); `export` (newsite.export.Export) is handed the pages and files as the plugin leaves them."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    try:
        config = load_config(str(root / "mkdocs.yml"), site_dir=str(site_dir), strict=strict)
        plugin = config.plugins.get(PLUGIN)
        if plugin is not None:
            if not pdf:  # the plugin's `pdf` option, off for this build only
                plugin.config.pdf = False
            plugin.preloaded = project
        if export is not None:
            from generator import mkdocs_export
            mkdocs_export.add_to(config, export)
        build(config)
    except (MkDocsException, SystemExit, OSError) as exc:
        return str(exc)
    return None


def build_atomically(root: Path, target: Path, strict: bool, pdf: bool = True, project: Project | None = None) -> int:
    """Build into a fresh folder beside the target and swap it in only when the build succeeded."""
    target.parent.mkdir(parents=True, exist_ok=True)
    clear_stale_builds(target)
    # The pid in the name tells a later build whether this one is still running.
    staging = staging_folder(target, "new")
    try:
        failure = _mkdocs_build(root, staging, strict=strict, pdf=pdf, project=project)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    if failure is not None:
        shutil.rmtree(staging, ignore_errors=True)
        print(f"build failed: {failure}", file=sys.stderr)
        print("the site was not changed", file=sys.stderr)
        return 1
    old = swap_in(staging, target)
    if old:
        shutil.rmtree(old, ignore_errors=True)
    print(f"built the site in {target}")
    return 0


def cmd_new(args) -> int:
    from generator.newsite.scaffold import UsageError, new_flow, new_page

    settings = settings_for(args.root)
    try:
        written = (new_flow if args.kind == "flow" else new_page)(settings, args.name)
    except UsageError as exc:
        print(f"handbok new: {exc}", file=sys.stderr)
        return 2
    for path in written:
        print(f"wrote {path.relative_to(args.root).as_posix()}")
    page = (vocabulary(settings.language).flow_page(args.name) if args.kind == "flow"
            else written[0].relative_to(args.root / settings.docs_dir).as_posix())
    print(f"next: write the text; list {page} under `nav:` in mkdocs.yml or link to it from another page; "
          + ("run `handbok paths` after changing where answers lead; " if args.kind == "flow" else "")
          + "then run `handbok check`")
    return 0


def cmd_export(args) -> int:
    """The core writes the export (newsite/export.py) while MkDocs builds the site once, into a temporary folder."""
    from generator.newsite.export import ExportError, check_target, export_site

    target = args.folder if args.folder.is_absolute() else Path.cwd() / args.folder
    try:
        check_target(target)
    except ExportError as exc:
        print(f"handbok export: {exc}", file=sys.stderr)
        return 2
    project = Project.load(settings_for(args.root))
    if project.report.errors:
        print_report(project.report, sys.stderr)
        print("export stopped: nothing was written", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as site:
        try:
            export_site(project, target, lambda export: _mkdocs_build(args.root, Path(site), project=project, export=export))
        except ExportError as exc:
            print(f"export failed: {exc}", file=sys.stderr)
            return 1
    print(f"exported the site's source to {target}: build it with `mkdocs build` or `zensical build` there, no plugin needed")
    return 0


def cmd_init(args) -> int:
    from generator.runtime import fetch_pyodide
    from generator.problems import ContentError
    from generator.newsite.sitestart import InitError, init_site

    target = args.folder if args.folder.is_absolute() else Path.cwd() / args.folder
    try:
        written = init_site(target, args.language, site_name=args.site_name, organisation=args.organisation)
    except InitError as exc:
        print(f"handbok init: {exc}", file=sys.stderr)
        return 2
    print(f"wrote a new site in {target} ({len(written)} files)")
    if not args.no_runtime:
        try:
            fetch_pyodide()
        except ContentError as exc:
            print_report(Report(exc.problems), sys.stderr)
            print("the site is written; the flows need Pyodide: run `handbok runtime` when the problem is fixed", file=sys.stderr)
            return 1
    handbok = _this_handbok(target)
    print(f"next: cd {shlex.quote(str(args.folder))} && {handbok} check && {handbok} serve")
    return 0


def _this_handbok(folder: Path) -> str:
    """This handbok as the publisher types it in `folder`: `handbok` when that is the one on PATH,
    else its path (relative, like ../venv/bin/handbok, when both lie under the current folder)."""
    running = Path(sys.argv[0]).absolute()
    if running.stem != "handbok" or not running.is_file():  # run as `python -m generator.cli`
        return f"{shlex.quote(sys.executable)} -m generator.cli"
    on_path = shutil.which("handbok")
    if on_path and Path(on_path).resolve() == running.resolve():
        return "handbok"
    here = Path.cwd()
    if running.is_relative_to(here) and folder.is_relative_to(here):
        return shlex.quote(os.path.relpath(running, folder))
    return shlex.quote(str(running))


def cmd_runtime(args) -> int:
    from generator.problems import ContentError
    from generator.runtime import fetch_pyodide

    try:
        print(f"Pyodide is ready in {fetch_pyodide()}")
    except ContentError as exc:
        print_report(Report(exc.problems), sys.stderr)
        return 1
    return 0


def cmd_pdf(args) -> int:
    from generator import pdf

    project = Project.load(settings_for(args.root))
    target = args.output or Path("site") / (pdf.POCKET_FILE if args.pocket else pdf.HANDBOOK_FILE)
    target = target if target.is_absolute() else args.root / target
    shown = target.relative_to(args.root) if target.is_relative_to(args.root) else target
    if project.report.errors:
        print_report(project.report, sys.stderr)
        print(f"{shown}: not written: the content has errors", file=sys.stderr)
        return 1
    config = mkdocs_config(args.root)
    book = pdf.Book(project, config.get("nav"), config.get("markdown_extensions") or [], config.get("site_name") or "",
                    project.settings.organisation)
    fit = Report()  # a pocket card past its two pages: a warning for each page that does not fit
    try:
        data, pages = pdf.make_pdf(book, pocket=args.pocket, report=fit)
        if fit.problems:
            print_report(fit, sys.stderr)
        if fit.problems and args.strict:
            print(f"{shown}: not written: the pocket card does not fit on two pages (--strict)", file=sys.stderr)
            return 1
        pdf.write_atomically(target, data)
    except (pdf.PdfError, OSError) as exc:
        print(f"{shown}: not written: {exc}", file=sys.stderr)
        return 1
    print(f"wrote {shown} ({pages} pages)")
    return 0


def cmd_serve(args) -> int:
    from mkdocs.commands import serve as serving
    from mkdocs.livereload import LiveReloadServer

    class QuickWatch(LiveReloadServer):
        """MkDocs' server, its watcher polling the files every 0.1 s, not 0.5 s: a saved page waited
        a quarter of a second on average before its rebuild began (benchmarks/serve.py)."""

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **{**kwargs, "polling_interval": 0.1})

    serving.LiveReloadServer = QuickWatch
    address = ("127.0.0.1", args.port)
    with socket.socket() as probe:  # a port in use stops here, not after the whole first build
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server binds it
        try:
            probe.bind(address)
        except OSError as exc:
            print(f"handbok serve: cannot listen on 127.0.0.1:{args.port} ({exc.strerror}): "
                  f"stop the program that uses it, or choose another port with --port {args.port + 1}", file=sys.stderr)
            return 2
    # Under site_url's path, as MkDocs serves it; the ready line below gives MkDocs' own URL.
    path = urlsplit(str(mkdocs_config(args.root).get("site_url") or "/")).path.rstrip("/") + "/"
    print(f"handbok serve: building the site, then serving it on http://127.0.0.1:{args.port}{path}", flush=True)
    notices = _ServerNotices()
    server_log = logging.getLogger("mkdocs.livereload")
    server_log.setLevel(logging.INFO)
    server_log.addFilter(notices)
    try:
        serving.serve(str(args.root / "mkdocs.yml"), dev_addr=f"127.0.0.1:{args.port}", livereload=True)
    finally:
        server_log.removeFilter(notices)
    return 0


class _ServerNotices(logging.Filter):
    """MkDocs' server says at INFO level, which the CLI does not show, when it listens ("Serving on
    URL"; the URL with the site's sub-path): that line becomes the publisher's "ready"."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno >= logging.WARNING:
            return True
        found = re.search(r"\bServing on (\S+)", record.getMessage())  # after MkDocs' "[hh:mm:ss] "
        if found:
            url = found.group(1)
            print(f"handbok serve: ready: open {url} (it reloads when a file changes; Ctrl+C stops)", flush=True)
        return False


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="handbok", description="Build, check and preview the handbook site.")
    parser.add_argument("--root", type=Path, default=Path.cwd(), help="the project folder (where mkdocs.yml is)")
    commands = parser.add_subparsers(dest="command", required=True)

    check = commands.add_parser("check", help="check content, contacts and flows; print every problem")
    check.add_argument("--strict", action="store_true", help="fail on warnings too")
    check.set_defaults(run=cmd_check)

    build = commands.add_parser("build", help="build the site (atomically) into site/")
    build.add_argument("--site-dir", type=Path, default=Path("site"))
    build.add_argument("--strict", action="store_true", help="fail on warnings too")
    build.add_argument("--no-pdf", action="store_true", help="leave out the handbook PDF and the pocket card (faster)")
    build.set_defaults(run=cmd_build)

    serve = commands.add_parser("serve", help="build and serve on 127.0.0.1 with live reload")
    serve.add_argument("--port", type=int, default=8000)
    serve.set_defaults(run=cmd_serve)

    printed = commands.add_parser("pdf", help="write the handbook as an A4 PDF (site/handbok.pdf), or the pocket card")
    printed.add_argument("--pocket", action="store_true", help="the pocket card instead: site/fickkort.pdf, two pages")
    printed.add_argument("--output", type=Path, help="where to write the PDF")
    printed.add_argument("--strict", action="store_true", help="fail, writing nothing, on warnings (a pocket card past two pages)")
    printed.set_defaults(run=cmd_pdf)

    csp = commands.add_parser("csp", help="print the Content-Security-Policy header for the built site")
    csp.add_argument("--site-dir", type=Path, default=Path("site"))
    csp.set_defaults(run=cmd_csp)

    paths = commands.add_parser("paths", help="rewrite decision_trees/paths/*.txt from the trees")
    paths.set_defaults(run=cmd_paths)

    links = commands.add_parser("links", help="list where the site's pages link to a page (before leaving it out)")
    links.add_argument("page", help="the page, relative to the content folder, e.g. folder/page.md")
    links.set_defaults(run=cmd_links)

    init = commands.add_parser("init", help="start a new site in an empty folder, and fetch Pyodide for its flows")
    init.add_argument("folder", type=Path)
    init.add_argument("--language", choices=STARTER_LANGUAGES, default=STARTER_DEFAULT, help="the language of the site and its interface")
    init.add_argument("--site-name", help="the site's name (default: a plain one in the chosen language)")
    init.add_argument("--organisation", help="the publisher, on the PDF's cover")
    init.add_argument("--no-runtime", action="store_true", help="do not fetch Pyodide now (`handbok runtime` does it later)")
    init.set_defaults(run=cmd_init)

    export = commands.add_parser("export", help="write the site's source as a plain Material project (no tryggt plugin)")
    export.add_argument("folder", type=Path)
    export.set_defaults(run=cmd_export)

    runtime = commands.add_parser("runtime", help="fetch the pinned Pyodide from the npm registry into the cache folder")
    runtime.set_defaults(run=cmd_runtime)

    new = commands.add_parser("new", help="write a commented starting file for a page or a flow")
    new.add_argument("kind", choices=["page", "flow"])
    new.add_argument("name", help="page: a path inside the content folder such as section/new-page; flow: a name such as threat-by-letter")
    new.set_defaults(run=cmd_new)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    args.root = args.root.resolve()
    if args.run not in (cmd_init, cmd_runtime) and not (args.root / "mkdocs.yml").is_file():
        print(f"handbok: {args.root} has no mkdocs.yml; run the command in the project folder or pass --root",
              file=sys.stderr)
        return 2
    try:
        today()
        if args.run not in (cmd_init, cmd_runtime):
            settings_for(args.root)  # a base that cannot be found stops every command here, plainly
    except (ValueError, ConfigError) as exc:
        print(f"handbok: {exc}", file=sys.stderr)
        return 2
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s: %(message)s")
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
