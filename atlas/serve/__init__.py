"""`atlas serve`: the preview server (server.py) that rebuilds as editors save,
with quick rebuilds of one page from the atlas in memory (live.py).
May import any stage, pipeline.py and site.py.
"""
