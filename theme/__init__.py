"""The theme overrides, scripts and styles every site gets through the `tryggt` plugin.

Installed as `generator.theme` (pyproject.toml maps this folder there). The plugin puts this folder
on Material's template path, after a site's own `custom_dir`, so a site overrides any file here by
putting one of the same name in its own folder. MkDocs copies no `.py` file into a site.
"""

from pathlib import Path

THEME_DIR = Path(__file__).resolve().parent
