"""linkcheck.py: every internal link of the built site leads to a page, file or element.

Also the publishing recipes that run it: the GitHub Pages workflow, netlify.toml
and the README's "Publishing" section.
"""

from __future__ import annotations

import doctest
import functools
import re
import time
import tomllib
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from atlas.publish import linkcheck
from atlas.publish.linkcheck import MISSING, OUTSIDE_BASE, URL_ATTRIBUTES, BrokenLink, check_links, scan_page
from atlas.model import Output
from atlas.pipeline import Config, render
from atlas.render.urls import Urls

ROOT = Path(__file__).resolve().parent.parent
PAGE = "cities/lyon/index.html"  # the page each case puts its snippet in, on line 3


def site(files: dict[str, str]) -> list[Output]:
    return [Output(dest, text.encode("utf-8")) for dest, text in files.items()]


def lines(*text: str) -> str:
    return "\n".join(text) + "\n"


# A clean mini site; the same files under /atlas/ for the base-path cases.
CLEAN = {
    "index.html": lines(
        "<!doctype html>",
        '<html lang="en"><head><title>Atlas</title>',
        '<link rel="stylesheet" href="/assets/site.css"><script src="/assets/site.js" defer></script>',
        '</head><body><a class="skip" href="#main">Skip</a>',
        '<main id="main"><a href="/cities/lyon/">Lyon</a> <a href="/cities/lyon/#map">its map</a>',
        '<img src="/assets/logo.png" srcset="/assets/logo.png 1x, /assets/logo@2x.png 2x" alt="">',
        '<form action="/search/" role="search"><input name="q"></form> <a href="/feed.xml">feed</a>',
        "</main></body></html>"),
    PAGE: lines(
        "<!doctype html>",
        "<title>Lyon</title>",
        '<h1 id="top-heading">Lyon</h1><div id="map" class="map"></div>',
        '<a href="../../">Home</a> <a href="../barcelona/#history">Barcelona</a> <a href="map.png">map</a>'),
    "cities/barcelona/index.html": lines(
        "<!doctype html>",
        "<title>Barcelona</title>",
        '<h2 id="history">History</h2><a name="old-anchor"></a>',
        '<a href="/cities/s%C3%A3o-paulo/#bairro-s%C3%A9">São Paulo</a> <a href="/files/annual%20report.pdf">report</a>'),
    "cities/são-paulo/index.html": '<!doctype html>\n<h2 id="bairro-sé">Sé</h2>\n',
    "search/index.html": '<!doctype html>\n<title>Search</title>\n',
    "404.html": '<!doctype html>\n<a href="/">Home</a>\n',
    "cities/lyon/map.png": "PNG",
    "files/annual report.pdf": "%PDF",
    "assets/site.css": "body{}",
    "assets/site.js": "",
    "assets/logo.png": "PNG",
    "assets/logo@2x.png": "PNG",
    "feed.xml": "<feed/>",
}


def with_snippet(snippet: str, files: dict[str, str] = CLEAN) -> list[Output]:
    """CLEAN with `snippet` inserted as line 3 of cities/lyon/index.html."""
    changed = dict(files)
    head, rest = changed[PAGE].split("\n", 2)[:2], changed[PAGE].split("\n", 2)[2]
    changed[PAGE] = "\n".join([*head, snippet, rest])
    return site(changed)


def under(base: str, files: dict[str, str] = CLEAN) -> dict[str, str]:
    """The files with every site-absolute URL moved under `base`, as a build with that base URL makes them."""
    return {dest: re.sub(r'((?:href|src|srcset|action)="|, )/', rf"\1{base}", text) if dest.endswith(".html") else text
            for dest, text in files.items()}


def test_a_clean_site_has_no_broken_links():
    assert check_links(site(CLEAN), "/") == []


def test_the_same_site_under_a_base_path_has_none():
    assert check_links(site(under("/atlas/")), "/atlas/") == []
    assert check_links(site(under("/atlas/")), "/atlas") == []  # a base path without its slash


# (snippet on line 3 of cities/lyon/index.html, the reason it is broken, or None when it is fine)
CASES = [
    # pages and files that do not exist
    ('<a href="/cities/nowhere/">x</a>', MISSING),
    ('<link rel="stylesheet" href="/assets/missing.css">', MISSING),
    ('<script src="/assets/gone.js"></script>', MISSING),
    ('<img src="/assets/nothere.png" alt="">', MISSING),
    ('<iframe src="/embed/map/"></iframe>', MISSING),
    ('<video poster="/assets/poster.png"><source src="/assets/clip.webm"></video>', MISSING),
    ('<form action="/nowhere/"></form>', MISSING),
    ('<a href="/cities/barcelona">no slash</a>', "no such page or file; did you mean '/cities/barcelona/'?"),
    ('<a href="/cities/sao-paulo/">x</a>', MISSING),
    # relative URLs, resolved against /cities/lyon/
    ('<a href="../barcelona/">x</a>', None),
    ('<a href="../../">x</a>', None),
    ('<a href="./map.png">x</a>', None),
    ('<a href="../../cities/./barcelona/">x</a>', None),
    ('<a href="/cities/lyon/../barcelona/">x</a>', None),
    ('<a href="../madrid/">x</a>', MISSING),
    ('<img src="map.jpg" alt="">', MISSING),
    # percent-encoding, queries, entities, unusual but valid markup
    ('<a href="/cities/s%C3%A3o-paulo/">x</a>', None),
    ('<a href="/cities/são-paulo/">x</a>', None),
    ('<a href="/files/annual%20report.pdf">x</a>', None),
    ('<a href="/files/annual%20reports.pdf">x</a>', MISSING),
    ('<a href="/cities/barcelona/?page=2&amp;sort=name">x</a>', None),
    ("<A HREF = '/cities/barcelona/' >x</A>", None),
    ("<a href=/cities/barcelona/>x</a>", None),
    ('<a title="<a href=\'/gone/\'>" href="/cities/barcelona/">x</a>', None),
    ('<a data-href="/gone/" href="/cities/barcelona/">x</a>', None),
    ('<a href="  /cities/barcelona/\n">x</a>', None),
    ('<a href="">this page</a><a href>no value</a>', None),
    # fragments
    ('<a href="#map">x</a>', None),
    ('<a href="#">x</a>', None),
    ('<a href="#top">x</a>', None),
    ('<a href="#nothere">x</a>', "no element with id 'nothere'"),
    ('<a href="/cities/lyon/#nothere">x</a>', "no element with id 'nothere'"),
    ('<a href="../barcelona/#history">x</a>', None),
    ('<a href="/cities/barcelona/#old-anchor">x</a>', None),
    ('<a href="/cities/barcelona/#nothere">x</a>', "no element with id 'nothere' in cities/barcelona/index.html"),
    ('<a href="/cities/s%C3%A3o-paulo/#bairro-s%C3%A9">x</a>', None),
    ('<a href="/cities/s%C3%A3o-paulo/#bairro-s%C3%A8">x</a>', "no element with id 'bairro-sè' in cities/são-paulo/index.html"),
    ('<a href="/feed.xml#entry-1">x</a>', None),  # fragments of other files are not checked
    # external URLs are not ours to check; other schemes are not expected at all
    ('<a href="https://example.org/nowhere/">x</a><a href="http://example.org/">x</a>', None),
    ('<a href="mailto:atlas@example.org">x</a><a href="tel:+33472100000">x</a>', None),
    ('<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" alt="">', None),
    ('<script src="//cdn.example.org/x.js"></script>', None),
    ('<a href="javascript:alert(1)">x</a>', "unexpected URL scheme 'javascript:'"),
    # what is not a link
    ('<!-- <a href="/gone/">old</a> -->', None),
    ("<script>document.write('<a href=\"/gone/\">x</a>')</script>", None),
    ('<script type="application/json">{"html": "<img src=\'/gone.png\'>"}</script>', None),
    ('<style>a[href="/gone/"] { color: red }</style>', None),
    ('<textarea><a href="/gone/">x</a></textarea>', None),
    ('<p>Write <code>&lt;a href="/gone/"&gt;</code>, or href="/gone/" as text.</p>', None),
]


@pytest.mark.parametrize("snippet, reason", CASES)
def test_each_kind_of_link(snippet, reason):
    found = check_links(with_snippet(snippet), "/")
    if reason is None:
        assert found == []
    else:
        url = re.search(r'(?:href|src|poster|action)\s*=\s*"([^"]*)"', snippet).group(1)
        if "poster" in snippet:  # the video case has two broken URLs
            assert found == [BrokenLink(PAGE, 3, "/assets/clip.webm", MISSING),
                             BrokenLink(PAGE, 3, "/assets/poster.png", MISSING)]
        else:
            assert found == [BrokenLink(PAGE, 3, url.replace("&amp;", "&"), reason)]


BASE_CASES = [
    ('<a href="/atlas/cities/barcelona/">x</a>', None),
    ('<a href="../../">x</a>', None),
    ('<a href="/other/">x</a>', OUTSIDE_BASE),
    ('<a href="/">x</a>', OUTSIDE_BASE),
    ('<a href="/atlas">x</a>', OUTSIDE_BASE),
    ('<a href="../../../">x</a>', OUTSIDE_BASE),
    ('<a href="/cities/barcelona/">x</a>', OUTSIDE_BASE),
    ('<a href="/atlas/cities/nowhere/">x</a>', MISSING),
    ('<a href="/atlas/cities/barcelona/#nothere">x</a>', "no element with id 'nothere' in cities/barcelona/index.html"),
]


@pytest.mark.parametrize("snippet, reason", BASE_CASES)
def test_links_under_a_base_path(snippet, reason):
    found = check_links(with_snippet(snippet, under("/atlas/")), "/atlas/")
    url = re.search(r'href="([^"]*)"', snippet).group(1)
    assert found == ([] if reason is None else [BrokenLink(PAGE, 3, url, reason)])


def test_srcset_urls_are_each_checked():
    found = check_links(with_snippet('<img src="/assets/logo.png" srcset="/assets/logo.png 1x,'
                                     '/assets/logo@3x.png 3x, data:image/png;base64,AAAA 4x" alt="">'), "/")
    assert found == [BrokenLink(PAGE, 3, "/assets/logo@3x.png", MISSING)]


def test_lines_are_those_of_the_tag_and_the_list_is_sorted():
    files = dict(CLEAN)
    files["about/index.html"] = lines("<!doctype html>", "<p>One", 'two <a class="x"', '   href="/gone/">gone</a>',
                                      '<a href="#nope">x</a>')
    files["404.html"] = '<!doctype html>\n<a href="/missing/">Home</a>\n'
    assert check_links(site(files), "/") == [
        BrokenLink("404.html", 2, "/missing/", MISSING),
        BrokenLink("about/index.html", 3, "/gone/", MISSING),
        BrokenLink("about/index.html", 5, "#nope", "no element with id 'nope'"),
    ]


def test_a_broken_link_reads_page_line_url_and_reason():
    link = BrokenLink(PAGE, 3, "/cities/nowhere/", MISSING)
    assert str(link) == "cities/lyon/index.html:3: broken link '/cities/nowhere/': no such page or file"
    assert link.as_dict() == {"page": PAGE, "line": 3, "url": "/cities/nowhere/", "reason": MISSING}


def test_the_examples_in_the_docstrings_hold():
    result = doctest.testmod(linkcheck)
    assert result.failed == 0 and result.attempted >= 3


# --- the starter atlas ----------------------------------------------------------

SUB_PATH = "https://example.org/atlas/"


@functools.cache
def starter(base_url: str | None = None) -> tuple[list[Output], str]:
    """The starter atlas rendered in memory (once per base URL), and its base path."""
    outputs, _, _ = render(Config(content_dir=ROOT / "content", base_url=base_url))
    atlas_yaml = yaml.safe_load((ROOT / "content/atlas.yaml").read_text(encoding="utf-8"))
    return outputs, Urls.from_base_url(base_url or atlas_yaml.get("base_url")).base_path


@pytest.mark.parametrize("base_url", [None, SUB_PATH], ids=["root", "sub-path"])
def test_the_starter_atlas_has_no_broken_links(base_url):
    outputs, base_path = starter(base_url)
    assert base_path == ("/atlas/" if base_url else "/")
    started = time.perf_counter()
    assert check_links(outputs, base_path) == []
    assert time.perf_counter() - started < 5  # about 0.2 s


def test_the_starter_check_is_not_vacuous():
    """Checked against another base path, every internal link of the starter atlas is reported."""
    outputs, _ = starter(SUB_PATH)
    found = check_links(outputs, "/elsewhere/")
    assert found and {link.reason for link in found} == {OUTSIDE_BASE}


class _Reference(HTMLParser):
    """The conftest link checker's way of reading a page (html.parser), with lines."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[tuple[int, str]] = []

    def handle_starttag(self, tag, attrs):
        values: dict[str, str | None] = {}
        for name, value in attrs:
            values.setdefault(name, value)
        if values.get("id"):
            self.ids.add(values["id"])
        if tag == "a" and values.get("name"):
            self.ids.add(values["name"])
        for name in URL_ATTRIBUTES.get(tag, ()):
            value = (values.get(name) or "").strip(" \t\n\r\f")
            urls = linkcheck._srcset_urls(value) if name == "srcset" else [value]
            self.links.extend((self.getpos()[0], url) for url in urls if url)


def test_the_scanner_reads_every_starter_page_as_html_parser_does():
    outputs, _ = starter()
    pages = [output for output in outputs if output.dest.endswith(".html")]
    assert len(pages) > 100
    for output in pages:
        text = output.data.decode("utf-8")
        reference = _Reference()
        reference.feed(text)
        reference.close()
        scanned = scan_page(text)
        assert scanned.ids == reference.ids, output.dest
        assert [(text.count("\n", 0, offset) + 1, url) for offset, url in scanned.links] == reference.links, \
            output.dest


def test_ten_thousand_pages_are_checked_in_seconds():
    """30 copies of the starter atlas, each linking within itself: about 10,000 distinct pages."""
    outputs, _ = starter()
    big = list(outputs)
    for i in range(1, 30):
        prefix = f"copy{i}/".encode()
        for output in outputs:
            data = output.data
            if output.dest.endswith(".html"):
                for attribute in (b'href="/', b'src="/', b'action="/'):
                    data = data.replace(attribute, attribute + prefix)
            big.append(Output(f"copy{i}/{output.dest}", data))
    assert sum(output.dest.endswith(".html") for output in big) > 10_000
    started = time.process_time()
    assert check_links(big, "/") == []
    assert time.process_time() - started < 20  # about 4 s; a loose bound that still catches a quadratic slip


# --- publishing recipes -------------------------------------------------------

def test_the_pages_workflow_builds_strictly_checks_and_deploys():
    workflow = yaml.safe_load((ROOT / ".github/workflows/pages.yml").read_text(encoding="utf-8"))
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as true
    assert triggers["push"]["branches"] == ["main"] and "workflow_dispatch" in triggers
    assert workflow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    assert workflow["concurrency"]["group"] == "pages"
    steps = {job: [step.get("uses", step.get("run", "")) for step in spec["steps"]]
             for job, spec in workflow["jobs"].items()}
    build = " ".join(steps["build"])
    assert "actions/configure-pages" in build and "actions/upload-pages-artifact" in build
    assert './scripts/build.sh --strict --base-url "${{ steps.pages.outputs.base_url }}/"' in build
    assert any("actions/deploy-pages" in step for step in steps["deploy"])
    assert workflow["jobs"]["deploy"]["needs"] == "build"
    assert any("atlas check --format json" in step for step in steps["check"])
    assert any("actions/upload-artifact" in step for step in steps["check"])
    versions = {step["with"][key] for spec in workflow["jobs"].values() for step in spec["steps"]
                for key in ("python-version", "node-version") if key in step.get("with", {})}
    assert versions == {"3.11", "20"}


def test_the_tests_workflow_runs_the_readmes_test_command_on_pull_requests_and_pushes():
    workflow = yaml.safe_load((ROOT / ".github/workflows/tests.yml").read_text(encoding="utf-8"))
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as true
    assert "pull_request" in triggers and "push" in triggers
    runs = [step.get("run", "") for step in workflow["jobs"]["test"]["steps"]]
    assert "./scripts/test.sh -q" in runs
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "./scripts/test.sh" in readme.split("\n## Quick start\n", 1)[1].split("\n## ", 1)[0]


def test_netlify_builds_strictly_for_each_deploys_own_address_and_publishes_output():
    netlify = tomllib.loads((ROOT / "netlify.toml").read_text(encoding="utf-8"))
    assert netlify["build"]["command"] == './scripts/build.sh --strict --base-url "$URL/"'
    for context in ("deploy-preview", "branch-deploy"):
        assert netlify["context"][context]["command"] == './scripts/build.sh --strict --base-url "$DEPLOY_PRIME_URL/"'
    assert netlify["build"]["publish"] == "output"
    assert netlify["build"]["environment"] == {"PYTHON_VERSION": "3.11", "NODE_VERSION": "20"}


def test_the_readme_publishing_recipes_send_the_policy_the_build_writes():
    outputs, _ = starter()
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Publishing\n", 1)[1].split("\n## ", 1)[0]
    assert readme.index("\n## Publishing\n") < readme.index("\n## Security\n")
    headers = next(output for output in outputs if output.dest == "_headers").data.decode("utf-8")
    policy = re.search(r"Content-Security-Policy: (.*)", headers).group(1)
    assert f'add_header Content-Security-Policy "{policy}" always;' in section  # nginx
    assert f'Header always set Content-Security-Policy "{policy}"' in section  # Apache
    for command in ("./scripts/build.sh --strict", "atlas check --format json", "SOURCE_DATE_EPOCH"):
        assert command in section
