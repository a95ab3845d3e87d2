#!/usr/bin/env python3
"""Time `atlas build` after one small edit, on a generated atlas: what an editor waits for.

Usage: python benchmarks/edits.py [--cities 10000] [--work DIR] [--runs 3] [--python PATH]

Generates N cities with generate.py (once; DIR/content is kept between runs),
builds them once with a cache, then times, each `--runs` times (medians shown):

- nothing changed: a second build;
- front matter: one city's population changed (a different number each run);
- text only: one sentence of one city's body changed.

Each build is a fresh `atlas build` process, as an editor runs it. Prints one
line per measurement, with the build's own summary of what it rendered.
"""

from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_build(python: Path, content: Path, work: Path) -> tuple[float, str]:
    command = [str(python), "-m", "atlas.cli", "build", "--content", str(content), "--output", str(work / "out"),
               "--cache-dir", str(work / "cache")]
    started = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=True)
    return time.perf_counter() - started, done.stdout.strip().splitlines()[-1]


def city_file(content: Path) -> Path:
    """The first city (by file name) with a population and a body."""
    for path in sorted((content / "cities").glob("*.md")):
        text = path.read_text(encoding="utf-8")
        if re.search(r"^population: \d+$", text, re.M) and text.split("\n---\n", 1)[1].strip():
            return path
    raise SystemExit("no city with a population and a body")


def set_population(path: Path, run: int) -> None:
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"^population: \d+$", f"population: {1_000_000 + 17 * (run + 1)}", text, count=1,
                           flags=re.M), encoding="utf-8")


def edit_text(path: Path, run: int) -> None:
    head, body = path.read_text(encoding="utf-8").split("\n---\n", 1)
    body = re.sub(r" \(edit \d+\)\.$", ".", body.rstrip("\n"), flags=re.M)  # the last run's edit
    path.write_text(f"{head}\n---\n{body.rstrip()[:-1]} (edit {run}).\n", encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cities", type=int, default=10000)
    parser.add_argument("--work", type=Path, default=Path("/tmp/atlas-edits"))
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--python", type=Path, default=ROOT / ".venv" / "bin" / "python")
    args = parser.parse_args()
    work = args.work / str(args.cities)
    content = work / "content"
    if not (content / "atlas.yaml").exists():
        subprocess.run([str(args.python), str(ROOT / "benchmarks" / "generate.py"), "--cities", str(args.cities),
                        "--out", str(content)], check=True, capture_output=True)
    seconds, summary = run_build(args.python, content, work)
    print(f"first build: {seconds:.1f} s ({summary})", flush=True)
    city = city_file(content)
    print(f"edited city: {city.relative_to(content)}", flush=True)
    for name, change in (("nothing changed", None), ("population", set_population), ("text only", edit_text)):
        times = []
        for run in range(args.runs):
            if change is not None:
                change(city, run)
            seconds, summary = run_build(args.python, content, work)
            times.append(seconds)
        print(f"{name}: median {statistics.median(times):.2f} s of {', '.join(f'{t:.2f}' for t in times)} "
              f"(last: {summary})", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
