"""Where the time of `handbok build --no-pdf` and `handbok check` goes: cProfile on the default site.

    .venv/bin/python benchmarks/profile.py [--only build,check] [--top 25] [--out DIR]

Each command runs once untimed first (so the caches of the runtime folder are filled as on any
rebuild), then once under cProfile in a fresh child process. Prints, for each, the functions
with the most cumulative time and the time spent in each area (the generator's modules by file,
the libraries by package), and keeps the raw profile (DIR/profile-NAME.prof, for snakeviz or
pstats). The profiler slows pure-Python code more than C, so read the shares, not the seconds;
the seconds are benchmarks/run.py's.
"""

from __future__ import annotations

import argparse
import os
import pstats
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
COMMANDS = {"build": ["build", "--no-pdf"], "check": ["check"]}
# As benchmarks/run.py: compiled modules kept, as on a publisher's machine.
CHILD_ENV = {**{k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"},
             "NO_MKDOCS_2_WARNING": "1", "PYTHONPYCACHEPREFIX": str(Path(tempfile.gettempdir()) / "tryggt-benchmark-pycache")}


def area(filename: str) -> str:
    """The generator's file, a library's package, or Python's own."""
    path = Path(filename)
    if path.is_relative_to(ROOT) and "site-packages" not in path.parts:
        return path.relative_to(ROOT).as_posix()
    if "site-packages" in path.parts:
        return path.parts[path.parts.index("site-packages") + 1].split(".")[0]
    return "python" if filename.startswith(("/", "<frozen")) else filename


def summary(stats: pstats.Stats, top: int) -> str:
    total = max(stats.total_tt, 1e-9)
    rows = sorted(((key, row) for key, row in stats.stats.items() if area(key[0]) not in ("python", "~")
                   and key[2] != "<module>"), key=lambda item: item[1][3], reverse=True)
    lines = [f"total {total:.2f} s under the profiler", "", "cumulative  own  function"]
    for (filename, line, name), (_, _, own, cumulative, _) in rows[:top]:
        lines.append(f"{cumulative:9.3f} {own:6.3f}  {area(filename)}:{line}({name})")
    areas: dict[str, float] = defaultdict(float)
    for (filename, _, _), (_, _, own, _, _) in stats.stats.items():
        areas[area(filename)] += own
    lines += ["", "own time by area"]
    lines += [f"{seconds:7.3f} s {seconds / total:5.1%}  {name}"
              for name, seconds in sorted(areas.items(), key=lambda item: item[1], reverse=True)[:top]]
    return "\n".join(lines)


def profile(name: str, out: Path, top: int) -> str:
    with tempfile.TemporaryDirectory() as work:
        args = [*COMMANDS[name], *(["--site-dir", str(Path(work) / "site")] if name == "build" else [])]
        command = [sys.executable, "-m", "generator.cli", "--root", str(ROOT), *args]
        subprocess.run(command, cwd=ROOT, env=CHILD_ENV, capture_output=True, timeout=600)  # fills the caches
        raw = out / f"profile-{name}.prof"
        result = subprocess.run([sys.executable, "-m", "cProfile", "-o", str(raw), *command[1:]],
                                cwd=ROOT, env=CHILD_ENV, capture_output=True, text=True, timeout=600)
        if result.returncode != 0:
            raise SystemExit(f"handbok {' '.join(args)} failed:\n{result.stdout}{result.stderr}")
    return summary(pstats.Stats(str(raw)), top)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default=",".join(COMMANDS), help="build, check, or both (comma-separated)")
    parser.add_argument("--top", type=int, default=25, help="functions and areas to list")
    parser.add_argument("--out", type=Path, default=Path(tempfile.gettempdir()) / "tryggt-profile")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    for name in args.only.split(","):
        if name not in COMMANDS:
            parser.error(f"unknown command {name!r}: choose from {', '.join(COMMANDS)}")
        print(f"## handbok {' '.join(COMMANDS[name])}\n\n{profile(name, args.out, args.top)}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
