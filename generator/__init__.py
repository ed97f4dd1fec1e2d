"""Tryggt uppdrag: turns guidance (Markdown and YAML decision trees) into a static site.

Layout: `engine/` is the pure-Python decision engine (standard library only, runs in
Pyodide); the rest is the build-time core; `mkdocs_plugin` and `cli` are thin adapters.
"""

__version__ = "0.1.0"
