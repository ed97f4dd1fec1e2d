"""The Content-Security-Policy of a flow page: what Pyodide needs and nothing else.

Pyodide compiles WebAssembly ('wasm-unsafe-eval', not 'unsafe-eval'), runs in a module worker
from the site's own files and fetches only the site's own files. The worker imports Pyodide's
Emscripten module from a blob: URL after unpacking it (the site stores it gzipped); only a
script already running on the page can make a blob: URL. The theme's few inline scripts
are allowed by their hashes, so no 'unsafe-inline' for scripts. `frame-ancestors` has no effect
in a meta element; hosts send it (and the rest) as a header: see docs/publicera.md.

Standard library only; knows nothing of MkDocs.
"""

from __future__ import annotations

import base64
import hashlib
import re
from html import escape

DIRECTIVES = (
    ("default-src", "'self'"),
    ("script-src", "'self' 'wasm-unsafe-eval' blob:"),
    ("worker-src", "'self'"),
    ("connect-src", "'self'"),
    ("img-src", "'self' data:"),
    ("style-src", "'self' 'unsafe-inline'"),
    ("font-src", "'self'"),
    ("object-src", "'none'"),
    ("base-uri", "'self'"),
    ("form-action", "'none'"),
)
HEADER_ONLY = (("frame-ancestors", "'none'"),)

# Inline classic scripts only: data blocks (type="application/json") are never run.
_INLINE_SCRIPT = re.compile(
    r"<script(?P<attrs>(?:\s+(?!src\b)[a-z-]+(?:=\"[^\"]*\"|='[^']*'|=[^\s>]+)?)*)\s*>(?P<body>.*?)</script>",
    re.DOTALL | re.IGNORECASE,
)
_TYPE = re.compile(r"\btype\s*=\s*[\"']?([^\"'\s>]+)", re.IGNORECASE)
_JS_TYPES = {"", "text/javascript", "module", "application/javascript"}


def inline_script_hashes(html: str) -> list[str]:
    hashes = []
    for match in _INLINE_SCRIPT.finditer(html):
        script_type = _TYPE.search(match.group("attrs") or "")
        if (script_type.group(1).lower() if script_type else "") not in _JS_TYPES:
            continue
        digest = hashlib.sha256(match.group("body").encode("utf-8")).digest()
        hashes.append(f"'sha256-{base64.b64encode(digest).decode('ascii')}'")
    return sorted(set(hashes))


def policy(script_hashes: list[str] = (), *, header: bool = False) -> str:
    directives = list(DIRECTIVES) + (list(HEADER_ONLY) if header else [])
    parts = []
    for name, value in directives:
        if name == "script-src" and script_hashes:
            value = " ".join([value, *script_hashes])
        parts.append(f"{name} {value}")
    return "; ".join(parts)


def add_policy_meta(html: str) -> str:
    """Put the policy in a meta element right after <meta charset>, before any script runs."""
    meta = f'<meta http-equiv="Content-Security-Policy" content="{escape(policy(inline_script_hashes(html)), quote=False)}">'
    charset = re.search(r"<meta\s+charset=[^>]*>", html, re.IGNORECASE)
    if charset:
        return html[: charset.end()] + "\n    " + meta + html[charset.end():]
    head = re.search(r"<head[^>]*>", html, re.IGNORECASE)
    if head is None:
        raise ValueError("the page has no <head>: cannot add a Content-Security-Policy")
    return html[: head.end()] + meta + html[head.end():]
