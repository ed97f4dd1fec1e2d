"""The Content-Security-Policy of a flow page: what Pyodide needs and nothing else.

Pyodide compiles WebAssembly ('wasm-unsafe-eval', not 'unsafe-eval'), runs in a module worker
from the site's own files and fetches only the site's own files. The worker imports Pyodide's
Emscripten module from a blob: URL after unpacking it (the site stores it gzipped); only a
script already running on the page can make a blob: URL. The theme's few inline scripts
are allowed by their hashes, so no 'unsafe-inline' for scripts. `frame-ancestors` has no effect
in a meta element; hosts send it (and the rest) as a header: see docs/publicera.md.

Standard library only (the page read with html.parser); knows nothing of MkDocs.
"""

from __future__ import annotations

import base64
import hashlib
from html import escape

from generator.site import htmltags

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
_JS_TYPES = {"", "text/javascript", "module", "application/javascript"}


def inline_script_hashes(html: str, tags: list[htmltags.Tag] | None = None) -> list[str]:
    """The hash of each inline script of a page (read with html.parser: `tags`, when already read)."""
    tags = htmltags.scan(html) if tags is None else tags
    hashes = []
    for script, end in zip(tags, tags[1:]):
        if script.name != "script" or script.closing or "src" in script.attrs:
            continue
        if script.get("type").strip().lower() not in _JS_TYPES or not (end.closing and end.name == "script"):
            continue
        digest = hashlib.sha256(html[script.end:end.start].encode("utf-8")).digest()
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
    tags = htmltags.scan(html)
    meta = f'<meta http-equiv="Content-Security-Policy" content="{escape(policy(inline_script_hashes(html, tags)), quote=False)}">'
    charset = next((tag for tag in tags if tag.name == "meta" and "charset" in tag.attrs), None)
    if charset:
        return html[: charset.end] + "\n    " + meta + html[charset.end:]
    head = next((tag for tag in tags if tag.name == "head" and not tag.closing), None)
    if head is None:
        raise ValueError("the page has no <head>: cannot add a Content-Security-Policy")
    return html[: head.end] + meta + html[head.end:]
