"""Publish: the last stage. linkcheck.py checks every internal link of the built
site (--strict); writer.py replaces output/ whole and atomically, updating the
spare tree beside it (spare.py) and swapping folders (folders.py): the only
code that writes there. May import: render (addresses), errors, model.
"""
