"""The page the preview server shows in place of the site while the content has errors."""

from __future__ import annotations

from html import escape

from .problems import Problem


def render_error_page(problems: list[Problem]) -> str:
    """A self-contained HTML page listing every problem as `handbok check` prints it, escaped."""
    by_file: dict[str, list[Problem]] = {}
    for problem in sorted(problems, key=lambda p: (p.path, p.line, p.column, p.message)):
        by_file.setdefault(problem.path, []).append(problem)
    sections = "".join(
        f"<section><h2>{escape(path)}</h2>"
        + "".join(f"<pre>{escape(problem.format())}</pre>" for problem in found)
        + "</section>"
        for path, found in by_file.items()
    )
    count = sum(1 for p in problems if p.is_error)
    # The body ends in </body> so that the preview server can add its reload script before it.
    return f"""<!doctype html>
<html lang="sv">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Fel i innehållet</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 60rem; padding: 0 1rem; color: #1a1a1a; }}
h1 {{ color: #8b0000; }}
pre {{ background: #f6f6f6; border-left: 4px solid #8b0000; padding: .75rem; white-space: pre-wrap; }}
</style>
</head>
<body>
<main>
<h1>Webbplatsen kan inte byggas: {count} fel</h1>
<p>Rätta felen nedan och spara filen. Sidan laddas om av sig själv när allt stämmer.
Samma lista står i terminalen och i <code>handbok check</code>.</p>
{sections}
</main>
</body>
</html>
"""
