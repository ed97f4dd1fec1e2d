"""The flows' runtime as the worker fetches it: progress, packed files on any host, and its checks.

What the worker sends the page is recorded by wrapping the page's Worker (every message, as sent).
Each test starts Pyodide once at most.
"""

from __future__ import annotations

import gzip
import re

from playwright.sync_api import expect

from flow_driver import engine_ready
from site_support import SUB_PATH, serve_site

FLOW = "floden/vad-gor-jag-nu.html"
PLAIN = "om/sakerhet.html"
RUNTIME = re.compile(r"/assets/(pyodide|flow)/|flow-worker\.js|flow-start\.mjs")

# Every message the flow worker posts, in order, in window.tryggtWorkerMessages.
_RECORD = """(() => {
  const Real = window.Worker;
  window.tryggtWorkerMessages = [];
  window.Worker = class extends Real {
    constructor(...args) {
      super(...args);
      this.addEventListener("message", (event) => window.tryggtWorkerMessages.push(event.data));
    }
  };
})();"""


def _sizes(page) -> dict[str, int]:
    text = page.locator(".flow").get_attribute("data-runtime-sizes")
    return {name: int(size) for name, size in (pair.split("=") for pair in text.split())}


def _messages(page) -> list[dict]:
    return page.evaluate("window.tryggtWorkerMessages")


def _recording(new_context):
    context = new_context()
    context.add_init_script(_RECORD)
    return context


def test_the_worker_reports_its_downloads_until_they_have_all_arrived(new_context, base_url):
    page = _recording(new_context).new_page()
    page.goto(base_url + FLOW)
    engine_ready(page)
    sizes = _sizes(page)
    messages = _messages(page)
    kinds = [m["type"] for m in messages]
    assert kinds.count("ready") == 1 and "progress" not in kinds[kinds.index("ready"):], kinds
    progress = [m for m in messages if m["type"] == "progress"]
    total = sizes["asm"] + sizes["wasm"] + sizes["stdlib"] + sizes["engine"]
    assert all(m["total"] == total for m in progress), progress
    loaded = [m["loaded"] for m in progress]
    assert loaded == sorted(loaded) and loaded[0] > 0
    done = [m for m in progress if m["done"]]
    assert len(done) == 1 and progress[-1] is done[0], "one done: true, the last progress message"
    assert done[0]["loaded"] == total, "every byte as the site stores it, counted once"


def test_the_pages_without_a_flow_load_nothing_of_the_runtime(new_context, base_url):
    page = new_context().new_page()
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(base_url + PLAIN)
    page.wait_for_load_state("networkidle")
    assert requested and not [url for url in requested if RUNTIME.search(url)]


def test_a_wasm_file_that_is_not_webassembly_ends_the_start_at_once(new_context, base_url):
    # An error page served with status 200 in place of the wasm: Pyodide alone would wait forever.
    context = _recording(new_context)
    context.route("**/pyodide.asm.wasm.bin", lambda route: route.fulfill(
        status=200, body="<!doctype html><title>Not here</title>", content_type="text/html"))
    page = context.new_page()
    page.goto(base_url + FLOW)
    expect(page.locator(".flow")).to_have_attribute("data-engine", "unavailable", timeout=30_000)
    failed = [m for m in _messages(page) if m["type"] == "failed"]
    assert failed and "not WebAssembly" in failed[0]["reason"], failed
    steps = page.locator("section.flow-step, section.flow-outcome")
    assert all(steps.nth(i).is_visible() for i in range(steps.count())), "the static flow stays"


def test_packed_files_that_the_host_sends_unpacked_still_start_the_engine(new_context, base_url, site_dir):
    # A host that sends the .bin files with Content-Encoding: gzip has them unpacked by the browser.
    context = _recording(new_context)

    def unpacked(route):
        path = route.request.url.split(SUB_PATH, 1)[1].split("?")[0]
        route.fulfill(status=200, body=gzip.decompress((site_dir / path).read_bytes()),
                      content_type="application/octet-stream")

    context.route(re.compile(r".*/assets/(pyodide/[^/]+|flow)/[^/]+\.bin$"), unpacked)
    page = context.new_page()
    page.goto(base_url + FLOW)
    engine_ready(page)


def test_a_host_whose_csp_refuses_blob_modules_gets_the_plain_module(new_context, site_dir):
    policy = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval' 'unsafe-inline'; worker-src 'self'"
    with serve_site(site_dir, SUB_PATH, headers={"Content-Security-Policy": policy}) as base:
        context = _recording(new_context)
        page = context.new_page()
        plain = []
        page.on("request", lambda request: plain.append(request.url) if request.url.endswith("pyodide.asm.mjs") else None)
        page.goto(base + FLOW)
        engine_ready(page)
        sizes = _sizes(page)
        assert plain, "the plain Emscripten module was not fetched"
        done = [m for m in _messages(page) if m["type"] == "progress" and m["done"]]
        assert done and done[0]["total"] == sizes["asm"] + sizes["asm_plain"] + sizes["wasm"] + sizes["stdlib"] + sizes["engine"]


def test_a_refused_snapshot_falls_back_to_the_start_without_it(new_context, base_url):
    # The snapshot is opt-in (plugin option `snapshot`): a page that names one, and a file that
    # is not one for this Pyodide, start the ordinary way.
    context = _recording(new_context)

    def with_snapshot(route):
        html = route.fetch().text()
        html = html.replace('data-stdlib="', 'data-snapshot="assets/flow/snapshot-0.bin" data-stdlib="')
        route.fulfill(status=200, body=html, content_type="text/html; charset=utf-8")

    context.route(f"**/{FLOW}", with_snapshot)
    context.route("**/assets/flow/snapshot-0.bin",
                  lambda route: route.fulfill(body=gzip.compress(b"not a snapshot"), content_type="application/octet-stream"))
    page = context.new_page()
    page.goto(base_url + FLOW)
    assert page.locator(".flow").get_attribute("data-snapshot")
    engine_ready(page)
    failed = [m for m in _messages(page) if m["type"] == "failed"]
    assert failed and failed[0]["snapshotRefused"] is True, failed
