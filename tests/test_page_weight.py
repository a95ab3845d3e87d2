"""What a reader downloads: the site's scripts and styles are served minified, and every city page
of the shipped atlas keeps within the page-weight budget of benchmarks/page_weight.py."""

from __future__ import annotations

import sys
from pathlib import Path

from atlas.render.assets import minified

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
from page_weight import city_pages_over  # noqa: E402


def test_a_script_loses_its_comments_and_spare_whitespace_but_keeps_its_strings():
    source = b'/* why */\nfunction  add(a, b) {\n  // sum\n  return a + b + "  /* kept */  ";\n}\n'
    assert minified("site.js", source) == b'function add(a,b){return a+b+"  /* kept */  ";}'


def test_a_style_loses_its_comments_and_spare_whitespace():
    source = b"/* the page */\nbody {\n  margin: 0;\n  color: #222;\n}\n"
    assert minified("atlas.css", source) == b"body{margin:0;color:#222}"


def test_other_files_are_served_as_they_are():
    assert minified("favicon.svg", b"<svg>  </svg>") == b"<svg>  </svg>"


def test_the_served_scripts_and_styles_are_the_minified_sources(starter_site):
    served = {path.name.split(".")[0]: path.read_bytes() for path in (starter_site / "assets").glob("*.*.*")
              if path.suffix in (".js", ".css")}
    source_css = (Path(__file__).resolve().parent.parent / "static" / "atlas.css").read_bytes()
    assert b"/*" in source_css and b"/*" not in served["atlas"]
    assert served["atlas"] == minified("atlas.css", source_css)
    assert b"\n  " not in served["map"]


def test_every_city_page_of_the_shipped_atlas_is_within_the_page_weight_budget(starter_site):
    over, totals = city_pages_over(starter_site, code_budget=60.0, html_budget=16.0)
    assert len(totals) >= 300
    assert over == []
