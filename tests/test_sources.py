"""sources.py: reading content/ — which files are read, and what is refused where."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from atlas.errors import ErrorList
from atlas.content.sources import MAX_FILE_BYTES, load_sources, make_slug
from conftest import city, entry, load_problems, schema_problems

SLUG_ERROR = ("error: file name is not a valid slug: use lowercase letters a-z, digits and single hyphens"
              " (at most 80 characters)")
IGNORED_TOP = ("warning: ignored: not one of cities, networks, organisations, initiatives, events, people, surveys,"
               " case-studies, themes, pages, atlas.yaml, sources.yaml")


def test_an_atlas_of_atlas_yaml_and_two_cities_loads(tmp_path, make_site):
    make_site(tmp_path, {"cities/lyon.md": city("Lyon", "FR"), "cities/turin.md": city("Turin", "IT")})
    errors = ErrorList()
    sources = load_sources(Path("content"), errors, label="content")
    assert errors.problems == []
    assert [(e.kind, e.slug, e.src) for e in sources.entries] == [
        ("cities", "lyon", "content/cities/lyon.md"),
        ("cities", "turin", "content/cities/turin.md"),
    ]
    assert sources.config.data == {"title": "Test Atlas"}
    assert sources.bibliography is None


def test_front_matter_and_body_are_split_with_the_body_line(tmp_path, make_site):
    make_site(tmp_path, {"cities/lyon.md": "---\nname: Lyon\ncountry: FR\n---\nFirst line.\n\nSecond.\n"})
    sources = load_sources(Path("content"), ErrorList(), label="content")
    [lyon] = sources.entries
    assert lyon.meta.data == {"name": "Lyon", "country": "FR"}
    assert lyon.meta.lines[("name",)] == 2
    assert lyon.body == "First line.\n\nSecond.\n"
    assert lyon.body_line == 5


def test_windows_line_endings_and_a_byte_order_mark_are_accepted(tmp_path, make_site):
    make_site(tmp_path, {"cities/lyon.md": "\ufeff---\r\nname: Lyon\r\ncountry: FR\r\n---\r\nText.\r\n"})
    sources = load_sources(Path("content"), ErrorList(), label="content")
    [lyon] = sources.entries
    assert lyon.meta.data == {"name": "Lyon", "country": "FR"} and lyon.body == "Text.\n"


def test_missing_atlas_yaml(tmp_path, make_site):
    make_site(tmp_path, {"atlas.yaml": None, "cities/lyon.md": city("Lyon", "FR")})
    assert load_problems() == [
        "content/atlas.yaml: error: file not found\n  hint: create it with at least `title: Your atlas name`",
    ]


def test_missing_content_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert load_problems("content") == ["content: error: content folder not found"]


@pytest.mark.parametrize("text, problem", [
    ("", "content/cities/lyon.md:1: error: file is empty\n  hint: start it with front matter between --- lines"),
    ("\n  \n", "content/cities/lyon.md:1: error: file is empty\n  hint: start it with front matter between --- lines"),
    ("name: Lyon\ncountry: FR\n",
     "content/cities/lyon.md:1: error: file does not start with front matter\n"
     "  hint: the first line must be --- and the front matter must end with another ---"),
    ("---\nname: Lyon\ncountry: FR\n\nLyon is a city.\n",
     "content/cities/lyon.md:1: error: front matter is not closed\n"
     "  hint: add a line with --- after the front matter"),
    ("---\n- Lyon\n---\n", "content/cities/lyon.md:2: error: front matter must be a set of `key: value` lines"),
    ("---\nname: Lyon\ncountry: FR\ncountry: ES\n---\n",
     "content/cities/lyon.md:4: error: duplicate key 'country' (first given on line 3)\n  hint: give each key once"),
    ("---\nname: Lyon\ncountry: FR\na\x00b: 1\n---\n", "content/cities/lyon.md:4: error: file contains a NUL character"),
], ids=["empty", "blank", "no-front-matter", "unclosed", "not-a-mapping", "yaml-error", "nul"])
def test_broken_entry_files(tmp_path, make_site, text, problem):
    make_site(tmp_path, {"cities/lyon.md": text})
    assert load_problems() == [problem]


def test_a_file_that_is_not_utf8_is_reported_at_the_line_of_the_bad_byte(tmp_path, make_site):
    make_site(tmp_path, {"cities/lyon.md": b"---\nname: Lyon\ncountry: FR\n---\n\nCaf\xe9 culture.\n"})
    assert load_problems() == [
        "content/cities/lyon.md:6: error: file is not UTF-8 text (byte 0xe9)\n  hint: save the file as UTF-8",
    ]


def test_atlas_yaml_that_is_not_utf8(tmp_path, make_site):
    make_site(tmp_path, {"atlas.yaml": b"title: Atlas\ndescription: Caf\xe9s\n"})
    assert load_problems() == [
        "content/atlas.yaml:2: error: file is not UTF-8 text (byte 0xe9)\n  hint: save the file as UTF-8",
    ]


@pytest.mark.parametrize("name, suggestion", [
    ("Lyon.md", "lyon.md"),
    ("são.md", "sao.md"),
    ("a_b.md", "a-b.md"),
    ("São Paulo.md", "sao-paulo.md"),
    ("a--b.md", "a-b.md"),
    ("-lyon.md", "lyon.md"),
])
def test_file_names_must_be_slugs_and_a_rename_is_suggested(tmp_path, make_site, name, suggestion):
    make_site(tmp_path, {f"cities/{name}": city("Lyon", "FR")})
    assert load_problems() == [f"content/cities/{name}: {SLUG_ERROR}\n  hint: rename the file to {suggestion}"]


def test_a_slug_may_be_at_most_80_characters(tmp_path, make_site):
    make_site(tmp_path, {f"cities/{'a' * 80}.md": city("A", "FR", "[45, 4]"),
                         f"cities/{'b' * 81}.md": city("B", "FR", "[45, 4]")})
    [problem] = load_problems()
    assert problem.startswith(f"content/cities/{'b' * 81}.md: {SLUG_ERROR}")


def test_an_invalid_file_name_does_not_stop_a_valid_one_loading(tmp_path, make_site):
    make_site(tmp_path, {"cities/Lyon.md": city("Lyon", "FR"), "cities/turin.md": city("Turin", "IT")})
    errors = ErrorList()
    sources = load_sources(Path("content"), errors, label="content")
    assert [e.slug for e in sources.entries] == ["turin"]
    assert len(errors.errors) == 1


@pytest.mark.parametrize("slug", ["lyon", "sao-paulo", "new-york-2", "a", "x1"])
def test_valid_slugs(tmp_path, make_site, slug):
    make_site(tmp_path, {f"cities/{slug}.md": city("Lyon", "FR")})
    assert load_problems() == []


@pytest.mark.parametrize("name, slug", [("São Paulo", "sao-paulo"), ("Köln", "koln"), ("  Lyon!  ", "lyon")])
def test_make_slug(name, slug):
    assert make_slug(name) == slug


def test_a_symlink_that_leads_outside_content_is_refused(tmp_path, make_site):
    make_site(tmp_path, {"cities/lyon.md": city("Lyon", "FR")})
    secret = tmp_path / "secret.md"
    secret.write_text(city("Secret", "FR"), encoding="utf-8")
    os.symlink(secret, tmp_path / "content" / "cities" / "secret.md")
    assert load_problems() == [
        "content/cities/secret.md: error: file is a link to a place outside the content folder",
    ]


def test_a_symlink_inside_content_is_read(tmp_path, make_site):
    make_site(tmp_path, {"cities/lyon.md": city("Lyon", "FR")})
    os.symlink(tmp_path / "content" / "cities" / "lyon.md", tmp_path / "content" / "cities" / "lugdunum.md")
    assert load_problems() == []


def test_a_kind_folder_that_links_outside_content_is_refused(tmp_path, make_site):
    make_site(tmp_path, {})
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "lyon.md").write_text(city("Lyon", "FR"), encoding="utf-8")
    os.symlink(elsewhere, tmp_path / "content" / "cities")
    assert load_problems() == [
        "content/cities: error: folder is a link to a place outside the content folder",
    ]


def test_an_oversize_file_is_refused_with_its_size_and_the_limit(tmp_path, make_site):
    text = city("Lyon", "FR", body="x" * MAX_FILE_BYTES)
    make_site(tmp_path, {"cities/lyon.md": text})
    size = len(text.encode())
    assert load_problems() == [
        f"content/cities/lyon.md: error: file is too large ({size:,} bytes; the limit is 1,048,576)",
    ]


def test_a_file_of_exactly_the_limit_is_read(tmp_path, make_site):
    head = city("Lyon", "FR")
    make_site(tmp_path, {"cities/lyon.md": head + "x" * (MAX_FILE_BYTES - len(head.encode()))})
    assert load_problems() == []


def test_unknown_top_level_files_and_folders_warn(tmp_path, make_site):
    make_site(tmp_path, {"notes.txt": "x", "city/lyon.md": city("Lyon", "FR"), "README.md": "x"})
    assert load_problems() == [
        f"content/README.md: {IGNORED_TOP}",
        f"content/city: {IGNORED_TOP}",
        f"content/notes.txt: {IGNORED_TOP}",
    ]


def test_files_in_a_kind_folder_that_are_not_markdown_warn(tmp_path, make_site):
    make_site(tmp_path, {"cities/lyon.txt": "x", "cities/old/lyon.md": city("Lyon", "FR")})
    assert load_problems() == [
        "content/cities/lyon.txt: warning: ignored: entries are Markdown files ending in .md",
        "content/cities/old: warning: sub-folders are not read; move the files up one level",
    ]


def test_hidden_and_backup_files_are_skipped_silently(tmp_path, make_site):
    make_site(tmp_path, {"cities/.lyon.md.swp": "x", "cities/lyon.md~": "x", ".git-keep": "",
                         "cities/lyon.md": city("Lyon", "FR")})
    assert load_problems() == []


def test_every_folder_is_optional(tmp_path, make_site):
    make_site(tmp_path, {})
    assert schema_problems() == []


# The NFKC/case-fold clash check (two names that differ only by case or Unicode
# form) cannot be reached on Linux: every name that passes the slug check is
# already lowercase ASCII, and an invalid name is refused before the clash check.
# So it is not tested here.


def test_problems_name_the_content_folder_as_given(tmp_path, monkeypatch):
    site = tmp_path / "my-atlas"
    (site / "cities").mkdir(parents=True)
    (site / "atlas.yaml").write_text("title: T\n", encoding="utf-8")
    (site / "cities" / "lyon.md").write_text("no front matter\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert [p.split(":")[0] for p in load_problems("my-atlas")] == ["my-atlas/cities/lyon.md"]


def test_sources_yaml_errors_carry_the_line(tmp_path, make_site):
    make_site(tmp_path, {"sources.yaml": "- id: a\n  title: A\n  title: B\n"})
    assert load_problems() == ["content/sources.yaml:3: error: duplicate key 'title' (first given on line 2)\n"
                               "  hint: give each key once"]


def test_entries_in_every_kind_folder_are_read(tmp_path, make_site):
    make_site(tmp_path, {
        "cities/lyon.md": city("Lyon", "FR"),
        "networks/eurocities.md": entry("name: Eurocities\n"),
        "case-studies/exchange.md": entry("title: Exchange\ncities: [lyon]\n"),
        "themes/climate.md": entry("name: Climate\n"),
        "pages/about.md": entry("title: About\n"),
    })
    sources = load_sources(Path("content"), ErrorList(), label="content")
    assert sorted((e.kind, e.slug) for e in sources.entries) == [
        ("case-studies", "exchange"), ("cities", "lyon"), ("networks", "eurocities"),
        ("pages", "about"), ("themes", "climate"),
    ]
