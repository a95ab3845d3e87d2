"""Maps: what each page's map shows (spec.py), the one folium-made script (script.py),
the self-hosted basemap (basemap.py) and great-circle geometry (geo.py).

Pure; used by render/. May import: errors, model.
"""
