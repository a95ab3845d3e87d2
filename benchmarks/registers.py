#!/usr/bin/env python3
"""Time `atlas import twinnings` and `atlas reconcile twinnings` on a large register.

Usage: .venv/bin/python benchmarks/registers.py [--cities 10000] [--ties 25000] [--work DIR] [--seed 1]

Writes the synthetic atlas of benchmarks/generate.py (--cities), whose cities
each have a made-up `wikidata:` id, and a register in the Wikidata Query
Service's CSV form with --ties rows: about 40% ties the atlas has (some with
other dates or an end), 40% new ties between its cities, 20% ties to cities it
does not have, each with labels, country labels, coordinates and times with
their precision. Most of the register's cities carry the atlas's id, so they
match by Q-id; about one in six has an empty id, so it matches by name, country
and distance (the new cities get made-up ids above the generator's range). Then it runs, each as its own process under /usr/bin/time -v:
`atlas import twinnings --dry-run`, the real import into a copy of the atlas,
and `atlas reconcile twinnings --format csv`, and prints wall time, CPU time
(user + sys), peak memory and the load average. The same seed gives the same
files.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
import generate  # noqa: E402  (benchmarks/generate.py)

ENTITY = "http://www.wikidata.org/entity/"
VARIABLES = ["item", "itemLabel", "itemCountryLabel", "itemCoord", "twin", "twinLabel", "twinCountryLabel",
             "twinCoord", "start", "startPrecision", "end", "endPrecision"]
COUNTRY_NAMES = {code: name.removeprefix("the ") for code, _, _, name in generate.COUNTRIES}
BOXES = {code: box for code, box, _, _ in generate.COUNTRIES}


NO_ID_SHARE = 1 / 6  # of the register's cities given without a Q-id, to be matched by name
NEW_CITY_IDS = 990_000_000  # made-up ids of the register's cities the atlas lacks: above generate.FAKE_WIKIDATA


def write_atlas(cities: int, out: Path, seed: int) -> list[dict]:
    """The generated atlas; its cities as dicts (slug, name, country, lat, lon, qid: the file's made-up id)."""
    corpus = generate.generate(cities, seed)
    generate.write_corpus(corpus, out)
    rows = []
    for path in sorted((out / "cities").glob("*.md")):
        text = path.read_text(encoding="utf-8")
        front = text.split("\n---\n", 1)[0]
        name = re.search(r"^name: (.*)$", front, re.M).group(1).strip().strip('"')
        country = re.search(r"^country: (\w\w)", front, re.M).group(1)
        lat, lon = map(float, re.search(r"^coordinates: \[([-\d.]+), ([-\d.]+)\]", front, re.M).groups())
        partners = re.findall(r"city: ([a-z0-9-]+)", front.split("partners:", 1)[1]) if "partners:" in front else []
        qid = re.search(r"^wikidata: (Q\d+)$", front, re.M).group(1)
        rows.append({"slug": path.stem, "name": name, "country": country, "lat": lat, "lon": lon, "qid": qid,
                     "partners": partners})
    return rows


def _time(rng: random.Random, low: int = 1950, high: int = 2020) -> tuple[str, str]:
    year = rng.randint(low, high)
    precision = rng.choice(["9", "9", "9", "10", "11"])
    month, day = (rng.randint(1, 12), rng.randint(1, 28)) if precision != "9" else (1, 1)
    return f"{year}-{month:02d}-{day:02d}T00:00:00Z", precision


def write_register(cities: list[dict], ties: int, path: Path, seed: int) -> None:
    rng = random.Random(f"registers:{seed}")
    by_slug = {c["slug"]: c for c in cities}
    existing = sorted({tuple(sorted((c["slug"], p))) for c in cities for p in c["partners"] if p in by_slug})
    rng.shuffle(existing)
    rows: list[tuple[dict, dict]] = [(by_slug[a], by_slug[b]) for a, b in existing[: ties * 2 // 5]]
    taken = set(existing)
    while len(rows) < ties * 4 // 5:
        a, b = rng.sample(cities, 2)
        if tuple(sorted((a["slug"], b["slug"]))) not in taken:
            taken.add(tuple(sorted((a["slug"], b["slug"]))))
            rows.append((a, b))
    for index in range(ties - len(rows)):
        code = rng.choice(sorted(BOXES))
        lat0, lat1, lon0, lon1 = BOXES[code]
        new = {"name": f"Registerton {index}", "country": code, "lat": rng.uniform(lat0, lat1),
               "lon": rng.uniform(lon0, lon1), "qid": f"Q{NEW_CITY_IDS + index}"}
        rows.append((rng.choice(cities), new))
    rng.shuffle(rows)
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow(VARIABLES)
        for a, b in rows:
            start, precision = _time(rng)
            end, end_precision = _time(rng, 2021, 2024) if rng.random() < 0.1 else ("", "")
            item, twin = (("" if rng.random() < NO_ID_SHARE else ENTITY + side["qid"]) for side in (a, b))
            writer.writerow([item, a["name"], COUNTRY_NAMES[a["country"]], f"Point({a['lon']} {a['lat']})",
                             twin, b["name"], COUNTRY_NAMES[b["country"]], f"Point({b['lon']} {b['lat']})",
                             start, precision, end, end_precision])


def measure(label: str, command: list[str], cwd: Path) -> dict:
    """Run the command under /usr/bin/time -v; its wall and CPU seconds and peak memory."""
    result = subprocess.run(["/usr/bin/time", "-v", *command], cwd=cwd, capture_output=True, text=True)
    stats = dict(re.findall(r"^\s*([^:\n]+(?:\([^)]*\))?[^:\n]*): (.*)$", result.stderr, re.M))
    wall = stats["Elapsed (wall clock) time (h:mm:ss or m:ss)"].split(":")
    seconds = sum(float(part) * 60 ** i for i, part in enumerate(reversed(wall)))
    cpu = float(stats["User time (seconds)"]) + float(stats["System time (seconds)"])
    peak = int(stats["Maximum resident set size (kbytes)"]) / 1024
    summary = (result.stdout.strip().splitlines() or [""])[-1]
    print(f"{label:<34} {seconds:7.1f} s wall {cpu:7.1f} s CPU {peak:7.0f} MiB peak  exit {result.returncode}:"
          f" {summary}", flush=True)
    return {"wall": seconds, "cpu": cpu, "peak_mib": peak, "exit": result.returncode}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cities", type=int, default=10_000)
    parser.add_argument("--ties", type=int, default=25_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--work", type=Path, help="working folder (default: a temporary one, removed after)")
    args = parser.parse_args(argv)
    work = args.work or Path(tempfile.mkdtemp(prefix="atlas-registers-"))
    try:
        content = work / "content"
        if content.exists():
            shutil.rmtree(content)
        cities = write_atlas(args.cities, content, args.seed)
        write_register(cities, args.ties, work / "register.csv", args.seed)
        copy = work / "content-copy"
        if copy.exists():
            shutil.rmtree(copy)
        shutil.copytree(content, copy)
        atlas = str(Path(sys.executable).parent / "atlas")
        print(f"{args.cities:,} cities, {args.ties:,} register rows; load average before: "
              f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}", flush=True)
        measure("import --dry-run", [atlas, "import", "twinnings", "register.csv", "--dry-run"], work)
        measure("import (into a copy)", [atlas, "import", "twinnings", "register.csv", "--content", "content-copy"],
                work)
        measure("reconcile --format csv", [atlas, "reconcile", "twinnings", "register.csv", "--format", "csv",
                                           "--output", "report.csv"], work)
        print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
