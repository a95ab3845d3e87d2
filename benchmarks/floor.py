#!/usr/bin/env python3
"""The stack's floor: what Python-Markdown and Pagefind alone cost on a corpus, and the atlas's distance to it.

Usage: .venv/bin/python benchmarks/floor.py --content DIR [--work DIR] [--cores N] [--site DIR] [--json FILE]

A cold atlas build cannot take less than the two things every entry needs and no cache
can spare it: its body rendered by Python-Markdown and its page indexed by Pagefind.
This measures each alone, on the same corpus, then a cold `atlas build` of it:

- Markdown: every entry's body (as the atlas reads it, drafts left out) through one
  `markdown.Markdown` instance reset between bodies, with the extensions the atlas uses
  (tables, footnotes, toc, sane_lists, abbr, def_list) and with none; once in one process
  (CPU per body), once on every core (wall);
- Pagefind: one run of the binary the atlas uses over the built site's entry pages (the
  pages marked data-pagefind-body), copied alone into a folder;
- the atlas: `atlas build` with empty output and cache folders (skipped with --site,
  which names a site already built from the same content).

The floor's wall time is Markdown on every core, then Pagefind; its CPU time is the sum.
CPU is user + system time, Pagefind's and the workers' included. The machine is shared:
the 1-minute load average is printed with the figures.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXTENSIONS = ["tables", "footnotes", "toc", "sane_lists", "abbr", "def_list"]

_bodies: list[str] = []  # set in the parent, inherited by the forked workers


def load_bodies(content: Path) -> list[str]:
    """Every entry's body, as the atlas's loader and validator give it (not timed)."""
    from atlas.content.schema import validate_entries
    from atlas.content.sources import load_sources
    from atlas.errors import ErrorList

    errors = ErrorList()
    atlas = validate_entries(load_sources(content, errors), errors)
    return [entry.body for entry in sorted(atlas.entries.values(), key=lambda e: (e.kind, e.slug))]


def _render(bounds: tuple[int, int, bool]) -> int:
    import markdown

    start, stop, extended = bounds
    md = markdown.Markdown(extensions=EXTENSIONS if extended else [], output_format="html")
    size = 0
    for body in _bodies[start:stop]:
        md.reset()
        size += len(md.convert(body))
    return size


def _cpu_children() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _cpu_self() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def time_markdown(bodies: list[str], extended: bool, cores: int) -> dict:
    """CPU of one process over every body, and wall on `cores` forked processes."""
    global _bodies
    _bodies = bodies
    import markdown  # noqa: F401  (imported before the clock starts, as a build has it)

    cpu = _cpu_self()
    _render((0, len(bodies), extended))
    one_cpu = _cpu_self() - cpu
    chunk = max(1, len(bodies) // (cores * 8))
    slices = [(start, min(start + chunk, len(bodies)), extended) for start in range(0, len(bodies), chunk)]
    wall, cpu = time.perf_counter(), _cpu_children()
    with multiprocessing.get_context("fork").Pool(cores) as pool:
        list(pool.imap_unordered(_render, slices))
        pool.close()
        pool.join()
    return {"cpu": one_cpu, "per_body_ms": 1000 * one_cpu / max(1, len(bodies)),
            "wall": time.perf_counter() - wall, "cpu_on_cores": _cpu_children() - cpu}


def copy_entry_pages(site: Path, folder: Path) -> int:
    """The built site's entry pages (those Pagefind indexes) alone in `folder`, at their paths."""
    shutil.rmtree(folder, ignore_errors=True)
    count = 0
    for page in sorted(site.rglob("*.html")):
        data = page.read_bytes()
        if b"data-pagefind-body" in data:
            target = folder / page.relative_to(site)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
            count += 1
    return count


def time_command(command: list[str]) -> dict:
    """Wall, CPU (user + system of the command and its children) and peak resident set of one run."""
    wall, cpu = time.perf_counter(), _cpu_children()
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise SystemExit(f"{command[0]} failed:\n{result.stderr or result.stdout}")
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {"wall": time.perf_counter() - wall, "cpu": _cpu_children() - cpu,
            "peak_mib": usage.ru_maxrss / 1024, "stdout": result.stdout.strip().splitlines()[-1:]}


def pagefind_binary() -> str:
    from pagefind.service import get_executable

    return str(get_executable())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--content", type=Path, required=True, help="the atlas's content folder")
    parser.add_argument("--work", type=Path, default=ROOT / ".atlas-cache" / "floor", help="scratch folder")
    parser.add_argument("--cores", type=int, default=len(os.sched_getaffinity(0)), help="processes for Markdown")
    parser.add_argument("--site", type=Path, default=None, help="a site already built from the content")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures here")
    args = parser.parse_args()
    load = os.getloadavg()[0]
    figures: dict = {"cores": args.cores, "load_at_start": load}
    if args.site is None:
        shutil.rmtree(args.work, ignore_errors=True)
        args.work.mkdir(parents=True)
        print("atlas: cold build ...", file=sys.stderr)
        figures["atlas"] = time_command([sys.executable, "-m", "atlas.cli", "build", "--content", str(args.content),
                                         "--output", str(args.work / "out"), "--cache-dir", str(args.work / "cache")])
        args.site = args.work / "out"
    bodies = load_bodies(args.content)
    print(f"Markdown: {len(bodies):,} bodies ...", file=sys.stderr)
    figures["bodies"] = len(bodies)
    figures["markdown"] = time_markdown(bodies, True, args.cores)
    figures["markdown_plain"] = time_markdown(bodies, False, args.cores)
    pages = copy_entry_pages(args.site, args.work / "entry-pages")
    print(f"Pagefind: {pages:,} entry pages ...", file=sys.stderr)
    figures["pages"] = pages
    figures["pagefind"] = time_command([pagefind_binary(), "--site", str(args.work / "entry-pages"), "--output-path",
                                        str(args.work / "bundle"), "--silent"])
    floor_wall = figures["markdown"]["wall"] + figures["pagefind"]["wall"]
    floor_cpu = figures["markdown"]["cpu"] + figures["pagefind"]["cpu"]
    figures["floor"] = {"wall": floor_wall, "cpu": floor_cpu}
    figures["load_at_end"] = os.getloadavg()[0]
    md, plain, pagefind = figures["markdown"], figures["markdown_plain"], figures["pagefind"]
    print(f"On {args.cores} cores, 1-minute load average {load:.1f} at the start, {figures['load_at_end']:.1f} at the end")
    print(f"Markdown, the atlas's extensions: {md['cpu']:.1f} s CPU ({md['per_body_ms']:.2f} ms a body),"
          f" {md['wall']:.1f} s wall on {args.cores} cores")
    print(f"Markdown, no extensions:          {plain['cpu']:.1f} s CPU ({plain['per_body_ms']:.2f} ms a body),"
          f" {plain['wall']:.1f} s wall on {args.cores} cores")
    print(f"Pagefind, {pages:,} entry pages:     {pagefind['cpu']:.1f} s CPU"
          f" ({1000 * pagefind['cpu'] / max(1, pages):.2f} ms a page), {pagefind['wall']:.1f} s wall")
    print(f"floor (Markdown, then Pagefind):  {floor_cpu:.1f} s CPU, {floor_wall:.1f} s wall")
    if "atlas" in figures:
        atlas = figures["atlas"]
        figures["distance"] = {"wall_ratio": atlas["wall"] / floor_wall, "cpu_ratio": atlas["cpu"] / floor_cpu,
                               "cpu_above": atlas["cpu"] - floor_cpu}
        print(f"atlas cold build:                 {atlas['cpu']:.1f} s CPU, {atlas['wall']:.1f} s wall,"
              f" peak {atlas['peak_mib']:.0f} MiB")
        print(f"distance to the floor:            {figures['distance']['wall_ratio']:.2f}x in wall time,"
              f" {figures['distance']['cpu_ratio']:.2f}x in CPU ({figures['distance']['cpu_above']:.1f} s of CPU above it)")
    if args.json is not None:
        args.json.write_text(json.dumps(figures, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
