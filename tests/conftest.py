"""Shared fixtures: scratch content folders, in-process builds and a link checker.

`make_site(tmp_path, files)` writes a small content tree, like lektor's
`scratch_project_data`: keys are paths inside `content/`, values are the file
text (str) or raw bytes, or None to delete the file. An `atlas.yaml` with a
title is added unless the files give one or it already exists; pass
`"atlas.yaml": None` to leave it out. The fixture also
changes into tmp_path, so problems read `content/cities/lyon.md:4: ...`.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

PROJECT_ROOT = Path(__file__).resolve().parent.parent
if str(PROJECT_ROOT) not in sys.path:
    sys.path.insert(0, str(PROJECT_ROOT))

from atlas import cli  # noqa: E402
from browser.fixtures import (browser, page, serve, starter_site,  # noqa: E402,F401 - shared fixtures
                              starter_site_under_subpath)
from atlas.errors import ContentError, Problem  # noqa: E402
from atlas.pipeline import BuildReport, Config, build, check  # noqa: E402
from atlas.content.schema import validate_entries  # noqa: E402
from atlas.errors import ErrorList  # noqa: E402
from atlas.content.sources import load_sources  # noqa: E402

STARTER_CONTENT = PROJECT_ROOT / "content"
DEFAULT_ATLAS_YAML = "title: Test Atlas\n"


# --- writing content ---------------------------------------------------------

def entry(front: str, body: str = "") -> str:
    """A content file: front matter between --- lines, then the body.

    >>> entry("name: Lyon\\ncountry: FR\\n", "Text.\\n")
    '---\\nname: Lyon\\ncountry: FR\\n---\\nText.\\n'
    """
    front = textwrap.dedent(front).lstrip("\n")
    if front and not front.endswith("\n"):
        front += "\n"
    return f"---\n{front}---\n{textwrap.dedent(body).lstrip(chr(10))}"


def city(name: str, country: str, coordinates: str | None = None, extra: str = "", body: str = "") -> str:
    """A city file; `coordinates` is YAML text such as "[45.76, 4.84]"."""
    front = f"name: {name}\ncountry: {country}\n"
    if coordinates is not None:
        front += f"coordinates: {coordinates}\n"
    return entry(front + textwrap.dedent(extra).lstrip("\n"), body)


def write_site(root: Path, files: dict[str, str | bytes | None]) -> Path:
    """Write `files` under root/content and return that folder."""
    content = root / "content"
    content.mkdir(parents=True, exist_ok=True)
    files = dict(files)
    if not (content / "atlas.yaml").exists():  # a later call only changes the files it names
        files.setdefault("atlas.yaml", DEFAULT_ATLAS_YAML)
    for relative, data in files.items():
        path = content / relative
        if data is None:
            if path.exists():
                path.unlink()
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(data, encoding="utf-8")
    return content


@pytest.fixture
def make_site(monkeypatch):
    """make_site(tmp_path, {"cities/lyon.md": "..."}) -> the content folder; cwd becomes tmp_path."""

    def make(root: Path, files: dict[str, str | bytes | None]) -> Path:
        monkeypatch.chdir(root)
        return write_site(root, files)

    return make


# --- running the atlas -----------------------------------------------------

@dataclass
class CliResult:
    exit_code: int
    stdout: str
    stderr: str


@pytest.fixture
def run_cli(capsys):
    """run_cli("build", "--base-url", URL) runs `atlas ...` in-process."""

    def run(*args: str) -> CliResult:
        capsys.readouterr()
        code = cli.main(list(args))
        out, err = capsys.readouterr()
        return CliResult(code, out, err)

    return run


def check_problems(content: str | Path = "content", drafts: bool = False) -> list[str]:
    """Every problem `atlas check` reports, as the text an editor sees."""
    errors, _, _ = check(Config(content_dir=Path(content), drafts=drafts))
    return [str(p) for p in sorted(errors.problems)]


def check_graph(content: str | Path = "content", drafts: bool = False):
    errors, graph, _ = check(Config(content_dir=Path(content), drafts=drafts))
    return [str(p) for p in sorted(errors.problems)], graph


def schema_problems(content: str | Path = "content", drafts: bool = False) -> list[str]:
    """Problems of loading and schema validation only (no links, no gazetteer)."""
    errors = ErrorList()
    sources = load_sources(Path(content), errors, label=Path(content).as_posix())
    validate_entries(sources, errors, drafts=drafts)
    return [str(p) for p in sorted(errors.problems)]


def load_problems(content: str | Path = "content") -> list[str]:
    errors = ErrorList()
    load_sources(Path(content), errors, label=Path(content).as_posix())
    return [str(p) for p in sorted(errors.problems)]


def build_site(content: Path | str = "content", output: Path | str = "output", **options) -> BuildReport:
    return build(Config(content_dir=Path(content), output_dir=Path(output), **options))


def json_ld_of(page: Path) -> dict:
    """The linked data (JSON-LD) a built page carries."""
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', page.read_text(encoding="utf-8"), re.S)
    assert match, f"no JSON-LD in {page}"
    return json.loads(match.group(1))


def snapshot(folder: Path) -> dict[str, str]:
    """relative path -> sha256 of every file under folder."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def edit(path: Path, old: str, new: str) -> None:
    """Replace the first `old` in a content file with `new` (the test fails if `old` is not there)."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


# The city the edit tests change: its text is fixed here, so that the tests do not follow the
# shipped atlas's wording of it.
GALWAY = ('---\nname: "Galway"\ncountry: IE\nthemes: [citizen-diplomacy]\nsources: [csci-galway]\n'
          'summary: "Irish city, a sister city of Chicago since 1997."\n---\n\n'
          "Galway has been a sister city of [[chicago]] since 1997 [@csci-galway].\n")


@pytest.fixture
def atlas_copy(tmp_path) -> Path:
    """A copy of the starter atlas's content folder, free to edit, with Galway as the edit tests expect."""
    content = tmp_path / "content"
    shutil.copytree(STARTER_CONTENT, content)
    (content / "cities" / "galway.md").write_text(GALWAY, encoding="utf-8")
    return content


def mtimes(folder: Path) -> dict[str, int]:
    return {p.relative_to(folder).as_posix(): p.stat().st_mtime_ns
            for p in sorted(folder.rglob("*")) if p.is_file()}


# --- a small atlas with every kind of entry ------------------------------------

SMALL_ATLAS = {
    "atlas.yaml": "title: Small Atlas\ndescription: Two cities and their friends.\nlanguage: en\n",
    "cities/lyon.md": city("Lyon", "FR", extra="""\
        summary: A city on the Rhône.
        population: 522250
        office: Direction des relations internationales
        networks: [eurocities]
        partners:
          - city: barcelona
            kind: cooperation
            since: [2000, 2004]
            sources: [lyon-partners]
        themes: [climate]
        sources: [lyon-partners]
        """, body="""\
        # History

        Lyon works with [[barcelona]] and [[cities/barcelona|its partner]] [@lyon-partners].

        | City | Since |
        |:-----|------:|
        | Barcelona | 2000 |

        A claim with a footnote.[^1]

        [^1]: The footnote.
        """),
    "cities/barcelona.md": city("Barcelona", "ES", "[41.3874, 2.1686]", body="""\
        Barcelona hosts [[eurocities]] meetings; see [[lyon-barcelona-exchange]] and [[about]].
        """),
    "networks/eurocities.md": entry("""\
        name: Eurocities
        short_name: EC
        founded: 1986
        headquarters: barcelona
        members: [barcelona]
        themes: [climate]
        website: https://eurocities.eu/
        """, "Eurocities links [[lyon]] and [[barcelona]] [@eurocities-site].\n"),
    "case-studies/lyon-barcelona-exchange.md": entry("""\
        title: Lyon–Barcelona climate exchange
        date: "2019-06-12"
        cities: [lyon, barcelona]
        networks: [eurocities]
        themes: [climate]
        kind: workshop
        """, "A workshop in [[lyon]].\n"),
    "themes/climate.md": entry("name: Climate\ndescription: Cities acting on climate change.\n",
                               "Climate work in [[eurocities]].\n"),
    "pages/about.md": entry("title: About\norder: 1\n", "## What this is\n\nAn atlas. See [[climate]].\n"),
    "sources.yaml": textwrap.dedent("""\
        - id: lyon-partners
          title: Lyon's international partners
          authors: [Ville de Lyon]
          publisher: Ville de Lyon
          year: 2020
          url: https://www.lyon.fr/
        - id: eurocities-site
          title: About Eurocities
          date: "2021-03-04"
          url: https://eurocities.eu/about/
          note: Web page.
        """),
}


# --- checking the links of a built site ------------------------------------

class _PageParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.urls: list[tuple[str, str, str]] = []  # (tag, attribute, value)

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if value is None:
                continue
            if name in ("id", "name") and (name == "id" or tag == "a"):
                self.ids.add(value)
            if name in ("href", "src"):
                self.urls.append((tag, name, value))


def parse_html(path: Path) -> _PageParser:
    parser = _PageParser()
    parser.feed(path.read_text(encoding="utf-8"))
    parser.close()
    return parser


def is_external(url: str) -> bool:
    scheme = urlsplit(url).scheme.lower()
    return scheme in ("http", "https", "mailto") or url.startswith("//")


def url_to_file(output: Path, base_path: str, url_path: str) -> Path | None:
    """The built file a site-absolute URL path points to, or None if it is outside the site."""
    path = unquote(url_path)
    if not path.startswith(base_path):
        return None
    relative = path[len(base_path):]
    if relative == "" or relative.endswith("/"):
        relative += "index.html"
    return output / relative


def find_broken_links(output: Path, base_path: str = "/") -> list[str]:
    """Every internal href/src (and #fragment) in the built HTML that does not resolve."""
    pages = {p: parse_html(p) for p in sorted(output.rglob("*.html"))}
    broken: list[str] = []
    for page, parsed in pages.items():
        where = page.relative_to(output).as_posix()
        for tag, attribute, url in parsed.urls:
            if is_external(url) or urlsplit(url).scheme:
                if urlsplit(url).scheme not in ("http", "https", "mailto", ""):
                    broken.append(f"{where}: <{tag} {attribute}={url!r}>: unexpected URL scheme")
                continue
            parts = urlsplit(url)
            if parts.path == "":
                target = page
            elif not parts.path.startswith("/"):
                broken.append(f"{where}: <{tag} {attribute}={url!r}>: relative URL")
                continue
            else:
                target = url_to_file(output, base_path, parts.path)
                if target is None:
                    broken.append(f"{where}: <{tag} {attribute}={url!r}>: outside the base path {base_path}")
                    continue
                if not target.is_file():
                    broken.append(f"{where}: <{tag} {attribute}={url!r}>: no file {target.relative_to(output)}")
                    continue
            if parts.fragment:
                if target.suffix != ".html":
                    continue
                ids = pages[target].ids if target in pages else parse_html(target).ids
                if unquote(parts.fragment) not in ids:
                    broken.append(f"{where}: <{tag} {attribute}={url!r}>: no id {parts.fragment!r}"
                                  f" in {target.relative_to(output)}")
    return broken


def internal_urls(output: Path) -> list[tuple[str, str]]:
    """(page, url) for every href/src in the built HTML that is not external."""
    found = []
    for page in sorted(output.rglob("*.html")):
        for _tag, _attribute, url in parse_html(page).urls:
            if not is_external(url):
                found.append((page.relative_to(output).as_posix(), url))
    return found


# --- the starter atlas, built once for every test that only reads it ----------------

@dataclass
class StarterBuild:
    output: Path
    report: BuildReport | None
    problems: list[Problem]

    def require(self) -> Path:
        """The output folder; fails the calling test with every content error if the build failed."""
        if self.report is None:
            shown = "\n".join(str(p) for p in self.problems[:60])
            more = len(self.problems) - 60
            pytest.fail(f"the starter atlas in content/ does not build: {len(self.problems)} errors\n{shown}"
                        + (f"\n... and {more} more" if more > 0 else ""), pytrace=False)
        return self.output


@pytest.fixture(scope="session")
def starter_build(tmp_path_factory) -> StarterBuild:
    output = tmp_path_factory.mktemp("starter") / "output"
    cwd = os.getcwd()
    os.chdir(PROJECT_ROOT)  # so problems read content/cities/...
    try:
        report = build(Config(content_dir=Path("content"), output_dir=output))
    except ContentError as exc:
        return StarterBuild(output, None, exc.problems)
    finally:
        os.chdir(cwd)
    return StarterBuild(output, report, [])


# --- the starter atlas built with a cache, as each test that edits it finds it -----

class KeptBuilds:
    """Cached builds of the starter atlas, each made once per session and handed to every test afresh.

    A cache knows its folders by absolute path and the content files by size,
    times and inode, so a copy in another place would be a stranger to it.
    Each build is kept at one place, with a copy of it beside: a test gets the
    folders back at that place, and one build over the restored files (new
    inodes, every page reused) brings the cache up to date with them. Each test
    starts from what a first build leaves, and sees no other test's edits.
    """

    def __init__(self, root: Path) -> None:
        self.root = root

    def restore(self, base_url: str | None = None, files: dict[str, str] | None = None) -> BuildReport:
        """The starter atlas (with `files` written over it) built into out/ with a cache in cache/.

        The report is the last build's: its `state` is the site as atlas serve holds it, and
        `state.config` says where the folders are.
        """
        files = files or {}
        key = hashlib.sha256(repr((base_url, sorted(files.items()))).encode()).hexdigest()[:12]
        site, kept = self.root / key / "site", self.root / key / "kept"
        config = Config(content_dir=site / "content", output_dir=site / "out", cache_dir=site / "cache",
                        base_url=base_url)
        shutil.rmtree(site, ignore_errors=True)
        if kept.exists():
            copy_tree(kept, site)
            return build(config)
        shutil.copytree(STARTER_CONTENT, config.content_dir)
        write_site(site, files)
        report = build(config)
        copy_tree(site, kept)
        return report


def copy_tree(source: Path, target: Path) -> None:
    """`cp -a`: times to the nanosecond, and the hard links between output/ and its spare, as they were."""
    subprocess.run(["cp", "-a", "--", str(source), str(target)], check=True)


@pytest.fixture(scope="session")
def kept_builds(tmp_path_factory) -> KeptBuilds:
    return KeptBuilds(tmp_path_factory.mktemp("kept-builds"))


@pytest.fixture
def warm_atlas(kept_builds) -> Config:
    """The starter atlas, with Galway as the edit tests expect, built once with a cache: free to edit."""
    return kept_builds.restore(files={"cities/galway.md": GALWAY}).state.config
