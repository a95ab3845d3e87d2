"""Related entries: those of the same kind that share what they are attached to, best first, with why.

Called by relations.py, last, on the ties, memberships, case studies, theme tags
and references already resolved. Reads no files.

Entries are attached to what they name or what names them: a city to its partner
cities, its networks, the case studies about it, its themes, and the initiatives
and events that list it. Two entries of the same kind are related by what they
share (Lyon and Turin share 3 networks), each shared thing counting less the
larger it is; entries attached to each other directly are already linked on the
page, so they are never "related". One shared thing is not enough unless it is
small (SMALL_GROUP entries at most): no padding.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from atlas import kinds
from atlas.graph.ties import Partnership
from atlas.model import Atlas

Key = tuple[str, str]
MAX_RELATED = 6
BIG_GROUP = 300  # a thing shared by more entries than this is too broad to relate them
SMALL_GROUP = 8  # one shared thing relates two entries only when it has at most this many
WEIGHTS = {"themes": 0.5}  # a theme is a broad tag; what else is shared counts 1
LINKING_KINDS = ("initiative", "event")  # kinds whose references to entries attach them


@dataclass(frozen=True)
class Related:
    """An entry related to another, its score and what they share: (("networks", 3), ("themes", 1))."""

    key: Key
    score: float
    shared: tuple[tuple[str, int], ...]

    def reason(self, kind_label: str = "") -> str:
        """ "City · shares 3 networks and 1 theme" (or without the kind) """
        parts = [f"{count} {_label(folder, self.key[0], count)}" for folder, count in self.shared]
        text = "shares " + (" and ".join(parts) if len(parts) < 3 else ", ".join(parts[:-1]) + " and " + parts[-1])
        return f"{kind_label.capitalize()} · {text}" if kind_label else text


def _label(folder: str, kind_of_entry: str, count: int) -> str:
    if folder == kind_of_entry == kinds.of_name("city").folder:
        return "partner city" if count == 1 else "partner cities"
    label = kinds.of_folder(folder).label
    return (label[0] if count == 1 else label[1]).lower()


def related_entries(atlas: Atlas, partnerships: list[Partnership], members_of: dict[str, list[str]],
                    case_studies_of: dict[Key, list[str]], tagged: dict[str, list[Key]],
                    references: dict[Key, list[Key]]) -> dict[Key, list[Related]]:
    """Entry -> at most MAX_RELATED entries of its kind related to it, best first."""
    attached: dict[Key, set[Key]] = defaultdict(set)

    def attach(a: Key, b: Key) -> None:
        if a != b and a in atlas.entries and b in atlas.entries:
            attached[a].add(b)
            attached[b].add(a)

    city, network, study, theme = (kinds.of_name(name).folder
                                   for name in ("city", "network", "case-study", "theme"))
    for partnership in partnerships:
        attach((city, partnership.a), (city, partnership.b))
    for slug, members in members_of.items():
        for member in members:
            attach((network, slug), (city, member))
    for key, studies in case_studies_of.items():
        for slug in studies:
            attach((study, slug), key)
    for slug, keys in tagged.items():
        for key in keys:
            attach((theme, slug), key)
    linking = {kinds.of_name(name).folder for name in LINKING_KINDS}
    for target, sources in references.items():
        for source in sources:
            if source[0] in linking:
                attach(source, target)
    related: dict[Key, list[Related]] = {}
    for key in sorted(attached):
        found = _related_to(key, attached)
        if found:
            related[key] = found
    return related


def _related_to(key: Key, attached: dict[Key, set[Key]]) -> list[Related]:
    direct = attached[key]
    scores: dict[Key, float] = defaultdict(float)
    shared: dict[Key, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    small: set[Key] = set()
    for thing in sorted(direct):
        group = attached[thing]
        if len(group) > BIG_GROUP:
            continue
        weight = WEIGHTS.get(thing[0], 1.0) / len(group) ** 0.5
        for other in group:
            if other == key or other[0] != key[0] or other in direct:
                continue
            scores[other] += weight
            shared[other][thing[0]] += 1
            if len(group) <= SMALL_GROUP:
                small.add(other)
    meaningful = [other for other in scores if sum(shared[other].values()) >= 2 or other in small]
    ranked = sorted(meaningful, key=lambda other: (-scores[other], other))[:MAX_RELATED]
    return [Related(other, round(scores[other], 6),
                    tuple(sorted(shared[other].items(), key=lambda item: (-item[1], item[0]))))
            for other in ranked]
