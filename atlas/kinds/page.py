"""The page: free text such as "About", at the site's root (/about/) and linked from the footer.

content/pages/<slug>.md; pages have no index of their own and are not made by `atlas new`.
"""

from __future__ import annotations

from atlas.content.fields import Common, FieldNote, Text
from atlas.kinds.kind import Kind


class PageMeta(Common):
    title: Text
    order: int = 100


NOTES = (
    FieldNote("title", "the page title"),
    FieldNote("order", "a number that orders the pages in the footer (default 100)"),
)

KIND = Kind(
    name="page", folder="pages", label=("Page", "Pages"), model=PageMeta, title_field="title",
    template="page.html", fields=NOTES, at_root=True, nav=False, index=None,
)
