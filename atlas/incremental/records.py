"""How the cache stores the units' records of what they read: each unit's reads as bytes, and the readers index.

Used by cache.py when it saves a build's units, and by dependencies.py (which
reads of an entry there are). Imports nothing of the atlas; plain data only.
The cache keeps each unit's reads as bytes (encoded_reads); unit_reads gives them back.

A unit's record is [fingerprint, reads, dests], its reads ((dependency,
token), ...) as dependencies.py describes them. The readers index maps
(kind, slug) to the units that read something of that entry, and "entries"
to those that read every entry's (or every entry of a kind's) front matter:
a build that knows which entries were edited compares those units only.
"""

from __future__ import annotations

import pickle

ONE_ENTRY_READS = frozenset({"entry", "exists", "title", "field", "body"})  # (what, kind, slug, ...)


def encoded_reads(units: dict[str, list]) -> dict[str, list]:
    """The units with each one's reads pickled on its own, as the cache stores them.

    A build after one edit looks at the reads of the few units that read the edited entries
    (unit_reads decodes those); the others' reads it only carries over, as bytes: at 10,000 cities
    loading and saving them as objects took most of a second, as bytes a few hundredths.
    """
    return {name: [key, reads if type(reads) is bytes else pickle.dumps(reads, protocol=5), dests]
            for name, (key, reads, dests) in units.items()}


def unit_reads(reads: tuple | bytes) -> tuple:
    """A unit's reads ((dependency, token), ...), whether this build recorded them or the cache kept them."""
    return pickle.loads(reads) if type(reads) is bytes else reads


def read_keys(reads: tuple) -> set:
    """What a unit's reads are of, as the readers index keys it: (kind, slug) for each entry it read
    something of, and "entries" if it read every entry's (or every entry of a kind's) front matter."""
    keys: set = set()
    for dependency, _ in unit_reads(reads):
        what = dependency[0]
        if what in ONE_ENTRY_READS:
            keys.add(dependency[1:3])
        elif what == "entries":
            keys.add("entries")
    return keys


def update_readers(readers: dict, relations: dict, fresh: set[str], replaced: dict[str, tuple],
                   ran: dict[str, list], kept: dict[str, list]) -> dict:
    """Last build's readers index with the units this build ran (`fresh`, their records in `ran`, their
    last build's reads in `replaced`) moved to what they read now, if they are `kept`; and the relation
    tokens they read added to `relations`. A unit no longer kept may stay listed: it is then only
    looked at for nothing."""
    for name in fresh:
        relations.update((dependency, token) for dependency, token in unit_reads(ran[name][1])
                         if dependency[0] == "relation")
        for key in read_keys(replaced.get(name, ())):
            readers.get(key, set()).discard(name)
        if name in kept:
            for key in read_keys(kept[name][1]):
                readers.setdefault(key, set()).add(name)
    return readers
