"""Build every case of the hostile corpus (cases.py) and hold it to its expected outcome.

Each build runs `atlas build` in a forked child (runner.py), so a hang is cut
off and a crash is reported instead of taking the test run down with it.
"""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

import pytest

from .cases import CASES, Case, by_name
from .conftest import copy_site, write_case
from .inert import find_hazards
from .runner import run_atlas

PROBLEM_LINE = re.compile(r"^content(?:/[^:]*)?(?::(\d+))?: (error|warning): .+$")
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\x9b]")
ARGS = ["build", "--content", "content", "--output", "output"]


def fingerprint(folder: Path) -> dict[str, tuple[str, int]]:
    """relative path -> (sha256, mtime) of every file under folder."""
    return {p.relative_to(folder).as_posix(): (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*")) if p.is_file()}


def unexpected_lines(stderr: str, expect_errors: bool) -> list[str]:
    """Lines of stderr that are not `content/...: error|warning: ...`, a hint, or the closing summary."""
    bad = []
    for line in stderr.splitlines():
        match = PROBLEM_LINE.match(line)
        if match and (expect_errors or match.group(2) == "warning"):
            continue
        if line.startswith("  hint: ") or (expect_errors and line.startswith("build failed: ")):
            continue
        bad.append(line)
    return bad


def missing_lines(stderr: str, expected: tuple[str, ...]) -> list[str]:
    lines = stderr.splitlines()
    return [want for want in expected if not any(line.startswith(want) for line in lines)]


def test_the_corpus_is_big_and_its_names_are_unique():
    assert len(by_name()) >= 90


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_case(case: Case, tmp_path: Path, good_output: Path):
    write_case(tmp_path, case)
    output = tmp_path / "output"
    if case.expect != "ok":
        copy_site(good_output, output)  # a failed build must leave this exactly as it was
    before = fingerprint(output) if output.exists() else None
    around = set(os.listdir(tmp_path)) | {"output"}

    run = run_atlas(ARGS, cwd=tmp_path, timeout=case.seconds + 10)

    assert run.failure is None, f"{case.name}: {run.failure}\n{run.describe()}"
    assert "Traceback" not in run.stderr + run.stdout, f"{case.name}: a traceback\n{run.stderr[-3000:]}"
    assert run.exit_code in (0, 1), f"{case.name}: {run.describe()}"
    assert run.seconds < case.seconds, f"{case.name}: the build took {run.seconds:.1f} s (limit {case.seconds:.0f} s)"
    assert not CONTROL.search(run.stderr), f"{case.name}: control characters reach the terminal: {run.stderr[-500:]!r}"
    appeared = {name for name in set(os.listdir(tmp_path)) - around if not name.startswith(".atlas-")}  # its cache
    assert not appeared, f"{case.name}: files appeared beside content/ and output/: {appeared}"
    assert unexpected_lines(run.stderr, run.exit_code == 1) == [], f"{case.name}: stray output\n{run.stderr[-3000:]}"
    assert missing_lines(run.stderr, case.errors) == [], f"{case.name}: expected lines missing\n{run.describe()}"

    if case.expect == "error" or (case.expect == "either" and run.exit_code == 1):
        assert run.exit_code == 1, f"{case.name}: should have failed\n{run.describe()}"
        assert run.stdout == ""
        assert run.stderr.splitlines()[-1].startswith("build failed: ")
        if case.expect == "either":
            assert any((m := PROBLEM_LINE.match(line)) and m.group(1) and m.group(2) == "error"
                       for line in run.stderr.splitlines()), f"{case.name}: no path:line: error: line\n{run.stderr}"
        assert fingerprint(output) == before, f"{case.name}: a failed build changed the output folder"
        return

    assert run.exit_code == 0, f"{case.name}: should have built\n{run.describe()}"
    if case.inert:
        hazards = find_hazards(output, case.base_path)
        assert hazards == [], f"{case.name}: the built site is not inert:\n" + "\n".join(hazards[:40])
    if case.check is not None:
        case.check(output)
