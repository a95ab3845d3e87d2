"""Start a new entry from a filled-in template: `atlas new city "São Paulo" --country BR`.

An editors' tool beside the build pipeline, not a stage of it: it writes one new
file into content/ and never overwrites one. The file validates as written:
required fields are filled, coordinates come from the gazetteer when it knows
the city, and every optional field is there but commented out, with a note on
what it takes. What a kind's file holds comes from its Kind (atlas/kinds/); the
helpers it shares with importer/ (country codes, slugs, YAML values) are in
values.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from atlas import kinds
from atlas.content.fields import COMMON_NOTES, MAX_SLUG_LENGTH, SLUG
from atlas.content.yamlfile import load_yaml
from atlas.editing.values import (COMMON_COUNTRY_NAMES, FORMER_COUNTRIES, FORMER_NAMES, CountryLookup,
                                  NewOptions, ScaffoldError, check_country_code, check_date, clean_text,
                                  country_in_text, entry_slug, format_coordinates, resolve_country, yaml_since,
                                  yaml_text)
from atlas.kinds import Kind

__all__ = ["COMMON_COUNTRY_NAMES", "FORMER_COUNTRIES", "FORMER_NAMES", "CountryLookup", "NewEntry", "NewOptions",
           "ScaffoldError", "check_country_code", "check_date", "clean_text", "country_in_text", "entry_slug",
           "format_coordinates", "new_kinds", "optional_lines", "plan_entry", "resolve_country", "write_entry",
           "yaml_since", "yaml_text"]


@dataclass(frozen=True)
class NewEntry:
    """A file to create: where, what, and what the editor should know about it."""

    path: Path  # content/cities/sao-paulo.md
    src: str  # the same path as messages show it
    text: str
    warnings: tuple[str, ...] = ()


# --- the templates ---------------------------------------------------------------

_CITE = "Cite a source for every fact with `[@source-id]`, the source's id in sources.yaml; link entries with `[[slug]]`."


def new_kinds() -> dict[str, Kind]:
    """The kinds `atlas new` makes, by name: city, network, case-study, theme."""
    return {kind.name: kind for kind in kinds.registered() if kind.new_body is not None}


def plan_entry(kind: str, name: str, content_dir: Path, *, country: str | None = None,
               cities: tuple[str, ...] = (), date: str | None = None, slug: str | None = None,
               label: str | None = None) -> NewEntry:
    """The file `atlas new` would write; raises ScaffoldError when it cannot be written.

    `kind` is a kind's name (city, network, case-study, theme); `name` the city's or
    network's name, or the case study's title. Reads content/ only to see what exists.
    """
    makeable = new_kinds()
    if kind not in makeable:
        raise ScaffoldError(f"unknown kind '{kind}': use one of {', '.join(makeable)}")
    found = makeable[kind]
    folder = found.folder
    for option, flag, value in (("date", "--date", date), ("country", "--country", country),
                                ("cities", "--city", cities)):
        if value and option not in found.new_options:
            takers = [k.label[1].lower() for k in makeable.values() if option in k.new_options]
            raise ScaffoldError(f"{flag} is for {' and '.join(takers)}")
    name = clean_text(name)
    if not name:
        raise ScaffoldError("the name must not be empty")
    content_dir = Path(content_dir)
    if not content_dir.is_dir():
        raise ScaffoldError(f"content folder not found: {content_dir}")
    slug = slug if slug is not None else entry_slug(name)
    if not slug:
        raise ScaffoldError(f"cannot make a file name from '{name}': give one with --slug, such as --slug tokyo")
    if not SLUG.match(slug) or len(slug) > MAX_SLUG_LENGTH:
        raise ScaffoldError(f"--slug: '{slug}' is not a slug: use lowercase letters a-z, digits and single hyphens")
    label = (label or content_dir.as_posix()).rstrip("/") or "."
    path = content_dir / folder / f"{slug}.md"
    src = f"{label}/{folder}/{slug}.md"
    if path.exists() or path.is_symlink():
        raise ScaffoldError(f"{src} already exists; it was left as it was")

    if found.new_front is not None:
        front, warnings = found.new_front(name, NewOptions(country, tuple(cities), date, content_dir, src))
    else:
        front, warnings = [f"{found.title_field}: {yaml_text(name)}"], []
    heading, prompt = found.new_body
    text = "\n".join(["---", *front, *optional_lines(found, front), "---", f"<!-- {_CITE} -->", "",
                      heading, "", f"<!-- {prompt} -->", ""])
    _check_front_matter(found, text)
    return NewEntry(path, src, text, tuple(warnings))


def optional_lines(kind: Kind, front: list[str] = ()) -> list[str]:
    """Every optional field the front matter does not have yet, commented out, with its note."""
    model_fields = kind.model.model_fields
    given = {line.lstrip("# ").split(":", 1)[0] for line in front}
    lines = []
    for note in (*kind.fields, *COMMON_NOTES):
        if note.example is None or note.name in given or model_fields[note.name].is_required():
            continue
        lines.append(_commented(f"{note.name}: {note.example}".rstrip(), note.meaning))
        for index, item in enumerate(note.items):
            lines.append(_commented(f"  {'-' if index == 0 else ' '} {item.name}: {item.example}", item.meaning))
    return lines


def _commented(field: str, note: str) -> str:
    """"# population: 12400000           # a whole number": the notes line up where they can."""
    return f"# {field:<34} # {note}"


def _check_front_matter(kind: Kind, text: str) -> None:
    """The template must validate as written; a failure here is a bug in this module or the kind's."""
    front = text.split("---\n")[1]
    kind.model.model_validate(load_yaml(front, 2).data)


def write_entry(entry: NewEntry) -> None:
    """Create the file; refuse if it appeared in the meantime."""
    entry.path.parent.mkdir(exist_ok=True)
    try:
        with open(entry.path, "x", encoding="utf-8", newline="\n") as handle:
            handle.write(entry.text)
    except FileExistsError:
        raise ScaffoldError(f"{entry.src} already exists; it was left as it was") from None
