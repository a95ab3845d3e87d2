"""Writing the changes into city files: a new city's whole text, and partners added line by line.

render_new_city and insert_partners make the text that plan.py puts in the
plan; apply_import writes the plan into content/, the only code of the
importer that writes. An edited file keeps every byte an editor wrote.
"""

from __future__ import annotations

import re
import shutil

import yaml

from atlas.content.yamlfile import YamlError, load_yaml
from atlas.editing.importer.cities import City, Content, lookup_place
from atlas.editing.importer.report import ImportFileError, ImportPlan
from atlas.editing.scaffold import country_in_text, format_coordinates, yaml_since, yaml_text

_KIND_PHRASE = {None: "Twinned with", "sister-city": "Twinned with", "friendship": "Friendship agreement with",
                "cooperation": "Cooperation agreement with", "memorandum": "Memorandum of understanding with"}


def _partner_fields(partnership: dict, flow: bool) -> list[tuple[str, str]]:
    """The fields of a partners item as YAML text, in the order files show them."""
    fields = [("city", partnership["city"])]
    if "kind" in partnership:
        fields.append(("kind", partnership["kind"]))
    if "since" in partnership:
        fields.append(("since", yaml_since(partnership["since"])))
    if "until" in partnership:
        fields.append(("until", yaml_since(partnership["until"])))
    if "status" in partnership:
        fields.append(("status", partnership["status"]))
    if "note" in partnership:
        fields.append(("note", yaml_text(partnership["note"], flow=flow)))
    if "sources" in partnership:
        fields.append(("sources", f"[{', '.join(partnership['sources'])}]"))
    return fields


def flow_partner(partnership: dict) -> str:
    """A partners item on one line: {city: sapporo, kind: sister-city, since: 1959, sources: [x]}."""
    return "{" + ", ".join(f"{key}: {value}" for key, value in _partner_fields(partnership, flow=True)) + "}"


def render_new_city(city: City, content: Content) -> str:
    """A new city file: the facts the CSV gives, a summary and a sentence per partnership."""
    lines = ["---", f"name: {yaml_text(city.name)}", f"country: {city.country}"]
    if city.wikidata:
        lines.append(f"wikidata: {city.wikidata}")
    if city.coordinates is None:
        found = lookup_place(city.name, city.country)
        why = (f"{len(found.candidates)} places of this name in the gazetteer" if found.candidates
               else "not found in the gazetteer")
        lines.append(f"# coordinates: [lat, lon]  # {why}: fill in")
    else:
        comment = "  # GeoNames" if city.origin == "gazetteer" else ""
        lines.append(f"coordinates: {format_coordinates(*city.coordinates)}{comment}")
    if city.partners:
        lines.append("partners:")
        for partnership in city.partners:
            for index, (key, value) in enumerate(_partner_fields(partnership, flow=False)):
                lines.append(f"{'  - ' if index == 0 else '    '}{key}: {value}")
    cited = list(dict.fromkeys(s for _, p in city.mentions for s in p.get("sources", ())))
    if cited:
        lines.append(f"sources: [{', '.join(cited)}]")
    lines.append(f"summary: {yaml_text(f'City in {country_in_text(city.country)}.')}")
    lines.append("---")
    for other, partnership in city.mentions:
        since = f" since {partnership['since']}" if "since" in partnership else ""
        if "until" in partnership:  # an ended tie
            since = f"{since.replace(' since ', ' from ')} until {partnership['until']}"
        cite = f" [@{'; @'.join(partnership['sources'])}]" if partnership.get("sources") else ""
        lines.append(f"{_KIND_PHRASE[partnership.get('kind')]} {content.link(other)}{since}{cite}.")
    return "\n".join(lines) + "\n"



_PARTNERS_KEY = re.compile(r"partners[ \t]*:(?=[ \t\r\n]|$)")
_NULLS = ("", "~", "null", "Null", "NULL")


def insert_partners(text: str, items: list[str]) -> str:
    """`text` with `items` (one-line YAML mappings) added to its front matter's partners list.

    Only lines are added, except a one-line `partners: [a, b]`, which becomes a
    block list with the same items written as they were. Every other byte stays.
    Raises ValueError with the reason when the front matter cannot be edited safely.
    """
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].lstrip("\ufeff").rstrip("\r\n").rstrip() != "---":
        raise ValueError("the file does not start with front matter")
    newline = _newline(lines[0])
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip("\r\n").rstrip() in ("---", "...")), None)
    if end is None:
        raise ValueError("its front matter is not closed")
    front = lines[1:end]
    keys = [i for i, line in enumerate(front) if _PARTNERS_KEY.match(line)]
    added = [f"- {item}{newline}" for item in items]
    if len(keys) > 1:
        raise ValueError("partners is given twice")
    if not keys:
        new_front = front + [f"partners:{newline}"] + ["  " + line for line in added]
    else:
        k = keys[0]
        line = front[k].rstrip("\r\n")
        rest = line[_PARTNERS_KEY.match(line).end():]
        value = rest.strip()
        if not value or value.startswith("#"):
            new_front = _insert_into_block(front, k, added)
        elif value.startswith("["):
            existing, comment = _flow_items(line)
            key_line = f"partners:{'  ' + comment if comment else ''}{newline}"
            new_front = front[:k] + [key_line] + [f"  - {t}{newline}" for t in existing] + [
                "  " + a for a in added] + front[k + 1:]
        elif value.split(" #")[0].strip() in _NULLS:
            comment = value[value.index("#"):] if "#" in value else ""
            key_line = f"partners:{'  ' + comment if comment else ''}{newline}"
            new_front = front[:k] + [key_line] + ["  " + a for a in added] + front[k + 1:]
        else:
            raise ValueError("its partners value is not a list")
    _verify(front, new_front, items)
    return "".join(lines[:1] + new_front + lines[end:])


def add_to_item(text: str, line: int, index: int, fields: list[tuple[str, str]]) -> str:
    """`text` with `fields` (key, YAML text) added to the partners item `index`, which starts on `line`.

    A one-line `- {city: x, since: 1960}` gets them before its `}`; a block item
    (`- city: x` and its indented keys) a line each after its last key. Nothing
    else changes. ValueError with the reason for any other layout.
    """
    original = text.splitlines(keepends=True)
    lines = list(original)
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip("\r\n").rstrip() in ("---", "...")), None)
    if end is None or not 0 < line - 1 < end:
        raise ValueError("its partners item is not in its front matter")
    at = line - 1
    body = lines[at].rstrip("\r\n")
    newline = _newline(lines[at]) or _newline(lines[0])
    match = re.match(r"([ \t]*)-[ \t]+", body)
    rest = body[match.end():] if match else ""
    added = ", ".join(f"{key}: {value}" for key, value in fields)
    if rest.startswith("{"):
        try:
            node = yaml.compose(rest, Loader=yaml.SafeLoader)  # the pure-Python loader: marks count characters
        except yaml.YAMLError:
            raise ValueError("its partners item spans several lines") from None
        if not isinstance(node, yaml.MappingNode) or node.end_mark.line != 0:
            raise ValueError("its partners item spans several lines")
        closing = node.end_mark.index - 1
        inner = rest[:closing].rstrip()
        lines[at] = body[:match.end()] + inner + (", " if inner != "{" else "") + added + rest[closing:] + newline
    elif match and " " * len(match.group(1)) == match.group(1) and re.match(r"[A-Za-z_][\w-]*[ \t]*:", rest):
        indent, last = match.end(), at
        for j in range(at + 1, end):
            content = lines[j].rstrip("\r\n")
            if not content.strip() or content.strip().startswith("#"):
                continue
            if len(content) - len(content.lstrip(" ")) < indent:
                break
            last = j
        lines[last + 1:last + 1] = [f"{' ' * indent}{key}: {value}{newline}" for key, value in fields]
    else:
        raise ValueError("its partners item is a bare name or laid out in a way the importer cannot edit safely")
    _verify_item(original[1:end], lines[1:end + len(lines) - len(original)], index, fields)
    return "".join(lines)


_COUNTRY_KEY = re.compile(r"country[ \t]*:")


def add_wikidata(text: str, qid: str) -> tuple[str, int]:
    """(`text` with a `wikidata: Q…` line added to its front matter, the line it is on).

    The line goes below `country:` (else at the end of the front matter); no
    other byte changes. ValueError with the reason when the file already has a
    `wikidata` key (whatever its value) or cannot be edited safely.
    """
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].lstrip("\ufeff").rstrip("\r\n").rstrip() != "---":
        raise ValueError("the file does not start with front matter")
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip("\r\n").rstrip() in ("---", "...")), None)
    if end is None:
        raise ValueError("its front matter is not closed")
    newline = _newline(lines[0])
    country = next((i for i in range(1, end) if _COUNTRY_KEY.match(lines[i])), None)
    try:
        old = load_yaml("".join(lines[1:end])).data
    except YamlError as exc:
        raise ValueError(f"its front matter does not read as YAML ({exc})") from None
    if not isinstance(old, dict):
        raise ValueError("its front matter is not a set of `key: value` lines")
    if "wikidata" in old:
        raise ValueError(f"it gives wikidata: {old['wikidata']}")
    for at in ([country + 1] if country is not None else []) + [end]:
        new_lines = lines[:at] + [f"wikidata: {qid}{newline}"] + lines[at:]
        try:
            new = load_yaml("".join(new_lines[1:end + 1])).data
        except YamlError:
            continue  # below a `country:` whose value goes on: try the end
        if new == {**old, "wikidata": qid}:
            return "".join(new_lines), at + 1
    raise ValueError("its front matter is laid out in a way the importer cannot edit safely")


def _verify_item(front: list[str], new_front: list[str], index: int, fields: list[tuple[str, str]]) -> None:
    """The edited front matter must mean the old one with those fields in that item, nothing else."""
    try:
        old = load_yaml("".join(front)).data
        new = load_yaml("".join(new_front)).data
        wanted = load_yaml("".join(f"{key}: {value}\n" for key, value in fields)).data
    except YamlError as exc:
        raise ValueError(f"its front matter does not read as YAML ({exc})") from None
    if not isinstance(old, dict) or not isinstance(new, dict) or not isinstance(old.get("partners"), list):
        raise ValueError("its front matter is laid out in a way the importer cannot edit safely")
    expected = [dict(item) if isinstance(item, dict) else item for item in old["partners"]]
    if not 0 <= index < len(expected) or not isinstance(expected[index], dict) or set(wanted) & set(expected[index]):
        raise ValueError("its partners item is not the one the importer read")
    expected[index].update(wanted)
    if new.get("partners") != expected or {k: v for k, v in new.items() if k != "partners"} != {
            k: v for k, v in old.items() if k != "partners"}:
        raise ValueError("its front matter is laid out in a way the importer cannot edit safely")


def _newline(line: str) -> str:
    if line.endswith("\r\n"):
        return "\r\n"
    return "\r" if line.endswith("\r") else "\n"


def _insert_into_block(front: list[str], k: int, added: list[str]) -> list[str]:
    last, indent = k, None
    for j in range(k + 1, len(front)):
        content = front[j].rstrip("\r\n")
        stripped = content.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if content[0] not in " \t-":
            break
        last = j
        match = re.match(r"([ \t]*)-(?:[ \t]|$)", content)
        if match and indent is None:
            indent = match.group(1)
    if last > k and indent is None:
        raise ValueError("its partners value is not a list")
    indent = "  " if indent is None else indent
    return front[: last + 1] + [indent + line for line in added] + front[last + 1:]


def _flow_items(line: str) -> tuple[list[str], str]:
    """The items of a one-line `partners: [a, {city: b}]` as written, and a trailing comment."""
    try:
        node = yaml.compose(line, Loader=yaml.SafeLoader)  # the pure-Python loader: marks count characters
    except yaml.YAMLError:
        raise ValueError("its partners list spans several lines") from None
    if not isinstance(node, yaml.MappingNode) or not node.value:
        raise ValueError("its partners value is not a list")
    sequence = node.value[0][1]
    if not isinstance(sequence, yaml.SequenceNode):
        raise ValueError("its partners value is not a list")
    items = [line[child.start_mark.index:child.end_mark.index] for child in sequence.value]
    trailing = line[sequence.end_mark.index:].strip()
    if trailing and not trailing.startswith("#"):
        raise ValueError("its partners line has text after the list")
    return items, trailing


def _verify(front: list[str], new_front: list[str], items: list[str]) -> None:
    """The edited front matter must mean the old one plus the new partners, nothing else."""
    try:
        old = load_yaml("".join(front)).data or {}
        new = load_yaml("".join(new_front)).data
        wanted = [load_yaml(f"- {item}\n").data[0] for item in items]
    except YamlError as exc:
        raise ValueError(f"its front matter does not read as YAML ({exc})") from None
    if not isinstance(old, dict) or not isinstance(new, dict):
        raise ValueError("its front matter is not a set of `key: value` lines")
    old_partners = old.get("partners") or []
    if not isinstance(old_partners, list):
        raise ValueError("its partners value is not a list")
    if (new.get("partners") != old_partners + wanted
            or {k: v for k, v in new.items() if k != "partners"} != {k: v for k, v in old.items() if k != "partners"}):
        raise ValueError("its front matter is laid out in a way the importer cannot edit safely")



def apply_import(plan: ImportPlan) -> None:
    """Write the plan: new files are created, updated files replaced whole; nothing if any file moved on."""
    for change in plan.changes:
        if change.created and (change.path.exists() or change.path.is_symlink()):
            raise ImportFileError(f"{change.src} was created since the import was planned; nothing was written")
        if not change.created and change.path.read_bytes() != change.original:
            raise ImportFileError(f"{change.src} changed since the import was planned; nothing was written")
    for change in plan.changes:
        data = change.text.encode("utf-8")
        if change.created:
            change.path.parent.mkdir(parents=True, exist_ok=True)
            with open(change.path, "xb") as handle:
                handle.write(data)
            continue
        tmp = change.path.with_name(f".{change.path.name}.import-tmp")
        tmp.write_bytes(data)
        shutil.copymode(change.path, tmp)
        tmp.replace(change.path)
