"""Editors' tools beside the pipeline, the only code that writes into content/:
`atlas new` (scaffold.py) and `atlas import twinnings` (importer/). They
never overwrite an editor's text. May import content, graph and render.
"""
