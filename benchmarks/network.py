"""The flow engine's start on a real connection: Chromium's network emulation, two kinds of host.

Run through benchmarks/run.py (`--only network`). For each network profile (loopback, and
throttled through the DevTools protocol, `Network.emulateNetworkConditions` on the page's
session) and each host (a plain static server, and one that gzips what a typical host gzips),
side by side and taking turns in the same run:

  - the bare page: `loadPyodide()` from the npm package as published, served the same way, then
    one line of Python (what any plain Pyodide page pays);
  - the flow page as built: answerable (the static flow, `tryggt-flow-interactive`) and engine
    ready (`data-engine="ready"`);
  - a plain content page (its load event), the yardstick for "answerable".

Cold is a new browser profile; warm is the same profile in a new browser, as a reader's second
visit. The servers send the cache headers docs/publicera.md gives (the hashed runtime folders
immutable for a year, everything else revalidated) and count the bytes they put on the wire, each
request by path, so the runtime's bytes are told apart from the page's. The worker reports
when its downloads had all arrived; their bytes over that time show whether the throttle held
the worker's requests too (it does: the throughput is never above the profile's).
"""

from __future__ import annotations

import gzip
import http.server
import shutil
import statistics
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "site_tests"))
from site_support import MIME_TYPES, launch_options  # noqa: E402

FLOW = "floden/vad-gor-jag-nu.html"
PLAIN = "om/sakerhet.html"
BARE = "bench-bare.html"
NPM_DIR = "bench-npm/pyodide"  # the npm package as published, for the bare page
NPM_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json")
RUNTIME_PREFIXES = ("assets/pyodide/", "assets/flow/", "bench-npm/")
# name -> (download bits per second, latency ms) or None for no emulation
PROFILES = {"loopback": None, "20 Mbit/s, 40 ms": (20e6, 40), "2 Mbit/s, 150 ms": (2e6, 150)}
HOSTS = ("plain", "gzip")
# What the compressing host gzips: the types docs/publicera.md ("Komprimering") has nginx
# compress, and WebAssembly too (the bare page's best case); not what is packed already (.bin,
# .zip, images).
COMPRESSED_TYPES = {"text/html", "text/css", "text/javascript", "application/json", "application/wasm",
                    "image/svg+xml", "application/xml"}
WAIT_MS = 240_000

BARE_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>bare loadPyodide</title></head>
<body><p>bare loadPyodide()</p>
<script type="module">
const { loadPyodide } = await import("./NPM_DIR/pyodide.mjs");
const py = await loadPyodide({ indexURL: new URL("./NPM_DIR/", location.href).href });
py.runPython("import sys; sys.version");
performance.mark("bare-ready");
document.body.dataset.ready = "yes";
</script></body></html>
""".replace("NPM_DIR", NPM_DIR)


class Wire:
    """Bytes the server wrote (headers and bodies), by path."""

    def __init__(self):
        self.lock = threading.Lock()
        self.sent: list[tuple[str, int]] = []

    def add(self, path: str, size: int) -> None:
        with self.lock:
            self.sent.append((path, size))

    def take(self) -> dict:
        with self.lock:
            sent, self.sent = self.sent, []
        runtime = sum(size for path, size in sent if path.lstrip("/").startswith(RUNTIME_PREFIXES))
        return {"bytes": sum(size for _, size in sent), "runtime_bytes": runtime, "requests": len(sent)}


def cache_control(path: str) -> str:
    """As docs/publicera.md ("Cache") has hosts send it: the runtime's hashed folders for a year,
    everything else revalidated (the bare page's npm folder stands in for a versioned CDN path)."""
    return "public, max-age=31536000, immutable" if path.startswith(RUNTIME_PREFIXES) else "no-cache"


def _handler(site: Path, wire: Wire, compress: bool, variants: dict):
    gzipped: dict[tuple[Path, str], bytes] = {}

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, as any real host

        def log_message(self, *args):
            pass

        def do_GET(self):
            path, _, query = self.path.partition("?")
            path = path.lstrip("/")
            file = (site / path).resolve()
            if file.is_dir():
                file = file / "index.html"
            if site.resolve() not in file.parents or not file.is_file():
                self.send_error(404)
                return
            kind = MIME_TYPES.get(file.suffix, "application/octet-stream")
            body = file.read_bytes()
            variant = variants.get(query.removeprefix("variant="))
            if variant and file.suffix == ".html":  # the flow page changed as it is served
                body = variant(body.decode("utf-8")).encode("utf-8")
            encoded = compress and kind in COMPRESSED_TYPES and "gzip" in self.headers.get("Accept-Encoding", "")
            etag = f'"{file.stat().st_mtime_ns:x}-{len(body):x}"'
            if self.headers.get("If-None-Match") == etag:
                self.send_response(304)
                self.send_header("ETag", etag)
                self.send_header("Cache-Control", cache_control(path))
                self.send_header("Content-Length", "0")
                self._finish(path, b"")
                return
            if encoded:
                if (file, query) not in gzipped:
                    gzipped[(file, query)] = gzip.compress(body, compresslevel=6)
                body = gzipped[(file, query)]
            self.send_response(200)
            self.send_header("Content-Type", kind + ("; charset=utf-8" if kind.startswith("text/") else ""))
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", cache_control(path))
            self.send_header("ETag", etag)
            if encoded:
                self.send_header("Content-Encoding", "gzip")
                self.send_header("Vary", "Accept-Encoding")
            self._finish(path, body)

        def _finish(self, path: str, body: bytes) -> None:
            headers = sum(len(line) for line in self._headers_buffer) + 2
            self.end_headers()
            self.wfile.write(body)
            wire.add(path, headers + len(body))

    return Handler


@contextmanager
def serve(site: Path, wire: Wire, compress: bool, variants: dict | None = None):
    """`variants`: query "variant=<slug>" -> a function that changes an HTML page as it is served."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _handler(site, wire, compress, variants or {}))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def prepare_site(built: Path, work: Path) -> Path:
    """A copy of the built site with the bare page and the npm package as published beside it."""
    site = work / "site"
    shutil.copytree(built, site)
    npm = site / NPM_DIR
    npm.mkdir(parents=True)
    for name in NPM_FILES:
        shutil.copy2(REPO / "node_modules" / "pyodide" / name, npm / name)
    (site / BARE).write_text(BARE_PAGE, encoding="utf-8")
    return site


def _throttle(context, page, profile) -> None:
    if profile is None:
        return
    bits, latency = profile
    session = context.new_cdp_session(page)
    session.send("Network.enable")
    session.send("Network.emulateNetworkConditions", {
        "offline": False, "latency": latency, "downloadThroughput": bits / 8, "uploadThroughput": bits / 8})


def _mark(page, name: str):
    return page.evaluate(f"() => {{ const m = performance.getEntriesByName({name!r})[0]; "
                         "return m ? {t: m.startTime, detail: m.detail || null} : null; }")


def start_marks(page, kind: str) -> dict:
    """Wait for a bare Pyodide page or a flow page to be ready, and read its marks."""
    if kind == "bare":
        page.wait_for_selector("body[data-ready=yes]", timeout=WAIT_MS)
        return {"ready": _mark(page, "bare-ready")["t"]}
    page.wait_for_selector(".flow[data-engine=ready]", timeout=WAIT_MS)
    ready = _mark(page, "tryggt-flow-engine-ready")
    return {"answerable": _mark(page, "tryggt-flow-interactive")["t"], "ready": ready["t"], "phases": ready["detail"]}


def _visit(playwright, profile_dir: str, url: str, kind: str, profile, wire: Wire) -> dict:
    context = playwright.chromium.launch_persistent_context(profile_dir, **launch_options())
    try:
        page = context.new_page()
        _throttle(context, page, profile)
        wire.take()
        page.goto(url, wait_until="commit")
        if kind in ("bare", "flow"):
            result = start_marks(page, kind)
        else:
            page.wait_for_load_state("load", timeout=WAIT_MS)
            result = {"loaded": page.evaluate("performance.getEntriesByType('navigation')[0].loadEventEnd")}
        time.sleep(0.2)  # the last responses' bytes reach the counter
        result.update(wire.take())
    finally:
        context.close()
    return result


def _cold_and_warm(playwright, url: str, kind: str, profile, wire: Wire) -> dict:
    profile_dir = tempfile.mkdtemp(prefix="tryggt-bench-net-")
    try:
        cold = _visit(playwright, profile_dir, url, kind, profile, wire)
        warm = _visit(playwright, profile_dir, url, kind, profile, wire)
    finally:
        shutil.rmtree(profile_dir, ignore_errors=True)
    return {"cold": cold, "warm": warm}


def _median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def _summary(samples: list[dict], profile) -> dict:
    out = {}
    for temperature in ("cold", "warm"):
        rows = [s[temperature] for s in samples]
        entry = {key: _median([r.get(key) for r in rows])
                 for key in ("ready", "answerable", "loaded", "bytes", "runtime_bytes", "requests")}
        downloads = [(r["runtime_bytes"], r["phases"].get("downloads")) for r in rows
                     if r.get("phases") and r["phases"].get("downloads")]
        if downloads:
            # The worker's own downloads, over the time until their last byte arrived.
            entry["worker_mbit_s"] = _median([8 * b / (ms / 1000) / 1e6 for b, ms in downloads])
        out[temperature] = entry
    return out


def measure(built_site: Path, runs: dict[str, int], hosts=HOSTS, kinds=("bare", "flow", "plain"),
            kinds_by_profile: dict[str, tuple] | None = None) -> dict:
    """`runs`: profile name -> runs (profiles not named are not measured); `kinds_by_profile`:
    the pages measured under a profile, when not all of `kinds`."""
    from playwright.sync_api import sync_playwright

    work = Path(tempfile.mkdtemp(prefix="tryggt-bench-network-"))
    results: dict = {"flow": FLOW, "plain": PLAIN, "runs": runs, "profiles": {}}
    try:
        site = prepare_site(built_site, work)
        urls = {"bare": BARE, "flow": FLOW, "plain": PLAIN}
        with sync_playwright() as playwright:
            for name, count in runs.items():
                profile = PROFILES[name]
                chosen = (kinds_by_profile or {}).get(name, kinds)
                for host in hosts:
                    wire = Wire()
                    samples: dict[str, list] = {kind: [] for kind in chosen}
                    with serve(site, wire, compress=host == "gzip") as base:
                        for _ in range(count):
                            for kind in chosen:  # taking turns, so a busy moment falls on all alike
                                samples[kind].append(_cold_and_warm(playwright, base + urls[kind], kind, profile, wire))
                    entry = {kind: _summary(found, profile) for kind, found in samples.items()}
                    if "bare" in entry and "flow" in entry:
                        entry["ratio_ready_cold"] = entry["flow"]["cold"]["ready"] / entry["bare"]["cold"]["ready"]
                    if "plain" in entry and "flow" in entry:
                        entry["answerable_over_plain"] = entry["flow"]["cold"]["answerable"] / entry["plain"]["cold"]["loaded"]
                    results["profiles"].setdefault(name, {})[host] = entry
        return results
    finally:
        shutil.rmtree(work, ignore_errors=True)


def render(section: dict) -> list[str]:
    def s(value):
        return "–" if value is None else f"{value / 1000:.2f} s"

    def mb(value):
        return "–" if value is None else f"{value / 1e6:.2f} MB"

    lines = [
        f"Flow page `{section['flow']}`, plain page `{section['plain']}`; runs per profile: "
        + ", ".join(f"{name} {count}" for name, count in section["runs"].items())
        + " (medians). Chromium's network emulation (DevTools protocol) on the page's session; cold: a new "
        "profile, warm: the same profile in a new browser. Times from navigation start by the page's clock. "
        "Bytes: what the server put on the wire (headers and bodies), all requests of the visit; "
        "runtime: Pyodide, the stdlib and the engine. The bare page loads the npm package as published.",
        "",
        "| profile | host | bare `loadPyodide()` ready | flow answerable | flow engine ready | ready ÷ bare | "
        "plain page loaded | answerable ÷ plain | worker's downloads | bytes cold: bare / flow (runtime) | "
        "bytes warm: bare / flow | warm: flow ready |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for name, hosts in section["profiles"].items():
        limit = PROFILES[name]
        for host, entry in hosts.items():
            bare, flow, plain = entry.get("bare"), entry.get("flow"), entry.get("plain")
            speed = flow["cold"].get("worker_mbit_s") if flow else None
            speed_text = "–" if speed is None else f"{speed:.1f} Mbit/s" + (f" (limit {limit[0] / 1e6:.0f})" if limit else "")
            ratio = entry.get("ratio_ready_cold")
            over_plain = entry.get("answerable_over_plain")
            lines.append(
                f"| {name} | {host} | {s(bare['cold']['ready']) if bare else '–'} | "
                f"{s(flow['cold']['answerable']) if flow else '–'} | {s(flow['cold']['ready']) if flow else '–'} | "
                f"{'–' if ratio is None else f'**{ratio:.2f}**'} | {s(plain['cold']['loaded']) if plain else '–'} | "
                f"{'–' if over_plain is None else f'{over_plain:.2f}'} | {speed_text} | "
                f"{mb(bare['cold']['bytes']) if bare else '–'} / {mb(flow['cold']['bytes']) if flow else '–'} "
                f"({mb(flow['cold']['runtime_bytes']) if flow else '–'}) | "
                f"{mb(bare['warm']['bytes']) if bare else '–'} / {mb(flow['warm']['bytes']) if flow else '–'} | "
                f"{s(flow['warm']['ready']) if flow else '–'} |")
    return lines
