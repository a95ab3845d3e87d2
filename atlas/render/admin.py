"""The browser editor at /admin/: its page, with a policy of its own, and its generated configuration.

Runs beside assets.py, before pages are rendered; its outputs are published
with the assets (a resumed build keeps them as they are). The page is not one
of the site's pages: it is left out of the search index, the sitemap and the
link check, and its Content-Security-Policy is its own (Decap CMS styles its
forms with inline styles and talks to the git host's API). Pure.
"""

from __future__ import annotations

import yaml
from jinja2 import Environment

from atlas.editing.cms import cms_config
from atlas.model import Atlas, Output
from atlas.render.assets import Assets
from atlas.render.policy import editor_policy
from atlas.render.urls import Urls

ADMIN = "admin/"


def render_admin(atlas: Atlas, urls: Urls, assets: Assets, env: Environment, content_folder: str = "content",
                 local_backend: str | None = None) -> list[Output]:
    """admin/index.html, the editor, and admin/config.yml, its forms (one per kind)."""
    config = cms_config(atlas.config, atlas.bibliography, content_folder, site_url=urls.site_url or urls.page(""),
                        local_backend=local_backend)
    text = ("# The browser editor's forms, generated from the atlas's kinds by `atlas build`: edit the models"
            " and their notes,\n# not this file. See docs/editors-guide.md, \"Editing in the browser\".\n"
            + yaml.safe_dump(config, sort_keys=False, allow_unicode=True, width=120))
    page = env.get_template("admin.html").render(
        title=atlas.config.title, policy=editor_policy(atlas.config, local_backend), language=atlas.config.language, home=urls.page(""),
        icon=urls.page("favicon.svg"), script=assets.cms_js)  # Decap reads config.yml beside the page
    return [Output(ADMIN + "index.html", page.encode("utf-8")), Output(ADMIN + "config.yml", text.encode("utf-8"))]
