"""Rebuild less: what the last build made (cache.py, its records of units in
records.py) and what each page read while it rendered (dependencies.py), the resolved atlas it
started from (snapshot.py), which edits leave the rest of the site as it
was (edits.py), and builds that start from the snapshot after such edits
(resume.py). Used by pipeline.py and serve/. May import any stage, site.py
and timings.py.
"""
