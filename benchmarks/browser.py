"""Browser-side benchmark on loopback: where a flow page's start goes, variant by variant.

Run through benchmarks/run.py (`--only browser`). Headless Chromium (the system one, or
TRYGGT_CHROMIUM) against the plain static server of benchmarks/network.py (cache headers as
docs/publicera.md gives them, bytes counted on the wire). Every start is measured in a new
persistent profile (cold) and then again in the same profile (warm). Side by side in the same run:

  - the bare page: `loadPyodide()` from the npm package as published, on the main thread, then
    one line of Python (the floor any plain Pyodide page pays);
  - the flow page as built (the cut-down precompiled stdlib, gzipped runtime, in a module worker);
  - the same page without the head start (flow.js starts the worker), with the opt-in memory
    snapshot (plugin option `snapshot`), and with the package's whole stdlib (a build without
    Node), each made by changing the page's data attributes as it is served.

Times come from the page's own clock (performance marks, relative to navigation start), so they
do not include Playwright's overhead. The network profiles are benchmarks/network.py.
"""

from __future__ import annotations

import json
import re
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import network  # noqa: E402

from generator.runtime import fast_start_files, pyodide_package  # noqa: E402  (run.py puts the repository on the path)
from generator.engine_bundle import engine_zip_bytes  # noqa: E402

FLOW, PLAIN, BARE = network.FLOW, network.PLAIN, network.BARE
AS_BUILT = "flow as built"
VARIANTS = [AS_BUILT, "flow, no head start (flow.js starts the worker)",
            "flow + snapshot (option snapshot: true)", "flow, whole stdlib (a build without Node)"]
PARTS = "bench-parts.html"
WAIT_MS = 180_000

# The parts of a cold start, each alone in a fresh profile: the wasm's download, unpacking and
# streaming compile together; the stdlib's download and unpacking; the snapshot's.
PARTS_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>parts of a start</title></head>
<body><p>parts</p>
<script type="module">
const at = () => performance.now();
const unpacked = async (url) => (await fetch(url)).body.pipeThrough(new DecompressionStream("gzip"));
let t = at();
await WebAssembly.compileStreaming(new Response(await unpacked("./PYODIDE/pyodide.asm.wasm.bin"),
  { headers: { "Content-Type": "application/wasm" } }));
const wasm = at() - t; t = at();
await new Response(await unpacked("./STDLIB")).arrayBuffer();
const stdlib = at() - t; t = at();
const bytes = await new Response(await unpacked("./SNAPSHOT")).arrayBuffer();
const snapshot = at() - t;
document.body.dataset.parts = JSON.stringify({wasm_download_unpack_compile: wasm, stdlib_download_unpack: stdlib,
  snapshot_download_unpack: snapshot, snapshot_mb: bytes.byteLength / 1e6});
</script></body></html>
"""


def _slug(name: str) -> str:
    return re.sub(r"[^a-z]+", "-", name.lower()).strip("-")


def _set_attribute(html: str, name: str, value: str | None) -> str:
    """The flow block's and the head-start script's attribute `name` set to `value` (None: removed)."""
    html = re.sub(rf'\s{name}="[^"]*"', "", html)
    if value is None:
        return html
    html = html.replace('<div class="flow" ', f'<div class="flow" {name}="{value}" ', 1)
    return re.sub(r'(<script[^>]*flow-boot\.js")', rf'\1 {name}="{value}"', html)


def variant_pages(site: Path) -> dict[str, object]:
    """Query slug -> a function that turns the served flow page into that variant. Puts the files
    the variants need into the site: the snapshot, the package's stdlib."""
    page = (site / FLOW).read_text(encoding="utf-8")
    sizes = dict(pair.split("=") for pair in re.search(r'data-runtime-sizes="([^"]*)"', page).group(1).split())
    snapshot = fast_start_files(pyodide_package(network.REPO), engine_zip_bytes(), snapshot=True)[1]
    (site / "assets" / "flow" / snapshot.name).write_bytes(snapshot.read_bytes())
    whole = site / network.NPM_DIR / "python_stdlib.zip"

    def with_sizes(html: str, **more) -> str:
        return _set_attribute(html, "data-runtime-sizes", " ".join(f"{k}={v}" for k, v in {**sizes, **more}.items()))

    return {
        _slug(VARIANTS[1]): lambda html: re.sub(r"<script[^>]*flow-boot\.js[^>]*></script>", "", html),
        _slug(VARIANTS[2]): lambda html: with_sizes(_set_attribute(html, "data-snapshot", f"assets/flow/{snapshot.name}"),
                                                   snapshot=snapshot.stat().st_size),
        _slug(VARIANTS[3]): lambda html: with_sizes(_set_attribute(html, "data-stdlib", f"{network.NPM_DIR}/python_stdlib.zip"),
                                                   stdlib=whole.stat().st_size),
    }, snapshot.name


def prepare_site(built: Path, work: Path) -> tuple[Path, dict]:
    site = network.prepare_site(built, work)
    variants, snapshot_name = variant_pages(site)
    page = (site / FLOW).read_text(encoding="utf-8")
    pyodide = re.search(r'data-pyodide="([^"]+)"', page).group(1)
    stdlib = re.search(r'data-stdlib="([^"]+)"', page).group(1)
    (site / PARTS).write_text(PARTS_PAGE.replace("./PYODIDE/", "./" + pyodide).replace("./STDLIB", "./" + stdlib)
                              .replace("./SNAPSHOT", f"./assets/flow/{snapshot_name}"), encoding="utf-8")
    return site, variants


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
        result = network.start_marks(page, kind)
    elif kind == "flow":
        result = {**network.start_marks(page, kind), "steps": _step_times(page)}
    elif kind == "parts":
        page.wait_for_selector("body[data-parts]", timeout=WAIT_MS)
        result = {"parts": json.loads(page.get_attribute("body", "data-parts"))}
    else:
        page.wait_for_load_state("networkidle")
        result = {}
    page.close()
    return result


def _cold_and_warm(browser_type, url: str, kind: str, wire) -> dict:
    profile = tempfile.mkdtemp(prefix="tryggt-bench-profile-")
    try:
        context = browser_type.launch_persistent_context(profile, **network.launch_options())
        wire.take()
        cold = _load(context, url, kind)
        cold.update(wire.take())
        warm = _load(context, url, kind)
        warm.update(wire.take())
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
    wire = network.Wire()
    try:
        site, transforms = prepare_site(built_site, work)
        samples: dict[str, list[dict]] = {"bare": [], "plain page": []}
        parts: list[dict] = []
        variants = variants or list(VARIANTS)
        samples.update({name: [] for name in variants})
        with network.serve(site, wire, compress=False, variants=transforms) as base, sync_playwright() as playwright:
            for _ in range(runs):
                # Interleaved, so a busy moment of the machine falls on every variant alike.
                samples["bare"].append(_cold_and_warm(playwright.chromium, base + BARE, "bare", wire))
                for name in variants:
                    url = f"{base}{FLOW}" + ("" if name == AS_BUILT else f"?variant={_slug(name)}")
                    samples[name].append(_cold_and_warm(playwright.chromium, url, "flow", wire))
                samples["plain page"].append(_cold_and_warm(playwright.chromium, base + PLAIN, "plain", wire))
                parts.append(_cold_and_warm(playwright.chromium, base + PARTS, "parts", wire)["cold"]["parts"])
        summary: dict = {"runs": runs, "flow": FLOW, "plain": PLAIN, "pages": {},
                         "parts_ms": {key: _median([p[key] for p in parts]) for key in parts[0]}}
        for name, runs_of in samples.items():
            entry = {}
            for temperature in ("cold", "warm"):
                rows = [r[temperature] for r in runs_of]
                entry[temperature] = {
                    "answerable_ms": _median([r.get("answerable") for r in rows]),
                    "ready_ms": _median([r.get("ready") for r in rows]),
                    "step_ms": _median([t for r in rows for t in r.get("steps", [])]),
                    "bytes": _median([r["bytes"] for r in rows]),
                    "runtime_bytes": _median([r["runtime_bytes"] for r in rows]),
                    "phases_ms": {key: _median([r["phases"][key] for r in rows if r.get("phases")])
                                  for key in ("import", "load", "downloads")} if rows[0].get("phases") else None,
                }
            summary["pages"][name] = entry
        bare = summary["pages"]["bare"]
        built = summary["pages"][AS_BUILT]
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
        f"Loopback, plain static server. Flow page `{section['flow']}`, plain page `{section['plain']}`; median of "
        f"{section['runs']} run(s). Times from navigation start, by the page's own clock. Cold: a new browser profile. "
        "Warm: the same page again in the same profile. Bytes: what the server put on the wire; runtime: "
        "Pyodide, the stdlib, the engine (and the snapshot).",
        "",
        "| page | cold: answerable | cold: engine ready | warm: answerable | warm: engine ready | per step | "
        "cold bytes (runtime) | warm bytes |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name, entry in section["pages"].items():
        cold, warm = entry["cold"], entry["warm"]
        lines.append(f"| {name} | {ms(cold['answerable_ms'])} | {ms(cold['ready_ms'])} | {ms(warm['answerable_ms'])} "
                     f"| {ms(warm['ready_ms'])} | {ms(cold['step_ms'])} | {mb(cold['bytes'])} ({mb(cold['runtime_bytes'])}) "
                     f"| {mb(warm['bytes'])} |")
    lines += [
        "",
        f"**Engine ready, flow as built ÷ bare `loadPyodide()`: {section['ratio_cold']:.2f} cold, "
        f"{section['ratio_warm']:.2f} warm** (goal: at most 0.4 cold).",
        "",
        "Inside the worker (cold, median): the import of `pyodide.mjs`; `loadPyodide` and the engine's import "
        "(the wasm's streaming compile, Python's start, the standard library or the snapshot); and when the "
        "last of the worker's downloads had arrived, from the worker's start.",
        "",
        "| variant | import | loadPyodide + engine | downloads arrived |",
        "|---|---|---|---|",
    ]
    for name, entry in section["pages"].items():
        phases = entry["cold"]["phases_ms"]
        if phases:
            lines.append(f"| {name} | {ms(phases['import'])} | {ms(phases['load'])} | {ms(phases['downloads'])} |")
    parts = section.get("parts_ms") or {}
    if parts:
        lines += [
            "",
            "The parts of a cold start, each alone on a page of its own in a fresh profile (median): the wasm's "
            f"download, unpacking and streaming compile {ms(parts['wasm_download_unpack_compile'])}; the cut-down "
            f"stdlib's download and unpacking {ms(parts['stdlib_download_unpack'])}; the snapshot's "
            f"({parts['snapshot_mb']:.0f} MB unpacked) {ms(parts['snapshot_download_unpack'])}.",
        ]
    return lines
