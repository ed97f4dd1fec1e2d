"""Folders written beside their target and moved in only when complete."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def staging_folder(target: Path, kind: str) -> Path:
    """A new, empty folder beside `target`, named after it, `kind` and this process's id.

    tempfile makes it readable by its owner alone (0700); moved into place as the site, a web
    server running as another user would answer 403 for every page. So it gets the permissions
    any new folder gets here (0777 less the umask)."""
    folder = Path(tempfile.mkdtemp(prefix=f".{target.name}-{kind}-{os.getpid()}-", dir=target.parent))
    umask = os.umask(0)
    os.umask(umask)
    folder.chmod(0o777 & ~umask)
    return folder
