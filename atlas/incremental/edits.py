"""Which edits leave the rest of the site as it was: changes to an entry's text alone.

Other pages show an entry's title and front matter, never its body, and the
graph records only what a body links to and cites. So an edit that keeps the
title, the front matter, the links and the citations changes the entry's own
page and its search record, and nothing else. atlas serve's quick rebuilds
(live.py) and builds that start from the last build's snapshot (snapshot.py)
both rest on this test.
"""

from __future__ import annotations

from pathlib import Path

from atlas.errors import ErrorList
from atlas.model import Atlas, Entry
from atlas.graph.relations import scan_body
from atlas.content.schema import validate_entry
from atlas.content.sources import KINDS, load_entry


def text_only_edits(atlas: Atlas, content_dir: Path, changed: list[Path], errors: ErrorList,
                    label: str | None = None) -> list[Entry] | None:
    """The edited entries, validated, if every change is to an entry's text alone; None if not.

    Problems found in the edited files go into `errors`; an entry with errors is left out.
    """
    content = Path(content_dir).resolve()
    edited: list[Entry] = []
    for path in changed:
        path = Path(path).resolve()
        if path.parent.parent != content or path.parent.name not in KINDS or path.suffix != ".md":
            return None
        old = atlas.get(path.parent.name, path.stem)
        if old is None or not path.is_file():
            return None
        raw = load_entry(content_dir, path.parent.name, path.name, errors, label)
        entry = validate_entry(raw, errors) if raw is not None else None
        if entry is None:
            continue
        if not same_to_the_rest_of_the_site(old, entry):
            return None
        edited.append(entry)
    return edited


def same_to_the_rest_of_the_site(old: Entry, new: Entry) -> bool:
    """True when only the body changed, and not its links, citations or anything the graph records."""
    if old.title != new.title or old.meta != new.meta:
        return False
    new_limits, new_links, new_cites, new_bad = scan_body(new.body, new.body_line)
    old_limits, old_links, old_cites, old_bad = scan_body(old.body, old.body_line)
    if new_limits or old_limits or new_bad or old_bad:
        return False
    if [(link.target, link.label) for link in old_links] != [(link.target, link.label) for link in new_links]:
        return False
    return list(dict.fromkeys(c.source_id for c in old_cites)) == list(dict.fromkeys(c.source_id for c in new_cites))
