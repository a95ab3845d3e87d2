"""Fixtures for the hostile corpus: a good site built once, and the browser fixtures."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from atlas.pipeline import Config, build

from .cases import Case

DEFAULT_ATLAS_YAML = "title: Hostile atlas\n"

GOOD_SITE = {
    "atlas.yaml": "title: Good atlas\n",
    "cities/lyon.md": "---\nname: Lyon\ncountry: FR\ncoordinates: [45.76, 4.84]\npartners: [paris]\n---\nLyon.\n",
    "cities/paris.md": "---\nname: Paris\ncountry: FR\ncoordinates: [48.8566, 2.3522]\n---\nParis.\n",
    "pages/about.md": "---\ntitle: About\n---\nAbout [[lyon]].\n",
}


def write_files(content: Path, files: dict, default_atlas: bool = True) -> Path:
    """Write a case's files under `content`; None as a value means "do not write this file"."""
    content.mkdir(parents=True, exist_ok=True)
    files = dict(files)
    if default_atlas:
        files.setdefault("atlas.yaml", DEFAULT_ATLAS_YAML)
    for relative, data in files.items():
        if data is None:
            continue
        path = content / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_bytes(data.encode("utf-8"))
    return content


def write_case(root: Path, case: Case) -> Path:
    content = write_files(root / "content", case.files)
    if case.setup is not None:
        case.setup(content)
    return content


@pytest.fixture(scope="session")
def good_output(tmp_path_factory) -> Path:
    """A site built from good content (in-process, which also warms the atlas up for forked builds)."""
    root = tmp_path_factory.mktemp("good")
    content = write_files(root / "content", GOOD_SITE, default_atlas=False)
    build(Config(content_dir=content, output_dir=root / "output"))
    return root / "output"


def copy_site(source: Path, target: Path) -> None:
    shutil.copytree(source, target, copy_function=shutil.copy2, symlinks=True)
