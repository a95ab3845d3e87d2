"""Editors' tools beside the pipeline, the only code that writes into content/:
`atlas new` (scaffold.py) and `atlas import twinnings` (importer/), with
what both write (values.py: country codes, slugs, YAML values), which the
kinds' new-entry templates use too. They never overwrite an editor's text.
cms.py generates the browser editor at /admin/ (its forms from the kinds), which
saves through the CMS's backend, not through this code.
May import content, graph, render and kinds; values.py only content.fields,
content.yamlfile, graph.gazetteer and render.present, as the kinds import it.
"""
