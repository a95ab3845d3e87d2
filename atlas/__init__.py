"""City Diplomacy Atlas: a static site generator for maps of city diplomacy.

The build is a straight pipeline of small stages over plain data, and the
folders show it (pipeline.py calls the stages in this order):

    content/      load content/ and validate it         (reads the content folder)
    graph/        resolve the atlas into one graph       (pure)
    render/       pages, data files, feeds, search index (pure, but for Pagefind)
    maps/         what each map shows, and the one map script
    publish/      check links, write output/ atomically  (the only writer of output/)

Around the pipeline:

    incremental/  what the last build made, so the next one redoes only what changed
    serve/        `atlas serve`: the preview server and its quick rebuilds
    editing/      editors' tools that write content/: `atlas new`, `atlas import`

Shared by every stage: errors.py (problems with file and line), model.py
(Entry, Atlas, Output) and

    kinds/        the kinds of entry (city, network, case study, theme, page),
                  each declared once: its model, field notes, page, index, data

Beside pipeline.py: site.py (a build's settings and report, the state atlas
serve starts from, the gate it cancels builds with) and timings.py
(`--timings`). cli.py is the only module that prints and exits.

Imports go one way: a folder imports the folders above it in the pipeline list
and the shared modules, never a later stage; incremental/, serve/ and editing/
stand around the pipeline and may import any stage. Every folder may ask
kinds/ about a kind; a kind's module imports only the few leaf modules its
declaration needs (content/fields.py, maps/, render/present.py, ...).
"""

from pathlib import Path

__version__ = "0.1.0"

PROJECT_ROOT = Path(__file__).resolve().parent.parent  # templates/ and static/ live here
