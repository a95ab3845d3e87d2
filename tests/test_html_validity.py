"""Every page of the built starter atlas passes the Nu HTML Checker (vnu.jar, from npm) with no errors."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest


ROOT = Path(__file__).resolve().parent.parent
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


@pytest.fixture(scope="module")
def built(starter_build) -> Path:
    return starter_build.require()


def test_every_page_is_valid_html(built):
    java = shutil.which("java")
    assert java, "Java is needed for the Nu HTML Checker; ./scripts/test.sh installs it"
    assert VNU.exists(), "vnu.jar is missing; run npm ci"
    pages = sorted(str(p) for p in built.rglob("*.html") if "pagefind" not in p.parts)
    assert len(pages) > 300
    result = subprocess.run([java, "-jar", str(VNU), "--errors-only", "--format", "json", *pages],
                            capture_output=True, text=True, timeout=600)
    messages = json.loads(result.stderr or "{}").get("messages", [])
    errors = [f"{m.get('url', '').rsplit('/output/', 1)[-1]}:{m.get('lastLine')}: {m['message']}"
              for m in messages if m.get("type") == "error"]
    assert errors == [], "\n".join(errors[:30])
