"""Property tests: whatever an editor writes, `atlas build` either publishes an inert site or
explains every problem as `content/<file>:<line>: error: ...`, and never raises.

Hypothesis writes 1-3 city files whose front matter is a mapping of known and
unknown keys holding text, numbers, booleans, None, lists and nested
mappings, dumped as YAML (sometimes plain garbage instead), and whose bodies
mix arbitrary text with Markdown, [[links]], [@citations], footnotes and HTML
fragments, payloads included. The inertness checks are the hostile corpus's
(tests/hostile/inert.py).
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import shutil
import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from atlas import cli
from hostile.inert import find_hazards

PROBLEM = re.compile(r"^content/\S+:\d+: (error|warning): .+")
SLUGS = ["city-1", "city-2", "city-3"]
KNOWN_KEYS = ["name", "country", "coordinates", "population", "office", "networks", "partners", "themes",
              "summary", "draft", "sources", "title", "description", "website", "kind", "since", "note", "city",
              "order", "date", "members", "headquarters"]
PAYLOADS = [
    "<script>__pwned=1</script>", "</script><script>__pwned=1</script>", '"><img src=x onerror=__pwned=1>',
    "<svg onload=__pwned=1>", "[x](javascript:__pwned=1)", "<a href=\"jav&#x09;ascript:__pwned=1\">x</a>",
    "<iframe srcdoc='<script>__pwned=1</script>'>", "`${__pwned=1}`", "\u2028\u2029", "&lt;b&gt;", "\\", "'", '"',
    "<!--", "-->", "<style>@import url(x)</style>", "<base href=//x>", "<form action=x>",
]
SAFE_FRAGMENTS = [
    "[^1]", "[^1]: a note", "# Heading", "## <i>h</i>", "> quote",
    "- item", "1. item", "| a | b |\n|---|---|\n| c | d |", "```\ncode <script>\n```", "`code`", "**bold**",
    "*em*", "<b>", "</b>", "<div>", "<https://example.org>", "![img](https://example.org/a.png)", "---", "...",
    "*[HTML]: Hyper", "Term\n:   Definition", "&amp;", "&#0;", "\t", "]", "]]", "<", ">",
]
FRAGMENTS = PAYLOADS + SAFE_FRAGMENTS + [
    "[[city-1]]", "[[city-2|a <b>label</b>]]", "[[cities/city-3]]", "[[nowhere]]", "[[../x]]", "[@src]",
    "[@src; @src]", "[@nope]", "[@x\"><b>]", "[", "[[",
]

texts = st.text(max_size=30) | st.sampled_from(PAYLOADS + SLUGS + ["src", "FR", "NO", "yes", "010", "1963",
                                                                   "2019-02-29", "45:30", "https://example.org/"])
scalars = (st.none() | st.booleans() | st.integers(min_value=-10**12, max_value=10**12)
           | st.floats(allow_nan=True, allow_infinity=True) | texts)
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4)
                      | st.dictionaries(st.sampled_from(KNOWN_KEYS) | st.text(max_size=10), inner, max_size=4),
                      max_leaves=8)
front_matter = st.dictionaries(st.sampled_from(KNOWN_KEYS) | st.text(max_size=12), values, max_size=6)


@st.composite
def plausible_city(draw, slug: str, others: list[str], cited: bool) -> dict:
    """A city that is probably valid, so that many builds succeed and their output is checked."""
    meta = {"name": draw(texts.filter(str.strip)), "country": draw(st.sampled_from(["FR", "NO", "ES", "US", "ar"])),
            "coordinates": [draw(st.floats(-90, 90)), draw(st.floats(-180, 180))]}
    optional = {"summary": texts.filter(str.strip), "office": texts.filter(str.strip),
                "population": st.integers(0, 10**8), "draft": st.booleans()}
    if others:
        optional["partners"] = st.lists(st.sampled_from(others) | st.fixed_dictionaries(
            {"city": st.sampled_from(others)},
            optional={"note": texts.filter(str.strip), "kind": st.sampled_from(["friendship", "memorandum"]),
                      "since": st.sampled_from([1963, "1967-06", "2016-02-15", [1967, 1983]]),
                      "confidence": st.sampled_from(["low", "high"])}), max_size=2, unique_by=_partner_slug)
    if cited:
        optional["sources"] = st.just(["src"])
    for key, strategy in optional.items():
        if draw(st.booleans()):
            meta[key] = draw(strategy)
    return meta


def _partner_slug(item) -> str:
    return item if isinstance(item, str) else item["city"]


class _NoAliases(yaml.SafeDumper):
    def ignore_aliases(self, data):  # a value used twice is written out twice, not as &anchor/*alias
        return True


def dump(meta) -> str:
    return yaml.dump(meta, Dumper=_NoAliases, allow_unicode=True, sort_keys=False, default_flow_style=None)


def body_text(draw, fragments: list[str]) -> str:
    parts = draw(st.lists(st.sampled_from(fragments) | st.text(max_size=20), max_size=12))
    separators = draw(st.lists(st.sampled_from(["", " ", "\n", "\n\n"]), min_size=len(parts), max_size=len(parts)))
    return "".join(part + separator for part, separator in zip(parts, separators))


@st.composite
def city_file(draw, slug: str, slugs: list[str], cited: bool) -> str:
    """Half the time a probably-valid city with resolvable links; otherwise anything at all."""
    others = [s for s in slugs if s != slug]
    if draw(st.booleans()):
        front = dump(draw(plausible_city(slug, others, cited)))
        links = [f"[[{s}]]" for s in others] + [f"[[cities/{s}|<b>x</b> \"'<script>__pwned=1</script>]]" for s in others]
        body = body_text(draw, PAYLOADS + SAFE_FRAGMENTS + links + (["[@src]", "[@src; @src]"] if cited else []))
    else:
        choice = draw(st.integers(0, 9))
        if choice < 7:
            front = dump(draw(front_matter))
        else:
            front = draw(st.text(max_size=80))  # garbage
        body = body_text(draw, FRAGMENTS)
    return f"---\n{front}---\n{body}\n"


@st.composite
def sites(draw) -> dict[str, str]:
    slugs = SLUGS[:draw(st.integers(1, 3))]
    cited = draw(st.booleans())
    files = {f"cities/{slug}.md": draw(city_file(slug, slugs, cited)) for slug in slugs}
    if cited:
        files["sources.yaml"] = dump([{"id": "src", "title": draw(texts.filter(str.strip)),
                                       "url": "https://example.org/"}])
    return files


@contextlib.contextmanager
def scratch_site(files: dict[str, str]):
    """A temporary folder holding content/, which is also the working directory (errors read content/...)."""
    root = Path(tempfile.mkdtemp(prefix="atlas-property-"))
    cwd = os.getcwd()
    try:
        for name, text in {"atlas.yaml": "title: Property atlas\n", **files}.items():
            path = root / "content" / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8", errors="surrogatepass")
        os.chdir(root)
        yield root
    finally:
        os.chdir(cwd)
        shutil.rmtree(root, ignore_errors=True)


@settings(max_examples=60, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(sites())
@example({"cities/city-1.md": '---\n{"\\r": null}\n---\n\n'})  # a key that is a carriage return
@example({"cities/city-1.md": "---\n{'[': null}\n---\n\n"})  # a key with a bracket
@example({"cities/city-1.md": "---\nnetworks: ['\u2028\u2029    ']\n---\n\n"})  # line separators in a value
@example({"cities/city-1.md": "---\nname: x\ncountry: FR\ncoordinates: [1, 2]\n---\n<b>x\n"})
def test_build_publishes_an_inert_site_or_explains_every_problem(files):
    with scratch_site(files) as root:
        stdout, stderr = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
            code = cli.main(["build", "--content", "content", "--output", "output"])  # must not raise
        out, err = stdout.getvalue(), stderr.getvalue()
        assert "Traceback" not in out + err
        assert code in (0, 1), err
        lines = err.splitlines()
        if code == 1:
            assert lines and lines[-1].startswith("build failed: "), err
            lines = lines[:-1]
            assert any(PROBLEM.match(line) and ": error: " in line for line in lines), err
        stray = [line for line in lines if not (PROBLEM.match(line) or line.startswith("  hint: "))]
        assert stray == [], f"lines that are neither a problem nor a hint:\n{err}"
        if code == 0:
            assert out.startswith("built "), out
            assert not any(": error: " in line for line in lines), err
            assert find_hazards(root / "output") == []
