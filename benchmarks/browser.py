"""Browser-side benchmark: how fast a flow page becomes answerable and engine-ready, and what it costs.

Run through benchmarks/run.py (`--only browser`). Headless Chromium (the system one, or
TRYGGT_CHROMIUM) against a local static server that sends cache headers and counts the bytes it
sends. Every start is measured in a new persistent profile (cold) and then again in the same
profile (warm: the wasm and its compiled code come from the browser's cache). Side by side in the
same run:

  - the bare page: `loadPyodide()` from the same vendored files on the main thread, then one line
    of Python (the floor any plain Pyodide page pays);
  - the flow page as built (precompiled stdlib and memory snapshot, in a module worker);
  - the same flow page with only the precompiled stdlib, and with neither (the fallback path),
    made by leaving out the page's data-snapshot / data-stdlib attributes as it is served.

Times come from the page's own clock (performance marks, relative to navigation start), so they
do not include Playwright's overhead.
"""

from __future__ import annotations

import functools
import gzip
import http.server
import json
import os
import re
import shutil
import statistics
import sys
import tempfile
import threading
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "site_tests"))
from site_support import MIME_TYPES, launch_options  # noqa: E402

FLOW = "floden/vad-gor-jag-nu.html"
PLAIN = "om/sakerhet.html"
BARE = "bench-bare.html"
VARIANTS = {  # name -> what is left out of the flow page as it is served
    "flow, stdlib + snapshot (as built)": (),
    "flow, as built but no head start (flow.js starts the worker)": ("flow-boot",),
    "flow, precompiled stdlib only": ("data-snapshot",),
    "flow, ordinary start": ("data-snapshot", "data-stdlib"),
}
PARTS = "bench-parts.html"
WAIT_MS = 180_000

BARE_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>bare loadPyodide</title></head>
<body><p>bare loadPyodide()</p>
<script type="module">
const { loadPyodide } = await import("./assets/pyodide/VERSION/pyodide.mjs");
const py = await loadPyodide({ indexURL: new URL("./assets/pyodide/VERSION/", location.href).href });
py.runPython("import sys; sys.version");
performance.mark("bare-ready");
document.body.dataset.ready = "yes";
</script></body></html>
"""


# The parts of a cold start, each alone in a fresh profile: download the wasm; compile it; download
# the precompiled stdlib and the snapshot and unpack the snapshot.
PARTS_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>parts of a start</title></head>
<body><p>parts</p>
<script type="module">
const at = () => performance.now();
let t = at();
const wasm = await (await fetch("./assets/pyodide/VERSION/pyodide.asm.wasm")).arrayBuffer();
const download = at() - t; t = at();
await WebAssembly.compile(wasm);
const compile = at() - t; t = at();
const flow = "./FLOWDIR/";
await (await fetch(flow + "STDLIB")).arrayBuffer();
const stdlib = at() - t; t = at();
const packed = await fetch(flow + "SNAPSHOT");
const bytes = await new Response(packed.body.pipeThrough(new DecompressionStream("gzip"))).arrayBuffer();
const snapshot = at() - t;
document.body.dataset.parts = JSON.stringify({wasm_download: download, wasm_compile: compile,
  stdlib_download: stdlib, snapshot_download_unpack: snapshot, snapshot_mb: bytes.byteLength / 1e6});
</script></body></html>
"""


class Counter:
    def __init__(self):
        self.lock = threading.Lock()
        self.raw = 0
        self.gzipped = 0

    def add(self, raw: int, gzipped: int) -> None:
        with self.lock:
            self.raw += raw
            self.gzipped += gzipped

    def take(self) -> tuple[int, int]:
        with self.lock:
            taken = (self.raw, self.gzipped)
            self.raw = self.gzipped = 0
            return taken


@functools.lru_cache(maxsize=None)
def _gzip_size(path: str, mtime: float) -> int:
    return len(gzip.compress(Path(path).read_bytes(), compresslevel=6))


def _handler(site: Path, counter: Counter):
    class Handler(http.server.SimpleHTTPRequestHandler):
        extensions_map = dict(MIME_TYPES)

        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=str(site), **kwargs)

        def log_message(self, *args):
            pass

        def send_response(self, code, message=None):
            self.status_sent = code
            super().send_response(code, message)

        def end_headers(self):
            # An hour of freshness, as a host would send for static files; no revalidation when warm.
            self.send_header("Cache-Control", "public, max-age=3600")
            super().end_headers()

        def do_GET(self):
            path, _, query = self.path.partition("?")
            file = Path(self.translate_path(path))
            strip = [a for name, attrs in VARIANTS.items() for a in attrs if query == f"variant={_slug(name)}"]
            if strip and file.suffix == ".html":
                text = file.read_text(encoding="utf-8")
                for attribute in strip:
                    if attribute == "flow-boot":
                        text = re.sub(r'<script[^>]*flow-boot\.js[^>]*></script>', "", text)
                    else:
                        text = re.sub(rf'\s{attribute}="[^"]*"', "", text)
                body = text.encode("utf-8")
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                counter.add(len(body), len(gzip.compress(body, compresslevel=6)))
                return
            self.status_sent = None
            super().do_GET()
            if self.status_sent == 200 and file.is_file():
                counter.add(file.stat().st_size, _gzip_size(str(file), file.stat().st_mtime))

    return Handler


def _slug(name: str) -> str:
    return re.sub(r"[^a-z]+", "-", name.lower()).strip("-")


@contextmanager
def serve(site: Path, counter: Counter):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _handler(site, counter))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def prepare_site(built: Path, work: Path) -> Path:
    """A copy of the built site plus the bare page and Pyodide's own stdlib (which the bare page
    and the ordinary start need; a fast-start build leaves it out)."""
    site = work / "site"
    shutil.copytree(built, site)
    pyodide_dirs = sorted((site / "assets" / "pyodide").iterdir())
    version = pyodide_dirs[-1].name
    stdlib = pyodide_dirs[-1] / "python_stdlib.zip"
    if not stdlib.exists():
        shutil.copy2(REPO / "node_modules" / "pyodide" / "python_stdlib.zip", stdlib)
    (site / BARE).write_text(BARE_PAGE.replace("VERSION", version), encoding="utf-8")
    flow_page = (site / FLOW).read_text(encoding="utf-8")
    stdlib_path = re.search(r'data-stdlib="([^"]+)"', flow_page)
    snapshot_path = re.search(r'data-snapshot="([^"]+)"', flow_page)
    if stdlib_path and snapshot_path:
        folder, stdlib_name = stdlib_path.group(1).rsplit("/", 1)
        (site / PARTS).write_text(PARTS_PAGE.replace("VERSION", version).replace("FLOWDIR", folder)
                                  .replace("STDLIB", stdlib_name)
                                  .replace("SNAPSHOT", snapshot_path.group(1).rsplit("/", 1)[1]), encoding="utf-8")
    return site


def _mark(page, name: str):
    return page.evaluate(f"() => {{ const m = performance.getEntriesByName({name!r})[0]; "
                         "return m ? {t: m.startTime, detail: m.detail || null} : null; }")


def _step_times(page, steps: int = 3) -> list[float]:
    """Milliseconds from a click on an answer to the next step shown, with the engine routing."""
    times = []
    for _ in range(steps):
        elapsed = page.evaluate("""() => new Promise((resolve) => {
            const root = document.querySelector('.flow');
            const before = root.dataset.current;
            const option = document.querySelector(`section[data-node="${before}"] a.flow-option`);
            if (!option) return resolve(null);
            const t0 = performance.now();
            new MutationObserver((_, observer) => {
                if (root.dataset.current !== before) { observer.disconnect(); resolve(performance.now() - t0); }
            }).observe(root, {attributes: true, attributeFilter: ['data-current']});
            option.click();
        })""")
        if elapsed is None:
            break
        times.append(elapsed)
        page.get_by_role("button", name="Börja om").click()
    return times


def _load(context, url: str, kind: str) -> dict:
    page = context.new_page()
    page.goto(url)
    if kind == "bare":
        page.wait_for_selector("body[data-ready=yes]", timeout=WAIT_MS)
        result = {"ready": _mark(page, "bare-ready")["t"]}
    elif kind == "flow":
        page.wait_for_selector(".flow[data-engine=ready]", timeout=WAIT_MS)
        ready = _mark(page, "tryggt-flow-engine-ready")
        result = {"answerable": _mark(page, "tryggt-flow-interactive")["t"], "ready": ready["t"],
                  "phases": ready["detail"], "steps": _step_times(page)}
    elif kind == "parts":
        page.wait_for_selector("body[data-parts]", timeout=WAIT_MS)
        result = {"parts": json.loads(page.get_attribute("body", "data-parts"))}
    else:
        page.wait_for_load_state("networkidle")
        result = {}
    page.close()
    return result


def _cold_and_warm(browser_type, url: str, kind: str, counter: Counter) -> dict:
    profile = tempfile.mkdtemp(prefix="tryggt-bench-profile-")
    try:
        context = browser_type.launch_persistent_context(profile, **launch_options())
        counter.take()
        cold = _load(context, url, kind)
        cold["bytes"], cold["bytes_gzip"] = counter.take()
        warm = _load(context, url, kind)
        warm["bytes"], warm["bytes_gzip"] = counter.take()
        context.close()
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    return {"cold": cold, "warm": warm}


def _median(values: list) -> float | None:
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def measure(built_site: Path, runs: int, variants: list[str] | None = None) -> dict:
    from playwright.sync_api import sync_playwright

    work = Path(tempfile.mkdtemp(prefix="tryggt-bench-browser-"))
    counter = Counter()
    try:
        site = prepare_site(built_site, work)
        samples: dict[str, list[dict]] = {"bare": [], "plain page": []}
        parts: list[dict] = []
        variants = variants or list(VARIANTS)
        samples.update({name: [] for name in variants})
        with serve(site, counter) as base, sync_playwright() as playwright:
            for _ in range(runs):
                # Interleaved, so a busy moment of the machine falls on every variant alike.
                samples["bare"].append(_cold_and_warm(playwright.chromium, base + BARE, "bare", counter))
                for name in variants:
                    url = f"{base}{FLOW}?variant={_slug(name)}"
                    samples[name].append(_cold_and_warm(playwright.chromium, url, "flow", counter))
                samples["plain page"].append(_cold_and_warm(playwright.chromium, base + PLAIN, "plain", counter))
                if (site / PARTS).is_file():
                    parts.append(_cold_and_warm(playwright.chromium, base + PARTS, "parts", counter)["cold"]["parts"])
        summary: dict = {"runs": runs, "flow": FLOW, "plain": PLAIN, "pages": {},
                         "parts_ms": {key: _median([p[key] for p in parts]) for key in (parts[0] if parts else {})}}
        for name, runs_of in samples.items():
            entry = {}
            for temperature in ("cold", "warm"):
                rows = [r[temperature] for r in runs_of]
                entry[temperature] = {
                    "answerable_ms": _median([r.get("answerable") for r in rows]),
                    "ready_ms": _median([r.get("ready") for r in rows]),
                    "step_ms": _median([t for r in rows for t in r.get("steps", [])]),
                    "bytes": _median([r["bytes"] for r in rows]),
                    "bytes_gzip": _median([r["bytes_gzip"] for r in rows]),
                    "phases_ms": {key: _median([r["phases"][key] for r in rows if r.get("phases")])
                                  for key in ("import", "load", "engine")} if rows[0].get("phases") else None,
                }
            summary["pages"][name] = entry
        bare = summary["pages"]["bare"]
        built = summary["pages"]["flow, stdlib + snapshot (as built)"]
        summary["ratio_cold"] = built["cold"]["ready_ms"] / bare["cold"]["ready_ms"]
        summary["ratio_warm"] = built["warm"]["ready_ms"] / bare["warm"]["ready_ms"]
        return summary
    finally:
        shutil.rmtree(work, ignore_errors=True)


def render(section: dict) -> list[str]:
    def ms(value):
        return "–" if value is None else f"{value / 1000:.2f} s" if value >= 1000 else f"{value:.0f} ms"

    def mb(value):
        return "–" if value is None else f"{value / 1e6:.2f} MB"

    lines = [
        f"Flow page `{section['flow']}`, plain page `{section['plain']}`; median of {section['runs']} run(s). "
        "Times from navigation start, by the page's own clock. Cold: a new browser profile. "
        "Warm: the same page again in the same profile. Bytes: what the server sent (raw), and what "
        "it would send gzipping every response.",
        "",
        "| page | cold: answerable | cold: engine ready | warm: answerable | warm: engine ready | per step | cold bytes (gzip) | warm bytes |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name, entry in section["pages"].items():
        cold, warm = entry["cold"], entry["warm"]
        lines.append(f"| {name} | {ms(cold['answerable_ms'])} | {ms(cold['ready_ms'])} | {ms(warm['answerable_ms'])} "
                     f"| {ms(warm['ready_ms'])} | {ms(cold['step_ms'])} | {mb(cold['bytes'])} ({mb(cold['bytes_gzip'])}) "
                     f"| {mb(warm['bytes'])} |")
    lines += [
        "",
        f"**Engine ready, flow as built ÷ bare `loadPyodide()`: {section['ratio_cold']:.2f} cold, "
        f"{section['ratio_warm']:.2f} warm** (goal: at most 0.4 cold).",
        "",
        "Where the time goes inside the worker (cold, median): import of `pyodide.mjs`; `loadPyodide` "
        "(wasm download and compile, Python start-up, standard library or snapshot); the engine "
        "(import or unpack, first run).",
        "",
        "| variant | import | loadPyodide | engine |",
        "|---|---|---|---|",
    ]
    for name, entry in section["pages"].items():
        phases = entry["cold"]["phases_ms"]
        if phases:
            lines.append(f"| {name} | {ms(phases['import'])} | {ms(phases['load'])} | {ms(phases['engine'])} |")
    parts = section.get("parts_ms") or {}
    if parts:
        lines += [
            "",
            "The parts of a cold start, each alone on a page of its own in a fresh profile (median): "
            f"download of the wasm {ms(parts['wasm_download'])}, its compile {ms(parts['wasm_compile'])}, "
            f"download of the precompiled stdlib {ms(parts['stdlib_download'])}, download and unpacking of the "
            f"snapshot ({parts['snapshot_mb']:.0f} MB unpacked) {ms(parts['snapshot_download_unpack'])}. "
            "What is left of `loadPyodide` beyond these is Python's own start: the standard library's "
            "imports without the snapshot, the restore of the memory with it.",
        ]
    return lines
