"""The hosting guide's nginx configuration, as written in docs/publicera.md, with Debian's nginx.

The guide's `location /handbok/` block (types, security headers, the CSP) and its cache settings
are taken from the guide itself and run on a free port over the built site: the headers are
what the guide says, the flow's engine starts under them, and a second visit asks the server
for nothing of the runtime (the access log shows it).
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

from flow_driver import engine_ready
from site_support import REPO_ROOT

GUIDE = REPO_ROOT / "docs" / "publicera.md"
FLOW = "floden/vad-gor-jag-nu.html"
RUNTIME = re.compile(r"/handbok/assets/(pyodide|flow)/")


def _blocks(section: str) -> list[str]:
    text = GUIDE.read_text(encoding="utf-8")
    start = text.index(f"### {section}\n")
    end = text.find("\n### ", start + 1)
    return re.findall(r"```nginx\n(.*?)```", text[start:end if end > 0 else None], re.DOTALL)


def _config(site: Path, work: Path, port: int) -> str:
    location = _blocks("nginx")[0]
    cache = _blocks("Cache")[0]
    map_block = re.search(r"^map .*?^}", cache, re.DOTALL | re.MULTILINE).group(0)
    cache_header = re.search(r"^\s*add_header Cache-Control .*;$", cache, re.MULTILINE).group(0)
    location = location.replace("alias /srv/handbok/site/;", f"alias {site}/;")
    location = location[:location.rindex("}")] + cache_header + "\n}\n"
    user = "user root;\n" if os.geteuid() == 0 else ""
    temp = "\n".join(f"    {name}_temp_path {work}/{name};" for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    return f"""{user}daemon off;
worker_processes 1;
pid {work}/nginx.pid;
error_log {work}/error.log;
events {{}}
http {{
    access_log {work}/access.log;
{temp}
{map_block}
    server {{
        listen 127.0.0.1:{port};
{location}
    }}
}}
"""


@pytest.fixture(scope="module")
def nginx(site_dir):
    binary = shutil.which("nginx") or ("/usr/sbin/nginx" if os.path.exists("/usr/sbin/nginx") else None)
    if binary is None:
        reason = "Debian's nginx is not installed (scripts/setup.sh --test installs it)"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    work = Path(tempfile.mkdtemp(prefix="tryggt-nginx-"))
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    (work / "nginx.conf").write_text(_config(Path(site_dir).resolve(), work, port), encoding="utf-8")
    checked = subprocess.run([binary, "-t", "-p", str(work), "-c", str(work / "nginx.conf")], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
    server = subprocess.Popen([binary, "-p", str(work), "-c", str(work / "nginx.conf")])
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}/handbok/", work / "access.log"
    finally:
        server.terminate()
        server.wait(timeout=10)
        shutil.rmtree(work, ignore_errors=True)


def _head(url: str) -> dict[str, str]:
    with urllib.request.urlopen(url) as response:
        return {name.lower(): value for name, value in response.headers.items()}


def test_the_guides_cache_headers_as_nginx_sends_them(nginx, site_dir):
    base, _ = nginx
    page = _head(base + FLOW)
    assert page["cache-control"] == "no-cache" and page["content-type"].startswith("text/html")
    assert "content-security-policy" in page, "the cache header must not cost the guide's other headers"
    html = (Path(site_dir) / FLOW).read_text(encoding="utf-8")
    pyodide = re.search(r'data-pyodide="([^"]+)"', html).group(1)
    stdlib = re.search(r'data-stdlib="([^"]+)"', html).group(1)
    for path, kind in ((pyodide + "pyodide.asm.wasm.bin", "application/octet-stream"),
                       (pyodide + "pyodide.mjs", "text/javascript"), (stdlib, "application/octet-stream")):
        headers = _head(base + path)
        assert headers["cache-control"] == "public, max-age=31536000, immutable", path
        assert headers["content-type"] == kind, path
        assert "content-security-policy" in headers, path
    assert _head(base + "assets/javascripts/flow-worker.js")["cache-control"] == "no-cache"


def test_the_engine_starts_under_nginx_and_a_second_visit_fetches_none_of_it(nginx, new_context):
    base, log = nginx
    context = new_context()
    page = context.new_page()
    page.goto(base + FLOW)
    engine_ready(page)
    first = [line for line in log.read_text().splitlines() if RUNTIME.search(line)]
    assert first, "the runtime did not come through nginx"
    again = context.new_page()
    again.goto(base + FLOW)
    engine_ready(again)
    after = [line for line in log.read_text().splitlines() if RUNTIME.search(line)]
    assert after == first, f"asked nginx again for: {after[len(first):]}"
