"""Publishing: a killed or failing build leaves output/ byte-identical; the same input gives the same bytes."""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from atlas.publish import writer
from atlas.errors import AtlasError
from atlas.pipeline import Config, build

ROOT = Path(__file__).resolve().parent.parent
STARTER = ROOT / "content"


def tree_hashes(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def leftovers(folder: Path) -> list[str]:
    """The writer's folders beside output/, except its spare (the site the last build replaced)."""
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".atlas-") and p.name != ".atlas-spare-output")


def make_big_atlas(folder: Path, cities: int = 400) -> Path:
    """A generated atlas large enough that a build takes a noticeable time."""
    (folder / "cities").mkdir(parents=True)
    (folder / "atlas.yaml").write_text("title: Big atlas\n", encoding="utf-8")
    for i in range(cities):
        partners = ", ".join(f"c{(i + k) % cities}" for k in (1, 7, 31))
        body = "\n\n".join(f"Paragraph {j} about city {i} with a link to [[c{(i + j + 1) % cities}]]."
                           for j in range(8))
        (folder / "cities" / f"c{i}.md").write_text(
            f"---\nname: City {i}\ncountry: FR\ncoordinates: [{(i % 170) - 85}, {(i * 7 % 360) - 180}]\n"
            f"partners: [{partners}]\n---\n{body}\n", encoding="utf-8")
    return folder


def run_build(content: Path, output: Path, env: dict | None = None) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, str(ROOT / "build.py"), "--content", str(content),
                             "--output", str(output)], cwd=ROOT, env={**os.environ, **(env or {})},
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def test_a_build_killed_at_any_moment_leaves_the_old_site_intact(tmp_path):
    """Killed before its swap, the build leaves the old site; killed after it (while it saves its
    cache, say), the new one, whole: never a mixture."""
    output = tmp_path / "output"
    build(Config(content_dir=STARTER, output_dir=output))
    before = tree_hashes(output)
    big = make_big_atlas(tmp_path / "big")
    build(Config(content_dir=big, output_dir=tmp_path / "whole" / "output"))
    after = tree_hashes(tmp_path / "whole" / "output")
    staging_seen = False
    for delay in (0.3, 0.8, 1.5, 2.5, None):
        # without a spare the build stages a fresh folder (test_writer_spare.py kills one updating the spare)
        shutil.rmtree(tmp_path / ".atlas-spare-output", ignore_errors=True)
        process = run_build(big, output)
        if delay is None:  # wait for the staging folder to appear, then kill while it is being written
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline and not list(tmp_path.glob(".atlas-staging-*")):
                time.sleep(0.005)
            staging_seen = bool(list(tmp_path.glob(".atlas-staging-*")))
        else:
            time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.wait()
        if process.returncode == 0:
            continue  # it finished first: nothing to prove for this delay
        published = tree_hashes(output)
        assert published in (before, after)
        if published == after:  # the swap was done: put the old site back for the next delay
            build(Config(content_dir=STARTER, output_dir=output))
            assert tree_hashes(output) == before
    assert staging_seen, "never caught the build while it was writing"
    # the next build cleans up what the killed ones left behind
    build(Config(content_dir=STARTER, output_dir=output))
    assert leftovers(tmp_path) == []
    assert tree_hashes(output) == before


def test_a_build_failing_while_writing_leaves_the_old_site_intact(tmp_path, monkeypatch):
    output = tmp_path / "output"
    build(Config(content_dir=STARTER, output_dir=output))
    before = tree_hashes(output)
    (tmp_path / "content").mkdir()
    shutil.copytree(STARTER, tmp_path / "content", dirs_exist_ok=True)
    page = tmp_path / "content" / "cities" / "lyon.md"
    page.write_text("---\nname: Lyon\ncountry: FR\n---\nNew.\n", encoding="utf-8")
    calls = {"n": 0}
    real = Path.write_bytes

    def failing_write(self, data):
        calls["n"] += 1
        if calls["n"] == 3:
            raise OSError(28, "No space left on device")
        return real(self, data)

    monkeypatch.setattr(Path, "write_bytes", failing_write)
    with pytest.raises(OSError):
        build(Config(content_dir=tmp_path / "content", output_dir=output))
    monkeypatch.undo()
    assert tree_hashes(output) == before
    assert leftovers(tmp_path) == []


def test_a_successful_build_removes_stale_pages(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(STARTER, content)
    output = tmp_path / "output"
    build(Config(content_dir=content, output_dir=output))
    assert (output / "cities" / "galway" / "index.html").exists()
    # Galway is Chicago's partner: remove the partnership and the city
    chicago = content / "cities" / "chicago.md"
    chicago.write_text("\n".join(line for line in chicago.read_text(encoding="utf-8").splitlines()
                                 if "city: galway" not in line) + "\n", encoding="utf-8")
    for path in content.rglob("*.md"):
        text = path.read_text(encoding="utf-8")
        if "galway" in text and path.name != "galway.md":
            path.write_text(text.replace("[[galway]]", "Galway"), encoding="utf-8")
    (content / "cities" / "galway.md").unlink()
    report = build(Config(content_dir=content, output_dir=output))
    assert report.removed >= 1
    assert not (output / "cities" / "galway").exists()


def test_nothing_is_written_outside_the_output_folder(tmp_path):
    for dest in ("../evil.html", "/etc/passwd", "a/../../b", "a\\..\\b", ""):
        with pytest.raises(AtlasError):
            writer.safe_dest(tmp_path, dest)


def copy_in_reverse_order(source: Path, target: Path) -> None:
    """The same files, created in the opposite order (a different directory order on disk)."""
    files = sorted((p for p in source.rglob("*") if p.is_file()), reverse=True)
    for path in files:
        destination = target / path.relative_to(source)
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, destination)


def test_builds_are_byte_identical_across_hash_seeds_time_zones_locales_and_file_order(tmp_path):
    reversed_content = tmp_path / "content-reversed"
    copy_in_reverse_order(STARTER, reversed_content)
    runs = [
        (STARTER, {"PYTHONHASHSEED": "1", "TZ": "UTC", "LC_ALL": "C.UTF-8"}),
        (reversed_content, {"PYTHONHASHSEED": "4242", "TZ": "Pacific/Auckland", "LC_ALL": "C"}),
        (STARTER, {"PYTHONHASHSEED": "random", "TZ": "America/Los_Angeles", "LANG": "en_US.UTF-8"}),
    ]
    results = []
    for index, (content, env) in enumerate(runs):
        output = tmp_path / f"out{index}"
        process = run_build(content, output, env)
        _, stderr = process.communicate(timeout=300)
        assert process.returncode == 0, stderr.decode()
        results.append(tree_hashes(output))
    assert results[0] == results[1] == results[2]
