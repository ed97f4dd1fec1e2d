"""A failed build leaves the previously built site byte for byte as it was, and no staging folder."""

from __future__ import annotations

import ctypes
import errno
import hashlib
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from generator import staging

REPO = Path(__file__).resolve().parents[2]

BROKEN_TREE = """\
id: trasig
title: Trasig
sources: [handlingsplan]
reviewed: 2026-11-01
start: fraga
nodes:
  - id: fraga
    kind: info
    title: Läs
    next: finns-inte
"""


def fingerprint(site: Path) -> dict[str, str]:
    """Every file and folder of the site: a file's SHA-256, a link's target."""
    found = {}
    for directory, folders, files in os.walk(site):
        for name in folders + files:
            path = Path(directory, name)
            key = path.relative_to(site).as_posix()
            if path.is_symlink():
                found[key] = "-> " + os.readlink(path)
            elif path.is_file():
                found[key] = hashlib.sha256(path.read_bytes()).hexdigest()
            else:
                found[key] = "folder"
    return found


def leftovers(root: Path) -> list[str]:
    return sorted(p.name for p in root.iterdir() if p.name.startswith(".site-"))


def built(project: Path, handbok) -> dict[str, str]:
    result = handbok(project, "build")
    assert result.returncode == 0, result.stdout + result.stderr
    site = fingerprint(project / "site")
    assert "index.html" in site and len(site) > 20
    return site


def test_a_broken_tree_leaves_the_previous_site_unchanged(small_project, handbok):
    before = built(small_project, handbok)
    (small_project / "decision_trees" / "trasig.yml").write_text(BROKEN_TREE, encoding="utf-8")
    result = handbok(small_project, "build")
    assert result.returncode == 1
    assert 'decision_trees/trasig.yml:10:11: error: "next" names the node "finns-inte", which does not exist' in result.stderr
    assert "the site was not changed" in result.stderr
    assert fingerprint(small_project / "site") == before
    assert leftovers(small_project) == []


def test_a_build_that_fails_inside_mkdocs_leaves_the_site_and_no_staging_folder(small_project, handbok):
    before = built(small_project, handbok)
    page = small_project / "content" / "index.md"
    # The check accepts a link to a page that does not exist; MkDocs warns, and --strict makes that fail.
    page.write_text(page.read_text(encoding="utf-8") + "\nSe [saknad sida](saknas.md).\n", encoding="utf-8")
    result = handbok(small_project, "build", "--strict")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "build failed" in result.stderr
    assert fingerprint(small_project / "site") == before
    assert leftovers(small_project) == []


def test_a_successful_build_replaces_the_site_and_leaves_no_staging_folder(small_project, handbok):
    before = built(small_project, handbok)
    page = small_project / "content" / "index.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nEn ny mening.\n", encoding="utf-8")
    after = built(small_project, handbok)
    assert after["index.html"] != before["index.html"]
    assert "En ny mening." in (small_project / "site" / "index.html").read_text(encoding="utf-8")
    assert leftovers(small_project) == []


def test_the_built_site_is_readable_by_a_web_server_running_as_another_user(small_project, handbok):
    """The staging folder comes from tempfile (0700); moved in as the site, nginx answered 403."""
    built(small_project, handbok)
    umask = os.umask(0o022)
    os.umask(umask)
    assert (small_project / "site").stat().st_mode & 0o777 == 0o777 & ~umask


def test_a_build_killed_midway_is_cleared_by_the_next_build(small_project, handbok):
    before = built(small_project, handbok)
    command = [sys.executable, "-m", "generator.cli", "--root", str(small_project), "build", "--no-pdf"]
    for _ in range(5):  # until the kill lands while the build runs (it always has so far)
        build = subprocess.Popen(command, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 120
        while not leftovers(small_project) and build.poll() is None and time.monotonic() < deadline:
            time.sleep(0.002)
        build.send_signal(signal.SIGKILL)
        build.wait()
        if leftovers(small_project):
            break
    assert [name.split("-")[1] for name in leftovers(small_project)] == ["new"], "the killed build left its staging folder"
    assert fingerprint(small_project / "site") == before
    result = handbok(small_project, "build", "--no-pdf")
    assert result.returncode == 0, result.stdout + result.stderr
    assert leftovers(small_project) == []


def test_only_folders_of_finished_builds_of_this_target_are_cleared(tmp_path):
    finished = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    dead, alive = int(finished.stdout), os.getpid()
    names = [f".site-new-{dead}-abc_123", f".site-old-{dead}-x1", f".site-new-{alive}-abc", f".site-old-{alive}-x2",
             f".other-new-{dead}-abc", ".site-new-abcdefgh", f".site-new-{dead}-a-b", "site"]
    for name in names:
        (tmp_path / name).mkdir()
    staging.clear_stale_builds(tmp_path / "site")
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(names[2:])


def inode(path: Path) -> int:
    return path.stat().st_ino


def two_sites(tmp_path: Path) -> tuple[Path, Path]:
    target, new = tmp_path / "site", tmp_path / ".site-new-1-abc"
    for folder, text in ((target, "gammal"), (new, "ny")):
        folder.mkdir()
        (folder / "index.html").write_text(text, encoding="utf-8")
    return target, new


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="renameat2 is Linux's")
def test_the_swap_exchanges_the_folders_in_one_step(tmp_path):
    target, new = two_sites(tmp_path)
    old_site, new_site = inode(target), inode(new)
    old = staging.swap_in(new, target)
    assert inode(target) == new_site and (target / "index.html").read_text(encoding="utf-8") == "ny"
    assert old == new and inode(new) == old_site  # exchanged: the old site sits where the new one was

    missing = 0
    stop = threading.Event()

    def watch():  # what a web server serving the folder would see
        nonlocal missing
        while not stop.is_set():
            missing += not os.path.isdir(target)

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        for _ in range(500):
            assert staging.swap_in(new, target) == new
    finally:
        stop.set()
        watcher.join()
    assert missing == 0


def test_without_the_exchange_the_swap_falls_back_to_two_renames(tmp_path, monkeypatch):
    class Libc:  # on a kernel or filesystem that refuses RENAME_EXCHANGE
        @staticmethod
        def renameat2(*args):
            ctypes.set_errno(errno.EINVAL)
            return -1

    monkeypatch.setattr(staging.ctypes, "CDLL", lambda *args, **kwargs: Libc())
    target, new = two_sites(tmp_path)
    old_site = inode(target)
    old = staging.swap_in(new, target)
    assert (target / "index.html").read_text(encoding="utf-8") == "ny" and not new.exists()
    assert old.name.startswith(f".site-old-{os.getpid()}-") and inode(old / "site") == old_site
