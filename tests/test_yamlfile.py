"""yamlfile.py: strict YAML, the YAML 1.2 core schema, and the line of every key."""

from __future__ import annotations

import math

import pytest

from atlas.content.yamlfile import MAX_DEPTH, YamlError, load_yaml


def problems_of(text: str, first_line: int = 1) -> list[tuple[int, str]]:
    with pytest.raises(YamlError) as info:
        load_yaml(text, first_line)
    return [(p.line, p.message) for p in info.value.problems]


# --- plain scalars follow the YAML 1.2 core schema ---------------------------

@pytest.mark.parametrize("text, expected", [
    ("country: NO", "NO"),  # Norway, not false (YAML 1.1's "Norway problem")
    ("country: no", "no"),
    ("answer: yes", "yes"),
    ("answer: on", "on"),
    ("answer: off", "off"),
    ("answer: y", "y"),
    ("date: 2016-02-15", "2016-02-15"),  # stays text; no datetime.date
    ("time: 12:30:00", "12:30:00"),  # no sexagesimal numbers
    ("since: 1963", 1963),
    ("since: -5", -5),
    ("since: +7", 7),
    ("zero: 0", 0),
    ("ratio: 1.5", 1.5),
    ("big: 1e3", 1000.0),
    ("octal: 0o17", 15),
    ("hex: 0x1F", 31),
    ("flag: true", True),
    ("flag: False", False),
    ("nothing: null", None),
    ("nothing: ~", None),
    ("nothing:", None),
    ("quoted: '012'", "012"),
    ('quoted: "1963"', "1963"),
    ('quoted: "true"', "true"),
    ("tagged: !!str 12", "12"),  # an explicit !!str tag makes text, as in YAML 1.2
    ("name: São Paulo", "São Paulo"),
    ("version: 1.2.3", "1.2.3"),
])
def test_plain_scalars_follow_the_yaml_1_2_core_schema(text, expected):
    value = load_yaml(text + "\n").data[text.split(":")[0]]
    assert value == expected
    assert type(value) is type(expected)


def test_infinity_and_nan_are_floats_for_the_schema_to_refuse():
    data = load_yaml("a: .inf\nb: -.inf\nc: .nan\n").data
    assert data["a"] == math.inf and data["b"] == -math.inf and math.isnan(data["c"])


def test_the_docstring_example():
    assert load_yaml("country: NO\nsince: 1963\n").data == {"country": "NO", "since": 1963}


# --- refused, with a line number ----------------------------------------------

def test_a_duplicate_key_is_reported_at_the_line_of_the_second():
    assert problems_of("name: Lyon\ncountry: FR\nname: Lugdunum\n") == [
        (3, "duplicate key 'name' (first given on line 1)"),
    ]


def test_a_duplicate_key_in_a_nested_mapping_is_reported_too():
    text = "partners:\n  - city: a\n    kind: friendship\n    city: b\n"
    assert problems_of(text) == [(4, "duplicate key 'city' (first given on line 2)")]


def test_an_alias_is_refused():
    text = "a: &place [45.76, 4.84]\nb: 2\nc: *place\n"
    [(line, message)] = problems_of(text)
    assert message == "anchors and aliases (&name, *name) are not supported"
    assert line in (1, 3)  # where the anchor or the alias is written


def test_an_anchor_is_refused_even_without_an_alias():
    assert problems_of("a: &place 1\nb: 2\n") == [
        (1, "anchors and aliases (&name, *name) are not supported"),
    ]


def test_merge_keys_are_refused():
    assert problems_of("name: Lyon\nc:\n  <<: {x: 1}\n") == [(3, "merge keys (<<) are not supported")]


def test_a_merge_key_with_an_alias_is_refused():
    assert problems_of("base: &b {x: 1}\nc:\n  <<: *b\n") != []


@pytest.mark.parametrize("value, tag", [
    ("!!python/object:os.system 1", "!!python/object:os.system"),
    ("!!python/object/apply:os.system ['ls']", "!!python/object/apply:os.system"),
    ("!!python/name:os.system ''", "!!python/name:os.system"),
    ("!!binary aGVsbG8=", "!!binary"),
    ("!!timestamp 2001-01-01", "!!timestamp"),
    ("!!set {x, y}", "!!set"),
    ("!!omap [a: 1]", "!!omap"),
    ("!custom 1", "!custom"),
])
def test_tags_are_refused(value, tag):
    assert problems_of(f"name: Lyon\nvalue: {value}\n") == [(2, f"YAML tag {tag} is not allowed")]


def test_a_refused_tag_comes_with_a_hint():
    with pytest.raises(YamlError) as info:
        load_yaml("a: !!python/object:os.system 1\n")
    assert info.value.problems[0].hint == "remove the tag; write plain values"


@pytest.mark.parametrize("value", ["012", "-012", "+007", "00"])
def test_numbers_with_leading_zeros_are_refused(value):
    number = int(value)
    with pytest.raises(YamlError) as info:
        load_yaml(f"name: x\npostcode: {value}\n")
    [problem] = info.value.problems
    assert (problem.line, problem.message) == (2, f"the number {value} has a leading zero")
    assert problem.hint == f"write {number}, or put it in quotes if it is text"


def test_nesting_up_to_the_limit_is_accepted():
    depth = MAX_DEPTH  # the mapping is level 0, so "a" holds MAX_DEPTH levels of lists
    data = load_yaml("a: " + "[" * depth + "]" * depth + "\n").data
    assert data["a"] is not None


def test_nesting_beyond_the_limit_is_refused():
    depth = MAX_DEPTH + 1
    assert problems_of("a: " + "[" * depth + "]" * depth + "\n") == [
        (1, f"YAML is nested more than {MAX_DEPTH} levels deep"),
    ]


@pytest.mark.parametrize("text, line", [
    ("name: x\na: " + "[" * 1000 + "]" * 1000 + "\n", 2),
    ("name: x\na: " + "[" * 50_000 + "]" * 50_000 + "\n", 2),
    ("name: x\na: " + "{a: " * 1000 + "1" + "}" * 1000 + "\n", 2),
    ("name: x\na:\n  " + "- " * 40_000 + "x\n", 3),
])
def test_absurdly_deep_nesting_gets_the_atlas_own_message_whatever_libyaml_allows(text, line):
    # libyaml 0.2.6 (PyYAML 6.0.4) stops at 1,000 levels with its own words; 0.2.5 does not.
    assert problems_of(text) == [(line, f"YAML is nested more than {MAX_DEPTH} levels deep")]


def test_libyaml_refusing_deep_nesting_itself_is_reported_in_the_atlas_words(monkeypatch):
    """The translation does not depend on the PyYAML installed: libyaml's refusal is simulated."""
    import yaml

    def refusing_parse(text, Loader):
        mark = yaml.Mark("<unicode string>", 0, 1, 1007, text, 0)
        raise yaml.scanner.ScannerError("while increasing flow level", mark,
                                        "exceeded maximum nesting depth", mark)
        yield  # pragma: no cover - a generator, like yaml.parse

    monkeypatch.setattr(yaml, "parse", refusing_parse)
    assert problems_of("name: x\na: " + "[" * 30 + "]" * 30 + "\n", first_line=4) == [
        (5, f"YAML is nested more than {MAX_DEPTH} levels deep"),
    ]


def test_a_key_must_be_plain_text():
    assert problems_of("? [a, b]\n: 1\n") == [(1, "a key must be plain text")]


def test_every_problem_is_reported_at_once():
    text = "a: 1\na: 2\nb: 012\nc: !!binary aGk=\n"
    assert [line for line, _ in problems_of(text)] == [2, 3, 4]


def test_syntax_errors_carry_the_line_with_the_offset():
    [(line, message)] = problems_of("name: Lyon\ncoordinates: [45.7, 4.8\n", first_line=2)
    assert message.startswith("invalid YAML: ")
    assert line == 3  # where the unclosed list opens, on the file's line 3


# --- hints for the common slips ------------------------------------------------

@pytest.mark.parametrize("text, line, hint", [
    # a colon and a space in an unquoted value start a new key
    ("name: Atlanta\noffice: Office: International Affairs\n", 2,
     'put the value in quotes: office: "Office: International Affairs"'),
    ("partners:\n  - city: lyon\n    note: Signed: 1990\n", 3, 'put the value in quotes: note: "Signed: 1990"'),
    ("partners:\n  - {city: lyon, note: Signed: 1990}\n", 2, 'put the value in quotes: note: "Signed: 1990"'),
    ('summary: Paris: the "city of light"\n', 1, 'put the value in quotes: summary: "Paris: the \\"city of light\\""'),
    # tabs
    ("name: Lyon\n\tcountry: FR\n", 2, "indent with spaces, not tabs"),
    ("partners:\n\t- turin\n", 2, "indent with spaces, not tabs"),
    # unclosed quotes and brackets: reported where they open
    ('name: "Lyon\ncountry: FR\n', 1, "close the quote: the value needs a quote at its end like the one at its start"),
    ("name: 'Lyon\ncountry: FR\n", 1, "close the quote: the value needs a quote at its end like the one at its start"),
    ("themes: [climate, culture\ncountry: FR\n", 1, "close the list with ] and separate its items with commas"),
    ("partners:\n  - {city: turin, since: 1990\n  - {city: lyon}\n", 2,
     "close the set with } and separate its `key: value` pairs with commas"),
    # other slips
    ('name: "Lyon" city\n', 1, "text follows the closing quote: put the whole value in quotes"),
    ("name: Lyon\ncountry FR\nsummary: A city.\n", 2,
     "write `key: value`, with a colon and a space; a long value goes in quotes"),
    ("name: Lyon\n  country: FR\n", 2, "check the indentation: the keys of one set start in the same column"),
    ("name: @lyon\n", 1, "a value cannot start with @: put the value in quotes"),
    ("name: *lyon\n", 1, "a value cannot start with *: put the value in quotes"),
    ('name: "Ly\\on"\n', 1, "write \\\\ for a backslash in double quotes, or use single quotes"),
    ("name: Lyon\nname: Lyons\n", 2, "give each key once"),
])
def test_common_slips_get_a_hint_on_their_line(text, line, hint):
    with pytest.raises(YamlError) as info:
        load_yaml(text)
    [problem] = info.value.problems
    assert (problem.line, problem.hint) == (line, hint)


# --- line numbers -------------------------------------------------------------

def test_lines_of_keys_and_list_items_count_from_first_line():
    text = (
        "name: Lyon\n"            # file line 2 (front matter starts after ---)
        "partners:\n"             # 3
        "  - city: barcelona\n"   # 4
        "    since: 1998\n"       # 5
        "  - turin\n"             # 6
        "themes: [climate,\n"     # 7
        "  culture]\n"            # 8
    )
    doc = load_yaml(text, first_line=2)
    assert doc.lines[("name",)] == 2
    assert doc.lines[("partners",)] == 3
    assert doc.lines[("partners", 0)] == 4
    assert doc.lines[("partners", 0, "city")] == 4
    assert doc.lines[("partners", 0, "since")] == 5
    assert doc.lines[("partners", 1)] == 6
    assert doc.lines[("themes", 0)] == 7
    assert doc.lines[("themes", 1)] == 8


def test_line_of_falls_back_to_the_nearest_parent():
    doc = load_yaml("name: Lyon\npartners:\n  - city: barcelona\n", first_line=2)
    assert doc.line_of(("partners", 0, "kind")) == 4
    assert doc.line_of(("missing",), default=1) == 1


def test_errors_carry_the_offset_too():
    assert problems_of("name: Lyon\nname: Lyon\n", first_line=2) == [
        (3, "duplicate key 'name' (first given on line 2)"),
    ]


def test_an_empty_document_is_none():
    assert load_yaml("").data is None
    assert load_yaml("# only a comment\n").data is None
