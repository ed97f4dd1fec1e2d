"""Folders written beside their target and moved in only when complete: the new one made, swapped
in for the old in one step where the system can, and what killed builds left behind cleared."""

from __future__ import annotations

import ctypes
import errno
import os
import re
import shutil
import sys
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


def clear_stale_builds(target: Path) -> None:
    """Remove the staging and old folders that builds of this target left when they were killed.

    Only folders named for this target whose build (the pid in the name) is no longer running:
    a build running beside this one keeps its own (a pid reused meanwhile only delays the clearing)."""
    pattern = re.compile(rf"\.{re.escape(target.name)}-(?:new|old)-(\d+)-\w+")
    for path in target.parent.iterdir():
        found = pattern.fullmatch(path.name)
        if found and path.is_dir() and not path.is_symlink() and not _running(int(found[1])):
            shutil.rmtree(path, ignore_errors=True)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # EPERM: another user's process, so running
        return True
    return True


def swap_in(new: Path, target: Path) -> Path | None:
    """Put `new` at `target`; returns where the previous target now is (to delete), or None.

    On Linux one renameat2(RENAME_EXCHANGE) swaps the two, so `target` is never missing (a web
    server serving it never answers 404 meanwhile) and stays a plain folder (a symlink flip would
    not); the old site ends up at `new`. Elsewhere, or on a filesystem without the exchange, two
    renames, with a moment of no `target` between them."""
    if not target.exists() and not target.is_symlink():
        os.rename(new, target)
        return None
    if _exchange(new, target):
        return new
    old = Path(tempfile.mkdtemp(prefix=f".{target.name}-old-{os.getpid()}-", dir=target.parent))
    os.rename(target, old / target.name)
    os.rename(new, target)
    return old


AT_FDCWD = -100
RENAME_EXCHANGE = 2


def _exchange(first: Path, second: Path) -> bool:
    """Swap two paths atomically with Linux's renameat2; False where it is not available."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2  # glibc 2.28+
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    renameat2.restype = ctypes.c_int
    if renameat2(AT_FDCWD, os.fsencode(first), AT_FDCWD, os.fsencode(second), RENAME_EXCHANGE) == 0:
        return True
    error = ctypes.get_errno()
    if error in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):  # a kernel or filesystem without the exchange
        return False
    raise OSError(error, os.strerror(error), str(first), None, str(second))
