"""The preview server rebuilds on a change to a tree and to a contact, and survives a broken edit;
`handbok serve` says where it serves and when it is ready, and refuses a port in use before building.

`mkdocs serve` and `handbok serve` run in a subprocess on a free 127.0.0.1 port against a copy of
the repository; the test edits the copy and polls the served pages. The waits are bounded but
generous (a shared two-core machine): they wait for a change, they never time one.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from generator.cli import main

REPO = Path(__file__).resolve().parents[2]
WAIT = 120  # seconds, for the first build and for each change


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.read().decode("utf-8")
    except urllib.error.HTTPError as error:  # a 404 carries the error page too
        return error.read().decode("utf-8")
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return ""


def wait_for(url: str, condition, what: str, server) -> str:
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        assert server.poll() is None, f"the server stopped while waiting for {what}"
        body = fetch(url)
        if body and condition(body):
            return body
        time.sleep(0.3)
    pytest.fail(f"{url}: {what} did not happen within {WAIT} s")


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


COMMANDS = {
    "mkdocs serve": lambda root, port: [sys.executable, "-m", "mkdocs", "serve", "-f", str(root / "mkdocs.yml"),
                                        "-a", f"127.0.0.1:{port}"],
    "handbok serve": lambda root, port: [sys.executable, "-m", "generator.cli", "--root", str(root), "serve",
                                         "--port", str(port)],
}


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_serve_rebuilds_on_changes_and_shows_errors_in_the_page(repo_copy, tmp_path, command):
    # The flows' runtime comes from the installed npm packages; the copy shares them.
    (repo_copy / "node_modules").symlink_to(REPO / "node_modules")
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    log_path = tmp_path / "serve.log"
    with open(log_path, "w", encoding="utf-8") as log:
        server = subprocess.Popen(COMMANDS[command](repo_copy, port), cwd=REPO, stdout=log, stderr=subprocess.STDOUT)
    try:
        flow_page, contacts_page, akut = base + "floden/infor-mote.html", base + "kontakter.html", base + "akut.html"
        wait_for(flow_page, lambda body: "Inför ett möte, en resa eller en aktivitet" in body, "the first build", server)

        edit(repo_copy / "decision_trees" / "infor-mote.yml", "title: Inför ett möte, en resa eller en aktivitet",
             "title: Inför ett möte eller en resa (ändrad)")
        wait_for(flow_page, lambda body: "Inför ett möte eller en resa (ändrad)" in body, "the new tree title", server)

        assert "010-470 55 64" in fetch(contacts_page)
        edit(repo_copy / "content" / "kontakter.yml", '"010-470 55 64"', '"010-470 55 99"')
        wait_for(contacts_page, lambda body: "010-470 55 99" in body and "010-470 55 64" not in body,
                 "the new contact number", server)

        page = repo_copy / "content" / "akut.md"
        original = page.read_text(encoding="utf-8")
        page.write_text(original + "\nRing [[nummer:<i>vakt</i>]].\n", encoding="utf-8")
        body = wait_for(akut, lambda body: "Webbplatsen kan inte byggas" in body, "the error page", server)
        assert "content/akut.md:" in body
        assert "unknown contact &#34;&lt;i&gt;vakt&lt;/i&gt;&#34;" in body, "the problems are shown escaped"
        assert "<i>vakt" not in body
        # Every page of the site shows the errors, not only the one that was edited.
        assert "Webbplatsen kan inte byggas" in fetch(flow_page)

        page.write_text(original, encoding="utf-8")
        body = wait_for(akut, lambda body: "Webbplatsen kan inte byggas" not in body and "Akut" in body,
                        "the site to come back", server)
        assert "010-470 55 99" in fetch(contacts_page)
        assert server.poll() is None
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    output = log_path.read_text(encoding="utf-8")
    assert 'content/akut.md:' in output and 'error: unknown contact "<i>vakt</i>"' in output, output
    assert "Traceback" not in output, output


def test_handbok_serve_says_where_and_when_it_is_ready(tmp_path):
    site = tmp_path / "ny"
    assert main(["init", str(site), "--no-runtime"]) == 0
    (site / "node_modules").symlink_to(REPO / "node_modules")  # this repository's pinned Pyodide
    port = free_port()
    log_path = tmp_path / "serve.log"
    with open(log_path, "w", encoding="utf-8") as log:
        server = subprocess.Popen([sys.executable, "-m", "generator.cli", "--root", str(site), "serve", "--port", str(port)],
                                  cwd=tmp_path, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + WAIT
        while "ready" not in log_path.read_text(encoding="utf-8"):
            assert server.poll() is None and time.monotonic() < deadline, log_path.read_text(encoding="utf-8")
            time.sleep(0.2)
        # Ready means ready: the page answers at once, no waiting for it.
        assert "<title>Personsäkerhet</title>" in fetch(f"http://127.0.0.1:{port}/index.html")
    finally:
        server.terminate()
        server.wait(timeout=30)
    lines = log_path.read_text(encoding="utf-8").splitlines()
    assert lines[0] == f"handbok serve: building the site, then serving it on http://127.0.0.1:{port}/", lines
    ready = [line for line in lines if "ready" in line]
    assert ready == [f"handbok serve: ready: open http://127.0.0.1:{port}/ (it reloads when a file changes; Ctrl+C stops)"]


def test_handbok_serve_refuses_a_port_in_use_before_building(small_project, capsys):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        started = time.monotonic()
        assert main(["--root", str(small_project), "serve", "--port", str(port)]) == 2
    out, err = capsys.readouterr()
    assert time.monotonic() - started < 10, "it did not build first"
    assert out == ""
    assert err == (f"handbok serve: cannot listen on 127.0.0.1:{port} (Address already in use): "
                   f"stop the program that uses it, or choose another port with --port {port + 1}\n")
