"""Helpers shared by the browser tests (conftest.py) and the screenshot script.

Nothing here talks to the network: the site is built locally, served on 127.0.0.1 under a
sub-path, and opened in the system Chromium (or Playwright's own browser as a fallback).
"""

from __future__ import annotations

import contextlib
import http.server
import io
import os
import subprocess
import sys
import tempfile
import threading
import urllib.parse
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
AXE_JS = REPO_ROOT / "node_modules" / "axe-core" / "axe.min.js"

# The site is served below this prefix, so every test also proves that it works under a sub-path.
SUB_PATH = "/intranat/handbok/"

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
TIMEOUT_MS = 20_000  # for waiting, never for asserting how fast something is
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

# The day the builds take for today (TRYGGT_TODAY), so the content's review dates do not age out
# under the tests; on or after the newest `reviewed` of the content (as in tests/conftest.py).
TODAY = "2026-12-01"
# Where the quick exit leads in the test build: a page of the local test server (there is no
# internet here), given through the setting, which mkdocs.yml reads with MkDocs' !ENV. Without
# it the built site would lead to the handbook's everyday page, out on the internet.
QUICK_EXIT_PATH = "/vader.html"
QUICK_EXIT_PAGE = ("<!doctype html><html lang=sv><head><meta charset=utf-8><title>Väder</title></head>"
                   "<body><h1>Väder</h1><p>Växlande molnighet.</p></body></html>")
BUILD_ENV = {**os.environ, "TRYGGT_TODAY": TODAY, "TRYGGT_QUICK_EXIT_URL": QUICK_EXIT_PATH}

DEFAULT_CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# What an intranet web server is documented to send. Anything else falls back to the defaults.
MIME_TYPES = {
    ".html": "text/html",
    ".htm": "text/html",
    ".css": "text/css",
    ".js": "text/javascript",
    ".mjs": "text/javascript",
    ".wasm": "application/wasm",
    ".json": "application/json",
    ".map": "application/json",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".ico": "image/x-icon",
    ".txt": "text/plain",
    ".pdf": "application/pdf",
    ".zip": "application/zip",
    ".bin": "application/octet-stream",
    ".whl": "application/zip",
    ".tar": "application/x-tar",
    ".py": "text/x-python",
    ".xml": "application/xml",
    "": "application/octet-stream",
}


def launch_options() -> dict:
    """Keyword arguments for `playwright.chromium.launch`.

    TRYGGT_CHROMIUM picks a browser binary; otherwise the system Chromium when it exists;
    otherwise Playwright's own browser (no executable_path).
    """
    options: dict = {"headless": True, "args": list(CHROMIUM_ARGS)}
    executable = os.environ.get("TRYGGT_CHROMIUM") or (DEFAULT_CHROMIUM if os.path.exists(DEFAULT_CHROMIUM) else None)
    if executable:
        options["executable_path"] = executable
    return options


def build_site(target: Path) -> tuple[bool, str]:
    """Build the site with `handbok build --site-dir target`. Returns (ok, the build's output)."""
    result = subprocess.run(
        [sys.executable, "-m", "generator.cli", "build", "--site-dir", str(target)],
        cwd=REPO_ROOT,
        env=BUILD_ENV,
        capture_output=True,
        text=True,
    )
    output = f"$ TRYGGT_TODAY={TODAY} TRYGGT_QUICK_EXIT_URL={QUICK_EXIT_PATH} handbok build --site-dir {target}\n(exit {result.returncode})\n{result.stdout}{result.stderr}"
    ok = result.returncode == 0 and (target / "index.html").is_file()
    return ok, output


def page_paths(site_dir: Path) -> list[str]:
    """Every page of the built site (relative, with forward slashes), except 404.html."""
    return sorted(
        path.relative_to(site_dir).as_posix()
        for path in site_dir.rglob("*.html")
        if path.relative_to(site_dir).as_posix() != "404.html"
    )


def _handler_for(site_dir: Path, prefix: str, mime_types: dict[str, str], headers: dict[str, str]):
    class SubPathHandler(http.server.SimpleHTTPRequestHandler):
        extensions_map = dict(mime_types)

        def end_headers(self):
            for name, value in headers.items():
                self.send_header(name, value)
            super().end_headers()

        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=str(site_dir), **kwargs)

        def log_message(self, format, *args):  # quiet
            pass

        def send_head(self):
            parts = urllib.parse.urlsplit(self.path)
            query = f"?{parts.query}" if parts.query else ""
            if parts.path == prefix.rstrip("/"):
                return self._redirect(prefix + query)
            if parts.path == QUICK_EXIT_PATH:
                return self._quick_exit_page()
            if not parts.path.startswith(prefix):
                self.send_error(404, "Outside the site's sub-path")
                return None
            rest = "/" + parts.path[len(prefix):]  # translate_path drops any ".." in it
            self.path = rest + query
            if os.path.isdir(self.translate_path(self.path)) and not rest.endswith("/"):
                # The base class would redirect without the prefix: do it here, with it.
                return self._redirect(parts.path + "/" + query)
            return super().send_head()

        def _quick_exit_page(self):
            body = QUICK_EXIT_PAGE.encode("utf-8")
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            return io.BytesIO(body)

        def _redirect(self, location):
            self.send_response(301)
            self.send_header("Location", location)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return None

        def list_directory(self, path):
            # A typical intranet server does not list folders; neither do we.
            self.send_error(404, "No directory listing")
            return None

    return SubPathHandler


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        # A browser that drops a connection (a page left mid-load) is normal: stay quiet.
        if isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            return
        super().handle_error(request, client_address)


@contextlib.contextmanager
def serve_site(site_dir: Path, prefix: str = SUB_PATH, mime_overrides: dict[str, str] | None = None,
               headers: dict[str, str] | None = None):
    """Serve `site_dir` at http://127.0.0.1:<free port><prefix>; yields that base URL.

    `mime_overrides` ({".wasm": "application/octet-stream"}) plays a misconfigured host;
    `headers` are sent with every response (a host's Content-Security-Policy, say)."""
    mime_types = {**MIME_TYPES, **(mime_overrides or {})}
    server = _Server(("127.0.0.1", 0), _handler_for(Path(site_dir), prefix, mime_types, headers or {}))
    thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{prefix}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def quick_exit_url(base_url: str) -> str:
    """Where the test build's quick exit leads, on the server of `base_url`."""
    return urllib.parse.urljoin(base_url, QUICK_EXIT_PATH)


def run_on_site(take, prefix: str) -> int:
    """For the screenshot scripts: `take(site_dir)` on TRYGGT_SITE_DIR, or on a site built into a
    temporary folder; prints the files it returns. Exit status 1 when the site does not build."""
    given = os.environ.get("TRYGGT_SITE_DIR")
    if given:
        paths = take(Path(given).resolve())
    else:
        with tempfile.TemporaryDirectory(prefix=prefix) as tmp:
            site_dir = Path(tmp) / "site"
            ok, output = build_site(site_dir)
            if not ok:
                print(output, file=sys.stderr)
                return 1
            paths = take(site_dir)
    for path in paths:
        print(path)
    return 0
