"""`atlas serve` as an editor meets it: a real server process, real file edits, pages fetched over HTTP."""

from __future__ import annotations

import queue
import re
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


class Served:
    """An `atlas serve` process whose log lines arrive on a queue."""

    def __init__(self, content: Path, tmp_path: Path) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "atlas.cli", "serve", "--content", str(content), "--port", "0",
             "--output", str(tmp_path / "served"), "--cache-dir", str(tmp_path / "cache")],
            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.lines: queue.Queue[str] = queue.Queue()
        self.log: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()
        self.url = ""

    def _read(self) -> None:
        for line in self.process.stdout:
            self.lines.put(line.rstrip("\n"))

    def wait_for(self, pattern: str, timeout: float = 60) -> re.Match:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.2)
            except queue.Empty:
                continue
            self.log.append(line)
            match = re.search(pattern, line)
            if match:
                return match
        raise AssertionError(f"no line matching {pattern!r} in:\n" + "\n".join(self.log))

    def page(self, path: str) -> str:
        with urllib.request.urlopen(self.url + path, timeout=10) as response:
            return response.read().decode("utf-8")

    def wait_for_page(self, path: str, text: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if text in self.page(path):
                return
            time.sleep(0.05)
        raise AssertionError(f"{path} never showed {text!r}; log:\n" + "\n".join(self.log))

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


@pytest.fixture
def served(atlas_copy, tmp_path):
    server = Served(atlas_copy, tmp_path)
    server.url = server.wait_for(r"serving .* at (http://127\.0\.0\.1:\d+/)").group(1)
    yield server, atlas_copy
    server.stop()


def append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def test_a_text_edit_is_rendered_at_once_and_the_rest_follows_in_the_background(served):
    server, content = served
    append(content / "cities" / "galway.md", "\nGalway hosted a delegation this spring.\n")
    quick = server.wait_for(r"rebuilt in ([\d.]+) s: 1 of (\d+) pages rendered \(search index")
    assert float(quick.group(1)) < 1.0
    server.wait_for_page("cities/galway/", "Galway hosted a delegation this spring.", timeout=5)
    server.wait_for(r"search index, data files and lists brought up to date")


def test_a_front_matter_edit_runs_a_full_incremental_build(served):
    server, content = served
    galway = content / "cities" / "galway.md"
    galway.write_text(galway.read_text(encoding="utf-8").replace('name: "Galway"', 'name: "Gaillimh"'),
                      encoding="utf-8")
    server.wait_for(r"rebuilt in [\d.]+ s: \d+ of \d+ pages rendered, \d+ files written")
    assert "Gaillimh" in server.page("cities/galway/")
    assert "Gaillimh" in server.page("cities/")  # the index shows the new name too


def test_an_edit_saved_during_the_first_build_is_not_lost(atlas_copy, tmp_path):
    server = Served(atlas_copy, tmp_path)
    try:
        time.sleep(2.5)  # the first build of the starter atlas is under way
        append(atlas_copy / "cities" / "galway.md", "\nWritten while the first build ran.\n")
        server.url = server.wait_for(r"serving .* at (http://127\.0\.0\.1:\d+/)").group(1)
        server.wait_for_page("cities/galway/", "Written while the first build ran.")
    finally:
        server.stop()
