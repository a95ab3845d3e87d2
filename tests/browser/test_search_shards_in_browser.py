"""A large atlas's search index comes in shards; readers in a real browser search them as one."""

from __future__ import annotations

from pathlib import Path

import pytest

from atlas.render import search
from atlas.pipeline import Config, build

from .test_readers_in_browser import search_results

CONTENT = Path(__file__).resolve().parents[2] / "content"


@pytest.fixture(scope="module")
def sharded_site(tmp_path_factory):
    """The starter atlas with shards of 30 pages (the real size is thousands), under a sub-path."""
    patch = pytest.MonkeyPatch()
    patch.setattr(search, "SHARD_PAGES", 30)
    output = tmp_path_factory.mktemp("sharded") / "output"
    try:
        build(Config(content_dir=CONTENT, output_dir=output, base_url="https://example.org/atlas/"))
    finally:
        patch.undo()
    return output


def test_every_entry_page_is_in_exactly_one_shard(sharded_site):
    shards = sorted(p.parent for p in sharded_site.glob("pagefind/**/pagefind-entry.json"))
    assert len(shards) >= 4
    assert all((shard / "fragment").is_dir() for shard in shards)
    # merged shards carry only their index: the primary bundle's script and WebAssembly serve them all
    assert not list((sharded_site / "pagefind" / "shard-2").glob("*.js"))
    assert not list((sharded_site / "pagefind" / "shard-2").glob("wasm.*"))
    fragments = sum(len(list((shard / "fragment").iterdir())) for shard in shards)
    entry_pages = len([p for p in sharded_site.rglob("index.html") if b"data-pagefind-body" in p.read_bytes()])
    assert fragments == entry_pages


def test_the_search_page_searches_every_shard(page, serve, sharded_site, starter_site_under_subpath):
    found = []
    for site in (starter_site_under_subpath, sharded_site):
        server = serve(site, "/atlas/")
        page.goto(server.url("/atlas/search/?q=Barcelona"))
        titles = search_results(page)
        found.append((page.inner_text(".pagefind-ui__message"), titles))
    (unsharded_count, _), (sharded_count, sharded) = found
    assert sharded_count == unsharded_count  # "N results for Barcelona": the pages of every shard
    # each shard ranks by its own word statistics, so close results may swap places
    assert "Barcelona" in sharded
    links = page.eval_on_selector_all(".pagefind-ui__result-link", "els => els.map(e => e.getAttribute('href'))")
    assert all(link.startswith("/atlas/") for link in links)


def filter_counts(page) -> dict[str, list[str]]:
    """Each filter of the results panel with its values and counts ("City (13)"), sorted."""
    # Until every shard has answered, the panel shows counts over the whole index. Every page has
    # exactly one kind, so the counts are the results' once the kinds add up to "N results".
    page.wait_for_function("""() => {
        const message = document.querySelector('.pagefind-ui__message');
        const total = message ? parseInt(message.textContent, 10) : NaN;
        const group = [...document.querySelectorAll('fieldset.pagefind-ui__filter-group')]
            .find(g => g.querySelector('legend').textContent.trim() === 'kind');
        if (!group || isNaN(total)) return false;
        const counts = [...group.querySelectorAll('.pagefind-ui__filter-label')]
            .map(v => parseInt((v.textContent.match(/\\((\\d+)\\)\\s*$/) || [0, 0])[1], 10));
        return counts.reduce((a, b) => a + b, 0) === total;
    }""")
    groups = page.eval_on_selector_all("fieldset.pagefind-ui__filter-group", """els => els.map(e => [
        e.querySelector('legend').textContent.trim(),
        [...e.querySelectorAll('.pagefind-ui__filter-label')].map(v => v.textContent.trim())])""")
    return {name: sorted(values) for name, values in groups}


def test_results_and_filters_match_an_unsharded_index(page, serve, sharded_site, starter_site_under_subpath):
    seen = []
    for site in (starter_site_under_subpath, sharded_site):
        server = serve(site, "/atlas/")
        page.goto(server.url("/atlas/search/?q=climate"))
        search_results(page)
        seen.append((page.inner_text(".pagefind-ui__message"), filter_counts(page)))
    (unsharded_count, unsharded_filters), (sharded_count, sharded_filters) = seen
    assert sharded_count == unsharded_count  # "N results for climate"
    assert "Case study (10)" in sharded_filters["kind"]
    assert sharded_filters == unsharded_filters  # every value of every filter, with the same count
