"""An atlas made in memory, for tests of the stages after schema.py that need no files.

    atlas_of({"case-studies/expo.md": "title: Expo\\ncities: [lyon]\\n"}, description="Ties.")
"""

from __future__ import annotations

from atlas.content.schema import SiteConfig, validate_entry
from atlas.content.sources import RawEntry
from atlas.content.yamlfile import load_yaml
from atlas.errors import ErrorList
from atlas.model import Atlas


def atlas_of(files: dict[str, str], title: str = "Atlas", description: str | None = None) -> Atlas:
    """The atlas of these front matters (path under content/ -> YAML text, which starts on line 2)."""
    errors = ErrorList()
    entries = {}
    for path, front in files.items():
        folder, name = path.split("/")
        raw = RawEntry(folder, name.removesuffix(".md"), f"content/{path}", load_yaml(front, 2), "",
                       front.count("\n") + 3)
        entry = validate_entry(raw, errors)
        assert entry is not None, [str(p) for p in errors.problems]
        entries[entry.key] = entry
    return Atlas(SiteConfig(title=title, description=description), entries, {}, {}, "content/sources.yaml")
