"""One Wikidata item, one entry: the `wikidata` ids of the whole atlas, checked together.

Called by schema.py's validate_entries once every file has been checked on its
own (fields.py checks each id's form). Reads no files. An item stands for one
thing, so two entries (of any kinds) that give the same id are one error,
reported once, on the first file, naming every other with its line.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Iterable

from atlas.errors import ErrorList
from atlas.model import Entry


def check_identities(entries: Iterable[Entry], errors: ErrorList) -> None:
    """An error for each Wikidata id that more than one entry gives."""
    holders: dict[str, list[Entry]] = defaultdict(list)
    for entry in entries:
        item = getattr(entry.meta, "wikidata", None)
        if item:
            holders[item].append(entry)
    for item, found in sorted(holders.items()):
        if len(found) < 2:
            continue
        first, *others = sorted(found, key=lambda entry: entry.src)
        named = " and ".join(f"{other.src}:{other.line_of('wikidata')} ({other.title})" for other in others)
        errors.error(first.src, first.line_of("wikidata"),
                     f"wikidata: {item} is also given by {named}; a Wikidata item stands for one entry",
                     "keep the id on the entry it describes, and look up the other's own on wikidata.org")
