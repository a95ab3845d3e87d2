"""City Diplomacy Atlas: a static site generator for maps of city diplomacy.

The build is a straight pipeline of small stages over plain data:
load (sources.py) -> validate (schema.py) -> resolve (relations.py, links.py)
-> render (markup.py, maps.py, pages.py) -> write (writer.py).
pipeline.py calls them in that order.
"""

__version__ = "0.1.0"
