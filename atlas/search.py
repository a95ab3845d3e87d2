"""The full-text search index, built at build time by Pagefind.

Runs after pages.py, on the rendered pages in memory; returns the index files
as outputs under pagefind/ (the writer stays the only module that publishes).
Pagefind (its PyPI package ships the binary) indexes the part of each entry
page marked `data-pagefind-body`, with filters from `data-pagefind-filter`
(kind, region, country, network, theme); index pages, search and 404 are left
out. Search then runs entirely in the reader's browser.
"""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

from .errors import AtlasError
from .model import Output

BUNDLE = "pagefind"


def index_pages(pages: list[Output], language: str) -> list[Output]:
    """Index every HTML page; the bundle's files, ready to publish under pagefind/."""
    html_pages = [page for page in pages if page.dest.endswith(".html") and page.dest != "404.html"]
    with tempfile.TemporaryDirectory(prefix="atlas-pagefind-") as folder:
        site, bundle = Path(folder) / "site", Path(folder) / "bundle"
        for page in html_pages:  # Pagefind reads a folder far faster than pages sent one by one
            target = site / page.dest
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(page.data)
        # result URLs are site-relative ("/cities/lyon/"); the search page adds the base path
        command = [str(_pagefind()), "--site", str(site), "--output-path", str(bundle),
                   "--force-language", language.split("-")[0].lower(), "--silent"]
        result = subprocess.run(command, capture_output=True, text=True, check=False)
        if result.returncode != 0:
            raise AtlasError(f"Pagefind could not index the site: {result.stderr.strip() or result.stdout.strip()}")
        return [Output(f"{BUNDLE}/{path.relative_to(bundle).as_posix()}", path.read_bytes())
                for path in sorted(bundle.rglob("*")) if path.is_file()]


def _pagefind() -> Path:
    from pagefind.service import get_executable

    executable = get_executable()
    if executable is None:
        raise AtlasError("Pagefind is not installed; install the atlas with `pip install -e .`"
                         " (its pagefind[bin] dependency ships the binary)")
    return executable
