"""The lock files: what ./scripts/build.sh and ./scripts/test.sh install, exactly.

The same input gives the same bytes only if every fresh install runs the same
libraries: PyYAML's messages, Markdown's HTML, Pagefind's files and folium's
script all come from them. These tests fail when the environment the suite
runs in is not the lock's, or when the lock and pyproject.toml's ranges part.
"""

from __future__ import annotations

import re
import tomllib
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import pytest
from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
PIN = re.compile(r"^([A-Za-z0-9._-]+)==([^\s;\\]+)\s*(?:;\s*([^\\]+?))?\s*\\?$")


def pins_of(lock: str) -> dict[str, str]:
    """name -> version for every pin of a lock file that applies to this interpreter and platform."""
    pins = {}
    for line in (ROOT / lock).read_text(encoding="utf-8").splitlines():
        match = PIN.match(line)
        if match is None:
            continue
        name, pinned, marker = match.groups()
        if marker is None or Marker(marker).evaluate():
            pins[canonicalize_name(name)] = pinned
    return pins


def project_requirements(extra: str | None = None) -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    names = project["dependencies"] + (project["optional-dependencies"][extra] if extra else [])
    return [Requirement(text) for text in names]


def test_every_pin_of_the_test_lock_is_the_version_installed():
    installed = {}
    for name in pins_of("requirements-test.lock"):
        try:
            installed[name] = version(name)
        except PackageNotFoundError:
            installed[name] = None
    assert installed == pins_of("requirements-test.lock"), "run ./scripts/test.sh, which installs the lock"


@pytest.mark.parametrize("lock, extra", [("requirements.lock", None), ("requirements-test.lock", "test")])
def test_the_lock_pins_every_dependency_within_its_range(lock, extra):
    pins = pins_of(lock)
    for requirement in project_requirements(extra):
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{lock} does not pin {name}: run ./scripts/lock.sh"
        assert requirement.specifier.contains(pins[name]), \
            f"{lock} pins {name} {pins[name]}, outside pyproject.toml's {requirement}: run ./scripts/lock.sh"


def test_the_build_lock_is_the_test_lock_less_the_test_tools():
    build, test = pins_of("requirements.lock"), pins_of("requirements-test.lock")
    assert {name: test.get(name) for name in build} == build


def test_every_pin_carries_hashes():
    for lock in ("requirements.lock", "requirements-test.lock"):
        text = (ROOT / lock).read_text(encoding="utf-8")
        for block in re.split(r"\n(?=[A-Za-z])", text):
            if PIN.match(block.splitlines()[0]):
                assert "--hash=sha256:" in block, f"{lock}: {block.splitlines()[0]} has no hash"
