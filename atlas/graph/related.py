"""Related entries: those that share partners, networks, themes or case studies, best first.

Called by relations.py, last, on the ties ties.py resolved. Reads no files.
"""

from __future__ import annotations

from collections import defaultdict

from atlas import kinds
from atlas.graph.ties import Partnership
from atlas.model import Atlas

MAX_RELATED = 6
BIG_GROUP = 300  # groups larger than this are too broad to suggest related entries


def related_entries(atlas: Atlas, partnerships: list[Partnership], partners_of: dict[str, list[Partnership]],
                    members_of: dict[str, list[str]], case_studies_of: dict[tuple[str, str], list[str]],
                    tagged: dict[str, list[tuple[str, str]]]) -> dict[tuple[str, str], list[tuple[str, str]]]:
    """Entry -> at most MAX_RELATED entries related to it, best first.

    Direct ties count most; shared groups count by how small the group is, so
    two cities in the same small network are closer than two C40 members.
    """
    scores: dict[tuple[str, str], dict[tuple[str, str], float]] = defaultdict(lambda: defaultdict(float))

    def tie(a: tuple[str, str], b: tuple[str, str], weight: float) -> None:
        if a != b:
            scores[a][b] += weight
            scores[b][a] += weight

    city, network, study_kind, theme_kind = (kinds.of_name(name).folder
                                             for name in ("city", "network", "case-study", "theme"))
    for partnership in partnerships:
        tie((city, partnership.a), (city, partnership.b), 3.0)
    groups: list[list[tuple[str, str]]] = []
    for slug, members in members_of.items():
        for member in members:
            tie((network, slug), (city, member), 2.0)
        groups.append([(city, c) for c in members])
    for key, studies in case_studies_of.items():
        for study in studies:
            tie((study_kind, study), key, 2.0)
    for theme, keys in tagged.items():
        for key in keys:
            tie((theme_kind, theme), key, 1.0)
        groups.append(list(keys))
    for slug, items in partners_of.items():
        groups.append([(city, p.other(slug)) for p in items])
    for group in groups:
        if len(group) < 2 or len(group) > BIG_GROUP:
            continue
        weight = 1.0 / len(group) ** 0.5
        for i, a in enumerate(group):
            for b in group[i + 1:]:
                tie(a, b, weight)
    related = {}
    for key, others in scores.items():
        ranked = sorted(others.items(), key=lambda item: (-item[1], item[0]))
        related[key] = [other for other, _ in ranked[:MAX_RELATED] if other in atlas.entries]
    return related
