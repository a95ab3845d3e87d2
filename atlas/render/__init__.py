"""Render: every output file of the site, in memory, from the atlas and its graph.

pages.py renders HTML through templates.py's one Jinja environment: entry
pages (entries.py, each through its kind), the site's own pages (indexes.py)
and the timeline (timeline.py), all through site.py's Pages (markup.py for
bodies, present.py for reader-facing text, paging.py for long indexes,
parallel.py for many cores); data.py, feeds.py and search.py make the open
data, sitemap and feed, and Pagefind index; assets.py, urls.py and policy.py
give the fingerprinted assets, addresses and security policy. Writes nothing.
May import: content, graph, maps, kinds, errors, model, and incremental's cache,
which pages.py, parallel.py and search.py ask before doing work.
"""
