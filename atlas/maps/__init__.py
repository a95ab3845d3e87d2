"""Maps: what each page's map shows (spec.py), the one folium-made script (script.py),
the self-hosted basemap (basemap.py; its outlines as served, derived ahead of time
by scripts/outlines.py, are in outlines/) and great-circle geometry (geo.py).

Pure; used by render/. May import: errors, model.
"""
