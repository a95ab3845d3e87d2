"""Rebuild less: what the last build made (cache.py), the resolved atlas it
started from (snapshot.py), and which edits leave the rest of the site as it
was (edits.py). Used by pipeline.py and serve/. May import any stage.
"""
