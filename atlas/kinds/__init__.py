"""The kinds of content (city, network, organisation, initiative, event, person, survey, case study,
theme, page), each declared once.

Each kind is one module here (city.py, network.py, organisation.py, initiative.py,
event.py, person.py, survey.py, case_study.py, theme.py, page.py; cast.py holds
what the organisation, initiative, event, person and survey share) holding one `Kind`: its folder and labels, its pydantic model and the
notes that document its fields, its template and page context, its index page,
search filters, JSON-LD, data-file rows, the facts `atlas check` wants sourced,
and what `atlas new` writes. The rest of the package asks this registry
instead of branching on a kind's name.

Every folder may import this one. A kind module may import: content.fields
(field types and notes), content.yamlfile, maps (map specs), render.present
and render.paging (reader-facing wording, long indexes), graph.gazetteer and
editing.values (what `atlas new` writes), errors and model. Its functions get
the page being rendered, the atlas and the graph as arguments.

A new kind is a module holding its `Kind` and a template (in templates/, or in
the kind's own `template_dir`), added to `_registered` below; tests add one for
the length of a `with registering(kind):` block.

    >>> of_name("city").folder, of_folder("case-studies").label
    ('cities', ('Case study', 'Case studies'))
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

from atlas.kinds.case_study import KIND as CASE_STUDY
from atlas.kinds.city import KIND as CITY
from atlas.kinds.event import KIND as EVENT
from atlas.kinds.initiative import KIND as INITIATIVE
from atlas.kinds.network import KIND as NETWORK
from atlas.kinds.organisation import KIND as ORGANISATION
from atlas.kinds.page import KIND as PAGE
from atlas.kinds.person import KIND as PERSON
from atlas.kinds.survey import KIND as SURVEY
from atlas.kinds.theme import KIND as THEME
from atlas.kinds.kind import Column, Kind, Link, Table, list_index, no_context, no_filters, web_page

__all__ = ["Column", "Kind", "Link", "Table", "list_index", "no_context", "no_filters", "web_page", "registered", "folders", "of_folder",
           "of_name", "label", "registering"]


_registered: list[Kind] = [CITY, NETWORK, ORGANISATION, INITIATIVE, EVENT, PERSON, SURVEY, CASE_STUDY, THEME, PAGE]


def registered() -> tuple[Kind, ...]:
    """Every kind, in the order the site lists them."""
    return tuple(_registered)


def folders() -> tuple[str, ...]:
    return tuple(kind.folder for kind in _registered)


def of_folder(folder: str) -> Kind:
    """The kind whose entries live in content/<folder>/ (Entry.kind)."""
    return _find("folder", folder)


def of_name(name: str) -> Kind:
    """The kind `atlas new` calls `name`."""
    return _find("name", name)


_found: dict[tuple[str, str], Kind] = {}  # (attribute, value) -> kind: a page asks some 25 times (its links)


def _find(attribute: str, value: str) -> Kind:
    found = _found.get((attribute, value))
    if found is None:
        found = next((kind for kind in _registered if getattr(kind, attribute) == value), None)
        if found is None:
            raise KeyError(value)
        _found[attribute, value] = found
    return found


def label(folder: str, plural: bool = False) -> str:
    return of_folder(folder).label[1 if plural else 0]


@contextmanager
def registering(*kinds: Kind) -> Iterator[None]:
    """The registry with these kinds added, for as long as the block runs (tests, experiments)."""
    taken = [kind for kind in kinds if kind.name in {k.name for k in _registered}
             or kind.folder in folders()]
    if taken:
        raise ValueError(f"kind '{taken[0].name}' is registered already")
    _registered.extend(kinds)
    _found.clear()
    try:
        yield
    finally:
        for kind in kinds:
            _registered.remove(kind)
        _found.clear()
