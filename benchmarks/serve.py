"""`handbok serve`: the time from saving a page to the server having the changed page, page edit by page edit.

`handbok serve` runs on a copy of the default site; each run appends a sentence to one page
and polls the page over HTTP (every 10 ms) until the sentence is in it. What the reader's tab
adds after that is MkDocs' live reload: its long poll returns as the build ends, and the tab
fetches the page again over loopback. Before the rebuild starts, MkDocs' file watcher takes up
to 0.5 s to see the change (it polls) and then waits 0.1 s for more changes.
"""

from __future__ import annotations

import os
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

PAGE = "akut.md"  # the acute page: the one a publisher is likeliest to correct in a hurry
COPIED = ("content", "decision_trees", "mkdocs.yml")
LINKED = ("node_modules",)  # the site's Pyodide, as `npm ci` installs it


def site_copy(root: Path, dest: Path) -> Path:
    """The default site's content in a folder of its own, so that a run may edit a page."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in COPIED:
        if (root / name).is_dir():
            shutil.copytree(root / name, dest / name)
        else:
            shutil.copy(root / name, dest / name)
    for name in LINKED:
        if (root / name).exists():
            (dest / name).symlink_to((root / name).resolve(), target_is_directory=True)
    return dest


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8", "replace")
    except OSError:
        return None


def _wait_for(url: str, test, timeout: float, server: subprocess.Popen) -> float:
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        body = _get(url)
        if body is not None and test(body):
            return time.perf_counter() - start
        if server.poll() is not None:
            raise RuntimeError(f"handbok serve ended with {server.returncode}")
        time.sleep(0.01)
    raise RuntimeError(f"{url}: no change within {timeout:.0f} s")


def measure(root: Path, workdir: Path, runs: int, env: dict) -> dict:
    site = site_copy(root, workdir / "serve-site")
    port = _free_port()
    url = f"http://127.0.0.1:{port}/{PAGE.removesuffix('.md')}.html"
    log_path = workdir / "serve.log"
    with open(log_path, "w+", encoding="utf-8") as log:
        server = subprocess.Popen([sys.executable, "-m", "generator.cli", "--root", str(site), "serve", "--port", str(port)],
                                  stdout=log, stderr=subprocess.STDOUT, env=env, cwd=site)
        try:
            first = _wait_for(url, lambda body: True, 600, server)
            samples = []
            for run in range(runs):
                time.sleep(1.5)  # the watcher settles: each edit is one change, not two merged
                marker = f"Märke {run}-{os.getpid()}-{time.time_ns()}"
                with open(site / "content" / PAGE, "a", encoding="utf-8") as page:
                    page.write(f"\n\n{marker}.\n")
                samples.append(_wait_for(url, lambda body: marker in body, 120, server))
        finally:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
    return {"page": PAGE, "runs": runs, "first_build_s": first,
            "save_to_page_s": {"median": statistics.median(samples), "min": min(samples), "max": max(samples),
                               "all": samples}}


def render(section: dict) -> list[str]:
    saved = section["save_to_page_s"]
    return [f"A sentence appended to `{section['page']}` while `handbok serve` runs on a copy of the default site; "
            "the page polled over HTTP until it has the sentence (the tab's live reload adds a request over loopback). "
            "MkDocs sees the change within 0.5 s (its watcher polls), waits 0.1 s, and rebuilds the whole site "
            "(serve leaves out the PDFs).", "",
            "| figure | runs | median s | min s | max s | goal |", "|---|---|---|---|---|---|",
            f"| save → changed page served | {section['runs']} | {saved['median']:.2f} | {saved['min']:.2f} | "
            f"{saved['max']:.2f} | ≤ 1 s |",
            f"| first build, from starting serve to the page served | 1 | {section['first_build_s']:.2f} | | | |"]
